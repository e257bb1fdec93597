"""Where the data lives. One place, overridable for tests and deployments."""

from __future__ import annotations

import os
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parent.parent


def data_dir() -> Path:
    """Return the data folder (``$EXPLORER_DATA_DIR`` or the repo's ``data/``)."""
    return Path(os.environ.get("EXPLORER_DATA_DIR", REPO_ROOT / "data"))


def processed_dir(data: Path | None = None) -> Path:
    """Return the folder Coventry's own build writes: its local pack's ``built/`` (``$EXPLORER_PROCESSED_DIR``)."""
    return Path(os.environ.get("EXPLORER_PROCESSED_DIR", own_pack_dir(data) / "built"))


def own_pack_dir(data: Path | None = None) -> Path:
    """Return the local pack whose ward set and series `make data` builds (``explorer.pipeline.build``): Coventry's."""
    return packs_dir(data) / "coventry"


def built_dir(pack: Path) -> Path:
    """Return the folder a pack's build writes and the app reads (``<pack>/built``)."""
    return Path(pack) / "built"


def pack_file(pack: Path, name: str, data: Path | None = None) -> Path:
    """Return a file a pack's manifest names.

    A name is relative to the pack's folder, or to the data folder when it begins with ``data/``
    (``data/raw/council/x.csv``: a file that stays where the project keeps it).
    """
    if name.startswith("data/"):
        return Path(data or data_dir()) / name.removeprefix("data/")
    return Path(pack) / name


def shown(path: Path, data: Path | None = None) -> str:
    """How messages name a file: ``data/...`` when it is in the data folder, else its full path."""
    try:
        return "data/" + Path(path).resolve().relative_to(Path(data or data_dir()).resolve()).as_posix()
    except ValueError:
        return str(path)


def store_dir(data: Path | None = None) -> Path:
    """Return the national store folder (``$EXPLORER_STORE_DIR`` or ``DATA/store/v1``, built by `make national`)."""
    return Path(os.environ.get("EXPLORER_STORE_DIR", (data or data_dir()) / "store" / "v1"))


def packs_dir(data: Path | None = None) -> Path:
    """Return the folder of local packs (``$EXPLORER_PACKS_DIR`` or ``DATA/packs``), one folder per pack."""
    return Path(os.environ.get("EXPLORER_PACKS_DIR", (data or data_dir()) / "packs"))


def store_progress_file(store: Path | None = None) -> Path:
    """Return the national build's progress file, beside its store (``data/store/progress.json``)."""
    return (store or store_dir()).parent / "progress.json"


def store_log_file(store: Path | None = None) -> Path:
    """Return the log of the national build started in the background by `make run` (``data/store/build.log``)."""
    return (store or store_dir()).parent / "build.log"


def build_stamp(folder: Path) -> Path:
    """Return the record of what ``folder`` was last built from, beside it (``data/.processed.inputs.json``)."""
    return folder.parent / f".{folder.name}.inputs.json"
