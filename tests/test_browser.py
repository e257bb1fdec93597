"""Browser tests in headless Debian Chromium with the network cut off: what only a browser can show."""

import re
import time

import pytest

from tests.browser import (
    ARTIFACTS,
    map_frame,
    offline_browser_page,
    open_page,
    rerun,
    running_server,
    watch,
)
from tests.conftest import PROCESSED

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def server():
    with running_server() as url:
        yield url


@pytest.fixture
def offline_page():
    with offline_browser_page() as page:
        yield page


def test_a_deep_link_as_the_first_visit_runs_through_the_router(server, offline_page):
    # Must run before any other test opens the server: Streamlit's legacy pages/ mode would otherwise run the
    # page script alone (no page config, no shared styles) for a first visit that is not the home page.
    page = offline_page
    page.goto(server + "ward_profile?ward=Wyken")
    page.get_by_role("heading", name="Wyken").wait_for(timeout=20000)
    assert page.title() == "Coventry inequality explorer"
    assert page.get_by_text("Page not found").count() == 0


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
    open_page(page, server)
    assert map_frame(page, 15)
    with rerun(page):
        page.get_by_text("Show neighbourhoods (2021 LSOAs)").click()
    frame = map_frame(page, 15, shapes=203)
    assert frame is not None and frame.locator("path.leaflet-interactive").count() == 203
    page.screenshot(path=str(ARTIFACTS / "home_lsoa.png"), full_page=True)
    assert page.outside == []


def test_panning_and_zooming_send_nothing_to_the_server(server, offline_page):
    page = offline_page
    sent: list[str] = []
    page.on("websocket", lambda ws: ws.on("framesent", lambda payload: sent.append(str(payload)[:80])))
    open_page(page, server)
    frame = map_frame(page, 15)
    assert frame
    leaflet = "Object.values(window).find((v) => v instanceof L.Map)"
    before = frame.evaluate(f"(() => {{ const m = {leaflet}; window.__moves = 0; m.on('moveend', () => "
                            "{ window.__moves += 1; }); return [m.getCenter().lat, m.getCenter().lng, "
                            "m.getZoom()]; })()")
    sent.clear()
    box = page.locator("iframe").first.bounding_box()
    cx, cy = box["x"] + box["width"] / 2, box["y"] + box["height"] / 2
    page.mouse.move(cx, cy)
    page.mouse.down()
    page.mouse.move(cx + 120, cy + 60, steps=8)
    page.mouse.up()
    frame.wait_for_function("window.__moves >= 1")  # the drag has moved the map
    frame.locator(".leaflet-control-zoom-in").click()
    frame.wait_for_function("window.__moves >= 2")  # and the zoom has landed
    after = frame.evaluate(f"(() => {{ const m = {leaflet}; return [m.getCenter().lat, m.getCenter().lng, "
                           "m.getZoom()]; })()")
    assert after[2] > before[2] and (after[0], after[1]) != (before[0], before[1]), (before, after)
    # Anything the map's moves sent would have left by the time the page has drawn two more frames.
    page.evaluate("new Promise((done) => requestAnimationFrame(() => requestAnimationFrame(() => setTimeout(done))))")
    assert sent == [], f"map interaction sent {len(sent)} message(s) to the server (a rerun)"


def choose(page, label: str, option: str) -> None:
    box = page.get_by_role("combobox", name=label, exact=True)
    box.click()
    box.fill(option)  # filter the (virtualised) list so the option is drawn
    with rerun(page):
        page.get_by_role("option", name=option, exact=True).click()


def fresh_page_text(browser_page, url: str) -> str:
    context = browser_page.context.browser.new_context()
    page = watch(context.new_page())
    open_page(page, url)
    text = page.locator("[data-testid=stMain]").inner_text()
    context.close()
    return text


def test_profile_link_reopens_the_same_ward(server, offline_page):
    page = offline_page
    open_page(page, server + "ward_profile")
    choose(page, "Ward", "Henley")
    assert "ward=Henley" in page.url
    text = fresh_page_text(page, page.url)
    assert "Henley is the" in text


def test_a_first_visit_fetches_no_font_or_highlighter_the_page_does_not_need(server, offline_page):
    """pages/_index_page.py and the embed box's text area: 166 KB of Source Sans and 514 KB of Streamlit's syntax
    highlighter (st.code's) were fetched by every first visit to / before (bench/first_load.py)."""
    page, asked = offline_page, []
    page.on("request", lambda request: asked.append(request.url))
    page.goto(server)
    assert map_frame(page, 60) is not None
    page.get_by_text("Embed this", exact=False).first.click()  # the box whose st.code loaded the highlighter
    page.locator("[data-testid=stExpander] textarea").first.wait_for()
    page.evaluate("document.fonts.ready")
    assert [url for url in asked if "SourceSans" in url or "SyntaxHighlighter" in url] == []
    assert page.evaluate("getComputedStyle(document.querySelector('h1')).fontFamily").startswith("Arial")


