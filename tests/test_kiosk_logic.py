"""The kiosk's plain-English facts, settings and keypad, from the real registry and values."""

import csv
import re
from datetime import date

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from explorer.models.kiosk.dates import ward_set_lines, when_words
from explorer.models.kiosk.facts import area_facts, load_facts
from explorer.models.kiosk.guard import PIN_LOCK_SECONDS, PIN_TRIES, PinGuard, type_key, words_with_addresses
from explorer.models.kiosk.landmarks import kiosk_points, load_landmarks, map_key_words
from explorer.models.kiosk.nearby import nearby_lines, places_to_visit
from explorer.models.kiosk.settings import phone_link, qr_address, qr_svg_data_uri, read_settings, settings_from
from explorer.models.kiosk.views import area_view
from explorer.models.kiosk.yardsticks import load_yardsticks
from explorer.models.profile import profile_table
from explorer.registry import load_registry
from geo.errors import DataError
from tests.conftest import DATA, PROCESSED
from tests.markdown_text import without_code

FACTS = DATA / "packs" / "coventry" / "kiosk_facts.csv"  # Coventry's own (its 2023 air grid)
YARDSTICKS = DATA / "registry" / "yardsticks.csv"
LANDMARKS = DATA / "registry" / "kiosk_landmarks.csv"
REGISTER = DATA / "registry" / "interventions.csv"
FOLESHILL, WAINBODY = "E05001222", "E05001231"
TODAY = date(2026, 11, 29)
AREA = "Coventry"


@pytest.fixture(scope="module")
def bounds():
    import geopandas as gpd

    return tuple(gpd.read_parquet(PROCESSED / "wards.parquet").total_bounds)


@pytest.fixture(scope="module")
def facts(registry):
    return load_facts(FACTS, registry)


def test_foleshill_facts_in_plain_words(facts, registry, values):
    shown = area_facts(profile_table(FOLESHILL, registry, values), facts, registry, AREA)
    assert [f.heading for f in shown] == ["Money and jobs", "How long people live", "Air", "Parks and green space"]
    assert shown[1].sentence == ("At that time, women here lived to about 80 on average, and men to about 75. "
                                 "Across Coventry: women 82, men 78.")
    assert shown[0].comparison == "The worst of Coventry's 18 wards."  # no interval: its place, not "worse"
    assert shown[1].comparison.startswith("Women: worse than the Coventry average, the worst of Coventry's 18")
    assert all(f.sources and f.how for f in shown)  # every number comes with its period and source
    assert "2009-2013" in shown[1].sources


def test_a_ward_with_none_in_the_poorest_parts_says_none_not_about_0_in_every_100(facts, registry, values):
    """Earlsdon read "About 0 in every 100 people here live in one of the poorest parts of England"."""
    earlsdon = profile_table("E05001221", registry, values)
    assert float(earlsdon.set_index("id").loc["imd25_pct_d1", "value"]) == 0
    shown = area_facts(earlsdon, facts, registry, AREA)
    assert shown[0].sentence.startswith("None of the people here live in one of the poorest parts of England.")
    assert not any("About 0 in every 100" in f.sentence for f in shown)
    foleshill = area_facts(profile_table(FOLESHILL, registry, values), facts, registry, AREA)
    assert re.match(r"About \d+ in every 100 people here live", foleshill[0].sentence)


@pytest.mark.parametrize("gone, kept", [("le_male", "women"), ("le_female", "men")])
def test_one_life_expectancy_missing_shows_the_other_and_names_the_missing_one(facts, registry, values, gone, kept):
    table = profile_table(FOLESHILL, registry, values)
    table.loc[table["id"] == gone, "value"] = float("nan")
    shown = area_facts(table, facts, registry, AREA)[1]
    lost = "men" if kept == "women" else "women"
    assert shown.sentence.startswith(f"At that time, {kept} here lived to about ")
    assert shown.sentence.endswith(f"We do not have the figure for {lost} in this area.")
    assert "We do not have this figure" not in shown.sentence
    assert f"Across Coventry: {kept} " in shown.sentence


