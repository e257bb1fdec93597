"""What the ward map shows for a place: each indicator's ward layer, table, neighbourhood layer and map document.

Every view is worked out once per place (:func:`explorer.places.per_place`) and shared by every visitor: callers
must not change what they are given.
"""

from __future__ import annotations

import pandas as pd

from explorer import settings
from explorer.models.citymap import (
    MapView,
    map_label,
    missing_words,
    profile_link,
    small_area_view,
    ward_display_table,
    ward_html,
    ward_table,
    ward_view,
    whole_missing_words,
)
from explorer.models.webmap import choropleth_map, feature_collection, map_document, outline_of
from explorer.places import Place, per_place

SMALL_AREA_WORDS = {
    "lsoa21": "neighbourhoods (2021 LSOAs)",
    "lsoa11": "neighbourhoods (2011 LSOAs)",
    "msoa11": "larger neighbourhoods (MSOAs)",
}
POINT_LAYERS = {"tubes": "monitoring", "hot_streets": "points"}  # an indicator's point layer -> the pack part


@per_place
def ward_layer(place: Place, indicator: str) -> tuple[pd.DataFrame, MapView, dict]:
    """An indicator's ward table, map view (classes, tooltips) and GeoJSON with each ward's profile link."""
    ind = place.registry[indicator]
    table = ward_table(place.values, place.wards, ind, place.name)
    view = ward_view(table, ind)
    authority = None if place.code == settings.default_authority() else place.name
    links = {code: profile_link(name, authority) for code, name in zip(table["code"], table["name"], strict=True)}
    return table, view, feature_collection(place.ward_shapes, view, links)


@per_place
def ward_display(place: Place, indicator: str) -> pd.DataFrame:
    """The ward table as printed on the map page (plain names, rounded)."""
    return ward_display_table(ward_layer(place, indicator)[0], place.registry[indicator])


@per_place
def ward_table_html(place: Place, indicator: str) -> str:
    """The map page's ward table as HTML (:mod:`explorer.models.tables`)."""
    return ward_html(ward_display(place, indicator), place.registry[indicator], place.name)


def small_geography(place: Place, indicator: str) -> str:
    """The neighbourhoods an indicator's drill-down layer shows (a 1 km grid is shown on 2021 LSOAs).

    "" for a figure published for wards only: it has no neighbourhood layer (:func:`no_small_areas` says so).
    """
    small = place.registry[place.registry[indicator].small_area_id]
    if small.ward_published:
        return ""
    return "lsoa21" if small.geography == "grid1km" else small.geography


def no_small_areas(place: Place, indicator: str) -> str:
    """Why an indicator has no neighbourhood layer to show, or "" when it has one."""
    if small_geography(place, indicator):
        return ""
    return ("No neighbourhood figures: the publisher gives this figure for wards only, so only wards are "
            "shown.")


@per_place
def small_view(place: Place, indicator: str, geography: str) -> MapView:
    """The neighbourhood layer of an indicator: values, class breaks, tooltips."""
    return small_area_view(place.values, place.layer(geography), place.registry[indicator], geography)


@per_place
def ward_outlines(place: Place) -> dict:
    """GeoJSON of every ward boundary, drawn over neighbourhood layers."""
    return outline_of(place.ward_shapes)


def points(place: Place, indicator: str) -> dict[str, pd.DataFrame]:
    """The point layers an indicator is drawn with that the place's pack holds (NotHeld when it holds none)."""
    from explorer.places.pack import PARTS

    layer = place.registry[indicator].point_layer
    out = {}
    for key, part in POINT_LAYERS.items():
        if layer in (key, f"no2_{key}"):
            out[key] = place.pack(part).table(PARTS[part][0])
    return out


def point_notes(place: Place, keys: tuple[str, ...]) -> list[str]:
    """What each point layer drawn shows, in the words its pack gives (its manifest's note)."""
    return [place.local.parts[POINT_LAYERS[key]].note for key in keys if place.has(POINT_LAYERS[key])]


