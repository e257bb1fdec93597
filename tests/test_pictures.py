"""Maps and charts as pictures: the picture and the screen never disagree on a class or colour, and each carries
its title, legend, period and source (issue 25, item 2)."""

import html
import io
import json
import re

import pytest
from PIL import Image

from explorer.models import authority_series, compare_views, gap_time, map_views, plan_views
from explorer.models.pictures import MAP_SIZE, chart_picture, chart_spec
from explorer.models.webmap import bivariate_features, feature_collection
from explorer.places import PlaceKey, Sources, open_place
from explorer.stats.classify import NO_DATA_COLOUR
from tests.conftest import BIRMINGHAM, CITY_OF_LONDON, COVENTRY, PACKS

AREA = re.compile(r'<g id="area-([^"]+)">\s*<path .*?style="fill: (#[0-9a-f]{6});[^"]*?(stroke-dasharray[^"]*)?"',
                  re.S)


@pytest.fixture(scope="module")
def places(national_built):
    sources = Sources(national_built[0], PACKS)
    return {code: open_place(PlaceKey(code, str(national_built[0]), str(PACKS)), sources)
            for code in (COVENTRY, BIRMINGHAM, CITY_OF_LONDON)}


def fills_in_svg(svg: str) -> dict[str, tuple[str, bool]]:
    """Each area's fill colour and whether its outline is dashed (no data), read from a map picture's SVG."""
    return {code: (fill, bool(dashed)) for code, fill, dashed in AREA.findall(svg)}


def fills_on_screen(areas: dict) -> dict[str, tuple[str, bool]]:
    """Each area's fill and no-data flag as the web map draws it (the GeoJSON its style function reads)."""
    return {f["properties"]["code"]: (f["properties"]["fill"].lower(), f["properties"]["nodata"])
            for f in areas["features"]}


def text_of(svg: str) -> str:
    """Every word an SVG writes, entities decoded, runs of white space as one."""
    texts = [re.sub(r"<[^>]+>", " ", inner) for inner in re.findall(r"<text[^>]*>(.*?)</text>", svg, re.S)]
    return " ".join(html.unescape(" ".join(texts)).split())


@pytest.mark.parametrize(("code", "indicator"), [
    (COVENTRY, "imd25_pct_d1"),  # a rate (a share of residents)
    (COVENTRY, "flytipping_fms"),  # a rate per 1,000 residents, with its hot streets
    (COVENTRY, "cilif_children"),  # a count
    (BIRMINGHAM, "imd25_pct_d1"),
    (BIRMINGHAM, "uc_households"),  # a count over a count: households per 100 addresses
])
def test_ward_map_picture_colours_every_ward_as_the_web_map(places, code, indicator):
    place = places[code]
    table, view, areas = map_views.ward_layer(place, indicator)
    picture = map_views.map_picture(place, indicator, False, ())
    drawn, screen = fills_in_svg(picture.svg), fills_on_screen(areas)
    assert len(screen) == len(place.ward_shapes) and drawn == screen
    words = text_of(picture.svg)
    ind = place.registry[indicator]
    for label, n in zip(view.classes.labels, view.classes.counts, strict=True):
        assert f"{label} ({n} area{'s' if n != 1 else ''})" in words
    assert f"No data ({view.no_data_count})" in words
    for needed in (place.name, ind.label, f"Period: {ind.period}.", f"Source: {ind.source}.", "Crown copyright"):
        assert needed in words
    for colour in view.classes.colours:  # each legend swatch is drawn in its class's colour
        assert re.search(rf'<g id="legend-{colour}">\s*<path .*?fill: {colour.lower()};', picture.svg, re.S)


def test_neighbourhood_picture_matches_the_neighbourhood_layer(places):
    place = places[COVENTRY]
    geography = map_views.small_geography(place, "imd25_score")
    screen = fills_on_screen(feature_collection(place.layer(geography),
                                                map_views.small_view(place, "imd25_score", geography)))
    picture = map_views.map_picture(place, "imd25_score", True, ())
    assert len(screen) > 150 and fills_in_svg(picture.svg) == screen
    assert "with ward boundaries" in text_of(picture.svg)


@pytest.mark.parametrize(("code", "indicator"), [(COVENTRY, "le_male"), (BIRMINGHAM, "imd25_income")])
def test_bivariate_picture_colours_every_area_as_the_web_map(places, code, indicator):
    place = places[code]
    shapes, classes = compare_views._bivariate_classes(place, indicator)[1::4]
    screen = fills_on_screen(bivariate_features(shapes, classes["colour"], {}))
    picture = compare_views.bivariate_picture(place, indicator)
    assert len(screen) == len(shapes) and fills_in_svg(picture.svg) == screen
    words = text_of(picture.svg)
    assert "most deprived, worst" in words
    assert f"source: {place.registry[indicator].source}." in words


