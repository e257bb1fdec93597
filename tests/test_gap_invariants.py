"""The check that catches the kind: every authority held, every indicator, both groupings, at data level.

For Coventry's committed build (data/processed) and every authority of the five-authority national store
(tests/conftest.py's ``national_built``), in fifths and tenths:

- each value lies within its interval, and an interval missing says why;
- each bound stays within what the unit allows (0 to 100 for a percentage; at least 0 for a count, a rate, a
  distance, a concentration, years or an unstandardised score);
- each RII and its interval are above zero, or absent with a reason; each SII lies within its interval, or the
  interval is absent with a reason; a slope withheld says why;
- no count is ranked, placed in fifths, judged, used as a need score or split into groups;
- every figure shown has a period and a source, and every authority figure computed here says how it is made.

No pages are drawn, so it is quick enough for every CI run (about half a minute on two cores).
"""

import math

import numpy as np
import pandas as pd
import pytest

from explorer.models.citymap import judge_wards, summary_sentence, ward_table
from explorer.models.gap_views import gap_display
from explorer.models.profile import judged_all
from explorer.models.provision import need_indicators
from explorer.pipeline.authorities import NationalStore
from explorer.stats.gaps import gap_results, gap_summary
from tests.conftest import DATA, FIVE, PROCESSED

GROUPINGS = (5, 10)


def lowest_possible(ind) -> float | None:
    """The lowest value the indicator's unit allows (None: a score standardised around zero can be negative)."""
    if "standardised around 0" in ind.caveat:
        return None
    return 0.0


def highest_possible(ind) -> float | None:
    return 100.0 if ind.unit.startswith("%") else None


@pytest.fixture(scope="module")
def sources(national_built):
    """(name, registry, values, lookups, weights, wards) for Coventry's pack and every authority of the store."""
    from explorer.registry import load_registry

    out = [("Coventry (data/processed)", load_registry(DATA / "registry" / "indicators.csv"),
            pd.read_csv(PROCESSED / "values.csv", dtype={"code": str}), pd.read_csv(PROCESSED / "lookups.csv"),
            pd.read_csv(PROCESSED / "lsoa_weights.csv"), pd.read_csv(PROCESSED / "wards.csv"))]
    store = NationalStore(national_built[0], cache_size=len(FIVE))
    for code in FIVE:
        a = store.authority(code)
        out.append((f"{a.name} (national store)", a.registry, a.values, a.lookups, a.weights, a.wards))
    return out


@pytest.fixture(scope="module")
def results(sources):
    """Every gap of every source and grouping, worked out once: {(source, n): {indicator: GapResult or reason}}."""
    return {(name, n): gap_results(registry, values, lookups, weights, n)
            for name, registry, values, lookups, weights, _ in sources for n in GROUPINGS}


def test_every_group_value_lies_within_its_interval_and_the_unit(sources, results):
    problems = []
    for name, registry, *_ in sources:
        for n in GROUPINGS:
            for key, r in results[(name, n)].items():
                if isinstance(r, str):
                    continue
                ind, t = registry[key], r.table
                low, high = lowest_possible(ind), highest_possible(ind)
                for row in t.itertuples():
                    where = (name, n, key, row.quantile)
                    if math.isnan(row.lower) or math.isnan(row.upper):
                        if not row.why_no_interval:
                            problems.append((*where, "no interval and no reason"))
                        continue
                    if not row.lower <= row.value <= row.upper:
                        problems.append((*where, f"{row.value} outside {row.lower} to {row.upper}"))
                    if low is not None and row.lower < low:
                        problems.append((*where, f"lower {row.lower} below {low}"))
                    if high is not None and row.upper > high:
                        problems.append((*where, f"upper {row.upper} above {high}"))
                if low is not None and (t["value"] < low).any():
                    problems.append((name, n, key, "a group value below what the unit allows"))
    assert not problems, problems[:10]


def test_every_ward_and_authority_value_lies_within_its_interval_and_the_unit(sources):
    """Ward and authority figures themselves (not only groups), for every indicator held, the national themes too.

    A figure its publisher gives for wards only (DWP's child poverty after housing costs) has no interval (DWP's
    denominators are not held) and no gap; each ward without a value says why in its row.
    """
    problems, seen = [], set()
    for name, registry, values, *_ in sources:
        rows = values[values["geography"].isin(["ward", "city", "city_computed", "authority", "authority_computed"])]
        for ind in registry.values():
            if not ind.on_ward_map:
                continue
            seen.add(ind.id)
            mine = rows[rows["indicator"] == ind.id]
            low, high = lowest_possible(ind), highest_possible(ind)
            for row in mine.itertuples():
                where = (name, ind.id, row.geography, row.code)
                if math.isnan(row.value):
                    if ind.ward_published and row.geography == "ward" and not row.note:
                        problems.append((*where, "no value and no reason"))
                    continue
                if not (math.isnan(row.lower) or math.isnan(row.upper)) and not row.lower <= row.value <= row.upper:
                    problems.append((*where, f"{row.value} outside {row.lower} to {row.upper}"))
                bottom = row.value if math.isnan(row.lower) else row.lower
                top = row.value if math.isnan(row.upper) else row.upper
                if (low is not None and bottom < low) or (high is not None and top > high):
                    problems.append((*where, f"{bottom} to {top} outside what the unit allows"))
    assert not problems, problems[:10]
    assert {"child_poverty_ahc", "child_poverty_ahc_fye2024"} <= seen  # the national themes are covered
    for name, registry, *_ in sources[1:]:  # every authority of the store holds them
        assert registry["child_poverty_ahc"].ward_published, name


