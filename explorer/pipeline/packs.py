"""Local packs as data: check every part a pack's manifest names, and write its ``built/`` folder whole.

A local pack is a folder of ``data/packs/`` (docs/packs.md): ``pack.csv`` says whose it is (``code``, ``name``,
``area_word``, ``publisher``) and ``manifest.csv`` names each part the council brings (``part``, ``file``,
``columns``, ``as_of``, ``source``, ``licence``, ``note``). The parts, the files each is read from and written to,
and the columns each requires (and the optional ones) are data, not code: ``data/registry/pack_parts.csv`` and
``data/registry/pack_columns.csv``.

Run ``python -m explorer.pipeline.packs`` (``make packs``). Each part is checked with the project's named errors
(file, row, column and what to do), by the same checks the rest of the build uses (:mod:`geo.validate`, and the
register's, plan's, councillors', postcodes' and published gaps' own), against the authority's wards: its own ward
set where the pack brings one, else ONS's May 2025 wards from the national store. The parts are written to a new
folder swapped in for ``built/`` whole, with ``pack.json`` (whose the pack is; each part's date, source and note)
and ``inputs.json`` (every input's SHA-256): a pack whose inputs are unchanged is not rebuilt. A broken part stops
its pack's build and the last ``built/`` stays; the other packs still build.

A part whose ``file`` is ``make data`` is made by Coventry's own pipeline (:mod:`explorer.pipeline.build`), which
builds the pack itself with what it made; this module keeps those files as the last build left them.
"""

from __future__ import annotations

import argparse
import json
import re
import shutil
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import geopandas as gpd
import pandas as pd

from explorer import paths
from explorer.pipeline.authorities import NationalStore
from explorer.pipeline.councillors import councillors_table
from explorer.pipeline.interventions import DATE, validate_register
from explorer.pipeline.monitoring import annual_means, monitoring_sites
from explorer.pipeline.output import CSV, sha256, swap_in
from explorer.pipeline.priorities import check_priorities
from explorer.pipeline.published import check_published_gaps
from explorer.pipeline.series import with_meta
from explorer.pipeline.store import TABLE_COLUMNS, read_layer, read_table
from explorer.registry import load_registry
from geo.errors import DataError
from geo.points import ward_of
from geo.postcodes import postcode_table
from geo.validate import CODE_PATTERNS, check_known, check_numeric, check_unique, read_csv, require_columns
from geo.vintages import load_vintages, load_ward_names

PACK_COLUMNS = ("code", "name", "area_word", "publisher")
MANIFEST_COLUMNS = ("part", "file", "columns", "as_of", "source", "licence", "note")
PART_COLUMNS = ("part", "inputs", "built", "as_of", "words", "what")
COLUMN_COLUMNS = ("part", "input", "column", "required", "kind", "what", "example")
KINDS = ("text", "id", "number", "date", "lat", "lon", "ward", "lsoa21", "flag")
MADE = "make data"  # a part made by Coventry's own pipeline (explorer.pipeline.build), which builds the pack itself
MAKE_DATA = "`make data` (python -m explorer.pipeline.build)"
MARGIN = 0.05  # degrees around the authority's wards: a point further out is a typing slip (or lat and lon swapped)
INPUTS = "inputs.json"
SERIES_OUT = ("series", "area", "period", "value", "unit", "source", "denominator", "count")
REGISTRY_FILES = ("pack_parts.csv", "pack_columns.csv")


@dataclass(frozen=True)
class Column:
    """One column a part's input file holds (``data/registry/pack_columns.csv``)."""

    name: str
    required: bool
    kind: str
    what: str
    example: str


@dataclass(frozen=True)
class Part:
    """One part a pack may bring (``data/registry/pack_parts.csv``), with the columns of each of its inputs."""

    name: str
    inputs: tuple[str, ...]  # what the manifest's ``file`` names, in order (';'-separated)
    built: tuple[str, ...]  # the files its build writes into built/
    dated: bool  # the manifest must give its as_of
    words: str  # what it is, for "not held" sentences
    what: str
    columns: dict[str, tuple[Column, ...]] = field(default_factory=dict)  # by input


