"""One stated method behind every judgement word, rank, interval, comparator and tense."""

import math
from pathlib import Path

import pandas as pd
import pytest

from explorer.models.about import judging_rules, weighting_lines
from explorer.models.citymap import ward_table
from explorer.models.kiosk.facts import area_facts, load_facts
from explorer.models.kiosk.nearby import nearby_lines
from explorer.models.profile import profile_table
from explorer.models.series import travel
from explorer.pipeline.interventions import held_in, load_register, when_summary
from explorer.stats import judge
from tests.conftest import DATA, PROCESSED

EARLSDON, FOLESHILL = "E05001221", "E05001222"


@pytest.fixture(scope="module")
def series():
    return pd.read_csv(PROCESSED / "series.csv"), pd.read_csv(PROCESSED / "monitoring_readings.csv")


# Ties are joint, and a tie at the best end is the best, not "similar".
def test_five_wards_at_zero_percent_are_joint_best(registry, values):
    table = profile_table(EARLSDON, registry, values).set_index("id")
    row = table.loc["imd25_pct_d1"]
    assert row["value"] == 0 and row["rank_text"] == "14-18 of 18 (joint)"
    assert row["comparison"] == "best fifth"  # not "similar" to Coventry's 18.2%
    own = load_facts(DATA / "packs" / "coventry" / "kiosk_facts.csv", registry)  # Coventry's own facts
    facts = area_facts(table.reset_index(), own, registry, "Coventry")
    assert facts[0].comparison == "Joint best of Coventry's 18 wards."
    assert "Close to the Coventry average" not in " ".join(f.comparison for f in facts)


def test_standing_words_from_either_end_and_for_ties():
    assert judge.Standing(14, 5, 18).words() == "joint best"
    assert judge.Standing(1, 2, 18).words() == "joint worst"
    assert judge.Standing(7, 2, 18).words() == "joint 7th worst"
    assert judge.Standing(12, 2, 18).words() == "joint 6th best"
    assert judge.Standing(2, 1, 18).words("most deprived", "least deprived") == "the 2nd most deprived"
    assert judge.Standing(14, 5, 18).fifth == 5 and judge.Standing(1, 1, 18).fifth == 1


def test_ties_are_judged_at_the_decimals_shown():
    places = judge.standings(pd.Series({"a": 10.04, "b": 10.01, "c": 3.0}), "higher_is_worse", 1)
    assert places["a"] == places["b"] == judge.Standing(1, 2, 3)


# Change words follow uncertainty, and IoD editions are counts, not shares.
def test_life_expectancy_change_inside_its_uncertainty_is_no_clear_change(series):
    cs, tubes = series
    women = cs[cs["series"] == "le_birth_female"]
    assert travel(women, 2013, tubes).startswith("no clear change: 82.3 in 2013-2015 to 82.3 in 2016-2018")


def test_deprivation_editions_use_counts_and_mention_the_2019_low(series):
    cs, tubes = series
    words = travel(cs[cs["series"] == "imd_decile1_lsoas"], 2013, tubes)
    assert words.startswith("not judged: 36 of 195 neighbourhoods in IoD 2015; 28 of 195 neighbourhoods in "
                            "IoD 2019; 36 of 203 neighbourhoods in IoD 2025")
    assert "improved" not in words and "%" not in words
    ranks = travel(cs[cs["series"] == "imd_la_rank_d1"], 2013, tubes)
    assert "64 of 317 authorities in IoD 2019; 48 of 296 authorities in IoD 2025" in ranks


def test_change_rules_by_hand():
    assert judge.change_in_counts(2287, 6840, "lower").word == "worsened"
    assert judge.change_in_counts(36, 36, "lower").word == "no clear change"
    assert judge.change_in_proportions((2, 75), (1, 73), "lower").word == "no clear change"
    assert judge.change_in_proportions((23, 38), (1, 73), "lower").word == "improved"
    assert judge.change_by_threshold(78.40, 78.47, 0.6, "higher", "0.6 years").word == "no clear change"
    assert judge.change_by_threshold(75.0, 78.0, 0.6, "higher", "0.6 years").word == "improved"


