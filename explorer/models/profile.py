"""A ward's profile: every indicator with its place among the wards, Coventry and England, and a summary.

Every judgement word, rank and comparator comes from :mod:`explorer.stats.judge` (the About page prints its rules).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import pandas as pd

from explorer.models.citymap import judge_wards, ward_notes, with_reasons, with_unit
from explorer.models.tables import Column, html_table
from explorer.models.text import counted, export_csv, with_authority
from explorer.registry import Indicator
from explorer.stats.judge import NO_DATA, SYMBOLS, Standing, ordinal

ENGLAND = "E92000001"


def judged_all(registry: dict[str, Indicator], values: pd.DataFrame, area: str = "Coventry") -> dict[str, pd.DataFrame]:
    """:func:`~explorer.models.citymap.judged_wards` for every ward-level indicator, by indicator id.

    The values table is split by indicator once (filtering it per indicator took most of the time).
    """
    present = set(values["indicator"].unique())
    wards = values[values["geography"] == "ward"]
    own = {key: rows.set_index("code")[["value", "lower", "upper"]]
           for key, rows in wards.groupby("indicator", sort=False)}
    empty = wards.iloc[:0].set_index("code")[["value", "lower", "upper"]]
    cities = values[values["geography"] == "authority"].drop_duplicates("indicator")
    city = dict(zip(cities["indicator"], cities["value"].astype(float), strict=True))
    return {ind.id: with_reasons(judge_wards(own.get(ind.id, empty), city.get(ind.id, math.nan), ind, area), ind,
                                 ward_notes(wards, ind))
            for ind in registry.values() if ind.on_ward_map and ind.id in present}


@dataclass(frozen=True)
class Facts:
    """What a profile row of one indicator holds for every ward: the comparators and the spread of wards."""

    ind: Indicator
    wards: dict[str, dict]  # ward code -> its judged row (value, limits, rank, verdict ...)
    shared: dict  # the columns every ward's row shares (Coventry, England, ward range, source ...)


def indicator_facts(registry: dict[str, Indicator], values: pd.DataFrame,
                    judged: dict[str, pd.DataFrame] | None = None, area: str = "Coventry") -> list[Facts]:
    """Every ward-level indicator's :class:`Facts`, in registry order, worked out once for all wards.

    ``area`` is the authority's name (what each ward is judged against).
    """
    judged = judged if judged is not None else judged_all(registry, values, area)
    areas = values[values["geography"].isin(["authority", "authority_computed", "england"])]
    first = areas.drop_duplicates(["indicator", "geography"])  # as comparator(): the first row of each
    notes = first["note"] if "note" in first else pd.Series("", index=first.index)
    held = {(key, geography): (float(value), float(lower), float(upper), note if isinstance(note, str) else "")
            for key, geography, value, lower, upper, note in zip(
                first["indicator"], first["geography"], first["value"], first["lower"], first["upper"], notes,
                strict=True)}
    none = (math.nan, math.nan, math.nan, "")
    out = []
    for ind in registry.values():
        wards = judged.get(ind.id)
        if wards is None:
            continue
        city, city_lower, city_upper, city_note = held.get((ind.id, "authority"), none)
        england, _, _, england_note = held.get((ind.id, "england"), none)
        computed = held.get((ind.id, "authority_computed"), none)[0]
        have = wards["value"].to_numpy(dtype=float)
        have = have[~np.isnan(have)]
        spread = (have.min(), have.max(), *np.quantile(have, [0.25, 0.75])) if have.size else (math.nan,) * 4
        shared = {
            "authority": city, "authority_lower": city_lower, "authority_upper": city_upper,
            "authority_note": city_note, "authority_computed": computed, "england": england,
            "england_note": england_note, "area": area,
            **dict(zip(("ward_min", "ward_max", "q1", "q3"), (float(v) for v in spread), strict=True)),
        }
        out.append(Facts(ind, wards.to_dict("index"), shared))
    return out


def profile_table(ward: str, registry: dict[str, Indicator], values: pd.DataFrame,
                  judged: dict[str, pd.DataFrame] | None = None, facts: list[Facts] | None = None,
                  area: str = "Coventry") -> pd.DataFrame:
    """One row per ward-level indicator for ``ward``, in registry order.

    Parameters
    ----------
    ward : str
        Ward code.
    registry, values
        The indicator registry and the processed values table.
    judged : dict, optional
        :func:`judged_all`, when already computed.
    facts : list of Facts, optional
        :func:`indicator_facts`, when already computed (then ``judged`` is not needed): building every
        ward's table from one set of facts does each indicator's work once, not once per ward.
    area : str
        The authority's name, what each ward is compared with (taken from ``facts`` when given).

    Returns
    -------
    DataFrame
        Columns: id, theme, label, unit, period, value, lower, upper, rank, tied, n, rank_text, authority,
        authority_lower, authority_upper, authority_note, authority_computed, england, england_note, ward_min,
        ward_max, q1, q3, comparison, basis, rule, source, licence, area (the authority's name; the
        ``authority*`` columns hold its figures, whichever authority it is).
    """
    facts = facts if facts is not None else indicator_facts(registry, values, judged, area)
    rows = []
    for fact in facts:
        row = fact.wards.get(ward)
        if row is None:
            continue
        ind = fact.ind
        rows.append({
            "id": ind.id, "theme": ind.theme, "label": ind.label, "unit": ind.unit, "period": ind.period,
            "value": row["value"], "lower": row["lower"], "upper": row["upper"],
            "rank": row["rank"], "tied": row["tied"], "n": int(row["n"]), "rank_text": row["rank_text"],
            **{key: fact.shared[key] for key in ("authority", "authority_lower", "authority_upper", "authority_note",
                                                 "authority_computed", "england", "england_note", "ward_min",
                                                 "ward_max", "q1", "q3")},
            "comparison": row["verdict"], "basis": row["basis"], "rule": row["rule"],
            "source": ind.source, "licence": ind.licence, "area": fact.shared.get("area", area),
        })
    table = pd.DataFrame(rows)
    if len(table):
        table["rank"] = table["rank"].astype("Int64")
        table["tied"] = table["tied"].astype("Int64")
    return table


def standing_of(row: pd.Series) -> Standing | None:
    """The :class:`~explorer.stats.judge.Standing` in a profile row, or None when the ward is not ranked."""
    if pd.isna(row["rank"]):
        return None
    return Standing(int(row["rank"]), int(row["tied"]), int(row["n"]))


def spine_positions(table: pd.DataFrame, registry: dict[str, Indicator]) -> pd.DataFrame:
    """Fingertips-style spine chart positions, Coventry at 0.5, better to the right.

    Each indicator is scaled by the larger distance from Coventry to the best or worst ward, so the whole
    range of wards fits between 0 and 1. A ward with no value has no position (NaN), never a made-up one. A
    count is left out: it is never set against the authority's figure (its total), only described.
    """
    out = []
    for row in table.itertuples():
        ind = registry[row.id]
        if ind.is_count:
            continue
        span = max(abs(row.ward_max - row.authority), abs(row.ward_min - row.authority))
        span = span if span and not math.isnan(span) else 1.0
        sign = -1.0 if ind.polarity == "higher_is_worse" else 1.0

        def pos(v: float, sign: float = sign, span: float = span, row=row) -> float:
            return 0.5 + sign * (v - row.authority) / (2 * span)

        worst, best = sorted((pos(row.ward_min), pos(row.ward_max)))
        q_lo, q_hi = sorted((pos(row.q1), pos(row.q3)))
        out.append({"id": row.id, "label": row.label, "ward": pos(row.value), "worst": worst, "best": best,
                    "q_lo": q_lo, "q_hi": q_hi, "comparison": row.comparison})
    return pd.DataFrame(out)


def summary(ward_name: str, table: pd.DataFrame, straddling: int, lsoas: int, whole: str = "the city") -> list[str]:
    """Three to five plain-English sentences about the ward, built only from the data.

    ``whole`` names the authority as a whole (:attr:`explorer.places.Place.whole`: "the city" where its pack says
    it is one, else its name; the default is the default authority's).

    A missing figure leaves its sentence out; nothing is estimated.
    """
    t = table.set_index("id") if len(table) else table
    area = area_of(table)
    out = []
    if "imd25_score" in t.index and pd.notna((r := t.loc["imd25_score"])["value"]):
        score = f"average score {r['value']:.1f}; {area} {r['authority']:.1f}"
        place = standing_of(r)
        if place is None:  # the only ward with a value: nothing to rank it against
            out.append(f"{ward_name} is the only one of {area}'s wards with an Index of Multiple Deprivation 2025 "
                       f"figure ({score}), so it is not ranked.")
        elif place.tied == place.n:
            out.append(f"All {place.n} of {area}'s wards with a value share the same Index of Multiple Deprivation "
                       f"2025 figure ({score}).")
        else:
            out.append(f"{ward_name} is {place.words('most deprived', 'least deprived')} of {area}'s {place.n} "
                       f"wards on the Index of Multiple Deprivation 2025 ({score}).")
    if "imd25_pct_d1" in t.index and pd.notna(share := t.loc["imd25_pct_d1", "value"]):
        city = t.loc["imd25_pct_d1", "authority"]
        out.append("None of its residents live in neighbourhoods among England's most deprived 10%." if share == 0
                   else f"{share:.0f}% of its residents live in neighbourhoods among England's most deprived 10% "
                   f"({area} {city:.0f}%).")
    if {"le_male", "le_female"} <= set(t.index):
        m, f = t.loc["le_male"], t.loc["le_female"]
        if pd.notna(m["value"]) and pd.notna(f["value"]):
            both = (
                f"both {_vs(m['comparison'])}" if m["comparison"] == f["comparison"]
                else f"{_vs(m['comparison'])} and {_vs(f['comparison'])}"
            )
            out.append(f"In {m['period']}, life expectancy at birth was {m['value']:.1f} years for men and "
                       f"{f['value']:.1f} for women ({both} {area}'s {m['authority']:.1f} and {f['authority']:.1f}, "
                       f"ONS's own figures for {whole}).")
    others = table[~table["theme"].str.startswith("Deprivation") & ~table["id"].isin(["le_male", "le_female"])]
    worse = others[others["comparison"].isin(["worse", "worst fifth"])].sort_values("rank")
    if len(worse):
        how = {"worse": f"significantly worse than {area}", "worst fifth": "in the worst fifth of wards"}
        named = [f"{_lower_first(r.label)} ({how[r.comparison]})" for r in worse.head(2).itertuples()]
        out.append(f"Beyond deprivation, it compares worst on {' and '.join(named)}.")
    else:
        out.append(f"Beyond deprivation, it is neither significantly worse than {area} nor in the worst fifth of "
                   "wards on any health or environment measure here.")
    if straddling:
        verb = "has" if straddling == 1 else "have"
        out.append(f"{straddling} of its {counted(lsoas, 'neighbourhood')} also {verb} homes in a neighbouring ward, "
                   "so its figures are close estimates.")
    return out[:5]


def _vs(comparison: str) -> str:
    return {"better": "significantly above", "worse": "significantly below", "similar": "similar to"}.get(
        comparison, "not compared with")


def _lower_first(text: str) -> str:
    return text if text[:2].isupper() or text[:3] == "NO2" else text[0].lower() + text[1:]


def profile_csv(ward_code: str, ward_name: str, table: pd.DataFrame, code: str = "") -> bytes:
    """Every indicator for the ward with its sources, as CSV (formula cells neutralised)."""
    return export_csv(profile_export(ward_code, ward_name, table, code))


def profile_export(ward_code: str, ward_name: str, table: pd.DataFrame, code: str = "") -> pd.DataFrame:
    """Every indicator for the ward with its sources, as downloaded (CSV and Excel).

    Column names are fixed, the same for every authority (``authority_value``, as in the data API); with the
    authority's ``code``, its code and name end every row.
    """
    out = table[["theme", "label", "value", "lower", "upper", "unit", "rank", "tied", "n", "authority",
                 "authority_note", "england", "england_note", "comparison", "basis", "period", "source",
                 "licence"]].copy()
    out.insert(0, "ward_name", ward_name)
    out.insert(0, "ward_code", ward_code)
    out = out.rename(columns={"n": "wards_ranked", "tied": "wards_sharing_rank", "lower": "lower_95",
                              "upper": "upper_95", "authority": "authority_value",
                              "authority_note": "authority_value_source", "england_note": "england_source",
                              "comparison": "compared_with_authority",
                              "basis": "how_compared"})
    numeric = out.select_dtypes(include=[np.number]).columns
    out[numeric] = out[numeric].round(6)
    return with_authority(out, code, area_of(table))


def value_text(row: pd.Series, ind: Indicator) -> str:
    """A value with its unit and, where it has one, its 95% interval."""
    text = with_unit(row["value"], ind)
    if not (pd.isna(row["lower"]) or pd.isna(row["upper"]) or pd.isna(row["value"])):
        text += f" (95% CI {row['lower']:.{ind.decimals}f} to {row['upper']:.{ind.decimals}f})"
    return text


def judgement_text(word: str) -> str:
    """The judgement with its shape symbol: "▲ better", "▼ worst fifth", "– no data"."""
    return f"{SYMBOLS.get(word, '–')} {word or NO_DATA}"


def spine_frame(table: pd.DataFrame, registry: dict[str, Indicator]) -> pd.DataFrame:
    """:func:`spine_positions` with what the chart writes: each label, value (with interval) and judgement."""
    table = table[[not registry[key].is_count for key in table["id"]]] if len(table) else table
    spine = spine_positions(table, registry)
    spine["label"] = [registry[i].label for i in spine["id"]]
    spine["value_text"] = [value_text(row, registry[row["id"]]) for _, row in table.iterrows()]
    spine["judgement"] = spine["comparison"].map(judgement_text)
    return spine


def chart_words(table: pd.DataFrame, ward_name: str) -> str:
    """What the spine chart shows, in words (its text alternative): how many indicators fall each way."""
    counts = table["comparison"].value_counts()
    unjudged = counts.get("higher", 0) + counts.get("lower", 0)
    # A value without an interval that is not placed (the only ward with one, or every ward at one value) is
    # counted with those without an interval, and said to be unplaced.
    unplaced = counts.get("not compared", 0)
    return (
        f"Of the {int(table['rule'].eq('interval').sum())} indicators with a confidence interval, {ward_name} is "
        f"significantly better than {area_of(table)} on {counts.get('better', 0)}, significantly worse on "
        f"{counts.get('worse', 0)} and similar on {counts.get('similar', 0)}"
        + (f" (and higher or lower, not judged, on {unjudged})" if unjudged else "")
        + f". Of the {int(table['rule'].eq('fifths').sum()) + unplaced} without one, it is in the best fifth of "
        f"wards on {counts.get('best fifth', 0)} and the worst fifth on {counts.get('worst fifth', 0)}"
        + (f", and not placed among the wards on {unplaced} (too few wards with a value, or all alike)"
           if unplaced else "")
        + (f"; {counts.get('no data', 0)} have no data" if counts.get("no data", 0) else "")
        + ". Every figure is in the table below; how each is judged is on the About page."
    )


def number_text(value: float, decimals: int, missing: str = NO_DATA) -> str:
    """A table's number: thousands separators, the indicator's decimals, a true minus sign; ``missing`` if none.

    Examples
    --------
    >>> number_text(-0.4412, 2), number_text(1234.0, 0), number_text(float("nan"), 1)
    ('−0.44', '1,234', 'no data')
    """
    if pd.isna(value):
        return missing
    return f"{value:,.{decimals}f}".replace("-", "−")


NOT_HELD = "not held"
NO_INTERVAL = "–"


def table_columns(area: str = "Coventry") -> list[Column]:
    """The profile table's columns, the authority named in its headers."""
    return [
        Column("label", "Indicator", sub="about"),
        Column("value", "This ward", numeric=True),
        Column("interval", "95% CI", numeric=True),
        Column("rank_text", "Rank (1 = worst)"),
        Column("authority", area, numeric=True),
        Column("england", "England", numeric=True),
        Column("judgement", f"Compared with {area}"),
    ]


def source_columns(area: str = "Coventry") -> list[Column]:
    """The profile's sources table's columns, the authority named in its headers."""
    return [
        Column("label", "Indicator"),
        Column("period", "Period"),
        Column("basis", f"How compared with {area}"),
        Column("authority_note", f"Where the {area} figure comes from"),
        Column("england_note", "Where the England figure comes from"),
        Column("source", "Source"),
    ]


TABLE_COLUMNS = table_columns()
SOURCE_COLUMNS = source_columns()


def area_of(table: pd.DataFrame) -> str:
    """The authority a profile table is about (its ``area`` column; Coventry for a table made without one)."""
    return str(table["area"].iloc[0]) if "area" in table.columns and len(table) else "Coventry"


def display_frame(table: pd.DataFrame, registry: dict[str, Indicator]) -> pd.DataFrame:
    """The profile table as printed: every cell as text, the unit and period under each indicator's name.

    Numbers carry no unit (it is under the indicator); a missing value reads "no data" (and ``why``, where the
    ward's row says why), an England figure that is not held "not held", and an indicator with no interval "–".
    """
    out = []
    for row in table.itertuples():
        places = registry[row.id].decimals
        has_interval = not (pd.isna(row.lower) or pd.isna(row.upper) or pd.isna(row.value))
        out.append({
            "theme": row.theme, "label": row.label, "about": f"{row.unit} · {row.period}",
            "value": number_text(row.value, places),
            "interval": f"{number_text(row.lower, places)} to {number_text(row.upper, places)}" if has_interval
            else NO_INTERVAL,
            "rank_text": row.rank_text, "authority": number_text(row.authority, places),
            "england": number_text(row.england, places, NOT_HELD), "judgement": judgement_text(row.comparison),
            "why": row.basis if pd.isna(row.value) and str(row.basis).startswith("No figure: ") else "",
        })
    return pd.DataFrame(out, columns=["theme", "label", "about", "value", "interval", "rank_text", "authority",
                                      "england", "judgement", "why"])


def sources_frame(table: pd.DataFrame) -> pd.DataFrame:
    """Each indicator's period, how it is compared and where its figures come from (the profile's details)."""
    return pd.DataFrame({
        "theme": table["theme"], "label": table["label"], "period": table["period"], "basis": table["basis"],
        "authority_note": table["authority_note"].where(table["authority_note"].fillna("") != "", NO_INTERVAL),
        "england_note": [note if isinstance(note, str) and note else NOT_HELD if pd.isna(value) else NO_INTERVAL
                         for note, value in zip(table["england_note"], table["england"], strict=True)],
        "source": table["source"],
    })


def table_html(table: pd.DataFrame, registry: dict[str, Indicator], ward_name: str) -> str:
    """The profile table as an HTML table that fits any width (:mod:`explorer.models.tables`), grouped by theme."""
    area = area_of(table)
    return html_table(display_frame(table, registry), table_columns(area), group="theme", details="why",
                      caption=f"Every indicator for {ward_name} against {area} and England")


def sources_html(table: pd.DataFrame, ward_name: str) -> str:
    """Period, method and sources of every figure in the profile table, as an HTML table."""
    return html_table(sources_frame(table), source_columns(area_of(table)), group="theme",
                      caption=f"Period, method and source of each indicator for {ward_name}")


__all__ = ["Facts", "area_of", "chart_words", "display_frame", "indicator_facts", "judged_all", "judgement_text",
           "number_text", "ordinal", "profile_csv", "profile_table", "source_columns", "sources_frame", "sources_html",
           "spine_frame", "spine_positions", "standing_of", "summary", "table_columns", "table_html", "value_text"]
