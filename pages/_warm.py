"""Warm-up at server start: fill the shared caches before the server listens, so no visitor meets a cold one.

``python -m pages._serve`` calls :func:`warm` before Streamlit's HTTP server starts. The
``st.cache_resource`` caches in ``pages/_cache.py`` belong to the process, not to a session,
so what is loaded here is what every visitor's run finds. Until the server listens its
health endpoint (``/_stcore/health``) refuses connections, so a load balancer sends no one
to a replica that is still warming. ``EXPLORER_WARM_UP=0`` turns it off (tests that need a
fast start); a broken data file is reported and skipped here, and the page shows its message.
"""

from __future__ import annotations

import ast
import importlib
import os
import resource
import sys
import time
import traceback
from collections.abc import Callable
from datetime import date
from pathlib import Path

APP = Path(__file__).resolve().parent.parent
OFF = {"0", "false", "no", "off"}


def enabled(environ=os.environ) -> bool:
    """Whether the warm-up runs (``EXPLORER_WARM_UP`` is not 0, false, no or off)."""
    return environ.get("EXPLORER_WARM_UP", "1").strip().lower() not in OFF


def page_imports() -> list[str]:
    """Every module the router and the pages import, read from their source (so a new page is covered)."""
    found: dict[str, None] = {}
    for script in [APP / "streamlit_app.py", *sorted((APP / "pages").glob("*.py"))]:
        for node in ast.walk(ast.parse(script.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                found.update(dict.fromkeys(alias.name for alias in node.names))
            elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
                found[node.module] = None
    return list(found)


def steps() -> list[tuple[str, Callable[[], object]]]:
    """What to load, in order: (what, how). Everything is from ``pages/_cache.py`` but the module imports."""
    from explorer import paths
    from pages import _cache as cache

    out: list[tuple[str, Callable[[], object]]] = [
        ("modules the pages import", lambda: [importlib.import_module(name) for name in page_imports()]),
        ("tables and layers", lambda: (
            [cache.table(f.name) for f in sorted(paths.processed_dir().glob("*.csv"))],
            [cache.layer(f.stem) for f in sorted(paths.processed_dir().glob("*.parquet"))])),
    ]
    try:
        core = cache.Core(cache.registry(), *cache.vintages(), cache.table("values.csv"), cache.table("wards.csv"),
                          cache.layer("wards"))
    except Exception as exc:  # noqa: BLE001 - every page names the broken file to its visitor; the server must start
        return [*out, ("the core data", lambda exc=exc: _raise(exc))]
    indicators = [ind for ind in core.registry.values() if ind.on_ward_map]
    for ind in indicators:
        out.append((f"ward map of {ind.id}", lambda ind=ind: _city_map(cache, core, ind)))
    out += [
        ("ward outlines and pickers", lambda: [cache.ward_outlines(), cache.picker(""),
                                               *(cache.picker(code) for code in core.codes)]),
        ("plan, register, facts", lambda: (cache.plan(), cache.lsoa_centres(), cache.kiosk_facts())),
    ]
    for code in core.codes:  # everything the ward profile shows for each ward (pages/ward_profile.py)
        out.append((f"profile of {code}", lambda code=code: (cache.profile_view(code), cache.neighbourhoods(code))))
        out.append((f"sites near {code}", lambda code=code: cache.sites_view(code, 500)))
    # The compare page's first view (its first two wards, its opening indicator in fifths), every pair of wards,
    # and each indicator's scatter; gaps and maps of other indicators are built on their first visit.
    first = cache.default_indicator()
    out += [
        ("compare: first view", lambda: (
            cache.pair_view(core.codes[0], core.codes[1]), cache.gap_view(first, 5), cache.scatter_view(first),
            cache.bivariate_view(first),
            cache.sensitivity_table(first, 5) if first in set(cache.published_gaps()["indicator"]) else None)),
        ("compare: every pair of wards", lambda: [cache.pair_view(a, b) for a in core.codes for b in core.codes]),
        ("compare: scatter of every indicator", lambda: [cache.scatter_view(ind.id) for ind in indicators]),
        ("gaps of every indicator", lambda: (cache.gap_summary(5), cache.gap_summary(10), cache.gap_table(5),
                                             cache.gap_table(10))),
        ("kiosk: the map and every ward's my area", lambda: cache.prepare_kiosk(date.today())),
        ("city series", lambda: [cache.series_view(key) for key in cache.table("city_series.csv")["series"].unique()]),
    ]
    return out


def _raise(exc: Exception) -> None:
    raise exc


def _city_map(cache, core, ind) -> None:
    """An indicator's ward layer, printed table, neighbourhood layer and city-map document.

    The document is built and keyed exactly as ``pages/city_map.py`` builds its ward map
    (no neighbourhoods shown); ``tests/test_warm.py`` checks the two stay the same.
    """
    from explorer.models.citymap import map_label
    from explorer.models.webmap import choropleth_map

    _, _, areas = cache.ward_layer(ind.id)
    cache.ward_table_html(ind.id)
    small = core.registry[ind.small_area_id]
    cache.small_view(small.id, "lsoa21" if small.geography == "grid1km" else small.geography)
    points = {key: cache.table(name) for key, name in (("tubes", "no2_tubes.csv"), ("hot_streets", "hot_streets.csv"))
              if ind.point_layer in (key, f"no2_{key}")}
    cache.static_map(("city_map", ind.id, False, tuple(points)),
                     lambda: choropleth_map(areas, core.ward_shapes.total_bounds, layer_name="Wards",
                                            names=core.ward_shapes, **points,
                                            label=map_label(cache.authority_name(), ind, None, tuple(points))))


def warm(say: Callable[[str], None] = lambda line: print(line, file=sys.stderr, flush=True)) -> dict[str, float]:
    """Run every step; a failing step is reported and skipped. Returns seconds, memory (MB) and failures."""
    from geo.errors import DataError

    before, start = _peak_mb(), time.perf_counter()
    failures = 0
    for what, how in steps():
        try:
            how()
        except Exception as exc:  # noqa: BLE001 - the page shows the same problem to its visitor, with what to do
            failures += 1
            say(f"warm-up: {what} skipped: {exc}" if isinstance(exc, DataError)
                else f"warm-up: {what} skipped:\n{traceback.format_exc()}")
    figures = {"seconds": time.perf_counter() - start, "peak_mb": _peak_mb(), "added_mb": _peak_mb() - before,
               "failures": failures}
    say(f"warm-up: {figures['seconds']:.1f} s, +{figures['added_mb']:.0f} MB (peak memory {figures['peak_mb']:.0f} MB)"
        + (f", {failures} step(s) skipped" if failures else ""))
    return figures


def _peak_mb() -> float:
    """The process's peak resident memory so far, in MB (Linux reports kilobytes)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
