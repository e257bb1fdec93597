"""Place names as people write them: one reading of a code or a name, for local authorities and wards alike.

A link or a search box may say ``foleshill``, ``E05001222``, ``Binley & Willenhall``, ``St. Michaels``, ``Hull``
or ``Leeds City Council``; the data say ``Foleshill``, ``Binley and Willenhall``, ``St Michael's``,
``Kingston upon Hull, City of`` and ``Leeds``. :func:`resolve` reads them all the same way, and answers None
when a name is unknown or could mean more than one place (it never guesses between two).

Short names that no rule can make (``Hull``) are data: ``data/registry/authority_aliases.csv``
(:func:`load_aliases`).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping
from pathlib import Path

from geo.errors import DataError
from geo.validate import check_codes, check_filled, read_csv

# Words around a name that only say what kind of body it is ("Leeds City Council", "London Borough of Hackney",
# "Foleshill ward"): dropped from what was asked when the whole of it names nothing.
PREFIXES = ("the ", "city and county of ", "city of ", "county of ", "london borough of ", "royal borough of ",
            "metropolitan borough of ", "borough of ", "district of ")
SUFFIXES = (" metropolitan borough council", " metropolitan district council", " city council", " county council",
            " borough council", " district council", " unitary authority", " council", " ward")
OF_FORM = re.compile(r"^(?P<place>.+?),\s*(?P<kind>city|county|city and county) of$", re.IGNORECASE)
ALIAS_COLUMNS = ("alias", "code", "name", "note")


def name_key(text: object) -> str:
    """A name as compared: any case and width, "&" as "and", no apostrophes, full stops or hyphens, "Saint" as "St".

    Examples
    --------
    >>> name_key("St. Michael’s"), name_key("Binley & Willenhall"), name_key("Stockton-on-Tees")
    ('st michaels', 'binley and willenhall', 'stockton on tees')
    >>> name_key("ＢＩＲＭＩＮＧＨＡＭ"), name_key("Saint  Helens")
    ('birmingham', 'st helens')
    """
    text = unicodedata.normalize("NFKC", str(text)).casefold().replace("&", " and ")
    text = re.sub(r"[’'`´‘.]", "", text)
    words = re.sub(r"[\W_]+", " ", text).split()
    return " ".join("st" if word == "saint" else word for word in words)


def forms(name: str) -> set[str]:
    """Every way a name may be written, as :func:`name_key` keys: ``Bristol, City of`` is also ``Bristol``.

    Examples
    --------
    >>> sorted(forms("Kingston upon Hull, City of"))
    ['city of kingston upon hull', 'kingston upon hull', 'kingston upon hull city of']
    >>> sorted(forms("Coventry"))
    ['coventry']
    """
    out = {name_key(name)}
    match = OF_FORM.match(str(name).strip())
    if match:
        out |= {name_key(match["place"]), name_key(f"{match['kind']} of {match['place']}")}
    return out


def _trimmed(key: str) -> set[str]:
    """What was asked without the words that only say what kind of body it is."""
    out = {key}
    for _ in range(2):  # "the city of leeds council": a prefix and a suffix
        for text in list(out):
            out |= {text[len(p):] for p in PREFIXES if text.startswith(p)}
            out |= {text[:-len(s)] for s in SUFFIXES if text.endswith(s)}
    return {text.strip() for text in out if text.strip()}


def resolve(query: object, names: Mapping[str, str], aliases: Mapping[str, str] | None = None) -> str | None:
    """The code a code or a name means, or None when it means none (or more than one) of ``names``.

    Read in this order: the code itself (any case); the name (:func:`name_key`: any case, "&" or "and",
    with or without apostrophes, full stops and hyphens); its other forms (``Bristol`` for ``Bristol, City of``,
    :func:`forms`), also without words such as "City Council" or "London Borough of"; then ``aliases``. A name
    that only begins another (``Richmond``: Richmond upon Thames, or the town in Richmondshire?) is not read as it:
    :func:`candidates` offers it instead.

    Parameters
    ----------
    query : str or None
        What was asked, for example ``e08000025``, ``birmingham``, ``Hull`` or ``Binley & Willenhall``.
    names : mapping
        Names by code (authorities by 2025 LA code, or one authority's wards by ward code).
    aliases : mapping, optional
        Code by short name (:func:`load_aliases`), for names no rule can make.

    Examples
    --------
    >>> names = {"E06000010": "Kingston upon Hull, City of", "E08000035": "Leeds", "E09000033": "Westminster",
    ...          "E06000043": "Brighton and Hove"}
    >>> [resolve(q, names) for q in ("e08000035", "LEEDS", "Leeds City Council", "City of Westminster")]
    ['E08000035', 'E08000035', 'E08000035', 'E09000033']
    >>> resolve("Brighton & Hove", names), resolve("Kingston upon Hull", names), resolve("Gotham", names)
    ('E06000043', 'E06000010', None)
    >>> resolve("hull", names), resolve("hull", names, {"Hull": "E06000010"})
    (None, 'E06000010')
    """
    text = unicodedata.normalize("NFKC", str(query if query is not None else "")).strip()
    if not text:
        return None
    by_code = {code.casefold(): code for code in names}
    if text.casefold() in by_code:
        return by_code[text.casefold()]
    key = name_key(text)
    exact = [code for code, name in names.items() if name_key(name) == key]
    if len(exact) == 1:
        return exact[0]
    if exact:
        return None
    asked = _trimmed(key)
    found = {code for code, name in names.items() if forms(name) & asked}
    if not found and aliases:
        found = {code for alias, code in aliases.items() if name_key(alias) in asked and code in names}
    return found.pop() if len(found) == 1 else None


def _starting_with(asked: set[str], names: Mapping[str, str]) -> list[str]:
    """Codes whose name begins with what was asked, in whole words ("southend" begins "southend on sea")."""
    return [code for code, name in names.items()
            if any(form.startswith(key + " ") for form in forms(name) for key in asked)]


def candidates(query: object, names: Mapping[str, str], limit: int = 4) -> list[str]:
    """Names a query that :func:`resolve` cannot read might mean, to offer, never to choose; sorted.

    The names it is a form of (two or more, or :func:`resolve` would have read it), else the names it begins in
    whole words. A notice can then say "could mean Newcastle upon Tyne or Newcastle-under-Lyme" rather than
    "not held".

    Examples
    --------
    >>> names = {"E08000021": "Newcastle upon Tyne", "E07000195": "Newcastle-under-Lyme",
    ...          "E06000033": "Southend-on-Sea"}
    >>> candidates("newcastle", names), candidates("Southend", names), candidates("Gotham", names)
    (['Newcastle upon Tyne', 'Newcastle-under-Lyme'], ['Southend-on-Sea'], [])
    >>> resolve("newcastle", names), resolve("Southend", names)
    (None, None)
    """
    key = name_key(unicodedata.normalize("NFKC", str(query if query is not None else "")).strip())
    if not key:
        return []
    asked = _trimmed(key)
    exact = [code for code, name in names.items() if forms(name) & asked]
    return sorted(names[code] for code in (exact or _starting_with(asked, names)))[:limit]


def load_aliases(path: Path) -> dict[str, str]:
    """Read the short names of local authorities (``alias``, ``code``, ``name``, ``note``): code by short name.

    ``name`` is the authority's name as ONS writes it, so a reader (and ``tests/test_links_and_names.py``) can
    check that the code is the authority meant; ``note`` says who calls it so.

    Raises
    ------
    DataError
        Naming the file, row and column of a missing value, a malformed code or a short name given twice.
    """
    frame = read_csv(path, ALIAS_COLUMNS)
    check_filled(frame, ("alias", "code", "name"), str(path))
    check_codes(frame, "code", "lad", str(path))
    seen: set[str] = set()
    for i, alias in frame["alias"].items():
        if name_key(alias) in seen:
            raise DataError(str(path), f"short name '{alias}' is given twice (any case, '&' or 'and'); keep one row",
                            row=int(i) + 1, column="alias")
        seen.add(name_key(alias))
    return dict(zip(frame["alias"].str.strip(), frame["code"].str.strip(), strict=True))
