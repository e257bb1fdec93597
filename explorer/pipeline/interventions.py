"""The interventions register: one row per site or programme, validated row by row.

A local pack's register (Coventry's is ``data/registry/interventions.csv``) is meant to be edited by
council officers. Its pack's build stops at a bad row, naming the row and the field; read afterwards, a bad
row is set aside with the same message and every good row is kept, so one typo never hides the rest.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from explorer.paths import shown
from geo.errors import DataError
from geo.validate import CODE_PATTERNS, read_csv

COLUMNS = ("id", "name", "type", "priority", "marmot_principle", "location", "lat", "lon", "ward", "period",
           "source", "dating", "date_from", "date_to")
LOCATIONS = ("point", "approximate point", "ward")
# How a row is dated: a "snapshot" is a list made at one time (the site existed then; later is unknown); a
# "period" ran from date_from to date_to (to blank: still running when last checked).
DATINGS = ("snapshot", "period")
DATE = re.compile(r"(\d{4})(?:-(0[1-9]|1[0-2]))?")
MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
          "November", "December")


@dataclass(frozen=True)
class Register:
    """The rows that passed, and a message for each row that did not (``errors``: the same, as DataErrors)."""

    rows: pd.DataFrame
    problems: list[str]
    errors: list[DataError] = field(default_factory=list)


def validate_register(frame: pd.DataFrame, priorities: set[str] | None, wards: set[str], name: str, *,
                      box: tuple[float, float, float, float] | None = None, area: str = "the authority") -> Register:
    """Check each row; keep the good ones and describe the bad ones.

    Parameters
    ----------
    frame : DataFrame
        The register as read (all columns text).
    priorities : set of str or None
        Valid priority ids; None when the pack holds no plan (a row then names no priority).
    wards : set of str
        Valid ward codes.
    name : str
        The file's name for messages.
    box : tuple of float, optional
        (west, south, east, north) in WGS84 degrees: a point outside it is a typo (or a swapped lat/lon), not a
        place. None: not checked (a built register was checked by its pack's build).
    area : str
        The authority, as messages name it.
    """
    good, errors = [], []
    ward_pattern = CODE_PATTERNS["ward"]
    seen: set[str] = set()
    for i, row in enumerate(frame.fillna("").to_dict("records"), start=1):
        def bad(field: str, problem: str, i: int = i) -> None:
            errors.append(DataError(name, problem, row=i, column=field))

        required = ("id", "name", "type", "priority", "location", "period", "source")
        missing = [c for c in required if not row[c].strip() and (c != "priority" or priorities is not None)]
        if missing:
            bad(missing[0], "value is required")
            continue
        if row["id"] in seen:
            bad("id", f"duplicate id '{row['id']}'")
            continue
        if priorities is None and row["priority"].strip():
            bad("priority", "the pack holds no plan, so a row names no priority: leave it empty or add the plan")
            continue
        if priorities is not None and row["priority"] not in priorities:
            bad("priority", f"'{row['priority']}' is not a priority id ({', '.join(sorted(priorities))})")
            continue
        if row["location"] not in LOCATIONS:
            bad("location", f"'{row['location']}' is not one of {LOCATIONS}")
            continue
        try:
            principle = int(row["marmot_principle"]) if row["marmot_principle"] else None
        except ValueError:
            bad("marmot_principle", f"'{row['marmot_principle']}' is not a number from 1 to 8")
            continue
        if principle is not None and not 1 <= principle <= 8:
            bad("marmot_principle", "Marmot principles are numbered 1 to 8")
            continue
        lat = lon = math.nan
        if row["location"] != "ward":
            try:
                lat, lon = float(row["lat"]), float(row["lon"])
            except ValueError:
                bad("lat", "a point needs numeric lat and lon (WGS84 degrees)")
                continue
            if box is not None and not (box[0] <= lon <= box[2] and box[1] <= lat <= box[3]):
                bad("lat", f"({lat}, {lon}) is nowhere near {area}: check the numbers and their order")
                continue
        ward = row["ward"].strip()
        if ward and (not pd.Series([ward]).str.fullmatch(ward_pattern).iloc[0] or ward not in wards):
            bad("ward", f"'{ward}' is not one of {area}'s ward codes")
            continue
        if row["location"] == "ward" and not ward:
            bad("ward", "a ward-wide programme needs its ward code")
            continue
        if row["dating"] not in DATINGS:
            bad("dating", f"'{row['dating']}' is not 'snapshot' (a list made at one date) or 'period' (from, to)")
            continue
        if not DATE.fullmatch(row["date_from"]) or (row["date_to"] and not DATE.fullmatch(row["date_to"])):
            bad("date_from", "dates are a year (2022) or a year and month (2022-03)")
            continue
        if row["date_to"] and row["date_to"] < row["date_from"]:
            bad("date_to", f"{row['date_to']} is before {row['date_from']}")
            continue
        if row["dating"] == "snapshot" and row["date_to"] not in ("", row["date_from"]):
            bad("date_to", "a snapshot has one date: leave date_to empty")
            continue
        seen.add(row["id"])
        good.append({**row, "lat": lat, "lon": lon, "marmot_principle": principle, "row": i})
    return Register(pd.DataFrame(good), [str(e) for e in errors], errors)


def load_register(path: Path, priorities: set[str] | None, wards: set[str], *,
                  box: tuple[float, float, float, float] | None = None, area: str = "the authority") -> Register:
    """Read and validate the register (a missing or malformed file raises DataError); see :func:`validate_register`."""
    label = shown(path)
    return validate_register(read_csv(path, COLUMNS, label=label), priorities, wards, label, box=box, area=area)


def sites_near(register: pd.DataFrame, ward: str, ward_shape, metres: float = 500) -> pd.DataFrame:
    """Register rows in ``ward`` or within ``metres`` of its boundary, with a ``where`` column.

    Parameters
    ----------
    register : DataFrame
        Valid register rows with ``located_ward`` (the ward each site lies in).
    ward : str
        Ward code.
    ward_shape : GeoDataFrame
        The ward's boundary in WGS84.
    metres : float
        How far outside the ward a site still counts as near.
    """
    from geo.points import distance_to_area

    points = register[register["location"] != "ward"]
    near = distance_to_area(points["lat"], points["lon"], ward_shape)
    here = register[(register["located_ward"] == ward) | register.index.isin(near[near <= metres].index)].copy()
    here["where"] = ["in the ward" if w == ward else f"within {metres:g} m" for w in here["located_ward"]]
    return here


def month_words(date: str) -> str:
    """"2020-11" -> "November 2020"; "2022" -> "2022".

    Examples
    --------
    >>> month_words("2020-11"), month_words("2022")
    ('November 2020', '2022')
    """
    found = DATE.fullmatch(date)
    if not found:
        return date
    year, month = found.groups()
    return f"{MONTHS[int(month) - 1]} {year}" if month else year


def when_words(dating: str, date_from: str, date_to: str) -> str:
    """When a row held, in words: "in November 2020", "from January to March 2022", "since 2011".

    Examples
    --------
    >>> when_words("snapshot", "2020-11", ""), when_words("period", "2022-01", "2022-03")
    ('in November 2020', 'from January to March 2022')
    >>> when_words("period", "2011", "2024"), when_words("period", "2019", "")
    ('from 2011 to 2024', 'since 2019')
    """
    if dating == "snapshot" or date_to == date_from:
        return f"in {month_words(date_from)}"
    if not date_to:
        return f"since {month_words(date_from)}"
    start, end = month_words(date_from), month_words(date_to)
    if start[-4:] == end[-4:] and " " in start:
        start = start[:-5]
    return f"from {start} to {end}"


def held_in(rows: pd.DataFrame, year: int | None) -> pd.DataFrame:
    """Rows known to hold in ``year`` (all rows when ``year`` is None).

    A snapshot counts in its own year; a period in every year it touches (an open period: from its start on).
    """
    if year is None or rows.empty:
        return rows
    start = rows["date_from"].str[:4].astype(int)
    end = rows["date_to"].where(rows["date_to"] != "", "9999").str[:4].astype(int)
    end = end.where(rows["dating"] != "snapshot", start)
    return rows[(start <= year) & (year <= end)]


def when_summary(rows: pd.DataFrame) -> str:
    """When a group of rows held, in words, for a count of them: "in November 2020", "from 2011 to 2024".

    Rows that share one dating are described by it; otherwise by the span of all their dates.

    Examples
    --------
    >>> rows = pd.DataFrame({"dating": ["snapshot"] * 2, "date_from": ["2020-11"] * 2, "date_to": ["", ""]})
    >>> when_summary(rows)
    'in November 2020'
    >>> rows = pd.DataFrame({"dating": ["period"] * 2, "date_from": ["2011", "2015"], "date_to": ["2019", "2024"]})
    >>> when_summary(rows)
    'at some time from 2011 to 2024'
    """
    kinds = rows[["dating", "date_from", "date_to"]].drop_duplicates()
    if len(kinds) == 1:
        return when_words(*kinds.iloc[0])
    start = rows["date_from"].min()
    ends = rows["date_to"].where(rows["date_to"] != "", rows["date_from"])
    return f"at some time {when_words('period', start, ends.max())}"


def register_years(rows: pd.DataFrame) -> list[int]:
    """Every year some row of the register is known to hold in, oldest first."""
    years: set[int] = set()
    for dating, start, end in zip(rows["dating"], rows["date_from"], rows["date_to"], strict=True):
        first = int(start[:4])
        last = first if dating == "snapshot" else int((end or start)[:4])
        years.update(range(first, last + 1))
    return sorted(years)


def sites_sentence(here: pd.DataFrame, ward_name: str) -> str:
    """Sites in or near a ward by type, each count dated ("EV charge point: 3 in the ward, 2 nearby (in 2020)").

    ``here`` is :func:`sites_near`'s result. The lists are of different dates, so every count says when it held.
    """
    if not len(here):
        return "The interventions register has no sites in or near this ward."
    parts = []
    for kind, rows in here.groupby("type"):
        inside = int((rows["where"] == "in the ward").sum())
        parts.append(f"{kind}: {inside} in the ward, {len(rows) - inside} nearby ({when_summary(rows)})")
    return (f"From the interventions register: {len(here)} site{'s' if len(here) != 1 else ''} in {ward_name} or "
            "within 500 m of it. "
            + "; ".join(parts) + ". None of these lists is known to be current.")
