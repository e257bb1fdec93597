"""Shared browser-test helpers: a local server, an offline Chromium page, and waits.

Every request that would leave this machine is blocked and recorded in ``page.outside``.
"""

import contextlib
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

def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextlib.contextmanager
def running_server(env: dict[str, str] | None = None, prelude: str | None = None):
    """Start the app (as `make run` does) on a free port with extra environment; yield its URL.

    ``prelude`` is Python run in the server before it starts (fault injection: it may replace a function).
    The yielded URL's server process is ``running_server.process`` while it runs.
    """
    if not (REPO / "static/vendor/leaflet/leaflet.js").exists():
        pytest.fail("static/vendor/leaflet is missing: run `make assets` (the app serves Leaflet itself)")
    port = free_port()
    ARTIFACTS.mkdir(exist_ok=True)
    log = open(ARTIFACTS / f"server-{port}.log", "w+b")  # a file, not a pipe: a full pipe would stall the server
    start = ["-m", "pages._serve"] if prelude is None else ["-c", f"{prelude}\nfrom pages._serve import main\nmain()"]
    proc = subprocess.Popen(
        [sys.executable, *start, "--server.port", str(port),
         "--server.address", "127.0.0.1", "--server.headless", "true"],
        # No warm-up (pages/_warm.py): these tests need a fast start more than a fast first visit.
        cwd=REPO, stdout=log, stderr=subprocess.STDOUT, env={**os.environ, "EXPLORER_WARM_UP": "0", **(env or {})},
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
        log.seek(0)
        pytest.fail("streamlit did not start:\n" + log.read().decode(errors="replace")[-2000:])
    running_server.process = proc
    try:
        yield url
    finally:
        if proc.poll() is None:
            proc.terminate()
            proc.wait(timeout=10)
        log.close()


@contextlib.contextmanager
def offline_browser_page(**context_options):
    """A Chromium page where every request that would leave this machine is blocked and recorded."""
    with offline_browser() as new_page:
        yield new_page(**context_options)


@contextlib.contextmanager
def offline_browser():
    """Headless Chromium; yields ``new_page(**context_options)``, each page in a context of its own (own cookies).

    Every request that would leave this machine is blocked and recorded in the page's ``outside``.
    """
    with playwright.sync_playwright() as p:
        browser = p.chromium.launch(
            executable_path=CHROMIUM,
            args=["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                  "--no-first-run", "--disable-sync"],
        )

        def new_page(**context_options):
            context_options.setdefault("viewport", {"width": 1400, "height": 1000})
            context = browser.new_context(**context_options)
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
            return page

        try:
            yield new_page
        finally:
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


def settle(page, ms: int = 1500) -> None:
    """Wait for Streamlit to finish running the script (and deliver its events)."""
    page.wait_for_timeout(300)
    page.locator("[data-testid=stStatusWidget]").wait_for(state="detached", timeout=30000)
    page.wait_for_timeout(ms)


