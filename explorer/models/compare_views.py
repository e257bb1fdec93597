"""What the compare page shows for a place: two wards, the gap, the scatter, the bivariate map and its peers.

Two wards side by side, the gap between deprived and affluent areas, the scatter, the bivariate map, and the
authority beside similar ones.

Every view is worked out once per place (:func:`explorer.places.per_place`) and shared by every visitor.
"""

from __future__ import annotations

import pandas as pd

from explorer.models import compare as pairs
from explorer.models.citymap import values_for, with_unit
from explorer.models.map_views import ward_layer, ward_outlines
from explorer.models.views import GapView, PairView, PeerView, ScatterView, gap_view, pair_view, peer_view, scatter_view
from explorer.places import Place, per_place
from explorer.stats import gaps

DEPRIVATION = "imd25_score"
PEER_GAPS = ("le_male", "le_female", "hle_male", "hle_female", "dfle_male", "dfle_female", "disability",
             "green_space_distance")


@per_place
def ward_rows(place: Place) -> dict:
    """Each ward's value and limits of every indicator, for pairing."""
    return pairs.ward_rows(place.values)


@per_place
def two_wards(place: Place, a: str, b: str) -> pd.DataFrame:
    """Every indicator for two wards side by side."""
    return pairs.two_wards(a, b, place.registry, place.values, place.names, ward_rows(place))


@per_place
def pair(place: Place, a: str, b: str) -> PairView:
    """Compare's two-ward sentence and tables."""
    return pair_view(two_wards(place, a, b), place.names[a], place.names[b])


@per_place
def default_indicator(place: Place) -> str:
    """The indicator compare opens on: an outcome, never part of the deprivation index."""
    return pairs.default_indicator(place.registry, place.values)


@per_place
def marmot_gap(place: Place, indicator: str, n: int, ordering: str | None = None):
    """Most against least deprived groups, gap, SII and RII (phe_sii) of an indicator in ``n`` groups."""
    return gaps.marmot_gap(place.registry[indicator], place.values, place.lookups, place.weights, place.registry, n,
                           ordering)


@per_place
def gap(place: Place, indicator: str, n: int) -> GapView:
    """Compare's deprived-against-affluent section for an indicator and grouping."""
    return gap_view(marmot_gap(place, indicator, n), place.registry[indicator], place.name)


@per_place
def gap_summary(place: Place, n: int) -> pd.DataFrame:
    """The gap, SII and RII of every indicator."""
    return gaps.gap_summary(place.registry, place.values, place.lookups, place.weights, n)


@per_place
def gap_table(place: Place, n: int) -> str:
    """The every-indicator gap table as HTML."""
    from explorer.models.gap_views import gap_html

    return gap_html(gap_summary(place, n), n)


@per_place
def sensitivity(place: Place, indicator: str, n: int) -> pd.DataFrame:
    """An MSOA indicator's slope index with its areas ordered by each edition of the IMD held."""
    return gaps.ordering_sensitivity(place.registry[indicator], place.values, place.lookups, place.weights,
                                     place.registry, n)


@per_place
def sensitivity_table(place: Place, indicator: str, n: int) -> str:
    """:func:`sensitivity` as an HTML table."""
    from explorer.models.gap_views import sensitivity_html

    return sensitivity_html(sensitivity(place, indicator, n), place.registry[indicator])


@per_place
def published_gaps(place: Place) -> pd.DataFrame:
    """The gaps the council publishes, quoted with their pages and periods (NotHeld without them)."""
    from explorer.pipeline.published import load_published_gaps

    return load_published_gaps(place.pack("published_gaps").path("published_gaps.csv"), set(place.registry))


@per_place
def scatter(place: Place, indicator: str) -> ScatterView:
    """The wards' deprivation against an indicator (mark the chosen wards with ``charts.with_chosen``)."""
    table = ward_layer(place, indicator)[0]
    imd = values_for(place.values, DEPRIVATION, "ward")["value"]
    points = pd.DataFrame({"name": table["name"], "x": table["code"].map(imd), "y": table["value"]})
    return scatter_view(points, place.registry[indicator], place.registry[DEPRIVATION], place.name)


