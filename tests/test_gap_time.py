"""Is the gap narrowing? The gap (SII) of each series held at two or more times, for every authority.

The golden figures are worked here by a separate, simple calculation from the raw files (not through the build's
code): Cornwall's households on Universal Credit per 100 addresses, November 2016 and November 2023, by MSOA
ordered by IMD 2015, with the slope index's 95% interval by the delta method (a normal approximation beside
phe_sii's 100,000 simulations). The invariants hold for every authority of the test store.
"""

import math
import shutil

import numpy as np
import pandas as pd
import pytest
from altair.utils.schemapi import validate_jsonschema
from altair.vegalite.v6.schema.core import load_schema
from scipy.stats import chi2
from streamlit.testing.v1 import AppTest

from explorer.models import gap_time
from explorer.pipeline.authorities import NationalStore
from explorer.pipeline.gap_series import load_series
from explorer.pipeline.national import national_registry
from explorer.places import PlaceKey, Sources, open_place
from explorer.stats.gap_time import gap_at
from explorer.stats.judge import NARROWING, NO_CLEAR_CHANGE, WIDENING, gap_change
from geo.errors import DataError
from tests.conftest import BIRMINGHAM, CORNWALL, COVENTRY, DATA, FIVE, PACKS, REPO, SCILLY

RAW = DATA / "raw" / "national"
UC_2016 = RAW / "england_dwp_households_on_universal_credit_msoa11_nov2016_nov2022.csv.gz"
UC_2023 = RAW / "england_dwp_households_on_universal_credit_msoa11_nov2023.csv.gz"
NAN = math.nan


# --- The rule, on its own -------------------------------------------------------------------------------------------

def test_the_rule_uses_the_interval_of_the_difference_where_both_have_one():
    # SE 1/1.96 each: the difference's interval is 3 ± 1.96·√2/1.96 = 3 ± 1.41, clear of zero.
    first, last = (-10.0, -11.0, -9.0), (-7.0, -8.0, -6.0)
    assert gap_change(first, last, rule="judged", threshold=99, threshold_words="x").word == NARROWING
    assert gap_change(last, first, rule="judged", threshold=99, threshold_words="x").word == WIDENING
    # 1.2 apart: inside ± 1.41, so no clear change, whatever the threshold says.
    close = (-8.8, -9.8, -7.8)
    assert gap_change(first, close, rule="judged", threshold=0.1, threshold_words="x").word == NO_CLEAR_CHANGE


def test_the_rule_falls_back_to_the_stated_threshold_only_without_an_interval():
    a, b = (36.3, NAN, NAN), (34.1, NAN, NAN)
    assert gap_change(a, b, rule="judged", threshold=2, threshold_words="2 points").word == NARROWING
    found = gap_change(a, b, rule="judged", threshold=3, threshold_words="3 points")
    assert found.word == NO_CLEAR_CHANGE and "3 points" in found.basis


def test_narrowing_and_widening_follow_the_size_of_the_slope_whichever_way_it_runs():
    up = gap_change((5.0, NAN, NAN), (-8.0, NAN, NAN), rule="judged", threshold=1, threshold_words="1")
    assert up.word == WIDENING and "changed direction" in up.basis
    assert gap_change((-5.0, NAN, NAN), (-2.0, NAN, NAN), rule="judged", threshold=1,
                      threshold_words="1").word == NARROWING


def test_a_described_series_is_never_judged():
    for first, last in (((1.0, 0.9, 1.1), (40.0, 39.0, 41.0)), ((40.0, 39.0, 41.0), (1.0, 0.9, 1.1)),
                        ((3.0, NAN, NAN), (3.0, NAN, NAN))):
        word = gap_change(first, last, rule="described", threshold=NAN, threshold_words="").word
        assert word in ("rose", "fell", "no change")


def test_a_missing_slope_index_is_no_data_not_a_judgement():
    assert gap_change((NAN, NAN, NAN), (3.0, 2.0, 4.0), rule="judged", threshold=1,
                      threshold_words="1").word == "no data"


