"""Tables that fit any width: one accessible HTML table for every table the pages print.

Only the browser knows how wide a page is, so the table is written once and the browser lays it out.
Where all its columns fit, it is an ordinary table: the first column names the row (a row header, with
an optional second line such as the unit and period), numbers are right-aligned in tabular figures,
units are in the headers (or, where each row has its own unit, under the row's name), and long text
wraps instead of being cut. Narrower than :func:`needed_width` (a phone, or a narrow column of a
page), each row becomes a block: its name on top, then every cell with its header beside it, so
nothing is cut and nothing scrolls sideways. The switch is a CSS container query on the table's own
box, so a table in a narrow page column reflows as on a phone.

Cells are formatted by the page models (``explorer.models.profile``, ``explorer.models.compare``, ...); a missing cell
(None, NaN, NA or "") is printed as the table's ``missing`` words, never as "nan" or "None". Every
text is escaped. Tables with no rows say so.
"""

from __future__ import annotations

import html
import math
import numbers
from collections.abc import Sequence
from dataclasses import dataclass

import pandas as pd

NO_DATA = "no data"
CHAR_PX = 7.5  # an average character of the app's 14 px sans-serif, in CSS pixels
NUMBER_PX = 8.0  # a digit in tabular figures
CELL_PADDING_PX = 16
WRAP_CHARS = 14  # text columns wrap, but never narrower than about this many characters
STYLE = """
.xt{container-type:inline-size;width:100%;margin:0 0 1rem}
.xt table{border-collapse:collapse;width:100%;font-size:.875rem;line-height:1.4}
.xt caption{position:absolute;width:1px;height:1px;overflow:hidden;clip-path:inset(50%);white-space:nowrap}
.xt th,.xt td{padding:.35rem .5rem;border-bottom:1px solid #d9d9d9;vertical-align:top;text-align:left}
.xt thead th{font-weight:600;border-bottom:2px solid #8c8c8c;vertical-align:bottom}
.xt tbody th{font-weight:400}
.xt .n{text-align:right;font-variant-numeric:tabular-nums}
.xt td.n{white-space:nowrap}
.xt .s{display:block;font-size:.8rem;font-weight:400;color:#4a4a4a}
.xt tr.g th{background:#f0f2f6;font-weight:600;border-bottom:1px solid #bfbfbf}
.xt tr.d td{font-size:.8rem;color:#4a4a4a;padding-top:0}
.xt tr.r:has(+ tr.d) > *{border-bottom:0}
"""
# Below the width the columns need, a row is a block: header cells hidden (still read by screen readers, and
# the roles keep the table's meaning), the row's name on top and each cell with its header in front. The
# selectors name both classes so they win over the base style, which every table on a page repeats.
NARROW = """
@container (max-width:{px}px){{
.xt.{cls} table,.xt.{cls} tbody,.xt.{cls} tr,.xt.{cls} th,.xt.{cls} td{{display:block;width:auto}}
.xt.{cls} thead{{position:absolute;width:1px;height:1px;overflow:hidden;clip-path:inset(50%)}}
.xt.{cls} tr.r{{display:grid;grid-template-columns:repeat(auto-fill,minmax(9.5rem,1fr));column-gap:.75rem;
padding:.5rem 0;border-bottom:1px solid #d9d9d9}}
.xt.{cls} tr.r > *{{border:0;padding:.1rem 0;text-align:left}}
.xt.{cls} tr.r > th{{grid-column:1/-1;font-weight:600}}
.xt.{cls} tr.r > td:not(.n){{grid-column:1/-1}}
.xt.{cls} td.n{{white-space:normal}}
.xt.{cls} tr.r > td[data-h]::before{{content:attr(data-h) ": ";color:#4a4a4a}}
.xt.{cls} tr.r:has(+ tr.d){{border-bottom:0}}
.xt.{cls} tr.d td{{padding:0 0 .5rem;border-bottom:1px solid #d9d9d9}}
}}
"""


@dataclass(frozen=True)
class Column:
    """One column: ``key`` in the frame, its ``header`` in words (with the unit), and how it is printed.

    ``numeric`` columns are right-aligned in tabular figures and do not wrap; a number in them is
    printed with ``decimals`` places (text is printed as it is). ``sub`` names a column whose text is
    printed as a second, smaller line in the same cell (the unit and period under an indicator's name).
    ``blank``, where given, is what an empty cell of this column says instead of the table's missing words (a
    notes column, where an empty cell is no missing figure).
    """

    key: str
    header: str
    numeric: bool = False
    decimals: int | None = None
    sub: str | None = None
    blank: str | None = None


def missing(value: object) -> bool:
    """Whether a cell is empty: None, NaN, pandas' NA or an empty string."""
    if value is None or value is pd.NA or value is pd.NaT:
        return True
    if isinstance(value, float) and math.isnan(value):
        return True
    return isinstance(value, str) and not value.strip()


def cell_text(value: object, column: Column, missing_words: str = NO_DATA) -> str:
    """The text of one cell, as printed (not yet escaped).

    Examples
    --------
    >>> cell_text(1234.5, Column("v", "Value", numeric=True, decimals=1)), cell_text(None, Column("v", "Value"))
    ('1,234.5', 'no data')
    >>> cell_text(-0.44, Column("v", "Value", numeric=True, decimals=2))
    '−0.44'
    """
    if missing(value):
        return missing_words if column.blank is None else column.blank
    if column.decimals is not None and isinstance(value, numbers.Real) and not isinstance(value, bool):
        return f"{value:,.{column.decimals}f}".replace("-", "−")
    return str(value)


