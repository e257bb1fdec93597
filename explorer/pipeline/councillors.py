"""Ward councillors as listed by the council (a dated, possibly stale list)."""

from __future__ import annotations

import pandas as pd

from geo.validate import check_known

COLUMNS = ("ward", "name", "party", "term")


def councillors_table(frame: pd.DataFrame, wards: set[str], name: str) -> pd.DataFrame:
    """The council's councillors list, its ward codes checked.

    Parameters
    ----------
    frame : DataFrame
        The list as read (text): ``ward``, ``name``, ``party``, ``term``.
    wards : set of str
        The authority's ward codes.
    name : str
        The file's name for messages.

    Returns
    -------
    DataFrame
        ``ward``, ``name``, ``party``, ``term``, sorted by ward and name; an empty name marks a vacancy.
    """
    check_known(frame, "ward", wards, name, "ward code")
    return pd.DataFrame(
        {
            "ward": frame["ward"],
            "name": frame["name"].fillna("").str.strip(),
            "party": frame["party"].fillna("").str.strip(),
            "term": frame["term"],
        }
    ).sort_values(["ward", "name"], ignore_index=True)
