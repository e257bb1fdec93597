"""Folium maps that draw with no internet: Leaflet is served by the app itself.

No tile layer is added (an optional basemap can be switched on where the
network allows it); areas, points and their tooltips are all drawn from the
app's own data. Tooltip text is HTML-escaped here, once.
"""

from __future__ import annotations

import html
import json
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

import folium
import geopandas as gpd
import pandas as pd
from branca.element import Element, MacroElement
from folium.template import Template

from explorer.stats.classify import NO_DATA_COLOUR
from geo.geojson import collection, geometries
from geo.maplabels import MapPoint, add_labels

if TYPE_CHECKING:
    from explorer.models.citymap import MapView

# Served by Streamlit's static file server from static/vendor (filled by `make assets`).
LEAFLET_JS = "/app/static/vendor/leaflet/leaflet.js"
LEAFLET_CSS = "/app/static/vendor/leaflet/leaflet.css"
KIOSK_KEYS_JS = "/app/static/kiosk_keys.js"  # every browser shortcut a kiosk page can cancel (also the kiosk's)
OUTLINE = "#333333"
EXCEEDS_COLOUR = "#67001f"
BELOW_COLOUR = "#ffffff"
HISTORIC_COLOUR = "#757575"  # sites no longer measured: grey dashed outline
MAX_ZOOM = 17  # street level: with no street layer, closer shows nothing more
MARGIN = 0.1  # how far past its area's box (a share of the box) a map may be moved, at most


def keep_to_area(fmap: folium.Map, bounds: Sequence[float], *, max_zoom: float = MAX_ZOOM,
                 margin: float = MARGIN) -> folium.Map:
    """Keep a map on its area, and the mouse wheel on the page until the visitor has chosen the map.

    Leaflet's ``minZoom``, ``maxZoom`` and ``maxBounds`` are set in the map's own script: folium hands
    ``min_zoom``/``max_zoom`` to a tile layer, so with ``tiles=None`` they never reach the map. Once the map has
    a size (and again whenever it changes):

    - the least zoom is the one that fits the whole area (``getBoundsZoom``), so it never zooms out past it,
      and until the visitor has touched the map a new size (a frame laid out again, a phone turned) shows the
      whole area again;
    - the most is ``max_zoom`` (or the least, for an area smaller than the screen at that zoom);
    - the view may not leave the area's box grown, on each side, by ``margin`` of its size or half the view,
      whichever is less, and by at least what the view is wider (or taller) than the box beside it (set again
      after each zoom). Leaflet lets a drag move bounds smaller than the view anywhere inside the view, so
      without that floor a view twice the box's size could be dragged until its centre left the box; with it
      the centre of the map always lies within the area's box, and a view wider than the area stays on it;
    - the wheel scrolls the page, not the map, until the map is clicked, tapped or focused, and again once
      the visitor has gone back to the page (the map's window lost focus). A wheel over the sleeping map
      says how to zoom.

    Parameters
    ----------
    fmap : folium.Map
        The map (its script runs the rules above once its other layers are made).
    bounds : sequence of float
        minx, miny, maxx, maxy of the area in lon/lat (degrees).
    max_zoom : float
        The closest zoom allowed (Leaflet zoom level).
    margin : float
        How far past the box the view may go, as a share of the box's width and height.
    """
    minx, miny, maxx, maxy = (float(v) for v in bounds)
    fmap.get_root().header.add_child(Element(MAP_CSS), name="map_css")
    _KeepToArea([[miny, minx], [maxy, maxx]], max_zoom, margin).add_to(fmap)
    return fmap


def out_of_reading_order(fmap: folium.Map, label: str) -> folium.Map:
    """Take the map's shapes, points and names out of the reading order, and name the map by its alternative.

    A screen reader would meet each shape as a focusable graphic with no role or name, in drawing order, and
    every keyboard user would Tab through all of them (203 on a neighbourhood layer) to get past the map. The
    same figures are in text beside every map (the ward table, the ward list, "What the map shows"), ordered
    and labelled, so the shapes and their tooltips are hidden from assistive technology and taken out of the
    Tab order (``aria-hidden`` panes, ``tabindex=-1``), also for layers added later. The map itself stays one
    Tab stop (Leaflet's arrow keys pan it and + and − zoom it), a region whose name (``label``) says what it
    shows and where its figures are in words. Popups (a ward's link to its profile) stay readable.
    """
    fmap.get_root().header.add_child(Element(MAP_CSS), name="map_css")
    fmap.get_root().title = html.escape(label)  # the map document's own title (see map_document for its language)
    _ReadingOrder(label).add_to(fmap)
    return fmap


