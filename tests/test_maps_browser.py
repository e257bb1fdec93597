"""Every map the app draws, in headless Chromium.

- It keeps to its area: it opens on the whole area, never zooms out past it, and dragging never takes the centre
  of the map out of the area's box (computed here from the boundaries the page draws).
- The wheel scrolls the page, not the map, until the visitor has clicked the map; then it zooms the map.
- In forced colours (Windows High Contrast) every swatch of the key keeps the colour of the shapes of its class,
  and the points keep their own colours.
- Its shapes are out of the reading order: Tab meets only the map itself and its zoom buttons, the accessibility
  tree holds one named region (saying where the figures are in words) and its buttons, and axe finds nothing
  serious inside the map's frame.

Maps: the city map (wards and neighbourhoods), the ward profile's neighbourhood map and ward picker, compare's
bivariate map and the priorities' map for Coventry, and the city map and bivariate map of two other authorities
(Birmingham, the City of London) from the five-authority store. The kiosk's map is checked in tests/test_kiosk.py.
"""

import pytest

from explorer.pipeline.store import read_layer
from tests.browser import ARTIFACTS, offline_browser_page, rerun, running_server
from tests.conftest import BIRMINGHAM, CITY_OF_LONDON, PROCESSED

pytestmark = pytest.mark.browser

LEAFLET = "Object.values(window).find((v) => typeof L !== 'undefined' && v instanceof L.Map)"
SCROLLED = "document.querySelector('[data-testid=stMain]').scrollTop"
# A spot of the map outside every shape and control, in the frame's own coordinates (a click on a ward would
# open its popup, or in the picker its profile).
BARE_SPOT = """() => {
  for (let y = innerHeight - 12; y > 12; y -= 9) for (let x = innerWidth - 12; x > 12; x -= 9) {
    const hit = document.elementFromPoint(x, y);
    if (hit && hit.classList.contains('leaflet-container')) return [x, y];
  }
  return null;
}"""
# Resolves once the map's centre has stayed the same over two frames (a drag's glide has ended).
STILL = f"""async () => {{
  const m = {LEAFLET}; let last = null;
  for (;;) {{
    const c = m.getCenter();
    if (last && c.equals(last) && !m._animatingZoom) return true;
    last = c;
    await new Promise((done) => requestAnimationFrame(() => requestAnimationFrame(done)));
  }}
}}"""

COVENTRY_MAPS = {  # name: (address, the map's frame, switch to turn on first)
    "city map": ("", 'iframe[title^="Map of Coventry:"]', None),
    "neighbourhoods": ("city_map?small_areas=true", 'iframe[title^="Map of Coventry:"]', None),
    "profile neighbourhoods": ("ward_profile?ward=Foleshill", 'iframe[title^="Map of the neighbourhoods"]', None),
    "ward picker": ("ward_profile?ward=Foleshill", 'iframe[src*="folium"]', "Choose a ward on the map"),
    "compare": ("compare", 'iframe[title^="Bivariate map"]', None),
    "priorities": ("priorities", 'iframe[title^="Map of need"]', None),
}
OTHER_MAPS = {
    "Birmingham city map": ("city_map?la=E08000025", 'iframe[title^="Map of Birmingham:"]', BIRMINGHAM),
    "Birmingham compare": ("compare?la=E08000025", 'iframe[title^="Bivariate map"]', BIRMINGHAM),
    "City of London city map": ("city_map?la=E09000001", 'iframe[title^="Map of City of London:"]', CITY_OF_LONDON),
}


@pytest.fixture(scope="module")
def store(national_built):
    return national_built[0]


@pytest.fixture(scope="module")
def server(store):
    with running_server({"EXPLORER_STORE_DIR": str(store)}) as url:
        yield url


def coventry_box(name: str) -> tuple[float, float, float, float]:
    """The box the map is about, from Coventry's committed boundaries: the wards, or Foleshill's neighbourhoods."""
    wards = read_layer(PROCESSED, "wards")
    if name != "profile neighbourhoods":
        return tuple(wards.total_bounds)
    import pandas as pd

    lookups = pd.read_csv(PROCESSED / "lookups.csv")
    foleshill = wards.loc[wards["name"] == "Foleshill", "code"].iloc[0]
    mine = lookups[(lookups["geography"] == "lsoa21") & (lookups["ward"] == foleshill)]["lsoa"]
    lsoas = read_layer(PROCESSED, "lsoa21")
    return tuple(lsoas[lsoas["code"].isin(mine)].total_bounds)


