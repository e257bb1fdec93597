"""The warm-up at server start: it fills the caches the pages read, and what it builds is what they would build."""

import re

import pytest
import streamlit as st
from streamlit.testing.v1 import AppTest

from explorer import settings
from pages import _cache as cache
from pages import _warm
from tests.conftest import REPO

pytestmark = pytest.mark.slow  # the whole warm-up, several times

APP = str(REPO / "streamlit_app.py")


def run_page(page: str | None = None, **query) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=120)
    for key, value in query.items():
        at.query_params[key] = value
    at.run()
    if page:
        at.switch_page(page).run()
    return at


def city_map_document(at: AppTest) -> str:
    """The map's HTML with folium's random element ids made equal."""
    (frame,) = at.get("iframe")
    return re.sub(r"_[0-9a-f]{32}(?![0-9a-f])", "_ID", frame.proto.srcdoc)


def refuse_to_build(monkeypatch):
    """From here on, anything a page would build instead of finding it kept in its place fails the run."""
    from explorer.models import area_views, map_views, profile, profile_views, webmap

    def refuse(*args, **kwargs):
        raise AssertionError("built on a visit: the warm-up should have left it in the place")

    for module in (webmap, map_views, profile_views):
        monkeypatch.setattr(module, "choropleth_map", refuse, raising=False)
    for module in (profile, profile_views, area_views):
        monkeypatch.setattr(module, "profile_table", refuse)


@pytest.fixture
def cold():
    st.cache_resource.clear()
    yield
    st.cache_resource.clear()


def test_switch_is_on_unless_set_to_0_false_no_or_off():
    assert _warm.enabled({})
    assert _warm.enabled({"EXPLORER_WARM_UP": "1"})
    for off in ("0", "false", "No", " off "):
        assert not _warm.enabled({"EXPLORER_WARM_UP": off}), off


def test_every_module_the_pages_import_is_listed():
    modules = _warm.page_imports()
    for name in ("explorer.models.charts", "streamlit_folium", "explorer.models.briefing",
                 "explorer.models.kiosk.guard", "explorer.models.area_views", "explorer.models.webmap"):
        assert name in modules, name


@pytest.mark.parametrize("indicator", ["imd25_score", "no2_background", "flytipping_fms"])
def test_warm_up_builds_the_city_map_document_the_page_would_build(cold, registry, monkeypatch, indicator):
    ind = registry[indicator]
    query = {"theme": ind.theme, "indicator": ind.label}
    built_by_page = city_map_document(run_page(**query))
    st.cache_resource.clear()
    _warm._city_map(cache.open_code(settings.default_authority()), ind)
    refuse_to_build(monkeypatch)  # so the page must find the warm-up's document under its own key
    at = run_page(**query)
    assert not at.exception, f"{indicator}: the page did not find the warm-up's document: {at.exception}"
    assert city_map_document(at) == built_by_page


def test_after_the_warm_up_a_first_visit_builds_nothing(cold, monkeypatch):
    said = []
    figures = _warm.warm(said.append)
    assert figures["failures"] == 0, said
    assert figures["seconds"] > 0 and figures["peak_mb"] > 100
    assert said[-1].startswith("warm-up: ") and " MB" in said[-1]
    refuse_to_build(monkeypatch)
    for page in (None, "pages/my_area.py", "pages/kiosk.py"):
        at = run_page(page)
        assert not at.exception, (page, at.exception)


def test_a_broken_file_is_reported_and_skipped_and_the_warm_up_finishes(cold, processed_copy, monkeypatch):
    (processed_copy / "values.csv").write_text("not,a,values,file\n", encoding="utf-8")
    monkeypatch.setenv("EXPLORER_PACKS_DIR", str(processed_copy.parent.parent))
    said = []
    figures = _warm.warm(said.append)
    assert figures["failures"] >= 1
    assert any("values.csv" in line and "skipped" in line for line in said), said


def test_the_kiosk_warm_up_runs_once_per_place_library_and_day_and_again_after_a_failure(monkeypatch):
    import threading
    from types import SimpleNamespace

    from explorer.models import area_views

    calls, ran = [], threading.Semaphore(0)

    def prepare(place, library, today):
        calls.append((place.name, library))
        ran.release()
        if place.name == "Broken":
            raise OSError("a file went missing")

    monkeypatch.setattr(area_views, "prepare", prepare)
    here, broken = SimpleNamespace(memo={}, name="Here"), SimpleNamespace(memo={}, name="Broken")
    for _ in range(3):
        _warm.warm_kiosk(here, "Central Library")
    _warm.warm_kiosk(here, None)  # another library setting is another map
    _warm.warm_kiosk(broken, None)
    for _ in range(3):
        assert ran.acquire(timeout=30)
    for thread in [t for t in threading.enumerate() if t.name == "kiosk-warm"]:
        thread.join(timeout=30)
    _warm.warm_kiosk(broken, None)  # its flag was dropped when it failed: tried again
    assert ran.acquire(timeout=30)
    assert sorted(calls, key=str) == [("Broken", None), ("Broken", None), ("Here", "Central Library"), ("Here", None)]
