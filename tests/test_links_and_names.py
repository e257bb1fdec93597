"""Links and names: a code or a name as people write it, the May 2026 wards, a switch of
authority, and anything that is a postcode.

The browser half (the address after a switch, Back and Forward, the kiosk's staff screen) is in
tests/test_trust_browser.py.
"""

from datetime import date

import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

from explorer.models.places import choose, new_only, new_wards, resolve
from explorer.pipeline.authorities import NationalStore
from geo.errors import DataError
from geo.names import forms, load_aliases, name_key
from geo.postcodes import find, normalise
from geo.vintages import current_vintage, load_vintages, load_ward_names
from tests.conftest import BIRMINGHAM, CITY_OF_LONDON, CORNWALL, DATA, PROCESSED, REPO

APP = str(REPO / "streamlit_app.py")
LADS = pd.read_csv(DATA / "raw/national/england_lad_codes_to_lad25.csv", dtype=str)
AUTHORITIES = dict(LADS.loc[LADS["Current"].str.upper() == "TRUE", ["LADCD", "LADNM"]].itertuples(index=False))
ALIASES = load_aliases(DATA / "registry/authority_aliases.csv")
WARDS = pd.read_csv(PROCESSED / "wards.csv").set_index("code")["name"].to_dict()
POSTCODES = pd.read_csv(PROCESSED / "postcodes.csv")
VINTAGES = load_vintages(DATA / "registry/ward_vintages.csv")
NOW = current_vintage(VINTAGES)


def open_page(page: str, **params) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=120)
    for key, value in params.items():
        at.query_params[key] = value
    at.switch_page(f"pages/{page}.py")
    at.run()
    assert not at.exception, at.exception
    return at


# --- Any case, codes, "&" or "and", and the short names people use -----------------------------------------------

def test_every_authority_is_found_by_its_code_or_name_in_any_case_with_and_or_ampersand():
    """All 296 authorities of 2025 (ONS's list in data/raw): code, name, upper case, '&' for 'and', each form."""
    assert len(AUTHORITIES) == 296
    for code, name in AUTHORITIES.items():
        for asked in (code, code.lower(), name, name.upper(), f"  {name.lower()} ", name.replace(" and ", " & "),
                      *forms(name)):
            assert resolve(asked, AUTHORITIES, ALIASES) == code, (asked, name)


@pytest.mark.parametrize("asked, code", [
    ("Hull", "E06000010"), ("hull", "E06000010"), ("Kingston upon Hull", "E06000010"),
    ("Hull City Council", "E06000010"),
    ("Bristol", "E06000023"), ("City of Bristol", "E06000023"), ("Bristol City Council", "E06000023"),
    ("Herefordshire", "E06000019"), ("County of Herefordshire", "E06000019"), ("Leeds City Council", "E08000035"),
    ("Brighton & Hove", "E06000043"), ("City of Westminster", "E09000033"), ("Durham", "E06000047"),
    ("BCP", "E06000058"), ("Stockton on Tees", "E06000004"), ("Kings Lynn and West Norfolk", "E07000146"),
    ("St. Helens", "E08000013"), ("Saint Albans", "E07000240"), ("ＢＩＲＭＩＮＧＨＡＭ", "E08000025"),
    ("Southend", "E06000033"),
])
def test_short_names_people_use_find_the_authority(asked, code):
    assert resolve(asked, AUTHORITIES, ALIASES) == code


@pytest.mark.parametrize("asked", ["London", "Newcastle", "Kingston", "Richmond", "Gotham", "", "City of", "Council"])
def test_a_name_that_means_none_or_two_authorities_finds_none(asked):
    """It never guesses: "Newcastle" is upon Tyne or under Lyme, "Kingston" upon Hull or upon Thames."""
    assert resolve(asked, AUTHORITIES, ALIASES) is None


@pytest.mark.parametrize("asked, offered", [
    ("Newcastle", "could mean Newcastle upon Tyne or Newcastle-under-Lyme;"),
    ("Kingston", "could mean Kingston upon Hull, City of or Kingston upon Thames;"),
    ("Richmond", "could mean Richmond upon Thames;"),
    ("Gotham", "which this app does not hold;"),
])
def test_a_link_to_a_name_that_is_not_read_offers_what_it_could_mean(asked, offered):
    """Never chosen for the visitor (Richmond may be the Yorkshire town), but offered rather than called "not held"."""
    from explorer.models.places import choose

    notice = choose(asked, None, AUTHORITIES, "E08000026", ALIASES).notices[0]
    assert offered in notice and "showing Coventry instead" in notice


