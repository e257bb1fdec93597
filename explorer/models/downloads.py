"""Every table a page shows, as a file to take away: CSV (UTF-8 with a BOM) and .xlsx, with telling names.

Each table is a :class:`TableFile`: the rows as downloaded (machine-readable column names), with the geography's
codes and names (the authority's code and name on every row, and the ward's or the compared area's where the table
has them), the period, unit, source and method beside every figure, and its comparators (the authority's own
figure and England's, and the publisher's where one is quoted). :meth:`TableFile.csv` and :meth:`TableFile.xlsx`
write it as :mod:`explorer.models.export` writes the other downloads (numbers as numbers, formulas neutralised, a
Sources and a Notes sheet); :func:`file_name` names every file: authority, table and the date the data run to, as
``birmingham-life-expectancy-at-birth-men-by-fifth-2009-2013.xlsx``.

Nothing here computes a figure: the rows are those the page shows (:mod:`explorer.stats.gaps`, the national store,
the local pack), and a missing figure stays an empty cell.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

import pandas as pd

from explorer.models.export import SOURCE_HEADERS, sources_table, workbook
from explorer.models.text import export_csv
from explorer.places import Place, per_place
from explorer.registry import Indicator

ENGLAND = ("E92000001", "England")
MONTHS = {m: m[:3] for m in ("january", "february", "march", "april", "may", "june", "july", "august", "september",
                             "october", "november", "december")}
_DATE = re.compile(r"(?:\b(fye|fy|iod|census|jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\.?\s*)?"
                   r"\b(\d{4})(?:\s*[-–/]\s*(\d{2,4}))?\b", re.IGNORECASE)
MAX_STEM = 120  # characters: a file name any system keeps whole


def slug(text: str) -> str:
    """Words as a file-name part: lower case, letters and digits, joined by hyphens.

    Examples
    --------
    >>> slug("Kingston upon Hull, City of"), slug("Child poverty (AHC): gap by fifth")
    ('kingston-upon-hull-city-of', 'child-poverty-ahc-gap-by-fifth')
    """
    return "-".join("".join(c if c.isalnum() else " " for c in text.lower()).split())


def period_end(period: str) -> str:
    """The date a period's data run to, as a file-name part ("" when the period names no year).

    The last date in the period, words in brackets left out: a month or a financial year keeps its word.

    Examples
    --------
    >>> [period_end(p) for p in ("FYE 2025", "Oct 2019 to Oct 2025", "2012-13 to 2022-23",
    ...                          "2009-2013 (old: the newest small-area figures held)", "November 2023 (provisional)",
    ...                          "IoD 2025 (mostly 2022/23 data)", "Census 2021", "2023 data year (IoD 2025)", "")]
    ['fye2025', 'oct2025', '2022-23', '2009-2013', 'nov2023', 'iod2025', 'census2021', '2023', '']
    """
    plain = re.sub(r"\([^)]*\)", " ", period or "")
    found = list(_DATE.finditer(plain))
    if not found:
        return ""
    word, year, until = found[-1].groups()
    word = (word or "").lower()
    return f"{word}{year}" + (f"-{until}" if until else "")


def _last_year(period: str) -> int:
    """The last full year in the date a period runs to (0 where it names none): "2022-23" gives 2022."""
    years = re.findall(r"\d{4}", period_end(period))
    return int(years[-1]) if years else 0


def latest_period(periods) -> str:
    """Of several periods, the one whose data run latest ("" for none): a file holding several is named by it.

    Examples
    --------
    >>> latest_period(["FYE 2025", "Census 2021", "2012-13 to 2022-23"])
    'FYE 2025'
    """
    return max(periods, key=_last_year, default="")


def file_name(area: str, table: str, period: str = "", ext: str = "csv") -> str:
    """The one name every downloaded table gets: authority, table (or indicator) and the date the data run to.

    Parameters
    ----------
    area : str
        The authority's name ("Birmingham").
    table : str
        What the table holds, in words ("Child poverty (AHC) gap by fifth").
    period : str
        The period of its figures, as the registry or source gives it; its last date is used (:func:`period_end`).
    ext : str
        "csv" or "xlsx".

    Examples
    --------
    >>> file_name("Birmingham", "Child poverty (AHC) gap by fifth", "FYE 2025", "xlsx")
    'birmingham-child-poverty-ahc-gap-by-fifth-fye2025.xlsx'
    >>> file_name("City of London", "Similar authorities", "")
    'city-of-london-similar-authorities.csv'
    """
    stem = "-".join(p for p in (slug(area), slug(table), period_end(period)) if p)
    return f"{stem[:MAX_STEM].rstrip('-')}.{ext}"


@dataclass(frozen=True)
class TableFile:
    """A table as downloaded, with what its workbook says about it.

    ``frame`` holds the rows with machine-readable column names (the CSV's header); ``headers`` gives columns a
    header in words with the unit for the workbook; ``indicators`` and ``sources`` fill its Sources sheet (an
    indicator's row from the registry and ``data/sources.csv``; a source that is no indicator, a dict keyed as
    :data:`explorer.models.export.SOURCE_HEADERS`).
    """

    frame: pd.DataFrame
    area: str
    table: str
    period: str
    sheet: str
    notes: tuple[str, ...]
    headers: Mapping[str, str] = field(default_factory=dict)
    indicators: tuple[Indicator, ...] = ()
    sources: tuple[Mapping[str, str], ...] = ()
    formats: Mapping[str, str] = field(default_factory=dict)
    publisher: str = ""

    def name(self, ext: str) -> str:
        """The file's name (:func:`file_name`)."""
        return file_name(self.area, self.table, self.period, ext)

    def csv(self) -> bytes:
        """The table as CSV: UTF-8 with a byte-order mark, CRLF line ends, formulas neutralised."""
        return export_csv(self.frame)

    def xlsx(self, manifest: pd.DataFrame | None = None, today: dt.date | None = None) -> bytes:
        """The table as .xlsx with a Sources and a Notes sheet; numbers stay numbers."""
        listed = sources_table(self.indicators, manifest)
        extra = pd.DataFrame([{SOURCE_HEADERS[k]: row.get(k, "") for k in SOURCE_HEADERS} for row in self.sources],
                             columns=list(SOURCE_HEADERS.values()))
        sources = pd.concat([listed, extra], ignore_index=True) if len(extra) else listed
        return workbook(self.frame, sheet=self.sheet, headers=self.headers, sources=sources, notes=list(self.notes),
                        formats=self.formats, today=today, area=self.area, publisher=self.publisher)


def _with_authority(frame: pd.DataFrame, place: Place) -> pd.DataFrame:
    """``frame`` with the authority's code and name as its first two columns."""
    out = frame.copy()
    out.insert(0, "authority_name", place.name)
    out.insert(0, "authority_code", place.code)
    return out


def _rounded(frame: pd.DataFrame) -> pd.DataFrame:
    numeric = frame.select_dtypes(include="number").columns
    out = frame.copy()
    out[numeric] = out[numeric].round(6)
    return out


def _comparators(place: Place, ind: Indicator) -> dict[str, object]:
    """The authority's own figure and England's for an indicator, with their limits (empty where not held)."""
    from explorer.models.citymap import comparator

    own, own_lo, own_hi, own_note = comparator(place.values, ind.id, "authority")
    eng, eng_lo, eng_hi, eng_note = comparator(place.values, ind.id, "england")
    return {"authority_value": own, "authority_lower_95": own_lo, "authority_upper_95": own_hi,
            "authority_value_source": own_note, "england_code": ENGLAND[0], "england_value": eng,
            "england_lower_95": eng_lo, "england_upper_95": eng_hi, "england_value_source": eng_note}


COMPARATOR_HEADERS = {
    "authority_code": "Authority code", "authority_name": "Authority", "england_code": "England code",
}


def _comparator_headers(area: str, unit: str) -> dict[str, str]:
    return {"authority_value": f"{area} ({unit})", "authority_lower_95": f"{area} 95% CI lower ({unit})",
            "authority_upper_95": f"{area} 95% CI upper ({unit})",
            "authority_value_source": f"Where the {area} figure comes from", "england_value": f"England ({unit})",
            "england_lower_95": f"England 95% CI lower ({unit})", "england_upper_95": f"England 95% CI upper ({unit})",
            "england_value_source": "Where the England figure comes from"}


# --- Compare: two wards side by side -----------------------------------------------------------------------------

@per_place
def pair_file(place: Place, a: str, b: str) -> TableFile:
    """Every indicator for two wards side by side (Compare's first table), with the authority and England.

    One row per indicator: each ward's figure, the difference (second − first, in the indicator's unit; percentage
    points for percentages) and how it is judged, as the page says it, beside the authority's and England's figures.
    """
    from explorer.models.compare_views import two_wards

    pair = two_wards(place, a, b)
    registry, names = place.registry, place.names
    comparators = pd.DataFrame([_comparators(place, registry[key]) for key in pair["id"]])
    frame = pd.DataFrame({
        "ward_a_code": a, "ward_a_name": names.get(a, a), "ward_b_code": b, "ward_b_name": names.get(b, b),
        "theme": pair["theme"].to_numpy(), "indicator_id": pair["id"].to_numpy(), "indicator": pair["label"].to_numpy(),
        "ward_a_value": pair["a_value"].to_numpy(), "ward_b_value": pair["b_value"].to_numpy(),
        "b_minus_a": (pair["b_value"] - pair["a_value"]).to_numpy(), "unit": pair["unit"].to_numpy(),
        "judged": pair["direction"].to_numpy(), "how_judged": pair["basis"].to_numpy(),
        **{k: comparators[k].to_numpy() for k in comparators.columns},
        "period": pair["period"].to_numpy(), "source": [registry[k].source for k in pair["id"]],
        "licence": [registry[k].licence for k in pair["id"]],
        "method": [registry[k].method_text for k in pair["id"]],
    })
    first, second = names.get(a, a), names.get(b, b)
    in_unit = "(unit in the Unit column)"
    headers = {**COMPARATOR_HEADERS, **_comparator_headers(place.name, "unit in the Unit column"),
               "ward_a_code": "First ward code", "ward_a_name": "First ward", "ward_b_code": "Second ward code",
               "ward_b_name": "Second ward", "indicator_id": "Indicator code",
               "ward_a_value": f"{first} {in_unit}", "ward_b_value": f"{second} {in_unit}",
               "b_minus_a": f"{second} − {first} {in_unit}", "judged": "Which is better, or higher",
               "how_judged": "How it is judged"}
    shown = [registry[k] for k in pair["id"] if k in registry]
    return TableFile(
        frame=_rounded(_with_authority(frame, place)), area=place.name, table=f"{first} and {second} compared",
        period="", sheet="Two wards", headers=headers, indicators=tuple(shown),
        notes=(f"Every indicator for {first} and {second}, each in its own unit (the Unit column) and for its own "
               "period. Which is better is judged only where both wards have a 95% confidence interval (the interval "
               "of the difference must exclude zero); otherwise the table says which is higher, not which is "
               "better.",), publisher=place.publisher)


# --- Compare: the groups by deprivation ---------------------------------------------------------------------------

@per_place
def groups_file(place: Place, indicator: str, n: int) -> TableFile | None:
    """The per-fifth or per-tenth groups of one indicator (the table under Compare's gap chart); None when too few.

    One row per group, most deprived first: its value and 95% interval, residents and areas, with the gap, slope
    index and relative index (PHE's phe_sii) of the whole grouping, the authority's and England's figures, and the
    indicator's period, unit, source and method on every row.
    """
    from explorer.models.compare_views import marmot_gap
    from explorer.models.gap_views import too_few
    from explorer.models.views import interval_words
    from explorer.stats.gaps import QUANTILE_WORDS

    ind, result = place.registry[indicator], marmot_gap(place, indicator, n)
    if too_few(result):
        return None
    words = QUANTILE_WORDS.get(n, f"{n} groups")
    table, slope = result.table, result.slope
    nan = float("nan")
    frame = pd.DataFrame({
        "indicator_id": ind.id, "indicator": ind.label, "groups": words,
        "group": table["quantile"].astype(int),
        "group_name": ["most deprived" if q == 1 else "least deprived" if q == n else "" for q in table["quantile"]],
        "value": table["value"], "lower_95": table["lower"], "upper_95": table["upper"], "unit": ind.unit,
        "residents": table["population"], "areas": table["areas"], "areas_kind": result.units,
        "ordered_by": result.ordering,
        "gap_most_minus_least": result.absolute,
        # phe_sii's slope runs least − most deprived: turned here to read as the gap does (most − least)
        "sii": -slope.sii if slope is not None else nan,
        "sii_lower_95": -slope.sii_upper if slope is not None else nan,
        "sii_upper_95": -slope.sii_lower if slope is not None else nan,
        "rii": slope.rii if slope is not None else nan,
        "rii_lower_95": slope.rii_lower if slope is not None else nan,
        "rii_upper_95": slope.rii_upper if slope is not None else nan,
        "why_no_slope_index": (result.no_slope or "") if slope is None else "",
        **_comparators(place, ind),
        "period": ind.period, "source": ind.source, "licence": ind.licence,
        "method": f"{result.units} ordered by {result.ordering} and split into {words} of about equal residents; "
                  f"{interval_words(ind)}; slope and relative indices as PHE's phe_sii (most − least deprived).",
    })
    unit = ind.unit
    headers = {**COMPARATOR_HEADERS, **_comparator_headers(place.name, unit), "indicator_id": "Indicator code",
               "group": "Group (1 = most deprived)", "group_name": "Which end", "value": f"Value ({unit})",
               "lower_95": f"95% CI lower ({unit})", "upper_95": f"95% CI upper ({unit})",
               "residents": "Residents (Census 2021)", "areas": "Areas in the group", "areas_kind": "Areas",
               "gap_most_minus_least": f"Gap, most − least deprived ({unit})",
               "sii": f"Slope index of inequality ({unit})", "sii_lower_95": f"SII 95% lower ({unit})",
               "sii_upper_95": f"SII 95% upper ({unit})", "rii": "Relative index of inequality (least ÷ most)",
               "rii_lower_95": "RII 95% lower", "rii_upper_95": "RII 95% upper"}
    group_word = words.split(" ")[0]
    return TableFile(
        frame=_rounded(_with_authority(frame, place)), area=place.name, table=f"{ind.label} by {group_word[:-1]}",
        period=ind.period, sheet=f"Groups ({group_word})", headers=headers, indicators=(ind,),
        notes=(f"{ind.label} ({ind.unit}, {ind.period}) in each of {place.name}'s {words} by deprivation: "
               f"{result.units} ordered by {result.ordering}. Groups are {place.name}'s own, not England's.",
               "Gap and slope index: most deprived minus least deprived (negative = lower in the most deprived). "
               "The gap, slope index and relative index are the same on every row: they describe the whole "
               "grouping."),
        formats=dict.fromkeys(("value", "lower_95", "upper_95", "authority_value", "england_value"),
                              "0." + "0" * max(ind.decimals, 1)),
        publisher=place.publisher)


# --- Compare: similar authorities ---------------------------------------------------------------------------------

@per_place
def peers_file(place: Place, indicator: str) -> TableFile | None:
    """The authority beside its most similar authorities, England and any Marmot places: distances and gaps.

    One row per area: its code, name and group, its distance (Euclidean, over the standardised measures, as
    Compare says), the measures it was found from, and its slope index of the indicator with the 95% interval,
    the areas ranked and how they were ordered. None when the indicator has no gaps in the store.
    """
    from explorer.models.compare_views import _store, is_marmot_place
    from explorer.models.views import GAPS_NOT_HELD
    from explorer.pipeline.peers import MEASURES

    store = _store(place)
    beside = store.beside_peers(place.code, marmot=is_marmot_place(place))
    rows = beside[(beside["indicator"] == indicator) | beside["indicator"].isna()].copy()
    mine = rows[(rows["group"] == "this authority") & (rows["indicator"] == indicator)]
    if mine.empty:
        return None
    label, unit, period = (str(mine[k].iloc[0]) for k in ("label", "unit", "period"))
    table = store.table("peers")
    table = table[table["la"] == place.code].set_index("peer")
    own = store.authorities().set_index("code").loc[place.code]
    keys = [k for k in MEASURES if k in table.columns]
    for key in keys:
        rows[f"peer_{key}"] = [own.get(f"peer_{key}") if la == place.code else
                               table[key].get(la, float("nan")) for la in rows["la"]]
    frame = pd.DataFrame({
        "area_code": rows["la"], "area_name": rows["name"], "which": rows["group"], "distance": rows["distance"],
        **{f"peer_{k}": rows[f"peer_{k}"] for k in keys},
        "indicator_id": indicator, "indicator": label, "unit": unit,
        "sii": rows["sii"], "sii_lower_95": rows["sii_lower"], "sii_upper_95": rows["sii_upper"], "rii": rows["rii"],
        "gap_most_minus_least": rows["gap"], "areas": pd.to_numeric(rows["areas"]), "areas_kind": rows["units"],
        "ordered_by": rows["ordering"],
        "note": rows["note"].where(rows["indicator"].notna(), GAPS_NOT_HELD).fillna(""),  # as the page says
        "period": period, "source": rows["source"].fillna(""),
        "method": "Similar authorities: Euclidean distance over England's 296 authorities' standardised measures "
                  "(minus the mean, over the standard deviation), ten nearest, as ONS Explore Local Statistics' "
                  "similar areas (not CIPFA's nearest neighbours). Slope index: PHE's phe_sii over each area's own "
                  "areas in fifths by deprivation, most − least deprived.",
    })
    measure_words = {"log_population": "natural log of Census 2021 residents"}
    headers = {**COMPARATOR_HEADERS, "area_code": "Area code", "area_name": "Area", "which": "Which",
               "distance": "Distance (similarity; 0 = this authority)",
               **{f"peer_{k}": f"Measure: {measure_words.get(k, MEASURES[k])}" for k in keys},
               "indicator_id": "Indicator code", "sii": f"Slope index of inequality ({unit})",
               "sii_lower_95": f"SII 95% lower ({unit})", "sii_upper_95": f"SII 95% upper ({unit})",
               "rii": "Relative index of inequality (least ÷ most)",
               "gap_most_minus_least": f"Gap, most − least deprived fifth ({unit})", "areas": "Areas ranked",
               "areas_kind": "Areas", "note": "Why a figure is empty"}
    ind = place.registry.get(indicator)
    return TableFile(
        frame=_rounded(_with_authority(frame, place)), area=place.name, table=f"{label} gap beside similar authorities",
        period=period, sheet="Similar authorities", headers=headers, indicators=(ind,) if ind else (),
        notes=(f"{label} ({period}): {place.name}'s slope index of inequality beside its most similar authorities "
               "and England. A slope index is not better or worse in itself: a larger one, whichever way it runs, "
               "is a steeper line between the most and least deprived.",),
        publisher=place.publisher)


# --- Compare: the council's published gap beside ours ------------------------------------------------------------

def published_file(place: Place, indicator: str, n: int) -> TableFile | None:
    """The council's published gaps of one indicator beside the gap worked out here (None when it quotes none).

    One row per published figure: what the council calls it, its value, period and page, beside our gap between
    the most and least deprived groups and our slope index (PHE's phe_sii) in ``n`` groups, with their period,
    source and method.
    """
    from explorer.models.compare_views import marmot_gap, published_gaps
    from explorer.pipeline.published import WHY_OURS_DIFFER
    from explorer.stats.gaps import QUANTILE_WORDS

    if not place.has("published_gaps"):
        return None
    published = published_gaps(place)
    mine = published[published["indicator"] == indicator]
    if mine.empty:
        return None
    ind, result = place.registry[indicator], marmot_gap(place, indicator, n)
    slope, nan = result.slope, float("nan")
    frame = pd.DataFrame({
        "indicator_id": ind.id, "indicator": ind.label, "unit": ind.unit,
        "published_measure": mine["measure"].to_numpy(), "published_value": mine["value"].to_numpy(),
        "published_period": mine["period"].to_numpy(), "published_source": mine["where"].to_numpy(),
        "published_note": mine["note"].to_numpy(),
        "ours_groups": QUANTILE_WORDS.get(n, f"{n} groups"),
        "ours_most_deprived": result.table["value"].iloc[0], "ours_least_deprived": result.table["value"].iloc[-1],
        "ours_gap_least_minus_most": -result.absolute,
        "ours_sii_least_minus_most": slope.sii if slope is not None else nan,  # phe_sii: least − most
        "ours_sii_lower_95": slope.sii_lower if slope is not None else nan,
        "ours_sii_upper_95": slope.sii_upper if slope is not None else nan,
        "ours_period": ind.period, "ours_source": ind.source,
        "ours_method": f"{result.units} ordered by {result.ordering}; groups of about equal residents; slope index "
                       "as PHE's phe_sii, here least − most deprived to read as the council's gaps do.",
    })
    unit = ind.unit
    headers = {**COMPARATOR_HEADERS, "indicator_id": "Indicator code",
               "published_measure": "The council's measure", "published_value": f"The council's figure ({unit})",
               "published_period": "The council's period", "published_source": "Where the council publishes it",
               "published_note": "About the council's figure", "ours_groups": "Our groups",
               "ours_most_deprived": f"Ours: most deprived group ({unit})",
               "ours_least_deprived": f"Ours: least deprived group ({unit})",
               "ours_gap_least_minus_most": f"Ours: gap, least − most deprived ({unit})",
               "ours_sii_least_minus_most": f"Ours: slope index, least − most deprived ({unit})",
               "ours_sii_lower_95": f"Ours: slope index 95% lower ({unit})",
               "ours_sii_upper_95": f"Ours: slope index 95% upper ({unit})", "ours_period": "Our period",
               "ours_source": "Our source", "ours_method": "Our method"}
    return TableFile(
        frame=_rounded(_with_authority(frame, place)), area=place.name, table=f"{ind.label} published gap beside ours",
        period=ind.period, sheet="Published gap", headers=headers, indicators=(ind,),
        sources=tuple({"label": f"{place.name}'s published gap", "unit": unit, "period": str(row.period),
                       "source": str(row.where)} for row in mine.itertuples()),
        notes=("The council's published gaps, quoted as published, beside the gap worked out here. Why ours "
               "differ:", *WHY_OURS_DIFFER), publisher=place.publisher)


# --- Compare: the authority's own series over time -----------------------------------------------------------------

@per_place
def authority_series_file(place: Place, series_id: str) -> TableFile | None:
    """One of "<area> over time" on Compare: the authority's figure and England's, period by period.

    Rows are the national store's (:meth:`Place.series`); a period with no figure keeps its row and says why.
    """
    from explorer.models.authority_series import SOURCES, UNITS

    table = place.series()
    part = table[table["series"] == series_id]
    if part.empty:
        return None
    mine = part[part["area"] == "authority"].sort_values("order").set_index("period")
    england = part[part["area"] == "england"].sort_values("order").set_index("period")
    periods = list(dict.fromkeys([*mine.index, *england.index]))
    mine, england = mine.reindex(periods), england.reindex(periods)
    meta = part.iloc[0]
    unit, title = UNITS[series_id], str(meta["title"]) if "title" in part else series_id
    frame = pd.DataFrame({
        "series": series_id, "indicator": title, "period": periods,
        "value": mine["value"].to_numpy(), "lower_95": mine["lower"].to_numpy(), "upper_95": mine["upper"].to_numpy(),
        "count": mine["count"].to_numpy(), "denominator": mine["denominator"].to_numpy(), "unit": unit,
        "note": mine["note"].fillna("").to_numpy(),
        "england_code": ENGLAND[0], "england_value": england["value"].to_numpy(),
        "england_lower_95": england["lower"].to_numpy(), "england_upper_95": england["upper"].to_numpy(),
        "source": SOURCES[series_id], "how_change_is_judged": str(meta.get("rule_note", "")),
    })
    headers = {**COMPARATOR_HEADERS, "value": f"{place.name} ({unit})", "lower_95": f"{place.name} 95% CI lower",
               "upper_95": f"{place.name} 95% CI upper", "count": f"{place.name}: count",
               "denominator": f"{place.name}: residents", "note": f"About the {place.name} figure",
               "england_value": f"England ({unit})", "england_lower_95": "England 95% CI lower",
               "england_upper_95": "England 95% CI upper", "how_change_is_judged": "How change is judged"}
    return TableFile(
        frame=_rounded(_with_authority(frame, place)), area=place.name, table=f"{title} over time",
        period=periods[-1] if periods else "", sheet="Over time", headers=headers,
        sources=({"label": title, "unit": unit, "period": f"{periods[0]} to {periods[-1]}",
                  "source": SOURCES[series_id]},),
        notes=(f"{title}: {place.name} and England, {periods[0]} to {periods[-1]}. An empty cell is a period with "
               "no figure held (the note says why).",), publisher=place.publisher)


# --- The local pack's series over time (city map, priorities) ------------------------------------------------------

@per_place
def pack_series_file(place: Place, series_id: str) -> TableFile | None:
    """One series of the local pack's ``series.csv`` (the city map's and priorities' trends), every area it holds.

    Long form: one row per area and period, the authority's own first, then its comparators (England, its
    region), each with its code where the national store names it.
    """
    table = place.pack("series").table("series.csv")
    part = table[table["series"] == series_id]
    if part.empty:
        return None
    codes = {place.name: place.code, "England": ENGLAND[0]}
    if place.store is not None:
        own = place.store.authorities().set_index("code")
        if place.code in own.index:
            codes[str(own.loc[place.code, "region_name"])] = str(own.loc[place.code, "region_code"])
    order = {place.name: 0, "England": 2}
    part = part.assign(_o=[order.get(a, 1) for a in part["area"]]).sort_values(["_o", "area"], kind="stable")
    meta = part.iloc[0]
    title, unit = str(meta["title"]), str(meta["unit"])
    frame = pd.DataFrame({
        "series": series_id, "indicator": title, "area_code": [codes.get(a, "") for a in part["area"]],
        "area_name": part["area"].to_numpy(), "period": part["period"].to_numpy(), "value": part["value"].to_numpy(),
        "unit": unit, "count": part["count"].to_numpy(), "denominator": part["denominator"].to_numpy(),
        "source": part["source"].to_numpy(), "how_change_is_judged": part["rule_note"].fillna("").to_numpy(),
    })
    periods = list(dict.fromkeys(part["period"]))
    headers = {**COMPARATOR_HEADERS, "area_code": "Area code", "area_name": "Area", "value": f"Value ({unit})",
               "how_change_is_judged": "How change is judged"}
    return TableFile(
        frame=_rounded(_with_authority(frame, place)), area=place.name, table=f"{title} over time",
        period=str(periods[-1]) if periods else "", sheet="Over time", headers=headers,
        sources=tuple({"label": title, "unit": unit, "period": str(p), "source": str(s)}
                      for s, p in dict.fromkeys(zip(part["source"], part["period"], strict=True))),
        notes=(f"{title}: {place.name} beside the comparators its local pack holds, period by period.",),
        publisher=place.publisher)


# --- The priorities: need against provision ------------------------------------------------------------------------

def need_file(place: Place, result: pd.DataFrame, *, priority: str, indicators: Sequence[str],
              weights: Mapping[str, int], provision: Sequence[str], reach_m: int, year: int | None,
              sites_words: str) -> TableFile:
    """Need against provision as the priorities page shows it for the visitor's choices, one row per ward.

    Parameters
    ----------
    place : Place
        The authority shown.
    result : DataFrame
        :func:`explorer.models.provision.need_and_provision` (with ``moved``), indexed by ward code.
    priority : str
        The priority's title.
    indicators, weights
        The need indicators and the weight given to each (0 leaves it out).
    provision : sequence of str
        The register's site types counted as provision.
    reach_m : int
        The distance (metres, straight line from each 2021 neighbourhood's centre) a resident counts within.
    year : int or None
        Only sites recorded in that year (None: each as last recorded).
    sites_words : str
        When each list of sites was made, in words.
    """
    registry = place.registry
    shown = [registry[k] for k in indicators if k in registry]
    frame = pd.DataFrame({
        "ward_code": result.index, "ward_name": result["name"].to_numpy(),
        "need_score": result["need"].to_numpy(), "need_rank": result["need_rank"].astype("Int64").to_numpy(),
        "provision_pct": result["provision"].to_numpy(),
        "provision_rank": result["provision_rank"].astype("Int64").to_numpy(),
        "places_moved_against_equal_weights": pd.to_numeric(result["moved"], errors="coerce").astype("Int64").to_numpy()
        if "moved" in result else pd.NA,
        "high_need_low_provision": result["flag"].map({True: "yes", False: "no"}).to_numpy(),
        "priority": priority,
        "need_indicators": "; ".join(f"{i.label} ({i.unit}, {i.period}) weight {weights.get(i.id, 0)}"
                                     for i in shown),
        "provision_counts": ", ".join(provision), "reach_m": reach_m,
        "sites_recorded_in": str(year) if year else "any year (each site as last recorded)",
        "need_period": "; ".join(dict.fromkeys(i.period for i in shown)),
        "need_source": "; ".join(dict.fromkeys(i.source for i in shown)),
        "provision_source": f"{place.name}'s register of services and interventions (local pack): {sites_words}",
        "method": "Need: the weighted average of each ward's standardised indicator values (minus the mean of the "
                  "wards, over their standard deviation), turned so that higher is more need; rank 1 = most need. "
                  "Provision: the share of residents (Census 2021, by the centre of their 2021 neighbourhood) within "
                  f"{reach_m:,} m in a straight line of a chosen site; rank 1 = least. Flagged: in the highest-need "
                  "third and the lowest-provision third of wards.",
    }).reset_index(drop=True)
    headers = {**COMPARATOR_HEADERS, "ward_code": "Ward code", "ward_name": "Ward",
               "need_score": "Need score (0 = the average ward)", "need_rank": "Need rank (1 = most)",
               "provision_pct": f"% of residents within {reach_m:,} m", "provision_rank": "Provision rank (1 = least)",
               "places_moved_against_equal_weights": "Places moved against equal weights",
               "high_need_low_provision": "High need, low provision", "reach_m": "Within (metres)"}
    return TableFile(
        frame=_rounded(_with_authority(frame, place)), area=place.name, table=f"{priority} need and provision",
        period=latest_period(i.period for i in shown),
        sheet="Need and provision", headers=headers, indicators=tuple(shown),
        sources=({"label": "Provision: sites of the chosen types", "unit": "% of residents",
                  "period": sites_words, "source": f"{place.name}'s register of services and interventions"},),
        notes=(f"Need against provision for {priority}, by ward, with the weights, site types and distance chosen "
               "on the page. None of the lists of sites is known to be current.",),
        formats={"need_score": "0.00", "provision_pct": "0"}, publisher=place.publisher)
