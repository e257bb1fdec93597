"""The Marmot gap: deprived versus affluent groups, and the Slope and Relative Indices of Inequality.

Method: PHE's ``phe_sii`` (PHEindicatormethods; Low and Low, J Public Health 2004;26:388-395).

1. Rank small areas from most to least deprived and cut them into the authority's own quantiles (fifths or
   tenths) of *population*: each area goes wholly to the quantile holding the midpoint of its population, so
   the groups hold about, not exactly, equal numbers of residents.
2. Each quantile's value and its 95% interval come from one method (:mod:`explorer.stats.intervals`):

   - where the counts behind the areas' values are held (people for a share, events and person-years for a
     rate), the counts are added up and divided (PHE's way for a group of areas), with a Wilson interval for
     a share and an exact Poisson interval for a rate;
   - where the source publishes limits, the population-weighted mean of the areas with the published limits
     combined (assuming independent errors);
   - for a share of whole neighbourhoods (residents living in England's most deprived tenth), the
     population-weighted share with a Wilson interval counting the neighbourhoods;
   - for a percentage whose counts are not held, the population-weighted mean and **no interval**
     (:data:`NO_COUNTS`): an interval counting areas as if they were people would be wrong;
   - otherwise (scores, distances, modelled levels) the population-weighted mean with an interval from the
     spread of its areas' values.

   Limits stay within what the measure can take.
3. Each quantile's relative rank is the midpoint of its share of the cumulative population, from 0 (most
   deprived) to 1 (least deprived).
4. A line is fitted through the quantile values against their ranks by least squares weighted by each
   quantile's population share (phe_sii's regression of ``Y*sqrt(a)`` on ``sqrt(a)`` and ``b*sqrt(a)``).
   The SII is its slope: the fitted value at the least deprived end minus that at the most deprived end.
   The RII is the ratio of the fitted values at the two ends, ``(Y0 + SII) / Y0``.
5. 95% intervals of SII and RII come from 100,000 simulations (phe_sii's default) that redraw each
   quantile's value from a normal distribution with its standard error: on the logit scale for proportions
   and the log scale for rates (phe_sii's ``value_type`` 2 and 1), back-transformed before the fit. Where a
   group has no interval, or a proportion is exactly 0% or 100% (or a rate 0) so that scale is undefined, as
   it is in phe_sii, no interval is given and the reason is stated.
6. A ratio means something only where both of its ends are clearly above zero: an RII is given only where
   the fitted line is above zero at both ends in at least :data:`RII_MIN_ABOVE_ZERO` of the simulations
   (so its 95% interval cannot reach zero or below); otherwise, and wherever there are no simulations to show
   it, no RII is given and the reason is stated.
7. A slope means something only over enough areas that differ in deprivation: no SII or RII is given where
   fewer than :data:`GRADIENT_MIN_AREAS_PER_GROUP` areas per group have a value, or where the most and the
   least deprived areas differ by less than :data:`GRADIENT_MIN_SPREAD` (:func:`gradient_reason`).
"""

from __future__ import annotations

import functools
from dataclasses import dataclass

import numpy as np
import pandas as pd

from explorer.stats.intervals import Z95, normal_bounded, poisson_rate, se_from_limits, wilson_percent

SIMULATIONS = 100_000  # phe_sii's default number of repetitions
SEED = 2013  # the year Coventry became a Marmot City; fixed so figures are reproducible

# --- The rules of when a figure is withheld (printed on the About page through explorer.stats.judge.RULES) ---
RII_MIN_ABOVE_ZERO = 0.975  # share of simulations in which the fitted line must be above zero at both ends
GRADIENT_MIN_AREAS_PER_GROUP = 2  # areas with a value per group, on average: 10 for fifths, 20 for tenths
GRADIENT_MIN_SPREAD = {  # how far apart the most and least deprived areas must be, by the kind of ordering
    "score": 5.0,  # IMD score points: about one of England's middle tenths (IMD 2025 LSOA scores 14.1 to 17.4)
    "rank": 3284.0,  # national ranks: a tenth of England's 32,844 2011 LSOAs (IMD 2019)
}
SPREAD_UNITS = {"score": "IMD score points", "rank": "places in England's ranking"}
NO_COUNTS = ("has no interval: the counts behind its areas' percentages are not held, and an interval that counted "
             "areas as if they were people would be wrong")