def load_parts(registry: Path) -> dict[str, Part]:
    """The parts a pack may bring, in the registry's order, each with its inputs' columns.

    Parameters
    ----------
    registry : Path
        The registry folder (``data/registry``) holding ``pack_parts.csv`` and ``pack_columns.csv``.

    Raises
    ------
    DataError
        Naming the registry file, row and column of the first problem.
    """
    name = "data/registry/pack_parts.csv"
    frame = read_csv(registry / "pack_parts.csv", PART_COLUMNS, label=name).fillna("")
    check_unique(frame, ["part"], name)
    parts = {}
    for i, row in enumerate(frame.to_dict("records"), start=1):
        if row["as_of"] not in ("required", "optional"):
            raise DataError(name, f"'{row['as_of']}' is not 'required' or 'optional'", row=i, column="as_of")
        parts[row["part"]] = Part(row["part"], _split(row["inputs"]), _split(row["built"]),
                                  row["as_of"] == "required", row["words"], row["what"])
    name = "data/registry/pack_columns.csv"
    frame = read_csv(registry / "pack_columns.csv", COLUMN_COLUMNS, label=name).fillna("")
    check_unique(frame, ["part", "input", "column"], name)
    columns: dict[tuple[str, str], list[Column]] = {}
    for i, row in enumerate(frame.to_dict("records"), start=1):
        if row["part"] not in parts:
            raise DataError(name, f"'{row['part']}' is not a part of pack_parts.csv", row=i, column="part")
        if row["input"] not in parts[row["part"]].inputs:
            raise DataError(name, f"'{row['input']}' is not one of the inputs {parts[row['part']].inputs}", row=i,
                            column="input")
        if row["required"] not in ("yes", "no"):
            raise DataError(name, f"'{row['required']}' is not 'yes' or 'no'", row=i, column="required")
        if row["kind"] not in KINDS:
            raise DataError(name, f"'{row['kind']}' is not one of {KINDS}", row=i, column="kind")
        columns.setdefault((row["part"], row["input"]), []).append(
            Column(row["column"], row["required"] == "yes", row["kind"], row["what"], row["example"]))
    for part in parts.values():
        part.columns.update({input_: tuple(columns.get((part.name, input_), ())) for input_ in part.inputs})
    return parts


@dataclass(frozen=True)
class Entry:
    """One row of a pack's manifest: a part, the file(s) it is read from and what the council says of it."""

    part: Part
    files: tuple[str, ...]  # as the manifest names them; (MADE,) for a part Coventry's own pipeline makes
    columns: dict[str, str]  # the part's column name -> the file's, where they differ
    as_of: str
    source: str
    licence: str
    note: str

    @property
    def made(self) -> bool:
        """Whether Coventry's own pipeline makes the part (``file`` is ``make data``)."""
        return self.files == (MADE,)


@dataclass(frozen=True)
class Pack:
    """A pack's source folder as its ``pack.csv`` and ``manifest.csv`` describe it."""

    folder: Path
    code: str
    name: str
    area_word: str
    publisher: str
    entries: tuple[Entry, ...]  # in the registry's order of parts

    def entry(self, part: str) -> Entry | None:
        """The manifest's row for ``part``, or None when the pack does not bring it."""
        return next((e for e in self.entries if e.part.name == part), None)


