"""The one place Streamlit's caching meets the data: the session's place, opened once per process and shared.

A page asks :func:`place` (or :func:`place_or_stop`) for the authority this session shows and hands it to the
models (``explorer.models.*_views``), which keep what they work out in the place itself
(:func:`explorer.places.per_place`). The last few places opened stay open (:data:`OPEN_PLACES`); a place's views
go when it is closed, so memory stays bounded however many authorities are visited. Nothing here knows which
authority is which: the read layer (:mod:`explorer.places`) composes each from the national store and its local
pack.

Loaders raise ``DataError`` (never cached), so a page can show the message and a repaired file is picked up on the
next rerun. Places are keyed by :class:`~explorer.places.PlaceKey` (the code and the folders read) and by the
national store's build token, so a store swapped in by a background build is read on the next run.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import replace

import pandas as pd
import streamlit as st
from streamlit.runtime.scriptrunner import get_script_run_ctx

from explorer import paths, settings
from explorer.places import NotHeld, NotHeldYet, Place, PlaceKey, Sources, open_place
from geo.errors import DataError

CHOSEN = "_la_code"  # the session's authority, set by pages/_authority.py before the page runs
FIXED = "_la_fixed"  # True when no picker is drawn (EXPLORER_LA, the kiosk): then CHOSEN alone decides
OPEN_PLACES = 8  # places kept open (with their views) by this process
__all__ = ["NotHeld", "NotHeldYet"]


def store_token(store: str) -> str:
    """What identifies the national store's build (its build_info.json's time and size), "" when none is built.

    A background build swaps the store in whole, so a new build has a new token and is read on the next run.
    """
    info = paths.Path(store) / "build_info.json"
    try:
        stat = info.stat()
    except OSError:
        return ""
    return f"{stat.st_mtime_ns}:{stat.st_size}"


@st.cache_resource(show_spinner=False, max_entries=4)
def _sources(store: str, packs: str, token: str) -> Sources:
    return Sources(paths.Path(store), paths.Path(packs))


def sources() -> Sources:
    """Where places are read from (one reader per store build and packs folder)."""
    store, packs = str(paths.store_dir()), str(paths.packs_dir())
    return _sources(store, packs, store_token(store))


def national():
    """The national store's reader (one per store build), or None while no store is built."""
    return sources().store


@st.cache_resource(show_spinner=False, max_entries=OPEN_PLACES)
def _place(key: PlaceKey, token: str) -> Place:
    return open_place(key, _sources(key.store, key.packs, token))


def open_code(code: str) -> Place:
    """The place of ``code`` (opened once per process and store build). Raises NotHeldYet or DataError."""
    key = PlaceKey.of(code)
    return _place(key, store_token(key.store))


def authority_code() -> str:
    """The code of the authority this session shows (the default authority outside a session, as in the warm-up)."""
    default = settings.default_authority()
    if get_script_run_ctx(suppress_warning=True) is None:
        return default
    state = st.session_state
    # The picker's value, when it is drawn: a page may be rerun on its own (Streamlit's legacy pages/ mode, as
    # AppTest runs it), without the router that sets CHOSEN.
    if not state.get(FIXED, True) and isinstance(state.get("la"), str):
        return state["la"]
    return state.get(CHOSEN, default)


def place() -> Place:
    """The place this session shows. Raises NotHeldYet (the store is being prepared) or DataError."""
    return open_code(authority_code())


def place_or_stop(what: str) -> Place:
    """The place this session shows, or say why it cannot be (plainly, naming any broken file) and stop the page."""
    try:
        return place()
    except NotHeldYet as exc:
        st.info(f"{what} {exc.args[0] if exc.args else exc}")
    except DataError as exc:
        st.error(f"{what} {exc}")
    st.stop()
    raise AssertionError("st.stop() returns only in tests")  # pragma: no cover


def name_or_code() -> str:
    """The name of the authority this session shows, or its code when it cannot be opened yet."""
    try:
        return place().name
    except DataError:
        code = authority_code()
        table = sources().authorities()
        found = table.loc[table["code"] == code, "name"]
        return str(found.iloc[0]) if len(found) else code


def part_or_stop(where: Place, part: str, what: str):
    """The place's local pack when it holds ``part``; else say plainly what is not held and stop the page."""
    try:
        return where.pack(part)
    except NotHeld as exc:
        st.info(f"{exc} {what}")
        st.stop()
        raise


