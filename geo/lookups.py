"""Best-fit lookups from small areas to wards, and the links used to aggregate."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from geo.validate import check_codes, check_known, check_unique, read_csv

LOOKUP_COLUMNS = ("WD_CD", "WD_NM", "MSOA_CD", "n_wards_touched_by_postcodes", "share_oa21_in_ward")


def read_lookup(path: Path, lsoa_col: str, ward_codes: set[str], *, label: str | None = None) -> pd.DataFrame:
    """Read an LSOA→ward best-fit lookup and check every code.

    Returns
    -------
    DataFrame
        Columns ``lsoa``, ``ward``, ``msoa``, ``straddles`` (True where the
        LSOA's postcodes fall in more than one ward) and ``share_in_ward``.
    """
    name = label or str(path)
    frame = read_csv(path, [lsoa_col, *LOOKUP_COLUMNS], label=name)
    check_codes(frame, lsoa_col, "lsoa", name)
    check_unique(frame, [lsoa_col], name)
    check_codes(frame, "WD_CD", "ward", name)
    check_known(frame, "WD_CD", ward_codes, name, "ward code")
    check_codes(frame, "MSOA_CD", "msoa", name)
    return pd.DataFrame(
        {
            "lsoa": frame[lsoa_col],
            "ward": frame["WD_CD"],
            "msoa": frame["MSOA_CD"],
            "straddles": pd.to_numeric(frame["n_wards_touched_by_postcodes"]) > 1,
            "share_in_ward": pd.to_numeric(frame["share_oa21_in_ward"]),
        }
    ).sort_values("lsoa", ignore_index=True)


def links_to(lookup: pd.DataFrame, source_col: str, target_col: str, weights: pd.Series) -> pd.DataFrame:
    """Links (source, target, weight) from a lookup and a weight per LSOA.

    With ``source_col="msoa"`` this gives MSOA→ward links weighted by the
    population the MSOA shares with each ward.
    """
    frame = pd.DataFrame(
        {"source": lookup[source_col], "target": lookup[target_col], "weight": lookup["lsoa"].map(weights)}
    )
    return frame.groupby(["source", "target"], as_index=False)["weight"].sum()


def to_city(links: pd.DataFrame, city_code: str | pd.Series) -> pd.DataFrame:
    """The same links with every target replaced by the city (one code) or its parent area.

    ``city_code`` is one code (every target becomes it: Coventry's wards to Coventry) or a Series mapping
    each target to its parent (England's wards to their local authorities).
    """
    out = links.assign(target=city_code if isinstance(city_code, str) else links["target"].map(city_code))
    return out.groupby(["source", "target"], as_index=False)["weight"].sum()
