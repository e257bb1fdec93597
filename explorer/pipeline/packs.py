"""Build every local pack: check each part its manifest names, and write its ``built/`` folder whole.

Run ``python -m explorer.pipeline.packs`` (``make packs``; docs/packs.md). Each part is checked with the project's
named errors (file, row, column and what to do), by the same checks the rest of the build uses (:mod:`geo.validate`,
and the register's, plan's, councillors', postcodes' and published gaps' own), against the authority's wards
(:mod:`explorer.pipeline.pack_inputs`). The parts are written to a new folder swapped in for ``built/`` whole, with
``pack.json`` (whose the pack is; each part's date, source and note) and ``inputs.json`` (every input's SHA-256): a
pack whose inputs are unchanged is not rebuilt. A broken part stops its pack's build and the last ``built/`` stays;
the other packs still build.

A part whose ``file`` is ``make data`` is made by Coventry's own pipeline (:mod:`explorer.pipeline.build`), which
builds the pack itself with what it made; this module keeps those files as the last build left them.
"""

from __future__ import annotations

import argparse
import json
import shutil
import sys
import time
from pathlib import Path

import pandas as pd

from explorer import paths
from explorer.pipeline.atomic import CSV, swap_in
from explorer.pipeline.councillors import councillors_table
from explorer.pipeline.inputs import sha256
from explorer.pipeline.interventions import validate_register
from explorer.pipeline.monitoring import annual_means, monitoring_sites
from explorer.pipeline.pack_format import MADE, REGISTRY_FILES, Entry, Pack, load_parts, read_source
from explorer.pipeline.pack_inputs import (
    Area,
    Input,
    advice,
    file_columns,
    own_area,
    read_input,
    store_area,
    with_wards,
)
from explorer.pipeline.priorities import check_priorities
from explorer.pipeline.published import check_published_gaps
from explorer.pipeline.series import with_meta
from explorer.pipeline.store import TABLE_COLUMNS, read_layer, read_table
from explorer.registry import load_registry
from geo.errors import DataError
from geo.postcodes import postcode_table
from geo.validate import check_known, check_numeric
from geo.vintages import load_vintages, load_ward_names

MAKE_DATA = "`make data` (python -m explorer.pipeline.build)"
INPUTS = "inputs.json"
SERIES_OUT = ("series", "area", "period", "value", "unit", "source", "denominator", "count")


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

    def gap_series(self, entry: Entry, inp: Input) -> None:
        """A pack's own gaps over time, in the form :mod:`explorer.pipeline.local_gap_series` writes."""
        missing = [c for c in TABLE_COLUMNS["gap_series.csv"] if c not in inp.frame.columns]
        if missing:
            raise DataError(inp.label, f"missing column(s) {missing}: give the columns "
                            "explorer.pipeline.local_gap_series writes", column=missing[0])
        self.keep(entry, inp)

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


OPTIONAL_FILES = ("caveats.csv", "milestones.csv", "sources.csv")  # a pack's own, beside its manifest


def hashes(pack: Pack, data: Path, made: Path, store: Path) -> dict[str, str]:
    """SHA-256 of everything a pack's build reads, by name: a pack is rebuilt only when one of them changes."""
    found = {name: sha256(pack.folder / name) for name in ("pack.csv", "manifest.csv", *OPTIONAL_FILES)
             if name in ("pack.csv", "manifest.csv") or (pack.folder / name).exists()}
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
    info = {"code": pack.code, "name": pack.name, "area_word": pack.area_word, "publisher": pack.publisher}
    if pack.caveats:
        info["caveats"] = list(pack.caveats)
    if pack.milestones:
        info["milestones"] = [{"year": year, "words": words} for year, words in pack.milestones]
    info["parts"] = {e.part.name: {k: v for k, v in (("as_of", e.as_of), ("source", e.source), ("note", e.note),
                                                     ("title", e.title), ("method", e.method)) if v}
                     for e in pack.entries}
    return info


def write(pack: Pack, data: Path, store: Path, made: Path, found: dict[str, str], out: Path) -> list[str]:
    """Check every part of ``pack`` and write its built folder to ``out`` (a new folder); return the parts."""
    ward_set = pack.entry("ward_set")
    if ward_set is not None:
        folder = made if ward_set.made else paths.pack_file(pack.folder, ward_set.files[0], data)
        files = made_files(ward_set, folder)
        area = own_area(pack.name, folder, data)
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
    if (pack.folder / "sources.csv").exists():  # the sources of the pack's own files, for the About page
        shutil.copyfile(pack.folder / "sources.csv", out / "sources.csv")
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
