"""Fault injection: every file the build and the app read, broken in eight ways.

Each fault must give a message naming the file; the build must never leave a
partial output or disturb the data in service; and the app's other pages must
keep working while one file is broken.
"""

import hashlib
import json
import random
import shutil
from pathlib import Path

import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

from explorer.models.about import read_manifest
from explorer.models.authority_series import load_rate_caveats
from explorer.models.kiosk.facts import load_facts
from explorer.models.kiosk.landmarks import load_landmarks
from explorer.pipeline.build import build
from explorer.pipeline.inputs import sha256
from explorer.pipeline.pack_format import load_parts
from explorer.pipeline.packs import build_pack
from explorer.pipeline.priorities import THEMES, load_priorities
from explorer.pipeline.published import load_published_gaps
from explorer.places.pack import read_pack
from explorer.registry import load_registry
from geo.errors import DataError
from geo.names import load_aliases
from tests.conftest import DATA, PROCESSED, REPO

pytestmark = pytest.mark.slow  # every file broken eight ways: a build or every page each

APP = str(REPO / "streamlit_app.py")
PAGES = ["pages/city_map.py", "pages/ward_profile.py", "pages/compare.py", "pages/my_area.py",
         "pages/priorities.py", "pages/about.py", "pages/accessibility.py", "pages/kiosk.py"]


def _csv_lines(path: Path) -> list[str]:
    return path.read_text(encoding="utf-8", errors="replace").splitlines(keepends=True)


def remove(path: Path, other: Path) -> None:
    path.unlink()


def empty(path: Path, other: Path) -> None:
    path.write_bytes(b"")


