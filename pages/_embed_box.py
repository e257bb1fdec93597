"""The "Embed this" box: the ``<iframe>`` code that puts the current view on another site's page (pages/embed.py)."""

from __future__ import annotations

from urllib.parse import urlsplit

import streamlit as st

from explorer.models import embed
from explorer.places import Place


def origin() -> str:
    """This server's address as the visitor's browser reached it (``https://host``), "" when it is not known."""
    parts = urlsplit(st.context.url or "")
    return f"{parts.scheme}://{parts.netloc}" if parts.scheme in ("http", "https") and parts.netloc else ""


def show(place: Place, view: str, *, indicator: str | None = None, ward: str | None = None) -> None:
    """An expander holding the embed code of ``view`` (``map``, ``card`` or ``gap``) for ``place``."""
    request = embed.Request(view, indicator, ward, ())
    with st.expander(f"Embed this {embed.VIEWS[view]} on your own web page"):
        st.markdown(embed.embed_box_words())
        st.code(embed.iframe_code(origin(), place, request), language="html", wrap_lines=True)
        st.caption(f"The frame is titled “{embed.title(place, request)}” for screen readers.")
