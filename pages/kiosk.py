"""Library kiosk: attract screen, find my area (map, list or postcode keypad), my area, idle reset.

Any authority's: the one EXPLORER_LA pins, else the default (pages/_authority.py ``decide(kiosk=True)``); its
facts are its pack's or the national ones, and postcode search, landmarks and "what is near" are offered only where
its pack holds them, each said plainly where it does not.

Everything lives in session state, never in the URL, so a reset (a fresh load of
/kiosk) leaves no trace of the last visitor. static/kiosk.js runs the idle timer, the
"working" cover shown the moment anything is tapped, and the guards that leave no
way out of the kiosk (no context menu, selection, dragging, page zoom or error page).
"""

import functools
import html
import json
import os
import time
from datetime import date
from pathlib import Path

import streamlit as st
from streamlit.logger import get_logger

from explorer import settings as app
from explorer.models import area_views
from explorer.models.kiosk.guard import KEYPAD_ROWS, PIN_TRIES, type_key, words_with_addresses
from explorer.models.kiosk.settings import phone_link, qr_address
from explorer.models.places import kiosk_address_words, resolve
from explorer.models.text import md_escape
from geo.errors import DataError
from geo.postcodes import find
from pages import _authority as authority
from pages import _cache as cache
from pages import _warm
from pages._area import show_area

LOG = get_logger("explorer.models.kiosk")  # Streamlit's logger: its messages reach the server log
STATIC = Path(__file__).resolve().parent.parent / "static"
STAFF_TAPS = 5
state = st.session_state
try:
    place, unopened = cache.place(), None
except DataError as exc:  # drawn below the kiosk's own head, so its guards hold while it says so
    place, unopened = None, exc
settings, settings_problems = cache.kiosk_settings(place)

with st.container(key="kiosk_head"):
    st.html(STATIC / "kiosk.css")
    # The kiosk's script is served as a file: Streamlit's sanitiser drops inline scripts that contain markup.
    st.html(f"<script>window.KIOSK = {json.dumps({'idle': settings.idle_seconds, 'prompt': settings.prompt_seconds})};"
            '</script><script src="/app/static/kiosk_keys.js"></script><script src="/app/static/kiosk.js"></script>',
            unsafe_allow_javascript=True)

if place is None:
    st.error(f"Sorry, this screen is not working. Please tell a member of library staff. ({unopened})")
    st.stop()
names = place.names
postcodes = place.has("postcodes")
screen = state.setdefault("kiosk_screen", "attract")


def guarded(callback):
    """Run a tap's callback; if it fails, log it and show the kiosk's own "something went wrong" screen."""

    @functools.wraps(callback)
    def run(*args, **kwargs) -> None:
        try:
            callback(*args, **kwargs)
        except Exception:  # noqa: BLE001 - a visitor must never see a traceback or an error page
            LOG.exception("kiosk: the tap on %s failed", callback.__name__)
            state.clear()
            state["kiosk_screen"] = "trouble"

    return run


@guarded
def go(to: str, **values) -> None:
    state["kiosk_screen"] = to
    state.update(values)


@guarded
def start_again() -> None:
    state.clear()


def kiosk_id() -> str:
    """This kiosk, for the staff number lock: its address as the server sees it."""
    return str(getattr(st.context, "ip_address", None) or "kiosk")


@guarded
def tap_banner() -> None:
    state["staff_taps"] = state.get("staff_taps", 0) + 1
    if state["staff_taps"] >= STAFF_TAPS and settings.staff_pin:
        state.update(kiosk_screen="staff", staff_taps=0, staff_pin="", staff_feedback=None)


@guarded
def press(key: str) -> None:
    state["postcode"] = type_key(state.get("postcode", ""), key)
    state.pop("postcode_message", None)


@guarded
def look_up() -> None:
    ended = place.ward_set.until if place.ward_set.ended(date.today()) else None
    try:
        result = find(state.get("postcode", ""), place.pack("postcodes").table("postcodes.csv"), names, ended=ended)
    except DataError:
        state["postcode_message"] = ("error", "Sorry, postcode search is not working. Try the map or the list.")
        return
    if result.ok:
        state.update(kiosk_screen="area", ward=result.ward, area_postcode=result.postcode, postcode="",
                     postcode_message=None)
    else:
        state["postcode_message"] = ("warn", result.message)


