"""A council's air-quality monitoring sites and their annual means of nitrogen dioxide (NO2, µg/m³).

Sites are points (a diffusion tube or an automatic monitor) with an id, a name and a type; readings are one
annual mean per site and year, as the council publishes them. The site table the maps show says, for each site,
when it was first and last measured, its latest and highest annual mean and in how many years it was over the
40 µg/m³ annual mean objective (Air Quality Standards Regulations 2010).
"""

from __future__ import annotations

import pandas as pd

from geo.validate import check_known, check_numeric, check_unique

OBJECTIVE = 40  # µg/m³, the NO2 annual mean objective


def annual_means(frame: pd.DataFrame, label: str, value: str = "no2") -> pd.DataFrame:
    """Every site's measured annual means: ``tube_id``, ``year``, ``no2`` (µg/m³), sorted; missing means left out.

    Parameters
    ----------
    frame : DataFrame
        The readings as read (text), with ``tube_id``, ``year`` and the mean in column ``value``.
    label : str
        The file's name for messages.
    value : str
        The column holding the annual mean.
    """
    check_unique(frame, ["tube_id", "year"], label)
    out = pd.DataFrame({"tube_id": frame["tube_id"],
                        "year": check_numeric(frame, "year", label, allow_missing=False).astype(int),
                        "no2": check_numeric(frame, value, label)})
    return out.dropna().sort_values(["tube_id", "year"], ignore_index=True)


def monitoring_sites(sites: pd.DataFrame, means: pd.DataFrame, wards: set[str], label: str) -> pd.DataFrame:
    """One row per site with its measured years, latest and highest annual mean and years over the objective.

    Parameters
    ----------
    sites : DataFrame
        ``tube_id``, ``site_name``, ``site_type`` (empty: "not stated"), ``ward``, ``lat``, ``lon`` (WGS84).
    means : DataFrame
        :func:`annual_means`' table.
    wards : set of str
        The authority's ward codes.
    label : str
        The sites file's name for messages.
    """
    check_unique(sites, ["tube_id"], label)
    check_known(sites, "ward", wards, label, "ward code")
    lat = check_numeric(sites, "lat", label, allow_missing=False)
    lon = check_numeric(sites, "lon", label, allow_missing=False)
    latest = means.groupby("tube_id").tail(1).set_index("tube_id")
    over = means[means["no2"] > OBJECTIVE].groupby("tube_id").size()
    return pd.DataFrame(
        {
            "tube_id": sites["tube_id"],
            "site_name": sites["site_name"],
            "site_type": sites["site_type"].fillna("not stated"),
            "ward": sites["ward"],
            "lat": lat,
            "lon": lon,
            "first_year": sites["tube_id"].map(means.groupby("tube_id")["year"].min()).astype("Int64"),
            "latest_year": sites["tube_id"].map(latest["year"]).astype("Int64"),
            "latest_no2": sites["tube_id"].map(latest["no2"]),
            "max_no2": sites["tube_id"].map(means.groupby("tube_id")["no2"].max()),
            "years_over_40": sites["tube_id"].map(over).fillna(0).astype(int),
        }
    ).sort_values("tube_id", ignore_index=True)
