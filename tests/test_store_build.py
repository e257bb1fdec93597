"""Builds a newcomer runs without knowing it: skipped when nothing changed, watched while they run.

`make run` starts the national build in the background (explorer/pipeline/background.py) and the sidebar says how
it is going, from the progress file the build keeps (explorer/pipeline/progress.py); a build whose inputs hash as
recorded does nothing (explorer/pipeline/inputs.py). The real background build is driven by hand (a full build
takes minutes); here each piece is held on its own.
"""

import json
import os
import shutil
import subprocess
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from explorer import paths
from explorer.models.preparing import store_words
from explorer.pipeline import background, national
from explorer.pipeline import build as coventry
from explorer.pipeline.inputs import fingerprint, unchanged
from explorer.pipeline.progress import Progress, read_progress
from tests.conftest import DATA, FIVE, REPO
from tests.test_layers import imports, layer_of, modules

# --- nothing is rebuilt when its inputs are unchanged ----------------------------------------------------------


@pytest.fixture
def tiny_data(tmp_path):
    data = tmp_path / "data"
    (data / "raw").mkdir(parents=True)
    (data / "registry").mkdir()
    (data / "raw" / "a.csv").write_text("code,value\nE01000001,1\n")
    (data / "registry" / "r.csv").write_text("id\nx\n")
    (data / "sources.csv").write_text("file\na.csv\n")
    return data


def test_a_build_is_the_same_only_while_every_input_hashes_the_same(tiny_data):
    made = fingerprint(tiny_data, ["a.csv"], ("r.csv",), only=None)
    assert unchanged(made, tiny_data, only=None)
    assert not unchanged(made, tiny_data, only=["E08000026"])  # built for other authorities
    for changed in ("raw/a.csv", "registry/r.csv", "sources.csv"):
        path = tiny_data / changed
        before = path.read_text()
        path.write_text(before + "E01000002,2\n")
        assert not unchanged(made, tiny_data, only=None), changed
        path.write_text(before)
    assert unchanged(made, tiny_data, only=None)
    (tiny_data / "raw" / "a.csv").unlink()
    assert not unchanged(made, tiny_data, only=None)  # the build will say which file is missing
    assert not unchanged({**made, "code": "0" * 64}, tiny_data, only=None)  # the code that makes the figures
    assert not unchanged({}, tiny_data, only=None)


def test_an_unchanged_national_store_is_not_built_again(national_built, capsys):
    out, _ = national_built
    info = national.up_to_date(DATA, out, FIVE)
    assert info and {"national/england_lsoa21_ward25_lad25_bestfit.csv.gz", national.ni.WARDS} <= set(info["inputs"])
    assert not national.up_to_date(DATA, out, FIVE[:2])  # another set of authorities is another build
    written = (out / "build_info.json").stat().st_mtime_ns
    assert national.main(["--out", str(out), "--only", ",".join(FIVE)]) == 0
    said = capsys.readouterr().out
    assert said.startswith("National store up to date: its inputs are unchanged") and said.count("\n") == 1
    assert (out / "build_info.json").stat().st_mtime_ns == written
    assert read_progress(paths.store_progress_file(out))["state"] == "unchanged"


def test_a_store_missing_a_file_or_made_by_other_code_is_built_again(national_built, tmp_path):
    store = tmp_path / "v1"
    shutil.copytree(national_built[0], store)
    assert national.up_to_date(DATA, store, FIVE)
    info = json.loads((store / "build_info.json").read_text())
    (store / "build_info.json").write_text(json.dumps({**info, "code": "0" * 64}))
    assert not national.up_to_date(DATA, store, FIVE)
    (store / "build_info.json").write_text(json.dumps(info))
    (store / "gaps.parquet").unlink()
    assert not national.up_to_date(DATA, store, FIVE)


# An unchanged local pack is not built again: tests/test_packs.py (its input hashes, in built/inputs.json).


# --- progress: a bar in the terminal, a file for the app -----------------------------------------------------


