"""Names on a touch map that never overlap: area names, landmarks and "You are here".

Python finds, for each area, points well inside it where its name may go
(:func:`label_spots`). A small script in the map document then places every
name at each zoom level: "You are here" first, then the area names (smallest
area first, each at the first spot where its box touches no other name or
symbol; failing that, just outside with a thin leader line), then the
landmarks' names beside their symbols, each only where it fits, wholly on the screen (the symbol
always shows). Boxes are the names' measured sizes in the browser, so the
promise "no two names overlap" holds at every zoom the map allows; the kiosk's
browser tests check it with bounding boxes.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import asdict, dataclass

import geopandas as gpd
import numpy as np
import shapely
from branca.element import MacroElement
from folium.template import Template

from geo.boundaries import BNG

LANDMARK_KINDS = ("here", "city centre", "hospital", "library", "family hub")
HARD_KINDS = ("here", "city centre", "hospital")  # symbols no name may cover (the others: as few as possible)


@dataclass(frozen=True)
class MapPoint:
    """A labelled point on the kiosk map (WGS84)."""

    label: str
    kind: str  # one of LANDMARK_KINDS
    lat: float
    lon: float


def label_spots(frame: gpd.GeoDataFrame, spots: int = 40, step_m: float = 180.0) -> list[list[list[float]]]:
    """For each area, up to ``spots`` [lat, lon] points inside it, the most central first.

    The first is the area's pole of inaccessibility (the point farthest from its
    edge); the rest lie on a ``step_m`` grid inside the area, ordered by their
    distance from the edge, deepest first.

    Parameters
    ----------
    frame : GeoDataFrame
        Areas in WGS84, in the order the map draws them.
    spots : int
        Most points kept per area.
    step_m : float
        Grid spacing in metres (British National Grid).

    Returns
    -------
    list of list of [lat, lon]
        One list per area, each with at least one point, rounded to 5 decimals (about 1 m).
    """
    bng = frame.to_crs(BNG)
    chosen, sizes = [], []
    for geom in bng.geometry.values:
        part = max(getattr(geom, "geoms", [geom]), key=lambda g: g.area)  # the largest piece of a multipolygon
        best = shapely.ops.polylabel(part, tolerance=5.0)
        minx, miny, maxx, maxy = part.bounds
        xs, ys = np.meshgrid(np.arange(minx, maxx, step_m), np.arange(miny, maxy, step_m))
        grid = shapely.points(xs.ravel(), ys.ravel())
        inside = grid[shapely.contains(part, grid)]
        order = np.argsort(-shapely.distance(inside, part.boundary), kind="stable")
        points = [best, *inside[order][: spots - 1]]
        chosen += points
        sizes.append(len(points))
    lonlat = gpd.GeoSeries(chosen, crs=BNG).to_crs("EPSG:4326")  # one transformation for every point
    pairs = [[round(p.y, 5), round(p.x, 5)] for p in lonlat]
    out, at = [], 0
    for n in sizes:
        out.append(pairs[at:at + n])
        at += n
    return out


LABELLER_CSS = """
<style>
.map-label {pointer-events:none;}
.map-label span {position:absolute; left:0; top:0; transform:translate(-50%, -50%); white-space:nowrap;
  color:#000; text-shadow:0 0 3px #fff, 0 0 3px #fff, 0 0 4px #fff, 0 0 4px #fff; line-height:1.15;}
.map-label.area span {font:700 20px/1.15 sans-serif; text-align:center; white-space:normal; width:max-content;
  max-width:8.5em;}
.map-label.point span {font:400 18px/1.15 sans-serif; max-width:11em; white-space:normal; width:max-content;}
.map-label.here span {font:700 20px/1.2 sans-serif; color:#fff; background:#b30000; padding:2px 8px;
  border-radius:6px; text-shadow:none;}
.map-label.hidden {visibility:hidden;}
.map-symbol {pointer-events:none;}
.map-symbol span {position:absolute; transform:translate(-50%, -50%); display:block; box-sizing:border-box;}
.map-symbol.library span {width:16px; height:16px; background:#1a4f8b; border:2px solid #fff; outline:1px solid #000;}
.map-symbol.family-hub span {width:16px; height:16px; border-radius:50%; background:#1b7837; border:2px solid #fff;
  outline:1px solid #000;}
.map-symbol.hospital span {width:24px; height:24px; background:#005eb8; color:#fff; font:700 18px/20px sans-serif;
  text-align:center; border:2px solid #fff; outline:1px solid #000;}
.map-symbol.city-centre span {width:22px; height:22px; border-radius:50%; background:#000; border:5px solid #fff;
  outline:2px solid #000;}
.map-symbol.here span {width:30px; height:30px; border-radius:50%; background:#b30000; border:5px solid #fff;
  box-shadow:0 0 0 2px #b30000;}
</style>
"""

# Sizes of the symbols above in CSS px (their boxes are obstacles for names).
SYMBOL_PX = {"here": 34, "city centre": 26, "hospital": 26, "library": 18, "family hub": 18}


class Labeller(MacroElement):
    """The script that places names on the map at every zoom (see the module docstring)."""

    _template = Template("""
        {% macro script(this, kwargs) %}
        (function (map, data) {
          var PAD = 3;
          map.createPane("kioskSymbols").style.zIndex = 640;
          map.createPane("kioskLabels").style.zIndex = 650;
          function slug(kind) { return kind.replace(/ /g, "-"); }
          function marker(latlng, cls, text, pane) {
            var span = document.createElement("span");
            if (text) { span.textContent = text; }
            var m = L.marker(latlng, {icon: L.divIcon({className: cls, html: span, iconSize: [0, 0]}),
                                      interactive: false, keyboard: false, pane: pane}).addTo(map);
            m.span = span;
            return m;
          }
          var areas = data.areas.map(function (a) {
            var label = marker(a.at[0], "map-label area", a.name, "kioskLabels");
            label.getElement().setAttribute("data-area", a.code);
            return {name: a.name, at: a.at, label: label, line: null};
          });
          var points = data.points.map(function (p) {
            var symbol = marker([p.lat, p.lon], "map-symbol " + slug(p.kind), p.kind === "hospital" ? "H" : "",
                                "kioskSymbols");
            var label = marker([p.lat, p.lon], "map-label " + (p.kind === "here" ? "here" : "point"), p.label,
                               "kioskLabels");
            label.getElement().setAttribute("data-kind", p.kind);
            symbol.getElement().setAttribute("data-kind", p.kind);
            symbol.getElement().setAttribute("aria-hidden", "true");
            return {p: p, symbol: symbol, label: label, size: data.symbol_px[p.kind] || 18};
          });
          function box(x, y, w, h) { return {x1: x - w / 2 - PAD, y1: y - h / 2 - PAD, x2: x + w / 2 + PAD,
                                             y2: y + h / 2 + PAD}; }
          function hits(b, list) {
            for (var i = 0; i < list.length; i++) {
              var o = list[i];
              if (b.x1 < o.x2 && o.x1 < b.x2 && b.y1 < o.y2 && o.y1 < b.y2) { return true; }
            }
            return false;
          }
          function put(m, x, y) { m.setLatLng(map.layerPointToLatLng([x, y])); }
          function size(m) { return [m.span.offsetWidth, m.span.offsetHeight]; }
          function around(c, r, w, h) {  // beside a symbol: right, left, above, below, then the corners
            var g = 2 * PAD + 3;
            return [[c.x + r + g + w / 2, c.y], [c.x - r - g - w / 2, c.y], [c.x, c.y - r - g - h / 2],
                    [c.x, c.y + r + g + h / 2], [c.x + r + w / 2, c.y - r - h / 2], [c.x - r - w / 2, c.y - r - h / 2],
                    [c.x + r + w / 2, c.y + r + h / 2], [c.x - r - w / 2, c.y + r + h / 2]];
          }
          function place() {
            var names = [], symbols = [], hard = [];
            points.forEach(function (q) {
              q.c = map.latLngToLayerPoint([q.p.lat, q.p.lon]);
              var b = box(q.c.x, q.c.y, q.size, q.size);
              symbols.push(b);
              if (data.hard.indexOf(q.p.kind) >= 0) { hard.push(b); }  // never covered by a name
            });
            function count(b, list) {
              var n = 0;
              for (var i = 0; i < list.length; i++) { if (hits(b, [list[i]])) { n++; } }
              return n;
            }
            var view = map.getSize(), topLeft = map.containerPointToLayerPoint([0, 0]),
                bottomRight = map.containerPointToLayerPoint([view.x, view.y]);
            function seen(b) {  // wholly on the screen: a name beside a symbol at the edge goes on its other side
              return b.x1 >= topLeft.x && b.y1 >= topLeft.y && b.x2 <= bottomRight.x && b.y2 <= bottomRight.y;
            }
            function landmark(q, always) {
              var s = size(q.label), spots = around(q.c, q.size / 2, s[0], s[1]);
              for (var i = 0; i < spots.length; i++) {
                var b = box(spots[i][0], spots[i][1], s[0], s[1]);
                if (!hits(b, names) && !hits(b, symbols) && seen(b)) {
                  names.push(b); put(q.label, spots[i][0], spots[i][1]);
                  q.label.getElement().classList.remove("hidden"); return;
                }
              }
              if (always) {
                names.push(box(spots[0][0], spots[0][1], s[0], s[1]));
                put(q.label, spots[0][0], spots[0][1]);
                q.label.getElement().classList.remove("hidden");
                return;
              }
              q.label.getElement().classList.add("hidden");
            }
            points.filter(function (q) { return q.p.kind === "here"; }).forEach(function (q) { landmark(q, true); });
            points.filter(function (q) { return q.p.kind !== "here" && data.hard.indexOf(q.p.kind) >= 0; })
              .forEach(function (q) { landmark(q, false); });
            areas.forEach(function (a) {
              var s = size(a.label), spots = a.at.map(function (ll) { return map.latLngToLayerPoint(ll); });
              var chosen = null, fewest = Infinity;
              // Free of names, fewest symbols covered; wholly on the screen if any such spot is ("Longford" was
              // cut at the map's top edge after a zoom).
              for (var pass = 0; pass < 2 && !chosen; pass++) {
                for (var i = 0; i < spots.length && fewest > 0; i++) {
                  var b = box(spots[i].x, spots[i].y, s[0], s[1]);
                  if (hits(b, names) || hits(b, hard) || (pass === 0 && !seen(b))) { continue; }
                  var n = count(b, symbols);
                  if (n < fewest) { fewest = n; chosen = [spots[i], b]; }
                }
              }
              if (a.line) { a.line.remove(); a.line = null; }
              if (!chosen) {  // no room inside: just outside, with a leader line to the area's middle
                var o = spots[0];
                for (var r = 30; r < 600 && !chosen; r += 12) {
                  for (var t = 0; t < 24 && !chosen; t++) {
                    var x = o.x + r * Math.cos(t * Math.PI / 12), y = o.y + r * Math.sin(t * Math.PI / 12);
                    var b2 = box(x, y, s[0], s[1]);
                    if (!hits(b2, names) && !hits(b2, symbols)) { chosen = [L.point(x, y), b2]; }
                  }
                }
                a.line = L.polyline([map.layerPointToLatLng(o), map.layerPointToLatLng(chosen[0])],
                                    {color: "#000", weight: 2, interactive: false, pane: "kioskLabels"}).addTo(map);
              }
              names.push(chosen[1]);
              put(a.label, chosen[0].x, chosen[0].y);
            });
            points.filter(function (q) { return data.hard.indexOf(q.p.kind) < 0; })
              .forEach(function (q) { landmark(q, false); });
            document.body.setAttribute("data-labels-zoom", String(map.getZoom()));
          }
          map.kioskPlace = place;
          map.on("zoomend moveend resize", place);
          map.whenReady(function () { setTimeout(place, 0); });
        })({{ this._parent.get_name() }}, {{ this.data }});
        {% endmacro %}
    """)

    def __init__(self, data: dict) -> None:
        super().__init__()
        self.data = json.dumps(data, ensure_ascii=False).replace("</", "<\\/")


def add_labels(fmap, frame: gpd.GeoDataFrame, points: Sequence[MapPoint] = ()) -> None:
    """Name every area of ``frame`` and every point on ``fmap``, never overlapping (see the module docstring).

    Points are drawn as symbols by kind (``LANDMARK_KINDS``) with their names beside them; "here"
    comes first and is always named.
    """
    from folium import Element

    unknown = {p.kind for p in points} - set(LANDMARK_KINDS)
    if unknown:
        raise ValueError(f"unknown landmark kinds: {sorted(unknown)}")
    spots = label_spots(frame)
    areas = [{"code": str(code), "name": str(name), "at": at, "area": float(area)}
             for code, name, at, area in zip(frame["code"], frame["name"], spots, frame.to_crs(BNG).area, strict=True)]
    areas.sort(key=lambda a: a["area"])  # the smallest areas choose first: they have the fewest spots
    ordered = sorted(points, key=lambda p: LANDMARK_KINDS.index(p.kind))
    fmap.get_root().header.add_child(Element(LABELLER_CSS))
    Labeller({"areas": areas, "points": [asdict(p) for p in ordered], "symbol_px": SYMBOL_PX,
              "hard": list(HARD_KINDS)}).add_to(fmap)