@dataclass(frozen=True)
class SlopeIndex:
    """Slope and relative index of inequality (phe_sii), with 95% intervals.

    ``sii`` is the fitted value at the least deprived end minus that at the most deprived end; ``rii`` the
    ratio least / most deprived. Limits are NaN where they cannot be computed (``why_no_interval`` says why);
    ``rii`` and its limits are NaN unless the fitted line is clearly above zero at both ends (``why_no_rii``).
    """

    sii: float
    sii_lower: float
    sii_upper: float
    rii: float
    rii_lower: float
    rii_upper: float
    most_deprived_end: float
    least_deprived_end: float
    why_no_interval: str = ""
    why_no_rii: str = ""


def assign_quantiles(deprivation: pd.Series, population: pd.Series, n: int = 5) -> pd.Series:
    """Put each area in a population quantile by deprivation (1 = most deprived).

    Parameters
    ----------
    deprivation : Series
        Higher = more deprived, by area code.
    population : Series
        Population by area code.
    n : int
        Number of quantiles (5 for quintiles, 10 for deciles).

    Examples
    --------
    >>> dep = pd.Series({"a": 9.0, "b": 7.0, "c": 5.0, "d": 1.0})
    >>> assign_quantiles(dep, pd.Series({"a": 1, "b": 1, "c": 1, "d": 1}), 2).to_dict()
    {'a': 1, 'b': 1, 'c': 2, 'd': 2}
    """
    order = deprivation.dropna().sort_values(ascending=False, kind="mergesort")
    pop = population.reindex(order.index).astype(float)
    midpoint = (pop.cumsum() - pop / 2) / pop.sum()
    return (np.floor(midpoint * n).clip(upper=n - 1) + 1).astype(int)


def quantile_table(frame: pd.DataFrame, assignment: pd.Series, *, interval: str, value_type: str,
                   low: float | None = None, per: float | None = None, shares_of_areas: bool = False) -> pd.DataFrame:
    """Each quantile's value and 95% interval from one method, its standard error and relative rank.

    Parameters
    ----------
    frame : DataFrame
        By area code: ``value``, ``population``; ``lower``/``upper`` (interval "published"); ``numerator``
        and ``denominator`` (interval "wilson": people; "poisson": events and person-years).
    assignment : Series
        Quantile (1 = most deprived) by area code.
    interval : str
        The registry's interval kind: published, wilson, poisson or none.
    value_type : str
        proportion (in %), rate or other.
    low : float, optional
        The lowest value the measure can take (for intervals from the spread of areas).
    per : float, optional
        For counts: value = numerator / denominator x ``per`` (the indicator's
        :attr:`~explorer.registry.Indicator.per`: 1,000 for "per 1,000 residents a year", 100 for "per 100
        addresses"). Required for interval "poisson".
    shares_of_areas : bool
        A proportion with interval "none" that is a share of whole neighbourhoods (residents in England's most
        deprived tenth): its Wilson interval counts the areas. Any other proportion with interval "none" has
        no counts held and gets no interval.

    Returns
    -------
    DataFrame
        One row per quantile: quantile, population, value, lower, upper, se (on the scale phe_sii simulates:
        logit for proportions, log for rates), areas, rank and ``why_no_interval`` (why ``se`` is missing, or
        ""). Areas with no value are left out, never filled. Where counts are held the value is the ratio of
        the summed counts, the same figure the interval is made from, so the interval always holds it.
    """
    if interval == "poisson" and per is None:
        raise ValueError("a rate's interval needs its multiplier: pass per (Indicator.per)")
    data = frame.reindex(assignment.index).assign(quantile=assignment).dropna(subset=["value"])
    rows = []
    for q, part in data.groupby("quantile"):
        pop = part["population"].astype(float)
        w = pop / pop.sum()
        # A weighted mean lies between its areas' values; clipping only removes rounding (100.00000000000001%).
        mean = float(np.clip((w * part["value"]).sum(), part["value"].min(), part["value"].max()))
        lo = hi = np.nan
        why = ""
        if interval == "published":
            se = float(np.sqrt(((w * se_from_limits(part["lower"], part["upper"])) ** 2).sum()))
            lo, hi = (float(x) for x in normal_bounded(mean, se, low))
            if np.isnan(lo):
                why = "has no published limits for some of its areas"
        elif interval in ("wilson", "poisson"):
            num, den = part["numerator"].astype(float), part["denominator"].astype(float)
            if num.notna().all() and den.notna().all() and den.sum() > 0:
                x, n = float(num.sum()), float(den.sum())
                if interval == "wilson":
                    mean = x / n * 100
                    lo, hi = (float(v[0]) for v in wilson_percent([x], [n]))
                else:
                    mean = x / n * per
                    lo, hi = (float(v[0]) for v in poisson_rate([x], [n], per=per))
            else:
                why = "lacks the counts behind some of its areas' values"
        elif value_type == "proportion" and shares_of_areas:  # the areas are the trials
            lo, hi = (float(x[0]) for x in wilson_percent([mean / 100 * len(part)], [len(part)]))
        elif value_type == "proportion":
            why = NO_COUNTS
        else:
            spread = (float(np.sqrt((w**2 * (part["value"] - mean) ** 2).sum() * len(part) / (len(part) - 1)))
                      if len(part) > 1 else np.nan)
            lo, hi = (float(x) for x in normal_bounded(mean, spread, low))
            if np.isnan(lo):
                why = "holds one area only, so there is no spread of areas to measure"
        se = _transformed_se(mean, lo, hi, value_type)
        if not why and np.isnan(se):
            why = _why_no_se(mean, value_type)
        rows.append({"quantile": int(q), "population": float(pop.sum()), "value": mean, "lower": lo, "upper": hi,
                     "se": se, "areas": len(part), "why_no_interval": why})
    table = pd.DataFrame(rows).sort_values("quantile", ignore_index=True)
    share = table["population"] / table["population"].sum()
    table["rank"] = share.cumsum() - share / 2
    return table


