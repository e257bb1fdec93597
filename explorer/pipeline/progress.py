"""How far a long build has got: a progress bar in the terminal and a small progress file the app reads.

A build names its steps up front, each with the seconds it took on a reference run (:data:`STEPS` for the
national store), and reports as it goes: :meth:`Progress.step` opens a step of ``total`` units (authorities, say)
and :meth:`Progress.advance` counts them off. The bar (tqdm) is drawn on a terminal only; the progress file
(``data/store/progress.json``, :func:`explorer.paths.store_progress_file`) is rewritten at most once a second,
whole, so a reader never sees half of it:

``state``
    ``running``, ``done``, ``failed``, ``stopped`` (interrupted) or ``unchanged`` (the inputs were unchanged,
    nothing was rebuilt).
``step``, ``step_words``, ``step_number``, ``steps``, ``done``, ``total``
    The step under way, in words, which of how many, and how many of its units are done.
``fraction``
    Share of the whole build done (0 to 1), each step weighted by its reference seconds.
``seconds_left``
    The reference seconds still to run, scaled by how much slower (or faster) this run has been so far than the
    reference once a tenth of the build is done (before that, unscaled).
``started``, ``updated``, ``pid``, ``log``, ``error``
    When it started and last wrote (ISO 8601, UTC), the building process, its log file and, on failure, why.
"""

from __future__ import annotations

import json
import os
import sys
import time
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from tqdm import tqdm

from explorer.pipeline.atomic import write_json

# The national build's steps and their seconds on the reference run (2 busy cores, this version's code).
STEPS: dict[str, tuple[str, float]] = {
    "read": ("reading England's boundaries and lookups", 25.0),
    "values": ("working out every indicator for every area", 30.0),
    "reconcile": ("checking against MHCLG's own figures", 2.0),
    "peers": ("finding each authority's similar authorities", 9.0),
    "gaps": ("working out each authority's gaps, and each gap over time", 120.0),
    "geometry": ("simplifying each authority's maps", 110.0),
    "write": ("writing the store", 12.0),
}
WRITE_EVERY_S = 1.0
ESTIMATE_AFTER = 0.1  # share of the build done before the time left is estimated from this run's own pace


def now_iso() -> str:
    """The time now in UTC, ISO 8601 to the second."""
    return datetime.now(UTC).replace(microsecond=0).isoformat()


def read_progress(path: Path) -> dict | None:
    """The progress file's record, or None when there is none (or it cannot be read)."""
    try:
        record = json.loads(path.read_text())
    except (OSError, ValueError):
        return None
    return record if isinstance(record, dict) else None


@dataclass
class _Step:
    name: str
    number: int
    total: int
    done: int = 0


