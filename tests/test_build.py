"""The data build: reproducible, reconciled with MHCLG and ONS, and strict about bad input."""

import json
import shutil
from pathlib import Path

import geopandas as gpd
import pandas as pd
import pytest

from explorer.pipeline.build import PROCESSED_FILES, build, build_atomically
from geo.errors import DataError

DATA = Path(__file__).resolve().parent.parent / "data"
PROCESSED = DATA / "packs" / "coventry" / "built"  # the build's files, as Coventry's pack holds them


@pytest.fixture(scope="module")
def rebuilt(tmp_path_factory):
    out = tmp_path_factory.mktemp("rebuild") / "processed"
    build(Path(__file__).resolve().parent.parent / "data", out)
    return out


@pytest.mark.slow  # a whole rebuild
def test_rebuild_reproduces_the_committed_files(rebuilt):
    made = sorted(p.relative_to(rebuilt).as_posix() for p in rebuilt.rglob("*") if p.is_file())
    assert made == sorted([*PROCESSED_FILES, "boundaries/coventry_wards_2026_codes.csv"])  # and May 2026's names
    for name in made:
        if name.endswith((".csv", ".json")):
            assert (rebuilt / name).read_text() == (PROCESSED / name).read_text(), name
        else:
            new, old = gpd.read_parquet(rebuilt / name), gpd.read_parquet(PROCESSED / name)
            assert new.crs == old.crs and list(new["code"]) == list(old["code"])
            assert new.geometry.geom_equals_exact(old.geometry, tolerance=0).all(), name


def test_imd_2025_reconciles_with_mhclg():
    info = json.loads((PROCESSED / "build_info.json").read_text())
    assert info["imd25_score_city"] == 27.528  # File 10 population-weighted average score
    assert info["imd25_lsoas_decile1"] == 36 and info["lsoa21"] == 203
    assert info["imd19_lsoas_decile1"] == 28 and info["lsoa11"] == 195


def test_ward_populations_sum_to_census_2021_coventry(wards):
    census = pd.read_csv(DATA / "raw/boundaries/coventry_lsoa21_census2021_population.csv")
    total = census["All usual residents (sum of age bands)"].sum()
    assert wards["population_census2021"].sum() == total == 345_316
    assert abs(total - 345_300) / 345_300 < 0.001  # ONS published (rounded)


def test_eighteen_wards_every_indicator_has_a_value_for_each(values, registry):
    for ind in registry.values():
        if ind.on_ward_map:
            rows = values.query("indicator == @ind.id and geography == 'ward'")
            assert len(rows) == 18 and rows["value"].notna().all(), ind.id


def test_manifest_lists_every_raw_file():
    manifest = pd.read_csv(DATA / "sources.csv")
    raw = DATA / "raw"
    files = {p.relative_to(raw).as_posix() for p in raw.rglob("*") if p.is_file() and p.name != "PROVENANCE.md"}
    assert files == set(manifest["file"])
    columns = ["publisher", "dataset", "period", "geography", "licence", "attribution", "url"]
    assert manifest[columns].notna().all().all()


def corrupt(data: Path, rel: str, change) -> None:
    path = data / "raw" / rel
    path.write_text(change(path.read_text(encoding="utf-8")), encoding="utf-8")


def fails_with(data: Path, tmp_path: Path, pattern: str) -> None:
    with pytest.raises(DataError, match=pattern):
        build(data, tmp_path / "out")
    assert not (tmp_path / "out").exists(), "a failed build must write nothing"


def test_missing_column(data_copy, tmp_path):
    corrupt(data_copy, "boundaries/lsoa21_ward_lookup.csv", lambda t: t.replace("WD_CD", "WARD", 1))
    fails_with(data_copy, tmp_path, r"lsoa21_ward_lookup.csv, column 'WD_CD': missing required column")


def test_duplicate_code(data_copy, tmp_path):
    def dup(text):
        lines = text.splitlines()
        return "\n".join([*lines, lines[3]]) + "\n"

    corrupt(data_copy, "indicators/iod2025/coventry_iod2025_file7_lsoa21.csv", dup)
    fails_with(data_copy, tmp_path, r"file7_lsoa21.csv, row 204, column 'LSOA code \(2021\)': duplicate")


