"""Deprived versus affluent Coventry for any indicator: quantile groups, the gap, SII and RII.

The building blocks are in :mod:`explorer.inequality` (PHE's ``phe_sii``); this module chooses the small
areas, their deprivation ordering and their populations for an indicator, refuses circular orderings, and
says what the figures mean in words.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import pandas as pd

from explorer.aggregate import decile1_flag
from explorer.inequality import SlopeIndex, assign_quantiles, gap, quantile_table, slope_index
from explorer.registry import Indicator

QUANTILE_WORDS = {5: "fifths (quintiles)", 10: "tenths (deciles)"}
# The deprivation index each kind of small area is ordered by, and its registry family.
ORDERINGS = {
    "lsoa21": ("imd25", "IMD 2025 score"),
    "lsoa11": ("imd19", "IMD 2019 rank (the 2011 neighbourhoods' own edition)"),
    "msoa11": ("imd25", "IMD 2025 score averaged over each MSOA's LSOAs (Census 2021 residents)"),
}
EDITION_NAMES = {"imd25": "IMD 2025", "imd19": "IMD 2019", "imd15": "IMD 2015"}


@dataclass(frozen=True)
class GapResult:
    """The Marmot gap for one indicator (``slope`` is None when the ordering is circular: see ``circular``)."""

    table: pd.DataFrame
    slope: SlopeIndex | None
    absolute: float
    relative: float
    units: str
    ordering: str
    n: int
    circular: str = ""


def ordering_family(ind: Indicator) -> str:
    """The deprivation index the indicator's small areas are ordered by (imd25 or imd19)."""
    return ORDERINGS["lsoa21" if ind.geography == "grid1km" else ind.geography][0]


def no_gap_reason(ind: Indicator) -> str:
    """Why no deprived-against-affluent comparison is made at all, or "" when one can be.

    Groups of areas are compared by their rate or mean; a bare count (children in low-income families,
    with no population to divide by) would only say which groups hold more people.
    """
    if ind.method == "count":
        return (f"No gap is worked out for {ind.label.lower()}: it is a count, not a rate, and the groups of "
                "areas hold different numbers of people, so a bigger count need not mean a bigger share.")
    return ""


def circular_reason(ind: Indicator) -> str:
    """Why no slope index is given against the ordering, or "" when the ordering is independent.

    Examples
    --------
    >>> from explorer.registry import load_registry
    >>> from explorer import paths
    >>> registry = load_registry(paths.data_dir() / "registry" / "indicators.csv")
    >>> circular_reason(registry["le_male"])
    ''
    >>> circular_reason(registry["imd25_income"])[:60]
    'It is part of IMD 2025, the index the areas are ordered by: '
    """
    family = ordering_family(ind)
    if ind.ordering_family != family:
        return ""
    return (f"It is part of {EDITION_NAMES[family]}, the index the areas are ordered by: a slope against "
            "itself would only restate how the areas were sorted.")


def units(ind: Indicator, values: pd.DataFrame, lookups: pd.DataFrame, weights: pd.DataFrame,
          registry: dict[str, Indicator], ordering: str | None = None) -> tuple[pd.DataFrame, str, str]:
    """The small areas an indicator's gap is measured over.

    Parameters
    ----------
    ind : Indicator
        The indicator.
    values, lookups, weights : DataFrame
        The processed values, LSOA lookups and LSOA population weights.
    registry : dict
        Indicators by id (for the indicator's small-area drill-down).
    ordering : str, optional
        For MSOA indicators, the deprivation index to order by: ``imd25`` (default), ``imd19`` or ``imd15``
        (each averaged over the MSOA's LSOAs), for the sensitivity of the gap to the edition.

    Returns
    -------
    frame : DataFrame
        ``value``, ``lower``, ``upper``, ``numerator``, ``denominator``, ``deprivation`` (higher = more
        deprived) and ``population`` by area code.
    units : str
        What the areas are, in words.
    ordering : str
        How they are ranked by deprivation, in words.
    """
    geography = "lsoa21" if ind.geography == "grid1km" else ind.geography
    source = registry[ind.small_area_id]
    own = values[(values["indicator"] == source.id) & (values["geography"] == geography)].set_index("code")
    frame = own[["value", "lower", "upper", "numerator", "denominator"]].copy()
    if ind.method == "decile1_share":
        frame["value"] = decile1_flag(frame["value"])
    imd25 = values[(values["indicator"] == "imd25_score") & (values["geography"] == "lsoa21")].set_index("code")
    w21 = weights[weights["geography"] == "lsoa21"].set_index("code")
    w11 = weights[weights["geography"] == "lsoa11"].set_index("code")
    if geography == "lsoa21":
        column = ind.weight if ind.weight in w21.columns else "census2021"
        frame["deprivation"] = imd25["value"]
        frame["population"] = w21[column]
        words, order = "2021 neighbourhoods (LSOAs)", ORDERINGS["lsoa21"][1]
    elif geography == "lsoa11":
        column = ind.weight if ind.weight in w11.columns else "mye2019"
        rank = values[(values["indicator"] == "imd19_rank") & (values["geography"] == "lsoa11")].set_index("code")
        frame["deprivation"] = -rank["value"]
        frame["population"] = w11[column]
        words, order = "2011 neighbourhoods (LSOAs)", ORDERINGS["lsoa11"][1]
    else:
        frame["deprivation"], frame["population"], order = _msoa_deprivation(values, lookups, weights,
                                                                             ordering or "imd25")
        words = "MSOAs"
    return frame.dropna(subset=["deprivation", "population"]), words, order