@guarded
def staff_press(key: str) -> None:
    guard, now = cache.pin_guard(kiosk_id()), time.monotonic()
    if guard.seconds_left(now):
        return
    if key == "Delete":
        state["staff_pin"] = state.get("staff_pin", "")[:-1]
        return
    typed = (state.get("staff_pin", "") + key)[:8]
    state["staff_feedback"] = None
    if typed == settings.staff_pin:
        guard.right()
        state.update(kiosk_screen="staff_exit")
    elif len(typed) >= len(settings.staff_pin):
        left = guard.wrong(now)
        state["staff_pin"] = ""
        state["staff_feedback"] = (f"That is not the staff number. {left} {'try' if left == 1 else 'tries'} left."
                                   if left else None)
    else:
        state["staff_pin"] = typed


def way_on(where: str) -> None:
    another, again = st.columns(2)
    another.button("Look at another area", key=f"another_{where}", icon=":material/search:", on_click=go,
                   args=("find",), width="stretch", type="primary")
    again.button("Start again", key=f"restart_{where}", icon=":material/restart_alt:", on_click=start_again,
                 width="stretch")


def attract() -> None:
    _warm.warm_kiosk(place, settings.library)
    with st.container(key="kiosk_attract"):
        st.title("Touch to explore your area", anchor=False)
        st.markdown(md_escape(area_views.invitation(place)))
        st.button("Start", key="kiosk_start", icon=":material/touch_app:", on_click=go, args=("find",),
                  type="primary", width="stretch")


def find_area() -> None:
    st.title("Find your area", anchor=False)
    mode = state.setdefault("find_mode", "map")
    modes = {"map": ("Tap the map", ":material/map:"), "list": ("Pick from a list", ":material/list:"),
             "postcode": ("Type your postcode", ":material/dialpad:")}
    if not postcodes:
        del modes["postcode"]
        mode = state["find_mode"] = mode if mode in modes else "map"
    for col, (key, (label, icon)) in zip(st.columns(len(modes)), modes.items(), strict=True):
        col.button(label, key=f"mode_{key}", icon=icon, width="stretch", on_click=go, args=("find",),
                   kwargs={"find_mode": key}, type="primary" if key == mode else "secondary")
    if not postcodes:
        st.markdown(md_escape(f"Postcode search is not held for {place.name}: tap the map or pick from the list."))
    if mode == "map":
        return  # the map and its words come below, from map_box
    if mode == "list":
        st.markdown("Tap your area.")
        codes = place.codes
        for start in range(0, len(codes), 3):
            for col, code in zip(st.columns(3), codes[start:start + 3], strict=False):
                col.button(names[code], key=f"ward_{code}", width="stretch", on_click=go, args=("area",),
                           kwargs={"ward": code, "area_postcode": None})
    else:
        typed = state.get("postcode", "")
        st.markdown("Your postcode:")
        st.markdown(f'<p class="kiosk-typed" role="status" aria-live="polite">{html.escape(typed) or "&nbsp;"}</p>',
                    unsafe_allow_html=True)
        for row in KEYPAD_ROWS:
            for col, key in zip(st.columns(10), row, strict=False):
                col.button(key, key=f"key_{key}", on_click=press, args=(key,), width="stretch")
        space, delete, go_col = st.columns([2, 2, 3])
        space.button("Space", key="key_space", on_click=press, args=("Space",), width="stretch")
        delete.button("Delete", key="key_delete", icon=":material/backspace:", on_click=press, args=("Delete",),
                      width="stretch")
        go_col.button("Find my area", key="key_find", icon=":material/search:", on_click=look_up,
                      type="primary", width="stretch")
        message = state.get("postcode_message")
        if message:
            (st.error if message[0] == "error" else st.warning)(md_escape(message[1]))
    st.button("Start again", key="find_restart", icon=":material/restart_alt:", on_click=start_again)


def map_shown() -> bool:
    return screen == "find" and state.get("find_mode", "map") == "map"


def map_box() -> None:
    """The map, on every screen: drawn once per page load and kept, but shown only on "Tap the map".

    Kept (hidden) on the other screens, the map's frame is never torn down and built again: dropping it
    for an area, and building it again on the way back, cost the browser up to a second each.
    """
    try:
        document = area_views.tap_map(place, settings.library)
    except DataError as exc:
        if map_shown():
            st.error(f"Sorry, the map is not working. Try the list{' or your postcode' if postcodes else ''}. ({exc})")
        return
    st.iframe(document, height=640, alt=f"Map of {place.name}'s wards, each with its name. Tap your area.")
    if not map_shown():
        return
    # The map's taps press these (static/kiosk.js, kioskPick): a button press is the quickest way to the area.
    with st.container(key="kiosk_map_picks"):
        for code in place.codes:
            st.button(names[code], key=f"pick_{code}", on_click=go, args=("area",),
                      kwargs={"ward": code, "area_postcode": None})
    st.markdown("**Tap your area.** " + md_escape(area_views.tap_words(place, settings.library)))
    st.button("Start again", key="find_restart", icon=":material/restart_alt:", on_click=start_again)


