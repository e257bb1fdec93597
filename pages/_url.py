"""Links that reopen a view: the home page's own address, bound widgets, and a notice for stale links."""

from __future__ import annotations

from collections.abc import Iterable

import streamlit as st

from explorer.models.text import md_escape


class HomePage(st.Page):
    """The default page, answering at ``/`` and at its own ``url_path`` (``/city_map``).

    Streamlit serves the default page at ``/`` and reports its ``url_path`` as
    ``""`` to both the server's router and the browser. A first visit to the
    page's own address (``/city_map``, ``/city_map?theme=Health``) then matches
    no page: the server sends "Page not found", runs the default page, and the
    browser rewrites the address to ``/``. Keeping the page's own path here
    lets the router find it by name, and the browser keeps the address (its
    menu link still points to ``/``, which Streamlit builds for the default).
    """

    @property
    def url_path(self) -> str:
        return self._url_path


def notice_if_stale(key: str, valid: Iterable[str], what: str, default: str) -> None:
    """Say so when a link carries a value the app no longer knows, before the bound widget drops it."""
    asked = st.query_params.get(key)
    if asked is not None and asked not in set(valid):
        shown = md_escape(asked if len(asked) <= 60 else asked[:57] + "...")
        st.info(f"The link asked for {what} “{shown}”, which this app does not have; showing {default} instead.")
