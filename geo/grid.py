"""Gridded data (Defra's 1 km background pollution) and area weighting."""

from __future__ import annotations

import geopandas as gpd
import pandas as pd
from shapely.geometry import box

from geo.boundaries import BNG

CELL_M = 1000.0


def grid_cells(codes: pd.Series, x: pd.Series, y: pd.Series, cell: float = CELL_M) -> gpd.GeoDataFrame:
    """Square cells in British National Grid from their centroid coordinates."""
    half = cell / 2
    geoms = [box(cx - half, cy - half, cx + half, cy + half) for cx, cy in zip(x, y, strict=True)]
    return gpd.GeoDataFrame({"source": codes.to_numpy()}, geometry=geoms, crs=BNG)


def area_links(cells: gpd.GeoDataFrame, areas: gpd.GeoDataFrame) -> tuple[pd.DataFrame, pd.Series]:
    """Overlap areas between grid cells and target areas.

    Parameters
    ----------
    cells : GeoDataFrame
        Cells with a ``source`` column, in British National Grid.
    areas : GeoDataFrame
        Target areas with a ``code`` column (any CRS).

    Returns
    -------
    links : DataFrame
        ``source``, ``target``, ``weight`` (overlap in m²).
    coverage : Series
        Share of each target's area covered by cells (1.0 = fully covered).
    """
    target = areas[["code", "geometry"]].to_crs(BNG)
    pieces = gpd.overlay(cells, target, how="intersection", keep_geom_type=True)
    links = pd.DataFrame(
        {"source": pieces["source"], "target": pieces["code"], "weight": pieces.geometry.area}
    )
    links = links.groupby(["source", "target"], as_index=False)["weight"].sum()
    covered = links.groupby("target")["weight"].sum()
    coverage = covered / target.set_index("code").geometry.area
    return links, coverage.reindex(target["code"]).fillna(0.0)