def test_every_fact_of_several_figures_says_each_on_its_own(tmp_path, registry):
    bad = tmp_path / "kiosk_facts.csv"
    rows = FACTS.read_text(encoding="utf-8").splitlines()
    bad.write_text("\n".join(r.replace("{le_male.value:.0f} on average. Across", "{le_female.value:.0f} on average. "
                                       "Across") for r in rows) + "\n", encoding="utf-8")
    with pytest.raises(DataError) as err:
        load_facts(bad, registry)
    assert "row 2" in str(err.value) and "each" in str(err.value)


def test_a_missing_figure_is_said_not_filled(facts, registry, values):
    table = profile_table(WAINBODY, registry, values)
    table.loc[table["id"] == "no2_background", "value"] = float("nan")
    air = area_facts(table, facts, registry, AREA)[2]
    assert air.sentence == "We do not have this figure for this area."
    assert "micrograms" not in air.sentence


@pytest.mark.parametrize(("column", "value", "message"), [
    ("indicators", "no_such_indicator", "not in indicators.csv"),
    ("icon", "<b>", "Material Symbols"),
    ("template", "{le_male.value} {imd25_score.value}", "not in its indicators"),
    ("names", "women", "one name per indicator"),
])
def test_bad_fact_rows_are_named(tmp_path, registry, column, value, message):
    frame = pd.read_csv(FACTS, dtype=str)
    frame.loc[1, column] = value
    bad = tmp_path / "kiosk_facts.csv"
    frame.to_csv(bad, index=False)
    with pytest.raises(DataError, match=message) as err:
        load_facts(bad, registry)
    assert "kiosk_facts.csv" in str(err.value) and "row 2" in str(err.value) and column in str(err.value)


def test_a_fact_not_held_for_the_authority_says_so_and_is_not_dated(facts, registry, values, yardsticks):
    """An authority without a pack is read with the national facts; the store holds no NO2 or garden figures."""
    held = {k: v for k, v in registry.items() if k not in ("no2_background", "garden_all")}
    table = profile_table(FOLESHILL, held, values)
    view = area_view("Foleshill", table, facts, held, yardsticks, TODAY, "Birmingham")
    air, parks = view.facts[2], view.facts[3]
    assert air.fact.sentence == "We do not hold this figure for Birmingham."
    assert (air.when, air.yardstick, air.who, air.fact.held) == ("", "", "", False)  # no period, limit or source
    assert air.fact.sources == "not held for Birmingham" and not air.fact.comparison
    assert parks.fact.held and parks.when.startswith("These figures are from April 2020")
    assert parks.fact.sentence.startswith("Homes here are on average")
    assert parks.fact.sentence.endswith("We do not hold the figure for gardens for Birmingham.")
    assert "Across Birmingham" in parks.fact.sentence and "Coventry" not in parks.fact.sentence


def test_national_facts_name_only_indicators_the_explorer_knows(tmp_path, registry):
    """The national facts are checked against every indicator the explorer knows, not only those held."""
    frame = pd.read_csv(FACTS, dtype=str)
    assert "Coventry" not in " ".join(frame["template"]) + " ".join(frame["each"].fillna(""))  # "{area}", not a name
    frame.loc[2, "indicators"] = "no2_backgrond"
    frame.loc[2, "template"] = "{no2_backgrond.value}"
    bad = tmp_path / "kiosk_facts.csv"
    frame.to_csv(bad, index=False)
    with pytest.raises(DataError, match="no2_backgrond"):
        load_facts(bad, registry)


def test_the_map_key_names_only_the_symbols_drawn(bounds):
    register = pd.read_csv(REGISTER)
    said = map_key_words(kiosk_points(register, load_landmarks(LANDMARKS, bounds), None))
    assert said == "Blue squares are libraries, green dots family hubs and H marks University Hospital."
    assert map_key_words(kiosk_points(register.iloc[:0], [], None)) == ""


