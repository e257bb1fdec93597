"""What only a browser shows: the address after a switch of authority, Back and Forward, a ward link
in another case, the kiosk's staff screen, links in our words, the page when the server is down, and downloads
clicked quickly.

AppTest halves: tests/test_links_and_names.py (links and names) and tests/test_link_safety.py (no link in our words).
"""

from urllib.parse import quote

import pytest

from tests.browser import offline_browser_page, rerun, running_server, still

pytestmark = pytest.mark.browser

PIN = "2468"
EVIL = "Sign in again at https://evil.example/login"


@pytest.fixture(scope="module")
def server(national_built):
    with running_server({"EXPLORER_STORE_DIR": str(national_built[0]), "EXPLORER_KIOSK_PIN": PIN}) as url:
        yield url


@pytest.fixture
def page():
    with offline_browser_page(viewport={"width": 1366, "height": 900}, accept_downloads=True) as p:
        yield p


def open_at(page, address: str) -> None:
    with rerun(page):
        page.goto(address)


def pick_authority(page, name: str) -> None:
    with rerun(page):
        page.get_by_role("combobox", name="Local authority").click()
        page.keyboard.type(name)
        page.keyboard.press("Enter")


def ward_heading(page) -> str:
    return page.get_by_role("heading", level=2).first.inner_text()


def alerts(page) -> str:
    return " ".join(page.get_by_test_id("stAlert").all_inner_texts())


# --- A ward link in any case is the ward, and the address then names it ---------------------------------------------

def test_a_ward_link_in_lower_case_opens_the_ward_and_the_address_names_it(server, page):
    open_at(page, server + "ward_profile?ward=foleshill")
    page.wait_for_url("**/ward_profile?ward=Foleshill", timeout=30000)
    assert ward_heading(page) == "Foleshill" and "link asked" not in alerts(page)


# --- An icon beside words is not read aloud -------------------------------------------------------------------------

def test_my_areas_fact_headings_are_read_as_their_words_without_the_icon_names(server, page):
    """Streamlit labels a markdown icon "home icon"; static/icons.js hides it where words sit beside it."""
    open_at(page, server + "my_area?ward=Foleshill")
    page.get_by_role("heading", name="Money and jobs", exact=True).wait_for(timeout=30000)
    assert page.get_by_role("img", name="home icon").count() == 0


# --- A switch of authority, Back and Forward, and the kiosk ---------------------------------------------------------

def test_a_switch_drops_the_old_authoritys_ward_and_back_and_forward_step_between_authorities(server, page):
    """Was: the address kept ?ward=Foleshill&la=Birmingham, the page said "The link asked for ward “Foleshill”",
    and Back stayed on Birmingham."""
    open_at(page, server + "ward_profile?ward=Foleshill")
    assert ward_heading(page) == "Foleshill"
    pick_authority(page, "Birmingham")
    page.wait_for_url("**/ward_profile?la=Birmingham", timeout=30000)
    page.get_by_role("heading", name="Acocks Green").wait_for(timeout=30000)  # Birmingham's first ward
    assert "Foleshill" not in alerts(page) and "link asked" not in alerts(page)
    with rerun(page):
        page.go_back()
    page.wait_for_url("**/ward_profile?ward=Foleshill", timeout=30000)
    page.get_by_role("heading", name="Foleshill").wait_for(timeout=30000)
    assert page.title() == "Coventry inequality explorer"
    with rerun(page):
        page.go_forward()
    page.wait_for_url("**/ward_profile?la=Birmingham", timeout=30000)
    page.get_by_role("heading", name="Acocks Green").wait_for(timeout=30000)
    assert page.title() == "Birmingham inequality explorer" and not page.outside


def test_a_switch_keeps_what_the_new_authority_has_and_back_returns(server, page):
    open_at(page, server + "compare?a=Foleshill&b=Henley")
    pick_authority(page, "Cornwall")
    page.wait_for_url("**/compare?la=Cornwall", timeout=30000)
    assert "link asked" not in alerts(page)
    with rerun(page):
        page.go_back()
    page.wait_for_url("**/compare?a=Foleshill&b=Henley", timeout=30000)
    assert page.title() == "Coventry inequality explorer"


def test_the_kiosk_follows_its_setting_and_its_staff_screen_says_so(server):
    """Was: /kiosk?la=Birmingham silently showed Coventry."""
    with offline_browser_page(viewport={"width": 1080, "height": 1920}, has_touch=True) as kiosk:
        open_at(kiosk, server + "kiosk?la=Birmingham")
        kiosk.get_by_role("button", name="Start", exact=True).wait_for(timeout=30000)
        assert "Birmingham" not in kiosk.locator("[data-testid=stMain]").inner_text()  # visitors see Coventry only
        for _ in range(5):
            with rerun(kiosk):
                kiosk.get_by_role("button", name="Coventry: your area in numbers").tap()
        kiosk.get_by_role("heading", name="Staff").wait_for(timeout=30000)
        said = kiosk.locator("[data-testid=stAlertContentWarning]").all_inner_texts()
        assert any("“Birmingham” (?la=), but a kiosk follows its setting, not its address: it shows Coventry "
                   "(EXPLORER_LA is not set)" in s for s in said), said