def test_every_short_name_is_the_authority_it_says_and_no_other_authoritys_name():
    frame = pd.read_csv(DATA / "registry/authority_aliases.csv", dtype=str)
    for row in frame.itertuples():
        assert AUTHORITIES.get(row.code) == row.name, f"authority_aliases.csv row {row.Index + 1}: {row.code}"
        assert resolve(row.alias, AUTHORITIES) in (None, row.code), row.alias  # no rule reads it as another


def test_a_broken_short_names_file_is_named_with_its_row(tmp_path):
    path = tmp_path / "authority_aliases.csv"
    path.write_text("alias,code,name,note\nHull,E06000010,x,y\nhull,E06000010,x,y\n")
    with pytest.raises(DataError, match=r"authority_aliases\.csv, row 2, column 'alias'.*twice"):
        load_aliases(path)
    path.write_text("alias,code,name,note\nHull,E0600001,x,y\n")
    with pytest.raises(DataError, match=r"row 1, column 'code'"):
        load_aliases(path)


def test_the_store_and_the_pages_read_a_name_the_same_way(national_built):
    """One reading: NationalStore.resolve (pipeline) and the pages' places.resolve give the same code."""
    store = NationalStore(national_built[0])
    table = store.authorities()
    names = dict(zip(table["code"], table["name"], strict=True))
    assert len(names) == 296
    for code, name in names.items():
        for asked in (code.lower(), name.upper(), name.replace(" and ", " & "), *forms(name)):
            assert store.resolve(asked) == resolve(asked, names) == code, asked
    assert store.resolve("Hull", ALIASES) == "E06000010" and store.resolve("Bristol") == "E06000023"


def test_every_ward_is_found_by_its_code_or_name_as_people_write_it():
    for code, name in WARDS.items():
        for asked in (code, code.lower(), name.upper(), name.replace(" and ", " & "), name.replace("'", ""),
                      name.replace("St ", "St. "), name.replace("St ", "Saint "), f"{name} ward"):
            assert resolve(asked, WARDS) == code, asked


@pytest.mark.parametrize("page, key", [("ward_profile", "ward"), ("my_area", "ward"), ("compare", "a"),
                                       ("compare", "b")])
@pytest.mark.parametrize("asked", ["foleshill", "E05001222", "e05001222", "FOLESHILL", "Foleshill ward"])
def test_a_ward_link_in_any_case_or_by_code_opens_the_ward(page, key, asked):
    """Was: "The link asked for ward “foleshill”, which this app does not have; showing Bablake instead"."""
    at = open_page(page, **{key: asked})
    assert at.selectbox(key=key).value == "E05001222"
    assert not [i.value for i in at.info if "link asked" in i.value]


@pytest.mark.parametrize("asked, ward", [("St Michaels", "E05001228"), ("st. michael's", "E05001228"),
                                         ("Binley & Willenhall", "E05001219")])
def test_a_ward_link_without_apostrophes_or_with_ampersand_opens_the_ward(asked, ward):
    at = open_page("ward_profile", ward=asked)
    assert at.selectbox(key="ward").value == ward and not at.info


@pytest.fixture
def store_env(national_built, monkeypatch):
    monkeypatch.setenv("EXPLORER_STORE_DIR", str(national_built[0]))
    monkeypatch.delenv("EXPLORER_LA", raising=False)


@pytest.mark.parametrize("asked, title", [("Birmingham City Council", "Birmingham ward map"),
                                          ("CORNWALL COUNCIL", "Cornwall ward map"),
                                          ("the city of london", "City of London ward map")])
def test_la_takes_the_councils_own_name(store_env, asked, title):
    at = AppTest.from_file(APP, default_timeout=120)
    at.query_params["la"] = asked
    at.run()
    assert at.title[0].value == title and not at.info


def test_choose_takes_short_names_and_still_names_a_bad_one():
    names = {"E08000026": "Coventry", BIRMINGHAM: "Birmingham", CORNWALL: "Cornwall", CITY_OF_LONDON: "City of London"}
    assert choose("Birmingham City Council", None, names, "E08000026").code == BIRMINGHAM
    assert choose("cornwall council", "Cornwall", names, "E08000026").notices == []
    assert "“Atlantis”" in choose("Atlantis", None, names, "E08000026").notices[0]


# --- The May 2026 wards, and the past tense of a ward set that has ended --------------------------------------------

