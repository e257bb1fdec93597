"""Any authority in a real browser: ?la= by code becomes the name in the address, and the next page keeps it."""

import pytest

from tests.browser import map_frame, offline_browser_page, running_server

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def server(national_built):
    with running_server({"EXPLORER_STORE_DIR": str(national_built[0])}) as url:
        yield url


@pytest.fixture
def page():
    with offline_browser_page(viewport={"width": 1366, "height": 768}) as p:
        yield p


def test_la_code_opens_birminghams_map_and_the_next_page_keeps_it(server, page):
    page.goto(server + "city_map?la=E08000025")
    frame = map_frame(page, 120)
    page.get_by_role("heading", name="Birmingham ward map").wait_for(timeout=60000)
    assert frame.get_by_text("Sutton Four Oaks").count() >= 1  # the map's ward labels
    page.wait_for_url("**/city_map?la=Birmingham", timeout=60000)  # the address names it, so a link reopens it
    page.get_by_role("link", name="Ward profile").click()
    page.get_by_text("How it compares").first.wait_for(timeout=120000)
    assert "la=Birmingham" in page.url
    assert "Birmingham wards, May 2025" in page.get_by_test_id("stCaptionContainer").first.inner_text()
    assert page.title() == "Birmingham inequality explorer" and not page.outside


def test_the_picker_changes_the_address(server, page):
    page.goto(server + "city_map")
    page.get_by_role("heading", name="Coventry ward map").wait_for(timeout=120000)
    page.get_by_role("combobox", name="Local authority").click()
    page.keyboard.type("Cornwall")
    page.keyboard.press("Enter")
    page.get_by_role("heading", name="Cornwall ward map").wait_for(timeout=120000)
    page.wait_for_url("**/city_map?la=Cornwall", timeout=60000)


def test_another_authoritys_downloads_are_its_own(server, page):
    """A download is built after the page's run, outside the session: it must still be Birmingham's."""
    page.goto(server + "ward_profile?la=E08000025")
    page.get_by_text("How it compares").first.wait_for(timeout=120000)
    ward = page.get_by_role("heading", level=2).first.inner_text()
    for label, suffix in (("Every indicator for this ward (CSV)", "-ward-profile.csv"),
                          ("One-page printable briefing (HTML)", "-ward-briefing.html")):
        with page.expect_download(timeout=120000) as caught:
            page.get_by_role("button", name=label).click()
        download = caught.value
        assert download.suggested_filename.startswith("birmingham-") and download.suggested_filename.endswith(suffix)
        text = open(download.path(), encoding="utf-8-sig").read()
        # Nor any column named for Coventry (a column headed "coventry" once held Birmingham's figures).
        assert ward in text and "Birmingham" in text and "coventry" not in text.lower(), download.suggested_filename


@pytest.mark.parametrize("start, ward", [("my_area?ward=Wyken", "Wyken"),
                                         ("my_area?la=Birmingham&ward=Ladywood", "Ladywood")])
def test_my_areas_link_to_every_figure_opens_the_same_ward_of_the_same_authority(server, page, start, ward):
    """A page link's ``?ward=`` was dropped (My area's own widget is bound to it): the profile opened on its first
    ward, and for another authority on that authority's first ward."""
    page.goto(server + start)
    page.get_by_role("heading", name=ward, level=2).wait_for(timeout=120000)
    page.get_by_role("button", name="Every figure for this ward").click()
    page.get_by_role("heading", name="Ward profile").wait_for(timeout=120000)
    page.wait_for_url(f"**/ward_profile?*ward={ward}*", timeout=120000)
    page.get_by_role("heading", name=ward, level=2).wait_for(timeout=120000)
    assert ("la=Birmingham" in page.url) == ("Birmingham" in start) and not page.outside

