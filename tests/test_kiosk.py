"""The library kiosk in headless Chromium, offline, at both kiosk screen sizes.

The journey attract → map → list → postcode → my area → idle reset, with screenshots saved to
tests/artifacts/, and the measured promises: touch targets of 44×44 px or more, text of 18 px or
more, no link out of the app, no request off this machine, nothing left of the last visitor after
a reset, no serious axe violations; ward names that never overlap at any zoom the map allows, "You
are here", the four facts on one screen; and no way out: no context menu, selection, dragging or
page zoom in the page or the map's frame, no error page, no dialog with links.
"""

import pytest

from tests.browser import ARTIFACTS, map_frame, offline_browser_page, rerun, running_server, settle

pytestmark = pytest.mark.browser

IDLE_S, PROMPT_S, PIN = 6, 4, "2468"
LIBRARY = "Coventry Central Library"  # in St Michael's
PUBLIC = "https://explorer.example.org/"  # never fetched: only written into the QR code
SIZES = {"portrait": {"width": 1080, "height": 1920}, "landscape": {"width": 1920, "height": 1080}}
CLICKABLE = ("a[href], button, [role=button], [role=link], [role=tab], input, select, textarea, summary, "
             "[tabindex]:not([tabindex='-1']), path.leaflet-interactive")

# For each frame: every visible clickable thing smaller than 44×44 CSS px, and every link leaving the app.
MEASURE = """([clickable, origin]) => {
  const small = [], outside = [], tiny = [];
  const visible = (e) => { const r = e.getBoundingClientRect(); const s = getComputedStyle(e);
    return r.width > 0 && r.height > 0 && s.visibility !== 'hidden' && s.display !== 'none'; };
  for (const e of document.querySelectorAll(clickable)) {
    if (!visible(e)) continue;
    const r = e.getBoundingClientRect();
    if (r.width <= 1 && r.height <= 1) continue;  // the skip link: hidden until focused by keyboard, never tapped
    const name = (e.innerText || e.getAttribute('aria-label') || '').trim().slice(0, 30);
    const size = `${Math.round(r.width)}x${Math.round(r.height)}`;
    if (r.width < 44 || r.height < 44) small.push(`${e.tagName} "${name}" ${size}`);
  }
  for (const a of document.querySelectorAll('a[href], area[href], form[action]')) {
    const url = new URL(a.getAttribute('href') || a.getAttribute('action'), location.href);
    if (!['http:', 'https:'].includes(url.protocol) || url.origin !== origin) outside.push(url.href);
  }
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  while (walker.nextNode()) {
    const node = walker.currentNode, el = node.parentElement;
    if (!node.textContent.trim() || !el || !visible(el) || el.closest('svg, style, script')) continue;
    const size = parseFloat(getComputedStyle(el).fontSize);
    if (size < 18) tiny.push(`"${node.textContent.trim().slice(0, 30)}" ${size}px`);
  }
  return {small, outside, tiny};
}"""

LEAFLET = "Object.values(window).find((v) => v instanceof L.Map)"
# Every name on the map (wards, landmarks, "You are here"): its box, text and font size, and any two that overlap.
LABELS = """() => {
  const shown = [...document.querySelectorAll('.map-label:not(.hidden) span')].map((e) => {
    const r = e.getBoundingClientRect();
    return {text: e.textContent, box: [r.left, r.top, r.right, r.bottom], px: parseFloat(getComputedStyle(e).fontSize),
            area: !!e.closest('.area')};
  });
  const overlaps = [];
  for (let i = 0; i < shown.length; i++) for (let j = i + 1; j < shown.length; j++) {
    const a = shown[i].box, b = shown[j].box;
    if (a[0] < b[2] && b[0] < a[2] && a[1] < b[3] && b[1] < a[3]) overlaps.push(shown[i].text + ' / ' + shown[j].text);
  }
  return {shown, overlaps, zoom: document.body.getAttribute('data-labels-zoom')};
}"""


@pytest.fixture(scope="module")
def kiosk_server():
    env = {"EXPLORER_KIOSK_IDLE_SECONDS": str(IDLE_S), "EXPLORER_KIOSK_PROMPT_SECONDS": str(PROMPT_S),
           "EXPLORER_KIOSK_PIN": PIN, "EXPLORER_KIOSK_LIBRARY": LIBRARY, "EXPLORER_PUBLIC_URL": PUBLIC}
    with running_server(env) as url:
        yield url


@pytest.fixture(scope="module")
def calm_server():
    """The same kiosk with a long idle time, for tests that look for longer than the short one."""
    env = {"EXPLORER_KIOSK_PIN": PIN, "EXPLORER_KIOSK_LIBRARY": LIBRARY, "EXPLORER_PUBLIC_URL": PUBLIC}
    with running_server(env) as url:
        yield url


