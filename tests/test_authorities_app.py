"""Any English authority in the app: every page over five authorities, ?la=, the picker, EXPLORER_LA.

The national store is the session's (tests/conftest.py: geometry for the five authorities only), so the picker
offers those five; Coventry still reads data/processed.
"""

import re

import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

from explorer.models.places import choose, resolve
from tests.conftest import BIRMINGHAM, CITY_OF_LONDON, CORNWALL, COVENTRY, FIVE, REPO, SCILLY

APP = str(REPO / "streamlit_app.py")
PAGES = ["city_map", "ward_profile", "compare", "my_area", "priorities", "about", "accessibility", "kiosk"]
NAMES = {COVENTRY: "Coventry", BIRMINGHAM: "Birmingham", CORNWALL: "Cornwall", CITY_OF_LONDON: "City of London",
         SCILLY: "Isles of Scilly"}
# Where another authority's page may say "Coventry": what is held for Coventry only, and the list of authorities.
# The One Coventry Plan keeps its name: it is the plan's.
ALLOWED = re.compile(r"held for Coventry only|choose Coventry in the list|One Coventry Plan")


AUTHORITY_NAMES = set(pd.read_csv(REPO / "data" / "raw" / "national" / "england_lad_codes_to_lad25.csv")["LADNM"])


@pytest.fixture
def store_env(national_built, monkeypatch):
    monkeypatch.setenv("EXPLORER_STORE_DIR", str(national_built[0]))
    monkeypatch.delenv("EXPLORER_LA", raising=False)
    return national_built[0]


def page_text(at) -> str:
    """Every element's text in the main area (markdown, headers, captions, HTML, charts, alerts)."""
    out = []

    def walk(node):
        proto = getattr(node, "proto", None)
        if proto is not None and type(node).__name__ not in ("Selectbox",):
            out.append(str(proto))
        for child in getattr(node, "children", {}).values():
            walk(child)

    walk(at.main)
    return "\n".join(out)


def open_page(page: str, la: str | None = None) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=120)
    if la is not None:
        at.query_params["la"] = la
    at.run()
    if page != "city_map":
        at.switch_page(f"pages/{page}.py").run()
    return at


@pytest.mark.parametrize("code", FIVE)
@pytest.mark.parametrize("page", PAGES)
def test_every_page_runs_for_every_authority_and_names_only_it(store_env, code, page):
    at = open_page(page, code)
    assert not at.exception, at.exception
    assert not at.error, [e.value for e in at.error]
    text = page_text(at)
    if code != COVENTRY:
        said = [m.group(0) for m in re.finditer(r".{0,80}Coventry.{0,40}", ALLOWED.sub("", text))]
        assert not said, said[:5]
        assert NAMES[code] in text or page in ("accessibility",)
        # Nor is it called a city (only Coventry's pack says it is one): an authority's own name ("City of London",
        # "Kingston upon Hull, City of" among Birmingham's peers) and web addresses aside.
        # Addresses (and the authority's own name in a link's ``la=``); a landmark kind in the map's style.
        read = re.sub(r"https?://\S+|la=[^&\"\\\s]+|city[- ]centre", " ", text)
        for name in sorted(AUTHORITY_NAMES, key=len, reverse=True):
            read = read.replace(name, " ")
        city = [m.group(0) for m in re.finditer(r".{0,60}\b[Cc]it(?:y|ies)\b.{0,30}", read)]
        assert not city, city[:5]


def test_without_a_plan_the_themes_are_grouped_by_marmot_principle_and_need_is_shown_without_provision(store_env):
    """Birmingham has no local pack: its plan and register are not held, said in words; the national themes are
    grouped by the eight Marmot principles, each showing where the need is (the kiosk and My area:
    tests/test_kiosk_places.py)."""
    at = open_page("priorities", BIRMINGHAM)
    assert not at.error and not at.exception
    said = [i.value for i in at.info]
    assert any("Birmingham's own plan is not held here, so the same themes are grouped by the eight Marmot "
               "principles" in s for s in said), said
    assert any("No register of the council's services or interventions is held here for Birmingham" in s
               for s in said), said
    choice = at.selectbox(key="priority")
    assert choice.label == "Theme (Marmot's eight principles)" and len(choice.options) == 8
    assert choice.value == "Give every child the best start in life"
    assert [h.value for h in at.header][:2] == ["Where the need is", "Is it getting better?"]
    assert "Children under 16 in relative low income after housing costs" in page_text(at)
    at = choice.select("Tackle racism, discrimination and their outcomes").run()
    assert any("No indicator held here for Birmingham measures this theme" in i.value for i in at.info)
    assert not at.error and not at.exception


