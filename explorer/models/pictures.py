"""Maps and charts as pictures to take away (PNG and SVG), drawn on the server with no browser and no network.

Maps are drawn with geopandas and matplotlib (the Agg backend, through a bare ``Figure``: no pyplot state, safe in
a server's threads) from the same :class:`~explorer.models.citymap.MapView` as the web map: every area's class and
colour come from :meth:`MapView.styles`, the legend from its classes, and the point layers from
:func:`explorer.models.webmap.point_marks`, so a picture and the screen never disagree. Areas with no value are
drawn grey with a dashed outline and counted as "No data", as on the web map.

Charts are the page's own Vega-Lite specification rendered by vl-convert (Vega in an embedded JavaScript engine),
with its data inline and external data refused (``allowed_base_urls=[]``); a heading and the period, source and
attribution lines are added around it.

Every picture carries its title, legend, period, source and attribution in the image itself, and its SVG keeps text
as text (searchable, and read by screen readers). Drawing takes tens to hundreds of milliseconds, so pages make a
picture only when asked and keep it per place (``pages/_cache.py``).
"""

from __future__ import annotations

import copy
import io
import textwrap
from collections.abc import Sequence
from dataclasses import dataclass

import geopandas as gpd
import matplotlib
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.backends.backend_svg import FigureCanvasSVG
from matplotlib.figure import Figure
from matplotlib.patches import PathPatch, Rectangle
from matplotlib.path import Path as MplPath
from shapely.geometry import MultiPolygon, Polygon

from explorer.models.citymap import MapView
from explorer.models.export import attribution
from explorer.models.webmap import OUTLINE, Mark
from explorer.stats.classify import NO_DATA_COLOUR
from geo.maplabels import label_spots

MAP_SIZE = (1200, 900)  # a map picture's size in pixels (PNG); the SVG is the same size in CSS pixels
DPI = 150  # so 10-point words are about 21 pixels high in the PNG
CHART_WIDTH = 640  # the plot's width in a chart picture (CSS pixels); the PNG is drawn at twice that scale
CHART_SCALE = 2
FILL_OPACITY = 0.85  # as the web map's areas (webmap._style)
PROJECTION = 3857  # Web Mercator, as Leaflet draws the screen's map
MADE_BY = "Made with the ward-level inequality explorer."


def _foot(notes: Sequence[str], publisher: str) -> list[str]:
    """The lines under a picture: its own notes, the attribution the licences require, then who made it.

    FixMyStreet and the council are credited only where the notes name them (:func:`attribution`).
    """
    return [*notes, attribution(publisher, notes), MADE_BY]


@dataclass(frozen=True)
class Picture:
    """One map or chart as a PNG (bytes) and an SVG (text), and the PNG's size in pixels."""

    png: bytes
    svg: str
    width: int
    height: int


def _rings(geom) -> list[Polygon]:
    return list(geom.geoms) if isinstance(geom, MultiPolygon) else [geom] if isinstance(geom, Polygon) else []


def _patch(geom, **style) -> PathPatch | None:
    """A polygon (holes kept) as one matplotlib patch; None for an empty or non-areal shape."""
    vertices, codes = [], []
    for poly in _rings(geom):
        for ring in (poly.exterior, *poly.interiors):
            xy = list(ring.coords)
            if len(xy) < 3:
                continue
            vertices += xy
            codes += [MplPath.MOVETO] + [MplPath.LINETO] * (len(xy) - 2) + [MplPath.CLOSEPOLY]
    return PathPatch(MplPath(vertices, codes), **style) if vertices else None


def _wrap(lines: Sequence[str], width: int) -> str:
    return "\n".join(part for line in lines for part in (textwrap.wrap(line, width) or [""]))


def _save(fig: Figure) -> tuple[bytes, str]:
    png, svg = io.BytesIO(), io.StringIO()
    FigureCanvasAgg(fig).print_png(png)
    with matplotlib.rc_context({"svg.fonttype": "none", "svg.hashsalt": "explorer"}):
        FigureCanvasSVG(fig).print_svg(svg)  # text stays text; ids do not change between runs
    return png.getvalue(), svg.getvalue()


def _left_off_words(left_off: int, named: int) -> str:
    """The line under a map saying how many area names had no room.

    Examples
    --------
    >>> _left_off_words(3, 69)
    "3 of 69 names are left off the map, where they would cover another; the explorer's table lists every area."
    """
    return (f"{left_off} of {named} names are left off the map, where they would cover another; the explorer's "
            "table lists every area.")