def check_screen(page, server: str, name: str) -> None:
    """Measure one kiosk screen in every frame on the screen and save its screenshot."""
    origin = server.rstrip("/")
    problems = {"small": [], "outside": [], "tiny": []}
    for frame in page.frames:
        try:
            if frame != page.main_frame:
                box = frame.frame_element().bounding_box()
                if not box or box["x"] < 0:  # the map, kept hidden off the screen when not in use
                    continue
            found = frame.evaluate(MEASURE, [CLICKABLE, origin])
        except Exception:  # noqa: BLE001 - a frame replaced while we looked: measured again on the next screen
            continue
        for key in problems:
            problems[key] += found[key]
    page.screenshot(path=str(ARTIFACTS / f"kiosk_{name}.png"))
    assert problems["small"] == [], f"{name}: targets under 44×44 px: {problems['small'][:8]}"
    assert problems["outside"] == [], f"{name}: links leaving the app: {problems['outside'][:5]}"
    assert problems["tiny"] == [], f"{name}: text under 18 px: {problems['tiny'][:8]}"


def axe_serious(page) -> list:
    from axe_playwright_python.sync_playwright import Axe

    results = Axe().run(page)
    return [(v["id"], v["impact"], [n["target"] for n in v["nodes"]][:3])
            for v in results.response["violations"] if v["impact"] in ("serious", "critical")]


def open_kiosk(page, server: str) -> None:
    """Open the kiosk and wait for its attract screen, drawn by a finished run."""
    with rerun(page):
        page.goto(server + "kiosk")
    page.get_by_role("button", name="Start", exact=True).wait_for(timeout=30000)
    page.wait_for_function("window.__kioskIdle === true && typeof window.kioskShortcut === 'function'")  # its guards


def tap(page, name: str) -> None:
    """Tap a button and wait for the run it starts to finish."""
    with rerun(page):
        page.get_by_role("button", name=name, exact=True).first.tap()


def shown_map(page, timeout_s: float = 20):
    """The map's frame once it is on the screen (it is kept, hidden, on the other screens) and has its size."""
    page.wait_for_function("document.body.classList.contains('kiosk-map-on')", timeout=timeout_s * 1000)
    frame = map_frame(page, timeout_s)
    page.wait_for_function("""() => { const f = document.querySelector('.st-key-kiosk_map iframe');
        const want = getComputedStyle(document.documentElement).getPropertyValue('--kiosk-map-h');
        return f && want && Math.abs(f.getBoundingClientRect().height - parseFloat(want)) < 2; }""",
                           timeout=timeout_s * 1000)
    frame.wait_for_function(f"() => {LEAFLET}.getSize().y === window.innerHeight", timeout=timeout_s * 1000)
    return frame


def tap_ward(page, frame, name: str) -> None:
    """Tap the ward called ``name`` on the map, at a point inside it, as a finger would."""
    point = frame.evaluate(f"""([name]) => {{
        const map = {LEAFLET}; let at = null;
        map.kioskWards.eachLayer((layer) => {{
          if (layer.feature.properties.name === name) at = map.latLngToContainerPoint(layer.getCenter()); }});
        return at && [at.x, at.y]; }}""", [name])
    box = frame.frame_element().bounding_box()
    page.touchscreen.tap(box["x"] + point[0], box["y"] + point[1])


