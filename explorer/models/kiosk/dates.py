"""When figures are from, in words ("from 2009 to 2013, about 13 years ago"), and which ward set they are for."""

from __future__ import annotations

import re
from collections.abc import Sequence
from datetime import date

PERIOD = re.compile(r"(?P<year>(19|20)[0-9]{2})(-(?P<month>0[1-9]|1[0-2]))?")  # 2013 or 2020-04
MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
          "November", "December")


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
