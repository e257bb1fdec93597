"""Where the data lives. One place, overridable for tests and deployments."""

from __future__ import annotations

import os
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parent.parent


def data_dir() -> Path:
    """Return the data folder (``$EXPLORER_DATA_DIR`` or the repo's ``data/``)."""
    return Path(os.environ.get("EXPLORER_DATA_DIR", REPO_ROOT / "data"))


def processed_dir() -> Path:
    """Return the folder Coventry's own build writes: its local pack's ``built/`` (``$EXPLORER_PROCESSED_DIR``)."""
    return Path(os.environ.get("EXPLORER_PROCESSED_DIR", packs_dir() / "coventry" / "built"))


def store_dir() -> Path:
    """Return the national store folder (``$EXPLORER_STORE_DIR`` or ``data/store/v1``, built by `make national`)."""
    return Path(os.environ.get("EXPLORER_STORE_DIR", data_dir() / "store" / "v1"))


def packs_dir() -> Path:
    """Return the folder of local packs (``$EXPLORER_PACKS_DIR`` or ``data/packs``), one folder per pack."""
    return Path(os.environ.get("EXPLORER_PACKS_DIR", data_dir() / "packs"))
