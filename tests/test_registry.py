"""The indicator registry is data: every row complete, every id unique, bad rows named."""

import csv
from pathlib import Path

import pytest

from explorer.registry import load_registry
from geo.errors import DataError

REGISTRY = Path(__file__).resolve().parent.parent / "data/registry/indicators.csv"
REQUIRED_IDS = {
    "imd25_score", "imd25_pct_d1", "imd25_income", "imd25_employment", "imd25_education", "imd25_health",
    "imd25_crime", "imd25_barriers", "imd25_living_env", "imd25_idaci", "imd25_idaopi", "imd19_pct_d1",
    "imd15_pct_d1", "le_male", "le_female", "no2_background", "pm25_background", "iod_air_quality",
    "green_space_distance", "flytipping_fms", "disability",
}


def rewrite(tmp_path, change):
    rows = list(csv.DictReader(REGISTRY.open(encoding="utf-8")))
    change(rows)
    path = tmp_path / "indicators.csv"
    with path.open("w", newline="", encoding="utf-8") as f:
        writer = csv.DictWriter(f, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
    return path


def test_the_issue_indicators_are_all_registered(registry):
    assert REQUIRED_IDS <= set(registry)


def test_every_indicator_says_source_period_licence_method(registry):
    for ind in registry.values():
        for field in ("source", "period", "licence", "method_text", "unit", "label"):
            assert getattr(ind, field).strip(), (ind.id, field)


def test_life_expectancy_has_confidence_limits_and_an_old_period(registry):
    for key in ("le_male", "le_female"):
        assert registry[key].has_ci
        assert "2009-2013" in registry[key].period and "old" in registry[key].period


def test_fixmystreet_caveat_says_two_percent(registry):
    assert "2%" in registry["flytipping_fms"].caveat


def test_duplicate_id_is_named(tmp_path):
    path = rewrite(tmp_path, lambda rows: rows.append(dict(rows[0])))
    last = sum(1 for _ in csv.DictReader(path.open(encoding="utf-8")))
    with pytest.raises(DataError, match=rf"row {last}, column 'id': duplicate indicator id 'imd25_score'"):
        load_registry(path)


def test_filters_parse_several_conditions(registry):
    assert registry["inactive_sick"].filters() == {
        "geography_type": ["MSOA11"],
        "metric": ["Economically inactive: long-term sick or disabled (%)"],
    }
    assert registry["flytipping_fms"].filters() == {"year": ["2017", "2018", "2019", "2020"]}


def test_unknown_polarity_is_named(tmp_path):
    path = rewrite(tmp_path, lambda rows: rows[2].update(polarity="up"))
    with pytest.raises(DataError, match=r"row 3, column 'polarity'"):
        load_registry(path)


def test_missing_source_is_named(tmp_path):
    path = rewrite(tmp_path, lambda rows: rows[4].update(source=""))
    with pytest.raises(DataError, match=r"row 5, column 'source': value is required"):
        load_registry(path)


def test_missing_column_is_named(tmp_path):
    def drop(rows):
        for row in rows:
            del row["licence"]

    with pytest.raises(DataError, match=r"column 'licence'"):
        load_registry(rewrite(tmp_path, drop))
