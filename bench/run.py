"""Benchmark: ``python -m bench.run [--quick]`` (or ``make bench``) prints a table of figures.

It starts the app (as ``make run`` does) and a deliberately naive variant of it
(bench/naive/: full-resolution geometry, everything rebuilt on every rerun, every
map event returned, Streamlit's default garbage collection after each run) and
measures both in the same run, so every figure is also a ratio. It times the first
visit after a server start (the app with and without its warm-up), and ends with the
mixed soak (bench/soak.py) against one replica and through HAProxy over two. Budgets
are reported, never asserted: a timed test on a shared machine would only be flaky.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import functools
import os
import random
import shutil
import statistics
import sys
import time
from dataclasses import dataclass, field

import psutil

from bench.client import Session
from bench.common import REPO, THINK_S, chromium, serve

INDICATORS = ["imd25_pct_d1", "imd25_income", "imd25_employment", "imd25_score", "imd25_health"]
WARDS = ["Foleshill", "Wainbody", "Radford", "Earlsdon", "Henley", "Wyken"]


@dataclass
class Figures:
    """Every figure measured for one variant (seconds, bytes or counts)."""

    indicator: list[float] = field(default_factory=list)
    ward: list[float] = field(default_factory=list)
    compare: list[float] = field(default_factory=list)
    ward_map_bytes: int = 0
    lsoa_map_bytes: int = 0
    map_drawn: list[float] = field(default_factory=list)
    pan_zoom_reruns: int | None = None
    rss_idle_mb: float = 0.0
    load: dict[int, dict[str, float]] = field(default_factory=dict)
    starts: list[tuple[float, float, float]] = field(default_factory=list)  # (to healthy, first visit, MB)
    cold_starts: list[tuple[float, float, float]] = field(default_factory=list)  # the same without warm-up
    soaks: dict[str, dict[str, float]] = field(default_factory=dict)  # "1 replica" / "2 replicas": soak figures
    first_load: list[tuple] = field(default_factory=list)  # rows of bench/first_load.py (slow connection)


async def reruns(url: str, repeats: int, figures: Figures) -> None:
    """Server round trip of a rerun: switching indicator, ward on the profile, wards on Compare."""
    async with Session(url, "city_map") as s:
        await s.open()
        labels = {key: label(key) for key in INDICATORS}  # a select box is chosen by the label it shows
        theme = s.options("theme")[0]
        s.values["theme"] = theme
        for key in INDICATORS:  # first visit of each: caches warm
            await s.choose("indicator", labels[key])
        for i in range(repeats):
            run = await s.choose("indicator", labels[INDICATORS[i % len(INDICATORS)]])
            figures.indicator.append(run.seconds)
            figures.ward_map_bytes = max(figures.ward_map_bytes, run.map_bytes)
    async with Session(url, "city_map") as s:
        run = await s.open("small_areas=true")
        figures.lsoa_map_bytes = run.map_bytes
    for page, keys in (("ward_profile", ["ward"]), ("compare", ["a", "b"])):
        async with Session(url, page) as s:
            await s.open()
            for name in WARDS:
                for key in keys:
                    await s.choose(key, name)
            for i in range(repeats):
                for j, key in enumerate(keys):
                    run = await s.choose(key, WARDS[(i + j + 1) % len(WARDS)])
                    (figures.ward if page == "ward_profile" else figures.compare).append(run.seconds)


@functools.cache
def label(key: str) -> str:
    """An indicator's label, as its select box shows it."""
    from explorer.registry import load_registry

    return load_registry(REPO / "data/registry/indicators.csv")[key].label


def time_to_map(page, url: str, timeout: float = 60) -> float:
    """Seconds from opening ``url`` in ``page`` until the ward map has drawn its 18 wards (nan if it never did)."""
    from playwright.sync_api import Error

    start = time.perf_counter()
    page.goto(url)
    while time.perf_counter() - start < timeout:
        for frame in page.frames:
            with contextlib.suppress(Error):
                if frame.locator("path.leaflet-interactive").count() >= 18:
                    return time.perf_counter() - start
        page.wait_for_timeout(20)
    return float("nan")


