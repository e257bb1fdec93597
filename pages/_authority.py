"""The local authority picker: a validated ``?la=`` on every page, the ``EXPLORER_LA`` pin, and their notices."""

from __future__ import annotations

import os

import streamlit as st

from explorer.models.places import BUILD_HINT, COVENTRY, Choice, choose
from explorer.models.text import md_escape
from pages import _cache as cache

KEY = "la"


def held() -> dict[str, str]:
    """The authorities this app can show, by code: Coventry, and every one the national store holds wards for."""
    reader = cache.national()
    if reader is None:
        return {COVENTRY: "Coventry"}
    table = reader.authorities()
    mapped = set(reader.table("layers")["la"])
    names = dict(zip(table["code"], table["name"], strict=True))
    return {code: name for code, name in names.items() if code in mapped or code == COVENTRY}


def decide(kiosk: bool = False) -> tuple[Choice, dict[str, str]]:
    """Which authority this run shows (nothing is drawn here), and the names it may choose from.

    The kiosk keeps nothing in its address, so only the pin (or Coventry) applies there.
    """
    names = held()
    pin = os.environ.get("EXPLORER_LA", "").strip() or None
    choice = choose(None if kiosk else st.query_params.get(KEY), pin, names)
    if not choice.pinned and not kiosk and st.session_state.get(KEY) in names:
        choice = Choice(st.session_state[KEY], False, choice.notices)  # the picker, once drawn, decides
    st.session_state[cache.CHOSEN] = choice.code
    st.session_state[cache.FIXED] = choice.pinned or kiosk
    return choice, names


def show(choice: Choice, names: dict[str, str], kiosk: bool = False) -> None:
    """Draw the searchable picker in the sidebar (unless pinned, or on the kiosk) and any notice."""
    asked = st.query_params.get(KEY)
    # A notice only while the address still carries what was asked: once the picker is used, it says no more.
    if asked is not None and asked != names.get(choice.code) or choice.pinned:
        for notice in choice.notices:
            extra = f" To show other authorities, {BUILD_HINT}." if len(names) == 1 else ""
            st.info(md_escape(notice + extra))
    if choice.pinned or kiosk:
        return
    if KEY not in st.session_state:
        st.session_state[KEY] = choice.code
    codes = sorted(names, key=names.get)
    code = st.sidebar.selectbox("Local authority", codes, format_func=names.get, key=KEY,
                                help="Type to search England's local authorities (2025 codes and names).")
    # The address names the authority, so a link reopens it. The picker is not bound to the address: a bound
    # widget drops a code or another case ("E08000025", "birmingham") instead of writing the name.
    target = None if code == COVENTRY and (asked is None or choice.notices) else names[code]
    if target is None and asked is not None:
        del st.query_params[KEY]
    elif target is not None and asked != target:
        st.query_params[KEY] = target
    if len(names) == 1:
        st.sidebar.caption(md_escape(f"Only Coventry is held here. To show any other English authority, "
                                     f"{BUILD_HINT}."))
