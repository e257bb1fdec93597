"""Charts: valid Vega-Lite, units never cut, labels horizontal, the chosen wards marked."""

import copy

import pandas as pd
import pytest
from altair.utils.schemapi import validate_jsonschema
from altair.vegalite.v6.schema.core import load_schema

from explorer.models import charts
from explorer.models.compare import default_indicator
from explorer.models.profile import profile_table, spine_frame
from explorer.models.series import series_table
from explorer.models.views import gap_view, series_view
from explorer.stats.gaps import marmot_gap
from tests.conftest import PROCESSED

SCHEMA = load_schema()  # the Vega-Lite schema Altair ships (the version Streamlit draws)


@pytest.fixture(scope="module")
def series():
    return pd.read_csv(PROCESSED / "series.csv")


@pytest.mark.slow  # every ward's chart
def test_every_ward_spine_chart_is_valid_vega_lite(registry, values, wards):
    for code, name in zip(wards["code"], wards["name"], strict=True):
        spec = charts.spine(spine_frame(profile_table(code, registry, values), registry), name)
        validate_jsonschema(spec, SCHEMA)
        labels = [row["label"] for row in spec["data"]["values"]]
        # A count is described, never set against the city on the spine (its "city" figure is a total).
        assert len(labels) == sum(ind.on_ward_map and not ind.is_count for ind in registry.values())
        # Labels are written above the bars, across the chart's width: no label column to squeeze a phone.
        text = next(layer for layer in spec["layer"] if layer["mark"]["type"] == "text")
        assert text["mark"]["limit"] == {"expr": "width"} and text["encoding"]["text"] == {"field": "label"}


def test_every_city_series_chart_has_its_whole_unit_above_and_a_y_scale(series):
    for key in series["series"].unique():
        view = series_view(series, key)
        spec = view.chart
        validate_jsonschema(spec, SCHEMA)
        unit = series.loc[series["series"] == key, "unit"].iloc[0]
        assert " ".join(spec["title"]["text"]) == unit  # wrapped, never cut
        assert all(len(line) <= charts.TITLE_CHARS for line in spec["title"]["text"])
        y = spec["encoding"]["y"]
        assert y["title"] is None and y["axis"]["labelLimit"] == 0 and y["scale"]["zero"] is False
        assert spec["encoding"]["x"]["axis"]["labelAngle"] == 0  # never rotated


def test_counts_get_whole_number_ticks(series):
    spec = charts.trend(series_table(series, "imd_decile1_lsoas"), "neighbourhoods", "t")
    assert spec["encoding"]["y"]["axis"]["format"] == ",d" and spec["encoding"]["y"]["axis"]["tickMinStep"] == 1
    assert [row["value"] for row in spec["data"]["values"]] == [36, 28, 36]
    assert spec["encoding"]["color"]["legend"] is None  # one line needs no key
    spec = charts.trend(series_table(series, "le_birth_male"), "years", "t")
    assert spec["encoding"]["y"]["axis"]["format"] == ",~f" and spec["encoding"]["color"]["legend"] is not None


def test_gap_chart_titles_are_whole_and_group_labels_horizontal(registry, values):
    lookups = pd.read_csv(PROCESSED / "lookups.csv")
    weights = pd.read_csv(PROCESSED / "lsoa_weights.csv")
    ind = registry["le_male"]
    spec = gap_view(marmot_gap(ind, values, lookups, weights, registry, 10), ind).chart
    validate_jsonschema(spec, SCHEMA)
    assert spec["title"]["text"] == ["years"]  # not "years, lo"
    assert [layer["encoding"]["y"]["title"] for layer in spec["layer"]] == [None, None]
    x = spec["encoding"]["x"]
    assert x["axis"]["labelAngle"] == 0 and " ".join(x["title"]) == (
        "Tenths of residents: 1 = most deprived, 10 = least deprived")


def test_scatter_marks_and_names_only_the_chosen_wards():
    points = pd.DataFrame({"name": ["Foleshill", "Wainbody", "Wyken", "Woodlands"], "x": [50.2, 6.4, 19.0, 19.5],
                           "y": [74.9, 81.7, 79.6, 79.6]})
    spec = charts.scatter(points, "IMD 2025 score", "years", "Life expectancy")
    before = copy.deepcopy(spec)
    shown = charts.with_chosen(spec, ["Foleshill", "Wainbody"])
    validate_jsonschema(shown, SCHEMA)
    assert spec == before, "the shared spec must not change"
    assert shown["params"] == [{"name": "chosen", "value": ["Foleshill", "Wainbody"]}]
    dots, names = shown["layer"]
    test = "indexof(chosen, datum.name) >= 0"
    assert dots["encoding"]["color"] == {"condition": {"test": test, "value": charts.HIGHLIGHT}, "value": charts.OTHER}
    assert dots["encoding"]["shape"]["condition"]["value"] == "diamond"  # shape and size too, not colour alone
    assert names["transform"] == [{"filter": test}] and names["encoding"]["text"] == {"field": "name"}


def test_compare_opens_on_an_outcome_not_on_deprivation_itself(registry, values):
    key = default_indicator(registry, values)
    ind = registry[key]
    assert key == "le_male" and ind.ordering_family == "" and ind.on_ward_map
    # Chosen from the registry: with life expectancy gone, the next outcome with ward values.
    fewer = {k: v for k, v in registry.items() if k not in ("le_male", "le_female", "hle_male", "hle_female")}
    assert default_indicator(fewer, values) == "disability"
