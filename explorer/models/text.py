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
    r"""A table as a CSV download: formula cells neutralised, CRLF line ends (RFC 4180, Excel), UTF-8 with a BOM.

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

    out = frame.copy()
    for column in out.columns:
        if out[column].dtype == object or pd.api.types.is_string_dtype(out[column]):
            out[column] = out[column].map(safe_cell)
    return out.to_csv(index=False, lineterminator="\r\n").encode("utf-8-sig")
