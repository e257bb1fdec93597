"""What the kiosk's map marks beside the wards: landmarks, libraries, family hubs and "You are here"."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import pandas as pd

from geo.errors import DataError
from geo.maplabels import MapPoint
from geo.validate import read_csv

LANDMARK_COLUMNS = ("id", "label", "kind", "lat", "lon", "file", "column", "match", "source")
LANDMARK_KINDS = {"city centre", "hospital"}  # libraries and family hubs come from the interventions register
LANDMARK_MARGIN = 0.05  # degrees around the authority's wards: a landmark further out is a typing slip
REGISTER_LANDMARKS = {"Library": "library", "Family hub": "family hub"}
KEY_WORDS = {"library": "blue squares are libraries", "family hub": "green dots family hubs"}  # hospitals: by name


def load_landmarks(path: Path, bounds: Sequence[float]) -> list[MapPoint]:
    """Read a pack's kiosk landmarks (beyond the register: a town centre, hospitals).

    Each row names the raw file and row its point was copied from (``file``, ``column``, ``match``);
    tests/test_kiosk_logic.py checks every point against that file. ``bounds`` (west, south, east, north) are
    the authority's wards': a landmark more than :data:`LANDMARK_MARGIN` degrees outside them is refused.
    """
    frame = read_csv(path, LANDMARK_COLUMNS, label=path.name)
    out = []
    west, south, east, north = bounds
    south, west, north, east = (south - LANDMARK_MARGIN, west - LANDMARK_MARGIN, north + LANDMARK_MARGIN,
                                east + LANDMARK_MARGIN)
    for i, row in frame.iterrows():
        where = {"row": int(i) + 1}
        if row["kind"] not in LANDMARK_KINDS:
            raise DataError(path.name, f"kind '{row['kind']}' is not one of {sorted(LANDMARK_KINDS)}", column="kind",
                            **where)
        if pd.isna(row["label"]) or not str(row["label"]).strip():
            raise DataError(path.name, "give the name shown on the map", column="label", **where)
        try:
            lat, lon = float(row["lat"]), float(row["lon"])
        except (TypeError, ValueError):
            raise DataError(path.name, "lat and lon must be numbers (WGS84)", column="lat", **where) from None
        if not (south <= lat <= north and west <= lon <= east):
            raise DataError(path.name, f"{lat}, {lon} is not in or near the authority's wards", column="lat",
                            **where)
        out.append(MapPoint(str(row["label"]).strip(), str(row["kind"]), lat, lon))
    return out


def kiosk_points(register: pd.DataFrame, landmarks: Sequence[MapPoint], here: str | None) -> list[MapPoint]:
    """Everything marked on the kiosk map, with "You are here" at the library named ``here``.

    Libraries and family hubs come from the register, the rest from ``landmarks``; the kiosk's own
    library is marked once, as "You are here".
    ``register`` holds valid register rows with ``name``, ``type``, ``lat`` and ``lon``.
    """
    rows = register[register["type"].isin(list(REGISTER_LANDMARKS)) & register["lat"].notna()]
    points = [MapPoint(str(name), REGISTER_LANDMARKS[kind], float(lat), float(lon))
              for name, kind, lat, lon in zip(rows["name"], rows["type"], rows["lat"], rows["lon"], strict=True)
              if not (here and kind == "Library" and name == here)]
    points += list(landmarks)
    if here:
        found = rows[(rows["type"] == "Library") & (rows["name"] == here)]
        if len(found):
            points.append(MapPoint("You are here", "here", float(found["lat"].iloc[0]), float(found["lon"].iloc[0])))
    return points


def map_key_words(points: Sequence[MapPoint]) -> str:
    """What the kiosk map's symbols mean, for the symbols drawn ("" when it marks nothing but the wards).

    Examples
    --------
    >>> map_key_words([MapPoint("A", "library", 0, 0), MapPoint("University Hospital", "hospital", 0, 0)])
    'Blue squares are libraries and H marks University Hospital.'
    >>> map_key_words([MapPoint("You are here", "here", 0, 0)])
    ''
    """
    kinds = {p.kind for p in points}
    said = [words for kind, words in KEY_WORDS.items() if kind in kinds]
    hospitals = [p.label for p in points if p.kind == "hospital"]
    if hospitals:
        said.append(f"H marks {' and '.join(hospitals)}")
    if not said:
        return ""
    text = said[0] if len(said) == 1 else ", ".join(said[:-1]) + " and " + said[-1]
    return text[0].upper() + text[1:] + "."
