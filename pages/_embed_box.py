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
        # A text box, not st.code: Streamlit's code block loads its syntax highlighter, 514 KB compressed, on the
        # first visit to every page with this box (bench/first_load.py).
        st.text_area("The code to paste into your web page", embed.iframe_code(origin(), place, request),
                     height=110, key=f"embed_code_{view}")
        st.caption(f"The frame is titled “{embed.title(place, request)}” for screen readers.")
