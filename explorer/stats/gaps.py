"""Deprived versus affluent areas of an authority for any indicator: quantile groups, the gap, SII and RII.

The building blocks are in :mod:`explorer.stats.inequality` (PHE's ``phe_sii``); this module chooses the small
areas, their deprivation ordering and their populations for an indicator and refuses circular orderings.
What the figures mean in words, and the tables pages print, are in :mod:`explorer.models.gap_views`.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import pandas as pd

from explorer.registry import Indicator
from explorer.stats.inequality import (
    SlopeIndex,
    assign_quantiles,
    gap,
    gradient_reason,
    quantile_table,
    slope_index,
)

QUANTILE_WORDS = {5: "fifths (quintiles)", 10: "tenths (deciles)"}
# The deprivation index each kind of small area is ordered by, and its registry family.
ORDERINGS = {
    "lsoa21": ("imd25", "IMD 2025 score"),
    "lsoa11": ("imd19", "IMD 2019 rank (the 2011 neighbourhoods' own edition)"),
    "msoa11": ("imd25", "IMD 2025 score averaged over each MSOA's LSOAs (Census 2021 residents)"),
}
EDITION_NAMES = {"imd25": "IMD 2025", "imd19": "IMD 2019", "imd15": "IMD 2015"}
# What each ordering's deprivation is measured in, for the spread a slope needs (inequality.GRADIENT_MIN_SPREAD).
SPREAD_KIND = {"imd25": "score", "imd19": "rank", "imd15": "score"}


def decile1_flag(deciles: pd.Series) -> pd.Series:
    """100 where an area is in the most deprived national decile, else 0 (NaN stays NaN)."""
    return (deciles == 1).astype(float).where(deciles.notna()) * 100


@dataclass(frozen=True)
class GapResult:
    """The Marmot gap for one indicator.

    ``slope`` is None when no slope index is given, and ``no_slope`` says why: the ordering is circular, or the
    areas are too few (or too alike in deprivation) for a gradient to mean anything.
    """

    table: pd.DataFrame
    slope: SlopeIndex | None
    absolute: float
    relative: float
    units: str
    ordering: str
    n: int
    no_slope: str = ""

    @property
    def circular(self) -> str:
        """Why no slope index is given (the name it had when circularity was the only reason)."""
        return self.no_slope


def ordering_family(ind: Indicator) -> str:
    """The deprivation index the indicator's small areas are ordered by (imd25 or imd19)."""
    return ORDERINGS["lsoa21" if ind.geography == "grid1km" else ind.geography][0]


def no_gap_reason(ind: Indicator) -> str:
    """Why no deprived-against-affluent comparison is made at all, or "" when one can be.

    Groups of areas are compared by their rate or mean; a bare count (children in low-income families,
    with no population to divide by) would only say which groups hold more people; a figure published for
    wards only has no neighbourhoods to order by deprivation.
    """
    if ind.method == "count":
        return (f"No gap is worked out for {ind.label.lower()}: it is a count, not a rate, and the groups of "
                "areas hold different numbers of people, so a bigger count need not mean a bigger share.")
    if ind.method == "ward_published":
        return (f"No gap is worked out for {ind.label.lower()}: it is published for wards only, and the gap is "
                "measured between neighbourhoods (LSOAs or MSOAs) ordered by deprivation; no neighbourhood "
                "figures are held.")
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
          registry: dict[str, Indicator], ordering: str | None = None,
          orderings: dict | None = None) -> tuple[pd.DataFrame, str, str]:
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
    orderings : dict, optional
        Where to keep each kind of area's deprivation and populations once worked out (:func:`area_ordering`),
        for a caller asking about many indicators of the same ``values``, ``lookups`` and ``weights``: pass one
        empty dict with each set of tables.

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
    key = (geography, ind.weight, None if geography != "msoa11" else ordering or "imd25")
    if orderings is None or key not in orderings:
        found = area_ordering(geography, ind.weight, values, lookups, weights, ordering)
        if orderings is None:
            orderings = {}
        orderings[key] = found
    deprivation, population, words, order = orderings[key]
    frame["deprivation"] = deprivation
    frame["population"] = population
    return frame.dropna(subset=["deprivation", "population"]), words, order


