"""The plain-English facts of "my area": read from a facts file, filled from a ward's profile table.

Facts are rows of a facts file (the national ``data/registry/kiosk_facts.csv``, or a local pack's own): an icon,
a heading, the indicators used, and a sentence template such as
``"Across {area} it is {imd25_pct_d1.authority:.0f} in every 100."`` (``.value``: the ward's figure;
``.authority``: the authority's; ``{area}``: the authority's name). The format ``share`` opens a sentence with a
percentage in words: ``"{garden_all.value:share} homes here have a garden"`` reads "About 81 in every 100 homes
here...", or "None of the homes here..." (:func:`share_words`). A missing value is never filled: the fact
then says the figure is not available, and a figure not held for the authority at all says so.
"""

from __future__ import annotations

import re
import string
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from types import SimpleNamespace

import pandas as pd

from explorer.models.kiosk.dates import PERIOD, when_words
from explorer.models.profile import standing_of
from explorer.models.text import counted
from explorer.registry import Indicator
from geo.errors import DataError
from geo.validate import read_csv

FACT_COLUMNS = ("order", "icon", "heading", "indicators", "names", "template", "how", "from", "to", "who")
# Optional column "each": one sentence per indicator of a fact with several, for when only some are held.
ICON = re.compile(r"[a-z_]{2,40}")  # a Material Symbols name, served with the app
# Plain words for each judgement of explorer.stats.judge ({area}: the authority; the interval rule compares with its
# value; the fifths rule only places the ward among the wards, so its words never mention the average).
COMPARISON_WORDS = {
    "better": "Better than the {area} average",
    "worse": "Worse than the {area} average",
    "similar": "About the same as the {area} average",
    "higher": "Higher than the {area} average",
    "lower": "Lower than the {area} average",
    "best fifth": "Among the best fifth of {area}'s wards",
    "worst fifth": "Among the worst fifth of {area}'s wards",
    "middle fifths": "In the middle of {area}'s wards",
    "highest fifth": "Among the highest fifth of {area}'s wards",
    "lowest fifth": "Among the lowest fifth of {area}'s wards",
}
FACT_INDICATORS_ALWAYS = ("imd25_score",)  # "my area" also says where the ward stands on overall deprivation


@dataclass(frozen=True)
class FactRow:
    """One row of the kiosk facts registry."""

    icon: str
    heading: str
    indicators: tuple[str, ...]
    names: tuple[str, ...]
    template: str
    how: str
    start: str = ""  # the figures' period, "2009" or "2020-04" (column "from")
    end: str = ""  # (column "to")
    who: str = ""  # who made the figures, in plain words
    each: tuple[str, ...] = ()  # one sentence per indicator, for when only some of them are held (column "each")


FIGURES = ("value", "authority")  # what a fact's template may show of each indicator: {le_male.value}
SHARE = "share"  # the format that opens a sentence with a percentage in words: {garden_all.value:share}


def share_words(percent: float) -> str:
    """A percentage as the words that open a sentence about people or homes, never "About 0 in every 100".

    Examples
    --------
    >>> [share_words(p) for p in (0.0, 0.3, 23.4, 99.7, 100.0)]
    ['None of the', 'Fewer than 1 in every 100', 'About 23 in every 100', 'Almost all of the', 'All of the']
    """
    if percent <= 0:
        return "None of the"
    if percent >= 100:
        return "All of the"
    if percent < 0.5:
        return "Fewer than 1 in every 100"
    if percent >= 99.5:
        return "Almost all of the"
    return f"About {percent:.0f} in every 100"


class Figure(float):
    """A fact's figure: a float that also takes the format ``share`` (:func:`share_words`)."""

    def __format__(self, spec: str) -> str:
        return share_words(self) if spec == SHARE else super().__format__(spec)


def _check_figures(text: object, name: str, column: str, where: dict) -> None:
    """Each ``{indicator.figure}`` of a template names a figure held (:data:`FIGURES`), or the row is named."""
    if not isinstance(text, str):
        return
    for _, field, _, _ in string.Formatter().parse(text):
        figure = field.partition(".")[2] if field else ""
        if field and field != "area" and figure not in FIGURES:
            raise DataError(name, f"'{{{field}}}' shows no figure held: write {{indicator.value}} (the ward's) or "
                            "{indicator.authority} (the authority's)", column=column, **where)