def open_map(page, server: str, address: str, selector: str, switch: str | None = None):
    """Open a page, turn on its map if it has a switch, and return the map's frame once the map has drawn."""
    with rerun(page):
        page.goto(server + address)
    if switch:
        with rerun(page):
            page.get_by_text(switch).click()
    holder = page.locator(selector).first
    holder.wait_for(state="attached", timeout=60000)
    frame = holder.element_handle().content_frame()
    frame.wait_for_function(f"() => {{ const m = {LEAFLET}; return m && m.getSize().x > 0 && "
                            "document.querySelector('path.leaflet-interactive'); }", timeout=60000)
    return frame


def inside(box, centres, slack=1e-9) -> list:
    west, south, east, north = box
    return [c for c in centres if not (south - slack <= c[0] <= north + slack and west - slack <= c[1] <= east + slack)]


def drag(page, holder, dx: float, dy: float) -> None:
    b = holder.bounding_box()
    x, y = b["x"] + b["width"] / 2, b["y"] + b["height"] / 2
    page.mouse.move(x, y)
    page.mouse.down()
    page.mouse.move(x + dx, y + dy, steps=12)
    page.mouse.up()


def check_keeps_to_area(page, frame, box, name: str) -> None:
    west, south, east, north = (float(v) for v in box)
    area = f"L.latLngBounds([[{south}, {west}], [{north}, {east}]])"
    # Before the map is chosen, the wheel scrolls the page and leaves the map's zoom alone.
    opened = frame.evaluate(f"{LEAFLET}.getZoom()")
    holder = frame.frame_element()
    holder.scroll_into_view_if_needed()
    b = holder.bounding_box()
    before = page.evaluate(SCROLLED)
    page.mouse.move(b["x"] + b["width"] / 2, b["y"] + min(b["height"] / 2, 150))
    page.mouse.wheel(0, 200)
    page.wait_for_function(f"{SCROLLED} > {before}", timeout=10000)
    assert frame.evaluate(f"{LEAFLET}.getZoom()") == opened, name
    assert frame.locator(".wheel-hint").is_visible(), name  # and says how to zoom

    least, fits, opened, most, whole = frame.evaluate(
        f"() => {{ const m = {LEAFLET}, a = {area}; return [m.getMinZoom(), m.getBoundsZoom(a), m.getZoom(), "
        "m.getMaxZoom(), m.getBounds().contains(a)]; }")
    # It opens on the whole area, and the least zoom is the one that fits it (so it never zooms out past it).
    assert (least, opened, whole) == (fits, fits, True), (name, least, fits, opened, whole)
    assert most <= 17, (name, most)
    assert frame.locator(".leaflet-control-zoom-out").get_attribute("aria-disabled") == "true", name

    # A click on the map chooses it: then the wheel zooms the map.
    holder.scroll_into_view_if_needed()
    b = holder.bounding_box()
    spot = frame.evaluate(BARE_SPOT)
    assert spot, f"{name}: no bare spot to click"
    page.mouse.click(b["x"] + spot[0], b["y"] + spot[1])
    page.mouse.move(b["x"] + b["width"] / 2, b["y"] + b["height"] / 2)
    scrolled = page.evaluate(SCROLLED)
    page.mouse.wheel(0, -200)
    frame.wait_for_function(f"{LEAFLET}.getZoom() > {opened}", timeout=10000)
    frame.evaluate(STILL)  # Leaflet drops a zoom asked for while one is animating
    assert page.evaluate(SCROLLED) == scrolled, name

    # Zooming out with the wheel stops at the whole area.
    frame.evaluate(f"() => {{ window.__zooms = []; const m = {LEAFLET}; m.on('zoomend', () => "
                   "window.__zooms.push(m.getZoom())); }")
    page.mouse.wheel(0, 1500)
    frame.wait_for_function(f"{LEAFLET}.getZoom() === {least}", timeout=10000)
    frame.evaluate(STILL)
    assert min(frame.evaluate("window.__zooms")) >= least, name
    assert frame.evaluate(f"() => {LEAFLET}.getBounds().contains({area})"), name

    # Dragging, at the whole area and zoomed in, never takes the centre of the map out of the area's box.
    frame.evaluate(f"() => {{ window.__centres = []; const m = {LEAFLET}; m.on('move', () => {{ "
                   "const c = m.getCenter(); window.__centres.push([c.lat, c.lng]); }); }")
    for dx, dy in ((600, 0), (-1200, 0), (0, 500), (0, -1000)):
        drag(page, holder, dx, dy)
    frame.evaluate(STILL)
    frame.evaluate(f"() => {LEAFLET}.setZoom({least} + 2, {{animate: false}})")
    frame.evaluate(STILL)
    for dx, dy in ((700, 500),) * 3 + ((-700, -500),) * 6:
        drag(page, holder, dx, dy)
        frame.evaluate(STILL)
    centres = frame.evaluate("window.__centres")
    assert len(centres) > 20, (name, len(centres))
    assert inside(box, centres) == [], f"{name}: the centre left the area's box: {inside(box, centres)[:3]}"


