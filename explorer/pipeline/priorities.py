"""A plan's priorities and enablers, held as data.

A local pack's plan (Coventry's: ``data/registry/priorities.csv``), or, for an authority whose plan is not held, the
national themes grouped by Marmot's eight principles (``data/registry/marmot_themes.csv``, kind ``theme``).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from explorer.registry import Indicator
from geo.errors import DataError
from geo.validate import read_csv

NAME = "data/registry/priorities.csv"
THEMES = "data/registry/marmot_themes.csv"
KINDS = ("priority", "enabler", "theme")  # a theme: a Marmot principle's indicators, where no plan is held
DEFAULT_WEIGHT = 1  # every indicator counts equally until someone changes it
COLUMNS = ("id", "kind", "title", "outcomes", "indicators", "marmot_principles", "provision_types",
           "provision_distance_m", "city_series")


@dataclass(frozen=True)
class Priority:
    """A plan priority (or enabler): its outcomes, indicators, Marmot principles and what counts as provision."""

    id: str
    kind: str
    title: str
    outcomes: tuple[str, ...]
    indicators: tuple[str, ...]
    marmot_principles: tuple[int, ...]
    provision_types: tuple[str, ...]
    provision_distance_m: float
    city_series: tuple[str, ...]


def _split(text: str) -> tuple[str, ...]:
    return tuple(part.strip() for part in text.split("|") if part.strip())


def load_priorities(path: Path, registry: dict[str, Indicator], label: str = NAME) -> list[Priority]:
    """Read the priorities (``label`` names the file in messages), checking every indicator id against the registry."""
    return check_priorities(read_csv(path, COLUMNS, label=label), registry, label)


def check_priorities(frame: pd.DataFrame, registry: Mapping[str, object], name: str = NAME) -> list[Priority]:
    """The priorities of ``frame`` (the file as read, text), each checked: its kind, indicators, principles, distance.

    Raises
    ------
    DataError
        Naming ``name``, the row and the column of the first problem.
    """
    frame = frame.fillna("")
    out = []
    for i, row in enumerate(frame.to_dict("records"), start=1):
        if row["kind"] not in KINDS:
            raise DataError(name, f"kind '{row['kind']}' is not one of {', '.join(KINDS)}", row=i, column="kind")
        indicators = _split(row["indicators"])
        for key in indicators:
            if key not in registry:
                raise DataError(name, f"unknown indicator '{key}'", row=i, column="indicators")
        try:
            principles = tuple(int(x) for x in _split(row["marmot_principles"]))
            distance = float(row["provision_distance_m"] or 0)
        except ValueError:
            raise DataError(name, "Marmot principles and distance must be numbers", row=i,
                            column="marmot_principles") from None
        if any(not 1 <= p <= 8 for p in principles):
            raise DataError(name, "Marmot principles are numbered 1 to 8", row=i, column="marmot_principles")
        out.append(Priority(row["id"], row["kind"], row["title"], _split(row["outcomes"]), indicators, principles,
                            _split(row["provision_types"]), distance, _split(row["city_series"])))
    return out


def load_principles(path: Path) -> dict[int, str]:
    """Marmot's eight principles by number."""
    frame = read_csv(path, ["number", "principle"], label="data/registry/marmot_principles.csv")
    return {int(n): p for n, p in zip(frame["number"], frame["principle"], strict=True)}


def default_types(priority: Priority, available: list[str]) -> list[str]:
    """The provision types a priority opens with: its registry list, less any type the register lacks.

    Examples
    --------
    >>> p = Priority("x", "priority", "X", (), (), (), ("Library", "Family hub"), 800.0, ())
    >>> default_types(p, ["Family hub", "GP practice"])
    ['Family hub']
    """
    return [t for t in priority.provision_types if t in available]


def default_reach(priority: Priority, bounds: tuple[int, int, int]) -> int:
    """The distance (m) a priority opens with: its registry value on the slider's steps and within its range.

    Parameters
    ----------
    priority : Priority
        The priority; an enabler's empty distance counts as 0.
    bounds : tuple of int
        The slider's least and most distance and its step, in metres.

    Examples
    --------
    >>> default_reach(Priority("x", "priority", "X", (), (), (), (), 830.0, ()), (200, 2000, 100))
    800
    >>> default_reach(Priority("y", "enabler", "Y", (), (), (), (), 0.0, ()), (200, 2000, 100))
    200
    """
    least, most, step = bounds
    snapped = least + round((priority.provision_distance_m - least) / step) * step
    return int(min(max(snapped, least), most))
