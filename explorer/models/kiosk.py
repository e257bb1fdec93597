"""The library kiosk and "my area" view: settings, plain-English facts and what is nearby.

Facts are rows of ``data/registry/kiosk_facts.csv``: an icon, a heading, the
indicators used, and a sentence template such as
``"Across Coventry it is {imd25_pct_d1.authority:.0f} in every 100."`` (``.value``: the ward's figure;
``.authority``: the authority's). A missing
value is never filled: the fact then says the figure is not available.
"""

from __future__ import annotations

import ipaddress
import math
import re
import string
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from types import SimpleNamespace
from urllib.parse import quote, urlsplit

import pandas as pd

from explorer.models.profile import standing_of
from explorer.registry import Indicator
from geo.errors import DataError
from geo.maplabels import MapPoint
from geo.postcodes import LONGEST
from geo.validate import read_csv

FACT_COLUMNS = ("order", "icon", "heading", "indicators", "names", "template", "how", "from", "to", "who")
# Optional column "each": one sentence per indicator of a fact with several, for when only some are held.
LANDMARK_COLUMNS = ("id", "label", "kind", "lat", "lon", "file", "column", "match", "source")
LANDMARK_KINDS = {"city centre", "hospital"}  # libraries and family hubs come from the interventions register
LANDMARK_MARGIN = 0.05  # degrees around the authority's wards: a landmark further out is a typing slip
REGISTER_LANDMARKS = {"Library": "library", "Family hub": "family hub"}
YARDSTICK_COLUMNS = ("indicator", "order", "value", "unit", "sentence", "source")
PERIOD = re.compile(r"(?P<year>(19|20)[0-9]{2})(-(?P<month>0[1-9]|1[0-2]))?")  # 2013 or 2020-04
MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
          "November", "December")
