"""What the embed page (``/embed``) shows: one view of any authority for another site's page, and its iframe code.

A council, a newspaper or a charity puts one view on its own page with an ``<iframe>``:

- ``view=map``: the ward map of any indicator on the ward map, with its legend, period, source and attribution;
- ``view=card``: one ward's summary card (the profile's plain sentences, and the period and source of each figure);
- ``view=gap``: the gap chart between the most and least deprived fifths (compare's chart and its method).

``la`` names the authority (code or name, as anywhere in the app), ``indicator`` an indicator's id or name and
``ward`` a ward's name or code. Whatever is missing or cannot be read is said in plain words and a useful view is
shown instead (:func:`read_request`); what was asked is quoted only as plain text (:func:`explorer.models.places.
shown_as`), never made a link. Every link this module writes (the full app's view, the embed's own address) is
built from the resolved authority, indicator and ward, never from the raw address.

Every view is worked out once per place (:func:`explorer.places.per_place`) and shared by every visitor.
"""

from __future__ import annotations

import html
from collections.abc import Mapping
from dataclasses import dataclass
from urllib.parse import urlencode

from explorer.models import compare_views, map_views, profile_views
from explorer.models.charts import lines
from explorer.models.citymap import summary_sentence
from explorer.models.places import shown_as
from explorer.models.webmap import LEGEND_CSS, choropleth_map, feature_collection, legend_html, map_document
from explorer.places import Place, per_place
from explorer.stats.gaps import no_gap_reason
from geo.names import resolve

PATH = "/embed"
VIEWS = {"map": "ward map", "card": "ward summary card", "gap": "gap chart"}
DEFAULT_VIEW = "map"
# Height (CSS px) of the iframe the "Embed this" box gives: at 600 px wide it shows the heading, period and source,
# the map, card or chart, and the link to the explorer without scrolling; the words that follow (what the map or
# chart shows, the method) scroll inside the frame, as everything does in a narrower one.
HEIGHTS = {"map": 760, "card": 860, "gap": 780}
MAX_WIDTH = 1200  # px: the widest the views are drawn for
NARROW_TITLE_CHARS = 32  # an axis title's line that fits a chart 270 px wide (13 px text)
MAP_HEIGHT = 380  # px: the map inside the embed
ATTRIBUTION = "Boundaries: ONS; contains OS data © Crown copyright and database right. Map drawn with Leaflet."
APP_NAME = "Ward inequality explorer"
# The full app's page for each view.
APP_PAGES = {"map": "/city_map", "card": "/ward_profile", "gap": "/compare"}


@dataclass(frozen=True)
class Request:
    """An embed request, read: the view, the indicator id and ward code to show, and what was wrong with the link.

    ``indicator`` is set for the map and the gap, ``ward`` for the card; ``notices`` are plain sentences (no
    markup) that quote what was asked only through :func:`shown_as`.
    """

    view: str
    indicator: str | None
    ward: str | None
    notices: tuple[str, ...]


def read_view(asked: str | None) -> tuple[str, list[str]]:
    """The view ``?view=`` names (``map``, ``card`` or ``gap``, any case), else the map with a notice.

    Examples
    --------
    >>> read_view("CARD")
    ('card', [])
    >>> read_view("chart")[0]
    'map'
    """
    if asked is None:
        return DEFAULT_VIEW, ["The link names no view (view=map, card or gap), so the ward map is shown."]
    view = asked.strip().lower()
    if view in VIEWS:
        return view, []
    return DEFAULT_VIEW, [f"The link asked for the view “{shown_as(asked)}”, which is not one this page shows "
                          "(map, card or gap); the ward map is shown instead."]


def map_indicators(place: Place) -> dict[str, str]:
    """The indicators a ward map can show, id to name (the ward map's own list)."""
    return {ind.id: ind.label for ind in place.registry.values() if ind.on_ward_map}


def gap_indicators(place: Place) -> dict[str, str]:
    """The indicators a gap chart can be drawn for (:func:`explorer.stats.gaps.no_gap_reason` gives none)."""
    return {key: label for key, label in map_indicators(place).items() if not no_gap_reason(place.registry[key])}


