"""Writing a build's output: a folder swapped in whole, CSV files written alike, input files hashed.

Shared by every build (Coventry's own ward set, the national store, local packs), so each writes the same way:
the app never sees half a folder, and two builds of the same inputs give the same bytes.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import tempfile
from pathlib import Path

# How every build writes a CSV: ten significant figures, no index, Unix line ends (the same bytes on every system).
CSV = {"float_format": "%.10g", "index": False, "lineterminator": "\n"}


def sha256(path: Path) -> str:
    """Hex SHA-256 of a file, recorded so a build says exactly which inputs it used."""
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()


def swap_in(target: Path, make):
    """Run ``make(folder)`` into a temporary sibling of ``target`` and swap the folder in whole on success.

    Returns what ``make`` returns; on an error ``target`` is left as it was and the error is raised.
    """
    target.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{target.name}-new-", dir=target.parent))
    new = staging / target.name
    try:
        summary = make(new)
        old = staging / "old"
        if target.exists():
            os.replace(target, old)
        os.replace(new, target)
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    return summary
