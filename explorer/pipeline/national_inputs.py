"""Reading and checking the national (England) inputs of ``python -m explorer.pipeline.national``.

Every file is read once (through :class:`explorer.pipeline.inputs.Inputs`) and checked as the Coventry build checks
its own: code formats, duplicates, completeness, numbers and geometry, each problem raised as a
:class:`~geo.errors.DataError` naming the file, the row and the column.
"""

from __future__ import annotations

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from explorer.pipeline.inputs import Inputs
from geo.errors import DataError
from geo.validate import check_codes, check_complete, check_known, check_numeric, check_unique, require_columns

LOOKUP = "national/england_lsoa21_ward25_lad25_bestfit.csv.gz"
L11_L21 = "national/england_lsoa11_lsoa21.csv.gz"
L11_M11 = "national/england_lsoa11_msoa11.csv.gz"
LADS = "national/england_lad_codes_to_lad25.csv"
CENSUS = "national/england_census2021_ts038_disabled_lsoa21.csv.gz"
FILE6 = "national/england_iod2019_file6_lsoa11.csv.gz"
FILE1_LAD = "national/england_iod2019_file1_lad19_rank_lsoa11.csv.gz"
IOD25 = "national/england_iod2025_lsoa21.csv.gz"
LA25 = "indicators/iod2025/england_iod2025_ltla24_summaries_humaniverse.csv"
LA19 = "national/england_iod2019_la_summaries_imd.csv"
UTLA_LE = "health/england_ons_le_hle_utla_region_2009_2013.csv"
UTLA_DFLE = {"Male": "national/england_ons_dfle_utla_2009_2013_males.csv",
             "Female": "national/england_ons_dfle_utla_2009_2013_females.csv"}
FLYTIPPING = "national/england_defra_flytipping_la_incidents_2012-13_to_2022-23.csv.gz"
MARMOT = "national/marmot_places_PARTIAL.csv"
WARDS = "national/england_wards_wd25_bgc.parquet"
LSOA21 = "national/england_lsoa21_bgc.parquet"
MSOA11 = "national/england_msoa11_bgc.parquet"
AUTHORITIES = 296
KINDS = {"E06": "unitary authority", "E07": "non-metropolitan district", "E08": "metropolitan borough",
         "E09": "London borough"}


def read_authorities(inp: Inputs) -> tuple[pd.DataFrame, pd.Series]:
    """England's 296 current local authorities, and each district code since 2011 mapped to its current one.

    Returns
    -------
    authorities : DataFrame
        ``code``, ``name``, ``kind``, ``utla_code``, ``utla_name``, ``region_code``, ``region_name``, by code.
    successor : Series
        Current code by any district code (2011 onwards), for joining files of older vintages.
    """
    label = inp.label(LADS)
    frame = inp.csv(LADS, ["LADCD", "LADNM", "LADCD_ACTIVE", "LADNM_ACTIVE", "UTLACD", "UTLANM", "RGNCD", "RGNNM",
                           "Current"])
    check_codes(frame, "LADCD", "lad", label)
    check_codes(frame, "LADCD_ACTIVE", "lad", label)
    check_unique(frame, ["LADCD"], label)
    current = frame[frame["Current"].str.upper() == "TRUE"]
    if len(current) != AUTHORITIES:
        raise DataError(label, f"{len(current)} current authorities; expected {AUTHORITIES}", column="Current")
    moved = current[current["LADCD"] != current["LADCD_ACTIVE"]]
    if len(moved):
        i = moved.index[0]
        raise DataError(label, "a current authority must be its own active code", row=int(i) + 1, column="LADCD_ACTIVE")
    check_known(frame, "LADCD_ACTIVE", set(current["LADCD"]), label, "active authority code")
    out = pd.DataFrame({
        "code": current["LADCD"], "name": current["LADNM"], "kind": current["LADCD"].str[:3].map(KINDS),
        "utla_code": current["UTLACD"], "utla_name": current["UTLANM"], "region_code": current["RGNCD"],
        "region_name": current["RGNNM"],
    }).sort_values("code", ignore_index=True)
    return out, frame.set_index("LADCD")["LADCD_ACTIVE"]


def recodes(successor: pd.Series) -> pd.Series:
    """Old codes that are only a new code for the same authority (Barnsley, Sheffield), mapped to it.

    A current authority formed from several old districts (Somerset, Cumberland ...) is not a recode: figures
    published for its predecessors are not its own.
    """
    old = successor[successor.index != successor.values]
    counts = old.value_counts()
    return old[old.map(counts) == 1]


