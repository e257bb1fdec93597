"""N replicas of the explorer behind HAProxy on this machine, and a rolling restart that drops no visitor.

    make serve-replicas N=2     # python -m deploy.replicas serve --replicas 2 --port 8501
    make rolling-restart        # python -m deploy.replicas rolling-restart (from another terminal)

``serve`` starts each replica as ``make run`` does (``python -m pages._serve``, which warms its
caches before it listens) on a free local port, then Debian's HAProxy with ``deploy/haproxy.cfg``
in front of them, and stays in the foreground until Ctrl-C. ``rolling-restart`` asks it (SIGHUP)
to restart the replicas one at a time: each is set to *drain* through HAProxy's admin socket
(new visitors go elsewhere, its own keep their sessions), restarted once its last visitor has
left or after ``--drain-seconds``, and set *ready* when healthy. Its files (HAProxy's config and
log, each replica's log, ``state.json``) are in ``--run-dir``.
"""

from __future__ import annotations

import argparse
import csv
import io
import json
import os
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

from deploy import launch

REPO = launch.REPO
CONFIG = REPO / "deploy" / "haproxy.cfg"
BACKEND = "replicas"


@dataclass
class Replica:
    """One ``python -m pages._serve`` process, named as HAProxy and the sticky cookie name it."""

    name: str
    port: int
    log: Path
    process: subprocess.Popen | None = None

    @property
    def url(self) -> str:
        """Its own address, bypassing the balancer."""
        return launch.url_of(self.port)


class Replicas:
    """Replicas and their balancer; a context manager that stops them all on exit.

    Parameters
    ----------
    count : int
        How many replicas.
    port : int
        Where HAProxy listens for visitors (0: a free port).
    run_dir : Path
        Where the config, logs, admin socket and ``state.json`` go.
    env : dict, optional
        Extra environment for the replicas (e.g. ``{"EXPLORER_WARM_UP": "0"}``).
    start_timeout : float
        Seconds a replica may take to become healthy (the warm-up is part of it).
    """

    def __init__(self, count: int, port: int, run_dir: Path, env: dict[str, str] | None = None,
                 start_timeout: float = 300.0) -> None:
        if not shutil.which("haproxy"):
            raise SystemExit("haproxy is not installed: `apt-get install -y haproxy` (Debian's package)")
        self.run_dir = Path(run_dir).resolve()
        self.run_dir.mkdir(parents=True, exist_ok=True)
        self.port = port or launch.free_port()
        self.url = f"http://127.0.0.1:{self.port}/"
        self.socket = self.run_dir / "haproxy.sock"
        self.start_timeout = start_timeout
        # One cookie secret for all: whichever replica a visitor lands on accepts the cookies another set.
        self.env = {"STREAMLIT_SERVER_COOKIE_SECRET": secrets.token_hex(32), **(env or {})}
        self.replicas = [Replica(f"app{i}", launch.free_port(), self.run_dir / f"app{i}.log")
                         for i in range(1, count + 1)]
        self.balancer: subprocess.Popen | None = None
        self.restarts = 0

    def __enter__(self) -> Replicas:
        try:
            self.start()
        except BaseException:
            self.stop()
            raise
        return self

    def __exit__(self, *exc) -> None:
        self.stop()

    def start(self) -> None:
        """Start every replica (at once: they warm up side by side), then HAProxy once they are healthy."""
        for replica in self.replicas:
            self._launch(replica)
        for replica in self.replicas:
            self._wait_healthy(replica)
        config = self.run_dir / "haproxy.cfg"
        config.write_text(CONFIG.read_text(encoding="utf-8") + "".join(
            f"    server {r.name} 127.0.0.1:{r.port} cookie {r.name}\n" for r in self.replicas), encoding="utf-8")
        env = {**os.environ, "EXPLORER_LB_BIND": f"*:{self.port}", "EXPLORER_LB_SOCKET": str(self.socket)}
        checked = subprocess.run(["haproxy", "-c", "-q", "-f", str(config)], env=env, capture_output=True, text=True)
        if checked.returncode:
            raise SystemExit(f"{config} is not a valid HAProxy config:\n{checked.stdout}{checked.stderr}")
        log = open(self.run_dir / "haproxy.log", "ab")  # noqa: SIM115 - HAProxy's log, open while it runs
        self.balancer = subprocess.Popen(["haproxy", "-db", "-f", str(config)], env=env, stdout=log,
                                         stderr=subprocess.STDOUT)
        for replica in self.replicas:
            self._wait_status(replica, "UP")
        self._save()

    def stop(self) -> None:
        """Stop HAProxy, then every replica."""
        for process in [self.balancer, *(r.process for r in self.replicas)]:
            if process is not None:
                launch.stop(process)

    def admin(self, command: str) -> str:
        """Send one command to HAProxy's admin socket and return its answer."""
        with socket.socket(socket.AF_UNIX) as s:
            s.settimeout(10)
            s.connect(str(self.socket))
            s.sendall(command.encode() + b"\n")
            return b"".join(iter(lambda: s.recv(65536), b"")).decode()

    def status(self) -> dict[str, dict[str, str]]:
        """Per replica, HAProxy's view: ``status`` (UP, DOWN, DRAIN, MAINT...) and ``scur`` (open connections)."""
        rows = csv.DictReader(io.StringIO(self.admin("show stat").lstrip("# ")))
        return {row["svname"]: row for row in rows if row["pxname"] == BACKEND and row["svname"].startswith("app")}

    def restart(self, replica: Replica, drain_seconds: float, say=print) -> None:
        """Drain one replica, restart it once its visitors have left (or after ``drain_seconds``), ready it."""
        self.admin(f"set server {BACKEND}/{replica.name} state drain")
        deadline = time.monotonic() + drain_seconds
        while (left := int(self.status()[replica.name]["scur"])) and time.monotonic() < deadline:
            time.sleep(1)
        say(f"{replica.name}: restarting" + (f" ({left} connection(s) still open after {drain_seconds:.0f} s: "
                                              "they reconnect to another replica)" if left else ""))
        self.admin(f"set server {BACKEND}/{replica.name} state maint")
        launch.stop(replica.process, timeout=30)
        self._launch(replica)
        self._wait_healthy(replica)
        self.admin(f"set server {BACKEND}/{replica.name} state ready")
        self._wait_status(replica, "UP")
        self.restarts += 1
        self._save()
        say(f"{replica.name}: back in service (pid {replica.process.pid})")

    def rolling_restart(self, drain_seconds: float, say=print) -> None:
        """Restart every replica, one at a time, so the others serve throughout."""
        for replica in self.replicas:
            self.restart(replica, drain_seconds, say)

    def _launch(self, replica: Replica) -> None:
        replica.process = launch.start(replica.port, replica.log, env=self.env)

    def _wait_healthy(self, replica: Replica) -> None:
        launch.wait_healthy(replica.url, replica.process, replica.log, self.start_timeout, name=replica.name)

    def _wait_status(self, replica: Replica, wanted: str, timeout: float = 60) -> None:
        deadline, seen = time.monotonic() + timeout, "no answer on its admin socket"
        while True:
            try:
                seen = self.status()[replica.name]["status"]
            except OSError:  # HAProxy is still starting
                pass
            if seen.startswith(wanted):
                return
            if self.balancer.poll() is not None or time.monotonic() > deadline:
                log = (self.run_dir / "haproxy.log").read_text(errors="replace")[-2000:]
                raise SystemExit(f"HAProxy did not see {replica.name} {wanted} ({seen}); its log:\n{log}")
            time.sleep(0.3)

    def _save(self) -> None:
        state = {"supervisor": os.getpid(), "url": self.url, "socket": str(self.socket), "restarts": self.restarts,
                 "balancer": self.balancer.pid if self.balancer else None,
                 "replicas": [{"name": r.name, "port": r.port, "pid": r.process.pid, "log": str(r.log)}
                              for r in self.replicas]}
        (self.run_dir / "state.json").write_text(json.dumps(state, indent=2), encoding="utf-8")


