"""Hostile input: over 10,000 generated inputs through every field a visitor can type into or edit.

Postcode boxes, the kiosk keypad, every query parameter of every page, and the
text that reaches tooltips, legends, Markdown, tables and downloads. None may
raise, show an error page, or come back out as live HTML, a link, or a
spreadsheet formula. Example counts are in each test's ``max_examples``.
"""

import csv
import io
import re
from html.parser import HTMLParser

import pandas as pd
import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from openpyxl import load_workbook
from streamlit.testing.v1 import AppTest

from explorer.models.citymap import ward_csv, ward_export, ward_table
from explorer.models.export import profile_workbook, ward_workbook
from explorer.models.kiosk.guard import MAX_POSTCODE, type_key
from explorer.models.kiosk.settings import read_settings
from explorer.models.profile import profile_csv, profile_export, profile_table
from explorer.models.text import FORMULA_START, md_escape, safe_cell
from explorer.models.webmap import _collection, legend_html
from geo.postcodes import find
from tests.conftest import PROCESSED, REPO
from tests.markdown_text import read, without_code

pytestmark = pytest.mark.slow  # over 10,000 generated inputs

APP = str(REPO / "streamlit_app.py")
NASTY = [
    "<script>alert(1)</script>", "<img src=x onerror=alert(1)>", "<svg onload=alert(1)>", "javascript:alert(1)",
    "[click](javascript:alert(1))", "![x](http://evil.example/x.png)", "=cmd|' /C calc'!A0", "+1+1", "-2+3",
    "@SUM(A1)", "\tTAB", "'; DROP TABLE wards; --", "1 OR 1=1", "\u202eevil", "$$x^2$$", "{{7*7}}", "${7*7}",
    "%s%n%x", "../../etc/passwd", "Ｃｖ１ ５ＦＢ", "CV1 5FB", "cv15fb", "Foleshill", "Index of Multiple",
    "😀" * 40, "a" * 3000, "", " ", "\n\n", "NaN", "None", "true", "-1", "1e308",
]
TEXT = st.text(alphabet=st.characters(blacklist_categories=("Cs",), blacklist_characters="\x00"), max_size=200)
HOSTILE = st.one_of(
    TEXT,
    st.sampled_from(NASTY),
    st.tuples(TEXT, st.sampled_from(NASTY), TEXT).map("".join),
    st.integers().map(str),
    st.floats().map(str),
)


