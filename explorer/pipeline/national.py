"""One national build: every English local authority at ward level, written to a versioned store.

Run ``python -m explorer.pipeline.national`` (``--only CODE,CODE`` limits the per-authority geometry and gaps to those
authorities, for tests; values, comparators, reconciliation and peers always cover all of England). It reads
each national file in ``data/raw/national`` once, checks it with the Coventry build's named errors, and for
each of England's 296 authorities (2025 codes) works out:

- its May 2025 wards (ONS's 2024 best fit of 2021 LSOAs, carried to the 2025 wards; 1,610 LSOAs in councils
  re-warded in May 2025 assigned by area and flagged), each ward's and the authority's value of every
  indicator held for all of England (``data/registry/national_indicators.csv`` says where each comes from
  and how it differs from Coventry's), with the registry's methods and the judgement method's intervals;
- its comparators: the publisher's own figure where one exists (MHCLG's IoD 2025 local authority summaries;
  ONS's 2009-13 life expectancies, published for upper-tier authorities only), else computed here, each with
  its note; England's figures as for Coventry;
- its reconciliation with MHCLG (IoD 2025 average score and share of LSOAs in the most deprived tenth; IoD
  2019's share), its ward, LSOA and MSOA layers simplified to the geometry budgets, its ten most similar
  authorities on stated measures, and its gaps (SII) with a reason wherever one cannot be computed.

Coventry's local pack (IDACI/IDAOPI, the 1 km air grids, FixMyStreet, NO2 tubes, council files, the register,
kiosk facts) is Coventry's own and is not in the national store. The store is written to a temporary folder
and swapped in whole (``data/store/v1``), with its data API (``api/``: :mod:`explorer.pipeline.api`).
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import re
import resource
import sys
import time
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq

from explorer import paths
from explorer.pipeline import api
from explorer.pipeline import national_inputs as ni
from explorer.pipeline.atomic import one_at_a_time, swap_in
from explorer.pipeline.comparators import ENGLAND, comparator_rows
from explorer.pipeline.gap_series import gap_series
from explorer.pipeline.indicator_build import build_indicator, computed_note, published_number
from explorer.pipeline.inputs import Inputs, check_manifest, fingerprint, recorded, unchanged
from explorer.pipeline.national_series import authority_series
from explorer.pipeline.parallel import ordered_map, usable_cores
from explorer.pipeline.peers import authority_gaps, marmot_places, peer_measures, similar_authorities
from explorer.pipeline.progress import STEPS, Progress
from explorer.registry import Indicator, load_registry
from geo.budgets import BUDGETS, fit_to_budget
from geo.errors import DataError
from geo.validate import check_known, check_numeric, check_unique, read_csv

STORE_VERSION = "v1"
REGISTRY = "data/registry/national_indicators.csv"
THEMES = "data/registry/national_themes.csv"
REGISTRY_COLUMNS = ("id", "file", "code_column", "value_column", "lower_column", "upper_column", "filter_column",
                    "filter_values", "method", "weight", "interval", "denominator_file", "denominator_code_column",
                    "denominator_column", "authority_file",
                    "authority_code_column", "authority_value_column", "note")
NATIONAL_WEIGHTS = ("census2021", "iod19_total")
SCORE_TOLERANCE = 0.05  # IMD score points: the spread Census 2021 weights (not mid-2022) can make
PUBLISHED_IMD = {  # indicator -> column of MHCLG's IoD 2025 local authority summaries
    "imd25_score": "imd_average_score", "imd25_income": "income_average_score",
    "imd25_employment": "employment_average_score",
    "imd25_education": "education_skills_and_training_average_score",
    "imd25_health": "health_deprivation_and_disability_average_score", "imd25_crime": "crime_average_score",
    "imd25_barriers": "barriers_to_housing_and_services_average_score",
    "imd25_living_env": "living_environment_average_score",
}
ONS_LE = {"le_male": ("Male", "LE (Years)", "LE"), "le_female": ("Female", "LE (Years)", "LE"),
          "hle_male": ("Male", "HLE (years)", "HLE"), "hle_female": ("Female", "HLE (years)", "HLE"),
          "dfle_male": ("Male", "DFLE (years)", ""), "dfle_female": ("Female", "DFLE (years)", "")}
REGISTRY_FILES = ("indicators.csv", "comparators.csv", "national_indicators.csv", "national_themes.csv",
                  "gap_series.csv")
STORE_FILES = ("authorities.parquet", "indicators.parquet", "wards.parquet", "lsoa21.parquet", "msoa11.parquet",
               "lookups.parquet", "weights.parquet", "values.parquet", "reconciliation.parquet", "peers.parquet",
               "gaps.parquet", "gap_series.parquet", "marmot.parquet", "layers.parquet", "series.parquet",
               "build_info.json", "api/index.json")


LOCAL_EXAMPLE = re.compile(r" \([^()]*: [\d,.]+ [^()]*\)")  # "(Cannon Park & University: 6,333 addresses ...)"


def _not_about_coventry(caveat: str) -> str:
    """A Coventry caveat or method without what it says of Coventry's own figures (they hold for Coventry alone).

    Sentences naming Coventry go, and so do worked examples of one of its wards in brackets ("(Ward: 6,333
    addresses for 9,103 residents)").

    Examples
    --------
    >>> _not_about_coventry("Old period. The Coventry figure is ONS's own (77.9 years). Ward figures are estimates.")
    'Old period. Ward figures are estimates.'
    >>> _not_about_coventry("Addresses include student halls (Cannon Park: 6,333 addresses for 9,103 residents).")
    'Addresses include student halls.'
    """
    kept = [s for s in re.split(r"(?<=\.) ", caveat) if "Coventry" not in s]
    return LOCAL_EXAMPLE.sub("", " ".join(kept))


# Coventry's populations named in its methods -> the national weight that replaces them (NATIONAL_WEIGHTS), so a
# method never names a population other than the one its figures were weighted by.
WEIGHT_WORDS = {
    "census2021": (("the IoD 2025 mid-2022 populations", "Census 2021 residents"),
                   ("IoD 2025 mid-2022 populations", "Census 2021 residents"),
                   ("the working-age population (18-66, mid-2022)", "Census 2021 residents"),
                   ("mid-2022 populations", "Census 2021 residents")),
    "iod19_total": (("ONS mid-2019 estimates", "IoD 2019's mid-2015 residents"),),
}


def _method_words(text: str, weight: str = "") -> str:
    """A Coventry method in words for a national figure, ending as it did (pages add the stop).

    What it says of Coventry's figures goes, and the population it names becomes ``weight``'s (:data:`WEIGHT_WORDS`).

    Examples
    --------
    >>> _method_words("Counts split, then divided. Coventry: 35,214 households")
    'Counts split, then divided'
    >>> _method_words("Population-weighted average of LSOA domain scores (mid-2022 populations)", "census2021")
    'Population-weighted average of LSOA domain scores (Census 2021 residents)'
    """
    kept = _not_about_coventry(text)
    for old, new in WEIGHT_WORDS.get(weight, ()):
        kept = kept.replace(old, new)
    return kept if text.endswith(".") else kept.removesuffix(".")


ENGLAND_NOTE_WORDS = {  # comparators.csv words England's rows for Coventry's pack; the store serves every authority
    " (as for Coventry)": "",
    ", not the mid-2019 estimates used for Coventry's wards, which are not held for England":
        " (mid-2019 estimates are not held here for all of England)",
}


def _england_note(note: str) -> str:
    """An England comparator's note without what it says of Coventry's own figures.

    Examples
    --------
    >>> _england_note("computed here: weighted by mid-2015 populations (as for Coventry)")
    'computed here: weighted by mid-2015 populations'
    """
    for old, new in ENGLAND_NOTE_WORDS.items():
        note = note.replace(old, new)
    return note


def national_registry(data: Path) -> dict[str, Indicator]:
    """The indicators held for all of England: Coventry's registry rows with their national source and weight.

    Each row of ``data/registry/national_indicators.csv`` names an indicator of ``indicators.csv`` (or of
    ``national_themes.csv``: indicators held for every authority that Coventry's own build does not make) and
    says where its England-wide values come from, the population that weights them, the interval kind, where
    the publisher's own authority figures are (``authority_file``, for a figure published for wards) and a
    ``note`` on anything that differs from Coventry's figures (kept as the indicator's ``caveat`` prefix).

    Raises
    ------
    DataError
        Naming the row and column of the first problem.
    """
    base = load_registry(data / "registry" / "indicators.csv")
    themes = load_registry(data / "registry" / "national_themes.csv")
    for i, key in enumerate(themes, start=1):
        if key in base:
            raise DataError(THEMES, f"'{key}' is already in data/registry/indicators.csv", row=i, column="id")
    base = {**base, **themes}
    spec = read_csv(data / "registry" / "national_indicators.csv", REGISTRY_COLUMNS, label=REGISTRY).fillna("")
    out: dict[str, Indicator] = {}
    for i, row in enumerate(spec.to_dict("records"), start=1):
        if row["id"] not in base:
            raise DataError(REGISTRY, f"'{row['id']}' is not in data/registry/indicators.csv or {THEMES}", row=i,
                            column="id")
        if row["id"] in out:
            raise DataError(REGISTRY, f"duplicate indicator '{row['id']}'", row=i, column="id")
        if (row["method"] == "ward_published") != base[row["id"]].ward_published:
            raise DataError(REGISTRY, f"method '{row['method']}': a figure published for wards is "
                            "'ward_published' here and in its indicator's row (and only it)", row=i, column="method")
        published = [row[c] for c in ("authority_file", "authority_code_column", "authority_value_column")]
        if any(published) and not all(published):
            raise DataError(REGISTRY, "give authority_file, authority_code_column and authority_value_column "
                            "together (or none)", row=i, column="authority_file")
        if row["method"] == "ward_published" and not all(published):
            raise DataError(REGISTRY, "a figure published for wards needs the publisher's authority figures "
                            "(authority_file ...): none is computed here", row=i, column="authority_file")
        if row["method"] not in ("small_area_only", "ward_published") and row["weight"] not in NATIONAL_WEIGHTS:
            raise DataError(REGISTRY, f"weight '{row['weight']}' is not held for England; use one of "
                            f"{NATIONAL_WEIGHTS}", row=i, column="weight")
        if bool(row["denominator_file"]) != bool(row["denominator_code_column"]):
            raise DataError(REGISTRY, "give denominator_file and denominator_code_column together (or neither)",
                            row=i, column="denominator_file")
        if row["denominator_file"] and row["method"] != "count_ratio":
            raise DataError(REGISTRY, "only a count_ratio has a denominator", row=i, column="denominator_file")
        if row["interval"] == "published" and not (row["lower_column"] and row["upper_column"]):
            raise DataError(REGISTRY, "a published interval needs lower_column and upper_column", row=i,
                            column="interval")
        if not row["note"].strip():
            raise DataError(REGISTRY, "say how the national figure is made", row=i, column="note")
        ind = base[row["id"]]
        out[ind.id] = dataclasses.replace(
            ind, file=row["file"], code_column=row["code_column"], value_column=row["value_column"],
            lower_column=row["lower_column"], upper_column=row["upper_column"], filter_column=row["filter_column"],
            filter_values=row["filter_values"], method=row["method"], weight=row["weight"], interval=row["interval"],
            denominator_file=row["denominator_file"], denominator_code_column=row["denominator_code_column"],
            denominator_column=row["denominator_column"],
            scale=100.0 if row["method"] == "count_ratio" and ind.value_type == "proportion" else ind.scale,
            method_text=_method_words(ind.method_text, row["weight"]),
            caveat=" ".join(x for x in (row["note"].strip(), _not_about_coventry(ind.caveat)) if x))
    return out


def authority_files(data: Path) -> dict[str, tuple[str, str, str]]:
    """Where the publisher's own authority figures of an indicator are: id -> (file, code column, value column).

    Read from ``data/registry/national_indicators.csv`` (checked by :func:`national_registry`); only rows that
    name an ``authority_file`` are given.
    """
    spec = read_csv(data / "registry" / "national_indicators.csv", REGISTRY_COLUMNS, label=REGISTRY).fillna("")
    return {r["id"]: (r["authority_file"], r["authority_code_column"], r["authority_value_column"])
            for r in spec.to_dict("records") if r["authority_file"]}


def _authority_published_rows(inp: Inputs, data: Path, authorities: pd.DataFrame, recoded: pd.Series,
                              registry: dict[str, Indicator], values: pd.DataFrame,
                              ward_la: pd.Series) -> list[dict]:
    """The publisher's own figure for each authority of an indicator whose row names an ``authority_file``.

    Its note names the source and, for a figure published for wards, how many of the authority's wards have
    the publisher's ward figure. Markers such as DWP's ``[x]`` are read as missing (:func:`published_number`).
    """
    names = authorities.set_index("code")["name"]
    own = set(authorities["code"])
    wards = values[values["geography"] == "ward"]
    rows = []
    for key, (rel, code_column, value_column) in authority_files(data).items():
        if key not in registry:
            continue
        ind, label = registry[key], inp.label(rel)
        frame = inp.csv(rel, [code_column, value_column])
        check_unique(frame, [code_column], label)
        code = frame[code_column].str.strip().map(lambda c: recoded.get(c, c))
        check_known(frame.assign(**{code_column: code}), code_column, own, label, "authority code (after recoding)")
        value = published_number(frame, value_column, label) * ind.scale
        mine = wards[wards["indicator"] == key]
        held = mine["value"].notna().groupby(mine["code"].map(ward_la)).agg(["sum", "size"])
        for c, v in zip(code, value, strict=True):
            publisher = ind.source.split(",")[0]
            note = f"{publisher}'s own figure for {names[c]}"
            if ind.ward_published and c in held.index:
                note += (f"; {int(held.loc[c, 'sum'])} of its {int(held.loc[c, 'size'])} May 2025 wards have "
                         f"{publisher}'s ward figure (each ward without one says why)")
            rows.append({"indicator": key, "code": c, "value": v, "lower": np.nan, "upper": np.nan, "note": note})
    return rows


def _published_rows(inp: Inputs, authorities: pd.DataFrame, recoded: pd.Series,
                    registry: dict[str, Indicator], extra: list[dict] = ()) -> pd.DataFrame:
    """Each authority's own published figures: MHCLG's IoD 2025 summaries, ONS's 2009-13 upper-tier figures.

    ``extra`` are the rows of :func:`_authority_published_rows` (the registry's ``authority_file`` figures).
    """
    names = authorities.set_index("code")["name"]
    own = set(authorities["code"])
    rows = []
    label = inp.label(ni.LA25)
    la25 = inp.csv(ni.LA25, ["ltla24_code", *PUBLISHED_IMD.values()])
    code = la25["ltla24_code"].map(lambda c: recoded.get(c, c))
    check_known(la25.assign(code=code), "code", own, label, "authority code (after recoding)")
    for key, column in PUBLISHED_IMD.items():
        if key not in registry:
            continue
        values = check_numeric(la25, column, label) * registry[key].scale
        for c, v in zip(code, values, strict=True):
            rows.append({"indicator": key, "code": c, "value": v, "lower": np.nan, "upper": np.nan,
                         "note": f"MHCLG's own figure for {names[c]} (IoD 2025 local authority summaries)"})
    for key, (sex, column, prefix) in ONS_LE.items():
        if key not in registry:
            continue
        if prefix:
            rel = ni.UTLA_LE
            lower, upper = f"{prefix} Lower 95 % confidence interval", f"{prefix} Upper 95 % confidence interval"
            frame = inp.csv(rel, ["Geography level", "Sex", "Area code", column, lower, upper])
            frame = frame[(frame["Geography level"] == "UTLA") & (frame["Sex"] == sex)]
            code_column = "Area code"
        else:
            rel = ni.UTLA_DFLE[sex]
            lower, upper = "Lower 95 % confidence interval", "Upper 95 % confidence interval"
            frame = inp.csv(rel, ["UTLA Codes", column, lower, upper])
            code_column = "UTLA Codes"
        frame = frame.assign(code=frame[code_column].map(lambda c: recoded.get(c, c)))
        frame = frame[frame["code"].isin(own)]
        label = inp.label(rel)
        value, lo, hi = (check_numeric(frame, c, label) for c in (column, lower, upper))
        for c, v, a, b in zip(frame["code"], value, lo, hi, strict=True):
            rows.append({"indicator": key, "code": c, "value": v, "lower": a, "upper": b,
                         "note": f"ONS's own figure for {names[c]}, 2009-2013 (the same release as the MSOA "
                                 "figures)"})
    return pd.DataFrame([*rows, *extra])


def _computed_note(ind: Indicator, name: str, counts: dict[str, int], numerator: float = np.nan,
                   denominator: float = np.nan) -> str:
    """How an authority's figure computed here is made, with the weights used where MHCLG's are not held.

    The wording by method is :func:`explorer.pipeline.indicator_build.computed_note`'s, shared with Coventry's
    build.
    """
    note = computed_note(ind, name, counts.get(ind.geography, 0), numerator, denominator)
    if ind.method == "mean" and ind.geography == "msoa11":
        return note + ", each weighted by the Census 2021 residents of its 2021 LSOAs in the authority"
    if ind.method in ("mean", "decile1_share") and ind.geography == "lsoa11":
        return note + " (IoD 2019 mid-2015 populations)"
    if ind.method in ("mean", "decile1_share") and ind.geography == "lsoa21":
        return note + " (Census 2021 residents: MHCLG's mid-2022 denominators are not held for England)"
    return note


def build_values(inp: Inputs, data: Path, registry: dict[str, Indicator], ctx: dict, authorities: pd.DataFrame,
                 recoded: pd.Series, where: dict[str, pd.Series]) -> pd.DataFrame:
    """Every indicator's small-area, ward, authority and England rows, each with its authority (``la``).

    Geography is the small area's (``lsoa21``, ``lsoa11``, ``msoa11``), ``ward``, ``la`` (the authority's
    comparator: the publisher's figure where one exists, else computed here), ``la_computed`` (computed here
    where a published figure took ``la``) or ``england``.
    """
    frames = [r for ind in registry.values() for r in build_indicator(ind, inp, ctx)]
    values = pd.concat(frames, ignore_index=True)
    values["geography"] = values["geography"].replace({"city": "la"})
    names = authorities.set_index("code")["name"]
    counts = {g: where[g].value_counts() for g in ("lsoa21", "lsoa11", "msoa11")}
    la_rows = values["geography"] == "la"
    values["note"] = values["note"].fillna("") if "note" in values else ""  # ward_published rows bring theirs
    values.loc[la_rows, "note"] = [  # how it is made, then why it has no figure where it has none
        "; no figure: ".join(x for x in (_computed_note(registry[i], names[c], {g: int(counts[g].get(c, 0))
                                                                                for g in counts}, num, den), why) if x)
        for i, c, num, den, why in zip(values.loc[la_rows, "indicator"], values.loc[la_rows, "code"],
                                       values.loc[la_rows, "numerator"], values.loc[la_rows, "denominator"],
                                       values.loc[la_rows, "note"], strict=True)]
    published = _published_rows(inp, authorities, recoded, registry, _authority_published_rows(
        inp, data, authorities, recoded, registry, values, ctx["city"]))
    key = set(zip(published["indicator"], published["code"], strict=True))
    moved = la_rows & pd.Series([k in key for k in zip(values["indicator"], values["code"], strict=True)],
                                index=values.index)
    values.loc[moved, "geography"] = "la_computed"
    published = published.assign(geography="la")
    comparators = comparator_rows(data / "registry" / "comparators.csv", load_registry(
        data / "registry" / "indicators.csv"), "E08000026", inp.csv, inp.label)
    england = comparators[(comparators["geography"] == "england") & comparators["indicator"].isin(registry)]
    england = england.assign(note=england["note"].map(_england_note))
    values = pd.concat([values, published, england.drop(columns=["how"])], ignore_index=True)
    ward_la = ctx["city"]
    la = pd.Series(index=values.index, dtype=object)
    for geography in ("lsoa21", "lsoa11", "msoa11"):
        mask = values["geography"] == geography
        la[mask] = values.loc[mask, "code"].map(where[geography])
    mask = values["geography"] == "ward"
    la[mask] = values.loc[mask, "code"].map(ward_la)
    mask = values["geography"].isin(["la", "la_computed"])
    la[mask] = values.loc[mask, "code"]
    la[values["geography"] == "england"] = ENGLAND
    values.insert(0, "la", la)
    values = values[values["la"].notna()]  # small areas with no authority (none in England's files) are dropped
    return values.sort_values(["la", "indicator", "geography", "code"], ignore_index=True)


def reconcile(values: pd.DataFrame, inp: Inputs, authorities: pd.DataFrame, recoded: pd.Series,
              lookup11: pd.DataFrame, successor: pd.Series) -> pd.DataFrame:
    """Our figures beside MHCLG's for every authority (IoD 2025) and every district that IoD 2019 allows.

    IoD 2025: the population-weighted average IMD score (ours: Census 2021 weights) against MHCLG's
    (mid-2022 weights), within :data:`SCORE_TOLERANCE`; and the number of LSOAs in England's most deprived
    tenth against MHCLG's proportion times the authority's LSOAs, which must match exactly. IoD 2019: the
    same count for the authority's 2011 LSOAs, against File 10's proportions of the districts of 2019 it was
    made from (weighted by their LSOA counts in File 1). No IoD 2019 score is reconciled: its LSOA scores
    are not held.
    """
    names = authorities.set_index("code")["name"]
    rows = []
    la25 = inp.csv(ni.LA25, ["ltla24_code", "imd_average_score",
                             "imd_proportion_of_lso_as_in_most_deprived_10_percent_nationally"])
    label = inp.label(ni.LA25)
    mh = pd.DataFrame({"code": la25["ltla24_code"].map(lambda c: recoded.get(c, c)),
                       "score": check_numeric(la25, "imd_average_score", label),
                       "share": check_numeric(la25, "imd_proportion_of_lso_as_in_most_deprived_10_percent_"
                                                    "nationally", label)}).set_index("code")
    ours = values[(values["indicator"] == "imd25_score") & values["geography"].isin(["la", "la_computed"])]
    ours = ours[ours["geography"] == "la_computed"].set_index("code")["value"]
    decile = values[(values["indicator"] == "imd25_decile") & (values["geography"] == "lsoa21")]
    n = decile.groupby("la").size()
    d1 = (decile["value"] == 1).groupby(decile["la"]).sum()
    for code in authorities["code"]:
        score, share = mh.loc[code, "score"], mh.loc[code, "share"]
        diff = round(float(ours[code]) - score, 3)
        rows.append({"edition": "IoD 2025", "measure": "average IMD score (population-weighted)", "code": code,
                     "name": names[code], "ours": round(float(ours[code]), 3), "mhclg": score, "difference": diff,
                     "match": bool(abs(diff) <= SCORE_TOLERANCE),
                     "note": f"ours weighted by Census 2021 residents, MHCLG's by mid-2022 estimates; tolerance "
                             f"{SCORE_TOLERANCE}"})
        expected = round(share * n[code])
        rows.append({"edition": "IoD 2025", "measure": "LSOAs in England's most deprived 10%", "code": code,
                     "name": names[code], "ours": float(d1[code]), "mhclg": float(expected),
                     "difference": float(d1[code] - expected), "match": bool(d1[code] == expected),
                     "note": f"of {int(n[code])} LSOAs; MHCLG's proportion {share:.4f} times that number"})
    file1 = inp.csv(ni.FILE1_LAD, ["LSOA code (2011)", "Local Authority District code (2019)"])
    la19 = inp.csv(ni.LA19, ["Local Authority District code (2019)",
                             "IMD - Proportion of LSOAs in most deprived 10% nationally "])
    label19 = inp.label(ni.LA19)
    prop19 = check_numeric(la19, "IMD - Proportion of LSOAs in most deprived 10% nationally ", label19).set_axis(
        la19["Local Authority District code (2019)"])
    lsoas19 = file1.groupby("Local Authority District code (2019)").size()
    d1_19 = (prop19 * lsoas19.reindex(prop19.index)).round()
    now = prop19.index.map(lambda c: successor.get(c, c))
    expected = d1_19.groupby(now).sum()
    decile19 = values[(values["indicator"] == "imd19_decile") & (values["geography"] == "lsoa11")]
    n19 = decile19.groupby("la").size()
    ours19 = (decile19["value"] == 1).groupby(decile19["la"]).sum()
    made_of = pd.Series(prop19.index, index=now).groupby(level=0).agg(lambda s: ", ".join(sorted(s)))
    for code in authorities["code"]:
        if code not in expected.index:
            continue
        exp, got = float(expected[code]), float(ours19.get(code, 0))
        rows.append({"edition": "IoD 2019", "measure": "LSOAs in England's most deprived 10%", "code": code,
                     "name": names[code], "ours": got, "mhclg": exp, "difference": got - exp,
                     "match": bool(got == exp),
                     "note": f"of {int(n19.get(code, 0))} 2011 LSOAs assigned to the authority; MHCLG's File 10 "
                             f"for {made_of[code]}"})
    return pd.DataFrame(rows)


def layer_sources(codes: list[str], wards: gpd.GeoDataFrame, lsoa21: gpd.GeoDataFrame, msoa11: gpd.GeoDataFrame,
                  lookup21: pd.DataFrame) -> dict[str, dict[str, gpd.GeoDataFrame]]:
    """Each authority's own ward, LSOA 2021 (by the ward lookup) and MSOA 2011 areas, by code, in England's order."""
    lsoa_la = lsoa21["code"].map(lookup21.set_index("lsoa")["la"])
    split = {layer: dict(iter(frame.groupby(la, sort=False))) for layer, frame, la in (
        ("wards", wards, wards["la"]), ("lsoa21", lsoa21, lsoa_la), ("msoa11", msoa11, msoa11["la"]))}
    return {code: {layer: split[layer].get(code, frame.iloc[:0]) for layer, frame in
                   (("wards", wards), ("lsoa21", lsoa21), ("msoa11", msoa11))} for code in codes}


def authority_layers(code: str, sources: dict[str, gpd.GeoDataFrame]) -> tuple[dict[str, gpd.GeoDataFrame],
                                                                            list[dict]]:
    """One authority's ward, LSOA 2021 and MSOA 2011 layers (:func:`layer_sources`), each simplified to its budget."""
    shapes, report = {}, []
    for layer, frame in sources.items():
        fitted = fit_to_budget(frame[["code", "name", "geometry"]].reset_index(drop=True), BUDGETS[layer])
        shapes[layer] = fitted.shapes.assign(la=code)
        report.append({"la": code, "layer": layer, "areas": len(frame), "tolerance_m": fitted.tolerance_m,
                       "geojson_bytes": fitted.geojson_bytes, "budget_bytes": BUDGETS[layer],
                       "vertices": fitted.vertices, "coverage_valid": fitted.coverage_valid})
    return shapes, report


