"""The folium map loads nothing from the internet and escapes every tooltip."""

import re

import pandas as pd

from explorer.citymap import MapView
from explorer.classify import classify
from explorer.store import read_layer
from geo.webmap import LEAFLET_JS, choropleth_map, feature_collection, legend_html
from tests.conftest import PROCESSED


def small_view():
    wards = read_layer(PROCESSED, "wards")
    values = pd.Series(range(18), index=wards["code"], dtype=float)
    values.iloc[0] = float("nan")
    tips = {code: f"<script>alert('{code}')</script>" for code in wards["code"]}
    return wards, MapView(values, classify(values, "higher_is_worse", 0), tips)


def test_map_html_loads_only_the_apps_own_leaflet():
    wards, view = small_view()
    fmap = choropleth_map(feature_collection(wards, view), wards.total_bounds, layer_name="Wards")
    page = fmap.get_root().render()
    assert LEAFLET_JS in page
    urls = re.findall(r"""(?:src|href)\s*=\s*["']([^"']+)""", page)
    assert urls and all(url.startswith("/app/static/") for url in urls), urls
    assert "tile.openstreetmap" not in page


def test_tooltips_are_escaped_and_no_data_is_dashed():
    wards, view = small_view()
    features = feature_collection(wards, view)["features"]
    assert all("<script>" not in f["properties"]["tip"] for f in features)
    assert "&lt;script&gt;" in features[1]["properties"]["tip"]
    assert features[0]["properties"]["nodata"] is True
    assert sum(f["properties"]["nodata"] for f in features) == 1


def test_legend_escapes_text_and_counts_no_data():
    _, view = small_view()
    html = legend_html("<b>title</b>", view, ["<i>note</i>"])
    assert "<b>title</b>" not in html and "&lt;i&gt;note&lt;/i&gt;" in html
    assert "No data <span class=\"n\">(1)</span>" in html
