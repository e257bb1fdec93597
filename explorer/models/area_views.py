"""What "my area" and the library kiosk show for a place: four plain facts, a small map, what is near, the tap map.

Every authority has them. The facts are the place's own where its local pack brings them (``kiosk_facts``), else
the national ones (``data/registry/kiosk_facts.csv``), filled from the figures held for it: a fact whose figures
are not held for the authority says so. The landmarks, libraries and "what is being done near here" come from the
pack's register and landmarks, and a place without them gets the map and the list alone, told plainly what is not
held. Postcode search is the pack's (``place.has("postcodes")``). Every view is worked out once per place
(:func:`explorer.places.per_place`) and shared by every visitor.
"""

from __future__ import annotations

import base64
from datetime import date

import pandas as pd

from explorer import paths
from explorer.models.kiosk.facts import FACT_INDICATORS_ALWAYS, FactRow, load_facts
from explorer.models.kiosk.landmarks import kiosk_points, load_landmarks, map_key_words
from explorer.models.kiosk.nearby import NearbyView, nearby_view
from explorer.models.kiosk.views import AreaView, area_view
from explorer.models.kiosk.yardsticks import Yardstick, load_yardsticks
from explorer.models.known import known
from explorer.models.profile import profile_table
from explorer.models.profile_views import sites_near
from explorer.places import NotHeld, Place, per_place
from geo.errors import DataError
from geo.maplabels import MapPoint

NEAR_METRES = 500  # "in or near" a ward: within this distance of its edge
SHOWN = ("ward", "authority", "authority_computed", "england")  # the rows a fact is filled from


@per_place
def facts(place: Place) -> list[FactRow]:
    """The plain-English facts: the pack's own (naming only indicators held for it), else the national ones."""
    if place.has("kiosk_facts"):
        return load_facts(place.local.path("kiosk_facts.csv"), place.registry)
    return load_facts(paths.data_dir() / "registry" / "kiosk_facts.csv", known(place))


@per_place
def yardsticks(place: Place) -> dict[str, list[Yardstick]]:
    """Fixed levels to compare figures with (the NO2 limit and guideline), by indicator: a national registry."""
    return load_yardsticks(paths.data_dir() / "registry" / "yardsticks.csv", known(place))


@per_place
def landmarks(place: Place) -> list[MapPoint]:
    """The pack's landmarks for the kiosk map (none without them)."""
    if not place.has("kiosk_landmarks"):
        return []
    return load_landmarks(place.local.path("kiosk_landmarks.csv"), tuple(place.ward_shapes.total_bounds))


@per_place
def register(place: Place) -> pd.DataFrame:
    """The pack's register rows with the ward each lies in (no rows without a register)."""
    from explorer.models.plan_views import register as held

    try:
        return held(place)[0]  # a pack with a register and no plan still lists its sites
    except NotHeld:
        return pd.DataFrame(columns=["name", "type", "lat", "lon", "located_ward"])


def libraries(place: Place) -> list[str]:
    """The Library rows of the register (what EXPLORER_KIOSK_LIBRARY may name)."""
    rows = register(place)
    return sorted(rows.loc[rows["type"] == "Library", "name"].astype(str)) if len(rows) else []


def library_setting(place: Place) -> tuple[list[str], str]:
    """The libraries EXPLORER_KIOSK_LIBRARY may name, and where they come from, in words for staff."""
    if not place.has("interventions"):
        why = "its local pack holds none" if place.local is not None else f"{place.name} has no local pack"
        return [], f"{place.name}'s register of sites, which is not held ({why})"
    where = f"{place.name}'s register of sites ({place.local.path('interventions.csv')})"
    try:
        return libraries(place), where
    except DataError as exc:
        return [], f"{where}, which could not be read: {exc}"


def library_ward(place: Place, library: str | None) -> str | None:
    """The ward the kiosk's library lies in, or None."""
    rows = register(place)
    if not library or not len(rows):
        return None
    found = rows.loc[(rows["type"] == "Library") & (rows["name"] == library), "located_ward"].dropna()
    return str(found.iloc[0]) if len(found) else None


def banner(place: Place) -> str:
    """The kiosk's title bar: "Coventry: your area in numbers"."""
    return f"{place.name}: your area in numbers"


def whole_words(place: Place) -> str:
    """The words on the map's button that shows the whole authority: "Whole city" where its pack says it is one."""
    return f"Whole {place.area_word}" if place.area_word else f"All of {place.name}"


def invitation(place: Place) -> str:
    """The attract screen's words: what the kiosk tells about, from the facts and the register held."""
    topics = [fact.heading.lower() for fact in facts(place) if any(i in place.registry for i in fact.indicators)]
    if place.has("interventions"):
        topics.append("what is being done near you")
    listed = ", ".join(topics[:-1]) + f"{',' if len(topics) > 2 else ''} and {topics[-1]}" if len(topics) > 1 \
        else "".join(topics)
    return f"Find out about life where you live in {place.name}" + (f": {listed}." if listed else ".")


def tap_points(place: Place, library: str | None) -> list[MapPoint]:
    """Everything the tap map marks: the register's libraries and family hubs, the pack's landmarks, "You are here"."""
    return kiosk_points(register(place), landmarks(place), library)


@per_place
def tap_map(place: Place, library: str | None) -> str:
    """The kiosk's "tap your area" map document (landmarks and "You are here" where held)."""
    from explorer.models.kioskmap import kiosk_map_document

    return kiosk_map_document(place.ward_shapes, tap_points(place, library), library_ward(place, library),
                              place.name, whole_words(place))


@per_place
def tap_words(place: Place, library: str | None) -> str:
    """How to use the tap map, and what its symbols mean, in plain words (after "Tap your area.")."""
    here = " The red dot is this library." if library_ward(place, library) else ""
    key = map_key_words(tap_points(place, library))
    if not key:
        held = "its local pack holds none" if place.local is not None else f"{place.name} has no local pack"
        key = f"Libraries and other places are not marked: they are not held ({held})."
    whole = f"see all of {place.name}" if place.area_word else "see every ward again"
    return f"Use + and − to zoom, and {whole_words(place)} to {whole}.{here} {key}"


@per_place
def fact_table(place: Place, ward: str) -> pd.DataFrame:
    """The rows of a ward's profile table that the facts use (the same rows the ward profile shows).

    The same :func:`explorer.models.profile.profile_table` as the ward profile, given only the indicators the
    facts use (each indicator is ranked on its own, so the rows are identical and about five times quicker).
    """
    wanted = {i for fact in facts(place) for i in fact.indicators} | set(FACT_INDICATORS_ALWAYS)
    values = place.values
    values = values[values["indicator"].isin(wanted) & values["geography"].isin(SHOWN)]
    return profile_table(ward, {k: v for k, v in place.registry.items() if k in wanted}, values)


@per_place
def area_svg(place: Place, ward: str) -> str:
    """The small map of the authority with one ward picked out, as an image address.

    An image is drawn by the browser at once; the same SVG as Markdown took the page noticeably longer.
    """
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
    place.pack("interventions")  # NotHeld names the register, not the plan its rows are checked against
    return nearby_view(sites_near(place, ward, NEAR_METRES))


def prepare(place: Place, library: str | None, today: date) -> None:
    """Work out the tap map and every ward's "my area" for ``today`` now (the warm-up and the kiosk call this)."""
    tap_map(place, library)
    tap_words(place, library)
    for code in place.wards["code"]:
        area(place, code, today.isoformat())
        area_svg(place, code)
        try:
            nearby(place, code)
        except NotHeld:
            pass  # said plainly on the page
