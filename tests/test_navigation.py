"""Addresses and Back, in headless Chromium: every view opens from its link, and Back steps through views.

Each first visit uses a fresh browser context (a new tab with no history, cookies or session).
"""

import re
from urllib.parse import parse_qs, urlsplit

import pytest

from tests.browser import (
    ARTIFACTS,
    LOCAL_HOSTS,
    idle,
    map_frame,
    offline_browser_page,
    open_page,
    rerun,
    running_server,
    watch,
)
from tests.conftest import REPO

pytestmark = pytest.mark.browser
OUTSIDE: list[str] = []
CLIMATE = "Tackling the causes and consequences of climate change"
# Share links: what the pages put in the address (README paths and the menu's are added below). Streamlit leaves a
# value that is the widget's default out of the address, so the links the app makes never carry one.
SHARE_LINKS = [
    "city_map?theme=Health",
    "city_map/",
    "city_map?theme=Air+quality&indicator=Background+fine+particles+%28PM2.5%29+concentration&small_areas=true",
    "ward_profile?ward=Foleshill",
    "ward_profile?ward=St+Michael%27s",
    "compare?a=Foleshill&b=Wainbody",
    "my_area?ward=Earlsdon",
    f"priorities?priority={CLIMATE.replace(' ', '+')}&reach_m=1200&provision_types=Library",
]


def readme_paths() -> list[str]:
    """Every app address written in the README (placeholders such as ``ward=...`` left out)."""
    found = re.findall(r"`/([a-z_]*(?:\?[^`\s]*)?)`", (REPO / "README.md").read_text())
    return sorted({path for path in found if "..." not in path})


@pytest.fixture(scope="module")
def server():
    with running_server() as url:
        yield url


@pytest.fixture(scope="module")
def browser_context_factory():
    """New contexts (fresh tabs) of one offline Chromium: requests off this machine are blocked and recorded."""
    with offline_browser_page() as page:
        browser = page.context.browser

        def guard(route):
            if (urlsplit(route.request.url).hostname or "") in LOCAL_HOSTS or route.request.url.startswith(
                    ("data:", "blob:", "about:")):
                route.continue_()
            else:
                OUTSIDE.append(route.request.url)
                route.abort()

        def fresh(**options):
            options.setdefault("viewport", {"width": 1366, "height": 768})
            context = browser.new_context(**options)
            context.route("**/*", guard)
            return context

        yield fresh
    assert OUTSIDE == [], f"requests left this machine: {OUTSIDE[:5]}"


def shown(page, label: str) -> str:
    """The option a select box shows."""
    return page.get_by_role("combobox", name=label, exact=True).input_value()


def open_fresh(new_context, url: str):
    """Open ``url`` in a new tab of a new context and wait until its script has run."""
    context = new_context()
    page = watch(context.new_page())
    open_page(page, url)
    page.locator("[data-testid=stMain] h1").first.wait_for(timeout=60000)
    return context, page


def menu_paths(new_context, server: str) -> list[str]:
    context, page = open_fresh(new_context, server + "about")
    hrefs = page.locator("[data-testid=stSidebarNav] a").evaluate_all("links => links.map(a => a.href)")
    context.close()
    return [href.removeprefix(server) for href in hrefs]


def test_every_path_opens_cleanly_on_a_first_visit_with_its_query(server, browser_context_factory):
    # The first request this server sees is a deep link to the home page's own address.
    paths = list(dict.fromkeys([*SHARE_LINKS, *readme_paths(), ""]))
    assert {"city_map", "ward_profile", "compare", "my_area", "priorities", "about", "accessibility", "kiosk"} <= set(
        paths), paths
    problems = []

    def first_visit(path: str) -> None:
        context, page = open_fresh(browser_context_factory, server + path)
        asked, got = urlsplit(server + path), urlsplit(page.url)
        if page.get_by_text("Page not found").count() or page.get_by_role("dialog").count():
            problems.append(f"/{path}: a dialog covers the page")
        if got.path.rstrip("/") != asked.path.rstrip("/"):
            problems.append(f"/{path}: the address became {got.path}")
        if parse_qs(got.query) != parse_qs(asked.query):
            problems.append(f"/{path}: the query became {got.query!r}")
        if path == "city_map?theme=Health":
            assert shown(page, "Theme") == "Health"
            page.screenshot(path=str(ARTIFACTS / "first_visit_city_map_health.png"))
        context.close()

    first_visit(paths[0])
    paths += [path for path in menu_paths(browser_context_factory, server) if path not in paths]
    for path in paths[1:]:
        first_visit(path)
    assert problems == []
    print(f"{len(paths)} paths opened on a first visit: " + ", ".join("/" + p for p in paths))


