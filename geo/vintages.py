"""Ward vintages held as data (``data/registry/ward_vintages.csv``).

A new ward set (such as Coventry's May 2026 wards) is added by filling in its
row: boundaries file and lookups. Until then it is listed, not mapped.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from geo.errors import DataError
from geo.validate import check_codes, check_unique, read_csv

MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
          "November", "December")

COLUMNS = ("vintage", "label", "in_force", "first_code", "last_code", "ward_count", "boundaries_file",
           "code_column", "name_column", "lsoa21_lookup", "lsoa11_lookup", "names_file", "note")


@dataclass(frozen=True)
class WardVintage:
    """One set of ward boundaries and the codes it uses."""

    vintage: str
    label: str
    in_force: str
    first_code: str
    last_code: str
    ward_count: int
    boundaries_file: str
    code_column: str
    name_column: str
    lsoa21_lookup: str
    lsoa11_lookup: str
    names_file: str
    note: str

    @property
    def mappable(self) -> bool:
        """True when boundaries and both lookups are available."""
        return bool(self.boundaries_file and self.lsoa21_lookup and self.lsoa11_lookup)

    @property
    def until(self) -> str | None:
        """When the set stopped being used, as ``in_force`` says ("2004 to May 2026" gives "May 2026"), or None.

        Examples
        --------
        >>> WardVintage("v", "l", "2004 to May 2026", "E05000001", "E05000001", 1, "", "", "", "", "", "", "").until
        'May 2026'
        """
        start, _, end = self.in_force.partition(" to ")
        return end.strip() or None

    def ended(self, today: date) -> bool:
        """True when the set is no longer used on ``today`` (its ``until`` month has begun).

        Examples
        --------
        >>> v = WardVintage("v", "l", "2004 to May 2026", "E05000001", "E05000001", 1, "", "", "", "", "", "", "")
        >>> v.ended(date(2026, 4, 30)), v.ended(date(2026, 5, 1))
        (False, True)
        """
        match = re.fullmatch(rf"(?:({'|'.join(MONTHS)}) )?(\d{{4}})", self.until or "")
        if not match:
            return False
        month = MONTHS.index(match[1]) + 1 if match[1] else 1
        return today >= date(int(match[2]), month, 1)

    def expected_codes(self) -> list[str]:
        """Every ward code in the vintage's consecutive code range."""
        start, end = int(self.first_code[3:]), int(self.last_code[3:])
        return [f"E05{n:06d}" for n in range(start, end + 1)]


def load_vintages(path: Path) -> list[WardVintage]:
    """Read the ward vintages, checking each code range matches its ward count."""
    frame = read_csv(path, COLUMNS).fillna("")
    out = []
    for i, row in enumerate(frame.to_dict("records"), start=1):
        vintage = WardVintage(**{**row, "ward_count": int(row["ward_count"])})
        if len(vintage.expected_codes()) != vintage.ward_count:
            raise DataError(str(path), "code range does not match ward_count", row=i, column="ward_count")
        out.append(vintage)
    if not any(v.mappable for v in out):
        raise DataError(str(path), "no ward vintage has boundaries and lookups")
    return out


def current_vintage(vintages: list[WardVintage]) -> WardVintage:
    """The newest vintage that can be mapped (the one every figure uses)."""
    return [v for v in vintages if v.mappable][-1]


def load_ward_names(vintage: WardVintage, raw: Path) -> dict[str, str]:
    """The names of a ward set that has no boundaries yet, by code, from its ``names_file`` (``WDCD``, ``WDNM``).

    Parameters
    ----------
    vintage : WardVintage
        A row of ``ward_vintages.csv`` with a ``names_file`` (relative to ``raw``).
    raw : Path
        The raw data folder (``data/raw``).

    Raises
    ------
    DataError
        Naming the file, row and column of a malformed or repeated code, or a code outside the set's range.
    """
    path = raw / vintage.names_file
    frame = read_csv(path, ["WDCD", "WDNM"])
    check_codes(frame, "WDCD", "ward", str(path))
    check_unique(frame, ["WDCD"], str(path))
    expected = set(vintage.expected_codes())
    for i, code in frame["WDCD"].items():
        if code.strip() not in expected:
            raise DataError(str(path), f"'{code}' is not one of the {vintage.label} "
                            f"({vintage.first_code}-{vintage.last_code}) in ward_vintages.csv", row=int(i) + 1,
                            column="WDCD")
    return dict(zip(frame["WDCD"].str.strip(), frame["WDNM"].str.strip(), strict=True))
