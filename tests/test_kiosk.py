"""The library kiosk in headless Chromium, offline, at both kiosk screen sizes.

The journey attract → postcode → my area → idle reset, with screenshots saved to
tests/artifacts/, and the measured promises: touch targets of 44×44 px or more,
text of 18 px or more, no link out of the app, no request off this machine,
nothing left of the last visitor after a reset, and no serious axe violations.
"""

import pytest

from tests.browser import ARTIFACTS, map_frame, offline_browser_page, running_server, settle

pytestmark = pytest.mark.browser

IDLE_S, PROMPT_S, PIN = 6, 4, "2468"
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


@pytest.fixture(scope="module")
def kiosk_server():
    env = {"EXPLORER_KIOSK_IDLE_SECONDS": str(IDLE_S), "EXPLORER_KIOSK_PROMPT_SECONDS": str(PROMPT_S),
           "EXPLORER_KIOSK_PIN": PIN}
    with running_server(env) as url:
        yield url


def check_screen(page, server: str, name: str) -> None:
    """Measure one kiosk screen in every frame and save its screenshot."""
    origin = server.rstrip("/")
    problems = {"small": [], "outside": [], "tiny": []}
    for frame in page.frames:
        try:
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
    """Open the kiosk and wait for its attract screen."""
    page.goto(server + "kiosk")
    page.get_by_role("button", name="Start", exact=True).wait_for(timeout=30000)
    settle(page, 500)


def tap(page, name: str) -> None:
    page.get_by_role("button", name=name, exact=True).first.tap()
    settle(page, 600)


@pytest.mark.parametrize("size", list(SIZES))
def test_journey_attract_postcode_my_area_and_idle_reset(kiosk_server, size):
    with offline_browser_page(viewport=SIZES[size], has_touch=True, is_mobile=False) as page:
        page.goto(kiosk_server + "kiosk")
        page.get_by_role("button", name="Start", exact=True).wait_for(timeout=30000)
        settle(page, 1000)
        start_history = page.evaluate("history.length")
        assert page.locator("[data-testid=stSidebar]").count() == 0, "the kiosk shows the page menu"
        check_screen(page, kiosk_server, f"{size}_1_attract")
        assert axe_serious(page) == []

        tap(page, "Start")
        page.get_by_role("heading", name="Find your area").wait_for()
        frame = map_frame(page, 15)
        assert frame is not None and frame.locator("path.leaflet-interactive").count() == 18
        assert frame.locator(".area-label").count() == 18  # names written on the map, not only on hover
        settle(page, 1000)
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
        settle(page, 1000)
        text = page.locator("[data-testid=stMain]").inner_text()
        assert "How long people live" in text and "What is being done near here" in text
        assert page.locator("img.kiosk-qr").count() == 1
        assert "my_area?ward=St%20Michael%27s" in text
        check_screen(page, kiosk_server, f"{size}_5_my_area")
        page.screenshot(path=str(ARTIFACTS / f"kiosk_{size}_5_my_area_full.png"), full_page=True)
        assert axe_serious(page) == []
        assert page.url == kiosk_server + "kiosk", "the visitor's area must never be in the address"

        # Quiet: the prompt comes, and then the kiosk starts again with nothing of this visitor left.
        page.get_by_role("alertdialog", name="Still there?").wait_for(timeout=(IDLE_S + 5) * 1000)
        check_screen(page, kiosk_server, f"{size}_6_still_there")
        page.get_by_role("button", name="Start", exact=True).wait_for(timeout=(PROMPT_S + 10) * 1000)
        settle(page, 1000)
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


def test_still_there_keeps_the_visitor_when_they_answer(kiosk_server):
    with offline_browser_page(viewport=SIZES["landscape"], has_touch=True) as page:
        open_kiosk(page, kiosk_server)
        tap(page, "Start")
        tap(page, "Pick from a list")
        tap(page, "Wyken")
        page.get_by_role("heading", name="Wyken").wait_for()
        page.get_by_role("button", name="Yes, I am still here").wait_for(timeout=(IDLE_S + 5) * 1000)
        page.get_by_role("button", name="Yes, I am still here").tap()
        page.wait_for_timeout((PROMPT_S + 1) * 1000)
        assert page.get_by_role("heading", name="Wyken").count() == 1


def test_map_tap_opens_the_area_and_zoom_buttons_are_big(kiosk_server):
    with offline_browser_page(viewport=SIZES["portrait"], has_touch=True) as page:
        open_kiosk(page, kiosk_server)
        tap(page, "Start")
        frame = map_frame(page, 15)
        for control in (".leaflet-control-zoom-in", ".leaflet-control-zoom-out", ".touch-reset"):
            box = frame.locator(control).bounding_box()
            assert box["width"] >= 44 and box["height"] >= 44, control
        frame.locator(".leaflet-control-zoom-in").tap()
        frame.locator(".touch-reset").tap()
        paths = frame.locator("path.leaflet-interactive")
        labels = [frame.locator(".area-label").nth(i).inner_text() for i in range(18)]
        target = labels.index("Earlsdon")  # labels and shapes are drawn in the same (ward) order
        paths.nth(target).dispatch_event("click")
        page.get_by_role("heading", name="Earlsdon").wait_for(timeout=15000)


def test_staff_way_out_needs_five_taps_and_the_pin(kiosk_server):
    with offline_browser_page(viewport=SIZES["landscape"], has_touch=True) as page:
        open_kiosk(page, kiosk_server)
        for _ in range(4):
            tap(page, "Coventry: your area in numbers")
        assert page.get_by_role("heading", name="Staff").count() == 0
        tap(page, "Coventry: your area in numbers")
        page.get_by_role("heading", name="Staff").wait_for()
        for key in "1111":  # a wrong number keeps the kiosk locked
            tap(page, key)
        assert page.get_by_role("heading", name="Staff").count() == 1
        for key in PIN:
            tap(page, key)
        page.get_by_role("heading", name="Coventry's wards on the map").or_(
            page.locator("[data-testid=stSidebar]")).first.wait_for(timeout=20000)
        assert "kiosk" not in page.url
        assert page.outside == []