def _name_areas(fig: Figure, ax, areas: gpd.GeoDataFrame, first: Sequence[str] = ()) -> int:
    """Name each area at a spot inside it where the name covers no other; returns how many had no such spot.

    ``areas`` are in WGS84. Spots are the kiosk map's (:func:`geo.maplabels.label_spots`: the pole of
    inaccessibility, then points ever nearer the edge). The codes of ``first`` are named first, in their order
    (the areas at both ends of the scale, which a reader looks for); then the rest, smallest area first, as the kiosk
    map does, since a small area has the fewest spots. A name must lie wholly on the map and cover no name already
    written. Names are
    5.5-point on a pale box, so they read over any class's colour, and stay text in the SVG. Boxes are measured
    by matplotlib's Agg renderer at the picture's own size.
    """
    renderer = FigureCanvasAgg(fig).get_renderer()
    ax.apply_aspect()  # equal aspect moves the map's limits when it is drawn: measure where it will be
    frame = ax.get_window_extent(renderer)
    spots = label_spots(areas, spots=24)
    flat = [xy for each in spots for xy in each]
    where = gpd.GeoSeries.from_xy([lon for _, lon in flat], [lat for lat, _ in flat], crs=4326).to_crs(PROJECTION)
    at, taken, skipped = 0, [], 0
    tries = []
    for code, name, geom, each in zip(areas["code"], areas["name"], areas.geometry.values, spots, strict=True):
        tries.append((geom.area if geom is not None else 0.0, code, name, where.iloc[at:at + len(each)]))
        at += len(each)
    rank = {code: i for i, code in enumerate(first)}
    for _, code, name, points in sorted(tries, key=lambda t: (rank.get(t[1], len(rank)), t[0])):
        text = ax.text(0, 0, "\n".join(textwrap.wrap(str(name), 16)), fontsize=5.5, ha="center", va="center",
                       color="#111111", zorder=4, linespacing=1.0,
                       bbox={"boxstyle": "square,pad=0.15", "facecolor": "white", "alpha": 0.75, "edgecolor": "none"})
        for point in points:
            text.set_position((point.x, point.y))
            box = text.get_window_extent(renderer).expanded(1.05, 1.1)
            if (frame.contains(box.x0, box.y0) and frame.contains(box.x1, box.y1)
                    and not any(box.overlaps(other) for other in taken)):
                text.set_gid(f"name-{code}")
                taken.append(box)
                break
        else:
            text.remove()
            skipped += 1
    return skipped


