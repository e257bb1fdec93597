"""Tables that fit and charts that read, in headless Chromium at 1366 x 768 and on a 390 x 844 phone.

Key columns without sideways scrolling, nothing cut on a phone, a trend chart
with a y scale, the compare scatter marking the two chosen wards, and Compare opening on an outcome.
"""

import re

import pytest

from explorer.registry import load_registry
from tests.browser import ARTIFACTS, offline_browser, open_page, running_server
from tests.conftest import DATA

pytestmark = pytest.mark.browser
REGISTRY = load_registry(DATA / "registry" / "indicators.csv")
WIDE, PHONE = {"width": 1366, "height": 768}, {"width": 390, "height": 844}
GAPS = "Every indicator: gap, slope index and relative index"


@pytest.fixture(scope="module")
def server():
    with running_server() as url:
        yield url


@pytest.fixture(scope="module")
def new_page():
    with offline_browser() as make:
        yield make


def open_at(new_page, url: str, viewport: dict):
    """A new page at ``viewport`` showing ``url``, its first run finished and drawn."""
    page = new_page(viewport=viewport)
    open_page(page, url)
    page.locator("[data-testid=stMain] h1").first.wait_for(timeout=60000)
    return page


def table_with(page, header: str):
    """The HTML table (explorer/models/tables.py) that has a column headed ``header``."""
    table = page.locator(".xt").filter(has=page.get_by_role("columnheader", name=header, exact=True)).first
    table.wait_for(timeout=30000)
    return table


def within_width(locator, width: int) -> bool:
    box = locator.bounding_box()
    return box is not None and box["x"] >= 0 and box["x"] + box["width"] <= width + 0.5


def key_columns_fit(page, header: str, keys: list[str]) -> list[str]:
    """The key columns (headers) of a table that lie outside the 1366 px viewport, and sideways scrolling."""
    table = table_with(page, header)
    table.scroll_into_view_if_needed()
    off = [key for key in keys if not within_width(table.get_by_role("columnheader", name=key, exact=True), 1366)]
    if not table.evaluate("e => e.scrollWidth <= e.clientWidth + 1"):
        off.append("(the table scrolls sideways)")
    return off


def test_profile_table_key_columns_are_within_1366_px(server, new_page):
    page = open_at(new_page, server + "ward_profile?ward=Foleshill", WIDE)
    keys = ["Indicator", "This ward", "95% CI", "Coventry", "England", "Compared with Coventry"]
    assert key_columns_fit(page, "England", keys) == []
    table = table_with(page, "England")
    rows = sum(ind.on_ward_map for ind in REGISTRY.values())
    assert table.locator("tr.r").count() == rows  # every indicator, none behind an inner scroll bar
    life = table.get_by_role("rowheader").filter(has_text=re.compile(r"^Life expectancy at birth: men"))
    assert life.count() == 1
    life.scroll_into_view_if_needed()
    page.screenshot(path=str(ARTIFACTS / "layout_profile_table_1366.png"))
    page.context.close()


def test_compare_tables_key_columns_and_group_labels_are_whole_at_1366_px(server, new_page):
    page = open_at(new_page, server + "compare?a=Foleshill&b=Wainbody&groups=Tenths+%28deciles%29", WIDE)
    assert key_columns_fit(page, "Which is better", ["Indicator", "Foleshill", "Wainbody", "Difference",
                                                      "Which is better"]) == []
    groups = table_with(page, "Group")
    for label in ("1 (most deprived)", "10 (least deprived)"):
        cell = groups.get_by_role("rowheader", name=label, exact=True)
        assert cell.count() == 1 and within_width(cell, 1366)
        assert cell.evaluate("e => e.scrollWidth <= e.clientWidth + 1"), f"{label} is cut"
    page.get_by_text(GAPS).click()  # an expander: opened in the browser, no run
    table_with(page, "SII (most − least, 95% CI)").wait_for(state="visible")
    assert key_columns_fit(page, "SII (most − least, 95% CI)", [
        "Indicator", "Most deprived", "Least deprived", "Gap (most − least)", "SII (most − least, 95% CI)",
        "RII (least ÷ most, 95% CI)"]) == []
    table_with(page, "SII (most − least, 95% CI)").scroll_into_view_if_needed()
    page.screenshot(path=str(ARTIFACTS / "layout_gap_table_1366.png"))
    page.context.close()


