"""Links that reopen a view: widgets bound to query parameters, and a notice for stale ones."""

from __future__ import annotations

from collections.abc import Iterable

import streamlit as st

from explorer.text import md_escape


def notice_if_stale(key: str, valid: Iterable[str], what: str, default: str) -> None:
    """Say so when a link carries a value the app no longer knows, before the bound widget drops it."""
    asked = st.query_params.get(key)
    if asked is not None and asked not in set(valid):
        shown = md_escape(asked if len(asked) <= 60 else asked[:57] + "...")
        st.info(f"The link asked for {what} “{shown}”, which this app does not have; showing {default} instead.")
