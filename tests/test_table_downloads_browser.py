"""A table taken from Compare in a real browser opens as a spreadsheet would: CSV with a BOM, .xlsx with numbers.

Clicked as a visitor would, for Birmingham (any authority, not only Coventry): the groups by fifth under the gap
chart and the similar-authorities table, each as CSV then Excel, with the file names the browser is given.
"""

import io
from pathlib import Path

import pandas as pd
import pytest
from openpyxl import load_workbook

from tests.browser import download_page, idle, open_page, running_server, still

pytestmark = pytest.mark.browser
BOM = b"\xef\xbb\xbf"


@pytest.fixture(scope="module")
def server(national_built):
    with running_server({"EXPLORER_STORE_DIR": str(national_built[0])}) as url:
        yield url


@pytest.fixture
def page():
    with download_page() as opened:
        yield opened


def download(page, name: str) -> tuple[str, bytes]:
    """Click the button called ``name``; the file's suggested name and its bytes."""
    button = page.get_by_role("button", name=name, exact=True)
    button.wait_for(timeout=60000)
    idle(page)
    still(page)
    with page.expect_download(timeout=120000) as info:
        button.click()
    return info.value.suggested_filename, Path(info.value.path()).read_bytes()


def test_compare_tables_download_as_csv_and_excel_with_numbers(server, page):
    open_page(page, server + "compare?la=Birmingham&indicator=le_male")
    page.get_by_role("heading", name="Deprived and affluent Birmingham").wait_for(timeout=60000)

    name, csv = download(page, "Download the fifths (CSV)")
    assert name == "birmingham-life-expectancy-at-birth-men-by-fifth-2009-2013.csv"
    assert csv.startswith(BOM) and b"\r\n" in csv
    table = pd.read_csv(io.BytesIO(csv), encoding="utf-8-sig")
    assert table["group"].tolist() == [1, 2, 3, 4, 5] and table["authority_code"].eq("E08000025").all()
    assert table["value"].dtype == float and table["unit"].eq("years").all()

    name, xlsx = download(page, "Download the fifths (Excel)")
    assert name.endswith(".xlsx") and name.startswith("birmingham-life-expectancy-at-birth-men-by-fifth")
    book = load_workbook(io.BytesIO(xlsx))
    assert book.sheetnames == ["Groups (fifths)", "Sources", "Notes"]
    rows = list(book["Groups (fifths)"].iter_rows(values_only=True))
    header, body = rows[0], rows[1:]
    value, england = header.index("Value (years)"), header.index("England (years)")
    assert len(body) == 5 and all(isinstance(r[value], float) and isinstance(r[england], float) for r in body)
    assert [round(r[value], 6) for r in body] == table["value"].round(6).tolist()  # the CSV's figures

    name, xlsx = download(page, "Download similar authorities (Excel)")
    assert name.startswith("birmingham-life-expectancy-at-birth-men-gap-beside-similar-authorities")
    sheet = load_workbook(io.BytesIO(xlsx))["Similar authorities"]
    rows = list(sheet.iter_rows(values_only=True))
    distance = rows[0].index("Distance (similarity; 0 = this authority)")
    assert sum(isinstance(r[distance], float | int) for r in rows[1:]) >= 10