class Progress:
    """Report a build's progress to a terminal bar and, optionally, a progress file.

    Parameters
    ----------
    steps : dict
        Step name -> (words, reference seconds), in the order the build runs them.
    file : Path, optional
        The progress file to keep up to date (none: the bar only).
    log : Path, optional
        The build's log, named in the progress file so the app can point to it.
    bar : bool, optional
        Draw the bar (default: only when standard error is a terminal).
    clock : callable
        Seconds, for tests (default :func:`time.monotonic`).
    """

    def __init__(self, steps: dict[str, tuple[str, float]], file: Path | None = None, log: Path | None = None,
                 bar: bool | None = None, clock=time.monotonic) -> None:
        self.steps = steps
        self.file = file
        self.log = log
        self.clock = clock
        self.begun = clock()
        self.started = now_iso()
        self.current: _Step | None = None
        self.finished: list[str] = []
        self.state = "running"
        self.error = ""
        self._written = -WRITE_EVERY_S
        self.bar = terminal_bar("National store", None if bar is None else not bar)

    @property
    def fraction(self) -> float:
        """Share of the build done, each step weighted by its reference seconds."""
        total = sum(seconds for _, seconds in self.steps.values())
        done = sum(self.steps[name][1] for name in self.finished)
        if self.current is not None:
            done += self.steps[self.current.name][1] * self.current.done / max(self.current.total, 1)
        return min(done / total, 1.0) if total else 1.0

    def seconds_left(self) -> float:
        """Reference seconds still to run, scaled by this run's pace so far once it can be judged."""
        fraction = self.fraction
        total = sum(seconds for _, seconds in self.steps.values())
        pace = (self.clock() - self.begun) / (fraction * total) if fraction >= ESTIMATE_AFTER else 1.0
        return round(pace * (1 - fraction) * total, 1)

    def step(self, name: str, total: int = 1) -> None:
        """Start step ``name`` (closing the one before) with ``total`` units to count off."""
        if self.current is not None:
            self.finished.append(self.current.name)
        self.current = _Step(name, list(self.steps).index(name) + 1, total)
        self._update(force=True)

    def advance(self, n: int = 1) -> None:
        """Count off ``n`` units of the current step."""
        self.current.done = min(self.current.done + n, self.current.total)
        self._update()

    def finish(self, state: str = "done", error: str = "") -> None:
        """Close the build as ``done``, ``unchanged``, ``stopped`` or ``failed`` (with ``error``), and the bar."""
        if state == "done":
            if self.current is not None:
                self.finished.append(self.current.name)
            self.current = None
            self.finished = list(self.steps)
        self.state, self.error = state, error
        self._update(force=True)
        self.bar.close()

    def record(self) -> dict:
        """What the progress file holds now."""
        step = self.current
        left = 0.0 if self.state == "done" else self.seconds_left()
        return {"state": self.state, "step": step.name if step else "", "step_words": self.steps[step.name][0]
                if step else "", "step_number": step.number if step else len(self.finished), "steps": len(self.steps),
                "done": step.done if step else 0, "total": step.total if step else 0,
                "fraction": round(self.fraction, 4), "seconds_left": left, "started": self.started,
                "updated": now_iso(), "pid": os.getpid(), "log": str(self.log) if self.log else "",
                "error": self.error}

    def _update(self, force: bool = False) -> None:
        show(self.bar, self.record())
        if self.file is None or not (force or self.clock() - self._written >= WRITE_EVERY_S):
            return
        self._written = self.clock()
        write_json(self.file, self.record())


def terminal_bar(title: str, disable: bool | None = None, stream=None) -> tqdm:
    """A bar for a build's whole run, in percent (drawn only on a terminal unless ``disable`` says otherwise)."""
    return tqdm(total=100, file=stream or sys.stderr, disable=disable, dynamic_ncols=True, postfix=[""],
                bar_format=title + ": {desc} {percentage:3.0f}%|{bar:24}| {postfix[0]}")


def show(bar: tqdm, record: dict) -> None:
    """Draw a progress record (:meth:`Progress.record`) on ``bar``: the step, its count, the time left."""
    bar.n = round(100 * float(record.get("fraction") or 0), 1)
    bar.set_description_str(f"{record.get('step_number', 0)}/{record.get('steps', 0)} {record.get('step_words', '')}"
                            + (f" {record['done']}/{record['total']}" if (record.get("total") or 0) > 1 else ""),
                            refresh=False)
    left = record.get("seconds_left")
    bar.postfix = ["" if left is None or record.get("state") != "running" else time_left_words(float(left))]
    bar.refresh()


def time_left_words(seconds: float) -> str:
    """Seconds still to go as a person would say them, rounded up to whole minutes.

    Examples
    --------
    >>> time_left_words(20), time_left_words(60), time_left_words(61), time_left_words(600)
    ('less than a minute left', 'about a minute left', 'about 2 minutes left', 'about 10 minutes left')
    """
    if seconds < 60:
        return "less than a minute left"
    minutes = int(-(-seconds // 60))
    return "about a minute left" if minutes == 1 else f"about {minutes} minutes left"
