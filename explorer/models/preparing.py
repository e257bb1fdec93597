"""What the sidebar says while the national store is missing: being prepared, how long is left, or what went wrong.

No Streamlit here: ``pages/_authority.py`` shows these words. The national build (started by `make run` in the
background, or `make national`) keeps a progress file (:mod:`explorer.pipeline.progress`);
:func:`explorer.pipeline.background.status` reads it.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from explorer import paths
from explorer.models.places import BUILD_HINT
from explorer.pipeline.background import status
from explorer.pipeline.progress import time_left_words


@dataclass(frozen=True)
class StoreWords:
    """The sidebar's words about the national store, and whether a build is under way (worth looking again)."""

    words: str
    building: bool


def shown_path(path: str | Path) -> str:
    """A path as a reader of this repository would type it: relative to the repository where it lies inside.

    Examples
    --------
    >>> shown_path(paths.REPO_ROOT / "data" / "store" / "build.log")
    'data/store/build.log'
    >>> shown_path("/var/log/build.log")
    '/var/log/build.log'
    """
    path = Path(path)
    try:
        return path.relative_to(paths.REPO_ROOT).as_posix()
    except ValueError:
        return str(path)


def store_words(record: dict | None, only: str) -> StoreWords:
    """What to say of the other authorities while only ``only`` is held, from the build's progress record.

    Parameters
    ----------
    record : dict or None
        :func:`explorer.pipeline.background.status`: ``state`` (running, stopped, failed, done or unchanged),
        ``seconds_left`` (None until estimated), ``log`` and ``error``; None when no build has kept one.
    only : str
        The authority held without the store.

    Examples
    --------
    >>> store_words({"state": "running", "seconds_left": 250}, "Coventry").words[:71]
    'The other English authorities are being prepared: about 5 minutes left.'
    >>> store_words({"state": "running", "seconds_left": 30}, "Coventry").words[:74]
    'The other English authorities are being prepared: less than a minute left.'
    >>> store_words(None, "Coventry").words[:66]
    'Only Coventry is held here. To show any other English authority, b'
    """
    state = (record or {}).get("state")
    log = shown_path(record["log"]) if record and record.get("log") else ""
    where = f" Its log is {log}." if log else ""
    if state == "running":
        left = time_left_words(float(record.get("seconds_left") or 0))
        return StoreWords(f"The other English authorities are being prepared: {left}. Each can be chosen here once "
                          "they are ready.", True)
    if state == "failed":
        why = f" ({record['error']})" if record.get("error") else ""
        return StoreWords(f"The other English authorities could not be prepared: the national build failed{why}."
                          f"{where} Mend what it names, then {BUILD_HINT}.", False)
    if state == "stopped":
        return StoreWords(f"The national build stopped before it finished, so only {only} is held.{where} To show "
                          f"any other English authority, {BUILD_HINT}.", False)
    return StoreWords(f"Only {only} is held here. To show any other English authority, {BUILD_HINT}.", False)


def store_now(only: str, store: Path | None = None) -> StoreWords:
    """:func:`store_words` for the national build as its progress file says now (``background.status``)."""
    return store_words(status(store), only)