@pytest.mark.parametrize("size", list(SIZES))
def test_journey_attract_postcode_my_area_and_idle_reset(kiosk_server, size):
    with offline_browser_page(viewport=SIZES[size], has_touch=True, is_mobile=False) as page:
        open_kiosk(page, kiosk_server)
        start_history = page.evaluate("history.length")
        assert page.locator("[data-testid=stSidebar]").count() == 0, "the kiosk shows the page menu"
        check_screen(page, kiosk_server, f"{size}_1_attract")
        assert axe_serious(page) == []

        tap(page, "Start")
        page.get_by_role("heading", name="Find your area").wait_for()
        frame = shown_map(page, 20)
        assert frame.locator("path.leaflet-interactive").count() == 18
        assert frame.locator(".map-label.area").count() == 18  # names written on the map, not only on hover
        # The map fills the height the screen has left: its words and Start again end at the bottom of the screen.
        bottom = page.get_by_role("button", name="Start again").bounding_box()
        assert SIZES[size]["height"] - 120 < bottom["y"] + bottom["height"] <= SIZES[size]["height"]
        # ... and no further: the page's own padding was guessed, and the screen scrolled by 6 px (a tester).
        page.wait_for_function("() => { const m = document.querySelector('[data-testid=stMain]'); "
                               "return m.scrollHeight <= m.clientHeight; }")
        check_screen(page, kiosk_server, f"{size}_2_find_map")

        tap(page, "Pick from a list")
        assert page.get_by_role("button", name="Foleshill", exact=True).count() == 1
        check_screen(page, kiosk_server, f"{size}_3_find_list")

        tap(page, "Type your postcode")
        for key in "CV15FB":
            tap(page, key)
        assert page.locator(".kiosk-typed").inner_text() == "CV15FB"
        check_screen(page, kiosk_server, f"{size}_4_keypad")
        assert axe_serious(page) == []

        tap(page, "Find my area")
        page.get_by_role("heading", name="St Michael's").wait_for(timeout=15000)
        # The address under the QR code: a code span in the text, never a link.
        page.get_by_text("explorer.example.org/my_area?ward=St%20Michael%27s").wait_for(timeout=15000)
        text = page.locator("[data-testid=stMain]").inner_text()
        assert "How long people live" in text and "What is being done near here" in text
        # Old wards said plainly: the postcode was in this ward of the 2004 to May 2026 set; voting wards changed.
        assert "Your postcode CV1 5FB was in St Michael's ward, one of the wards used from 2004 to May 2026" in text
        assert "The wards changed in May 2026" in text and "cannot say which new ward" in text
        assert "These figures are from 2009 to 2013, about" in text
        assert "To compare: the UK limit for the yearly average is 40 micrograms." in text
        # The four facts fit on one screen, without scrolling.
        for k in range(4):
            box = page.locator(f".st-key-fact_{k}").bounding_box()
            assert box["y"] >= 0 and box["y"] + box["height"] <= SIZES[size]["height"], (k, box)
        assert page.locator("img.kiosk-qr").count() == 1
        assert "explorer.example.org/my_area?ward=St%20Michael%27s" in text
        check_screen(page, kiosk_server, f"{size}_5_my_area")
        page.screenshot(path=str(ARTIFACTS / f"kiosk_{size}_5_my_area_full.png"), full_page=True)
        assert axe_serious(page) == []
        assert page.url == kiosk_server + "kiosk", "the visitor's area must never be in the address"

        # Quiet: the prompt comes, and then the kiosk starts again with nothing of this visitor left.
        page.get_by_role("alertdialog", name="Still there?").wait_for(timeout=(IDLE_S + 5) * 1000)
        check_screen(page, kiosk_server, f"{size}_6_still_there")
        before = page.runs.finished
        page.get_by_role("button", name="Start", exact=True).wait_for(timeout=(PROMPT_S + 10) * 1000)
        settle(page, before)  # the fresh page's first run has finished
        assert page.url == kiosk_server + "kiosk"
        assert page.evaluate("history.length") == start_history
        main = page.locator("[data-testid=stMain]").inner_text()
        assert "St Michael" not in main and "CV1" not in main
        storage = page.evaluate("JSON.stringify([Object.assign({}, sessionStorage), Object.assign({}, localStorage)])")
        assert "St Michael" not in storage and "CV1" not in storage
        tap(page, "Start")
        tap(page, "Type your postcode")
        assert page.locator(".kiosk-typed").inner_text().strip() == "", "the last visitor's postcode is still typed"
        check_screen(page, kiosk_server, f"{size}_7_after_reset")
        assert page.outside == [], f"requests left localhost: {page.outside[:5]}"


@pytest.mark.parametrize("size", list(SIZES))
def test_names_never_overlap_at_any_zoom_and_you_are_here_is_drawn(calm_server, size):
    with offline_browser_page(viewport=SIZES[size], has_touch=True) as page:
        open_kiosk(page, calm_server)
        tap(page, "Start")
        frame = shown_map(page, 20)
        # It opens on the library's ward, with "You are here" on the screen.
        frame.wait_for_function("document.body.getAttribute('data-labels-zoom') !== null")
        here = frame.locator(".map-label.here span")
        assert here.inner_text() == "You are here"
        spot = here.bounding_box()
        assert 0 <= spot["x"] and spot["x"] + spot["width"] <= frame.evaluate("innerWidth")
        assert frame.locator(".map-symbol.here").count() == 1
        assert frame.locator(".map-symbol.hospital").count() == 1
        assert frame.locator(".map-symbol.city-centre").count() == 1
        assert frame.locator(".map-symbol.library").count() == 16  # the 17th is "You are here"
        low, high, snap = frame.evaluate(f"(() => {{ const m = {LEAFLET}; return [m.getMinZoom(), m.getMaxZoom(), "
                                         "m.options.zoomSnap]; })()")
        assert high - low >= 2 and snap > 0
        checked = []
        width, height = frame.evaluate("[innerWidth, innerHeight]")
        zoom = low
        while zoom <= high + 1e-9:
            frame.evaluate(f"(() => {LEAFLET}.setZoom({zoom}, {{animate: false}}))()")
            frame.wait_for_function(f"document.body.getAttribute('data-labels-zoom') === String({zoom})")
            found = frame.evaluate(LABELS)
            areas = [s for s in found["shown"] if s["area"]]
            assert len(areas) == 18, (zoom, len(areas))
            assert found["overlaps"] == [], f"zoom {zoom}: {found['overlaps'][:5]}"
            assert min(s["px"] for s in found["shown"]) >= 18, zoom
            assert "You are here" in [s["text"] for s in found["shown"]], zoom
            # A landmark's name is wholly on the screen or not shown ("University H" was cut at the map's edge).
            cut = [s["text"] for s in found["shown"] if not s["area"] and s["text"] != "You are here"
                   and not (s["box"][0] >= 0 and s["box"][1] >= 0 and s["box"][2] <= width and s["box"][3] <= height)]
            assert cut == [], (zoom, cut)
            checked.append((zoom, len(found["shown"])))
            zoom += snap
        frame.evaluate(f"(() => {{ const m = {LEAFLET}; m.fitBounds(m.kioskArea, {{animate: false}}); }})()")
        frame.wait_for_function(f"document.body.getAttribute('data-labels-zoom') === String({low})")
        page.screenshot(path=str(ARTIFACTS / f"kiosk_{size}_2b_whole_city.png"))
        assert len(checked) >= 8, checked
        print(f"{size}: no names overlap at {len(checked)} zooms from {low} to {high}; names shown per zoom:",
              [n for _, n in checked])
        # Zooming out stops at the whole city; the map cannot be dragged away from Coventry.
        frame.evaluate(f"(() => {LEAFLET}.setZoom({low - 2}, {{animate: false}}))()")
        assert frame.evaluate(f"{LEAFLET}.getZoom()") == low