@pytest.mark.parametrize("name", list(COVENTRY_MAPS))
def test_coventry_maps_keep_to_the_city_and_leave_the_wheel_to_the_page(server, name):
    address, selector, switch = COVENTRY_MAPS[name]
    with offline_browser_page(viewport={"width": 1366, "height": 768}) as page:
        frame = open_map(page, server, address, selector, switch)
        check_keeps_to_area(page, frame, coventry_box(name), name)
        assert page.outside == []


@pytest.mark.parametrize("name", list(OTHER_MAPS))
def test_other_authorities_maps_keep_to_the_authority(server, store, name):
    from explorer.pipeline.authorities import NationalStore

    address, selector, code = OTHER_MAPS[name]
    box = NationalStore(store).authority(code).ward_shapes.total_bounds
    with offline_browser_page(viewport={"width": 1366, "height": 768}) as page:
        frame = open_map(page, server, address, selector)
        check_keeps_to_area(page, frame, box, name)


def test_on_a_phone_the_map_opens_on_the_whole_city_and_zooms_out_no_further(server):
    with offline_browser_page(viewport={"width": 390, "height": 844}, has_touch=True, is_mobile=True) as page:
        frame = open_map(page, server, "", COVENTRY_MAPS["city map"][1])
        west, south, east, north = coventry_box("city map")
        area = f"L.latLngBounds([[{south}, {west}], [{north}, {east}]])"
        assert frame.evaluate(f"() => {{ const m = {LEAFLET}; return m.getMinZoom() === m.getBoundsZoom({area}) "
                              f"&& m.getBounds().contains({area}); }}")
        page.screenshot(path=str(ARTIFACTS / "maps_phone_city_map.png"))
        frame.frame_element().scroll_into_view_if_needed()
        page.screenshot(path=str(ARTIFACTS / "maps_phone_city_map_frame.png"))


# --- Forced colours --------------------------------------------------------------------------------------------

# Each swatch of a key: the colour it is given and the colour it is shown in.
SWATCHES = """(selector) => [...document.querySelectorAll(selector)].map((e) => [e.style.backgroundColor,
  getComputedStyle(e).backgroundColor])"""
# Each shape of the map: the colour it is given (its fill, as rgb) and the colours it is shown in.
SHAPES = """() => { const probe = document.createElement('i');
  const rgb = (c) => { probe.style.color = ''; probe.style.color = c; return probe.style.color; };
  return [...document.querySelectorAll('path.leaflet-interactive')].map((p) => [rgb(p.getAttribute('fill')),
    getComputedStyle(p).fill, rgb(p.getAttribute('stroke')), getComputedStyle(p).stroke]); }"""

FORCED = {  # name: (address, the map's frame, the key's swatches)
    "city map: air quality with the NO2 tubes": ("city_map?theme=Air+quality", 'iframe[title^="Map of Coventry:"]',
                                                 ".legend .sw"),
    "city map: neighbourhoods": ("city_map?small_areas=true", 'iframe[title^="Map of Coventry:"]', ".legend .sw"),
    "profile neighbourhoods": ("ward_profile?ward=Foleshill", 'iframe[title^="Map of the neighbourhoods"]',
                               ".legend .sw"),
    "compare: bivariate": ("compare", 'iframe[title^="Bivariate map"]', ".bvl .bv"),
    "priorities: need and sites": ("priorities", 'iframe[title^="Map of need"]', ".legend .sw"),
}


def check_key_matches_map(page, frame, swatches: str, name: str) -> None:
    assert page.evaluate("matchMedia('(forced-colors: active)').matches")
    key = page.evaluate(SWATCHES, swatches)
    assert len(key) >= 3, key
    shown_as = dict(key)
    assert len(shown_as) == len(key), f"{name}: two swatches of the same colour: {key}"
    shapes = frame.evaluate(SHAPES)
    areas = [s for s in shapes if s[0] in shown_as]
    points = [s for s in shapes if s[0] not in shown_as]
    assert areas, name
    # Every shape of a class is drawn in the very colour its swatch is shown in.
    wrong = sorted({(given, fill, shown_as[given]) for given, fill, _, _ in areas if fill != shown_as[given]})
    assert wrong == [], f"{name}: (class colour, shape shown in, swatch shown in): {wrong}"
    # Every point keeps its own fill and outline.
    changed = sorted({tuple(s) for s in points if (s[0], s[2]) != (s[1], s[3])})
    assert changed == [], f"{name}: points shown in other colours: {changed[:5]}"


