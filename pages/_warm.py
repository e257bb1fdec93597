"""Warm-up: the place a visitor meets first, and its views, worked out before anyone asks for them.

``python -m pages._serve`` calls :func:`warm` before Streamlit's HTTP server starts: it opens the authority a
first visitor sees (``EXPLORER_LA``'s, else the default) through ``pages/_cache.py``, whose open places belong to
the process, not to a session, and asks the models for every view the pages open on (``explorer.models.*_views``
keep what they build in the place), so what is built here is what every visitor's run finds. Until the server
listens its health endpoint (``/_stcore/health``) refuses connections, so a load balancer sends no one to a replica
that is still warming. ``EXPLORER_WARM_UP=0`` turns it off (tests that need a fast start); a broken data file is
reported and skipped here, and the page shows its message; a part the place does not hold is said, not a fault.

:func:`warm_kiosk` is the kiosk's own: started by its first screen, it prepares every ward's "my area" in a
background thread.
"""

from __future__ import annotations

import ast
import importlib
import os
import resource
import sys
import threading
import time
import traceback
from collections.abc import Callable
from datetime import date
from pathlib import Path

APP = Path(__file__).resolve().parent.parent
OFF = {"0", "false", "no", "off"}
_KIOSK_LOCK = threading.Lock()  # one kiosk warm-up thread per place, library and day
EVERY_PAIR = 40  # wards up to which compare is warmed for every pair of them


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


def authority() -> str:
    """The authority a visitor meets first: the one EXPLORER_LA pins, else the default (as pages/_authority.py)."""
    from explorer import settings
    from explorer.models.places import choose
    from pages import _authority

    pin = os.environ.get("EXPLORER_LA", "").strip() or None
    return choose(None, pin, _authority.held(), settings.default_authority(), _authority.aliases()[0]).code


def steps() -> list[tuple[str, Callable[[], object]]]:
    """What to build, in order: (what, how). Each is the view a page asks its place for (``explorer.models``)."""
    from explorer.models import area_views, compare_views, map_views, plan_views, profile_views
    from pages import _cache as cache

    out: list[tuple[str, Callable[[], object]]] = [
        ("modules the pages import", lambda: [importlib.import_module(name) for name in page_imports()]),
    ]
    try:
        place = cache.open_code(authority())
    except Exception as exc:  # noqa: BLE001 - every page names the broken file to its visitor; the server must start
        return [*out, ("the place", lambda exc=exc: _raise(exc))]
    codes, registry = place.codes, place.registry
    indicators = [ind for ind in registry.values() if ind.on_ward_map]
    out += [(f"ward map of {ind.id}", lambda ind=ind: _city_map(place, ind)) for ind in indicators]
    out += [
        ("ward outlines and pickers", lambda: [map_views.ward_outlines(place),
                                               *(profile_views.picker(place, code) for code in codes)]),
        ("plan and register", lambda: (plan_views.plan(place), plan_views.lsoa_centres(place))),
    ]
    for code in codes:  # everything the ward profile shows for each ward (pages/ward_profile.py)
        out.append((f"profile of {code}", lambda code=code: (
            cache.charted(place, profile_views.view, code, chart="spine"), profile_views.neighbourhoods(place, code))))
        if place.has("interventions"):
            out.append((f"sites near {code}", lambda code=code: profile_views.sites(place, code, 500)))
    # The compare page's first view (its first two wards, its opening indicator in fifths), every pair of wards,
    # and each indicator's scatter; gaps and maps of other indicators are built on their first visit.
    def first() -> str:
        return compare_views.default_indicator(place)

    out += [
        ("compare: first view", lambda: (
            compare_views.pair(place, *profile_views.opening(place, 2)),
            cache.charted(place, compare_views.gap, first(), 5), cache.charted(place, compare_views.scatter, first()),
            compare_views.bivariate(place, first()))),
        ("compare: the council's published gaps", lambda: (
            compare_views.sensitivity_table(place, first(), 5)
            if place.has("published_gaps") and first() in set(compare_views.published_gaps(place)["indicator"])
            else None)),
        ("compare: pairs of wards", lambda: [compare_views.pair(place, x, y) for x, y in pairs(place)]),
        ("compare: scatter of every indicator",
         lambda: [cache.charted(place, compare_views.scatter, ind.id) for ind in indicators]),
        ("gaps of every indicator", lambda: [(compare_views.gap_summary(place, n), compare_views.gap_table(place, n))
                                             for n in (5, 10)]),
        ("compare: the authority's series over time", lambda: series_over_time(place)),
        ("kiosk: the map and every ward's my area", lambda: area_views.prepare(
            place, cache.kiosk_settings(place)[0].library, date.today())),
    ]
    if place.has("series"):
        def series() -> list:
            return [cache.charted(place, plan_views.series, key)
                    for key in place.local.table("series.csv")["series"].unique()]

        out.append(("series over time", series))
    return out


