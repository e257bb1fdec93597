"""First visit on a slow connection: bytes transferred and time until the map is drawn, per request kind.

    python -m bench.first_load [--visits 1] [--replicas 0] [--out bench/results]

A first visit (a fresh browser context: empty cache, no cookies) to ``/`` and to ``/kiosk`` in headless Chromium
under its own network emulation of a slow mobile connection (``Network.emulateNetworkConditions`` over a CDP
session: 400 kbit/s down and up, 400 ms latency: a phone on a poor signal). The cache starts empty but works
during the visit, as a first visitor's does (the map's frame reuses the Leaflet the page's head asked for); until
2026-12-07 it was switched off, which fetched Leaflet twice. Two variants are measured:

- ``served``: the browser asks as browsers do (``Accept-Encoding: gzip, deflate, br``), so whatever compression
  the server or HAProxy offers is used;
- ``naive``: the same visit asking for nothing compressed (``Accept-Encoding: identity``), which is what every
  visit transferred before the app compressed anything.

Bytes are what Chromium counts as received over the network for each HTTP request (``encodedDataLength``:
headers and body, compressed as sent) plus every websocket frame received (Streamlit's messages: the page's
elements, a map's document inside them). Chromium reports a frame's payload after inflating it, so where the
server agreed to ``permessage-deflate`` (``server.enableWebsocketCompression``) a frame counts as the payload
deflated again here the way the extension does (raw deflate, one stream per connection, flushed per message):
an estimate within a few per cent of the wire; the naive variant counts it plain, as it was sent before. A visit
lasts until the network has been quiet for 5 s after the map is drawn (so fonts and scripts fetched after the map
count too); a download still arriving is not quiet, and one cut off by the visit's end counts what had arrived
and the visit does not end while a request is still waiting for its answer (before 2026-12-07 it ended on 5 s of
silence, and a 366 KB font and a 514 KB script still queued were counted as nothing). The map is
drawn when its frame holds the 18 wards' shapes (``path.leaflet-interactive``). Each visit's requests are
written to ``bench/results/first_load_<target>_<page>_<variant>.csv`` (URL kind, URL, bytes, compressed or not),
so the next person sees what weighs what. Budgets: at most 1 MiB and the map within
20 s; reported here, never asserted.
"""

from __future__ import annotations

import argparse
import base64
import contextlib
import csv
import math
import re
import statistics
import sys
import tempfile
import time
import zlib
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

from bench.common import REPO, chromium, serve

KBIT = 1000 / 8  # bytes per second in one kbit/s
SLOW = {"offline": False, "latency": 400, "downloadThroughput": 400 * KBIT, "uploadThroughput": 400 * KBIT}
BUDGET_BYTES = 2**20  # 1 MiB
BUDGET_SECONDS = 20.0
PAGES = {"/": "", "/kiosk": "kiosk"}
WARDS = 18  # Coventry's wards: the map is drawn when its frame holds this many shapes
QUIET_S = 5.0  # after the map, the visit ends once the network has been idle this long (seconds)
RESULTS = REPO / "bench" / "results"


@dataclass
class Request:
    """One HTTP request, or one websocket's received frames, of a visit."""

    url: str
    kind: str
    bytes: int = 0
    encoding: str = ""  # the response's Content-Encoding ("" for none)
    status: int = 0
    done: bool = False  # finished loading (else ``bytes`` is what had arrived when the visit ended)


@dataclass
class Visit:
    """One first visit: what it carried, and when its map was drawn (seconds, nan if never)."""

    page: str
    variant: str
    seconds: float = math.nan
    requests: list[Request] = field(default_factory=list)

    @property
    def total(self) -> int:
        return sum(r.bytes for r in self.requests)


