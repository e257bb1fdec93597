"""Start the app on a free port and wait until it is healthy: the one launcher of bench, tests and deploy.

``serving()`` starts the app as ``make run`` does (``python -m pages._serve``, or another command such as the
bench's naive variant), writes its output to a log file (a file, not a pipe: a full pipe would stall the server),
waits until Streamlit's health endpoint answers, and stops it on the way out. ``start()`` and ``wait_healthy()``
are its two halves, for a caller that keeps the process itself (``deploy/replicas.py`` restarts its replicas).

The health endpoint answers only once the app's warm-up (``pages/_warm.py``) is done, unless
``EXPLORER_WARM_UP=0``. This module imports nothing of the app: launching a process is not importing Streamlit.
"""

from __future__ import annotations

import contextlib
import os
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
APP = (sys.executable, "-m", "pages._serve")  # what `make run` starts


class NotHealthy(RuntimeError):
    """The app stopped, or did not answer its health check in time; the message ends with its log's tail."""


@dataclass
class Server:
    """A running app: its address, its process and the file its output goes to."""

    url: str
    process: subprocess.Popen
    log: Path


def free_port() -> int:
    """A TCP port on 127.0.0.1 that nothing listens on now."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def url_of(port: int) -> str:
    """The local address of an app listening on ``port``."""
    return f"http://127.0.0.1:{port}/"


def healthy(url: str, timeout: float = 2.0) -> bool:
    """Whether Streamlit's health endpoint under ``url`` answers 200 within ``timeout`` seconds."""
    try:
        with urllib.request.urlopen(url.rstrip("/") + "/_stcore/health", timeout=timeout) as reply:
            return reply.status == 200
    except OSError:
        return False


def start(port: int, log: Path, command: Sequence[str] = APP, env: Mapping[str, str] | None = None,
          cwd: Path = REPO) -> subprocess.Popen:
    """Start ``command`` (by default the app, as ``make run`` does) on 127.0.0.1:``port``, headless.

    Parameters
    ----------
    port : int
        Where it listens.
    log : Path
        The file its output is appended to.
    command : sequence of str
        The program and its arguments; Streamlit's ``--server.port``, ``--server.address`` and
        ``--server.headless`` options are added after them.
    env : mapping, optional
        Environment on top of this process's own.
    cwd : Path
        The checkout to run it in.
    """
    args = ["--server.port", str(port), "--server.address", "127.0.0.1", "--server.headless", "true"]
    with open(log, "ab") as out:  # the child keeps its own handle
        return subprocess.Popen([*command, *args], cwd=cwd, stdout=out, stderr=subprocess.STDOUT,
                                env={**os.environ, **(env or {})})


def wait_healthy(url: str, process: subprocess.Popen, log: Path, timeout: float = 300.0, name: str = "the app") -> None:
    """Return once ``url`` is healthy; raise :class:`NotHealthy` if ``process`` stops or ``timeout`` seconds pass."""
    deadline = time.monotonic() + timeout
    while not healthy(url, timeout=1):
        stopped = process.poll() is not None
        if stopped or time.monotonic() > deadline:
            tail = Path(log).read_text(encoding="utf-8", errors="replace")[-3000:]
            why = f"stopped (exit code {process.returncode})" if stopped else f"was not healthy within {timeout:g} s"
            raise NotHealthy(f"{name} {why}; its log {log} ends:\n{tail}")
        time.sleep(0.3)


def stop(process: subprocess.Popen, timeout: float = 20.0) -> None:
    """Ask ``process`` to stop; kill it if it has not within ``timeout`` seconds."""
    if process.poll() is None:
        process.terminate()
        try:
            process.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


@contextlib.contextmanager
def serving(command: Sequence[str] = APP, env: Mapping[str, str] | None = None, cwd: Path = REPO,
            port: int | None = None, log: Path | None = None, timeout: float = 300.0,
            name: str = "the app") -> Iterator[Server]:
    """Start ``command`` on ``port`` (a free one by default), yield the :class:`Server` once healthy, then stop it.

    ``log`` is where its output goes (by default a temporary file, removed afterwards); ``timeout`` the seconds
    it may take to become healthy (a warm-up is part of it). See :func:`start` for the other parameters.
    """
    port = port or free_port()
    with contextlib.ExitStack() as cleanup:
        if log is None:
            log = Path(cleanup.enter_context(tempfile.TemporaryDirectory(prefix="app-"))) / "server.log"
        process = start(port, log, command, env, cwd)
        cleanup.callback(stop, process)
        wait_healthy(url_of(port), process, log, timeout, name)
        yield Server(url_of(port), process, Path(log))
