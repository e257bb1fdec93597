"""The bench's rows for the gap-over-time section and the authority's series (bench/gap_time.py, in `make bench`).

Figures are reported, never asserted: the test only checks that both sections are timed, the app beside the naive
variant, and that a section that cannot run says why instead of giving a figure.
"""

import re

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