def _why_no_se(value: float, value_type: str) -> str:
    """Why a group with an interval still has no standard error on phe_sii's scale (a clause after "group N")."""
    if value_type == "proportion":
        if round(value, 9) in (0, 100):
            return f"is at exactly {round(value, 9):g}% (phe_sii's logit scale is undefined at exactly 0% or 100%)"
        return "has an interval reaching 0% or 100%, where phe_sii's logit scale is undefined"
    if value_type == "rate":
        return "has a rate of 0, where phe_sii's log scale is undefined"
    return "has no standard error that can be worked out"


def _transformed_se(value: float, lower: float, upper: float, value_type: str) -> float:
    """The standard error phe_sii simulates with: from the limits on the logit (proportion) or log (rate) scale."""
    if np.isnan(lower) or np.isnan(upper):
        return np.nan
    if value_type == "proportion":
        if not 0 < value < 100 or not 0 < lower < 100 or not 0 < upper < 100:
            return np.nan
        lower, upper = _logit(lower / 100), _logit(upper / 100)
    elif value_type == "rate":
        if value <= 0 or lower <= 0:
            return np.nan
        lower, upper = np.log(lower), np.log(upper)
    return float((upper - lower) / (2 * Z95))


def _logit(p):
    return np.log(p / (1 - p))


@functools.lru_cache(maxsize=8)
def standard_normal(seed: int, simulations: int, groups: int) -> np.ndarray:
    """The draws every slope index simulates with: ``simulations`` x ``groups`` standard normals from ``seed``.

    The same for every call with the same arguments (a fixed seed), so they are drawn once and kept, read-only.
    """
    draws = np.random.default_rng(seed).standard_normal((simulations, groups))
    draws.flags.writeable = False
    return draws


