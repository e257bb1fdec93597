"""SII and RII on hand-worked cases, quantile assignment, and the gap."""

import numpy as np
import pandas as pd
import pytest

from explorer.inequality import assign_quantiles, gap, quantile_table, slope_index


def table(values, pops=None, se=0.0):
    n = len(values)
    pops = pops or [100] * n
    share = np.array(pops) / sum(pops)
    return pd.DataFrame({"quantile": range(1, n + 1), "population": pops, "value": values, "se": se,
                         "rank": np.cumsum(share) - share / 2})


def test_perfectly_linear_gradient_recovers_its_slope():
    # Equal fifths at ranks 0.1 .. 0.9; value = 70 + 10 x rank, so 71, 73, 75, 77, 79.
    result = slope_index(table([71.0, 73.0, 75.0, 77.0, 79.0]))
    assert result.sii == pytest.approx(10.0)
    assert result.sii_lower == pytest.approx(10.0) and result.sii_upper == pytest.approx(10.0)  # no uncertainty
    assert result.rii == pytest.approx(10.0 / 75.0)


def test_unequal_populations_use_cumulative_midpoints():
    t = table([60.0, 80.0], pops=[300, 100])
    assert list(t["rank"]) == [0.375, 0.875]
    assert slope_index(t).sii == pytest.approx(20.0 / 0.5)


def test_equal_groups_give_zero():
    result = slope_index(table([5.0] * 5, se=0.5))
    assert result.sii == pytest.approx(0.0)
    assert result.sii_lower < 0 < result.sii_upper
    assert result.rii == pytest.approx(0.0)


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


def test_quantile_table_weights_and_se_from_spread():
    assignment = pd.Series({"a": 1, "b": 1, "c": 2})
    t = quantile_table(pd.Series({"a": 10.0, "b": 20.0, "c": 5.0}), pd.Series({"a": 1, "b": 3, "c": 2}), assignment)
    assert t["value"].tolist() == [17.5, 5.0]
    assert t["se"].iloc[0] > 0 and t["se"].iloc[1] == 0


def test_gap_is_most_minus_least_deprived():
    assert gap(table([80.0, 75.0, 70.0])) == (10.0, pytest.approx(80 / 70))
