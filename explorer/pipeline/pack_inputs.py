"""A local pack's input files, read and checked column by column against the authority they are for.

Each file (a CSV, or GeoJSON points) is read with its columns under the part's names (the manifest's ``columns``
pairs), and each column is checked by its kind (``data/registry/pack_columns.csv``) with the project's named errors:
the file, the row (1 after the header) and the file's own name for the column, what is wrong and what to do. The
authority is its own ward set where the pack brings one, else ONS's May 2025 wards from the national store.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import geopandas as gpd
import pandas as pd

from explorer import paths
from explorer.pipeline.authorities import NationalStore
from explorer.pipeline.interventions import DATE
from explorer.pipeline.pack_format import Column, Entry, Pack
from explorer.pipeline.store import read_layer, read_table
from explorer.registry import load_registry
from geo.errors import DataError
from geo.points import ward_of
from geo.validate import check_known, check_numeric, check_unique, read_csv, require_columns

MARGIN = 0.05  # degrees around the authority's wards: a point further out is a typing slip (or lat and lon swapped)


@dataclass(frozen=True)
class Area:
    """What a pack's parts are checked against: the authority's wards, 2021 LSOAs and indicators."""

    name: str
    wards: frozenset[str]
    lsoa21: frozenset[str]
    shapes: gpd.GeoDataFrame
    indicators: frozenset[str]
    wards_are: str  # the ward set, in words, for messages

    @property
    def box(self) -> tuple[float, float, float, float]:
        """(west, south, east, north), WGS84 degrees: the wards' bounds widened by :data:`MARGIN`."""
        west, south, east, north = self.shapes.total_bounds
        return west - MARGIN, south - MARGIN, east + MARGIN, north + MARGIN


def own_area(name: str, folder: Path, data: Path) -> Area:
    """The authority as a pack's own ward set (a folder as a ward-set build writes it) describes it.

    Its indicators are the ward set's own and the national themes (``data/registry/national_themes.csv``), which
    the national store holds for every authority and the place adds to the pack's (:mod:`explorer.places.place`).
    """
    lookups = read_table(folder, "lookups.csv")
    themes = data / "registry" / "national_themes.csv"
    national = load_registry(themes) if themes.exists() else {}
    return Area(name, frozenset(read_table(folder, "wards.csv")["code"]),
                frozenset(lookups.loc[lookups["geography"] == "lsoa21", "lsoa"]), read_layer(folder, "wards"),
                frozenset(load_registry(folder / "indicators.csv")) | frozenset(national), "its own ward set")


def store_area(code: str, name: str, store: Path) -> Area:
    """The authority as the national store holds it: ONS's May 2025 wards and every national indicator.

    Raises
    ------
    DataError
        When the store is not built, or was built without the authority's geometry.
    """
    try:
        held = NationalStore(store).authority(code)
    except DataError as exc:
        raise DataError(exc.file, f"{exc.problem}. A pack without its own ward set is checked against the "
                        "authority's wards in the national store: build it (`make national`), then the packs") from None
    return Area(name, frozenset(held.wards["code"]), frozenset(held.layers["lsoa21"]["code"]), held.ward_shapes,
                frozenset(held.registry), "its May 2025 wards (ONS)")


@dataclass
class Input:
    """One input file of a part, read, with its columns under the part's names."""

    frame: pd.DataFrame
    label: str
    path: Path
    as_is: bool  # already in the part's form: copied byte for byte
    names: dict[str, str]  # the part's column name -> the file's, for messages


@contextmanager
def file_columns(inp: Input) -> Iterator[None]:
    """Name the file's own column in an error raised under the part's name for it."""
    try:
        yield
    except DataError as exc:
        if exc.file == inp.label and exc.column in inp.names:
            raise DataError(exc.file, exc.problem, row=exc.row, column=inp.names[exc.column]) from None
        raise


@contextmanager
def advice(what_to_do: str) -> Iterator[None]:
    """Add what to do to the problem of a DataError raised inside (a shared check says only what is wrong)."""
    try:
        yield
    except DataError as exc:
        raise DataError(exc.file, f"{exc.problem}: {what_to_do}", row=exc.row, column=exc.column) from None


def read_input(pack: Pack, entry: Entry, index: int, area: Area, data: Path) -> Input:
    """Read one input file of ``entry`` (CSV, or GeoJSON points), rename its columns and check each by its kind.

    Required columns must be present and filled in every row; optional ones may be absent (added empty). Then
    each column is checked by its kind: ``id`` unique, ``number``/``lat``/``lon`` numbers, ``date`` a year or a
    year and month, ``ward`` and ``lsoa21`` codes of the authority, ``flag`` 0 or 1, and each point within
    :data:`MARGIN` degrees of the authority's wards.
    """
    path = paths.pack_file(pack.folder, entry.files[index], data)
    label = paths.shown(path, data)
    columns = entry.part.columns[entry.part.inputs[index]]
    names = {c.name: entry.columns.get(c.name, c.name) for c in columns}
    required = [names[c.name] for c in columns if c.required]
    if path.suffix.lower() in (".geojson", ".json"):
        frame = _points(path, label)
        require_columns(frame, [r for r in required if r not in ("lat", "lon")], label)
    else:
        frame = read_csv(path, required, label=label)
    theirs = {names[c.name]: c.name for c in columns if names[c.name] in frame.columns}
    frame = frame.drop(columns=[c for c in frame.columns if c in names and c not in theirs and names[c] != c])
    frame = frame.rename(columns=theirs)
    absent = [c.name for c in columns if c.name not in frame.columns]
    for name in absent:
        frame[name] = pd.NA
    inp = Input(frame, label, path, path.suffix.lower() == ".csv" and not absent and
                all(k == v for k, v in names.items()), {k: v for k, v in names.items() if k != v})
    with file_columns(inp):
        check_kinds(frame, columns, label, area)
    return inp


