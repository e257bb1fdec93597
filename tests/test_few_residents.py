"""Where per-resident rates mislead because few people live there, and the authority series under the Marmot themes.

- The caveat is a rule on resident population, stated as data (``data/registry/rate_caveats.csv``): a rate whose own
  denominator (the residents it is divided by) is below the row's number says so, wherever the series is shown. The
  City of London (10,847 residents in 2022-23 against 276 fly-tipping incidents per 1,000) and the Isles of Scilly
  get it; no larger authority does, and no page names an authority to decide it.
- For an authority without a plan, each Marmot theme (``data/registry/marmot_themes.csv``) shows the authority's own
  series over time that belong to it (life expectancy under prevention, fly-tipping under places, charging devices
  under environmental sustainability).
"""

import shutil

import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

from explorer.models.authority_series import authority_series, few_residents_words, load_rate_caveats
from explorer.pipeline.priorities import THEMES, load_priorities
from explorer.places import PlaceKey, Sources, open_place
from geo.errors import DataError
from tests.conftest import BIRMINGHAM, CITY_OF_LONDON, COVENTRY, DATA, REPO, SCILLY

FEW = "Few people live in"


def test_the_rule_is_the_rates_own_residents_against_the_registrys_number():
    caveats = load_rate_caveats(DATA / "registry" / "rate_caveats.csv")
    rows = pd.DataFrame({"period": ["2019-20", "2022-23", "2023-24"], "denominator": [9000.0, 10847.0, None]})
    words = few_residents_words("flytipping_per_1000", rows, "Smalltown", caveats)
    assert words.startswith(f"{FEW} Smalltown: its 2022-23 rate is divided by its 10,847 residents alone")
    many = rows.assign(denominator=[9000.0, 41151.0, None])  # the latest held decides, not an earlier year
    assert few_residents_words("flytipping_per_1000", many, "Rutland", caveats) == ""
    assert few_residents_words("le_birth_male", rows, "Smalltown", caveats) == ""  # no rule for that series
    assert few_residents_words("flytipping_per_1000", rows.assign(denominator=None), "X", caveats) == ""


@pytest.mark.parametrize(("column", "value", "words"), [
    ("series", "flytipping_per_100", "is not one of the authority series"),
    ("fewer_than", "twenty thousand", "is not a number of residents"),
    ("sentence", "Few live in {place}", "must show {residents}"),
])
def test_a_bad_caveat_row_is_named_by_row_and_column(tmp_path, column, value, words):
    shutil.copytree(DATA / "registry", tmp_path / "registry")
    path = tmp_path / "registry" / "rate_caveats.csv"
    frame = pd.read_csv(path, keep_default_na=False, dtype=str)
    frame.loc[1, column] = value
    frame.to_csv(path, index=False)
    with pytest.raises(DataError) as caught:
        load_rate_caveats(path)
    assert (caught.value.row, caught.value.column) == (2, column) and words in caught.value.problem
    assert "rate_caveats.csv" in str(caught.value)


@pytest.fixture(scope="module")
def places(national_built):
    sources = Sources(national_built[0], DATA / "packs")
    return {code: open_place(PlaceKey(code, str(national_built[0]), str(DATA / "packs")), sources)
            for code in (COVENTRY, BIRMINGHAM, CITY_OF_LONDON, SCILLY)}


def test_the_city_of_london_and_scilly_say_few_people_live_there_and_no_other_does(places):
    for code, name in ((CITY_OF_LONDON, "City of London"), (SCILLY, "Isles of Scilly")):
        views = {v.id: v for v in authority_series(places[code])}
        for key in ("flytipping_per_1000", "ev_devices_per_100k"):
            assert views[key].notes and views[key].notes[0].startswith(f"{FEW} {name}: its "), (code, key)
        assert not any(FEW in note for v in views.values() if v.id.startswith("le_") for note in v.notes)
    london = {v.id: v for v in authority_series(places[CITY_OF_LONDON])}["flytipping_per_1000"]
    assert "276.4 in 2022-23" in london.change and "10,847 residents" in london.notes[0]
    for code in (COVENTRY, BIRMINGHAM):
        assert not any(FEW in note for v in authority_series(places[code]) for note in v.notes), code


def open_page(national_built, monkeypatch, la: str, page: str) -> AppTest:
    monkeypatch.setenv("EXPLORER_STORE_DIR", str(national_built[0]))
    monkeypatch.delenv("EXPLORER_LA", raising=False)
    at = AppTest.from_file(str(REPO / "streamlit_app.py"), default_timeout=180)
    at.query_params["la"] = la
    at.run()
    return at.switch_page(page).run()


def test_the_city_of_londons_compare_page_says_so_beside_its_fly_tipping(national_built, monkeypatch):
    at = open_page(national_built, monkeypatch, CITY_OF_LONDON, "pages/compare.py")
    assert not at.exception
    said = " ".join(m.value for m in at.markdown)
    assert f"{FEW} City of London: its 2022-23 rate is divided by its 10,847 residents alone" in said


def test_every_series_a_theme_names_is_an_authority_series_and_each_shows_once():
    from explorer.registry import load_registry

    known = {**load_registry(DATA / "registry" / "indicators.csv"),
             **load_registry(DATA / "registry" / "national_themes.csv")}
    themes = load_priorities(DATA / "registry" / "marmot_themes.csv", known, label=THEMES)
    named = [key for theme in themes for key in theme.city_series]
    assert sorted(named) == sorted(("le_birth_male", "le_birth_female", "flytipping_per_1000",
                                    "ev_devices_per_100k"))
    by_theme = {theme.id: theme.city_series for theme in themes}
    assert by_theme["places"] == ("flytipping_per_1000",) and by_theme["environment"] == ("ev_devices_per_100k",)


def test_a_theme_shows_the_authoritys_series_that_belong_to_it(national_built, monkeypatch):
    at = open_page(national_built, monkeypatch, BIRMINGHAM, "pages/priorities.py")
    places = next(o for o in at.selectbox(key="priority").options if "sustainable places" in o)
    at.selectbox(key="priority").set_value(places).run()
    assert not at.exception
    subheaders = [s.value for s in at.subheader]
    assert "Fly-tipping incidents per 1,000 residents" in subheaders
    assert "Life expectancy at birth, men" not in subheaders  # prevention's, not this theme's
    said = " ".join(m.value for m in at.markdown)
    assert "Birmingham: improved: 19.1 incidents per 1,000 residents in 2019-20 to 13.7 in 2022-23" in said
    captions = " ".join(c.value for c in at.caption)
    assert "Source: Defra, Fly-tipping incidents" in captions and "Period: 2012-13 to 2022-23" in captions
    prevention = next(o for o in at.selectbox(key="priority").options if "prevention" in o)
    at.selectbox(key="priority").set_value(prevention).run()
    subheaders = [s.value for s in at.subheader]
    assert "Life expectancy at birth, men" in subheaders and "Life expectancy at birth, women" in subheaders
