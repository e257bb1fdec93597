"""City time series (life expectancy, recorded fly-tipping) as tables and plain sentences."""

from __future__ import annotations

import re

import numpy as np
import pandas as pd

from explorer.stats import judge
from explorer.stats.classify import fmt

PLAN_START = 2022


def series_table(series: pd.DataFrame, series_id: str, own: str = "Coventry") -> pd.DataFrame:
    """One series as a table: a row per period, a column per area (``own``, the pack's authority, first)."""
    part = series[series["series"] == series_id]
    wide = part.pivot(index="period", columns="area", values="value")
    order = [own] + [c for c in wide.columns if c != own]
    return wide[order].sort_index()


def trend_sentence(wide: pd.DataFrame, unit: str, decimals: int = 1) -> str:
    """State what the series shows: first and last value for each area, and when it stops.

    Examples
    --------
    >>> t = pd.DataFrame({"Coventry": [9.0, 3.0]}, index=["2022-23", "2023-24"])
    >>> trend_sentence(t, "incidents", 0)
    'Coventry: 9 in 2022-23, 3 in 2023-24 (down 6 incidents).'
    """
    first, last = wide.index[0], wide.index[-1]
    parts = []
    for area in wide.columns:
        a, b = wide[area].iloc[0], wide[area].iloc[-1]
        if pd.isna(a) or pd.isna(b):
            parts.append(f"{area}: incomplete series")
            continue
        change = b - a
        direction = "up" if change > 0 else "down" if change < 0 else "no change"
        size = "" if direction == "no change" else f" {fmt(abs(change), decimals)} {unit}"
        parts.append(f"{area}: {fmt(a, decimals)} in {first}, {fmt(b, decimals)} in {last} ({direction}{size})")
    sentence = "; ".join(parts) + "."
    if int(str(last)[:4]) < PLAN_START:
        sentence += f" The series stops before {PLAN_START}, when the One Coventry Plan began."
    return sentence


def _year(period: str) -> int:
    """The year a period label starts in: "2016-2018" -> 2016, "2012-13" -> 2012, "IoD 2019" -> 2019."""
    return int(re.findall(r"\d{4}", str(period))[0])