WHOLE_CITY = f"(() => {{ const m = {LEAFLET}; return m.getBounds().pad(0.02).contains(m.kioskArea); }})()"


def finger(page, frame, selector: str):
    """A tap on ``selector`` in the map's frame as a finger gives it: straight to Chromium's touch input, with
    none of Playwright's waits for the element to be still (a visitor does not wait for the map to stop)."""
    spot = frame.locator(selector).bounding_box()  # in the page's own coordinates
    x, y = spot["x"] + spot["width"] / 2, spot["y"] + spot["height"] / 2
    cdp = page.context.new_cdp_session(page)

    def tap_now() -> None:
        cdp.send("Input.dispatchTouchEvent", {"type": "touchStart", "touchPoints": [{"x": x, "y": y}]})
        cdp.send("Input.dispatchTouchEvent", {"type": "touchEnd", "touchPoints": []})

    return tap_now


def pinch(page, frame, spread: float = 120) -> None:
    """Two fingers spread apart on the map, as a visitor pinches to zoom in (Chromium's own touch input)."""
    box = frame.frame_element().bounding_box()
    cx, cy = box["x"] + box["width"] / 2, box["y"] + box["height"] / 2
    cdp = page.context.new_cdp_session(page)

    def touch(kind: str, gap: float) -> None:
        points = [] if kind == "touchEnd" else [{"x": cx - gap, "y": cy, "id": 1}, {"x": cx + gap, "y": cy, "id": 2}]
        cdp.send("Input.dispatchTouchEvent", {"type": kind, "touchPoints": points})

    touch("touchStart", 20)
    for step in range(1, 9):
        touch("touchMove", 20 + spread * step / 8)
    touch("touchEnd", 0)
    cdp.detach()


# A spot of the map outside every ward and control: a tap on a ward would open that ward instead.
BARE_SPOT = """() => {
  for (let y = innerHeight - 20; y > 20; y -= 15) for (let x = innerWidth - 20; x > 20; x -= 15) {
    const hit = document.elementFromPoint(x, y);
    if (hit && !hit.closest('path, .leaflet-control, .map-label, .map-symbol')) return [x, y];
  }
  return null;
}"""


def double_tap(page, frame) -> None:
    """Two quick taps on a bare spot of the map (Leaflet zooms in on a double tap)."""
    box = frame.frame_element().bounding_box()
    x, y = frame.evaluate(BARE_SPOT)
    page.mouse.dblclick(box["x"] + x, box["y"] + y)


@pytest.mark.parametrize("gesture", ["plus", "pinch", "double tap"])
def test_whole_city_wins_over_a_zoom_still_under_way(calm_server, gesture):
    """An impatient visitor zooms in and at once taps "Whole city": the map ends showing the whole city.

    Leaflet drops a ``fitBounds`` asked for during a zoom animation, so with no wait between the two taps the
    map used to stay zoomed in.
    """
    with offline_browser_page(viewport=SIZES["portrait"], has_touch=True) as page:
        open_kiosk(page, calm_server)
        tap(page, "Start")
        frame = shown_map(page, 20)
        start = frame.evaluate(f"{LEAFLET}.getZoom()")
        frame.evaluate(f"""(() => {{ window.__zooms = []; {LEAFLET}.on('zoomend', function () {{
            window.__zooms.push(this.getZoom()); }}); }})()""")
        whole_city = finger(page, frame, ".touch-reset")
        if gesture == "plus":
            finger(page, frame, ".leaflet-control-zoom-in")()
        elif gesture == "pinch":
            pinch(page, frame)
        else:
            double_tap(page, frame)
        whole_city()  # no wait between the two
        frame.wait_for_function(WHOLE_CITY, timeout=30000)
        zooms = frame.evaluate("window.__zooms")
        assert any(z > start for z in zooms), f"the {gesture} did not zoom the map in: {zooms}"
        assert frame.evaluate(f"{LEAFLET}.getZoom()") <= start + 1e-9


