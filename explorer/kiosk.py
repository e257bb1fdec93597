"""The library kiosk and "my area" view: settings, plain-English facts and what is nearby.

Facts are rows of ``data/registry/kiosk_facts.csv``: an icon, a heading, the
indicators used, and a sentence template such as
``"Across Coventry it is {imd25_pct_d1.coventry:.0f} in every 100."``. A missing
value is never filled: the fact then says the figure is not available.
"""

from __future__ import annotations

import re
import string
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from types import SimpleNamespace
from urllib.parse import quote, urlsplit

import pandas as pd

from explorer.errors import DataError
from explorer.profile import standing_of
from explorer.registry import Indicator
from explorer.validate import read_csv

FACT_COLUMNS = ("order", "icon", "heading", "indicators", "names", "template", "how")
ICON = re.compile(r"[a-z_]{2,40}")  # a Material Symbols name, served with the app
MAX_POSTCODE = 8  # "CV34 5AB" is the longest UK form
KEYPAD_ROWS = ("1234567890", "QWERTYUIOP", "ASDFGHJKL", "ZXCVBNM")
KEYS = set("".join(KEYPAD_ROWS)) | {" "}
# Plain words for each judgement of explorer.judge (the interval rule compares with Coventry's value; the
# fifths rule only places the ward among the wards, so its words never mention the average).
COMPARISON_WORDS = {
    "better": "Better than the Coventry average",
    "worse": "Worse than the Coventry average",
    "similar": "About the same as the Coventry average",
    "higher": "Higher than the Coventry average",
    "lower": "Lower than the Coventry average",
    "best fifth": "Among the best fifth of Coventry's wards",
    "worst fifth": "Among the worst fifth of Coventry's wards",
    "middle fifths": "In the middle of Coventry's wards",
    "highest fifth": "Among the highest fifth of Coventry's wards",
    "lowest fifth": "Among the lowest fifth of Coventry's wards",
}
# Plain names for the register's site types (singular, plural); a type not listed is shown as written.
PLAIN_TYPES = {
    "Library": ("library", "libraries"),
    "Family hub": ("family hub", "family hubs"),
    "GP practice": ("GP surgery", "GP surgeries"),
    "Pharmacy": ("pharmacy", "pharmacies"),
    "EV charge point": ("electric car charging point", "electric car charging points"),
    "Air quality monitoring site": ("air pollution monitor", "air pollution monitors"),
    "Fly-tipping hot street": ("street watched for fly-tipping", "streets watched for fly-tipping"),
    "Waste drop site": ("place to drop off rubbish", "places to drop off rubbish"),
}
PLAIN_PRIORITIES = {"communities": "Health and tackling inequalities", "climate": "Climate and cleaner streets",
                    "economy": "Jobs and money"}
VISIT_TYPES = ("Library", "Family hub")  # places a visitor can walk into: named one by one


@dataclass(frozen=True)
class KioskSettings:
    """How a kiosk behaves, read from the environment of the server.

    Attributes
    ----------
    idle_seconds : int
        Quiet time before the "Still there?" prompt (EXPLORER_KIOSK_IDLE_SECONDS, default 90).
    prompt_seconds : int
        How long the prompt waits before starting again (EXPLORER_KIOSK_PROMPT_SECONDS, default 20).
    staff_pin : str or None
        Digits that open the way out for staff (EXPLORER_KIOSK_PIN); None turns the way out off.
    public_url : str or None
        Address phones can reach, for the QR code (EXPLORER_PUBLIC_URL), e.g. https://explorer.example.org/.
    """

    idle_seconds: int = 90
    prompt_seconds: int = 20
    staff_pin: str | None = None
    public_url: str | None = None


def _seconds(env: Mapping[str, str], name: str, default: int, low: int, high: int) -> int:
    text = env.get(name, "").strip()
    if not text:
        return default
    if not re.fullmatch(r"[0-9]{1,6}", text) or not low <= int(text) <= high:  # isdigit() would accept "²"
        raise ValueError(f"{name}={text!r}: set it to a whole number of seconds from {low} to {high}")
    return int(text)


