"""Links that reopen a view: the home page's own address, bound widgets, and a notice for stale links."""

from __future__ import annotations

from collections.abc import Iterable, Mapping

import streamlit as st
from streamlit.errors import StreamlitAPIException
from streamlit.runtime.scriptrunner import get_script_run_ctx

from explorer.models.places import NewWard, new_ward_words, stale_words, twice_words
from explorer.models.text import md_escape
from geo.names import resolve
from geo.vintages import WardVintage


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


def reopen(key: str, value: str, also: Mapping[str, str] | None = None) -> None:
    """Open this page afresh with ``?key=value`` (and ``also``'s) in its address, the rest kept, so its widget
    starts from it.

    A bound widget drops a value that is not exactly one of its options, and writes nothing back to the address
    on a first visit; once any widget is bound, no parameter can be set this way (Streamlit refuses a page switch
    that names a bound one). So on a first visit the page is opened again with the value as the widget writes it,
    before the page draws a bound widget. Returns (doing nothing) when that is too late.
    """
    changes = {key: value, **(also or {})}
    ctx = get_script_run_ctx()
    page = ctx.pages_manager.get_pages().get(ctx.page_script_hash) if ctx is not None else None
    tried = st.session_state.setdefault("_reopened", set())
    mark = tuple(sorted(changes.items()))
    if page is None or all(st.query_params.get(k) == v for k, v in changes.items()) or mark in tried:
        return  # once only: a page that cannot take the value keeps the widget's own
    tried.add(mark)
    try:
        params = {name: st.query_params.get_all(name) for name in st.query_params} | changes
        st.session_state[REOPENED] = True  # what this run said about the link is said again (pages/_authority.py)
        st.switch_page(page["script_path"], query_params=params)
    except StreamlitAPIException:
        st.session_state[REOPENED] = False
        return  # a widget is bound: the widget is given the value instead (and the address does not show it)


REOPENED = "_reopened_now"  # True in the run after reopen(): a notice the reopened run drew is drawn again


def open_its_group(group_key: str, item_key: str, items: Mapping[str, str], groups: Mapping[str, str]) -> None:
    """When a link names an item (``?indicator=le_male``), write it as its widget does, and open its group if the
    link does not name it (``?theme=``).

    ``items`` maps each item to the name it shows, ``groups`` each item to its group. Call before the group's
    widget is drawn; the item's own widget and :func:`notice_if_stale` then take the item as usual.

    A group the app does not have (``?theme=zzz&indicator=le_female``) is treated as not given: the item's own
    group is opened, and the notice that the link's group does not exist is kept over the reopening.
    """
    given = st.query_params.get_all(item_key)
    found = resolve(given[0], items) if given else None
    if found is None:
        return
    # The item is written as its widget writes it now, while no widget is bound: later, with the group's widget
    # drawn, the page could not be reopened, and the address dropped ?indicator=le_male (a tester). An item given
    # twice is written as its first, and the notice that says so is kept over the reopening.
    if len(dict.fromkeys(given)) > 1:
        st.session_state[SAID + item_key] = twice_words(given, item_key)
    asked_group = st.query_params.get(group_key)
    if asked_group is not None:
        known = set(groups.values())
        if resolve(asked_group, {g: g for g in known}) is not None:
            reopen(item_key, items[found])
            return
        st.session_state[SAID + group_key] = stale_words(asked_group, group_key, groups[found])
    reopen(group_key, groups[found], also={item_key: items[found]})
    st.session_state[group_key] = groups[found]


HANDED = "_handed"  # (widget key, option): what a button on another page asked this page's widget to show


def hand_over(page: str, key: str, value: str) -> None:
    """Open ``page`` with its widget ``key`` showing ``value`` (an option of that widget), the authority kept.

    A link cannot carry it: while this page's own widget is bound to the same parameter (``ward`` on My area and
    the profile), Streamlit refuses to set it and a page link's parameter is dropped, so the profile opened on its
    first ward. The value goes through the session; the page's :func:`notice_if_stale` gives it to the widget and
    writes it into the address.
    """
    st.session_state[HANDED] = (key, value)
    la = st.query_params.get("la")
    st.switch_page(page, query_params={"la": la} if la else {})


def notice_if_stale(key: str, valid: Mapping[str, str] | Iterable[str], what: str, default: str, *,
                    new: Mapping[str, NewWard] | None = None, current: WardVintage | None = None,
                    how: str = "") -> None:
    """Read ``?key=`` as a person writes it, before the widget bound to it is drawn; say so when it cannot be shown.

    ``valid`` maps each of the widget's options to the name it shows (or lists the names, when they are the
    options). A value written another way (any case, a code, "&" for "and": ``?ward=foleshill``,
    ``?ward=E05001222``) is given to the widget, which writes its own name into the address. A ward of a newer set
    (``new``: Coventry's wards from May 2026) is answered plainly, with ``how`` to find the old ward; anything
    else gets a notice naming what the link asked for. Every word is shown with :func:`md_escape`: no link.

    A parameter given more than once (``?indicator=a&indicator=b``, where Streamlit would take the last) is taken
    from its first value, and a notice says so (kept over the page's reopening with that value alone).
    """
    given, options = st.query_params.get_all(key), options_of(valid)
    if len(dict.fromkeys(given)) > 1:
        st.session_state[SAID + key] = twice_words(given, what)
        _take(key, given[0], options, what, default, new, current, how, twice=True)
    else:
        _take(key, st.query_params.get(key), options, what, default, new, current, how, twice=False)
    said = st.session_state.pop(SAID + key, None)  # after a reopening, which would have lost it
    if said:
        st.info(md_escape(said))


SAID = "_said_"  # + a parameter's key: a notice about the link, kept over the page's reopening


def options_of(valid: Mapping[str, str] | Iterable[str]) -> dict[str, str]:
    """A widget's options, each with the name it shows."""
    return dict(valid) if isinstance(valid, Mapping) else {name: name for name in valid}


def _take(key: str, asked: str | None, options: dict[str, str], what: str, default: str,
          new: Mapping[str, NewWard] | None, current: WardVintage | None, how: str, *, twice: bool) -> None:
    """:func:`notice_if_stale` for the value ``asked``; with ``twice`` (the first of several values) the page is
    always opened afresh with one value, the first or, when it cannot be shown, the default."""
    handed = st.session_state.get(HANDED)
    if handed is not None and handed[0] == key:
        del st.session_state[HANDED]
        if handed[1] in options:
            reopen(key, options[handed[1]])
            st.session_state[key] = handed[1]
            return
    if asked is None or (asked in options.values() and not twice):
        return
    chosen = resolve(asked, options)
    if chosen is not None:
        reopen(key, options[chosen])
        st.session_state[key] = chosen  # the widget takes it, when the page could not be opened afresh
        return
    newer = resolve(asked, {code: ward.name for code, ward in (new or {}).items()})
    if newer is not None and current is not None:
        words = new_ward_words(new[newer], current, how, default)
    else:
        words = stale_words(asked, what, default)
    if twice:  # said after the page is opened afresh with the default alone
        st.session_state[SAID + key] += " " + words
        reopen(key, default)
    else:
        st.info(md_escape(words))