# In forced colours (Windows High Contrast) the map keeps its own colours, so it still matches its key, whose
# swatches keep theirs too (LEGEND_CSS); the words around it follow the visitor's colours.
MAP_CSS = """
<style>
.leaflet-container {forced-color-adjust:none;}
.leaflet-control.wheel-hint {background:#fff; color:#000; border:2px solid #000; border-radius:4px;
  padding:4px 8px; font:600 13px/1.3 sans-serif; pointer-events:none;}
</style>
"""


class _KeepToArea(MacroElement):
    """The map's least and most zoom, its bounds and its sleeping wheel (see :func:`keep_to_area`)."""

    _template = Template("""
        {% macro script(this, kwargs) %}
        (function (map, box, most, margin) {
          var area = L.latLngBounds(box), wheel = map.scrollWheelZoom, container = map.getContainer();
          map.keepArea = area;
          var reading = false;  // a popup is open: it may pan the view past the bounds until it closes
          function bounds() {  // the centre of the map stays within the box (see keep_to_area)
            var z = map.getZoom(), size = map.getSize();
            if (!size.x || !size.y || reading) { return; }
            var nw = map.project(area.getNorthWest(), z), se = map.project(area.getSouthEast(), z);
            function pad(half, box) { return Math.max(Math.min(half, margin * box), half - box / 2); }
            var by = L.point(pad(size.x / 2, se.x - nw.x), pad(size.y / 2, se.y - nw.y));
            map.setMaxBounds(L.latLngBounds(map.unproject(nw.subtract(by), z), map.unproject(se.add(by), z)));
          }
          var touched = false;  // by the visitor: until then a new size shows the whole area again
          function limits() {
            var size = map.getSize();
            if (!size.x || !size.y) { return; }  // not on the screen yet: set when it gets a size
            map.options.minZoom = 0;  // getBoundsZoom never answers below the least zoom: a smaller box needs less
            var least = map.getBoundsZoom(area);
            map.options.minZoom = least;
            map.options.maxZoom = Math.max(most, least);
            if (!touched) { map.fitBounds(area, {animate: false}); }
            else if (map.getZoom() < least) { map.setZoom(least, {animate: false}); }
            bounds();
            map.fire("zoomlevelschange");  // the zoom buttons say whether they can zoom further
          }
          map.options.maxBoundsViscosity = 1.0;
          limits();
          map.on("zoomend", bounds);
          map.on("resize", limits);
          map.on("popupopen", function () { reading = true; map.setMaxBounds(null); });
          map.on("popupclose", function () { reading = false; bounds(); });
          var Hint = L.Control.extend({options: {position: "topright"}, onAdd: function () {
            var hint = L.DomUtil.create("div", "leaflet-control wheel-hint");
            hint.textContent = "Click the map to zoom it with the wheel, or use + and −";
            hint.hidden = true;
            return hint;
          }});
          var hint = new Hint().addTo(map).getContainer(), hide = null;
          function choose() { touched = true; wheel.enable(); hint.hidden = true; }
          wheel.disable();
          container.addEventListener("pointerdown", choose, true);
          container.addEventListener("focus", choose, true);
          window.addEventListener("blur", function () { wheel.disable(); });
          container.addEventListener("wheel", function (event) {
            if (wheel.enabled() || event.ctrlKey) { return; }
            hint.hidden = false;
            clearTimeout(hide);
            hide = setTimeout(function () { hint.hidden = true; }, 2500);
          }, {passive: true});
        })({{ this._parent.get_name() }}, {{ this.box }}, {{ this.most }}, {{ this.margin }});
        {% endmacro %}
    """)

    def __init__(self, box: list[list[float]], most: float, margin: float) -> None:
        super().__init__()
        self.box, self.most, self.margin = json.dumps(box), json.dumps(most), json.dumps(margin)