def _fit(y: np.ndarray, x: np.ndarray, a: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Intercept and slope of least squares weighted by ``a`` (rows of ``y`` fitted separately)."""
    a = a / a.sum()
    xm = (a * x).sum()
    ym = y @ a
    slope = ((y - ym[..., None]) * (a * (x - xm))).sum(axis=-1) / (a * (x - xm) ** 2).sum()
    return ym - slope * xm, slope


def slope_index(table: pd.DataFrame, value_type: str = "other", seed: int = SEED,
                simulations: int = SIMULATIONS) -> SlopeIndex:
    """SII and RII with 95% simulation intervals from a :func:`quantile_table`, as phe_sii computes them.

    Parameters
    ----------
    table : DataFrame
        ``value``, ``se`` (on the simulation scale), ``population`` and ``rank`` per quantile, ordered from
        most deprived (rank near 0) to least deprived; optionally ``quantile`` and ``why_no_interval``.
    value_type : str
        proportion (values in %), rate or other.
    seed, simulations : int
        The random seed (fixed, so figures are reproducible) and the number of simulations.

    Returns
    -------
    SlopeIndex
        The RII and its interval are given only where the fitted line is above zero at both ends, at the point
        estimate and in at least :data:`RII_MIN_ABOVE_ZERO` of the simulations; ``why_no_rii`` says otherwise.

    Examples
    --------
    A straight line through four equal groups runs from 79 (rank 0) to 87 (rank 1): SII 8, RII 87 / 79:

    >>> t = pd.DataFrame({"value": [80.0, 82, 84, 86], "se": [0.0] * 4, "population": [1.0] * 4,
    ...                   "rank": [0.125, 0.375, 0.625, 0.875]})
    >>> s = slope_index(t, simulations=1000)
    >>> round(s.sii, 6), round(s.rii, 6), s.most_deprived_end
    (8.0, 1.101266, 79.0)
    """
    x = table["rank"].to_numpy(float)
    a = table["population"].to_numpy(float)
    y = table["value"].to_numpy(float)
    se = table["se"].to_numpy(float)
    intercept, slope = _fit(y[None, :], x, a)
    y0, sii = float(intercept[0]), float(slope[0])
    y1 = y0 + sii
    why_rii = _ends_not_positive(y0, y1)
    if np.isnan(se).any():
        why = _why_no_simulation(table, se, value_type)
        why_rii = why_rii or ("with no interval for the groups there are no simulations to show that the fitted "
                              "line is clearly above zero at both ends")
        return SlopeIndex(sii, np.nan, np.nan, np.nan, np.nan, np.nan, y0, y1, why, why_rii)
    if value_type == "proportion":
        centre = _logit(y / 100)
    elif value_type == "rate":
        centre = np.log(y)
    else:
        centre = y
    draws = centre + standard_normal(seed, simulations, len(y)) * se
    if value_type == "proportion":
        draws = 100 / (1 + np.exp(-draws))
    elif value_type == "rate":
        draws = np.exp(draws)
    b0, b1 = _fit(draws, x, a)
    lo, hi = np.percentile(b1, [2.5, 97.5])
    rii = rlo = rhi = np.nan
    if not why_rii:
        ends = {"most deprived": b0 > 0, "least deprived": b0 + b1 > 0}
        above = float(np.mean(ends["most deprived"] & ends["least deprived"]))
        if above < RII_MIN_ABOVE_ZERO:
            end = min(ends, key=lambda k: float(np.mean(ends[k])))
            why_rii = (f"the fitted value at the {end} end is not clearly above zero (the line is above zero at "
                       f"both ends in {above:.1%} of the simulations; a ratio needs {RII_MIN_ABOVE_ZERO:.1%})")
        else:
            with np.errstate(divide="ignore", invalid="ignore"):
                rlo, rhi = (float(v) for v in np.percentile((b0 + b1) / b0, [2.5, 97.5]))
            if not rlo > 0:  # only at the edge of the rule: the interval would reach zero
                why_rii = "its 95% interval would reach zero or below, so the fitted line is not clearly above zero"
                rlo = rhi = np.nan
            else:
                rii = y1 / y0
    return SlopeIndex(sii, float(lo), float(hi), rii, rlo, rhi, y0, y1, "", why_rii)


def _ends_not_positive(y0: float, y1: float) -> str:
    """Why no ratio of the fitted ends can be given at all, or "" when both are above zero."""
    low = [end for end, v in (("most deprived", y0), ("least deprived", y1)) if not v > 0]
    if not low:
        return ""
    where = "both ends" if len(low) == 2 else f"one end (the {low[0]})"
    return f"the fitted line is at or below zero at {where}, so a ratio means nothing"


def _why_no_simulation(table: pd.DataFrame, se: np.ndarray, value_type: str) -> str:
    """Why the groups' values cannot be simulated: the first group without a standard error, and why."""
    i = int(np.flatnonzero(np.isnan(se))[0])
    clause = str(table["why_no_interval"].iloc[i]) if "why_no_interval" in table else ""
    if not clause:
        return {"proportion": "a group is at exactly 0% or 100%, where phe_sii's logit scale is undefined",
                "rate": "a group has a rate of 0, where phe_sii's log scale is undefined"}.get(
            value_type, "a group's standard error cannot be worked out")
    group = int(table["quantile"].iloc[i]) if "quantile" in table else i + 1
    return f"group {group} (1 = most deprived) {clause}"


def gradient_reason(deprivation: pd.Series, kind: str, groups: int, words: str) -> str:
    """Why no slope is given over these areas (too few, or too alike in deprivation), or "" when one can be.

    Parameters
    ----------
    deprivation : Series
        The ordering value of each area with a value of the indicator (higher = more deprived; a rank is
        negated).
    kind : str
        ``score`` or ``rank``: the unit of ``deprivation``, for :data:`GRADIENT_MIN_SPREAD`.
    groups : int
        The number of groups (5 or 10).
    words : str
        What the areas are ("MSOAs").

    Examples
    --------
    >>> words = gradient_reason(pd.Series([10.0, 11, 12, 13, 13.4]), "score", 5, "MSOAs")
    >>> words[:66]
    'Only 5 MSOAs have a value (a slope needs at least 10: 2 per group)'
    >>> words[66:]  # doctest: +NORMALIZE_WHITESPACE
    ' and they differ little in deprivation (the most and least deprived are 3.4 IMD score points apart;
    a slope needs 5): too few, and too alike, for a gradient to mean anything, so no slope or relative index is
    given.'
    >>> gradient_reason(pd.Series([10.0 + i / 4 for i in range(12)]), "score", 5, "MSOAs")[:60]
    'The 12 MSOAs differ too little in deprivation for a slope to'
    >>> gradient_reason(pd.Series([3.0]), "score", 5, "MSOAs")[:30]
    'Only 1 MSOA has a value (a slo'
    >>> gradient_reason(pd.Series(range(12), dtype=float), "score", 5, "MSOAs")
    ''
    """
    have = deprivation.dropna()
    needed = GRADIENT_MIN_AREAS_PER_GROUP * groups
    spread, least = float(have.max() - have.min()) if len(have) else 0.0, GRADIENT_MIN_SPREAD[kind]
    few = len(have) < needed
    alike = spread < least
    if not (few or alike):
        return ""
    apart = f"the most and least deprived are {spread:,.1f} {SPREAD_UNITS[kind]} apart; a slope needs {least:,.0f}"
    if few:
        counted = f"{len(have)} {words} have" if len(have) != 1 else f"1 {words.removesuffix('s')} has"
        return (f"Only {counted} a value (a slope needs at least {needed}: "
                f"{GRADIENT_MIN_AREAS_PER_GROUP} per group)"
                + (f" and they differ little in deprivation ({apart}): too few, and too alike," if alike else
                   ": too few") + " for a gradient to mean anything, so no slope or relative index is given.")
    return (f"The {len(have)} {words} differ too little in deprivation for a slope to mean anything ({apart}), so "
            "no slope or relative index is given.")


def gap(table: pd.DataFrame) -> tuple[float, float]:
    """Most-deprived minus least-deprived quantile value, and their ratio (NaN unless both are above zero).

    A ratio of two values at or below zero (a score standardised around zero) means nothing, so none is given.
    """
    most = float(table["value"].iloc[0])
    least = float(table["value"].iloc[-1])
    return most - least, (most / least) if most > 0 and least > 0 else float("nan")
