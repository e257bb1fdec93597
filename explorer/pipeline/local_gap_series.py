"""Is the gap narrowing? A local pack's own gaps over time (Coventry: NO2 tubes 2011-2024, FixMyStreet 2007-2020).

The national build works out the gap over time of series held for every authority
(:mod:`explorer.pipeline.gap_series`); a council's own pack holds series nobody else has. Coventry's pipeline
(:mod:`explorer.pipeline.build`) makes them here, into ``gap_series.csv`` (the pack's ``gap_series`` part), with
the same columns as the national store's ``gap_series.parquet``, so the place reads both alike
(:func:`explorer.models.gap_time.held`). Each series' words (label, unit, rule and why it fits, source, method,
the indicators whose section shows it) are a row of ``data/registry/local_gap_series.csv``; which figures each
time holds is below:

- ``no2_tubes``: each year's measured diffusion-tube sites (µg/m³ annual means), each placed by the IMD 2025
  score of the 2021 LSOA it stands in, cut into fifths of that year's sites (each site counts once); a fifth's
  value is its sites' mean with a 95% interval from their spread (:func:`explorer.stats.inequality.quantile_table`,
  interval "none").
- ``fms_flytipping_years``: each year's FixMyStreet fly-tipping reports by 2011 LSOA over ONS mid-2019 residents
  (per 1,000), LSOAs ordered by IMD 2019 rank in fifths of residents, exact Poisson intervals.

For each time, :func:`explorer.stats.gap_time.gap_at` gives the fifths' two ends and PHE's ``phe_sii`` slope
index with its 95% interval; the change from first to last is :func:`explorer.stats.judge.gap_change`'s. Nothing
is filled: a site or neighbourhood with no figure in a year is left out of that year.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from explorer.pipeline.inputs import Inputs
from explorer.pipeline.store import TABLE_COLUMNS
from explorer.stats.gap_time import gap_at
from explorer.stats.gaps import area_ordering
from explorer.stats.judge import gap_change
from geo.errors import DataError
from geo.validate import check_numeric, check_unique, read_csv

REGISTRY = "data/registry/local_gap_series.csv"
COLUMNS = ("series", "label", "unit", "decimals", "rule", "rule_note", "source", "method", "shown_with")
RULES = ("judged", "described")
TUBE_SITES = "council/coventry_no2_diffusion_tube_sites.csv"
FMS_REPORTS = "council/coventry_fms_flytipping_lsoa11_by_year.csv"
TUBE_ORDER = "IMD 2025 score of each site's 2021 neighbourhood (LSOA); fifths of that year's measured sites"
OUT_COLUMNS = TABLE_COLUMNS["gap_series.csv"]  # the national gap_series.parquet's, and shown_with


def load_local_series(data: Path) -> dict[str, dict]:
    """The local series' rows by id, checked: each problem names the file, row and column and says what to do.

    A judged series would need a threshold for a time without an interval; the local series are all
    described, so a ``judged`` row is refused (say why the rule fits, and add a threshold column first).
    """
    frame = read_csv(data / "registry" / "local_gap_series.csv", COLUMNS, label=REGISTRY).fillna("")
    check_unique(frame, ["series"], REGISTRY)
    out = {}
    for i, row in enumerate(frame.to_dict("records"), start=1):
        if row["series"] not in MAKERS:
            raise DataError(REGISTRY, f"series '{row['series']}' is not one a pack's build can make: use one of "
                            f"{tuple(MAKERS)}", row=i, column="series")
        if row["rule"] != "described":
            raise DataError(REGISTRY, f"rule '{row['rule']}': a local series is described (its times have no "
                            "threshold for a judgement); say 'described'", row=i, column="rule")
        for column in ("label", "unit", "rule_note", "source", "method"):
            if not str(row[column]).strip():
                raise DataError(REGISTRY, f"give the series' {column}", row=i, column=column)
        out[row["series"]] = row
    frame["decimals"] = check_numeric(frame, "decimals", REGISTRY, allow_missing=False).astype(int)
    for row, decimals in zip(out.values(), frame["decimals"], strict=True):
        row["decimals"] = int(decimals)
    return out


def tube_times(inp: Inputs, tubes: pd.DataFrame, values: pd.DataFrame, **_) -> list[tuple[str, pd.DataFrame, dict]]:
    """Each year's tube sites: value (µg/m³), deprivation (IMD 2025 score of the site's 2021 LSOA), one per site.

    ``tubes`` is :func:`explorer.pipeline.monitoring.annual_means` of the council's readings (``tube_id``,
    ``year``, ``no2``). A site whose LSOA is not one of the authority's has no deprivation and is left out.
    """
    label = inp.label(TUBE_SITES)
    sites = inp.csv(TUBE_SITES, ["tube_id", "derived_lsoa21cd"])
    check_unique(sites, ["tube_id"], label)
    imd = values[(values["indicator"] == "imd25_score") & (values["geography"] == "lsoa21")].set_index("code")
    deprivation = sites.set_index("tube_id")["derived_lsoa21cd"].str.strip().map(imd["value"])
    out = []
    for year, part in tubes.groupby("year"):
        frame = pd.DataFrame({"value": part.set_index("tube_id")["no2"].astype(float)})
        for column in ("lower", "upper", "numerator", "denominator"):
            frame[column] = np.nan
        frame["deprivation"] = deprivation.reindex(frame.index)
        frame["population"] = 1.0  # each site counts once: fifths of sites, not of residents
        out.append((str(year), frame, {"interval": "none", "value_type": "other", "per": None,
                                       "words": "tube sites", "spread_kind": "score", "ordering": TUBE_ORDER,
                                       "edition": "IMD 2025"}))
    return out


def report_times(inp: Inputs, values: pd.DataFrame, lookups: pd.DataFrame, weights: pd.DataFrame,
                 **_) -> list[tuple[str, pd.DataFrame, dict]]:
    """Each year's FixMyStreet fly-tipping reports per 1,000 mid-2019 residents by 2011 LSOA, ordered by IMD 2019."""
    label = inp.label(FMS_REPORTS)
    reports = inp.csv(FMS_REPORTS, ["LSOA11CD", "year", "reports_A29_fly_tipping"])
    check_unique(reports, ["LSOA11CD", "year"], label)
    reports["count"] = check_numeric(reports, "reports_A29_fly_tipping", label)
    deprivation, population, words, order = area_ordering("lsoa11", "mye2019", values, lookups, weights)
    out = []
    for year, part in reports.groupby("year"):
        frame = pd.DataFrame({"numerator": part.set_index(part["LSOA11CD"].str.strip())["count"].astype(float)})
        frame = frame.reindex(population.index)
        frame["denominator"] = population
        frame["value"] = frame["numerator"] / frame["denominator"] * 1000
        frame["lower"] = frame["upper"] = np.nan
        frame["deprivation"] = deprivation
        frame["population"] = population
        out.append((str(year), frame, {"interval": "poisson", "value_type": "rate", "per": 1000.0, "words": words,
                                       "spread_kind": "rank", "ordering": order, "edition": "IMD 2019"}))
    return out