# Tube sites as shares of those measured, and over the same sites.
def test_tube_exceedances_are_shares_of_sites_measured(series):
    cs, tubes = series
    share = cs[cs["series"] == "no2_tubes_share_over_40"]
    words = travel(share, 2013, tubes)
    assert words.startswith("improved: 23 of 38 sites measured in 2013 (60.5%) to 1 of 73 in 2024 (1.4%)")
    assert travel(share, 2022, tubes).startswith("no clear change")
    paired = travel(cs[cs["series"] == "no2_tube_mean"], 2013, tubes)
    assert "at the 29 sites measured in both 2013 and 2024" in paired


def test_a_fixed_panel_of_sites_went_from_26_over_40_to_none():
    readings = pd.read_csv(PROCESSED / "monitoring_readings.csv")
    tubes = readings.pivot_table(index="tube_id", columns="year", values="no2")
    both = tubes[[2012, 2024]].dropna()
    assert len(both) == 28 and int((both[2012] > 40).sum()) == 26 and int((both[2024] > 40).sum()) == 0


def test_historic_tube_sites_are_marked_as_no_longer_measured():
    import geopandas as gpd

    from explorer.models.webmap import choropleth_map, picker_features

    tubes = pd.read_csv(PROCESSED / "monitoring_sites.csv")
    wards = gpd.read_parquet(PROCESSED / "wards.parquet")
    document = choropleth_map(picker_features(wards, ""), wards.total_bounds, layer_name="x",
                              tubes=tubes).get_root().render()
    historic = tubes[(tubes["latest_year"] < 2024) & (tubes["latest_no2"] > 40)]
    assert len(historic) == 6
    assert document.count("no longer measured: last measured in") == int((tubes["latest_year"] < 2024).sum())
    assert document.count("(over the 40 µg/m³ objective)") == 1  # only the one site over 40 in 2024


# The slope and relative indices are tested in test_inequality.py; the gaps and circular orderings in test_gaps.py.


# The publisher's comparator, and what was computed beside it.
def test_coventry_comparator_is_ons_own_figure_for_life_expectancy(registry, values):
    table = profile_table(FOLESHILL, registry, values).set_index("id")
    for key, published, computed in (("le_male", 77.92, 77.52), ("le_female", 82.12, 81.94),
                                     ("hle_male", 61.23, 60.48), ("hle_female", 61.76, 60.86),
                                     ("dfle_male", 62.34, 61.64), ("dfle_female", 62.78, 61.99)):
        assert round(table.loc[key, "authority"], 2) == published, key
        assert round(table.loc[key, "authority_computed"], 2) == computed, key
        assert table.loc[key, "authority_note"].startswith("ONS's own figure for Coventry"), key
    assert "computed here" in table.loc["no2_background", "authority_note"]


def test_imd_comparator_is_mhclg_own_and_reconciles_with_ours(values):
    rows = values[values["indicator"] == "imd25_score"].set_index("geography")
    assert rows.loc["authority", "value"] == 27.528 and round(rows.loc["authority_computed", "value"], 3) == 27.528


# England values for most indicators, each saying where it comes from.
def test_england_column_is_filled_where_national_files_exist(registry, values):
    table = profile_table(FOLESHILL, registry, values).set_index("id")
    missing = sorted(table.index[table["england"].isna()])
    assert missing == ["cilif_children", "flytipping_fms", "imd25_idaci", "imd25_idaopi", "inactive_sick",
                       "iod_air_quality", "no2_background", "pm25_background", "uc_households"]
    assert round(table.loc["imd25_pct_d1", "england"], 1) == 10.1  # 10% of LSOAs by definition
    assert round(table.loc["disability", "england"], 1) == 17.3
    assert all(table.loc[k, "england_note"] for k in table.index if not math.isnan(table.loc[k, "england"]))