@per_place
def map_document_of(place: Place, indicator: str, small: bool, point_keys: tuple[str, ...]) -> str:
    """The map page's map (wards, or an indicator's neighbourhoods with ward outlines, and its point layers)."""
    ind = place.registry[indicator]
    held = points(place, indicator) if point_keys else {}
    held = {k: v for k, v in held.items() if k in point_keys}
    if small:
        geography = small_geography(place, indicator)
        shown = place.registry[ind.small_area_id]
        areas = feature_collection(place.layer(geography), small_view(place, shown.id, geography))
        outline, layer_name, words = ward_outlines(place), "Neighbourhoods", SMALL_AREA_WORDS[geography]
    else:
        shown, areas, outline, layer_name, words = ind, ward_layer(place, indicator)[2], None, "Wards", None
    return map_document(choropleth_map(areas, place.ward_shapes.total_bounds, layer_name=layer_name,
                                       outline=outline, names=place.ward_shapes,
                                       label=map_label(place.name, shown, words, tuple(held)), **held))


def ends_of(table, n: int = 3) -> list[str]:
    """The codes of the ``n`` wards with the highest and the ``n`` with the lowest values, alternately from the top.

    A map picture names them first: the reader looks for them (Birmingham's two most deprived were left unnamed).
    """
    ordered = table.dropna(subset=["value"]).sort_values(["value", "code"])["code"].tolist()
    top, bottom = ordered[::-1][:n], ordered[:n]
    return list(dict.fromkeys(code for pair in zip(top, bottom, strict=False) for code in pair))


def legend_title(shown, geography: str | None = None) -> str:
    """A map legend's heading, on the page and in its picture: the indicator shown.

    With ``geography`` (a key of :data:`SMALL_AREA_WORDS`) the neighbourhoods drawn are named too. The unit is in
    the notes under it (:func:`legend_notes`), never repeated here ("average score (score)").
    """
    return shown.label if geography is None else f"{shown.label}: {SMALL_AREA_WORDS[geography]}"


def legend_notes(place: Place, shown, point_keys: tuple[str, ...], drawn_with: str = "Leaflet") -> list[str]:
    """The lines under a map's legend: unit and direction, period, source, licence, point layers, attribution.

    ``shown`` is the indicator drawn (the neighbourhood one when neighbourhoods are shown); ``drawn_with`` names
    what drew the map (Leaflet on the page, matplotlib in a picture).
    """
    return [
        f"Unit: {shown.unit}; {shown.direction_words}.",
        f"Period: {shown.period}.",
        f"Source: {shown.source}.",
        f"Licence: {shown.licence}.",
        *point_notes(place, point_keys),
        f"Boundaries: ONS; contains OS data © Crown copyright and database right. Map drawn with {drawn_with}.",
    ]


@per_place
def map_picture(place: Place, indicator: str, small: bool, point_keys: tuple[str, ...]):
    """The map page's map as a picture (PNG and SVG): the same layer, classes, colours and points as the web map.

    See :func:`explorer.models.pictures.map_picture`. ``small`` draws the indicator's neighbourhoods with the
    ward outlines, as the page's toggle does.
    """
    from explorer.models.pictures import map_picture as draw
    from explorer.models.webmap import point_marks

    ind = place.registry[indicator]
    held = {k: v for k, v in (points(place, indicator) if point_keys else {}).items() if k in point_keys}
    if small:
        geography = small_geography(place, indicator)
        shown = place.registry[ind.small_area_id]
        frame, view, outline = place.layer(geography), small_view(place, shown.id, geography), place.ward_shapes
        where = f"{SMALL_AREA_WORDS[geography]}, with ward boundaries ({place.ward_set.label})"
    else:
        table, view, _ = ward_layer(place, indicator)
        shown, frame, outline = ind, place.ward_shapes, None
        where = place.ward_set.label
    missing = [] if small else [w for w in (whole_missing_words(table), missing_words(table).strip()) if w]
    ends = [] if small else ends_of(table)
    return draw(frame, view, title=f"{place.name}: {shown.label}", subtitle=f"{where} · {shown.period}",
                legend_title=legend_title(shown, geography if small else None),
                notes=[*legend_notes(place, shown, point_keys, "matplotlib"), *missing],
                publisher=place.publisher, outline=outline, marks=point_marks(**held), names=place.ward_shapes,
                name_first=ends)
