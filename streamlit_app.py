"""Coventry inequality explorer: the router. Pages live in pages/; logic in explorer/ and geo/."""

import streamlit as st

st.set_page_config(page_title="Coventry inequality explorer", page_icon=":material/map:", layout="wide")

# url_path matches each file name: Streamlit still reads pages/ the old way on a first visit, and a
# different path shows "Page not found" before st.navigation takes over.
pages = [
    st.Page("pages/city_map.py", title="City map", icon=":material/map:", url_path="city_map", default=True),
    st.Page("pages/ward_profile.py", title="Ward profile", icon=":material/location_on:", url_path="ward_profile"),
]
st.navigation(pages).run()
