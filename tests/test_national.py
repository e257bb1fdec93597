"""The national build: any English authority at ward level, reconciled with MHCLG, within its geometry budgets.

The store is built once for the module from the committed national inputs (data/raw/national), with geometry
and gaps for the five authorities below only (values, comparators, reconciliation and peers always cover all
296). The full build (all geometry) is `make national`; tests never read ../shared.
"""

import json
import shutil
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
import shapely

from explorer.pipeline.authorities import NationalStore
from explorer.pipeline.national import STORE_FILES, build
from geo.budgets import BUDGETS, geojson_bytes
from geo.errors import DataError
from tests.conftest import BIRMINGHAM, CITY_OF_LONDON, CORNWALL, COVENTRY, FIVE, SCILLY

DATA = Path(__file__).resolve().parent.parent / "data"

TINY = [CITY_OF_LONDON, SCILLY]


@pytest.fixture(scope="module")
def built(national_built):
    return national_built  # tests/conftest.py: built once per session, shared with the pages' tests


@pytest.fixture(scope="module")
def store(built):
    return NationalStore(built[0], cache_size=3)


def test_the_store_holds_every_file_and_the_inputs_checksums(built):
    out, summary = built
    assert sorted(p.name for p in out.iterdir()) == sorted({name.split("/")[0] for name in STORE_FILES})
    assert all((out / name).is_file() for name in STORE_FILES)
    info = json.loads((out / "build_info.json").read_text())
    assert info["store_version"] == "v1" and info["authorities"] == 296 and info["lsoa21"] == 33_755
    assert "national/england_lsoa21_ward25_lad25_bestfit.csv.gz" in info["inputs"]
    assert all(len(v) == 64 for v in info["inputs"].values())
    assert info["lsoa21_assigned_by_area"] == 1_611  # 1,610 in re-warded councils and E01027305


def test_every_authority_has_a_row_with_its_counts(store):
    table = store.authorities()
    assert len(table) == 296 and table["code"].is_unique
    total = int(table["population_census2021"].sum())
    assert total == 56_490_046  # the sum of TS038's LSOA totals
    assert abs(total - 56_490_048) <= 2  # ONS's England total, Census 2021 usual residents
    assert table["lsoa21"].sum() == 33_755
    row = table.set_index("code").loc[COVENTRY]
    assert (row["name"], row["kind"], row["lsoa21"], row["wards"]) == ("Coventry", "metropolitan borough", 203, 18)


@pytest.mark.parametrize("code", FIVE)
def test_reconciles_with_mhclg(store, code):
    rec = store.table("reconciliation").query("code == @code").set_index(["edition", "measure"])
    d1 = rec.loc[("IoD 2025", "LSOAs in England's most deprived 10%")]
    assert d1["match"] and d1["ours"] == d1["mhclg"]
    assert rec.loc[("IoD 2019", "LSOAs in England's most deprived 10%"), "match"]
    score = rec.loc[("IoD 2025", "average IMD score (population-weighted)")]
    assert abs(score["difference"]) < 0.35  # Census 2021 weights, not MHCLG's mid-2022 ones
    city = store.authority(code).values.query("indicator == 'imd25_score' and geography == 'city'")
    assert city["value"].iloc[0] == score["mhclg"] and "MHCLG's own figure" in city["note"].iloc[0]


def test_every_authority_reconciles_its_decile_one_count_exactly(store):
    rec = store.table("reconciliation")
    counts = rec[rec["measure"] == "LSOAs in England's most deprived 10%"]
    assert counts["match"].all() and len(counts[counts["edition"] == "IoD 2025"]) == 296
    scores = rec[rec["measure"].str.startswith("average")]
    assert (scores["difference"].abs() <= 0.05).sum() >= 215


def test_coventry_as_today_and_how_its_census_weighted_score_differs(store):
    cov = store.authority(COVENTRY)
    rec = cov.reconciliation.set_index("measure")
    assert rec.loc["LSOAs in England's most deprived 10%", "ours"].tolist() == [36.0, 28.0]  # 2025, 2019
    assert rec.loc["average IMD score (population-weighted)", "mhclg"] == 27.528
    assert rec.loc["average IMD score (population-weighted)", "ours"] == 27.478  # Census 2021 weights
    city = cov.values.set_index(["indicator", "geography"])
    assert city.loc[("imd25_score", "city"), "value"] == 27.528
    assert round(city.loc[("le_male", "city"), "value"], 2) == 77.92  # ONS's own, as in data/processed


@pytest.mark.parametrize("code", FIVE)
def test_layer_budgets_and_valid_coverages(store, code):
    layers = store.table("layers").query("la == @code").set_index("layer")
    a = store.authority(code)
    for layer, shapes in (("wards", a.ward_shapes), ("lsoa21", a.layers["lsoa21"]), ("msoa11", a.layers["msoa11"])):
        assert layers.loc[layer, "geojson_bytes"] <= BUDGETS[layer], layer
        assert geojson_bytes(shapes) == layers.loc[layer, "geojson_bytes"]
        assert shapely.coverage_is_valid(gpd.GeoSeries(shapes.geometry).to_crs(27700).values), layer
    assert layers.loc["wards", "geojson_bytes"] <= 100_000 and layers.loc["lsoa21", "geojson_bytes"] <= 400_000


def test_the_budgets_bite_where_they_must(store):
    layers = store.table("layers").set_index(["la", "layer"])
    assert layers.loc[(CORNWALL, "wards"), "tolerance_m"] > 12  # Cornwall's 87 wards: 457 KB at full detail
    assert layers.loc[(BIRMINGHAM, "lsoa21"), "tolerance_m"] > 12
    assert layers.loc[(COVENTRY, "wards"), "tolerance_m"] == 12  # Coventry's own tolerance suffices