def check_slope(where, row: dict) -> list:
    """The SII and RII of one summary row (most minus least deprived; RII least / most): within, above zero, said."""
    problems = []
    note = row.get("note") if isinstance(row.get("note"), str) else ""
    if pd.isna(row.get("sii")):
        if not note:
            problems.append((*where, "no slope index and no reason"))
        if not pd.isna(row.get("rii")):
            problems.append((*where, "an RII without its slope index"))
        return problems
    if pd.isna(row["sii_lower"]) or pd.isna(row["sii_upper"]):
        if "No SII interval" not in note:
            problems.append((*where, "SII without interval and no reason"))
    elif not row["sii_lower"] <= row["sii"] <= row["sii_upper"]:
        problems.append((*where, f"SII {row['sii']} outside {row['sii_lower']} to {row['sii_upper']}"))
    if pd.isna(row["rii"]):
        if "No RII" not in note:
            problems.append((*where, "no RII and no reason"))
        if not (pd.isna(row["rii_lower"]) and pd.isna(row["rii_upper"])):
            problems.append((*where, "an RII interval without an RII"))
    else:
        if not row["rii"] > 0:
            problems.append((*where, f"RII {row['rii']} not above zero"))
        if pd.isna(row["rii_lower"]) or not 0 < row["rii_lower"] <= row["rii"] <= row["rii_upper"]:
            problems.append((*where, f"RII {row['rii']} ({row['rii_lower']} to {row['rii_upper']})"))
    return problems


def test_every_slope_and_relative_index_is_within_above_zero_or_absent_with_a_reason(sources, results):
    problems = []
    for name, registry, values, lookups, weights, _ in sources:
        for n in GROUPINGS:
            summary = gap_summary(registry, values, lookups, weights, n, results=results[(name, n)])
            for row in summary.to_dict("records"):
                problems += check_slope((name, n, row["id"]), row)
            shown = gap_display(summary)
            assert not shown.astype(str).apply(lambda c: c.str.contains(r"\bnan\b|<NA>")).any().any(), name
            # A figure shown without its interval says so in its own cell.
            for cell in shown["SII (most − least, 95% CI)"].tolist() + shown["RII (least ÷ most, 95% CI)"].tolist():
                assert cell == "not given" or "(" in cell, (name, n, cell)
    assert not problems, problems[:10]


def test_the_stores_gaps_table_keeps_the_same_rules(national_built):
    """The gaps beside similar authorities (every authority held and England) follow the same rules."""
    gaps = NationalStore(national_built[0]).table("gaps")
    assert set(FIVE) < set(gaps["la"])
    problems = []
    for row in gaps.to_dict("records"):
        problems += check_slope((row["la"], row["indicator"]), row)
        if not (row["period"] and row["source"]):
            problems.append((row["la"], row["indicator"], "no period or source"))
    assert not problems, problems[:10]


def test_every_gap_row_has_a_period_a_source_and_its_ordering(sources, results):
    for name, registry, values, lookups, weights, _ in sources:
        for n in GROUPINGS:
            summary = gap_summary(registry, values, lookups, weights, n, results=results[(name, n)])
            assert summary["period"].str.len().gt(0).all() and summary["source"].str.len().gt(0).all(), name
            ordered = summary[summary["most_deprived"].notna()] if "most_deprived" in summary else summary.iloc[:0]
            assert ordered["ordering"].str.len().gt(0).all(), name
            about = gap_display(summary).set_index(summary["id"])["About"]
            for key in ordered["id"]:
                assert " ordered by " in about[key], (name, key, about[key])


def test_no_count_is_ranked_placed_in_fifths_judged_weighed_or_grouped(sources, results):
    for name, registry, values, _, _, wards in sources:
        counts = [ind for ind in registry.values() if ind.on_ward_map and ind.is_count]
        judged = judged_all(registry, values)
        for ind in counts:
            frame = judged[ind.id]
            assert frame["rank"].isna().all() and (frame["n"] == 0).all(), (name, ind.id)
            assert set(frame["verdict"]) <= {"not compared", "no data"}, (name, ind.id)
            assert not frame["rank_text"].str.contains(r"\d+ of \d+").any(), (name, ind.id)
            assert (frame.loc[frame["verdict"] != "no data", "rule"] == "counts").all(), (name, ind.id)
            for n in GROUPINGS:
                assert isinstance(results[(name, n)][ind.id], str), (name, ind.id, n)  # a reason, never groups
            assert ind.id not in need_indicators([ind.id], registry)[0]
            sentence = summary_sentence(ward_table(values, wards, ind, name), ind)
            assert "largest in" in sentence and "highest" not in sentence, sentence
        for key, frame in judged.items():  # and nothing else is placed in fifths with a count's rule
            assert not registry[key].is_count or "fifth" not in " ".join(frame["verdict"]), key