def test_unknown_ward_code(data_copy, tmp_path):
    corrupt(data_copy, "boundaries/coventry_wards_wd19_fullres.geojson", lambda t: t.replace("E05001235", "E05001299"))
    fails_with(data_copy, tmp_path, r"wd19_fullres.geojson.*(expected wards missing|unknown ward code)")


def test_invalid_geometry(data_copy, tmp_path):
    rel = "boundaries/coventry_lsoa21.geojson"
    doc = json.loads((data_copy / "raw" / rel).read_text())
    ring = doc["features"][4]["geometry"]["coordinates"][0]
    a, b, c = ring[0], ring[len(ring) // 3], ring[2 * len(ring) // 3]
    doc["features"][4]["geometry"]["coordinates"] = [[a, c, b, [c[0], b[1]], a]]  # self-crossing ring
    (data_copy / "raw" / rel).write_text(json.dumps(doc))
    fails_with(data_copy, tmp_path, r"coventry_lsoa21.geojson, row 5, column 'geometry': invalid geometry \(Self-")


def test_missing_crs(data_copy, tmp_path):
    rel = "boundaries/coventry_msoa11.geojson"
    doc = json.loads((data_copy / "raw" / rel).read_text())
    del doc["crs"]
    (data_copy / "raw" / rel).write_text(json.dumps(doc))
    fails_with(data_copy, tmp_path, r"coventry_msoa11.geojson: CRS not declared")


def test_wrong_crs_is_caught_by_where_the_coordinates_fall(data_copy, tmp_path):
    rel = "boundaries/coventry_msoa11.geojson"
    text = (data_copy / "raw" / rel).read_text()
    (data_copy / "raw" / rel).write_text(text.replace("urn:ogc:def:crs:OGC:1.3:CRS84", "urn:ogc:def:crs:EPSG::27700"))
    fails_with(data_copy, tmp_path, r"coventry_msoa11.geojson: coordinates .* are not in Coventry")


def test_empty_file(data_copy, tmp_path):
    green = "ons_lsoa11_avg_distance_nearest_park_or_playing_field_apr2020_coventry.csv"
    (data_copy / "raw/environment/green_space" / green).write_text("")
    fails_with(data_copy, tmp_path, r"apr2020_coventry.csv: file is empty")


def test_non_number_is_named_by_row_and_column(data_copy, tmp_path):
    corrupt(
        data_copy,
        "environment/air_quality/defra_pcm_mapno22023_1km_coventry_bbox.csv",
        lambda t: t.replace("11.07546", "n/a", 1),
    )
    fails_with(data_copy, tmp_path, r"mapno22023_1km_coventry_bbox.csv, row 1, column 'no22023': 'n/a' is not a number")


def test_registry_file_not_in_manifest(data_copy, tmp_path):
    path = data_copy / "registry/indicators.csv"
    path.write_text(path.read_text().replace("council/coventry_fms_flytipping_lsoa11_by_year.csv", "council/x.csv"))
    fails_with(data_copy, tmp_path, r"indicators.csv, row \d+, column 'file': file 'council/x.csv' is not in")


def test_raw_file_not_in_manifest(data_copy, tmp_path):
    (data_copy / "raw/council/new_data.csv").write_text("a,b\n1,2\n")
    fails_with(data_copy, tmp_path, r"data/raw/council/new_data.csv: not listed in data/sources.csv")


def test_failed_build_leaves_the_data_in_service_untouched(data_copy, tmp_path):
    target = tmp_path / "processed"
    shutil.copytree(PROCESSED, target)
    before = (target / "values.csv").read_text()
    (data_copy / "raw/boundaries/coventry_lsoa21.geojson").write_text("")
    with pytest.raises(DataError):
        build_atomically(data_copy, target)
    assert (target / "values.csv").read_text() == before
    assert not list(tmp_path.glob(".processed-new-*"))