def test_one_time_holds_its_slope_index_inside_its_interval_and_leaves_missing_areas_out():
    rng = np.random.default_rng(1)
    n = 40
    frame = pd.DataFrame({"deprivation": np.linspace(60, 5, n), "population": rng.integers(5000, 9000, n),
                          "denominator": rng.integers(3000, 4000, n).astype(float)},
                         index=[f"E020000{i:02d}" for i in range(n)])
    frame["numerator"] = np.round(frame["denominator"] * np.linspace(0.3, 0.05, n))
    frame["value"] = frame["numerator"] / frame["denominator"] * 100
    frame.loc[frame.index[3], ["value", "numerator"]] = NAN  # suppressed: left out, never filled
    frame["lower"] = frame["upper"] = NAN
    got = gap_at(frame, interval="poisson", value_type="rate", per=100, words="MSOAs", spread_kind="score", name="X")
    assert got["areas"] == n - 1
    assert got["sii_lower"] <= got["sii"] <= got["sii_upper"]
    assert got["sii"] > 0 and got["most_deprived"] > got["least_deprived"]


# --- The registry ---------------------------------------------------------------------------------------------------

@pytest.fixture
def data_copy(tmp_path):
    shutil.copytree(DATA / "registry", tmp_path / "registry")
    return tmp_path


@pytest.fixture(scope="module")
def national():
    return national_registry(DATA)


def _edit(data, find, replace):
    path = data / "registry" / "gap_series.csv"
    text = path.read_text("utf-8")
    assert find in text
    path.write_text(text.replace(find, replace, 1), "utf-8")


def test_the_series_registry_reads(national):
    spec = load_series(DATA, national)
    assert set(spec["series"]) == {"child_poverty_ahc", "uc_households"}
    assert set(spec.loc[spec["series"] == "uc_households", "rule"]) == {"described"}


@pytest.mark.parametrize("find, replace, column", [
    ("uc_households,1,uc_households,", "uc_households,1,uc_household,", "indicator"),
    (",msoa11,imd15,described", ",msoa11,imd99,described", "ordering"),
    (",ward,imd25,judged,2,2 percentage points", ",ward,imd25,judged,,2 percentage points", "threshold"),
    (",ward,imd25,judged,2,", ",ward,imd25,maybe,2,", "rule"),
])
def test_a_bad_series_row_is_named_by_row_and_column(data_copy, national, find, replace, column):
    _edit(data_copy, find, replace)
    with pytest.raises(DataError) as err:
        load_series(data_copy, national)
    assert f"'{column}'" in str(err.value) and "gap_series.csv" in str(err.value)


def test_a_series_with_one_time_is_refused(data_copy, national):
    path = data_copy / "registry" / "gap_series.csv"
    lines = [line for line in path.read_text("utf-8").splitlines() if not line.startswith("child_poverty_ahc,2,")]
    path.write_text("\n".join(lines) + "\n", "utf-8")
    with pytest.raises(DataError, match="one time only"):
        load_series(data_copy, national)


# --- Golden: Cornwall's Universal Credit gap, worked by hand from the raw files ------------------------------------

