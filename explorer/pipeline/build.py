"""Coventry's own ward set: validate, join, aggregate and simplify ``data/raw/`` into the figures of its wards.

Run ``python -m explorer.pipeline.build`` (``make data``). Every input is checked on the way in; the first problem
stops the build with a message naming the file, row or column. The build makes the parts of Coventry's local pack
that only this pipeline can make, its ward set (wards of 2004 to May 2026, every figure weighted by MHCLG's own IoD
denominators) and its series over time, then builds the pack (:mod:`explorer.pipeline.packs`) with them, so
``data/packs/coventry/built/`` is swapped in whole and the app never sees half a dataset.
"""

from __future__ import annotations

import argparse
import json
import math
import shutil
import sys
import tempfile
from pathlib import Path

import pandas as pd

from explorer import paths
from explorer.pipeline.aggregate import apportion, apportion_ci, apportion_counts
from explorer.pipeline.comparators import comparator_rows
from explorer.pipeline.dwp import NOT_AVAILABLE, city_totals
from explorer.pipeline.monitoring import annual_means
from explorer.pipeline.output import CSV, sha256, swap_in
from explorer.pipeline.packs import build_pack
from explorer.pipeline.series import with_meta
from explorer.registry import COUNT_METHODS, Indicator, load_registry
from explorer.stats.gaps import decile1_flag
from explorer.stats.intervals import poisson_rate, wilson_percent
from geo.boundaries import read_boundaries, simplify_coverage
from geo.errors import DataError
from geo.grid import area_links, grid_cells
from geo.lookups import links_to, read_lookup, to_city
from geo.validate import (
    check_codes,
    check_complete,
    check_known,
    check_not_negative,
    check_numeric,
    check_unique,
    read_csv,
)
from geo.vintages import current_vintage, load_vintages, load_ward_names

CITY = "E08000026"
MANIFEST_COLUMNS = ("file", "publisher", "dataset", "period", "geography", "licence", "attribution", "url")
# What this build writes: the pack's ward_set part (with the names of ward sets not yet mapped) and its series.
PROCESSED_FILES = (
    "wards.parquet", "lsoa21.parquet", "lsoa11.parquet", "msoa11.parquet", "wards.csv", "lookups.csv",
    "values.csv", "lsoa_weights.csv", "indicators.csv", "ward_sets.csv", "build_info.json", "series.csv",
)


class Inputs:
    """Reads raw files once each, naming them relative to the data folder in messages."""

    def __init__(self, data: Path) -> None:
        self.data = data
        self.raw = data / "raw"
        self._csv: dict[str, pd.DataFrame] = {}

    def csv(self, rel: str, required: list[str]) -> pd.DataFrame:
        """Read a raw CSV (once) and check it has the ``required`` columns."""
        if rel not in self._csv:
            self._csv[rel] = read_csv(self.raw / rel, required, label=f"data/raw/{rel}")
        frame = self._csv[rel]
        missing = [c for c in required if c not in frame.columns]
        if missing:
            raise DataError(f"data/raw/{rel}", f"missing required column(s) {missing}", column=missing[0])
        return frame

    def path(self, rel: str) -> Path:
        """Absolute path of a raw file."""
        return self.raw / rel

    def label(self, rel: str) -> str:
        """Name of a raw file as messages show it."""
        return f"data/raw/{rel}"


def check_manifest(data: Path) -> pd.DataFrame:
    """Every raw file must be in the manifest, and every manifest row must exist."""
    name = "data/sources.csv"
    manifest = read_csv(data / "sources.csv", MANIFEST_COLUMNS, label=name)
    check_unique(manifest, ["file"], name)
    for i, row in enumerate(manifest.to_dict("records"), start=1):
        for col in MANIFEST_COLUMNS:
            if not isinstance(row[col], str) or not row[col].strip():
                raise DataError(name, "value is required", row=i, column=col)
        if not (data / "raw" / row["file"]).exists():
            raise DataError(name, f"lists data/raw/{row['file']}, which does not exist", row=i, column="file")
    listed = set(manifest["file"])
    for path in sorted((data / "raw").rglob("*")):
        rel = path.relative_to(data / "raw").as_posix()
        if path.is_file() and path.name != "PROVENANCE.md" and rel not in listed:
            raise DataError(f"data/raw/{rel}", "not listed in data/sources.csv; add its source and licence")
    return manifest