class _ReadingOrder(MacroElement):
    """Hide the map's drawing from assistive technology and the Tab order (see :func:`out_of_reading_order`)."""

    _template = Template("""
        {% macro script(this, kwargs) %}
        (function (map, label) {
          var container = map.getContainer();
          container.setAttribute("role", "region");
          container.setAttribute("aria-label", label);
          function quiet(node) {  // Leaflet makes a shape with a tooltip focusable (its focus listener)
            if (node.nodeType !== 1) { return; }
            var all = [node].concat(Array.prototype.slice.call(node.querySelectorAll("*")));
            all.forEach(function (el) {
              if (el.matches("path, .leaflet-marker-icon, [tabindex]")) { el.setAttribute("tabindex", "-1"); }
            });
          }
          function hide() {  // every pane but the popups' (a ward's link) and the one that holds them all
            var panes = map.getPanes();
            Object.keys(panes).forEach(function (name) {
              var pane = panes[name];
              if (name === "mapPane" || name === "popupPane" || pane.hasAttribute("aria-hidden")) { return; }
              pane.setAttribute("aria-hidden", "true");
              quiet(pane);
              new MutationObserver(function (changes) {
                changes.forEach(function (change) { change.addedNodes.forEach(quiet); });
              }).observe(pane, {childList: true, subtree: true});
            });
          }
          hide();
          map.on("layeradd", hide);  // a pane made later (the kiosk's names) is hidden too
        })({{ this._parent.get_name() }}, {{ this.label }});
        {% endmacro %}
    """)

    def __init__(self, label: str) -> None:
        super().__init__()
        self.label = json.dumps(label, ensure_ascii=False).replace("</", "<\\/")


class OfflineMap(folium.Map):
    """A folium Map whose only script and stylesheet are Leaflet from the app's own server."""

    default_js = [("leaflet", LEAFLET_JS)]
    default_css = [("leaflet_css", LEAFLET_CSS)]


def _collection(frame: gpd.GeoDataFrame, fills: list[str], missing: list[bool], tips: list[str],
                links: dict[str, tuple[str, str]] | None = None) -> dict:
    """GeoJSON with each area's fill colour, no-data flag, tooltip and link (plain text, escaped here)."""
    return collection(frame, [
        {"code": code, "fill": fill, "nodata": bool(gap), "tip": _escape_lines(tip.replace("\n", "<br>")),
         **({"link": _link(*links[code]) if code in links else ""} if links else {})}
        for code, fill, gap, tip in zip(frame["code"], fills, missing, tips, strict=True)
    ])


def _link(href: str, text: str) -> str:
    """A link that opens a page of this app in the app's own window (see :class:`_AppLinks`)."""
    if not href.startswith("/") or href.startswith("//"):
        raise ValueError(f"a map link must be a path on the app's own server, not {href!r}")
    return f'<a class="app-link" href="{html.escape(href)}" target="_top">{html.escape(text)}</a>'


def feature_collection(frame: gpd.GeoDataFrame, view: MapView, links: dict[str, tuple[str, str]] | None = None
                       ) -> dict:
    """GeoJSON of a layer with each feature's fill colour and escaped tooltip as properties.

    Parameters
    ----------
    frame : GeoDataFrame
        Areas with a ``code`` column, in WGS84.
    view : explorer.models.citymap.MapView
        Values, classes and tooltip text by area code.
    links : dict, optional
        Area code to ``(path, words)``: a link shown in the area's popup when it is clicked, opening
        that path of this app (for example ``/ward_profile?ward=Foleshill``). Paths only: a map link
        never leaves the app's server.
    """
    styles = view.styles(frame["code"])
    return _collection(frame, [fill for _, fill in styles], [at is None for at, _ in styles],
                       [view.tips.get(code, code) for code in frame["code"]], links)


def outline_of(frame: gpd.GeoDataFrame) -> dict:
    """GeoJSON of bare boundaries (no properties) to draw on top of another layer."""
    return {
        "type": "FeatureCollection",
        "features": [
            {"type": "Feature", "properties": {}, "geometry": geom} for geom in geometries(frame.geometry.values)
        ],
    }


@dataclass(frozen=True)
class Mark:
    """One point drawn on a map: where (degrees), its circle (radius and line width in pixels), colours, tooltip.

    ``key`` is the words its legend gives this kind of mark; ``tip`` is HTML-ish text with ``<br>`` line breaks.
    """

    lat: float
    lon: float
    radius: float
    colour: str
    weight: float
    dash: str | None
    fill: str
    fill_opacity: float
    tip: str
    key: str