def _fifths_by_hand(code: str, column: str, path, lookups: pd.DataFrame, weights: pd.DataFrame) -> dict:
    """Fifths, rates, exact Poisson limits and the SII with a delta-method interval, from the raw files."""
    msoas = pd.read_parquet(RAW / "england_msoa11_bgc.parquet", columns=["MSOA11CD", "LAD25CD"])
    mine = sorted(msoas.loc[msoas["LAD25CD"] == code, "MSOA11CD"])
    counts = pd.read_csv(path, dtype=str).set_index("MSOA11CD")[column]
    counts = pd.to_numeric(counts.replace("..", np.nan)).reindex(mine)
    addresses = pd.read_csv(RAW / "england_ons_msoa11_access_to_garden_space_apr2020.csv.gz",
                            dtype={"MSOA code": str}).set_index("MSOA code")["Total: Address count"].reindex(mine)
    imd15 = pd.read_csv(RAW / "england_imd2015_lsoa11.csv.gz").set_index("lsoa11_code")["IMD_score"]
    l11 = pd.read_csv(RAW / "england_lsoa11_msoa11.csv.gz").set_index("LSOA11CD")["MSOA11CD"]
    pop15 = pd.read_csv(RAW / "england_iod2019_file6_lsoa11.csv.gz", thousands=",").set_index("LSOA code (2011)")[
        "Total population: mid 2015 (excluding prisoners)"]
    in_mine = l11[l11.isin(mine)]
    w = pop15.reindex(in_mine.index)
    deprivation = (imd15.reindex(in_mine.index) * w).groupby(in_mine).sum() / w.groupby(in_mine).sum()
    # Census 2021 residents of each MSOA: the build's lookup of 2021 LSOAs to MSOAs (an input of the gap, not it).
    link = lookups[lookups["geography"] == "lsoa21"].set_index("lsoa")["msoa"]
    census = weights[weights["geography"] == "lsoa21"].set_index("code")["census2021"]
    residents = census.groupby(link.reindex(census.index)).sum().reindex(mine)
    frame = pd.DataFrame({"n": counts, "d": addresses, "dep": deprivation, "pop": residents}).dropna()
    frame = frame.sort_values("dep", ascending=False, kind="mergesort")
    mid = (frame["pop"].cumsum() - frame["pop"] / 2) / frame["pop"].sum()
    frame["fifth"] = np.minimum(np.floor(mid * 5), 4) + 1
    g = frame.groupby("fifth").agg(n=("n", "sum"), d=("d", "sum"), pop=("pop", "sum"))
    y = g["n"] / g["d"] * 100
    lo = chi2.ppf(0.025, 2 * g["n"]) / 2 / g["d"] * 100
    hi = chi2.ppf(0.975, 2 * g["n"] + 2) / 2 / g["d"] * 100
    se_natural = y * (np.log(hi) - np.log(lo)) / (2 * 1.959964)  # delta method from the log scale
    a = (g["pop"] / g["pop"].sum()).to_numpy()
    x = np.cumsum(a) - a / 2
    xbar = (a * x).sum()
    c = a * (x - xbar) / (a * (x - xbar) ** 2).sum()
    slope = float((c * y.to_numpy()).sum())  # least minus most deprived end
    sd = float(np.sqrt((c**2 * se_natural.to_numpy() ** 2).sum()))
    return {"areas": len(frame), "most": float(y.iloc[0]), "least": float(y.iloc[-1]), "sii": -slope,
            "lower": -slope - 1.959964 * sd, "upper": -slope + 1.959964 * sd}


@pytest.fixture(scope="module")
def store(national_built):
    return NationalStore(national_built[0], cache_size=len(FIVE))


@pytest.fixture(scope="module")
def rows(store):
    return store.table("gap_series")


def test_cornwall_universal_credit_gap_golden_by_hand(store, rows):
    core = store.authority(CORNWALL)
    lookups, weights = core.lookups, core.weights
    mine = rows[(rows["la"] == CORNWALL) & (rows["series"] == "uc_households")].set_index("period")
    for period, column, path in (("November 2016", "November 2016", UC_2016),
                                 ("November 2023 (provisional)", "November 2023 (p)", UC_2023)):
        hand = _fifths_by_hand(CORNWALL, column, path, lookups, weights)
        got = mine.loc[period]
        assert got["areas"] == hand["areas"]
        assert got["most_deprived"] == pytest.approx(hand["most"], rel=1e-9)
        assert got["least_deprived"] == pytest.approx(hand["least"], rel=1e-9)
        assert got["sii"] == pytest.approx(hand["sii"], rel=1e-9)
        half = (hand["upper"] - hand["lower"]) / 2
        # phe_sii's simulation interval beside the normal approximation: within 5% of its half-width.
        assert got["sii_lower"] == pytest.approx(hand["lower"], abs=0.05 * half)
        assert got["sii_upper"] == pytest.approx(hand["upper"], abs=0.05 * half)
    # Worked figures, so a change of method shows here first (households per 100 addresses).
    assert round(mine.loc["November 2016", "sii"], 2) == 0.79
    assert round(mine.loc["November 2023 (provisional)", "sii"], 2) == 11.81
    assert mine["change"].iloc[-1] == "rose"


