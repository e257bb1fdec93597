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
