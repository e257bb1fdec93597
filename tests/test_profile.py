"""The ward profile: comparisons, the spine chart, the CSV briefing and golden summary sentences."""

import io
import math

import pandas as pd
import pytest

from explorer.models.profile import profile_csv, profile_table, spine_positions, summary
from explorer.stats.judge import Standing, ordinal, versus


def story(code, registry, values, wards):
    row = wards.set_index("code").loc[code]
    return summary(row["name"], profile_table(code, registry, values), row["lsoa21_straddling"], row["lsoa21_count"])


def test_foleshill_summary_golden(registry, values, wards):
    assert story("E05001222", registry, values, wards) == [
        "Foleshill is the most deprived of Coventry's 18 wards on the Index of Multiple Deprivation 2025 "
        "(average score 50.2; Coventry 27.5).",
        "76% of its residents live in neighbourhoods among England's most deprived 10% (Coventry 18%).",
        "In 2009-2013 (old: the newest small-area figures held), life expectancy at birth was 74.9 years for men "
        "and 79.8 for women "
        "(both significantly below Coventry's 77.9 and 82.1, ONS's own figures for the city).",
        "Beyond deprivation, it compares worst on healthy life expectancy at birth: men (significantly worse than "
        "Coventry) and healthy life expectancy at birth: women (significantly worse than Coventry).",
    ]


def test_wainbody_summary_golden(registry, values, wards):
    assert story("E05001231", registry, values, wards) == [
        "Wainbody is the least deprived of Coventry's 18 wards on the Index of Multiple Deprivation 2025 "
        "(average score 6.4; Coventry 27.5).",
        "None of its residents live in neighbourhoods among England's most deprived 10%.",
        "In 2009-2013 (old: the newest small-area figures held), life expectancy at birth was 81.7 years for men "
        "and 85.9 for women "
        "(both significantly above Coventry's 77.9 and 82.1, ONS's own figures for the city).",
        "Beyond deprivation, it compares worst on average distance to the nearest park, public garden or playing "
        "field (in the worst fifth of wards) and homes with a private garden or other private outdoor space "
        "(significantly worse than Coventry).",
        "1 of its 8 neighbourhoods also has homes in a neighbouring ward, so its figures are close estimates.",
    ]


def test_every_ward_gets_three_to_five_sentences(registry, values, wards):
    for code in wards["code"]:
        sentences = story(code, registry, values, wards)
        assert 3 <= len(sentences) <= 5, code


def test_comparison_uses_confidence_limits_then_fifths(registry):
    le, imd = registry["le_male"], registry["imd25_score"]
    common = {"polarity": le.polarity, "judged": True, "benchmark_name": "Coventry"}
    assert versus(75.0, 74.0, 76.0, 77.9, **common).word == "worse"
    assert versus(77.0, 76.0, 78.0, 77.9, **common).word == "similar"
    common = {"polarity": imd.polarity, "judged": True, "benchmark_name": "Coventry"}
    nan = math.nan
    first = versus(50.0, nan, nan, 27.5, standing=Standing(1, 1, 18), **common)
    assert (first.word, first.rule) == ("worst fifth", "fifths")
    assert "not compared with Coventry's value" in first.basis
    assert versus(10.0, nan, nan, 27.5, standing=Standing(16, 1, 18), **common).word == "best fifth"
    assert versus(25.0, nan, nan, 27.5, standing=Standing(8, 1, 18), **common).word == "middle fifths"


def test_england_value_where_the_source_gives_one(registry, values):
    table = profile_table("E05001222", registry, values).set_index("id")
    assert table.loc["le_male", "england"] == pytest.approx(79.13487)
    assert math.isnan(table.loc["no2_background", "england"])  # the 1 km grid is held for Coventry only


def test_spine_puts_coventry_in_the_middle_and_better_to_the_right(registry, values):
    table = profile_table("E05001231", registry, values)  # Wainbody, least deprived
    spine = spine_positions(table, registry).set_index("id")
    assert spine["ward"].between(0, 1).all()
    assert spine.loc["imd25_score", "ward"] == pytest.approx(1.0) or spine.loc["imd25_score", "ward"] > 0.9
    assert spine.loc["le_male", "ward"] > 0.5


def test_briefing_csv_has_every_indicator_with_sources(registry, values):
    table = profile_table("E05001222", registry, values)
    frame = pd.read_csv(io.BytesIO(profile_csv("E05001222", "Foleshill", table)))
    assert len(frame) == sum(ind.on_ward_map for ind in registry.values())
    assert frame["source"].notna().all() and frame["period"].notna().all() and frame["licence"].notna().all()


@pytest.mark.parametrize("n, text", [(1, "1st"), (2, "2nd"), (3, "3rd"), (4, "4th"), (11, "11th"), (12, "12th"),
                                     (13, "13th"), (18, "18th"), (21, "21st")])
def test_ordinals(n, text):
    assert ordinal(n) == text


@pytest.mark.parametrize("code, start", [
    ("E05001225", "Longford is the 2nd most deprived"),
    ("E05001226", "Lower Stoke is the 9th most deprived"),
    ("E05001221", "Earlsdon is the 2nd least deprived"),
])
def test_deprivation_place_reads_naturally_from_either_end(registry, values, wards, code, start):
    assert story(code, registry, values, wards)[0].startswith(start)