def population_weights(inp: Inputs, lsoa21: set[str], lsoa11: set[str]) -> dict[str, pd.Series]:
    """Named population weights per LSOA, each checked for codes and numbers."""
    weights: dict[str, pd.Series] = {}
    rel = "boundaries/coventry_lsoa21_census2021_population.csv"
    col = "All usual residents (sum of age bands)"
    census = inp.csv(rel, ["LSOA21CD", col])
    check_codes(census, "LSOA21CD", "lsoa", inp.label(rel))
    check_unique(census, ["LSOA21CD"], inp.label(rel))
    check_complete(census["LSOA21CD"], lsoa21, inp.label(rel), "LSOA21 codes")
    weights["census2021"] = check_numeric(census, col, inp.label(rel), allow_missing=False).set_axis(
        census["LSOA21CD"]
    )
    rel = "indicators/iod2025/coventry_iod2025_file7_lsoa21.csv"
    iod25 = {
        "iod25_total": "Total population: mid 2022",
        "iod25_children": "Dependent Children aged 0-15: mid 2022",
        "iod25_older": "Older population aged 60 and over: mid 2022",
        "iod25_working": "Working age population 18-66 (for use with Employment Deprivation Domain): mid 2022",
    }
    f7 = inp.csv(rel, ["LSOA code (2021)", *iod25.values()])
    for key, column in iod25.items():
        weights[key] = check_numeric(f7, column, inp.label(rel), allow_missing=False).set_axis(f7["LSOA code (2021)"])
    rel = "indicators/coventry_imd2019_lsoa.csv"
    column = "Total population: mid 2015 (excluding prisoners)"
    f19 = inp.csv(rel, ["LSOA code (2011)", column])
    weights["iod19_total"] = check_numeric(f19, column, inp.label(rel), allow_missing=False).set_axis(
        f19["LSOA code (2011)"]
    )
    rel = "boundaries/coventry_population_mye_2019_2020.csv"
    mye = inp.csv(rel, ["AreaKey", "AreaType", "MidYear", "Population"])
    mye = mye[(mye["AreaType"] == "LSOA 2011") & (mye["MidYear"] == "2019")]
    check_unique(mye, ["AreaKey"], inp.label(rel))
    check_complete(mye["AreaKey"], lsoa11, inp.label(rel), "LSOA11 codes (mid-2019)")
    weights["mye2019"] = check_numeric(mye, "Population", inp.label(rel), allow_missing=False).set_axis(
        mye["AreaKey"].to_numpy()
    )
    return weights


def source_values(ind: Indicator, inp: Inputs, known: set[str] | None) -> pd.DataFrame:
    """The rows of an indicator's source file it uses, with codes checked.

    Returns a frame with ``code``, ``value`` (and ``lower``/``upper``, ``weight``
    or ``denominator`` where the registry row has them). A publisher's ".."
    (not available) in the value or denominator is read as missing.
    """
    label = inp.label(ind.file)
    need = [ind.code_column, ind.value_column]
    conditions = ind.filters()
    need += [c for c in (ind.lower_column, ind.upper_column) if c] + list(conditions)
    if ind.weight.startswith("column:"):
        need.append(ind.weight.removeprefix("column:"))
    if ind.method == "count_ratio" and not ind.denominator_file:
        need.append(ind.denominator_column)
    frame = inp.csv(ind.file, need)
    for column, allowed in conditions.items():
        keep = frame[column].isin(allowed)
        if not keep.any():
            raise DataError(label, f"no rows where {column} is one of {allowed}", column=column)
        frame = frame[keep]
    out = pd.DataFrame({"code": frame[ind.code_column].str.strip()})
    if ind.geography != "grid1km":
        check_codes(frame, ind.code_column, "msoa" if ind.geography == "msoa11" else "lsoa", label)
        if known is not None:
            check_known(frame, ind.code_column, known, label, f"{ind.geography.upper()} code")
    out["value"] = check_numeric(frame, ind.value_column, label, not_available=NOT_AVAILABLE)
    if ind.method in COUNT_METHODS:
        check_not_negative(frame, ind.value_column, out["value"], label)
    if ind.method == "count_ratio":
        out["denominator"] = denominators(ind, inp, frame, known)
    if ind.has_ci:
        out["lower"] = check_numeric(frame, ind.lower_column, label)
        out["upper"] = check_numeric(frame, ind.upper_column, label)
    if ind.weight.startswith("column:"):
        column = ind.weight.removeprefix("column:")
        out["weight"] = check_numeric(frame, column, label, allow_missing=False)
    if ind.method == "rate_per_1000_per_year":
        period_column = list(conditions)[-1]
        check_unique(frame, [ind.code_column, period_column], label)
        out["period"] = frame[period_column]
    else:
        check_unique(frame, [ind.code_column], label)
    return out.reset_index(drop=True)


def denominators(ind: Indicator, inp: Inputs, frame: pd.DataFrame, known: set[str] | None) -> pd.Series:
    """The denominator count of each of ``frame``'s rows, from its own file or the one the registry names."""
    kind = "msoa" if ind.geography == "msoa11" else "lsoa"
    if not ind.denominator_file:
        label = inp.label(ind.file)
        out = check_numeric(frame, ind.denominator_column, label, not_available=NOT_AVAILABLE)
        check_not_negative(frame, ind.denominator_column, out, label)
        return out
    rel, code_column = ind.denominator_source
    label = inp.label(rel)
    other = inp.csv(rel, [code_column, ind.denominator_column])
    check_codes(other, code_column, kind, label)
    check_unique(other, [code_column], label)
    if known is not None:
        check_known(other, code_column, known, label, f"{ind.geography.upper()} code")
    counts = check_numeric(other, ind.denominator_column, label, not_available=NOT_AVAILABLE)
    check_not_negative(other, ind.denominator_column, counts, label)
    by_code = counts.set_axis(other[code_column].str.strip())
    codes = frame[ind.code_column].str.strip()
    absent = sorted(set(codes) - set(by_code.index))
    if absent:
        raise DataError(label, f"no '{ind.denominator_column}' for {absent[:3]}, needed by indicator '{ind.id}'",
                        column=code_column)
    return pd.Series(by_code.reindex(codes).to_numpy(), index=frame.index)


