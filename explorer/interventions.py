"""The interventions register: one row per site or programme, validated row by row.

The register (``data/registry/interventions.csv``) is meant to be edited by
council officers. A bad row is set aside with a message naming the row and the
field; every good row is kept, so one typo never hides the rest.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from explorer.errors import DataError
from explorer.validate import CODE_PATTERNS, read_csv

COLUMNS = ("id", "name", "type", "priority", "marmot_principle", "location", "lat", "lon", "ward", "period",
           "source")
LOCATIONS = ("point", "approximate point", "ward")
# Generous lon/lat box around Coventry: a point outside it is a typo (or a swapped lat/lon), not a place.
BOX = (-1.75, 52.30, -1.30, 52.55)


@dataclass(frozen=True)
class Register:
    """The rows that passed, and a message for each row that did not."""

    rows: pd.DataFrame
    problems: list[str]


def validate_register(frame: pd.DataFrame, priorities: set[str], wards: set[str], name: str) -> Register:
    """Check each row; keep the good ones and describe the bad ones.

    Parameters
    ----------
    frame : DataFrame
        The register as read (all columns text).
    priorities : set of str
        Valid priority ids.
    wards : set of str
        Valid ward codes.
    name : str
        The file's name for messages.
    """
    good, problems = [], []
    ward_pattern = CODE_PATTERNS["ward"]
    seen: set[str] = set()
    for i, row in enumerate(frame.fillna("").to_dict("records"), start=1):
        def bad(field: str, problem: str, i: int = i) -> None:
            problems.append(str(DataError(name, problem, row=i, column=field)))

        missing = [c for c in ("id", "name", "type", "priority", "location", "period", "source") if not row[c].strip()]
        if missing:
            bad(missing[0], "value is required")
            continue
        if row["id"] in seen:
            bad("id", f"duplicate id '{row['id']}'")
            continue
        if row["priority"] not in priorities:
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
            if not (BOX[0] <= lon <= BOX[2] and BOX[1] <= lat <= BOX[3]):
                bad("lat", f"({lat}, {lon}) is nowhere near Coventry: check the numbers and their order")
                continue
        ward = row["ward"].strip()
        if ward and (not pd.Series([ward]).str.fullmatch(ward_pattern).iloc[0] or ward not in wards):
            bad("ward", f"'{ward}' is not one of Coventry's ward codes")
            continue
        if row["location"] == "ward" and not ward:
            bad("ward", "a ward-wide programme needs its ward code")
            continue
        seen.add(row["id"])
        good.append({**row, "lat": lat, "lon": lon, "marmot_principle": principle, "row": i})
    return Register(pd.DataFrame(good), problems)


def load_register(path: Path, priorities: set[str], wards: set[str]) -> Register:
    """Read and validate the register (a missing or malformed file raises DataError)."""
    return validate_register(read_csv(path, COLUMNS, label="data/registry/interventions.csv"), priorities, wards,
                             "data/registry/interventions.csv")


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
