"""Reading, checking and simplifying boundary layers.

Boundaries are checked in the CRS they declare, simplified as a *coverage* in
British National Grid (so neighbouring areas keep exactly shared edges, with no
slivers or gaps), and stored in WGS84 for web maps.
"""

from __future__ import annotations

import json
from pathlib import Path

import geopandas as gpd
import numpy as np
import shapely

from geo.errors import DataError
from geo.validate import check_codes, check_unique, require_columns

BNG = "EPSG:27700"
WGS84 = "EPSG:4326"
# Coventry with a generous margin, in lon/lat: a layer outside this is in the wrong CRS.
COVENTRY_LONLAT = (-1.75, 52.30, -1.30, 52.55)
SIMPLIFY_TOLERANCE_M = 12.0
CLEAN_SNAP_M = 0.5  # below the 1 m precision of coordinates rounded to 5 decimals of a degree


def read_boundaries(
    path: Path, code_col: str, name_col: str, kind: str, *, label: str | None = None
) -> gpd.GeoDataFrame:
    """Read a boundary GeoJSON and check it thoroughly.

    Parameters
    ----------
    path : Path
        GeoJSON file declaring its CRS.
    code_col, name_col : str
        Columns holding the area code and name.
    kind : {"ward", "lsoa", "msoa"}
        Code format to enforce.
    label : str, optional
        Name of the file in messages.

    Returns
    -------
    geopandas.GeoDataFrame
        Columns ``code``, ``name``, ``geometry`` in WGS84, sorted by code.
    """
    name = label or str(path)
    if not Path(path).exists():
        raise DataError(name, "file not found")
    try:
        text = Path(path).read_text(encoding="utf-8")
    except UnicodeDecodeError as exc:
        raise DataError(name, f"not UTF-8 text (byte {exc.start}); save it as UTF-8 GeoJSON") from None
    if not text.strip():
        raise DataError(name, "file is empty; expected a GeoJSON FeatureCollection")
    try:
        doc = json.loads(text)
    except json.JSONDecodeError as exc:
        raise DataError(name, f"not valid JSON ({exc.msg} at line {exc.lineno})") from None
    if not doc.get("features"):
        raise DataError(name, "GeoJSON has no features")
    if "crs" not in doc:
        raise DataError(name, "CRS not declared; add a 'crs' member (e.g. urn:ogc:def:crs:OGC:1.3:CRS84)")
    frame = gpd.read_file(path)
    if frame.crs is None:
        raise DataError(name, "CRS unknown; the file must declare its coordinate reference system")
    require_columns(frame, [code_col, name_col], name)
    check_codes(frame, code_col, kind, name)
    check_unique(frame, [code_col], name)
    for i, geom in enumerate(frame.geometry, start=1):
        if geom is None or geom.is_empty:
            raise DataError(name, "geometry is empty", row=i, column="geometry")
        if not geom.is_valid:
            reason = shapely.is_valid_reason(geom)
            raise DataError(name, f"invalid geometry ({reason})", row=i, column="geometry")
    lonlat = frame.to_crs(WGS84)
    minx, miny, maxx, maxy = lonlat.total_bounds
    bx0, by0, bx1, by1 = COVENTRY_LONLAT
    if minx < bx0 or miny < by0 or maxx > bx1 or maxy > by1:
        raise DataError(
            name,
            f"coordinates {minx:.3f},{miny:.3f} to {maxx:.3f},{maxy:.3f} are not in Coventry: "
            "the declared CRS is probably wrong",
        )
    out = gpd.GeoDataFrame(
        {"code": lonlat[code_col].str.strip(), "name": lonlat[name_col].str.strip()},
        geometry=lonlat.geometry.values,
        crs=WGS84,
    )
    return out.sort_values("code").reset_index(drop=True)


def simplify_coverage(frame: gpd.GeoDataFrame, tolerance_m: float = SIMPLIFY_TOLERANCE_M,
                      clean: bool = False) -> gpd.GeoDataFrame:
    """Simplify a layer as a coverage in British National Grid and return it in WGS84.

    Shared edges are simplified once, so neighbours stay edge-matched.

    Parameters
    ----------
    frame : GeoDataFrame
        Polygons that tile an area without overlaps.
    tolerance_m : float
        Simplification tolerance in metres.
    clean : bool
        First make the layer an exact coverage with ``shapely.coverage_clean`` (vertices within
        :data:`CLEAN_SNAP_M` snapped together, slivers of overlap given to one neighbour). England's
        boundary files, rounded to 5 decimals of a degree, have such slivers in some authorities; without
        this, their simplified shared edges would not match.
    """
    bng = frame.to_crs(BNG)
    geoms = clean_coverage(bng.geometry.values) if clean else bng.geometry.values
    return simplified(bng, geoms, tolerance_m)


def clean_coverage(geoms: np.ndarray) -> np.ndarray:
    """Polygons in metres made an exact coverage, snapping within :data:`CLEAN_SNAP_M` (:func:`simplify_coverage`)."""
    return shapely.coverage_clean(geoms, snapping_distance=CLEAN_SNAP_M)


def simplified(bng: gpd.GeoDataFrame, geoms: np.ndarray, tolerance_m: float) -> gpd.GeoDataFrame:
    """A layer in British National Grid with its polygons ``geoms`` simplified as a coverage, in WGS84.

    ``geoms`` are ``bng``'s own polygons, perhaps cleaned; ``tolerance_m`` is in metres. These are the steps of
    :func:`simplify_coverage` after projecting and cleaning, so a caller trying several tolerances does those once.
    """
    out = bng.copy()
    out.geometry = gpd.GeoSeries(shapely.make_valid(shapely.coverage_simplify(geoms, tolerance_m,
                                                                              simplify_boundary=True)), crs=BNG).values
    return out.to_crs(WGS84)


def vertex_count(frame: gpd.GeoDataFrame) -> int:
    """Total number of coordinates in a layer."""
    return int(shapely.get_num_coordinates(frame.geometry.values).sum())