def flytipping(inp: Inputs, authorities: pd.DataFrame, successor: pd.Series, recoded: pd.Series) -> pd.DataFrame:
    """Defra's 2022-23 fly-tipping incidents per authority, summed over predecessors where districts merged.

    Returns ``code``, ``flytipping_incidents``, ``flytipping_per_1000`` and ``flytipping_note``; an authority
    with any predecessor's figure missing (":" in Defra's table) gets none.
    """
    label = inp.label(ni.FLYTIPPING)
    frame = inp.csv(ni.FLYTIPPING, ["Year", "ONS Code", "Total Incidents", "Mid population estimates ",
                                    "Incidents per 1,000 people"])
    frame = frame[frame["Year"] == "2022-23"]
    if frame.empty:
        raise DataError(label, "no rows for 2022-23", column="Year")
    incidents = check_numeric(frame, "Total Incidents", label, not_available=(":",))
    people = check_numeric(frame, "Mid population estimates ", label, not_available=(":",))
    rate = check_numeric(frame, "Incidents per 1,000 people", label, not_available=(":",))
    code = frame["ONS Code"].map(lambda c: successor.get(c, recoded.get(c, c)))
    table = pd.DataFrame({"code": code, "old": frame["ONS Code"], "incidents": incidents, "people": people,
                          "rate": rate})
    rows = []
    for c in authorities["code"]:
        part = table[table["code"] == c]
        if part.empty:
            rows.append({"code": c, "flytipping_incidents": np.nan, "flytipping_per_1000": np.nan,
                         "flytipping_note": "not in Defra's 2022-23 table"})
        elif len(part) == 1:
            rows.append({"code": c, "flytipping_incidents": part["incidents"].iloc[0],
                         "flytipping_per_1000": part["rate"].iloc[0],
                         "flytipping_note": "Defra ENV24, 2022-23: incidents recorded by the council"})
        elif part[["incidents", "people"]].isna().any().any():
            rows.append({"code": c, "flytipping_incidents": np.nan, "flytipping_per_1000": np.nan,
                         "flytipping_note": "a predecessor district's 2022-23 figure is not available"})
        else:
            rows.append({"code": c, "flytipping_incidents": part["incidents"].sum(),
                         "flytipping_per_1000": round(part["incidents"].sum() / part["people"].sum() * 1000, 2),
                         "flytipping_note": f"Defra ENV24, 2022-23: the sum of its {len(part)} predecessor "
                                            f"districts ({', '.join(sorted(part['old']))}), per 1,000 of their "
                                            "summed populations (computed here)"})
    return pd.DataFrame(rows)