def read_request(place: Place, params: Mapping[str, str]) -> Request:
    """Read ``view``, ``indicator`` and ``ward`` from an address's parameters, for ``place``.

    A missing or unknown indicator gives the indicator Compare opens on (an outcome, never the deprivation index
    against itself); a missing or unknown ward (or one with no figures) the first ward with figures. Each
    replacement is said in a notice.
    """
    view, notices = read_view(params.get("view"))
    indicator = ward = None
    if view in ("map", "gap"):
        choices = map_indicators(place) if view == "map" else gap_indicators(place)
        fallback = compare_views.default_indicator(place)
        asked = params.get("indicator")
        indicator = resolve(asked, choices) if asked is not None else None
        if indicator is None:
            said = place.registry[fallback].label
            if asked is None:
                notices.append(f"The link names no indicator, so {said} is shown.")
            elif resolve(asked, map_indicators(place)) is not None:
                why = no_gap_reason(place.registry[resolve(asked, map_indicators(place))])
                notices.append(f"No gap chart is drawn for {choices.get(asked) or shown_as(asked)}: {why} "
                               f"{said} is shown instead.")
            else:
                notices.append(f"The link asked for the indicator “{shown_as(asked)}”, which {place.name}'s "
                               f"{VIEWS[view]} does not hold; {said} is shown instead.")
            indicator = fallback
    else:
        asked = params.get("ward")
        first = profile_views.opening(place)[0]
        ward = resolve(asked, place.names) if asked is not None else None
        if ward is not None and profile_views.profile(place, ward).empty:
            notices.append(f"No figures are held for {place.names[ward]}: none of {place.name}'s neighbourhoods is "
                           f"assigned to it by ONS's best fit. {place.names[first]} is shown instead.")
            ward = first
        elif ward is None:
            notices.append(f"The link names no ward, so {place.names[first]} is shown." if asked is None else
                           f"The link asked for the ward “{shown_as(asked)}”, which is not one of {place.name}'s "
                           f"wards ({place.ward_set.label}); {place.names[first]} is shown instead.")
            ward = first
    return Request(view, indicator, ward, tuple(notices))


def query(place: Place, request: Request) -> dict[str, str]:
    """The parameters that name a view: ``la`` (the authority's name), then ``indicator`` or ``ward`` (its name)."""
    out = {"la": place.name}
    if request.indicator is not None:
        out["indicator"] = request.indicator
    if request.ward is not None:
        out["ward"] = place.names[request.ward]
    return out


def app_link(place: Place, request: Request) -> str:
    """The same view in the full app, as a path on this server.

    Examples (for Coventry: ``/city_map?la=Coventry&indicator=le_male``, ``/ward_profile?la=Coventry&ward=Foleshill``,
    ``/compare?la=Coventry&indicator=le_male``).
    """
    return f"{APP_PAGES[request.view]}?{urlencode(query(place, request))}"


def embed_path(place: Place, request: Request) -> str:
    """The embed's own address for a view, as a path on this server (``/embed?view=map&la=...``)."""
    return f"{PATH}?{urlencode({'view': request.view, **query(place, request)})}"


def title(place: Place, request: Request) -> str:
    """The view's name: the frame's ``title`` (what a screen reader announces) and the embed page's heading."""
    if request.view == "card":
        return f"{place.names[request.ward]} ward, {place.name}: summary"
    label = place.registry[request.indicator].label
    if request.view == "map":
        return f"{place.name} ward map: {label}"
    return f"{label}: the most and least deprived fifths of {place.name}"


def iframe_code(origin: str, place: Place, request: Request) -> str:
    """The ``<iframe>`` code that puts this view on another site's page.

    ``origin`` is this server's address as the visitor reached it (``https://explorer.example.org``); the frame is
    as wide as the host page's column, up to :data:`MAX_WIDTH`, :data:`HEIGHTS` tall, titled for screen readers
    (WCAG 4.1.2), and ``?embed=true`` asks Streamlit for its bare layout.

    Examples
    --------
    The code has the shape ``<iframe src="https://host/embed?view=map&amp;la=...&amp;embed=true" title="..."
    width="100%" height="720" style="border:0;max-width:1200px" loading="lazy"></iframe>``.
    """
    src = f"{origin.rstrip('/')}{embed_path(place, request)}&embed=true"
    return (f'<iframe src="{html.escape(src)}" title="{html.escape(title(place, request))}" width="100%" '
            f'height="{HEIGHTS[request.view]}" style="border:0;max-width:{MAX_WIDTH}px" loading="lazy"></iframe>')