def test_a_library_setting_says_where_the_libraries_come_from():
    where = "Birmingham's register of sites, which is not held (Birmingham has no local pack)"
    _, problems = read_settings({"EXPLORER_KIOSK_LIBRARY": "Central Library"}, [], where)
    assert problems == ["EXPLORER_KIOSK_LIBRARY='Central Library' names no library (type Library) in Birmingham's "
                        "register of sites, which is not held (Birmingham has no local pack). There is none to name: "
                        "leave it unset"]


@pytest.mark.parametrize(("env", "message"), [
    ({"EXPLORER_KIOSK_IDLE_SECONDS": "soon"}, "EXPLORER_KIOSK_IDLE_SECONDS"),
    ({"EXPLORER_KIOSK_IDLE_SECONDS": "1"}, "from 5 to 3600"),
    ({"EXPLORER_KIOSK_PIN": "12"}, "4 to 8 digits"),
    ({"EXPLORER_PUBLIC_URL": "explorer.example.org"}, "full address"),
])
def test_bad_settings_say_which_variable_and_what_to_set(env, message):
    with pytest.raises(ValueError, match=message):
        settings_from(env)


def test_default_settings():
    settings = settings_from({})
    assert (settings.idle_seconds, settings.prompt_seconds, settings.staff_pin) == (90, 20, None)


def test_keypad_keeps_to_a_postcode_shape():
    text = ""
    for key in ["C", "V", "Space", "Space", "1", "<", "Delete", "1", "Space", "5", "F", "B", "X", "Y"]:
        text = type_key(text, key)
    assert text == "CV 1 5FBX"  # nine characters at most: the length of "BFPO 1234", the longest postcode


def test_keypad_takes_every_length_a_postcode_can_have():
    from geo.postcodes import find

    for typed in ("BFPO 1234", "CV34 5AB", "GIR 0AA", "B1 1AA"):
        text = ""
        for key in typed:
            text = type_key(text, "Space" if key == " " else key)
        assert text == typed
    text = ""
    for key in "BFPO 1234":
        text = type_key(text, "Space" if key == " " else key)
    result = find(text, pd.DataFrame({"postcode": [], "terminated": [], "lsoa21": [], "ward": []}), {})
    assert result.postcode == "BFPO 1234" and result.status == "outside"


def test_nearby_lines_and_places_group_by_priority():
    here = pd.DataFrame({
        "type": ["Library", "Library", "Family hub", "EV charge point"],
        "name": ["Foleshill Library", "Bell Green Library", "Harmony Hub", "Charger"],
        "priority": ["communities", "communities", "communities", "climate"],
        "where": ["in the ward", "within 500 m", "in the ward", "in the ward"],
        "dating": ["snapshot"] * 4, "date_from": ["2022", "2022", "2022-03", "2020-11"], "date_to": [""] * 4,
    })
    assert nearby_lines(here) == [
        "Climate and cleaner streets: 1 electric car charging point (on the list in November 2020).",
        "Health and tackling inequalities: 2 libraries (on the list in 2022), 1 family hub (on the list in "
        "March 2022)."]
    assert places_to_visit(here) == ["Harmony Hub (family hub)", "Foleshill Library (library)",
                                     "Bell Green Library (library)"]


def test_phone_link_and_qr_code():
    link = phone_link("https://explorer.example.org", "Binley and Willenhall")
    assert link == "https://explorer.example.org/my_area?ward=Binley%20and%20Willenhall"
    other = phone_link("https://explorer.example.org", "Brighton & Hove", "Brighton and Hove")
    assert other == "https://explorer.example.org/my_area?la=Brighton%20and%20Hove&ward=Brighton%20%26%20Hove"
    assert qr_svg_data_uri(link).startswith("data:image/svg+xml")