def test_la_code_opens_birminghams_ward_map_with_its_ward_names(store_env):
    at = open_page("city_map", "E08000025")
    assert at.title[0].value == "Birmingham ward map"
    assert at.session_state["la"] == BIRMINGHAM
    table = " ".join(h.value for h in at.html)
    assert "Ladywood" in table and "Sutton Four Oaks" in table
    assert any("69 wards" in c.value for c in at.caption)
    assert not at.info  # a valid code is no notice


@pytest.mark.parametrize("asked", ["birmingham", "BIRMINGHAM", " Birmingham ", "e08000025"])
def test_la_takes_a_name_or_code_in_any_case(store_env, asked):
    at = open_page("city_map", asked)
    assert at.title[0].value == "Birmingham ward map" and not at.info


@pytest.mark.parametrize("asked", ["Gotham", "E08999999", "<b>x</b>" * 20])
def test_a_bad_la_falls_back_to_coventry_with_a_notice_naming_it(store_env, asked):
    at = open_page("city_map", asked)
    assert at.title[0].value == "Coventry ward map"
    shown = asked if len(asked) <= 60 else asked[:57] + "..."
    assert any("local authority" in i.value and "showing Coventry instead" in i.value for i in at.info)
    assert any(f"“{shown}”" in i.value.replace("\\", "") for i in at.info)  # named, cut to 60 characters
    assert not any("<b>" in i.value for i in at.info)  # and escaped: Markdown shows it as typed


def test_the_picker_switches_authority_and_pages_follow(store_env):
    at = open_page("city_map")
    assert at.title[0].value == "Coventry ward map"
    picker = at.sidebar.selectbox(key="la")
    assert set(picker.options) == set(NAMES.values())
    picker.select(CORNWALL).run()
    assert at.title[0].value == "Cornwall ward map"
    assert any("Cornwall wards, May 2025" in c.value for c in at.caption)
    # The next page keeping Cornwall is a browser test (tests/test_authorities_browser.py): AppTest reruns a page
    # on its own, without the router that draws the picker.


def test_explorer_la_pins_one_authority_and_ignores_la(store_env, monkeypatch):
    monkeypatch.setenv("EXPLORER_LA", "Cornwall")
    at = open_page("city_map", "Birmingham")
    assert at.title[0].value == "Cornwall ward map"
    assert not [s for s in at.sidebar.selectbox if s.key == "la"]  # no picker
    assert any("set up for Cornwall only" in i.value and "Birmingham" in i.value for i in at.info)
    quiet = open_page("city_map")
    assert quiet.title[0].value == "Cornwall ward map" and not quiet.info


def test_without_a_store_only_coventry_is_offered_and_the_picker_says_how(tmp_path, monkeypatch):
    monkeypatch.setenv("EXPLORER_STORE_DIR", str(tmp_path / "nowhere"))
    monkeypatch.delenv("EXPLORER_LA", raising=False)
    at = open_page("city_map", "Birmingham")
    assert at.title[0].value == "Coventry ward map" and not at.exception
    assert at.sidebar.selectbox(key="la").options == ["Coventry"]
    assert any("make national" in c.value for c in at.sidebar.caption)
    assert any("Birmingham" in i.value and "make national" in i.value for i in at.info)