def choose(page, label: str, option: str) -> None:
    box = page.get_by_role("combobox", name=label, exact=True)
    box.click()
    box.fill(option)  # filter the (virtualised) list so the option is drawn
    with rerun(page):
        page.get_by_role("option", name=option, exact=True).click()
        page.keyboard.press("Escape")  # closes a multiselect's list; not a choice
    idle(page)


def wait_for_url(page, pattern: str) -> None:
    """Wait for the address the app's runs write, and for those runs to end."""
    page.wait_for_url(re.compile(pattern), timeout=30000)
    idle(page)


def test_back_after_two_ward_changes_returns_to_the_previous_ward(server, browser_context_factory):
    context, page = open_fresh(browser_context_factory, server + "ward_profile?ward=Foleshill")
    choose(page, "Ward", "Radford")
    wait_for_url(page, r"ward=Radford$")
    choose(page, "Ward", "Wainbody")
    wait_for_url(page, r"ward=Wainbody$")
    page.get_by_role("heading", name="Wainbody", exact=True).wait_for(timeout=30000)
    page.go_back()
    page.get_by_role("heading", name="Radford", exact=True).wait_for(timeout=30000)
    assert page.url == server + "ward_profile?ward=Radford"
    assert shown(page, "Ward") == "Radford"
    page.go_back()
    page.get_by_role("heading", name="Foleshill", exact=True).wait_for(timeout=30000)
    assert page.url == server + "ward_profile?ward=Foleshill"
    page.go_forward()
    page.get_by_role("heading", name="Radford", exact=True).wait_for(timeout=30000)
    context.close()


def compared(page) -> tuple[str, str]:
    return shown(page, "First ward"), shown(page, "Second ward")


def test_back_after_a_page_switch_restores_the_comparison(server, browser_context_factory):
    context, page = open_fresh(browser_context_factory, server + "compare?a=Foleshill&b=Wainbody")
    assert compared(page) == ("Foleshill", "Wainbody")
    with rerun(page):
        page.locator("[data-testid=stSidebarNav]").get_by_role("link", name="Ward profile").click()
    page.get_by_role("heading", name="Ward profile").wait_for(timeout=30000)
    with rerun(page):
        page.go_back()
    wait_for_url(page, r"/compare\?a=Foleshill&b=Wainbody$")
    page.get_by_role("heading", name="Two wards side by side").wait_for(timeout=30000)
    assert compared(page) == ("Foleshill", "Wainbody")
    # Returning by the menu keeps the choices too, and the address says so.
    with rerun(page):
        page.go_forward()
    page.get_by_role("heading", name="Ward profile").wait_for(timeout=30000)
    page.locator("[data-testid=stSidebarNav]").get_by_role("link", name="Compare").click()
    wait_for_url(page, r"/compare\?a=Foleshill&b=Wainbody$")
    assert compared(page) == ("Foleshill", "Wainbody")
    context.close()


def priorities_view(page) -> dict:
    """What defines the need-and-provision view: every slider, the provision types and the flagged wards."""
    page.locator(".st-key-provision_types .react-aria-ComboBox [data-tag]").first.wait_for(timeout=60000)
    page.get_by_text("High need, low provision").or_(page.get_by_text("No ward is both")).first.wait_for(timeout=60000)
    sliders = page.locator("[data-testid=stSlider] input[type=range]")
    return {
        "sliders": {sliders.nth(i).get_attribute("aria-label"): sliders.nth(i).input_value()
                    for i in range(sliders.count())},
        "types": page.locator(".st-key-provision_types .react-aria-ComboBox [data-tag]").evaluate_all(
            "tags => tags.map(t => t.getAttribute('aria-label'))"),
        "table": page.locator("[data-testid=stMain]").inner_text().split("Need against provision")[1].split(
            "Interventions on the map")[0],
    }


def press_right(page, key: str, times: int) -> None:
    page.locator(f".st-key-{key} input[type=range]").focus()
    with rerun(page):
        for _ in range(times):
            page.keyboard.press("ArrowRight")
    idle(page)