def long_rows(ind_id: str, geography: str, value: pd.Series, lower=None, upper=None, numerator=None,
              denominator=None) -> pd.DataFrame:
    """Values of one indicator at one geography as rows of the long ``values.csv`` table.

    ``numerator`` and ``denominator`` are the counts behind a Wilson or exact Poisson interval (people, or
    events and person-years), kept so groups of areas can be given intervals later.
    """
    frame = pd.DataFrame({"indicator": ind_id, "geography": geography, "code": value.index, "value": value.values})
    for name, series in (("lower", lower), ("upper", upper), ("numerator", numerator), ("denominator", denominator)):
        frame[name] = series.reindex(value.index).values if series is not None else float("nan")
    return frame


def counted_interval(ind: Indicator, numerator: pd.Series, denominator: pd.Series) -> tuple[pd.Series, pd.Series]:
    """95% limits from counts: Wilson for a proportion (in %), exact Poisson for a rate.

    A rate is per 1,000 a year, or per ``scale`` for a ratio of counts.
    """
    if ind.interval == "wilson":
        lower, upper = wilson_percent(numerator, denominator)
    else:
        lower, upper = poisson_rate(numerator, denominator, per=ind.per)
    return pd.Series(lower, index=numerator.index), pd.Series(upper, index=numerator.index)


def build_indicator(ind: Indicator, inp: Inputs, ctx: dict) -> list[pd.DataFrame]:
    """Small-area, ward and city rows for one indicator, by the registry row's ``method``.

    - ``mean``: weighted mean of small-area values (population, an own column, or grid-cell overlap area).
    - ``decile1_share``: share of the population in areas of national decile 1.
    - ``rate_per_1000_per_year``: events summed over the filtered years, per 1,000 of the weight, per year.
    - ``small_area_only``: small-area values, no ward or city figure.
    - ``count``: a count (people, households); see :func:`count_rows`.
    - ``count_ratio``: ``scale`` x numerator count / denominator count (``scale`` 100 gives "per 100");
      see :func:`count_rows`.
    - Where the registry asks for a Wilson or exact Poisson interval, the counts behind each value
      (numerator and denominator) are apportioned too and the interval is worked out from them.

    ``ctx["city"]`` (optional) names the area the wards add up to: Coventry's code by default, or a Series
    mapping each ward to its local authority (the national build), whose rows keep the geography ``city``.
    """
    geography = ind.geography
    known = {"lsoa21": ctx["lsoa21"], "lsoa11": ctx["lsoa11"], "msoa11": ctx["msoa11"]}.get(geography)
    src = source_values(ind, inp, known)
    if ind.method in COUNT_METHODS:
        return count_rows(ind, src, ctx, inp.label(ind.file))
    numerator = denominator = None
    if ind.method == "rate_per_1000_per_year":
        years = src["period"].nunique()
        counts = src.groupby("code")["value"].sum()
        pop = ctx["weights"][ind.weight]
        small = counts / years / pop.reindex(counts.index) * 1000
        weight = pop
        numerator, denominator = counts, pop.reindex(counts.index) * years  # events and person-years
    else:
        small = src.set_index("code")["value"] * ind.scale
        own = ind.weight.startswith("column:")
        weight = src.set_index("code")["weight"] if own else ctx["weights"].get(ind.weight)
        if ind.interval == "wilson":  # a proportion (in %) of a population the weight counts
            denominator = weight.reindex(small.index)
            numerator = small / 100 * denominator
    rows: list[pd.DataFrame] = []
    if geography == "grid1km":
        cells = grid_cells(src["code"], *_grid_xy(ind, inp))
        for target, (links, coverage) in ctx["grid_links"](cells).items():
            low = coverage[coverage < 0.999]
            if len(low):
                raise DataError(inp.label(ind.file), f"grid does not cover {list(low.index)[:3]} of {target}")
            rows.append(long_rows(ind.id, target, apportion(small, links)))
        return rows
    if ind.method == "small_area_only":
        return [long_rows(ind.id, geography, small)]
    by_code = src.set_index("code")
    lower = by_code["lower"] * ind.scale if ind.has_ci else None
    upper = by_code["upper"] * ind.scale if ind.has_ci else None
    if numerator is not None:
        lower, upper = counted_interval(ind, numerator, denominator)
    if ind.method == "decile1_share":
        small_for_ward = decile1_flag(small)
    else:
        small_for_ward = small
        rows.append(long_rows(ind.id, geography, small, lower, upper, numerator, denominator))
    lookup = {"lsoa21": ctx["lookup21"], "msoa11": ctx["lookup21"], "lsoa11": ctx["lookup11"]}[geography]
    unweighted = sorted(set(lookup["lsoa"]) - set(weight.dropna().index))
    if unweighted:
        raise DataError(inp.label(ind.file), f"no '{ind.weight}' weight for LSOA(s) {unweighted[:3]}")
    links = links_to(lookup, "msoa" if geography == "msoa11" else "lsoa", "ward", weight)
    for target, tlinks in (("ward", links), ("city", to_city(links, ctx.get("city", CITY)))):
        value = apportion(small_for_ward, tlinks)
        if numerator is not None:
            counts = apportion_counts(numerator, tlinks), apportion_counts(denominator, tlinks)
            rows.append(long_rows(ind.id, target, value, *counted_interval(ind, *counts), *counts))
            continue
        limits = apportion_ci(value, lower, upper, tlinks) if ind.has_ci else (None, None)
        rows.append(long_rows(ind.id, target, value, *limits))
    return rows


