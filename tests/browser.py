"""Shared browser-test helpers: a local server, an offline Chromium page, and waits.

Every request that would leave this machine is blocked and recorded in ``page.outside``.
"""

import contextlib
import os
import shutil
import sys
import time
from urllib.parse import urlparse

import pytest

from deploy import launch
from tests.conftest import REPO

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
ARTIFACTS = REPO / "tests" / "artifacts"
LOCAL_HOSTS = {"localhost", "127.0.0.1", "::1", "[::1]"}
# How long one step may take, in seconds: a run of the app to finish, and a click or fill to find its element. One
# figure for both, because a click waits for the element the run before it draws: a page's first (cold) run for an
# indicator takes 1-3 s on a quiet machine and ten times that on a fresh CI machine with 2 busy cores.
DEADLINE_S = 60

if not CHROMIUM:
    if os.environ.get("CI"):
        pytest.fail("Debian chromium is required for browser tests in CI (.ci/run installs it)", pytrace=False)
    pytest.skip("chromium not installed: `apt-get install -y chromium` to run browser tests", allow_module_level=True)

playwright = pytest.importorskip("playwright.sync_api")


@contextlib.contextmanager
def running_server(env: dict[str, str] | None = None, prelude: str | None = None, port: int | None = None):
    """Start the app (as `make run` does) on a free port with extra environment; yield its URL.

    ``prelude`` is Python run in the server before it starts (fault injection: it may replace a function).
    ``port`` starts it on that port instead (a server started again where an earlier one stopped).
    The yielded URL's server process is ``running_server.process`` while it runs.
    """
    if not (REPO / "static/vendor/leaflet/leaflet.js").exists():
        pytest.fail("static/vendor/leaflet is missing: run `make assets` (the app serves Leaflet itself)")
    port = port or launch.free_port()
    ARTIFACTS.mkdir(exist_ok=True)
    log = ARTIFACTS / f"server-{port}.log"
    log.unlink(missing_ok=True)
    command = launch.APP if prelude is None else (sys.executable, "-c",
                                                  f"{prelude}\nfrom pages._serve import main\nmain()")
    # No warm-up (pages/_warm.py): these tests need a fast start more than a fast first visit.
    with launch.serving(command, {"EXPLORER_WARM_UP": "0", **(env or {})}, port=port, log=log, timeout=120) as server:
        running_server.process = server.process
        yield server.url


@contextlib.contextmanager
def offline_browser_page(**context_options):
    """A Chromium page where every request that would leave this machine is blocked and recorded."""
    with offline_browser() as new_page:
        yield new_page(**context_options)


@contextlib.contextmanager
def download_page():
    """A desktop page (1366 x 900) that accepts downloads; the test fails if any request left this machine."""
    with offline_browser_page(accept_downloads=True, viewport={"width": 1366, "height": 900}) as opened:
        yield opened
        assert opened.outside == [], f"requests left this machine: {opened.outside[:3]}"


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
            page = watch(context.new_page())
            page.outside = outside
            return page

        try:
            yield new_page
        finally:
            browser.close()


def map_frame(page, timeout_s: float, shapes: int | None = None):
    """The frame holding a Leaflet map once it has drawn at least one shape (or exactly ``shapes`` of them)."""
    deadline = time.time() + timeout_s
    while time.time() < deadline:
        for frame in page.frames:
            try:
                count = frame.locator("path.leaflet-interactive").count()
            except playwright.Error:  # a frame being replaced: look again
                continue
            if count and (shapes is None or count == shapes):
                return frame
        try:
            page.wait_for_event("framenavigated", timeout=250)  # a frame drawn afresh, or look again
        except playwright.Error:
            pass
    return None


# Numbers each websocket the tab opens (kept in window.name, which outlives a page load within the tab) and counts
# the messages each has delivered to the page's own code, so a test can wait until the page has taken in the
# message that ended a run on that socket, or has moved on to a newer one.
SOCKET_COUNTER = """(() => {
  if (window.__wsWatched) return;
  window.__wsWatched = true;
  let tab = {};
  try { tab = JSON.parse(window.name || '{}') || {}; } catch (e) { tab = {}; }
  window.__wsSerial = 0;
  window.__wsIn = 0;
  const Socket = window.WebSocket;
  window.WebSocket = function (...args) {
    const socket = new Socket(...args);
    tab.sockets = (tab.sockets || 0) + 1;
    window.name = JSON.stringify(tab);
    const serial = tab.sockets;
    window.__wsSerial = serial;
    window.__wsIn = 0;
    socket.addEventListener('message', () => { if (window.__wsSerial === serial) window.__wsIn += 1; });
    return socket;
  };
  window.WebSocket.prototype = Socket.prototype;
  Object.assign(window.WebSocket, {CONNECTING: 0, OPEN: 1, CLOSING: 2, CLOSED: 3});
})()"""
# Socket ``serial`` has delivered ``k`` messages, the app is not running, no element is still a placeholder
# (Streamlit draws a skeleton while it loads the code of an element it has not drawn before) and a frame has been
# drawn since; or the tab has opened a newer socket (the page was left or loaded again): nothing more to wait for.
TAKEN_IN = """async ([serial, k]) => {
  const app = () => document.querySelector('[data-testid=stApp]');
  const ready = () => window.__wsSerial > serial || (window.__wsSerial === serial && window.__wsIn >= k && app()
                      && app().getAttribute('data-test-script-state') === 'notRunning'
                      && !document.querySelector('[data-testid=stSkeleton]'));
  while (!ready()) { await new Promise((done) => requestAnimationFrame(done)); }
  await new Promise((done) => requestAnimationFrame(() => setTimeout(done)));
  return true;
}"""


