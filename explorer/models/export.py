"""Downloads that open right in Excel, for every page: CSV, and .xlsx with a Sources sheet.

CSV files are UTF-8 with a byte-order mark and CRLF line ends (:func:`explorer.models.text.export_csv`,
which also neutralises formulas), so Excel opened by double-click shows "µg/m³" as written. The
.xlsx workbooks hold the same tables with numbers stored as numbers, headers in words with their
units, a Sources sheet (each indicator's source, period, licence and method, from the indicator
registry and ``data/sources.csv``) and a Notes sheet. Text cells are always text: a cell that would
start a formula is neutralised as in the CSV, and typed as a string.
"""

from __future__ import annotations

import datetime as dt
import io
import math
import re
from collections.abc import Iterable, Mapping, Sequence

import pandas as pd

from explorer.models.text import export_csv, safe_cell, whole_counts, with_authority
from explorer.registry import Indicator

XLSX_MIME = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
CSV_MIME = "text/csv"
OGL_CREDIT = "Contains public sector information licensed under the Open Government Licence v3.0."
OS_CREDIT = "Contains OS data © Crown copyright and database right."
NS_CREDIT = "Contains National Statistics data © Crown copyright and database right."
ATTRIBUTION = " ".join((OGL_CREDIT, OS_CREDIT, NS_CREDIT))


def app_name(area: str = "Coventry") -> str:
    """The explorer's name for an authority: "Coventry inequality explorer"."""
    return f"{area} inequality explorer"


def attribution(publisher: str = "", shown: Iterable[str] | None = None) -> str:
    """The attribution line; a local pack's ``publisher`` is named for the council's own data it brings.

    ``shown`` is the words of what a picture shows (its source lines). Without it (a workbook, a briefing: every
    source of the place) the line credits Ordnance Survey always, and FixMyStreet and the council whenever a pack
    is open; with it, each is credited only where those words name it, so a life expectancy chart credits neither
    FixMyStreet nor Ordnance Survey, and a map, whose boundary line credits OS, does not credit it twice.

    Examples
    --------
    >>> attribution("Coventry City Council")[-78:]
    'FixMyStreet data © mySociety, ODC-By 1.0. Contains Coventry City Council data.'
    >>> attribution("Coventry City Council", ["Source: ONS, Life expectancy at birth by MSOA."]) == " ".join(
    ...     (OGL_CREDIT, NS_CREDIT))
    True
    >>> attribution("Coventry City Council", ["Source: mySociety, FixMyStreet reports by LSOA."])[-41:]
    'FixMyStreet data © mySociety, ODC-By 1.0.'
    """
    if shown is None:
        return " ".join([ATTRIBUTION, *([FIXMYSTREET, f"Contains {publisher} data."] if publisher else [])])
    words = " ".join(shown)
    # Ordnance Survey's credit where OS data is shown (boundaries, AddressBase) and not already credited (a map's
    # boundary line credits it), then FixMyStreet's and the council's where named.
    credited = "os data ©" in words.lower()  # "contains OS data © Crown copyright...", a map's boundary line
    credits = {OS_CREDIT: bool(re.search(r"\bOS\b|Ordnance Survey", words)) and not credited,
               FIXMYSTREET: "FixMyStreet" in words or "mySociety" in words,
               f"Contains {publisher} data.": bool(publisher) and publisher in words}
    return " ".join([OGL_CREDIT, NS_CREDIT, *(credit for credit, due in credits.items() if due)])


FIXMYSTREET = "FixMyStreet data © mySociety, ODC-By 1.0."


GROUP_WORDS = {5: "fifths (quintiles)", 10: "tenths (deciles)"}
# The Sources sheet: what each indicator is and where it comes from (registry), then its files (manifest).
SOURCE_HEADERS = {
    "label": "Indicator", "unit": "Unit", "period": "Period", "source": "Source", "licence": "Licence",
    "method_text": "How ward figures are made", "caveat": "Caveat", "publisher": "Publisher",
    "dataset": "Dataset", "attribution": "Attribution required", "url": "Where it is published",
    "file": "File in this app (data/raw)",
}
MAX_WIDTH = 60  # characters: wider columns wrap


