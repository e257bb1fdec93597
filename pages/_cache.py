"""The one place Streamlit caching meets the data: each file is read once per server process.

Loaders raise ``DataError`` (never cached), so a page can show the message and
a repaired file is picked up on the next rerun.
"""

from __future__ import annotations

import geopandas as gpd
import pandas as pd
import streamlit as st

from explorer import paths, store
from explorer.registry import Indicator, load_registry
from geo.vintages import WardVintage, current_vintage, load_vintages
from geo.webmap import lean_geometry


@st.cache_resource(show_spinner=False)
def registry() -> dict[str, Indicator]:
    return load_registry(paths.data_dir() / "registry" / "indicators.csv")


@st.cache_resource(show_spinner=False)
def vintages() -> tuple[list[WardVintage], WardVintage]:
    found = load_vintages(paths.data_dir() / "registry" / "ward_vintages.csv")
    return found, current_vintage(found)


@st.cache_resource(show_spinner=False)
def table(name: str) -> pd.DataFrame:
    return store.read_table(paths.processed_dir(), name)


@st.cache_resource(show_spinner=False)
def layer(name: str) -> gpd.GeoDataFrame:
    return lean_geometry(store.read_layer(paths.processed_dir(), name))