# --- A link's text is never a link ----------------------------------------------------------------------------------

@pytest.mark.parametrize("path", [f"ward_profile?ward={quote(EVIL)}", f"compare?a={quote(EVIL)}",
                                  f"city_map?la={quote(EVIL)}", f"my_area?ward={quote(EVIL)}",
                                  "ward_profile?ward=" + quote("mailto:help@evil.example"),
                                  "ward_profile?ward=" + quote("see www.evil.example/login")])
def test_an_address_in_a_link_is_shown_as_text_never_as_a_link(server, page, path):
    """Was: the notice held a live link to https://evil.example/login (GitHub Markdown's autolink)."""
    open_at(page, server + path)
    page.get_by_test_id("stAlert").first.wait_for(timeout=30000)
    assert "evil.example" in alerts(page)  # named, so the reader knows what the link asked for
    for frame in page.frames:
        links = frame.eval_on_selector_all("a[href]", "links => links.map(a => a.href)")
        assert not [href for href in links if "evil" in href or href.startswith(("mailto:", "javascript:"))], links


# --- Our own words when the server is down ---------------------------------------------------------------------------

@pytest.mark.parametrize("path", ["ward_profile?ward=Henley", "compare", "about"])
def test_a_lost_server_shows_our_plain_words_and_the_page_carries_on_when_it_is_back(path):
    """Was: Streamlit's "Connection error ... restart it in your terminal: streamlit run yourscript.py"."""
    with offline_browser_page() as page:
        with running_server() as url:
            open_at(page, url + path)
            port = int(url.rsplit(":", 1)[1].strip("/"))
            running_server.process.terminate()
            running_server.process.wait(timeout=30)
            cover = page.locator("#explorer-offline")
            cover.wait_for(timeout=30000)
            assert "The explorer cannot be reached" in cover.inner_text() and cover.locator("a").count() == 0
            page.locator(".stDialog").wait_for(state="attached", timeout=60000)  # Streamlit's own, when it comes
            assert not page.locator(".stDialog").is_visible()
            assert not page.get_by_text("streamlit run", exact=False).is_visible()
            assert not page.get_by_text("Connection error").is_visible()
        with running_server(port=port):
            with rerun(page, timeout_s=120):
                pass  # the page opens again by itself, and is drawn from its address
            assert page.url == url + path and cover.count() == 0 and not page.outside


# --- Every click on a download gives its file ------------------------------------------------------------------------

def downloads(page, buttons: list, clicks: list[str]) -> dict[str, int]:
    """Click the buttons as listed ("click" or "double"), at once, and count the files received by name."""
    got: list[str] = []

    def received(download):
        got.append(download.suggested_filename)

    page.on("download", received)
    runs = page.runs.finished
    still(page)  # a click aimed at a button an expander is still pushing down lands beside it
    for button, how in zip(buttons, clicks, strict=True):
        (button.dblclick if how == "double" else button.click)()
    while len(got) < sum(2 if how == "double" else 1 for how in clicks):  # each click of a double click gives one
        page.wait_for_event("download", timeout=60000)
    page.remove_listener("download", received)  # a file that comes later is counted by the next call, as extra
    assert page.runs.finished == runs, "a click on a download started a run, which replaces every file's handle"
    assert not page.get_by_test_id("stDownloadButtonError").count(), page.get_by_test_id(
        "stDownloadButtonError").all_inner_texts()
    return {name: got.count(name) for name in set(got)}


def test_csv_then_excel_quickly_and_double_clicks_each_give_their_file(server, page):
    """Was: a quick second click sometimes gave no file ("Deferred file ... not found" in the server log)."""
    open_at(page, server + "compare")
    page.get_by_text("Every indicator: gap, slope index and relative index").click()
    csv = page.get_by_role("button", name="Download this table (CSV)")
    xlsx = page.get_by_role("button", name="Download this table (Excel)")
    csv.wait_for()
    got = downloads(page, [csv, xlsx, csv, xlsx], ["click", "click", "double", "double"])
    name = "coventry-every-indicator-gap-by-fifth"
    assert got == {f"{name}.csv": 3, f"{name}.xlsx": 3}, got  # a double click is two
    got = downloads(page, [xlsx, csv, xlsx], ["click", "click", "click"])
    assert got == {f"{name}.xlsx": 2, f"{name}.csv": 1}, got


def test_the_profiles_three_downloads_clicked_at_once_each_give_their_file(server, page):
    open_at(page, server + "ward_profile?ward=Henley")
    labels = ["Every indicator for this ward (CSV)", "Every indicator for this ward (Excel)",
              "One-page printable briefing (HTML)"]
    buttons = [page.get_by_role("button", name=label) for label in labels]
    buttons[0].wait_for()
    got = downloads(page, buttons, ["click", "click", "click"])
    assert got == {"coventry-henley-ward-profile.csv": 1, "coventry-henley-ward-profile.xlsx": 1,
                   "coventry-henley-ward-briefing.html": 1}, got
