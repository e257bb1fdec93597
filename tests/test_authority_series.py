"""Each authority's own series over time from the national store: life expectancy 2001-03 to 2021-23, fly-tipping
per 1,000 residents 2012-13 to 2022-23 and public charging devices per 100,000, beside England's.

Goldens: ONS 2021 to 2023 life expectancy at birth (Coventry 77.3 / 81.7, England 79.1 / 83.1, Birmingham and
Cornwall read by hand from ONS's table); Defra's and DfT's published figures; a merged authority (Somerset) summed
over its predecessor districts.
"""

import numpy as np
import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

from explorer.models.authority_series import authority_series, newest_life_expectancy
from explorer.pipeline.authorities import NationalStore
from explorer.pipeline.comparators import ENGLAND
from explorer.places import PlaceKey, Sources, open_place
from explorer.stats import judge
from tests.conftest import BIRMINGHAM, CITY_OF_LONDON, CORNWALL, COVENTRY, DATA, FIVE, REPO, SCILLY

SERIES = ("le_birth_male", "le_birth_female", "flytipping_per_1000", "ev_devices_per_100k")
SOMERSET = "E06000066"


@pytest.fixture(scope="module")
def store(national_built):
    return NationalStore(national_built[0], cache_size=len(FIVE))


def point(store, code: str, series: str, period: str, area: str = "authority") -> pd.Series:
    rows = store.series(code)
    rows = rows[(rows["series"] == series) & (rows["period"] == period) & (rows["area"] == area)]
    assert len(rows) == 1, rows
    return rows.iloc[0]


@pytest.mark.parametrize(("code", "men", "women"), [
    (COVENTRY, (77.3, 76.9, 77.7), (81.7, 81.4, 82.1)),
    (BIRMINGHAM, (76.6, 76.4, 76.8), (81.3, 81.1, 81.5)),  # by hand: ONS 2021 to 2023, Sheet 1, age <1
    (CORNWALL, (79.4, 79.1, 79.7), (83.4, 83.2, 83.7)),
])
def test_life_expectancy_2021_23_golden(store, code, men, women):
    for series, want in (("le_birth_male", men), ("le_birth_female", women)):
        row = point(store, code, series, "2021-2023")
        assert (row["value"], row["lower"], row["upper"]) == want
        england = point(store, code, series, "2021-2023", "england")
        assert england["value"] == {"le_birth_male": 79.1, "le_birth_female": 83.1}[series]


def test_the_2021_23_point_extends_the_2001_03_to_2016_18_series(store):
    rows = store.series(COVENTRY)
    men = rows[(rows["series"] == "le_birth_male") & (rows["area"] == "authority")]
    assert list(men["period"])[:2] == ["2001-2003", "2002-2004"] and list(men["period"])[-2:] == ["2016-2018",
                                                                                                  "2021-2023"]
    assert men.set_index("period").at["2016-2018", "value"] == 78.539  # the pack's own 2016-18 figure
    assert men.set_index("period")["lower"].notna().sum() == 1  # only 2021-23 was published with intervals


def test_every_authority_in_the_store_has_each_series_or_says_why(store):
    table = pd.read_parquet(store.folder / "series.parquet")
    assert set(table["la"]) == {*store.authorities()["code"], ENGLAND}
    for code, rows in table.groupby("la"):
        mine = rows[rows["area"] == ("england" if code == ENGLAND else "authority")]
        for series in SERIES:
            part = mine[mine["series"] == series]
            assert len(part), (code, series)
            empty = part[part["value"].isna()]
            assert (empty["note"].str.len() > 10).all(), (code, series, empty)


def test_life_expectancy_not_published_for_the_smallest_says_so(store):
    for code, name in ((SCILLY, "Isles of Scilly"), (CITY_OF_LONDON, "City of London")):
        row = point(store, code, "le_birth_male", "2021-2023")
        assert np.isnan(row["value"]) and name in row["note"] and "does not publish" in row["note"]


def test_every_interval_holds_its_value_and_every_figure_is_possible(store):
    for code in [*FIVE, SOMERSET]:
        rows = store.series(code)
        limited = rows.dropna(subset=["lower", "upper"])
        assert len(limited)
        assert ((limited["lower"] <= limited["value"]) & (limited["value"] <= limited["upper"])).all()
        assert (rows["value"].dropna() >= 0).all() and (rows["count"].dropna() >= 0).all()


def test_flytipping_and_charging_goldens(store):
    fly = point(store, COVENTRY, "flytipping_per_1000", "2022-23")
    assert (fly["count"], fly["denominator"], round(fly["value"], 2)) == (6840, 355600, 19.24)
    early = point(store, COVENTRY, "flytipping_per_1000", "2012-13")
    assert early["count"] == 2836 and np.isnan(early["value"]) and "no population" in early["note"]
    ev = point(store, COVENTRY, "ev_devices_per_100k", "Oct 2025")
    assert ev["count"] == 2544 and round(ev["value"], 1) == 715.4 and round(ev["denominator"]) == 355600
    assert point(store, COVENTRY, "ev_devices_per_100k", "Oct 2019")["count"] == 156
    assert point(store, COVENTRY, "ev_devices_per_100k", "Oct 2025", "england")["count"] == 74115