def kind_of(url: str) -> str:
    """What a URL is, for the breakdown: the app's page, Streamlit's scripts, a component, a static file..."""
    parts = urlsplit(url)
    path = parts.path
    if parts.scheme in ("ws", "wss"):
        return "websocket (Streamlit messages)"
    if parts.hostname not in ("127.0.0.1", "localhost"):
        return f"other host ({parts.hostname})"
    rules = [
        (r"/_stcore/", "Streamlit endpoint"),
        (r"^/media/", "Streamlit media file (a download's content)"),
        (r"/component/", "component (streamlit-folium)"),
        (r"/app/static/vendor/", "vendored library (static/vendor)"),
        (r"/app/static/", "app static file"),
        (r"/static/js/.*\.js$", "Streamlit script"),
        (r"/static/css/", "Streamlit style sheet"),
        (r"/static/media/.*\.(woff2?|ttf)$", "Streamlit font"),
        (r"/static/media/", "Streamlit media"),
        (r"/favicon|\.png$|\.svg$", "image"),
        (r"\.js$", "script"),
    ]
    for pattern, name in rules:
        if re.search(pattern, path):
            return name
    return "page (HTML)"


def visit(browser, base: str, page: str, variant: str, timeout: float = 180, throttled: bool = True) -> Visit:
    """Open ``base + page`` in a fresh context under the slow connection; collect every request until the map."""
    context = browser.new_context(viewport={"width": 1366, "height": 768} if page == "/" else
                                  {"width": 1080, "height": 1920})
    tab = context.new_page()
    cdp = context.new_cdp_session(tab)
    cdp.send("Network.enable")
    if throttled:  # unthrottled: a smoke run, whose bytes are the same and whose seconds mean nothing
        cdp.send("Network.emulateNetworkConditions", SLOW)
    if variant == "naive":
        cdp.send("Network.setExtraHTTPHeaders", {"headers": {"Accept-Encoding": "identity"}})
    requests: dict[str, Request] = {}
    seen = [time.perf_counter()]  # when the network last did anything

    pending: set[str] = set()  # requests sent and neither finished nor failed

    def sent(event):
        seen[0] = time.perf_counter()
        url = event["request"]["url"]
        if not url.startswith(("data:", "blob:", "about:")):
            pending.add(event["requestId"])
            requests.setdefault(event["requestId"], Request(url, kind_of(url)))

    def answered(event):
        r = requests.get(event["requestId"])
        if r is not None:
            headers = {k.lower(): v for k, v in event["response"].get("headers", {}).items()}
            r.encoding, r.status = headers.get("content-encoding", ""), event["response"].get("status", 0)

    def failed(event):
        seen[0] = time.perf_counter()
        pending.discard(event["requestId"])

    def finished(event):
        seen[0] = time.perf_counter()
        pending.discard(event["requestId"])
        r = requests.get(event["requestId"])
        if r is not None:
            r.bytes, r.done = int(event.get("encodedDataLength", 0)), True

    def receiving(event):  # a long download keeps the visit open, and counts even if it never finishes
        seen[0] = time.perf_counter()
        r = requests.get(event["requestId"])
        if r is not None and not r.done:
            r.bytes += int(event.get("encodedDataLength", 0))

    deflaters: dict[str, object] = {}

    def socket(event):
        requests.setdefault(event["requestId"], Request(event["url"], kind_of(event["url"])))

    def handshake(event):
        r = requests.get(event["requestId"])
        headers = {k.lower(): v for k, v in event["response"].get("headers", {}).items()}
        if r is not None and "permessage-deflate" in headers.get("sec-websocket-extensions", "") and variant != "naive":
            r.encoding = "permessage-deflate"
            deflaters[event["requestId"]] = zlib.compressobj(6, zlib.DEFLATED, -15)

    def frame(event):
        seen[0] = time.perf_counter()
        r = requests.get(event["requestId"])
        if r is not None:
            payload = event["response"]["payloadData"]
            data = base64.b64decode(payload) if event["response"]["opcode"] == 2 else payload.encode()
            deflater = deflaters.get(event["requestId"])
            if deflater is not None:  # RFC 7692: the message deflated, flushed, without its 4-byte tail
                data = (deflater.compress(data) + deflater.flush(zlib.Z_SYNC_FLUSH))[:-4]
            r.bytes += len(data)

    cdp.on("Network.requestWillBeSent", sent)
    cdp.on("Network.responseReceived", answered)
    cdp.on("Network.loadingFinished", finished)
    cdp.on("Network.dataReceived", receiving)
    cdp.on("Network.loadingFailed", failed)
    cdp.on("Network.webSocketCreated", socket)
    cdp.on("Network.webSocketHandshakeResponseReceived", handshake)
    cdp.on("Network.webSocketFrameReceived", frame)
    out = Visit(page, variant)
    start = time.perf_counter()
    tab.goto(base.rstrip("/") + page, wait_until="commit", timeout=timeout * 1000)
    out.seconds = map_drawn(tab, start, timeout)
    quiet(tab, seen, start, timeout, pending)  # what loads after the map (fonts, late scripts) is part of the visit too
    out.requests = list(requests.values())
    context.close()
    return out


