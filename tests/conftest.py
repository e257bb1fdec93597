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
PROCESSED = DATA / "processed"


@pytest.fixture(scope="session")
def registry():
    return load_registry(DATA / "registry" / "indicators.csv")


@pytest.fixture(scope="session")
def values():
    return pd.read_csv(PROCESSED / "values.csv", dtype={"code": str})


@pytest.fixture(scope="session")
def wards():
    return pd.read_csv(PROCESSED / "wards.csv")


@pytest.fixture
def data_copy(tmp_path):
    """A writable copy of data/ (raw, registry, manifest) without the processed output."""
    target = tmp_path / "data"
    shutil.copytree(DATA, target, ignore=shutil.ignore_patterns("processed", ".processed-new-*"))
    return target


@pytest.fixture
def processed_copy(tmp_path):
    """A writable copy of data/processed."""
    target = tmp_path / "processed"
    shutil.copytree(PROCESSED, target)
    return target