def _msoa_deprivation(values, lookups, weights, ordering: str) -> tuple[pd.Series, pd.Series, str]:
    """Each MSOA's population-weighted deprivation (higher = more deprived) and population."""
    w21 = weights[weights["geography"] == "lsoa21"].set_index("code")["census2021"]
    link21 = lookups[lookups["geography"] == "lsoa21"].set_index("lsoa")["msoa"]
    population = w21.groupby(link21.reindex(w21.index)).sum()
    if ordering == "imd25":
        score = values[(values["indicator"] == "imd25_score") & (values["geography"] == "lsoa21")].set_index("code")
        msoa = link21.reindex(w21.index)
        dep = (score["value"].reindex(w21.index) * w21).groupby(msoa).sum() / population
        return dep, population, ORDERINGS["msoa11"][1]
    w11 = weights[weights["geography"] == "lsoa11"].set_index("code")["iod19_total"]
    link11 = lookups[lookups["geography"] == "lsoa11"].set_index("lsoa")["msoa"].reindex(w11.index)
    key = {"imd19": "imd19_rank", "imd15": "imd15_score"}[ordering]
    own = values[(values["indicator"] == key) & (values["geography"] == "lsoa11")].set_index("code")["value"]
    signed = -own if key.endswith("rank") else own
    dep = (signed.reindex(w11.index) * w11).groupby(link11).sum() / w11.groupby(link11).sum()
    words = {"imd19": "IMD 2019 rank averaged over each MSOA's 2011 LSOAs (mid-2015 populations)",
             "imd15": "IMD 2015 score averaged over each MSOA's 2011 LSOAs (mid-2015 populations)"}[ordering]
    return dep, population, words


def marmot_gap(ind: Indicator, values: pd.DataFrame, lookups: pd.DataFrame, weights: pd.DataFrame,
               registry: dict[str, Indicator], n: int = 5, ordering: str | None = None) -> GapResult:
    """Quantile table, most- versus least-deprived gap, SII and RII (phe_sii) for one indicator.

    The slope index is not computed when the indicator is (part of) the index the areas are ordered by.
    """
    frame, words, order = units(ind, values, lookups, weights, registry, ordering)
    assignment = assign_quantiles(frame["deprivation"], frame["population"], n)
    table = quantile_table(frame, assignment, interval=ind.interval, value_type=ind.value_type,
                           low=0.0 if ind.value_type != "other" or _never_negative(ind) else None)
    absolute, relative = gap(table)
    why = circular_reason(ind) if ordering in (None, ordering_family(ind)) else ""
    slope = None if why else slope_index(table, ind.value_type)
    return GapResult(table, slope, absolute, relative, words, order, n, why)


def _never_negative(ind: Indicator) -> bool:
    """Scores standardised around zero (the IMD health and crime domains) can be negative; the rest cannot."""
    return "standardised around 0" not in ind.caveat


def _with_unit(value: float, ind: Indicator) -> str:
    from explorer.citymap import with_unit

    return with_unit(value, ind)


