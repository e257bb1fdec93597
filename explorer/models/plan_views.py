"""What the priorities page shows for a place: its plan and register (from its local pack) and its series over time.

A place whose pack holds no plan is shown the national themes grouped by Marmot's eight principles
(``data/registry/marmot_themes.csv``), each with the indicators held for it; a place without a register is shown
where the need is, and no provision.

Every view is worked out once per place (:func:`explorer.places.per_place`) and shared by every visitor.
"""

from __future__ import annotations

import dataclasses

import pandas as pd

from explorer import paths
from explorer.models.known import known
from explorer.models.views import SeriesView, series_view
from explorer.places import Place, per_place


@per_place
def principles(place: Place) -> dict[int, str]:
    """Marmot's eight principles by number (a national registry: the same for every place)."""
    from explorer.pipeline.priorities import load_principles

    return load_principles(paths.data_dir() / "registry" / "marmot_principles.csv")


@per_place
def priorities(place: Place) -> list:
    """The pack's plan priorities; without a plan, the national themes by Marmot principle.

    Each names only the indicators held for the place: a national theme the plan names (the child-poverty rate)
    is held only once the national store is in, and a principle none measures keeps none (the page says so).
    """
    from explorer.pipeline.priorities import NAME, THEMES, load_priorities

    path, label = ((place.pack("plan").path("priorities.csv"), NAME) if place.has("plan")
                   else (paths.data_dir() / "registry" / "marmot_themes.csv", THEMES))
    return [dataclasses.replace(p, indicators=tuple(i for i in p.indicators if i in place.registry))
            for p in load_priorities(path, known(place), label=label)]


def plan_title(place: Place) -> str:
    """What the page's choice is called: the pack's plan's title, else the Marmot principles'."""
    return (place.local.parts["plan"].title or "Plan") if place.has("plan") else "Theme (Marmot's eight principles)"


@per_place
def register(place: Place) -> tuple[pd.DataFrame, list[str]]:
    """The pack's valid register rows and a message for each row set aside (NotHeld when it holds no register).

    Each row carries the ward it lies in (``located_ward``; none outside the authority) and ``inside``. Its rows
    name the plan's priorities where the pack holds a plan, and none where it holds no plan.
    """
    from explorer.pipeline.interventions import load_register
    from geo.points import ward_of

    ids = {p.id for p in priorities(place)} if place.has("plan") else None
    found = load_register(place.pack("interventions").path("interventions.csv"), ids, set(place.wards["code"]),
                          area=place.name)
    rows = found.rows
    if len(rows):
        at_points = rows["location"] != "ward"
        rows["located_ward"] = rows["ward"]
        rows.loc[at_points, "located_ward"] = ward_of(rows.loc[at_points, "lat"], rows.loc[at_points, "lon"],
                                                     place.ward_shapes)
        rows["inside"] = rows["located_ward"].notna()
    return rows, found.problems


@per_place
def plan(place: Place) -> tuple[list, dict[int, str], pd.DataFrame | None, list[str]]:
    """The priorities (:func:`priorities`), Marmot's principles, the register and what was set aside.

    The register is the pack's valid rows, or None when it holds no register; a message for each row set aside.
    """
    rows, problems = register(place) if place.has("interventions") else (None, [])
    return priorities(place), principles(place), rows, problems


@per_place
def lsoa_centres(place: Place) -> pd.DataFrame:
    """A point inside each 2021 LSOA, in British National Grid."""
    from geo.points import centres

    return centres(place.layer("lsoa21"))


@per_place
def series(place: Place, series_id: str) -> SeriesView | None:
    """A series over time's chart, table and words (None when it has no rows). NotHeld without the pack's series."""
    table = place.pack("series").table("series.csv")
    paired = (table.loc[table["series"] == series_id, "change_rule"] == "paired").any()
    readings = place.pack("monitoring").table("monitoring_readings.csv") if paired else None
    milestones = place.local.milestones or ((int(place.local.as_of("plan") or 0), "the plan's start"),)
    return series_view(table, series_id, readings, own=place.name, since=milestones)


@per_place
def series_picture(place: Place, series_id: str):
    """A series' chart as a picture (PNG and SVG), from the very spec the page draws, with its source and period.

    None when the series has no rows (as :func:`series`).
    """
    from explorer.models.pictures import chart_picture

    view = series(place, series_id)
    if view is None:
        return None
    return chart_picture(view.chart, heading=f"{place.name}: {view.title}", notes=[view.caption],
                         publisher=place.publisher)