@per_place
def bivariate(place: Place, indicator: str) -> tuple[str, str, str, str, str]:
    """Compare's bivariate map: document, legend (HTML), caption, what it shows, and alt text."""
    from explorer.models.webmap import bivariate_features, choropleth_map, map_document

    ind, imd = place.registry[indicator], place.registry[DEPRIVATION]
    small, shapes, areas_words, dep, other, classes = _bivariate_classes(place, indicator)
    tips = {code: f"{name}\nIMD 2025 score {with_unit(dep.get(code), imd)}\n{ind.label}: "
                  f"{with_unit(other.get(code), ind)}"
            for code, name in zip(shapes["code"], shapes["name"], strict=True)}
    document = map_document(choropleth_map(
        bivariate_features(shapes, classes["colour"], tips), place.ward_shapes.total_bounds, layer_name="Bivariate",
        outline=ward_outlines(place) if small else None,
        label=f"Bivariate map of {place.name}'s {areas_words}: IMD 2025 score and {ind.label}. How many areas fall "
              "in each pair of thirds is in the key beside the map and in What the map shows, below it."))
    caption = (f"Thirds of {place.name}'s {areas_words}, by IMD 2025 score (up) and by {ind.label} (across, "
               f"{ind.period}). The darkest corner is most deprived and worst. Numbers are areas in each cell.")
    return (document, pairs.bivariate_legend_html("IMD 2025 score", ind, classes), caption,
            pairs.bivariate_sentence(classes, ind, areas_words), f"Bivariate map of IMD 2025 score and {ind.label}")


@per_place
def _bivariate_classes(place: Place, indicator: str):
    """The bivariate map's areas and each one's pair of thirds and colour (:func:`explorer.models.compare.bivariate`).

    Neighbourhoods for a mean of small-area figures, else wards. Returns (small, shapes, areas_words, deprivation
    values, the indicator's values, classes).
    """
    ind = place.registry[indicator]
    small = ind.geography in ("lsoa21", "grid1km") and ind.method == "mean"
    geography = "lsoa21" if small else "ward"
    shapes = place.layer("lsoa21") if small else place.ward_shapes
    areas_words = "neighbourhoods (2021 LSOAs)" if small else "wards"
    dep = values_for(place.values, DEPRIVATION, geography)["value"]
    other = values_for(place.values, ind.id, geography)["value"]
    classes = pairs.bivariate(dep.reindex(shapes["code"]), other.reindex(shapes["code"]), ind.polarity)
    return small, shapes, areas_words, dep, other, classes


def bivariate_view(place: Place, indicator: str):
    """The bivariate map as a :class:`~explorer.models.citymap.MapView` whose nine classes are its nine cells.

    An area's value is its cell (3 × its deprivation third + its indicator third, 0 to 8), so ``MapView.styles``
    gives it the very colour the web map's ``bivariate_features`` draws (``BIVARIATE[third][third]``); an area
    missing either figure has no data.
    """
    from explorer.models.citymap import MapView
    from explorer.stats.classify import Classes

    ind = place.registry[indicator]
    shapes, classes = _bivariate_classes(place, indicator)[1], _bivariate_classes(place, indicator)[5]
    cell = (classes["dep"] * 3 + classes["other"]).astype(float)
    cell.index = shapes["code"].to_numpy()
    ends = ("lowest", "middle", "highest") if ind.polarity == "neither" else ("best", "middle", "worst")
    cells = [(d, o) for d in range(3) for o in range(3)]
    view = Classes(bins=tuple(float(i) for i in range(9)),
                   colours=tuple(pairs.BIVARIATE[d][o] for d, o in cells),
                   labels=tuple(f"{('least', 'middle', 'most')[d]} deprived, {ends[o]}" for d, o in cells),
                   counts=tuple(int((cell == 3 * d + o).sum()) for d, o in cells), decimals=None)
    return MapView(cell, view, {})