@pytest.mark.parametrize("code", [CITY_OF_LONDON, SCILLY])
def test_tiny_authorities_say_why_no_gap_beside_their_peers(store_env, code):
    at = open_page("compare", code)
    assert not at.exception and not at.error
    said = " ".join(m.value for m in at.markdown)
    assert f"No slope index can be computed for {NAMES[code]}" in said and "too few" in said
    # The groups section says the same plainly: no broken "because ." and no "no data lower" from one group.
    assert f"of {NAMES[code]}'s MSOAs has a value: too few to split into fifths" in said
    assert "because ." not in said and "no data lower" not in said and "Most deprived fifth" not in said
    assert "Of the 0 indicators" not in said
    assert not [c for c in at.get("vega_lite_chart") if "deprivation groups with 95% confidence" in c.proto.spec]


def test_peers_are_shown_with_their_measures_and_never_called_cipfas(store_env):
    at = open_page("compare", BIRMINGHAM)
    assert any(h.value.count(">similar authority<") == 10 for h in at.html)  # the ten nearest, in the table
    captions = " ".join(c.value for c in at.caption)
    assert "not CIPFA's nearest neighbours" in captions and "Explore Local Statistics" in captions
    measures = [h.value for h in at.html if "found from" in h.value]
    assert measures and "IMD 2025 average score" in measures[0] and "Distance" in measures[0]
    assert measures[0].count('role="row"') == 1 + 1 + 10  # header, Birmingham, its ten similar authorities


def test_coventry_beside_the_marmot_places_says_the_list_is_incomplete(store_env):
    at = open_page("compare")
    said = " ".join(m.value for m in at.markdown)
    assert "Marmot places beside Coventry" in said and "incomplete" in said and "local.gov.uk" in said
    assert any("Marmot place (list incomplete)" in h.value for h in at.html)


def test_resolve_and_choose_in_words():
    names = dict(NAMES)
    assert resolve("city of london", names) == CITY_OF_LONDON and resolve("", names) is None
    assert choose(None, None, names, COVENTRY).code == COVENTRY and not choose(None, None, names, COVENTRY).notices
    pinned = choose(None, "nowhere", names, COVENTRY)
    assert pinned.code == COVENTRY and not pinned.pinned and "EXPLORER_LA" in pinned.notices[0]
    assert choose("Cornwall", "cornwall", names, COVENTRY).notices == []


@pytest.mark.parametrize("asked", ["le_male", "Life expectancy at birth: women"])
def test_an_indicator_named_without_its_theme_opens_its_theme(store_env, asked):
    """``?indicator=`` alone once fell back to the first theme's first indicator, saying the app lacked it."""
    at = AppTest.from_file(APP, default_timeout=120)
    at.query_params["la"] = "Birmingham"
    at.query_params["indicator"] = asked
    at.run()
    assert not at.exception and not any("does not have" in i.value for i in at.info), [i.value for i in at.info]
    assert at.selectbox(key="theme").value == "Health"
    assert at.selectbox(key="indicator").value == ("le_male" if asked == "le_male" else "le_female")


def test_the_ward_maps_profile_links_name_another_authority_and_not_the_default(store_env):
    """A popup's link opens a new page load: without ``la=`` Birmingham's ward opened Coventry's profile."""
    from explorer.models.map_views import ward_layer
    from explorer.pipeline.authorities import NationalStore
    from tests.test_authority_words import place_of

    store = NationalStore(store_env)
    links = [f["properties"]["link"] for f in ward_layer(place_of(store, BIRMINGHAM), "imd25_score")[2]["features"]]
    assert len(links) == 69 and all("&amp;la=Birmingham" in link for link in links), links[:2]
    coventry = [f["properties"]["link"] for f in ward_layer(place_of(store, COVENTRY), "imd25_score")[2]["features"]]
    assert coventry and not any("la=" in link for link in coventry)


@pytest.mark.parametrize("code", [COVENTRY, BIRMINGHAM])
def test_each_theme_is_one_group_in_every_table(store_env, code):
    """Coventry's pack lists its own indicators first, then the national ones it lacks: grouped by theme, tables
    showed "Health" and "Green space" twice."""
    from itertools import groupby

    from explorer.pipeline.authorities import NationalStore
    from tests.test_authority_words import place_of

    themes = [ind.theme for ind in place_of(NationalStore(store_env), code).registry.values()]
    runs = [theme for theme, _ in groupby(themes)]
    assert len(runs) == len(set(runs)), runs