PIN_TRIES, PIN_LOCK_SECONDS = 5, 60  # wrong staff numbers in a row, then the pad is locked for a minute
LOOPBACK_NAMES = {"localhost", "localhost.localdomain", "ip6-localhost", "ip6-loopback"}
ICON = re.compile(r"[a-z_]{2,40}")  # a Material Symbols name, served with the app
MAX_POSTCODE = LONGEST  # "BFPO 1234" is the longest UK postcode ("CV34 5AB" the longest street one)
KEYPAD_ROWS = ("1234567890", "QWERTYUIOP", "ASDFGHJKL", "ZXCVBNM")
KEYS = set("".join(KEYPAD_ROWS)) | {" "}
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
FACT_INDICATORS_ALWAYS = ("imd25_score",)  # "my area" also says where the ward stands on overall deprivation


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
    library : str or None
        The library the kiosk stands in (EXPLORER_KIOSK_LIBRARY), exactly as named in the interventions
        register; the map marks it "You are here" and opens on its ward. None: no marker, whole city.
    """

    idle_seconds: int = 90
    prompt_seconds: int = 20
    staff_pin: str | None = None
    public_url: str | None = None
    library: str | None = None


def _seconds(env: Mapping[str, str], name: str, default: int, low: int, high: int) -> int:
    text = env.get(name, "").strip()
    if not text:
        return default
    if not re.fullmatch(r"[0-9]{1,6}", text) or not low <= int(text) <= high:  # isdigit() would accept "²"
        raise ValueError(f"{name}={text!r}: set it to a whole number of seconds from {low} to {high}")
    return int(text)


def read_settings(env: Mapping[str, str], libraries: Sequence[str] | None = None) -> tuple[KioskSettings, list[str]]:
    """Read kiosk settings; a bad variable keeps its default and is described in the returned problems.

    ``libraries`` are the names of the Library rows of the interventions register, which
    EXPLORER_KIOSK_LIBRARY must name (any case; the register's spelling is kept).

    Examples
    --------
    >>> read_settings({"EXPLORER_KIOSK_IDLE_SECONDS": "soon", "EXPLORER_KIOSK_PIN": "2468"})[0].staff_pin
    '2468'
    >>> read_settings({"EXPLORER_KIOSK_LIBRARY": "foleshill library"}, ["Foleshill Library"])[0].library
    'Foleshill Library'
    """
    values, problems = {}, []
    readers = {
        "idle_seconds": lambda: _seconds(env, "EXPLORER_KIOSK_IDLE_SECONDS", 90, 5, 3600),
        "prompt_seconds": lambda: _seconds(env, "EXPLORER_KIOSK_PROMPT_SECONDS", 20, 3, 600),
        "staff_pin": lambda: _pin(env),
        "public_url": lambda: _public_url(env),
        "library": lambda: _library(env, libraries or []),
    }
    for field, read in readers.items():
        try:
            values[field] = read()
        except ValueError as exc:
            problems.append(str(exc))
    return KioskSettings(**values), problems


def settings_from(env: Mapping[str, str], libraries: Sequence[str] | None = None) -> KioskSettings:
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
    settings, problems = read_settings(env, libraries)
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
    if is_loopback(parts.hostname or ""):
        raise ValueError(f"EXPLORER_PUBLIC_URL={public!r}: a phone cannot open this machine's own address; "
                         "give the address phones use, e.g. https://explorer.example.org/")
    return public.rstrip("/") + "/"


def _library(env: Mapping[str, str], libraries: Sequence[str]) -> str | None:
    wanted = " ".join(env.get("EXPLORER_KIOSK_LIBRARY", "").split())
    if not wanted:
        return None
    for name in libraries:
        if name.casefold() == wanted.casefold():
            return name
    known = ", ".join(sorted(libraries)) or "none: the register could not be read"
    raise ValueError(f"EXPLORER_KIOSK_LIBRARY={wanted[:60]!r} is not a library in data/registry/interventions.csv "
                     f"(type Library). Use one of: {known}")


def is_loopback(host: str) -> bool:
    """True for an address that only this machine can open (localhost, 127.x, ::1, 0.0.0.0).

    Examples
    --------
    >>> [is_loopback(h) for h in ("localhost", "127.0.0.1", "127.8.0.2", "::1", "[::1]", "0.0.0.0")]
    [True, True, True, True, True, True]
    >>> [is_loopback(h) for h in ("explorer.example.org", "10.1.2.3", "kiosk-server")]
    [False, False, False]
    """
    host = host.strip("[]").lower().rstrip(".")
    if host in LOOPBACK_NAMES or host.endswith(".localhost"):
        return True
    try:
        address = ipaddress.ip_address(host)
    except ValueError:
        return False
    return address.is_loopback or address.is_unspecified


@dataclass(frozen=True)
class QrAddress:
    """The address the "take this page with you" QR code opens, and any warning for staff."""

    base: str | None  # None: no code is shown to visitors (a phone could not open it)
    warning: str | None


def qr_address(public_url: str | None, page_url: str | None) -> QrAddress:
    """Choose the QR code's address: EXPLORER_PUBLIC_URL, else the address this screen was opened with.

    Examples
    --------
    >>> qr_address(None, "http://127.0.0.1:8501/kiosk").base is None
    True
    >>> qr_address(None, "http://kiosk-server:8501/kiosk").base
    'http://kiosk-server:8501/'
    >>> qr_address("https://explorer.example.org/", "http://127.0.0.1:8501/kiosk").warning is None
    True
    """
    if public_url:
        return QrAddress(public_url, None)
    here = urlsplit(page_url or "")
    if not here.netloc:
        return QrAddress(None, "EXPLORER_PUBLIC_URL is not set and this screen's own address is not known, "
                               "so visitors are shown no QR code. Set EXPLORER_PUBLIC_URL to the address phones use.")
    base = f"{here.scheme}://{here.netloc}/"
    if is_loopback(here.hostname or ""):
        return QrAddress(None, f"The QR code would open {base}, this machine's own address, which no phone can "
                               "open, so visitors are shown no QR code. Set EXPLORER_PUBLIC_URL to the address "
                               "phones use (for example https://explorer.example.org/).")
    return QrAddress(base, f"EXPLORER_PUBLIC_URL is not set, so the QR code opens {base}, the address this "
                           "screen uses. Check that a phone on the library's public network can open it, or set "
                           "EXPLORER_PUBLIC_URL.")


@dataclass
class PinGuard:
    """Wrong staff numbers in a row, and the lock that follows ``PIN_TRIES`` of them.

    Times are seconds from any monotonic clock. One guard is kept per kiosk (by address) in the
    server, so starting the page again does not reset it.

    Examples
    --------
    >>> guard = PinGuard()
    >>> [guard.wrong(now=10.0) for _ in range(5)]
    [4, 3, 2, 1, 0]
    >>> guard.seconds_left(now=30.0)
    40
    >>> guard.seconds_left(now=70.0)
    0
    """

    tries: int = 0
    locked_until: float = 0.0

    def seconds_left(self, now: float) -> int:
        """Whole seconds until the number pad opens again (0 when it is open)."""
        return max(0, math.ceil(self.locked_until - now))

    def wrong(self, now: float) -> int:
        """Count a wrong number; return how many tries are left before the lock (0: locked now)."""
        self.tries += 1
        if self.tries >= PIN_TRIES:
            self.tries = 0
            self.locked_until = now + PIN_LOCK_SECONDS
            return 0
        return PIN_TRIES - self.tries

    def right(self) -> None:
        """The right number: forget the wrong ones."""
        self.tries = 0


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


def _check_figures(text: object, name: str, column: str, where: dict) -> None:
    """Each ``{indicator.figure}`` of a template names a figure held (:data:`FIGURES`), or the row is named."""
    if not isinstance(text, str):
        return
    for _, field, _, _ in string.Formatter().parse(text):
        figure = field.partition(".")[2] if field else ""
        if field and figure not in FIGURES:
            raise DataError(name, f"'{{{field}}}' shows no figure held: write {{indicator.value}} (the ward's) or "
                            "{indicator.authority} (the authority's)", column=column, **where)


def load_facts(path: Path, registry: Mapping[str, Indicator], strict: bool = True) -> list[FactRow]:
    """Read the kiosk facts registry, naming the row and column of any problem.

    A council's own facts (``strict``) may name only indicators it holds. The national facts
    (``data/registry/kiosk_facts.csv``) are read for every authority, so an indicator not held for one is let
    through: its fact then says the figure is not held. A template may also name ``{area}``, the authority.
    """
    frame = read_csv(path, FACT_COLUMNS, label=path.name)
    facts = []
    for i, row in frame.sort_values("order", kind="stable").iterrows():
        where = {"row": int(i) + 1}
        ids = tuple(s.strip() for s in str(row["indicators"]).split(";") if s.strip())
        names = tuple(s.strip() for s in str(row["names"] if isinstance(row["names"], str) else "").split(";")
                      if s.strip())
        for ind in ids:
            if strict and ind not in registry:
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


def area_facts(table: pd.DataFrame, facts: list[FactRow], registry: Mapping[str, Indicator],
               area: str = "Coventry") -> list[Fact]:
    """Fill each fact from a ward's profile table (see :func:`explorer.models.profile.profile_table`).

    ``area`` names the authority in the words (``{area}`` in a template, "the {area} average").

    A fact whose figures are missing says so; nothing is estimated. When only some of a fact's figures are
    held (women's life expectancy but not men's), the ones held are shown and the others named as missing.
    """
    rows = table.set_index("id")
    out = []
    for fact in facts:
        picked = {i: rows.loc[i] for i in fact.indicators if i in rows.index}
        held = [i for i in fact.indicators if i in picked
                and not (pd.isna(picked[i]["value"]) or pd.isna(picked[i]["authority"]))]
        figures = {i: SimpleNamespace(value=float(picked[i]["value"]), authority=float(picked[i]["authority"]))
                   for i in held}
        if len(held) == len(fact.indicators):
            sentence = fact.template.format(**figures, area=area)
        elif held and fact.each:
            lacking = [fact.names[k] for k, i in enumerate(fact.indicators) if i not in held]
            sentence = " ".join(fact.each[fact.indicators.index(i)].format(**figures, area=area) for i in held) + (
                f" We do not have the figure for {' or '.join(lacking)} in this area.")
        else:
            sentence = "We do not have this figure for this area."
        parts = []
        for k, r in enumerate(picked.values()):
            words = COMPARISON_WORDS.get(r["comparison"], "").format(area=area)
            if not words:
                continue
            place = standing_of(r)
            rank = f"{place.words('worst', 'best')} of {area}'s {place.n} wards" if place else ""
            if r["rule"] == "fifths" and rank:  # no interval: its place among the wards says it all
                said = rank[0].upper() + rank[1:]
            else:
                said = words + (f", {rank}" if rank else "")
            who = f"{fact.names[k].capitalize()}: " if len(fact.indicators) > 1 else ""
            parts.append(f"{who}{said if not who else said[0].lower() + said[1:]}.")
        sources = "; ".join(dict.fromkeys(f"{registry[i].period}, {registry[i].source}" for i in fact.indicators
                                          if i in registry)) or "not held for this area"
        out.append(Fact(fact.icon, fact.heading, sentence, " ".join(parts), fact.how, sources))
    return out


def deprivation_rank_sentence(ward_name: str, table: pd.DataFrame, indicator: str = "imd25_score",
                              area: str = "Coventry") -> str:
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
    return f"{ward_name} is {place.words('most deprived', 'least deprived')} of {place.n} wards in {area}."


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
    from explorer.pipeline.interventions import when_summary

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
    >>> type_key("BFPO 123", "4")
    'BFPO 1234'
    >>> type_key("BFPO 1234", "5")
    'BFPO 1234'
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


def _period_parts(text: str) -> tuple[int, int | None]:
    match = PERIOD.fullmatch(text)
    if not match:
        raise ValueError(f"{text!r} is not a year (2013) or a month (2020-04)")
    return int(match["year"]), int(match["month"]) if match["month"] else None


def _period_words(text: str) -> str:
    year, month = _period_parts(text)
    return f"{MONTHS[month - 1]} {year}" if month else str(year)


def when_words(start: str, end: str, today: date) -> str:
    """When figures are from, said in words, counted back from ``today``.

    The age is taken from the middle of the last year (or month) of the period, rounded.

    Examples
    --------
    >>> when_words("2009", "2013", date(2026, 11, 29))
    'from 2009 to 2013, about 13 years ago'
    >>> when_words("2020-04", "2020-04", date(2026, 11, 29))
    'from April 2020, about 7 years ago'
    >>> when_words("2023", "2023", date(2026, 11, 29))
    'from 2023, about 3 years ago'
    >>> when_words("2025", "2025", date(2026, 3, 1))
    'from 2025, last year'
    >>> when_words("2026", "2026", date(2026, 3, 1))
    'from 2026, this year'
    """
    span = _period_words(start) if start == end else f"{_period_words(start)} to {_period_words(end)}"
    year, month = _period_parts(end)
    middle = date(year, month, 15) if month else date(year, 7, 1)
    if year == today.year:
        ago = "this year"
    elif year == today.year - 1:
        ago = "last year"
    else:
        years = max(1, round((today - middle).days / 365.25))
        ago = f"about {years} year{'s' if years != 1 else ''} ago"
    return f"from {span}, {ago}"


def fact_when(fact: FactRow, today: date) -> str:
    """The sentence dating a fact's figures: "These figures are from 2009 to 2013, about 13 years ago."."""
    these = "These figures are" if len(fact.indicators) > 1 else "This figure is"
    return f"{these} {when_words(fact.start, fact.end, today)}."


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
            raise DataError(path.name, f"indicator '{row['indicator']}' is not in indicators.csv", column="indicator",
                            **where)
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


def ward_set_lines(current_label: str, current_in_force: str, newer: Sequence[tuple[str, str, bool]],
                   ward_name: str, postcode: str | None = None) -> list[str]:
    """Say plainly which ward set the figures use, and that the ward people vote in has changed.

    ``newer`` holds (label, in force, mapped) for each later ward set (``data/registry/ward_vintages.csv``).
    No claim is made about which new ward a place is in unless that set is mapped.

    Examples
    --------
    >>> lines = ward_set_lines("Coventry wards 2004 to May 2026", "2004 to May 2026",
    ...                        [("Coventry wards from May 2026", "May 2026 onwards", False)], "Westwood", "CV4 8AA")
    >>> print(lines[0])
    Your postcode CV4 8AA was in Westwood ward, one of the wards used from 2004 to May 2026.
    >>> print(lines[1])
    The figures here are for those wards.
    >>> lines[2].startswith("The wards changed in May 2026, so the ward you vote in now may have a different name")
    True
    >>> lines[2].endswith("We do not have maps of the new wards yet, so we cannot say which new ward you are in.")
    True
    """
    if postcode:
        lines = [f"Your postcode {postcode} was in {ward_name} ward, one of the wards used from {current_in_force}.",
                 "The figures here are for those wards."]
    else:
        lines = [f"The figures here are for {ward_name} ward as it was from {current_in_force}."]
    for _label, in_force, mapped in newer:
        since = in_force.removesuffix(" onwards")
        line = (f"The wards changed in {since}, so the ward you vote in now may have a different name or edges.")
        if not mapped:
            line += (" We do not have maps of the new wards yet, so we cannot say which new ward you are in."
                     if postcode else " We do not have maps of the new wards yet.")
        lines.append(line)
    return lines


def load_landmarks(path: Path, bounds: Sequence[float]) -> list[MapPoint]:
    """Read a pack's kiosk landmarks (beyond the register: a town centre, hospitals).

    Each row names the raw file and row its point was copied from (``file``, ``column``, ``match``);
    tests/test_kiosk_logic.py checks every point against that file. ``bounds`` (west, south, east, north) are
    the authority's wards': a landmark more than :data:`LANDMARK_MARGIN` degrees outside them is refused.
    """
    frame = read_csv(path, LANDMARK_COLUMNS, label=path.name)
    out = []
    west, south, east, north = bounds
    south, west, north, east = (south - LANDMARK_MARGIN, west - LANDMARK_MARGIN, north + LANDMARK_MARGIN,
                                east + LANDMARK_MARGIN)
    for i, row in frame.iterrows():
        where = {"row": int(i) + 1}
        if row["kind"] not in LANDMARK_KINDS:
            raise DataError(path.name, f"kind '{row['kind']}' is not one of {sorted(LANDMARK_KINDS)}", column="kind",
                            **where)
        if pd.isna(row["label"]) or not str(row["label"]).strip():
            raise DataError(path.name, "give the name shown on the map", column="label", **where)
        try:
            lat, lon = float(row["lat"]), float(row["lon"])
        except (TypeError, ValueError):
            raise DataError(path.name, "lat and lon must be numbers (WGS84)", column="lat", **where) from None
        if not (south <= lat <= north and west <= lon <= east):
            raise DataError(path.name, f"{lat}, {lon} is not in or near the authority's wards", column="lat",
                            **where)
        out.append(MapPoint(str(row["label"]).strip(), str(row["kind"]), lat, lon))
    return out


def kiosk_points(register: pd.DataFrame, landmarks: Sequence[MapPoint], here: str | None) -> list[MapPoint]:
    """Everything marked on the kiosk map, with "You are here" at the library named ``here``.

    Libraries and family hubs come from the register, the rest from ``landmarks``; the kiosk's own
    library is marked once, as "You are here".
    ``register`` holds valid register rows with ``name``, ``type``, ``lat`` and ``lon``.
    """
    rows = register[register["type"].isin(list(REGISTER_LANDMARKS)) & register["lat"].notna()]
    points = [MapPoint(str(name), REGISTER_LANDMARKS[kind], float(lat), float(lon))
              for name, kind, lat, lon in zip(rows["name"], rows["type"], rows["lat"], rows["lon"], strict=True)
              if not (here and kind == "Library" and name == here)]
    points += list(landmarks)
    if here:
        found = rows[(rows["type"] == "Library") & (rows["name"] == here)]
        if len(found):
            points.append(MapPoint("You are here", "here", float(found["lat"].iloc[0]), float(found["lon"].iloc[0])))
    return points


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
              yardsticks: Mapping[str, list[Yardstick]], today: date, area: str = "Coventry") -> AreaView:
    """Put together the words of "my area" for one ward of ``area`` (see :func:`area_facts`)."""
    facts = area_facts(table, rows, registry, area)
    views = [FactView(f, fact_when(r, today), yardstick_words(r, yardsticks), r.who)
             for f, r in zip(facts, rows, strict=True)]
    imd = registry.get(FACT_INDICATORS_ALWAYS[0])
    same = [r for r in rows if imd is not None and any(i in registry and registry[i].source == imd.source
                                                        for i in r.indicators)]
    return AreaView(name, deprivation_rank_sentence(name, table, area=area), same[0] if same else None, views)