# --- Invariants over every authority of the test store --------------------------------------------------------------

def test_every_authority_has_every_series_at_every_time(rows, national):
    spec = load_series(DATA, national)
    for code in FIVE:
        mine = rows[rows["la"] == code]
        assert sorted(zip(mine["series"], mine["order"], strict=True)) == sorted(
            zip(spec["series"], spec["order"], strict=True))


def test_every_interval_holds_its_slope_index_and_every_missing_figure_says_why(rows):
    with_ci = rows.dropna(subset=["sii_lower"])
    assert len(with_ci) > 0
    assert ((with_ci["sii_lower"] <= with_ci["sii"]) & (with_ci["sii"] <= with_ci["sii_upper"])).all()
    assert rows.loc[rows["sii"].isna(), "note"].str.len().gt(0).all()
    assert rows.loc[rows["sii_lower"].isna() & rows["sii"].notna(), "note"].str.contains("No SII interval").all()


def test_a_described_series_never_gets_narrowing_or_widening(rows):
    last = rows.sort_values("order").groupby(["la", "series"]).tail(1)
    described = last[last["rule"] == "described"]
    assert len(described) == len(FIVE)
    assert set(described["change"]) <= {"rose", "fell", "no change", "no data"}
    judged = described[described["change"] != "no data"]
    assert len(judged) == 3 and judged["change_basis"].str.startswith("described, not judged").all()


def test_every_judgement_agrees_with_the_stated_rule(rows, national):
    spec = load_series(DATA, national).drop_duplicates("series").set_index("series")
    for (code, series), part in rows.sort_values("order").groupby(["la", "series"]):
        first, last = part.iloc[0], part.iloc[-1]
        word = last["change"]
        assert (part["change"].iloc[:-1] == "").all()  # the judgement is on the last row only
        if pd.isna(first["sii"]) or pd.isna(last["sii"]):
            assert word == "no data", (code, series)
            continue
        if spec.loc[series, "rule"] == "described":
            continue
        grew = abs(last["sii"]) - abs(first["sii"])
        have_ci = not any(pd.isna(v) for v in (first["sii_lower"], first["sii_upper"], last["sii_lower"],
                                               last["sii_upper"]))
        if have_ci:
            se = math.hypot((first["sii_upper"] - first["sii_lower"]) / 3.919928,
                            (last["sii_upper"] - last["sii_lower"]) / 3.919928)
            clear = abs(last["sii"] - first["sii"]) > 1.959964 * se
        else:
            clear = abs(last["sii"] - first["sii"]) >= spec.loc[series, "threshold"]
        expected = NO_CLEAR_CHANGE if not clear or grew == 0 else NARROWING if grew < 0 else WIDENING
        assert word == expected, (code, series, first["sii"], last["sii"], word)


def test_child_poverty_gap_golden_words(rows):
    """Three authorities' child poverty gaps (wards by IMD 2025), FYE 2024 to FYE 2025, as the rule gives them."""
    last = rows[(rows["series"] == "child_poverty_ahc") & (rows["order"] == 2)].set_index("la")
    first = rows[(rows["series"] == "child_poverty_ahc") & (rows["order"] == 1)].set_index("la")
    for code, before, after, word in ((COVENTRY, 36.31, 34.11, NARROWING), (BIRMINGHAM, 50.02, 47.66, NARROWING),
                                      (CORNWALL, 17.15, 17.86, NO_CLEAR_CHANGE)):
        assert round(first.loc[code, "sii"], 2) == before
        assert round(last.loc[code, "sii"], 2) == after
        assert last.loc[code, "change"] == word
        assert math.isnan(last.loc[code, "sii_lower"])  # no denominators held: no interval, the threshold decides
    assert "ward" in last.loc[COVENTRY, "ordering"] and "IMD 2025" in last.loc[COVENTRY, "ordering"]