def test_missing_wards_are_grey_dashed_and_counted(places):
    place = places[CITY_OF_LONDON]  # 20 of its 25 wards have no neighbourhood assigned, so no figures
    view = map_views.ward_layer(place, "imd25_score")[1]
    picture = map_views.map_picture(place, "imd25_score", False, ())
    assert fills_in_svg(picture.svg) == fills_on_screen(map_views.ward_layer(place, "imd25_score")[2])
    drawn = fills_in_svg(picture.svg)
    missing = {code for code, value in view.values.items() if value != value}
    assert missing and all(drawn[code] == (NO_DATA_COLOUR, True) for code in missing)
    assert f"No data ({len(missing)})" in text_of(picture.svg)


def test_map_png_opens_at_its_stated_size(places):
    picture = map_views.map_picture(places[COVENTRY], "imd25_score", False, ())
    image = Image.open(io.BytesIO(picture.png))
    assert image.format == "PNG" and image.size == MAP_SIZE == (picture.width, picture.height)


def test_point_layers_are_drawn_and_named(places):
    place = places[COVENTRY]
    keys = tuple(map_views.points(place, "flytipping_fms"))
    picture = map_views.map_picture(place, "flytipping_fms", False, keys)
    words = text_of(picture.svg)
    assert "Fly-tipping hot street" in words and "hot streets" in " ".join(map_views.point_notes(place, keys))


def test_series_chart_picture_carries_its_title_and_source(places):
    place = places[COVENTRY]
    series_id = place.registry["le_female"].city_series
    view = plan_views.series(place, series_id)
    picture = plan_views.series_picture(place, series_id)
    words = text_of(picture.svg)
    assert f"{place.name}: {view.title}" in words
    assert " ".join(view.caption.split()) in words and "Made with the ward-level inequality explorer." in words
    image = Image.open(io.BytesIO(picture.png))
    assert image.size == (picture.width, picture.height) and picture.width >= 2 * 640


def test_a_trend_picture_writes_every_period_and_its_key_below_its_heading(places):
    """On screen a tooltip gives each point's period and the axis may hide labels that would collide; on paper the
    tester found periods skipped. Every period is written, and the key sits under the plot, not above the heading."""
    place = places[BIRMINGHAM]
    view = next(v for v in authority_series.authority_series(place) if v.id == "le_birth_male")
    periods = view.chart["encoding"]["x"]["sort"]
    assert len(periods) > 12
    svg = authority_series.series_picture(place, "le_birth_male").svg
    shown = {html.unescape(t) for t in re.findall(r'<text(?![^>]*opacity="0")[^>]*>([^<]*)</text>', svg)}
    assert set(periods) <= shown, sorted(set(periods) - shown)  # Vega keeps a hidden label, at opacity 0
    spec = json.dumps(chart_spec(view.chart, heading="", notes=[]))
    assert '"orient": "top"' in json.dumps(view.chart) and '"orient": "top"' not in spec


def test_gap_chart_picture_carries_its_title_and_source(places):
    place = places[BIRMINGHAM]
    series = gap_time.series_of(place, "uc_households")
    view = gap_time.gap_over_time(place, series)
    words = text_of(gap_time.gap_picture(place, series).svg)
    assert f"The gap in {view.label} in Birmingham over time" in words
    assert "Source:" in words and "Made with the ward-level inequality explorer." in words
    assert "Open Government Licence v3.0" in words  # the attribution the licence requires, on every picture


def test_every_picture_ends_with_the_licences_attribution_crediting_only_what_it_shows(places):
    """The tester found chart pictures without any licence: each now ends with export.attribution's line. Then a
    life expectancy chart credited FixMyStreet and the council: each is credited only where the picture's own
    sources name it."""
    birmingham, coventry = places[BIRMINGHAM], places[COVENTRY]
    for picture in (compare_views.gap_picture(birmingham, "le_male", 5),
                    authority_series.series_picture(birmingham, "le_birth_male")):
        words = text_of(picture.svg)
        assert "Contains public sector information licensed under the Open Government Licence v3.0" in words
        assert "City Council data" not in words  # Birmingham brings no pack of its own
    words = text_of(map_views.map_picture(coventry, "flytipping_fms", False, ()).svg)
    assert "FixMyStreet data © mySociety, ODC-By 1.0." in words and "Coventry City Council data" not in words
    words = text_of(compare_views.gap_picture(coventry, "le_male", 5).svg)
    assert "Contains public sector information" in words and "FixMyStreet" not in words
    words = text_of(map_views.map_picture(coventry, "iod_air_quality", True, ()).svg)
    assert "republished by Coventry City Council" in words and "Contains Coventry City Council data." in words


def test_a_chart_picture_reads_only_its_own_rows():
    spec = {"data": {"url": "https://example.com/rows.csv"}, "mark": "point"}
    with pytest.raises(ValueError, match="inline"):
        chart_picture(spec, heading="x", notes=["y"], publisher="")
    inline = chart_spec({"data": {"values": [{"a": 1}]}, "mark": "point", "encoding": {"x": {"field": "a"}}},
                        heading="Heading", notes=["Source: here."])
    assert inline["vconcat"][0]["vconcat"][0]["data"] == {"values": [{"a": 1}]}


