"""The record of what "my area" says about one ward: its facts, each dated and set beside its yardsticks."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date

import pandas as pd

from explorer.models.kiosk.facts import (
    FACT_INDICATORS_ALWAYS,
    Fact,
    FactRow,
    area_facts,
    deprivation_rank_sentence,
    fact_when,
)
from explorer.models.kiosk.yardsticks import Yardstick, yardstick_words
from explorer.registry import Indicator


@dataclass(frozen=True)
class FactView:
    """One fact as "my area" shows it: the fact, when its figures are from, and what to set them beside."""

    fact: Fact
    when: str
    yardstick: str
    who: str


@dataclass(frozen=True)
class AreaView:
    """What "my area" says about a ward's figures, in words (one per ward and day: cache it)."""

    name: str
    deprivation: str
    deprivation_from: FactRow | None  # the fact row made by the same source as the deprivation rank
    facts: list[FactView]


def area_view(name: str, table: pd.DataFrame, rows: list[FactRow], registry: Mapping[str, Indicator],
              yardsticks: Mapping[str, list[Yardstick]], today: date, area: str) -> AreaView:
    """Put together the words of "my area" for one ward of ``area`` (see :func:`area_facts`).

    A fact none of whose figures is held for ``area`` is not dated, set beside a yardstick or credited: it says
    only that the figures are not held.
    """
    facts = area_facts(table, rows, registry, area)
    views = [FactView(f, fact_when(r, today), yardstick_words(r, yardsticks), r.who) if f.held
             else FactView(f, "", "", "") for f, r in zip(facts, rows, strict=True)]
    imd = registry.get(FACT_INDICATORS_ALWAYS[0])
    same = [r for r in rows if imd is not None and any(i in registry and registry[i].source == imd.source
                                                        for i in r.indicators)]
    return AreaView(name, deprivation_rank_sentence(name, table, area), same[0] if same else None, views)
