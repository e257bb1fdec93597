"""The city map done the naive way, for comparison only (never served by the app).

What a first Streamlit + folium version typically does: read the full-resolution
boundaries and rebuild every table, class break and map on every rerun, and let
st_folium return every map event (so each pan and zoom re-runs this script).
"""

import geopandas as gpd
import pandas as pd
import streamlit as st
from streamlit_folium import st_folium

from explorer import paths
from explorer.models.citymap import small_area_view, ward_table, ward_view
from explorer.models.webmap import choropleth_map, feature_collection, legend_html, outline_of
from explorer.registry import load_registry

data, processed = paths.data_dir(), paths.processed_dir()
registry = load_registry(data / "registry" / "indicators.csv")
values = pd.read_csv(processed / "values.csv", dtype={"code": str})
wards = pd.read_csv(processed / "wards.csv")
shapes = gpd.read_file(data / "raw" / "boundaries" / "coventry_wards_wd19_fullres.geojson").to_crs(4326)
shapes = shapes.rename(columns={"wd19cd": "code", "wd19nm": "name"})
shapes = shapes[shapes["code"].isin(wards["code"])]

st.title("Coventry ward map (naive)")
indicators = [ind for ind in registry.values() if ind.on_ward_map]
themes = list(dict.fromkeys(ind.theme for ind in indicators))
left, right = st.columns(2)
theme = left.selectbox("Theme", themes, key="theme")
ind = registry[right.selectbox("Indicator", [i.id for i in indicators if i.theme == theme],
                               format_func=lambda key: registry[key].label, key="indicator")]
show_small = st.toggle("Show neighbourhoods", key="small_areas", value=st.query_params.get("small_areas") == "true")
table = ward_table(values, wards, ind, "Coventry")
view = ward_view(table, ind)
areas, outline = feature_collection(shapes, view), None
if show_small:
    small = registry[ind.small_area_id]
    geography = "lsoa21" if small.geography == "grid1km" else small.geography
    raw = {"lsoa21": ("coventry_lsoa21.geojson", "LSOA21CD", "LSOA21NM"),
           "lsoa11": ("coventry_lsoa11.geojson", "LSOA11CD", "LSOA11NM"),
           "msoa11": ("coventry_msoa11.geojson", "MSOA11CD", "MSOA11NM")}[geography]
    small_shapes = gpd.read_file(data / "raw" / "boundaries" / raw[0]).to_crs(4326)
    small_shapes = small_shapes.rename(columns={raw[1]: "code", raw[2]: "name"})
    view = small_area_view(values, small_shapes, small, geography)
    areas, outline = feature_collection(small_shapes, view), outline_of(shapes)
fmap = choropleth_map(areas, shapes.total_bounds, layer_name="Areas", outline=outline)
st_folium(fmap, height=560, use_container_width=True, key="city_map")
st.markdown(legend_html(ind.label, view, [ind.period, ind.source]), unsafe_allow_html=True)
st.dataframe(table, hide_index=True)
