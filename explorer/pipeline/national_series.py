"""Each authority's series over time, and England's beside it, built by the national build (``series.parquet``).

Three series, each a row of ``data/registry/series.csv`` (title, which way is better, how change is judged):

- ``le_birth_male`` / ``le_birth_female``: period life expectancy at birth (three years of deaths). ONS's
  2001-03 to 2016-18 table (May 2019 codes, no intervals) and its 2021 to 2023 table (with 95% intervals), the
  same measure from a later release. 2017-19 to 2020-22 are not held. Only an authority's own code (or the same
  authority under a new code, as Barnsley and Sheffield) is used: life expectancy cannot be added up over the
  districts an authority was formed from.
- ``flytipping_per_1000``: Defra ENV24 incidents per 1,000 residents, 2012-13 to 2022-23. Defra gives the
  population, and so a rate, from 2019-20 only; earlier years keep their count with no rate. An authority formed
  from several districts gets their incidents summed over their summed populations (computed here), as the
  2022-23 figure in ``authorities.parquet``; a year with any predecessor missing is missing, and says so.
  England's is the sum over every authority reporting (computed here: Defra's table has no England row).
- ``ev_devices_per_100k``: DfT public charging devices (all speeds, Zapmap) per 100,000 residents, quarterly
  October 2019 to October 2025. DfT's own figure where it publishes the authority's code; before a merged
  authority existed, its predecessors' devices over their populations (each recovered from DfT's own count and
  rate: count / rate x 100,000), computed here; a quarter where that cannot be done is missing, and says so.

Every row: ``la`` (the authority, or ``E92000001`` for England), ``series``, ``area`` (``authority`` or
``england``), ``period``, ``order`` (for sorting), ``value``, ``lower``, ``upper`` (published 95% limits, else
empty), ``count`` and ``denominator`` (the events and people behind a rate, where held), ``basis`` (Defra's
reporting basis) and ``note`` (how the figure was made, or why it is missing).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from explorer.pipeline.comparators import ENGLAND
from explorer.pipeline.inputs import Inputs
from geo.errors import DataError
from geo.validate import check_numeric

LE_NEW = "national/england_ons_le_birth_la_2021_2023.csv"
LE_OLD = "national/england_ons_le_birth_age65_la_2001_03_to_2016_18.csv.gz"
EV_COUNT = "national/england_dft_ev_charging_devices_by_la_2019-10_to_2025-10.csv"
EV_RATE = "national/england_dft_ev_charging_devices_per100k_by_la_2019-10_to_2025-10.csv"
FLYTIPPING = "national/england_defra_flytipping_la_incidents_2012-13_to_2022-23.csv.gz"
COLUMNS = ["la", "series", "area", "period", "order", "value", "lower", "upper", "count", "denominator", "basis",
           "note"]
LE_SHEETS = {"le_birth_male": ("LE at birth - Males", "Male"), "le_birth_female": ("LE at birth - Females", "Female")}
NEW_PERIOD = "2021-2023"


def _row(la: str, series: str, period: str, order: int, value: float = np.nan, *, area: str = "authority",
         lower: float = np.nan, upper: float = np.nan, count: float = np.nan, denominator: float = np.nan,
         basis: str = "", note: str = "") -> dict:
    return {"la": la, "series": series, "area": area, "period": period, "order": order, "value": value,
            "lower": lower, "upper": upper, "count": count, "denominator": denominator, "basis": basis,
            "note": note}


def life_expectancy(inp: Inputs, authorities: pd.DataFrame, recoded: pd.Series) -> list[dict]:
    """ONS life expectancy at birth, 2001-03 to 2016-18 and 2021 to 2023 (with 95% limits), per authority and England.

    Source: ONS, *Life expectancy at birth and at age 65 by local areas, UK* (2001-03 to 2016-18) and *Life
    expectancy for local areas of the UK by age and sex* (2021 to 2023, 95% confidence intervals as published).
    """
    old_label, new_label = inp.label(LE_OLD), inp.label(LE_NEW)
    old = inp.csv(LE_OLD, ["Worksheet", "Area Codes"])
    periods = [c for c in old.columns if c[:4].isdigit()]
    new = inp.csv(LE_NEW, ["Period", "Area code", "Sex", "Age group", "Life expectancy",
                           "Lower confidence interval", "Upper confidence interval"])
    new = new[new["Age group"] == "<1"]
    if set(new["Period"]) != {"2021 to 2023"}:
        raise DataError(new_label, f"periods {sorted(set(new['Period']))}; expected only '2021 to 2023'",
                        column="Period")
    value = check_numeric(new, "Life expectancy", new_label)
    lower = check_numeric(new, "Lower confidence interval", new_label)
    upper = check_numeric(new, "Upper confidence interval", new_label)
    bad = (lower > value) | (upper < value)
    if bad.any():
        i = int(bad[bad].index[0])
        raise DataError(new_label, "the 95% interval does not contain the value", row=i + 1,
                        column="Lower confidence interval")
    new = new.assign(value=value, lower=lower, upper=upper)
    new["code"] = new["Area code"].map(lambda c: recoded.get(c, c))
    names = authorities.set_index("code")["name"]
    rows: list[dict] = []
    for series, (sheet, sex) in LE_SHEETS.items():
        part = old[old["Worksheet"] == sheet]
        if part.empty:
            raise DataError(old_label, f"no rows for worksheet '{sheet}'", column="Worksheet")
        part = part.assign(code=part["Area Codes"].map(lambda c: recoded.get(c, c))).drop_duplicates("code")
        for period in periods:
            part[period] = check_numeric(part, period, old_label)
        by_code = part.set_index("code")
        latest = new[new["Sex"] == sex].drop_duplicates("code").set_index("code")
        for la in [*authorities["code"], ENGLAND]:
            area = "england" if la == ENGLAND else "authority"
            name = "England" if la == ENGLAND else str(names[la])
            if la in by_code.index:
                for order, period in enumerate(periods):
                    v = float(by_code.at[la, period])
                    rows.append(_row(la, series, period, order, round(v, 3), area=area,
                                     note="ONS, 2001-03 to 2016-18 release (no intervals published)" if v == v
                                     else f"ONS's 2001-03 to 2016-18 table gives no figure for {name} on its own"))
            else:
                rows.append(_row(la, series, periods[-1], len(periods) - 1, area=area,
                                 note=f"ONS's 2001-03 to 2016-18 table (May 2019 authorities) has no row for {name}: "
                                      "it was formed later from districts whose life expectancies cannot be "
                                      "added together"))
            if la in latest.index:
                r = latest.loc[la]
                rows.append(_row(la, series, NEW_PERIOD, len(periods) + 5, float(r["value"]), area=area,
                                 lower=float(r["lower"]), upper=float(r["upper"]),
                                 note="ONS, 2021 to 2023, with its 95% confidence interval"))
            else:
                rows.append(_row(la, series, NEW_PERIOD, len(periods) + 5, area=area,
                                 note=f"ONS's 2021 to 2023 table has no row for {name}: ONS does not publish "
                                      "its life expectancy on its own"))
    return rows


def _per_authority(part: pd.DataFrame, codes: pd.Series, recoded: pd.Series, scale: float, decimals: int,
                   no_people: str) -> dict[str, dict]:
    """Each authority's figure in one period: its own published row, else its predecessors' summed, else why not.

    ``part`` holds one period's rows: ``old`` (the code published), ``code`` (its 2025 authority), ``value`` (the
    publisher's rate), ``count``, ``people`` and ``basis``. A predecessor sum is ``count`` over ``people`` times
    ``scale``, rounded to ``decimals``; ``no_people`` says why there is no rate where a population is missing.
    """
    own = part["old"].map(lambda c: recoded.get(c, c)) == part["code"]
    published = part[own].drop_duplicates("code").set_index("code")
    others = part[~part["code"].isin(published.index)]
    summed = others.groupby("code").agg(
        n=("old", "size"), olds=("old", lambda c: ", ".join(sorted(c))), count=("count", "sum"),
        count_missing=("count", lambda c: c.isna().any()), people=("people", "sum"),
        people_missing=("people", lambda c: c.isna().any()),
        basis=("basis", lambda b: "; ".join(sorted(set(b) - {""}))))
    out: dict[str, dict] = {}
    for la in codes:
        if la in published.index:
            r = published.loc[la]
            if not np.isnan(r["value"]):
                out[la] = {"value": float(r["value"]), "count": r["count"], "denominator": r["people"],
                           "basis": r["basis"], "note": "published"}
            elif not np.isnan(r["count"]):
                out[la] = {"count": r["count"], "basis": r["basis"], "note": no_people}
            else:
                out[la] = {"note": "not published for this period"}
        elif la in summed.index:
            r = summed.loc[la]
            districts = f"its {r['n']} predecessor districts ({r['olds']})"
            if r["count_missing"]:
                out[la] = {"note": f"a figure for one of {districts} is not available"}
            elif r["people_missing"]:
                out[la] = {"count": r["count"], "basis": r["basis"], "note": f"the sum of {districts}; {no_people}"}
            else:
                out[la] = {"value": round(r["count"] / r["people"] * scale, decimals), "count": r["count"],
                           "denominator": r["people"], "basis": r["basis"],
                           "note": f"computed here: the sum of {districts} over their summed populations"}
        else:
            out[la] = {"note": "not in the publisher's table"}
    return out


def flytipping(inp: Inputs, authorities: pd.DataFrame, successor: pd.Series, recoded: pd.Series) -> list[dict]:
    """Defra ENV24 fly-tipping incidents per 1,000 residents, 2012-13 to 2022-23, per authority and England.

    Source: Defra, *Fly-tipping incidents and actions reported by local authorities in England* (ENV24),
    LA_incidents: incidents, mid-year population and incidents per 1,000 people as published.
    """
    label = inp.label(FLYTIPPING)
    frame = inp.csv(FLYTIPPING, ["Year", "ONS Code", "Total Incidents", "Mid population estimates ",
                                 "Incidents per 1,000 people", "Reporting basis"])
    table = pd.DataFrame({
        "year": frame["Year"], "old": frame["ONS Code"],
        "code": frame["ONS Code"].map(lambda c: successor.get(c, recoded.get(c, c))),
        "count": check_numeric(frame, "Total Incidents", label, not_available=(":",)),
        "people": check_numeric(frame, "Mid population estimates ", label, not_available=(":",)),
        "value": check_numeric(frame, "Incidents per 1,000 people", label, not_available=(":",)),
        "basis": frame["Reporting basis"].where(frame["Reporting basis"] != ":", ""),
    })
    rows: list[dict] = []
    for order, year in enumerate(sorted(table["year"].unique())):
        part = table[table["year"] == year]
        got = _per_authority(part, authorities["code"], recoded, 1000, 2,
                             "no population published for this year, so no rate")
        rows += [_row(la, "flytipping_per_1000", year, order, **got[la]) for la in authorities["code"]]
        held = part.dropna(subset=["count", "people"])
        if len(held):
            missing = len(part) - len(held)
            rows.append(_row(ENGLAND, "flytipping_per_1000", year, order,
                             round(held["count"].sum() / held["people"].sum() * 1000, 2), area="england",
                             count=held["count"].sum(), denominator=held["people"].sum(),
                             note=f"computed here: the sum over the {len(held)} authorities reporting"
                                  + (f" ({missing} did not)" if missing else "")))
        else:
            reporting = part.dropna(subset=["count"])
            rows.append(_row(ENGLAND, "flytipping_per_1000", year, order, area="england",
                             count=reporting["count"].sum(),
                             note=f"no population published for this year, so no rate; the count is the sum over "
                                  f"the {len(reporting)} authorities reporting"))
    return rows


def ev_charging(inp: Inputs, authorities: pd.DataFrame, successor: pd.Series, recoded: pd.Series) -> list[dict]:
    """DfT public charging devices (all speeds) per 100,000 residents, quarterly, per authority and England.

    Source: DfT/OZEV, *Electric vehicle public charging infrastructure statistics: October 2025*, tables 1a
    (devices) and 2a (per 100,000 population); device data from Zapmap, populations ONS mid-year estimates. A
    district's population is recovered as devices / rate x 100,000 (none where it had no devices).
    """
    c_label, r_label = inp.label(EV_COUNT), inp.label(EV_RATE)
    counts = inp.csv(EV_COUNT, ["area_code", "area_name"])
    rates = inp.csv(EV_RATE, ["area_code", "area_name"])
    quarters = [c for c in counts.columns if c not in ("area_code", "area_name")]
    if list(rates["area_code"]) != list(counts["area_code"]) or [c for c in rates.columns if c in quarters] != quarters:
        raise DataError(r_label, f"areas or quarters differ from {c_label}; re-extract both from the same release",
                        column="area_code")
    code = counts["area_code"].map(lambda c: successor.get(c, recoded.get(c, c)))
    rows: list[dict] = []
    for order, quarter in enumerate(quarters):
        n = check_numeric(counts, quarter, c_label, not_available=("[x]",))
        rate = check_numeric(rates, quarter, r_label, not_available=("[x]",))
        period = quarter.split(" [")[0].replace("-", " 20")
        part = pd.DataFrame({"old": counts["area_code"], "code": code, "count": n, "value": rate,
                             "people": (n / rate * 100_000).where(rate > 0), "basis": ""})
        part = part[part["count"].notna()]
        got = _per_authority(part, authorities["code"], recoded, 100_000, 1,
                             "a predecessor district had no devices, so its population cannot be recovered from "
                             "DfT's figures and no rate is computed")
        rows += [_row(la, "ev_devices_per_100k", period, order, **got[la]) for la in authorities["code"]]
        england = part[part["old"] == ENGLAND]
        if len(england) == 1:
            r = england.iloc[0]
            rows.append(_row(ENGLAND, "ev_devices_per_100k", period, order, float(r["value"]), area="england",
                             count=float(r["count"]), denominator=r["people"], note="published"))
    return rows


def authority_series(inp: Inputs, authorities: pd.DataFrame, successor: pd.Series, recoded: pd.Series
                     ) -> pd.DataFrame:
    """Every series of every authority and England, as one long table (:data:`COLUMNS`)."""
    rows = (life_expectancy(inp, authorities, recoded) + flytipping(inp, authorities, successor, recoded)
            + ev_charging(inp, authorities, successor, recoded))
    frame = pd.DataFrame(rows, columns=COLUMNS)
    for column in ("value", "lower", "upper", "count", "denominator"):
        frame[column] = frame[column].astype(float)
    return frame
