"""Builds that readers never see half done: a folder swapped in whole, CSVs written alike, one build at a time."""

from __future__ import annotations

import contextlib
import fcntl
import json
import os
import shutil
import sys
import tempfile
from pathlib import Path

# How every build writes a CSV: ten significant figures, no index, Unix line ends (the same bytes on every system).
CSV = {"float_format": "%.10g", "index": False, "lineterminator": "\n"}


def swap_in(target: Path, make) -> dict:
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


@contextlib.contextmanager
def one_at_a_time(lock_file: Path, waiting: str):
    """Hold an exclusive lock on ``lock_file`` for the block, first printing ``waiting`` if another holds it.

    The lock (``fcntl.flock``) is released when the block ends or the process dies, so a killed build never
    leaves it held.
    """
    lock_file.parent.mkdir(parents=True, exist_ok=True)
    with open(lock_file, "w") as handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            print(waiting, file=sys.stderr, flush=True)
            fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def write_json(path: Path, record: dict) -> None:
    """Write ``record`` to ``path`` as JSON, whole: to a sibling first, then renamed over it."""
    path.parent.mkdir(parents=True, exist_ok=True)
    scratch = path.with_name(f".{path.name}.{os.getpid()}")
    scratch.write_text(json.dumps(record, indent=1, sort_keys=True) + "\n")
    os.replace(scratch, path)