def test_a_priorities_link_reproduces_weights_types_and_distance(server, browser_context_factory):
    context, page = open_fresh(browser_context_factory, server + "priorities")
    page.locator(".st-key-reach_m").wait_for(timeout=60000)
    default = priorities_view(page)
    assert default["types"] == ["Library", "Family hub"]
    choose(page, "Count as provision", "GP practice")
    press_right(page, "reach_m", 3)
    press_right(page, "w_imd25_income", 2)
    wait_for_url(page, r"w_imd25_income=3")
    query = parse_qs(urlsplit(page.url).query)
    assert query["provision_types"] == ["Library", "Family hub", "GP practice"]
    assert query["reach_m"] == ["1100"] and query["w_imd25_income"] == ["3"]
    chosen = priorities_view(page)
    assert chosen["types"] == ["Library", "Family hub", "GP practice"] and chosen != default
    link = page.url

    other, fresh = open_fresh(browser_context_factory, link)
    fresh.locator(".st-key-reach_m").wait_for(timeout=60000)
    assert priorities_view(fresh) == chosen, "the link gives a different view"
    other.close()

    # Switching priority opens it with its own defaults, and its link says only which priority.
    choose(page, "One Coventry Plan 2022-2030", CLIMATE)
    page.locator(".st-key-w_no2_background").wait_for(timeout=60000)
    wait_for_url(page, r"/priorities\?priority=[^&]+$")
    switched = priorities_view(page)
    assert switched["types"] == ["EV charge point", "Waste drop site"]
    assert set(switched["sliders"].values()) == {"1", "800"}
    other, fresh = open_fresh(browser_context_factory, page.url)
    fresh.locator(".st-key-reach_m").wait_for(timeout=60000)
    assert priorities_view(fresh) == switched
    other.close()

    with rerun(page):
        page.go_back()
    page.locator(".st-key-w_imd25_income").wait_for(timeout=60000)
    idle(page)
    assert page.url == link and priorities_view(page) == chosen
    context.close()


def test_the_kiosk_keeps_nothing_in_the_address_or_the_history(server, browser_context_factory):
    context = browser_context_factory(viewport={"width": 1080, "height": 1920}, has_touch=True)
    page = watch(context.new_page())
    open_page(page, server + "kiosk")
    page.get_by_role("button", name="Start", exact=True).wait_for(timeout=30000)
    start = page.evaluate("history.length")
    assert page.evaluate("window.__explorerHistory === undefined"), "the kiosk loaded the history script"
    for name in ("Start", "Pick from a list", "Foleshill", "Look at another area", "Pick from a list", "Wainbody"):
        with rerun(page):
            page.get_by_role("button", name=name, exact=True).first.tap()
    page.get_by_role("heading", name="Wainbody").wait_for(timeout=30000)
    assert page.url == server + "kiosk"
    assert page.evaluate("history.length") == start
    context.close()


def test_clicking_a_ward_on_the_city_map_opens_its_profile(server, browser_context_factory):
    context, page = open_fresh(browser_context_factory, server + "city_map")
    frame = map_frame(page, 30)
    assert frame is not None
    names = frame.locator(".area-name span")
    assert names.count() == 18
    shown = names.evaluate_all("spans => spans.filter(s => s.style.visibility !== 'hidden').map(s => s.textContent)")
    assert len(shown) == 18, f"at 1366 px every ward is named on the map: {shown}"
    sent: list[str] = []
    page.on("websocket", lambda ws: ws.on("framesent", lambda payload: sent.append(str(payload)[:80])))
    paths = frame.locator("path.leaflet-interactive")
    for i in range(paths.count()):  # the ward whose tooltip names Foleshill, and what the tooltip says
        paths.nth(i).dispatch_event("mouseover")
        tip = " ".join(frame.locator(".leaflet-tooltip").all_inner_texts())
        paths.nth(i).dispatch_event("mouseout")
        if tip.startswith("Foleshill"):
            break
    assert "50.2 (score)" in tip and "Coventry: 27.5 (score)" in tip, f"the tooltip gives no unit: {tip!r}"
    paths.nth(i).dispatch_event("click")
    link = frame.locator(".leaflet-popup-content a", has_text="Open the Foleshill ward profile")
    link.wait_for(timeout=10000)
    assert sent == [], "opening a popup must not re-run the page"
    page.screenshot(path=str(ARTIFACTS / "city_map_popup.png"))
    link.click()
    page.wait_for_url(server + "ward_profile?ward=Foleshill", timeout=30000)
    page.get_by_role("heading", name="Foleshill", exact=True).wait_for(timeout=30000)
    assert OUTSIDE == []
    context.close()
