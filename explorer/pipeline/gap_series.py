"""Is the gap narrowing? The gap (SII) of each series held at two or more times, for every authority.

The series are data (``data/registry/gap_series.csv``): one row per series and time, naming the indicator whose
unit, method and source apply, where the time's figures come from (the store's own values of ``indicator``,
or a column of ``file`` for the same small areas and denominators), the areas (``ward`` or ``msoa11``) and the
deprivation index that orders them, and the change rule (``judged`` or ``described``, with a threshold where no
interval exists). For each authority and time, :func:`explorer.stats.gap_time.gap_at` gives the most and least
deprived fifths and the slope index with its 95% interval (PHE's ``phe_sii``); the change from the first time to
the last is judged by :func:`explorer.stats.judge.gap_change`. Nothing is filled: an area with no figure at a
time is left out of that time, and a time with too few areas says why.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from explorer.pipeline.inputs import Inputs
from explorer.pipeline.parallel import ordered_map
from explorer.registry import Indicator
from explorer.stats.gap_time import gap_at
from explorer.stats.gaps import EDITION_NAMES, area_ordering
from explorer.stats.judge import gap_change
from geo.errors import DataError
from geo.validate import check_codes, check_numeric, check_unique, read_csv

SERIES = "data/registry/gap_series.csv"
NIL = ("..",)  # Stat-Xplore: nil or negligible
COLUMNS = ("series", "order", "indicator", "period", "file", "value_column", "areas", "ordering", "rule", "threshold",
           "threshold_words", "rule_note")
RULES = ("judged", "described")
AREAS = {"ward": ("imd25",), "msoa11": ("imd25", "imd19", "imd15")}
WARD_ORDERING = "IMD 2025 score by 2021 LSOA, averaged over each May 2025 ward (Census 2021 residents)"
SAME_FOR_SERIES = ("areas", "ordering", "rule", "threshold", "threshold_words", "rule_note")


def load_series(data: Path, registry: dict[str, Indicator]) -> pd.DataFrame:
    """The series registry, checked: each problem names the file, row and column and says what to do.

    Returns
    -------
    DataFrame
        The rows of :data:`SERIES` sorted by series and order, ``threshold`` a float (NaN where empty).
    """
    frame = read_csv(data / "registry" / "gap_series.csv", COLUMNS, label=SERIES).fillna("")
    for i, row in enumerate(frame.to_dict("records"), start=1):
        if row["indicator"] not in registry:
            raise DataError(SERIES, f"'{row['indicator']}' is not a national indicator (data/registry/"
                            "national_indicators.csv)", row=i, column="indicator")
        if row["areas"] not in AREAS:
            raise DataError(SERIES, f"areas '{row['areas']}' is not one of {tuple(AREAS)}", row=i, column="areas")
        if row["ordering"] not in AREAS[row["areas"]]:
            raise DataError(SERIES, f"ordering '{row['ordering']}' is not held for {row['areas']}: use one of "
                            f"{AREAS[row['areas']]}", row=i, column="ordering")
        if row["rule"] not in RULES:
            raise DataError(SERIES, f"rule '{row['rule']}' is not one of {RULES}", row=i, column="rule")
        if row["rule"] == "judged" and not (row["threshold"] and row["threshold_words"]):
            raise DataError(SERIES, "a judged series needs the threshold used where no interval exists, and its "
                            "words", row=i, column="threshold")
        if bool(row["file"]) != bool(row["value_column"]):
            raise DataError(SERIES, "give file and value_column together (or neither, for the store's own values)",
                            row=i, column="file")
        if row["file"] and row["areas"] != "msoa11":
            raise DataError(SERIES, "a file's counts are divided by the indicator's own MSOA denominators: only "
                            "for msoa11 series", row=i, column="file")
        if not row["rule_note"].strip():
            raise DataError(SERIES, "say why the rule fits this series", row=i, column="rule_note")
    frame["order"] = check_numeric(frame, "order", SERIES, allow_missing=False).astype(int)
    frame["threshold"] = pd.to_numeric(frame["threshold"].replace("", np.nan), errors="coerce")
    check_unique(frame, ["series", "order"], SERIES)
    for key, part in frame.groupby("series"):
        if len(part) < 2:
            raise DataError(SERIES, f"series '{key}' has one time only: a gap over time needs two or more",
                            column="series")
        for column in SAME_FOR_SERIES:
            if part[column].astype(str).nunique() > 1:
                raise DataError(SERIES, f"series '{key}' must have one {column} for every time", column=column)
    return frame.sort_values(["series", "order"], ignore_index=True)


def read_counts(inp: Inputs, spec: pd.DataFrame, registry: dict[str, Indicator]) -> dict[tuple[str, str], pd.Series]:
    """Each file column a series names: counts by area code, read once and checked (codes, duplicates, numbers).

    Stat-Xplore's ``..`` ("nil or negligible", after its disclosure control) is read as missing, never as zero:
    that MSOA is left out of that time (its row's ``areas`` counts those with a value).
    """
    out = {}
    for row in spec[spec["file"] != ""].to_dict("records"):
        ind = registry[row["indicator"]]
        label = inp.label(row["file"])
        frame = inp.csv(row["file"], [ind.code_column, row["value_column"]])
        check_codes(frame, ind.code_column, "msoa", label)
        check_unique(frame, [ind.code_column], label)
        out[(row["file"], row["value_column"])] = check_numeric(
            frame, row["value_column"], label, not_available=NIL).set_axis(frame[ind.code_column].str.strip())
    return out


def _msoa_frame(ind: Indicator, own: pd.DataFrame, counts: pd.Series | None) -> pd.DataFrame:
    """An MSOA series' figures at one time: the store's, or the time's counts over the store's denominators."""
    frame = own[["value", "lower", "upper", "numerator", "denominator"]].copy()
    if counts is not None:
        frame["numerator"] = counts.reindex(frame.index)
        frame["value"] = frame["numerator"] / frame["denominator"] * ind.per
        frame["lower"] = frame["upper"] = np.nan
    return frame


def authority_rows(code: str, name: str, values: pd.DataFrame, lookups: pd.DataFrame, weights: pd.DataFrame,
                   wards: pd.DataFrame, registry: dict[str, Indicator], spec: pd.DataFrame,
                   counts: dict[tuple[str, str], pd.Series]) -> list[dict]:
    """One authority's rows: every series at every time, and its change from the first time to the last.

    ``values``, ``lookups`` and ``weights`` are the authority's own (small areas and wards); ``wards`` its May
    2025 wards with ``population_census2021``.
    """
    rows = []
    orderings: dict[str, tuple] = {}
    ward_dep = values[(values["indicator"] == "imd25_score") & (values["geography"] == "ward")].set_index("code")
    ward_pop = wards.set_index("code")["population_census2021"].astype(float)
    for key, part in spec.groupby("series", sort=False):
        found = []
        for row in part.to_dict("records"):
            ind = registry[row["indicator"]]
            if row["areas"] == "ward":
                own = values[(values["indicator"] == ind.id) & (values["geography"] == "ward")].set_index("code")
                frame = own[["value", "lower", "upper", "numerator", "denominator"]].copy()
                frame["deprivation"] = ward_dep["value"]
                frame["population"] = ward_pop
                words, order = "wards", WARD_ORDERING
            else:
                if row["ordering"] not in orderings:
                    orderings[row["ordering"]] = area_ordering("msoa11", ind.weight, values, lookups, weights,
                                                               row["ordering"])
                deprivation, population, words, order = orderings[row["ordering"]]
                own = values[(values["indicator"] == ind.id) & (values["geography"] == "msoa11")].set_index("code")
                counts_at = counts.get((row["file"], row["value_column"])) if row["file"] else None
                frame = _msoa_frame(ind, own, counts_at)
                frame["deprivation"] = deprivation
                frame["population"] = population
            figures = gap_at(frame, interval=ind.interval, value_type=ind.value_type,
                             per=ind.per if ind.interval == "poisson" else None, words=words, spread_kind="score",
                             name=name)
            found.append(figures)
            rows.append({"la": code, "series": key, "order": row["order"], "indicator": ind.id,
                         "label": registry[part["indicator"].iloc[-1]].label, "period": row["period"],
                         "unit": ind.unit, "decimals": ind.decimals, "areas_kind": words,
                         "ordering": order, "edition": EDITION_NAMES[row["ordering"]], "source": ind.source,
                         "method": f"{ind.method_text}; gap: PHE's phe_sii slope index over fifths of residents",
                         **figures, "rule": row["rule"], "rule_note": row["rule_note"], "change": "",
                         "change_basis": ""})
        first, last = found[0], found[-1]
        change = gap_change((first["sii"], first["sii_lower"], first["sii_upper"]),
                            (last["sii"], last["sii_lower"], last["sii_upper"]), rule=part["rule"].iloc[0],
                            threshold=float(part["threshold"].iloc[0]),
                            threshold_words=str(part["threshold_words"].iloc[0]),
                            decimals=registry[part["indicator"].iloc[0]].decimals)
        rows[-1].update(change=change.word, change_basis=change.basis)
    return rows


def gap_series(codes: list[str], registry: dict[str, Indicator], values: pd.DataFrame, lookups: pd.DataFrame,
               weights: pd.DataFrame, wards: pd.DataFrame, authorities: pd.DataFrame, inp: Inputs, data: Path,
               tick=None, workers: int = 1) -> pd.DataFrame:
    """Every series' gap at every time for each authority in ``codes`` (the judgement on each series' last row).

    The authorities are shared among ``workers`` processes (:func:`explorer.pipeline.parallel.ordered_map`), each
    given only its own tables. Returns one row per authority, series and time (columns of :func:`authority_rows`).
    """
    spec = load_series(data, registry)
    counts = read_counts(inp, spec, registry)
    names = authorities.set_index("code")["name"]
    needed = set(spec["indicator"]) | {"imd25_score", "imd15_score", "imd19_rank"}
    mine = values[values["indicator"].isin(needed) & values["geography"].isin(["ward", "msoa11", "lsoa21",
                                                                              "lsoa11"])]
    by_la = {code: part for code, part in mine.groupby("la")}
    look = {code: part for code, part in lookups.groupby("la")}
    wts = {code: part for code, part in weights.groupby("la")}
    ward_by_la = {code: part for code, part in wards.groupby("la")}
    tasks = []
    for code in codes:
        own_msoas = set(by_la.get(code, mine.iloc[:0]).query("geography == 'msoa11'")["code"])
        own_counts = {k: v[v.index.isin(own_msoas)] for k, v in counts.items()}
        tasks.append((code, names[code], by_la.get(code, mine.iloc[:0]), look[code], wts[code],
                      ward_by_la.get(code, wards.iloc[:0]), registry, spec, own_counts))
    rows = [row for found in ordered_map(authority_rows, tasks, workers, tick) for row in found]
    out = pd.DataFrame(rows)
    if out.empty:
        return out
    for column in ("sii", "sii_lower", "sii_upper", "most_deprived", "least_deprived", "gap"):
        out[column] = out[column].astype(float)
    return out

