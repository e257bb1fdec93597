"""Issue 22 (trust, round two), the statistics: golden figures worked by hand from data/raw, case by case.

Each group's membership is the IMD ordering's (tested in test_gaps.py and test_inequality.py); the figures are
worked here from the raw files with closed-form formulas (Wilson 1927; Garwood's exact Poisson limits through
the chi-squared distribution; weighted least squares), never with the code under test.
"""

import math

import numpy as np
import pandas as pd
import pytest
from scipy.stats import chi2

from explorer.models.gap_views import explain, gap_display, gap_html, groups_frame
from explorer.models.views import gap_view
from explorer.stats.gaps import gap_summary, marmot_gap, units
from explorer.stats.inequality import assign_quantiles, slope_index
from tests.conftest import DATA, PROCESSED

RAW = DATA / "raw"
Z = 1.959963984540054
UC = RAW / "indicators/economy/coventry_dwp_households_on_universal_credit_msoa_monthly_2015-08_to_2023-11.csv"
GARDEN = RAW / "environment/green_space/garden_access/ons_msoa11_access_to_garden_space_apr2020_coventry.csv"
COUNCIL = RAW / "council/coventry_msoa_indicators_council.csv"
IMD15 = RAW / "indicators/iod2015/coventry_imd2015_lsoa11.csv"
IMD19 = RAW / "indicators/coventry_imd2019_lsoa.csv"

# Coventry's most deprived fifth of MSOAs (IMD 2025, Census 2021 residents) and its least deprived fifth.
MOST_DEPRIVED_FIFTH = ["E02001961", "E02001964", "E02001966", "E02001972", "E02001973", "E02001981", "E02001996"]
LEAST_DEPRIVED_FIFTH = ["E02001967", "E02001974", "E02001979", "E02001980", "E02001990", "E02001991", "E02001997",
                        "E02001998", "E02001999"]


def wilson(x: float, n: float) -> tuple[float, float]:
    """Wilson's score interval, in percent, from its closed form."""
    p = x / n
    centre = (p + Z**2 / (2 * n)) / (1 + Z**2 / n)
    half = Z * math.sqrt(p * (1 - p) / n + Z**2 / (4 * n**2)) / (1 + Z**2 / n)
    return 100 * (centre - half), 100 * (centre + half)


def garwood(k: int, n: float, per: float) -> tuple[float, float]:
    """The exact (Garwood) Poisson interval of k events over n, times ``per``, from the chi-squared quantiles."""
    return chi2.ppf(0.025, 2 * k) / 2 / n * per, chi2.ppf(0.975, 2 * (k + 1)) / 2 / n * per


def wls_slope(values, populations) -> tuple[float, float]:
    """The weighted least-squares line through group values at their cumulative population midpoints: (y0, slope)."""
    a = np.asarray(populations, float) / np.sum(populations)
    x = np.cumsum(a) - a / 2
    y = np.asarray(values, float)
    xm, ym = (a * x).sum(), (a * y).sum()
    slope = (a * (x - xm) * (y - ym)).sum() / (a * (x - xm) ** 2).sum()
    return ym - slope * xm, slope


@pytest.fixture(scope="module")
def tables():
    return pd.read_csv(PROCESSED / "lookups.csv"), pd.read_csv(PROCESSED / "lsoa_weights.csv")


def fifth_codes(ind, registry, values, tables, q):
    lookups, weights = tables
    frame, _, _ = units(ind, values, lookups, weights, registry)
    frame = frame.dropna(subset=["value"])
    assignment = assign_quantiles(frame["deprivation"], frame["population"], 5)
    return sorted(assignment.index[assignment == q])


def raw_msoa(path, column):
    frame = pd.read_csv(path, dtype=str)
    code = "MSOA11CD_joined_on_name" if "MSOA11CD_joined_on_name" in frame else "MSOA code"
    return frame.set_index(code)[column].astype(float)


# --- 1. Universal Credit per 100 addresses: the group interval was per 1,000 ----------------------------------