def embed_box_words() -> str:
    """What the "Embed this" box says above its code."""
    return ("Copy this code into your own web page to show this view there, kept up to date by this explorer. "
            "It fills the width of your page's column (up to 1,200 pixels); change the height if you need to. "
            "The view names its period and source and links back here.")


def footer(sources: list[str]) -> str:
    """The line under every view: its period and source, and the explorer's name (plain text)."""
    return " ".join([*sources, f"From the {APP_NAME}."])


@dataclass(frozen=True)
class MapEmbed:
    """The embedded ward map: its document, legend (HTML, escaped), what it shows, its name and its source line.

    The period and source go under the view's heading, above the map, so a short frame still shows them.
    """

    document: str
    legend: str
    words: str
    label: str
    sources: str


@per_place
def map_embed(place: Place, indicator: str) -> MapEmbed:
    """A ward map for the embed: the ward map page's classes and colours, with no links out of the frame.

    The ward map's popups open a ward's profile in the app's window; inside another site's page that would load
    the full app inside the frame, so the embedded map has tooltips only, and one "Open in the explorer" link
    beside it leaves the frame.
    """
    ind = place.registry[indicator]
    table, view, _areas = map_views.ward_layer(place, indicator)
    label = (f"Map of {place.name}'s wards: {ind.label}. What the map shows is written under it; every ward's "
             "figure is in the explorer, opened by the link under the map.")
    document = map_document(choropleth_map(feature_collection(place.ward_shapes, view), place.ward_shapes.total_bounds,
                                           layer_name="Wards", names=place.ward_shapes, label=label))
    sources = (f"Period: {ind.period}. Source: {ind.source}. Licence: {ind.licence}. {ATTRIBUTION}")
    legend = LEGEND_CSS + legend_html(ind.label, view, [f"Unit: {ind.unit}; {ind.direction_words}."])
    return MapEmbed(document, legend, summary_sentence(table, ind), label, sources)


@dataclass(frozen=True)
class CardEmbed:
    """A ward's summary card: its heading, residents line, plain sentences and each figure's period and source."""

    heading: str
    about: str
    sentences: tuple[str, ...]
    sources: tuple[str, ...]


# The figures a card's sentences are made from (explorer.models.profile.summary), whose period and source it lists.
CARD_FIGURES = ("imd25_score", "imd25_pct_d1", "le_male", "le_female")


@per_place
def card_embed(place: Place, ward: str) -> CardEmbed:
    """A ward's card: the profile's summary sentences, with the period and source of every figure they use.

    The sentences are the ward profile's own (:func:`explorer.models.profile.summary`); the figures beyond
    deprivation and life expectancy that they may name are listed with their period and source too.
    """
    row = place.wards.set_index("code").loc[ward]
    view = profile_views.view(place, ward)
    table = profile_views.profile(place, ward)
    said = " ".join(view.sentences)
    used = table[table["id"].isin(CARD_FIGURES) | table["label"].map(
        lambda label: label[:1].lower() + label[1:] in said or label in said)]
    sources = tuple(f"{r.label}: {r.period}; source {r.source}." for r in used.itertuples())
    about = (f"{place.ward_set.label}: ward {ward}. {int(row['population_census2021']):,} residents (Census 2021).")
    return CardEmbed(f"{row['name']}, {place.name}", about, tuple(view.sentences), sources)


def gap_sources(place: Place, indicator: str) -> str:
    """The gap chart's period and source line."""
    ind = place.registry[indicator]
    return f"Period: {ind.period}. Source: {ind.source}. Licence: {ind.licence}."


def fitted(chart: dict, chars: int = NARROW_TITLE_CHARS) -> dict:
    """A copy of a Vega-Lite chart that fits a frame 300 px wide: its x axis title in lines of ``chars`` at most.

    The gap chart's axis title ("Fifths of residents: 1 = most deprived, 5 = least deprived") is written in lines
    of 60 characters for the app's pages; a 60-character line is wider than a 300 px frame, and the chart was then
    drawn wider than its frame and cut at both edges. The shared chart is not changed (other visitors' pages use
    it).
    """
    encoding = chart.get("encoding", {})
    x = encoding.get("x", {})
    if "title" not in x or x["title"] is None:
        return chart
    words = " ".join(x["title"]) if isinstance(x["title"], list) else str(x["title"])
    return {**chart, "encoding": {**encoding, "x": {**x, "title": lines(words, chars)}}}
