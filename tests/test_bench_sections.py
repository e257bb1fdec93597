"""The bench's rows for the gap-over-time section, the authority's series (bench/gap_time.py) and Compare's first
run for an indicator (bench/compare_cold.py), in `make bench`.

Figures are reported, never asserted: the test only checks that both sections are timed, the app beside the naive
variant, and that a section that cannot run says why instead of giving a figure.
"""

import re

from bench import compare_cold
from bench.gap_time import table_rows


def test_both_sections_are_timed_beside_the_naive_variant(national_built, monkeypatch):
    monkeypatch.setenv("EXPLORER_STORE_DIR", str(national_built[0]))
    monkeypatch.delenv("EXPLORER_LA", raising=False)
    rows = table_rows(quick=True)
    assert [r[0] for r in rows] == ["Rerun: 'Is the gap narrowing?' (Universal Credit, 8 times), 1 authority",
                                    "Rerun: '<area> over time' (4 series beside England's), 1 authority"]
    for _, _, app, naive, ratio, _ in rows:
        assert re.fullmatch(r"\d+ ms \(max \d+, n=3\)", app), app
        assert re.fullmatch(r"\d+ ms \(max \d+, n=1\)", naive), naive
        assert ratio.endswith("x")
    assert rows[0][1] == "<= 100 ms median" and rows[0][5] in ("met", "MISSED")


def test_compare_is_timed_cold_and_warm_per_indicator(national_built, monkeypatch):
    monkeypatch.setenv("EXPLORER_STORE_DIR", str(national_built[0]))
    monkeypatch.delenv("EXPLORER_LA", raising=False)
    [row] = compare_cold.table_rows(quick=True)
    assert row[0] == "Compare: first run for an indicator (cold), 1 authority"
    assert re.fullmatch(r"\d+ ms \(max \d+, n=4\)", row[2]), row[2]
    assert re.fullmatch(r"warm rerun \d+ ms \(max \d+\)", row[3]), row[3]


def test_compare_bench_says_why_when_it_cannot_run(tmp_path, monkeypatch):
    monkeypatch.setenv("EXPLORER_STORE_DIR", str(tmp_path / "no store"))
    [row] = compare_cold.table_rows(quick=True, codes=("E06000053",))  # the Isles of Scilly: no pack, no store
    assert row[2].startswith("n/a (") and "not held yet" in row[2] and row[3] == "-"
