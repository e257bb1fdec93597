"""The embed page (/embed, pages/embed.py) and its "Embed this" boxes, run with AppTest over the session's store.

Each view (map, card, gap) for Coventry and Birmingham; bad and missing parameters answered in plain words with a
useful view still shown, never a link made of what was asked; the boxes on the ward map, profile and compare.
Browser tests (a foreign page framing the embed, also through HAProxy) are in tests/test_embed_browser.py.
"""

import html
import re

import pytest
from streamlit.testing.v1 import AppTest

from explorer.models import embed
from tests.conftest import BIRMINGHAM, COVENTRY, REPO

APP = str(REPO / "streamlit_app.py")
PAGE = str(REPO / "pages" / "embed.py")
NAMES = {COVENTRY: "Coventry", BIRMINGHAM: "Birmingham"}


@pytest.fixture
def store_env(national_built, monkeypatch):
    monkeypatch.setenv("EXPLORER_STORE_DIR", str(national_built[0]))
    monkeypatch.delenv("EXPLORER_LA", raising=False)
    return national_built[0]


def open_embed(**params: str) -> AppTest:
    """The embed page with ``params`` in its address, as a visitor's first run reaches it.

    Run on its own: switched to from the router's first page, a parameter that page's widget is bound to
    (``indicator``) would be dropped as stale, which a first visit to /embed never meets.
    """
    at = AppTest.from_file(PAGE, default_timeout=120)
    at.query_params.update(params)
    at.run()
    assert not at.exception, at.exception
    assert not at.error, [e.value for e in at.error]
    return at


def elements(at: AppTest) -> list:
    """Every element of the main area, depth first."""
    out = []

    def walk(node):
        out.append(node)
        for child in getattr(node, "children", {}).values():
            walk(child)

    walk(at.main)
    return out


def said(at: AppTest) -> str:
    """Every text the page shows (markdown, captions, headings, notices, HTML), Markdown's escapes taken out."""
    return "\n".join(str(node.proto) for node in elements(at) if getattr(node, "proto", None) is not None
                     ).replace("\\", "")


def notices(at: AppTest) -> list[str]:
    return [i.value for i in at.info]


def explorer_link(at: AppTest) -> str:
    buttons = [b for b in elements(at) if getattr(b, "type", "") == "link_button"]
    assert len(buttons) == 1
    return buttons[0].proto.url


@pytest.mark.parametrize("code", [COVENTRY, BIRMINGHAM])
def test_the_map_view_draws_the_ward_map_with_its_period_source_and_attribution(store_env, code):
    at = open_embed(view="map", la=NAMES[code], indicator="le_female")
    assert notices(at) == []
    text = said(at)
    assert f"{NAMES[code]} ward map" in at.subheader[0].value
    assert "Period: 2009-2013" in text and "Source: ONS" in text and "Crown copyright" in text
    assert "leaflet" in text.lower()  # the map document itself
    assert explorer_link(at) == f"/city_map?la={NAMES[code]}&indicator=le_female"


@pytest.mark.parametrize("code", [COVENTRY, BIRMINGHAM])
def test_the_card_view_gives_a_wards_summary_with_the_period_and_source_of_each_figure(store_env, code):
    ward = {COVENTRY: "Foleshill", BIRMINGHAM: "Aston"}[code]
    at = open_embed(view="card", la=code, ward=ward.lower())  # a code and a name in any case are read
    assert notices(at) == []
    text = said(at)
    assert ward in at.subheader[0].value and NAMES[code] in at.subheader[0].value
    assert "Index of Multiple Deprivation 2025" in text and "IoD 2025" in text and "MHCLG" in text
    assert "Period and source of each figure" in text
    assert explorer_link(at) == f"/ward_profile?la={NAMES[code]}&ward={ward}"


@pytest.mark.parametrize("code", [COVENTRY, BIRMINGHAM])
def test_the_gap_view_draws_the_gap_chart_of_fifths_with_its_method_and_source(store_env, code):
    at = open_embed(view="gap", la=NAMES[code], indicator="Life expectancy at birth: men")
    assert notices(at) == []
    assert len(at.get("vega_lite_chart")) == 1
    text = said(at)
    assert "fifths" in text and "slope index of inequality" in text
    assert "Period: 2009-2013" in text and "Source: ONS" in text
    assert explorer_link(at) == f"/compare?la={NAMES[code]}&indicator=le_male"


def test_a_link_naming_nothing_shows_the_default_map_and_says_what_it_chose(store_env):
    at = open_embed()
    assert [n for n in notices(at) if "no view" in n] and [n for n in notices(at) if "no local authority" in n]
    assert [n for n in notices(at) if "no indicator" in n]
    assert "Coventry ward map" in at.subheader[0].value