def test_may_2026_ward_names_are_read_from_the_registry():
    later = VINTAGES[1]
    names = load_ward_names(later, DATA / "raw")
    assert len(names) == later.ward_count == 18 and names["E05016410"] == "Tile Hill & Canley"
    wards = new_wards(VINTAGES, NOW, {later.vintage: names})
    assert wards["E05016410"].since == "May 2026"
    # Binley & Willenhall is Binley and Willenhall by name; the old set has no Tile Hill & Canley, and its
    # Holbrook (E05001224) is not the new Holbrooks (E05016404).
    assert new_only(wards, WARDS) == {"E05016404": "Holbrooks", "E05016410": "Tile Hill & Canley"}


@pytest.mark.parametrize("asked", ["Tile Hill & Canley", "tile hill and canley", "E05016410"])
def test_a_may_2026_ward_in_a_link_gets_a_plain_answer(asked):
    """Was: "The link asked for ward “Tile Hill & Canley”, which this app does not have; showing Bablake instead"."""
    at = open_page("ward_profile", ward=asked)
    said = " ".join(i.value for i in at.info).replace("\\", "")
    assert "Tile Hill & Canley (E05016410) is one of the wards from May 2026, whose figures are not held yet" in said
    assert "every figure here is for the 18 wards used from 2004 to May 2026" in said
    assert "type its postcode under “Or find a ward by postcode” above" in said
    assert "link asked" not in said
    assert at.header[0].value == "Tile Hill & Canley" and at.text_input(key="postcode_text")  # the way to the old ward
    assert not at.get("vega_lite_chart")  # no figures are claimed for it


def test_tile_is_found_in_the_ward_list():
    """Was: typing "Tile" in the ward list gave "No results"."""
    at = open_page("ward_profile")
    picker = at.selectbox(key="ward")
    assert "Tile Hill & Canley" in picker.options and len(picker.options) == 18 + 2  # and Holbrooks
    picker.select("E05016410").run()
    said = " ".join(i.value for i in at.info).replace("\\", "")
    assert "whose figures are not held yet" in said


@pytest.mark.parametrize("page, key, how", [("my_area", "ward", "type its postcode on the Ward profile page"),
                                            ("compare", "b", "type its postcode on the Ward profile page")])
def test_a_may_2026_ward_gets_the_same_answer_on_my_area_and_compare(page, key, how):
    at = open_page(page, **{key: "Tile Hill & Canley"})
    said = " ".join(i.value for i in at.info).replace("\\", "")
    assert "Tile Hill & Canley (E05016410) is one of the wards from May 2026" in said and how in said


def test_a_ward_set_ends_in_the_month_its_registry_row_names():
    assert NOW.until == "May 2026" and VINTAGES[1].until is None
    assert not NOW.ended(date(2026, 4, 30)) and NOW.ended(date(2026, 5, 1))


def test_a_postcode_answer_for_a_ward_set_that_has_ended_is_in_the_past_tense():
    result = find("CV4 9AJ", POSTCODES, WARDS, ended="May 2026")  # data/processed/postcodes.csv: E05001232
    assert result.message == "CV4 9AJ was in Westwood ward (one of the wards used until May 2026)."
    gone = find("cv11af", POSTCODES, WARDS, ended="May 2026")
    assert gone.message == ("CV1 1AF is no longer in use (terminated); it was in St Michael's ward (one of the "
                            "wards used until May 2026), so that is shown.")


def test_the_profiles_postcode_answer_is_in_the_past_tense():
    """Was: "CV4 9AJ is in Westwood ward." (the wards of 2004 to May 2026 are no longer used)."""
    at = open_page("ward_profile")
    at.text_input(key="postcode_text").input("CV4 9AJ")
    next(b for b in at.button if b.label == "Find my ward").click().run()
    assert [s.value for s in at.success] == ["CV4 9AJ was in Westwood ward (one of the wards used until May 2026)."]
    assert at.selectbox(key="ward").value == "E05001232"


# --- Anything a person can paste that is a postcode is read as one ------------------------------------------------

PASTED = {
    "ＣＶ４ ９ＡＪ": "CV4 9AJ",  # full-width, from a phone keyboard or a PDF
    "“CV4 9AJ”": "CV4 9AJ",  # with quotes
    "(CV4 9AJ)": "CV4 9AJ",
    "CV4‑9AJ": "CV4 9AJ",  # a non-breaking hyphen
    "CV4\u200b9AJ": "CV4 9AJ",  # a zero-width space
    "\u200eCV4 9AJ\u200f": "CV4 9AJ",  # direction marks
    "CV4\u00a09AJ": "CV4 9AJ",  # a non-breaking space
    "'gir 0aa'": "GIR 0AA",
    "BFPO\u00a01234": "BFPO 1234",
    "“BFPO 1234”": "BFPO 1234",
}