def point_marks(tubes: pd.DataFrame | None = None, hot_streets: pd.DataFrame | None = None) -> dict[str, list[Mark]]:
    """The marks of a map's point layers, by layer name: how the web map and the pictures draw every point.

    NO2 diffusion tubes: measured in the newest year, a white dot with a black ring, or a large dark red one with a
    heavy ring where the reading is over the 40 µg/m³ annual objective; no longer measured, a faded grey dashed
    ring. Fly-tipping hot streets: small black dots.
    """
    out: dict[str, list[Mark]] = {}
    if tubes is not None:
        newest = tubes["latest_year"].max()
        marks = []
        for row in tubes.itertuples():
            current = row.latest_year == newest
            over = current and not pd.isna(row.latest_no2) and row.latest_no2 > 40
            reading = "no data" if pd.isna(row.latest_no2) else f"{row.latest_no2:.1f} µg/m³"
            when = (f"NO2 in {row.latest_year}: {reading}" if current
                    else f"no longer measured: last measured in {row.latest_year} ({reading} that year)")
            tip = (
                f"{row.site_name} ({row.site_type})<br>{when}"
                f"{' (over the 40 µg/m³ objective)' if over else ''}<br>"
                f"years over 40 since 2011: {row.years_over_40}"
            )
            key = (f"Tube over 40 µg/m³ in {newest}" if over else f"Tube measured in {newest}" if current
                   else "Tube no longer measured")
            marks.append(Mark(row.lat, row.lon, 8 if over else 5, "#000000" if current else HISTORIC_COLOUR,
                              3 if over else 1.5, None if current else "2 2", EXCEEDS_COLOUR if over else BELOW_COLOUR,
                              1 if current else 0.6, tip, key))
        out["NO2 diffusion tubes (roadside)"] = marks
    if hot_streets is not None:
        out["Fly-tipping hot streets"] = [
            Mark(row.lat, row.lon, 4, "#000000", 1, None, "#000000", 0.9,
                 f"{row.street}<br>fly-tipping hot street (council list published Jan 2022)", "Fly-tipping hot street")
            for row in hot_streets.itertuples()
        ]
    return out


def _style(feature: dict) -> dict:
    missing = feature["properties"]["nodata"]
    return {
        "fillColor": feature["properties"]["fill"],
        "fillOpacity": 0.85,
        "color": OUTLINE,
        "weight": 1.2,
        "dashArray": "4 3" if missing else None,
    }


def _highlight(_feature: dict) -> dict:
    return {"weight": 3, "color": "#000000"}


def choropleth_map(
    areas: dict,
    bounds: Sequence[float],
    *,
    layer_name: str,
    outline: dict | None = None,
    tubes: pd.DataFrame | None = None,
    hot_streets: pd.DataFrame | None = None,
    names: gpd.GeoDataFrame | None = None,
    label: str | None = None,
) -> folium.Map:
    """A map of coloured areas, with optional ward outlines, point layers and area names.

    Areas whose GeoJSON carries a ``link`` (see :func:`feature_collection`) open a popup on click
    with their tooltip text and that link, which opens in the app's own window. The map keeps to
    ``bounds`` and leaves the wheel to the page until it is chosen (:func:`keep_to_area`); its shapes are
    out of the reading order (:func:`out_of_reading_order`) and its colours stay in forced-colours mode.

    Parameters
    ----------
    areas : dict
        GeoJSON from :func:`feature_collection`.
    bounds : sequence of float
        minx, miny, maxx, maxy in lon/lat, to fit the view.
    layer_name : str
        Name of the area layer.
    outline : dict, optional
        GeoJSON of ward boundaries drawn on top (used over small areas).
    tubes, hot_streets : DataFrame, optional
        Point layers (see ``data/processed/no2_tubes.csv`` and ``hot_streets.csv``).
    names : GeoDataFrame, optional
        Areas (``name`` and geometry) whose names are written on the map.
    label : str, optional
        The map's accessible name: what it shows and where the same figures are in words (for example
        "Map of Coventry's wards: Life expectancy at birth: women. Every ward's figure is in the table All
        wards, below the map.").
    """
    minx, miny, maxx, maxy = bounds
    fmap = OfflineMap(
        location=[(miny + maxy) / 2, (minx + maxx) / 2],
        tiles=None,
        zoom_start=12,
        zoom_snap=0.25,  # quarter steps, so the whole area fills the frame (whole steps left it up to half size)
        control_scale=True,
        prefer_canvas=False,
        attribution_control=False,  # its default links leave the app; attribution is printed beside the map
    )
    fmap.fit_bounds([[miny, minx], [maxy, maxx]])
    linked = any(feature["properties"].get("link") for feature in areas["features"])
    folium.GeoJson(
        areas,
        name=layer_name,
        style_function=_style,
        highlight_function=_highlight,
        tooltip=folium.GeoJsonTooltip(fields=["tip"], labels=False, sticky=True),
        popup=folium.GeoJsonPopup(fields=["tip", "link"], labels=False) if linked else None,
    ).add_to(fmap)
    if linked:
        _AppLinks().add_to(fmap)
    if outline is not None:
        folium.GeoJson(
            outline,
            name="Ward boundaries",
            style_function=lambda _f: {"fill": False, "color": "#000000", "weight": 2.5},
            interactive=False,
        ).add_to(fmap)
    for layer, marks in point_marks(tubes, hot_streets).items():
        group = folium.FeatureGroup(name=layer)
        for mark in marks:
            folium.CircleMarker(
                [mark.lat, mark.lon], radius=mark.radius, color=mark.colour, weight=mark.weight,
                dash_array=mark.dash, fill=True, fill_color=mark.fill, fill_opacity=mark.fill_opacity,
                tooltip=_escape_lines(mark.tip),
            ).add_to(group)
        group.add_to(fmap)
    if names is not None:
        name_areas(fmap, names)
    keep_to_area(fmap, bounds)
    out_of_reading_order(fmap, label or f"Map: {layer_name}. Its figures are in the words beside it.")
    return fmap


