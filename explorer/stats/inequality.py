"""The Marmot gap: deprived versus affluent groups, and the Slope and Relative Indices of Inequality.

Method: PHE's ``phe_sii`` (PHEindicatormethods; Low and Low, J Public Health 2004;26:388-395).

1. Rank small areas from most to least deprived and cut them into Coventry-local quantiles (fifths or
   tenths) of *population*: each area goes wholly to the quantile holding the midpoint of its population.
2. Each quantile's value is the population-weighted mean of its areas. Its 95% interval comes from
   :mod:`explorer.stats.intervals`: combined published limits; a Wilson interval for a proportion of people (or,
   for a share of whole neighbourhoods, of areas); an exact Poisson interval for a count; otherwise the
   spread of its areas' values. Limits stay within what the measure can take.
3. Each quantile's relative rank is the midpoint of its share of the cumulative population, from 0 (most
   deprived) to 1 (least deprived).
4. A line is fitted through the quantile values against their ranks by least squares weighted by each
   quantile's population share (phe_sii's regression of ``Y*sqrt(a)`` on ``sqrt(a)`` and ``b*sqrt(a)``).
   The SII is its slope: the fitted value at the least deprived end minus that at the most deprived end.
   The RII is the ratio of the fitted values at the two ends, ``(Y0 + SII) / Y0``.
5. 95% intervals of SII and RII come from 100,000 simulations (phe_sii's default) that redraw each
   quantile's value from a normal distribution with its standard error: on the logit scale for proportions
   and the log scale for rates (phe_sii's ``value_type`` 2 and 1), back-transformed before the fit. Where a
   proportion is exactly 0% or 100% (or a rate 0) that scale is undefined, as it is in phe_sii, so no interval
   is given and the reason is stated.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from explorer.stats.intervals import Z95, normal_bounded, poisson_rate, se_from_limits, wilson_percent

SIMULATIONS = 100_000  # phe_sii's default number of repetitions
SEED = 2013  # the year Coventry became a Marmot City; fixed so figures are reproducible


@dataclass(frozen=True)
class SlopeIndex:
    """Slope and relative index of inequality (phe_sii), with 95% intervals.

    ``sii`` is the fitted value at the least deprived end minus that at the most deprived end; ``rii`` the
    ratio least / most deprived. Limits are NaN where they cannot be computed (``why_no_interval`` says why);
    ``rii`` is NaN where a fitted end is not positive (``why_no_rii``).
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
                   low: float | None = None, per: float = 1000.0) -> pd.DataFrame:
    """Population-weighted value, 95% interval, standard error and relative rank of each quantile.

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
        proportion (in %), rate or other. A proportion with interval "none" is a share of whole
        neighbourhoods, so its Wilson interval counts areas, not people.
    low : float, optional
        The lowest value the measure can take (for intervals from the spread of areas).
    per : float
        For rates: value = numerator / denominator x ``per`` (1,000 for "per 1,000 residents a year").

    Returns
    -------
    DataFrame
        One row per quantile: quantile, population, value, lower, upper, se (on the scale phe_sii simulates:
        logit for proportions, log for rates), areas, rank. Areas with no value are left out, never filled.
    """
    data = frame.reindex(assignment.index).assign(quantile=assignment).dropna(subset=["value"])
    rows = []
    for q, part in data.groupby("quantile"):
        pop = part["population"].astype(float)
        w = pop / pop.sum()
        mean = float((w * part["value"]).sum())
        if interval == "published":
            se = float(np.sqrt(((w * se_from_limits(part["lower"], part["upper"])) ** 2).sum()))
            lo, hi = (float(x) for x in normal_bounded(mean, se, low))
        elif interval == "wilson":
            lo, hi = (float(x[0]) for x in wilson_percent([part["numerator"].sum()], [part["denominator"].sum()]))
        elif interval == "poisson":
            lo, hi = (float(x[0]) for x in poisson_rate([part["numerator"].sum()], [part["denominator"].sum()],
                                                         per=per))
        elif value_type == "proportion":  # a share of whole neighbourhoods: the areas are the trials
            lo, hi = (float(x[0]) for x in wilson_percent([mean / 100 * len(part)], [len(part)]))
        else:
            spread = (float(np.sqrt((w**2 * (part["value"] - mean) ** 2).sum() * len(part) / (len(part) - 1)))
                      if len(part) > 1 else np.nan)
            lo, hi = (float(x) for x in normal_bounded(mean, spread, low))
        rows.append({"quantile": int(q), "population": float(pop.sum()), "value": mean, "lower": lo, "upper": hi,
                     "se": _transformed_se(mean, lo, hi, value_type), "areas": len(part)})
    table = pd.DataFrame(rows).sort_values("quantile", ignore_index=True)
    share = table["population"] / table["population"].sum()
    table["rank"] = share.cumsum() - share / 2
    return table


def _transformed_se(value: float, lower: float, upper: float, value_type: str) -> float:
    """The standard error phe_sii simulates with: from the limits on the logit (proportion) or log (rate) scale."""
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
        most deprived (rank near 0) to least deprived.
    value_type : str
        proportion (values in %), rate or other.
    seed, simulations : int
        The random seed (fixed, so figures are reproducible) and the number of simulations.

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
    why_rii = "" if y0 > 0 and y1 > 0 else "the fitted line is at or below zero at one end, so a ratio means nothing"
    rii = y1 / y0 if not why_rii else np.nan
    why = ""
    if np.isnan(se).any():
        why = {"proportion": "a group is at exactly 0% or 100%, where phe_sii's logit scale is undefined",
               "rate": "a group has a rate of 0, where phe_sii's log scale is undefined"}.get(
            value_type, "a group's standard error cannot be worked out")
        return SlopeIndex(sii, np.nan, np.nan, rii, np.nan, np.nan, y0, y1, why, why_rii)
    rng = np.random.default_rng(seed)
    if value_type == "proportion":
        centre = _logit(y / 100)
    elif value_type == "rate":
        centre = np.log(y)
    else:
        centre = y
    draws = centre + rng.standard_normal((simulations, len(y))) * se
    if value_type == "proportion":
        draws = 100 / (1 + np.exp(-draws))
    elif value_type == "rate":
        draws = np.exp(draws)
    b0, b1 = _fit(draws, x, a)
    lo, hi = np.percentile(b1, [2.5, 97.5])
    rlo = rhi = np.nan
    if not why_rii:
        with np.errstate(divide="ignore", invalid="ignore"):
            rlo, rhi = np.percentile((b0 + b1) / b0, [2.5, 97.5])
    return SlopeIndex(sii, float(lo), float(hi), rii, float(rlo), float(rhi), y0, y1, why, why_rii)


def gap(table: pd.DataFrame) -> tuple[float, float]:
    """Most-deprived minus least-deprived quantile value, and their ratio (NaN when the least is 0)."""
    most = float(table["value"].iloc[0])
    least = float(table["value"].iloc[-1])
    return most - least, (most / least) if least else float("nan")
