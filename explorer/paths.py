"""Where the data lives. One place, overridable for tests and deployments."""

from __future__ import annotations

import os
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parent.parent


def data_dir() -> Path:
    """Return the data folder (``$EXPLORER_DATA_DIR`` or the repo's ``data/``)."""
    return Path(os.environ.get("EXPLORER_DATA_DIR", REPO_ROOT / "data"))


def processed_dir(data: Path | None = None) -> Path:
    """Return the folder of processed files the app reads (``$EXPLORER_PROCESSED_DIR`` or ``DATA/processed``)."""
    return Path(os.environ.get("EXPLORER_PROCESSED_DIR", (data or data_dir()) / "processed"))


def store_dir(data: Path | None = None) -> Path:
    """Return the national store folder (``$EXPLORER_STORE_DIR`` or ``DATA/store/v1``, built by `make national`)."""
    return Path(os.environ.get("EXPLORER_STORE_DIR", (data or data_dir()) / "store" / "v1"))


def store_progress_file(store: Path | None = None) -> Path:
    """Return the national build's progress file, beside its store (``data/store/progress.json``)."""
    return (store or store_dir()).parent / "progress.json"


def store_log_file(store: Path | None = None) -> Path:
    """Return the log of the national build started in the background by `make run` (``data/store/build.log``)."""
    return (store or store_dir()).parent / "build.log"


def build_stamp(folder: Path) -> Path:
    """Return the record of what ``folder`` was last built from, beside it (``data/.processed.inputs.json``)."""
    return folder.parent / f".{folder.name}.inputs.json"