def read_layer(inp: Inputs, rel: str, code_col: str, name_col: str, kind: str) -> gpd.GeoDataFrame:
    """A national boundary layer (GeoParquet), checked: columns, codes, duplicates, CRS and every geometry.

    Returns ``code``, ``name``, ``la`` (the 2025 authority) and geometry in WGS84, sorted by code.
    """
    label = inp.label(rel)
    path = inp.path(rel)
    if not path.exists():
        raise DataError(label, "file not found; run `python -m explorer.pipeline.extract` (it reads ../shared)")
    try:
        frame = gpd.read_parquet(path)
    except Exception as exc:  # pyarrow raises several unrelated types for a corrupt file
        raise DataError(label, f"not a readable GeoParquet file ({type(exc).__name__})") from None
    if frame.crs is None:
        raise DataError(label, "CRS unknown; the file must declare its coordinate reference system")
    require_columns(frame, [code_col, name_col, "LAD25CD"], label)
    check_codes(frame, code_col, kind, label)
    check_unique(frame, [code_col], label)
    check_codes(frame, "LAD25CD", "lad", label)
    geoms = frame.geometry.values
    bad = shapely.is_missing(geoms) | shapely.is_empty(geoms)
    bad |= ~bad & ~shapely.is_valid(geoms)
    if bad.any():
        i = int(np.flatnonzero(bad)[0])
        reason = "geometry is empty" if geoms[i] is None or geoms[i].is_empty else (
            f"invalid geometry ({shapely.is_valid_reason(geoms[i])})")
        raise DataError(label, reason, row=i + 1, column="geometry")
    out = gpd.GeoDataFrame({"code": frame[code_col].str.strip(), "name": frame[name_col].str.strip(),
                            "la": frame["LAD25CD"]}, geometry=frame.geometry.values, crs=frame.crs)
    return out.to_crs("EPSG:4326").sort_values("code", ignore_index=True)


def read_ward_lookup(inp: Inputs, wards: gpd.GeoDataFrame, authorities: set[str]) -> pd.DataFrame:
    """The LSOA 2021 -> May 2025 ward -> authority best fit, checked against the ward boundaries.

    Returns ``lsoa``, ``ward``, ``la``, ``straddles`` (less than 90% of its area in one ward),
    ``share_in_ward`` (share of its area in its ward) and ``method`` (``ons_bestfit...`` or the
    ``derived_largest_area_share...`` of the 1,610 LSOAs in wards redrawn in May 2025), sorted by LSOA.
    """
    label = inp.label(LOOKUP)
    frame = inp.csv(LOOKUP, ["LSOA21CD", "WD25CD", "LAD25CD", "method", "area_share_in_assigned_wd25",
                             "straddles_lt90pct_area"])
    check_codes(frame, "LSOA21CD", "lsoa", label)
    check_unique(frame, ["LSOA21CD"], label)
    check_codes(frame, "WD25CD", "ward", label)
    check_known(frame, "WD25CD", set(wards["code"]), label, "May 2025 ward code")
    check_known(frame, "LAD25CD", authorities, label, "authority code")
    ward_la = wards.set_index("code")["la"]
    wrong = frame["LAD25CD"] != frame["WD25CD"].map(ward_la)
    if wrong.any():
        i = wrong[wrong].index[0]
        raise DataError(label, f"ward {frame.loc[i, 'WD25CD']} is in {ward_la[frame.loc[i, 'WD25CD']]}, not "
                        f"{frame.loc[i, 'LAD25CD']}", row=int(i) + 1, column="LAD25CD")
    flags = frame["straddles_lt90pct_area"].str.strip()
    odd = ~flags.isin(["True", "False"])
    if odd.any():
        i = odd[odd].index[0]
        raise DataError(label, f"'{flags[i]}' is not True or False", row=int(i) + 1, column="straddles_lt90pct_area")
    return pd.DataFrame({
        "lsoa": frame["LSOA21CD"], "ward": frame["WD25CD"], "la": frame["LAD25CD"], "straddles": flags == "True",
        "share_in_ward": check_numeric(frame, "area_share_in_assigned_wd25", label, allow_missing=False),
        "method": frame["method"],
    }).sort_values("lsoa", ignore_index=True)


def read_census_weights(inp: Inputs, lsoa21: set[str]) -> pd.Series:
    """Census 2021 usual residents by LSOA 2021 (TS038's all-residents column)."""
    label = inp.label(CENSUS)
    frame = inp.csv(CENSUS, ["lsoa21_code", "total_residents"])
    check_codes(frame, "lsoa21_code", "lsoa", label)
    check_unique(frame, ["lsoa21_code"], label)
    check_complete(frame["lsoa21_code"], lsoa21, label, "LSOA21 codes")
    return check_numeric(frame, "total_residents", label, allow_missing=False).set_axis(frame["lsoa21_code"])


def read_mid2015_weights(inp: Inputs) -> pd.Series:
    """IoD 2019's mid-2015 residents (excluding prisoners) by LSOA 2011 (File 6)."""
    label = inp.label(FILE6)
    column = "Total population: mid 2015 (excluding prisoners)"
    frame = inp.csv(FILE6, ["LSOA code (2011)", column])
    check_codes(frame, "LSOA code (2011)", "lsoa", label)
    check_unique(frame, ["LSOA code (2011)"], label)
    return check_numeric(frame, column, label, allow_missing=False).set_axis(frame["LSOA code (2011)"])


