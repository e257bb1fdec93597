"""Geometry budgets: simplify one authority's layer until the GeoJSON a page sends is small enough.

A layer is measured the way :func:`geo.geojson.collection` writes it for the map (as :mod:`explorer.models.webmap`
calls it): coordinates rounded by :func:`geo.geojson.lean_geometry` (5 decimals, about 1 m), and each feature
carrying its code, a fill colour, a no-data flag and a tooltip. The tooltip is taken as the area's name and one
value line of :data:`TIP_CHARS` characters (a typical "label: value unit" line), so the figure is what a visitor's
browser receives for one indicator, give or take the length of that indicator's label.

Simplification is :func:`geo.boundaries.simplify_coverage` (``shapely.coverage_clean`` then
``shapely.coverage_simplify`` in British National Grid): neighbouring areas keep identical shared edges at
every tolerance, so a coarser layer has no slivers or gaps.
"""

from __future__ import annotations

import html
import json
from dataclasses import dataclass

import geopandas as gpd
import shapely

from geo.boundaries import BNG, SIMPLIFY_TOLERANCE_M, clean_coverage, simplified
from geo.geojson import collection, lean_geometry

TIP_CHARS = 80
# Tolerances tried in turn (metres): the first is Coventry's; each step about 1.5 times the last.
LADDER_M = (SIMPLIFY_TOLERANCE_M, 18.0, 27.0, 40.0, 60.0, 90.0, 135.0, 200.0, 300.0, 450.0, 675.0, 1000.0)
BUDGETS = {"wards": 100_000, "lsoa21": 400_000, "msoa11": 200_000}  # bytes of GeoJSON per authority


@dataclass(frozen=True)
class Fitted:
    """A layer simplified to its budget: the shapes, the tolerance used, its GeoJSON size and vertex count."""

    shapes: gpd.GeoDataFrame
    tolerance_m: float
    geojson_bytes: int
    vertices: int
    coverage_valid: bool


def geojson_bytes(frame: gpd.GeoDataFrame) -> int:
    """Bytes of the GeoJSON a map page sends for ``frame`` (columns ``code``, ``name``, geometry; WGS84).

    Examples
    --------
    >>> from shapely.geometry import box
    >>> f = gpd.GeoDataFrame({"code": ["a"], "name": ["A"]}, geometry=[box(0, 0, 1, 1)], crs="EPSG:4326")
    >>> 300 < geojson_bytes(f) < 500
    True
    """
    lean = lean_geometry(frame)
    tips = [f"{name}\n{'x' * TIP_CHARS}" for name in lean["name"]]
    properties = [{"code": code, "fill": "#000000", "nodata": False, "tip": html.escape(tip).replace("\n", "<br>")}
                  for code, tip in zip(lean["code"], tips, strict=True)]
    return len(json.dumps(collection(lean, properties)).encode("utf-8"))


def coverage_valid(frame: gpd.GeoDataFrame) -> bool:
    """Whether the layer is a valid coverage (no overlaps, edges shared exactly), checked in metres."""
    return bool(shapely.coverage_is_valid(frame.to_crs(BNG).geometry.values))


def fit_to_budget(frame: gpd.GeoDataFrame, budget: int, ladder: tuple[float, ...] = LADDER_M) -> Fitted:
    """The least simplified version of ``frame`` (first tolerance of ``ladder``) whose GeoJSON fits ``budget``.

    Parameters
    ----------
    frame : GeoDataFrame
        One authority's areas (``code``, ``name``), tiling it without overlaps, in WGS84.
    budget : int
        Largest GeoJSON size allowed, in bytes.
    ladder : tuple of float
        Tolerances in metres, tried from the first.

    Returns
    -------
    Fitted
        The shapes and the tolerance; if even the last tolerance is over budget, that last try (the
        caller reports it: ``geojson_bytes > budget``).
    """
    fitted = None
    bng = frame.to_crs(BNG)
    cleaned = clean_coverage(bng.geometry.values)  # once: cleaning does not depend on the tolerance
    for tolerance in ladder:
        shapes = simplified(bng, cleaned, tolerance)  # as simplify_coverage(frame, tolerance, clean=True)
        size = geojson_bytes(shapes)
        fitted = Fitted(shapes, tolerance, size, int(shapely.get_num_coordinates(shapes.geometry.values).sum()),
                        False)
        if size <= budget:
            break
    return Fitted(fitted.shapes, fitted.tolerance_m, fitted.geojson_bytes, fitted.vertices,
                  coverage_valid(fitted.shapes))
