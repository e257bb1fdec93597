"""A council's local pack, as its build left it: what the council holds beyond the national figures.

A pack is a folder of ``data/packs/`` (see docs/packs.md): ``pack.csv`` says whose it is, ``manifest.csv``
names each part the council brings, and ``python -m explorer.pipeline.packs`` checks every part and writes
``built/``, which is all this module reads. Every part is optional; a page asks ``pack.has(part)`` and says
plainly what is not held. Reading never builds: a pack whose ``built/`` is missing or broken raises
:class:`~geo.errors.DataError` naming the file and what to do.
"""

from __future__ import annotations

import json
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path

import geopandas as gpd
import pandas as pd

from explorer import paths
from explorer.pipeline.pack_format import load_parts
from geo.errors import DataError

REBUILD = "restore it from git (git checkout data/packs) or rebuild it with `make data` and `make packs`"


LAYER_CODES = {"lsoa21": "E01", "lsoa11": "E01", "msoa11": "E02"}  # GSS prefix of each layer's codes


class _FromRegistry(Mapping):
    """One field of every part of ``data/registry/pack_parts.csv`` by part, read on first use.

    Read then, not on import: a broken registry is named (DataError) where a page asks, and read again once mended.
    """

    def __init__(self, field: str) -> None:
        self._field = field

    @cached_property
    def _parts(self) -> dict:
        return {name: getattr(part, self._field)
                for name, part in load_parts(paths.data_dir() / "registry").items()}

    def __getitem__(self, part: str):
        return self._parts[part]

    def __iter__(self) -> Iterator[str]:
        return iter(self._parts)

    def __len__(self) -> int:
        return len(self._parts)


# The parts a pack may bring (docs/packs.md), each with the files its build writes into built/, and what each is
# in words (for "not held for X" sentences).
PARTS: Mapping[str, tuple[str, ...]] = _FromRegistry("built")
WORDS: Mapping[str, str] = _FromRegistry("words")


@dataclass(frozen=True)
class PartInfo:
    """What the pack's build recorded of one part: where it came from and when it held."""

    part: str
    as_of: str = ""  # the date the part describes ("2020-09" for a councillors list), or ""
    source: str = ""
    note: str = ""
    title: str = ""  # the part's own name, where it has one ("One Coventry Plan 2022-2030" for a plan)
    method: str = ""  # how it was made, where that needs saying (how a ward set's lookup was built)