def read_source(folder: Path, parts: dict[str, Part], data: Path) -> Pack:
    """Read and check a pack's ``pack.csv`` and ``manifest.csv`` (every file it names must exist).

    Raises
    ------
    DataError
        Naming the file, row and column of the first problem, and what to do.
    """
    label = paths.shown(folder / "pack.csv", data)
    about = read_csv(folder / "pack.csv", PACK_COLUMNS, label=label).fillna("")
    if len(about) != 1:
        raise DataError(label, f"{len(about)} rows; a pack is for one authority: give one row")
    row = about.iloc[0]
    if not re.fullmatch(CODE_PATTERNS["lad"], row["code"].strip()):
        raise DataError(label, f"'{row['code']}' is not a local authority code (E06, E07, E08 or E09 and six "
                        "digits, as ONS gives it)", row=1, column="code")
    for column in ("name", "publisher"):
        if not row[column].strip():
            raise DataError(label, "value is required", row=1, column=column)
    label = paths.shown(folder / "manifest.csv", data)
    manifest = read_csv(folder / "manifest.csv", MANIFEST_COLUMNS, label=label).fillna("")
    check_unique(manifest, ["part"], label)
    entries = {}
    for i, line in enumerate(manifest.to_dict("records"), start=1):
        entries[line["part"]] = _entry(line, i, label, parts, folder, data)
    ordered = tuple(entries[name] for name in parts if name in entries)
    return Pack(folder, row["code"].strip(), row["name"].strip(), row["area_word"].strip(), row["publisher"].strip(),
                ordered)


def _entry(line: dict, i: int, label: str, parts: dict[str, Part], folder: Path, data: Path) -> Entry:
    if line["part"] not in parts:
        raise DataError(label, f"'{line['part']}' is not a part; parts are {list(parts)} (docs/packs.md)", row=i,
                        column="part")
    part = parts[line["part"]]
    files = _split(line["file"])
    if files != (MADE,):
        if len(files) != len(part.inputs):
            raise DataError(label, f"{part.name} is read from {len(part.inputs)} file(s) ({'; '.join(part.inputs)}),"
                            f" separated by ';'; {len(files)} given", row=i, column="file")
        for name in files:
            if not paths.pack_file(folder, name, data).exists():
                raise DataError(label, f"'{name}' does not exist (a name is relative to the pack's folder, or to "
                                "the data folder when it begins with data/)", row=i, column="file")
    known = {c.name for cols in part.columns.values() for c in cols}
    columns = {}
    for pair in _split(line["columns"]):
        ours, _, theirs = (s.strip() for s in pair.partition("="))
        if ours not in known or not theirs:
            raise DataError(label, f"'{pair}' does not name one of {part.name}'s columns as its=yours "
                            f"({', '.join(sorted(known))})", row=i, column="columns")
        columns[ours] = theirs
    if part.dated and not line["as_of"].strip():
        raise DataError(label, f"say when the {part.name} held (a year, or a year and month)", row=i, column="as_of")
    if line["as_of"].strip() and not DATE.fullmatch(line["as_of"].strip()):
        raise DataError(label, f"'{line['as_of']}' is not a year (2020) or a year and month (2020-09)", row=i,
                        column="as_of")
    for column, say in (("source", "who published it"), ("licence", "under which licence it may be shown")):
        if not line[column].strip():
            raise DataError(label, f"value is required: say {say}", row=i, column=column)
    return Entry(part, files, columns, line["as_of"].strip(), line["source"].strip(), line["licence"].strip(),
                 line["note"].strip())


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


def own_area(name: str, folder: Path) -> Area:
    """The authority as a pack's own ward set (a folder as a ward-set build writes it) describes it."""
    lookups = read_table(folder, "lookups.csv")
    return Area(name, frozenset(read_table(folder, "wards.csv")["code"]),
                frozenset(lookups.loc[lookups["geography"] == "lsoa21", "lsoa"]), read_layer(folder, "wards"),
                frozenset(load_registry(folder / "indicators.csv")), "its own ward set")


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


def _split(text: str) -> tuple[str, ...]:
    return tuple(s.strip() for s in str(text).split(";") if s.strip())


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


