import os
import shutil
from pathlib import Path

import pandas as pd
import pytest
from hypothesis import settings

from explorer.registry import load_registry

# In CI, hypothesis draws the same examples every run, so a red build is reproducible and never a fluke;
# locally it explores new ones each time. Anything it finds goes in as an @example.
settings.register_profile("ci", derandomize=True, print_blob=True)
settings.load_profile("ci" if os.environ.get("CI") else "default")

REPO = Path(__file__).resolve().parent.parent
DATA = REPO / "data"
PACKS = DATA / "packs"
PROCESSED = PACKS / "coventry" / "built"  # Coventry's local pack, as its build left it
COVENTRY, BIRMINGHAM, CORNWALL, CITY_OF_LONDON, SCILLY = (
    "E08000026", "E08000025", "E06000052", "E09000001", "E06000053")
FIVE = [COVENTRY, BIRMINGHAM, CORNWALL, CITY_OF_LONDON, SCILLY]


@pytest.fixture(scope="session")
def national_built(tmp_path_factory):
    """A national store with geometry and gaps for the five authorities above, built once per test session.

    Values, comparators, reconciliation and peers cover all 296 authorities; CI has no data/store.
    """
    from explorer.pipeline.national import build

    out = tmp_path_factory.mktemp("national") / "v1"
    summary = build(DATA, out, only=FIVE)
    return out, summary


@pytest.fixture(scope="session")
def registry():
    return load_registry(DATA / "registry" / "indicators.csv")


@pytest.fixture(scope="session")
def values():
    """Coventry's values as the read layer gives them: its own row called ``authority`` (the file's ``city``)."""
    from explorer.places.place import as_read

    return as_read(pd.read_csv(PROCESSED / "values.csv", dtype={"code": str}))


@pytest.fixture(scope="session")
def wards():
    return pd.read_csv(PROCESSED / "wards.csv")


@pytest.fixture
def data_copy(tmp_path):
    """A writable copy of data/ (raw, registry, manifest) without the processed output."""
    target = tmp_path / "data"
    shutil.copytree(DATA, target, ignore=shutil.ignore_patterns("built", ".built-new-*", "store"))
    return target


@pytest.fixture
def processed_copy(tmp_path):
    """A writable copy of Coventry's built pack, in a packs folder of its own: point EXPLORER_PACKS_DIR at
    ``processed_copy.parent.parent``."""
    target = tmp_path / "packs" / "coventry" / "built"
    shutil.copytree(PROCESSED, target)
    return target