def serve(args) -> None:
    """Run until Ctrl-C; on SIGHUP (``rolling-restart``), restart the replicas one at a time."""
    asked: list[int] = []
    signal.signal(signal.SIGHUP, lambda *_: asked.append(1))
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))  # so the replicas are stopped on the way out
    with Replicas(args.replicas, args.port, args.run_dir) as replicas:
        print(f"{args.replicas} replicas behind HAProxy at {replicas.url} (files in {replicas.run_dir}); "
              "Ctrl-C stops them all", flush=True)
        try:
            while replicas.balancer.poll() is None:
                if asked:
                    asked.clear()
                    print("rolling restart", flush=True)
                    replicas.rolling_restart(args.drain_seconds, say=lambda line: print(line, flush=True))
                    print("rolling restart done", flush=True)
                time.sleep(0.5)
            raise SystemExit(f"HAProxy stopped; see {replicas.run_dir / 'haproxy.log'}")
        except KeyboardInterrupt:
            print("stopping", flush=True)


def rolling_restart(args) -> None:
    """Ask the running ``serve`` to restart its replicas one at a time, and wait until it has."""
    path = Path(args.run_dir) / "state.json"
    if not path.exists():
        raise SystemExit(f"no {path}: start the replicas first (`make serve-replicas`)")
    state = json.loads(path.read_text(encoding="utf-8"))
    wanted = state["restarts"] + len(state["replicas"])
    try:
        os.kill(state["supervisor"], signal.SIGHUP)
    except ProcessLookupError:
        raise SystemExit(f"the replicas in {path} are no longer running: `make serve-replicas` starts them") from None
    print(f"asked pid {state['supervisor']} to restart {len(state['replicas'])} replicas one at a time", flush=True)
    while (state := json.loads(path.read_text(encoding="utf-8")))["restarts"] < wanted:
        try:
            os.kill(state["supervisor"], 0)
        except ProcessLookupError:
            raise SystemExit(f"pid {state['supervisor']} stopped before the restart was done: see its output") from None
        time.sleep(1)
    print("done: " + ", ".join(f"{r['name']} pid {r['pid']}" for r in state["replicas"]))


def main(argv: list[str] | None = None) -> None:
    """The command line (see the module's docstring)."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("command", choices=["serve", "rolling-restart"])
    parser.add_argument("--replicas", type=int, default=2)
    parser.add_argument("--port", type=int, default=8501, help="where HAProxy listens for visitors")
    parser.add_argument("--run-dir", type=Path, default=REPO / ".run" / "replicas")
    parser.add_argument("--drain-seconds", type=float, default=300,
                        help="longest wait for a draining replica's visitors to leave before it restarts")
    args = parser.parse_args(argv)
    try:
        {"serve": serve, "rolling-restart": rolling_restart}[args.command](args)
    except launch.NotHealthy as exc:  # a replica that did not start: its log says why, no traceback needed
        raise SystemExit(str(exc)) from None


if __name__ == "__main__":
    main()
