"""Points against areas: which ward a point falls in, and distances in metres."""

from __future__ import annotations

import geopandas as gpd
import numpy as np
import pandas as pd

from geo.boundaries import BNG


def ward_of(lat: pd.Series, lon: pd.Series, wards: gpd.GeoDataFrame) -> pd.Series:
    """The code of the ward each point falls in (None where it is outside every ward)."""
    points = gpd.GeoDataFrame(geometry=gpd.points_from_xy(lon, lat), crs="EPSG:4326", index=lat.index)
    joined = gpd.sjoin(points, wards[["code", "geometry"]], how="left", predicate="within")
    found = joined[~joined.index.duplicated()]["code"]
    return found.where(found.notna(), None)


def centres(areas: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    """A point inside each area (its representative point), in British National Grid."""
    bng = areas.to_crs(BNG)
    return gpd.GeoDataFrame({"code": bng["code"].to_numpy()}, geometry=bng.representative_point().to_numpy(), crs=BNG)


def nearest_distance(origins: gpd.GeoDataFrame, lat: pd.Series, lon: pd.Series) -> pd.Series:
    """Straight-line distance in metres from each origin (BNG points) to the nearest of the given points.

    Returns NaN for every origin when there are no points.
    """
    if len(lat) == 0:
        return pd.Series(np.nan, index=origins["code"])
    targets = gpd.GeoSeries(gpd.points_from_xy(lon, lat), crs="EPSG:4326").to_crs(BNG)
    tx, ty = targets.x.to_numpy(), targets.y.to_numpy()
    ox, oy = origins.geometry.x.to_numpy()[:, None], origins.geometry.y.to_numpy()[:, None]
    distance = np.sqrt((ox - tx) ** 2 + (oy - ty) ** 2).min(axis=1)
    return pd.Series(distance, index=origins["code"].to_numpy())


def distance_to_area(lat: pd.Series, lon: pd.Series, area: gpd.GeoDataFrame) -> pd.Series:
    """Metres from each point to an area (0 inside it), in British National Grid."""
    shape = area.to_crs(BNG).geometry.union_all()
    points = gpd.GeoSeries(gpd.points_from_xy(lon, lat), crs="EPSG:4326", index=lat.index).to_crs(BNG)
    return points.distance(shape)
