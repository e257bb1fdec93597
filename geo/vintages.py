"""Ward vintages held as data (``data/registry/ward_vintages.csv``).

A new ward set (such as Coventry's May 2026 wards) is added by filling in its
row: boundaries file and lookups. Until then it is listed, not mapped.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from geo.errors import DataError
from geo.validate import read_csv

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