def test_compare_link_reopens_the_same_view(server, offline_page):
    page = offline_page
    open_page(page, server + "compare")
    choose(page, "First ward", "Foleshill")
    choose(page, "Second ward", "Wainbody")
    choose(page, "Indicator", "Life expectancy at birth: women")  # not the opening indicator, so in the link
    with rerun(page):
        page.get_by_text("Tenths (deciles)").click()
    url = page.url
    assert "a=Foleshill" in url and "b=Wainbody" in url and "indicator=" in url and "groups=" in url
    text = fresh_page_text(page, url)
    assert ("Of the 15 indicators with confidence intervals, Foleshill is significantly better on 2, Wainbody on "
            "11") in text
    assert "split into tenths (deciles)" in text and "life expectancy" in text.lower()
    page.screenshot(path=str(ARTIFACTS / "compare.png"), full_page=True)


def test_city_map_link_reopens_indicator_and_layer(server, offline_page):
    page = offline_page
    open_page(page, server)
    choose(page, "Theme", "Air quality")
    with rerun(page):
        page.get_by_text("Show neighbourhoods (2021 LSOAs)").click()
    assert "theme=Air" in page.url and "small_areas=" in page.url
    text = fresh_page_text(page, page.url)
    assert "Background nitrogen dioxide (NO2) concentration, 2023: highest in" in text
    assert "across 203 neighbourhoods" in text


@pytest.mark.parametrize("link", ["?theme=Health&indicator=le_female", "?indicator=le_female",
                                  "?indicator=le_female&theme=zzz"])
def test_a_link_to_an_indicator_keeps_it_in_the_address(server, offline_page, link):
    """The address dropped ?indicator= after a link: the theme's widget was drawn, so the page could not be reopened
    with the indicator as its widget writes it, and a copy of the address showed another indicator."""
    page = offline_page
    open_page(page, server + link)
    page.wait_for_url(re.compile(r"indicator=Life\+expectancy\+at\+birth%3A\+women"))
    assert "theme=Health" in page.url
    text = fresh_page_text(page, page.url)  # the address, opened afresh, shows the same view
    assert "Life expectancy at birth: women, 2009-2013 (old: the newest small-area figures held): highest in" in text


def test_stale_or_bad_link_falls_back_with_a_notice(server, offline_page):
    page = offline_page
    open_page(page, server + "compare?a=Atlantis&indicator=%3Cscript%3Ealert(1)%3C%2Fscript%3E")
    text = page.locator("[data-testid=stMain]").inner_text()
    assert "The link asked for ward “Atlantis”, which this app does not have" in text
    assert "The link asked for indicator “<script>alert(1)</script>”" in text  # shown as text, not run
    assert page.locator("script:text('alert(1)')").count() == 0
    assert "Of the 15 indicators with confidence intervals, Bablake is significantly better on" in text


def test_briefing_prints_on_one_a4_page(offline_page, registry, values, wards):
    import geopandas as gpd
    import pandas as pd

    from explorer.models.briefing import briefing_html
    from explorer.models.profile import profile_table, summary

    page = offline_page
    processed = PROCESSED
    lookups = pd.read_csv(processed / "lookups.csv")
    ward_shapes, lsoas = gpd.read_parquet(processed / "wards.parquet"), gpd.read_parquet(processed / "lsoa21.parquet")
    ARTIFACTS.mkdir(exist_ok=True)
    for code in ("E05001222", "E05001228"):  # Foleshill; St Michael's (the most neighbourhoods, 14)
        row = wards.set_index("code").loc[code]
        table = profile_table(code, registry, values)
        sentences = summary(row["name"], table, int(row["lsoa21_straddling"]), int(row["lsoa21_count"]))
        document = briefing_html(code, row["name"], sentences, table, registry, ward_shapes, lsoas, values, lookups)
        assert "<script" not in document and "http" not in document.replace("http://www.w3.org/2000/svg", "")
        page.set_content(document)
        pdf = page.pdf(format="A4", print_background=True)
        pages = len(re.findall(rb"/Type\s*/Page(?!s)", pdf))
        (ARTIFACTS / f"briefing_{code}.pdf").write_bytes(pdf)
        assert pages == 1, f"{row['name']} briefing prints on {pages} A4 pages"
        page.set_viewport_size({"width": 794, "height": 1123})  # A4 at 96 dpi
        page.emulate_media(media="print")
        page.screenshot(path=str(ARTIFACTS / f"briefing_{code}.png"), full_page=True)
        assert page.evaluate("document.documentElement.scrollHeight") <= 1123