def explain(result: GapResult, ind: Indicator, area: str = "Coventry") -> str:
    """The method and the finding in words a non-statistician can follow.

    Differences are stated as the most deprived end against the least deprived end, with "higher" or
    "lower" rather than a sign.
    """
    first, last = result.table["value"].iloc[0], result.table["value"].iloc[-1]
    areas = int(result.table["areas"].sum())
    group = QUANTILE_WORDS.get(result.n, f"{result.n} groups").split(" ")[0][:-1]  # "fifth" / "tenth"
    text = (
        f"{area}'s {areas} {result.units} were ranked by {result.ordering} and split into "
        f"{QUANTILE_WORDS.get(result.n, f'{result.n} groups')} with equal numbers of residents. "
        f"Most deprived {group}: {_with_unit(first, ind)}; least deprived {group}: {_with_unit(last, ind)} "
        f"({_difference(result.absolute, ind)} in the most deprived). "
    )
    s = result.slope
    if s is None:
        return text + f"No slope index is given. {result.circular}"
    if math.isnan(s.sii_lower):
        text += (f"Fitting a line through every group (the slope index of inequality), the most deprived end is "
                 f"{_difference(-s.sii, ind)} than the least deprived; no 95% interval is given because "
                 f"{s.why_no_interval}.")
    else:
        low, high = sorted((-s.sii_upper, -s.sii_lower))
        if low <= 0 <= high:
            return text + (
                "Fitting a line through every group (the slope index of inequality) finds no clear gradient: "
                f"the 95% confidence interval ({_signed(low, ind)} to {_signed(high, ind)}) includes zero.")
        text += (
            "Fitting a line through every group, not only the two ends (the slope index of inequality), the most "
            f"deprived end of the city is {_difference(-s.sii, ind)} than the least deprived "
            f"(95% CI {_with_unit(min(abs(low), abs(high)), ind)} to {_with_unit(max(abs(low), abs(high)), ind)}).")
    if math.isnan(s.rii):
        return text + f" No relative index is given: {s.why_no_rii}."
    interval = "" if math.isnan(s.rii_lower) else f", 95% CI {s.rii_lower:.3f} to {s.rii_upper:.3f}"
    return text + (f" The relative index of inequality (PHE's phe_sii: the fitted value at the least deprived end "
                   f"divided by that at the most deprived end) is {s.rii:.3f}{interval}.")


def _signed(value: float, ind: Indicator) -> str:
    return ("−" if value < 0 else "") + _with_unit(abs(value), ind)


def _difference(most_minus_least: float, ind: Indicator) -> str:
    if most_minus_least == 0:
        return "no difference"
    word = "higher" if most_minus_least > 0 else "lower"
    from explorer.compare import difference_text

    return f"{difference_text(most_minus_least, ind)} {word}"


def gap_summary(registry: dict[str, Indicator], values: pd.DataFrame, lookups: pd.DataFrame,
                weights: pd.DataFrame, n: int = 5) -> pd.DataFrame:
    """The gap, SII and RII (phe_sii) for every ward-level indicator, as a table.

    Differences (gap and SII) are most deprived minus least deprived (negative = lower in the most deprived).
    RII is phe_sii's ratio least / most deprived. ``note`` says why a figure is missing.
    """
    rows = []
    for ind in registry.values():
        if not ind.on_ward_map:
            continue
        if no_gap_reason(ind):
            rows.append({"id": ind.id, "theme": ind.theme, "label": ind.label, "unit": ind.unit, "period": ind.period,
                         "note": no_gap_reason(ind)})
            continue
        r = marmot_gap(ind, values, lookups, weights, registry, n)
        s = r.slope
        nan = float("nan")
        row = {
            "id": ind.id, "theme": ind.theme, "label": ind.label, "unit": ind.unit, "period": ind.period,
            "areas": r.units, "ordering": r.ordering, "most_deprived": r.table["value"].iloc[0],
            "least_deprived": r.table["value"].iloc[-1], "gap": r.absolute, "ratio": r.relative,
            "sii": nan, "sii_lower": nan, "sii_upper": nan, "rii": nan, "rii_lower": nan, "rii_upper": nan,
            "note": r.circular,
        }
        if s is not None:
            row.update(sii=-s.sii, sii_lower=-s.sii_upper, sii_upper=-s.sii_lower, rii=s.rii, rii_lower=s.rii_lower,
                       rii_upper=s.rii_upper,
                       note=" ".join(x for x in (f"No SII interval: {s.why_no_interval}." if s.why_no_interval
                                                 else "", f"No RII: {s.why_no_rii}." if s.why_no_rii else "") if x))
        rows.append(row)
    return pd.DataFrame(rows)


def ordering_sensitivity(ind: Indicator, values: pd.DataFrame, lookups: pd.DataFrame, weights: pd.DataFrame,
                         registry: dict[str, Indicator], n: int = 5) -> pd.DataFrame:
    """The slope index of an MSOA indicator with its areas ordered by each IMD edition held.

    Returns one row per ordering: ordering (words), sii (most minus least deprived), sii_lower, sii_upper.
    """
    rows = []
    for key in ("imd25", "imd19", "imd15"):
        r = marmot_gap(ind, values, lookups, weights, registry, n, ordering=key)
        s = r.slope
        rows.append({"edition": EDITION_NAMES[key], "ordering": r.ordering, "sii": -s.sii,
                     "sii_lower": -s.sii_upper, "sii_upper": -s.sii_lower})
    return pd.DataFrame(rows).assign(sii=lambda f: f["sii"].astype(float)).replace({np.inf: np.nan})


