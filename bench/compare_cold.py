"""Compare's first run for an indicator (cold), beside a rerun of the same view (warm).

    python -m bench.compare_cold [--store DIR] [--la CODE ...]

Each figure is the server's time to run the whole Compare page (pages/compare.py, in Streamlit's AppTest in this
process: no network or browser) opened on one indicator by its link (``?indicator=``). The authority's place is
opened first and kept (as the server keeps it), so "cold" is what a visitor's first choice of an indicator costs:
its gap groups, slope index, scatter, bivariate map, similar authorities and every table's CSV and Excel file built
for it. "Warm" is the next run of the same view, which only looks them up. Reported, never asserted: a timed test
on a shared machine would only be flaky; the browser tests wait up to ``tests/browser.DEADLINE_S`` for a run.
"""

from __future__ import annotations

import argparse
import os
import statistics
import time

from geo.errors import DataError

CODES = ("E08000026", "E08000025", "E06000052")  # Coventry (its pack), Birmingham (69 wards), Cornwall (87)


def runs(code: str, indicator: str) -> tuple[float, float]:
    """Milliseconds of the cold first run and of the warm rerun of Compare on ``indicator`` for ``code``."""
    from streamlit.testing.v1 import AppTest

    from bench.common import REPO

    at = AppTest.from_file(str(REPO / "pages" / "compare.py"), default_timeout=600)
    at.query_params.update(la=code, indicator=indicator)
    times = []
    for _ in range(2):
        start = time.perf_counter()
        at.run()
        times.append((time.perf_counter() - start) * 1000)
        if at.exception:
            raise SystemExit(f"{code} {indicator}: {at.exception[0].value}")
    return times[0], times[1]


def indicators(code: str) -> list[str]:
    """The indicators Compare offers for ``code`` (those on its ward map), its place opened and kept."""
    from pages import _cache as cache

    return [ind.id for ind in cache.open_code(code).registry.values() if ind.on_ward_map]


def table_rows(quick: bool = False, codes: tuple[str, ...] = CODES) -> list[tuple[str, str, str, str, str, str]]:
    """Rows for bench/run.py's table: Compare's cold and warm run per indicator (median, max, n).

    With ``quick``, Coventry and its first 4 indicators only. A place that cannot open says why in the row.
    """
    codes = codes[:1] if quick else codes
    cold: list[float] = []
    warm: list[float] = []
    try:
        for code in codes:
            chosen = indicators(code)
            for indicator in chosen[:4] if quick else chosen:
                first, again = runs(code, indicator)
                cold.append(first)
                warm.append(again)
    except (SystemExit, RuntimeError, OSError, DataError) as exc:
        return [("Compare: first run for an indicator", "-", f"n/a ({exc})", "-", "-", "-")]
    where = f"{len(codes)} authorit{'y' if len(codes) == 1 else 'ies'}"
    return [(f"Compare: first run for an indicator (cold), {where}", "-",
             f"{statistics.median(cold):.0f} ms (max {max(cold):.0f}, n={len(cold)})",
             f"warm rerun {statistics.median(warm):.0f} ms (max {max(warm):.0f})",
             f"{statistics.median(cold) / statistics.median(warm):.1f}x" if statistics.median(warm) else "n/a",
             "-")]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--store", default="", help="national store folder (default: the app's)")
    parser.add_argument("--la", nargs="+", default=list(CODES))
    args = parser.parse_args(argv)
    if args.store:
        os.environ["EXPLORER_STORE_DIR"] = args.store
    print(f"{'authority':10} {'indicator':28} {'cold ms':>8} {'warm ms':>8}")
    cold = []
    for code in args.la:
        for indicator in indicators(code):
            first, again = runs(code, indicator)
            cold.append(first)
            print(f"{code:10} {indicator:28} {first:8.0f} {again:8.0f}")
    print(f"cold: median {statistics.median(cold):.0f} ms, max {max(cold):.0f} ms, n={len(cold)}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
