"""Checks every input passes on its way into the build.

Each check raises :class:`~geo.errors.DataError` naming the file, the row
or column, and the problem. Rows are counted from 1 after the header, as a
spreadsheet user would count them, and come from the frame's index: frames are
read with a default index and filtered without resetting it, so the row named
is the row in the file.
"""

from __future__ import annotations

import re
import zlib
from collections.abc import Iterable
from pathlib import Path

import numpy as np
import pandas as pd

from geo.errors import DataError

CODE_PATTERNS: dict[str, str] = {
    "lsoa": r"E010\d{5}",
    "msoa": r"E020\d{5}",
    "ward": r"E05\d{6}",
    "lad": r"E0[6-9]\d{6}",
}


THOUSANDS = r"-?\d{1,3}(,\d{3})+(\.\d+)?"


def _row(index: object) -> int | None:
    """1-based file row of a frame index label (None if the index is not positional)."""
    return int(index) + 1 if isinstance(index, int | np.integer) else None


def read_csv(path: Path, required: Iterable[str], *, label: str | None = None) -> pd.DataFrame:
    """Read a CSV and check it is non-empty and has the required columns.

    Parameters
    ----------
    path : Path
        File to read.
    required : iterable of str
        Column names that must be present.
    label : str, optional
        Name to use for the file in messages (defaults to the path).

    Returns
    -------
    pandas.DataFrame
    """
    name = label or str(path)
    if not Path(path).exists():
        raise DataError(name, "file not found; restore it or rerun the copy of raw data")
    try:
        frame = pd.read_csv(path, dtype=str, keep_default_na=False, na_values=[""])
    except pd.errors.EmptyDataError:
        raise DataError(name, "file is empty; expected a header row and data") from None
    except (pd.errors.ParserError, UnicodeDecodeError, OSError, EOFError, zlib.error) as exc:
        # OSError and EOFError: a gzip-compressed CSV (.csv.gz) that is corrupt or cut short.
        raise DataError(name, f"not a readable CSV ({type(exc).__name__}: {exc})") from None
    if frame.empty:
        raise DataError(name, "file has a header but no data rows")
    require_columns(frame, required, name)
    return frame


def require_columns(frame: pd.DataFrame, required: Iterable[str], name: str) -> None:
    """Raise if any required column is missing."""
    missing = [c for c in required if c not in frame.columns]
    if missing:
        raise DataError(
            name,
            f"missing required column(s) {missing}; found {list(frame.columns)[:12]}",
            column=missing[0],
        )


def check_codes(frame: pd.DataFrame, column: str, kind: str, name: str) -> None:
    """Raise on the first code in ``column`` that is not a valid ``kind`` code."""
    pattern = re.compile(CODE_PATTERNS[kind])
    for i, code in frame[column].items():
        if not isinstance(code, str) or not pattern.fullmatch(code.strip()):
            raise DataError(name, f"'{code}' is not a valid {kind} code", row=_row(i), column=column)


def check_filled(frame: pd.DataFrame, columns: Iterable[str], name: str) -> None:
    """Raise on the first empty cell of ``columns`` (a cut-off last row leaves them empty)."""
    for column in columns:
        blank = frame[frame[column].isna() | (frame[column].astype(str).str.strip() == "")]
        if len(blank):
            raise DataError(name, f"{column} is empty; fill it in or delete the row", row=_row(blank.index[0]),
                            column=column)


def check_unique(frame: pd.DataFrame, columns: list[str], name: str) -> None:
    """Raise on the first duplicated key (one or more columns)."""
    dup = frame.duplicated(subset=columns, keep="first")
    if dup.any():
        i = dup[dup].index[0]
        key = ", ".join(str(frame.loc[i, c]) for c in columns)
        raise DataError(name, f"duplicate {'/'.join(columns)} '{key}'", row=_row(i), column=columns[0])


def check_numeric(frame: pd.DataFrame, column: str, name: str, *, allow_missing: bool = True,
                  not_available: tuple[str, ...] = ()) -> pd.Series:
    """Return ``column`` as floats; raise on the first non-numeric entry.

    Missing entries stay missing (NaN) unless ``allow_missing`` is False. Thousands separators as
    publishers print them ("1,296") are read as numbers. Entries equal to one of ``not_available`` (a
    publisher's marker such as DWP's "..") count as missing too.
    """
    raw = frame[column]
    if not_available:
        raw = raw.where(~raw.isin(not_available))
    text = raw
    if not pd.api.types.is_numeric_dtype(text):
        text = text.where(~text.astype(str).str.fullmatch(THOUSANDS), text.astype(str).str.replace(",", ""))
    values = pd.to_numeric(text, errors="coerce")
    bad = values.isna() & raw.notna()
    if bad.any():
        i = bad[bad].index[0]
        raise DataError(name, f"'{frame.loc[i, column]}' is not a number", row=_row(i), column=column)
    if not allow_missing and values.isna().any():
        i = values[values.isna()].index[0]
        raise DataError(name, "value is missing", row=_row(i), column=column)
    return values.astype(float)


def check_not_negative(frame: pd.DataFrame, column: str, counts: pd.Series, name: str) -> None:
    """Raise on the first negative entry of ``counts`` (``column`` of ``frame`` read as numbers)."""
    negative = counts < 0
    if negative.any():
        i = negative[negative].index[0]
        raise DataError(name, f"'{frame.loc[i, column]}' is a negative count", row=_row(i), column=column)


def check_known(frame: pd.DataFrame, column: str, known: Iterable[str], name: str, what: str) -> None:
    """Raise on the first value of ``column`` that is not in ``known``."""
    known = set(known)
    for i, code in frame[column].items():
        if code not in known:
            raise DataError(name, f"unknown {what} '{code}'", row=_row(i), column=column)


def check_complete(found: Iterable[str], expected: Iterable[str], name: str, what: str) -> None:
    """Raise if any expected code is absent."""
    absent = sorted(set(expected) - set(found))
    if absent:
        raise DataError(name, f"{len(absent)} expected {what} missing: {absent[:5]}")
