"""The national store built in the background while the app serves: what `make run` starts beside the server.

:func:`start` runs ``python -m explorer.pipeline.national`` as a child process, its output going to the build's log
(:func:`explorer.paths.store_log_file`); the child does nothing but say so when the store's inputs are unchanged,
and waits when another build is running. :func:`follow` draws the child's progress bar in this terminal from the
progress file it keeps (:mod:`explorer.pipeline.progress`), and says in one line how it ended. :func:`status` is
what the app reads to say how the build is going.
"""

from __future__ import annotations

import os
import subprocess
import sys
import threading
import time
from pathlib import Path

from explorer import paths
from explorer.pipeline.progress import read_progress, show, terminal_bar

FOLLOW_EVERY_S = 1.0
QUIET_FOR_S = 900  # a running build that has not written its progress for this long has stopped
FINISHED = ("done", "unchanged", "failed", "stopped")


def start(data: Path | None = None, store: Path | None = None) -> subprocess.Popen:
    """Start the national build in the background; its output goes to the build's log (overwritten)."""
    store = store or paths.store_dir(data)
    log = paths.store_log_file(store)
    log.parent.mkdir(parents=True, exist_ok=True)
    command = [sys.executable, "-m", "explorer.pipeline.national", "--out", str(store), "--log", str(log)]
    if data is not None:
        command += ["--data", str(data)]
    with open(log, "w") as out:
        return subprocess.Popen(command, stdout=out, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL,
                                cwd=paths.REPO_ROOT, env={**os.environ, "PYTHONUNBUFFERED": "1"})


def alive(pid: int) -> bool:
    """Whether a process ``pid`` is running on this machine."""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # someone else's process: it exists
        return True
    return True


def status(store: Path | None = None) -> dict | None:
    """The national build's progress record (:mod:`explorer.pipeline.progress`), or None when none was kept.

    A record left ``running`` by a process that is gone, or silent for :data:`QUIET_FOR_S`, is returned as
    ``stopped``.
    """
    file = paths.store_progress_file(store)
    record = read_progress(file)
    if record is None or record.get("state") != "running":
        return record
    quiet = time.time() - file.stat().st_mtime if file.exists() else 0.0
    if not alive(int(record.get("pid") or 0)) or quiet > QUIET_FOR_S:
        return {**record, "state": "stopped"}
    return record


def follow(process: subprocess.Popen, store: Path | None = None, stream=None) -> threading.Thread:
    """Draw the background build's progress bar on ``stream`` (standard error) until it ends; say how it ended.

    The bar follows the progress file: the child's own record, or that of a build it waits for.
    """
    stream = stream or sys.stderr
    file = paths.store_progress_file(store)
    log = paths.store_log_file(store)

    def run() -> None:
        bar = terminal_bar("National store", stream=stream)
        record: dict | None = None
        while True:
            fresh = read_progress(file)
            if fresh is not None and (fresh.get("pid") == process.pid or fresh.get("state") == "running"):
                record = fresh
                show(bar, record)
            if process.poll() is not None or (record and record.get("state") in FINISHED and
                                              record.get("pid") == process.pid):
                break
            time.sleep(FOLLOW_EVERY_S)
        process.wait()
        state = (record or {}).get("state")
        bar.close()
        if state == "unchanged":
            print("National store up to date: its inputs are unchanged, nothing was rebuilt.", file=stream)
        elif state == "done" and process.returncode == 0:
            print("National store built: every English authority can now be chosen in the app.", file=stream)
        else:
            print(f"National store build failed (exit {process.returncode}); see {log}.", file=stream)

    thread = threading.Thread(target=run, name="national-build", daemon=True)
    thread.start()
    return thread