@dataclass(frozen=True)
class LocalPack:
    """A council's built local pack. Tables are read on first use and shared: do not modify them.

    Attributes
    ----------
    folder : Path
        The pack's folder (``data/packs/coventry``).
    code, name : str
        The authority the pack is for (2025 code) and its name.
    area_word : str
        How the council's pages speak of the authority as a whole ("city"); "" to use its name.
    parts : dict
        The parts held, by name (:data:`PARTS`), with what the build recorded of each.
    publisher : str
        Who publishes the pack (named in the attribution: "Contains ... data").
    caveats : tuple of str
        What to bear in mind about the pack's own figures (the About page lists them).
    milestones : tuple of (int, str)
        The years the council reads its series from, and what each marks ((2013, "Marmot City")).
    """

    folder: Path
    code: str
    name: str
    area_word: str
    parts: dict[str, PartInfo] = field(default_factory=dict)
    publisher: str = ""  # the council that publishes the pack ("Coventry City Council")
    caveats: tuple[str, ...] = ()  # what to bear in mind about the pack's own figures, in the council's words
    milestones: tuple[tuple[int, str], ...] = ()  # years its series are read from, and what each marks

    @property
    def built(self) -> Path:
        """The folder the build wrote."""
        return self.folder / "built"

    def has(self, part: str) -> bool:
        """Whether the pack holds ``part``."""
        if part not in PARTS:
            raise KeyError(f"'{part}' is not a pack part; parts are {sorted(PARTS)}")
        return part in self.parts

    def as_of(self, part: str) -> str:
        """The date ``part`` describes, as the manifest gives it ("" when it gives none)."""
        return self.parts[part].as_of if part in self.parts else ""

    def path(self, name: str) -> Path:
        """A built file, which must exist (DataError naming it, and what to do, if not)."""
        path = self.built / name
        if not path.exists():
            raise DataError(self._label(name), f"file is missing; {REBUILD}")
        return path

    def table(self, name: str) -> pd.DataFrame:
        """One built CSV, read once (text columns empty, never "nan")."""
        return self._tables[name] if name in self._tables else self._read(name)

    def layer(self, name: str) -> gpd.GeoDataFrame:
        """One built boundary layer (GeoParquet, WGS84): ``wards``, ``lsoa21``, ``lsoa11`` or ``msoa11``."""
        if name not in self._layers:
            path = self.path(f"{name}.parquet")
            try:
                frame = gpd.read_parquet(path)
            except Exception as exc:  # pyarrow raises several unrelated types for a corrupt file
                raise DataError(self._label(f"{name}.parquet"), f"file is unreadable ({type(exc).__name__}); "
                                f"{REBUILD}") from None
            for column in ("code", "name"):
                if column not in frame.columns:
                    raise DataError(self._label(f"{name}.parquet"), f"missing column '{column}'; {REBUILD}",
                                    column=column)
            prefix = LAYER_CODES.get(name)
            strays = frame["code"][~frame["code"].astype(str).str.startswith(prefix)] if prefix else []
            if len(strays):
                raise DataError(self._label(f"{name}.parquet"), f"holds code {strays.iloc[0]!r}, which is not a {name} "
                                f"code ({prefix}...); {REBUILD}", column="code")
            self._layers[name] = frame
        return self._layers[name]

    @cached_property
    def _tables(self) -> dict[str, pd.DataFrame]:
        return {}

    @cached_property
    def _layers(self) -> dict[str, gpd.GeoDataFrame]:
        return {}

    def _label(self, name: str) -> str:
        return str(self.built / name)

    def _read(self, name: str) -> pd.DataFrame:
        from explorer.pipeline.store import read_table

        self._tables[name] = read_table(self.built, name)
        return self._tables[name]


def read_pack(folder: Path) -> LocalPack:
    """The built pack in ``folder`` (reads only ``built/pack.json``; tables are read on first use).

    Raises
    ------
    DataError
        When the pack has not been built, or its ``pack.json`` cannot be read.
    """
    info_path = Path(folder) / "built" / "pack.json"
    if not info_path.exists():
        raise DataError(str(info_path), f"the pack in {folder} has not been built; {REBUILD}")
    try:
        info = json.loads(info_path.read_text(encoding="utf-8"))
        known = ("as_of", "source", "note", "title", "method")
        parts = {name: PartInfo(name, **{k: v for k, v in spec.items() if k in known})
                 for name, spec in info["parts"].items()}
        return LocalPack(Path(folder), str(info["code"]), str(info["name"]), str(info.get("area_word", "")), parts,
                         str(info.get("publisher", "")), tuple(str(c) for c in info.get("caveats", ())),
                         tuple((int(m["year"]), str(m["words"])) for m in info.get("milestones", ())))
    except (ValueError, KeyError, TypeError) as exc:
        raise DataError(str(info_path), f"file is unreadable ({type(exc).__name__}); {REBUILD}") from None


def find_packs(packs: Path) -> dict[str, Path]:
    """The pack folders under ``packs`` that have been built, by authority code (the first, alphabetically, wins)."""
    found: dict[str, Path] = {}
    if not Path(packs).is_dir():
        return found
    for info in sorted(Path(packs).glob("*/built/pack.json")):
        try:
            code = str(json.loads(info.read_text(encoding="utf-8"))["code"])
        except (ValueError, KeyError, TypeError):
            continue  # named when the place is opened: read_pack says what is wrong
        found.setdefault(code, info.parent.parent)
    return found