def needed_width(frame: pd.DataFrame, columns: Sequence[Column]) -> int:
    """The narrowest width (CSS px) at which the columns still sit side by side and read well.

    A numeric column needs its longest printed value (numbers never wrap) or the longest word of its
    header; a text column wraps, so it needs its longest word, at least :data:`WRAP_CHARS` characters
    (or its whole text, when shorter).
    """
    return _width({c.key: [cell_text(v, c) for v in frame[c.key].tolist()] if c.key in frame else []
                   for c in columns}, columns)


def _width(texts: dict[str, list[str]], columns: Sequence[Column]) -> int:
    total = 0.0
    for column in columns:
        shown = texts[column.key]
        header_word = max((len(w) for w in column.header.split()), default=0)
        if column.numeric:
            total += max([header_word * CHAR_PX, *(len(t) * NUMBER_PX for t in shown)]) + CELL_PADDING_PX
        else:
            longest_text = max((len(t) for t in shown), default=0)
            longest_word = max((len(w) for t in shown for w in t.split()), default=0)
            chars = max(header_word, longest_word, min(longest_text, WRAP_CHARS))
            total += chars * CHAR_PX + CELL_PADDING_PX
    return math.ceil(total)


def html_table(
    frame: pd.DataFrame,
    columns: Sequence[Column],
    *,
    caption: str,
    group: str | None = None,
    details: str | None = None,
    missing_words: str = NO_DATA,
    empty: str = "No rows to show.",
) -> str:
    """The table as one HTML fragment (its own style included), for ``st.html``.

    Parameters
    ----------
    frame : DataFrame
        One row per table row, holding every ``Column.key`` (and ``Column.sub``, ``group``, ``details``).
    columns : sequence of Column
        The columns shown, in order; the first names each row (its cells are row headers).
    caption : str
        What the table is, for screen readers (the page's heading says it to everyone else).
    group : str, optional
        A column whose value starts a new group of rows with a heading row when it changes (a theme).
    details : str, optional
        A column of notes printed as a smaller line under their row, across the table, where not empty.
    missing_words : str
        What an empty cell says ("no data", or "–" where an empty cell is not a missing figure).
    empty : str
        What is printed instead of a table with no rows.

    Returns
    -------
    str
        ``<div class="xt ...">`` with a ``<style>`` and a ``<table>``; every text escaped.
    """
    if frame.empty:
        return f'<p class="xt-empty">{html.escape(empty)}</p>'
    n = len(frame)

    def column_of(key: str | None) -> list:
        return frame[key].tolist() if key is not None and key in frame else [None] * n

    texts = {c.key: [cell_text(v, c, missing_words) for v in column_of(c.key)] for c in columns}
    subs = {c.key: column_of(c.sub) for c in columns if c.sub}
    groups, notes = column_of(group), column_of(details)
    px = _width(texts, columns)
    cls = f"xt-w{px}"
    head = "".join(
        f'<th scope="col" role="columnheader"{_num(c)}>{html.escape(c.header)}</th>' for c in columns)
    labels = [f' role="cell" data-h="{html.escape(c.header)}"{_num(c)}' for c in columns]
    body: list[str] = []
    current = object()
    for i in range(n):
        if group is not None and groups[i] != current:
            current = groups[i]
            body.append(f'<tr class="g" role="row"><th colspan="{len(columns)}" scope="colgroup" role="rowheader">'
                        f"{html.escape(missing_words if missing(current) else str(current))}</th></tr>")
        cells = []
        for j, column in enumerate(columns):
            text = html.escape(texts[column.key][i])
            if column.sub and not missing(subs[column.key][i]):
                text += f'<span class="s">{html.escape(str(subs[column.key][i]))}</span>'
            cells.append(f'<th scope="row" role="rowheader">{text}</th>' if j == 0 else f"<td{labels[j]}>{text}</td>")
        body.append(f'<tr class="r" role="row">{"".join(cells)}</tr>')
        if details is not None and not missing(notes[i]):
            body.append(f'<tr class="d" role="row"><td role="cell" colspan="{len(columns)}">'
                        f"{html.escape(str(notes[i]))}</td></tr>")
    style = STYLE + NARROW.format(px=px, cls=cls)
    return (f"<style>{style}</style>"
            f'<div class="xt {cls}"><table role="table"><caption>{html.escape(caption)}</caption>'
            f'<thead><tr role="row">{head}</tr></thead><tbody>{"".join(body)}</tbody></table></div>')


def _num(column: Column) -> str:
    return ' class="n"' if column.numeric else ""


def table_text(fragment: str) -> str:
    """The words of an :func:`html_table` fragment, cell by cell (for tests and checks), without its style.

    Examples
    --------
    >>> table_text(html_table(pd.DataFrame({"a": ["x"], "b": [None]}), [Column("a", "A"), Column("b", "B")],
    ...                       caption="t"))
    't | A | B | x | no data'
    """
    from html.parser import HTMLParser

    class Cells(HTMLParser):
        def __init__(self) -> None:
            super().__init__()
            self.out: list[str] = []
            self.skip = False

        def handle_starttag(self, tag, attrs):
            self.skip = tag == "style"

        def handle_endtag(self, tag):
            self.skip = False

        def handle_data(self, data):
            if not self.skip and data.strip():
                self.out.append(data.strip())

    parser = Cells()
    parser.feed(fragment)
    return " | ".join(parser.out)
