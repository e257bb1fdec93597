"""The kiosk's plain-English facts, settings and keypad, from the real registry and values."""

import pandas as pd
import pytest

from explorer.errors import DataError
from explorer.kiosk import (
    area_facts,
    load_facts,
    nearby_lines,
    phone_link,
    places_to_visit,
    qr_svg_data_uri,
    settings_from,
    type_key,
)
from explorer.profile import profile_table
from tests.conftest import DATA

FACTS = DATA / "registry" / "kiosk_facts.csv"
FOLESHILL, WAINBODY = "E05001222", "E05001231"


@pytest.fixture(scope="module")
def facts(registry):
    return load_facts(FACTS, registry)


def test_foleshill_facts_in_plain_words(facts, registry, values):
    shown = area_facts(profile_table(FOLESHILL, registry, values), facts, registry)
    assert [f.heading for f in shown] == ["Money and jobs", "How long people live", "Air", "Parks and green space"]
    assert shown[1].sentence == ("On average, women here live to about 80 and men to about 75. "
                                 "Across Coventry: women 82, men 78.")
    assert shown[0].comparison == "The worst of Coventry's 18 wards."  # no interval: its place, not "worse"
    assert shown[1].comparison.startswith("Women: worse than the Coventry average, the worst of Coventry's 18")
    assert all(f.sources and f.how for f in shown)  # every number comes with its period and source
    assert "2009-2013" in shown[1].sources


def test_a_missing_figure_is_said_not_filled(facts, registry, values):
    table = profile_table(WAINBODY, registry, values)
    table.loc[table["id"] == "no2_background", "value"] = float("nan")
    air = area_facts(table, facts, registry)[2]
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
    assert text == "CV 1 5FBX"[:8]


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
    assert qr_svg_data_uri(link).startswith("data:image/svg+xml")