def test_progress_weighs_each_step_and_scales_the_time_left_by_this_runs_pace(tmp_path):
    now = [0.0]
    file = tmp_path / "progress.json"
    steps = {"read": ("reading", 10.0), "gaps": ("working out gaps", 30.0)}
    progress = Progress(steps, file, tmp_path / "build.log", bar=False, clock=lambda: now[0])
    progress.step("read")
    assert read_progress(file)["seconds_left"] == 40.0  # nothing done yet: the reference seconds
    now[0] = 20.0
    progress.step("gaps", 4)
    record = read_progress(file)
    assert (record["step"], record["step_number"], record["steps"], record["done"], record["total"]) == (
        "gaps", 2, 2, 0, 4)
    assert record["fraction"] == 0.25 and record["seconds_left"] == 60.0  # twice as slow as the reference
    now[0] = 40.0
    progress.advance(2)
    record = read_progress(file)
    assert record["fraction"] == 0.625 and record["seconds_left"] == 24.0
    assert record["state"] == "running" and record["pid"] == os.getpid() and record["log"].endswith("build.log")
    progress.finish("failed", "data/raw/x.csv, row 3, column 'value': 'n/a' is not a number")
    record = read_progress(file)
    assert record["state"] == "failed" and "row 3" in record["error"]


def test_a_build_left_running_by_a_process_that_is_gone_has_stopped(tmp_path):
    store = tmp_path / "store" / "v1"
    gone = subprocess.Popen(["true"])
    gone.wait()
    file = paths.store_progress_file(store)
    file.parent.mkdir(parents=True)
    file.write_text(json.dumps({"state": "running", "pid": gone.pid, "seconds_left": 100}))
    assert background.status(store)["state"] == "stopped"
    file.write_text(json.dumps({"state": "running", "pid": os.getpid(), "seconds_left": 100}))
    assert background.status(store)["state"] == "running"
    assert background.status(tmp_path / "elsewhere" / "v1") is None


def test_the_words_say_how_long_is_left_or_what_went_wrong_and_where_the_log_is():
    log = str(paths.REPO_ROOT / "data" / "store" / "build.log")
    running = store_words({"state": "running", "seconds_left": 250, "log": log}, "Coventry")
    assert running.building and running.words == ("The other English authorities are being prepared: about 5 "
                                                  "minutes left. Each can be chosen here once they are ready.")
    failed = store_words({"state": "failed", "error": "data/raw/national/x.csv: file not found", "log": log},
                         "Coventry")
    assert not failed.building and "the national build failed (data/raw/national/x.csv: file not found)" in (
        failed.words) and "Its log is data/store/build.log." in failed.words and "make national" in failed.words
    stopped = store_words({"state": "stopped", "log": log}, "Coventry")
    assert "stopped before it finished" in stopped.words and "data/store/build.log" in stopped.words
    assert store_words({"state": "done"}, "Coventry").words.startswith("Only Coventry is held here.")


# --- the sidebar while the store is prepared ------------------------------------------------------------------


def sidebar_with(monkeypatch, tmp_path, record: dict | None, la: str | None = None) -> AppTest:
    store = tmp_path / "store" / "v1"  # no store here: only Coventry is held
    monkeypatch.setenv("EXPLORER_STORE_DIR", str(store))
    monkeypatch.delenv("EXPLORER_LA", raising=False)
    if record is not None:
        paths.store_progress_file(store).parent.mkdir(parents=True)
        paths.store_progress_file(store).write_text(json.dumps(record))
    at = AppTest.from_file(str(REPO / "streamlit_app.py"), default_timeout=120)
    if la:
        at.query_params["la"] = la
    at.run()
    assert not at.exception, at.exception
    return at


def shown(elements) -> str:
    """The elements' text as a reader sees it (Markdown's escapes taken out)."""
    return " ".join(e.value for e in elements).replace("\\", "")


