"""Settings that are the product's, not the data's: the authority shown when none is asked for.

The default is one setting, here; a deployment pins its own authority with ``EXPLORER_LA`` (pages/_authority.py)
and may change the default with ``EXPLORER_DEFAULT_LA`` (a 2025 code). No page or model names an authority.
"""

from __future__ import annotations

import os

DEFAULT_AUTHORITY = "E08000026"  # Coventry, a Marmot City since 2013: the explorer was first built for it


def default_authority(environ=os.environ) -> str:
    """The code of the authority shown when a visitor has asked for none (``EXPLORER_DEFAULT_LA`` or Coventry)."""
    return (environ.get("EXPLORER_DEFAULT_LA") or "").strip() or DEFAULT_AUTHORITY