def test_every_fact_is_dated_in_words(facts, registry, values, yardsticks):
    table = profile_table(FOLESHILL, registry, values)
    view = area_view("Foleshill", table, facts, registry, yardsticks, TODAY, AREA)
    assert [f.when for f in view.facts] == [
        "This figure is from 2022 to 2023, about 3 years ago.",
        "These figures are from 2009 to 2013, about 13 years ago.",
        "This figure is from 2023, about 3 years ago.",
        "These figures are from April 2020, about 7 years ago.",
    ]
    assert view.deprivation_from is facts[0]  # the rank is dated by the fact made from the same source


def test_fact_periods_agree_with_the_indicator_registry(facts, registry):
    for fact in facts:
        for ind in fact.indicators:
            years = re.findall(r"(?:19|20)\d\d|/\d\d", registry[ind].period)
            said = {y[-2:] for y in years}
            assert fact.start[2:4] in said and fact.end[2:4] in said, (ind, registry[ind].period, fact.start, fact.end)


def with_national_themes(registry):
    """The indicators a yardstick may name: Coventry's and the national themes only the store holds."""
    return {**registry, **load_registry(DATA / "registry" / "national_themes.csv")}


@pytest.fixture(scope="module")
def yardsticks(registry):
    return load_yardsticks(YARDSTICKS, with_national_themes(registry))


def test_nitrogen_dioxide_has_its_yardsticks(facts, registry, values, yardsticks):
    assert [(y.value, y.unit) for y in yardsticks["no2_background"]] == [(40, "µg/m³"), (10, "µg/m³")]
    table = profile_table(FOLESHILL, registry, values)
    view = area_view("Foleshill", table, facts, registry, yardsticks, TODAY, AREA)
    air = [f for f in view.facts if f.fact.heading == "Air"][0]
    assert air.yardstick == ("To compare: the UK limit for the yearly average is 40 micrograms. "
                             "The World Health Organization says it should be 10 or less.")
    assert [f.yardstick for f in view.facts if f.fact.heading != "Air"] == ["", "", ""]


@pytest.mark.parametrize(("column", "value", "message"), [
    ("indicator", "no_such", "not in indicators.csv"),
    ("value", "forty", "not a number"),
    ("sentence", "The limit is 40.", "{value}"),
    ("source", "", "where the yardstick comes from"),
])
def test_bad_yardstick_rows_are_named(tmp_path, registry, column, value, message):
    frame = pd.read_csv(YARDSTICKS, dtype=str)
    frame.loc[1, column] = value
    bad = tmp_path / "yardsticks.csv"
    frame.to_csv(bad, index=False)
    with pytest.raises(DataError, match=re.escape(message)) as err:
        load_yardsticks(bad, with_national_themes(registry))
    assert "yardsticks.csv" in str(err.value) and "row 2" in str(err.value) and column in str(err.value)


@pytest.mark.parametrize(("column", "value", "message"), [
    ("from", "2013-13", "not a year"),
    ("to", "2008", "ends before it starts"),
    ("who", "", "who made the figures"),
])
def test_bad_fact_dates_are_named(tmp_path, registry, column, value, message):
    frame = pd.read_csv(FACTS, dtype=str)
    frame.loc[1, column] = value
    bad = tmp_path / "kiosk_facts.csv"
    frame.to_csv(bad, index=False)
    with pytest.raises(DataError, match=message) as err:
        load_facts(bad, registry)
    assert "row 2" in str(err.value)


def test_when_words_counts_back_from_today():
    assert when_words("2009", "2013", date(2025, 6, 1)) == "from 2009 to 2013, about 12 years ago"
    assert when_words("2025-05", "2025-05", date(2026, 11, 29)) == "from May 2025, last year"


