"""A map's or chart's "Make a picture" button, then its PNG and SVG downloads: shared by every page that draws one.

Thin: the pictures are drawn by :mod:`explorer.models.pictures` and kept per place by ``pages/_cache.py``; a rerun
draws nothing until a visitor asks, and once drawn the two downloads are offered straight away.
"""

from __future__ import annotations

from collections.abc import Callable

import streamlit as st

from explorer.models.downloads import file_name
from pages import _cache as cache

PNG_MIME, SVG_MIME = "image/png", "image/svg+xml"


def offer(place, name: str, build: Callable[..., object], *args, period: str | Callable[[], object], what: str,
          key: str, table: str = "") -> None:
    """The button that draws the picture of ``what`` ("map", "chart"), or, once drawn, its PNG and SVG downloads.

    The picture is ``build(place, *args)``, drawn only when asked. ``name`` names all the picture depends on (the
    place is implied); ``key`` is unique on the page. The files are named as every table download is
    (:func:`explorer.models.downloads.file_name`: authority, ``table`` in words, the date ``period`` runs to);
    ``period`` may instead be a function giving the table file the chart shows (a
    :class:`~explorer.models.downloads.TableFile`, or None), asked only once the picture is drawn: its period is
    used, and without ``table`` its name with "chart" (so a chart and its table are named alike).
    """
    made, slot = cache.picture(place, name), st.empty()
    if made is None:
        if not slot.button(f"Make a picture of this {what} (PNG and SVG)", key=f"pic_{key}",
                         icon=":material/image:", help="Draws the picture with its title, legend, period and source, "
                                                        "to save or put in a report."):
            return
        with st.spinner("Drawing the picture…"):
            made = cache.picture(place, name, lambda: build(place, *args))
    if isinstance(period, str):
        until = period
    else:
        shown = period()
        until = getattr(shown, "period", "")
        table = table or (f"{shown.table} {what}" if shown is not None else name)
    with slot.container(horizontal=True):  # in the button's place
        st.download_button(f"Download this {what} (PNG, {made.width}×{made.height})", made.png,
                           file_name(place.name, table, until, "png"), PNG_MIME, on_click="ignore",
                           key=f"pic_png_{key}", icon=":material/image:")
        st.download_button(f"Download this {what} (SVG)", made.svg, file_name(place.name, table, until, "svg"),
                           SVG_MIME, on_click="ignore", key=f"pic_svg_{key}", icon=":material/image:")