def _points(path: Path, label: str) -> pd.DataFrame:
    """A GeoJSON file of points as a table: its properties, and ``lat``/``lon`` (WGS84, 6 decimals) of each point."""
    try:
        frame = gpd.read_file(path)
    except Exception as exc:  # pyogrio raises its own types for a file it cannot read
        raise DataError(label, f"file is unreadable as GeoJSON ({type(exc).__name__}); save it as GeoJSON "
                        "(WGS84) or as a CSV with lat and lon columns") from None
    if frame.crs is not None and not any(frame.crs.equals(wgs84) for wgs84 in ("EPSG:4326", "OGC:CRS84")):
        frame = frame.to_crs(4326)
    if not (frame.geom_type == "Point").all():
        i = int((frame.geom_type != "Point").to_numpy().nonzero()[0][0])
        raise DataError(label, f"feature {i + 1} is a {frame.geom_type.iloc[i]}, not a point", row=i + 1)
    return pd.DataFrame(frame.drop(columns="geometry")).assign(lat=frame.geometry.y.round(6),
                                                                 lon=frame.geometry.x.round(6))


def check_kinds(frame: pd.DataFrame, columns: tuple[Column, ...], label: str, area: Area) -> None:
    """Check every column of ``frame`` by its kind (see :func:`read_input`); DataError naming the first problem."""
    for column in columns:
        values = frame[column.name]
        blank = values.isna() | values.astype(str).str.strip().eq("")
        if column.required and blank.any():
            raise DataError(label, "value is required: fill it in, or leave the row out", row=_row(blank),
                            column=column.name)
        given = frame[~blank]
        if column.kind == "id":
            check_unique(given, [column.name], label)
        elif column.kind in ("number", "lat", "lon"):
            check_numeric(given, column.name, label)
        elif column.kind == "date":
            wrong = ~given[column.name].astype(str).str.strip().str.fullmatch(DATE.pattern)
            if wrong.any():
                raise DataError(label, f"'{given[column.name][wrong].iloc[0]}' is not a year (2022) or a year and "
                                "month (2022-03)", row=_row(wrong), column=column.name)
        elif column.kind in ("ward", "lsoa21"):
            known = area.wards if column.kind == "ward" else area.lsoa21
            what = "ward code" if column.kind == "ward" else "2021 LSOA code"
            with advice(f"it is not one of {area.name}'s {what}s ({area.wards_are}): correct it, or leave the row out"):
                check_known(given, column.name, known, label, what)
        elif column.kind == "flag":
            with advice("write 1 or 0"):
                check_known(given, column.name, {"0", "1"}, label, "flag")
    kinds = {c.kind: c.name for c in columns}
    if "lat" in kinds and "lon" in kinds:
        check_near(frame, kinds["lat"], kinds["lon"], label, area)


def check_near(frame: pd.DataFrame, lat: str, lon: str, label: str, area: Area) -> None:
    """Raise on the first point more than :data:`MARGIN` degrees outside the authority's wards."""
    y, x = pd.to_numeric(frame[lat], errors="coerce"), pd.to_numeric(frame[lon], errors="coerce")
    west, south, east, north = area.box
    far = y.notna() & x.notna() & ~(y.between(south, north) & x.between(west, east))
    if far.any():
        i = far[far].index[0]
        raise DataError(label, f"({y[i]}, {x[i]}) is nowhere near {area.name}: check the numbers and their order "
                        "(lat, then lon, WGS84 degrees)", row=_row(far), column=lat)


def _row(flags: pd.Series) -> int:
    """The file row (1 after the header) of the first flagged row of a frame read with its default index."""
    return int(flags[flags].index[0]) + 1


def with_wards(inp: Input, area: Area) -> pd.DataFrame:
    """The input's points, each with its ward: as the file gives it, else the ward its point lies in."""
    frame = inp.frame
    missing = frame["ward"].isna() | frame["ward"].astype(str).str.strip().eq("")
    if not missing.any():
        return frame
    found = ward_of(check_numeric(frame, "lat", inp.label), check_numeric(frame, "lon", inp.label), area.shapes)
    outside = missing & found.isna()
    if outside.any():
        raise DataError(inp.label, f"the point is outside {area.name}'s wards ({area.wards_are}): give its ward, "
                        "or leave the row out", row=_row(outside), column=inp.names.get("lat", "lat"))
    return frame.assign(ward=frame["ward"].where(~missing, found))