class Job:
    """One pack's build: its inputs read and checked part by part, and the files each part writes."""

    def __init__(self, pack: Pack, area: Area, data: Path, made: Path, out: dict[str, Path]) -> None:
        self.pack, self.area, self.data, self.made = pack, area, data, made
        self.out: dict[str, pd.DataFrame | Path] = dict(out)  # built file -> a table to write, or a file to copy
        self.priorities: set[str] | None = None

    def inputs(self, entry: Entry) -> list[Input]:
        """The part's input files, read and checked column by column."""
        return [read_input(self.pack, entry, i, self.area, self.data) for i in range(len(entry.files))]

    def keep(self, entry: Entry, inp: Input, frame: pd.DataFrame | None = None) -> None:
        """Write the part's one file: the input as it is when it is in the part's form, else ``frame``."""
        self.out[entry.part.built[0]] = inp.path if inp.as_is else (frame if frame is not None else inp.frame)

    def part(self, entry: Entry) -> None:
        """Check one part and say what it writes."""
        if entry.part.name == "ward_set":
            return  # checked first: the other parts are checked against it
        if entry.made:
            self.out.update(made_files(entry, self.made))
            return
        inputs = self.inputs(entry)
        with file_columns(inputs[0]):
            getattr(self, entry.part.name)(entry, *inputs)

    def plan(self, entry: Entry, inp: Input) -> None:
        """Priorities: a kind, known indicators, Marmot principles numbered 1 to 8 (the register names them)."""
        self.priorities = {p.id for p in check_priorities(inp.frame, dict.fromkeys(self.area.indicators), inp.label)}
        self.keep(entry, inp)

    def interventions(self, entry: Entry, inp: Input) -> None:
        """The register, every row checked (:func:`~explorer.pipeline.interventions.validate_register`)."""
        text = inp.frame.astype("string").fillna("").astype(object)
        found = validate_register(text, self.priorities, set(self.area.wards), inp.label, box=self.area.box,
                                  area=self.area.name)
        if found.errors:
            first = found.errors[0]
            more = f" ({len(found.errors) - 1} more rows have problems too)" if len(found.errors) > 1 else ""
            raise DataError(first.file, first.problem + more, row=first.row, column=first.column)
        self.keep(entry, inp)

    def councillors(self, entry: Entry, inp: Input) -> None:
        """Councillors by ward, sorted."""
        self.out["councillors.csv"] = councillors_table(inp.frame, set(self.area.wards), inp.label)

    def postcodes(self, entry: Entry, inp: Input) -> None:
        """The postcode lookup: one row per postcode, in the authority's LSOAs and wards."""
        self.out["postcodes.csv"] = postcode_table(inp.frame, set(self.area.wards), set(self.area.lsoa21), inp.label)

    def monitoring(self, entry: Entry, sites: Input, readings: Input) -> None:
        """Monitoring sites with their measured years and means, and every annual mean of a known site."""
        with file_columns(readings):
            means = annual_means(readings.frame, readings.label)
            with advice(f"every reading's site must be one of {sites.label}'s"):
                check_known(readings.frame, "tube_id", set(sites.frame["tube_id"]), readings.label, "site id")
        self.out["monitoring_sites.csv"] = monitoring_sites(with_wards(sites, self.area), means,
                                                            set(self.area.wards), sites.label)
        self.out["monitoring_readings.csv"] = means

    def points(self, entry: Entry, inp: Input) -> None:
        """Points with their wards, sorted by ward and label."""
        frame = with_wards(inp, self.area)
        self.out["points.csv"] = pd.DataFrame({"street": frame["street"], "ward": frame["ward"],
                                               "lat": check_numeric(frame, "lat", inp.label),
                                               "lon": check_numeric(frame, "lon", inp.label)}
                                              ).sort_values(["ward", "street"], ignore_index=True)

    def series(self, entry: Entry, inp: Input) -> None:
        """Series rows with numbers where numbers go, each joined to its row of the series registry."""
        frame = inp.frame.assign(**{c: check_numeric(inp.frame, c, inp.label) for c in ("value", "count",
                                                                                     "denominator")})
        self.out["series.csv"] = with_meta(frame[list(SERIES_OUT)], self.data / "registry" / "series.csv",
                                           inp.label)

    def published_gaps(self, entry: Entry, inp: Input) -> None:
        """Published gaps: a known indicator, a number, where and when published."""
        check_published_gaps(inp.frame, set(self.area.indicators), inp.label)
        self.keep(entry, inp)

    def kiosk_facts(self, entry: Entry, inp: Input) -> None:
        """Facts, checked column by column; their templates are checked where they are read (models.kiosk)."""
        self.keep(entry, inp)

    def kiosk_landmarks(self, entry: Entry, inp: Input) -> None:
        """Landmarks: ids, labels and points near the authority; their kinds are checked where they are read."""
        self.keep(entry, inp)


