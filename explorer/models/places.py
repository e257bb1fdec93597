"""Which local authority a page shows: the ``?la=`` address, the ``EXPLORER_LA`` pin, and what to say about them.

No Streamlit here: ``pages/_authority.py`` lays out the picker and the notices this module words.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import pandas as pd

from geo.vintages import WardVintage

COVENTRY = "E08000026"
BUILD_HINT = "build the national store with `make national` (python -m explorer.pipeline.national)"


# The words for an authority follow what the data held say of it. Only Coventry's own pack says it is a city (its
# publisher, "Coventry City Council", in data/sources.csv); the national files say no more of an authority than its
# name and ONS code (data/raw/national/england_lad_codes_to_lad25.csv has no kind), so any other authority is
# called by its name, or "the authority", never a city, county, borough or district.
CITIES = frozenset({COVENTRY})


def map_title(code: str) -> str:
    """The ward map's name in the menu: "City map" for a city the data call one (Coventry), else "Ward map".

    Examples
    --------
    >>> map_title("E08000026"), map_title("E06000052")
    ('City map', 'Ward map')
    """
    return "City map" if code in CITIES else "Ward map"


def opening_wards(codes: list[str], values: pd.DataFrame, n: int = 1) -> list[str]:
    """The first ``n`` wards of ``codes`` a page opens on: wards with a figure come before wards with none.

    A ward that ONS's best fit assigns no neighbourhood to has no figures (Bryher, first of the Isles of Scilly's
    wards in alphabetical order): a page that opens on it shows nothing, so the first wards with figures are
    chosen, in the order of ``codes``; wards without any follow, for an authority with fewer than ``n`` with.

    Examples
    --------
    >>> values = pd.DataFrame({"geography": ["ward", "ward", "city"], "code": ["b", "c", "x"],
    ...                        "value": [12.65, float("nan"), 12.65]})
    >>> opening_wards(["a", "b", "c"], values, 2)
    ['b', 'a']
    """
    have = set(values.loc[(values["geography"] == "ward") & values["value"].notna(), "code"])
    return ([c for c in codes if c in have] + [c for c in codes if c not in have])[:n]


def resolve(query: str | None, names: dict[str, str]) -> str | None:
    """The code of the authority a code or a name means (any case, spaces around ignored), or None.

    Parameters
    ----------
    query : str or None
        What was asked, for example ``E08000025``, ``birmingham`` or ``Birmingham``.
    names : dict
        Authority names by 2025 LA code.

    Examples
    --------
    >>> names = {"E08000026": "Coventry", "E08000025": "Birmingham"}
    >>> resolve(" BIRMINGHAM ", names), resolve("e08000026", names), resolve("Gotham", names)
    ('E08000025', 'E08000026', None)
    """
    text = str(query or "").strip().casefold()
    if not text:
        return None
    for code, name in names.items():
        if text in (code.casefold(), name.casefold()):
            return code
    return None


def shown_as(text: str) -> str:
    """What was asked, cut to 60 characters for a notice."""
    text = str(text)
    return text if len(text) <= 60 else text[:57] + "..."


@dataclass(frozen=True)
class Choice:
    """The authority to show, whether the picker is offered, and what to tell the visitor."""

    code: str
    pinned: bool
    notices: list[str] = field(default_factory=list)


def choose(asked: str | None, pin: str | None, names: dict[str, str], default: str = COVENTRY) -> Choice:
    """Decide the authority from the address's ``la`` and the deployment's ``EXPLORER_LA``.

    A pin that names a held authority wins and hides the picker; ``la`` is then ignored, with a notice when it
    asks for another one. Otherwise a valid ``la`` is shown, and a bad one falls back to ``default`` with a
    notice naming what was asked. ``names`` holds only the authorities this app can show.

    Examples
    --------
    >>> names = {"E08000026": "Coventry", "E08000025": "Birmingham"}
    >>> choose("birmingham", None, names).code
    'E08000025'
    >>> choose("Atlantis", None, names).notices
    ['The link asked for the local authority “Atlantis”, which this app does not hold; showing Coventry instead.']
    >>> c = choose("Birmingham", "E08000026", names); (c.code, c.pinned, len(c.notices))
    ('E08000026', True, 1)
    """
    notices: list[str] = []
    wanted = resolve(asked, names) if asked is not None else None
    if pin:
        code = resolve(pin, names)
        if code is not None:
            if asked is not None and wanted != code:
                notices.append(f"This explorer is set up for {names[code]} only; the link's local authority "
                               f"“{shown_as(asked)}” is not shown.")
            return Choice(code, True, notices)
        notices.append(f"This explorer is set to show “{shown_as(pin)}” (EXPLORER_LA), which it does not hold; "
                       f"showing {names[default]} instead.")
    if asked is not None and wanted is None:
        notices.append(f"The link asked for the local authority “{shown_as(asked)}”, which this app does not hold; "
                       f"showing {names[default]} instead.")
    return Choice(wanted or default, False, notices)


def store_vintage(name: str, codes: list[str]) -> WardVintage:
    """The ward set of an authority read from the national store: the May 2025 wards (ONS).

    Parameters
    ----------
    name : str
        The authority's name.
    codes : list of str
        Its ward codes.
    """
    count = len(codes)
    return WardVintage(
        vintage="wd2025", label=f"{name} wards, May 2025", in_force="May 2025", first_code=min(codes),
        last_code=max(codes), ward_count=count, boundaries_file="store/wards.parquet", code_column="code",
        name_column="name", lsoa21_lookup="store/lookups.parquet", lsoa11_lookup="store/lookups.parquet",
        names_file="",
        note=f"The {count} wards of {name} in force in May 2025 (ONS). Neighbourhoods (2021 LSOAs) are assigned "
             "to wards by ONS's 2024 best fit; in councils re-warded since, by the area they share.")