def series_over_time(place) -> object:
    """The authority's series over time, where its store holds them (a store built before them: the page says so)."""
    from explorer.models import authority_series
    from geo.errors import DataError

    try:
        return authority_series.authority_series(place)
    except DataError:
        return None


def pairs(place) -> list[tuple[str, str]]:
    """The pairs of wards compare is warmed for: every pair up to :data:`EVERY_PAIR` wards (Coventry's 18: 324).

    Beyond that (Birmingham's 69 would be 4,761 pairs, over a minute), the opening pair and every pair one choice
    away from it: a first visitor changes one ward at a time.
    """
    from explorer.models import profile_views

    codes = place.codes
    if len(codes) <= EVERY_PAIR:
        return [(a, b) for a in codes for b in codes]
    first, second = profile_views.opening(place, 2)
    return list(dict.fromkeys([(first, second), *((a, second) for a in codes), *((first, b) for b in codes)]))


def _raise(exc: Exception) -> None:
    raise exc


def _city_map(place, ind) -> None:
    """An indicator's ward layer, printed table, neighbourhood layer and map document, as pages/city_map.py asks.

    The document is asked for with the same arguments as the page's opening map (no neighbourhoods shown, the point
    layers the pack holds); ``tests/test_warm.py`` checks the page then finds it.
    """
    from explorer.models import map_views
    from explorer.places import NotHeld

    map_views.ward_layer(place, ind.id)
    map_views.ward_table_html(place, ind.id)
    geography = map_views.small_geography(place, ind.id)
    if geography in place.layers:  # else the page says its neighbourhoods are not held
        map_views.small_view(place, ind.small_area_id, geography)
    try:
        points = tuple(map_views.points(place, ind.id)) if ind.point_layer else ()
    except NotHeld:
        points = ()
    map_views.map_document_of(place, ind.id, False, points)


def warm_kiosk(place, library: str | None) -> None:
    """Work out every ward's "my area" for today once, in the background, so the first tap on a ward is quick.

    Started by the kiosk's first screen; a visitor who taps before it has finished just waits for the ward they
    chose (each view is kept in the place once built). Started once per place, library and day: the flag is kept
    in the place, so a place closed and opened again is prepared again.
    """
    from explorer.models.area_views import prepare

    today = date.today()
    flag = ("kiosk warm-up", library, today.isoformat())
    with _KIOSK_LOCK:
        if place.memo.get(flag):
            return
        place.memo[flag] = True

    def work() -> None:
        from streamlit.logger import get_logger

        log = get_logger("explorer.models.kiosk")  # Streamlit's logger: its messages reach the server log
        started = time.perf_counter()
        try:
            prepare(place, library, today)
            log.info("kiosk: every ward of %s prepared in %.1f s", place.name, time.perf_counter() - started)
        except Exception:  # noqa: BLE001 - warming is a nicety: the page computes what it needs itself
            log.exception("kiosk: preparing the wards of %s failed", place.name)
            place.memo.pop(flag, None)

    threading.Thread(target=work, name="kiosk-warm", daemon=True).start()


def warm(say: Callable[[str], None] = lambda line: print(line, file=sys.stderr, flush=True)) -> dict[str, float]:
    """Run every step; a failing step is reported and skipped. Returns seconds, memory (MB) and failures."""
    from explorer.places import NotHeld
    from geo.errors import DataError

    before, start = _peak_mb(), time.perf_counter()
    failures = 0
    for what, how in steps():
        try:
            how()
        except NotHeld as exc:  # not a fault: the page says so plainly
            say(f"warm-up: {what}: {exc}")
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