@pytest.mark.parametrize("name", list(FORCED))
def test_in_forced_colours_the_key_still_matches_the_map(server, name):
    address, selector, swatches = FORCED[name]
    with offline_browser_page(viewport={"width": 1366, "height": 768}, forced_colors="active") as page:
        frame = open_map(page, server, address, selector)
        check_key_matches_map(page, frame, swatches, name)
        if name.startswith("city map: air"):
            assert len(frame.evaluate(SHAPES)) >= 18 + 90  # the wards and the 99 NO2 tubes
        if name.startswith("priorities"):  # the sites' key: each dot shown in its own colour
            dots = page.evaluate(SWATCHES, "[data-testid=stMarkdownContainer] span[style*='border-radius']")
            assert dots and all(given == shown for given, shown in dots), dots
            small = page.evaluate("""() => [...document.querySelectorAll('svg[role=img] path[fill]')].map((p) =>
                [p.getAttribute('fill'), getComputedStyle(p).fill])""")
            assert small and all(fill != "none" for _, fill in small)
        frame.frame_element().scroll_into_view_if_needed()
        stem = "".join(c if c.isalnum() else "_" for c in name.split(" with ")[0])
        page.screenshot(path=str(ARTIFACTS / f"maps_forced_{stem}_1366.png"))


def test_in_forced_colours_on_a_phone_the_key_below_the_map_matches_it(server):
    address, selector, swatches = FORCED["city map: air quality with the NO2 tubes"]
    with offline_browser_page(viewport={"width": 390, "height": 844}, forced_colors="active", has_touch=True,
                              is_mobile=True) as page:
        frame = open_map(page, server, address, selector)
        check_key_matches_map(page, frame, swatches, "phone")
        frame.frame_element().scroll_into_view_if_needed()
        page.screenshot(path=str(ARTIFACTS / "maps_forced_city_map_390.png"))
        page.locator(".legend").first.scroll_into_view_if_needed()
        page.screenshot(path=str(ARTIFACTS / "maps_forced_legend_390.png"))


# --- Reading order ---------------------------------------------------------------------------------------------

READING = {  # name: (address, the map's frame, switch, words the map's name must point to)
    "city map": ("", 'iframe[title^="Map of Coventry:"]', None, "table All wards"),
    "neighbourhoods": ("city_map?small_areas=true", 'iframe[title^="Map of Coventry:"]', None, "What the map shows"),
    "profile neighbourhoods": ("ward_profile?ward=Foleshill", 'iframe[title^="Map of the neighbourhoods"]', None,
                               "What the map shows"),
    "ward picker": ("ward_profile?ward=Foleshill", 'iframe[src*="folium"]', "Choose a ward on the map", "Ward list"),
    "compare": ("compare", 'iframe[title^="Bivariate map"]', None, "What the map shows"),
    "priorities": ("priorities", 'iframe[title^="Map of need"]', None, "Need against provision"),
}
FOCUSED = """() => { const e = document.activeElement;
  if (!document.hasFocus() || !e || e === document.body) return null;
  return [e.tagName, e.getAttribute('role') || '', e.getAttribute('aria-label') || '',
          e.className.baseVal ?? e.className]; }"""


@pytest.mark.parametrize("name", list(READING))
def test_map_shapes_are_out_of_the_reading_order_and_the_map_names_its_alternative(server, name):
    from axe_playwright_python.sync_playwright import Axe

    address, selector, switch, alternative = READING[name]
    with offline_browser_page(viewport={"width": 1366, "height": 768}) as page:
        frame = open_map(page, server, address, selector, switch)
        ward_names = list(read_layer(PROCESSED, "wards")["name"])
        # Tab from the map itself until focus leaves the map's frame: only the map and its buttons take focus.
        frame.locator(".leaflet-container").focus()
        stops = []
        for _ in range(40):
            page.keyboard.press("Tab")
            here = frame.evaluate(FOCUSED)
            if here is None:
                break
            stops.append(here)
        else:
            pytest.fail(f"{name}: Tab never left the map: {stops[:5]}")
        assert stops, f"{name}: Tab went straight past the map: none of its buttons took focus"
        assert [s[0] for s in stops if s[0] not in ("A", "BUTTON")] == [], f"{name}: {stops[:6]}"
        assert all(s[2] for s in stops), f"{name}: a stop with no name: {stops}"
        # The accessibility tree: one region named by what the map shows and where its figures are in words.
        tree = frame.locator("body").aria_snapshot()
        assert tree.lstrip().lstrip("- '").startswith("region "), tree[:300]
        assert alternative in tree.splitlines()[0], tree.splitlines()[0]
        below = "\n".join(tree.splitlines()[1:])  # under the region's name: its buttons and scale, no shape or name
        assert not any(ward in below for ward in ward_names), tree[:600]
        assert "img" not in below and "graphics" not in below, tree[:600]
        bad = [(v["id"], v["impact"], [n["target"] for n in v["nodes"]][:3])
               for v in Axe().run(frame).response["violations"] if v["impact"] in ("serious", "critical")]
        assert bad == [], f"{name}: {bad}"