def map_drawn(tab, start: float, timeout: float) -> float:
    """Seconds since ``start`` until a frame of ``tab`` holds the map's ward shapes (nan if it never does)."""
    from playwright.sync_api import Error

    while time.perf_counter() - start < timeout:
        for frame in tab.frames:
            with contextlib.suppress(Error):
                if frame.locator("path.leaflet-interactive").count() >= WARDS:
                    return time.perf_counter() - start
        tab.wait_for_timeout(50)
    return math.nan


def quiet(tab, seen: list[float], start: float, timeout: float, pending: set | None = None,
          idle: float = QUIET_S) -> None:
    """Wait until no request is ``pending`` and nothing has been sent or received for ``idle`` seconds (or
    ``timeout`` since ``start``). Chromium's emulated slow connection may say nothing of a queued download for
    longer than ``idle``: ending on silence alone once missed a 366 KB font and a 514 KB script."""
    while ((pending or time.perf_counter() - seen[0] < idle) and time.perf_counter() - start < timeout):
        tab.wait_for_timeout(200)


def write(visit_: Visit, target: str, out: Path) -> Path:
    """The visit's requests, heaviest first, as a CSV: kind, URL, bytes, compressed or not."""
    out.mkdir(parents=True, exist_ok=True)
    name = {"/": "home", "/kiosk": "kiosk"}[visit_.page]
    path = out / f"first_load_{target}_{name}_{visit_.variant}.csv"
    with path.open("w", newline="", encoding="utf-8") as f:
        w = csv.writer(f)
        w.writerow(["kind", "url", "bytes", "content_encoding", "status"])
        for r in sorted(visit_.requests, key=lambda r: -r.bytes):
            w.writerow([r.kind, r.url, r.bytes, r.encoding or "none", r.status])
    return path


@contextlib.contextmanager
def target(replicas: int, env: dict[str, str] | None = None, url: str | None = None) -> Iterator[str]:
    """The single app (``replicas`` 0) or ``replicas`` of it behind HAProxy; yields the address visitors open.

    With ``url``, a server already running there is measured instead (nothing is started).
    """
    if url:
        yield url
        return
    if not replicas:
        with serve("optimised", env) as (url, _process):
            yield url
        return
    from deploy.replicas import Replicas

    with tempfile.TemporaryDirectory(prefix="first-load-") as run_dir, \
            Replicas(replicas, 0, Path(run_dir), env=env) as lb:
        yield lb.url