def map_picture(frame: gpd.GeoDataFrame, view: MapView, *, title: str, subtitle: str, legend_title: str,
                notes: Sequence[str], publisher: str, outline: gpd.GeoDataFrame | None = None,
                marks: dict[str, list[Mark]] | None = None, names: gpd.GeoDataFrame | None = None,
                name_first: Sequence[str] = ()) -> Picture:
    """A choropleth as a picture: the areas in their classes' colours, a legend with counts, and the notes below.

    Parameters
    ----------
    frame : GeoDataFrame
        The areas drawn (``code`` and geometry, WGS84), as the web map's layer.
    view : MapView
        Values, classes and colours by area code, the very view the web map is drawn from.
    title, subtitle : str
        The heading (what and where) and the line under it (which areas, period).
    legend_title : str
        The legend's heading (the indicator and its unit).
    notes : sequence of str
        Unit, period, source and licence lines, printed under the map.
    publisher : str
        The council whose own data the map holds (``Place.publisher``), named in the attribution line that every
        picture ends with (:func:`explorer.models.export.attribution`); "" for national data alone.
    outline : GeoDataFrame, optional
        Ward boundaries drawn heavy on top (over neighbourhoods).
    marks : dict, optional
        Point layers by name (:func:`explorer.models.webmap.point_marks`).
    names : GeoDataFrame, optional
        Areas to name on the map (``code``, ``name`` and geometry, WGS84): the wards. Each name is an SVG group
        whose id is ``name-<code>`` (:func:`_name_areas`); a line under the map says how many had no room.
    name_first : sequence of str, optional
        Codes of ``names`` to name before the rest (the highest and lowest), in that order.

    Each area is one SVG group whose id is ``area-<code>`` holding its path, so its fill can be checked against
    the web map's (tests/test_pictures.py). Sizes: :data:`MAP_SIZE` pixels at :data:`DPI`.
    """
    width, height = MAP_SIZE
    fig = Figure(figsize=(width / DPI, height / DPI), dpi=DPI, facecolor="white")
    heading = textwrap.wrap(title, 72)[:2]  # 13-point bold: about 72 characters to a line
    fig.text(0.02, 0.975, "\n".join(heading), fontsize=13, fontweight="bold", va="top")
    below = 0.935 - 0.04 * (len(heading) - 1)
    under = textwrap.wrap(subtitle, 105)  # 9-point: about 105 characters; wrapped, never cut short
    fig.text(0.02, below, "\n".join(under), fontsize=9, va="top", color="#333333")
    top = below - 0.045 - 0.025 * (len(under) - 1)  # where the map and its key may reach
    room = [_left_off_words(len(names), len(names))] if names is not None else []  # the longest it can be
    lines = _wrap(_foot([*notes, *room], publisher), 138)  # 7-point words: about 138 characters across 1,150 px
    top_of_notes = 0.025 + 0.0235 * (lines.count("\n") + 1)  # 7-point lines at 1.35 spacing, as a share of 900 px
    ax = fig.add_axes((0.02, top_of_notes + 0.02, 0.64, top - top_of_notes - 0.02))
    ax.set_axis_off()
    ax.set_aspect("equal")
    shapes = frame.to_crs(PROJECTION)
    for code, geom, (at, fill) in zip(shapes["code"], shapes.geometry.values, view.styles(shapes["code"]),
                                      strict=True):
        patch = _patch(geom, facecolor=fill, alpha=None, edgecolor=OUTLINE, linewidth=0.5,
                       linestyle=(0, (4, 3)) if at is None else "solid")
        if patch is None:
            continue
        patch.set_facecolor(matplotlib.colors.to_rgba(fill, FILL_OPACITY))
        patch.set_gid(f"area-{code}")
        ax.add_patch(patch)
    if outline is not None:
        for geom in outline.to_crs(PROJECTION).geometry.values:
            patch = _patch(geom, facecolor="none", edgecolor="#000000", linewidth=1.4)
            if patch is not None:
                ax.add_patch(patch)
    keys: dict[str, Mark] = {}
    for layer in (marks or {}).values():
        if not layer:
            continue
        points = gpd.GeoSeries.from_xy([m.lon for m in layer], [m.lat for m in layer], crs=4326).to_crs(PROJECTION)
        for mark, point in zip(layer, points, strict=True):
            ax.scatter([point.x], [point.y], s=(mark.radius * 1.2) ** 2, c=[matplotlib.colors.to_rgba(
                mark.fill, mark.fill_opacity)], edgecolors=mark.colour, linewidths=mark.weight * 0.6,
                linestyle="--" if mark.dash else "-", zorder=3)
            keys.setdefault(mark.key, mark)
    minx, miny, maxx, maxy = shapes.total_bounds
    pad = 0.02 * max(maxx - minx, maxy - miny)
    ax.set_xlim(minx - pad, maxx + pad)
    ax.set_ylim(miny - pad, maxy + pad)
    if names is not None:
        left_off = _name_areas(fig, ax, names, name_first)
        notes = [*notes, _left_off_words(left_off, len(names))] if left_off else notes

    key = fig.add_axes((0.68, top_of_notes + 0.02, 0.3, top - top_of_notes - 0.02))
    key.set_axis_off()
    key.set_xlim(0, 1)
    key.set_ylim(0, 1)
    heading = _wrap([legend_title], 30)
    key.text(0, 1, heading, fontsize=9, fontweight="bold", va="top")
    rows = [(c, label, f"({n} area{'s' if n != 1 else ''})", False)
            for c, label, n in zip(view.classes.colours, view.classes.labels, view.classes.counts, strict=True)]
    rows.append((NO_DATA_COLOUR, "No data", f"({view.no_data_count})", True))
    step = 0.065 * 0.69 / key.get_position().height  # rows 0.045 of the figure's height apart, however tall the key
    y = 1 - step * (0.6 * (heading.count("\n") + 1) + 0.5)
    for colour, label, count, missing in rows:
        swatch = Rectangle((0, y - 0.55 * step), 0.14, 0.7 * step,
                           facecolor=matplotlib.colors.to_rgba(colour, FILL_OPACITY),
                           edgecolor=OUTLINE, linewidth=0.8, linestyle=(0, (3, 2)) if missing else "solid")
        swatch.set_gid("legend-no-data" if missing else f"legend-{colour}")
        key.add_patch(swatch)
        words = f"{label} {count}"
        key.text(0.18, y - 0.2 * step, words, fontsize=8.5 if len(words) <= 26 else 7.5, va="center")
        y -= step
    for name, mark in keys.items():
        key.scatter([0.07], [y - 0.2 * step], s=(mark.radius * 1.2) ** 2, c=[matplotlib.colors.to_rgba(
            mark.fill, mark.fill_opacity)], edgecolors=mark.colour, linewidths=mark.weight * 0.6,
            linestyle="--" if mark.dash else "-")
        key.text(0.18, y - 0.2 * step, name, fontsize=8.5, va="center")
        y -= step
    foot = _wrap(_foot(notes, publisher), 138)
    fig.text(0.02, top_of_notes, foot, fontsize=7, va="top", color="#222222", linespacing=1.35)
    png, svg = _save(fig)
    return Picture(png, svg, width, height)