@dataclass(frozen=True)
class NearbyView:
    """What the register lists in or near a ward, in words."""

    lines: list[str]
    visit: list[str]
    sources: str


def nearby_view(here: pd.DataFrame) -> NearbyView:
    """The lines of "what is being done near here" (see :func:`nearby_lines` and :func:`places_to_visit`)."""
    if not len(here):
        return NearbyView([], [], "")
    return NearbyView(nearby_lines(here), places_to_visit(here), "; ".join(sorted(set(here["source"].astype(str)))))


ADDRESS = re.compile(r"(?:https?://|www\.)[^\s'\"()`<>\[\]\\]+?(?=[.,;:)]*(?:\s|$|['\"]))")


def words_with_addresses(text: str) -> str:
    r"""Markdown that shows ``text`` as written, with every web address as code, never as a link.

    Markdown makes a link of any bare address; on the kiosk a link is a way out.

    Examples
    --------
    >>> print(words_with_addresses("Set it to https://explorer.example.org/ or www.x.org"))
    Set it to `https://explorer.example.org/` or `www.x.org`
    >>> print(words_with_addresses("EXPLORER_PUBLIC_URL='http://127.0.0.1:8501/': no [link]"))
    EXPLORER\_PUBLIC\_URL='`http://127.0.0.1:8501/`'\: no \[link\]
    """
    from explorer.models.text import md_escape

    out, at = [], 0
    for match in ADDRESS.finditer(text):
        out += [md_escape(text[at:match.start()]), f"`{match.group(0)}`"]
        at = match.end()
    return "".join(out) + md_escape(text[at:])
