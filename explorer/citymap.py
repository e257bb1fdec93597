"""What the city map page shows, computed without a browser.

The ward table (the map's text alternative), tooltips, the sentence that
states what the map shows, and the CSV export.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from urllib.parse import urlencode

import pandas as pd

from explorer.aggregate import rank_wards
from explorer.classify import Classes, classify, fmt
from explorer.registry import Indicator
from explorer.text import export_csv

CITY_CODE = "E08000026"
PROFILE_PATH = "/ward_profile"  # the ward profile page's address (its url_path in streamlit_app.py)
BARE_UNITS = ("score", "decile", "rank")  # units written after a number only in brackets: "50.2 (score)"


def values_for(values: pd.DataFrame, indicator: str, geography: str) -> pd.DataFrame:
    """Rows of one indicator at one geography, indexed by area code."""
    rows = values[(values["indicator"] == indicator) & (values["geography"] == geography)]
    return rows.set_index("code")[["value", "lower", "upper"]]


def city_value(values: pd.DataFrame, indicator: str) -> float:
    """The Coventry value of an indicator (NaN when it has none)."""
    rows = values_for(values, indicator, "city")
    return float(rows["value"].iloc[0]) if len(rows) else math.nan


def with_unit(value: float, ind: Indicator) -> str:
    """A value with its unit, or "no data"."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "no data"
    unit = ind.unit
    if unit in ("score", "decile"):
        return fmt(value, ind.decimals)
    if unit.startswith("%"):
        return f"{fmt(value, ind.decimals)}{unit}"
    return f"{fmt(value, ind.decimals)} {unit}"


def compare_to_city(value: float, lower: float, upper: float, city: float, ind: Indicator) -> str:
    """Plain words comparing a ward with Coventry.

    Where confidence limits exist the words say whether the difference is
    statistically significant (95% interval excludes the city value).
    """
    if any(isinstance(x, float) and math.isnan(x) for x in (value, city)):
        return "no data"
    if ind.has_ci and not (math.isnan(lower) or math.isnan(upper)):
        if lower <= city <= upper:
            return "similar to Coventry (not significantly different)"
        word = "higher" if value > city else "lower"
        return f"significantly {word} than Coventry"
    if round(value, ind.decimals) == round(city, ind.decimals):
        return "same as Coventry"
    return "higher than Coventry" if value > city else "lower than Coventry"


def ward_table(values: pd.DataFrame, wards: pd.DataFrame, ind: Indicator) -> pd.DataFrame:
    """One row per ward: value, limits, rank of 18 (1 = worst) and comparison with Coventry.

    Sorted by rank, wards with no data last.
    """
    own = values_for(values, ind.id, "ward")
    table = wards[["code", "name", "population_census2021", "lsoa21_straddling"]].copy()
    table = table.join(own, on="code")
    table["rank"] = rank_wards(table["value"], ind.polarity)
    city = city_value(values, ind.id)
    table["coventry"] = city
    table["compared"] = [
        compare_to_city(v, lo, up, city, ind)
        for v, lo, up in zip(table["value"], table["lower"], table["upper"], strict=True)
    ]
    return table.sort_values(["rank", "name"], na_position="last", ignore_index=True)


def ward_display_table(table: pd.DataFrame, ind: Indicator) -> pd.DataFrame:
    """The ward table as it is printed: plain column names, numbers rounded, "no data" written out.

    Examples
    --------
    >>> from explorer.registry import load_registry
    >>> from explorer import paths
    >>> ind = load_registry(paths.data_dir() / "registry" / "indicators.csv")["le_male"]
    >>> row = pd.DataFrame({"rank": [1], "name": ["Radford"], "value": [74.81], "lower": [73.9], "upper": [75.7],
    ...                     "coventry": [77.5], "compared": ["worse"], "lsoa21_straddling": [1],
    ...                     "population_census2021": [20000]})
    >>> [str(v) for v in ward_display_table(row, ind).iloc[0]]
    ['1', 'Radford', '74.8', '73.9', '75.7', '77.5', 'worse', '1', '20,000']
    """
    number = lambda v: "no data" if pd.isna(v) else f"{v:,.{ind.decimals}f}"  # noqa: E731
    out = pd.DataFrame({
        "Rank (1 = worst)" if ind.polarity != "neither" else "Rank (1 = highest)":
            [int(r) if pd.notna(r) else "–" for r in table["rank"]],
        "Ward": table["name"],
        f"Value ({ind.unit})": table["value"].map(number),
        "95% CI lower": table["lower"].map(number),
        "95% CI upper": table["upper"].map(number),
        "Coventry": table["coventry"].map(number),
        "Compared with Coventry": table["compared"],
        "Neighbourhoods shared with another ward": table["lsoa21_straddling"],
        "Residents (Census 2021)": table["population_census2021"].map(lambda v: f"{int(v):,}"),
    })
    if not ind.has_ci:
        out = out.drop(columns=["95% CI lower", "95% CI upper"])
    return out


def value_and_unit(value: float, ind: Indicator) -> str:
    """A value that always says its unit (for tooltips, read without the legend), or "no data".

    Examples
    --------
    >>> from explorer.registry import load_registry
    >>> from explorer import paths
    >>> registry = load_registry(paths.data_dir() / "registry" / "indicators.csv")
    >>> value_and_unit(50.24, registry["imd25_score"]), value_and_unit(9.04, registry["no2_background"])
    ('50.2 (score)', '9.0 µg/m³ annual mean')
    """
    shown = with_unit(value, ind)
    return f"{shown} ({ind.unit})" if ind.unit in BARE_UNITS and shown != "no data" else shown