def test_landmarks_are_copied_exactly_from_listed_raw_files(bounds):
    listed = set(pd.read_csv(DATA / "sources.csv")["file"])
    rows = list(csv.DictReader(LANDMARKS.open(encoding="utf-8")))
    assert {r["kind"] for r in rows} == {"city centre", "hospital"}
    for row in rows:
        assert row["file"] in listed, f"{row['file']} is not in data/sources.csv"
        raw = pd.read_csv(DATA / "raw" / row["file"], dtype=str)
        lat_col = next(c for c in raw.columns if c.lower() in ("latitude", "lat"))
        lon_col = next(c for c in raw.columns if c.lower() in ("longitude", "lon", "long"))
        found = raw[raw[row["column"]].str.contains(row["match"], regex=False, na=False)]
        assert len(found) == 1, (row["id"], len(found))
        assert (found[lat_col].iloc[0], found[lon_col].iloc[0]) == (row["lat"], row["lon"]), row["id"]
    assert [p.label for p in load_landmarks(LANDMARKS, bounds)] == ["City centre", "University Hospital"]


def test_a_bad_landmark_row_is_named(tmp_path, bounds):
    frame = pd.read_csv(LANDMARKS, dtype=str)
    frame.loc[0, "lat"] = "51.5"  # London: a slip of the keyboard
    bad = tmp_path / "kiosk_landmarks.csv"
    frame.to_csv(bad, index=False)
    with pytest.raises(DataError, match="not in or near the authority's wards") as err:
        load_landmarks(bad, bounds)
    assert "row 1" in str(err.value) and "lat" in str(err.value)


def test_the_kiosk_library_is_you_are_here_and_is_not_marked_twice(bounds):
    register = pd.read_csv(REGISTER)
    points = kiosk_points(register, load_landmarks(LANDMARKS, bounds), "Foleshill Library")
    kinds = pd.Series([p.kind for p in points]).value_counts().to_dict()
    assert kinds == {"library": 16, "family hub": 8, "city centre": 1, "hospital": 1, "here": 1}
    here = [p for p in points if p.kind == "here"][0]
    row = register[register["name"] == "Foleshill Library"].iloc[0]
    assert (here.label, here.lat, here.lon) == ("You are here", row["lat"], row["lon"])
    assert "Foleshill Library" not in [p.label for p in points]
    assert len(kiosk_points(register, [], None)) == 17 + 8


def test_the_kiosk_library_setting_must_name_a_library_in_the_register():
    libraries = ["Coventry Central Library", "Foleshill Library"]
    assert read_settings({"EXPLORER_KIOSK_LIBRARY": " coventry  CENTRAL library "}, libraries)[0].library == \
        "Coventry Central Library"
    settings, problems = read_settings({"EXPLORER_KIOSK_LIBRARY": "Narnia Library"}, libraries)
    assert settings.library is None
    assert "EXPLORER_KIOSK_LIBRARY" in problems[0] and "Foleshill Library" in problems[0]
    assert read_settings({}, libraries) == (read_settings({}, [])[0], [])


@pytest.mark.parametrize("address", ["http://localhost:8501/", "http://127.0.0.1:8501", "http://[::1]:8501/"])
def test_a_public_address_a_phone_cannot_open_is_refused(address):
    with pytest.raises(ValueError, match="phone cannot open"):
        settings_from({"EXPLORER_PUBLIC_URL": address})


def test_the_qr_address_and_the_warning_for_staff():
    public = qr_address("https://explorer.example.org/", "http://127.0.0.1:8501/kiosk")
    assert (public.base, public.warning) == ("https://explorer.example.org/", None)
    local = qr_address(None, "http://127.0.0.1:8501/kiosk")
    assert local.base is None and "no phone can open" in local.warning and "EXPLORER_PUBLIC_URL" in local.warning
    for page in ("http://localhost:8501/kiosk", "http://[::1]:8501/kiosk", "http://127.3.2.1/kiosk"):
        assert qr_address(None, page).base is None, page
    lan = qr_address(None, "http://kiosk-server:8501/kiosk")
    assert lan.base == "http://kiosk-server:8501/" and "EXPLORER_PUBLIC_URL is not set" in lan.warning


