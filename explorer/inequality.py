"""The Marmot gap: deprived versus affluent groups, and the Slope and Relative Indices of Inequality.

Method (the standard public-health one, as in PHE's ``phe_sii``):

1. Rank small areas from most to least deprived and cut them into Coventry-local
   quantiles (fifths or tenths) of *population*: each area goes wholly to the
   quantile holding the midpoint of its population.
2. Each quantile's value is the population-weighted mean of its areas, with a
   standard error from the areas' own confidence limits where the source gives
   them, otherwise from the spread of areas within the quantile.
3. Each quantile gets a relative rank: the midpoint of its share of the
   cumulative population, from 0 (most deprived) to 1 (least deprived).
4. A line is fitted through the quantile values against their ranks, weighted by
   population. The SII is its slope: the modelled difference between the least
   and the most deprived end of the city. The RII is the SII divided by the
   city's mean. 95% confidence intervals come from 20,000 simulations that
   redraw each quantile's value from its standard error.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

Z95 = 1.959964
SIMULATIONS = 20_000
SEED = 2013  # the year Coventry became a Marmot City; fixed so figures are reproducible


@dataclass(frozen=True)
class Quantiles:
    """Quantile groups of small areas, 1 = most deprived."""

    table: pd.DataFrame  # quantile, population, value, se, rank, areas
    assignment: pd.Series  # area code -> quantile


@dataclass(frozen=True)
class SlopeIndex:
    """Slope and relative index of inequality with 95% confidence intervals."""

    sii: float
    sii_lower: float
    sii_upper: float
    rii: float
    rii_lower: float
    rii_upper: float
    mean: float


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


def quantile_table(
    values: pd.Series,
    population: pd.Series,
    assignment: pd.Series,
    lower: pd.Series | None = None,
    upper: pd.Series | None = None,
) -> pd.DataFrame:
    """Population-weighted value, standard error and relative rank of each quantile.

    Areas with no value are left out of their quantile (never filled).
    """
    frame = pd.DataFrame({"quantile": assignment, "value": values.reindex(assignment.index),
                          "pop": population.reindex(assignment.index).astype(float)})
    if lower is not None and upper is not None:
        frame["se"] = ((upper - lower) / (2 * Z95)).reindex(assignment.index)
    frame = frame.dropna(subset=["value"])
    rows = []
    for q, part in frame.groupby("quantile"):
        w = part["pop"] / part["pop"].sum()
        mean = float((w * part["value"]).sum())
        if "se" in part and part["se"].notna().all():
            se = float(np.sqrt(((w * part["se"]) ** 2).sum()))
        elif len(part) > 1:
            se = float(np.sqrt((w**2 * (part["value"] - mean) ** 2).sum() * len(part) / (len(part) - 1)))
        else:
            se = 0.0
        rows.append({"quantile": int(q), "population": float(part["pop"].sum()), "value": mean, "se": se,
                     "areas": len(part)})
    table = pd.DataFrame(rows).sort_values("quantile", ignore_index=True)
    share = table["population"] / table["population"].sum()
    table["rank"] = share.cumsum() - share / 2
    return table


def _wls_slopes(y: np.ndarray, x: np.ndarray, w: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Slope and intercept of weighted least squares for each row of ``y``."""
    w = w / w.sum()
    xm = (w * x).sum()
    ym = y @ w
    slope = ((y - ym[..., None]) * (w * (x - xm))).sum(axis=-1) / (w * (x - xm) ** 2).sum()
    return slope, ym - slope * xm


def slope_index(table: pd.DataFrame, seed: int = SEED, simulations: int = SIMULATIONS) -> SlopeIndex:
    """SII and RII with 95% simulation intervals from a :func:`quantile_table`.

    The SII is the fitted value at the least deprived end (rank 1) minus that at
    the most deprived end (rank 0). The RII is the SII over the population-weighted
    mean of the quantiles.
    """
    x = table["rank"].to_numpy(float)
    w = table["population"].to_numpy(float)
    y = table["value"].to_numpy(float)
    se = table["se"].to_numpy(float)
    sii, _ = _wls_slopes(y[None, :], x, w)
    mean = float(np.average(y, weights=w))
    rng = np.random.default_rng(seed)
    draws = y + rng.standard_normal((simulations, len(y))) * se
    sims, _ = _wls_slopes(draws, x, w)
    sim_means = draws @ (w / w.sum())
    riis = sims / sim_means
    lo, hi = np.percentile(sims, [2.5, 97.5])
    rlo, rhi = np.percentile(riis, [2.5, 97.5])
    return SlopeIndex(float(sii[0]), float(lo), float(hi), float(sii[0]) / mean, float(rlo), float(rhi), mean)


def gap(table: pd.DataFrame) -> tuple[float, float]:
    """Most-deprived minus least-deprived quantile value, and their ratio."""
    most = float(table["value"].iloc[0])
    least = float(table["value"].iloc[-1])
    return most - least, (most / least) if least else float("nan")
