"""Comparators: the city's and England's values, the publisher's own wherever one exists.

``data/registry/comparators.csv`` holds one row per comparator. ``how`` says where its value comes from:

- ``published``: one row of a publisher's file (ONS's Coventry life expectancy, MHCLG's local authority
  summary), as published. Where a published city value exists it is the comparator the wards are judged
  against, and the value computed here from small areas is kept beside it (geography ``city_computed``).
- ``mean``, ``decile1_share``, ``ratio``: computed here from England's small areas in a national file,
  weighted by a national population; the ``note`` says how, and why where the publisher's own weights
  are not held.

Every comparator row carries its ``note``, which the app prints beside the figure.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pandas as pd

from explorer.registry import Indicator
from geo.errors import DataError
from geo.validate import check_known, check_numeric, read_csv

ENGLAND = "E92000001"
COLUMNS = ("indicator", "geography", "how", "file", "code_column", "code", "filter_column", "filter_values",
           "value_column", "lower_column", "upper_column", "weight_file", "weight_code_column", "weight_column",
           "note")
HOWS = ("published", "mean", "decile1_share", "ratio")
NAME = "data/registry/comparators.csv"


def comparator_rows(path: Path, registry: dict[str, Indicator], city: str,
                    read: Callable[[str, list[str]], pd.DataFrame], label: Callable[[str], str]) -> pd.DataFrame:
    """One row per registered comparator: indicator, geography (city or england), code, value, limits, note.

    Parameters
    ----------
    path : Path
        The comparators registry.
    registry : dict
        Indicators by id (for the scale and to check ids).
    city : str
        The city's code (its rows' ``code``).
    read : callable
        The build's raw-file reader: ``read(file, required_columns)``.
    label : callable
        How a raw file is named in messages.

    Raises
    ------
    DataError
        Naming the registry row and column, or the raw file, of the first problem.
    """
    spec = read_csv(path, COLUMNS, label=NAME).fillna("")
    rows = []
    seen: set[tuple[str, str]] = set()
    for i, row in enumerate(spec.to_dict("records"), start=1):
        if row["indicator"] not in registry:
            raise DataError(NAME, f"unknown indicator '{row['indicator']}'", row=i, column="indicator")
        if row["geography"] not in ("city", "england"):
            raise DataError(NAME, f"'{row['geography']}' is not 'city' or 'england'", row=i, column="geography")
        if row["how"] not in HOWS:
            raise DataError(NAME, f"'{row['how']}' is not one of {HOWS}", row=i, column="how")
        if (row["indicator"], row["geography"]) in seen:
            raise DataError(NAME, f"a second {row['geography']} comparator for '{row['indicator']}'", row=i,
                            column="indicator")
        if not row["note"].strip():
            raise DataError(NAME, "say where the figure comes from", row=i, column="note")
        seen.add((row["indicator"], row["geography"]))
        ind = registry[row["indicator"]]
        reader = _published if row["how"] == "published" else _computed
        value, lower, upper = reader(row, ind, read, label)
        rows.append({"indicator": ind.id, "geography": row["geography"],
                     "code": city if row["geography"] == "city" else ENGLAND,
                     "value": value, "lower": lower, "upper": upper, "note": row["note"], "how": row["how"]})
    return pd.DataFrame(rows)


def _published(row: dict, ind: Indicator, read, label) -> tuple[float, float, float]:
    columns = [c for c in row["filter_column"].split(";") if c]
    values = row["filter_values"].split(";") if columns else []
    limits = [c for c in (row["lower_column"], row["upper_column"]) if c]
    key = [row["code_column"]] if row["code_column"] else []
    frame = read(row["file"], [*key, *columns, row["value_column"], *limits])
    if key:
        frame = frame[frame[row["code_column"]] == row["code"]]
    for column, value in zip(columns, values, strict=True):
        frame = frame[frame[column] == value]
    if len(frame) != 1:
        wanted = dict(zip(columns, values, strict=True)) | ({row["code_column"]: row["code"]} if key else {})
        raise DataError(label(row["file"]), f"{len(frame)} rows match {wanted}; expected exactly one")
    found = [check_numeric(frame, c, label(row["file"])).iloc[0] * ind.scale for c in [row["value_column"], *limits]]
    return (found[0], found[1], found[2]) if limits else (found[0], float("nan"), float("nan"))


def _computed(row: dict, ind: Indicator, read, label) -> tuple[float, float, float]:
    name = label(row["file"])
    own_weight = not row["weight_file"]
    columns = [row["code_column"], row["value_column"]] + ([row["weight_column"]] if own_weight else [])
    frame = read(row["file"], columns).set_index(row["code_column"])
    value = check_numeric(frame, row["value_column"], name)
    if own_weight:
        weight = check_numeric(frame, row["weight_column"], name)
    else:
        wframe = read(row["weight_file"], [row["weight_code_column"], row["weight_column"]])
        check_known(frame.reset_index(), row["code_column"], set(wframe[row["weight_code_column"]]), name,
                    f"area code (not in {row['weight_file']})")
        weight = check_numeric(wframe.set_index(row["weight_code_column"]), row["weight_column"],
                               label(row["weight_file"])).reindex(value.index)
    have = value.notna() & weight.notna()
    value, weight = value[have], weight[have]
    if value.empty:
        raise DataError(name, f"no England areas with both a value and a weight in '{row['value_column']}'")
    if row["how"] == "ratio":
        return float(value.sum() / weight.sum() * 100), float("nan"), float("nan")
    if row["how"] == "decile1_share":
        return float(weight[value == 1].sum() / weight.sum() * 100), float("nan"), float("nan")
    return float((value * weight).sum() / weight.sum() * ind.scale), float("nan"), float("nan")
