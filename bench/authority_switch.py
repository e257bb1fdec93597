"""Switching local authority in the app: server time cold and warm, and memory with 30 authorities visited.

Run ``python -m bench.authority_switch`` after ``make national``. Each visit is one run of the city map with
``?la=<code>`` (Streamlit's AppTest, in this process: the time is the server's time to run the page, with no
network or browser). Cold is an authority's first visit (the store read, the ward table, map and tooltips
built); warm is a visit again (from ``pages/_cache.py``'s caches). Then 30 authorities are visited in turn and
the process's resident memory is printed, beside the naive variant: every cache cleared before each visit
(as an app with no cache would do: every visit reads the store and builds everything again).
"""

from __future__ import annotations

import argparse
import gc
import os
import statistics
import time
from pathlib import Path

import psutil

APP = str(Path(__file__).resolve().parent.parent / "streamlit_app.py")


def rss_mb() -> float:
    gc.collect()
    return psutil.Process().memory_info().rss / 2**20


def visit(code: str) -> float:
    """Run the city map for ``code`` once; return the milliseconds the run took."""
    from streamlit.testing.v1 import AppTest

    at = AppTest.from_file(APP, default_timeout=300)
    at.query_params["la"] = code
    start = time.perf_counter()
    at.run()
    took = (time.perf_counter() - start) * 1000
    if at.exception or at.error:
        raise SystemExit(f"{code}: {[e.value for e in at.error] or at.exception}")
    if "ward map" not in at.title[0].value:
        raise SystemExit(f"{code}: no ward map")
    return took


def run(variant: str, count: int) -> None:
    """Visit the authorities in this process, ``cached`` (the app) or ``naive`` (every cache cleared first)."""
    os.environ.setdefault("EXPLORER_WARM_UP", "0")
    import streamlit as st

    from explorer import paths, settings
    from explorer.pipeline.authorities import NationalStore

    def go(code: str) -> float:
        if variant == "naive":
            st.cache_resource.clear()
        return visit(code)

    default = settings.default_authority()
    codes = [c for c in NationalStore(paths.store_dir()).authorities()["code"] if c != default][:count]
    visit(default)  # modules imported, the default authority's place open: what a warmed server holds
    started = rss_mb()
    cold = [go(code) for code in codes[:5]]
    warm = [go(code) for code in codes[:5]]
    rest = [go(code) for code in codes[5:]]
    after = rss_mb()
    print(f"{variant:>6}: switch authority, city map, median of 5: cold {statistics.median(cold):5.0f} ms, "
          f"warm {statistics.median(warm):5.0f} ms | {len(codes)} authorities visited: "
          f"{(sum(cold) + sum(rest)) / 1000:5.1f} s, memory {after:4.0f} MB (+{after - started:.0f} MB over "
          "the default authority open)")


def main(argv: list[str] | None = None) -> int:
    import subprocess
    import sys

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=30, help="authorities to visit (the first N by code)")
    parser.add_argument("--variant", choices=["cached", "naive"], help="run one variant in this process")
    args = parser.parse_args(argv)
    if args.variant:
        run(args.variant, args.count)
        return 0
    from explorer import paths
    from pages import _cache as cache

    print(f"store {paths.store_dir()}; at most {cache.OPEN_PLACES} places kept open, each with its views; each "
          "variant in a fresh process")
    for variant in ("cached", "naive"):
        subprocess.run([sys.executable, "-m", "bench.authority_switch", "--variant", variant,
                        "--count", str(args.count)], check=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
