"""LSOA to ward best-fit lookups and the ward vintages."""

from pathlib import Path

import pytest

from geo.errors import DataError
from geo.lookups import links_to, read_lookup
from geo.vintages import current_vintage, load_vintages

DATA = Path(__file__).resolve().parent.parent / "data"
WARDS = {f"E05{n:06d}" for n in range(1218, 1236)}


def test_every_lsoa21_in_exactly_one_of_the_18_wards():
    lookup = read_lookup(DATA / "raw/boundaries/lsoa21_ward_lookup.csv", "LSOA21CD", WARDS)
    assert len(lookup) == 203
    assert lookup["lsoa"].is_unique
    assert set(lookup["ward"]) == WARDS
    assert int(lookup["straddles"].sum()) == 23


def test_lsoa11_lookup_covers_195():
    lookup = read_lookup(DATA / "raw/boundaries/lsoa11_ward_lookup.csv", "LSOA11CD", WARDS)
    assert len(lookup) == 195 and set(lookup["ward"]) == WARDS


def test_unknown_ward_code_in_lookup_is_named(tmp_path):
    src = (DATA / "raw/boundaries/lsoa21_ward_lookup.csv").read_text().splitlines()
    src[5] = src[5].replace(",E05001218,", ",E05009999,")
    bad = tmp_path / "lookup.csv"
    bad.write_text("\n".join(src))
    with pytest.raises(DataError, match=r"row 5, column 'WD_CD': unknown ward code 'E05009999'"):
        read_lookup(bad, "LSOA21CD", WARDS)


def test_msoa_links_weight_by_shared_population():
    import pandas as pd

    lookup = pd.DataFrame(
        {"lsoa": ["l1", "l2", "l3"], "msoa": ["m1", "m1", "m2"], "ward": ["A", "B", "B"]}
    )
    links = links_to(lookup, "msoa", "ward", pd.Series({"l1": 100, "l2": 300, "l3": 50}))
    assert links.to_dict("records") == [
        {"source": "m1", "target": "A", "weight": 100},
        {"source": "m1", "target": "B", "weight": 300},
        {"source": "m2", "target": "B", "weight": 50},
    ]


def test_vintages_name_the_may_2026_wards_but_map_the_2004_set():
    vintages = load_vintages(DATA / "registry/ward_vintages.csv")
    assert [v.vintage for v in vintages] == ["wd2004", "wd2026"]
    assert current_vintage(vintages).vintage == "wd2004"
    new = vintages[1]
    assert not new.mappable
    assert new.expected_codes()[0] == "E05016398" and new.expected_codes()[-1] == "E05016415"
