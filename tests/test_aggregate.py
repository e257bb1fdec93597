"""Ward and city values are population- (or area-) weighted means of small-area values."""

import math

import pandas as pd
import pytest

from explorer.pipeline.aggregate import Z95, apportion, apportion_ci, apportion_counts
from explorer.stats.gaps import decile1_flag


def links(rows):
    return pd.DataFrame(rows, columns=["source", "target", "weight"])


def test_weighted_mean_by_hand():
    # Ward W: LSOA a (100 people, score 10) and b (300 people, score 30): (1000 + 9000) / 400 = 25.
    # Ward V: LSOA c alone.
    result = apportion(
        pd.Series({"a": 10.0, "b": 30.0, "c": 7.0}),
        links([("a", "W", 100), ("b", "W", 300), ("c", "V", 50)]),
    )
    assert result.to_dict() == {"V": 7.0, "W": 25.0}


def test_one_source_split_between_targets_by_area():
    # A grid cell split 1:3 between two wards counts in both, weighted by the overlap.
    result = apportion(
        pd.Series({"cell1": 8.0, "cell2": 16.0}),
        links([("cell1", "W", 1.0), ("cell1", "V", 3.0), ("cell2", "V", 1.0)]),
    )
    assert result["W"] == 8.0
    assert result["V"] == pytest.approx((8 * 3 + 16 * 1) / 4)


def test_missing_source_makes_target_missing_never_filled():
    result = apportion(pd.Series({"a": 10.0, "b": float("nan")}), links([("a", "W", 1), ("b", "W", 1)]))
    assert math.isnan(result["W"])


def test_source_absent_from_values_is_missing_too():
    result = apportion(pd.Series({"a": 10.0}), links([("a", "W", 1), ("zz", "W", 1)]))
    assert math.isnan(result["W"])


def test_zero_weight_sources_are_ignored():
    result = apportion(pd.Series({"a": 10.0}), links([("a", "W", 1), ("b", "W", 0)]))
    assert result["W"] == 10.0


def test_confidence_limits_combine_as_independent_errors():
    # Two MSOAs, equal weight, each 80 +/- 1.96 (se = 1): combined se = sqrt(0.25 + 0.25).
    value = pd.Series({"W": 80.0})
    lower, upper = apportion_ci(
        value,
        pd.Series({"m1": 80 - Z95, "m2": 80 - Z95}),
        pd.Series({"m1": 80 + Z95, "m2": 80 + Z95}),
        links([("m1", "W", 5), ("m2", "W", 5)]),
    )
    half = Z95 * math.sqrt(0.5)
    assert lower["W"] == pytest.approx(80 - half)
    assert upper["W"] == pytest.approx(80 + half)


def test_decile_flag_keeps_missing():
    flags = decile1_flag(pd.Series({"a": 1.0, "b": 2.0, "c": float("nan")}))
    assert flags["a"] == 100 and flags["b"] == 0 and math.isnan(flags["c"])


def test_counts_are_split_by_population_share_and_add_up():
    # MSOA m (100 children) has 80% of its population in ward W and 20% in V; MSOA n (7) lies wholly in V.
    counts = pd.Series({"m": 100.0, "n": 7.0})
    result = apportion_counts(counts, links([("m", "W", 800), ("m", "V", 200), ("n", "V", 350)]))
    assert result.to_dict() == {"V": pytest.approx(27.0), "W": pytest.approx(80.0)}
    assert result.sum() == pytest.approx(counts.sum())


def test_a_missing_count_leaves_every_ward_it_touches_missing():
    result = apportion_counts(pd.Series({"m": float("nan"), "n": 7.0}),
                              links([("m", "W", 1), ("m", "V", 1), ("n", "V", 1), ("n", "U", 1)]))
    assert math.isnan(result["W"]) and math.isnan(result["V"]) and result["U"] == 3.5
