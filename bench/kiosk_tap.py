"""Kiosk tap to area: ``python -m bench.kiosk_tap [--taps 10] [--repo PATH]``.

A visitor on the library kiosk taps a ward on the map. This times, in Chromium at
the kiosk's 1080 x 1920, how long until (a) something on the screen says the kiosk
is working (the kiosk's own ``.kiosk-working`` cover; "n/a" where the app has none)
and (b) the ward's area is on the screen (its heading and its last fact drawn).

Times are taken inside the browser (``performance.timeOrigin + now()``, one clock
for the page and the map's frame) from the ``pointerdown`` of a real touch tap.
``--repo`` measures another checkout (e.g. the main branch, for "before").
Each tap is on a different ward. The kiosk first stands on its attract screen for
``--settle`` seconds (default 15), as a kiosk does before its first visitor of the day;
the app may use that time to prepare (and the "before" app simply waits).
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

from bench.common import REPO, chromium, serve

WARDS = ["Earlsdon", "Foleshill", "Wainbody", "Radford", "Henley", "Wyken", "Bablake", "Lower Stoke", "Holbrook",
         "Longford", "Sherbourne", "Whoberley", "Woodlands", "Westwood", "Upper Stoke", "Cheylesmore"]
PORTRAIT = {"width": 1080, "height": 1920}

# Runs in the page: remember when the next tap starts (in any frame) and when the kiosk shows it is working.
WATCH = """() => {
  const now = () => performance.timeOrigin + performance.now();
  window.__tap = {t0: null, working: null};
  const mark = () => { if (window.__tap.t0 === null) window.__tap.t0 = now(); };
  const hook = (doc) => { if (doc && !doc.__tapHooked) { doc.__tapHooked = true;
      doc.addEventListener('pointerdown', mark, {capture: true}); } };
  hook(document);
  document.querySelectorAll('iframe').forEach((f) => { try { hook(f.contentDocument); } catch (e) {} });
  const seen = () => { const w = document.querySelector('.kiosk-working');
    if (window.__tap.t0 !== null && window.__tap.working === null && w && w.getBoundingClientRect().width > 0
        && getComputedStyle(w).visibility !== 'hidden' && getComputedStyle(w).display !== 'none')
      window.__tap.working = now(); };
  new MutationObserver(seen).observe(document.body, {subtree: true, childList: true, attributes: true});
}"""

AREA_SHOWN = """([name]) => {
  const heads = [...document.querySelectorAll('h2')].map((h) => h.innerText.trim());
  const facts = [...document.querySelectorAll('h3')].some((h) => h.innerText.includes('Parks'));
  if (heads.includes(name) && facts && !window.__tap.area) {
    window.__tap.area = performance.timeOrigin + performance.now();
  }
  return !!window.__tap.area;
}"""

# The screen position (in the map frame) of a point inside the ward, found from the ward's shape on the map.
WARD_POINT = """([name]) => {
  const map = Object.values(window).find((v) => v instanceof L.Map);
  let found = null;
  map.eachLayer((layer) => {
    if (found || !layer.feature || !layer.feature.properties) return;
    const tip = layer.feature.properties.tip || layer.feature.properties.name || '';
    if (tip.replace(/<[^>]*>/g, '').trim() !== name) return;
    const poly = layer.feature.geometry;
    const rings = poly.type === 'Polygon' ? [poly.coordinates[0]] : poly.coordinates.map((p) => p[0]);
    const ring = rings.sort((a, b) => b.length - a.length)[0];
    // Scan a grid over the ward's box for the screen point deepest inside it that no label covers.
    const pts = ring.map(([x, y]) => map.latLngToContainerPoint([y, x]));
    const inside = (px, py) => { let c = false;
      for (let i = 0, j = pts.length - 1; i < pts.length; j = i++) {
        const a = pts[i], b = pts[j];
        if ((a.y > py) !== (b.y > py) && px < (b.x - a.x) * (py - a.y) / (b.y - a.y) + a.x) c = !c; }
      return c; };
    const xs = pts.map((p) => p.x), ys = pts.map((p) => p.y);
    const size = map.getSize();
    let best = null;
    for (let px = Math.max(0, Math.min(...xs)); px < Math.min(size.x, Math.max(...xs)); px += 6)
      for (let py = Math.max(0, Math.min(...ys)); py < Math.min(size.y, Math.max(...ys)); py += 6) {
        if (!inside(px, py)) continue;
        const hit = document.elementFromPoint(px, py);
        if (!hit || hit.tagName.toLowerCase() !== 'path') continue;
        let d = Infinity;
        for (let i = 0, j = pts.length - 1; i < pts.length; j = i++) {
          const a = pts[i], b = pts[j], dx = b.x - a.x, dy = b.y - a.y;
          const t = Math.max(0, Math.min(1, ((px - a.x) * dx + (py - a.y) * dy) / (dx * dx + dy * dy || 1)));
          d = Math.min(d, Math.hypot(px - a.x - t * dx, py - a.y - t * dy)); }
        if (!best || d > best.d) best = {x: px, y: py, d};
      }
    found = best;
  });
  return found;
}"""


MAP_STATE = """() => { const m = Object.values(window).find((v) => v instanceof L.Map);
  const c = m.getCenter();
  return [innerWidth, innerHeight, m.getSize().x, m.getSize().y, m.getZoom(), c.lat, c.lng]; }"""


def _map_frame(page, timeout_s: float = 60):
    deadline = time.time() + timeout_s
    while time.time() < deadline:
        for frame in page.frames:
            try:
                if frame.locator("path.leaflet-interactive").count() >= 18:
                    box = frame.frame_element().bounding_box()
                    if box and box["x"] >= 0 and box["width"] > 0:  # on the screen (a kept map may be hidden)
                        return frame
            except Exception:  # noqa: BLE001 - a frame replaced while we looked
                pass
        page.wait_for_timeout(50)
    raise SystemExit("the kiosk map was not drawn within a minute")


def _idle(page) -> None:
    page.wait_for_function("() => document.querySelector('[data-testid=stApp]')"
                           ".getAttribute('data-test-script-state') === 'notRunning'", timeout=60000)


def taps(url: str, n: int, settle_s: float = 15.0) -> dict[str, list[float]]:
    """Tap ``n`` different wards on the kiosk map; return milliseconds to working and to area shown."""
    from playwright.sync_api import sync_playwright

    out: dict[str, list[float]] = {"working": [], "area": []}
    with sync_playwright() as p, chromium(p) as browser:
        page = browser.new_context(viewport=PORTRAIT, has_touch=True).new_page()
        page.goto(url + "kiosk")
        page.get_by_role("button", name="Start", exact=True).wait_for(timeout=60000)
        page.wait_for_timeout(settle_s * 1000)
        page.get_by_role("button", name="Start", exact=True).tap()
        for name in WARDS[:n]:
            frame = _map_frame(page)
            _idle(page)
            before = None
            while True:  # the map may still be taking its final size: tap only once it has stopped changing
                page.wait_for_timeout(300)
                now = (frame.frame_element().bounding_box(), frame.evaluate(MAP_STATE))
                if now == before:
                    break
                before = now
            point = frame.evaluate(WARD_POINT, [name])
            if point is None:
                raise SystemExit(f"no tappable point found for {name}")
            box = frame.frame_element().bounding_box()
            page.evaluate(WATCH)
            page.touchscreen.tap(box["x"] + point["x"], box["y"] + point["y"])
            try:
                page.wait_for_function(AREA_SHOWN, arg=[name], timeout=60000, polling="raf")
            except Exception:
                page.screenshot(path="/tmp/bench_fail.png")
                print("failed at", name, point, box, page.evaluate("window.__tap"), file=sys.stderr)
                raise
            tap = page.evaluate("window.__tap")
            out["area"].append(tap["area"] - tap["t0"])
            if tap["working"] is not None:
                out["working"].append(tap["working"] - tap["t0"])
            _idle(page)
            page.get_by_role("button", name="Look at another area").first.tap()
    return out


def summary(values: list[float]) -> str:
    """Median and range in milliseconds, e.g. ``820 ms (610-1400, n=10)``."""
    if not values:
        return "n/a"
    return f"{statistics.median(values):.0f} ms ({min(values):.0f}-{max(values):.0f}, n={len(values)})"


def measure(n: int = 10, repo: Path = REPO, settle_s: float = 15.0) -> dict[str, str]:
    """Start the app from ``repo`` and time ``n`` taps; return the printed figures."""
    with serve("optimised", repo=repo) as (url, _):
        found = taps(url, n, settle_s)
    return {"Kiosk: tap a ward to the area shown (1080x1920)": summary(found["area"]),
            "Kiosk: tap a ward to a visible working state": summary(found["working"])}


def main(argv: list[str] | None = None) -> str:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--taps", type=int, default=10, help="how many wards to tap (at most 16)")
    parser.add_argument("--repo", type=Path, default=REPO, help="the checkout to serve (default: this one)")
    parser.add_argument("--settle", type=float, default=15.0, help="seconds on the attract screen before tapping")
    args = parser.parse_args(argv)
    figures = measure(min(args.taps, len(WARDS)), args.repo.resolve(), args.settle)
    lines = ["| figure | budget | measured |", "|---|---|---|"]
    budgets = {"area": "<= 1 s median", "working": "<= 100 ms median"}
    for label, value in figures.items():
        lines.append(f"| {label} | {budgets['area' if 'area shown' in label else 'working']} | {value} |")
    out = "\n".join(lines)
    print(out)
    print(f"(served from {args.repo.resolve()})", file=sys.stderr)
    return out


if __name__ == "__main__":
    main()