def measure(visits: int = 1, replicas: int = 0, out: Path = RESULTS, url: str | None = None,
            throttled: bool = True) -> dict:
    """Every page and variant against one target: ``{(page, variant): [Visit, ...]}``; the CSVs are written.

    ``throttled=False`` drops the slow connection: the same bytes in a fraction of the time, for smoke runs
    (the test suite, ``make bench``'s quick run); its seconds are not the budget's.
    """
    from playwright.sync_api import sync_playwright

    name = "target" if url else f"{replicas}_replicas_haproxy" if replicas else "single_app"
    found: dict[tuple[str, str], list[Visit]] = {}
    with target(replicas, url=url) as url, sync_playwright() as p, chromium(p) as browser:
        # One unthrottled visit first, so the server's own first-visit work is not counted (bench/run.py does).
        visit(browser, url, "/", "served", timeout=60)
        for page in PAGES:
            for variant in ("served", "naive"):
                found[(page, variant)] = [visit(browser, url, page, variant, throttled=throttled)
                                          for _ in range(visits)]
                write(found[(page, variant)][-1], name, out)
                print(f"  first load {name} {page} {variant}: {found[(page, variant)][-1].total / 2**20:.2f} MiB, "
                      f"{found[(page, variant)][-1].seconds:.1f} s", file=sys.stderr)
    return found


def rows(found: dict, where: str, throttled: bool = True) -> list[tuple[str, str, str, str, str, str]]:
    """Table rows (bench/run.py's shape): figure, budget, served, naive, naive / served, budget met.

    Unthrottled rows say so and are judged on their bytes alone.
    """
    out = []
    for page in PAGES:
        served, naive = found[(page, "served")], found[(page, "naive")]
        b_s = statistics.median(v.total for v in served)
        b_n = statistics.median(v.total for v in naive)
        t_s = statistics.median(v.seconds for v in served)
        t_n = statistics.median(v.seconds for v in naive)
        ok = b_s <= BUDGET_BYTES and (t_s <= BUDGET_SECONDS or not throttled)
        how = "on 400 kbit/s, 400 ms" if throttled else "unthrottled (a smoke run: bytes only)"
        out.append((f"First visit to {page} {how} ({where}): bytes / map drawn",
                    "<= 1 MiB; <= 20 s" if throttled else "<= 1 MiB",
                    f"{b_s / 2**20:.2f} MiB / {t_s:.1f} s (n={len(served)})",
                    f"{b_n / 2**20:.2f} MiB / {t_n:.1f} s", f"{b_n / b_s:.1f}x / {t_n / t_s:.1f}x"
                    if b_s and t_s == t_s and t_n == t_n else "n/a", "met" if ok else "MISSED"))
    return out


def top(found: dict, page: str = "/", n: int = 10) -> list[Request]:
    """The ``n`` heaviest requests of the served variant's last visit to ``page``."""
    return sorted(found[(page, "served")][-1].requests, key=lambda r: -r.bytes)[:n]


def main(argv: list[str] | None = None) -> list[tuple[str, str, str, str, str, str]]:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--visits", type=int, default=1, help="first visits per page and variant (median shown)")
    parser.add_argument("--replicas", type=int, default=0, help="through HAProxy over this many replicas (0: none)")
    parser.add_argument("--target", help="measure a server already running at this URL instead of starting one")
    parser.add_argument("--out", type=Path, default=RESULTS, help="where the per-request CSVs go")
    parser.add_argument("--unthrottled", action="store_true", help="no slow connection: bytes only (a smoke run)")
    args = parser.parse_args(argv)
    found = measure(args.visits, args.replicas, args.out, args.target, throttled=not args.unthrottled)
    where = args.target or (f"{args.replicas} replicas via HAProxy" if args.replicas else "single app")
    table = rows(found, where, throttled=not args.unthrottled)
    for row in table:
        print(" | ".join(row))
    for page in PAGES:
        print(f"\nheaviest requests of the first visit to {page} ({where}, served):")
        for r in top(found, page):
            print(f"  {r.bytes / 1024:8.1f} KB  {r.encoding or 'none':5}  {r.kind:35}  {r.url[:90]}")
    return table


if __name__ == "__main__":
    main()