def truncate(path: Path, other: Path) -> None:
    data = path.read_bytes()
    path.write_bytes(data[: max(1, len(data) // 3)])


def garbage(path: Path, other: Path) -> None:
    path.write_bytes(random.Random(path.name).randbytes(4096))


def swapped(path: Path, other: Path) -> None:
    """A different file of the same kind dropped in under this name (the wrong shape)."""
    path.write_bytes(other.read_bytes())


def renamed_columns(path: Path, other: Path) -> None:
    if path.suffix != ".csv":
        return garbage(path, other)
    lines = _csv_lines(path)
    lines[0] = ",".join(f"{c.strip()}_v2" for c in lines[0].split(",")) + "\n"
    path.write_text("".join(lines), encoding="utf-8")
    return None


def header_only(path: Path, other: Path) -> None:
    if path.suffix != ".csv":
        return truncate(path, other)
    path.write_text(_csv_lines(path)[0], encoding="utf-8")
    return None


def not_utf8(path: Path, other: Path) -> None:
    """Saved from Excel in the wrong encoding: a stray byte that is not UTF-8 in the first row."""
    if path.suffix != ".csv":
        return garbage(path, other)
    lines = _csv_lines(path)
    path.write_bytes(lines[0].encode() + b"\xff\xfe" + "".join(lines[1:]).encode())
    return None


FAULTS = [remove, empty, truncate, garbage, swapped, renamed_columns, header_only, not_utf8]


def cases(files: list[str], offset: int = 0) -> list[tuple[str, object]]:
    """Each file with one fault, cycling through all eight so each kind hits several files."""
    return [(f, FAULTS[(i + offset) % len(FAULTS)]) for i, f in enumerate(files)]


def other_of_kind(folder: Path, rel: str) -> Path:
    suffix = Path(rel).suffix
    candidates = sorted(p for p in folder.rglob(f"*{suffix}") if p.name != Path(rel).name)
    return candidates[len(rel) % len(candidates)]


INFO = "build_info.json"
RECORDS = {INFO, "inputs.json"}  # what a build was made from: the rest is what it serves


def digest(folder: Path) -> dict[str, str]:
    return {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(folder.iterdir()) if p.is_file()}


BUILD_FILES = pd.read_csv(DATA / "sources.csv")["file"].tolist()
BUILD_REGISTRY = ["indicators.csv", "ward_vintages.csv", "comparators.csv", "series.csv"]


@pytest.mark.parametrize(("rel", "fault"), cases(BUILD_FILES), ids=lambda v: getattr(v, "__name__", v))
def test_build_stops_on_a_broken_raw_file_and_keeps_the_data_in_service(rel, fault, data_copy, tmp_path):
    pack = tmp_path / "packs" / "coventry"  # what `make data` builds: the ward set and series, then the pack
    shutil.copytree(PROCESSED.parent, pack, ignore=shutil.ignore_patterns(".built-new-*"))
    target = pack / "built"
    before, info_before = digest(target), (target / INFO).read_text(encoding="utf-8")
    path = data_copy / "raw" / rel
    fault(path, other_of_kind(data_copy / "raw", rel))
    try:
        build(data_copy, tmp_path / "made")
        build_pack(pack, data_copy, made=tmp_path / "made")
    except DataError as exc:
        assert Path(rel).name in str(exc), f"the message does not name the file: {exc}"
    else:
        # The build may go on only past a file it does not read (the register's seed, read by
        # python -m explorer.pipeline.seed_register; a file describing another; the national build's inputs): then
        # every file served is byte for byte what it was, and build_info.json records the broken file's checksum.
        after = digest(target)
        assert {k: v for k, v in after.items() if k not in RECORDS} == {
            k: v for k, v in before.items() if k not in RECORDS}, (
            f"the build accepted a broken {rel} ({fault.__name__}) and served different data")
        old, new = (json.loads(text) for text in (info_before, (target / INFO).read_text(encoding="utf-8")))
        assert new["raw_files"].pop(rel) == sha256(path) != old["raw_files"].pop(rel), f"{rel}'s checksum"
        assert new == old
        return
    assert digest(target) == before, "a failed build changed the data in service"
    assert not list(pack.glob(".built-new-*")), "a failed build left a partial output behind"


@pytest.mark.parametrize(("rel", "fault"), cases(BUILD_REGISTRY, 3), ids=lambda v: getattr(v, "__name__", v))
def test_build_stops_on_a_broken_registry(rel, fault, data_copy, tmp_path):
    path = data_copy / "registry" / rel
    fault(path, other_of_kind(data_copy / "registry", rel))
    with pytest.raises(DataError, match=rel.replace(".", r"\.")):
        build(data_copy, tmp_path / "out")
    assert not (tmp_path / "out").exists()


APP_FILES = sorted(p.name for p in PROCESSED.iterdir() if p.suffix in (".csv", ".parquet"))
# Registry files only the builds read (a pack's build copies what the app needs into its built/): broken, no page
# may notice them.
BUILD_ONLY = {f"registry/{name}" for name in (
    "comparators.csv", "national_indicators.csv", "interventions.csv", "priorities.csv",
    "kiosk_landmarks.csv", "published_gaps.csv", "series.csv", "ward_vintages.csv", "gap_series.csv",
    "local_gap_series.csv")}
APP_REGISTRY = sorted({"registry/" + p.name for p in (DATA / "registry").glob("*.csv")} - BUILD_ONLY)
KNOWN = set(load_registry(DATA / "registry" / "indicators.csv"))


def _known(data: Path) -> dict:
    """Every indicator the explorer knows: Coventry's registry and the national themes."""
    return {**load_registry(data / "registry/indicators.csv"), **load_registry(data / "registry/national_themes.csv")}


def _pack_table(name: str):
    return lambda built: read_pack(built.parent).table(name)


# Read only in a view the default run of each page does not open (a toggle, a search, a chosen ward, the kiosk
# after Start, another authority, the picker of a store of other authorities): there the reader that view uses
# must name the file.
READ_LATER = {
    **{name: _pack_table(name) for name in (
        "councillors.csv", "hot_streets.csv", "monitoring_readings.csv", "monitoring_sites.csv", "points.csv",
        "postcodes.csv", "series.csv", "gap_series.csv")},
    "registry/rate_caveats.csv": lambda data: load_rate_caveats(data / "registry/rate_caveats.csv"),
    "lsoa11.parquet": lambda built: read_pack(built.parent).layer("lsoa11"),
    "msoa11.parquet": lambda built: read_pack(built.parent).layer("msoa11"),
    "kiosk_landmarks.csv": lambda built: load_landmarks(built / "kiosk_landmarks.csv", (-1.62, 52.36, -1.42, 52.46)),
    "published_gaps.csv": lambda built: load_published_gaps(built / "published_gaps.csv", KNOWN),
    "sources.csv": lambda built: read_manifest(built / "sources.csv"),
    "registry/authority_aliases.csv": lambda data: load_aliases(data / "registry/authority_aliases.csv"),
    "registry/kiosk_facts.csv": lambda data: load_facts(data / "registry/kiosk_facts.csv", _known(data)),
    "registry/marmot_themes.csv": lambda data: load_priorities(data / "registry/marmot_themes.csv", _known(data),
                                                               label=THEMES),
    "registry/pack_parts.csv": lambda data: load_parts(data / "registry"),
    "registry/pack_columns.csv": lambda data: load_parts(data / "registry"),
}
# What the ward map itself needs: broken, the map says so
CORE = {"values.csv", "wards.csv", "wards.parquet", "indicators.csv", "lookups.csv", "lsoa_weights.csv",
        "ward_sets.csv", "registry/indicators.csv"}


def app_data(tmp_path: Path) -> tuple[Path, Path]:
    """A copy of data/ as the app reads it (registries and Coventry's built pack; no raw files, no national
    store, as in CI), and the pack's ``built/`` in it."""
    data = tmp_path / "data"
    shutil.copytree(DATA, data, ignore=shutil.ignore_patterns("raw", "store", ".built-new-*"))
    return data, data / PROCESSED.relative_to(DATA)


def run_every_page(monkeypatch, data: Path) -> dict[str, AppTest]:
    monkeypatch.setenv("EXPLORER_DATA_DIR", str(data))
    for name in ("EXPLORER_PACKS_DIR", "EXPLORER_STORE_DIR", "EXPLORER_PROCESSED_DIR"):
        monkeypatch.delenv(name, raising=False)  # each follows the data folder
    at = AppTest.from_file(APP, default_timeout=90)
    seen = {}
    for page in PAGES:
        at.switch_page(page)
        at.run()
        assert not at.exception, (page, [e.message for e in at.exception])
        seen[page] = [e.value for e in at.error]
    return seen


@pytest.mark.parametrize(("name", "fault"), [*cases(APP_FILES, 1), *cases(APP_REGISTRY, 5)],
                         ids=lambda v: getattr(v, "__name__", v))
def test_app_names_a_broken_file_and_other_pages_keep_working(name, fault, monkeypatch, tmp_path):
    data, built = app_data(tmp_path)
    folder = data if name.startswith("registry/") else built
    fault(folder / name, other_of_kind(folder / Path(name).parent, name))
    errors = run_every_page(monkeypatch, data)
    shown = [message for messages in errors.values() for message in messages]
    if name in READ_LATER:
        try:
            read = READ_LATER[name](folder)
        except DataError as exc:
            assert Path(name).name in str(exc), f"the message does not name {name}: {exc}"
        else:
            # A CSV cut after a whole field is a well-formed shorter file, which no reader can tell from a short
            # one: then it must read as fewer rows than the file whole, never as the same.
            assert fault is truncate and name.endswith(".csv"), f"{name} broken ({fault.__name__}) reads as good"
            assert len(read) < len(READ_LATER[name](PROCESSED if folder == built else DATA)), name
    else:
        assert shown, f"no page says {name} is broken"
    assert all(Path(name).name in m for m in shown), f"a message does not name {name}: {shown[:3]}"
    assert errors["pages/accessibility.py"] == [], "the accessibility statement needs no data"
    if name not in CORE:
        assert errors["pages/city_map.py"] == [], f"the city map does not use {name} by default"


def test_no_page_reads_a_registry_file_only_the_builds_read(monkeypatch, tmp_path):
    data, _ = app_data(tmp_path)
    for name in BUILD_ONLY:
        (data / name).unlink()
    errors = run_every_page(monkeypatch, data)
    assert not any(errors.values()), f"a page reads one of {sorted(BUILD_ONLY)}: add it to the faults above"