def write_grouped(frame: pd.DataFrame, path: Path, key: str = "la") -> None:
    """Write ``frame`` (sorted by ``key``) as Parquet with one row group per value of ``key``.

    A reader asking for one authority with ``filters=[("la", "==", code)]`` reads only that row group:
    its statistics (min and max of ``la``) rule out every other. GeoDataFrames keep their GeoParquet metadata.
    """
    frame = frame.sort_values(key, kind="mergesort").reset_index(drop=True)
    if isinstance(frame, gpd.GeoDataFrame):
        scratch = path.with_suffix(".tmp")
        frame.to_parquet(scratch, index=False, compression="zstd", write_covering_bbox=False)
        table = pq.read_table(scratch)
        scratch.unlink()
    else:
        table = pa.Table.from_pandas(frame, preserve_index=False)
    keys = frame[key].to_numpy()
    starts = np.flatnonzero(np.r_[True, keys[1:] != keys[:-1]])
    ends = np.r_[starts[1:], len(keys)]
    with pq.ParquetWriter(path, table.schema, compression="zstd") as writer:
        for a, b in zip(starts, ends, strict=True):
            writer.write_table(table.slice(a, b - a))


def build(data: Path, out: Path, only: list[str] | None = None, progress: Progress | None = None,
          workers: int = 1) -> dict:
    """Validate every national input and write the store to ``out`` (a new folder).

    Parameters
    ----------
    data : Path
        The data folder (``raw/``, ``registry/``, ``sources.csv``).
    out : Path
        The store folder to create.
    only : list of str, optional
        Authority codes whose geometry and gaps are built (default: all 296).
    progress : Progress, optional
        Told of each step (:data:`explorer.pipeline.progress.STEPS`) and each authority done (default: a bar
        on a terminal only).
    workers : int
        Processes sharing the gaps and the geometry, one authority at a time (default: this one alone).

    Returns
    -------
    dict
        Figures worth printing (counts, reconciliation, timings).
    """
    progress = progress or Progress(STEPS)
    started, cpu_started = time.perf_counter(), cpu_seconds()
    timings: dict[str, float] = {}
    cpu: dict[str, float] = {}

    def lap(name: str) -> None:
        timings[name] = round(time.perf_counter() - started - sum(timings.values()), 1)
        cpu[name] = round(cpu_seconds() - cpu_started - sum(cpu.values()), 1)

    progress.step("read")
    manifest = check_manifest(data)
    registry = national_registry(data)
    listed = set(manifest["file"])
    for i, ind in enumerate(registry.values(), start=1):
        if ind.file not in listed:
            raise DataError(REGISTRY, f"file '{ind.file}' is not in data/sources.csv", row=i, column="file")
    inp = Inputs(data)
    authorities, successor = ni.read_authorities(inp)
    codes = set(authorities["code"])
    recoded = ni.recodes(successor)
    if only:
        unknown = sorted(set(only) - codes)
        if unknown:
            raise DataError("--only", f"unknown authority code(s) {unknown}")
    wards = ni.read_layer(inp, ni.WARDS, "WD25CD", "WD25NM", "ward")
    lsoa21 = ni.read_layer(inp, ni.LSOA21, "LSOA21CD", "LSOA21NM", "lsoa")
    msoa11 = ni.read_layer(inp, ni.MSOA11, "MSOA11CD", "MSOA11NM", "msoa")
    check_known(wards, "la", codes, inp.label(ni.WARDS), "authority code")
    lap("read boundaries")
    lookup21 = ni.read_ward_lookup(inp, wards, codes)
    check_known(lsoa21.assign(lsoa=lsoa21["code"]), "lsoa", set(lookup21["lsoa"]), inp.label(ni.LSOA21),
                "LSOA21 code (not in the ward lookup)")
    layer_la = lsoa21.set_index("code")["la"].reindex(lookup21["lsoa"]).to_numpy()
    if (layer_la != lookup21["la"].to_numpy()).any():
        i = int(np.flatnonzero(layer_la != lookup21["la"].to_numpy())[0])
        raise DataError(inp.label(ni.LSOA21), f"LSOA {lookup21['lsoa'][i]} is in {layer_la[i]} here but in "
                        f"{lookup21['la'][i]} in {ni.LOOKUP}", column="LAD25CD")
    census = ni.read_census_weights(inp, set(lookup21["lsoa"]))
    mid2015 = ni.read_mid2015_weights(inp)
    pairs, msoa_of_lsoa11 = ni.read_lsoa11_pairs(inp)
    lookup21["msoa"] = lookup21["lsoa"].map(ni.lsoa21_msoa11(pairs, msoa_of_lsoa11, lsoa21, msoa11))
    lookup11 = ni.lsoa11_lookup(pairs, lookup21, census, msoa_of_lsoa11)
    lap("read lookups")
    progress.step("values")
    ward_la = wards.set_index("code")["la"]
    where = {"lsoa21": lookup21.set_index("lsoa")["la"], "lsoa11": lookup11.set_index("lsoa")["la"],
             "msoa11": msoa11.set_index("code")["la"]}
    ctx = {"lsoa21": set(lookup21["lsoa"]), "lsoa11": set(lookup11["lsoa"]), "msoa11": set(msoa11["code"]),
           "weights": {"census2021": census, "iod19_total": mid2015}, "lookup21": lookup21,
           "lookup11": lookup11, "grid_links": None, "city": ward_la}
    values = build_values(inp, data, registry, ctx, authorities, recoded, where)
    lap("values and comparators")
    progress.step("reconcile")
    reconciliation = reconcile(values, inp, authorities, recoded, lookup11, successor)
    lap("reconciliation")

    wards_table = wards_summary(wards, lookup21, census)
    lookups = pd.concat([lookup21.assign(geography="lsoa21"), lookup11.assign(geography="lsoa11")],
                        ignore_index=True)[["la", "geography", "lsoa", "ward", "msoa", "straddles", "share_in_ward",
                                            "method"]].fillna({"method": "via 2021 LSOAs (Census 2021 residents)"})
    weights = pd.concat([
        pd.DataFrame({"la": lookup21["la"], "geography": "lsoa21", "code": lookup21["lsoa"],
                      "census2021": lookup21["lsoa"].map(census), "iod19_total": np.nan}),
        pd.DataFrame({"la": lookup11["la"], "geography": "lsoa11", "code": lookup11["lsoa"], "census2021": np.nan,
                      "iod19_total": lookup11["lsoa"].map(mid2015)})], ignore_index=True)

    progress.step("peers")
    measures = peer_measures(authorities, values, inp)
    peers = similar_authorities(measures, authorities)
    lap("peers")
    chosen = sorted(only) if only else list(authorities["code"])
    progress.step("gaps", 2 * len(chosen) + 1)
    gaps = authority_gaps(chosen, registry, values, lookups, weights, authorities, progress.advance, workers)
    lap("gaps")
    over_time = gap_series(chosen, registry, values, lookups, weights, wards_table, authorities, inp, data,
                           progress.advance, workers)
    lap("gap over time")
    progress.step("geometry", len(chosen))
    shapes: dict[str, list[gpd.GeoDataFrame]] = {"wards": [], "lsoa21": [], "msoa11": []}
    budget_rows = []
    sources = layer_sources(chosen, wards, lsoa21, msoa11, lookup21)
    for fitted, report in ordered_map(authority_layers, [(code, sources[code]) for code in chosen], workers,
                                      progress.advance):
        for layer, frame in fitted.items():
            shapes[layer].append(frame)
        budget_rows += report
    layers = pd.DataFrame(budget_rows)
    lap("geometry")
    series = authority_series(inp, authorities, successor, recoded)
    lap("series over time")
    progress.step("write")

    table = authority_table(authorities, wards_table, lookup21, lookup11, msoa11, values, registry, measures,
                            layers, flytipping(inp, authorities, successor, recoded))
    out.mkdir(parents=True, exist_ok=False)
    table.to_parquet(out / "authorities.parquet", index=False, compression="zstd")
    pd.DataFrame([vars(ind) for ind in registry.values()]).to_parquet(out / "indicators.parquet", index=False)
    ward_shapes = pd.concat(shapes["wards"], ignore_index=True).merge(
        wards_table.drop(columns=["name", "la"]), on="code", how="left")
    write_grouped(gpd.GeoDataFrame(ward_shapes, crs="EPSG:4326"), out / "wards.parquet")
    for layer in ("lsoa21", "msoa11"):
        frame = gpd.GeoDataFrame(pd.concat(shapes[layer], ignore_index=True), crs="EPSG:4326")
        if layer == "lsoa21":
            frame["ward"] = frame["code"].map(lookup21.set_index("lsoa")["ward"])
        write_grouped(frame, out / f"{layer}.parquet")
    write_grouped(lookups, out / "lookups.parquet")
    write_grouped(weights, out / "weights.parquet")
    write_grouped(values, out / "values.parquet")
    write_grouped(series, out / "series.parquet")
    for name, frame in (("reconciliation", reconciliation), ("peers", peers), ("gaps", gaps),
                        ("gap_series", over_time)):
        frame.to_parquet(out / f"{name}.parquet", index=False, compression="zstd")  # small: read whole
    marmot_places(inp, successor, authorities).to_parquet(out / "marmot.parquet", index=False)
    layers.to_parquet(out / "layers.parquet", index=False, compression="zstd")
    lap("write")
    api_figures = api.write(out, chosen)  # the data API (docs/api.md), from the files just written
    lap("data API")
    summary = summarise(reconciliation, layers, authorities, lookup21, values, chosen)
    summary["timings_s"] = timings
    summary["api"] = api_figures
    summary["cpu_s"] = cpu
    info = {"store_version": STORE_VERSION, **summary, "built": progress.started,
            **fingerprint(data, inp.used, REGISTRY_FILES, only=chosen if only else None)}
    info.pop("timings_s")
    info.pop("cpu_s")
    (out / "build_info.json").write_text(json.dumps(info, indent=1, sort_keys=True) + "\n")
    return summary


