"""What the ward profile shows for a place: each ward's table, summary, chart, neighbourhoods, sites and picker.

Every view is worked out once per place and ward (:func:`explorer.places.per_place`) and shared by every visitor.
"""

from __future__ import annotations

import pandas as pd

from explorer.models.citymap import MapView, small_area_sentence
from explorer.models.map_views import small_view
from explorer.models.places import NewWard, opening_wards
from explorer.models.places import new_wards as later_wards
from explorer.models.profile import indicator_facts, profile_table
from explorer.models.views import ProfileView, SitesView, profile_view, sites_view
from explorer.models.webmap import (
    LEGEND_CSS,
    choropleth_map,
    feature_collection,
    legend_html,
    map_document,
    outline_of,
    picker_features,
)
from explorer.places import Place, per_place

DEPRIVATION = "imd25_score"  # the index the neighbourhood map and the scatter order areas by


@per_place
def facts(place: Place) -> list:
    """Every indicator's ward figures, ranks and comparators (shared by every ward's profile)."""
    return indicator_facts(place.registry, place.values, area=place.name)


@per_place
def profile(place: Place, ward: str) -> pd.DataFrame:
    """A ward's profile table: every indicator against the authority and England."""
    return profile_table(ward, place.registry, place.values, facts=facts(place))


@per_place
def view(place: Place, ward: str) -> ProfileView:
    """What the ward profile shows for a ward: summary, spine chart, tables."""
    row = place.wards.set_index("code").loc[ward]
    return profile_view(str(row["name"]), profile(place, ward), place.registry, int(row["lsoa21_straddling"]),
                        int(row["lsoa21_count"]), place.whole)


@per_place
def opening(place: Place, n: int = 1) -> list[str]:
    """The first ``n`` wards (by name) with figures, that a page opens on."""
    return opening_wards(place.codes, place.values, n)


def new_wards(place: Place) -> dict[str, NewWard]:
    """The wards of a later set with no figures yet (a pack's newer ward set), by code; {} when none is named.

    Only a ward's name is read (the set's ``names_file`` in the pack): a missing or broken file leaves the set
    unnamed, so a link to one of its wards gets the ordinary notice.
    """
    from geo.errors import DataError
    from geo.vintages import load_ward_names

    key = ("new_wards",)
    if key not in place.memo:
        sets, current = place.ward_sets, place.ward_set
        later = sets[sets.index(current) + 1:] if current in sets else []
        try:
            names = {v.vintage: load_ward_names(v, place.local.built) for v in later
                     if not v.mappable and v.names_file and place.local is not None}
            place.memo[key] = later_wards(sets, current, names)
        except DataError:
            return {}
    return place.memo[key]


@per_place
def neighbourhoods(place: Place, ward: str) -> tuple[str, str, str]:
    """A ward's neighbourhood map (HTML document), its legend (HTML) and what it shows."""
    wards, lsoas = place.ward_shapes, place.layer("lsoa21")
    lookups = place.lookups
    in_ward = lookups[(lookups["geography"] == "lsoa21") & (lookups["ward"] == ward)]
    imd = place.registry[DEPRIVATION]
    whole = small_view(place, imd.id, "lsoa21")
    mine = lsoas[lsoas["code"].isin(in_ward["lsoa"])]
    name = place.names[ward]
    document = map_document(choropleth_map(
        feature_collection(mine, whole), mine.total_bounds, layer_name="Neighbourhoods",
        outline=outline_of(wards[wards["code"] == ward]),
        label=f"Map of the neighbourhoods of {name} by {imd.label}. Their range is in What the map shows, below "
              "the map."))
    legend = LEGEND_CSS + legend_html(f"{imd.label}: neighbourhoods", whole, [
        f"Classes are the same for all of {place.name}, so wards can be compared; darker = more deprived.",
        f"Period: {imd.period}. Source: {imd.source}.",
        "Neighbourhoods are assigned to the ward holding most of their output areas.",
    ])
    shared = int(in_ward["straddles"].sum())
    sentence = small_area_sentence(MapView(whole.values.reindex(mine["code"]), whole.classes, {}),
                                   mine.set_index("code")["name"], imd, "neighbourhoods of this ward") + " " + (
        "None of them has homes in another ward." if shared == 0
        else f"{shared} of them also {'has' if shared == 1 else 'have'} homes in another ward.")
    return document, legend, sentence


@per_place
def picker(place: Place, selected: str) -> dict:
    """GeoJSON of the wards as clickable shapes with ``selected`` dark."""
    return picker_features(place.ward_shapes, selected)


@per_place
def sites_near(place: Place, ward: str, metres: float = 500) -> pd.DataFrame:
    """Register rows in or within ``metres`` of a ward (NotHeld when the pack has no register)."""
    from explorer.models.plan_views import register
    from explorer.pipeline.interventions import sites_near as near

    wards = place.ward_shapes
    return near(register(place)[0], ward, wards[wards["code"] == ward], metres)


@per_place
def sites(place: Place, ward: str, metres: float = 500) -> SitesView:
    """The sentence and list of sites in or near a ward."""
    return sites_view(sites_near(place, ward, metres), place.names[ward])


@per_place
def spine_picture(place: Place, ward: str):
    """A ward's spine chart as a picture (PNG and SVG): how to read it, and each figure's period and source under it.

    Figures sharing a period and source are listed together, so the notes stay short.
    """
    from explorer.models.pictures import chart_picture

    table, shown = profile(place, ward), view(place, ward)
    name = str(place.wards.set_index("code").loc[ward, "name"])
    grouped = table.groupby(["period", "source"], sort=False)["label"].apply(list)
    sources = [f"{', '.join(labels)}: {period}; source: {source}." for (period, source), labels in grouped.items()]
    how = (f"Each line runs from {place.name}'s worst ward (left) to its best (right); the darker band holds the "
           f"middle half of wards; the dashed line is {place.name}; the marker is {name}.")
    return chart_picture(shown.spine, heading=f"{name} ward, {place.name}: how it compares", notes=[how, *sources],
                         publisher=place.publisher)
