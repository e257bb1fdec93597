"""Every indicator the explorer knows, held for a place or not: what national files may name."""

from __future__ import annotations

from explorer import paths
from explorer.places import Place, per_place
from explorer.registry import Indicator, load_registry


@per_place
def known(place: Place) -> dict[str, Indicator]:
    """Coventry's registry and the national themes, whether or not ``place`` holds them.

    ``data/registry/indicators.csv`` and ``data/registry/national_themes.csv`` (indicators only the national store
    holds). A national file (kiosk facts, yardsticks, the Marmot themes) naming one the place does not hold is still
    read, and the page says what is not held.
    """
    folder = paths.data_dir() / "registry"
    return {**load_registry(folder / "indicators.csv"), **load_registry(folder / "national_themes.csv")}