def test_the_city_map_draws_its_picture_only_when_asked(national_built, monkeypatch):
    """A rerun draws no picture (tens to hundreds of ms): the button draws it, then PNG and SVG are offered."""
    from streamlit.testing.v1 import AppTest

    from pages import _cache as cache
    from tests.conftest import REPO

    monkeypatch.setenv("EXPLORER_STORE_DIR", str(national_built[0]))
    monkeypatch.delenv("EXPLORER_LA", raising=False)
    at = AppTest.from_file(str(REPO / "streamlit_app.py"), default_timeout=120)
    at.run()
    at.selectbox(key="indicator").select("imd25_income").run()
    assert not at.exception, at.exception
    place = cache.open_code(COVENTRY)
    drawn = lambda: [k for k in place.memo if k[0] == "picture"]  # noqa: E731
    labels = lambda: [d.proto.label for d in at.get("download_button")]  # noqa: E731
    assert drawn() == [] and not any("PNG" in label for label in labels())
    at.button(key="pic_map").click().run()
    assert drawn() == [("picture", "map_imd25_income_wards_")]
    assert {"Download this map (PNG, 1200×900)", "Download this map (SVG)"} <= set(labels())
    at.selectbox(key="indicator").select("imd25_score").run()  # another view: nothing drawn for it
    assert drawn() == [("picture", "map_imd25_income_wards_")] and at.button(key="pic_map").label.startswith("Make")


SCREEN_WORDS = re.compile(r"\b(?:point at|hover|click|tap|scroll|chosen above|shown below|named in the table)\b|"
                          r"(?<!page )About the data\.", re.I)


@pytest.mark.parametrize("code", [COVENTRY, BIRMINGHAM])
def test_every_pictures_words_make_sense_on_paper(places, code):
    """The scatter picture said "point at any dot for its ward and figures": a PNG has no tooltip. Each picture
    writes its own words, with nothing to point at, click or look above or below for."""
    from explorer.models import profile_views

    place = places[code]
    names = tuple(sorted(place.wards["name"])[:2])
    pictures = {"map": lambda: map_views.map_picture(place, "imd25_score", False, ()),
                "groups": lambda: compare_views.gap_picture(place, "le_male", 5),
                "scatter": lambda: compare_views.scatter_picture(place, "le_male", names),
                "bivariate": lambda: compare_views.bivariate_picture(place, "le_male"),
                "series": lambda: authority_series.series_picture(place, "le_birth_male"),
                "spine": lambda: profile_views.spine_picture(place, sorted(place.wards["code"])[0]),
                "gap_time": lambda: gap_time.gap_picture(place, gap_time.series_of(place, "uc_households"))}
    if place.has("series"):
        pictures["pack_series"] = lambda: plan_views.series_picture(place, "cilif_children")
    found = {key: SCREEN_WORDS.findall(text_of(draw().svg)) for key, draw in pictures.items()}
    assert not any(found.values()), found
    words = text_of(pictures["scatter"]().svg)
    assert "The two wards being compared are the large orange diamonds, named." in words
    assert "About the data" in text_of(pictures["groups"]().svg)  # the reference stays, as the explorer's page


def names_in_svg(svg: str) -> dict[str, str]:
    """Each area named on a map picture: its code (the group's id, ``name-<code>``) and the words written."""
    import xml.etree.ElementTree as ET

    groups = ET.fromstring(svg).iter("{http://www.w3.org/2000/svg}g")
    return {g.get("id").removeprefix("name-"): " ".join("".join(g.itertext()).split())
            for g in groups if (g.get("id") or "").startswith("name-")}


@pytest.mark.parametrize("code", [COVENTRY, BIRMINGHAM])
def test_a_map_picture_names_its_wards_or_says_how_many_had_no_room(places, code):
    """A map on paper has no tooltip: the tester found no ward names in the picture. Each ward is named, or the
    picture says how many names were left off; the legend's heading is the indicator, its unit once, below."""
    place = places[code]
    svg = map_views.map_picture(place, "imd25_score", False, ()).svg
    named = names_in_svg(svg)
    wards = dict(zip(place.ward_shapes["code"], place.ward_shapes["name"], strict=True))
    assert named == {code: wards[code] for code in named}  # each name written in its own ward's group
    left = re.search(r"(\d+) of (\d+) names are left off the map", text_of(svg))
    missing = len(place.ward_shapes) - len(named)
    assert (int(left[1]), int(left[2])) == (missing, len(place.ward_shapes)) if missing else left is None
    if code == COVENTRY:
        assert missing == 0  # 18 wards: every name has room
    assert len(named) >= 0.6 * len(place.ward_shapes), f"only {len(named)} of {len(place.ward_shapes)} named"
    label = place.registry["imd25_score"].label
    assert f"{label} (score)" not in text_of(svg) and label in text_of(svg)
    ends = map_views.ends_of(map_views.ward_layer(place, "imd25_score")[0])
    assert len(ends) == 6 and set(ends) <= set(named), [wards[c] for c in ends if c not in named]  # both ends named


def test_the_ends_of_the_scale_come_first_alternately_from_the_top():
    import pandas as pd

    table = pd.DataFrame({"code": list("abcdefgh"), "value": [5, 1, 8, None, 3, 7, 2, 6]})
    assert map_views.ends_of(table) == ["c", "b", "f", "g", "h", "e"]
