"""What "my area" and the library kiosk show for a place: four plain facts, a small map, what is near, the tap map.

The facts are the place's own where its local pack brings them (``kiosk_facts``), else the national ones
(``data/registry/kiosk_facts.csv``), filled from the figures held; the landmarks and libraries come from the pack,
and a place without them gets the map and the list alone. Every view is worked out once per place.
"""

from __future__ import annotations

import base64
from datetime import date

import pandas as pd

from explorer import paths
from explorer.models.kiosk import (
    FACT_INDICATORS_ALWAYS,
    AreaView,
    FactRow,
    NearbyView,
    Yardstick,
    area_view,
    kiosk_points,
    load_facts,
    load_landmarks,
    load_yardsticks,
    nearby_view,
)
from explorer.models.profile import profile_table
from explorer.models.profile_views import sites_near
from explorer.places import NotHeld, Place, per_place


@per_place
def facts(place: Place) -> list[FactRow]:
    """The plain-English facts: the pack's own, else the national ones. Only indicators held are kept in each."""
    path = (place.local.path("kiosk_facts.csv") if place.has("kiosk_facts")
            else paths.data_dir() / "registry" / "kiosk_facts.csv")
    return load_facts(path, place.registry, strict=place.has("kiosk_facts"))


@per_place
def yardsticks(place: Place) -> dict[str, list[Yardstick]]:
    """Fixed levels to compare figures with (the NO2 limit and guideline), by indicator: national registries."""
    return load_yardsticks(paths.data_dir() / "registry" / "yardsticks.csv", place.registry)


@per_place
def landmarks(place: Place) -> list:
    """The pack's landmarks for the kiosk map (none without them)."""
    if not place.has("kiosk_landmarks"):
        return []
    return load_landmarks(place.local.path("kiosk_landmarks.csv"), tuple(place.ward_shapes.total_bounds))


@per_place
def register(place: Place) -> pd.DataFrame:
    """The pack's register rows with the ward each lies in (empty without a register)."""
    from explorer.models.plan_views import plan

    try:
        return plan(place)[2]
    except NotHeld:
        return pd.DataFrame(columns=["name", "type", "lat", "lon", "located_ward"])


def libraries(place: Place) -> list[str]:
    """The Library rows of the register (what EXPLORER_KIOSK_LIBRARY may name)."""
    rows = register(place)
    return sorted(rows.loc[rows["type"] == "Library", "name"].astype(str)) if len(rows) else []


def library_ward(place: Place, library: str | None) -> str | None:
    """The ward the kiosk's library lies in, or None."""
    rows = register(place)
    if not library or not len(rows):
        return None
    found = rows.loc[(rows["type"] == "Library") & (rows["name"] == library), "located_ward"].dropna()
    return str(found.iloc[0]) if len(found) else None


@per_place
def tap_map(place: Place, library: str | None) -> str:
    """The kiosk's "tap your area" map document (landmarks and "You are here" where held)."""
    from explorer.models.kioskmap import kiosk_map_document

    points = kiosk_points(register(place), landmarks(place), library)
    return kiosk_map_document(place.ward_shapes, points, library_ward(place, library), place.name)


@per_place
def fact_table(place: Place, ward: str) -> pd.DataFrame:
    """The rows of a ward's profile table that the facts use (the same rows the ward profile shows)."""
    wanted = {i for fact in facts(place) for i in fact.indicators} | set(FACT_INDICATORS_ALWAYS)
    values = place.values
    values = values[values["indicator"].isin(wanted) & values["geography"].isin(["ward", "authority", "england"])]
    return profile_table(ward, {k: v for k, v in place.registry.items() if k in wanted}, values)


@per_place
def area_svg(place: Place, ward: str) -> str:
    """The small map of the authority with one ward picked out, as an image address."""
    from geo.svg import svg_map

    shapes = place.ward_shapes
    fills = ["#08519c" if code == ward else "#deebf7" for code in shapes["code"]]
    drawing = svg_map(shapes, fills, list(shapes["name"]), width=460, max_height=420, label="Map")
    return "data:image/svg+xml;base64," + base64.b64encode(drawing.encode()).decode()


@per_place
def area(place: Place, ward: str, today: str) -> AreaView:
    """What "my area" says about ``ward`` on ``today`` (an ISO date): once per ward a day."""
    return area_view(place.names[ward], fact_table(place, ward), facts(place), place.registry, yardsticks(place),
                     date.fromisoformat(today), place.name)


@per_place
def nearby(place: Place, ward: str) -> NearbyView:
    """What the register lists in or within 500 m of ``ward``, in words (NotHeld without a register)."""
    return nearby_view(sites_near(place, ward, 500))


def prepare(place: Place, library: str | None, today: date) -> None:
    """Work out the tap map and every ward's "my area" for ``today`` now (the warm-up and the kiosk call this)."""
    tap_map(place, library)
    for code in place.wards["code"]:
        area(place, code, today.isoformat())
        area_svg(place, code)
        try:
            nearby(place, code)
        except NotHeld:
            pass
