"""Turning small-area values into ward and city values.

Every aggregation here works over *links* (source area, target area, weight):
a weighted mean of source values, or, for counts, a split of each source's
count in proportion to its weight in each target. The weight is a population
for LSOAs and MSOAs, or an overlap area for grid cells. A target with any
linked source value missing stays missing: nothing is filled in.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from explorer.stats.intervals import Z95


def apportion(values: pd.Series, links: pd.DataFrame) -> pd.Series:
    """Weighted mean of ``values`` for each target of ``links``.

    Parameters
    ----------
    values : Series
        Value per source code.
    links : DataFrame
        Columns ``source``, ``target``, ``weight`` (weight >= 0).

    Returns
    -------
    Series
        Value per target, sorted by target code; NaN where any linked source
        with positive weight has no value, or where the weights sum to zero.

    Examples
    --------
    >>> links = pd.DataFrame({"source": ["a", "b"], "target": ["W", "W"], "weight": [1, 3]})
    >>> apportion(pd.Series({"a": 10.0, "b": 20.0}), links)["W"]
    np.float64(17.5)
    """
    frame = links[links["weight"] > 0].copy()
    frame["value"] = frame["source"].map(values).astype(float)
    frame["wv"] = frame["weight"] * frame["value"]
    grouped = frame.groupby("target")
    total = grouped["weight"].sum()
    result = grouped["wv"].sum(min_count=1) / total
    has_gap = frame["value"].isna().groupby(frame["target"]).any()
    result[has_gap | (total <= 0)] = np.nan
    return result.sort_index()


def missing_sources(values: pd.Series, links: pd.DataFrame) -> pd.Series:
    """How many of each target's linked sources (with positive weight) have no value: why :func:`apportion` gave none.

    Examples
    --------
    >>> links = pd.DataFrame({"source": ["a", "b", "c"], "target": ["W", "W", "V"], "weight": [1, 3, 2]})
    >>> missing_sources(pd.Series({"a": 10.0, "c": 5.0}), links).to_dict()
    {'V': 0, 'W': 1}
    """
    frame = links[links["weight"] > 0]
    return frame["source"].map(values).isna().groupby(frame["target"]).sum().astype(int).sort_index()


def apportion_counts(counts: pd.Series, links: pd.DataFrame) -> pd.Series:
    """Counts of each target, splitting each source's count by its share of the source's weight.

    A source linked to one target gives it its whole count; a source whose
    weight (population) is 80% in ward W and 20% in ward V gives them 80% and
    20% of its count. Summed over all targets, the counts add up to the sources'.

    Parameters
    ----------
    counts : Series
        Count per source code (people, households, addresses).
    links : DataFrame
        Columns ``source``, ``target``, ``weight`` (weight >= 0).

    Returns
    -------
    Series
        Count per target (fractional where a source is split), sorted by target
        code; NaN where any linked source with positive weight has no count.

    Examples
    --------
    >>> links = pd.DataFrame({"source": ["m", "m", "n"], "target": ["W", "V", "V"], "weight": [80, 20, 50]})
    >>> apportion_counts(pd.Series({"m": 100.0, "n": 7.0}), links).to_dict()
    {'V': 27.0, 'W': 80.0}
    """
    frame = links[links["weight"] > 0].copy()
    frame["count"] = frame["source"].map(counts).astype(float)
    frame["part"] = frame["count"] * frame["weight"] / frame.groupby("source")["weight"].transform("sum")
    grouped = frame.groupby("target")
    result = grouped["part"].sum(min_count=1)
    result[frame["count"].isna().groupby(frame["target"]).any()] = np.nan
    return result.sort_index()


def apportion_ci(
    value: pd.Series, lower: pd.Series, upper: pd.Series, links: pd.DataFrame
) -> tuple[pd.Series, pd.Series]:
    """95% confidence limits for a weighted mean of independent estimates.

    Each source's standard error is taken as (upper - lower) / (2 x 1.96); the
    target's is sqrt(sum((w / W)^2 x se^2)), and the limits are the target's
    value plus and minus 1.96 of those.

    Parameters
    ----------
    value : Series
        The target values (from :func:`apportion`), by target code.
    lower, upper : Series
        The sources' published 95% limits, by source code.
    links : DataFrame
        As for :func:`apportion`.

    Returns
    -------
    tuple of Series
        Lower and upper limits per target; NaN where any source limit is missing.
    """
    se = (upper - lower) / (2 * Z95)
    frame = links[links["weight"] > 0].copy()
    frame["se"] = frame["source"].map(se).astype(float)
    frame["share"] = frame["weight"] / frame.groupby("target")["weight"].transform("sum")
    frame["var"] = (frame["share"] * frame["se"]) ** 2
    grouped = frame.groupby("target")
    half = np.sqrt(grouped["var"].sum(min_count=1)) * Z95
    half[frame["se"].isna().groupby(frame["target"]).any()] = np.nan
    half = half.reindex(value.index)
    return value - half, value + half