def cpu_seconds() -> float:
    """CPU seconds used so far by this process and its finished workers (user and system)."""
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    return time.process_time() + children.ru_utime + children.ru_stime


def wards_summary(wards: gpd.GeoDataFrame, lookup21: pd.DataFrame, census: pd.Series) -> pd.DataFrame:
    """Each May 2025 ward: authority, name, Census 2021 residents and LSOA counts (0 where none fits it best)."""
    by_ward = lookup21.groupby("ward")
    out = pd.DataFrame({"la": wards["la"], "code": wards["code"], "name": wards["name"], "vintage": "WD25",
                        "population_census2021": wards["code"].map(
                            lookup21["lsoa"].map(census).groupby(lookup21["ward"]).sum()).fillna(0).astype(int),
                        "lsoa21_count": wards["code"].map(by_ward.size()).fillna(0).astype(int),
                        "lsoa21_straddling": wards["code"].map(by_ward["straddles"].sum()).fillna(0).astype(int),
                        "lsoa21_assigned_by_area": wards["code"].map(
                            by_ward["method"].agg(lambda s: int(s.str.startswith("derived").sum()))).fillna(0)
                        .astype(int)})
    return out


def authority_table(authorities, wards_table, lookup21, lookup11, msoa11, values, registry, measures, layers,
                    fly) -> pd.DataFrame:
    """One row per authority: who it is, its counts, which indicators it has, its peer measures and layers."""
    t = authorities.set_index("code")
    t["population_census2021"] = wards_table.groupby("la")["population_census2021"].sum()
    t["wards"] = wards_table.groupby("la").size()
    t["wards_without_lsoa"] = (wards_table["lsoa21_count"] == 0).groupby(wards_table["la"]).sum()
    t["lsoa21"] = lookup21.groupby("la").size()
    t["lsoa21_assigned_by_area"] = lookup21["method"].str.startswith("derived").groupby(lookup21["la"]).sum()
    t["lsoa11"] = lookup11.groupby("la").size()
    t["msoa11"] = msoa11.groupby("la").size()
    la_values = values[values["geography"].isin(["la", "la_computed"])]
    ward_values = values[values["geography"] == "ward"]
    has, lacks = {}, {}
    for code in t.index:
        mine = ward_values[ward_values["la"] == code]
        with_value = set(mine.loc[mine["value"].notna(), "indicator"])
        own = la_values[(la_values["la"] == code) & la_values["value"].notna()]
        has[code] = ";".join(i for i in registry if i in with_value or i in set(own["indicator"]))
        lacks[code] = ";".join(i for i in registry if registry[i].method != "small_area_only"
                               and i not in with_value and i not in set(own["indicator"]))
    t["indicators"] = pd.Series(has)
    t["indicators_missing"] = pd.Series(lacks)
    t = t.join(measures.add_prefix("peer_")).join(fly.set_index("code"))
    if len(layers):
        wide = layers.pivot(index="la", columns="layer", values=["tolerance_m", "geojson_bytes"])
        wide.columns = [f"{layer}_{what}" for what, layer in wide.columns]
        t = t.join(wide)
    return t.reset_index()