def test_clicking_a_ward_on_the_map_opens_its_profile(server, offline_page):
    page = offline_page
    open_page(page, server + "ward_profile?ward=Bablake")
    with rerun(page):
        page.get_by_text("Choose a ward on the map").click()
    frame = map_frame(page, 15, shapes=18)
    assert frame is not None, "the ward picker map did not draw 18 wards"
    # Find the shape whose tooltip names Foleshill, then click it (DOM events: a shape's centre may lie in another).
    paths = frame.locator("path.leaflet-interactive")
    target = None
    for i in range(paths.count()):
        paths.nth(i).dispatch_event("mouseover")
        named = " ".join(frame.locator(".leaflet-tooltip").all_inner_texts())
        paths.nth(i).dispatch_event("mouseout")
        if "Foleshill" in named:
            target = paths.nth(i)
            break
    assert target is not None
    with rerun(page):
        target.dispatch_event("click")
    page.get_by_role("heading", name="Foleshill").first.wait_for()
    assert page.locator("h2").first.inner_text().startswith("Foleshill")
    assert "ward=Foleshill" in page.url


AXE_STATES = [
    "city_map",
    "city_map?theme=Health&indicator=Life+expectancy+at+birth%3A+women&small_areas=true",
    "city_map?theme=Air+quality",
    "ward_profile?ward=Foleshill",
    "ward_profile?ward=St+Michael%27s",
    "compare",
    "compare?a=Radford&b=Earlsdon&indicator=Background+nitrogen+dioxide+%28NO2%29+concentration&groups=Tenths+%28deciles%29",
    "priorities",
    "priorities?priority=Tackling+the+causes+and+consequences+of+climate+change",
    "about",
    "accessibility",
]


@pytest.mark.parametrize("state", AXE_STATES)
def test_axe_finds_no_serious_or_critical_violations(server, offline_page, state):
    from axe_playwright_python.sync_playwright import Axe

    page = offline_page
    open_page(page, server + state)
    results = Axe().run(page)
    bad = [
        (v["id"], v["impact"], [n["target"] for n in v["nodes"]][:3])
        for v in results.response["violations"]
        if v["impact"] in ("serious", "critical")
    ]
    assert bad == [], bad
    assert page.outside == [], f"requests left localhost: {page.outside[:3]}"
    print(f"{state}: {len(results.response['violations'])} violations of any impact")


def test_keyboard_only_reaches_a_wards_life_expectancy(server, offline_page):
    """From the home page, with Tab, Enter and arrow keys only, open Earlsdon's profile and read its life expectancy."""
    page = offline_page
    open_page(page, server)
    # Tab to the "Ward profile" link in the page navigation and follow it.
    for _ in range(40):
        page.keyboard.press("Tab")
        focused = page.evaluate("document.activeElement && document.activeElement.innerText || ''")
        if focused.strip().endswith("Ward profile"):  # the icon is a ligature word before it
            break
    else:
        pytest.fail("Tab never reached the Ward profile link")
    with rerun(page):
        page.keyboard.press("Enter")
    page.get_by_role("combobox", name="Ward").wait_for(timeout=120000)  # a busy machine draws the profile late
    # Tab past the sidebar's local-authority list to the ward list, open it with the arrow key, move three wards
    # down and choose with Enter.
    for _ in range(40):
        page.keyboard.press("Tab")
        label, role, in_sidebar = page.evaluate(
            "(() => { const e = document.activeElement; if (!e) return ['', '', false];"
            " return [e.getAttribute('aria-label') || '', e.getAttribute('role') || '',"
            " !!e.closest('[data-testid=stSidebar]')]; })()")
        if label.startswith("Selected Bablake") or (role == "combobox" and not in_sidebar):
            break
    else:
        pytest.fail("Tab never reached the ward list")
    highlighted = ""
    for _ in range(10):  # arrow down until Earlsdon (the fourth ward) is highlighted
        page.keyboard.press("ArrowDown")
        highlighted = page.evaluate(
            "(() => { const id = document.activeElement.getAttribute('aria-activedescendant');"
            " const el = id && document.getElementById(id); return el ? el.innerText : ''; })()"
        )
        if highlighted.strip() == "Earlsdon":
            break
    assert highlighted.strip() == "Earlsdon"
    with rerun(page):
        page.keyboard.press("Enter")
    main = page.locator("[data-testid=stMain]").inner_text()
    assert "Earlsdon is the" in main
    assert "life expectancy at birth was" in main
    page.screenshot(path=str(ARTIFACTS / "keyboard_profile.png"))


def test_postcode_result_is_announced(server, offline_page):
    page = offline_page
    open_page(page, server + "ward_profile")
    page.get_by_role("textbox", name="Or find a ward by postcode").fill("cv2 2dx")
    with rerun(page):
        page.get_by_role("button", name="Find my ward").click()
    # "was in" once the ward set has ended (May 2026): geo/postcodes.py's find, whatever the date of the run
    status = page.get_by_role("status").filter(has_text=re.compile(r"CV2 2DX (is|was) in Henley ward"))
    assert status.count() == 1  # a live region: screen readers read it out without moving focus
    page.get_by_role("textbox", name="Or find a ward by postcode").fill("SW1A 1AA")
    with rerun(page):
        page.get_by_role("button", name="Find my ward").click()
    assert page.get_by_role("alert").filter(has_text="SW1A 1AA is not a Coventry postcode").count() == 1
