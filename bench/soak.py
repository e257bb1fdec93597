"""Soak: ``python -m bench.soak [--sessions 50] [--minutes 10]`` (or ``make soak``).

Starts the app on this machine only (or ``--replicas N`` of it behind HAProxy, or uses
``--target URL``), then keeps ``--sessions`` browser-like visitors busy for the whole time:
each opens a page (city map, ward profile, compare, or the library kiosk), makes a few
choices with a pause to read between them, leaves, and a new visitor takes its place. A
kiosk visitor taps Start, picks "Pick from a list", taps a ward, reads "my area" and taps
Start again. It stops itself at the deadline and prints errors, latency (overall and per
page) and each server's memory over time (flat after warm-up is the promise).
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import math
import random
import statistics
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

import psutil

from bench.client import Session
from bench.common import THINK_S, serve

WARDS = ["Foleshill", "Wainbody", "Radford", "Earlsdon", "Henley", "Wyken", "Bablake", "Lower Stoke"]
JOURNEYS = {"city_map": ["indicator"], "ward_profile": ["ward"], "compare": ["a", "b"], "kiosk": []}


@dataclass
class Soak:
    """What the soak saw."""

    latencies: list[float] = field(default_factory=list)
    by_page: dict[str, list[float]] = field(default_factory=dict)
    by_step: dict[str, list[float]] = field(default_factory=dict)  # "page: what was done"
    errors: list[str] = field(default_factory=list)
    memory: dict[str, list[tuple[float, float]]] = field(default_factory=dict)  # server: (seconds, MB)
    visits: int = 0

    def took(self, page: str, run, what: str) -> None:
        self.latencies.append(run.seconds)
        self.by_page.setdefault(page, []).append(run.seconds)
        step = "a ward" if what.startswith("ward_") else what.split("=")[0]  # the widget, not the value chosen
        self.by_step.setdefault(f"{page}: {step}", []).append(run.seconds)
        if run.error:
            self.errors.append(f"{page} {what}: {run.error}")


async def browse(s: Session, page: str, deadline: float, soak: Soak, rng: random.Random) -> None:
    """A visitor on the city map, ward profile or compare page: a few choices, reading between them."""
    if page == "city_map":
        s.values["theme"] = s.options("theme")[0]
    for _ in range(rng.randint(2, 6)):
        if time.monotonic() >= deadline:
            break
        await asyncio.sleep(rng.uniform(*THINK_S))
        key = rng.choice(JOURNEYS[page])
        choice = rng.choice(s.options(key) if page == "city_map" else WARDS)
        soak.took(page, await s.choose(key, choice), f"{key}={choice}")


async def kiosk(s: Session, deadline: float, soak: Soak, rng: random.Random) -> None:
    """Attract -> Start -> Pick from a list -> a ward -> my area -> Start again, as a library visitor taps."""
    for tap in ("kiosk_start", "mode_list", "a ward", "restart_top"):
        if time.monotonic() >= deadline:
            break
        await asyncio.sleep(rng.uniform(*THINK_S))
        key = rng.choice(sorted(k for k in s.buttons if k.startswith("ward_"))) if tap == "a ward" else tap
        if key not in s.buttons:
            soak.errors.append(f"kiosk: no {key!r} button to tap (on screen: {sorted(s.buttons)})")
            return
        soak.took("kiosk", await s.press(key), key)


async def visitor(url: str, deadline: float, soak: Soak, rng: random.Random) -> None:
    await asyncio.sleep(rng.uniform(*THINK_S))
    while time.monotonic() < deadline:
        page = rng.choice(list(JOURNEYS))
        try:
            async with Session(url, page) as s:
                soak.took(page, await s.open(), "open")
                await (kiosk(s, deadline, soak, rng) if page == "kiosk" else browse(s, page, deadline, soak, rng))
            soak.visits += 1
        except Exception as exc:  # noqa: BLE001 - every failure is counted and reported
            soak.errors.append(f"{page}: {type(exc).__name__}: {exc}")
            await asyncio.sleep(1)


async def soak_server(url: str, servers: dict[str, psutil.Process], sessions: int, seconds: float) -> Soak:
    """Run the soak against ``url``, sampling the memory of each of ``servers`` (name: process)."""
    soak = Soak(memory={name: [] for name in servers})
    start = time.monotonic()
    deadline = start + seconds
    rng = random.Random(2013)
    tasks = [asyncio.create_task(visitor(url, deadline, soak, random.Random(rng.random())))
             for _ in range(sessions)]
    while not all(t.done() for t in tasks):
        for name, process in servers.items():
            with contextlib.suppress(psutil.Error):  # a replica being restarted has no memory to read
                soak.memory[name].append((time.monotonic() - start, process.memory_info().rss / 2**20))
        await asyncio.sleep(min(5.0, max(0.5, seconds / 100)))
        if time.monotonic() > deadline + 120:  # bounded: a stuck session cannot keep the soak alive
            for t in tasks:
                t.cancel()
            soak.errors.append("sessions still running 2 minutes after the deadline were cancelled")
            break
    return soak


def percentiles(values: list[float]) -> tuple[float, float, float]:
    """p50, p95 and max in milliseconds."""
    ordered = sorted(values)
    if not ordered:
        return float("nan"), float("nan"), float("nan")
    p95 = ordered[math.ceil(0.95 * len(ordered)) - 1]  # nearest rank: 95% of runs took this long or less
    return 1000 * statistics.median(ordered), 1000 * p95, 1000 * ordered[-1]


def report(soak: Soak, sessions: int, seconds: float) -> dict[str, float]:
    """Summary figures; memory is compared between the second fifth of the run and the last fifth."""
    p50, p95, most = percentiles(soak.latencies)
    figures = {"sessions": sessions, "seconds": seconds, "visits": soak.visits, "runs": len(soak.latencies),
               "errors": len(soak.errors), "p50_ms": p50, "p95_ms": p95, "max_ms": most}
    for page, values in sorted(soak.by_page.items()):
        figures[f"{page}_runs"] = len(values)
        figures[f"{page}_p50_ms"], figures[f"{page}_p95_ms"], figures[f"{page}_max_ms"] = percentiles(values)
    for name, mem in soak.memory.items():
        if not mem:
            continue
        second = [m for t, m in mem if seconds * 0.2 <= t < seconds * 0.4] or [mem[0][1]]
        last = [m for t, m in mem if t >= seconds * 0.8] or [mem[-1][1]]
        figures[f"{name}_memory_start_mb"] = mem[0][1]
        figures[f"{name}_memory_after_warmup_mb"] = statistics.mean(second)
        figures[f"{name}_memory_end_mb"] = statistics.mean(last)
        figures[f"{name}_memory_peak_mb"] = max(m for _, m in mem)
        figures[f"{name}_memory_growth_after_warmup_pct"] = 100 * (statistics.mean(last) / statistics.mean(second) - 1)
    return figures


@contextlib.contextmanager
def servers(args):
    """Yield (url, {name: process}) for what the soak runs against."""
    if args.target:
        yield args.target, {f"pid{pid}": psutil.Process(pid) for pid in args.pids}
    elif args.replicas:
        from deploy.replicas import Replicas

        with tempfile.TemporaryDirectory(prefix="soak-") as run_dir, Replicas(args.replicas, 0, Path(run_dir)) as lb:
            yield lb.url, {r.name: psutil.Process(r.process.pid) for r in lb.replicas}
    else:
        with serve("optimised") as (url, process):
            yield url, {"server": process}


def main(argv: list[str] | None = None) -> dict[str, float]:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sessions", type=int, default=50)
    parser.add_argument("--minutes", type=float, default=10.0)
    parser.add_argument("--seconds", type=float, default=None, help="overrides --minutes (for the smoke test)")
    where = parser.add_mutually_exclusive_group()
    where.add_argument("--replicas", type=int, default=0, help="start this many replicas behind HAProxy")
    where.add_argument("--target", help="soak a running app or balancer at this URL instead of starting one")
    parser.add_argument("--pids", type=lambda text: [int(p) for p in text.split(",")], default=[],
                        help="with --target: comma-separated PIDs of its replicas, for their memory")
    args = parser.parse_args(argv)
    seconds = args.seconds if args.seconds is not None else args.minutes * 60
    with servers(args) as (url, processes):
        print(f"soaking {url}: {args.sessions} visitors for {seconds:.0f} s", file=sys.stderr)
        soak = asyncio.run(soak_server(url, processes, args.sessions, seconds))
    figures = report(soak, args.sessions, seconds)
    for key, value in figures.items():
        print(f"{key}: {value:.1f}" if isinstance(value, float) else f"{key}: {value}")
    step = max(1.0, seconds / 10)
    for name, mem in soak.memory.items():
        by_step = {}
        for t, m in mem:
            by_step.setdefault(int(t // step), (t, m))  # the first sample in each tenth of the run
        print(f"{name} memory by time (s, MB): " + ", ".join(f"{t:.0f}: {m:.0f}" for t, m in by_step.values()))
    steps = {step: percentiles(values) for step, values in sorted(soak.by_step.items())}
    print("p50 / p95 by step (ms): " + "; ".join(f"{step} {a:.0f} / {b:.0f}" for step, (a, b, _) in steps.items()))
    for error in soak.errors[:10]:
        print(f"error: {error}", file=sys.stderr)
    return figures


if __name__ == "__main__":
    result = main()
    sys.exit(1 if result["errors"] else 0)