def profile_link(name: str) -> tuple[str, str]:
    """The address and words of a link that opens a ward's profile.

    Examples
    --------
    >>> profile_link("St Michael's")
    ('/ward_profile?ward=St+Michael%27s', "Open the St Michael's ward profile")
    """
    return f"{PROFILE_PATH}?{urlencode({'ward': name})}", f"Open the {name} ward profile"


def tooltip(row: pd.Series, ind: Indicator, n_wards: int) -> str:
    """Plain text for a ward's tooltip: name, value and unit, rank, city value."""
    parts = [str(row["name"]), value_and_unit(row["value"], ind)]
    if ind.has_ci and not math.isnan(row["lower"]):
        parts.append(f"95% CI {fmt(row['lower'], ind.decimals)} to {fmt(row['upper'], ind.decimals)}")
    if not pd.isna(row["rank"]):
        worst = "highest" if ind.polarity == "neither" else "worst"
        parts.append(f"rank {int(row['rank'])} of {n_wards} (1 = {worst})")
    parts.append(f"Coventry: {value_and_unit(row['coventry'], ind)}")
    return "\n".join(parts)


def summary_sentence(table: pd.DataFrame, ind: Indicator) -> str:
    """One or two sentences stating what the ward map shows (its text alternative)."""
    have = table.dropna(subset=["value"])
    if have.empty:
        return f"No ward has data for {ind.label.lower()}."
    top = have.loc[have["value"].idxmax()]
    low = have.loc[have["value"].idxmin()]
    missing = len(table) - len(have)
    sentence = (
        f"{ind.label}, {ind.period}: highest in {top['name']} ({with_unit(top['value'], ind)}), "
        f"lowest in {low['name']} ({with_unit(low['value'], ind)}); "
        f"Coventry as a whole {with_unit(table['coventry'].iloc[0], ind)}."
    )
    if missing:
        sentence += f" {missing} ward{'s have' if missing > 1 else ' has'} no data."
    return sentence


def ward_csv(table: pd.DataFrame, ind: Indicator) -> bytes:
    """The ward table as CSV, with the indicator's unit, period, source and licence on every row."""
    return export_csv(ward_export(table, ind))


def ward_export(table: pd.DataFrame, ind: Indicator) -> pd.DataFrame:
    """The ward table as downloaded (CSV and Excel): one row per ward, machine-readable column names."""
    out = pd.DataFrame(
        {
            "ward_code": table["code"],
            "ward_name": table["name"],
            "indicator": ind.label,
            "value": table["value"].round(6),
            "lower_95": table["lower"].round(6),
            "upper_95": table["upper"].round(6),
            "unit": ind.unit,
            "rank_of_18_1_is_worst": table["rank"],
            "coventry_value": table["coventry"].round(6),
            "compared_with_coventry": table["compared"],
            "period": ind.period,
            "source": ind.source,
            "licence": ind.licence,
            "method": ind.method_text,
            "ward_boundaries": "Coventry wards 2004 to May 2026",
        }
    )
    return out


@dataclass(frozen=True)
class MapView:
    """Everything one choropleth layer needs: values, classes and tooltips by area code."""

    values: pd.Series
    classes: Classes
    tips: dict[str, str]

    @property
    def no_data_count(self) -> int:
        """Number of areas with no value."""
        return int(self.values.isna().sum())


def ward_view(table: pd.DataFrame, ind: Indicator) -> MapView:
    """The ward layer of the city map, from :func:`ward_table`."""
    return MapView(
        values=table.set_index("code")["value"],
        classes=classify(table["value"], ind.polarity, ind.decimals),
        tips={row["code"]: tooltip(row, ind, len(table)) for _, row in table.iterrows()},
    )


def small_area_view(values: pd.DataFrame, areas: pd.DataFrame, ind: Indicator, geography: str) -> MapView:
    """The neighbourhood layer: the indicator's own small-area values, classified on their own.

    Parameters
    ----------
    values : DataFrame
        The processed values table.
    areas : DataFrame
        ``code`` and ``name`` of every area in the layer.
    ind : Indicator
        The indicator whose small-area values are shown.
    geography : str
        ``lsoa21``, ``lsoa11`` or ``msoa11``.
    """
    own = values_for(values, ind.id, geography)["value"].reindex(areas["code"])
    return MapView(
        values=own,
        classes=classify(own, ind.polarity, ind.decimals),
        tips={
            code: f"{name} ({code})\n{value_and_unit(v, ind)}"
            for code, name, v in zip(areas["code"], areas["name"], own, strict=True)
        },
    )


def small_area_sentence(view: MapView, names: pd.Series, ind: Indicator, words: str) -> str:
    """State what the neighbourhood layer shows: its range and how many areas lack data.

    Parameters
    ----------
    view : MapView
        From :func:`small_area_view`.
    names : Series
        Area names by code.
    ind : Indicator
        The indicator shown.
    words : str
        What the areas are called ("neighbourhoods (2021 LSOAs)").
    """
    have = view.values.dropna()
    if have.empty:
        return f"{ind.label}: none of the {words} has data."
    top, low = have.idxmax(), have.idxmin()
    sentence = (
        f"{ind.label} across {len(view.values)} {words}: from {with_unit(have[low], ind)} "
        f"({names[low]}) to {with_unit(have[top], ind)} ({names[top]})."
    )
    if view.no_data_count:
        sentence += f" {view.no_data_count} have no data."
    return sentence
