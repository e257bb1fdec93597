"""England values for indicators whose sources publish one (``data/registry/england_values.csv``)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pandas as pd

from explorer.errors import DataError
from explorer.registry import Indicator
from explorer.validate import check_numeric, read_csv

ENGLAND = "E92000001"
COLUMNS = ("indicator", "file", "filter_column", "filter_values", "value_column", "lower_column", "upper_column")


def england_rows(path: Path, registry: dict[str, Indicator], read: Callable[[str, list[str]], pd.DataFrame],
                 label: Callable[[str], str]) -> pd.DataFrame:
    """One ``england`` row per registered benchmark, read through the build's raw-file reader.

    Each benchmark must match exactly one row of its file.
    """
    name = "data/registry/england_values.csv"
    spec = read_csv(path, COLUMNS, label=name).fillna("")
    rows = []
    for i, row in enumerate(spec.to_dict("records"), start=1):
        if row["indicator"] not in registry:
            raise DataError(name, f"unknown indicator '{row['indicator']}'", row=i, column="indicator")
        columns = row["filter_column"].split(";")
        values = row["filter_values"].split(";")
        limits = [c for c in (row["lower_column"], row["upper_column"]) if c]
        frame = read(row["file"], [*columns, row["value_column"], *limits])
        for column, value in zip(columns, values, strict=True):
            frame = frame[frame[column] == value]
        if len(frame) != 1:
            raise DataError(label(row["file"]), f"{len(frame)} rows match {dict(zip(columns, values, strict=True))}; "
                            "expected exactly one England row")
        scale = registry[row["indicator"]].scale
        value = check_numeric(frame, row["value_column"], label(row["file"])).iloc[0] * scale
        lower = check_numeric(frame, row["lower_column"], label(row["file"])).iloc[0] * scale if limits else None
        upper = check_numeric(frame, row["upper_column"], label(row["file"])).iloc[0] * scale if limits else None
        rows.append({"indicator": row["indicator"], "geography": "england", "code": ENGLAND, "value": value,
                     "lower": lower, "upper": upper})
    return pd.DataFrame(rows)
