"""SII and RII as PHE's phe_sii computes them, on hand-worked cases, and intervals within what is possible."""

import numpy as np
import pandas as pd
import pytest
import statsmodels.api as sm

from explorer.stats.inequality import assign_quantiles, gap, quantile_table, slope_index

# The worked example of phe_sii's documentation (PHEindicatormethods, Area1): ten deciles, most deprived first.
PHE_POPULATION = [7291, 7997, 6105, 7666, 5790, 6934, 5918, 5974, 7147, 7534]
PHE_VALUE = [75.9, 78.3, 83.8, 83.6, 80.5, 81.1, 81.7, 84.2, 80.6, 86.3]
PHE_LOWER = [72.7, 75.3, 80.9, 80.2, 77.1, 78, 79, 81.4, 75.8, 83.2]
PHE_UPPER = [79.1, 81.4, 86.8, 87.1, 83.8, 84.2, 84.4, 86.9, 85.4, 89.4]


def table(values, pops=None, se=0.0):
    n = len(values)
    pops = pops or [100] * n
    share = np.array(pops) / sum(pops)
    return pd.DataFrame({"quantile": range(1, n + 1), "population": pops, "value": values, "se": se,
                         "rank": np.cumsum(share) - share / 2})


def phe_example():
    share = np.array(PHE_POPULATION) / sum(PHE_POPULATION)
    return pd.DataFrame({"value": PHE_VALUE, "population": PHE_POPULATION, "rank": np.cumsum(share) - share / 2,
                         "se": (np.array(PHE_UPPER) - np.array(PHE_LOWER)) / (2 * 1.959964)})


def test_rii_is_the_ratio_of_the_fitted_ends_as_phe_sii_defines_it():
    result = slope_index(phe_example())
    # Hand-worked with an independent implementation (statsmodels WLS, population-share weights):
    fit = sm.WLS(PHE_VALUE, sm.add_constant(phe_example()["rank"]), weights=phe_example()["population"]).fit()
    y0, slope = fit.params.iloc[0], fit.params.iloc[1]
    assert result.sii == pytest.approx(slope, rel=1e-12) == pytest.approx(7.0002, abs=1e-4)
    assert result.rii == pytest.approx((y0 + slope) / y0, rel=1e-12)
    assert round(result.rii, 3) == 1.090  # phe_sii gives 1.089..; the old "SII / mean" gave 0.086
    assert result.rii_lower < result.rii < result.rii_upper
    assert result.most_deprived_end == pytest.approx(y0)


def test_perfectly_linear_gradient_recovers_its_slope():
    # Equal fifths at ranks 0.1 .. 0.9; value = 70 + 10 x rank, so 71, 73, 75, 77, 79.
    result = slope_index(table([71.0, 73.0, 75.0, 77.0, 79.0]))
    assert result.sii == pytest.approx(10.0)
    assert result.sii_lower == pytest.approx(10.0) and result.sii_upper == pytest.approx(10.0)  # no uncertainty
    assert result.rii == pytest.approx(80.0 / 70.0)


def test_unequal_populations_use_cumulative_midpoints():
    t = table([60.0, 80.0], pops=[300, 100])
    assert list(t["rank"]) == [0.375, 0.875]
    assert slope_index(t).sii == pytest.approx(20.0 / 0.5)


def test_equal_groups_give_zero_and_an_rii_of_one():
    result = slope_index(table([5.0] * 5, se=0.5))
    assert result.sii == pytest.approx(0.0)
    assert result.sii_lower < 0 < result.sii_upper
    assert result.rii == pytest.approx(1.0)


def test_no_rii_where_a_fitted_end_is_not_positive():
    result = slope_index(table([1.0, -1.0, -3.0], se=0.1))  # a score centred on zero
    assert np.isnan(result.rii) and "at or below zero" in result.why_no_rii


def test_proportions_are_simulated_on_the_logit_scale_and_stay_possible():
    result = slope_index(table([40.0, 30.0, 20.0, 10.0, 5.0], se=0.3), value_type="proportion")
    assert -100 <= result.sii_lower < result.sii < result.sii_upper <= 100


def test_a_group_at_zero_percent_gets_no_interval_and_says_why():
    result = slope_index(table([40.0, 20.0, 0.0], se=float("nan")), value_type="proportion")
    assert np.isnan(result.sii_lower) and "exactly 0% or 100%" in result.why_no_interval


def test_confidence_interval_widens_with_the_standard_error():
    narrow = slope_index(table([71.0, 73.0, 75.0, 77.0, 79.0], se=0.1))
    wide = slope_index(table([71.0, 73.0, 75.0, 77.0, 79.0], se=2.0))
    assert narrow.sii_lower < 10 < narrow.sii_upper
    assert (wide.sii_upper - wide.sii_lower) > 10 * (narrow.sii_upper - narrow.sii_lower)


def test_simulation_is_reproducible():
    assert slope_index(table([1.0, 2.0, 4.0], se=1.0)) == slope_index(table([1.0, 2.0, 4.0], se=1.0))


def test_quantiles_split_population_not_area_counts():
    dep = pd.Series({"a": 50.0, "b": 40.0, "c": 30.0, "d": 20.0, "e": 10.0})
    pop = pd.Series({"a": 400, "b": 100, "c": 100, "d": 100, "e": 300})
    # Population midpoints 0.2, 0.45, 0.55, 0.65, 0.85 of 1,000 people: halves split at 0.5.
    assert assign_quantiles(dep, pop, 2).to_dict() == {"a": 1, "b": 1, "c": 2, "d": 2, "e": 2}


def test_quantile_table_weights_and_interval_from_spread():
    assignment = pd.Series({"a": 1, "b": 1, "c": 2})
    frame = pd.DataFrame({"value": [10.0, 20.0, 5.0], "population": [1, 3, 2]}, index=["a", "b", "c"])
    t = quantile_table(frame, assignment, interval="none", value_type="other", low=0.0)
    assert t["value"].tolist() == [17.5, 5.0]
    assert t["lower"].iloc[0] < 17.5 < t["upper"].iloc[0]
    assert np.isnan(t["lower"].iloc[1])  # one area: no spread, so no interval rather than a zero-width one


def test_share_of_whole_neighbourhoods_gets_a_wilson_interval_on_areas_never_zero_width():
    assignment = pd.Series({k: 1 for k in "abcd"} | {k: 2 for k in "efgh"})
    frame = pd.DataFrame({"value": [100.0, 100, 0, 0, 0, 0, 0, 0], "population": [1.0] * 8}, index=list("abcdefgh"))
    t = quantile_table(frame, assignment, interval="none", value_type="proportion", shares_of_areas=True)
    assert t["value"].tolist() == [50.0, 0.0]
    assert t["lower"].iloc[1] == 0 and 0 < t["upper"].iloc[1] < 100  # 0 of 4 areas: 0% to 49%, not 0 to 0
    assert (t["lower"] >= 0).all() and (t["upper"] <= 100).all()


def test_gap_is_most_minus_least_deprived():
    assert gap(table([80.0, 75.0, 70.0])) == (10.0, pytest.approx(80 / 70))
