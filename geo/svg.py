"""Small static SVG maps for printable documents (no scripts, no network)."""

from __future__ import annotations

import html
import math
from collections.abc import Sequence

import geopandas as gpd
from shapely.geometry import MultiPolygon, Polygon


def _rings(geom) -> list:
    polys = geom.geoms if isinstance(geom, MultiPolygon) else [geom] if isinstance(geom, Polygon) else []
    return [ring for poly in polys for ring in (poly.exterior, *poly.interiors)]


def svg_map(
    frame: gpd.GeoDataFrame,
    fills: Sequence[str],
    titles: Sequence[str],
    *,
    outline: gpd.GeoDataFrame | None = None,
    width: int = 320,
    max_height: int | None = None,
    label: str = "Map",
) -> str:
    """An SVG of polygons in lon/lat, drawn with equal-area-ish scaling (cos latitude).

    Parameters
    ----------
    frame : GeoDataFrame
        Areas in WGS84.
    fills : sequence of str
        Fill colour per area.
    titles : sequence of str
        Hover/accessible title per area (escaped here).
    outline : GeoDataFrame, optional
        Boundaries drawn on top with a heavy line.
    width : int
        Width in CSS pixels; the height follows the shape.
    max_height : int, optional
        Shrink the drawing (and its width) so it is no taller than this.
    label : str
        Accessible name of the map (``aria-label``).
    """
    minx, miny, maxx, maxy = frame.total_bounds
    kx = math.cos(math.radians((miny + maxy) / 2))
    scale = width / ((maxx - minx) * kx)
    if max_height is not None and (maxy - miny) * scale > max_height:
        scale = max_height / (maxy - miny)
        width = int((maxx - minx) * kx * scale) + 1
    height = int((maxy - miny) * scale) + 1

    def path(geom) -> str:
        parts = []
        for ring in _rings(geom):
            pts = " ".join(f"{(x - minx) * kx * scale:.1f},{(maxy - y) * scale:.1f}" for x, y in ring.coords)
            parts.append(f"M{pts}Z")
        return " ".join(parts)

    shapes = [
        f'<path d="{path(g)}" fill="{fill}" stroke="#333" stroke-width="0.6"><title>{html.escape(t)}</title></path>'
        for g, fill, t in zip(frame.geometry.values, fills, titles, strict=True)
    ]
    if outline is not None:
        shapes += [f'<path d="{path(g)}" fill="none" stroke="#000" stroke-width="2"/>' for g in outline.geometry.values]
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" role="img" aria-label="{html.escape(label)}" '
        'style="forced-color-adjust:none" '
        f'width="{width}" height="{height}" viewBox="0 0 {width} {height}">{"".join(shapes)}</svg>'
    )
