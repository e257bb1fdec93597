"""Soak: ``python -m bench.soak [--sessions 50] [--minutes 10]`` (or ``make soak``).

Starts the app on this machine only, then keeps ``--sessions`` browser-like
visitors busy for the whole time: each opens a page (city map, ward profile or
compare), makes a few choices with a pause to read between them, leaves, and a
new visitor takes its place. It stops itself at the deadline and prints errors,
latency and the server's memory over time (flat after warm-up is the promise).
"""

from __future__ import annotations

import argparse
import asyncio
import random
import statistics
import sys
import time
from dataclasses import dataclass, field

from bench.client import Session
from bench.run import THINK_S, serve

WARDS = ["Foleshill", "Wainbody", "Radford", "Earlsdon", "Henley", "Wyken", "Bablake", "Lower Stoke"]
JOURNEYS = {"city_map": ["indicator"], "ward_profile": ["ward"], "compare": ["a", "b"]}


@dataclass
class Soak:
    """What the soak saw."""

    latencies: list[float] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    memory: list[tuple[float, float]] = field(default_factory=list)  # (seconds since start, MB)
    visits: int = 0


async def visitor(url: str, deadline: float, soak: Soak, rng: random.Random) -> None:
    await asyncio.sleep(rng.uniform(*THINK_S))
    while time.monotonic() < deadline:
        page = rng.choice(list(JOURNEYS))
        try:
            async with Session(url, page) as s:
                run = await s.open()
                soak.latencies.append(run.seconds)
                if run.error:
                    soak.errors.append(f"{page}: {run.error}")
                if page == "city_map":
                    s.values["theme"] = s.options("theme")[0]
                for _ in range(rng.randint(2, 6)):
                    if time.monotonic() >= deadline:
                        break
                    await asyncio.sleep(rng.uniform(*THINK_S))
                    key = rng.choice(JOURNEYS[page])
                    choice = rng.choice(s.options(key) if page == "city_map" else WARDS)
                    run = await s.choose(key, choice)
                    soak.latencies.append(run.seconds)
                    if run.error:
                        soak.errors.append(f"{page} {key}={choice}: {run.error}")
            soak.visits += 1
        except Exception as exc:  # noqa: BLE001 - every failure is counted and reported
            soak.errors.append(f"{page}: {type(exc).__name__}: {exc}")
            await asyncio.sleep(1)


async def soak_server(url: str, process, sessions: int, seconds: float) -> Soak:
    soak = Soak()
    start = time.monotonic()
    deadline = start + seconds
    rng = random.Random(2013)
    tasks = [asyncio.create_task(visitor(url, deadline, soak, random.Random(rng.random())))
             for _ in range(sessions)]
    while not all(t.done() for t in tasks):
        soak.memory.append((time.monotonic() - start, process.memory_info().rss / 2**20))
        await asyncio.sleep(min(5.0, max(0.5, seconds / 100)))
        if time.monotonic() > deadline + 120:  # bounded: a stuck session cannot keep the soak alive
            for t in tasks:
                t.cancel()
            soak.errors.append("sessions still running 2 minutes after the deadline were cancelled")
            break
    return soak


def report(soak: Soak, sessions: int, seconds: float) -> dict[str, float]:
    """Summary figures; memory is compared between the second fifth of the run and the last fifth."""
    ordered = sorted(soak.latencies)
    mem = soak.memory
    second = [m for t, m in mem if seconds * 0.2 <= t < seconds * 0.4] or [mem[0][1]]
    last = [m for t, m in mem if t >= seconds * 0.8] or [mem[-1][1]]
    figures = {
        "sessions": sessions, "seconds": seconds, "visits": soak.visits, "runs": len(ordered),
        "errors": len(soak.errors),
        "p50_ms": 1000 * statistics.median(ordered) if ordered else float("nan"),
        "p95_ms": 1000 * ordered[int(0.95 * (len(ordered) - 1))] if ordered else float("nan"),
        "max_ms": 1000 * ordered[-1] if ordered else float("nan"),
        "memory_start_mb": mem[0][1], "memory_after_warmup_mb": statistics.mean(second),
        "memory_end_mb": statistics.mean(last), "memory_peak_mb": max(m for _, m in mem),
    }
    figures["memory_growth_after_warmup_pct"] = 100 * (figures["memory_end_mb"] / figures["memory_after_warmup_mb"] - 1)
    return figures


def main(argv: list[str] | None = None) -> dict[str, float]:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sessions", type=int, default=50)
    parser.add_argument("--minutes", type=float, default=10.0)
    parser.add_argument("--seconds", type=float, default=None, help="overrides --minutes (for the smoke test)")
    args = parser.parse_args(argv)
    seconds = args.seconds if args.seconds is not None else args.minutes * 60
    with serve("optimised") as (url, process):
        soak = asyncio.run(soak_server(url, process, args.sessions, seconds))
    figures = report(soak, args.sessions, seconds)
    for key, value in figures.items():
        print(f"{key}: {value:.1f}" if isinstance(value, float) else f"{key}: {value}")
    step = max(1.0, seconds / 10)
    by_step = {}
    for t, m in soak.memory:
        by_step.setdefault(int(t // step), (t, m))  # the first sample in each tenth of the run
    print("memory by time (s, MB): " + ", ".join(f"{t:.0f}: {m:.0f}" for t, m in by_step.values()))
    for error in soak.errors[:10]:
        print(f"error: {error}", file=sys.stderr)
    return figures


if __name__ == "__main__":
    result = main()
    sys.exit(1 if result["errors"] else 0)
