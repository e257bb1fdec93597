"""Making untrusted text safe to show in Markdown."""

from __future__ import annotations

import re

_MARKDOWN = re.compile(r"([\\`*_{}\[\]()<>#+\-.!|~$:])")


def md_escape(text: str) -> str:
    r"""Escape Markdown (and Streamlit's LaTeX ``$``) so text shows exactly as typed.

    Examples
    --------
    >>> print(md_escape("[click](x) $1"))
    \[click\]\(x\) \$1
    """
    return _MARKDOWN.sub(r"\\\1", text)


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


def export_csv(frame) -> bytes:
    """A table as a CSV download: formula cells neutralised, CRLF line ends (RFC 4180, Excel), UTF-8.

    CRLF also makes the writer quote any field holding a stray CR or LF, so a row never splits.
    """
    import pandas as pd

    out = frame.copy()
    for column in out.columns:
        if out[column].dtype == object or pd.api.types.is_string_dtype(out[column]):
            out[column] = out[column].map(safe_cell)
    return out.to_csv(index=False, lineterminator="\r\n").encode("utf-8")
