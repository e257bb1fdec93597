"""A missing or corrupt processed file gives a message naming it and what to do."""

import pytest

from explorer.pipeline import store
from geo.errors import DataError


def test_missing_file_is_named(processed_copy):
    (processed_copy / "values.csv").unlink()
    with pytest.raises(DataError, match=r"built/values.csv: file is missing; restore it from git"):
        store.read_table(processed_copy, "values.csv")


def test_corrupt_csv_is_named(processed_copy):
    (processed_copy / "wards.csv").write_bytes(b"\x00\xff\xfe garbage \x00")
    with pytest.raises(DataError, match=r"built/wards.csv"):
        store.read_table(processed_copy, "wards.csv")


def test_wrong_shape_csv_is_named(processed_copy):
    (processed_copy / "values.csv").write_text("a,b\n1,2\n")
    with pytest.raises(DataError, match=r"values.csv, column 'indicator': missing column"):
        store.read_table(processed_copy, "values.csv")


def test_non_number_in_values_is_named_by_row(processed_copy):
    text = (processed_copy / "values.csv").read_text().splitlines()
    parts = text[3].split(",")
    parts[3] = "oops"
    text[3] = ",".join(parts)
    (processed_copy / "values.csv").write_text("\n".join(text) + "\n")
    with pytest.raises(DataError, match=r"values.csv, row 3, column 'value': 'oops' is not a number"):
        store.read_table(processed_copy, "values.csv")


def test_truncated_parquet_is_named(processed_copy):
    path = processed_copy / "lsoa21.parquet"
    path.write_bytes(path.read_bytes()[:500])
    with pytest.raises(DataError, match=r"built/lsoa21.parquet: file is unreadable"):
        store.read_layer(processed_copy, "lsoa21")


def test_layers_load_in_wgs84(processed_copy):
    for layer in store.LAYERS:
        frame = store.read_layer(processed_copy, layer)
        assert frame.crs.to_epsg() == 4326
    assert len(store.read_layer(processed_copy, "wards")) == 18
