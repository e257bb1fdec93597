"""Ward councillors as listed by the council (a dated, possibly stale list)."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from geo.validate import check_known, read_csv


def read_councillors(path: Path, wards: set[str], *, label: str | None = None) -> pd.DataFrame:
    """Read the council's councillor list, checking its ward codes.

    Returns
    -------
    DataFrame
        ``ward``, ``name``, ``party``, ``term``; an empty name marks a vacancy.
    """
    name = label or str(path)
    frame = read_csv(path, ["ward_code", "councillor_name", "party", "term_label_in_source"], label=name)
    check_known(frame, "ward_code", wards, name, "ward code")
    return pd.DataFrame(
        {
            "ward": frame["ward_code"],
            "name": frame["councillor_name"].fillna("").str.strip(),
            "party": frame["party"].fillna("").str.strip(),
            "term": frame["term_label_in_source"],
        }
    ).sort_values(["ward", "name"], ignore_index=True)
