"""Making untrusted text safe to show in Markdown."""

from __future__ import annotations

import re

_MARKDOWN = re.compile(r"([\\`*_{}\[\]()<>#+\-.!|~$:&])")
# Text a Markdown renderer (GitHub's autolinks, as Streamlit's) or a reader's browser could take for an address: a
# scheme ("https:", "javascript:", "mailto:", "data:"), "www.", an e-mail address or a bare domain
# ("evil.example/login"), with any full stop a browser accepts in a host name.
ADDRESS_LIKE = re.compile(r"[^\W\d_][\w+.\-]*:\S|www[.．。｡]|@\S*[.．。｡]|[\w\-][.．。｡][^\W\d_]{2,}", re.IGNORECASE)


def counted(n: int, noun: str, plural: str | None = None) -> str:
    """A number with its noun, singular for one: the Isles of Scilly have "1 ward", never "1 wards".

    Examples
    --------
    >>> counted(1, "ward"), counted(18, "ward"), counted(1, "neighbourhood"), counted(2, "city", "cities")
    ('1 ward', '18 wards', '1 neighbourhood', '2 cities')
    """
    return f"{n} {noun if n == 1 else (plural or noun + 's')}"


def code_span(text: str) -> str:
    """``text`` as a Markdown code span: shown exactly as written, never as a link or markup.

    The fence is one backtick longer than the longest run of backticks in ``text``.

    Examples
    --------
    >>> print(code_span("https://evil.example/login"), code_span("a`b"), code_span("`x"))
    `https://evil.example/login` ``a`b`` `` `x ``
    """
    longest = max((len(run) for run in re.findall(r"`+", text)), default=0)
    fence = "`" * (longest + 1)
    pad = " " if text.startswith(("`", " ")) or text.endswith(("`", " ")) else ""
    return f"{fence}{pad}{text}{pad}{fence}"


def md_escape(text: str) -> str:
    r"""Markdown that shows ``text`` exactly as written: no markup, no LaTeX, and no link we did not write.

    Markdown (GitHub's, as Streamlit renders it) makes a link of a bare address even when its ``:`` and ``.`` are
    escaped, so every word that looks like an address (:data:`ADDRESS_LIKE`) is shown as code instead; every
    other Markdown character (and Streamlit's LaTeX ``$``) is escaped.

    Examples
    --------
    >>> print(md_escape("[click](x) $1"))
    \[click\]\(x\) \$1
    >>> print(md_escape("Sign in again at https://evil.example/login, or www.evil.example"))
    Sign in again at `https://evil.example/login,` or `www.evil.example`
    """
    return "".join(code_span(word) if ADDRESS_LIKE.search(word) else _MARKDOWN.sub(r"\\\1", word)
                   for word in re.split(r"(\s+)", text))


FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(text: object) -> object:
    """Neutralise spreadsheet formulas in a text cell (CSV injection).

    Examples
    --------
    >>> safe_cell("=HYPERLINK(1)"), safe_cell("Foleshill"), safe_cell(-1.5)
    ("'=HYPERLINK(1)", 'Foleshill', -1.5)
    """
    if isinstance(text, str) and text.startswith(FORMULA_START):
        return "'" + text
    return text


def with_authority(frame, code: str, name: str):
    """``frame`` with the authority's code and name as its last two columns (as it is, without a code).

    Added at the end, so a download's earlier columns keep their places (a workbook's "unit in column H").

    Examples
    --------
    >>> import pandas as pd
    >>> list(with_authority(pd.DataFrame({"v": [1]}), "E08000026", "Coventry").columns)
    ['v', 'authority_code', 'authority_name']
    """
    if not code:
        return frame
    return frame.assign(authority_code=code, authority_name=name)


COUNT_COLUMNS = frozenset({
    "residents", "population", "population_census2021", "areas", "count", "denominator", "group", "groups",
    "ours_groups", "rank", "rank_1_is_worst", "wards_sharing_rank", "wards_ranked", "need_rank", "provision_rank",
    "places_moved_against_equal_weights", "sites", "wards"})
"""Columns of a download that count something (people, areas, events, places in a ranking): written as integers."""


def whole_counts(frame, also=()):
    """``frame`` with its count columns (:data:`COUNT_COLUMNS`, and ``also``) as integers where all are whole.

    pandas holds a count with a missing value, or one read from a float table, as a float, and a file then says
    ``227564.0`` residents. A count column whose values are all whole numbers is written as an integer, a missing
    one as an empty cell (never 0); a column holding any fraction (a published three-year average count) is left
    as it is, so no figure changes.

    Examples
    --------
    >>> import pandas as pd
    >>> out = whole_counts(pd.DataFrame({"residents": [227564.0, None], "count": [2.5, 3.0], "value": [1.0, 2.0]}))
    >>> [str(t) for t in out.dtypes], out["residents"].tolist()
    (['Int64', 'float64', 'float64'], [227564, <NA>])
    """
    import pandas as pd

    out = frame
    for column in frame.columns:
        values = frame[column]
        if (column not in COUNT_COLUMNS and column not in also) or not pd.api.types.is_float_dtype(values):
            continue
        held = values.dropna()
        if (held == held.round()).all():
            out = out if out is not frame else frame.copy()
            out[column] = values.astype("Int64")
    return out


def export_csv(frame) -> bytes:
    r"""A table as a CSV download: formula cells neutralised, CRLF line ends (RFC 4180, Excel), UTF-8 with a BOM.

    Counts are written as integers (:func:`whole_counts`).

    CRLF also makes the writer quote any field holding a stray CR or LF, so a row never splits. The
    byte-order mark makes Excel read the file as UTF-8 when it is opened by double-click, so "µg/m³"
    does not turn into "Âµg/mÂ³"; pandas and Python's ``utf-8-sig`` codec skip it.

    Examples
    --------
    >>> import pandas as pd
    >>> export_csv(pd.DataFrame({"unit": ["µg/m³"], "name": ["=1+1"]}))
    b"\xef\xbb\xbfunit,name\r\n\xc2\xb5g/m\xc2\xb3,'=1+1\r\n"
    """
    import pandas as pd

    out = whole_counts(frame).copy()
    for column in out.columns:
        if out[column].dtype == object or pd.api.types.is_string_dtype(out[column]):
            out[column] = out[column].map(safe_cell)
    return out.to_csv(index=False, lineterminator="\r\n").encode("utf-8-sig")