def test_map_keeps_to_the_city_waits_for_a_tap_to_zoom_by_wheel_and_hides_its_drawing(calm_server):
    """The kiosk's map keeps to the city, zooms by wheel only after a tap, and keeps its drawing out of the reading
    order, as every other map does (tests/test_maps_browser.py)."""
    from explorer.pipeline.store import read_layer
    from tests.conftest import PROCESSED

    west, south, east, north = read_layer(PROCESSED, "wards").total_bounds
    area = f"L.latLngBounds([[{south}, {west}], [{north}, {east}]])"
    with offline_browser_page(viewport=SIZES["landscape"], has_touch=True) as page:
        open_kiosk(page, calm_server)
        tap(page, "Start")
        frame = shown_map(page, 20)
        least, fits = frame.evaluate(f"() => [{LEAFLET}.getMinZoom(), {LEAFLET}.getBoundsZoom({area})]")
        assert least == fits
        # A wheel before the map is touched leaves its zoom alone (and says how to zoom).
        opened = frame.evaluate(f"{LEAFLET}.getZoom()")
        box = frame.frame_element().bounding_box()
        page.mouse.move(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
        page.mouse.wheel(0, -200)
        frame.locator(".wheel-hint").wait_for(state="visible", timeout=30000)
        assert frame.evaluate(f"{LEAFLET}.getZoom()") == opened
        # From the whole city and zoomed in, dragging never takes the map's centre out of Coventry's box.
        frame.locator(".touch-reset").tap()
        frame.wait_for_function(WHOLE_CITY, timeout=30000)
        frame.evaluate(f"() => {{ window.__centres = []; const m = {LEAFLET}; m.on('move', () => {{ "
                       "const c = m.getCenter(); window.__centres.push([c.lat, c.lng]); }); }")
        x, y = frame.evaluate(BARE_SPOT)
        for zoom_in, (dx, dy) in ((0, (900, 0)), (0, (-1800, 0)), (2, (700, 600)), (2, (-1400, -1200))):
            if zoom_in:
                frame.evaluate(f"() => {LEAFLET}.setZoom({least} + {zoom_in}, {{animate: false}})")
            page.mouse.move(box["x"] + x, box["y"] + y)
            page.mouse.down()
            page.mouse.move(box["x"] + x + dx, box["y"] + y + dy, steps=12)
            page.mouse.up()
        centres = frame.evaluate("window.__centres")
        assert len(centres) > 10
        assert [c for c in centres if not (south <= c[0] <= north and west <= c[1] <= east)] == []
        # The drawing is out of the reading order: the map is one named region with its buttons.
        tree = frame.locator("body").aria_snapshot()
        assert "region" in tree.splitlines()[0] and "Pick from a list" in tree.splitlines()[0], tree[:300]
        assert not any(name in "\n".join(tree.splitlines()[1:]) for name in ("Foleshill", "You are here")), tree
        assert frame.evaluate("[...document.querySelectorAll('.leaflet-overlay-pane path')].every((p) => "
                              "p.getAttribute('tabindex') === '-1' && p.closest('[aria-hidden=true]'))")


def test_a_kiosk_pinned_to_an_authority_without_a_pack_shows_its_own_and_says_what_is_not_held(national_built):
    """Birmingham has no local pack: national facts, the map and list, no postcode keypad, no landmarks or register.

    The same promises hold (targets, text size, no link out, axe) at the portrait screen size.
    """
    env = {"EXPLORER_LA": "Birmingham", "EXPLORER_STORE_DIR": str(national_built[0]), "EXPLORER_KIOSK_PIN": PIN,
           "EXPLORER_PUBLIC_URL": PUBLIC}
    with running_server(env) as server, offline_browser_page(viewport=SIZES["portrait"], has_touch=True) as page:
        open_kiosk(page, server)
        assert page.get_by_role("button", name="Birmingham: your area in numbers").count() == 1
        page.get_by_text("Find out about life where you live in Birmingham").wait_for()
        check_screen(page, server, "birmingham_portrait_1_attract")
        tap(page, "Start")
        frame = shown_map(page, 30)
        assert frame.locator("path.leaflet-interactive").count() == 69
        assert frame.locator(".touch-reset").inner_text() == "All of Birmingham"
        assert frame.locator(".map-symbol").count() == 0  # no library, hub or landmark is held
        assert page.get_by_role("button", name="Type your postcode").count() == 0
        page.get_by_text("Postcode search is not held for Birmingham").wait_for()
        check_screen(page, server, "birmingham_portrait_2_find_map")
        tap(page, "Pick from a list")
        tap(page, "Ladywood")
        page.get_by_role("heading", name="Ladywood").wait_for(timeout=15000)
        text = page.locator("[data-testid=stMain]").inner_text()
        assert "Across Birmingham it is" in text and "micrograms of nitrogen dioxide" in text  # air, national
        assert "We do not hold this figure" not in text
        assert "Not held for Birmingham: the council's register of sites and services." in text
        assert "Coventry" not in text and "my_area?la=Birmingham&ward=Ladywood" in text
        for k in range(4):  # the four facts still fit on one screen
            box = page.locator(f".st-key-fact_{k}").bounding_box()
            assert box["y"] >= 0 and box["y"] + box["height"] <= SIZES["portrait"]["height"], (k, box)
        check_screen(page, server, "birmingham_portrait_3_my_area")
        assert axe_serious(page) == []
        assert page.outside == []


def test_map_tap_opens_the_area_at_once_and_zoom_buttons_are_big(calm_server):
    with offline_browser_page(viewport=SIZES["portrait"], has_touch=True) as page:
        open_kiosk(page, calm_server)
        tap(page, "Start")
        frame = shown_map(page, 20)
        for control in (".leaflet-control-zoom-in", ".leaflet-control-zoom-out", ".touch-reset"):
            box = frame.locator(control).bounding_box()
            assert box["width"] >= 44 and box["height"] >= 44, control
        finger(page, frame, ".touch-reset")()  # it opens on the library's ward: start from the whole city
        frame.wait_for_function(WHOLE_CITY, timeout=30000)
        start = frame.evaluate(f"{LEAFLET}.getZoom()")
        plus = finger(page, frame, ".leaflet-control-zoom-in")
        for _ in range(3):  # every tap counts, however quick: three taps, three steps in
            plus()
        frame.wait_for_function(f"{LEAFLET}.getZoom() >= {start} + 3 * {LEAFLET}.options.zoomDelta - 1e-9",
                                timeout=30000)
        frame.locator(".touch-reset").tap()
        frame.wait_for_function(WHOLE_CITY, timeout=30000)
        page.evaluate("""() => { window.__working = false; const w = document.querySelector('.kiosk-working');
            new MutationObserver(() => { if (w.classList.contains('on')) window.__working = true; })
              .observe(w, {attributes: true}); }""")
        with rerun(page):
            tap_ward(page, frame, "Earlsdon")
            page.wait_for_function("window.__working === true", timeout=5000)  # "Just a moment" shows for the tap
            page.get_by_role("heading", name="Earlsdon").wait_for(timeout=15000)
        page.wait_for_function("!document.querySelector('.kiosk-working.on')", timeout=5000)
        # Back to the map: the same map (kept, not drawn again), with no ward still picked out.
        frame.evaluate("window.__kept = true")
        tap(page, "Look at another area")
        again = shown_map(page, 20)
        assert again.evaluate("window.__kept") is True
        assert again.evaluate(f"""(() => {{ let dark = 0; {LEAFLET}.kioskWards.eachLayer((l) => {{
            if (l.options.fillColor !== '#deebf7') dark++; }}); return dark; }})()""") == 0


# Every browser shortcut a page can see (issue: Ctrl+L, R, K, D, E, W, Q, Ctrl+Shift+I and Esc reached the browser).
SHORTCUTS = [(f"Ctrl+{k.upper()}", k, {"ctrlKey": True}) for k in "lrkdewqpsoufgnhjt+-=0"] + [
    ("Ctrl+Shift+I", "I", {"ctrlKey": True, "shiftKey": True}),
    ("Ctrl+Shift+J", "J", {"ctrlKey": True, "shiftKey": True}),
    ("Cmd+L", "l", {"metaKey": True}), ("Alt+Left", "ArrowLeft", {"altKey": True}),
    ("Alt+Home", "Home", {"altKey": True}),
    ("Alt+F4", "F4", {"altKey": True}), ("Alt+D", "d", {"altKey": True}), ("Esc", "Escape", {}),
    ("BrowserBack", "BrowserBack", {}), ("BrowserHome", "BrowserHome", {}), ("ContextMenu", "ContextMenu", {}),
] + [(f"F{n}", f"F{n}", {}) for n in range(1, 13)]

NO_WAY_OUT = """async (SHORTCUTS) => {
  const out = {};
  const fire = (target, event) => { target.dispatchEvent(event); return event.defaultPrevented; };
  const el = document.querySelector('h1, h2, path, .map-label span') || document.body;
  out.contextmenu = fire(el, new MouseEvent('contextmenu', {bubbles: true, cancelable: true, button: 2}));
  out.selectstart = fire(el, new Event('selectstart', {bubbles: true, cancelable: true}));
  const img = document.querySelector('img') || el;
  out.dragstart = fire(img, new DragEvent('dragstart', {bubbles: true, cancelable: true}));
  out.ctrlwheel = fire(el, new WheelEvent('wheel', {bubbles: true, cancelable: true, ctrlKey: true, deltaY: -100}));
  out.keys = {};
  for (const [name, key, mods] of SHORTCUTS) {
    out.keys[name] = fire(document.activeElement || document.body, new KeyboardEvent('keydown',
      {bubbles: true, cancelable: true, key, ...mods}));
  }
  out.plainKeys = ['Tab', 'Enter', ' ', 'ArrowDown', 'a'].filter((key) => fire(document.body,
    new KeyboardEvent('keydown', {bubbles: true, cancelable: true, key})));
  out.userSelect = getComputedStyle(document.body).userSelect;
  out.callout = getComputedStyle(document.body).webkitTouchCallout || 'none';
  out.links = [...document.querySelectorAll('a[href]')].map((a) => a.href);
  return out;
}"""


def assert_no_way_out(found: dict, where: str, page_itself: bool) -> None:
    for event in ("contextmenu", "selectstart", "dragstart", "ctrlwheel"):
        assert found[event] is True, f"{where}: {event} is not cancelled"
    reach = [name for name, cancelled in found["keys"].items() if not cancelled]
    assert reach == [], f"{where}: these keys still reach the browser: {reach}"
    assert found["plainKeys"] == [], f"{where}: keys the page needs are cancelled: {found['plainKeys']}"
    assert found["userSelect"] == "none" and found["callout"] == "none", where
    if not page_itself:
        assert found["links"] == [], f"{where}: links {found['links'][:3]}"


@pytest.mark.parametrize("size", list(SIZES))
def test_no_way_out_of_the_page_or_the_map_frame(calm_server, size):
    with offline_browser_page(viewport=SIZES[size], has_touch=True) as page:
        page.on("dialog", lambda dialog: pytest.fail(f"a browser dialog opened: {dialog.message}"))
        open_kiosk(page, calm_server)
        assert_no_way_out(page.evaluate(NO_WAY_OUT, SHORTCUTS), "attract screen", True)
        viewport = page.evaluate("document.querySelector('meta[name=viewport]').content")
        assert "user-scalable=no" in viewport and "maximum-scale=1" in viewport
        assert page.evaluate("getComputedStyle(document.documentElement).touchAction") == "pan-x pan-y"
        tap(page, "Start")
        frame = shown_map(page, 20)
        assert_no_way_out(frame.evaluate(NO_WAY_OUT, SHORTCUTS), "map frame", False)
        # A real right click and a long press in the map and on the page change nothing and go nowhere.
        box = frame.frame_element().bounding_box()
        page.mouse.click(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2, button="right")
        page.mouse.click(40, 20, button="right")
        page.touchscreen.tap(box["x"] + 30, box["y"] + box["height"] - 30)
        tap(page, "Pick from a list")  # its run comes after anything the clicks above could have started
        assert page.url == calm_server + "kiosk"
        tap(page, "Wyken")
        page.get_by_role("heading", name="Wyken").wait_for()
        assert_no_way_out(page.evaluate(NO_WAY_OUT, SHORTCUTS), "my area", True)
        text_chosen = page.evaluate("""() => { const h = document.querySelector('h2');
            const r = document.createRange(); r.selectNodeContents(h);
            h.dispatchEvent(new MouseEvent('mousedown', {bubbles: true}));
            return getComputedStyle(h).userSelect; }""")
        assert text_chosen == "none"
        assert page.url == calm_server + "kiosk" and page.outside == []


def test_staff_title_bar_wrong_number_and_the_way_out(calm_server):
    with offline_browser_page(viewport=SIZES["landscape"], has_touch=True) as page:
        open_kiosk(page, calm_server)
        for _ in range(4):
            tap(page, "Coventry: your area in numbers")
        assert page.get_by_role("heading", name="Staff").count() == 0
        tap(page, "Coventry: your area in numbers")
        page.get_by_role("heading", name="Staff").wait_for()
        # The title bar, just tapped (focused), is still white on council blue.
        colours = page.evaluate("""() => { const b = document.querySelector('.st-key-kiosk_banner button');
            const s = getComputedStyle(b), p = getComputedStyle(b.querySelector('p'));
            return [s.backgroundColor, p.color]; }""")
        assert colours == ["rgb(26, 79, 139)", "rgb(255, 255, 255)"], colours
        for key in "1111":  # a wrong number keeps the kiosk locked, and says so
            tap(page, key)
        assert page.get_by_role("heading", name="Staff").count() == 1
        page.get_by_text("That is not the staff number. 4 tries left.").wait_for()
        for key in PIN:
            tap(page, key)
        page.get_by_role("heading", name="Coventry's wards on the map").or_(
            page.locator("[data-testid=stSidebar]")).first.wait_for(timeout=20000)
        assert "kiosk" not in page.url
        assert page.outside == []


def test_staff_screen_locks_after_five_wrong_numbers_and_warns_about_the_qr_code():
    """A kiosk opened as 127.0.0.1 with no EXPLORER_PUBLIC_URL: no QR code for visitors, a warning for staff."""
    with running_server({"EXPLORER_KIOSK_PIN": PIN}) as server, \
            offline_browser_page(viewport=SIZES["portrait"], has_touch=True) as page:
        open_kiosk(page, server)
        tap(page, "Start")
        tap(page, "Pick from a list")
        tap(page, "Foleshill")
        page.get_by_role("heading", name="Foleshill").wait_for()
        assert page.locator("img.kiosk-qr").count() == 0, "a QR code no phone can open"
        for _ in range(5):
            tap(page, "Coventry: your area in numbers")
        page.get_by_role("heading", name="Staff").wait_for()
        warning = page.locator("[data-testid=stAlertContentWarning]").inner_text()
        assert "no phone can open" in warning and "EXPLORER_PUBLIC_URL" in warning and "127.0.0.1" in warning
        assert page.locator("[data-testid=stMain] a[href]").count() == 0, "the addresses in the warning are links"
        for attempt in range(5):
            for key in "9999":
                tap(page, key)
            if attempt < 4:
                page.get_by_text(f"{4 - attempt} {'try' if attempt == 3 else 'tries'} left").wait_for()
        page.get_by_text("the number pad is locked").wait_for()
        assert page.get_by_role("button", name="1", exact=True).is_disabled()
        page.screenshot(path=str(ARTIFACTS / "kiosk_portrait_8_staff_locked.png"))
        # Loading the page again does not unlock it: the lock is kept by the server.
        open_kiosk(page, server)
        for _ in range(5):
            tap(page, "Coventry: your area in numbers")
        page.get_by_text("the number pad is locked").wait_for()
        assert page.get_by_role("button", name=PIN[0], exact=True).is_disabled()
        check_screen(page, server, "portrait_8_staff_locked_again")


FAULT = """
import explorer.models.area_views as area_views
import explorer.models.kiosk.guard as guard

def broken(*args, **kwargs):
    raise RuntimeError("a fault injected by tests/test_kiosk.py")

area_views.area_view = broken  # "my area" fails
guard.type_key = broken  # so does every key of the postcode keypad (a callback)
"""


def test_an_error_shows_the_kiosks_own_words_and_no_way_out():
    with running_server({"EXPLORER_KIOSK_IDLE_SECONDS": "600"}, prelude=FAULT) as server, \
            offline_browser_page(viewport=SIZES["portrait"], has_touch=True) as page:
        open_kiosk(page, server)
        tap(page, "Start")
        tap(page, "Pick from a list")
        tap(page, "Foleshill")
        page.get_by_role("heading", name="Sorry, something went wrong").wait_for(timeout=15000)
        assert page.locator("[data-testid=stException]").count() == 0
        check_screen(page, server, "portrait_9_error")
        tap(page, "Start again")
        tap(page, "Start")
        tap(page, "Type your postcode")
        tap(page, "C")  # the keypad's callback fails
        page.get_by_role("heading", name="Sorry, something went wrong").wait_for(timeout=15000)
        # Streamlit's own error box (it links to Google and ChatGPT) is covered by the kiosk's words, and the
        # kiosk starts again by itself.
        page.evaluate("""() => { const e = document.createElement('div'); e.setAttribute('data-testid', 'stException');
            e.innerHTML = '<a href="https://www.google.com/search?q=x">Ask Google</a>';
            document.querySelector('[data-testid=stMain]').appendChild(e); }""")
        page.get_by_role("alert").get_by_text("Something went wrong").wait_for(timeout=5000)
        assert not page.get_by_text("Ask Google").is_visible()
        page.get_by_role("button", name="Start", exact=True).wait_for(timeout=30000)
        assert page.url == server + "kiosk" and page.outside == []


def test_a_lost_connection_shows_the_kiosks_own_words_and_no_link():
    with running_server({"EXPLORER_KIOSK_IDLE_SECONDS": "600"}) as server, \
            offline_browser_page(viewport=SIZES["landscape"], has_touch=True) as page:
        open_kiosk(page, server)
        tap(page, "Start")
        running_server.process.terminate()
        running_server.process.wait(timeout=20)
        page.get_by_role("alert").get_by_text("lost touch").wait_for(timeout=30000)
        page.screenshot(path=str(ARTIFACTS / "kiosk_landscape_10_connection_lost.png"))
        visible_links = page.evaluate("""() => [...document.querySelectorAll('a[href]')].filter((a) => {
            const r = a.getBoundingClientRect();  // (Streamlit's 1 px "skip to content" link is not one to tap)
            return r.width > 1 && r.height > 1 && getComputedStyle(a).visibility !== 'hidden'; })
            .map((a) => a.href)""")
        assert visible_links == []
        assert not page.get_by_text("Connection error").is_visible()
        assert page.url == server + "kiosk"


def test_still_there_keeps_the_visitor_when_they_answer(kiosk_server):
    with offline_browser_page(viewport=SIZES["landscape"], has_touch=True) as page:
        open_kiosk(page, kiosk_server)
        tap(page, "Start")
        tap(page, "Pick from a list")
        tap(page, "Wyken")
        page.get_by_role("heading", name="Wyken").wait_for()
        page.get_by_role("button", name="Yes, I am still here").wait_for(timeout=(IDLE_S + 5) * 1000)
        before = page.runs.finished
        page.get_by_role("button", name="Yes, I am still here").tap()
        # Left alone, the kiosk would start again PROMPT_S seconds after the prompt; answered, it asks again only
        # after a further IDLE_S quiet seconds (longer), still on Wyken, without having loaded the page afresh.
        assert PROMPT_S < IDLE_S
        page.get_by_role("alertdialog", name="Still there?").wait_for(timeout=(IDLE_S + 5) * 1000)
        assert page.get_by_role("heading", name="Wyken").count() == 1
        assert page.runs.finished == before, "the kiosk started again although the visitor answered"
