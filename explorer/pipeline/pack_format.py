"""What a local pack is: its parts and their columns (registries), and its ``pack.csv`` and ``manifest.csv``.

A local pack is a folder of ``data/packs/`` (docs/packs.md): ``pack.csv`` says whose it is (``code``, ``name``,
``area_word``, ``publisher``) and ``manifest.csv`` names each part the council brings (``part``, ``file``,
``columns``, ``as_of``, ``source``, ``licence``, ``note``). The parts, the files each is read from and written to,
and the columns each requires (and the optional ones) are data, not code: ``data/registry/pack_parts.csv`` and
``data/registry/pack_columns.csv``. A part whose ``file`` is ``make data`` is made by Coventry's own pipeline
(:mod:`explorer.pipeline.build`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from explorer import paths
from explorer.pipeline.interventions import DATE
from geo.errors import DataError
from geo.validate import CODE_PATTERNS, check_unique, read_csv

PACK_COLUMNS = ("code", "name", "area_word", "publisher")
MANIFEST_COLUMNS = ("part", "file", "columns", "as_of", "source", "licence", "note")
PART_COLUMNS = ("part", "inputs", "built", "as_of", "words", "what")
COLUMN_COLUMNS = ("part", "input", "column", "required", "kind", "what", "example")
KINDS = ("text", "id", "number", "date", "lat", "lon", "ward", "lsoa21", "flag")
MADE = "make data"  # a part made by Coventry's own pipeline (explorer.pipeline.build), which builds the pack itself
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
    title: str = ""  # the part's own name ("One Coventry Plan 2022-2030"), from the optional column
    method: str = ""  # how it was made, where that needs saying (a ward set's lookup), from the optional column

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
    caveats: tuple[str, ...] = ()  # optional caveats.csv: what to bear in mind about the pack's own figures
    milestones: tuple[tuple[int, str], ...] = ()  # optional milestones.csv: years its series are read from

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
    caveats: tuple[str, ...] = ()
    if (folder / "caveats.csv").exists():
        label = paths.shown(folder / "caveats.csv", data)
        caveats = tuple(str(c).strip() for c in read_csv(folder / "caveats.csv", ("caveat",), label=label)
                        ["caveat"].dropna() if str(c).strip())
    milestones: tuple[tuple[int, str], ...] = ()
    if (folder / "milestones.csv").exists():
        label = paths.shown(folder / "milestones.csv", data)
        rows = read_csv(folder / "milestones.csv", ("year", "words"), label=label).fillna("")
        for i, (year, words) in enumerate(zip(rows["year"], rows["words"], strict=True), start=1):
            if not re.fullmatch(r"\d{4}", str(year).strip()):
                raise DataError(label, f"'{year}' is not a year (2013)", row=i, column="year")
            if not str(words).strip():
                raise DataError(label, "value is required: say what the year marks", row=i, column="words")
            milestones += ((int(str(year).strip()), str(words).strip()),)
    return Pack(folder, row["code"].strip(), row["name"].strip(), row["area_word"].strip(), row["publisher"].strip(),
                ordered, caveats, milestones)


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
                 line["note"].strip(), str(line.get("title", "")).strip(), str(line.get("method", "")).strip())


def _split(text: str) -> tuple[str, ...]:
    return tuple(s.strip() for s in str(text).split(";") if s.strip())