# Dated sites, in the past tense, and provision at a chosen year.
def test_snapshots_say_when_they_were_listed(registry):
    register = load_register(DATA / "registry" / "interventions.csv", {"economy", "communities", "climate"},
                             set(pd.read_csv(PROCESSED / "wards.csv")["code"])).rows
    ev = register[register["type"] == "EV charge point"]
    assert when_summary(ev) == "in November 2020"
    drops = register[register["type"] == "Waste drop site"]
    assert when_summary(drops) == "from January to March 2022"
    st_michaels = register[register["ward"] == "E05001230"].assign(priority=lambda f: f["priority"])
    words = " ".join(nearby_lines(st_michaels))
    assert "(on the list in January 2022)" in words and "recorded at some time from 2011 to 2024" in words
    assert len(held_in(ev, 2020)) == len(ev) and held_in(ev, 2022).empty
    assert len(held_in(drops, 2022)) == 9 and held_in(drops, 2023).empty


# The About page's method text comes from the registry and the judge's rules.
def test_about_weights_are_read_from_the_registry(registry):
    lines = weighting_lines(registry)
    mid2019 = next(line for line in lines if line.startswith("ONS mid-2019 population estimates"))
    assert "Average distance to the nearest park" in mid2019 and "FixMyStreet" in mid2019


def test_crude_disability_rate_is_never_called_better(registry, values):
    table = profile_table(FOLESHILL, registry, values).set_index("id")
    assert table.loc["disability", "comparison"] == "lower"  # Foleshill is young: lower, not "better"
    assert not registry["disability"].is_judged


def test_how_we_judge_lists_every_word_the_rules_can_give():
    words = {w for _, listed, _ in judging_rules() for w in listed.split(", ") if w}
    assert {"better", "worse", "similar", "improved", "no clear change", "joint", "best fifth",
            "not judged"} <= words


def test_city_map_table_uses_the_same_verdicts_as_the_profile(registry, values, wards):
    ind = registry["le_male"]
    table = ward_table(values, wards, ind, "Coventry").set_index("name")
    assert table.loc["Radford", "compared"] == "worse" and table.loc["Wainbody", "compared"] == "better"
    profile = profile_table("E05001227", registry, values).set_index("id")  # Radford
    assert profile.loc["le_male", "comparison"] == "worse"


def test_two_wards_need_intervals_to_be_called_better_or_worse(registry, values, wards):
    from explorer.models.compare import two_wards

    names = dict(zip(wards["code"], wards["name"], strict=True))
    pair = two_wards("E05001227", "E05001231", registry, values, names).set_index("label")
    assert pair.loc[registry["le_male"].label, "direction"] == "better in Wainbody"
    assert pair.loc[registry["imd25_score"].label, "direction"] == "higher in Radford"
    assert "not judged" in pair.loc[registry["imd25_score"].label, "basis"]


def test_registry_files_exist():
    for name in ("comparators.csv", "series.csv", "published_gaps.csv"):
        assert (Path(DATA) / "registry" / name).exists()


def test_fewer_than_five_wards_are_not_placed_in_fifths():
    """The Isles of Scilly: one ward with a value cannot be both "1 of 1" (worst) and in the best fifth."""
    from explorer.stats.judge import Standing, versus

    alone = versus(5.0, float("nan"), float("nan"), 3.0, polarity="higher_is_worse", judged=True,
                   benchmark_name="Isles of Scilly", standing=Standing(1, 1, 1))
    assert (alone.word, alone.rule) == ("not compared", "none") and "only 1 ward has a value" in alone.basis
    five = versus(5.0, float("nan"), float("nan"), 3.0, polarity="higher_is_worse", judged=True,
                  benchmark_name="Coventry", standing=Standing(1, 1, 5))
    assert five.word == "worst fifth"
