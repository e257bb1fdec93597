"""Library kiosk: attract screen, find my area (map, list or postcode keypad), my area, idle reset.

Everything lives in session state, never in the URL, so a reset (a fresh load of
/kiosk) leaves no trace of the last visitor. See static/kiosk.js for the idle timer.
"""

import html
import json
from pathlib import Path
from urllib.parse import urlsplit

import streamlit as st
from streamlit_folium import st_folium

from explorer.errors import DataError
from explorer.kiosk import KEYPAD_ROWS, phone_link, qr_svg_data_uri, type_key
from explorer.text import md_escape
from geo.postcodes import find
from geo.webmap import choropleth_map, make_touch_friendly
from pages import _cache as cache
from pages._area import show_area

STATIC = Path(__file__).resolve().parent.parent / "static"
STAFF_TAPS = 5
state = st.session_state
settings, settings_problems = cache.kiosk_settings()

st.html(STATIC / "kiosk.css")
# The idle timer is served as a file: Streamlit's sanitiser drops inline scripts that contain markup.
st.html(f"<script>window.KIOSK = {json.dumps({'idle': settings.idle_seconds, 'prompt': settings.prompt_seconds})};"
        '</script><script src="/app/static/kiosk.js"></script>', unsafe_allow_javascript=True)

core = cache.core_or_stop("Sorry, this screen is not working. Please tell a member of library staff.")
names = core.names
screen = state.setdefault("kiosk_screen", "attract")


def go(to: str, **values) -> None:
    state["kiosk_screen"] = to
    state.update(values)


def start_again() -> None:
    state.clear()


def tap_banner() -> None:
    state["staff_taps"] = state.get("staff_taps", 0) + 1
    if state["staff_taps"] >= STAFF_TAPS and settings.staff_pin:
        go("staff", staff_taps=0, staff_pin="", staff_tries=0)


def press(key: str) -> None:
    state["postcode"] = type_key(state.get("postcode", ""), key)
    state.pop("postcode_message", None)


def look_up() -> None:
    try:
        result = find(state.get("postcode", ""), cache.table("postcodes.csv"), names)
    except DataError:
        state["postcode_message"] = ("error", "Sorry, postcode search is not working. Try the map or the list.")
        return
    if result.ok:
        go("area", ward=result.ward, postcode="", postcode_message=None)
    else:
        state["postcode_message"] = ("warn", result.message)


def map_tap() -> None:
    clicked = (state.get("kiosk_map") or {}).get("last_active_drawing") or {}
    code = clicked.get("properties", {}).get("code")
    if code in names:
        go("area", ward=code)


def staff_press(key: str) -> None:
    if key == "Delete":
        state["staff_pin"] = state["staff_pin"][:-1]
        return
    state["staff_pin"] = (state["staff_pin"] + key)[:8]
    if state["staff_pin"] == settings.staff_pin:
        go("staff_exit")
    elif len(state["staff_pin"]) >= len(settings.staff_pin):
        state["staff_tries"] += 1
        state["staff_pin"] = ""
        if state["staff_tries"] >= 3:
            start_again()


st.button("Coventry: your area in numbers", key="kiosk_banner", on_click=tap_banner)

if screen == "attract":
    with st.container(key="kiosk_attract"):
        st.title("Touch to explore your area", anchor=False)
        st.markdown("Find out about life where you live in Coventry: money, health, air and parks, "
                    "and what is being done near you.")
        st.button("Start", key="kiosk_start", icon=":material/touch_app:", on_click=go, args=("find",),
                  type="primary", width="stretch")

elif screen == "find":
    st.title("Find your area", anchor=False)
    mode = state.setdefault("find_mode", "map")
    modes = {"map": ("Tap the map", ":material/map:"), "list": ("Pick from a list", ":material/list:"),
             "postcode": ("Type your postcode", ":material/dialpad:")}
    for col, (key, (label, icon)) in zip(st.columns(3), modes.items(), strict=True):
        col.button(label, key=f"mode_{key}", icon=icon, width="stretch", on_click=go, args=("find",),
                   kwargs={"find_mode": key}, type="primary" if key == mode else "secondary")
    if mode == "map":
        shapes = core.ward_shapes
        fmap = make_touch_friendly(choropleth_map(cache.picker(""), shapes.total_bounds,
                                                  layer_name="Wards"), shapes, shapes.total_bounds)
        st_folium(fmap, height=640, use_container_width=True, returned_objects=["last_active_drawing"],
                  key="kiosk_map", on_change=map_tap)
        st.markdown("**What the map shows.** Coventry's 18 wards, each with its name. Tap your area. "
                    "Use + and − to zoom, and Whole city to see all of Coventry again.")
    elif mode == "list":
        st.markdown("Tap your area.")
        codes = core.codes
        for start in range(0, len(codes), 3):
            for col, code in zip(st.columns(3), codes[start:start + 3], strict=False):
                col.button(names[code], key=f"ward_{code}", width="stretch", on_click=go, args=("area",),
                           kwargs={"ward": code})
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

elif screen == "area" and state.get("ward") in names:

    def way_on(where: str) -> None:
        another, again = st.columns(2)
        another.button("Look at another area", key=f"another_{where}", icon=":material/search:", on_click=go,
                       args=("find",), width="stretch", type="primary")
        again.button("Start again", key=f"restart_{where}", icon=":material/restart_alt:", on_click=start_again,
                     width="stretch")

    way_on("top")
    name = show_area(core, state["ward"])
    st.subheader("Take this page with you", anchor=False)
    here = urlsplit(st.context.url or "")
    base = settings.public_url or (f"{here.scheme}://{here.netloc}/" if here.netloc else None)
    if base:
        link = phone_link(base, name)
        qr_col, words_col = st.columns([1, 2])
        qr_col.html(f'<img class="kiosk-qr" src="{qr_svg_data_uri(link)}" '
                    f'alt="QR code that opens this page on your phone">')
        words_col.markdown("Point your phone's camera at the square to open this page on your phone. "
                           "The address is:")
        words_col.code(link, language=None, wrap_lines=True)
    way_on("bottom")

elif screen == "staff":
    st.title("Staff", anchor=False)
    st.markdown("Type the staff number to leave the kiosk. " + ("●" * len(state.get("staff_pin", ""))))
    for problem in settings_problems:
        st.error(f"Kiosk setting ignored (its default is in use): {md_escape(problem)}.")
    for row in ("123", "456", "789", "0"):
        for col, key in zip(st.columns(3), row, strict=False):
            col.button(key, key=f"pin_{key}", on_click=staff_press, args=(key,), width="stretch")
    delete, cancel = st.columns(2)
    delete.button("Delete", key="pin_delete", on_click=staff_press, args=("Delete",), width="stretch")
    cancel.button("Cancel", key="pin_cancel", on_click=start_again, width="stretch")

elif screen == "staff_exit":
    state.clear()
    st.markdown("Leaving the kiosk…")
    st.html("<script>location.replace(location.origin + location.pathname.replace(/kiosk\\/?$/, ''));</script>",
            unsafe_allow_javascript=True)

else:
    start_again()
    st.rerun()