def first_visits(variant: str, starts: int, env: dict[str, str] | None = None) -> list[tuple[float, float, float]]:
    """Start the server ``starts`` times; each time: seconds to healthy, first visit to the map drawn, memory then (MB).

    The browser is started and has loaded a page from the server (its health endpoint, which touches no
    cache) before the visit is timed, so the time is the server's first visit, not Chromium's.
    """
    from playwright.sync_api import sync_playwright

    out = []
    with sync_playwright() as p, chromium(p) as b:
        for _ in range(starts):
            started = time.perf_counter()
            with serve(variant, env) as (url, process):
                healthy, mb = time.perf_counter() - started, process.memory_info().rss / 2**20
                context = b.new_context(viewport={"width": 1400, "height": 1000})
                page = context.new_page()
                page.goto(url + "_stcore/health")
                out.append((healthy, time_to_map(page, url), mb))
                context.close()
    return out


def browser(url: str, loads: int, figures: Figures, floor_only: bool = False) -> None:
    """Time from opening the page to the ward map drawn, and reruns caused by panning and zooming."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p, chromium(p) as b:
        for i in range(loads + 1):
            # No request interception here: it slows every request. The offline tests check nothing leaves.
            context = b.new_context(viewport={"width": 1400, "height": 1000})
            page = context.new_page()
            sent: list[int] = []
            page.on("websocket", lambda ws, sent=sent: ws.on("framesent", lambda payload: sent.append(1)))
            drawn = time_to_map(page, url)
            if i > 0:  # the first load is a first visit (measured in first_visits); these are the next ones
                figures.map_drawn.append(drawn)
            if i == loads and not floor_only:
                page.wait_for_timeout(2500)
                sent.clear()
                box = page.locator("iframe").first.bounding_box()
                cx, cy = box["x"] + box["width"] / 2, box["y"] + box["height"] / 2
                page.mouse.move(cx, cy)
                page.mouse.down()
                page.mouse.move(cx + 150, cy + 80, steps=10)
                page.mouse.up()
                page.wait_for_timeout(800)
                page.mouse.wheel(0, -400)
                page.wait_for_timeout(800)
                page.mouse.wheel(0, 400)
                page.wait_for_timeout(2500)
                figures.pan_zoom_reruns = len(sent)
            context.close()


async def visitor(url: str, rounds: int, latencies: list[float], errors: list[str], rng: random.Random) -> None:
    await asyncio.sleep(rng.uniform(*THINK_S))  # people arrive over a few seconds, not in one instant
    try:
        async with Session(url, "city_map") as s:
            run = await s.open()
            latencies.append(run.seconds)
            s.values["theme"] = s.options("theme")[0]
            choices = s.options("indicator")
            for _ in range(rounds):
                await asyncio.sleep(rng.uniform(*THINK_S))
                run = await s.choose("indicator", rng.choice(choices))
                latencies.append(run.seconds)
                if run.error:
                    errors.append(run.error)
    except Exception as exc:  # noqa: BLE001 - every failure is counted and reported
        errors.append(f"{type(exc).__name__}: {exc}")


async def load(url: str, process: psutil.Process, sessions: int, rounds: int) -> dict[str, float]:
    """``sessions`` visitors at once, each opening the map and changing indicator ``rounds`` times."""
    latencies: list[float] = []
    errors: list[str] = []
    peak = process.memory_info().rss
    rng = random.Random(2013)
    tasks = [asyncio.create_task(visitor(url, rounds, latencies, errors, random.Random(rng.random())))
             for _ in range(sessions)]
    while not all(t.done() for t in tasks):
        peak = max(peak, process.memory_info().rss)
        await asyncio.sleep(0.2)
    ordered = sorted(latencies)
    return {
        "runs": len(ordered), "errors": len(errors),
        "p50": statistics.median(ordered) if ordered else float("nan"),
        "p95": ordered[int(0.95 * (len(ordered) - 1))] if ordered else float("nan"),
        "max": ordered[-1] if ordered else float("nan"),
        "peak_mb": peak / 2**20,
    }


def measure(variant: str, quick: bool) -> Figures:
    figures = Figures()
    if variant != "floor":
        figures.starts = first_visits(variant, 1 if quick else 3)
    if variant == "optimised":
        figures.cold_starts = first_visits(variant, 1 if quick else 3, {"EXPLORER_WARM_UP": "0"})
    with serve(variant) as (url, process):
        if variant == "floor":
            browser(url, 1 if quick else 5, figures, floor_only=True)
            return figures
        asyncio.run(reruns(url, 5 if quick else 20, figures))
        browser(url, 1 if quick else 5, figures)
        figures.rss_idle_mb = process.memory_info().rss / 2**20
        for sessions in ([3] if quick else [10, 25, 50]):
            figures.load[sessions] = asyncio.run(load(url, process, sessions, 2 if quick else 6))
            print(f"  {variant}: {sessions} sessions done", file=sys.stderr)
    return figures


def spread(values: list[float]) -> str:
    """Median and the range of the middle 80% in milliseconds, e.g. ``61 ms (55-90)``."""
    clean = sorted(v for v in values if v == v)
    if not clean:
        return "n/a"
    low, high = clean[int(0.1 * (len(clean) - 1))], clean[int(0.9 * (len(clean) - 1))]
    return f"{statistics.median(clean) * 1000:.0f} ms ({low * 1000:.0f}-{high * 1000:.0f}, n={len(clean)})"


def ratio(naive: float, ours: float) -> str:
    return f"{naive / ours:.1f}x" if ours and ours == ours and naive == naive else "n/a"


def table(ours: Figures, naive: Figures, floor: Figures) -> list[tuple[str, str, str, str, str, str]]:
    """Rows of: figure, budget, optimised, naive, naive/optimised, budget met."""
    med = lambda xs: statistics.median([x for x in xs if x == x]) if xs else float("nan")  # noqa: E731
    kb = lambda b: f"{b / 1024:.0f} KB"  # noqa: E731
    rows = [
        ("Rerun: switch indicator (city map)", "<= 100 ms median", spread(ours.indicator), spread(naive.indicator),
         ratio(med(naive.indicator), med(ours.indicator)), med(ours.indicator) <= 0.100),
        ("Rerun: switch ward (ward profile)", "-", spread(ours.ward), spread(naive.ward),
         ratio(med(naive.ward), med(ours.ward)), None),
        ("Rerun: switch ward (compare)", "-", spread(ours.compare), spread(naive.compare),
         ratio(med(naive.compare), med(ours.compare)), None),
        ("Reruns caused by pan + 2 zooms", "0", str(ours.pan_zoom_reruns), str(naive.pan_zoom_reruns),
         "-", ours.pan_zoom_reruns == 0),
        ("Sent to draw the ward map", "<= 100 KB", kb(ours.ward_map_bytes), kb(naive.ward_map_bytes),
         ratio(naive.ward_map_bytes, ours.ward_map_bytes), ours.ward_map_bytes <= 100 * 1024),
        ("Sent to draw the LSOA layer", "<= 400 KB", kb(ours.lsoa_map_bytes), kb(naive.lsoa_map_bytes),
         ratio(naive.lsoa_map_bytes, ours.lsoa_map_bytes), ours.lsoa_map_bytes <= 400 * 1024),
        ("Page open to map drawn (Chromium)", "<= 2 s median", spread(ours.map_drawn), spread(naive.map_drawn),
         ratio(med(naive.map_drawn), med(ours.map_drawn)), med(ours.map_drawn) <= 2.0),
        ("  floor: a page with only that map", "-", spread(floor.map_drawn), "-", "-", None),
        ("First visit after a server start, to map drawn (Chromium)", "<= 3 s", spread(first(ours.starts)),
         spread(first(naive.starts)), ratio(med(first(naive.starts)), med(first(ours.starts))),
         med(first(ours.starts)) <= 3.0),
        ("  the same without warm-up (EXPLORER_WARM_UP=0)", "-", spread(first(ours.cold_starts)), "-", "-", None),
        ("Server start to healthy (its memory then)", "-", started(ours.starts), started(naive.starts), "-", None),
        ("  the same without warm-up", "-", started(ours.cold_starts), "-", "-", None),
        ("Server memory after warm-up", "-", f"{ours.rss_idle_mb:.0f} MB", f"{naive.rss_idle_mb:.0f} MB",
         ratio(naive.rss_idle_mb, ours.rss_idle_mb), None),
    ]
    for n in sorted(ours.load):
        o, v = ours.load[n], naive.load.get(n, {})
        rows.append((f"{n} sessions: p50 / p95 latency", "p95 <= 1 s" if n == 50 else "-",
                     f"{o['p50'] * 1000:.0f} / {o['p95'] * 1000:.0f} ms ({o['runs']} runs, {o['errors']} errors)",
                     f"{v['p50'] * 1000:.0f} / {v['p95'] * 1000:.0f} ms ({v['runs']} runs, {v['errors']} errors)",
                     ratio(v["p95"], o["p95"]), (o["p95"] <= 1.0 and o["errors"] == 0) if n == 50 else None))
        rows.append((f"{n} sessions: server memory peak", "<= 600 MB" if n == 50 else "-", f"{o['peak_mb']:.0f} MB",
                     f"{v['peak_mb']:.0f} MB", ratio(v["peak_mb"], o["peak_mb"]),
                     o["peak_mb"] <= 600 if n == 50 else None))
    rows += [row[:5] + ({"met": True, "MISSED": False}[row[5]],) for row in ours.first_load]
    for name, f in ours.soaks.items():
        rows.append((f"Mixed soak with kiosk, {f['sessions']} visitors, {name}: p50 / p95 / max", "p95 <= 1 s",
                     f"{f['p50_ms']:.0f} / {f['p95_ms']:.0f} / {f['max_ms']:.0f} ms ({f['runs']} runs, "
                     f"{f['errors']} errors)", "-", "-", f["p95_ms"] <= 1000 and f["errors"] == 0))
        memory = "; ".join(f"{key.removesuffix('_memory_start_mb')} {f[key]:.0f} -> "
                           f"{f[key.replace('start', 'end')]:.0f} (peak {f[key.replace('start', 'peak')]:.0f}) MB"
                           for key in f if key.endswith("_memory_start_mb"))
        rows.append(("  memory per replica: start -> end (peak)", "-", memory, "-", "-", None))
    return [(a, b, c, d, e, {True: "met", False: "MISSED", None: "-"}[f]) for a, b, c, d, e, f in rows]


def first(starts: list[tuple[float, float, float]]) -> list[float]:
    return [visit for _, visit, _ in starts]


def started(starts: list[tuple[float, float, float]]) -> str:
    """Median seconds from start to healthy, and the memory then."""
    if not starts:
        return "n/a"
    return (f"{statistics.median(h for h, _, _ in starts):.1f} s "
            f"({statistics.median(mb for _, _, mb in starts):.0f} MB, n={len(starts)})")


def soaks(minutes: float, sessions: int = 50) -> dict[str, dict[str, float]]:
    """The mixed soak (with the kiosk) against one replica, then through HAProxy over two."""
    from bench import soak

    out = {}
    for name, extra in (("1 replica", []), ("2 replicas via HAProxy", ["--replicas", "2"])):
        if extra and not shutil.which("haproxy"):
            print("  haproxy not installed: no soak through the balancer", file=sys.stderr)
            continue
        with contextlib.redirect_stdout(sys.stderr):  # its own report goes with the progress lines
            out[name] = soak.main(["--sessions", str(sessions), "--seconds", str(minutes * 60), *extra])
    return out


def first_loads(quick: bool) -> list[tuple]:
    """First visits to / and /kiosk on a slow connection (bench/first_load.py): the single app, then through
    HAProxy over two replicas (not in a quick run). Its "naive" column is the same visit asking for nothing
    compressed; each visit's requests are written to bench/results. A quick run goes unthrottled (bytes only)."""
    from bench import first_load

    where = [(0, "single app")] + ([] if quick or not shutil.which("haproxy") else [(2, "2 replicas via HAProxy")])
    return [row for replicas, name in where
            for row in first_load.rows(first_load.measure(replicas=replicas, throttled=not quick), name,
                                       throttled=not quick)]


