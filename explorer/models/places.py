"""Which local authority a page shows: the ``?la=`` address, the ``EXPLORER_LA`` pin, and what to say about them.

No Streamlit here: ``pages/_authority.py`` lays out the picker and the notices this module words.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass, field
from datetime import date

import pandas as pd

from explorer.models.text import counted
from geo.names import candidates, name_key
from geo.names import resolve as names_resolve
from geo.vintages import WardVintage

BUILD_HINT = "build the national store with `make national` (python -m explorer.pipeline.national)"


def map_title(area_word: str) -> str:
    """The ward map's name in the menu: "City map" where the authority's own pack calls it a city, else "Ward map".

    The words for an authority follow what the data held say of it: a local pack may say it is a city
    (``area_word`` in its ``pack.csv``); the national files say no more than its name and ONS code, so an
    authority without a pack is never called a city, county, borough or district.

    Examples
    --------
    >>> map_title("city"), map_title("")
    ('City map', 'Ward map')
    """
    return "City map" if area_word == "city" else "Ward map"


def opening_wards(codes: list[str], values: pd.DataFrame, n: int = 1) -> list[str]:
    """The first ``n`` wards of ``codes`` a page opens on: wards with a figure come before wards with none.

    A ward that ONS's best fit assigns no neighbourhood to has no figures (Bryher, first of the Isles of Scilly's
    wards in alphabetical order): a page that opens on it shows nothing, so the first wards with figures are
    chosen, in the order of ``codes``; wards without any follow, for an authority with fewer than ``n`` with.

    Examples
    --------
    >>> values = pd.DataFrame({"geography": ["ward", "ward", "authority"], "code": ["b", "c", "x"],
    ...                        "value": [12.65, float("nan"), 12.65]})
    >>> opening_wards(["a", "b", "c"], values, 2)
    ['b', 'a']
    """
    have = set(values.loc[(values["geography"] == "ward") & values["value"].notna(), "code"])
    return ([c for c in codes if c in have] + [c for c in codes if c not in have])[:n]


def resolve(query: str | None, names: dict[str, str], aliases: dict[str, str] | None = None) -> str | None:
    """The code of the authority a code or a name means, or None: :func:`geo.names.resolve` (the one reading).

    Examples
    --------
    >>> names = {"E08000026": "Coventry", "E08000025": "Birmingham", "E06000010": "Kingston upon Hull, City of"}
    >>> resolve(" BIRMINGHAM ", names), resolve("e08000026", names), resolve("Gotham", names)
    ('E08000025', 'E08000026', None)
    >>> resolve("Hull", names, {"Hull": "E06000010"}), resolve("kingston upon hull", names)
    ('E06000010', 'E06000010')
    """
    return names_resolve(query, names, aliases)


def shown_as(text: str) -> str:
    """What was asked, as a notice may quote it: without invisible format characters, cut to 60 characters.

    Direction marks and overrides (Unicode category Cf, such as U+202E) would turn the rest of our own sentence
    round, so a link could make the notice read as its author chose; control characters are dropped too.

    Examples
    --------
    >>> shown_as("evil\u202eemoc")
    'evilemoc'
    """
    text = "".join(ch for ch in str(text) if unicodedata.category(ch) not in ("Cf", "Cc"))
    return text if len(text) <= 60 else text[:57] + "..."


@dataclass(frozen=True)
class Choice:
    """The authority to show, whether the picker is offered, and what to tell the visitor."""

    code: str
    pinned: bool
    notices: list[str] = field(default_factory=list)


def choose(asked: str | None, pin: str | None, names: dict[str, str], default: str,
           aliases: dict[str, str] | None = None) -> Choice:
    """Decide the authority from the address's ``la`` and the deployment's ``EXPLORER_LA``.

    A pin that names a held authority wins and hides the picker; ``la`` is then ignored, with a notice when it
    asks for another one. Otherwise a valid ``la`` is shown, and a bad one falls back to ``default`` with a
    notice naming what was asked. ``names`` holds only the authorities this app can show; ``aliases`` their short
    names (:func:`geo.names.load_aliases`).

    Examples
    --------
    >>> names = {"E08000026": "Coventry", "E08000025": "Birmingham"}
    >>> choose("birmingham", None, names, "E08000026").code
    'E08000025'
    >>> choose("Atlantis", None, names, "E08000026").notices
    ['The link asked for the local authority “Atlantis”, which this app does not hold; showing Coventry instead.']
    >>> two = {**names, "E08000021": "Newcastle upon Tyne", "E07000195": "Newcastle-under-Lyme"}
    >>> choose("Newcastle", None, two, "E08000026").notices[0][39:112]
    '“Newcastle”, which could mean Newcastle upon Tyne or Newcastle-under-Lyme'
    >>> c = choose("Birmingham", "E08000026", names, "E08000026"); (c.code, c.pinned, len(c.notices))
    ('E08000026', True, 1)
    """
    notices: list[str] = []
    wanted = resolve(asked, names, aliases) if asked is not None else None
    if pin:
        code = resolve(pin, names, aliases)
        if code is not None:
            if asked is not None and wanted != code:
                notices.append(f"This explorer is set up for {names[code]} only; the link's local authority "
                               f"“{shown_as(asked)}” is not shown.")
            return Choice(code, True, notices)
        notices.append(f"This explorer is set to show “{shown_as(pin)}” (EXPLORER_LA), which it does not hold; "
                       f"showing {names[default]} instead.")
    if asked is not None and wanted is None:
        could = candidates(asked, names)
        if could:
            notices.append(f"The link asked for the local authority “{shown_as(asked)}”, which could mean "
                           f"{' or '.join(could)}; showing {names[default]} instead. Choose one in the list.")
        else:
            notices.append(f"The link asked for the local authority “{shown_as(asked)}”, which this app does not "
                           f"hold; showing {names[default]} instead.")
    return Choice(wanted or default, False, notices)


@dataclass(frozen=True)
class NewWard:
    """A ward of a set that has no boundaries or figures yet (Coventry's wards from May 2026)."""

    code: str
    name: str
    since: str  # when the set came in, as ward_vintages.csv says ("May 2026")


def new_wards(vintages: list[WardVintage], current: WardVintage,
              names: dict[str, dict[str, str]]) -> dict[str, NewWard]:
    """The wards of every set later than ``current`` that cannot be mapped yet, by code.

    ``names`` holds each such set's names by code (:func:`geo.vintages.load_ward_names`), by vintage id.
    """
    later = vintages[vintages.index(current) + 1:] if current in vintages else []
    return {code: NewWard(code, name, v.in_force.removesuffix(" onwards"))
            for v in later if not v.mappable for code, name in names.get(v.vintage, {}).items()}


def new_only(wards: dict[str, NewWard], names: dict[str, str]) -> dict[str, str]:
    """Names of the new wards whose name no ward of the current set has (any case, "&" or "and"), by code.

    Examples
    --------
    >>> new = {"E05016399": NewWard("E05016399", "Binley & Willenhall", "May 2026"),
    ...        "E05016410": NewWard("E05016410", "Tile Hill & Canley", "May 2026")}
    >>> new_only(new, {"E05001219": "Binley and Willenhall", "E05001232": "Westwood"})
    {'E05016410': 'Tile Hill & Canley'}
    """
    held = {name_key(name) for name in names.values()}
    return {code: ward.name for code, ward in wards.items() if name_key(ward.name) not in held}


def new_ward_words(ward: NewWard, current: WardVintage, how: str, default: str | None = None) -> str:
    """Say plainly that a ward of a newer set has no figures here yet, and how to find the ward a place was in.

    Examples
    --------
    >>> now = WardVintage("wd2004", "Coventry wards 2004 to May 2026", "2004 to May 2026", "E05001218",
    ...                   "E05001235", 18, "b", "c", "n", "l", "l", "", "")
    >>> said = new_ward_words(NewWard("E05016410", "Tile Hill & Canley", "May 2026"), now, "use its postcode")
    >>> said[:98]
    'Tile Hill & Canley (E05016410) is one of the wards from May 2026, whose figures are not held yet: '
    >>> said[98:]
    'every figure here is for the 18 wards used from 2004 to May 2026. To find which of those wards a place was in, \
use its postcode.'
    """
    shown = f" Showing {default} instead." if default else ""
    return (f"{ward.name} ({ward.code}) is one of the wards from {ward.since}, whose figures are not held yet: "
            f"every figure here is for the {counted(current.ward_count, 'ward')} used from {current.in_force}. "
            f"To find which of those wards a place was in, {how}.{shown}")


def stale_words(asked: str, what: str, default: str) -> str:
    """Say that a link asked for something this app does not have, and what is shown instead.

    Examples
    --------
    >>> stale_words("Gotham", "ward", "Bablake")
    'The link asked for ward “Gotham”, which this app does not have; showing Bablake instead.'
    """
    return f"The link asked for {what} “{shown_as(asked)}”, which this app does not have; showing {default} instead."


def twice_words(given: list[str], what: str) -> str:
    """Say that a link gave one parameter more than once, and that the first is taken.

    Examples
    --------
    >>> twice_words(["le_male", "le_female"], "indicator")
    'The link gives the indicator more than once (“le_male”, “le_female”); the first, “le_male”, is taken.'
    """
    listed = ", ".join(f"“{shown_as(g)}”" for g in given)
    return f"The link gives the {what} more than once ({listed}); the first, “{shown_as(given[0])}”, is taken."


def kiosk_address_words(asked: str, shown: str, pin: str | None) -> str:
    """For the kiosk's staff screen: the kiosk follows its setting, not a ``?la=`` in its address.

    Examples
    --------
    >>> kiosk_address_words("Birmingham", "Coventry", None)
    'The address asks for the local authority “Birmingham” (?la=), but a kiosk follows its setting, not its \
address: it shows Coventry (EXPLORER_LA is not set). To show another authority, set EXPLORER_LA on the server.'
    """
    setting = f"EXPLORER_LA is “{shown_as(pin)}”" if pin else "EXPLORER_LA is not set"
    return (f"The address asks for the local authority “{shown_as(asked)}” (?la=), but a kiosk follows its "
            f"setting, not its address: it shows {shown} ({setting}). To show another authority, set EXPLORER_LA "
            "on the server.")


def councillor_words(as_of: str, note: str, ward_set: WardVintage, today: date) -> str:
    """Why a council's councillors list may be out of date: its month, its age in words, and a ward set since ended.

    Parameters
    ----------
    as_of : str
        The month the list describes, ``YYYY-MM`` (the pack manifest's ``as_of``).
    note : str
        Where to check today's list, in the council's words (the manifest's ``note``).
    ward_set : WardVintage
        The ward set the list is for.
    today : date
        The day the page is shown.

    English councils hold their elections in May (each on its own cycle, some every year and some every four), so a
    list is said to be possibly out of date once a May has passed since its month; a list of May itself is taken
    as after that May's elections. Only a ward set that has since ended makes it out of date for certain.

    Examples
    --------
    >>> v = WardVintage("v", "l", "2004 to May 2026", "E05000001", "E05000001", 1, "", "", "", "", "", "", "")
    >>> councillor_words("2020-09", "Check coventry.gov.uk.", v, date(2026, 12, 7))[:61]
    "This list is the council's from September 2020 (6 years old) "
    >>> councillor_words("2020-09", "", v, date(2026, 12, 7))[61:]
    'and is out of date: the wards changed in May 2026, and local elections have been held since.'
    >>> now = WardVintage("v", "l", "May 2025 onwards", "E05000001", "E05000001", 1, "", "", "", "", "", "", "")
    >>> councillor_words("2026-05", "", now, date(2026, 12, 7))
    "This list is the council's from May 2026 (less than a year old)."
    >>> councillor_words("2025-09", "", now, date(2026, 12, 7))
    "This list is the council's from September 2025 (1 year old) and may be out of date: local elections have \
been held in May since (each council has its own cycle)."
    """
    year, month = (int(part) for part in as_of.split("-")[:2])
    when = date(year, month, 1)
    years = (today.year - year) - (today.month < month)
    age = f"{years} year{'s' if years != 1 else ''} old" if years >= 1 else "less than a year old"
    next_may = date(year + (month >= 5), 5, 1)
    elections = today >= next_may
    if ward_set.ended(today):
        state = f" and is out of date: the wards changed in {ward_set.until}" + (
            ", and local elections have been held since" if elections else "")
    elif elections:
        state = " and may be out of date: local elections have been held in May since (each council has its own cycle)"
    else:
        state = ""
    return f"This list is the council's from {when:%B %Y} ({age}){state}. {note}".strip()


def ward_set_line(shown: WardVintage, sets: list[WardVintage]) -> str:
    """The ward set figures use, in one line, with any later set not yet mapped (for a briefing's heading).

    Examples
    --------
    >>> old = WardVintage("a", "Coventry wards 2004 to May 2026", "2004 to May 2026", "E1", "E2", 18, "x", "", "",
    ...                   "", "", "", "")
    >>> new = WardVintage("b", "Coventry wards from May 2026", "May 2026 onwards", "E3", "E4", 18, "", "", "", "", "",
    ...                   "", "")
    >>> ward_set_line(old, [old, new])
    'Coventry wards 2004 to May 2026; the wards changed in May 2026 and new boundaries are not yet available'
    """
    later = [v for v in sets[sets.index(shown) + 1:] if not v.mappable] if shown in sets else []
    return shown.label + "".join(f"; the wards changed in {v.in_force.removesuffix(' onwards')} and new boundaries "
                                 "are not yet available" for v in later)