def download(where: Place, name: str, build: Callable[[], bytes | str]) -> bytes | str:
    """A download's content, built once per place and ``name`` (which must name all it depends on).

    Files are handed to the button as content, never built on click: a deferred file reaches the browser after a
    round trip to the server, and Chromium then no longer counts the click as the visitor's, so it blocks every
    download after the first as "automatic" (CSV then Excel clicked quickly gave one file).
    """
    key = ("download", name)
    if key not in where.memo:
        where.memo[key] = build()
    return where.memo[key]


def picture(where: Place, name: str, build: Callable[[], object] | None = None):
    """A map's or chart's picture (:class:`explorer.models.pictures.Picture`), drawn once per place and ``name``.

    ``name`` must name all the picture depends on. With no ``build``, the picture if it has been drawn, else None:
    drawing takes tens to hundreds of milliseconds, so a page draws one only when a visitor asks
    (``pages/_pictures.py``), and a rerun never does.
    """
    key = ("picture", name)
    if key not in where.memo and build is not None:
        where.memo[key] = build()
    return where.memo.get(key)


def charted(where: Place, build: Callable, *args, chart: str = "chart"):
    """``build(where, *args)``, a view with a Vega-Lite chart, with the chart's rows as Arrow, once per place.

    ``st.vega_lite_chart`` converts inline rows to Arrow on every call (about 5 ms a chart); a dataset that is
    already Arrow bytes is passed through, so the conversion is done here, once, with Streamlit's own converter.
    """
    key = ("charted", build.__module__, build.__qualname__, args, chart)
    if key not in where.memo:
        view = build(where, *args)
        where.memo[key] = view if view is None else _arrow_rows(view, chart)
    return where.memo[key]


def _arrow_rows(view, chart: str):
    from streamlit import dataframe_util

    spec = getattr(view, chart)
    rows = spec.get("data", {}).get("values")
    if rows is None:
        return view
    arrow = dataframe_util.convert_anything_to_arrow_bytes(pd.DataFrame(rows))
    shared = {key: value for key, value in spec.items() if key != "data"}
    return replace(view, **{chart: {**shared, "data": {"name": "rows"}, "datasets": {"rows": arrow}}})


@st.cache_resource(show_spinner=False, max_entries=4)
def _manifest(data: str) -> pd.DataFrame:
    from explorer.models.about import read_manifest

    return read_manifest(paths.Path(data) / "sources.csv")


def manifest() -> pd.DataFrame | None:
    """The sources manifest (``data/sources.csv``) for a workbook's Sources sheet; None if it cannot be read.

    A broken manifest is named on the About page; a download still lists each indicator's source.
    """
    try:
        return _manifest(str(paths.data_dir()))
    except DataError:
        return None


def manifest_or_error() -> pd.DataFrame:
    """The sources manifest, or DataError naming what is wrong with it (the About page says so)."""
    return _manifest(str(paths.data_dir()))


# --- The kiosk: what the server keeps across page loads --------------------------------------------------------

def kiosk_settings(where: Place | None):
    """Kiosk settings from the environment, and what is wrong with them (a bad one keeps its default).

    EXPLORER_KIOSK_LIBRARY is checked against the place's libraries (the Library rows of its register).
    """
    from explorer.models.area_views import library_setting
    from explorer.models.kiosk.settings import read_settings

    if where is None:
        return read_settings(os.environ, [], "the register of sites (the authority could not be opened)")
    return read_settings(os.environ, *library_setting(where))


@st.cache_resource(show_spinner=False, max_entries=256)
def qr_code(link: str) -> str:
    """A QR code of ``link`` as an SVG data URI, drawn once per address."""
    from explorer.models.kiosk.settings import qr_svg_data_uri

    return qr_svg_data_uri(link)


@st.cache_resource(show_spinner=False)
def _pin_guards() -> tuple[dict, object]:
    import threading

    return {}, threading.Lock()


def pin_guard(kiosk: str):
    """The wrong-number count and lock of one kiosk (by its address), kept by the server across page loads."""
    from explorer.models.kiosk.guard import PinGuard

    guards, lock = _pin_guards()
    with lock:
        return guards.setdefault(kiosk, PinGuard())