@pytest.mark.parametrize("pasted", list(PASTED))
def test_a_pasted_postcode_is_read_as_one(pasted):
    assert normalise(pasted) == PASTED[pasted]


@pytest.mark.parametrize("pasted, said", [
    ("ＣＶ４ ９ＡＪ", "CV4 9AJ was in Westwood ward"),
    ("“CV4 9AJ”", "CV4 9AJ was in Westwood ward"),
    ("GIR 0AA", "GIR 0AA is a postcode Royal Mail gives to an organisation or a territory, not to a street, so it is "
                "not a Coventry postcode"),
    ("BFPO 1234", "BFPO 1234 is a British Forces Post Office number, so it is not a Coventry postcode"),
    ("“BFPO 1234”", "BFPO 1234 is a British Forces Post Office number"),
    ("SW1A 1AA", "SW1A 1AA is not a Coventry postcode in the August 2024 list, so it is outside Coventry"),
])
def test_the_profile_answers_every_postcode_as_a_postcode(pasted, said):
    at = open_page("ward_profile")
    at.text_input(key="postcode_text").input(pasted)
    next(b for b in at.button if b.label == "Find my ward").click().run()
    shown = " ".join([s.value for s in at.success] + [w.value for w in at.warning])
    assert said in shown and "does not look like a postcode" not in shown


def test_name_key_reads_names_as_people_write_them():
    assert name_key("St. Michael’s") == name_key("st michaels") == name_key("Saint Michael's")
    assert name_key("Binley & Willenhall") == name_key("binley and willenhall")


# --- A parameter given twice --------------------------------------------------------------------------------------

@pytest.mark.parametrize("page, key, given, shown", [
    ("city_map", "indicator", ["le_male", "le_female"], "le_male"),
    ("compare", "indicator", ["le_female", "le_male"], "le_female"),
    ("compare", "a", ["Foleshill", "Bablake"], "E05001222"),
    ("ward_profile", "ward", ["E05001222", "Bablake"], "E05001222"),
])
def test_a_parameter_given_twice_takes_the_first_and_says_so(page, key, given, shown):
    """``?indicator=a&indicator=b`` silently showed b (Streamlit takes the last): now the first, with a notice."""
    at = open_page(page, **{key: given})
    assert at.selectbox(key=key).value == shown
    said = [i.value.replace("\\", "") for i in at.info if "more than once" in i.value]  # markdown escapes gone
    assert said and f"the first, “{given[0]}”, is taken" in said[0] and given[1] in said[0], [i.value for i in at.info]


def test_a_parameter_given_twice_whose_first_is_unknown_says_both():
    at = open_page("ward_profile", ward=["Gotham", "Foleshill"])
    said = " ".join(i.value.replace("\\", "") for i in at.info)
    assert "more than once" in said and "“Gotham”, which this app does not have" in said
    assert at.selectbox(key="ward").value != "E05001222"  # not the second: the first could not be shown


# --- An item with a group the app does not have --------------------------------------------------------------------

def test_an_indicator_with_an_unknown_theme_opens_its_own_theme_and_says_the_theme_is_unknown():
    """``?indicator=le_female&theme=zzz`` said the (valid) indicator did not exist: the unknown theme hid it."""
    at = open_page("city_map", indicator="le_female", theme="zzz")
    assert at.selectbox(key="indicator").value == "le_female"
    said = " ".join(i.value.replace("\\", "") for i in at.info)
    assert "theme “zzz”, which this app does not have" in said, said
    assert "indicator" not in said, said


def test_an_unknown_authority_is_said_even_when_the_page_is_reopened_for_its_indicator():
    """``?la=Narnia&indicator=le_female``: the map is reopened with the indicator as its widget writes it, and the
    address no longer holds Narnia; the notice that Narnia is not held is said in the reopened run too."""
    at = AppTest.from_file(APP, default_timeout=120)  # the home page (the map), as a link opens it
    at.query_params.update({"la": "Narnia", "indicator": "le_female"})
    at.run()
    assert not at.exception and at.selectbox(key="indicator").value == "le_female"
    assert "la" not in at.query_params and at.query_params["indicator"] == "Life expectancy at birth: women"
    said = " ".join(i.value.replace("\\", "") for i in at.info)
    assert "“Narnia”, which this app does not hold; showing Coventry instead" in said, said
