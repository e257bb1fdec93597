"""The Marmot gap on Coventry's real data: golden figures and the words that explain them."""

import pandas as pd
import pytest

from explorer.gaps import explain, gap_summary, marmot_gap
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
    assert explain(result, registry["le_male"]) == (
        "Coventry's 42 MSOAs were ranked by IMD 2025 score averaged over each MSOA's LSOAs (Census 2021 residents) "
        "and split into fifths (quintiles) with equal numbers of residents. Most deprived fifth: 74.3 years; least "
        "deprived fifth: 81.3 years (7.0 years lower in the most deprived). Fitting a line through every group, not "
        "only the two ends (the slope index of inequality), the most deprived end of the city is 8.8 years lower "
        "than the least deprived (95% CI 7.6 years to 9.9 years); that is 11% of the city average (relative index "
        "of inequality)."
    )


def test_women_and_deciles(registry, values, tables):
    lookups, weights = tables
    women = marmot_gap(registry["le_female"], values, lookups, weights, registry)
    assert round(women.slope.sii, 1) == 7.2
    men_deciles = marmot_gap(registry["le_male"], values, lookups, weights, registry, 10)
    assert round(men_deciles.slope.sii, 1) == 9.0 and len(men_deciles.table) == 10


def test_summary_signs_and_zero_centred_scores(registry, values, tables):
    lookups, weights = tables
    table = gap_summary(registry, values, lookups, weights).set_index("id")
    assert table.loc["le_male", "sii"] < 0  # lower in the most deprived
    assert table.loc["no2_background", "sii"] > 0  # higher in the most deprived
    assert pd.isna(table.loc["imd25_crime", "rii_pct"]) and pd.isna(table.loc["imd25_health", "rii_pct"])
    assert table.loc["imd25_score", "areas"] == "2021 neighbourhoods (LSOAs)"
