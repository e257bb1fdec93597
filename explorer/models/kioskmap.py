"""The library kiosk's "tap your area" map: one HTML document, built once and cached.

The map document names every ward (never overlapping, see :mod:`geo.maplabels`),
marks landmarks and "You are here", opens on the kiosk library's ward, and keeps
to its authority: it cannot be zoomed out past the whole authority nor dragged away from it.
A tap on a ward colours it at once and calls ``kioskPick(code)`` in the page that
holds the map (``static/kiosk.js``), which asks the app for that ward's page. No
round trip happens on pan or zoom. Zooms are not animated: Leaflet ignores a zoom asked for while one is
animating, so an impatient visitor's second tap ("+" twice, or "+" then "Whole city") would be lost; without
animation every tap is applied, and the map ends where the last button says.
"""

from __future__ import annotations

import json
from collections.abc import Sequence

import geopandas as gpd
import shapely
from branca.element import MacroElement
from folium.template import Template

from explorer.models.webmap import OfflineMap, keep_to_area, make_touch_friendly, map_document, out_of_reading_order
from geo.geojson import geometries
from geo.maplabels import MapPoint

MAX_ZOOM = 15  # about 3 km across a kiosk screen: without a street layer, closer shows nothing more
ZOOM_SNAP, ZOOM_DELTA = 0.25, 0.5
FILL, PICKED, EDGE = "#deebf7", "#08519c", "#333333"


class _KioskBehaviour(MacroElement):
    """Wards as tappable shapes and the opening view (the limits of zoom and pan: :func:`keep_to_area`)."""

    _template = Template("""
        {% macro script(this, kwargs) %}
        (function (map, data) {
          var area = L.latLngBounds(data.area), start = data.start ? L.latLngBounds(data.start) : area;
          var moved = false;
          var wards = L.geoJSON(data.wards, {
            style: function () { return {fillColor: data.fill, fillOpacity: 0.85, color: data.edge, weight: 1.5}; },
            onEachFeature: function (feature, layer) {
              layer.on("click", function () {
                wards.setStyle({fillColor: data.fill});
                layer.setStyle({fillColor: data.picked});
                try { window.parent.kioskPick(feature.properties.code); } catch (e) { /* not in the kiosk page */ }
              });
            }
          }).addTo(map);
          map.kioskWards = wards;
          window.kioskReset = function () { wards.setStyle({fillColor: data.fill}); };  // shown again: no ward picked
          map.kioskArea = area;
          function home() { map.fitBounds(start, {animate: false}); }
          home();  // the limits of zoom and pan are webmap.keep_to_area's, set (and on resize set again) before this
          map.on("resize", function () { if (!moved) { home(); } });
          map.getContainer().addEventListener("pointerdown", function () { moved = true; }, true);
          document.body.setAttribute("data-kiosk-map", "ready");
        })({{ this._parent.get_name() }}, {{ this.data }});
        {% endmacro %}
    """)

    def __init__(self, data: dict) -> None:
        super().__init__()
        # No spaces after separators: 8 KB less of Coventry's map, the same data.
        self.data = json.dumps(data, ensure_ascii=False, separators=(",", ":")).replace("</", "<\\/")


def kiosk_map_document(frame: gpd.GeoDataFrame, points: Sequence[MapPoint], start: str | None, area: str,
                       whole: str) -> str:
    """The kiosk's ward map as a standalone HTML document (Leaflet from the app's own server).

    Parameters
    ----------
    frame : GeoDataFrame
        Wards in WGS84 with ``code`` and ``name``.
    points : sequence of MapPoint
        Landmarks, and at most one ``"here"`` point (the kiosk's library).
    start : str, optional
        Code of the ward to open on (the kiosk library's ward), with its neighbours in view; None opens on
        the whole authority.
    area : str
        The authority's name, for the map's accessible name.
    whole : str
        The words on the button that shows the whole authority again ("Whole city", "All of Cornwall").
    """
    minx, miny, maxx, maxy = frame.total_bounds
    fmap = OfflineMap(location=[(miny + maxy) / 2, (minx + maxx) / 2], tiles=None, zoom_start=12,
                      control_scale=True, prefer_canvas=False, attribution_control=False,
                      zoom_snap=ZOOM_SNAP, zoom_delta=ZOOM_DELTA, zoom_animation=False,
                      marker_zoom_animation=False)
    opening = None
    if start is not None and start in set(frame["code"]):
        sx, sy, ex, ey = shapely.total_bounds(frame.loc[frame["code"] == start].geometry.values)
        pad_x, pad_y = (ex - sx) * 0.6, (ey - sy) * 0.6  # its neighbours in view too
        opening = [[sy - pad_y, sx - pad_x], [ey + pad_y, ex + pad_x]]
    wards = {"type": "FeatureCollection", "features": [
        {"type": "Feature", "properties": {"code": str(code), "name": str(name)}, "geometry": geom}
        for code, name, geom in zip(frame["code"], frame["name"], geometries(frame.geometry.values), strict=True)]}
    keep_to_area(fmap, frame.total_bounds, max_zoom=MAX_ZOOM)
    _KioskBehaviour({"area": [[miny, minx], [maxy, maxx]], "start": opening, "wards": wards, "fill": FILL,
                     "picked": PICKED, "edge": EDGE}).add_to(fmap)
    make_touch_friendly(fmap, frame, frame.total_bounds, points, whole=whole)
    out_of_reading_order(fmap, f"Map of {area}'s wards, each with its name: tap your area. The same wards are in "
                               "Pick from a list.")
    return map_document(fmap)
