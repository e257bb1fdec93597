import fcntl
import functools
import os
import pickle
import shutil
import subprocess
import sys
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
# The tests never read the national store a developer's `make run` built (data/store): a test that needs one builds
# its own (national_built) and names it. Without this, the same test reads other data on a machine that has run the
# app than on a fresh clone (a profile with 34 rows instead of 30). Servers the tests start inherit it.
os.environ.setdefault("EXPLORER_STORE_DIR", str(REPO / "tests" / "artifacts" / "no-national-store"))
PACKS = DATA / "packs"
PROCESSED = PACKS / "coventry" / "built"  # Coventry's local pack, as its build left it
COVENTRY, BIRMINGHAM, CORNWALL, CITY_OF_LONDON, SCILLY = (
    "E08000026", "E08000025", "E06000052", "E09000001", "E06000053")
FIVE = [COVENTRY, BIRMINGHAM, CORNWALL, CITY_OF_LONDON, SCILLY]


@pytest.hookimpl(tryfirst=True)  # before pytest-xdist reads the groups
def pytest_collection_modifyitems(config, items):
    """Mark what a test needs, so ``make test-quick`` can leave it out and pytest-xdist can place it.

    A test using the national store is marked ``national`` (from its fixtures, so none is missed). A browser
    test's file is one xdist group: its module's server runs on one worker. A file that drives the browser
    (imports tests/browser.py) without the ``browser`` mark is an error, not a surprise in a quick run.
    """
    unmarked = set()
    for item in items:
        if "national_built" in getattr(item, "fixturenames", ()):
            item.add_marker(pytest.mark.national)
        if item.get_closest_marker("browser"):
            item.add_marker(pytest.mark.xdist_group(item.path.name))
        elif _drives_a_browser(item.path):
            unmarked.add(item.path.name)
    # Files that need the national store run last (the order within a file is kept), while it is built.
    needs = {item.path for item in items if item.get_closest_marker("national")}
    items.sort(key=lambda item: item.path in needs)
    if unmarked:
        raise pytest.UsageError(f"{sorted(unmarked)} import tests/browser.py but are not marked: add "
                                "`pytestmark = pytest.mark.browser`")


@functools.cache
def _drives_a_browser(path: Path) -> bool:
    return path.suffix == ".py" and path.name != "browser.py" and "tests.browser import" in path.read_text("utf-8")


def pytest_collection_finish(session):
    """Start building the national store in the background as soon as a collected test needs it.

    One process builds it (the first pytest-xdist worker to take the lock, or the only pytest process), in a
    process of its own holding the lock until it is done, so the tests that do not need it run meanwhile on
    every core. The ``national_built`` fixture waits on the lock.
    """
    if session.config.option.collectonly or not any(item.get_closest_marker("national") for item in session.items):
        return
    root = _shared(session.config._tmp_path_factory)
    with open(root / "national.lock", "a") as lock:
        try:
            fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            return  # another worker is building it
        if (root / "national.started").exists():
            return
        (root / "national.started").touch()
        with open(root / "national.log", "wb") as log:  # the builder keeps its own copies of both files
            session.config.national_builder = subprocess.Popen(
                [sys.executable, "-c", "import sys; from tests.conftest import build_national; "
                 "build_national(sys.argv[1])", str(root)], cwd=REPO, stdout=log, stderr=subprocess.STDOUT,
                pass_fds=(lock.fileno(),))  # the lock is held until the builder exits


def pytest_unconfigure(config):
    builder = getattr(config, "national_builder", None)
    if builder is not None:
        builder.wait()  # another worker may still be waiting for it


def _shared(tmp_path_factory) -> Path:
    """The session's temporary folder, which every pytest-xdist worker shares (a worker's own is inside it)."""
    root = tmp_path_factory.getbasetemp()
    return root.parent if os.environ.get("PYTEST_XDIST_WORKER") else root


def build_national(root: str | Path) -> tuple[Path, dict]:
    """Build the five-authority store into ``root``/national/v1; keep (folder, summary) in national.pickle."""
    from explorer.pipeline.national import build

    out = Path(root) / "national" / "v1"
    shutil.rmtree(out.parent, ignore_errors=True)  # a build stopped half-way leaves no half-built folder
    made = out, build(DATA, out, only=FIVE)
    (Path(root) / "national.pickle").write_bytes(pickle.dumps(made))
    return made


@pytest.fixture(scope="session")
def national_built(tmp_path_factory):
    """A national store with geometry and gaps for the five authorities above, built once per test session.

    Values, comparators, reconciliation and peers cover all 296 authorities; CI has no data/store. It is
    built once for every pytest-xdist worker, in the background from the start (:func:`pytest_collection_finish`).
    """
    root = _shared(tmp_path_factory)
    made = root / "national.pickle"
    with open(root / "national.lock", "a") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)  # waits for the builder; released when the file closes
        if not made.exists():
            log = root / "national.log"
            if log.exists():
                pytest.fail("building the national store failed; its log ends:\n" + log.read_text()[-3000:])
            build_national(root)
        return pickle.loads(made.read_bytes())


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
