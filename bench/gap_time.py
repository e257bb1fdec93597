"""The gap-over-time section: a warm rerun, beside a naive variant that works the gaps out at render.

Run ``python -m bench.gap_time [--store DIR] [--la CODE ...]`` after ``make national``. Each figure is the server's
time to run a page holding only the "Is the gap narrowing?" section (:mod:`pages._gap_time`: the sentence, the
Vega-Lite chart, the table and both download buttons) for one series (Streamlit's AppTest, in this process: no
network or browser). Cold is the first run (the store's table read, the view and files built); warm is a rerun
(everything kept per place). The naive variant runs the same section with nothing kept, working each time's slope
index out at render from the place's own tables (phe_sii's 100,000 simulations per time), as an app without the
precomputed ``gap_series.parquet`` would have to. The budget (a warm rerun at most 100 ms) is reported, not
asserted.

The authority's own series ("<area> over time": :mod:`pages._over_time`, on Compare and under a Marmot theme) are
timed the same way, beside a naive variant that keeps nothing between reruns. ``make bench`` (bench/run.py) adds
both sections' warm reruns to its table (:func:`table_rows`).
"""

from __future__ import annotations

import argparse
import os
import statistics
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
BUDGET_MS = 100.0

FAST = f"""
import sys
sys.path.insert(0, {str(REPO)!r})
from pages import _cache as cache
from pages import _gap_time as gap_time
place = cache.place()
gap_time.show(place, place.registry[SERIES], None)
"""

NAIVE = f"""
import sys
sys.path.insert(0, {str(REPO)!r})
import streamlit as st
from explorer.models import gap_time as model
from explorer.pipeline.gap_series import authority_rows, load_series
from explorer.pipeline.inputs import Inputs
from explorer.pipeline.gap_series import read_counts
from explorer import paths
from pages import _cache as cache
place = cache.place()
place.memo.clear()  # nothing kept between runs
data = paths.data_dir()
spec = load_series(data, place.store.registry())
spec = spec[spec["series"] == SERIES]
counts = read_counts(Inputs(data), spec, place.store.registry())
core = place.store.authority(place.code)
values = core.values.assign(la=place.code)
rows = authority_rows(place.code, place.name, values, core.lookups, core.weights, core.wards.assign(la=place.code),
                      place.store.registry(), spec, counts)
import pandas as pd
frame = pd.DataFrame(rows)
st.markdown(model.sentence(frame, place.name))
st.vega_lite_chart(model.chart(frame, str(frame["unit"].iloc[0]), str(frame["label"].iloc[-1])), width="stretch")
st.html(model.table_html(frame, place.name))
"""

# The authority's own series over time ("<area> over time": life expectancy, fly-tipping, charging devices), as
# Compare and a Marmot theme show them; naive: nothing kept between reruns (the store's series joined to their
# registry rows and every chart, table and sentence made again on each run).
SERIES_FAST = f"""
import sys
sys.path.insert(0, {str(REPO)!r})
from pages import _cache as cache
from pages import _over_time
place = cache.place()
_over_time.show(place)
"""

SERIES_NAIVE = f"""
import sys
sys.path.insert(0, {str(REPO)!r})
from pages import _cache as cache
from pages import _over_time
place = cache.place()
place.memo.clear()  # nothing kept between runs
_over_time.show(place)
"""
SECTIONS = {"gap over time": (FAST, NAIVE), "authority series": (SERIES_FAST, SERIES_NAIVE)}


def run(script: str, series: str, code: str, reruns: int) -> tuple[float, list[float]]:
    """Milliseconds of the first run and of each rerun of ``script`` for ``series`` and authority ``code``."""
    from streamlit.testing.v1 import AppTest

    at = AppTest.from_string(script.replace("SERIES", repr(series)), default_timeout=300)
    at.query_params["la"] = code
    times = []
    for _ in range(reruns + 1):
        start = time.perf_counter()
        at.run()
        times.append((time.perf_counter() - start) * 1000)
        if at.exception:
            raise SystemExit(f"{code} {series}: {at.exception[0].value}")
    return times[0], times[1:]


def table_rows(quick: bool = False, codes: tuple[str, ...] = ("E08000026", "E08000025", "E06000052")
               ) -> list[tuple[str, str, str, str, str, str]]:
    """Rows for bench/run.py's table: each section's warm rerun, the app beside the naive variant.

    Each row is (figure, budget, optimised, naive, naive / optimised, budget met); the figures are the median
    warm rerun in milliseconds over every authority of ``codes`` (the app: 10 reruns each, 3 with ``quick``;
    naive: 3, 1 with ``quick``), with the slowest. A section that cannot run (no national store) says why.
    """
    codes = codes[:1] if quick else codes
    rows = []
    for section, (fast, naive) in SECTIONS.items():
        found: dict[str, list[float]] = {"app": [], "naive": []}
        words = ("'Is the gap narrowing?' (Universal Credit, 8 times)" if section == "gap over time" else
                 "'<area> over time' (4 series beside England's)")
        try:
            for code in codes:
                for series in ("uc_households",) if section == "gap over time" else ("",):
                    for name, script in (("app", fast), ("naive", naive)):
                        reruns = (3 if quick else 10) if name == "app" else (1 if quick else 3)
                        found[name] += run(script, series, code, reruns)[1]
        except (SystemExit, RuntimeError) as exc:  # the section raised: say so in the row, never a figure
            rows.append((f"Rerun: {words}", "-", f"n/a ({exc})", "-", "-", "-"))
            continue
        app, slow = statistics.median(found["app"]), statistics.median(found["naive"])
        budget = f"<= {BUDGET_MS:.0f} ms median" if section == "gap over time" else "-"
        met = ("met" if app <= BUDGET_MS else "MISSED") if section == "gap over time" else "-"
        rows.append((f"Rerun: {words}, {len(codes)} authorit{'y' if len(codes) == 1 else 'ies'}", budget,
                     f"{app:.0f} ms (max {max(found['app']):.0f}, n={len(found['app'])})",
                     f"{slow:.0f} ms (max {max(found['naive']):.0f}, n={len(found['naive'])})",
                     f"{slow / app:.1f}x" if app else "n/a", met))
    return rows


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--store", default="", help="national store folder (default: the app's)")
    parser.add_argument("--la", nargs="+", default=["E08000026", "E08000025", "E06000052"])
    parser.add_argument("--reruns", type=int, default=10)
    args = parser.parse_args(argv)
    if args.store:
        os.environ["EXPLORER_STORE_DIR"] = args.store
    print(f"{'authority':10} {'series':18} {'variant':6} {'cold ms':>8} {'warm median ms':>15} {'warm max ms':>12}")
    for code in args.la:
        for series in ("uc_households", "child_poverty_ahc"):
            for name, script in (("app", FAST), ("naive", NAIVE)):
                cold, warm = run(script, series, code, args.reruns if name == "app" else 3)
                print(f"{code:10} {series:18} {name:6} {cold:8.0f} {statistics.median(warm):15.1f} "
                      f"{max(warm):12.1f}")
    for code in args.la:
        for name, script in (("app", SERIES_FAST), ("naive", SERIES_NAIVE)):
            cold, warm = run(script, "", code, args.reruns if name == "app" else 3)
            print(f"{code:10} {'authority series':18} {name:6} {cold:8.0f} {statistics.median(warm):15.1f} "
                  f"{max(warm):12.1f}")
    print(f"Budget: a warm rerun of the app's section at most {BUDGET_MS:.0f} ms (reported, not asserted).")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