class _AppLinks(MacroElement):
    """Open the app's own links (``target="_top"``) in the app's window from inside the map's frame.

    Streamlit draws the map in a sandboxed frame that may not navigate the window it sits in, so a
    plain ``target="_top"`` link would do nothing. The click is handed to a link made in the app's
    own page, and only for an address on the app's own server.
    """

    _template = Template("""
        {% macro script(this, kwargs) %}
        document.addEventListener("click", function (event) {
            var link = event.target.closest && event.target.closest("a.app-link[target=_top]");
            if (!link || window.parent === window) { return; }
            var host = window.parent.document;
            if (new URL(link.href).origin !== host.location.origin) { return; }
            event.preventDefault();
            var go = host.createElement("a");
            go.href = link.href;
            go.hidden = true;
            host.body.appendChild(go);
            go.click();
            go.remove();
        });
        {% endmacro %}
    """)


NAMES_CSS = """
<style>
.area-name {font:600 12px/1.15 sans-serif; color:#000; white-space:nowrap; pointer-events:none;
  text-shadow:0 0 2px #fff, 0 0 2px #fff, 0 0 3px #fff, 0 0 3px #fff;}
.area-name span {display:inline-block; transform:translate(-50%, -50%);}
</style>
"""


class _NoOverlap(MacroElement):
    """Hide a name that would overlap a name already shown (larger areas first), again after every zoom."""

    _template = Template("""
        {% macro script(this, kwargs) %}
        (function (map) {
            function place() {
                var shown = [];
                document.querySelectorAll(".area-name span").forEach(function (name) {
                    name.style.visibility = "visible";
                    var box = name.getBoundingClientRect();
                    var clash = shown.some(function (other) {
                        return box.left < other.right + 2 && other.left < box.right + 2 &&
                               box.top < other.bottom && other.top < box.bottom;
                    });
                    if (clash) { name.style.visibility = "hidden"; } else { shown.push(box); }
                });
            }
            map.on("zoomend", place);
            map.whenReady(function () { setTimeout(place, 0); });
        })({{ this._parent.get_name() }});
        {% endmacro %}
    """)


def name_areas(fmap: folium.Map, frame: gpd.GeoDataFrame, css_class: str = "area-name") -> folium.Map:
    """Write every area's name on the map, at a point inside it; the names let clicks through to the areas.

    With the default class the names are small, and where two would overlap (a small screen, zoomed
    out) the smaller area's name waits until the map is zoomed in; the kiosk's big names
    (``area-label``) are all always shown.
    """
    if css_class == "area-name":
        fmap.get_root().header.add_child(Element(NAMES_CSS))
        frame = frame.assign(_area=frame.to_crs(3857).area).sort_values("_area", ascending=False)
        _NoOverlap().add_to(fmap)
    for point, name in zip(frame.geometry.representative_point(), frame["name"], strict=True):
        folium.Marker(
            [point.y, point.x],
            icon=folium.DivIcon(html=f"<span>{html.escape(str(name))}</span>", class_name=css_class,
                                icon_size=(0, 0)),
            interactive=False, keyboard=False,
        ).add_to(fmap)
    return fmap