AREA_WORDS = {"lsoa21": "neighbourhoods (2021 LSOAs)", "lsoa11": "neighbourhoods (2011 LSOAs)",
              "msoa11": "MSOAs (2011)"}


def computed_note(ind: Indicator, name: str, areas: int = 0, numerator: float = math.nan,
                  denominator: float = math.nan) -> str:
    """How an authority's figure computed here from its small areas is made, by the registry's ``method``.

    Every note says how its figure is made: a sum of counts is a sum, a ratio of summed counts a ratio, and
    only a weighted mean of the areas' values is called one.

    Parameters
    ----------
    ind : Indicator
        The indicator.
    name : str
        The authority's name.
    areas : int
        How many small areas of the indicator's geography the authority has (0: not said).
    numerator, denominator : float
        The summed counts behind the figure, where they are held (said in the note).

    Examples
    --------
    >>> from explorer.registry import load_registry
    >>> from explorer import paths
    >>> registry = load_registry(paths.data_dir() / "registry" / "indicators.csv")
    >>> computed_note(registry["cilif_children"], "Coventry", 42, 22286.0)
    "computed here: the sum of the counts of Coventry's 42 MSOAs (2011): 22,286"
    >>> computed_note(registry["uc_households"], "Coventry", 42, 35214.0, 150559.0)[:91]
    "computed here: a ratio of summed counts: the counts of Coventry's 42 MSOAs (2011) added up,"
    """
    where = f"{name}'s {areas:,} " if areas else f"{name}'s "
    if ind.geography == "grid1km":
        return f"computed here: area-weighted mean of the 1 km grid cells covering {name}"
    where += AREA_WORDS[ind.geography]
    held = not (math.isnan(numerator) or math.isnan(denominator))
    if ind.method == "count":
        return f"computed here: the sum of the counts of {where}" + (
            "" if math.isnan(numerator) else f": {numerator:,.0f}")
    if ind.method == "count_ratio":
        return (f"computed here: a ratio of summed counts: the counts of {where} added up, then divided, times "
                f"{ind.per:g}" + (f" ({numerator:,.0f} over {denominator:,.0f})" if held else ""))
    if ind.method == "rate_per_1000_per_year":
        return (f"computed here: a rate from summed counts: the events in {where} added up and divided by their "
                f"residents times the years, times 1,000" + (
                    f" ({numerator:,.0f} over {denominator:,.0f} person-years)" if held else ""))
    if ind.method == "decile1_share":
        return (f"computed here: the share of the residents of {where} living in neighbourhoods in England's most "
                "deprived tenth")
    return f"computed here: population-weighted mean of {where}"


def with_comparators(values: pd.DataFrame, comparators: pd.DataFrame, registry: dict[str, Indicator],
                     areas: dict[str, int] | None = None, name: str = "Coventry") -> pd.DataFrame:
    """Put the comparators into the values table, each city and England row saying where it comes from.

    A published city figure becomes the ``city`` row (the benchmark wards are judged against) and the figure
    computed here from small areas moves to ``city_computed``, so both can be shown side by side. ``areas``
    is how many small areas of each geography the authority has (for the notes).
    """
    areas = areas or {}
    values = values.assign(note="")
    city = values["geography"] == "city"
    values.loc[city, "note"] = [
        computed_note(registry[key], name, areas.get(registry[key].geography, 0), num, den)
        for key, num, den in zip(values.loc[city, "indicator"], values.loc[city, "numerator"],
                                 values.loc[city, "denominator"], strict=True)]
    published = set(comparators.loc[(comparators["geography"] == "city"), "indicator"])
    values.loc[city & values["indicator"].isin(published), "geography"] = "city_computed"
    extra = comparators.drop(columns=["how"])
    out = pd.concat([values, extra], ignore_index=True)
    return out.sort_values(["indicator", "geography", "code"], ignore_index=True)