def load_facts(path: Path, registry: Mapping[str, Indicator]) -> list[FactRow]:
    """Read a facts file, naming the row and column of any problem.

    Every indicator a fact names must be in ``registry``: a council's own facts are checked against the
    indicators held for it; the national facts (``data/registry/kiosk_facts.csv``) against every indicator the
    explorer knows (``data/registry/indicators.csv``), so a fact whose figures are not held for one authority is
    still read, and says so (:func:`area_facts`). A template may also name ``{area}``, the authority.
    """
    frame = read_csv(path, FACT_COLUMNS, label=path.name)
    facts = []
    for i, row in frame.sort_values("order", kind="stable").iterrows():
        where = {"row": int(i) + 1}
        ids = tuple(s.strip() for s in str(row["indicators"]).split(";") if s.strip())
        names = tuple(s.strip() for s in str(row["names"] if isinstance(row["names"], str) else "").split(";")
                      if s.strip())
        for ind in ids:
            if ind not in registry:
                raise DataError(path.name, f"indicator '{ind}' is not in indicators.csv", column="indicators", **where)
        if len(ids) > 1 and len(names) != len(ids):
            raise DataError(path.name, "give one name per indicator (e.g. women;men)", column="names", **where)
        if not ICON.fullmatch(str(row["icon"])):
            raise DataError(path.name, f"'{row['icon']}' is not a Material Symbols icon name", column="icon", **where)
        used = {field.split(".")[0] for _, field, _, _ in string.Formatter().parse(str(row["template"])) if field}
        if not used <= set(ids) | {"area"}:
            raise DataError(path.name, f"the template uses {sorted(used - set(ids))}, which are not in its "
                            "indicators", column="template", **where)
        for column in ("template", "each"):
            _check_figures(row.get(column), path.name, column, where)
        for column in ("from", "to"):
            if not PERIOD.fullmatch(str(row[column]).strip()):
                raise DataError(path.name, f"'{row[column]}' is not a year (2013) or a month (2020-04)",
                                column=column, **where)
        if str(row["from"]).strip() > str(row["to"]).strip():
            raise DataError(path.name, "the period ends before it starts", column="to", **where)
        if pd.isna(row["who"]) or not str(row["who"]).strip():
            raise DataError(path.name, "say who made the figures", column="who", **where)
        each = tuple(s.strip() for s in str(row.get("each") if isinstance(row.get("each"), str) else "").split(";")
                     if s.strip())
        if len(ids) > 1 and len(each) != len(ids):
            raise DataError(path.name, "give one sentence per indicator (';'-separated), for when only some of "
                            "them are held", column="each", **where)
        for k, sentence in enumerate(each):
            used = {f.split(".")[0] for _, f, _, _ in string.Formatter().parse(sentence) if f} - {"area"}
            if used != {ids[k]}:
                raise DataError(path.name, f"sentence {k + 1} must use '{ids[k]}' and nothing else", column="each",
                                **where)
        facts.append(FactRow(str(row["icon"]), str(row["heading"]), ids, names, str(row["template"]),
                             str(row["how"]), str(row["from"]).strip(), str(row["to"]).strip(), str(row["who"]), each))
    return facts


@dataclass(frozen=True)
class Fact:
    """A fact ready to show: every number in it comes with its period and source."""

    icon: str
    heading: str
    sentence: str
    comparison: str
    how: str
    sources: str
    held: bool = True  # False: none of its figures is held for the authority (its period and source are not shown)


