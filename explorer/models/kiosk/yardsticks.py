"""Fixed levels to set a figure beside (a legal limit, a health guideline), from ``data/registry/yardsticks.csv``."""

from __future__ import annotations

import math
import string
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from explorer.models.kiosk.facts import FactRow
from explorer.registry import Indicator
from geo.errors import DataError
from geo.validate import read_csv

YARDSTICK_COLUMNS = ("indicator", "order", "value", "unit", "sentence", "source")


@dataclass(frozen=True)
class Yardstick:
    """A fixed level to compare a figure with (a legal limit, a health guideline), from the yardsticks registry."""

    indicator: str
    value: float
    unit: str
    sentence: str
    source: str


def load_yardsticks(path: Path, registry: Mapping[str, Indicator]) -> dict[str, list[Yardstick]]:
    """Read ``data/registry/yardsticks.csv``: indicator id -> its yardsticks in order, naming any bad row."""
    frame = read_csv(path, YARDSTICK_COLUMNS, label=path.name)
    out: dict[str, list[Yardstick]] = {}
    for i, row in frame.sort_values(["indicator", "order"], kind="stable").iterrows():
        where = {"row": int(i) + 1}
        if row["indicator"] not in registry:
            raise DataError(path.name, f"indicator '{row['indicator']}' is not in indicators.csv or "
                            "national_themes.csv", column="indicator", **where)
        try:
            value = float(row["value"])
        except (TypeError, ValueError):
            raise DataError(path.name, f"'{row['value']}' is not a number", column="value", **where) from None
        if math.isnan(value):
            raise DataError(path.name, "give the yardstick's value", column="value", **where)
        used = {f for _, f, _, _ in string.Formatter().parse(str(row["sentence"])) if f}
        if used != {"value"}:
            raise DataError(path.name, "the sentence must show the value as {value}", column="sentence", **where)
        if pd.isna(row["source"]) or not str(row["source"]).strip():
            raise DataError(path.name, "say where the yardstick comes from", column="source", **where)
        out.setdefault(row["indicator"], []).append(
            Yardstick(row["indicator"], value, str(row["unit"]), str(row["sentence"]), str(row["source"])))
    return out


def yardstick_words(fact: FactRow, yardsticks: Mapping[str, list[Yardstick]]) -> str:
    """"To compare: ..." with every yardstick of the fact's indicators, or "" when it has none.

    The yardsticks are stated, not judged: the visitor sets the figure beside them (a modelled background
    level has no interval, so :mod:`explorer.stats.judge` gives no above/below words for it).
    """
    found = [y for i in fact.indicators for y in yardsticks.get(i, [])]
    if not found:
        return ""
    said = " ".join(y.sentence.format(value=y.value) for y in found)
    return "To compare: " + said[:1].lower() + said[1:]