def count_rows(ind: Indicator, src: pd.DataFrame, ctx: dict, label: str) -> list[pd.DataFrame]:
    """Small-area, ward and city rows of a ``count`` or a ``count_ratio`` indicator.

    Counts are added up, never averaged: a ward gets the counts of its small
    areas, an MSOA's count split between the wards it shares in proportion to
    the registry's population ``weight`` (the LSOAs it shares with each ward,
    as OHID Local Health apportioned MSOA figures); the city gets the sum of
    all small areas. A ``count_ratio`` then divides the numerator count by the
    denominator count at each level (Public Health England's way for
    proportions: pool the counts, then divide), times ``scale``. Numerators and
    denominators are kept in every row, so intervals (for example Wilson's)
    can be worked out from them. An area with a count missing leaves every
    ward it touches, and the city, with no value.

    Raises
    ------
    DataError
        If the weight has no value for an LSOA in the lookup.
    """
    by_code = src.set_index("code")
    numerator = by_code["value"]
    denominator = by_code["denominator"] if ind.method == "count_ratio" else None
    lookup = ctx["lookup11"] if ind.geography == "lsoa11" else ctx["lookup21"]
    weight = ctx["weights"][ind.weight]
    unweighted = sorted(set(lookup["lsoa"]) - set(weight.dropna().index))
    if unweighted:
        raise DataError(label, f"no '{ind.weight}' weight for LSOA(s) {unweighted[:3]}")
    links = links_to(lookup, "msoa" if ind.geography == "msoa11" else "lsoa", "ward", weight)
    rows = []
    for target, tlinks in ((ind.geography, None), ("ward", links), ("city", to_city(links, ctx.get("city", CITY)))):
        num = numerator if tlinks is None else apportion_counts(numerator, tlinks)
        if denominator is None:
            rows.append(long_rows(ind.id, target, num * ind.scale, numerator=num))
            continue
        den = denominator if tlinks is None else apportion_counts(denominator, tlinks).reindex(num.index)
        value = (num / den.where(den > 0)) * ind.scale
        limits = counted_interval(ind, num, den) if ind.has_interval else (None, None)
        rows.append(long_rows(ind.id, target, value, *limits, numerator=num, denominator=den))
    return rows


def _grid_xy(ind: Indicator, inp: Inputs) -> tuple[pd.Series, pd.Series]:
    frame = inp.csv(ind.file, [ind.code_column, "x", "y"])
    label = inp.label(ind.file)
    return check_numeric(frame, "x", label, allow_missing=False), check_numeric(frame, "y", label, allow_missing=False)


def city_series(inp: Inputs) -> pd.DataFrame:
    """City time series for context: life expectancy 2001-03 to 2016-18 and Defra fly-tipping totals."""
    rel = "health/coventry_ons_le_birth_age65_2001_03_to_2016_18.csv"
    le = inp.csv(rel, ["Worksheet", "Area Codes"])
    frames = []
    names = {"E08000026": "Coventry", "E92000001": "England", "E12000005": "West Midlands"}
    for sheet, series in (("LE at birth - Males", "le_birth_male"), ("LE at birth - Females", "le_birth_female")):
        part = le[(le["Worksheet"] == sheet) & le["Area Codes"].isin(list(names))]
        if part.empty:
            raise DataError(inp.label(rel), f"no rows for worksheet '{sheet}'", column="Worksheet")
        periods = [c for c in le.columns if c[:4].isdigit()]
        long = part.melt(id_vars=["Area Codes"], value_vars=periods, var_name="period", value_name="value")
        long["value"] = pd.to_numeric(long["value"], errors="coerce")
        frames.append(
            pd.DataFrame(
                {
                    "series": series,
                    "area": long["Area Codes"].map(names),
                    "period": long["period"],
                    "value": long["value"].round(3),
                    "unit": "years",
                    "source": "ONS, Life expectancy at birth by local areas, UK, 2001-03 to 2016-18",
                }
            )
        )
    rel = "environment/fly_tipping/defra_flytipping_LA_incidents_coventry_2012-13_to_2022-23.csv"
    ft = inp.csv(rel, ["Year", "ONS Code", "Total Incidents"])
    check_known(ft, "ONS Code", {CITY}, inp.label(rel), "local authority code")
    frames.append(
        pd.DataFrame(
            {
                "series": "flytipping_incidents",
                "area": "Coventry",
                "period": ft["Year"],
                "value": check_numeric(ft, "Total Incidents", inp.label(rel)),
                "unit": "incidents recorded by the council",
                "source": "Defra, Fly-tipping incidents and actions taken in England (ENV24)",
            }
        )
    )
    return pd.concat(frames, ignore_index=True)


def weights_table(weights: dict[str, pd.Series], codes: dict[str, set[str]]) -> pd.DataFrame:
    """Every named population weight per LSOA (2021 and 2011), for analysis after the build."""
    frames = []
    for geography in ("lsoa21", "lsoa11"):
        index = sorted(codes[geography])
        frame = pd.DataFrame({"geography": geography, "code": index})
        for key, series in weights.items():
            if series.index.isin(index).all():
                frame[key] = series.reindex(index).to_numpy()
        frames.append(frame)
    return pd.concat(frames, ignore_index=True)


