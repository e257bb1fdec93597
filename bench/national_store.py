"""Reading the national store one authority at a time: size on disk, time and memory, cold and warm.

Run ``python -m bench.national_store`` after ``make national``. Prints the store's size, the time and
resident memory to read one authority with a new reader (cold: nothing cached in the process; the files
may be in the operating system's cache) and again (warm: from the reader's lru_cache), then the same for
30 authorities (the first 30 codes, with a cache of 30), beside the naive way: reading whole files and
filtering in pandas.
"""

from __future__ import annotations

import argparse
import gc
import time
from pathlib import Path

import geopandas as gpd
import pandas as pd
import psutil

from explorer.paths import store_dir
from explorer.pipeline.authorities import NationalStore


def rss_mb() -> float:
    gc.collect()
    return psutil.Process().memory_info().rss / 2**20


def timed(fn):
    start = time.perf_counter()
    out = fn()
    return out, (time.perf_counter() - start) * 1000


def naive(folder: Path, code: str) -> None:
    values = pd.read_parquet(folder / "values.parquet")
    values[values["la"].isin([code, "E92000001"])]
    for layer in ("wards", "lsoa21", "msoa11"):
        frame = gpd.read_parquet(folder / f"{layer}.parquet")
        frame[frame["la"] == code]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--store", type=Path, default=store_dir())
    parser.add_argument("--code", default="E08000026")
    args = parser.parse_args(argv)
    size = sum(p.stat().st_size for p in args.store.iterdir())
    print(f"store {args.store}: {size / 2**20:.1f} MB on disk")
    base = rss_mb()
    store = NationalStore(args.store, cache_size=30)
    store.authorities()
    _, cold = timed(lambda: store.authority(args.code))
    one = rss_mb()
    _, warm = timed(lambda: store.authority(args.code))
    print(f"one authority ({args.code}): cold {cold:.0f} ms, warm {warm:.3f} ms, memory +{one - base:.0f} MB")
    _, slow = timed(lambda: naive(args.store, args.code))
    print(f"naive (whole files, filtered in pandas): {slow:.0f} ms")
    codes = list(store.authorities()["code"][:30])
    _, cold30 = timed(lambda: [store.authority(c) for c in codes])
    thirty = rss_mb()
    _, warm30 = timed(lambda: [store.authority(c) for c in codes])
    print(f"30 authorities: cold {cold30:.0f} ms ({cold30 / 30:.0f} ms each), warm {warm30:.2f} ms, "
          f"memory +{thirty - base:.0f} MB over the reader's start ({thirty:.0f} MB resident)")
    print(f"cache: {store.cache_info()}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
