"""In a real browser: a map's and a chart's PNG and SVG download and open, with the legend the page shows
(issue 25, item 2)."""

import html
import io
import re
from pathlib import Path

import pytest
from PIL import Image

from explorer.models.pictures import MAP_SIZE
from tests.browser import ARTIFACTS, download_page, idle, open_page, rerun, running_server, still

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def server():
    with running_server() as url:
        yield url


@pytest.fixture
def page():
    with download_page() as opened:
        yield opened


def make_and_download(page, what: str, nth: int = 0) -> tuple[bytes, str, str, str]:
    """Press "Make a picture of this <what>", then download its PNG and SVG: (png, svg, png name, svg name)."""
    make = page.get_by_role("button", name=f"Make a picture of this {what} (PNG and SVG)").nth(nth)
    make.scroll_into_view_if_needed()
    idle(page)
    with rerun(page, 120):
        make.click()
    files = []
    for kind in ("PNG", "SVG"):
        button = page.get_by_role("button", name=re.compile(rf"^Download this {what} \({kind}")).nth(nth)
        button.scroll_into_view_if_needed()
        still(page)
        with page.expect_download(timeout=120000) as info:
            button.click()
        files.append((Path(info.value.path()).read_bytes(), info.value.suggested_filename))
    (png, png_name), (svg, svg_name) = files
    return png, svg.decode("utf-8"), png_name, svg_name


def words(svg: str) -> str:
    texts = [re.sub(r"<[^>]+>", " ", inner) for inner in re.findall(r"<text[^>]*>(.*?)</text>", svg, re.S)]
    return " ".join(html.unescape(" ".join(texts)).split())


def test_map_picture_downloads_with_the_legend_the_page_shows(server, page):
    open_page(page, f"{server}?indicator=imd25_score", 120)
    shown = [" ".join(t.split()) for t in page.locator(".legend li").all_inner_texts()]
    assert len(shown) >= 3 and shown[-1].startswith("No data")
    png, svg, png_name, svg_name = make_and_download(page, "map")
    (ARTIFACTS / "picture-map.png").write_bytes(png)
    image = Image.open(io.BytesIO(png))
    assert image.format == "PNG" and image.size == MAP_SIZE
    # named as every table download is (downloads.file_name): authority, what it shows, the date its data run to
    stem = "coventry-index-of-multiple-deprivation-2025-average-score-map-by-ward-iod2025"
    assert (png_name, svg_name) == (f"{stem}.png", f"{stem}.svg")
    drawn = words(svg)
    for entry in shown:  # "6.4 to 8.8 (2 areas)", …, "No data (0)": the same classes and counts
        assert entry in drawn, (entry, drawn[:400])
    for swatch in page.locator(".legend li .sw:not(.nodata)").evaluate_all(
            "els => els.map(e => getComputedStyle(e).backgroundColor)"):
        r, g, b = (int(v) for v in re.findall(r"\d+", swatch)[:3])
        assert f"fill: #{r:02x}{g:02x}{b:02x};" in svg
    assert "Coventry: Index of Multiple Deprivation 2025" in drawn and "Source: MHCLG" in drawn


def test_chart_picture_downloads_with_its_title_legend_and_source(server, page):
    open_page(page, f"{server}?indicator=le_female", 120)
    page.get_by_role("heading", name="Coventry over time").wait_for(timeout=60000)
    png, svg, png_name, svg_name = make_and_download(page, "chart")
    (ARTIFACTS / "picture-chart.png").write_bytes(png)
    image = Image.open(io.BytesIO(png))
    assert image.format == "PNG" and image.size[0] >= 1280
    # as its table's file with "chart": coventry-life-expectancy-at-birth-women-over-time-<date>.csv
    assert re.fullmatch(r"coventry-life-expectancy-at-birth-women-over-time-chart-\d{4}(-\d{2,4})?\.png", png_name), \
        png_name
    assert svg_name == png_name.replace(".png", ".svg")
    drawn = words(svg)
    assert "Coventry: Life expectancy at birth" in drawn and "Source:" in drawn
    for area in ("Coventry", "England"):  # the chart's legend: one line per area
        assert re.search(rf'<text[^>]*>{area}</text>', svg)