def summarise(reconciliation: pd.DataFrame, layers: pd.DataFrame, authorities: pd.DataFrame,
              lookup21: pd.DataFrame, values: pd.DataFrame, chosen: list[str]) -> dict:
    """The figures a build prints: reconciliation, budgets and Coventry's check."""
    out: dict = {"authorities": len(authorities), "wards": int(values.loc[values["geography"] == "ward", "code"]
                                                             .nunique()),
                 "lsoa21": len(lookup21), "lsoa21_assigned_by_area": int(lookup21["method"].str.startswith(
                     "derived").sum()), "authorities_with_geometry": len(chosen)}
    for (edition, measure), part in reconciliation.groupby(["edition", "measure"]):
        worst = part.loc[part["difference"].abs().idxmax()]
        out[f"{edition}: {measure}"] = (f"{int(part['match'].sum())} of {len(part)} match; largest difference "
                                        f"{worst['difference']:+g} ({worst['name']}, ours {worst['ours']:g}, MHCLG "
                                        f"{worst['mhclg']:g})")
    if len(layers):
        over = layers[layers["geojson_bytes"] > layers["budget_bytes"]]
        out["layers over budget"] = len(over)
        out["layers not a valid coverage"] = int((~layers["coverage_valid"]).sum())
        for layer, part in layers.groupby("layer"):
            big = part.loc[part["geojson_bytes"].idxmax()]
            out[f"largest {layer} layer"] = (f"{big['geojson_bytes']:,} bytes ({big['la']}, tolerance "
                                             f"{big['tolerance_m']:g} m)")
    cov = reconciliation[reconciliation["code"] == "E08000026"]
    out["Coventry"] = "; ".join(f"{r.edition} {r.measure}: ours {r.ours:g}, MHCLG {r.mhclg:g}" for r in
                                cov.itertuples())
    return out


