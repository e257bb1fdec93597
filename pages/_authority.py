"""The local authority picker: a validated ``?la=`` on every page, the ``EXPLORER_LA`` pin, and their notices.

Two things may choose the authority: the address (``?la=``, on a first visit, Back or Forward) and the picker.
Whichever changed since this session's last run decides. A switch made with the picker drops from the address
what named the old authority's wards (``ward``, ``a``, ``b``): they mean nothing in the new one.
"""

from __future__ import annotations

import functools
import os
from urllib.parse import urlsplit

import streamlit as st

from explorer import paths, settings
from explorer.models import places
from explorer.models.places import BUILD_HINT, Choice, choose
from explorer.models.preparing import store_now
from explorer.models.text import md_escape
from geo.errors import DataError
from geo.names import load_aliases
from pages import _cache as cache
from pages._url import REOPENED

KEY = "la"
SAID = "_la_said"  # the authority notices this run drew, for a reopened run to draw again
ADDRESS = "_la_address"  # the ``la`` the address held when this session's last run ended (None: none)
SWITCHED = "_la_switched"  # True on the run in which the picker changed the authority
BEFORE = "_la_before"  # the authority this session's last run showed
PATH = "_la_path"  # the page (address path) this session's last run showed
WARD_KEYS = ("ward", "a", "b")  # the parameters that name one authority's wards
PREPARING_EVERY_S = 15  # how often the sidebar looks again at the national build's progress


def held() -> dict[str, str]:
    """The authorities this app can show, by code: every one the national store holds wards for, and every pack's."""
    table = cache.sources().authorities()
    names = dict(zip(table["code"], table["name"], strict=True))
    default = settings.default_authority()
    return names or {default: default}


@functools.cache
def _aliases(path: str) -> dict[str, str]:
    return load_aliases(paths.Path(path))  # a DataError is not kept: a mended file is read on the next run


def aliases() -> tuple[dict[str, str], str | None]:
    """Authorities' short names (``data/registry/authority_aliases.csv``), and what is wrong with the file if any."""
    try:
        return _aliases(str(paths.data_dir() / "registry" / "authority_aliases.csv")), None
    except DataError as exc:
        return {}, str(exc)


def decide(kiosk: bool = False) -> tuple[Choice, dict[str, str]]:
    """Which authority this run shows (nothing is drawn here), and the names it may choose from.

    The kiosk keeps nothing in its address, so only the pin (or Coventry) applies there.
    """
    names = held()
    short, problem = aliases()
    pin = os.environ.get("EXPLORER_LA", "").strip() or None
    asked = None if kiosk else st.query_params.get(KEY)
    choice = choose(asked, pin, names, settings.default_authority(), short)
    if problem and asked is not None and choice.notices:
        choice = Choice(choice.code, choice.pinned, [*choice.notices, f"Short names could not be read: {problem}"])
    state = st.session_state
    # Back, Forward or a link followed within this session. Streamlit's own menu drops the address's parameters,
    # so another page with no ``la`` is the menu, and the session's authority holds.
    path = urlsplit(st.context.url or "").path
    menu = asked is None and state.get(PATH) not in (None, path)
    moved = ADDRESS in state and asked != state[ADDRESS] and not menu
    state[PATH] = path
    before = state.get(BEFORE)
    if not choice.pinned and not kiosk:
        if moved or state.get(KEY) not in names:
            state[KEY] = choice.code  # the address decides, and the picker (not drawn yet) follows it
        elif state[KEY] != choice.code:
            choice = Choice(state[KEY], False, choice.notices)  # the picker, once used, decides
    state[SWITCHED] = not moved and before is not None and before != choice.code
    state[BEFORE] = state[cache.CHOSEN] = choice.code
    state[cache.FIXED] = choice.pinned or kiosk
    return choice, names


def from_address() -> tuple[Choice, dict[str, str]]:
    """The authority ``?la=`` (or the ``EXPLORER_LA`` pin) names, with its notices, and the names held.

    For the embed page, which has no picker and keeps nothing in the session: each frame is one view, whatever
    another frame of the same browser shows.
    """
    names = held()
    short, _problem = aliases()
    pin = os.environ.get("EXPLORER_LA", "").strip() or None
    return choose(st.query_params.get(KEY), pin, names, settings.default_authority(), short), names


def show(choice: Choice, names: dict[str, str], kiosk: bool = False) -> None:
    """Draw the searchable picker in the sidebar (unless pinned, or on the kiosk) and any notice."""
    asked = st.query_params.get(KEY)
    # A notice only while the address still carries what was asked: once the picker is used, it says no more. The
    # address drops an authority it cannot show, so a page reopened for its own link (pages/_url.py) says the
    # notice again ("?la=Narnia&indicator=le_female" said nothing of Narnia).
    store = store_now(next(iter(names.values()))) if len(names) == 1 else None
    carried = st.session_state.pop(SAID, [])
    if asked is not None and asked != names.get(choice.code) or choice.pinned:
        said = []
        for notice in choice.notices:
            extra = "" if store is None else f" {store.words}" if store.building else (
                f" To show other authorities, {BUILD_HINT}.")
            said.append(md_escape(notice + extra))
        st.session_state[SAID] = said
    else:
        said = carried if st.session_state.pop(REOPENED, False) and asked is None else []
    for words in said:
        st.info(words)
    if choice.pinned or kiosk:
        return
    codes = sorted(names, key=names.get)
    code = st.sidebar.selectbox("Local authority", codes, format_func=names.get, key=KEY,
                                help="Type to search England's local authorities (2025 codes and names).")
    # The address names the authority, so a link reopens it. The picker is not bound to the address: a bound
    # widget drops a code or another case ("E08000025", "birmingham") instead of writing the name.
    target = None if code == settings.default_authority() and (asked is None or choice.notices) else names[code]
    if target is None and asked is not None:
        del st.query_params[KEY]
    elif target is not None and asked != target:
        st.query_params[KEY] = target
    st.session_state[ADDRESS] = target
    if store is not None and store.building:
        with st.sidebar:
            _preparing()
    elif store is not None:
        st.sidebar.caption(md_escape(store.words))


@st.fragment(run_every=PREPARING_EVERY_S)
def _preparing() -> None:
    """The national build's progress, looked at again every few seconds; once the store is in, every page reruns."""
    store = store_now(cache.name_or_code())
    if cache.national() is not None:
        st.rerun()  # the store is in: every authority can be chosen
    st.caption(md_escape(store.words))


def follow(page) -> None:
    """After a switch made with the picker, open ``page`` afresh for the new authority: its wards are not the old's.

    The old authority's ward (``?ward=Foleshill``) would otherwise stay in the address, and the page would say a
    link asked for it. Called after ``st.navigation``, which ``st.switch_page`` needs.
    """
    if not st.session_state.get(SWITCHED) or not any(key in st.query_params for key in WARD_KEYS):
        return
    st.session_state[SWITCHED] = False
    for key in WARD_KEYS:
        st.session_state.pop(key, None)
    la = st.session_state.get(ADDRESS)
    st.switch_page(page, query_params={KEY: la} if la else {})


def map_title(code: str) -> str:
    """The ward map's name in the menu for ``code`` ("City map" where its pack calls it a city)."""
    try:
        return places.map_title(cache.open_code(code).area_word)
    except DataError:
        return places.map_title("")
