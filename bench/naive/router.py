"""The naive variant's router (copied to a temporary folder as streamlit_app.py by bench/run.py).

The city map is the naive one; the profile and compare pages are the app's own, run with
Streamlit's defaults (a full garbage collection after every run).
"""

import os
from pathlib import Path

import streamlit as st

REPO = Path(os.environ["BENCH_REPO"])
st.set_page_config(page_title="Coventry inequality explorer (naive variant)", layout="wide")
page = st.navigation([
    st.Page(REPO / "bench" / "naive" / "city_map.py", title="City map", url_path="city_map", default=True),
    st.Page(REPO / "pages" / "ward_profile.py", title="Ward profile", url_path="ward_profile"),
    st.Page(REPO / "pages" / "compare.py", title="Compare", url_path="compare"),
])
page.run()