def markdown(rows) -> str:
    head = ("figure", "budget", "optimised", "naive", "naive / optimised", "budget")
    lines = ["| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
    lines += ["| " + " | ".join(row) + " |" for row in rows]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> str:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="one short run of everything (the test suite's smoke)")
    parser.add_argument("--soak-minutes", type=float, default=None,
                        help="minutes of each mixed soak, 1 replica then 2 behind HAProxy (default 2; 0 with --quick)")
    args = parser.parse_args(argv)
    soak_minutes = args.soak_minutes if args.soak_minutes is not None else (0 if args.quick else 2)
    started = time.time()
    print(f"machine: {os.cpu_count()} cores, Python {sys.version.split()[0]}; think time {THINK_S} s",
          file=sys.stderr)
    ours = measure("optimised", args.quick)
    naive = measure("naive", args.quick)
    floor = measure("floor", args.quick)
    ours.first_load = first_loads(args.quick)
    if soak_minutes:
        ours.soaks = soaks(soak_minutes)
    from bench import (
        compare_cold,  # Compare's first run for an indicator (bench/compare_cold.py)
        gap_time,  # the gap over time and the authority's series: their warm reruns (bench/gap_time.py)
    )

    out = markdown(table(ours, naive, floor) + gap_time.table_rows(args.quick) + compare_cold.table_rows(args.quick))
    print(out)
    from bench import kiosk_tap  # the library kiosk: tap on a ward to the area shown (bench/kiosk_tap.py)

    out += "\n\n" + kiosk_tap.main(["--taps", "2", "--settle", "3"] if args.quick else [])
    print(f"\n(measured in {time.time() - started:.0f} s{', quick run' if args.quick else ''})")
    return out


if __name__ == "__main__":
    main()
