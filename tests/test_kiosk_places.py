"""The library kiosk and My area for any authority: national facts where a council brings no pack, said plainly.

Birmingham and Cornwall have no local pack: their four facts are the national ones, filled from the national store
(tests/conftest.py's five-authority store), the map and the list are there, and postcode search, landmarks and
"what is being done near here" are not, each said plainly. Coventry's pack brings all of them.
"""

import re

import pytest
from streamlit.testing.v1 import AppTest

from tests.conftest import BIRMINGHAM, CORNWALL, REPO

APP = str(REPO / "streamlit_app.py")
NAMES = {BIRMINGHAM: "Birmingham", CORNWALL: "Cornwall"}


@pytest.fixture
def store_env(national_built, monkeypatch):
    monkeypatch.setenv("EXPLORER_STORE_DIR", str(national_built[0]))
    monkeypatch.delenv("EXPLORER_LA", raising=False)
    return national_built[0]


def everything(at: AppTest) -> str:
    """Every element's text in the main area (markdown, headers, captions, buttons, alerts, the map's document)."""
    out = []

    def walk(node):
        proto = getattr(node, "proto", None)
        if proto is not None:
            out.append(str(proto))
        for child in getattr(node, "children", {}).values():
            walk(child)

    walk(at.main)
    return re.sub(r"city[- ]centre", " ", "\n".join(out))  # a landmark kind, named in the map's style sheet


def shown(elements) -> str:
    """The words of Markdown elements as a reader sees them (without Markdown's backslash escapes)."""
    return re.sub(r"\\(.)", r"\1", " ".join(e.value for e in elements))


def open_kiosk() -> AppTest:
    """The kiosk page after one run of the router, which decides the authority (AppTest reruns a page on its own)."""
    at = AppTest.from_file(APP, default_timeout=120)
    at.run()
    at.switch_page("pages/kiosk.py").run()
    assert not at.exception, at.exception
    return at


def no_other_authority(text: str, name: str) -> None:
    """No word of Coventry's, and no "city", in another authority's kiosk (its own name aside)."""
    read = text.replace(name, " ")
    said = [m.group(0) for m in re.finditer(r".{0,60}(?:Coventry|\b[Cc]ity\b).{0,30}", read)]
    assert not said, said[:5]


@pytest.mark.parametrize("code", [BIRMINGHAM, CORNWALL])
def test_the_kiosk_shows_any_authority_with_national_facts_and_says_what_is_not_held(store_env, monkeypatch, code):
    name = NAMES[code]
    monkeypatch.setenv("EXPLORER_LA", name)  # what pins a kiosk to its authority
    at = open_kiosk()
    assert at.button(key="kiosk_banner").label == f"{name}: your area in numbers"
    assert (f"life where you live in {name}: money and jobs, how long people live, air, and parks and green space"
            in shown(at.markdown))
    at.button(key="kiosk_start").click().run()
    assert [b.key for b in at.button if b.key.startswith("mode_")] == ["mode_map", "mode_list"]  # no postcode box
    said = shown(at.markdown)
    assert f"Postcode search is not held for {name}" in said
    assert f"All of {name} to see every ward again" in said and "are not marked: they are not held" in said
    (frame,) = at.get("iframe")
    assert f'"All of {name}"' in frame.proto.srcdoc and "Whole city" not in frame.proto.srcdoc
    at.button(key="mode_list").click().run()
    first = next(b for b in at.button if b.key.startswith("ward_"))
    ward = first.label
    first.click().run()
    assert not at.exception and not at.error, [e.value for e in at.error]
    assert at.header[0].value == ward
    facts = shown(at.markdown)
    assert f"Across {name} it is" in facts and f"Across {name}: women" in facts  # money, how long people live
    # Air from the national background NO2 (Friends of the Earth and Defra, 2021-23), beside the UK limit.
    assert f"micrograms of nitrogen dioxide in each cubic metre. Across {name}:" in facts
    assert "We do not hold this figure" not in facts and "the UK limit for the yearly average is 40" in facts
    # Park distance and, since the national gardens (ONS, April 2020, by MSOA), private outdoor space too.
    assert "have a garden or outdoor space of their own" in facts
    assert f"We do not hold the figure for gardens for {name}." not in facts
    assert f"Not held for {name}: the council's register of sites and services." in facts
    assert f"Where it is in {name}" in [s.value for s in at.subheader]
    no_other_authority(everything(at), name)


@pytest.mark.parametrize("code", [BIRMINGHAM, CORNWALL])
def test_my_area_runs_for_any_authority_and_says_postcode_search_is_not_held(store_env, code):
    name = NAMES[code]
    at = AppTest.from_file(APP, default_timeout=120)
    at.query_params["la"] = name
    at.run()
    at.switch_page("pages/my_area.py").run()
    assert not at.exception and not at.error, [e.value for e in at.error]
    assert f"Postcode search is not held for {name}" in shown(at.caption)
    assert at.header[0].value == at.selectbox(key="ward").format_func(at.selectbox(key="ward").value)
    said = shown(at.markdown)
    assert f"Across {name}" in said and "micrograms of nitrogen dioxide" in said
    assert "We do not hold this figure" not in said
    assert "(Index of Multiple Deprivation, " in said and "Source: " in shown(at.caption)
    no_other_authority(everything(at), name)


def test_coventrys_kiosk_keeps_its_postcode_search_landmarks_and_register():
    at = open_kiosk()
    assert at.button(key="kiosk_banner").label == "Coventry: your area in numbers"
    at.button(key="kiosk_start").click().run()
    assert [b.key for b in at.button if b.key.startswith("mode_")] == ["mode_map", "mode_list", "mode_postcode"]
    said = shown(at.markdown)
    assert "Whole city to see all of Coventry" in said and "H marks University Hospital" in said
    assert "not held" not in said
