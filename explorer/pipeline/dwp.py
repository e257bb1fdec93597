"""DWP Stat-Xplore extracts: one column per period, and the city totals over time they give.

Stat-Xplore writes each period as a column ("2014/15", "2021/22 (p)", "November 2023 (p)"),
each followed by an annotations column, and ".." where a figure is nil or negligible.
"""

from __future__ import annotations

import re

import pandas as pd

from geo.errors import DataError
from geo.validate import check_not_negative, check_numeric

NOT_AVAILABLE = ("..",)  # Stat-Xplore's "nil or negligible": read as missing, never as zero
FINANCIAL_YEAR = re.compile(r"(\d{4})/(\d{2})(?: \(([pr])\))?")
MONTH = re.compile(r"([A-Z][a-z]+) (\d{4})(?: \(([pr])\))?")
MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
          "November", "December")


def period_label(column: str) -> str | None:
    """A sortable label for a Stat-Xplore period column, or None for any other column.

    Financial years become "2014-15" and months "2016-04" (so they sort in time
    order); a provisional figure says so. Revised figures ("(r)") keep a plain label.

    Examples
    --------
    >>> period_label("2021/22 (p)"), period_label("November 2023 (p)"), period_label("April 2016")
    ('2021-22 (provisional)', '2023-11 (provisional)', '2016-04')
    >>> period_label("2021/22 - Annotations") is None
    True
    """
    flag = None
    if match := FINANCIAL_YEAR.fullmatch(column):
        start, end, flag = match.groups()
        label = f"{start}-{end}"
    elif (match := MONTH.fullmatch(column)) and match.group(1) in MONTHS:
        month, year, flag = match.groups()
        label = f"{year}-{MONTHS.index(month) + 1:02d}"
    else:
        return None
    return f"{label} (provisional)" if flag == "p" else label


def city_totals(frame: pd.DataFrame, code_column: str, label: str) -> pd.DataFrame:
    """The sum over every area of each period column, in time order.

    A period is left out when any area's figure is missing or "..": a partial
    sum is never shown as the city's total.

    Parameters
    ----------
    frame : DataFrame
        One row per area, as read from the extract (strings).
    code_column : str
        The area code column (used only to count areas).
    label : str
        The file's name for messages.

    Returns
    -------
    DataFrame
        ``period`` (sortable label), ``column`` (as in the file) and ``value``.
    """
    rows = []
    for column in frame.columns:
        period = period_label(column)
        if period is None:
            continue
        values = check_numeric(frame, column, label, not_available=NOT_AVAILABLE)
        check_not_negative(frame, column, values, label)
        if values.notna().all():
            rows.append({"period": period, "column": column, "value": float(values.sum())})
    if not rows:
        raise DataError(label, f"no period column has a figure for all {frame[code_column].nunique()} areas",
                        column=code_column)
    return pd.DataFrame(rows).sort_values("period", ignore_index=True)
