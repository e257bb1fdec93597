"""One indicator's rows, built the same way for Coventry's pack and for the national store.

:func:`build_indicator` turns a registry row and its source file into small-area rows and their ward and
authority aggregates (by the row's ``method``); :func:`computed_note` says in words how an authority's figure
computed here is made. Coventry's build (:mod:`explorer.pipeline.build`) and the national build
(:mod:`explorer.pipeline.national`) both call them, so a figure is made one way wherever it is shown.
"""

from __future__ import annotations

import math

import pandas as pd

from explorer.pipeline.aggregate import apportion, apportion_ci, apportion_counts, missing_sources
from explorer.pipeline.dwp import NOT_AVAILABLE
from explorer.pipeline.inputs import Inputs
from explorer.registry import COUNT_METHODS, Indicator
from explorer.stats.gaps import decile1_flag
from explorer.stats.intervals import poisson_rate, wilson_percent
from geo.errors import DataError
from geo.grid import grid_cells
from geo.lookups import links_to, to_city
from geo.validate import check_codes, check_known, check_not_negative, check_numeric, check_unique


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
    - ``ward_published``: the publisher's own ward figures, for the wards that are the same in its ward set
      and the one shown; see :func:`ward_published_rows`.
    - Where the registry asks for a Wilson or exact Poisson interval, the counts behind each value
      (numerator and denominator) are apportioned too and the interval is worked out from them.

    ``ctx["city"]`` names the area the wards add up to: one authority's code (Coventry's pack), or a Series
    mapping each ward to its local authority (the national build), whose rows keep the geography ``city``.
    """
    if ind.ward_published:
        return ward_published_rows(ind, inp, ctx)
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
    for target, tlinks in (("ward", links), ("city", to_city(links, ctx["city"]))):
        value = apportion(small_for_ward, tlinks)
        why = no_figure_notes(value, missing_sources(small_for_ward, tlinks), geography, target)
        if numerator is not None:
            counts = apportion_counts(numerator, tlinks), apportion_counts(denominator, tlinks)
            rows.append(long_rows(ind.id, target, value, *counted_interval(ind, *counts), *counts).assign(note=why))
            continue
        limits = apportion_ci(value, lower, upper, tlinks) if ind.has_ci else (None, None)
        rows.append(long_rows(ind.id, target, value, *limits).assign(note=why))
    return rows


def no_figure_notes(value: pd.Series, missing: pd.Series, geography: str, target: str) -> list[str]:
    """Why each ward (or authority, ``target`` "city") of ``value`` has no figure, from what the source gives.

    A ward's figure is made from every one of its small areas, so a ward has none when the source gives no
    figure for one of them (ONS's park distances, for example, leave out 195 of England's 32,844 LSOAs, without
    saying why); the note says how many, and never guesses a reason the source does not give. A ward with a
    figure gets "". ``missing`` counts each target's small areas without a figure (:func:`missing_sources`).

    Examples
    --------
    >>> no_figure_notes(pd.Series({"W": float("nan"), "V": 2.0, "X": float("nan")}),
    ...                 pd.Series({"W": 2, "V": 0, "X": 0}), "lsoa11", "ward")
    ["the source gives no figure for 2 of its neighbourhoods (2011 LSOAs), and a ward's figure needs all of \
them (none is filled in)", '', 'the source gives no figure for this ward']
    """
    whose, needs = ("its", "a ward's figure") if target == "ward" else ("the authority's", "its figure")
    notes = []
    for code, v in value.items():
        k = int(missing.get(code, 0))
        if not pd.isna(v):
            notes.append("")
        elif k:
            notes.append(f"the source gives no figure for {k} of {whose} {AREA_WORDS[geography]}, and {needs} "
                         "needs all of them (none is filled in)")
        else:
            notes.append(f"the source gives no figure for this {'ward' if target == 'ward' else 'authority'}")
    return notes


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
    for target, tlinks in ((ind.geography, None), ("ward", links), ("city", to_city(links, ctx["city"]))):
        num = numerator if tlinks is None else apportion_counts(numerator, tlinks)
        if denominator is None:
            rows.append(long_rows(ind.id, target, num * ind.scale, numerator=num))
            continue
        den = denominator if tlinks is None else apportion_counts(denominator, tlinks).reindex(num.index)
        value = (num / den.where(den > 0)) * ind.scale
        limits = counted_interval(ind, num, den) if ind.has_interval else (None, None)
        rows.append(long_rows(ind.id, target, value, *limits, numerator=num, denominator=den))
    return rows


PUBLISHER_MARKERS = {"[x]": "suppressed by the publisher (too few people to publish a figure)",
                     "[low]": "suppressed by the publisher (too few people to publish a figure)",
                     "[c]": "withheld by the publisher (confidential)", "..": "not available from the publisher"}


def published_number(frame: pd.DataFrame, column: str, label: str) -> pd.Series:
    """A publisher's figures as numbers: thousands separators and a trailing "%" read, markers missing.

    The markers of :data:`PUBLISHER_MARKERS` (DWP's ``[x]`` and ``[low]`` for suppressed figures) are read as
    missing, never as zero; any other text stops the build naming the file, row and column.

    Examples
    --------
    >>> frame = pd.DataFrame({"pct": ["49.0%", "[x]", "8.9%"]})
    >>> published_number(frame, "pct", "f.csv").tolist()
    [49.0, nan, 8.9]
    """
    text = frame[column].astype(str).str.strip()
    return check_numeric(frame.assign(**{column: text.str.removesuffix("%")}), column, label,
                         not_available=tuple(PUBLISHER_MARKERS))


def ward_note(listed: bool, redrawn: bool, marker: str) -> str:
    """Why a ward shown has no figure published for wards: suppressed, redrawn since, or not listed.

    Examples
    --------
    >>> ward_note(True, False, "[x]")
    'suppressed by the publisher (too few people to publish a figure)'
    >>> ward_note(False, True, "")[:41]
    'redrawn in May 2025 (a new code), after t'
    """
    if listed:
        return PUBLISHER_MARKERS.get(marker, "no figure in the publisher's table")
    if redrawn:
        return ("redrawn in May 2025 (a new code), after the ward set the figures are published for; the old "
                "ward's figure, for other boundaries, is not used")
    return "not in the publisher's table, which lists no figure for it"


def ward_published_rows(ind: Indicator, inp: Inputs, ctx: dict) -> list[pd.DataFrame]:
    """Ward rows of a figure its publisher gives for wards, for every ward of the set shown, with a note each.

    A ward of the set shown (``ctx["city"]``'s index: ward code to authority) takes the publisher's figure only
    where the publisher's ward has the same code: ONS gives a ward a new code whenever its boundary changes, so
    the same code is the same ward. A ward the publisher lists with a suppressed figure, a ward redrawn since
    (one whose LSOAs ``ctx["lookup21"]`` assigns by area, ``method`` "derived..."), and a ward the publisher does
    not list have no value, and its ``note`` says which (:func:`ward_note`). Nothing
    is added up or estimated: with no denominators held, no interval is made and no authority figure is
    computed here (the authority's is the publisher's own, added by the national build).

    Raises
    ------
    DataError
        Naming the file, row and column of a bad code, a duplicate ward or a value that is not a number.
    """
    label = inp.label(ind.file)
    frame = inp.csv(ind.file, [ind.code_column, ind.value_column])
    check_codes(frame, ind.code_column, "ward", label)
    check_unique(frame, [ind.code_column], label)
    codes = frame[ind.code_column].str.strip()
    value = (published_number(frame, ind.value_column, label) * ind.scale).set_axis(codes)
    marker = frame[ind.value_column].astype(str).str.strip().set_axis(codes)
    shown = pd.Index(sorted(ctx["city"].index), name="code")
    rows = long_rows(ind.id, "ward", value.reindex(shown))
    lookup = ctx["lookup21"]
    redrawn = set(lookup.loc[lookup["method"].str.startswith("derived"), "ward"])
    listed = set(codes)
    rows["note"] = [ward_note(c in listed, c in redrawn, marker.get(c, "")) if pd.isna(v) else
                    "as published for this ward" for c, v in zip(shown, rows["value"], strict=True)]
    return [rows]


def _grid_xy(ind: Indicator, inp: Inputs) -> tuple[pd.Series, pd.Series]:
    frame = inp.csv(ind.file, [ind.code_column, "x", "y"])
    label = inp.label(ind.file)
    return check_numeric(frame, "x", label, allow_missing=False), check_numeric(frame, "y", label, allow_missing=False)