def chart_spec(spec: dict, *, heading: str, notes: Sequence[str], publisher: str = "", width: int = CHART_WIDTH
               ) -> dict:
    """The page's Vega-Lite chart with a heading above and the period, source and attribution lines below.

    The chart itself is the page's (a deep copy, at ``width`` pixels instead of the page's width, made for paper
    by :func:`_for_paper`); its rows must be inline (``data.values``).
    """
    inner = _for_paper(copy.deepcopy(spec))
    if "values" not in inner.get("data", {}):
        raise ValueError("a chart picture needs its rows inline (data.values), not a named dataset")
    inner.pop("$schema", None)
    inner["width"] = width
    config = inner.pop("config", {})
    params = inner.pop("params", [])  # Vega-Lite takes variable parameters (the scatter's chosen wards) at the top
    foot = [part for line in _foot(notes, publisher) for part in textwrap.wrap(line, 110)]
    return {
        "$schema": "https://vega.github.io/schema/vega-lite/v5.json",
        "background": "white",
        "padding": 12,
        "title": {"text": foot, "orient": "bottom", "anchor": "start", "fontSize": 10, "fontWeight": "normal",
                  "color": "#222222", "offset": 14},
        "vconcat": [{"title": {"text": textwrap.wrap(heading, 70), "anchor": "start", "fontSize": 15,
                               "offset": 10}, "vconcat": [inner]}],
        "config": {"font": "Liberation Sans, DejaVu Sans, sans-serif", **config},
        **({"params": params} if params else {}),
    }


PAPER_X_AXIS = {"labelOverlap": False, "labelAngle": -40, "labelAlign": "right", "labelBaseline": "middle"}


def _for_paper(spec: dict) -> dict:
    """A chart's specification changed where the screen relies on what paper lacks.

    An x axis whose labels may hide one another on screen (``labelOverlap``: there a tooltip gives each point's
    period) writes every label, at an angle: the tester found a trend picture whose x axis skipped periods. A key
    above the plot goes below it, under the axis, so the picture's heading comes first.
    """
    def walk(node):
        if isinstance(node, dict):
            axis = node.get("x", {}).get("axis") if isinstance(node.get("x"), dict) else None
            if isinstance(axis, dict) and axis.get("labelOverlap"):
                axis.update(PAPER_X_AXIS)
            legend = node.get("legend")
            if isinstance(legend, dict) and legend.get("orient") == "top":
                legend["orient"] = "bottom"
            for value in node.values():
                walk(value)
        elif isinstance(node, list):
            for value in node:
                walk(value)
        return node

    return walk(spec)


def chart_picture(spec: dict, *, heading: str, notes: Sequence[str], publisher: str) -> Picture:
    """A Vega-Lite chart as PNG and SVG (:func:`chart_spec`), rendered by vl-convert with no network.

    Parameters
    ----------
    spec : dict
        The chart as the page draws it, rows inline.
    heading : str
        What the chart shows and where.
    notes : sequence of str
        Period, source, method and licence lines, printed under the chart.
    publisher : str
        As for :func:`map_picture`: the attribution line names the council whose data the chart holds.
    """
    import vl_convert

    full = chart_spec(spec, heading=heading, notes=notes, publisher=publisher)
    svg = vl_convert.vegalite_to_svg(full, allowed_base_urls=[])
    png = vl_convert.svg_to_png(svg, scale=CHART_SCALE)  # the same bytes as from the spec, without Vega again
    width, height = _png_size(png)
    return Picture(png, svg, width, height)


def _png_size(png: bytes) -> tuple[int, int]:
    """Width and height of a PNG, read from its IHDR chunk (bytes 16-24)."""
    return int.from_bytes(png[16:20], "big"), int.from_bytes(png[20:24], "big")
