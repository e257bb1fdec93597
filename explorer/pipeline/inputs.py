"""The raw inputs of a build: read each file once, check the sources manifest, and hash what was used.

Every build (Coventry's pack, ``python -m explorer.pipeline.build``; the national store,
``python -m explorer.pipeline.national``) reads ``data/raw`` through :class:`Inputs`, so a message always names the
file as ``data/raw/...``. The SHA-256 of each input is recorded in the build's ``build_info.json``; a build whose
inputs hash the same as the last one's has nothing to do (:func:`inputs_unchanged`).
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import pandas as pd

from explorer import paths
from geo.errors import DataError
from geo.validate import check_unique, read_csv

MANIFEST_COLUMNS = ("file", "publisher", "dataset", "period", "geography", "licence", "attribution", "url")


class Inputs:
    """Reads raw files once each, naming them relative to the data folder in messages."""

    def __init__(self, data: Path) -> None:
        self.data = data
        self.raw = data / "raw"
        self._csv: dict[str, pd.DataFrame] = {}
        self.used: set[str] = set()  # every raw file read, relative to data/raw: the build's inputs

    def csv(self, rel: str, required: list[str]) -> pd.DataFrame:
        """Read a raw CSV (once) and check it has the ``required`` columns."""
        if rel not in self._csv:
            self.used.add(rel)
            self._csv[rel] = read_csv(self.raw / rel, required, label=f"data/raw/{rel}")
        frame = self._csv[rel]
        missing = [c for c in required if c not in frame.columns]
        if missing:
            raise DataError(f"data/raw/{rel}", f"missing required column(s) {missing}", column=missing[0])
        return frame

    def path(self, rel: str) -> Path:
        """Absolute path of a raw file (read by the caller, so counted among the inputs)."""
        self.used.add(rel)
        return self.raw / rel

    def label(self, rel: str) -> str:
        """Name of a raw file as messages show it."""
        return f"data/raw/{rel}"


def check_manifest(data: Path) -> pd.DataFrame:
    """Every raw file must be in the manifest, and every manifest row must exist."""
    name = "data/sources.csv"
    manifest = read_csv(data / "sources.csv", MANIFEST_COLUMNS, label=name)
    check_unique(manifest, ["file"], name)
    for i, row in enumerate(manifest.to_dict("records"), start=1):
        for col in MANIFEST_COLUMNS:
            if not isinstance(row[col], str) or not row[col].strip():
                raise DataError(name, "value is required", row=i, column=col)
        if not (data / "raw" / row["file"]).exists():
            raise DataError(name, f"lists data/raw/{row['file']}, which does not exist", row=i, column="file")
    listed = set(manifest["file"])
    for path in sorted((data / "raw").rglob("*")):
        rel = path.relative_to(data / "raw").as_posix()
        if path.is_file() and path.name != "PROVENANCE.md" and rel not in listed:
            raise DataError(f"data/raw/{rel}", "not listed in data/sources.csv; add its source and licence")
    return manifest



def sha256(path: Path) -> str:
    """Hex SHA-256 of a file, recorded so a build says exactly which inputs it used."""
    return hashlib.sha256(path.read_bytes()).hexdigest()



CODE = ("geo", "explorer/stats", "explorer/pipeline", "explorer/registry.py")  # what makes the figures


def code_digest(root: Path = paths.REPO_ROOT, parts: tuple[str, ...] = CODE) -> str:
    """One SHA-256 over the source of the modules that make a build's figures (any change there rebuilds)."""
    digest = hashlib.sha256()
    for part in parts:
        files = [root / part] if part.endswith(".py") else sorted((root / part).rglob("*.py"))
        for file in files:
            digest.update(file.relative_to(root).as_posix().encode() + b"\0" + file.read_bytes() + b"\0")
    return digest.hexdigest()


def fingerprint(data: Path, raw: list[str] | set[str], registry: tuple[str, ...], **options) -> dict:
    """What a build was made from: the SHA-256 of every file it read, the manifest and the code, and its options.

    ``raw`` are paths under ``data/raw``, ``registry`` file names under ``data/registry``; the code is
    :func:`code_digest`. Two builds with equal fingerprints make the same figures.
    """
    return {"inputs": {rel: sha256(data / "raw" / rel) for rel in sorted(raw)},
            "registry": {name: sha256(data / "registry" / name) for name in registry},
            "manifest": sha256(data / "sources.csv"), "code": code_digest(), "options": options}


def unchanged(recorded: dict, data: Path, **options) -> bool:
    """Whether the build recorded as ``recorded`` (holding a :func:`fingerprint`) would be made again the same.

    True when every file it read hashes the same, as do the manifest and the code, and ``options`` are its own.
    """
    if not {"inputs", "registry", "manifest", "code", "options"} <= set(recorded) or not recorded["inputs"]:
        return False
    try:
        now = fingerprint(data, list(recorded["inputs"]), tuple(recorded["registry"]), **options)
    except OSError:  # an input has gone: the build will say which
        return False
    return all(now[key] == recorded[key] for key in now)


def recorded(info_file: Path) -> dict:
    """The JSON record of an earlier build (its build info), or ``{}`` when there is none or it cannot be read."""
    try:
        record = json.loads(info_file.read_text())
    except (OSError, ValueError):
        return {}
    return record if isinstance(record, dict) else {}
