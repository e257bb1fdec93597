"""What people take away, in headless Chromium: the printed briefing keeps its colours, and downloads open in Excel.

Files are downloaded from the pages' own buttons, as a visitor would.
"""

import io
import re
import shutil
import subprocess
import zlib
from pathlib import Path

import pytest
from openpyxl import load_workbook

from tests.browser import ARTIFACTS, download_page, idle, open_page, running_server, still

pytestmark = pytest.mark.browser
BOM = b"\xef\xbb\xbf"


@pytest.fixture(scope="module")
def server():
    with running_server() as url:
        yield url


@pytest.fixture
def page():
    with download_page() as opened:
        yield opened


def download(page, name: str) -> bytes:
    button = page.get_by_role("button", name=name, exact=True)
    button.wait_for(timeout=60000)
    idle(page)  # the page has finished its runs, so the button is the final one
    still(page)  # and it has stopped moving (an expander opening pushes it down)
    with page.expect_download(timeout=120000) as info:
        button.click()
    return Path(info.value.path()).read_bytes()


def fill_colours(pdf: bytes) -> set[tuple[int, int, int]]:
    """Every colour a PDF's pages fill with (``r g b rg`` in its content streams), as 0-255 triples."""
    found = set()
    for stream in re.finditer(rb"stream\r?\n(.*?)\r?\nendstream", pdf, re.DOTALL):
        try:
            content = zlib.decompress(stream.group(1))
        except zlib.error:  # fonts and images
            continue
        for r, g, b in re.findall(rb"([\d.]+) ([\d.]+) ([\d.]+) rg\b", content):
            found.add(tuple(round(float(x) * 255) for x in (r, g, b)))
    return found


def rgb(colour: str) -> tuple[int, int, int]:
    return tuple(int(colour.lstrip("#")[i:i + 2], 16) for i in (0, 2, 4))


def test_printed_briefing_keeps_every_legend_colour(server, page, registry, values):
    """Printed with the browser's defaults (background graphics off), the legend still shows its 6 colours."""
    import geopandas as gpd

    from explorer.models.citymap import small_area_view
    from explorer.stats.classify import NO_DATA_COLOUR
    from tests.conftest import PROCESSED

    view = small_area_view(values, gpd.read_parquet(PROCESSED / "lsoa21.parquet"), registry["imd25_score"], "lsoa21")
    legend = [*view.classes.colours, NO_DATA_COLOUR]
    assert len(legend) == 6
    open_page(page, server + "ward_profile?ward=Foleshill")
    page.get_by_role("heading", name="Foleshill", exact=True).wait_for(timeout=60000)
    document = download(page, "One-page printable briefing (HTML)").decode("utf-8")

    printer = page.context.new_page()
    printer.set_content(document)
    whole = printer.pdf(format="A4", print_background=False)
    saved = ARTIFACTS / "briefing_printed_no_backgrounds"
    saved.with_suffix(".pdf").write_bytes(whole)
    if shutil.which("pdftoppm"):  # a picture of the printed page to look at (poppler-utils)
        subprocess.run(["pdftoppm", "-r", "110", "-png", "-singlefile", str(saved.with_suffix(".pdf")), str(saved)],
                       check=True, timeout=60)
    # Hide the map, which shares the legend's colours: whatever colour is still printed comes from the legend.
    printer.add_style_tag(content="svg[role=img] {visibility: hidden !important}")
    printed = fill_colours(printer.pdf(format="A4", print_background=False))
    missing = [c for c in legend if not any(max(abs(a - b) for a, b in zip(rgb(c), p, strict=True)) <= 1
                                            for p in printed)]
    assert missing == [], f"legend colours lost in print: {missing}"


def test_downloads_open_in_excel_with_numbers_units_and_sources(server, page):
    open_page(page, server + "city_map?theme=Air+quality")
    page.get_by_role("heading", name="All wards").wait_for(timeout=60000)
    csv = download(page, "Download this table (CSV)")
    assert csv.startswith(BOM) and b"\r\n" in csv and "µg/m³" in csv.decode("utf-8-sig")
    book = load_workbook(io.BytesIO(download(page, "Download this table (Excel)")))
    assert book.sheetnames == ["Wards", "Sources", "Notes"]
    header = [c.value for c in book["Wards"][1]]
    values = [c.value for c in book["Wards"]["D"][1:]]
    assert header[3] == "Value (µg/m³ annual mean)" and len(values) == 18
    assert all(isinstance(v, float) for v in values)

    open_page(page, server + "ward_profile?ward=Foleshill")
    page.get_by_role("heading", name="Foleshill", exact=True).wait_for(timeout=60000)
    assert download(page, "Every indicator for this ward (CSV)").startswith(BOM)
    book = load_workbook(io.BytesIO(download(page, "Every indicator for this ward (Excel)")))
    sheet = book["Ward profile"]
    value = [c.value for c in sheet[1]].index("This ward (unit in column H)")
    body = list(sheet.iter_rows(min_row=2))
    assert len(body) >= 20 and all(isinstance(row[value].value, float) for row in body)
    assert book["Sources"].max_row == sheet.max_row  # a source row for each indicator row

    open_page(page, server + "compare")
    page.get_by_role("heading", name="Deprived and affluent Coventry").wait_for(timeout=60000)
    page.get_by_text("Every indicator: gap, slope index and relative index").click()  # an expander: no run
    book = load_workbook(io.BytesIO(download(page, "Download this table (Excel)")))
    header = [c.value for c in book["Gaps"][1]]
    sii, why = header.index("Slope index of inequality (unit in column D)"), header.index("Why a figure is empty")
    # Numbers are numbers; an empty slope index says why (a part of the deprivation index, or a bare count).
    body = list(book["Gaps"].iter_rows(min_row=2))
    assert len(body) >= 10 and all(isinstance(row[sii].value, float) or (row[sii].value is None and row[why].value)
                                   for row in body)
    assert book["Sources"].max_row == book["Gaps"].max_row
