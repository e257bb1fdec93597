"""Gaps the council itself publishes, shown beside the app's own with the reasons they differ.

``data/registry/published_gaps.csv`` holds each published figure with its page, its period (or "not stated")
and a note. They are quoted figures, not data the app computes with.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from geo.errors import DataError
from geo.validate import check_numeric, read_csv

COLUMNS = ("indicator", "measure", "value", "period", "where", "note")
NAME = "data/registry/published_gaps.csv"
WHY_OURS_DIFFER = (
    "Period: ours are for 2009-2013, the newest small-area life expectancy openly available; the council's are "
    "for later years (2020-21 for the quintile figures) or do not say, and no comparable later small-area figures "
    "are held to say how the gap has moved since.",
    "Areas: ours are 42 MSOAs of about 8,000 people each. An MSOA averages its deprived and affluent streets, which "
    "pulls the extremes together; published gaps are usually built from smaller areas (LSOAs), whose deaths data "
    "are not openly available.",
    "Deprivation measure: ours orders MSOAs by the IMD 2025 score averaged over their LSOAs; published figures for "
    "these years used IMD 2015 or 2019. The table below shows how our slope index moves with the edition.",
    "Method: ours is the slope index of inequality over all groups (PHE's phe_sii); a gap between the two extreme "
    "groups, or between deciles rather than fifths, comes out larger.",
)


def load_published_gaps(path: Path, known: set[str], label: str = NAME) -> pd.DataFrame:
    """The published gaps in ``path`` (``label`` names it in messages), each checked by :func:`check_published_gaps`."""
    return check_published_gaps(read_csv(path, COLUMNS, label=label), known, label)


def check_published_gaps(frame: pd.DataFrame, known: set[str], name: str = NAME) -> pd.DataFrame:
    """Each gap checked: a known indicator, a number, a page and a period ("not stated" allowed); values as numbers."""
    for i, row in enumerate(frame.to_dict("records"), start=1):
        if row["indicator"] not in known:
            raise DataError(name, f"unknown indicator '{row['indicator']}'", row=i, column="indicator")
        for column in ("measure", "period", "where"):
            if not isinstance(row[column], str) or not row[column].strip():
                raise DataError(name, "value is required (write 'not stated' for an unknown period)", row=i,
                                column=column)
    return frame.assign(value=check_numeric(frame, "value", name, allow_missing=False))
