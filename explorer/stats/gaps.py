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
from explorer.stats.inequality import SlopeIndex, assign_quantiles, gap, quantile_table, slope_index

QUANTILE_WORDS = {5: "fifths (quintiles)", 10: "tenths (deciles)"}
# The deprivation index each kind of small area is ordered by, and its registry family.
ORDERINGS = {
    "lsoa21": ("imd25", "IMD 2025 score"),
    "lsoa11": ("imd19", "IMD 2019 rank (the 2011 neighbourhoods' own edition)"),
    "msoa11": ("imd25", "IMD 2025 score averaged over each MSOA's LSOAs (Census 2021 residents)"),
}
EDITION_NAMES = {"imd25": "IMD 2025", "imd19": "IMD 2019", "imd15": "IMD 2015"}


def decile1_flag(deciles: pd.Series) -> pd.Series:
    """100 where an area is in the most deprived national decile, else 0 (NaN stays NaN)."""
    return (deciles == 1).astype(float).where(deciles.notna()) * 100


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

    The slope index is not computed when the indicator is (part of) the index the areas are ordered by, nor
    (with the gap) when too few areas have a value to fill every group; ``circular`` then says why.
    """
    frame, words, order = units(ind, values, lookups, weights, registry, ordering)
    assignment = assign_quantiles(frame["deprivation"], frame["population"], n)
    table = quantile_table(frame, assignment, interval=ind.interval, value_type=ind.value_type,
                           low=0.0 if ind.value_type != "other" or _never_negative(ind) else None)
    absolute, relative = gap(table)
    why = circular_reason(ind) if ordering in (None, ordering_family(ind)) else ""
    if not why and int(table["value"].notna().sum()) < n:  # the groups' two ends would be the same areas
        why = (f"Only {int(table['areas'].sum())} {words} have a value: too few to make {n} groups with equal numbers "
               "of residents.")
        absolute = relative = math.nan
    slope = None if why else slope_index(table, ind.value_type)
    return GapResult(table, slope, absolute, relative, words, order, n, why)


def _never_negative(ind: Indicator) -> bool:
    """Scores standardised around zero (the IMD health and crime domains) can be negative; the rest cannot."""
    return "standardised around 0" not in ind.caveat


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
