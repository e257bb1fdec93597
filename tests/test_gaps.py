"""The Marmot gap on Coventry's real data: golden figures, circular orderings refused, and the words used."""

import pandas as pd
import pytest

from explorer.models.gap_views import explain, gap_display
from explorer.stats.gaps import gap_summary, marmot_gap, ordering_sensitivity
from tests.conftest import PROCESSED


@pytest.fixture(scope="module")
def tables():
    return pd.read_csv(PROCESSED / "lookups.csv"), pd.read_csv(PROCESSED / "lsoa_weights.csv")


def test_life_expectancy_men_gap_golden(registry, values, tables):
    lookups, weights = tables
    result = marmot_gap(registry["le_male"], values, lookups, weights, registry)
    assert result.table["areas"].sum() == 42 and len(result.table) == 5
    assert round(result.table["value"].iloc[0], 1) == 74.3 and round(result.table["value"].iloc[-1], 1) == 81.3
    assert (round(result.slope.sii, 1), round(result.slope.sii_lower, 1), round(result.slope.sii_upper, 1)) == (
        8.8, 7.6, 9.9)
    assert round(result.slope.rii, 3) == 1.120  # phe_sii: fitted least-deprived end / most-deprived end
    assert explain(result, registry["le_male"]) == (
        "Coventry's 42 MSOAs were ranked by IMD 2025 score averaged over each MSOA's LSOAs (Census 2021 residents) "
        "and split into fifths (quintiles): whole MSOAs go into each group, so the groups hold about equal numbers of "
        "residents, not exactly equal: 67,714 to 71,576. Most deprived fifth: 74.3 years; least "
        "deprived fifth: 81.3 years (7.0 years lower in the most deprived). Fitting a line through every group, not "
        "only the two ends (the slope index of inequality), the most deprived end of Coventry is 8.8 years lower "
        "than the least deprived (95% CI 7.6 years to 9.9 years). The relative index of inequality (PHE's phe_sii: "
        "the fitted value at the least deprived end divided by that at the most deprived end) is 1.120, 95% CI "
        "1.103 to 1.136."
    )


def test_women_and_deciles(registry, values, tables):
    lookups, weights = tables
    women = marmot_gap(registry["le_female"], values, lookups, weights, registry)
    assert round(women.slope.sii, 1) == 7.2
    men_deciles = marmot_gap(registry["le_male"], values, lookups, weights, registry, 10)
    assert round(men_deciles.slope.sii, 1) == 9.0 and len(men_deciles.table) == 10


def test_ordering_by_imd_2015_moves_the_mens_slope_index_to_9_5_years(registry, values, tables):
    lookups, weights = tables
    table = ordering_sensitivity(registry["le_male"], values, lookups, weights, registry).set_index("edition")
    assert round(-table.loc["IMD 2025", "sii"], 1) == 8.8
    assert round(-table.loc["IMD 2019", "sii"], 1) == 8.8
    assert round(-table.loc["IMD 2015", "sii"], 1) == 9.5


@pytest.mark.parametrize("key", ["imd25_score", "imd25_pct_d1", "imd25_income", "imd25_idaci", "imd25_living_env",
                                 "iod_air_quality", "imd19_pct_d1"])
def test_an_indicator_that_is_part_of_the_ordering_gets_no_slope_index(registry, values, tables, key):
    lookups, weights = tables
    result = marmot_gap(registry[key], values, lookups, weights, registry)
    assert result.slope is None and "the index the areas are ordered by" in result.circular
    assert "No slope index is given" in explain(result, registry[key])


def test_intervals_stay_within_what_is_possible(registry, values, tables):
    lookups, weights = tables
    for key, n in (("imd15_pct_d1", 10), ("imd25_pct_d1", 5), ("disability", 10)):
        t = marmot_gap(registry[key], values, lookups, weights, registry, n).table
        assert (t["lower"] >= 0).all() and (t["upper"] <= 100).all(), key
        assert (t["upper"] > t["lower"]).all(), key  # never a zero-width interval presented as certainty
    fifths = marmot_gap(registry["imd25_pct_d1"], values, lookups, weights, registry, 5).table
    assert round(fifths["upper"].iloc[0], 2) == 96.92  # was 100.93 from a normal approximation


def test_imd_2015_share_gives_no_relative_index_and_the_real_reason(registry, values, tables):
    lookups, weights = tables
    result = marmot_gap(registry["imd15_pct_d1"], values, lookups, weights, registry, 10)
    words = explain(result, registry["imd15_pct_d1"])
    assert "centred on zero" not in words
    assert "exactly 0% or 100%" in words and "at or below zero at one end" in words


def test_summary_signs_blanks_and_their_reasons(registry, values, tables):
    lookups, weights = tables
    table = gap_summary(registry, values, lookups, weights).set_index("id")
    assert table.loc["le_male", "sii"] < 0  # lower in the most deprived
    assert table.loc["no2_background", "sii"] > 0  # higher in the most deprived
    assert pd.isna(table.loc["imd25_score", "sii"]) and "ordered by" in table.loc["imd25_score", "note"]
    shown = gap_display(table.reset_index())
    assert not shown.astype(str).apply(lambda c: c.str.contains(r"\bnan\b|<NA>")).any().any()