def readable(column: str) -> str:
    """A column name in words, for a header that has no wording of its own.

    Examples
    --------
    >>> readable("wards_sharing_rank"), readable("lower_95")
    ('Wards sharing rank', 'Lower 95')
    """
    return column.replace("_", " ").strip().capitalize()


def sources_table(indicators: Iterable[Indicator], manifest: pd.DataFrame | None = None) -> pd.DataFrame:
    """One row per indicator: where it comes from, for a workbook's Sources sheet.

    Source, period, licence and method come from the indicator registry; the file's publisher,
    dataset, required attribution and address from ``data/sources.csv``, matched by file.

    Parameters
    ----------
    indicators : iterable of Indicator
        The indicators a table holds, in the order shown; repeats are dropped.
    manifest : DataFrame, optional
        ``data/sources.csv`` (:func:`explorer.models.about.read_manifest`). Without it the file columns are left empty.
    """
    rows = []
    files = manifest.set_index("file") if manifest is not None else pd.DataFrame()
    for ind in dict.fromkeys(indicators):
        row = {key: getattr(ind, key) for key in ("label", "unit", "period", "source", "licence", "method_text",
                                                  "caveat")}
        found = files.loc[ind.file] if ind.file in files.index else None
        if isinstance(found, pd.DataFrame):  # the same file listed twice: take the first
            found = found.iloc[0]
        for key in ("publisher", "dataset", "attribution", "url"):
            row[key] = found[key] if found is not None else ""
        row["file"] = ind.file
        rows.append(row)
    return pd.DataFrame(rows, columns=list(SOURCE_HEADERS)).rename(columns=SOURCE_HEADERS)


def _cell_value(value: object) -> object:
    """What goes in a cell: a number as a number, missing as an empty cell, text neutralised."""
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

    if value is None or value is pd.NA or (isinstance(value, float) and math.isnan(value)):
        return None
    if isinstance(value, bool):
        return value
    if isinstance(value, int | float) or pd.api.types.is_number(value):
        number = value.item() if hasattr(value, "item") else value
        return None if isinstance(number, float) and math.isnan(number) else number
    return safe_cell(ILLEGAL_CHARACTERS_RE.sub("", str(value)))