def test_a_merged_authority_is_summed_over_its_predecessors(store):
    """Somerset (2023) from its four districts: Defra's incidents over their populations; DfT's devices likewise."""
    raw = pd.read_csv(DATA / "raw" / "national" / "england_defra_flytipping_la_incidents_2012-13_to_2022-23.csv.gz",
                      dtype=str)
    part = raw[(raw["Year"] == "2022-23") & raw["ONS Code"].isin(["E07000187", "E07000188", "E07000189",
                                                                 "E07000246"])]
    assert len(part) == 4
    incidents = part["Total Incidents"].astype(float).sum()
    people = part["Mid population estimates "].astype(float).sum()
    row = point(store, SOMERSET, "flytipping_per_1000", "2022-23")
    assert row["count"] == incidents and row["value"] == pytest.approx(incidents / people * 1000, abs=0.005)
    assert row["note"].startswith("computed here")
    early = point(store, SOMERSET, "ev_devices_per_100k", "Oct 2019")
    assert early["note"].startswith("computed here") and early["value"] > 0
    assert point(store, SOMERSET, "ev_devices_per_100k", "Oct 2025")["note"] == "published"
    old = store.series(SOMERSET)
    old = old[(old["series"] == "le_birth_male") & (old["period"] == "2016-2018") & (old["area"] == "authority")]
    assert old["value"].isna().all() and "cannot be added together" in old["note"].iloc[0]


def test_the_life_expectancy_rule_uses_the_published_interval():
    """Coventry men 2016-18 (no interval) to 2021-23 (76.9 to 77.7): the later interval, not the threshold, decides."""
    change = judge.change_with_intervals((78.539, np.nan, np.nan), (77.3, 76.9, 77.7), "higher", 0.6, "0.6 years")
    assert change.word == "worsened" and "published interval" in change.basis
    unchanged = judge.change_with_intervals((78.4, np.nan, np.nan), (78.47, np.nan, np.nan), "higher", 0.6, "0.6")
    assert unchanged.word == "no clear change" and "threshold" in unchanged.basis


def test_views_for_another_authority_name_it_never_coventry(national_built):
    place = open_place(PlaceKey(BIRMINGHAM, str(national_built[0]), str(DATA / "packs")),
                       Sources(national_built[0], DATA / "packs"))
    views = authority_series(place)
    assert [v.id for v in views] == list(SERIES)
    text = " ".join(f"{v.title} {v.table} {v.change} {v.caption} {v.rule} {' '.join(v.notes)}" for v in views)
    assert "Birmingham" in text and "Coventry" not in text and "city" not in text.lower()
    le = views[0]
    assert "worsened" in le.change and "2017-2019 to 2020-2022 are not held" in " ".join(le.notes)
    assert "76.6" in newest_life_expectancy(place)["le_birth_male"]



def open_page(national_built, monkeypatch, la: str, page: str) -> AppTest:
    """``page`` for authority ``la``, from the session's national store, as a visitor following a link would."""
    monkeypatch.setenv("EXPLORER_STORE_DIR", str(national_built[0]))
    monkeypatch.delenv("EXPLORER_LA", raising=False)
    at = AppTest.from_file(str(REPO / "streamlit_app.py"), default_timeout=180)
    at.query_params["la"] = la
    at.run()
    return at.switch_page(page).run()

def test_birminghams_compare_shows_its_series_with_period_and_source(national_built, monkeypatch):
    at = open_page(national_built, monkeypatch, BIRMINGHAM, "pages/compare.py")
    assert not at.exception
    subheaders = [s.value for s in at.subheader]
    assert "Fly-tipping incidents per 1,000 residents" in subheaders
    assert "Public electric vehicle charging devices per 100,000 residents" in subheaders
    assert "Life expectancy at birth, men" in subheaders
    captions = [c.value for c in at.caption]
    assert any(c.startswith("Source: Defra") and "Period: 2012-13 to 2022-23" in c for c in captions)
    assert any(c.startswith("Source: DfT") and "Period: Oct 2019 to Oct 2025" in c for c in captions)
    words = " ".join(m.value for m in at.markdown)
    assert "Birmingham: " in words and "Coventry" not in words.replace("One Coventry Plan", "")
    # the 2009-13 small-area gap says it is 2009-13's, beside the authority's newest figure
    at.query_params["indicator"] = "le_male"
    at.run()
    info = " ".join(i.value for i in at.info)
    assert "No small-area life expectancy newer than 2009-2013 is held" in info and "76.6" in info


def test_the_ward_profile_sets_the_authoritys_newest_life_expectancy_beside_the_2009_13_figures(national_built,
                                                                                              monkeypatch):
    at = open_page(national_built, monkeypatch, CORNWALL, "pages/ward_profile.py")
    assert not at.exception
    captions = " ".join(c.value for c in at.caption).replace("\\", "")  # md_escape's backslashes
    assert "Life expectancy here is 2009-2013's" in captions
    assert "Cornwall as a whole, 2021 to 2023 (ONS" in captions
    assert "men 79.4 years (95% interval 79.1 to 79.7)" in captions


def test_about_states_each_series_rule_for_the_authority_shown(national_built, monkeypatch):
    at = open_page(national_built, monkeypatch, BIRMINGHAM, "pages/about.py")
    assert not at.exception
    fly = "Fly-tipping incidents per 1,000 residents (Poisson counts)"
    rules = next(m.value for m in at.markdown if fly in m.value)
    assert "Life expectancy at birth, men (published intervals, else a stated threshold)" in rules
    assert "Public electric vehicle charging devices per 100,000 residents (described, not judged)" in rules
    assert "Coventry" not in rules and "city" not in rules.lower()