@per_place
def bivariate_picture(place: Place, indicator: str):
    """Compare's bivariate map as a picture (PNG and SVG): the same cells and colours, its key, period and sources."""
    from explorer.models.pictures import map_picture

    ind, imd = place.registry[indicator], place.registry[DEPRIVATION]
    small, shapes, areas_words = _bivariate_classes(place, indicator)[:3]
    notes = [f"Thirds of {place.name}'s {areas_words} by IMD 2025 score (least to most deprived) and by {ind.label} "
             f"({'lowest to highest' if ind.polarity == 'neither' else 'best to worst'}); the darkest colour is most "
             "deprived and worst.",
             f"IMD 2025 score: {imd.period}; source: {imd.source}.",
             f"{ind.label}: {ind.period}; source: {ind.source}.",
             "Boundaries: ONS; contains OS data © Crown copyright and database right. Map drawn with matplotlib."]
    return map_picture(shapes, bivariate_view(place, indicator),
                       title=f"{place.name}: deprivation and {ind.label}",
                       subtitle=f"{areas_words[0].upper()}{areas_words[1:]}, {place.ward_set.label}",
                       legend_title=f"Thirds: deprivation, then {ind.label}", notes=notes,
                       publisher=place.publisher, outline=place.ward_shapes if small else None,
                       names=place.ward_shapes)


def _store(place: Place):
    """The national store's reader, or NotHeldYet while it is being prepared."""
    from explorer.places import NotHeldYet

    if place.store is None:
        raise NotHeldYet(place.code, place.name)
    return place.store


@per_place
def peers(place: Place, indicator: str) -> PeerView | None:
    """The authority's gap beside its ten most similar authorities, England and any Marmot places held.

    Marmot places are listed for an authority that is one itself. None when the indicator has no gaps; NotHeldYet
    until the national store is built.
    """
    store = _store(place)
    own = store.authorities().set_index("code").loc[place.code].to_dict()
    table = store.table("peers")
    beside = store.beside_peers(place.code, marmot=is_marmot_place(place))
    return peer_view(beside, table[table["la"] == place.code], own, indicator, place.name)


def is_marmot_place(place: Place) -> bool:
    """Whether the place is itself one of the Marmot places held (so they are set beside it)."""
    if place.store is None:
        return False
    marmot = place.store.table("marmot")
    return place.code in set(marmot.loc[marmot["authority"] != "", "authority"])


@per_place
def marmot_words(place: Place) -> str:
    """What the Marmot places listed are, that the list is incomplete, and its sources."""
    from urllib.parse import urlsplit

    places = _store(place).table("marmot")
    held = sorted(set(places.loc[places["authority"] != "", "place"]))
    sites = sorted({urlsplit(url).netloc for url in places["source_url"] if url})
    return (f"Marmot places beside {place.name}: {', '.join(held)}. This list is incomplete: it holds only the "
            "places named, with a source for each, in data/raw/national/marmot_places_PARTIAL.csv (sources: "
            f"{', '.join(sites)}); those sources speak of more than 50 Marmot places, and only single English "
            "authorities can be set beside one another here.")


@per_place
def gap_picture(place: Place, indicator: str, n: int):
    """The groups chart (each deprivation group's value and interval) as a picture, with its period and source."""
    from explorer.models.pictures import chart_picture

    ind, view = place.registry[indicator], gap(place, indicator, n)
    return chart_picture(view.chart, heading=f"{place.name}: {ind.label}, from the most to the least deprived",
                         notes=[view.paper], publisher=place.publisher)  # period, source: in the method


@per_place
def scatter_picture(place: Place, indicator: str, chosen: tuple[str, ...]):
    """The wards' scatter with the ``chosen`` wards marked, as on the page, as a picture with its sources."""
    from explorer.models.charts import with_chosen
    from explorer.models.pictures import chart_picture

    ind, view = place.registry[indicator], scatter(place, indicator)
    return chart_picture(with_chosen(view.chart, list(chosen)),
                         heading=f"{place.name}'s wards: {ind.label} against deprivation", notes=[view.paper],
                         publisher=place.publisher)