def _write_sheet(sheet, table: pd.DataFrame, formats: Mapping[str, str | Sequence[str]] | None = None) -> None:
    from openpyxl.styles import Alignment, Font
    from openpyxl.utils import get_column_letter

    formats = formats or {}
    for j, header in enumerate(table.columns, start=1):
        cell = sheet.cell(row=1, column=j, value=_cell_value(header))
        cell.data_type = "s"
        cell.font = Font(bold=True)
        cell.alignment = Alignment(wrap_text=True, vertical="top")
    for i, row in enumerate(table.itertuples(index=False), start=2):
        for j, (column, value) in enumerate(zip(table.columns, row, strict=True), start=1):
            cell = sheet.cell(row=i, column=j, value=_cell_value(value))
            if isinstance(cell.value, str):
                cell.data_type = "s"  # never a formula, whatever it starts with
            elif cell.value is not None and column in formats:
                chosen = formats[column]
                cell.number_format = chosen if isinstance(chosen, str) else chosen[i - 2]
    for j, column in enumerate(table.columns, start=1):
        longest = max([len(str(column)) // 2 + 1, *(len(str(v)) for v in table.iloc[:, j - 1].tolist())], default=8)
        sheet.column_dimensions[get_column_letter(j)].width = min(max(longest + 2, 8), MAX_WIDTH)
        if longest > MAX_WIDTH:
            for (cell,) in sheet.iter_rows(min_row=2, min_col=j, max_col=j):
                cell.alignment = Alignment(wrap_text=True, vertical="top")
    sheet.freeze_panes = "A2"
    if len(table):
        sheet.auto_filter.ref = f"A1:{get_column_letter(len(table.columns))}{len(table) + 1}"


def workbook(
    table: pd.DataFrame,
    *,
    sheet: str,
    headers: Mapping[str, str],
    sources: pd.DataFrame,
    notes: Sequence[str],
    formats: Mapping[str, str | Sequence[str]] | None = None,
    today: dt.date | None = None,
    area: str = "Coventry",
    publisher: str = "",
) -> bytes:
    """An .xlsx file: the table, a Sources sheet and a Notes sheet (``area``: the authority it is about).

    Parameters
    ----------
    table : DataFrame
        The table as downloaded (machine-readable column names, as in the CSV).
    sheet : str
        The first sheet's name (at most 31 characters).
    headers : mapping
        Column name to header in words with its unit ("Value (years)"); other columns get
        :func:`readable` names. Names of columns the table lacks are ignored.
    sources : DataFrame
        From :func:`sources_table`.
    notes : sequence of str
        Lines for the Notes sheet, after the title and date and before the attribution.
    formats : mapping, optional
        Column name to an Excel number format ("0.0"), or to one format per row.
    today : date, optional
        The download date written in the notes (default: today).
    area : str
        The local authority's name, for the title (default Coventry).
    publisher : str
        The local pack's publisher, named in the attribution ("" for an authority without a pack).

    Returns
    -------
    bytes
        The workbook, readable by Excel, LibreOffice and openpyxl.
    """
    from openpyxl import Workbook
    from openpyxl.styles import Font

    book = Workbook()
    first = book.active
    first.title = sheet[:31]
    shown = whole_counts(table).rename(columns={c: headers.get(c, readable(c)) for c in table.columns})
    _write_sheet(first, shown, {headers.get(c, readable(c)): f for c, f in (formats or {}).items()})
    _write_sheet(book.create_sheet("Sources"), sources)
    about = book.create_sheet("Notes")
    today = today or dt.date.today()
    lines = [f"{app_name(area)}: {sheet}", f"Downloaded {today:%d %B %Y}.", *notes,
             "An empty cell means no data: nothing is estimated or filled in.",
             "Where each figure comes from, its period, licence and method: the Sources sheet.", attribution(publisher)]
    for i, line in enumerate(lines, start=1):
        cell = about.cell(row=i, column=1, value=_cell_value(line))
        cell.data_type = "s"
    about["A1"].font = Font(bold=True)
    about.column_dimensions["A"].width = 120
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _number_format(decimals: int) -> str:
    """Excel's number format for so many decimal places: "0", "0.0", "0.00"."""
    return "0" if decimals <= 0 else "0." + "0" * decimals


def _unit_column_note(table: pd.DataFrame) -> str:
    """"(unit in column F)": where a table's units differ by row, headers point to its Unit column."""
    from openpyxl.utils import get_column_letter

    return f"(unit in column {get_column_letter(list(table.columns).index('unit') + 1)})" if "unit" in table else ""


def ward_workbook(frame: pd.DataFrame, ind: Indicator, manifest: pd.DataFrame | None = None,
                  today: dt.date | None = None, area: str = "Coventry", publisher: str = "",
                  ward_set: str = "") -> bytes:
    """The city map's ward table as .xlsx, from :func:`explorer.models.citymap.ward_export`, for authority ``area``."""
    unit = f"({ind.unit})"
    headers = {"ward_code": "Ward code", "ward_name": "Ward", "indicator": "Indicator", "value": f"Value {unit}",
               "lower_95": f"95% CI lower {unit}", "upper_95": f"95% CI upper {unit}", "unit": "Unit",
               "authority_value": f"{area} {unit}", "authority_value_source": f"Where the {area} figure comes from",
               "compared_with_authority": f"Compared with {area}"}
    formats = dict.fromkeys(("value", "lower_95", "upper_95", "authority_value"), _number_format(ind.decimals))
    wards = ward_set or f"{area} wards"
    return workbook(frame, sheet="Wards", headers=headers, sources=sources_table([ind], manifest),
                    notes=[f"{ind.label}, {ind.period}, for each of {area}'s wards ({wards}). Unit: {ind.unit}."],
                    formats=formats, today=today, area=area, publisher=publisher)


def profile_workbook(frame: pd.DataFrame, registry: Mapping[str, Indicator], manifest: pd.DataFrame | None = None,
                     today: dt.date | None = None, area: str = "Coventry", publisher: str = "") -> bytes:
    """A ward's profile (every indicator) as .xlsx, from :func:`explorer.models.profile.profile_export`."""
    in_unit = _unit_column_note(frame)
    headers = {"ward_code": "Ward code", "ward_name": "Ward", "theme": "Theme", "label": "Indicator",
               "value": f"This ward {in_unit}", "lower_95": f"95% CI lower {in_unit}",
               "upper_95": f"95% CI upper {in_unit}", "unit": "Unit", "rank": "Rank (1 = worst)",
               "wards_ranked": "Wards ranked", "authority_value": f"{area} {in_unit}",
               "england": f"England {in_unit}", "authority_value_source": f"Where the {area} figure comes from",
               "compared_with_authority": f"Compared with {area}"}
    by_label = {ind.label: ind for ind in registry.values()}
    shown = [by_label[label] for label in frame["label"] if label in by_label]
    per_row = [_number_format(by_label[label].decimals) if label in by_label else "General" for label in frame["label"]]
    formats = dict.fromkeys(("value", "lower_95", "upper_95", "authority_value", "england"), per_row)
    name = str(frame["ward_name"].iloc[0]) if len(frame) else ""
    return workbook(frame, sheet="Ward profile", headers=headers, sources=sources_table(shown, manifest),
                    notes=[f"Every indicator for {name} ward against {area} and England, each in its own unit "
                           "(the Unit column) and for its own period."], formats=formats, today=today, area=area,
                    publisher=publisher)


def gaps_export(summary: pd.DataFrame, n: int, code: str = "", area: str = "") -> pd.DataFrame:
    """The gap, slope index and relative index of every indicator, as downloaded (CSV and Excel).

    Parameters
    ----------
    summary : DataFrame
        From :func:`explorer.stats.gaps.gap_summary`.
    n : int
        The number of population groups (5 or 10).
    code, area : str
        The authority's code and name, which end every row where a code is given.
    """
    out = summary.drop(columns=[c for c in ("id",) if c in summary]).copy()
    out.insert(0, "groups", GROUP_WORDS.get(n, f"{n} groups"))
    numeric = out.select_dtypes(include="number").columns
    out[numeric] = out[numeric].round(6)
    return with_authority(out, code, area)


def gaps_csv(summary: pd.DataFrame, n: int, code: str = "", area: str = "") -> bytes:
    """The gap table as CSV (UTF-8 with a byte-order mark, CRLF, formulas neutralised)."""
    return export_csv(gaps_export(summary, n, code, area))


def gaps_workbook(summary: pd.DataFrame, n: int, registry: Mapping[str, Indicator],
                  manifest: pd.DataFrame | None = None, today: dt.date | None = None, area: str = "Coventry",
                  publisher: str = "", code: str = "") -> bytes:
    """The compare page's gap table (every indicator: gap, slope index, relative index) as .xlsx."""
    frame = gaps_export(summary, n, code, area)
    in_unit = _unit_column_note(frame)
    headers = {"groups": "Groups", "theme": "Theme", "label": "Indicator", "unit": "Unit", "period": "Period",
               "areas": "Areas grouped", "most_deprived": f"Most deprived group {in_unit}",
               "least_deprived": f"Least deprived group {in_unit}", "gap": f"Gap, most − least deprived {in_unit}",
               "ratio": "Ratio, most ÷ least deprived", "sii": f"Slope index of inequality {in_unit}",
               "sii_lower": f"SII 95% lower {in_unit}", "sii_upper": f"SII 95% upper {in_unit}",
               "rii": "Relative index of inequality (least ÷ most deprived, phe_sii)", "rii_lower": "RII 95% lower",
               "rii_upper": "RII 95% upper", "ordering": "Areas ordered by", "source": "Source",
               "note": "Why a figure is empty"}
    shown = [registry[key] for key in summary["id"] if key in registry] if "id" in summary else []
    return workbook(frame, sheet="Gaps", headers=headers, sources=sources_table(shown, manifest), notes=[
        f"{area}'s small areas ordered by deprivation (the 'Areas ordered by' column) and split into "
        f"{GROUP_WORDS.get(n, f'{n} groups')} of about equal population: each area goes wholly into one group, so "
        "the groups are about, not exactly, equal. "
        "Differences are most deprived minus least deprived: a negative number is lower in the most deprived group. "
        "The slope index (SII) and relative index (RII) are PHE's phe_sii: a population-weighted line through every "
        "group; SII is its slope, RII the ratio of its values at the least and the most deprived ends. The 'Why a "
        "figure is empty' column says why one is missing (for example an indicator that is part of the deprivation "
        "index the areas are ordered by gets no slope index)."], today=today, area=area, publisher=publisher)
