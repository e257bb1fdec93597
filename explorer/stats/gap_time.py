"""The gap between the most and least deprived at one time, for a series of times ("Is the gap narrowing?").

Each time's gap is measured as the app measures every gap (:mod:`explorer.stats.inequality`, PHE's ``phe_sii``;
Low and Low, J Public Health 2004;26:388-395): areas ordered by deprivation, cut into fifths of about equal
numbers of residents, each fifth's value and 95% interval from one method (Wilson for a share whose counts are
held, exact Poisson for a rate per ``per``, none for a percentage whose counts are not held), and the slope
index with its 95% simulation interval. The change from the first time to the last is judged by
:func:`explorer.stats.judge.gap_change` (the "gap over time" rule the About page prints).

Signs follow the app's gap tables: the slope index is the most deprived end minus the least deprived end
(negative = lower in the most deprived).
"""

from __future__ import annotations

import math

import pandas as pd

from explorer.stats.gaps import slope_note
from explorer.stats.inequality import assign_quantiles, gap, gradient_reason, quantile_table, slope_index

GROUPS = 5


def gap_at(frame: pd.DataFrame, *, interval: str, value_type: str, per: float | None, words: str,
           spread_kind: str, name: str, n: int = GROUPS) -> dict:
    """The fifths' two ends, the gap and the slope index (phe_sii) with its 95% interval over ``frame``'s areas.

    Parameters
    ----------
    frame : DataFrame
        By area code: ``value`` (NaN where none is published: left out, never filled), ``numerator`` and
        ``denominator`` (for a Wilson or Poisson interval), ``lower``/``upper`` (unused unless published),
        ``deprivation`` (higher = more deprived) and ``population`` (residents, for the fifths).
    interval, value_type : str
        As in :func:`explorer.stats.inequality.quantile_table` (``poisson`` needs ``per``).
    per : float or None
        A rate's multiplier (100 for "per 100 addresses").
    words : str
        What the areas are ("MSOAs", "wards").
    spread_kind : str
        ``score`` or ``rank``: what the deprivation is measured in (for the spread a slope needs).
    name : str
        The authority's name, for the reason a figure is missing.
    n : int
        Groups (fifths).

    Returns
    -------
    dict
        ``areas`` (with a value), ``most_deprived``, ``least_deprived``, ``gap`` (most minus least), ``sii``,
        ``sii_lower``, ``sii_upper`` (most minus least deprived end; NaN where not given) and ``note`` (why a
        figure is missing, "" otherwise). An interval, where given, always holds its slope index.
    """
    nan = math.nan
    have = frame.dropna(subset=["value", "deprivation", "population"])
    out = {"areas": len(have), "most_deprived": nan, "least_deprived": nan, "gap": nan, "sii": nan,
           "sii_lower": nan, "sii_upper": nan, "note": ""}
    if have.empty:
        return {**out, "note": f"No gap: none of {name}'s {words} has a value at this time."}
    assignment = assign_quantiles(have["deprivation"], have["population"], n)
    if assignment.nunique() < n:
        held = f"{len(have)} {words.removesuffix('s') if len(have) == 1 else words}"
        return {**out, "note": f"No gap: {name} has {held} with a value, too few to make {n} groups of similar "
                               "population from most to least deprived."}
    low = 0.0 if value_type in ("proportion", "rate") else None
    table = quantile_table(have, assignment, interval=interval, value_type=value_type, low=low, per=per)
    absolute, _ = gap(table)
    out.update(most_deprived=float(table["value"].iloc[0]), least_deprived=float(table["value"].iloc[-1]),
               gap=absolute)
    why = gradient_reason(have["deprivation"], spread_kind, n, words)
    if why:
        return {**out, "note": why}
    s = slope_index(table, value_type)
    out.update(sii=-s.sii, sii_lower=-s.sii_upper, sii_upper=-s.sii_lower, note=slope_note(s))
    return out