def read_settings(env: Mapping[str, str]) -> tuple[KioskSettings, list[str]]:
    """Read kiosk settings; a bad variable keeps its default and is described in the returned problems.

    Examples
    --------
    >>> read_settings({"EXPLORER_KIOSK_IDLE_SECONDS": "soon", "EXPLORER_KIOSK_PIN": "2468"})[0].staff_pin
    '2468'
    """
    values, problems = {}, []
    readers = {
        "idle_seconds": lambda: _seconds(env, "EXPLORER_KIOSK_IDLE_SECONDS", 90, 5, 3600),
        "prompt_seconds": lambda: _seconds(env, "EXPLORER_KIOSK_PROMPT_SECONDS", 20, 3, 600),
        "staff_pin": lambda: _pin(env),
        "public_url": lambda: _public_url(env),
    }
    for field, read in readers.items():
        try:
            values[field] = read()
        except ValueError as exc:
            problems.append(str(exc))
    return KioskSettings(**values), problems


def settings_from(env: Mapping[str, str]) -> KioskSettings:
    """Read kiosk settings strictly, saying which variable is wrong and what it should be.

    Examples
    --------
    >>> settings_from({}).idle_seconds
    90
    >>> read_settings({"EXPLORER_KIOSK_PROMPT_SECONDS": "²"})[1]
    ["EXPLORER_KIOSK_PROMPT_SECONDS='²': set it to a whole number of seconds from 3 to 600"]
    >>> settings_from({"EXPLORER_KIOSK_IDLE_SECONDS": "30", "EXPLORER_KIOSK_PIN": "2468"}).staff_pin
    '2468'
    """
    settings, problems = read_settings(env)
    if problems:
        raise ValueError("; ".join(problems))
    return settings


def _pin(env: Mapping[str, str]) -> str | None:
    pin = env.get("EXPLORER_KIOSK_PIN", "").strip() or None
    if pin is not None and not re.fullmatch(r"\d{4,8}", pin):
        raise ValueError("EXPLORER_KIOSK_PIN must be 4 to 8 digits (staff type it on the kiosk's number pad)")
    return pin


def _public_url(env: Mapping[str, str]) -> str | None:
    public = env.get("EXPLORER_PUBLIC_URL", "").strip() or None
    if public is None:
        return None
    parts = urlsplit(public)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise ValueError(f"EXPLORER_PUBLIC_URL={public!r}: give the full address, e.g. https://explorer.example.org/")
    return public.rstrip("/") + "/"


@dataclass(frozen=True)
class FactRow:
    """One row of the kiosk facts registry."""

    icon: str
    heading: str
    indicators: tuple[str, ...]
    names: tuple[str, ...]
    template: str
    how: str


def load_facts(path: Path, registry: Mapping[str, Indicator]) -> list[FactRow]:
    """Read the kiosk facts registry, naming the row and column of any problem."""
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
        if not used <= set(ids):
            raise DataError(path.name, f"the template uses {sorted(used - set(ids))}, which are not in its "
                            "indicators", column="template", **where)
        facts.append(FactRow(str(row["icon"]), str(row["heading"]), ids, names, str(row["template"]),
                             str(row["how"])))
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


def area_facts(table: pd.DataFrame, facts: list[FactRow], registry: Mapping[str, Indicator]) -> list[Fact]:
    """Fill each fact from a ward's profile table (see :func:`explorer.profile.profile_table`).

    A fact whose figures are missing says so; nothing is estimated.
    """
    rows = table.set_index("id")
    out = []
    for fact in facts:
        picked = {i: rows.loc[i] for i in fact.indicators if i in rows.index}
        missing = len(picked) < len(fact.indicators) or any(
            pd.isna(r["value"]) or pd.isna(r["coventry"]) for r in picked.values())
        if missing:
            sentence = "We do not have this figure for this area."
        else:
            sentence = fact.template.format(**{
                i: SimpleNamespace(value=float(r["value"]), coventry=float(r["coventry"])) for i, r in picked.items()})
        parts = []
        for k, r in enumerate(picked.values()):
            words = COMPARISON_WORDS.get(r["comparison"])
            if not words:
                continue
            place = standing_of(r)
            rank = f"{place.words('worst', 'best')} of Coventry's {place.n} wards" if place else ""
            if r["rule"] == "fifths" and rank:  # no interval: its place among the wards says it all
                said = rank[0].upper() + rank[1:]
            else:
                said = words + (f", {rank}" if rank else "")
            who = f"{fact.names[k].capitalize()}: " if len(fact.indicators) > 1 else ""
            parts.append(f"{who}{said if not who else said[0].lower() + said[1:]}.")
        sources = "; ".join(dict.fromkeys(f"{registry[i].period}, {registry[i].source}" for i in fact.indicators))
        out.append(Fact(fact.icon, fact.heading, sentence, " ".join(parts), fact.how, sources))
    return out