def test_case_1_universal_credit_groups_are_per_100_addresses_with_their_value_inside(registry, values, tables):
    ind = registry["uc_households"]
    assert fifth_codes(ind, registry, values, tables, 1) == MOST_DEPRIVED_FIFTH
    households = raw_msoa(UC, "November 2023 (p)")[MOST_DEPRIVED_FIFTH].sum()
    addresses = raw_msoa(GARDEN, "Total: Address count")[MOST_DEPRIVED_FIFTH].sum()
    assert (households, addresses) == (11469, 27508)
    value = 100 * households / addresses  # 41.69 households per 100 addresses
    lower, upper = garwood(int(households), addresses, 100)  # 40.93 to 42.46
    row = marmot_gap(ind, values, *tables, registry).table.iloc[0]
    assert (round(row["value"], 2), round(row["lower"], 2), round(row["upper"], 2)) == (41.69, 40.93, 42.46)
    assert row["value"] == pytest.approx(value) and (row["lower"], row["upper"]) == pytest.approx((lower, upper))
    shown = groups_frame(marmot_gap(ind, values, *tables, registry), ind).iloc[0]
    assert (shown["value"], shown["interval"]) == ("41.69", "40.93 to 42.46")  # was 42.03, 409.34 to 424.63


# --- 2. Gardens: value and interval from one method (the ratio of summed counts) ------------------------------

def test_case_2_flats_with_outdoor_space_least_deprived_fifth_is_its_counts_divided(registry, values, tables):
    ind = registry["garden_flats"]
    assert fifth_codes(ind, registry, values, tables, 5) == LEAST_DEPRIVED_FIFTH
    with_space = raw_msoa(GARDEN, "Flats: Adress with private outdoor space count")[LEAST_DEPRIVED_FIFTH].sum()
    flats = raw_msoa(GARDEN, "Flats: Address count")[LEAST_DEPRIVED_FIFTH].sum()
    assert (with_space, flats) == (1741, 7485)  # the campus MSOA alone has 4,195 flats, 108 with outdoor space
    lower, upper = wilson(with_space, flats)
    row = marmot_gap(ind, values, *tables, registry).table.iloc[-1]
    assert (round(row["value"], 2), round(row["lower"], 2), round(row["upper"], 2)) == (23.26, 22.32, 24.23)
    assert row["value"] == pytest.approx(100 * with_space / flats)  # was 43.95, a mean of MSOA percentages
    assert (row["lower"], row["upper"]) == pytest.approx((lower, upper))


def test_case_2_every_garden_group_holds_its_value(registry, values, tables):
    for key in ("garden_all", "garden_flats"):
        for n in (5, 10):
            t = marmot_gap(registry[key], values, *tables, registry, n).table
            assert ((t["lower"] <= t["value"]) & (t["value"] <= t["upper"])).all(), (key, n)  # 7 and 12 of 15 were out


# --- 3. Long-term sickness: no counts held, so no interval rather than a wrong one -----------------------------

def test_case_3_long_term_sickness_gets_no_interval_and_says_why(registry, values, tables):
    ind = registry["inactive_sick"]
    lookups, weights = tables
    assert fifth_codes(ind, registry, values, tables, 1) == MOST_DEPRIVED_FIFTH
    council = pd.read_csv(COUNCIL)
    share = council[(council["geography_type"] == "MSOA11")
                    & (council["metric"] == "Economically inactive: long-term sick or disabled (%)")]
    share = share.set_index("geography_code")["value"]
    w21 = weights[weights["geography"] == "lsoa21"].set_index("code")["census2021"]
    msoa = lookups[lookups["geography"] == "lsoa21"].set_index("lsoa")["msoa"]
    residents = w21.groupby(msoa.reindex(w21.index)).sum()
    most = (share[MOST_DEPRIVED_FIFTH] * residents[MOST_DEPRIVED_FIFTH]).sum() / residents[MOST_DEPRIVED_FIFTH].sum()
    result = marmot_gap(ind, values, lookups, weights, registry)
    t = result.table
    assert round(t["value"].iloc[0], 2) == round(most, 2) == 7.15
    assert t["lower"].isna().all() and t["upper"].isna().all()  # was 0.75 to 43.91 around 7.15
    assert t["why_no_interval"].str.contains("counts behind its areas' percentages are not held").all()
    y0, slope = wls_slope(t["value"], t["population"])
    assert result.slope.sii == pytest.approx(slope) and round(-slope, 2) == 6.04  # SII (most − least)
    assert math.isnan(result.slope.sii_lower) and "not held" in result.slope.why_no_interval  # was −26.94 to 42.95
    assert math.isnan(result.slope.rii) and math.isnan(result.slope.rii_lower)  # was 0.209 (−7.29 to 9.02)
    assert "no simulations" in result.slope.why_no_rii
    assert groups_frame(result, ind)["interval"].eq("–").all()
    method = gap_view(result, ind).method
    assert "most deprived tenth or not" not in method and "counts behind the percentages are not held" in method