def gap_display(summary: pd.DataFrame) -> pd.DataFrame:
    """The gap table as printed: each figure with its interval in one cell, blanks explained, never "nan".

    Columns: Indicator, Period, Most deprived, Least deprived, Gap (most − least), SII (most − least, 95% CI),
    RII (least ÷ most, 95% CI), Note.
    """
    def number(v: float, places: int = 2) -> str:
        return "–" if pd.isna(v) else f"{v:,.{places}f}".replace("-", "−")

    def interval(v: float, lo: float, hi: float, places: int) -> str:
        if pd.isna(v):
            return "not given"
        return number(v, places) + ("" if pd.isna(lo) else f" ({number(lo, places)} to {number(hi, places)})")

    return pd.DataFrame({
        "Indicator": summary["label"] + " (" + summary["unit"] + ")",
        "Period": summary["period"],
        "Most deprived": summary["most_deprived"].map(number),
        "Least deprived": summary["least_deprived"].map(number),
        "Gap (most − least)": summary["gap"].map(number),
        "SII (most − least, 95% CI)": [interval(*r, 2) for r in zip(summary["sii"], summary["sii_lower"],
                                                                        summary["sii_upper"], strict=True)],
        "RII (least ÷ most, 95% CI)": [interval(*r, 3) for r in zip(summary["rii"], summary["rii_lower"],
                                                                       summary["rii_upper"], strict=True)],
        "Note": summary["note"].fillna(""),
    })


GAP_COLUMNS = [
    ("Indicator", False), ("Most deprived", True), ("Least deprived", True), ("Gap (most − least)", True),
    ("SII (most − least, 95% CI)", True), ("RII (least ÷ most, 95% CI)", True),
]


def gap_html(summary: pd.DataFrame, n: int) -> str:
    """The every-indicator gap table (:func:`gap_display`) as an HTML table that fits any width.

    Each indicator's period is under its name and its note (why a figure is not given) on a line below it.
    """
    from explorer.tables import Column, html_table

    shown = gap_display(summary)
    columns = [Column(key, key, numeric=numeric, sub="Period" if key == "Indicator" else None)
               for key, numeric in GAP_COLUMNS]
    return html_table(shown, columns, details="Note", missing_words="–",
                      caption=f"Gap, slope index and relative index of every indicator, {QUANTILE_WORDS.get(n, n)}")


def groups_frame(result: GapResult, ind: Indicator) -> pd.DataFrame:
    """The deprivation groups as printed: group name, value, 95% interval, residents and areas."""
    from explorer.profile import number_text

    table = result.table
    last = result.n

    def name(q: int) -> str:
        return f"{q} (most deprived)" if q == 1 else f"{q} (least deprived)" if q == last else str(q)

    return pd.DataFrame({
        "group": [name(int(q)) for q in table["quantile"]],
        "value": [number_text(v, 2) for v in table["value"]],
        "interval": ["–" if pd.isna(lo) or pd.isna(hi) else f"{number_text(lo, 2)} to {number_text(hi, 2)}"
                     for lo, hi in zip(table["lower"], table["upper"], strict=True)],
        "population": [number_text(v, 0) for v in table["population"]],
        "areas": [number_text(v, 0) for v in table["areas"]],
    })


def groups_html(result: GapResult, ind: Indicator, area: str = "Coventry") -> str:
    """The groups' values with their intervals as an HTML table; the unit is in the value's header."""
    from explorer.tables import Column, html_table

    columns = [Column("group", "Group"), Column("value", f"Value ({ind.unit})", numeric=True),
               Column("interval", f"95% CI ({ind.unit})", numeric=True),
               Column("population", "Residents", numeric=True), Column("areas", "Areas", numeric=True)]
    return html_table(groups_frame(result, ind), columns,
                      caption=f"{ind.label} in each of {area}'s {QUANTILE_WORDS.get(result.n, result.n)}")


def sensitivity_html(table: pd.DataFrame, ind: Indicator) -> str:
    """:func:`ordering_sensitivity` as an HTML table: the slope index with the areas ordered by each edition."""
    from explorer.tables import Column, html_table

    def words(v: float, lo: float, hi: float) -> str:
        unit = ind.unit if ind.unit not in ("score", "decile") else ""
        return (f"{abs(v):.1f} {unit} {'lower' if v < 0 else 'higher'} in the most deprived "
                f"(95% CI {abs(hi):.1f} to {abs(lo):.1f})").replace("  ", " ")

    shown = table.assign(gap=[words(*r) for r in zip(table["sii"], table["sii_lower"], table["sii_upper"],
                                                        strict=True)])
    return html_table(shown, [Column("edition", "Areas ordered by"), Column("ordering", "How"),
                              Column("gap", "Slope index of inequality")],
                      caption=f"{ind.label}: the slope index with the areas ordered by each edition of the IMD")