def made_files(entry: Entry, folder: Path) -> dict[str, Path]:
    """The files of a ward set or series a build made in ``folder``, each checked as the app reads it.

    A ward set also brings the names of its ward sets not yet mapped (``ward_sets.csv``'s ``names_file``).
    """
    if not folder.is_dir():
        raise DataError(str(folder), f"no such folder; {_how(entry)}")
    files = {}
    for name in entry.part.built:
        path = folder / name
        if not path.exists():
            raise DataError(paths.shown(path), f"file is missing; {_how(entry)}")
        if name in TABLE_COLUMNS:
            read_table(folder, name)
        elif name.endswith(".parquet"):
            read_layer(folder, name.removesuffix(".parquet"))
        files[name] = path
    if entry.part.name == "ward_set":
        load_registry(folder / "indicators.csv")
        for vintage in load_vintages(folder / "ward_sets.csv"):
            if not vintage.mappable and vintage.names_file:
                load_ward_names(vintage, folder)
                files[vintage.names_file] = folder / vintage.names_file
    return files


def _how(entry: Entry) -> str:
    return f"it is made by {MAKE_DATA}: run it" if entry.made else "give the folder a ward-set build wrote"


def hashes(pack: Pack, data: Path, made: Path, store: Path) -> dict[str, str]:
    """SHA-256 of everything a pack's build reads, by name: a pack is rebuilt only when one of them changes."""
    found = {name: sha256(pack.folder / name) for name in ("pack.csv", "manifest.csv")}
    found.update({f"data/registry/{name}": sha256(data / "registry" / name) for name in REGISTRY_FILES})
    if pack.entry("series") and not pack.entry("series").made:
        found["data/registry/series.csv"] = sha256(data / "registry" / "series.csv")
    if pack.entry("ward_set") is None:
        info = Path(store) / "build_info.json"
        found["national store: build_info.json"] = sha256(info) if info.exists() else "not built"
    for entry in pack.entries:
        if entry.made:
            names = list(entry.part.built)
            if entry.part.name == "ward_set" and (made / "ward_sets.csv").exists():
                names += [v.names_file for v in load_vintages(made / "ward_sets.csv") if v.names_file]
            for name in names:
                path = made / name
                if not path.exists():
                    raise DataError(paths.shown(path, data), f"file is missing; {_how(entry)}")
                found[f"{MADE}: {name}"] = sha256(path)
            continue
        for name in entry.files:
            path = paths.pack_file(pack.folder, name, data)
            for file in sorted(path.rglob("*")) if path.is_dir() else [path]:
                if file.is_file():
                    found[_key(file, pack.folder, data)] = sha256(file)
    return found


def _key(file: Path, folder: Path, data: Path) -> str:
    """An input's name in ``inputs.json``: relative to its pack's folder (which may move), else as messages say."""
    return file.relative_to(folder).as_posix() if file.is_relative_to(folder) else paths.shown(file, data)


def pack_info(pack: Pack) -> dict:
    """``pack.json``: whose the pack is, and each part's date, source and note as the manifest gives them."""
    return {"code": pack.code, "name": pack.name, "area_word": pack.area_word,
            "parts": {e.part.name: {k: v for k, v in (("as_of", e.as_of), ("source", e.source), ("note", e.note))
                                    if v} for e in pack.entries}}


