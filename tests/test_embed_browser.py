"""The embed in a real browser, inside another site's page: the code the "Embed this" box gives draws its view there.

A plain HTML page is served from another origin and another site (``localhost`` on its own port, by Python's
http.server in a thread, while the app answers at ``127.0.0.1``), holding the ``<iframe>`` code copied from the
boxes on the ward map and the ward profile. The map and the card must draw inside their frames, with no menu or
toolbar, and their "Open in the explorer" link must leave the frame. Then the same through HAProxy in front of two
replicas (deploy/replicas.py): in another site's frame the balancer's sticky cookie (SameSite=Lax) is not sent, so
the embed must need nothing from a replica beyond its own websocket.
"""

import contextlib
import functools
import http.server
import os
import shutil
import threading

import pytest

from tests.browser import ARTIFACTS, map_frame, offline_browser_page, open_page, running_server

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def store(national_built):
    return str(national_built[0])


@contextlib.contextmanager
def foreign_site(folder):
    """Serve ``folder`` at ``http://localhost:<port>/`` from a thread: another origin and site than the app's."""
    handler = functools.partial(http.server.SimpleHTTPRequestHandler, directory=str(folder))
    server = http.server.ThreadingHTTPServer(("localhost", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://localhost:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()


def box_code(page, url: str) -> str:
    """Open ``url`` in the app, open its "Embed this" box and return the code it gives."""
    page.goto(url)
    box = page.get_by_text("Embed this", exact=False).first
    box.wait_for(timeout=120000)
    box.click()
    code = page.locator("[data-testid=stExpander] textarea")
    code.first.wait_for(timeout=30000)
    return code.first.input_value()


def council_page(folder, codes: list[str]) -> None:
    """A council's plain web page holding the iframe codes, in a column 600 px wide."""
    frames = "\n".join(f"<section style='width:600px'>{code}</section>" for code in codes)
    (folder / "index.html").write_text(
        f"<!doctype html><html lang='en'><head><meta charset='utf-8'><title>A council's page</title></head>"
        f"<body><h1>Our wards</h1>{frames}</body></html>", encoding="utf-8")


def embed_frame(page, title: str):
    """The Playwright frame of the iframe titled ``title`` on the foreign page."""
    element = page.locator(f"iframe[title='{title}']")
    element.wait_for(timeout=60000)
    return element.element_handle().content_frame()


def check_embeds(page, app: str, tmp_path, name: str) -> None:
    """Copy the map's and the card's codes from the app's boxes, frame them on a foreign page, and check both draw."""
    map_code = box_code(page, app + "city_map?la=Birmingham&indicator=le_female")
    card_code = box_code(page, app + "ward_profile?la=Coventry&ward=Foleshill")
    assert map_code.startswith(f'<iframe src="{app}embed?view=map&amp;la=Birmingham&amp;indicator=le_female')
    assert 'title="Foleshill ward, Coventry: summary"' in card_code
    council_page(tmp_path, [map_code, card_code])
    with foreign_site(tmp_path) as site:
        assert not site.startswith(app)
        page.goto(site)
        card = embed_frame(page, "Foleshill ward, Coventry: summary")
        card.get_by_role("heading", name="Foleshill ward, Coventry: summary").wait_for(timeout=120000)
        card.get_by_text("Period and source of each figure").wait_for(timeout=60000)
        assert card.get_by_text("Index of Multiple Deprivation 2025").count() >= 1
        embed_map = embed_frame(page, "Birmingham ward map: Life expectancy at birth: women")
        embed_map.get_by_role("heading", name="Birmingham ward map").wait_for(timeout=120000)
        drawn = map_frame(page, 120)
        assert drawn is not None, "the ward map did not draw inside the foreign page's frame"
        assert drawn.parent_frame == embed_map  # the map is the embed's, not some other frame's
        assert embed_map.get_by_text("Period: 2009-2013").count() >= 1
        assert embed_map.get_by_text("Crown copyright", exact=False).count() >= 1
        for frame, target in ((embed_map, "/city_map?la=Birmingham&indicator=le_female"),
                              (card, "/ward_profile?la=Coventry&ward=Foleshill")):
            link = frame.get_by_role("link", name="Open in the explorer (new tab)")
            assert link.get_attribute("target") in ("_blank", "_top")  # it leaves the frame
            assert link.get_attribute("href").endswith(target)
            for chrome in ("stSidebar", "stToolbar", "stHeader"):  # no menu, picker or toolbar in a frame
                assert not frame.get_by_test_id(chrome).is_visible()
        page.screenshot(path=str(ARTIFACTS / f"embed-foreign-{name}.png"), full_page=True)
        assert not page.outside


@pytest.fixture(scope="module")
def app(store):
    """The app, at 127.0.0.1 (the foreign page is served at localhost: another site)."""
    with running_server({"EXPLORER_STORE_DIR": store}) as url:
        yield url.replace("localhost", "127.0.0.1")


def test_the_box_codes_draw_the_map_and_the_card_inside_another_sites_page(app, tmp_path):
    with offline_browser_page(viewport={"width": 1366, "height": 1600}) as page:
        check_embeds(page, app, tmp_path, "direct")


@pytest.mark.parametrize("state", ["view=map&la=Birmingham&indicator=le_female", "view=card&la=Coventry&ward=Foleshill",
                                   "view=gap&la=Birmingham&indicator=le_male", "view=chart&la=Atlantis"])
def test_axe_finds_no_serious_or_critical_violations_in_an_embed_300_px_wide(app, state):
    from axe_playwright_python.sync_playwright import Axe

    with offline_browser_page(viewport={"width": 300, "height": 760}) as page:
        open_page(page, f"{app}embed?{state}&embed=true")
        page.get_by_role("link", name="Open in the explorer (new tab)").wait_for(timeout=60000)
        bad = [(v["id"], v["impact"], [n["target"] for n in v["nodes"]][:3])
               for v in Axe().run(page).response["violations"] if v["impact"] in ("serious", "critical")]
        assert bad == [], bad
        assert page.outside == []


@pytest.mark.skipif(not shutil.which("haproxy") and not os.environ.get("CI"), reason="haproxy not installed")
def test_the_embeds_draw_through_haproxy_in_front_of_two_replicas(store, tmp_path):
    from deploy.replicas import Replicas

    run_dir = tmp_path / "replicas"
    site = tmp_path / "site"
    site.mkdir()
    with Replicas(2, 0, run_dir, env={"EXPLORER_WARM_UP": "0", "EXPLORER_STORE_DIR": store}) as replicas, \
            offline_browser_page(viewport={"width": 1366, "height": 1600}) as page:
        check_embeds(page, replicas.url, site, "haproxy")
        log = (run_dir / "haproxy.log").read_text(errors="replace")
        assert '"GET /_stcore/stream' in log or "GET /_stcore/stream" in log  # the frames' sessions went through it
