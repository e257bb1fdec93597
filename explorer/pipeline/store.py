"""Reading the processed data the app runs on.

Each loader reads one file and raises :class:`~geo.errors.DataError`
naming it when it is missing or malformed, so a page can say what is wrong
and the rest of the app keeps working.
"""

from __future__ import annotations

import os
from pathlib import Path

import geopandas as gpd
import pandas as pd

from explorer import paths
from geo.errors import DataError

LAYERS = ("wards", "lsoa21", "lsoa11", "msoa11")
TABLE_COLUMNS = {
    "values.csv": ("indicator", "geography", "code", "value", "lower", "upper", "numerator", "denominator", "note"),
    "wards.csv": ("code", "name", "vintage", "population_census2021", "lsoa21_count", "lsoa21_straddling"),
    "lookups.csv": ("geography", "lsoa", "ward", "msoa", "straddles", "share_in_ward"),
    "series.csv": ("series", "area", "period", "value", "unit", "source", "count", "denominator", "title",
                   "better", "change_rule", "threshold", "rule_note"),
    "gap_series.csv": ("la", "series", "order", "indicator", "label", "period", "unit", "decimals", "areas_kind",
                       "ordering", "edition", "source", "method", "areas", "most_deprived", "least_deprived", "gap",
                       "sii", "sii_lower", "sii_upper", "note", "rule", "rule_note", "change", "change_basis",
                       "shown_with"),
    "monitoring_sites.csv": ("tube_id", "site_name", "site_type", "ward", "lat", "lon", "first_year", "latest_year",
                             "latest_no2", "max_no2", "years_over_40"),
    "monitoring_readings.csv": ("tube_id", "year", "no2"),
    "points.csv": ("street", "ward", "lat", "lon"),
    "postcodes.csv": ("postcode", "terminated", "lsoa21", "ward"),
    "councillors.csv": ("ward", "name", "party", "term"),
    "lsoa_weights.csv": ("geography", "code", "census2021", "iod25_total", "iod19_total", "mye2019"),
}
REBUILD_HINT = "restore it from git (git checkout data/packs) or rebuild it with `make data`"


def _label(folder: Path, name: str) -> str:
    return paths.shown(folder / name)


def read_table(folder: Path, name: str) -> pd.DataFrame:
    """Read one processed CSV and check its columns.

    Parameters
    ----------
    folder : Path
        The processed-data folder.
    name : str
        File name, one of ``TABLE_COLUMNS``.
    """
    path = folder / name
    label = _label(folder, name)
    if not path.exists():
        raise DataError(label, f"file is missing; {REBUILD_HINT}")
    try:
        frame = pd.read_csv(path, dtype={"code": str, "ward": str})
    except (pd.errors.ParserError, pd.errors.EmptyDataError, UnicodeDecodeError, ValueError) as exc:
        raise DataError(label, f"file is unreadable ({type(exc).__name__}); {REBUILD_HINT}") from None
    missing = [c for c in TABLE_COLUMNS[name] if c not in frame.columns]
    if missing:
        raise DataError(label, f"missing column(s) {missing}; {REBUILD_HINT}", column=missing[0])
    if frame.empty:
        raise DataError(label, f"file has no rows; {REBUILD_HINT}")
    with path.open("rb") as f:  # the build ends every file with a new line: one that does not was cut short
        f.seek(-1, os.SEEK_END)
        if f.read(1) != b"\n":
            raise DataError(label, f"file ends part-way through a row (cut short); {REBUILD_HINT}", row=len(frame))
    # Text columns: empty means "none", never "nan".
    for column in ("note", "rule_note", "threshold", "change", "change_basis", "shown_with"):
        if column in frame.columns:
            frame[column] = frame[column].astype(object).fillna("").astype(str)
    if name == "values.csv":
        for column in ("value", "lower", "upper"):
            if not pd.api.types.is_numeric_dtype(frame[column]):
                bad = pd.to_numeric(frame[column], errors="coerce").isna() & frame[column].notna()
                row = int(bad.to_numpy().nonzero()[0][0]) + 1
                raise DataError(label, f"'{frame[column].iloc[row - 1]}' is not a number; {REBUILD_HINT}",
                                row=row, column=column)
    return frame


def read_layer(folder: Path, layer: str) -> gpd.GeoDataFrame:
    """Read one simplified boundary layer (GeoParquet, WGS84)."""
    name = f"{layer}.parquet"
    label = _label(folder, name)
    path = folder / name
    if not path.exists():
        raise DataError(label, f"file is missing; {REBUILD_HINT}")
    try:
        frame = gpd.read_parquet(path)
    except Exception as exc:  # pyarrow raises several unrelated types for a corrupt file
        raise DataError(label, f"file is unreadable ({type(exc).__name__}); {REBUILD_HINT}") from None
    if frame.crs is None:
        raise DataError(label, f"CRS unknown; {REBUILD_HINT}")
    for column in ("code", "name"):
        if column not in frame.columns:
            raise DataError(label, f"missing column '{column}'; {REBUILD_HINT}", column=column)
    return frame