def deprivation_rank_sentence(ward_name: str, table: pd.DataFrame, indicator: str = "imd25_score") -> str:
    """Where the ward stands on overall deprivation, in plain words.

    Examples
    --------
    >>> t = pd.DataFrame({"id": ["imd25_score"], "rank": [1], "tied": [1], "n": [18]})
    >>> deprivation_rank_sentence("Foleshill", t)
    'Foleshill is the most deprived of 18 wards in Coventry.'
    >>> deprivation_rank_sentence("Wainbody", t.assign(rank=[18]))
    'Wainbody is the least deprived of 18 wards in Coventry.'
    >>> deprivation_rank_sentence("Nowhere", t.assign(rank=[None]))
    'We do not have a deprivation figure for Nowhere.'
    """
    rows = table.set_index("id")
    place = standing_of(rows.loc[indicator]) if indicator in rows.index else None
    if place is None:
        return f"We do not have a deprivation figure for {ward_name}."
    return f"{ward_name} is {place.words('most deprived', 'least deprived')} of {place.n} wards in Coventry."


def plain_type(kind: str, count: int) -> str:
    """``"3 libraries"``, ``"1 family hub"``; an unknown type is shown as written."""
    one, many = PLAIN_TYPES.get(kind, (kind.lower(), kind.lower()))
    return f"{count} {one if count == 1 else many}"


def nearby_lines(here: pd.DataFrame) -> list[str]:
    """One line per plan priority listing the sites in or near a ward, most numerous first, each dated.

    ``here`` holds register rows with ``type``, ``priority`` and the dating columns. Every count says when
    it was true ("18 electric car charging points, counted in November 2020"): the lists are of different
    dates, and none is known to be current.
    """
    lines = []
    for priority, group in here.groupby("priority", sort=True):
        counts = group["type"].value_counts()
        label = PLAIN_PRIORITIES.get(priority, str(priority))
        parts = [f"{plain_type(t, int(c))} ({_counted(group[group['type'] == t])})" for t, c in counts.items()]
        lines.append(f"{label}: " + ", ".join(parts) + ".")
    return lines


def _counted(rows: pd.DataFrame) -> str:
    """When a count of sites held: "on the list in January 2022", "open from January to March 2022"."""
    from explorer.interventions import when_summary

    when = when_summary(rows)
    if when.startswith("at some time"):
        return f"recorded {when}"
    return f"open {when}" if rows["dating"].eq("period").all() else f"on the list {when}"


def places_to_visit(here: pd.DataFrame, limit: int = 6) -> list[str]:
    """Names of libraries and family hubs in or near a ward (places a visitor can walk into)."""
    visit = here[here["type"].isin(VISIT_TYPES)].sort_values(["where", "type", "name"])
    return [f"{name} ({PLAIN_TYPES[kind][0]})" for name, kind in zip(visit["name"], visit["type"], strict=True)][:limit]


def phone_link(base_url: str, ward_name: str) -> str:
    """The address of the same "my area" view for a phone.

    Examples
    --------
    >>> print(phone_link("https://explorer.example.org/", "St Michael's"))
    https://explorer.example.org/my_area?ward=St%20Michael%27s
    """
    return f"{base_url.rstrip('/')}/my_area?ward={quote(ward_name, safe='')}"


def qr_svg_data_uri(url: str) -> str:
    """A QR code of ``url`` as an SVG data URI (drawn here: no network, no image files)."""
    import segno

    return segno.make(url, error="m").svg_data_uri(scale=8, border=3, dark="#000000", light="#ffffff")


def type_key(text: str, key: str) -> str:
    """The postcode typed so far after pressing ``key`` on the on-screen keypad.

    Examples
    --------
    >>> type_key("CV1", "5")
    'CV15'
    >>> type_key("CV1", "Space")
    'CV1 '
    >>> type_key("CV1", "Delete")
    'CV'
    >>> type_key("CV15FBX", "Z")
    'CV15FBXZ'
    >>> type_key("CV15FBXZ", "Q")
    'CV15FBXZ'
    """
    if key == "Delete":
        return text[:-1]
    if key == "Clear":
        return ""
    char = " " if key == "Space" else key.upper()
    if len(char) != 1 or char not in KEYS or len(text) >= MAX_POSTCODE:
        return text
    if char == " " and (not text or text.endswith(" ")):
        return text
    return text + char