GHG = "environment/climate/climate_ghg_desnz_la_emissions_coventry_2005-2022.csv"
TUBE_MEANS = "council/coventry_no2_diffusion_tube_annual_means_2011_2024.csv"
LA_SUMMARIES = {
    "IoD 2019": ("national/england_iod2019_la_summaries_imd.csv", "Local Authority District code (2019)",
                 "IMD - Rank of proportion of LSOAs in most deprived 10% nationally "),
    "IoD 2025": ("indicators/iod2025/england_iod2025_ltla24_summaries_humaniverse.csv", "ltla24_code",
                 "imd_rank_of_proportion_of_lso_as_in_most_deprived_10_percent_nationally"),
}


def more_series(inp: Inputs, values: pd.DataFrame, tubes: pd.DataFrame) -> pd.DataFrame:
    """Series for "is it getting better?": emissions, roadside NO2, and IMD decile-1 counts and ranks by edition.

    Roadside NO2 is given as the mean and as the share of that year's measured sites over 40 µg/m³, with the
    counts behind the share (the number of sites measured changes from year to year).
    """
    label = inp.label(GHG)
    ghg = inp.csv(GHG, ["Local Authority Code", "Calendar Year", "Grand Total"])
    # The file holds 4 blocks of 18 years (all gases, then single gases, its gas column lost); the first is the total.
    block = ghg.iloc[:18]
    check_known(block, "Local Authority Code", {CITY}, label, "local authority code")
    years = block["Calendar Year"].tolist()
    if years != [str(y) for y in range(2005, 2023)]:
        raise DataError(label, f"expected the first 18 rows to be 2005-2022, found {years[:3]}...",
                        column="Calendar Year")
    frames = [pd.DataFrame({"series": "ghg_total", "area": "Coventry", "period": years,
                            "value": check_numeric(block, "Grand Total", label).to_numpy(),
                            "unit": "kt CO2e (all greenhouse gases)",
                            "source": "DESNZ, UK local authority greenhouse gas emissions 2005-2022"})]
    by_year = tubes.groupby("year")["no2"]
    source = "Coventry City Council, NO2 diffusion tube annual means 2011-2024 (sites vary by year)"
    frames.append(pd.DataFrame({"series": "no2_tube_mean", "area": "Coventry",
                                "period": by_year.mean().index.astype(str), "value": by_year.mean().round(2).to_numpy(),
                                "unit": "µg/m³ (mean of that year's tube sites)", "source": source,
                                "denominator": by_year.size().to_numpy()}))
    over = tubes.assign(over=tubes["no2"] > 40).groupby("year")["over"].sum()
    frames.append(pd.DataFrame({"series": "no2_tubes_share_over_40", "area": "Coventry",
                                "period": over.index.astype(str),
                                "value": (over / by_year.size() * 100).round(2).to_numpy(),
                                "unit": "% of that year's measured tube sites over 40 µg/m³", "source": source,
                                "count": over.to_numpy(), "denominator": by_year.size().to_numpy()}))
    counts = []
    for edition, key in (("IoD 2015", "imd15_decile"), ("IoD 2019", "imd19_decile"), ("IoD 2025", "imd25_decile")):
        own = values[values["indicator"] == key]["value"]
        counts.append({"period": edition, "value": float((own == 1).sum()), "count": float((own == 1).sum()),
                       "denominator": float(len(own))})
    frames.append(pd.DataFrame({"series": "imd_decile1_lsoas", "area": "Coventry", **pd.DataFrame(counts),
                                "unit": "neighbourhoods (LSOAs) in England's most deprived 10%",
                                "source": "MHCLG, English Indices of Deprivation 2015, 2019 and 2025"}))
    ranks = []
    for edition, (rel, code_column, rank_column) in LA_SUMMARIES.items():
        table = inp.csv(rel, [code_column, rank_column])
        mine = table[table[code_column] == CITY]
        if len(mine) != 1:
            raise DataError(inp.label(rel), f"{len(mine)} rows for {CITY}; expected one", column=code_column)
        ranks.append({"period": edition, "value": check_numeric(mine, rank_column, inp.label(rel)).iloc[0],
                      "denominator": float(len(table))})
    frames.append(pd.DataFrame({"series": "imd_la_rank_d1", "area": "Coventry", **pd.DataFrame(ranks),
                                "unit": "rank among English local authorities (1 = most deprived)",
                                "source": "MHCLG, English Indices of Deprivation 2019 and 2025, local authority "
                                          "summaries"}))
    return pd.concat(frames, ignore_index=True)