# --- 4. An RII never below zero; none unless the fitted line is clearly above zero ------------------------------

def test_case_4_no_ratio_where_the_fitted_end_is_not_clearly_above_zero():
    """Five equal groups falling from 10 to 3, each with a standard error of 2: the line ends near zero.

    By hand: the fitted value at the least deprived end (rank 1) is sum(c_i y_i) with c = 0.2 + 1.25 (x_i - 0.5)
    = (-0.3, -0.05, 0.2, 0.45, 0.7), so 1.325 with a standard error of 2 sqrt(sum c^2) = 2 sqrt(0.825) = 1.817:
    above zero with probability Phi(1.325 / 1.817) = Phi(0.729) = 0.767, far short of the 97.5% a ratio needs.
    """
    from scipy.stats import norm

    values, pops = [10.0, 7.0, 5.0, 3.5, 3.0], [100] * 5
    share = np.full(5, 0.2)
    table = pd.DataFrame({"value": values, "population": pops, "se": 2.0, "rank": np.cumsum(share) - share / 2})
    y0, slope = wls_slope(values, pops)
    assert (round(y0, 3), round(y0 + slope, 3)) == (10.075, 1.325)  # both fitted ends above zero
    c = 0.2 + 1.25 * (np.cumsum(share) - share / 2 - 0.5)
    assert round(float(norm.cdf((c * values).sum() / (2 * np.sqrt((c**2).sum())))), 3) == 0.767
    s = slope_index(table)
    assert s.sii == pytest.approx(slope) and s.sii_lower < s.sii < s.sii_upper
    assert math.isnan(s.rii) and math.isnan(s.rii_lower) and math.isnan(s.rii_upper)  # was 0.13 (−0.19 to 0.65)
    assert "least deprived end is not clearly above zero" in s.why_no_rii and "in 76.9% of the simulations" in (
        s.why_no_rii)


def test_case_4_lancaster_park_distance_in_the_national_store(national_built):
    """Lancaster's distance to a park: its fitted most deprived end is above zero in only 96.0% of simulations."""
    import pyarrow.parquet as pq

    from explorer.pipeline.authorities import NationalStore

    folder = national_built[0]
    registry = NationalStore(folder).registry()
    where = [("la", "==", "E07000121")]
    tables = [pq.read_table(folder / f"{name}.parquet", filters=where).to_pandas()
              for name in ("values", "lookups", "weights")]
    result = marmot_gap(registry["green_space_distance"], *tables, registry)
    s = result.slope
    assert s.sii_lower < s.sii < s.sii_upper
    assert math.isnan(s.rii) and math.isnan(s.rii_lower)  # was 4.69 (−28.66 to 46.32)
    assert "most deprived end is not clearly above zero" in s.why_no_rii and "96.0%" in s.why_no_rii


# --- 5. IMD 2015 share: a slope index with no interval says why, in its own cell ------------------------------