def read_lsoa11_pairs(inp: Inputs) -> tuple[pd.DataFrame, pd.Series]:
    """The ONS LSOA 2011 <-> 2021 pairs (``lsoa11``, ``lsoa21``, ``change``) and each LSOA 2011's MSOA 2011."""
    label = inp.label(L11_L21)
    pairs = inp.csv(L11_L21, ["LSOA11CD", "LSOA21CD", "CHGIND"])
    check_codes(pairs, "LSOA11CD", "lsoa", label)
    check_codes(pairs, "LSOA21CD", "lsoa", label)
    check_unique(pairs, ["LSOA11CD", "LSOA21CD"], label)
    odd = ~pairs["CHGIND"].isin(["U", "S", "M", "X"])
    if odd.any():
        i = odd[odd].index[0]
        raise DataError(label, f"'{pairs.loc[i, 'CHGIND']}' is not a change code (U, S, M or X)", row=int(i) + 1,
                        column="CHGIND")
    label = inp.label(L11_M11)
    msoa = inp.csv(L11_M11, ["LSOA11CD", "MSOA11CD"])
    check_codes(msoa, "LSOA11CD", "lsoa", label)
    check_codes(msoa, "MSOA11CD", "msoa", label)
    check_unique(msoa, ["LSOA11CD"], label)
    check_complete(msoa["LSOA11CD"], set(pairs["LSOA11CD"]), label, "LSOA11 codes")
    out = pd.DataFrame({"lsoa11": pairs["LSOA11CD"], "lsoa21": pairs["LSOA21CD"], "change": pairs["CHGIND"]})
    return out, msoa.set_index("LSOA11CD")["MSOA11CD"]


def lsoa21_msoa11(pairs: pd.DataFrame, msoa_of_lsoa11: pd.Series, lsoa21: gpd.GeoDataFrame,
                  msoa11: gpd.GeoDataFrame) -> pd.Series:
    """The 2011 MSOA of each 2021 LSOA: that of its 2011 LSOA(s).

    Where a 2021 LSOA was made from 2011 LSOAs in different MSOAs (3 in England, all ONS 'X' changes), it
    goes to the MSOA holding a point inside it (``representative_point``).
    """
    link = pairs.assign(msoa=pairs["lsoa11"].map(msoa_of_lsoa11))
    found = link.groupby("lsoa21")["msoa"].agg(lambda s: sorted(set(s)))
    single = found[found.map(len) == 1].map(lambda s: s[0])
    several = found[found.map(len) > 1]
    if len(several):
        shapes = lsoa21.set_index("code").loc[several.index]
        points = gpd.GeoDataFrame(geometry=shapes.representative_point().values, index=shapes.index, crs=lsoa21.crs)
        within = gpd.sjoin(points, msoa11[["code", "geometry"]].rename(columns={"code": "msoa"}),
                           predicate="within")
        chosen = within["msoa"].groupby(level=0).first()
        single = pd.concat([single, chosen])
    return single.sort_index()


def lsoa11_lookup(pairs: pd.DataFrame, lookup21: pd.DataFrame, census: pd.Series,
                  msoa_of_lsoa11: pd.Series) -> pd.DataFrame:
    """Each 2011 LSOA wholly in one May 2025 ward: the ward holding most of its 2021 LSOAs' Census residents.

    A 2011 LSOA that was kept or merged has one 2021 LSOA and so one ward; one that was split goes to the
    ward of its 2021 parts with the most residents (ties: the lower ward code), as ONS's best fits assign
    areas by population. Returns ``lsoa``, ``ward``, ``la``, ``msoa``, ``straddles`` (its parts lie in more
    than one ward) and ``share_in_ward`` (the residents of its parts in that ward over all its parts').
    """
    link = pairs.assign(ward=pairs["lsoa21"].map(lookup21.set_index("lsoa")["ward"]),
                        la=pairs["lsoa21"].map(lookup21.set_index("lsoa")["la"]),
                        pop=pairs["lsoa21"].map(census))
    by_ward = link.groupby(["lsoa11", "ward", "la"], as_index=False)["pop"].sum()
    total = by_ward.groupby("lsoa11")["pop"].transform("sum")
    by_ward["share"] = by_ward["pop"] / total
    wards = by_ward.groupby("lsoa11")["ward"].transform("nunique")
    best = by_ward.sort_values(["lsoa11", "pop", "ward"], ascending=[True, False, True]).drop_duplicates("lsoa11")
    best = best.assign(straddles=best["lsoa11"].map(wards.groupby(by_ward["lsoa11"]).first()) > 1)
    return pd.DataFrame({"lsoa": best["lsoa11"], "ward": best["ward"], "la": best["la"],
                         "msoa": best["lsoa11"].map(msoa_of_lsoa11), "straddles": best["straddles"],
                         "share_in_ward": best["share"].round(4)}).sort_values("lsoa", ignore_index=True)
