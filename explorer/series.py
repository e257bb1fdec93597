"""City time series (life expectancy, recorded fly-tipping) as tables and plain sentences."""

from __future__ import annotations

import re

import pandas as pd

from explorer.classify import fmt

PLAN_START = 2022


def series_table(series: pd.DataFrame, series_id: str) -> pd.DataFrame:
    """One series as a table: a row per period, a column per area (Coventry first)."""
    part = series[series["series"] == series_id]
    wide = part.pivot(index="period", columns="area", values="value")
    order = ["Coventry"] + [c for c in wide.columns if c != "Coventry"]
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


def travel(wide: pd.DataFrame, area: str, better: str, since: int) -> str:
    """Direction of travel for one area since a year, in words ("improved", "worsened", "no change").

    Uses the first period starting in or after ``since`` and the latest period.
    A series whose ``better`` is "neither" (a count, say) only "rose" or "fell".
    """
    column = wide[area].dropna()
    years = [_year(p) for p in column.index]
    starts = [i for i, y in enumerate(years) if y >= since]
    if not starts or starts[0] == len(column) - 1:
        last = column.index[-1]
        if years[-1] < since:
            return f"no data since {since} (the series stops in {last})"
        return f"only one point since {since} ({last}), so no direction yet"
    first = starts[0]
    a, b = column.iloc[first], column.iloc[-1]
    if a == b:
        word = "no change"
    else:
        word = "improved" if (b > a) == (better == "higher") else "worsened"
        if better == "neither":
            word = "rose" if b > a else "fell"
    decimals = 0 if float(a).is_integer() and float(b).is_integer() else 1
    return f"{word}: {fmt(a, decimals)} in {column.index[first]} to {fmt(b, decimals)} in {column.index[-1]}"