def test_case_5_imd_2015_share_slope_by_hand_and_its_reason_beside_it(registry, values, tables):
    ind = registry["imd15_pct_d1"]
    imd19 = pd.read_csv(IMD19).set_index("LSOA code (2011)")
    rank = imd19["Index of Multiple Deprivation (IMD) Rank (where 1 is most deprived)"]
    people = imd19["Total population: mid 2015 (excluding prisoners)"].astype(float)
    decile15 = pd.read_csv(IMD15).set_index("lsoa11_code")["IMD_decile"]
    order = rank.sort_values(kind="mergesort").index  # rank 1 = most deprived first
    midpoint = (people[order].cumsum() - people[order] / 2) / people.sum()
    fifth = np.minimum(np.floor(midpoint * 5), 4) + 1
    in_d1 = (decile15[order] == 1) * 100.0
    groups = pd.DataFrame({"fifth": fifth, "people": people[order], "d1": in_d1})
    shares = groups.groupby("fifth").apply(lambda g: (g["d1"] * g["people"]).sum() / g["people"].sum())
    pops = groups.groupby("fifth")["people"].sum()
    assert [round(v, 2) for v in shares] == [91.02, 2.46, 0.0, 0.0, 0.0]
    _, slope = wls_slope(shares, pops)
    result = marmot_gap(ind, values, *tables, registry)
    assert result.table["value"].tolist() == pytest.approx(shares.tolist())
    assert result.slope.sii == pytest.approx(slope) and round(-slope, 2) == 92.28
    summary = gap_summary(registry, values, *tables)
    row = gap_display(summary).set_index(summary["id"]).loc["imd15_pct_d1"]
    assert row["SII (most − least, 95% CI)"] == "92.28 (no 95% CI: see the note)"  # was a bare "92.28"
    assert "No SII interval: group 3 (1 = most deprived) is at exactly 0%" in row["Note"]
    assert "No RII: the fitted line is at or below zero at one end (the least deprived)" in row["Note"]
    assert "no 95% interval is given because group 3" in explain(result, ind)


# --- 9. Groups hold about, not exactly, equal numbers of residents --------------------------------------------

def test_case_9_tenths_say_what_is_true_and_show_each_groups_residents(registry, values, tables):
    ind = registry["uc_households"]
    result = marmot_gap(ind, values, *tables, registry, 10)
    words = explain(result, ind)
    assert "with equal numbers of residents" not in words
    assert "about equal numbers of residents, not exactly equal: 29,333 to 38,625" in words
    assert words.startswith("Coventry's 42 MSOAs were ranked by IMD 2025 score")
    chart_words = gap_view(result, ind).chart_words
    assert "(29,333 residents)" in chart_words and "(38,625 residents)" in chart_words
    assert groups_frame(result, ind)["population"].tolist()[:2] == ["38,381", "29,333"]


# --- 10. Every gap row says what its areas were ordered by ----------------------------------------------------

def test_case_10_every_gap_row_prints_its_ordering(registry, values, tables):
    summary = gap_summary(registry, values, *tables)
    about = gap_display(summary).set_index(summary["id"])["About"]
    for key in ("green_space_distance", "flytipping_fms"):
        assert "2011 neighbourhoods (LSOAs) ordered by IMD 2019 rank" in about[key], about[key]
    assert "MSOAs ordered by IMD 2025 score averaged over each MSOA's LSOAs" in about["le_male"]
    assert about["disability"].startswith("Census 2021 · ONS, Census 2021 TS038 Disability · 2021 neighbourhoods")
    page = gap_html(summary, 5)
    assert page.count("ordered by IMD 2019 rank") == 4  # IMD 2019 and 2015 shares, green space, fly-tipping
    assert page.count(" ordered by ") == int(summary["most_deprived"].notna().sum())


# --- 27. Too few areas, or too alike in deprivation, for a slope ----------------------------------------------

def test_case_27_rutlands_five_msoas_get_no_slope_and_the_reason(national_built):
    import pyarrow.parquet as pq

    from explorer.pipeline.authorities import NationalStore
    from explorer.pipeline.peers import authority_gaps

    folder = national_built[0]
    store = NationalStore(folder)
    registry = store.registry()
    where = [("la", "==", "E06000017")]
    values, lookups, weights = (pq.read_table(folder / f"{name}.parquet", filters=where).to_pandas()
                                for name in ("values", "lookups", "weights"))
    ind = registry["le_male"]
    frame, _, _ = units(ind, values, lookups, weights, registry)
    have = frame.dropna(subset=["value"])
    assert len(have) == 5 and round(have["deprivation"].max() - have["deprivation"].min(), 2) == 3.35
    result = marmot_gap(ind, values, lookups, weights, registry)
    assert result.slope is None  # was an SII of 3.29 years, the "most deprived" living longest
    assert result.no_slope.startswith("Only 5 MSOAs have a value (a slope needs at least 10: 2 per group)")
    assert "3.4 IMD score points apart; a slope needs 5" in result.no_slope
    gaps = authority_gaps(["E06000017"], registry, values, lookups, weights, store.authorities())
    row = gaps[(gaps["la"] == "E06000017") & (gaps["indicator"] == "le_male")].iloc[0]
    assert np.isnan(row["sii"]) and np.isnan(row["rii"]) and row["note"] == result.no_slope
    assert not np.isnan(row["gap"])  # the groups themselves are still described


