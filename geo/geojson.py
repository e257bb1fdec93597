"""GeoJSON as the maps send it: coordinates rounded to about a metre, one feature per area.

Both the web maps (:mod:`explorer.models.webmap`) and the geometry budgets (:mod:`geo.budgets`) write
features here, so a budget measures exactly the bytes a visitor's browser receives.
"""

from __future__ import annotations

import json

import geopandas as gpd
import numpy as np
import shapely

COORD_DECIMALS = 5  # about 1 m: far finer than the 12 m simplification


def lean_geometry(frame: gpd.GeoDataFrame, decimals: int = COORD_DECIMALS) -> gpd.GeoDataFrame:
    """Round coordinates (degrees) to ``decimals`` places so the GeoJSON sent to the browser stays small."""
    out = frame.copy()
    out.geometry = shapely.transform(out.geometry.values, lambda c: np.round(c, decimals))
    return out


def geometries(values, decimals: int = COORD_DECIMALS) -> list[dict]:
    """GeoJSON geometries of shapely ``values`` (degrees), coordinates rounded to ``decimals`` places.

    Every map writes its shapes through here, so what a browser receives is what the budgets measured
    (:mod:`geo.budgets`): before, the maps sent 16 decimals (about 1e-11 m) and a ward map weighed twice as
    much. Rounding is per coordinate, so neighbours' shared edges stay identical.

    Examples
    --------
    >>> from shapely.geometry import Point
    >>> geometries([Point(-1.519663768, 52.453325583)])
    [{'type': 'Point', 'coordinates': [-1.51966, 52.45333]}]
    """
    rounded = shapely.transform(np.asarray(values, dtype=object), lambda c: np.round(c, decimals))
    return [json.loads(shapely.to_geojson(geom)) for geom in rounded]


def collection(frame: gpd.GeoDataFrame, properties: list[dict]) -> dict:
    """A GeoJSON FeatureCollection: one feature per row of ``frame`` with the matching ``properties``.

    Coordinates are rounded to :data:`COORD_DECIMALS` places (:func:`geometries`).
    Raises ValueError when ``properties`` and ``frame`` differ in length.

    Examples
    --------
    >>> from shapely.geometry import Point
    >>> f = gpd.GeoDataFrame(geometry=[Point(1, 2)], crs="EPSG:4326")
    >>> collection(f, [{"code": "a"}])["features"][0]["geometry"]
    {'type': 'Point', 'coordinates': [1.0, 2.0]}
    """
    features = [
        {"type": "Feature", "properties": props, "geometry": geom}
        for geom, props in zip(geometries(frame.geometry.values), properties, strict=True)
    ]
    return {"type": "FeatureCollection", "features": features}