def test_staff_number_locks_after_five_wrong_tries_for_a_minute():
    guard = PinGuard()
    assert [guard.wrong(now=100.0 + i) for i in range(PIN_TRIES)] == [4, 3, 2, 1, 0]
    assert guard.seconds_left(now=104.0) == PIN_LOCK_SECONDS == 60
    assert guard.seconds_left(now=104.0 + 59.5) == 1 and guard.seconds_left(now=104.0 + 60) == 0
    guard.wrong(now=200.0)
    guard.right()
    assert guard.tries == 0  # the right number forgets the wrong ones


def test_old_wards_are_said_plainly_and_no_new_ward_is_claimed():
    newer = [("Coventry wards from May 2026", "May 2026 onwards", False)]
    said = " ".join(ward_set_lines("Coventry wards 2004 to May 2026", "2004 to May 2026", newer, "Westwood",
                                   "CV4 8AA"))
    assert "CV4 8AA was in Westwood ward" in said and "2004 to May 2026" in said
    assert "changed in May 2026" in said and "vote" in said
    assert "cannot say which new ward" in said
    assert " is in Westwood" not in said
    mapped = ward_set_lines("old", "2004 to May 2026", [("new", "May 2026 onwards", True)], "Westwood", "CV4 8AA")
    assert "cannot say" not in " ".join(mapped)  # once the new wards are mapped, the words must change with them


@pytest.mark.slow  # every ward's words
def test_kiosk_words_are_easy_to_read(facts, registry, values, yardsticks, wards):
    """Reading age around 9: short sentences, everyday words (Flesch-Kincaid grade, via textstat)."""
    textstat = pytest.importorskip("textstat")
    said = []
    for code, name in zip(wards["code"], wards["name"], strict=True):
        view = area_view(name, profile_table(code, registry, values), facts, registry, yardsticks, TODAY, AREA)
        said += [view.deprivation] + [t for f in view.facts for t in (f.fact.sentence, f.fact.how, f.when,
                                                                        f.fact.comparison, f.yardstick) if t]
    said += ward_set_lines("Coventry wards 2004 to May 2026", "2004 to May 2026",
                           [("Coventry wards from May 2026", "May 2026 onwards", False)], "Westwood", "CV4 8AA")
    grades = {text: textstat.flesch_kincaid_grade(text) for text in said}
    hard = {text: grade for text, grade in grades.items() if grade > 7}
    assert not hard, hard
    assert sum(grades.values()) / len(grades) <= 5.0  # about a US grade 4 to 5: a reading age of 9 to 10
    how = {f.how: textstat.flesch_reading_ease(f.how) for f in facts}
    assert min(how.values()) >= 75, how  # the How lines: "fairly easy" or easier


NASTY = st.text(alphabet=st.sampled_from(list("ahtps:/.w`[]()<>!\\ '\"_*$x")), max_size=60)


@settings(max_examples=400, deadline=None)
@given(text=NASTY)
def test_shown_addresses_never_become_links_or_markup(text):
    out = words_with_addresses(text)
    # Outside its code spans (fenced with as many backticks as it takes), once every escaped character is taken out:
    outside_code = re.sub(r"\\.", "", without_code(out))
    assert not re.search(r"[\[\]<>`*_$\\]", outside_code), out  # every code span closed; nothing else is markup


@settings(max_examples=200, deadline=None)
@given(name=st.text(max_size=80))
def test_any_library_setting_is_read_without_crashing(name):
    chosen, problems = read_settings({"EXPLORER_KIOSK_LIBRARY": name}, ["Foleshill Library"])
    assert chosen.library in (None, "Foleshill Library")
    assert all(p.startswith("EXPLORER_KIOSK_LIBRARY=") for p in problems)