def test_case_27_the_rule_is_stated_on_about_from_the_same_constants():
    from streamlit.testing.v1 import AppTest

    from explorer.stats import inequality
    from tests.conftest import REPO

    at = AppTest.from_file(str(REPO / "streamlit_app.py"), default_timeout=60)
    at.switch_page("pages/about.py").run()
    assert not at.exception, at.exception
    text = " ".join(m.value for m in at.markdown)
    assert f"fewer than {inequality.GRADIENT_MIN_AREAS_PER_GROUP} areas with a value per group" in text
    assert "(10 for fifths, 20 for tenths)" in text and "less than 5 IMD score points apart" in text
    assert "3,284 places in England's ranking" in text and "in at least 97.5% of the simulations" in text
    assert "Where the counts behind a percentage are not held, no interval is given" in text


# --- 6. Every note says how its figure is made ------------------------------------------------------------------

CILIF = RAW / "indicators/economy/coventry_dwp_cilif_relative_children_msoa_2014-15_to_2021-22.csv"


def test_case_6_coventrys_notes_say_a_sum_is_a_sum_and_a_ratio_a_ratio(values):
    city = values[values["geography"].isin(["authority", "authority_computed"])]
    note = city[city["note"].fillna("").str.startswith("computed here")].set_index("indicator")["note"]
    children = raw_msoa(CILIF, "2021/22 (p)").sum()
    households = raw_msoa(UC, "November 2023 (p)").sum()
    addresses = raw_msoa(GARDEN, "Total: Address count").sum()
    gardens = raw_msoa(GARDEN, "Total: Adress with private outdoor space count").sum()
    assert (children, households, addresses, gardens) == (22286, 35214, 150559, 128206)
    assert note["cilif_children"] == "computed here: the sum of the counts of Coventry's 42 MSOAs (2011): 22,286"
    assert note["uc_households"] == ("computed here: a ratio of summed counts: the counts of Coventry's 42 MSOAs "
                                     "(2011) added up, then divided, times 100 (35,214 over 150,559)")
    assert note["garden_all"].endswith("added up, then divided, times 100 (128,206 over 150,559)")
    assert note["imd25_pct_d1"].startswith("computed here: the share of the residents of Coventry's 203")
    assert note["le_male"] == "computed here: population-weighted mean of Coventry's 42 MSOAs (2011)"
    for key in ("cilif_children", "uc_households", "garden_all", "garden_flats", "flytipping_fms", "imd25_pct_d1"):
        assert "weighted mean" not in note[key], (key, note[key])  # each was "population-weighted mean"


# --- 7. A count is described, never ranked, placed in fifths, judged or weighed as need ------------------------

def test_case_7_children_in_low_income_families_are_described_on_the_profile(registry, values):
    from explorer.models.profile import profile_table, spine_frame

    counts = values[(values["indicator"] == "cilif_children") & (values["geography"] == "ward")]["value"]
    table = profile_table("E05001222", registry, values).set_index("id")  # Foleshill
    row = table.loc["cilif_children"]
    assert pd.isna(row["rank"]) and row["rank_text"] == "not ranked: a count"  # was ranked 1 of 18
    assert row["comparison"] == "not compared" and row["rule"] == "counts"  # was "△ highest fifth"
    assert row["basis"] == (f"a count, not a rate, so not ranked or judged: Coventry's wards hold "
                            f"{counts.min():,.0f} children (smallest) to {counts.max():,.0f} children (largest); "
                            "22,286 children in all")
    assert "cilif_children" not in set(spine_frame(table.reset_index(), registry)["id"])
