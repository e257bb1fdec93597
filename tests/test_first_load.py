"""What a first visit carries on a slow connection: each cut is pinned here (the bench is smoke-tested apart).

The figures themselves (bytes and seconds on a slow connection) are measured by ``bench/first_load.py`` and
reported by ``make bench`` (its smoke run is in tests/test_bench.py); a timed test on a shared machine would only
be flaky, so none is asserted.
"""

import re

import pandas as pd
import shapely

from explorer.models.citymap import MapView
from explorer.models.kioskmap import kiosk_map_document
from explorer.models.webmap import choropleth_map, feature_collection, map_document, outline_of
from explorer.pipeline.store import read_layer
from explorer.stats.classify import classify
from geo.geojson import COORD_DECIMALS
from tests.conftest import PROCESSED

# The bytes of Coventry's ward map document (its 18 wards, tooltips, links and names; Leaflet is fetched apart).
# It was 143 KB with 16-decimal coordinates; rounded to 5 (about 1 m) it is about 90 KB.
WARD_MAP_BYTES = 105_000
KIOSK_MAP_BYTES = 100_000  # the kiosk's tap map: 151 KB before, about 91 KB now (and written without spaces)
# A GeoJSON position in Coventry, [longitude, latitude] (markers and bounds are [latitude, longitude]).
POSITION = re.compile(r"\[-1\.(\d+), ?52\.(\d+)\]")


def ward_map() -> str:
    """Coventry's ward map as the city map draws it: a real tooltip, a link and the name of every ward."""
    wards = read_layer(PROCESSED, "wards")
    values = pd.Series([10.0 + 2.5 * i for i in range(len(wards))], index=wards["code"])
    tips = {code: f"{name}<br>{v:.1f} (score)<br>rank 1 of 18 (1 = worst)<br>Coventry: 27.5 (score)<br>"
                  "Compared with Coventry: best fifth" for (code, name), v in zip(wards[["code", "name"]].values,
                                                                                   values, strict=True)}
    view = MapView(values, classify(values, "higher_is_worse", 0), tips)
    links = {code: (f"/ward_profile?ward={name}", f"Open the {name} ward profile")
             for code, name in wards[["code", "name"]].values}
    return map_document(choropleth_map(feature_collection(wards, view, links), wards.total_bounds,
                                       layer_name="Wards", names=wards))


def test_ward_map_sends_coordinates_to_about_a_metre_and_fits_its_size():
    document = ward_map()
    assert len(document.encode()) < WARD_MAP_BYTES, len(document.encode())
    decimals = [len(d) for pair in POSITION.findall(document) for d in pair]
    assert len(decimals) > 2000  # the wards' shapes are in it
    assert max(decimals) <= COORD_DECIMALS


def test_kiosk_map_sends_coordinates_to_about_a_metre_and_fits_its_size():
    wards = read_layer(PROCESSED, "wards")
    document = kiosk_map_document(wards, [], None, "Coventry", "Whole city")
    assert len(document.encode()) < KIOSK_MAP_BYTES, len(document.encode())
    decimals = [len(d) for pair in POSITION.findall(document) for d in pair]
    assert len(decimals) > 2000 and max(decimals) <= COORD_DECIMALS


def test_rounded_shapes_stay_within_a_metre_and_keep_shared_edges():
    """Rounding moves no point by more than half the last decimal (0.000005° is under 0.6 m), and two
    wards that share an edge still share it exactly: the map's accuracy is the 12 m simplification's."""
    wards = read_layer(PROCESSED, "wards")
    sent = outline_of(wards)["features"]
    for shape, feature in zip(wards.geometry.values, sent, strict=True):
        original = shapely.get_coordinates(shape)
        rounded = shapely.get_coordinates(shapely.geometry.shape(feature["geometry"]))
        assert original.shape == rounded.shape
        assert abs(original - rounded).max() <= 0.5 * 10**-COORD_DECIMALS + 1e-12
    points = [tuple(p) for f in sent for ring in f["geometry"]["coordinates"] for p in ring]
    assert len(points) - len(set(points)) > 100  # shared vertices meet on the same rounded point


def test_map_documents_fetch_nothing_from_another_host():
    wards = read_layer(PROCESSED, "wards")
    for document in (ward_map(), kiosk_map_document(wards, [], None, "Coventry", "Whole city")):
        urls = re.findall(r"""(?:src|href)\s*=\s*["']([^"']+)""", document)
        assert urls and all(url.startswith("/app/static/") or url.startswith("/ward_profile") for url in urls), urls
        assert not re.search(r"https?://|//cdn", document)  # no CDN address, nor any other host


def test_breakdown_names_each_request_kind():
    from bench.first_load import kind_of

    assert kind_of("http://127.0.0.1:8501/static/js/index.abc.js") == "Streamlit script"
    assert kind_of("http://127.0.0.1:8501/static/media/SourceSansVF-Upright.ttf.x.woff2") == "Streamlit font"
    assert kind_of("http://127.0.0.1:8501/app/static/vendor/leaflet/leaflet.js") == "vendored library (static/vendor)"
    assert kind_of("ws://127.0.0.1:8501/_stcore/stream") == "websocket (Streamlit messages)"
    assert kind_of("https://cdn.jsdelivr.net/npm/leaflet.js") == "other host (cdn.jsdelivr.net)"
    assert kind_of("http://127.0.0.1:8501/media/8498.xlsx") == "Streamlit media file (a download's content)"
    assert kind_of("http://127.0.0.1:8501/") == "page (HTML)"


def test_the_first_pages_draw_no_markdown_with_raw_html():
    """Markdown with raw HTML (``unsafe_allow_html=True``) makes the browser fetch Streamlit's rehype-raw script
    (184 KB, a sixth of the budget) on the first visit; the home page and the kiosk draw their HTML with st.html.
    (The kiosk's typed postcode is drawn only on the postcode screen, never on the first visit.)"""
    import ast
    from pathlib import Path

    for page, allowed in (("pages/city_map.py", 0), ("streamlit_app.py", 0), ("pages/kiosk.py", 1)):
        tree = ast.parse((Path(__file__).resolve().parent.parent / page).read_text(encoding="utf-8"))
        raw = [node.lineno for node in ast.walk(tree) if isinstance(node, ast.Call)
               for kw in node.keywords if kw.arg == "unsafe_allow_html"]
        assert len(raw) <= allowed, (page, raw)