def test_bad_parameters_are_said_in_plain_words_and_a_useful_view_is_still_shown(store_env):
    hostile = "[click me](https://evil.example/x) <b>x</b>"
    at = open_embed(view="chart", la="Atlantis", indicator=hostile)
    words = notices(at)
    assert any("view" in n and "chart" in n for n in words), words
    assert any("Atlantis" in n and "showing Coventry" in n for n in words), words
    assert any("indicator" in n for n in words), words
    assert "Coventry ward map" in at.subheader[0].value  # still a map
    asked = next(n for n in words if "indicator" in n)
    assert re.search(r"`[^`]*https://evil\.example/x[^`]*`", asked), asked  # shown as code: never a link
    assert "](https://evil" not in asked.replace("`me](https://evil.example/x)`", "")
    assert "evil" not in explorer_link(at)


def test_an_unknown_ward_and_an_indicator_with_no_gap_are_answered_and_replaced(store_env):
    at = open_embed(view="card", la="Birmingham", ward="Foleshill")  # Coventry's ward, not Birmingham's
    assert any("Foleshill" in n and "not one of Birmingham's wards" in n for n in notices(at))
    assert "Birmingham" in at.subheader[0].value
    at = open_embed(view="gap", la="Coventry", indicator="cilif_children")  # a bare count: no gap is drawn
    assert any("No gap chart" in n for n in notices(at)), notices(at)
    assert len(at.get("vega_lite_chart")) == 1


def test_the_iframe_code_is_escaped_titled_and_sized():
    request = embed.Request("card", None, "E05001222", ())

    class Place:
        name, names = "Coventry", {"E05001222": "St Michael's & \"Hill\""}

    code = embed.iframe_code("https://explorer.example.org/", Place, request)
    assert code.startswith('<iframe src="https://explorer.example.org/embed?view=card&amp;la=Coventry&amp;ward=')
    assert 'title="St Michael&#x27;s &amp; &quot;Hill&quot; ward, Coventry: summary"' in code
    assert 'width="100%"' in code and f'height="{embed.HEIGHTS["card"]}"' in code and "max-width:1200px" in code
    assert all(500 <= height <= 1200 for height in embed.HEIGHTS.values())
    src = html.unescape(re.search(r'src="([^"]+)"', code).group(1))
    assert src.endswith("&embed=true") and "ward=St+Michael%27s+%26+%22Hill%22" in src


@pytest.mark.parametrize(("page", "where", "box"), [
    ("city_map", {"la": "Birmingham", "indicator": "le_female"}, "view=map&amp;la=Birmingham&amp;indicator=le_female"),
    ("ward_profile", {"la": "Coventry", "ward": "Foleshill"}, "view=card&amp;la=Coventry&amp;ward=Foleshill"),
    ("compare", {"la": "Birmingham", "indicator": "le_male"}, "view=gap&amp;la=Birmingham&amp;indicator=le_male"),
])
def test_each_page_has_an_embed_this_box_with_the_code_of_its_view(store_env, page, where, box):
    at = AppTest.from_file(APP, default_timeout=120)
    at.query_params.update(where)
    at.run()
    if page != "city_map":
        at.switch_page(f"pages/{page}.py")
        at.query_params.update(where)
        at.run()
    assert not at.exception, at.exception
    boxes = [e for e in at.expander if e.label.startswith("Embed this")]
    assert len(boxes) == 1
    code = boxes[0].text_area[0].value
    assert code.startswith("<iframe src=") and box in code and ' title="' in code


def test_a_narrow_frame_gets_the_gap_charts_axis_title_in_short_lines_and_the_shared_chart_is_unchanged():
    title = ["Fifths of residents: 1 = most deprived, 5 = least deprived"]
    chart = {"encoding": {"x": {"field": "quantile", "title": title}, "y": {"field": "value"}}}
    narrow = embed.fitted(chart)
    assert all(len(line) <= embed.NARROW_TITLE_CHARS for line in narrow["encoding"]["x"]["title"])
    assert " ".join(narrow["encoding"]["x"]["title"]) == title[0]
    assert chart["encoding"]["x"]["title"] is title and narrow["encoding"]["y"] == {"field": "value"}


@pytest.mark.parametrize("view", ["map", "card", "gap", None])
def test_no_parameter_puts_a_link_we_did_not_write_on_the_embed(store_env, view):
    """Every parameter of /embed driven with tests/test_link_safety.py's payloads: no address is left outside code."""
    from tests.test_link_safety import PAYLOADS, addresses

    baseline = {text for _, text in addresses(open_embed(**({"view": view} if view else {})))}
    for payload in PAYLOADS:
        at = open_embed(view=view or payload, la=payload, indicator=payload, ward=payload)
        left = [(where, text) for where, text in addresses(at) if text not in baseline]
        assert not left, (payload, left[:3])
        assert "evil" not in explorer_link(at).casefold()