def write(pack: Pack, data: Path, store: Path, made: Path, found: dict[str, str], out: Path) -> list[str]:
    """Check every part of ``pack`` and write its built folder to ``out`` (a new folder); return the parts."""
    ward_set = pack.entry("ward_set")
    if ward_set is not None:
        folder = made if ward_set.made else paths.pack_file(pack.folder, ward_set.files[0], data)
        files = made_files(ward_set, folder)
        area = own_area(pack.name, folder)
    else:
        files, area = {}, store_area(pack.code, pack.name, store)
    job = Job(pack, area, data, made, files)
    for entry in pack.entries:
        job.part(entry)
    out.mkdir(parents=True)
    for name, what in job.out.items():
        (out / name).parent.mkdir(parents=True, exist_ok=True)
        if isinstance(what, Path):
            shutil.copyfile(what, out / name)
        else:
            what.to_csv(out / name, **CSV)
    (out / "pack.json").write_text(json.dumps(pack_info(pack), indent=1, ensure_ascii=False) + "\n",
                                   encoding="utf-8")
    (out / INPUTS).write_text(json.dumps({"inputs": found}, indent=1, sort_keys=True) + "\n", encoding="utf-8")
    return [e.part.name for e in pack.entries]


def recorded(built: Path) -> dict[str, str] | None:
    """The input hashes a pack's last build recorded, or None (never built, or from before hashes were kept)."""
    try:
        return json.loads((built / INPUTS).read_text(encoding="utf-8"))["inputs"]
    except (OSError, ValueError, KeyError, TypeError):
        return None


def build_pack(folder: Path, data: Path | None = None, store: Path | None = None, made: Path | None = None,
               force: bool = False) -> str:
    """Check and build one pack into ``<folder>/built`` (swapped in whole), unless its inputs are unchanged.

    Parameters
    ----------
    folder : Path
        The pack's folder (``data/packs/coventry``).
    data : Path, optional
        The data folder (default :func:`explorer.paths.data_dir`).
    store : Path, optional
        The national store, whose wards a pack without its own ward set is checked against.
    made : Path, optional
        Where the parts made by ``make data`` are (default: the pack's last ``built/``, kept as they are).
    force : bool
        Rebuild even when the inputs are unchanged.

    Returns
    -------
    str
        One line saying what was done, for the terminal.

    Raises
    ------
    DataError
        The first problem found, naming the file, row and column; the pack's last ``built/`` is left as it was.
    """
    folder = Path(folder)
    data = Path(data or paths.data_dir())
    store = Path(store or paths.store_dir())
    built = paths.built_dir(folder)
    pack = read_source(folder, load_parts(data / "registry"), data)
    made = Path(made or built)
    found = hashes(pack, data, made, store)
    if not force and recorded(built) == found and (built / "pack.json").exists():
        return f"{folder.name}: unchanged since its last build (every input's hash matches); not rebuilt"
    start = time.perf_counter()
    parts = swap_in(built, lambda new: write(pack, data, store, made, found, new))
    return f"{folder.name}: built {pack.name}'s {len(parts)} parts ({', '.join(parts)}) in " \
           f"{time.perf_counter() - start:.1f} s"


def pack_folders(packs: Path) -> list[Path]:
    """Every pack folder under ``packs`` (one holding a ``pack.csv`` or a ``manifest.csv``), by name."""
    return sorted({p.parent for name in ("pack.csv", "manifest.csv") for p in Path(packs).glob(f"*/{name}")})


def main(argv: list[str] | None = None) -> int:
    """Command line: build every pack (or those named), one line each; exit 1 when any could not be built."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("names", nargs="*", help="the packs to build (folder names; default: all)")
    parser.add_argument("--packs", type=Path, default=paths.packs_dir(), help="the folder of packs (data/packs)")
    parser.add_argument("--data", type=Path, default=paths.data_dir(), help="the data folder (raw/, registry/)")
    parser.add_argument("--store", type=Path, default=paths.store_dir(), help="the national store (data/store/v1)")
    parser.add_argument("--force", action="store_true", help="rebuild even when no input has changed")
    args = parser.parse_args(argv)
    folders = [f for f in pack_folders(args.packs) if not args.names or f.name in args.names]
    failed = 0
    for folder in folders:
        try:
            print(build_pack(folder, args.data, args.store, force=args.force), flush=True)
        except DataError as exc:
            failed += 1
            print(f"{folder.name}: not built, its last built/ is kept. {exc}", file=sys.stderr, flush=True)
    if not folders:
        print(f"no packs in {args.packs}", file=sys.stderr)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
