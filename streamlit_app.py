"""Coventry inequality explorer: the router. Pages live in pages/; logic in explorer/ and geo/."""

from pathlib import Path

import streamlit as st

# The favicon is the app's own file: a Material or emoji icon here (or, without one, the default page's icon)
# makes the browser fetch it from a font CDN, which must never happen.
FAVICON = str(Path(__file__).parent / "static" / "favicon.png")
st.set_page_config(page_title="Coventry inequality explorer", page_icon=FAVICON, layout="wide")

# url_path matches each file name: Streamlit still reads pages/ the old way on a first visit, and a
# different path shows "Page not found" before st.navigation takes over.
pages = [
    st.Page("pages/city_map.py", title="City map", icon=":material/map:", url_path="city_map", default=True),
    st.Page("pages/ward_profile.py", title="Ward profile", icon=":material/location_on:", url_path="ward_profile"),
    st.Page("pages/compare.py", title="Compare", icon=":material/compare_arrows:", url_path="compare"),
]
st.navigation(pages).run()