def travel(part: pd.DataFrame, since: int, tube_years: pd.DataFrame | None = None, own: str = "Coventry") -> str:
    """Direction of travel of one city series since a year, in words, by the series' stated rule.

    Compares the first period starting in or after ``since`` with the latest, using :mod:`explorer.stats.judge`:
    "improved" or "worsened" only when the change is bigger than its uncertainty, else "no clear change".
    Editions of the Indices of Deprivation are described by counts and ranks and not judged.

    Parameters
    ----------
    part : DataFrame
        Rows of ``city_series.csv`` for one series (Coventry's), with its registry columns (better,
        change_rule, threshold, rule_note) and, for counts and shares, ``count`` and ``denominator``.
    since : int
        The year to look from (2013: Marmot City; 2022: the One Coventry Plan).
    tube_years : DataFrame, optional
        ``no2_tube_means.csv`` (site, year, value), for the paired rule.
    own : str
        The pack's authority: the area whose rows are judged.
    """
    rows = part[part["area"] == own].dropna(subset=["value"]).copy()
    rows["year"] = [_year(p) for p in rows["period"]]
    rows = rows.sort_values("year")
    meta = rows.iloc[0]
    decimals = 0 if rows["value"].map(float.is_integer).all() else 1
    if meta["change_rule"] == "editions":
        return _editions(rows)
    later = rows[rows["year"] >= since]
    if later.empty:
        return f"no data since {since} (the series stops in {rows['period'].iloc[-1]})"
    if len(later) == 1:
        return f"only one point since {since} ({later['period'].iloc[0]}), so no direction yet"
    first, last = later.iloc[0], later.iloc[-1]
    better = meta["better"]
    rule = meta["change_rule"]
    if rule in ("threshold", "intervals"):
        threshold = str(meta["threshold"])
        relative = threshold.endswith("%")
        size = float(threshold.rstrip("%")) / 100 * first["value"] if relative else float(threshold)
        unit = str(meta["unit"]).split(" (")[0]
        label = f"{threshold} of the earlier figure" if relative else f"{threshold} {unit}"
        if rule == "intervals":  # published 95% limits where a figure has them, else the threshold
            change = judge.change_with_intervals(*(_limits(row) for row in (first, last)), better, size, label)
        else:
            change = judge.change_by_threshold(first["value"], last["value"], size, better, label)
    elif rule == "counts":
        change = judge.change_in_counts(first["value"], last["value"], better)
    elif rule == "described":
        change = judge.described(first["value"], last["value"])
    elif rule == "proportions":
        change = judge.change_in_proportions((first["count"], first["denominator"]),
                                             (last["count"], last["denominator"]), better)
        decimals = 1
    else:
        sites = None if tube_years is None else tube_years.pivot_table(index="tube_id", columns="year", values="no2")
        if sites is None or first["year"] not in sites or last["year"] not in sites:
            return "the site-by-site figures needed for this comparison are not available"
        change = judge.change_paired(sites[first["year"]], sites[last["year"]], better)
        both = sites[[first["year"], last["year"]]].dropna()
        return (f"{change.word}: at the {len(both)} sites measured in both {first['period']} and {last['period']}, "
                f"the mean went from {fmt(both.iloc[:, 0].mean(), 1)} to {fmt(both.iloc[:, 1].mean(), 1)} "
                f"({change.basis})")
    shown = (f"{fmt(first['value'], decimals)} in {first['period']} to {fmt(last['value'], decimals)} in "
             f"{last['period']}")
    if rule == "proportions":
        shown = (f"{int(first['count'])} of {int(first['denominator'])} sites measured in {first['period']} "
                 f"({fmt(first['value'], 1)}%) to {int(last['count'])} of {int(last['denominator'])} in "
                 f"{last['period']} ({fmt(last['value'], 1)}%)")
    return f"{change.word}: {shown} ({change.basis})"


def _limits(row: pd.Series) -> tuple[float, float, float]:
    """A series row's value and published 95% limits (NaN where none are published)."""
    return row["value"], row.get("lower", np.nan), row.get("upper", np.nan)


def _editions(rows: pd.DataFrame) -> str:
    """Counts (or ranks) by edition of the Indices of Deprivation, with their denominators; not judged."""
    unit = str(rows["unit"].iloc[0])
    if unit.startswith("rank"):
        told = "; ".join(f"{int(r.value)} of {int(r.denominator)} authorities in {r.period}" for r in rows.itertuples())
    else:
        told = "; ".join(f"{int(r.value)} of {int(r.denominator)} neighbourhoods in {r.period}"
                         for r in rows.itertuples())
    return (f"not judged: {told}. Each edition ranks all of England again and the neighbourhoods were redrawn "
            "in 2021, so these are positions, compared by counts and ranks, never by shares")


def decimals_of(wide: pd.DataFrame) -> int:
    """0 for a series of whole numbers (counts, ranks), else 1.

    Examples
    --------
    >>> decimals_of(pd.DataFrame({"Coventry": [36.0, 28.0]})), decimals_of(pd.DataFrame({"Coventry": [18.5]}))
    (0, 1)
    """
    have = wide.stack().dropna()
    return 0 if len(have) and have.map(float.is_integer).all() else 1


def series_html(wide: pd.DataFrame, unit: str, title: str) -> str:
    """A series as an HTML table (:mod:`explorer.models.tables`): a row per period, the unit in every area's header.

    Whole numbers (counts of neighbourhoods, ranks) are printed without decimals.
    """
    from explorer.models.tables import Column, html_table

    places = decimals_of(wide)
    frame = wide.reset_index()
    columns = [Column("period", "Period")] + [Column(area, f"{area} ({unit})", numeric=True, decimals=places)
                                              for area in wide.columns]
    return html_table(frame, columns, caption=f"{title}, by period", missing_words="–")
