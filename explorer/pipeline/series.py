"""Series over time held as data: the registry (``data/registry/series.csv``) says what each series is.

Each series id has a title, which way is better and the rule its changes are judged by (with why the rule fits).
A series' rows (area, period, value, unit, source and, for counts and shares, ``count`` and ``denominator``) come
from Coventry's own build or from a local pack's series file; both are joined to the registry here.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from geo.errors import DataError
from geo.validate import check_unique, read_csv

SERIES_COLUMNS = ("id", "title", "better", "change_rule", "threshold", "rule_note")
CHANGE_RULES = ("threshold", "intervals", "counts", "proportions", "paired", "editions", "described")
NAME = "data/registry/series.csv"


def load_series_registry(path: Path) -> pd.DataFrame:
    """The series registry (``data/registry/series.csv``): title, which way is better and how change is judged."""
    frame = read_csv(path, SERIES_COLUMNS, label=NAME).fillna("")
    check_unique(frame, ["id"], NAME)
    for i, row in enumerate(frame.to_dict("records"), start=1):
        if row["better"] not in ("higher", "lower"):
            raise DataError(NAME, f"'{row['better']}' is not 'higher' or 'lower'", row=i, column="better")
        if row["change_rule"] not in CHANGE_RULES:
            raise DataError(NAME, f"'{row['change_rule']}' is not one of {CHANGE_RULES}", row=i, column="change_rule")
        if row["change_rule"] in ("threshold", "intervals") and not row["threshold"]:
            raise DataError(NAME, f"a {row['change_rule']} rule needs its threshold (for figures with no published "
                            "interval)", row=i, column="threshold")
        if not row["rule_note"].strip():
            raise DataError(NAME, "say why the rule fits this series", row=i, column="rule_note")
    return frame


def with_meta(series: pd.DataFrame, path: Path, label: str | None = None) -> pd.DataFrame:
    """``series`` with each row's registry columns (title, better, change_rule, threshold, rule_note) joined on.

    Parameters
    ----------
    series : DataFrame
        Rows with a ``series`` id each.
    path : Path
        The series registry.
    label : str, optional
        The file the rows were read from (a pack's series file), named with the row of the first unknown id;
        None for rows a build made, when the registry is named instead.
    """
    meta = load_series_registry(path).set_index("id")
    unknown = series["series"][~series["series"].isin(meta.index)]
    if len(unknown):
        where = {"row": int(unknown.index[0]) + 1, "column": "series"} if label else {"column": "id"}
        raise DataError(label or NAME, f"no row for series {sorted(set(unknown))} in {NAME}; add one (its title, "
                        "which way is better, how change is judged)", **where)
    return series.join(meta[list(SERIES_COLUMNS[1:])], on="series")
