"""The floor for "page open to map drawn": a page holding nothing but the same ward map (bench only).

Whatever this takes is Streamlit's and streamlit-folium's own start-up on this machine,
which no change to the explorer's pages can remove.
"""

import streamlit as st
from streamlit_folium import st_folium

from explorer.models.webmap import choropleth_map
from pages import _cache as cache

st.set_page_config(layout="wide")
_, _, areas = cache.ward_layer("imd25_score")
fmap = choropleth_map(areas, cache.layer("wards").total_bounds, layer_name="Wards")
st_folium(fmap, height=560, use_container_width=True, returned_objects=[], key="city_map")