def area_facts(table: pd.DataFrame, facts: list[FactRow], registry: Mapping[str, Indicator],
               area: str) -> list[Fact]:
    """Fill each fact from a ward's profile table (see :func:`explorer.models.profile.profile_table`).

    Parameters
    ----------
    table : DataFrame
        The ward's profile rows (``id``, ``value``, ``authority``, ``comparison``, ``rule`` and its standing).
    facts : list of FactRow
        The facts to fill, in order.
    registry : mapping
        The indicators held for the authority: a fact naming one not in it says the figure is not held for
        ``area``, plainly, and shows no period or source for it.
    area : str
        The authority's name, for the words (``{area}`` in a template, "the {area} average").

    A fact whose figures are missing for the ward says so; nothing is estimated. When only some of a fact's
    figures are held (women's life expectancy but not men's), the ones held are shown and the others named as
    missing.
    """
    rows = _by_id(table)
    out = []
    for fact in facts:
        picked = {i: rows.loc[i] for i in fact.indicators if i in rows.index}
        held = [i for i in fact.indicators if i in picked
                and not (pd.isna(picked[i]["value"]) or pd.isna(picked[i]["authority"]))]
        figures = {i: SimpleNamespace(value=Figure(picked[i]["value"]), authority=Figure(picked[i]["authority"]))
                   for i in held}
        if len(held) == len(fact.indicators):
            sentence = fact.template.format(**figures, area=area)
        elif held and fact.each:
            sentence = " ".join(fact.each[fact.indicators.index(i)].format(**figures, area=area) for i in held)
            sentence += " " + _lacking(fact, rows, held, registry, area)
        else:
            sentence = _lacking(fact, rows, held, registry, area)
        parts = []
        for k, r in enumerate(picked.values()):
            words = COMPARISON_WORDS.get(r["comparison"], "").format(area=area)
            if not words:
                continue
            place = standing_of(r)
            rank = f"{place.words('worst', 'best')} of {area}'s {counted(place.n, 'ward')}" if place else ""
            if r["rule"] == "fifths" and rank:  # no interval: its place among the wards says it all
                said = rank[0].upper() + rank[1:]
            else:
                said = words + (f", {rank}" if rank else "")
            who = f"{fact.names[k].capitalize()}: " if len(fact.indicators) > 1 else ""
            parts.append(f"{who}{said if not who else said[0].lower() + said[1:]}.")
        sources = "; ".join(dict.fromkeys(f"{registry[i].period}, {registry[i].source}" for i in fact.indicators
                                          if i in registry)) or f"not held for {area}"
        out.append(Fact(fact.icon, fact.heading, sentence, " ".join(parts), fact.how, sources,
                        any(i in registry for i in fact.indicators)))
    return out


def _by_id(table: pd.DataFrame) -> pd.DataFrame:
    """A ward's profile rows by indicator id (none for a ward no neighbourhood is assigned to: its table is empty)."""
    return table.set_index("id") if "id" in table.columns else pd.DataFrame(columns=["value", "authority"])


def _lacking(fact: FactRow, rows: pd.DataFrame, held: list[str], registry: Mapping[str, Indicator],
             area: str) -> str:
    """What a fact lacks, in words.

    A figure may be not held for the authority at all, missing for this ward, or missing for the authority as a
    whole (its sentence sets the ward's beside it, so the ward's is not shown alone).
    """
    def value(i: str, column: str) -> float:
        return rows.loc[i, column] if i in rows.index else float("nan")

    lacking = [i for i in fact.indicators if i not in held]
    unheld = [i for i in lacking if i not in registry]
    no_ward = [i for i in lacking if i in registry and pd.isna(value(i, "value"))]
    no_own = [i for i in lacking if i in registry and i not in no_ward]
    one = len(fact.indicators) == 1

    def figure(ids: list[str]) -> str:
        return "this figure" if one else "the figure for " + " or ".join(fact.names[fact.indicators.index(i)]
                                                                         for i in ids)

    said = [f"We do not hold {figure(unheld)} for {area}."] if unheld else []
    if no_ward:
        said.append(f"We do not have {figure(no_ward)} {'for' if one else 'in'} this area.")
    if no_own:
        said.append(f"We do not have {figure(no_own)} for {area} as a whole, so this area's is not shown.")
    return " ".join(said)


def deprivation_rank_sentence(ward_name: str, table: pd.DataFrame, area: str, indicator: str = "imd25_score") -> str:
    """Where the ward stands on overall deprivation, in plain words.

    Examples
    --------
    >>> t = pd.DataFrame({"id": ["imd25_score"], "rank": [1], "tied": [1], "n": [18]})
    >>> deprivation_rank_sentence("Foleshill", t, "Coventry")
    'Foleshill is the most deprived of 18 wards in Coventry.'
    >>> deprivation_rank_sentence("Wainbody", t.assign(rank=[18]), "Coventry")
    'Wainbody is the least deprived of 18 wards in Coventry.'
    >>> deprivation_rank_sentence("Nowhere", t.assign(rank=[None]), "Coventry")
    'We do not have a deprivation figure for Nowhere.'
    """
    rows = _by_id(table)
    place = standing_of(rows.loc[indicator]) if indicator in rows.index else None
    if place is None:
        return f"We do not have a deprivation figure for {ward_name}."
    return f"{ward_name} is {place.words('most deprived', 'least deprived')} of {counted(place.n, 'ward')} in {area}."


def fact_when(fact: FactRow, today: date) -> str:
    """The sentence dating a fact's figures: "These figures are from 2009 to 2013, about 13 years ago."."""
    these = "These figures are" if len(fact.indicators) > 1 else "This figure is"
    return f"{these} {when_words(fact.start, fact.end, today)}."

