"""Downloads open right in Excel: CSV with a byte-order mark and CRLF, .xlsx with numbers, units and sources."""

import datetime as dt
import io

import pandas as pd
import pytest
from openpyxl import load_workbook

from explorer.models.about import read_manifest
from explorer.models.citymap import ward_csv, ward_export, ward_table
from explorer.models.export import gaps_csv, gaps_workbook, profile_workbook, sources_table, ward_workbook, workbook
from explorer.models.profile import profile_csv, profile_export, profile_table
from explorer.models.text import FORMULA_START
from explorer.stats.gaps import gap_summary
from tests.conftest import DATA, PROCESSED

BOM = b"\xef\xbb\xbf"
FOLESHILL = "E05001222"


@pytest.fixture(scope="module")
def manifest():
    return read_manifest(DATA / "sources.csv")


@pytest.fixture(scope="module")
def summary(registry, values):
    """The gap table for three indicators (IMD 2025 itself gets no slope index: it orders the areas)."""
    few = {key: registry[key] for key in ("imd25_score", "le_male", "no2_background")}
    return gap_summary(few, values, pd.read_csv(PROCESSED / "lookups.csv"), pd.read_csv(PROCESSED / "lsoa_weights.csv"))


def opened(data: bytes):
    return load_workbook(io.BytesIO(data))


def rows(sheet) -> list[list]:
    return [list(r) for r in sheet.iter_rows(values_only=True)]


def test_every_csv_starts_with_the_byte_order_mark_and_ends_lines_with_crlf(registry, values, wards, summary):
    ind = registry["no2_background"]
    downloads = {
        "ward table": ward_csv(ward_table(values, wards, ind, "Coventry"), ind),
        "profile": profile_csv(FOLESHILL, "Foleshill", profile_table(FOLESHILL, registry, values)),
        "gap table": gaps_csv(summary, 5),
    }
    for name, data in downloads.items():
        assert data.startswith(BOM), name
        body = data[len(BOM):]
        assert body.count(b"\r\n") == body.count(b"\n") > 1, f"{name}: every line ends CRLF"
        assert BOM not in body, name
    text = downloads["ward table"].decode("utf-8-sig")
    assert "µg/m³ annual mean" in text and "Âµ" not in text
    # What Excel shows without the mark (it reads cp1252): the mojibake of the issue.
    assert "Âµg/mÂ³" in downloads["ward table"][len(BOM):].decode("cp1252")
    assert list(pd.read_csv(io.BytesIO(downloads["ward table"])).columns)[0] == "ward_code"


def test_the_ward_table_workbook_holds_numbers_units_and_sources(registry, values, wards, manifest):
    ind = registry["no2_background"]
    frame = ward_export(ward_table(values, wards, ind, "Coventry"), ind)
    book = opened(ward_workbook(frame, ind, manifest, today=dt.date(2026, 5, 1)))
    assert book.sheetnames == ["Wards", "Sources", "Notes"]
    table = rows(book["Wards"])
    header, body = table[0], table[1:]
    assert len(body) == 18
    value = header.index("Value (µg/m³ annual mean)")
    assert "Coventry (µg/m³ annual mean)" in header
    assert all(isinstance(row[value], float) for row in body), "values are stored as numbers, not text"
    assert [c.data_type for c in book["Wards"]["D"][1:]] == ["n"] * 18
    assert book["Wards"].cell(row=2, column=value + 1).number_format == "0.0"
    assert body[0][header.index("Ward")] == frame["ward_name"].iloc[0]
    assert round(body[0][value], 6) == round(frame["value"].iloc[0], 6)
    sources = rows(book["Sources"])
    assert sources[0][:6] == ["Indicator", "Unit", "Period", "Source", "Licence", "How ward figures are made"]
    assert sources[1][:5] == [ind.label, ind.unit, ind.period, ind.source, ind.licence]
    assert sources[1][sources[0].index("Publisher")] == "Department for Environment Food and Rural Affairs"
    notes = " ".join(str(r[0]) for r in rows(book["Notes"]))
    assert "Downloaded 01 May 2026" in notes and "no data" in notes and "Open Government Licence" in notes


def test_the_profile_workbook_has_a_number_format_per_indicator(registry, values, manifest):
    table = profile_table(FOLESHILL, registry, values)
    book = opened(profile_workbook(profile_export(FOLESHILL, "Foleshill", table), registry, manifest))
    sheet = book["Ward profile"]
    header = [c.value for c in sheet[1]]
    value = header.index("This ward (unit in column H)") + 1
    assert header[7] == "Unit"
    for row in range(2, sheet.max_row + 1):
        label, cell = sheet.cell(row=row, column=header.index("Indicator") + 1).value, sheet.cell(row=row, column=value)
        ind = next(i for i in registry.values() if i.label == label)
        assert isinstance(cell.value, float) and cell.number_format == ("0." + "0" * ind.decimals if ind.decimals
                                                                      else "0"), label
    assert sheet.max_row - 1 == len(table)
    assert len(rows(book["Sources"])) - 1 == len(table)  # one source row per indicator


def test_the_gap_table_workbook(registry, summary, manifest):
    book = opened(gaps_workbook(summary, 5, registry, manifest))
    header, *body = rows(book["Gaps"])
    assert header[:3] == ["Groups", "Theme", "Indicator"]
    assert "Relative index of inequality (least ÷ most deprived, phe_sii)" in header
    assert "Slope index of inequality (unit in column D)" in header and header[3] == "Unit"
    sii, why = header.index("Slope index of inequality (unit in column D)"), header.index("Why a figure is empty")
    # Numbers are numbers; an empty slope index says why (for example a part of the ordering index).
    assert all(isinstance(row[sii], float) or (row[sii] is None and row[why]) for row in body)
    assert sum(isinstance(row[sii], float) for row in body) == 2 and body[0][0] == "fifths (quintiles)"
    assert [r[0] for r in rows(book["Sources"])[1:]] == [registry[k].label for k in summary["id"]]


def test_text_that_looks_like_a_formula_stays_text():
    frame = pd.DataFrame({"name": ["=HYPERLINK(\"http://x\")", "+1", "-2+3", "@SUM(A1)", "ok\x07bell"],
                          "value": [1.5, 2, None, float("nan"), -4]})
    book = opened(workbook(frame, sheet="T", headers={}, sources=sources_table([]), notes=["=1+1"]))
    cells = [c for sheet in book for row in sheet.iter_rows() for c in row if c.value is not None]
    assert all(c.data_type != "f" for c in cells)
    texts = [c.value for c in cells if isinstance(c.value, str)]
    assert not any(t.startswith(FORMULA_START) for t in texts), texts
    assert "ok" + "bell" in texts  # a control character Excel cannot hold is dropped, not the text
    values = [c.value for c in book["T"]["B"][1:]]
    assert values == [1.5, 2, None, None, -4], "missing stays empty; numbers stay numbers"
