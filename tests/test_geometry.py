"""Simplified boundaries stay a clean coverage: neighbours share edges, no gaps or overlaps."""

import shapely

from explorer.pipeline.store import LAYERS, read_layer
from geo.boundaries import BNG, read_boundaries, simplify_coverage, vertex_count
from tests.conftest import DATA, PROCESSED


def test_every_processed_layer_is_a_valid_coverage():
    for layer in LAYERS:
        frame = read_layer(PROCESSED, layer).to_crs(BNG)
        assert frame.geometry.is_valid.all(), layer
        assert bool(shapely.coverage_is_valid(frame.geometry.values)), layer


def test_ward_simplification_keeps_area_and_cuts_vertices():
    full = read_boundaries(DATA / "raw/boundaries/coventry_wards_wd19_fullres.geojson", "wd19cd", "wd19nm", "ward")
    simple = simplify_coverage(full)
    assert vertex_count(simple) < vertex_count(full) / 3
    full_area = full.to_crs(BNG).area.sum()
    assert abs(simple.to_crs(BNG).area.sum() - full_area) / full_area < 0.001
    assert abs(full_area / 1e6 - 98.6) < 0.5  # Coventry is about 98.6 km²
