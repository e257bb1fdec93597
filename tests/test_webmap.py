"""The folium map loads nothing from the internet and escapes every tooltip."""

import re

import pandas as pd

from explorer.models.citymap import MapView
from explorer.models.webmap import LEAFLET_JS, choropleth_map, feature_collection, legend_html
from explorer.pipeline.store import read_layer
from explorer.stats.classify import classify
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


def test_ward_links_open_app_pages_only_and_are_escaped():
    import pytest

    wards, view = small_view()
    code = wards["code"].iloc[1]
    links = {code: ("/ward_profile?ward=St+Michael%27s", "Open the <St Michael's> ward profile")}
    features = feature_collection(wards, view, links)["features"]
    assert features[1]["properties"]["link"] == (
        '<a class="app-link" href="/ward_profile?ward=St+Michael%27s" target="_top">'
        "Open the &lt;St Michael&#x27;s&gt; ward profile</a>")
    assert features[0]["properties"]["link"] == ""
    page = choropleth_map(feature_collection(wards, view, links), wards.total_bounds, layer_name="Wards",
                          names=wards).get_root().render()
    assert "bindPopup" in page and "a.app-link[target=_top]" in page and page.count('"className": "area-name"') == 18
    plain = choropleth_map(feature_collection(wards, view), wards.total_bounds, layer_name="Wards")
    assert "bindPopup" not in plain.get_root().render()
    for outside in ("https://example.org/ward_profile", "//example.org/x", "javascript:alert(1)"):
        with pytest.raises(ValueError, match="app's own server"):
            feature_collection(wards, view, {code: (outside, "x")})


def test_every_map_document_sets_its_own_limits_wheel_and_reading_order():
    """folium hands min_zoom and max_zoom to a tile layer, so with tiles=None the map had no limits at all:
    the map's own script must set them, from the area's box, for every kind of map the app draws."""
    import json

    from explorer.models.kioskmap import kiosk_map_document
    from explorer.models.webmap import map_document, picker_features

    wards, view = small_view()
    lsoas = read_layer(PROCESSED, "lsoa21").iloc[:7]
    documents = {
        "wards": (map_document(choropleth_map(feature_collection(wards, view), wards.total_bounds, layer_name="W")),
                  wards.total_bounds),
        "picker": (map_document(choropleth_map(picker_features(wards, ""), wards.total_bounds, layer_name="W")),
                   wards.total_bounds),
        "a ward's neighbourhoods": (map_document(choropleth_map(
            feature_collection(lsoas, MapView(pd.Series(1.0, index=lsoas["code"]),
                                              classify(pd.Series([1.0]), "higher_is_worse", 0), {})),
            lsoas.total_bounds, layer_name="N")), lsoas.total_bounds),
        "kiosk": (kiosk_map_document(wards, [], None, "Coventry", "Whole city"), wards.total_bounds),
    }
    for kind, (document, (minx, miny, maxx, maxy)) in documents.items():
        box = json.dumps([[float(miny), float(minx)], [float(maxy), float(maxx)]])
        assert f", {box}, " in document, kind  # the area's box, handed to the map's own limits
        assert "map.options.minZoom = least" in document and "wheel.disable()" in document, kind
        assert "forced-color-adjust:none" in document, kind
        assert 'container.setAttribute("role", "region")' in document, kind
        assert document.count('<html lang="en">') == 1 and "<title>" in document, kind