def build_atomically(data: Path, target: Path, only: list[str] | None = None,
                     progress: Progress | None = None, workers: int = 1) -> dict:
    """Build into a temporary sibling of ``target`` and swap it in only on success."""
    return swap_in(target, lambda new: build(data, new, only, progress, workers))


def up_to_date(data: Path, store: Path, only: list[str] | None = None) -> dict:
    """The store's build info when it holds every file and was built from these very inputs, else ``{}``.

    The inputs are every raw file the last build read, the registry files, the manifest and the code
    (:func:`explorer.pipeline.inputs.unchanged`); ``only`` must be the same too.
    """
    info = recorded(store / "build_info.json")
    if info.get("store_version") != STORE_VERSION or not all((store / name).exists() for name in STORE_FILES):
        return {}
    return info if unchanged(info, data, only=sorted(only) if only else None) else {}


def main(argv: list[str] | None = None) -> int:
    """Command line: build the national store (unless its inputs are unchanged) and print the summary.

    Exits 1 after printing the first data problem; the store is then left as it was. The progress file beside
    the store (:func:`explorer.paths.store_progress_file`) follows the build, for the app to show. Only one build
    runs at a time: a second waits for the first, then finds the store up to date.
    """
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=paths.data_dir(), help="data folder holding raw/ and registry/")
    parser.add_argument("--out", type=Path, default=None, help="store folder (default DATA/store/v1)")
    parser.add_argument("--only", default="", help="comma-separated authority codes to build geometry and gaps for")
    parser.add_argument("--force", action="store_true", help="build even when the inputs are unchanged")
    parser.add_argument("--log", type=Path, default=None, help="this build's log, named in the progress file")
    parser.add_argument("--workers", type=int, default=usable_cores(),
                        help="processes sharing the gaps and geometry (default: the usable cores)")
    args = parser.parse_args(argv)
    only = [c.strip() for c in args.only.split(",") if c.strip()] or None
    store = args.out or paths.store_dir(args.data)
    progress_file = paths.store_progress_file(store)
    with one_at_a_time(store.parent / ".build.lock",
                       f"Another national build is running (see {progress_file}); waiting for it to finish."):
        progress = Progress(STEPS, progress_file, args.log)
        info = {} if args.force else up_to_date(args.data, store, only)
        if info:
            progress.finish("unchanged")
            print(f"National store up to date: its inputs are unchanged since the build of {info.get('built', '?')} "
                  f"({store}); nothing to do (--force builds it again).")
            return 0
        try:
            summary = build_atomically(args.data, store, only, progress, args.workers)
        except DataError as exc:
            progress.finish("failed", str(exc))
            print(f"Build stopped, nothing written: {exc}", file=sys.stderr)
            return 1
        except BaseException as exc:  # Ctrl-C (make run stopped) leaves it stopped; anything else failed
            stopped = isinstance(exc, KeyboardInterrupt)
            progress.finish("stopped" if stopped else "failed", "" if stopped else f"{type(exc).__name__}: {exc}")
            raise
        progress.finish("done")
    for key, value in summary.items():
        print(f"{key}: {value}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
