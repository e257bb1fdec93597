"""Ward-level inequality explorer for any English authority: the router.

Pages live in pages/; logic in explorer/ and geo/.
"""

from pathlib import Path
from urllib.parse import urlsplit

import streamlit as st

from pages import _authority as authority
from pages._url import HomePage

# The favicon is the app's own file: a Material or emoji icon here (or, without one, the default page's icon)
# makes the browser fetch it from a font CDN, which must never happen.
FAVICON = str(Path(__file__).parent / "static" / "favicon.png")
kiosk = urlsplit(st.context.url or "").path.rstrip("/").endswith("/kiosk")
# The embed (pages/embed.py): one view inside another site's page, with no menu or picker; it reads ?la= itself.
embed = urlsplit(st.context.url or "").path.rstrip("/").endswith("/embed")
# The local authority: ?la= (code or name), the picker, or EXPLORER_LA; decided before anything is drawn.
choice, held = authority.decide(kiosk)
st.set_page_config(page_title=f"{held[choice.code]} inequality explorer", page_icon=FAVICON, layout="wide")
# url_path matches each file name. The home page answers at "/" and at /city_map (see HomePage); its menu name
# follows the authority ("City map" where its pack calls it a city, else "Ward map": explorer/models/places.py).
pages = [
    HomePage("pages/city_map.py", title=authority.map_title(choice.code), icon=":material/map:", url_path="city_map",
             default=True),
    st.Page("pages/ward_profile.py", title="Ward profile", icon=":material/location_on:", url_path="ward_profile"),
    st.Page("pages/compare.py", title="Compare", icon=":material/compare_arrows:", url_path="compare"),
    st.Page("pages/my_area.py", title="My area", icon=":material/home:", url_path="my_area"),
    st.Page("pages/priorities.py", title="Plan priorities", icon=":material/flag:", url_path="priorities"),
    st.Page("pages/about.py", title="About the data", icon=":material/info:", url_path="about"),
    st.Page("pages/accessibility.py", title="Accessibility", icon=":material/accessibility:", url_path="accessibility"),
    # The library kiosk: opened by its own address only, with no menu, so a visitor cannot wander off.
    st.Page("pages/kiosk.py", title="Library kiosk", icon=":material/touch_app:", url_path="kiosk",
            visibility="hidden"),
    # One view (a ward map, a ward's card or the gap chart) for other sites' pages: hidden from the menu.
    st.Page("pages/embed.py", title="Embedded view", icon=":material/code:", url_path="embed", visibility="hidden"),
]
# The picker is drawn before the menu: a widget drawn after st.navigation belongs to the page, and changing it
# reruns only the page, not this router that decides the authority.
if not embed:
    authority.show(choice, held, kiosk)
page = st.navigation(pages, position="hidden" if kiosk or embed else "sidebar")
authority.follow(page)  # after a switch with the picker, the page opens afresh: the old authority's wards go
# Shared accessibility fixes: captions dark enough for WCAG AA (Streamlit fades them to 3.9:1) and a focus ring
# that is always visible for keyboard users. Every page but the kiosk also gets one Back step per choice
# (static/history.js) and our own words when the server cannot be reached (static/connection.js); the kiosk keeps
# nothing in the address and has its own cover (static/kiosk.js). Every page, the kiosk too, hides the icons beside
# words from screen readers (static/icons.js). One element, so no extra gap.
STYLE = ("<style>[data-testid=stCaptionContainer] {opacity:1 !important; color:#4a4a4a !important}"
         " :focus-visible {outline:3px solid #1a4f8b !important; outline-offset:2px}</style>")
ICONS = '<script src="/app/static/icons.js"></script>'
if kiosk:
    st.html(STYLE + ICONS, unsafe_allow_javascript=True)
elif embed:  # no Back steps: inside another site's page they would be that page's history
    st.html(STYLE + ICONS + '<script src="/app/static/connection.js"></script>', unsafe_allow_javascript=True)
else:
    # static/connection.js: a plain "cannot be reached" cover instead of Streamlit's "Connection error" dialog.
    st.html(STYLE + ICONS + '<script src="/app/static/history.js"></script>'
            '<script src="/app/static/connection.js"></script>', unsafe_allow_javascript=True)
page.run()
