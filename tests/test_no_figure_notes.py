"""Every ward (and authority) with no figure says why, from what the source gives (issue 25, tester's finding 5).

Cornwall's 11 wards without a distance to a park had an empty note: ONS's table gives no distance for 12 of
Cornwall's 326 2011 LSOAs (195 of England's 32,844; data/raw/national/PROVENANCE.md), and a ward's figure is made
from all of its neighbourhoods. The national build now says so on each such row, and the pages carry it.
"""

import pandas as pd
import pytest

from explorer.models import citymap, profile
from explorer.pipeline import aggregate
from explorer.places import PlaceKey, Sources, open_place
from tests.conftest import CORNWALL, PACKS

# ONS's park distances (data/raw/national/england_park_distance_lsoa11_apr2020.csv.gz) leave out these of
# Cornwall's 2011 LSOAs; each lies wholly in one May 2025 ward (two in Altarnun & Stoke Climsland).
NO_PARK_DISTANCE = {"E05013276": 1, "E05013281": 1, "E05013291": 1, "E05013295": 1, "E05013303": 1,
                    "E05013305": 1, "E05013309": 1, "E05013341": 1, "E05013358": 1, "E05013837": 2, "E05013844": 1}


@pytest.fixture(scope="module")
def values(national_built):
    return pd.read_parquet(national_built[0] / "values.parquet")


@pytest.fixture(scope="module")
def cornwall(national_built):
    return open_place(PlaceKey(CORNWALL, str(national_built[0]), str(PACKS)), Sources(national_built[0], PACKS))


def test_cornwalls_wards_without_a_park_distance_say_how_many_neighbourhoods_the_source_leaves_out(values):
    rows = values[(values["la"] == CORNWALL) & (values["indicator"] == "green_space_distance")
                  & (values["geography"] == "ward") & values["value"].isna()].set_index("code")["note"]
    assert set(rows.index) == set(NO_PARK_DISTANCE)
    for code, k in NO_PARK_DISTANCE.items():
        assert rows[code] == (f"the source gives no figure for {k} of its neighbourhoods (2011 LSOAs), and "
                              "a ward's figure needs all of them (none is filled in)"), code
    own = values[(values["la"] == CORNWALL) & (values["indicator"] == "green_space_distance")
                 & (values["geography"] == "la")]["note"].iloc[0]
    assert own.endswith("; no figure: the source gives no figure for 12 of the authority's neighbourhoods "
                        "(2011 LSOAs), and its figure needs all of them (none is filled in)"), own


def test_every_ward_or_authority_without_a_figure_says_why(values):
    """In the small national build, no ward or authority row without a value has an empty note."""
    none = values[values["geography"].isin(["ward", "la"]) & values["value"].isna()]
    assert CORNWALL in set(none["la"])
    silent = none[none["note"].fillna("").str.strip() == ""]
    assert silent.empty, silent[["la", "indicator", "geography", "code"]].head(10).to_string()
    assert not values.loc[values["value"].notna() & (values["geography"] == "ward"), "note"].fillna("").str.startswith(
        "the source gives no figure").any()


def test_the_map_the_downloads_and_the_profile_say_why(cornwall):
    ind = cornwall.registry["green_space_distance"]
    table = citymap.ward_table(cornwall.values, cornwall.wards, ind, cornwall.name)
    ward = "E05013309"  # Lynher
    row = table.set_index("code").loc[ward]
    assert pd.isna(row["value"]) and row["why_none"].startswith("the source gives no figure for 1 of")
    view = citymap.ward_view(table, ind)
    assert "no data: the source gives no figure for 1 of its neighbourhoods" in view.tips[ward]
    words = citymap.summary_sentence(table, ind)
    assert "10 wards have no figure (" in words and "1 ward has no figure (Altarnun & Stoke Climsland)" in words
    frame = citymap.ward_export(table, ind).set_index("ward_code")
    assert frame.loc[ward, "how_compared"].startswith("No figure: the source gives no figure for 1 of")
    mine = profile.profile_table(ward, cornwall.registry, cornwall.values, area=cornwall.name).set_index("id")
    assert mine.loc["green_space_distance", "basis"].startswith("No figure: the source gives no figure for 1 of")
    shown = profile.table_html(mine.reset_index(), cornwall.registry, "Lynher")
    assert "No figure: the source gives no figure for 1 of its neighbourhoods (2011 LSOAs)" in shown


def test_missing_sources_counts_only_linked_areas_with_weight():
    links = pd.DataFrame({"source": ["a", "b", "c", "d"], "target": ["W", "W", "V", "V"], "weight": [1, 3, 2, 0]})
    assert aggregate.missing_sources(pd.Series({"a": 1.0, "c": 2.0}), links).to_dict() == {"V": 0, "W": 1}