def area_ordering(geography: str, weight: str, values: pd.DataFrame, lookups: pd.DataFrame, weights: pd.DataFrame,
                  ordering: str | None = None) -> tuple[pd.Series, pd.Series, str, str]:
    """Each small area's deprivation (higher = more deprived) and population, what the areas are and their order.

    The part of :func:`units` that depends only on the kind of area (``lsoa21``, ``lsoa11`` or ``msoa11``), the
    indicator's population ``weight`` and, for MSOAs, the ``ordering``: the same for every indicator of a kind.
    """
    if geography == "lsoa21":
        imd25 = values[(values["indicator"] == "imd25_score") & (values["geography"] == "lsoa21")].set_index("code")
        w21 = weights[weights["geography"] == "lsoa21"].set_index("code")
        column = weight if weight in w21.columns else "census2021"
        return imd25["value"], w21[column], "2021 neighbourhoods (LSOAs)", ORDERINGS["lsoa21"][1]
    if geography == "lsoa11":
        w11 = weights[weights["geography"] == "lsoa11"].set_index("code")
        column = weight if weight in w11.columns else "mye2019"
        rank = values[(values["indicator"] == "imd19_rank") & (values["geography"] == "lsoa11")].set_index("code")
        return -rank["value"], w11[column], "2011 neighbourhoods (LSOAs)", ORDERINGS["lsoa11"][1]
    deprivation, population, order = _msoa_deprivation(values, lookups, weights, ordering or "imd25")
    return deprivation, population, "MSOAs", order


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
               registry: dict[str, Indicator], n: int = 5, ordering: str | None = None,
               orderings: dict | None = None) -> GapResult:
    """Quantile table, most- versus least-deprived gap, SII and RII (phe_sii) for one indicator.

    Each group's value and interval come from one method (:func:`explorer.stats.inequality.quantile_table`).
    The slope index is not given when the indicator is (part of) the index the areas are ordered by, when the
    areas are too few or too alike in deprivation for a gradient to mean anything
    (:func:`explorer.stats.inequality.gradient_reason`), nor (with the gap) when too few areas have a value to
    fill every group; ``no_slope`` then says why. ``orderings`` is :func:`units`'s.
    """
    frame, words, order = units(ind, values, lookups, weights, registry, ordering, orderings)
    return gap_over(ind, frame, words, order, n, ordering)


def gap_over(ind: Indicator, frame: pd.DataFrame, words: str, order: str, n: int = 5, ordering: str | None = None,
             assignment: pd.Series | None = None) -> GapResult:
    """:func:`marmot_gap` over areas already found by :func:`units` (``frame``, ``words``, ``order``).

    ``assignment`` is :func:`~explorer.stats.inequality.assign_quantiles` of ``frame``'s deprivation and
    population into ``n`` groups, where the caller has it already.
    """
    if assignment is None:
        assignment = assign_quantiles(frame["deprivation"], frame["population"], n)
    table = quantile_table(frame, assignment, interval=ind.interval, value_type=ind.value_type,
                           low=0.0 if ind.value_type != "other" or _never_negative(ind) else None, per=ind.per,
                           shares_of_areas=ind.method == "decile1_share")
    absolute, relative = gap(table)
    why = circular_reason(ind) if ordering in (None, ordering_family(ind)) else ""
    if not why and int(table["value"].notna().sum()) < n:  # the groups' two ends would be the same areas
        why = (f"Only {int(table['areas'].sum())} {words} have a value: too few to make {n} groups of about equal "
               "numbers of residents.")
        absolute = relative = math.nan
    if not why:
        have = frame["deprivation"][frame["value"].notna()]
        why = gradient_reason(have, SPREAD_KIND[ordering or ordering_family(ind)], n, words)
    slope = None if why else slope_index(table, ind.value_type)
    return GapResult(table, slope, absolute, relative, words, order, n, why)


