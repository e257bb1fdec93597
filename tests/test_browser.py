"""Browser tests in headless Debian Chromium with the network cut off: what only a browser can show."""

import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from urllib.parse import urlparse

import pytest

from tests.conftest import REPO

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
ARTIFACTS = REPO / "tests" / "artifacts"
LOCAL_HOSTS = {"localhost", "127.0.0.1", "::1", "[::1]"}

if not CHROMIUM:
    if os.environ.get("CI"):
        pytest.fail("Debian chromium is required for browser tests in CI (.ci/run installs it)", pytrace=False)
    pytest.skip("chromium not installed: `apt-get install -y chromium` to run browser tests", allow_module_level=True)

playwright = pytest.importorskip("playwright.sync_api")
pytestmark = pytest.mark.browser


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def server():
    if not (REPO / "static/vendor/leaflet/leaflet.js").exists():
        pytest.fail("static/vendor/leaflet is missing: run `make assets` (the app serves Leaflet itself)")
    port = free_port()
    proc = subprocess.Popen(
        [sys.executable, "-m", "streamlit", "run", str(REPO / "streamlit_app.py"), "--server.port", str(port),
         "--server.address", "127.0.0.1", "--server.headless", "true"],
        cwd=REPO, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
    )
    url = f"http://127.0.0.1:{port}/"
    deadline = time.time() + 60
    while time.time() < deadline:
        try:
            urllib.request.urlopen(url + "_stcore/health", timeout=1)
            break
        except OSError:
            time.sleep(0.3)
    else:
        proc.kill()
        pytest.fail("streamlit did not start:\n" + proc.stdout.read().decode(errors="replace")[-2000:])
    yield url
    proc.terminate()
    proc.wait(timeout=10)


@pytest.fixture
def offline_page():
    """A Chromium page where every request that would leave this machine is blocked and recorded."""
    with playwright.sync_playwright() as p:
        browser = p.chromium.launch(
            executable_path=CHROMIUM,
            args=["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                  "--no-first-run", "--disable-sync"],
        )
        context = browser.new_context(viewport={"width": 1400, "height": 1000})
        outside: list[str] = []

        def guard(route):
            host = urlparse(route.request.url).hostname or ""
            if host in LOCAL_HOSTS or route.request.url.startswith(("data:", "blob:", "about:")):
                route.continue_()
            else:
                outside.append(route.request.url)
                route.abort()

        context.route("**/*", guard)
        page = context.new_page()
        page.outside = outside
        yield page
        browser.close()


def map_frame(page, timeout_s: float):
    """The frame holding the Leaflet map, once it has drawn at least one shape."""
    deadline = time.time() + timeout_s
    while time.time() < deadline:
        for frame in page.frames:
            try:
                if frame.locator("path.leaflet-interactive").count():
                    return frame
            except playwright.Error:
                pass
        time.sleep(0.1)
    return None


def test_home_page_draws_18_wards_and_legend_offline_within_10s(server, offline_page):
    page = offline_page
    start = time.time()
    page.goto(server)
    frame = map_frame(page, 10)
    assert frame is not None, "no ward shapes drawn within 10 s"
    page.locator(".legend").wait_for(timeout=max(100, (10 - (time.time() - start)) * 1000))
    elapsed = time.time() - start
    assert frame.locator("path.leaflet-interactive").count() == 18
    assert elapsed <= 10
    assert "No data" in page.locator(".legend").inner_text()
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "home.png"), full_page=True)
    assert page.outside == [], f"requests left localhost: {page.outside[:5]}"
    print(f"map and legend drawn {elapsed:.2f} s after opening the page")


def test_neighbourhood_toggle_draws_203_lsoas(server, offline_page):
    page = offline_page
    page.goto(server)
    assert map_frame(page, 15)
    page.get_by_text("Show neighbourhoods (2021 LSOAs)").click()
    deadline = time.time() + 15
    count = 0
    while time.time() < deadline and count != 203:
        frame = map_frame(page, 5)
        count = frame.locator("path.leaflet-interactive").count() if frame else 0
        time.sleep(0.2)
    assert count == 203
    page.screenshot(path=str(ARTIFACTS / "home_lsoa.png"), full_page=True)
    assert page.outside == []


def test_panning_and_zooming_send_nothing_to_the_server(server, offline_page):
    page = offline_page
    sent: list[str] = []
    page.on("websocket", lambda ws: ws.on("framesent", lambda payload: sent.append(str(payload)[:80])))
    page.goto(server)
    frame = map_frame(page, 15)
    assert frame
    page.wait_for_timeout(2000)  # let the first run settle (waiting this way also delivers websocket events)
    sent.clear()
    box = page.locator("iframe[title='streamlit_folium.st_folium']").bounding_box()
    cx, cy = box["x"] + box["width"] / 2, box["y"] + box["height"] / 2
    page.mouse.move(cx, cy)
    page.mouse.down()
    page.mouse.move(cx + 120, cy + 60, steps=8)
    page.mouse.up()
    page.mouse.wheel(0, -300)
    frame.locator(".leaflet-control-zoom-in").click()
    page.wait_for_timeout(2000)
    assert sent == [], f"map interaction sent {len(sent)} message(s) to the server (a rerun)"
