"""The data API (explorer/pipeline/api.py, docs/api.md) as the national build writes it, on the five-authority store."""

import csv
import io
import json
import math

import pandas as pd
import pytest

from explorer.pipeline import api
from tests.conftest import COVENTRY, FIVE


@pytest.fixture(scope="module")
def folder(national_built):
    return national_built[0] / "api"


def read_csv(path):
    return pd.read_csv(path, dtype={c: str for c, kind, _ in api.COLUMNS if kind == "string"}, keep_default_na=False,
                       na_values={c: [""] for c in api.NUMBERS})


def records(table: dict) -> list[dict]:
    return [dict(zip(table["columns"], row, strict=True)) for row in table["rows"]]


def test_coventry_child_poverty_holds_dwp_figures_for_foleshill_and_the_authority(folder):
    table = read_csv(folder / COVENTRY / "child_poverty_ahc.csv")
    foleshill = table[table["name"] == "Foleshill"].iloc[0]
    assert (foleshill["geography_level"], foleshill["code"], foleshill["ward_set"]) == ("ward", "E05001222", "WD25")
    assert foleshill["value"] == 49.0 and foleshill["period"].startswith("FYE 2025")
    coventry = table[table["geography_level"] == "authority"].iloc[0]
    assert (coventry["code"], coventry["name"], coventry["value"]) == (COVENTRY, "Coventry", 32.2)
    assert (table["authority_value"] == 32.2).all()
    assert table["england_value"].isna().all(), "DWP gives no England figure: none may be filled in"
    assert "DWP" in foleshill["source"] and foleshill["unit"] == "% of children under 16"
    rows = json.loads((folder / COVENTRY / "child_poverty_ahc.json").read_text("utf-8"))
    by_name = {r["name"]: r for r in records(rows)}
    assert by_name["Foleshill"]["value"] == 49.0 and by_name["Coventry"]["value"] == 32.2
    assert by_name["Foleshill"]["england_value"] is None and rows["period"].startswith("FYE 2025")


def test_the_index_lists_each_built_authority_and_every_file_it_names_exists(folder):
    index = json.loads((folder / "index.json").read_text("utf-8"))
    assert index["api_version"] == "v1"
    assert sorted(a["code"] for a in index["authorities"]) == sorted(FIVE)
    for entry in index["authorities"]:
        assert entry["index"] == f"/app/static/api/v1/{entry['code']}/index.json" and entry["name"] and entry["kind"]
        own = json.loads((folder / entry["code"] / "index.json").read_text("utf-8"))
        assert own["code"] == entry["code"] and len(own["indicators"]) >= 20, entry["name"]
        for ind in own["indicators"]:
            for key in ("csv", "csv_metadata", "json"):
                assert (folder / ind[key].removeprefix("/app/static/api/v1/")).is_file(), ind[key]


def test_numbers_are_numbers_missing_stays_empty_and_every_ward_value_is_the_stores(folder, national_built):
    store = national_built[0]
    values = pd.read_parquet(store / "values.parquet", filters=[("la", "in", FIVE)])
    wards = values[values["geography"] == "ward"]
    empty = 0
    for code in FIVE:
        for path in sorted((folder / code).glob("*.csv")):
            text = path.read_text("utf-8")
            assert not text.startswith("\ufeff")
            header, *lines = list(csv.reader(io.StringIO(text)))
            assert header == [c for c, _, _ in api.COLUMNS]
            assert not {cell for line in lines for cell in line} & {"nan", "NaN", "None", "NA", "null", "inf"}
            table = read_csv(path)
            for column in api.NUMBERS:
                assert pd.api.types.is_float_dtype(table[column]) or pd.api.types.is_integer_dtype(table[column])
            ours = table[table["geography_level"] == "ward"].set_index("code")["value"]
            theirs = wards[(wards["la"] == code) & (wards["indicator"] == path.stem)].set_index("code")["value"]
            assert set(ours.index) == set(theirs.index), path
            pd.testing.assert_series_equal(ours.sort_index(), theirs.sort_index(), check_names=False)
            empty += int(ours.isna().sum())
            rows = records(json.loads(path.with_suffix(".json").read_text("utf-8")))
            for row, (_, line) in zip(rows, table.iterrows(), strict=True):
                for column in api.NUMBERS:
                    if math.isnan(line[column]):
                        assert row[column] is None
                    else:
                        assert isinstance(row[column], float) and row[column] == line[column]
    assert empty > 0, "some ward somewhere has no figure: this check must have met a missing value"


def test_each_csv_has_its_csv_on_the_web_metadata(folder):
    meta = json.loads((folder / COVENTRY / "le_male.csv-metadata.json").read_text("utf-8"))
    assert meta["@context"][0] == "http://www.w3.org/ns/csvw" and meta["url"] == "le_male.csv"
    assert meta["dialect"]["encoding"] == "utf-8" and meta["dialect"]["header"] is True
    assert meta["tableSchema"] == "../table-schema.json"  # one schema for every table, linked as CSVW allows
    columns = json.loads((folder / "table-schema.json").read_text("utf-8"))["columns"]
    assert [c["name"] for c in columns] == [c for c, _, _ in api.COLUMNS]
    assert {c["name"]: c["datatype"] for c in columns}["value"] == "number"
    assert all(c["dc:description"] for c in columns)
    assert all(c.get("null") == "" for c in columns if c["datatype"] == "number")
    assert "ONS" in meta["dc:source"] and meta["dc:license"] and meta["dc:temporal"].startswith("2009")
    table = read_csv(folder / COVENTRY / "le_male.csv")
    england = table[table["geography_level"] == "england"].iloc[0]
    assert england["code"] == "E92000001" and england["lower"] < england["value"] < england["upper"]
    assert (table["england_value"] == england["value"]).all()