DWP_SERIES = {  # series id -> unit, source (the file comes from the indicator whose city_series it is)
    "cilif_children": (
        "children aged 0-19 (sum of the 42 MSOAs)",
        "DWP, Children in low income families: local area statistics (Stat-Xplore), relative low income before "
        "housing costs, all dependent children aged 0-19; FYE 2022 provisional",
    ),
    "uc_households": (
        "households (sum of the 42 MSOAs)",
        "DWP, Households on Universal Credit (Stat-Xplore); December 2021 onwards revised, November 2023 "
        "provisional; January to October 2023 are not in the extract held; months before April 2016 are left out "
        "because some neighbourhoods show '..' (nil or negligible)",
    ),
}


def dwp_series(inp: Inputs, registry: dict[str, Indicator]) -> pd.DataFrame:
    """City totals over time from the DWP extracts of the indicators whose ``city_series`` is a DWP series."""
    frames = []
    for ind in registry.values():
        if ind.city_series not in DWP_SERIES:
            continue
        unit, source = DWP_SERIES[ind.city_series]
        frame = inp.csv(ind.file, [ind.code_column])
        totals = city_totals(frame, ind.code_column, inp.label(ind.file))
        frames.append(pd.DataFrame({"series": ind.city_series, "area": "Coventry", "period": totals["period"],
                                    "value": totals["value"], "unit": unit, "source": source}))
    return pd.concat(frames, ignore_index=True) if frames else pd.DataFrame()


def build(data: Path, out: Path) -> dict:
    """Validate every input and write Coventry's ward set and series to ``out`` (a new folder).

    ``out`` holds :data:`PROCESSED_FILES` (and the names of every ward set not yet mapped, at their
    ``names_file`` path): the files the pack's ``ward_set`` and ``series`` parts are made of.

    Returns
    -------
    dict
        Figures worth printing (counts, totals, reconciliation values).
    """
    manifest = check_manifest(data)
    registry = load_registry(data / "registry" / "indicators.csv")
    listed = set(manifest["file"])
    for i, ind in enumerate(registry.values(), start=1):
        if ind.file not in listed:
            raise DataError("data/registry/indicators.csv", f"file '{ind.file}' is not in data/sources.csv",
                            row=i, column="file")
    vintages = load_vintages(data / "registry" / "ward_vintages.csv")
    vintage = current_vintage(vintages)
    unmapped = [v for v in vintages if not v.mappable and v.names_file]
    for later in unmapped:
        load_ward_names(later, data / "raw")  # checked here; the app reads the copy in the ward set
    inp = Inputs(data)

    wards_full = read_boundaries(inp.path(vintage.boundaries_file), vintage.code_column, vintage.name_column,
                                 "ward", label=inp.label(vintage.boundaries_file))
    expected = vintage.expected_codes()
    check_complete(wards_full["code"], expected, inp.label(vintage.boundaries_file), "wards")
    check_known(wards_full, "code", expected, inp.label(vintage.boundaries_file), f"ward code for {vintage.label}")
    layers = {
        "lsoa21": read_boundaries(inp.path("boundaries/coventry_lsoa21.geojson"), "LSOA21CD", "LSOA21NM", "lsoa",
                                  label=inp.label("boundaries/coventry_lsoa21.geojson")),
        "lsoa11": read_boundaries(inp.path("boundaries/coventry_lsoa11.geojson"), "LSOA11CD", "LSOA11NM", "lsoa",
                                  label=inp.label("boundaries/coventry_lsoa11.geojson")),
        "msoa11": read_boundaries(inp.path("boundaries/coventry_msoa11.geojson"), "MSOA11CD", "MSOA11NM", "msoa",
                                  label=inp.label("boundaries/coventry_msoa11.geojson")),
    }
    codes = {k: set(v["code"]) for k, v in layers.items()}
    ward_codes = set(expected)
    lookup21 = read_lookup(
        inp.path(vintage.lsoa21_lookup), "LSOA21CD", ward_codes, label=inp.label(vintage.lsoa21_lookup)
    )
    lookup11 = read_lookup(
        inp.path(vintage.lsoa11_lookup), "LSOA11CD", ward_codes, label=inp.label(vintage.lsoa11_lookup)
    )
    check_complete(lookup21["lsoa"], codes["lsoa21"], inp.label(vintage.lsoa21_lookup), "LSOA21 codes")
    check_complete(lookup11["lsoa"], codes["lsoa11"], inp.label(vintage.lsoa11_lookup), "LSOA11 codes")
    check_complete(lookup21["ward"], ward_codes, inp.label(vintage.lsoa21_lookup), "wards")
    check_known(lookup21, "msoa", codes["msoa11"], inp.label(vintage.lsoa21_lookup), "MSOA code")
    weights = population_weights(inp, codes["lsoa21"], codes["lsoa11"])

    city_outline = wards_full.dissolve().assign(code=CITY)
    link_cache: dict = {}

    def grid_links(cells):
        key = tuple(cells["source"])
        if key not in link_cache:
            link_cache[key] = {
                "ward": area_links(cells, wards_full),
                "lsoa21": area_links(cells, layers["lsoa21"]),
                "city": area_links(cells, city_outline),
            }
        return link_cache[key]

    ctx = {**codes, "weights": weights, "lookup21": lookup21, "lookup11": lookup11, "grid_links": grid_links}
    values = pd.concat([r for ind in registry.values() for r in build_indicator(ind, inp, ctx)], ignore_index=True)
    values = with_comparators(values, comparator_rows(data / "registry" / "comparators.csv", registry, CITY,
                                                      inp.csv, inp.label), registry,
                              {geography: len(found) for geography, found in codes.items()})

    ward_pop = weights["census2021"].groupby(lookup21.set_index("lsoa")["ward"]).sum()
    wards_table = pd.DataFrame(
        {
            "code": wards_full["code"],
            "name": wards_full["name"],
            "vintage": vintage.vintage,
            "population_census2021": wards_full["code"].map(ward_pop).astype(int),
            "lsoa21_count": wards_full["code"].map(lookup21.groupby("ward").size()).astype(int),
            "lsoa21_straddling": wards_full["code"].map(lookup21.groupby("ward")["straddles"].sum()).astype(int),
        }
    )
    lookups = pd.concat(
        [lookup21.assign(geography="lsoa21"), lookup11.assign(geography="lsoa11")], ignore_index=True
    )[["geography", "lsoa", "ward", "msoa", "straddles", "share_in_ward"]]
    tube_years = annual_means(inp.csv(TUBE_MEANS, ["year", "tube_id", "no2_annual_mean_ugm3"]), inp.label(TUBE_MEANS),
                              "no2_annual_mean_ugm3")
    series = pd.concat([city_series(inp), more_series(inp, values, tube_years),
                        dwp_series(inp, registry)], ignore_index=True)
    series = with_meta(series, data / "registry" / "series.csv")

    out.mkdir(parents=True, exist_ok=False)
    simplified = {"wards": simplify_coverage(wards_full)}
    simplified.update({k: simplify_coverage(v) for k, v in layers.items()})
    for key, frame in simplified.items():
        frame.to_parquet(out / f"{key}.parquet", index=False)
    wards_table.to_csv(out / "wards.csv", **CSV)
    lookups.to_csv(out / "lookups.csv", **CSV)
    values.to_csv(out / "values.csv", **CSV)
    series.to_csv(out / "series.csv", **CSV)
    weights_table(weights, codes).to_csv(out / "lsoa_weights.csv", **CSV)
    # The registry and ward sets the figures were built with travel with them, as the names of sets not yet mapped.
    shutil.copyfile(data / "registry" / "indicators.csv", out / "indicators.csv")
    shutil.copyfile(data / "registry" / "ward_vintages.csv", out / "ward_sets.csv")
    for later in unmapped:
        (out / later.names_file).parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(inp.path(later.names_file), out / later.names_file)
    city = values[values["geography"] == "city"].set_index("indicator")["value"]
    summary = {
        "ward_vintage": vintage.vintage,
        "wards": len(wards_table),
        "lsoa21": len(codes["lsoa21"]),
        "lsoa11": len(codes["lsoa11"]),
        "msoa11": len(codes["msoa11"]),
        "lsoa21_straddling": int(lookup21["straddles"].sum()),
        "population_census2021": int(wards_table["population_census2021"].sum()),
        "indicators": len(registry),
        "imd25_score_city": round(float(city["imd25_score"]), 3),
        "imd25_lsoas_decile1": int((values.query("indicator == 'imd25_decile'")["value"] == 1).sum()),
        "imd19_lsoas_decile1": int((values.query("indicator == 'imd19_decile'")["value"] == 1).sum()),
        "raw_files": {row["file"]: sha256(data / "raw" / row["file"]) for row in manifest.to_dict("records")},
    }
    (out / "build_info.json").write_text(json.dumps(summary, indent=1, sort_keys=True) + "\n")
    return summary