MAKERS = {"no2_tubes": tube_times, "fms_flytipping_years": report_times}


def local_gap_series(inp: Inputs, data: Path, code: str, name: str, values: pd.DataFrame, lookups: pd.DataFrame,
                     weights: pd.DataFrame, tubes: pd.DataFrame) -> pd.DataFrame:
    """Every local series' gap at every time for the authority ``code`` (its judgement on each series' last row).

    Returns
    -------
    DataFrame
        The columns of :data:`OUT_COLUMNS` (the national ``gap_series.parquet``'s, and ``shown_with``: the
        indicators, ';'-separated, whose section shows the series), one row per series and time.
    """
    rows = []
    for key, spec in load_local_series(data).items():
        times = MAKERS[key](inp=inp, tubes=tubes, values=values, lookups=lookups, weights=weights)
        found = []
        for order, (period, frame, how) in enumerate(times, start=1):
            figures = gap_at(frame, interval=how["interval"], value_type=how["value_type"], per=how["per"],
                             words=how["words"], spread_kind=how["spread_kind"], name=name)
            found.append(figures)
            rows.append({"la": code, "series": key, "order": order, "indicator": key, "label": spec["label"],
                         "period": period, "unit": spec["unit"], "decimals": spec["decimals"],
                         "areas_kind": how["words"], "ordering": how["ordering"], "edition": how["edition"],
                         "source": spec["source"], "method": spec["method"], **figures, "rule": spec["rule"],
                         "rule_note": spec["rule_note"], "change": "", "change_basis": "",
                         "shown_with": spec["shown_with"]})
        if len(found) < 2:
            raise DataError(REGISTRY, f"series '{key}' has {len(found)} time(s) in its file: a gap over time needs "
                            "two or more", column="series")
        first, last = found[0], found[-1]
        change = gap_change((first["sii"], first["sii_lower"], first["sii_upper"]),
                            (last["sii"], last["sii_lower"], last["sii_upper"]), rule=spec["rule"],
                            threshold=float("nan"), threshold_words="", decimals=spec["decimals"])
        rows[-1].update(change=change.word, change_basis=change.basis)
    return pd.DataFrame(rows, columns=list(OUT_COLUMNS))