def map_document(fmap: folium.Map) -> str:
    """The map as a standalone HTML document (Leaflet from the app's own server), for ``st.iframe``.

    The document says its language (English), as every page must; its title is the map's name.
    """
    return fmap.get_root().render().replace("<html>", '<html lang="en">', 1)


def _escape_lines(text: str) -> str:
    return "<br>".join(html.escape(part) for part in text.split("<br>"))


def legend_html(title: str, view: MapView, notes: Sequence[str]) -> str:
    """An HTML legend: one swatch per class with its range and count, then "no data".

    Every text is escaped here; colours come from the classifier.
    """
    items = zip(view.classes.colours, view.classes.labels, view.classes.counts, strict=True)
    no_data, no_data_count = NO_DATA_COLOUR, view.no_data_count
    rows = [
        f'<li><span class="sw" style="background:{colour}"></span>{html.escape(label)}'
        f' <span class="n">({count} area{"s" if count != 1 else ""})</span></li>'
        for colour, label, count in items
    ]
    rows.append(
        f'<li><span class="sw nodata" style="background:{no_data}"></span>No data'
        f' <span class="n">({no_data_count})</span></li>'
    )
    note_html = "".join(f"<p>{html.escape(n)}</p>" for n in notes)
    return (
        '<div class="legend" role="group" aria-label="Map legend">'
        f"<p class=\"lt\"><strong>{html.escape(title)}</strong></p><ul>{''.join(rows)}</ul>{note_html}</div>"
    )


LEGEND_CSS = """
<style>
.legend ul {list-style:none; padding:0; margin:0.3rem 0;}
.legend li {display:flex; align-items:center; gap:0.5rem; margin:0.2rem 0; font-size:0.95rem;}
.legend .sw {display:inline-block; width:1.6rem; height:1.1rem; border:1px solid #333; flex:none;
  forced-color-adjust:none;}
.legend .sw.nodata {border-style:dashed; background-image:repeating-linear-gradient(45deg,
  transparent 0 3px, rgba(255,255,255,.7) 3px 5px);}
.legend .n {color:#444;}
.legend p {margin:0.2rem 0; font-size:0.9rem;}
.legend strong {font-weight:600;}
[data-testid=stHtml] > .legend {margin-bottom:-1rem;}  /* drawn with st.html: the same space below as Markdown */
</style>
"""


def picker_features(frame: gpd.GeoDataFrame, selected: str) -> dict:
    """Wards as clickable shapes, the selected one dark, each with its name as tooltip."""
    fills = ["#08519c" if code == selected else "#deebf7" for code in frame["code"]]
    return _collection(frame, fills, [False] * len(frame), [str(name) for name in frame["name"]])


def bivariate_features(frame: gpd.GeoDataFrame, colours: pd.Series, tips: dict[str, str]) -> dict:
    """GeoJSON for a bivariate map: each area's class colour (or no data) and its tooltip."""
    missing = [colour is None or (isinstance(colour, float) and pd.isna(colour)) for colour in colours]
    fills = [NO_DATA_COLOUR if gap else colour for colour, gap in zip(colours, missing, strict=True)]
    return _collection(frame, fills, missing, [tips.get(code, code) for code in frame["code"]])


TOUCH_CSS = """
<style>
.leaflet-control-zoom a, .leaflet-bar a.touch-reset {width:56px !important; height:56px !important;
  line-height:56px !important; font-size:30px !important; color:#000 !important; cursor:pointer;}
.leaflet-control-scale-line {font-size:18px !important;}
.leaflet-bar a.touch-reset {font-size:18px !important; font-weight:700; width:auto !important; padding:0 12px;
  font-family:sans-serif; background:#fff; display:block; text-decoration:none;}
</style>
"""