def test_the_sidebar_says_the_other_authorities_are_being_prepared_and_how_long_is_left(monkeypatch, tmp_path):
    at = sidebar_with(monkeypatch, tmp_path, {"state": "running", "pid": os.getpid(), "seconds_left": 250,
                                              "log": str(tmp_path / "store" / "build.log")}, la="E08000025")
    said = shown(at.sidebar.caption)
    assert "The other English authorities are being prepared: about 5 minutes left." in said
    assert "Only Coventry is held here" not in said
    notice = shown(at.info)
    assert "E08000025" in notice and "being prepared: about 5 minutes left" in notice
    assert list(at.sidebar.selectbox[0].options) == ["Coventry"]


def test_every_authority_can_be_chosen_once_the_store_is_in_with_no_restart(national_built, monkeypatch, tmp_path):
    # The same server process (AppTest runs in this one, its caches shared): a visit while the build runs, then
    # one after the store is swapped in whole. (A page left open meanwhile is rerun by the sidebar's fragment
    # every few seconds: driven in a browser, as AppTest's reruns do not follow a fragment's timer.)
    at = sidebar_with(monkeypatch, tmp_path, {"state": "running", "pid": os.getpid(), "seconds_left": 30})
    assert list(at.sidebar.selectbox[0].options) == ["Coventry"]
    shutil.copytree(national_built[0], tmp_path / "store" / "v1")
    at = AppTest.from_file(str(REPO / "streamlit_app.py"), default_timeout=120)
    at.run()
    assert not at.exception, at.exception
    assert sorted(at.sidebar.selectbox[0].options) == sorted(
        ["Birmingham", "City of London", "Cornwall", "Coventry", "Isles of Scilly"])
    assert "being prepared" not in shown(at.sidebar.caption)


def test_the_sidebar_says_a_build_failed_and_where_its_log_is(monkeypatch, tmp_path):
    log = tmp_path / "store" / "build.log"
    at = sidebar_with(monkeypatch, tmp_path, {"state": "failed", "pid": 1, "error": "data/raw/national/x.csv: file "
                                              "not found", "log": str(log)})
    said = shown(at.sidebar.caption)
    assert "could not be prepared: the national build failed" in said and str(log) in said


def test_with_no_build_the_sidebar_says_how_to_build_the_store(monkeypatch, tmp_path):
    at = sidebar_with(monkeypatch, tmp_path, None)
    assert "Only Coventry is held here. To show any other English authority" in shown(at.sidebar.caption)


# --- no module of the pipeline imports one that imports it --------------------------------------------------


def test_no_import_circles_in_the_python_layers():
    graph = {name: {m for _, m in imports(path) if layer_of(m)} for name, path in modules()}
    graph = {name: {m if m in graph else m.rsplit(".", 1)[0] for m in found} & set(graph)
             for name, found in graph.items()}

    def comes_back(start: str) -> bool:
        stack, seen = list(graph[start]), set()
        while stack:
            name = stack.pop()
            if name == start:
                return True
            if name not in seen:
                seen.add(name)
                stack.extend(graph[name])
        return False

    assert [name for name in sorted(graph) if comes_back(name)] == []


def test_the_national_build_no_longer_leans_on_coventrys_build():
    national_imports = {m for _, m in imports(REPO / "explorer" / "pipeline" / "national.py")}
    assert not any(m.startswith("explorer.pipeline.build") for m in national_imports)
    assert Path(coventry.__file__).read_text().count("\n") < 600


def test_a_store_swapped_in_by_a_new_build_is_read_afresh(national_built, tmp_path):
    from pages import _cache

    store = tmp_path / "v1"
    shutil.copytree(national_built[0], store)
    packs = str(tmp_path / "packs")
    first = _cache._sources(str(store), packs, _cache.store_token(str(store)))
    assert _cache._sources(str(store), packs, _cache.store_token(str(store))) is first  # one while it stays
    info = store / "build_info.json"
    later = info.stat().st_mtime_ns + 5_000_000_000
    os.utime(info, ns=(later, later))  # what a new build's swap does: a new build_info.json
    assert _cache._sources(str(store), packs, _cache.store_token(str(store))) is not first
