"""Work done once per authority, spread over the machine's cores, results in the order asked.

Each task gets only its own authority's tables, so the worker processes are started fresh (``spawn``: no copy of the
parent's memory, no lock held by a thread at a fork) and receive little. The figures are those of the same function
run in one process: each task is computed whole by one worker, and nothing random depends on which.
"""

from __future__ import annotations

import multiprocessing
import os
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import ProcessPoolExecutor

MIN_TASKS = 16  # fewer tasks than this run in this process: starting workers would take longer than the work


def usable_cores() -> int:
    """The cores this process may run on."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


def ordered_map(fn: Callable, tasks: Iterable[tuple], workers: int = 1,
                tick: Callable[[], None] | None = None) -> Iterator:
    """``fn(*task)`` for each task, in the tasks' order, over ``workers`` processes (1: in this one).

    ``fn`` must be a module-level function (the workers import it). ``tick`` (optional) is called as each result
    is handed back.
    """
    tasks = list(tasks)
    if workers <= 1 or len(tasks) < MIN_TASKS:
        for task in tasks:
            yield fn(*task)
            if tick is not None:
                tick()
        return
    with ProcessPoolExecutor(max_workers=workers, mp_context=multiprocessing.get_context("spawn")) as pool:
        for result in pool.map(fn, *zip(*tasks, strict=True), chunksize=4):
            yield result
            if tick is not None:
                tick()