class _Markup(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.live: list[str] = []

    def handle_starttag(self, tag, attrs):
        if tag in ("script", "iframe", "object", "embed", "form", "base", "meta", "link"):
            self.live.append(tag)
        for name, value in attrs:
            if name.startswith("on") or (value or "").strip().lower().startswith(("javascript:", "vbscript:")):
                self.live.append(f"{tag} {name}={value}")


def live_markup(body: str, markdown: bool = False) -> list[str]:
    """Tags or attributes in rendered text that would run code (backslash escapes are not markup, nor, in
    ``markdown``, code spans: their text is shown as written)."""
    parser = _Markup()
    parser.feed(re.sub(r"\\.", "", without_code(body) if markdown else body, flags=re.DOTALL))
    return parser.live


@pytest.fixture(scope="module")
def postcodes():
    return pd.read_csv(PROCESSED / "postcodes.csv", dtype=str).assign(
        terminated=lambda f: f["terminated"].str.lower() == "true")


@settings(max_examples=4000, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(text=HOSTILE)
def test_postcode_search_answers_anything_in_plain_words(text, postcodes, wards):
    result = find(text, postcodes, dict(zip(wards["code"], wards["name"], strict=True)))
    assert result.status in {"found", "terminated", "outside", "invalid", "empty"}
    assert "<" not in result.message and ">" not in result.message
    if result.postcode:
        assert re.fullmatch(r"[A-Z0-9]{2,4} [0-9][A-Z]{2}|BFPO [1-9][0-9]{0,3}", result.postcode)


@settings(max_examples=2000, deadline=None)
@given(text=HOSTILE)
def test_markdown_escape_leaves_nothing_live(text):
    escaped = md_escape(text)
    assert read(escaped)[1] == text  # shown exactly as typed (an address as code: tests/test_link_safety.py)
    assert not re.search(r"(?<!\\)[<>\[\]()`*_$]", without_code(escaped).replace("\\\\", ""))


@settings(max_examples=1000, deadline=None)
@given(text=HOSTILE)
def test_spreadsheet_formulas_are_neutralised(text):
    cell = safe_cell(text)
    assert not str(cell).startswith(FORMULA_START)
    if not text.startswith(FORMULA_START):
        assert cell == text


@settings(max_examples=500, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(name=HOSTILE)
def test_downloads_never_start_a_cell_with_a_formula(name, registry, values, wards, foleshill):
    """Even a ward name dropped in by a bad data file cannot become a formula in Excel."""
    ind = registry["imd25_score"]
    table = ward_table(values, wards.assign(name=name), ind, "Coventry")
    exports = [ward_csv(table, ind), profile_csv("E05001222", name, foleshill)]  # the table is the name's only way in
    for data in exports:
        for row in csv.reader(io.StringIO(data.decode("utf-8-sig"), newline="")):
            assert not any(cell.startswith(FORMULA_START) and not _is_number(cell) for cell in row), row


def _is_number(cell: str) -> bool:
    """A plain number such as -0.00969 (England's health score): Excel reads it as a number, never a formula."""
    return re.fullmatch(r"-?\d+(\.\d+)?(e-?\d+)?", cell) is not None


@pytest.fixture(scope="module")
def foleshill(registry, values):
    return profile_table("E05001222", registry, values)


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(name=HOSTILE)
def test_excel_downloads_hold_text_as_text_never_a_formula(name, registry, values, wards, foleshill):
    ind = registry["imd25_score"]
    workbooks = [ward_workbook(ward_export(ward_table(values, wards.assign(name=name), ind, "Coventry"), ind), ind),
                 profile_workbook(profile_export("E05001222", name, foleshill), registry)]
    for data in workbooks:
        for sheet in load_workbook(io.BytesIO(data)):
            for row in sheet.iter_rows():
                for cell in row:
                    assert cell.data_type != "f", cell.value
                    assert not (isinstance(cell.value, str) and cell.value.startswith(FORMULA_START)), cell.value


@settings(max_examples=1000, deadline=None)
@given(tip=HOSTILE, title=HOSTILE, note=HOSTILE)
def test_tooltips_and_legends_show_text_not_markup(tip, title, note, ward_layer):
    frame, view = ward_layer
    tips = [tip] * len(frame)
    shown = _collection(frame, ["#ffffff"] * len(frame), [False] * len(frame), tips)
    for feature in shown["features"]:
        assert "<" not in feature["properties"]["tip"].replace("<br>", "")
    legend = legend_html(title, view, [note])
    assert live_markup(legend) == []
    if "<" in title + note:
        assert title not in legend or "<" not in title
        assert note not in legend or "<" not in note


@pytest.fixture(scope="module")
def ward_layer(registry, values, wards):
    import geopandas as gpd

    from explorer.models.citymap import ward_view

    ind = registry["imd25_score"]
    return gpd.read_parquet(PROCESSED / "wards.parquet"), ward_view(ward_table(values, wards, ind, "Coventry"), ind)


@settings(max_examples=1000, deadline=None)
@given(keys=st.lists(st.one_of(HOSTILE, st.sampled_from(["Space", "Delete", "Clear", "A", "1"])), max_size=30))
def test_kiosk_keypad_only_ever_holds_a_postcode_shape(keys):
    text = ""
    for key in keys:
        text = type_key(text, key)
        assert len(text) <= MAX_POSTCODE and re.fullmatch(r"([A-Z0-9]+ ?)*", text)


@example(idle="", prompt="²", pin="", url="")  # found in CI: "²".isdigit() is True, int("²") fails
@settings(max_examples=500, deadline=None)
@given(idle=HOSTILE, prompt=HOSTILE, pin=HOSTILE, url=HOSTILE)
def test_kiosk_settings_never_crash(idle, prompt, pin, url):
    env = {"EXPLORER_KIOSK_IDLE_SECONDS": idle, "EXPLORER_KIOSK_PROMPT_SECONDS": prompt,
           "EXPLORER_KIOSK_PIN": pin, "EXPLORER_PUBLIC_URL": url}
    chosen, problems = read_settings(env)
    assert 5 <= chosen.idle_seconds <= 3600 and 3 <= chosen.prompt_seconds <= 600
    assert chosen.staff_pin is None or chosen.staff_pin.isdigit()
    assert all("EXPLORER_" in p for p in problems)


# Every query parameter of every page, through the whole app (fewer examples: each is a full page run).
PAGE_PARAMS = {
    "pages/city_map.py": ["theme", "indicator", "small_areas"],
    "pages/ward_profile.py": ["ward"],
    "pages/compare.py": ["a", "b", "indicator", "groups"],
    "pages/my_area.py": ["ward"],
    "pages/priorities.py": ["priority", "w_imd25_income", "provision_types", "reach_m"],
    "pages/kiosk.py": ["ward", "screen"],
}


def page_is_safe(at: AppTest, typed: str) -> None:
    assert not at.exception, at.exception
    assert not at.error, [e.value for e in at.error]
    for element in [*at.markdown, *at.info, *at.warning, *at.caption]:
        body = element.value
        assert live_markup(body, markdown=True) == [], body[:200]
        if len(typed) > 3 and any(c in typed for c in "<[("):  # shown, if at all, escaped or as code
            shown = re.sub(r"\\.", "", without_code(body), flags=re.DOTALL)
            assert typed not in shown, f"raw input shown: {body[:200]}"


@pytest.mark.parametrize("page", list(PAGE_PARAMS))
@settings(max_examples=25, deadline=None)
@given(data=st.data())
def test_edited_links_show_a_notice_never_an_error(page, data):
    params = {key: data.draw(HOSTILE, label=key) for key in PAGE_PARAMS[page]}
    at = AppTest.from_file(APP, default_timeout=60)
    for key, value in params.items():
        at.query_params[key] = value
    at.switch_page(page)
    at.run()
    for value in params.values():
        page_is_safe(at, value)


@settings(max_examples=40, deadline=None)
@given(typed=HOSTILE)
def test_profile_postcode_box_takes_anything(typed):
    at = AppTest.from_file(APP, default_timeout=60)
    at.switch_page("pages/ward_profile.py")
    at.run()
    at.text_input(key="postcode_text").input(typed[:40])
    next(b for b in at.button if b.label == "Find my ward").click().run()
    page_is_safe(at, typed[:40])
