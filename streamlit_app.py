"""Coventry inequality explorer: the router. Pages live in pages/; logic in explorer/ and geo/."""

import streamlit as st

st.set_page_config(page_title="Coventry inequality explorer", page_icon="🗺️", layout="wide")

pages = [
    st.Page("pages/city_map.py", title="City map", icon="🗺️", url_path="map", default=True),
]
st.navigation(pages).run()