def my_area() -> None:
    way_on("top")
    name = show_area(place, state["ward"], kiosk=True, postcode=state.get("area_postcode"))
    address = qr_address(settings.public_url, st.context.url)
    if address.base:  # no code a phone could not open
        st.subheader("Take this page with you", anchor=False)
        link = phone_link(address.base, name, None if place.code == app.default_authority() else place.name)
        qr_col, words_col = st.columns([1, 2])
        qr_col.html(f'<img class="kiosk-qr" src="{cache.qr_code(link)}" '
                    f'alt="QR code that opens this page on your phone">')
        words_col.markdown("Point your phone's camera at the square to open this page on your phone. "
                           "The address is:")
        words_col.markdown(f"`{link}`")  # in a code span, never a link; st.code would load a 514 KB highlighter
    way_on("bottom")


def staff() -> None:
    st.title("Staff", anchor=False)
    guard = cache.pin_guard(kiosk_id())
    locked = guard.seconds_left(time.monotonic())
    st.markdown("Type the staff number to leave the kiosk. " + ("●" * len(state.get("staff_pin", ""))))
    if locked:
        lock_clock()
    elif state.get("staff_feedback"):
        st.error(md_escape(state["staff_feedback"]), icon=":material/error:")
    # Addresses are shown as code: Markdown would make links of them, and a link is a way out.
    for problem in settings_problems:
        st.error(f"Kiosk setting ignored (its default is in use): {words_with_addresses(problem)}.")
    asked = st.query_params.get(authority.KEY)  # the kiosk ignores ?la=: staff are told, visitors are not
    if asked is not None and resolve(asked, authority.held(), authority.aliases()[0]) != place.code:
        pin = os.environ.get("EXPLORER_LA", "").strip() or None
        st.warning(md_escape(kiosk_address_words(asked, place.name, pin)), icon=":material/location_on:")
    warning = qr_address(settings.public_url, st.context.url).warning
    if warning:
        st.warning(f"QR code: {words_with_addresses(warning)}", icon=":material/qr_code:")
    for row in ("123", "456", "789", "0"):
        for col, key in zip(st.columns(3), row, strict=False):
            col.button(key, key=f"pin_{key}", on_click=staff_press, args=(key,), width="stretch", disabled=bool(locked))
    delete, cancel = st.columns(2)
    delete.button("Delete", key="pin_delete", on_click=staff_press, args=("Delete",), width="stretch",
                  disabled=bool(locked))
    cancel.button("Cancel", key="pin_cancel", on_click=start_again, width="stretch")


@st.fragment(run_every=1)
def lock_clock() -> None:
    left = cache.pin_guard(kiosk_id()).seconds_left(time.monotonic())
    if not left:
        st.rerun(scope="app")
    st.error(f"{PIN_TRIES} wrong numbers in a row: the number pad is locked. Try again in {left} seconds.",
             icon=":material/lock:")


def trouble() -> None:
    st.title("Sorry, something went wrong", anchor=False)
    st.markdown("This screen had a problem. Tap Start again, or tell a member of library staff.")
    st.button("Start again", key="trouble_restart", icon=":material/restart_alt:", on_click=start_again,
              type="primary", width="stretch")


st.button(area_views.banner(place), key="kiosk_banner", on_click=tap_banner)
SCREENS = {"attract": attract, "find": find_area, "area": my_area, "staff": staff, "trouble": trouble}
if screen == "staff_exit":
    state.clear()
    st.markdown("Leaving the kiosk…")
    st.html("<script>location.replace(location.origin + location.pathname.replace(/kiosk\\/?$/, ''));</script>",
            unsafe_allow_javascript=True)
elif screen in SCREENS and (screen != "area" or state.get("ward") in names):
    top = st.empty()
    try:
        with top.container():
            SCREENS[screen]()
        # The map's place is the same on every screen, so its frame is kept (see map_box).
        with st.container(key="kiosk_map"):
            map_box()
    except Exception:  # noqa: BLE001 - a visitor must never see a traceback or an error page
        LOG.exception("kiosk: the %s screen failed", screen)
        top.empty()
        with top.container():
            trouble()
else:
    state.clear()
    st.rerun()