@pytest.mark.parametrize("code", FIVE)
def test_wards_tables_and_shapes_agree(store, code):
    a = store.authority(code)
    assert list(a.wards["code"]) == sorted(a.ward_shapes["code"])
    assert set(a.values.query("geography == 'ward'")["code"]) <= set(a.wards["code"])
    assert a.wards["population_census2021"].sum() == a.info["population_census2021"]


def test_birminghams_wards_carry_their_names(store):
    names = set(store.authority(BIRMINGHAM).wards["name"])
    assert {"Ladywood", "Sparkbrook & Balsall Heath East", "Sutton Four Oaks"} <= names
    assert store.resolve("birmingham") == BIRMINGHAM and store.resolve("E08000025") == BIRMINGHAM
    assert store.resolve("Gotham") is None


@pytest.mark.parametrize("code", FIVE)
def test_ten_similar_authorities_never_called_cipfas(store, code):
    peers = store.authority(code).peers
    assert len(peers) == 10 and code not in set(peers["peer"]) and peers["peer"].is_unique
    assert peers["distance"].is_monotonic_increasing and (peers["distance"] > 0).all()
    assert peers["note"].str.contains("not CIPFA's").all() and (peers["peer_name"] != "").all()


@pytest.mark.parametrize("code", TINY)
def test_tiny_authorities_say_why_no_gap(store, code):
    gaps = store.authority(code).gaps.query("la == @code").set_index("indicator")
    for key in ("le_male", "le_female"):
        assert np.isnan(gaps.loc[key, "sii"])
        assert "too few" in gaps.loc[key, "note"] and "1 MSOAs" in gaps.loc[key, "note"]


@pytest.mark.parametrize("code", [COVENTRY, BIRMINGHAM, CORNWALL])
def test_life_expectancy_gap_is_computed_for_larger_authorities(store, code):
    gaps = store.authority(code).gaps.query("la == @code").set_index("indicator")
    for key in ("le_male", "le_female"):
        assert gaps.loc[key, "sii"] < 0 and gaps.loc[key, "sii_lower"] < gaps.loc[key, "sii_upper"]
        assert gaps.loc[key, "units"] == "MSOAs"


def test_coventry_beside_its_peers_the_marmot_places_and_england(store):
    table = store.beside_peers(COVENTRY)
    groups = set(table["group"])
    assert {"this authority", "similar authority", "England", "Marmot place (list incomplete)"} <= groups
    marmot = table[table["group"].str.startswith("Marmot")]
    assert marmot["note"].str.contains("INCOMPLETE").all() and "E08000035" in set(marmot["la"])  # Leeds
    england = table[(table["la"] == "E92000001") & (table["indicator"] == "le_male")]
    assert round(england["sii"].iloc[0], 2) == -7.56  # England's 6,791 MSOAs in fifths by IMD 2025, 2009-13


def test_the_cache_is_bounded_and_reused(built):
    s = NationalStore(built[0], cache_size=2)
    s.authority(COVENTRY)
    s.authority(COVENTRY)
    s.authority(SCILLY)
    s.authority(CITY_OF_LONDON)
    info = s.cache_info()
    assert (info.hits, info.misses, info.currsize, info.maxsize) == (1, 3, 2, 2)


def test_an_authority_without_geometry_is_named(store):
    with pytest.raises(DataError, match="built without its geometry"):
        store.authority("E06000001")


@pytest.fixture
def national_copy(tmp_path):
    target = tmp_path / "data"
    shutil.copytree(DATA, target, ignore=shutil.ignore_patterns("processed", "store", ".processed-new-*"))
    return target


def test_a_bad_input_is_named_by_file_row_and_column(national_copy, tmp_path):
    rel = national_copy / "raw" / "national" / "england_lsoa21_ward25_lad25_bestfit.csv.gz"
    frame = pd.read_csv(rel, dtype=str)
    frame.loc[4, "WD25CD"] = "E05XYZ"
    frame.to_csv(rel, index=False)
    with pytest.raises(DataError) as err:
        build(national_copy, tmp_path / "store", only=[SCILLY])
    e = err.value
    assert (e.file, e.row, e.column) == ("data/raw/national/england_lsoa21_ward25_lad25_bestfit.csv.gz", 5, "WD25CD")
    assert "not a valid ward code" in str(e)
    assert not (tmp_path / "store").exists()


def test_a_bad_national_registry_row_is_named(national_copy, tmp_path):
    path = national_copy / "registry" / "national_indicators.csv"
    frame = pd.read_csv(path, dtype=str, keep_default_na=False)
    frame.loc[0, "weight"] = "iod25_total"
    frame.to_csv(path, index=False)
    with pytest.raises(DataError) as err:
        build(national_copy, tmp_path / "store", only=[SCILLY])
    assert (err.value.row, err.value.column) == (1, "weight") and "not held for England" in str(err.value)


# Each weight's population, and the populations a method for it must not name (a Leeds CSV once said "IoD 2025
# mid-2022 populations" in its method and "weighted by Census 2021 residents" in the caveat beside it).
NOT_THE_WEIGHT = {"census2021": ("mid-2022", "mid-2019", "mid-2015"), "iod19_total": ("mid-2022", "mid-2019")}


def test_a_national_method_names_only_the_population_its_figures_are_weighted_by():
    from explorer.pipeline.national import national_registry
    from tests.conftest import DATA

    for key, ind in national_registry(DATA).items():
        said = [words for words in NOT_THE_WEIGHT.get(ind.weight, ()) if words in ind.method_text]
        assert not said, (key, ind.weight, ind.method_text)
