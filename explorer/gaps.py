"""Deprived versus affluent Coventry for any indicator: quantile groups, the gap, SII and RII.

The building blocks are in :mod:`explorer.inequality`; this module chooses the
small areas, their deprivation ordering and their populations for an indicator.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from explorer.aggregate import decile1_flag
from explorer.inequality import SlopeIndex, assign_quantiles, gap, quantile_table, slope_index
from explorer.registry import Indicator

QUANTILE_WORDS = {5: "fifths (quintiles)", 10: "tenths (deciles)"}


@dataclass(frozen=True)
class GapResult:
    """The Marmot gap for one indicator."""

    table: pd.DataFrame
    slope: SlopeIndex
    absolute: float
    relative: float
    units: str
    ordering: str
    n: int


def units(ind: Indicator, values: pd.DataFrame, lookups: pd.DataFrame, weights: pd.DataFrame,
          registry: dict[str, Indicator]) -> tuple[pd.DataFrame, str, str]:
    """The small areas an indicator's gap is measured over.

    Returns
    -------
    frame : DataFrame
        ``value``, ``lower``, ``upper``, ``deprivation`` (higher = more deprived), ``population`` by area code.
    units : str
        What the areas are, in words.
    ordering : str
        How they are ranked by deprivation, in words.
    """
    geography = "lsoa21" if ind.geography == "grid1km" else ind.geography
    source = registry[ind.small_area_id]
    own = values[(values["indicator"] == source.id) & (values["geography"] == geography)].set_index("code")
    frame = own[["value", "lower", "upper"]].copy()
    if ind.method == "decile1_share":
        frame["value"] = decile1_flag(frame["value"])
    imd25 = values[(values["indicator"] == "imd25_score") & (values["geography"] == "lsoa21")].set_index("code")
    w21 = weights[weights["geography"] == "lsoa21"].set_index("code")
    w11 = weights[weights["geography"] == "lsoa11"].set_index("code")
    if geography == "lsoa21":
        column = ind.weight if ind.weight in w21.columns else "census2021"
        frame["deprivation"] = imd25["value"]
        frame["population"] = w21[column]
        words, ordering = "2021 neighbourhoods (LSOAs)", "IMD 2025 score"
    elif geography == "lsoa11":
        column = ind.weight if ind.weight in w11.columns else "mye2019"
        rank = values[(values["indicator"] == "imd19_rank") & (values["geography"] == "lsoa11")].set_index("code")
        frame["deprivation"] = -rank["value"]
        frame["population"] = w11[column]
        words, ordering = "2011 neighbourhoods (LSOAs)", "IMD 2019 rank (the 2011 neighbourhoods' own edition)"
    else:
        link = lookups[lookups["geography"] == "lsoa21"].set_index("lsoa")
        pop = w21["census2021"]
        msoa = link["msoa"].reindex(pop.index)
        frame["population"] = pop.groupby(msoa).sum()
        frame["deprivation"] = (imd25["value"] * pop).groupby(msoa).sum() / frame["population"]
        words, ordering = "MSOAs", "IMD 2025 score averaged over each MSOA's LSOAs (Census 2021 residents)"
    return frame.dropna(subset=["deprivation", "population"]), words, ordering


def marmot_gap(ind: Indicator, values: pd.DataFrame, lookups: pd.DataFrame, weights: pd.DataFrame,
               registry: dict[str, Indicator], n: int = 5) -> GapResult:
    """Quantile table, most- versus least-deprived gap, SII and RII for one indicator."""
    frame, words, ordering = units(ind, values, lookups, weights, registry)
    assignment = assign_quantiles(frame["deprivation"], frame["population"], n)
    lower = frame["lower"] if ind.has_ci else None
    upper = frame["upper"] if ind.has_ci else None
    table = quantile_table(frame["value"], frame["population"], assignment, lower, upper)
    absolute, relative = gap(table)
    return GapResult(table, slope_index(table), absolute, relative, words, ordering, n)


def explain(result: GapResult, ind: Indicator) -> str:
    """The method and the finding in words a non-statistician can follow.

    Differences are stated as the most deprived end minus the least deprived
    end, with "higher" or "lower" rather than a sign.
    """
    from explorer.citymap import with_unit

    s = result.slope
    first, last = result.table["value"].iloc[0], result.table["value"].iloc[-1]
    areas = int(result.table["areas"].sum())
    group = QUANTILE_WORDS.get(result.n, f"{result.n} groups").split(" ")[0][:-1]  # "fifth" / "tenth"
    text = (
        f"Coventry's {areas} {result.units} were ranked by {result.ordering} and split into "
        f"{QUANTILE_WORDS.get(result.n, f'{result.n} groups')} with equal numbers of residents. "
        f"Most deprived {group}: {with_unit(first, ind)}; least deprived {group}: {with_unit(last, ind)} "
        f"({_difference(result.absolute, ind)} in the most deprived). "
    )
    low, high = sorted((-s.sii_upper, -s.sii_lower))
    if low <= 0 <= high:
        return text + (
            "Fitting a line through every group (the slope index of inequality) finds no clear gradient: "
            f"the 95% confidence interval ({with_unit(low, ind)} to {with_unit(high, ind)}) includes zero."
        )
    text += (
        "Fitting a line through every group, not only the two ends (the slope index of inequality), the most "
        f"deprived end of the city is {_difference(-s.sii, ind)} than the least deprived "
        f"(95% CI {with_unit(min(abs(low), abs(high)), ind)} to {with_unit(max(abs(low), abs(high)), ind)})"
    )
    if (result.table["value"] > 0).all():
        return text + f"; that is {abs(s.rii) * 100:.0f}% of the city average (relative index of inequality)."
    return text + ". (A relative index is not given: this score is centred on zero.)"


def _difference(most_minus_least: float, ind: Indicator) -> str:
    from explorer.citymap import with_unit

    if most_minus_least == 0:
        return "no difference"
    word = "higher" if most_minus_least > 0 else "lower"
    return f"{with_unit(abs(most_minus_least), ind)} {word}"


def gap_summary(registry: dict[str, Indicator], values: pd.DataFrame, lookups: pd.DataFrame,
                weights: pd.DataFrame, n: int = 5) -> pd.DataFrame:
    """The gap, SII and RII for every ward-level indicator, as a table.

    Differences are most deprived minus least deprived (negative = lower in the
    most deprived); the RII is that SII as a share of the city average.
    """
    rows = []
    for ind in registry.values():
        if not ind.on_ward_map:
            continue
        r = marmot_gap(ind, values, lookups, weights, registry, n)
        s = r.slope
        # A ratio to the mean means nothing for scores centred on zero (IMD health and crime domains).
        relative = (r.table["value"] > 0).all()
        rows.append({
            "id": ind.id, "theme": ind.theme, "label": ind.label, "unit": ind.unit, "period": ind.period,
            "areas": r.units, "most_deprived": r.table["value"].iloc[0], "least_deprived": r.table["value"].iloc[-1],
            "gap": r.absolute, "ratio": r.relative,
            "sii": -s.sii, "sii_lower": -s.sii_upper, "sii_upper": -s.sii_lower,
            "rii_pct": -s.rii * 100 if relative else float("nan"),
            "rii_lower_pct": -s.rii_upper * 100 if relative else float("nan"),
            "rii_upper_pct": -s.rii_lower * 100 if relative else float("nan"),
        })
    return pd.DataFrame(rows)