def build_atomically(data: Path, target: Path) -> dict:
    """Build into a temporary sibling of ``target`` and swap it in only on success."""
    return swap_in(target, lambda new: build(data, new))


def main(argv: list[str] | None = None) -> int:
    """Command line: build the ward set and series, then Coventry's pack with them; or print the first problem."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=paths.data_dir(), help="data folder holding raw/ and registry/")
    parser.add_argument("--pack", type=Path, default=paths.own_pack_dir(),
                        help="the local pack the ward set and series are built for (default data/packs/coventry)")
    parser.add_argument("--out", type=Path, default=None,
                        help="write only the ward set and series, to this folder (no pack is built)")
    args = parser.parse_args(argv)
    try:
        if args.out:
            summary = build_atomically(args.data, args.out)
        else:
            with tempfile.TemporaryDirectory() as tmp:
                summary = build(args.data, Path(tmp) / "made")
                line = build_pack(args.pack, args.data, made=Path(tmp) / "made")
    except DataError as exc:
        print(f"Build stopped, nothing written: {exc}", file=sys.stderr)
        return 1
    for key, value in summary.items():
        if key != "raw_files":
            print(f"{key}: {value}")
    if not args.out:
        print(line)
    return 0


if __name__ == "__main__":
    sys.exit(main())