def _never_negative(ind: Indicator) -> bool:
    """Scores standardised around zero (the IMD health and crime domains) can be negative; the rest cannot."""
    return "standardised around 0" not in ind.caveat


def gap_results(registry: dict[str, Indicator], values: pd.DataFrame, lookups: pd.DataFrame, weights: pd.DataFrame,
                n: int = 5) -> dict[str, GapResult | str]:
    """:func:`marmot_gap` of every ward-level indicator, by id; for one with no gap at all, the reason instead."""
    out: dict[str, GapResult | str] = {}
    for ind in registry.values():
        if ind.on_ward_map:
            out[ind.id] = no_gap_reason(ind) or marmot_gap(ind, values, lookups, weights, registry, n)
    return out


def gap_summary(registry: dict[str, Indicator], values: pd.DataFrame, lookups: pd.DataFrame,
                weights: pd.DataFrame, n: int = 5, results: dict[str, GapResult | str] | None = None) -> pd.DataFrame:
    """The gap, SII and RII (phe_sii) for every ward-level indicator, as a table.

    Differences (gap and SII) are most deprived minus least deprived (negative = lower in the most deprived).
    RII is phe_sii's ratio least / most deprived. ``note`` says why a figure is missing. Every row carries its
    period and source, and (where a gap is worked out) what its areas are and what they were ordered by.
    ``results`` is :func:`gap_results`, when already worked out.
    """
    results = results if results is not None else gap_results(registry, values, lookups, weights, n)
    rows = []
    for key, r in results.items():
        ind = registry[key]
        if isinstance(r, str):
            rows.append({"id": ind.id, "theme": ind.theme, "label": ind.label, "unit": ind.unit, "period": ind.period,
                         "source": ind.source, "note": r})
            continue
        s = r.slope
        nan = float("nan")
        row = {
            "id": ind.id, "theme": ind.theme, "label": ind.label, "unit": ind.unit, "period": ind.period,
            "source": ind.source, "areas": r.units, "ordering": r.ordering, "most_deprived": r.table["value"].iloc[0],
            "least_deprived": r.table["value"].iloc[-1], "gap": r.absolute, "ratio": r.relative,
            "sii": nan, "sii_lower": nan, "sii_upper": nan, "rii": nan, "rii_lower": nan, "rii_upper": nan,
            "note": r.no_slope,
        }
        if s is not None:
            row.update(sii=-s.sii, sii_lower=-s.sii_upper, sii_upper=-s.sii_lower, rii=s.rii, rii_lower=s.rii_lower,
                       rii_upper=s.rii_upper, note=slope_note(s))
        rows.append(row)
    return pd.DataFrame(rows)


def slope_note(s: SlopeIndex) -> str:
    """Why a slope index has no interval, or no relative index is given, in a sentence or two ("" if neither)."""
    return " ".join(x for x in (f"No SII interval: {s.why_no_interval}." if s.why_no_interval else "",
                                f"No RII: {s.why_no_rii}." if s.why_no_rii else "") if x)


def ordering_sensitivity(ind: Indicator, values: pd.DataFrame, lookups: pd.DataFrame, weights: pd.DataFrame,
                         registry: dict[str, Indicator], n: int = 5) -> pd.DataFrame:
    """The slope index of an MSOA indicator with its areas ordered by each IMD edition held.

    Returns one row per ordering: ordering (words), sii (most minus least deprived), sii_lower, sii_upper and
    note (why a figure is missing).
    """
    rows = []
    for key in ("imd25", "imd19", "imd15"):
        r = marmot_gap(ind, values, lookups, weights, registry, n, ordering=key)
        s = r.slope
        nan = float("nan")
        rows.append({"edition": EDITION_NAMES[key], "ordering": r.ordering, "sii": nan if s is None else -s.sii,
                     "sii_lower": nan if s is None else -s.sii_upper, "sii_upper": nan if s is None else -s.sii_lower,
                     "note": r.no_slope if s is None else slope_note(s)})
    return pd.DataFrame(rows).assign(sii=lambda f: f["sii"].astype(float)).replace({np.inf: np.nan})
