"""A ward's profile: every indicator with its rank, Coventry and England, and a plain summary."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd

from explorer.aggregate import rank_wards
from explorer.citymap import with_unit
from explorer.registry import Indicator
from explorer.text import export_csv

ENGLAND = "E92000001"
SYMBOLS = {"better": "▲ better", "worse": "▼ worse", "similar": "● similar", "higher": "▲ higher",
           "lower": "▼ lower", "middle": "● middle", "no data": "– no data"}
# Marker shape and colour for each judgement: never colour alone (shape and words carry it too).
JUDGEMENT_STYLE = {
    "▲ better": ("triangle-up", "#2166ac"), "▼ worse": ("triangle-down", "#b2182b"),
    "● similar": ("circle", "#f7f7f7"), "▲ higher": ("triangle-up", "#2166ac"),
    "▼ lower": ("triangle-down", "#b2182b"), "● middle": ("circle", "#f7f7f7"), "– no data": ("square", "#999999"),
}
ORDINALS = {1: "", 2: "second ", 3: "third ", 4: "fourth ", 5: "fifth "}


def ordinal(n: int) -> str:
    """1st, 2nd, 3rd, 4th ... 11th, 12th, 13th, 21st."""
    suffix = "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{n}{suffix}"


def compare(
    value: float, lower: float, upper: float, rank: float, n: int, city: float, ind: Indicator
) -> tuple[str, str]:
    """Better, similar or worse than Coventry, and the basis of the judgement.

    With 95% confidence limits: significance against the Coventry value.
    Without: the ward's fifth among the wards (worst fifth = worse, best fifth = better).
    """
    if value is None or math.isnan(value):
        return "no data", ""
    if ind.has_ci and not (math.isnan(lower) or math.isnan(upper)) and not math.isnan(city):
        if lower <= city <= upper:
            return "similar", "95% confidence interval includes Coventry's value"
        worse = (value > city) == (ind.polarity == "higher_is_worse")
        if ind.polarity == "neither":
            return ("higher" if value > city else "lower"), "95% confidence interval excludes Coventry's value"
        return ("worse" if worse else "better"), "95% confidence interval excludes Coventry's value"
    fifth = math.ceil(rank * 5 / n)
    basis = f"ranked {ordinal(int(rank))} of {n} wards (worst fifth = worse, best fifth = better)"
    if ind.polarity == "neither":
        return ("higher" if fifth == 1 else "lower" if fifth == 5 else "middle"), basis
    return ("worse" if fifth == 1 else "better" if fifth == 5 else "similar"), basis


def profile_table(ward: str, registry: dict[str, Indicator], values: pd.DataFrame) -> pd.DataFrame:
    """One row per ward-level indicator for ``ward``, in registry order.

    Columns: id, theme, label, unit, period, value, lower, upper, rank, n, coventry,
    england, ward_min, ward_max, q1, q3, comparison, basis, source, licence.
    """
    rows = []
    by_indicator = dict(tuple(values.groupby("indicator", sort=False)))
    for ind in registry.values():
        if not ind.on_ward_map or ind.id not in by_indicator:
            continue
        own = by_indicator[ind.id]
        wards = own[own["geography"] == "ward"].set_index("code")
        if ward not in wards.index:
            continue
        ranks = rank_wards(wards["value"], ind.polarity)
        city = own.loc[own["geography"] == "city", "value"]
        england = own.loc[own["geography"] == "england", "value"]
        row = wards.loc[ward]
        n = int(wards["value"].notna().sum())
        rank = ranks.get(ward)
        comparison, basis = compare(row["value"], row["lower"], row["upper"],
                                    float(rank) if pd.notna(rank) else math.nan, n,
                                    float(city.iloc[0]) if len(city) else math.nan, ind)
        rows.append({
            "id": ind.id, "theme": ind.theme, "label": ind.label, "unit": ind.unit, "period": ind.period,
            "value": row["value"], "lower": row["lower"], "upper": row["upper"],
            "rank": rank, "n": n,
            "coventry": float(city.iloc[0]) if len(city) else math.nan,
            "england": float(england.iloc[0]) if len(england) else math.nan,
            "ward_min": wards["value"].min(), "ward_max": wards["value"].max(),
            "q1": wards["value"].quantile(0.25), "q3": wards["value"].quantile(0.75),
            "comparison": comparison, "basis": basis, "source": ind.source, "licence": ind.licence,
        })
    return pd.DataFrame(rows)


def spine_positions(table: pd.DataFrame, registry: dict[str, Indicator]) -> pd.DataFrame:
    """Fingertips-style spine chart positions, Coventry at 0.5, better to the right.

    Each indicator is scaled by the larger distance from Coventry to the best or
    worst ward, so the whole range of wards fits between 0 and 1.
    """
    out = []
    for row in table.itertuples():
        ind = registry[row.id]
        span = max(abs(row.ward_max - row.coventry), abs(row.ward_min - row.coventry)) or 1.0
        sign = -1.0 if ind.polarity == "higher_is_worse" else 1.0

        def pos(v: float, sign: float = sign, span: float = span, row=row) -> float:
            return 0.5 + sign * (v - row.coventry) / (2 * span)

        worst, best = sorted((pos(row.ward_min), pos(row.ward_max)))
        q_lo, q_hi = sorted((pos(row.q1), pos(row.q3)))
        out.append({"id": row.id, "label": row.label, "ward": pos(row.value), "worst": worst, "best": best,
                    "q_lo": q_lo, "q_hi": q_hi, "comparison": row.comparison})
    return pd.DataFrame(out)


def summary(ward_name: str, table: pd.DataFrame, straddling: int, lsoas: int) -> list[str]:
    """Three to five plain-English sentences about the ward, built only from the data."""
    t = table.set_index("id")
    out = []
    if "imd25_score" in t.index:
        r = t.loc["imd25_score"]
        rank = int(r["rank"])
        from_end = int(r["n"]) - rank + 1
        if rank <= 5:
            place = f"the {ORDINALS[rank]}most deprived"
        elif from_end <= 5:
            place = f"the {ORDINALS[from_end]}least deprived"
        else:
            place = f"the {ordinal(rank)} most deprived"
        out.append(f"{ward_name} is {place} of Coventry's {int(r['n'])} wards on the Index of Multiple Deprivation "
                   f"2025 (average score {r['value']:.1f}; Coventry {r['coventry']:.1f}).")
    if "imd25_pct_d1" in t.index:
        share = t.loc["imd25_pct_d1", "value"]
        out.append("None of its residents live in neighbourhoods among England's most deprived 10%." if share == 0
                   else f"{share:.0f}% of its residents live in neighbourhoods among England's most deprived 10% "
                   f"(Coventry {t.loc['imd25_pct_d1', 'coventry']:.0f}%).")
    if {"le_male", "le_female"} <= set(t.index):
        m, f = t.loc["le_male"], t.loc["le_female"]
        both = (
            f"both {_vs(m['comparison'])}" if m["comparison"] == f["comparison"]
            else f"{_vs(m['comparison'])} and {_vs(f['comparison'])}"
        )
        out.append(f"In 2009-2013, life expectancy at birth was {m['value']:.1f} years for men and "
                   f"{f['value']:.1f} for women ({both} Coventry's {m['coventry']:.1f} and {f['coventry']:.1f}).")
    others = table[~table["theme"].str.startswith("Deprivation") & ~table["id"].isin(["le_male", "le_female"])]
    worse = others[others["comparison"] == "worse"].sort_values("rank")
    if len(worse):
        names = [f"{_lower_first(r.label)} ({ordinal(int(r.rank))} of {r.n})" for r in worse.head(2).itertuples()]
        out.append(f"Beyond deprivation, it compares worst on {' and '.join(names)}.")
    else:
        out.append("Beyond deprivation, it is not worse than Coventry on any health or environment measure here.")
    if straddling:
        verb = "has" if straddling == 1 else "have"
        out.append(f"{straddling} of its {lsoas} neighbourhoods also {verb} homes in a neighbouring ward, so its "
                   "figures are close estimates.")
    return out[:5]


def _vs(comparison: str) -> str:
    return {"better": "significantly above", "worse": "significantly below"}.get(comparison, "similar to")


def _lower_first(text: str) -> str:
    return text if text[:2].isupper() or text[:3] == "NO2" else text[0].lower() + text[1:]


def profile_csv(ward_code: str, ward_name: str, table: pd.DataFrame) -> bytes:
    """Every indicator for the ward with its sources, as CSV (formula cells neutralised)."""
    return export_csv(profile_export(ward_code, ward_name, table))


def profile_export(ward_code: str, ward_name: str, table: pd.DataFrame) -> pd.DataFrame:
    """Every indicator for the ward with its sources, as downloaded (CSV and Excel)."""
    out = table[["theme", "label", "value", "lower", "upper", "unit", "rank", "n", "coventry", "england",
                 "comparison", "basis", "period", "source", "licence"]].copy()
    out.insert(0, "ward_name", ward_name)
    out.insert(0, "ward_code", ward_code)
    out = out.rename(columns={"n": "wards_ranked", "lower": "lower_95", "upper": "upper_95"})
    numeric = out.select_dtypes(include=[np.number]).columns
    out[numeric] = out[numeric].round(6)
    return out


def value_text(row: pd.Series, ind: Indicator) -> str:
    """A value with its unit and, where given, its 95% interval."""
    text = with_unit(row["value"], ind)
    if ind.has_ci and not math.isnan(row["lower"]):
        text += f" (95% CI {row['lower']:.{ind.decimals}f} to {row['upper']:.{ind.decimals}f})"
    return text