# A public touch screen offers no way out of the map's own document either: no context menu (right click or
# long press), no text selection or callout, no dragging of images or links, no page zoom (the map's own zoom
# stays), no browser shortcuts (static/kiosk_keys.js, loaded in the map's head), and the controls are buttons
# rather than links.
KIOSK_GUARD_CSS = """
<style>
html, body {-webkit-user-select:none; user-select:none; -webkit-touch-callout:none; overscroll-behavior:none;}
img, a {-webkit-user-drag:none;}
</style>
"""
KIOSK_GUARD_JS = """
(function () {
  var stop = function (e) { e.preventDefault(); };
  ["contextmenu", "selectstart", "dragstart", "gesturestart", "auxclick"].forEach(function (name) {
    document.addEventListener(name, stop, {capture: true});
  });
  document.addEventListener("wheel", function (e) { if (e.ctrlKey || e.metaKey) { e.preventDefault(); } },
                            {capture: true, passive: false});
  function unlink() {  // Leaflet's controls are links to "#": make them buttons, never links
    document.querySelectorAll("a[href]").forEach(function (a) {
      a.removeAttribute("href");
      a.setAttribute("role", "button");
      a.setAttribute("tabindex", "0");
    });
  }
  unlink();
  document.addEventListener("DOMContentLoaded", unlink);  // after the map's own script has made its controls
  new MutationObserver(unlink).observe(document.documentElement, {childList: true, subtree: true});
})();
"""


class _ResetView(MacroElement):
    """A big button ("Whole city", "All of Cornwall") that puts the map back to where it started, whatever it is doing.

    Leaflet drops a ``fitBounds`` that arrives while a zoom is animating (``_tryAnimatedZoom`` returns at
    once), so a tap on the button during a zoom (after "+", a pinch or a double tap) would leave the map
    zoomed in. The button stops any pan, waits for a running zoom to end, then fits without animation.
    """

    _template = Template("""
        {% macro script(this, kwargs) %}
        (function(map) {
            var bounds = L.latLngBounds({{ this.bounds }}), zooming = false;
            map.on("zoomanim", function () { zooming = true; });
            map.on("zoomend", function () { zooming = false; });
            function whole() {
                map.stop();
                if (zooming) { map.once("zoomend", whole); return; }
                map.fitBounds(bounds, {animate: false});
            }
            map.kioskWhole = whole;
            var Reset = L.Control.extend({options: {position: "topleft"}, onAdd: function() {
                var bar = L.DomUtil.create("div", "leaflet-bar");
                var a = L.DomUtil.create("a", "touch-reset", bar);
                a.setAttribute("role", "button"); a.setAttribute("tabindex", "0"); a.textContent = {{ this.label }};
                L.DomEvent.disableClickPropagation(bar);
                L.DomEvent.on(a, "click", function(e) { L.DomEvent.preventDefault(e); whole(); });
                L.DomEvent.on(a, "keydown", function(e) {
                    if (e.key === "Enter" || e.key === " ") { L.DomEvent.preventDefault(e); whole(); }
                });
                return bar;
            }});
            new Reset().addTo(map);
        })({{ this._parent.get_name() }});
        {% endmacro %}
    """)

    def __init__(self, bounds: list[list[float]], label: str) -> None:
        super().__init__()
        self.bounds = json.dumps(bounds)
        self.label = json.dumps(label, ensure_ascii=False).replace("</", "<\\/")


def make_touch_friendly(fmap: folium.Map, frame: gpd.GeoDataFrame, bounds: Sequence[float],
                        points: Sequence[MapPoint] = (), *, whole: str) -> folium.Map:
    """Big zoom buttons, a button showing the whole area again, every area's name (and ``points``) on the map.

    ``whole`` is the button's words ("Whole city", "All of Cornwall"). For touch screens: nothing needs hover or
    a two-finger gesture. Names never overlap at any zoom (see :mod:`geo.maplabels`) and let taps through to the
    area beneath. The map's document also offers no way out (see ``KIOSK_GUARD_JS``).
    """
    minx, miny, maxx, maxy = bounds
    fmap.get_root().header.add_child(Element(TOUCH_CSS))
    fmap.get_root().header.add_child(Element(KIOSK_GUARD_CSS))
    fmap.get_root().header.add_child(Element(f'<script src="{KIOSK_KEYS_JS}"></script>'))
    _ResetView([[miny, minx], [maxy, maxx]], whole).add_to(fmap)
    add_labels(fmap, frame, points)
    fmap.get_root().script.add_child(Element(KIOSK_GUARD_JS))
    return fmap