# --- The views, the files, the pages --------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def places(national_built):
    sources = Sources(national_built[0], PACKS)
    return {code: open_place(PlaceKey(code, str(national_built[0]), str(PACKS)), sources)
            for code in (COVENTRY, BIRMINGHAM)}


def test_the_chart_is_valid_vega_lite_with_a_band_only_where_there_are_intervals(places):
    schema = load_schema()
    uc = gap_time.gap_over_time(places[BIRMINGHAM], "uc_households")
    cp = gap_time.gap_over_time(places[BIRMINGHAM], "child_poverty_ahc")
    for view in (uc, cp):
        validate_jsonschema(view.chart, schema)
    assert [layer["mark"]["type"] for layer in uc.chart["layer"]][0] == "area"
    assert "area" not in [layer["mark"]["type"] for layer in cp.chart["layer"]]
    assert "Coventry" not in uc.sentence + uc.method + cp.sentence + cp.method


def test_the_downloads_carry_geography_period_unit_ordering_method_and_source(places):
    view = gap_time.gap_over_time(places[COVENTRY], "uc_households")
    text = gap_time.gap_time_csv(view, "Coventry")
    assert text.startswith(b"\xef\xbb\xbf")
    frame = pd.read_csv(pd.io.common.BytesIO(text), encoding="utf-8-sig")
    for column in ("geography", "period", "unit", "ordering", "method", "source", "sii", "sii_lower", "sii_upper"):
        assert column in frame
    assert len(frame) == 8 and frame["ordering"].str.contains("IMD 2015").all()
    from openpyxl import load_workbook
    book = load_workbook(pd.io.common.BytesIO(gap_time.gap_time_workbook(view, "Coventry", places[COVENTRY].registry)))
    assert book.sheetnames == ["Gap over time", "Sources", "Notes"]


@pytest.fixture
def store_env(national_built, monkeypatch):
    monkeypatch.setenv("EXPLORER_STORE_DIR", str(national_built[0]))
    monkeypatch.delenv("EXPLORER_LA", raising=False)


def _open(page: str, la: str) -> AppTest:
    at = AppTest.from_file(str(REPO / "streamlit_app.py"), default_timeout=180)
    at.query_params["la"] = la
    at.run()
    at.switch_page(f"pages/{page}.py").run()
    return at


def test_compare_shows_the_gap_over_time_for_another_authority(store_env):
    at = _open("compare", BIRMINGHAM)
    at.selectbox(key="indicator").set_value("uc_households").run()
    assert not at.exception
    assert "Is the gap narrowing?" in [s.value for s in at.subheader]
    said = " ".join(m.value for m in at.markdown)
    assert "Birmingham's most and least deprived MSOAs rose by" in said and "never judged" in said
    assert [c for c in at.get("vega_lite_chart") if "The gap in" in c.proto.spec and "over time" in c.proto.spec]
    labels = [b.label for b in at.get("download_button")]
    assert "Download the gap over time (CSV)" in labels and "Download the gap over time (Excel)" in labels
    at.selectbox(key="indicator").set_value("child_poverty_ahc").run()
    said = " ".join(m.value for m in at.markdown)
    assert "Birmingham's most and least deprived wards: **narrowing**" in said


def test_priorities_show_the_gap_over_time_of_a_priority_indicator(store_env):
    at = _open("priorities", COVENTRY)
    economy = next(o for o in at.selectbox(key="priority").options if "economic" in o)
    at.selectbox(key="priority").set_value(economy).run()
    assert not at.exception
    assert "Is the gap narrowing?" in [h.value for h in at.header]
    assert any("Coventry's most and least deprived MSOAs rose by" in m.value for m in at.markdown)


def test_an_authority_too_small_for_a_gap_says_why_and_draws_no_empty_chart(store_env):
    at = _open("compare", SCILLY)
    at.selectbox(key="indicator").set_value("uc_households").run()
    assert not at.exception
    said = " ".join(m.value for m in at.markdown)
    assert "cannot be followed" in said and "1 MSOA with a value" in said
    assert not [c for c in at.get("vega_lite_chart") if "over time" in c.proto.spec]