def test_a_count_in_any_authority_is_described_not_judged():
    """The rule is the registry's method, so a count added for any authority is never ranked (a made-up count)."""
    from explorer.registry import load_registry

    ind = load_registry(DATA / "registry" / "indicators.csv")["cilif_children"]
    own = pd.DataFrame({"value": [10.0, 30.0, 20.0, np.nan], "lower": np.nan, "upper": np.nan},
                       index=["a", "b", "c", "d"])
    frame = judge_wards(own, 60.0, ind, "Anywhere")
    assert frame["rank"].isna().all() and frame.loc["d", "verdict"] == "no data"
    assert frame.loc["a", "basis"].endswith("hold 10 children (smallest) to 30 children (largest); 60 children in all")


METHOD_WORDS = {  # what an authority figure computed here must say, by the registry's method
    "count": "the sum of the counts", "count_ratio": "a ratio of summed counts",
    "rate_per_1000_per_year": "a rate from summed counts", "decile1_share": "the share of the residents",
    "mean": "weighted mean",
}


def test_every_computed_authority_figure_says_how_it_is_made(sources, national_built):
    checked = 0
    for name, registry, values, *_ in sources:
        rows = values[values["geography"].isin(["city", "city_computed", "authority", "authority_computed"])
                      & values["note"].fillna("").str.startswith("computed here")]
        for key, note in zip(rows["indicator"], rows["note"], strict=True):
            ind = registry[key]
            words = ("area-weighted mean" if ind.geography == "grid1km" else METHOD_WORDS[ind.method])
            assert words in note, (name, key, note)
            if ind.method != "mean":
                assert "weighted mean" not in note, (name, key, note)
            checked += 1
    assert checked > 100


def _text(value) -> str:
    return "" if value is None or (isinstance(value, float) and math.isnan(value)) else str(value)


def gap_over_time_problems(rows: pd.DataFrame) -> list:
    """Every gap-over-time row (a series at one time): the rules every other gap keeps, and the rule of change."""
    problems = []
    for row in rows.to_dict("records"):
        where = (row["la"], row["series"], row["period"])
        lo, sii, hi = row["sii_lower"], row["sii"], row["sii_upper"]
        if pd.isna(sii):
            if not _text(row["note"]).strip():
                problems.append((*where, "no slope index and no reason"))
        elif pd.isna(lo) or pd.isna(hi):
            if "No SII interval" not in _text(row["note"]):
                problems.append((*where, "no interval and no reason"))
        elif not lo <= sii <= hi:
            problems.append((*where, f"SII {sii} outside {lo} to {hi}"))
        high = 100.0 if str(row["unit"]).startswith("%") else math.inf
        for key in ("most_deprived", "least_deprived"):  # every series is a share, a rate or a concentration
            if pd.notna(row[key]) and not 0 <= row[key] <= high:
                problems.append((*where, f"{key} {row[key]} outside 0 to {high}"))
        for key in ("period", "source", "ordering", "method", "unit", "edition", "rule_note"):
            if not _text(row[key]).strip():
                problems.append((*where, f"no {key}"))
        if row["rule"] not in ("judged", "described"):
            problems.append((*where, f"rule {row['rule']!r}"))
    for (la, series), part in rows.sort_values("order").groupby(["la", "series"]):
        words = set(part["change"].fillna(""))
        if part["change"].iloc[:-1].fillna("").ne("").any():
            problems.append((la, series, "a judgement before the last time"))
        if part["rule"].iloc[-1] == "described" and words & {"narrowing", "widening", "no clear change"}:
            problems.append((la, series, "a described series judged"))
        if "report" in str(part["unit"].iloc[-1]) and part["rule"].iloc[-1] != "described":
            problems.append((la, series, "a series of reports judged like a rate"))
    return problems


def test_every_gap_over_time_keeps_the_rules_in_every_authority_and_coventrys_own(national_built):
    """The national series (every authority of the store) and Coventry's pack's own (NO2 tubes, FixMyStreet)."""
    national = NationalStore(national_built[0], cache_size=len(FIVE)).table("gap_series")
    own = pd.read_csv(PROCESSED / "gap_series.csv", keep_default_na=False, na_values=[""])
    assert set(FIVE) <= set(national["la"])
    assert set(own["series"]) == {"no2_tubes", "fms_flytipping_years"} and len(own) == 28
    rows = pd.concat([national, own.assign(period=own["period"].astype(str))], ignore_index=True)
    problems = gap_over_time_problems(rows)
    assert not problems, problems[:10]
    broken = own.assign(sii=own["sii_upper"] + 1)  # the check can fail: a slope index outside its interval
    assert gap_over_time_problems(broken.assign(period=broken["period"].astype(str)))
