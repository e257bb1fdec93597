"""Smoke runs of the benchmark and the soak, so neither can rot. Budgets are reported, not asserted here."""

import shutil

import pandas as pd
import pytest

from tests.browser import CHROMIUM  # noqa: F401 - skips (or fails in CI) without Chromium, as the bench needs it

pytestmark = pytest.mark.browser


def test_bench_quick_run_prints_every_figure_for_both_variants(capsys, national_built, monkeypatch):
    from bench.run import main

    monkeypatch.setenv("EXPLORER_STORE_DIR", str(national_built[0]))  # the gap-over-time rows need the store

    table = main(["--quick"])
    for figure in ("switch indicator", "switch ward (ward profile)", "switch ward (compare)", "pan + 2 zooms",
                   "ward map", "LSOA layer", "map drawn", "only that map", "memory after warm-up",
                   "First visit after a server start", "without warm-up (EXPLORER_WARM_UP=0)",
                   "Server start to healthy", "3 sessions: p50 / p95", "3 sessions: server memory peak",
                   "Kiosk: tap a ward to the area shown", "'Is the gap narrowing?'", "'<area> over time'",
                   "First visit to / unthrottled", "First visit to /kiosk unthrottled"):
        assert figure in table, figure
    rows = {line.split(" | ")[0].strip("| "): line.split(" | ") for line in table.splitlines()[2:]}
    assert rows["Reruns caused by pan + 2 zooms"][2] == "0"  # the app's map sends nothing back on pan and zoom
    assert int(rows["Reruns caused by pan + 2 zooms"][3]) > 0  # the naive one re-runs: the bench can tell them apart
    assert "0 errors" in rows["3 sessions: p50 / p95 latency"][2]
    assert "n/a" not in rows["First visit after a server start, to map drawn (Chromium)"][2]  # the map was drawn
    assert not any(line.startswith("| Rerun: '") and "n/a" in line for line in table.splitlines())  # both ran
    slow = [line for line in table.splitlines() if line.startswith("| First visit to /")]
    assert len(slow) == 2 and all("MiB" in line and "nan" not in line for line in slow), slow
    print(capsys.readouterr().out)


def test_soak_smoke_ten_visitors_no_errors():
    from bench.soak import main

    figures = main(["--sessions", "10", "--seconds", "25"])
    assert figures["errors"] == 0
    assert figures["runs"] >= 10
    assert figures["kiosk_runs"] >= 3  # the kiosk journey is part of the mix
    assert figures["server_memory_peak_mb"] > 0


@pytest.mark.skipif(not shutil.which("haproxy"), reason="haproxy not installed: `apt-get install -y haproxy`")
def test_soak_smoke_through_haproxy_reports_each_replica(monkeypatch):
    from bench.soak import main

    monkeypatch.setenv("EXPLORER_WARM_UP", "0")  # a fast start; the warm-up has tests of its own
    figures = main(["--sessions", "6", "--seconds", "20", "--replicas", "2"])
    assert figures["errors"] == 0
    assert figures["runs"] >= 6
    assert figures["app1_memory_peak_mb"] > 0 and figures["app2_memory_peak_mb"] > 0


def test_first_load_bench_reports_both_pages_and_writes_the_breakdown(tmp_path):
    from bench.first_load import main

    table = main(["--out", str(tmp_path), "--unthrottled"])  # the same bytes; the slow connection is make bench's
    assert [row[0].split(" unthrottled")[0] for row in table] == ["First visit to /", "First visit to /kiosk"]
    for row in table:
        assert "MiB" in row[2] and "MiB" in row[3]
        assert " / nan s" not in row[2], row  # the map was drawn within the timeout
    files = sorted(p.name for p in tmp_path.glob("*.csv"))
    assert files == [f"first_load_single_app_{page}_{variant}.csv" for page in ("home", "kiosk")
                     for variant in ("naive", "served")]
    rows = pd.read_csv(tmp_path / "first_load_single_app_home_served.csv")
    assert list(rows.columns) == ["kind", "url", "bytes", "content_encoding", "status"]
    assert rows["bytes"].sum() > 100_000
    assert not rows["kind"].str.startswith("other host").any(), rows[rows["kind"].str.startswith("other host")]
    assert rows["kind"].notna().all() and rows["url"].notna().all()
    assert not rows["url"].str.contains("rehype-raw").any()  # no Markdown with raw HTML on the first visit