CUT = """() => {
  const width = document.documentElement.clientWidth;
  const out = [];
  for (const table of document.querySelectorAll('.xt')) {
    if (!table.offsetParent) continue;  // in a closed expander
    if (table.scrollWidth > table.clientWidth + 1) out.push('scrolls sideways: ' + table.innerText.slice(0, 60));
    for (const cell of table.querySelectorAll('tbody th, tbody td')) {
      const box = cell.getBoundingClientRect();
      if (box.width && (box.left < -0.5 || box.right > width + 0.5)) out.push('cut: ' + cell.innerText.slice(0, 40));
      if (cell.scrollWidth > cell.clientWidth + 1) out.push('runs out of its cell: ' + cell.innerText.slice(0, 40));
    }
  }
  const main = document.querySelector('[data-testid=stMain]');
  if (main.scrollWidth > main.clientWidth + 1) out.push('the page scrolls sideways');
  return out;
}"""


@pytest.mark.parametrize("path", ["ward_profile?ward=Foleshill", "compare?a=Foleshill&b=Wainbody",
                                  "priorities", "city_map?theme=Health&indicator=Life+expectancy+at+birth%3A+men"])
def test_on_a_390_px_phone_no_table_is_cut_or_scrolls_sideways(server, new_page, path):
    page = open_at(new_page, server + path, PHONE)
    if path.startswith("compare"):
        page.get_by_text(GAPS).click()  # an expander: opened in the browser, no run
        table_with(page, "SII (most − least, 95% CI)").wait_for(state="visible")
    tables = page.locator(".xt")
    tables.first.wait_for(timeout=60000)  # a busy machine may draw the page's tables after its title
    assert page.evaluate(CUT) == []
    # The rows are blocks, each cell with its header: the header row is out of sight, the words are not.
    first = tables.first
    assert first.locator("thead").bounding_box()["width"] <= 1
    assert first.evaluate("e => getComputedStyle(e.querySelector('tbody td'), '::before').content").startswith('"')
    first.scroll_into_view_if_needed()
    name = re.sub(r"\W+", "_", path.split("?")[0])
    page.screenshot(path=str(ARTIFACTS / f"layout_{name}_390.png"))
    page.context.close()


def texts(locator) -> list[str]:
    """The text of each SVG element (SVG has no innerText)."""
    return locator.evaluate_all("els => els.map(e => e.textContent)")


def chart_svg(page, containing: str):
    """The SVG of the Vega-Lite chart whose text includes ``containing``."""
    charts = page.locator("svg.marks").filter(has_text=containing)
    charts.first.wait_for(timeout=30000)
    return charts.first


def test_priorities_trend_chart_has_a_y_scale_and_its_whole_unit(server, new_page):
    page = open_at(new_page, server + "priorities", WIDE)
    page.get_by_role("heading", name="Is it getting better?").scroll_into_view_if_needed()
    svg = chart_svg(page, "IoD 2019")
    labels = texts(svg.locator("g.role-axis-label text"))
    ticks = [t for t in labels if re.fullmatch(r"[\d,]+", t)]
    assert len(set(ticks)) >= 2, f"no y scale: axis labels {labels}"
    assert {"IoD 2015", "IoD 2019", "IoD 2025"} <= set(labels)
    title = " ".join(texts(svg.locator("g.role-title text")))
    # Every word of the unit, on two lines (each line is its own text span, so compare without spaces).
    assert "".join(title.split()) == "".join("neighbourhoods (LSOAs) in England's most deprived 10%".split())
    line = svg.locator("g.mark-line path").first.bounding_box()
    assert line["height"] > 40, "the line is drawn flat"  # 36, 28, 36
    svg.scroll_into_view_if_needed()
    page.screenshot(path=str(ARTIFACTS / "layout_priorities_trend_1366.png"))
    page.context.close()


def test_compare_opens_on_an_outcome_and_its_scatter_marks_the_two_chosen_wards(server, new_page):
    page = open_at(new_page, server + "compare?a=Foleshill&b=Wainbody", WIDE)
    shown = page.get_by_role("combobox", name="Indicator", exact=True).input_value()
    ind = next(i for i in REGISTRY.values() if i.label == shown)
    assert ind.ordering_family == "", f"Compare opens on {shown}, part of a deprivation index"
    assert "rank correlation between deprivation and Index of Multiple Deprivation" not in page.locator(
        "[data-testid=stMain]").inner_text()
    page.get_by_role("heading", name="Deprivation and this indicator, ward by ward").scroll_into_view_if_needed()
    svg = chart_svg(page, "Wainbody")
    assert sorted(texts(svg.locator("g.role-mark text"))) == ["Foleshill", "Wainbody"]
    assert svg.locator('g.mark-symbol path[fill="#d55e00"]').count() == 2
    assert svg.locator("g.mark-symbol path").count() == 18
    axis = " ".join(texts(svg.locator("g.role-axis-title text")))
    assert "Index of Multiple Deprivation 2025" in axis
    svg.scroll_into_view_if_needed()
    page.screenshot(path=str(ARTIFACTS / "layout_compare_scatter_1366.png"))
    page.context.close()