class Runs:
    """The script runs a page's Streamlit session has finished, read from the app's own websocket messages.

    Each full run ends with a ``script_finished`` message (fragment runs and runs cut short by a newer one are
    not counted), so a test can wait for the run its own action started, whatever the machine's speed.
    """

    def __init__(self, page) -> None:
        from streamlit.proto.ForwardMsg_pb2 import ForwardMsg

        self._message = ForwardMsg
        self.finished = 0
        self.running = False  # a run has started on the current socket and not yet said it ended
        self.socket = None
        self.received = 0  # messages on the current socket
        self.serial = 0  # sockets the tab has opened (the page's own count is kept in window.name)
        self.last = (0, 0)  # (socket, messages of that socket) when the last run ended
        page.on("websocket", self._socket)
        # A page loaded afresh drops its socket (Playwright may not say it closed); the new one comes later.
        page.on("request", lambda request: self._loading(page, request))

    def _loading(self, page, request) -> None:
        if request.is_navigation_request() and request.frame == page.main_frame:
            self.socket, self.received, self.running = None, 0, False

    def _socket(self, socket) -> None:
        self.socket, self.received, self.running = socket, 0, False
        self.serial += 1
        socket.on("framereceived", lambda payload: self._frame(socket, payload))

    def _frame(self, socket, payload) -> None:
        if socket is not self.socket:
            return  # a message still arriving on the socket of the page just left
        self.received += 1
        if isinstance(payload, str):
            return
        message = self._message()
        try:
            message.ParseFromString(payload)
        except Exception:  # noqa: BLE001 - not one of Streamlit's messages
            return
        done = self._message.ScriptFinishedStatus
        kind = message.WhichOneof("type")
        # A run cut short by a newer one may never send its end (Streamlit drops unsent messages when the next
        # run starts), so "running" is whether the last run that said it started has said it ended.
        if kind == "new_session":
            self.running = True
        elif kind == "script_finished":
            self.running = False
            if message.script_finished in (done.FINISHED_SUCCESSFULLY, done.FINISHED_WITH_COMPILE_ERROR):
                self.finished += 1
            self.last = (self.serial, self.received)


def watch(page):
    """Count ``page``'s finished script runs (``page.runs``); call before the page opens the app."""
    if not hasattr(page, "runs"):
        page.set_default_timeout(DEADLINE_S * 1000)  # a click waits as long as a run may take (see DEADLINE_S)
        page.add_init_script(SOCKET_COUNTER)
        page.runs = Runs(page)
    return page


STILL = ("() => new Promise(done => requestAnimationFrame(() => requestAnimationFrame(() => Promise.all("
         "[document.fonts.ready, ...document.getAnimations().map(a => a.finished.catch(() => null))]).then(done))))")


def still(page) -> None:
    """Wait until nothing on the page is moving: every animation and transition under way (an expander opening)
    has finished, and every font asked for has loaded.

    Playwright's own check that an element is still (the same box in two frames) passes at the slow start of
    an eased transition, so a click aimed at a button an expander is still pushing down lands beside it.
    """
    page.evaluate(STILL)


def settle(page, after: int = 0, timeout_s: float = DEADLINE_S) -> None:
    """Wait until the app has finished a run after the ``after``-th one (by default, its first) and the page shows it.

    Pass ``after=page.runs.finished`` taken before an action (or use :func:`rerun`) to wait for the run that
    action started. Nothing here sleeps: it waits for Streamlit's own "script finished" message, then for the
    page to have taken that message in and drawn a frame.
    """
    runs = watch(page).runs
    deadline = time.monotonic() + timeout_s
    while runs.finished <= after:
        left = (deadline - time.monotonic()) * 1000
        if left <= 0:
            raise AssertionError(f"the app finished no run after run {after} within {timeout_s:g} s")
        socket = runs.socket
        try:
            if socket is None or socket.is_closed():
                page.wait_for_event("websocket", timeout=left)
            else:
                socket.wait_for_event("framereceived", timeout=left)
        except playwright.TimeoutError:
            continue  # the loop's own deadline decides
        except playwright.Error:
            continue  # the socket closed (a reload): wait on the new one
    left = max(1000, (deadline - time.monotonic()) * 1000)
    page.wait_for_function(f"(async () => ({TAKEN_IN})({list(runs.last)}))()", timeout=left)


def idle(page, timeout_s: float = DEADLINE_S) -> None:
    """Wait until every run the app has started for this page has ended, and the page shows the last one.

    For after a condition that a run itself brings about (an address, a heading): that run has started, and
    perhaps others after it (a slider moved three steps), so wait for all of them.
    """
    runs = watch(page).runs
    deadline = time.monotonic() + timeout_s
    while runs.running or runs.finished == 0:
        left = (deadline - time.monotonic()) * 1000
        if left <= 0:
            raise AssertionError(f"the app was still running after {timeout_s:g} s")
        try:
            if runs.socket is None or runs.socket.is_closed():
                page.wait_for_event("websocket", timeout=left)
            else:
                runs.socket.wait_for_event("framereceived", timeout=left)
        except playwright.Error:
            continue
    left = max(1000, (deadline - time.monotonic()) * 1000)
    page.wait_for_function(f"(async () => ({TAKEN_IN})({list(runs.last)}))()", timeout=left)


def open_page(page, url: str, timeout_s: float = DEADLINE_S) -> None:
    """Go to ``url`` and wait for the app's first run there to finish and be drawn."""
    with rerun(page, timeout_s):
        page.goto(url)


@contextlib.contextmanager
def rerun(page, timeout_s: float = DEADLINE_S):
    """Wait, after the ``with`` block, for the run its action started (a tap, a choice, a page load).

    Examples
    --------
    ``with rerun(page): page.get_by_role("button", name="Start").tap()``
    """
    before = watch(page).runs.finished
    yield
    settle(page, before, timeout_s)
