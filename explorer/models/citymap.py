"""What the city map page shows, computed without a browser.

The ward table (the map's text alternative), tooltips, the sentence that
states what the map shows, and the CSV export.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from urllib.parse import urlencode

import pandas as pd

from explorer.models.text import export_csv, whole_counts, with_authority
from explorer.registry import Indicator
from explorer.stats.classify import NO_DATA_COLOUR, Classes, classify, fmt
from explorer.stats.judge import NO_DATA, SYMBOLS, described_count, standings, versus

PROFILE_PATH = "/ward_profile"  # the ward profile page's address (its url_path in streamlit_app.py)
BARE_UNITS = ("score", "decile", "rank")  # units written after a number only in brackets: "50.2 (score)"
# A ward that ONS's best-fit lookup assigns no neighbourhood to (20 of the City of London's 25, 4 of the Isles of
# Scilly's 5) has no residents counted and no figures: said in words, never shown as 0 residents.
UNASSIGNED = "no neighbourhood is assigned to this ward"


def values_for(values: pd.DataFrame, indicator: str, geography: str) -> pd.DataFrame:
    """Rows of one indicator at one geography, indexed by area code."""
    rows = values[(values["indicator"] == indicator) & (values["geography"] == geography)]
    return rows.set_index("code")[["value", "lower", "upper"]]


def comparator(values: pd.DataFrame, indicator: str, geography: str = "authority") -> tuple[float, float, float, str]:
    """The authority's (or England's) value of an indicator, its 95% limits and where it comes from.

    Returns NaNs and "" when there is none. The authority's own row is ``authority`` (as the read layer,
    :mod:`explorer.places`, names it whatever the file called it).
    """
    rows = values[(values["indicator"] == indicator) & (values["geography"] == geography)]
    if rows.empty:
        return math.nan, math.nan, math.nan, ""
    row = rows.iloc[0]
    note = row["note"] if "note" in rows.columns and isinstance(row["note"], str) else ""
    return float(row["value"]), float(row["lower"]), float(row["upper"]), note


def city_value(values: pd.DataFrame, indicator: str) -> float:
    """The authority's value of an indicator (NaN when it has none)."""
    return comparator(values, indicator)[0]


def with_unit(value: float, ind: Indicator) -> str:
    """A value with its unit, or "no data"."""
    if value is None or value is pd.NA or (isinstance(value, float) and math.isnan(value)):
        return "no data"
    unit = ind.unit
    if unit in ("score", "decile"):
        return fmt(value, ind.decimals)
    if unit.startswith("%"):
        return f"{fmt(value, ind.decimals)}{unit}"
    return f"{fmt(value, ind.decimals)} {unit}"


def ward_notes(values: pd.DataFrame, ind: Indicator) -> pd.Series:
    """The ``note`` of each ward row of an indicator, by code ("" where none: most rows carry none)."""
    if "note" not in values.columns:
        return pd.Series(dtype=object)
    rows = values[(values["indicator"] == ind.id) & (values["geography"] == "ward")]
    return rows.set_index("code")["note"].fillna("").astype(str)


def judged_wards(values: pd.DataFrame, ind: Indicator, area: str = "Coventry") -> pd.DataFrame:
    """Every ward's value, limits, place among the wards and verdict against the authority (``area``).

    Judged by :mod:`explorer.stats.judge`.

    ``values`` may be the whole values table or just this indicator's rows (faster).

    Returns
    -------
    DataFrame
        Indexed by ward code: value, lower, upper, rank, tied, n, rank_text, verdict, basis, rule.
        Wards with no value have rank NA and the verdict "no data"; where the ward's row says why (a figure
        published for wards: suppressed, or the ward redrawn since), ``basis`` says it.
    """
    frame = judge_wards(values_for(values, ind.id, "ward"), comparator(values, ind.id)[0], ind, area)
    return with_reasons(frame, ind, ward_notes(values, ind))


def with_reasons(frame: pd.DataFrame, ind: Indicator, notes: pd.Series) -> pd.DataFrame:
    """Judged wards (:func:`judge_wards`) whose ``basis`` says why a ward has no figure, where its row says.

    A figure published for wards says it (suppressed, or the ward redrawn since); one made here from small areas
    says how many of the ward's small areas the source gives no figure for (the national build's notes).
    """
    if notes.empty:
        return frame
    why = pd.Series(frame.index.map(notes), index=frame.index).fillna("")
    said = frame["value"].isna() & (why != "")
    frame.loc[said, "basis"] = [f"No figure: {w}" for w in why[said]]
    return frame


def judge_wards(own: pd.DataFrame, city: float, ind: Indicator, area: str = "Coventry") -> pd.DataFrame:
    """:func:`judged_wards` from the indicator's ward rows (``value``, ``lower``, ``upper`` by code) and city value.

    A count is never ranked or judged (the "counts" rule of :mod:`explorer.stats.judge`): it is described.
    """
    count = ind.is_count
    places = {} if count else standings(own["value"], ind.polarity, ind.decimals)
    have = own["value"].dropna()
    rows = []
    for code, value, lower, upper in zip(own.index, own["value"], own["lower"], own["upper"], strict=True):
        place = places.get(code)
        if count:
            verdict = described_count(value, have.min() if len(have) else math.nan,
                                      have.max() if len(have) else math.nan, city, benchmark_name=area,
                                      fmt=lambda v: with_unit(v, ind))
        else:
            verdict = versus(value, lower, upper, city, polarity=ind.polarity, judged=ind.is_judged,
                             benchmark_name=area, standing=place, fmt=lambda v: with_unit(v, ind))
        rows.append((code, value, lower, upper, place.rank if place else pd.NA, place.tied if place else pd.NA,
                     len(places), place.label() if place else "not ranked: a count" if count else "not ranked",
                     verdict.word, verdict.basis, verdict.rule))
    frame = pd.DataFrame(rows, columns=["code", "value", "lower", "upper", "rank", "tied", "n", "rank_text",
                                        "verdict", "basis", "rule"]).set_index("code")
    frame["rank"] = frame["rank"].astype("Int64")
    frame["tied"] = frame["tied"].astype("Int64")
    return frame


def ward_table(values: pd.DataFrame, wards: pd.DataFrame, ind: Indicator, area: str) -> pd.DataFrame:
    """One row per ward: value, limits, rank (1 = worst, ties joint) and the verdict against the authority.

    Sorted by rank, wards with no data last (a ward no neighbourhood is assigned to, ``lsoa21_count`` 0, says so
    in the printed table and its tooltip instead of 0 residents). ``area`` is the authority's name; the ``area``
    column carries it (the authority's own value is in the ``authority`` column, its source in ``authority_note``).
    ``why_none`` is why a ward has no value where its row says (a figure published for wards: suppressed, or the
    ward redrawn since), else "".
    """
    table = wards[["code", "name", "population_census2021",
                   *(c for c in ("lsoa21_count",) if c in wards), "lsoa21_straddling"]].copy()
    judged = judged_wards(values, ind, area)
    table = table.join(judged, on="code")
    city, _, _, note = comparator(values, ind.id)
    table["authority"] = city
    table["authority_note"] = note
    table["compared"] = table["verdict"].fillna(NO_DATA)
    table["why_none"] = table["code"].map(ward_notes(values, ind)).where(table["value"].isna()).fillna("")
    table["area"] = area
    # Ranked wards first, then a ward with a value that is not ranked (the only one), then wards with none.
    order = table.assign(_none=table["value"].isna())
    return order.sort_values(["rank", "_none", "name"], na_position="last", ignore_index=True).drop(columns="_none")


WHY_COLUMN = "Why no figure"


def ward_display_table(table: pd.DataFrame, ind: Indicator) -> pd.DataFrame:
    """The ward table as it is printed: plain column names, numbers rounded, "no data" written out.

    Examples
    --------
    >>> from explorer.registry import load_registry
    >>> from explorer import paths
    >>> ind = load_registry(paths.data_dir() / "registry" / "indicators.csv")["le_male"]
    >>> row = pd.DataFrame({"rank_text": ["1 of 18"], "name": ["Radford"], "value": [74.81], "lower": [73.9],
    ...                     "upper": [75.7], "authority": [77.9], "compared": ["worse"], "lsoa21_straddling": [1],
    ...                     "population_census2021": [20000]})
    >>> [str(v) for v in ward_display_table(row, ind).iloc[0]]
    ['1 of 18', 'Radford', '74.8', '73.9', '75.7', '77.9', '▼ worse', '1', '20,000']
    """
    number = lambda v: "no data" if pd.isna(v) else f"{v:,.{ind.decimals}f}"  # noqa: E731
    area = _area(table)
    out = pd.DataFrame({
        "Rank (1 = worst)" if ind.polarity != "neither" else "Rank (1 = highest)": table["rank_text"],
        "Ward": table["name"],
        f"Value ({ind.unit})": table["value"].map(number),
        "95% CI lower": table["lower"].map(number),
        "95% CI upper": table["upper"].map(number),
        area: table["authority"].map(number),
        f"Compared with {area}": [f"{SYMBOLS.get(w, '–')} {w}" for w in table["compared"]],
        "Neighbourhoods shared with another ward": table["lsoa21_straddling"],
        "Residents (Census 2021)": [UNASSIGNED if _unassigned(row) else f"{int(row['population_census2021']):,}"
                                    for _, row in table.iterrows()],
    })
    if not ind.has_interval:
        out = out.drop(columns=["95% CI lower", "95% CI upper"])
    if "why_none" in table and (table["why_none"] != "").any():
        out[WHY_COLUMN] = table["why_none"].to_numpy()
    return out


def _unassigned(row: pd.Series) -> bool:
    """Whether a ward table's row is a ward no neighbourhood is assigned to (its ``lsoa21_count`` is 0)."""
    count = row.get("lsoa21_count")
    return count is not None and not pd.isna(count) and int(count) == 0


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


def profile_link(name: str, authority: str | None = None) -> tuple[str, str]:
    """The address and words of a link that opens a ward's profile (of ``authority``, when not the default one).

    The link opens a new page load, so it names the authority: without it, the default authority would open.

    Examples
    --------
    >>> profile_link("St Michael's")
    ('/ward_profile?ward=St+Michael%27s', "Open the St Michael's ward profile")
    >>> profile_link("Beeston & Holbeck", "Leeds")[0]
    '/ward_profile?ward=Beeston+%26+Holbeck&la=Leeds'
    """
    query = {"ward": name} | ({"la": authority} if authority else {})
    return f"{PROFILE_PATH}?{urlencode(query)}", f"Open the {name} ward profile"


def tooltip(row: pd.Series, ind: Indicator, n_wards: int) -> str:
    """Plain text for a ward's tooltip: name, value and unit, rank, city value."""
    why = row.get("why_none", "") or (UNASSIGNED if _unassigned(row) else "")
    parts = [str(row["name"]), f"no data: {why}" if why else value_and_unit(row["value"], ind)]
    if not (pd.isna(row["lower"]) or pd.isna(row["upper"])):
        parts.append(f"95% CI {fmt(row['lower'], ind.decimals)} to {fmt(row['upper'], ind.decimals)}")
    if not pd.isna(row["rank"]):
        worst = "highest" if ind.polarity == "neither" else "worst"
        parts.append(f"rank {row['rank_text']} (1 = {worst})")
    area = row.get("area", "Coventry")
    parts.append(f"{area}: {value_and_unit(row['authority'], ind)}")
    parts.append(f"Compared with {area}: {row['compared']}")
    return "\n".join(parts)


def map_label(area: str, ind: Indicator, small_words: str | None = None, points: tuple[str, ...] = ()) -> str:
    """The city map's accessible name: what it shows and where the same figures are in words.

    The map's shapes are out of the reading order (:func:`explorer.models.webmap.out_of_reading_order`); this
    name tells a screen-reader user what the map is and where its text alternative is.

    Examples
    --------
    >>> from explorer.registry import load_registry
    >>> from explorer import paths
    >>> ind = load_registry(paths.data_dir() / "registry" / "indicators.csv")["le_female"]
    >>> for sentence in map_label("Coventry", ind).split(". "):
    ...     print(sentence)
    Map of Coventry's wards: Life expectancy at birth: women
    Every ward's figure is in the table All wards, below the map.
    """
    where = f"{area}'s {small_words}" if small_words else f"{area}'s wards"
    said = ("Their range is in What the map shows, below the map; every ward's figure is in the table All wards."
            if small_words else "Every ward's figure is in the table All wards, below the map.")
    held = " Each point's reading is shown only on the map." if points else ""
    return f"Map of {where}: {ind.label}. {said}{held}"


def summary_sentence(table: pd.DataFrame, ind: Indicator) -> str:
    """One or two sentences stating what the ward map shows (its text alternative).

    The highest and lowest wards are named only when they differ: one ward with a value, or several sharing
    the same one, is one statement, never "highest in A, lowest in A". Wards without a value are counted, and
    those no neighbourhood is assigned to are said to be so.
    """
    have = table.dropna(subset=["value"])
    if have.empty:
        return f"No ward has data for {ind.label.lower()}." + _reasons(table[table["value"].isna()])[0]
    shown = have["value"].round(ind.decimals)
    # A count is described, never ranked: its largest, its smallest and the total.
    high, low, total = (("largest", "smallest", f"{_area(table)}'s total") if ind.is_count
                        else ("highest", "lowest", f"{_area(table)} as a whole"))
    why = _whole_reason(table)
    whole = f"{total} has no figure: {why}." if why else f"{total} {with_unit(table['authority'].iloc[0], ind)}."
    if len(have) == 1:
        sentence = (f"{ind.label}, {ind.period}: only {have['name'].iloc[0]} has a value "
                    f"({with_unit(have['value'].iloc[0], ind)}); {whole}")
    elif shown.max() == shown.min():
        sentence = (f"{ind.label}, {ind.period}: the same in each of the {len(have)} wards with a value "
                    f"({with_unit(have['value'].iloc[0], ind)}); {whole}")
    else:
        sentence = (
            f"{ind.label}, {ind.period}: {high} in {_joint(have['name'][shown == shown.max()])} "
            f"({with_unit(have['value'].max(), ind)}), "
            f"{low} in {_joint(have['name'][shown == shown.min()])} ({with_unit(have['value'].min(), ind)}); "
            f"{whole}"
        )
    return sentence + missing_words(table)


def missing_words(table: pd.DataFrame) -> str:
    """The sentences saying which wards have no value and why ("" when every ward has one).

    Each begins with a space: wards whose rows give the reason, wards no neighbourhood is assigned to, the rest.
    """
    said, without = _reasons(table[table["value"].isna()])
    unassigned = int(sum(_unassigned(row) for _, row in without.iterrows()))
    if unassigned:
        said += (f" {unassigned} ward{'s have' if unassigned > 1 else ' has'} no figures: no neighbourhood is "
                 f"assigned to {'them' if unassigned > 1 else 'it'}.")
    if missing := len(without) - unassigned:
        said += f" {missing} {'other ' if unassigned else ''}ward{'s have' if missing > 1 else ' has'} no data."
    return said


def whole_missing_words(table: pd.DataFrame) -> str:
    """The sentence saying why the authority as a whole has no figure, "" when it has one (or no reason is held)."""
    why = _whole_reason(table)
    return f"{_area(table)} as a whole has no figure: {why}." if why else ""


NO_FIGURE = "; no figure: "  # how the national build's note on an authority's row gives why it has no figure


def _whole_reason(table: pd.DataFrame) -> str:
    """Why the authority as a whole has no figure, from its row's note ("" when it has one, or no reason is held).

    Examples
    --------
    >>> _whole_reason(pd.DataFrame({"authority": [float("nan")], "authority_note": [
    ...     "computed here: mean of 326 areas; no figure: the source gives no figure for 12 of them"]}))
    'the source gives no figure for 12 of them'
    >>> _whole_reason(pd.DataFrame({"authority": [77.9], "authority_note": ["published by ONS"]}))
    ''
    """
    if "authority_note" not in table or not pd.isna(table["authority"].iloc[0]):
        return ""
    note = str(table["authority_note"].iloc[0] or "")
    return note.split(NO_FIGURE, 1)[1] if NO_FIGURE in note else ""


def _reasons(without: pd.DataFrame) -> tuple[str, pd.DataFrame]:
    """Sentences naming the wards whose rows say why they have no value (``why_none``), and the other wards."""
    if "why_none" not in without:
        return "", without
    out = ""
    for why, part in without[without["why_none"] != ""].groupby("why_none", sort=False):
        names = sorted(part["name"])
        listed = names[0] if len(names) == 1 else f"{', '.join(names[:-1])} and {names[-1]}"
        out += f" {len(names)} ward{'s have' if len(names) > 1 else ' has'} no figure ({listed}): {why}."
    return out, without[without["why_none"] == ""]


def slug_of(area: str) -> str:
    """An authority's name as a file-name and column-name stem.

    Examples
    --------
    >>> slug_of("Coventry"), slug_of("Kingston upon Hull, City of"), slug_of("St. Helens")
    ('coventry', 'kingston_upon_hull_city_of', 'st_helens')
    """
    return "_".join("".join(c if c.isalnum() else " " for c in area.lower()).split())


def _area(table: pd.DataFrame) -> str:
    """The authority a ward table is about (its ``area`` column; Coventry for a table made without one)."""
    return str(table["area"].iloc[0]) if "area" in table.columns and len(table) else "Coventry"


def _joint(names: pd.Series) -> str:
    """"Foleshill", or "5 wards jointly (A, B, C, D and E)" when several share the figure shown."""
    listed = sorted(names)
    if len(listed) == 1:
        return listed[0]
    return f"{len(listed)} wards jointly ({', '.join(listed[:-1])} and {listed[-1]})"


def ward_csv(table: pd.DataFrame, ind: Indicator, ward_set: str = "", code: str = "") -> bytes:
    """The ward table as CSV, with the indicator's unit, period, source and licence on every row."""
    return export_csv(ward_export(table, ind, ward_set, code))


def ward_export(table: pd.DataFrame, ind: Indicator, ward_set: str = "", code: str = "") -> pd.DataFrame:
    """The ward table as downloaded (CSV and Excel): one row per ward, machine-readable column names.

    Column names are fixed, the same for every authority (``authority_value``, as in the data API), so a script
    reads two authorities' files alike; with the authority's ``code``, its code and name end every row.
    """
    area = _area(table)
    out = pd.DataFrame(
        {
            "ward_code": table["code"],
            "ward_name": table["name"],
            "indicator": ind.label,
            "value": table["value"].round(6),
            "lower_95": table["lower"].round(6),
            "upper_95": table["upper"].round(6),
            "unit": ind.unit,
            "rank_1_is_worst": table["rank"],
            "wards_sharing_rank": table["tied"],
            "authority_value": table["authority"].round(6),
            "authority_value_source": table["authority_note"],
            "compared_with_authority": table["compared"],
            "how_compared": table["basis"],
            "period": ind.period,
            "source": ind.source,
            "licence": ind.licence,
            "method": ind.method_text,
            "ward_boundaries": ward_set or f"{area} wards",
        }
    )
    if ind.is_count:  # a count (children, households) is written as an integer where it is whole
        out = whole_counts(out, also=("value", "authority_value"))
    return with_authority(out, code, area)


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

    def styles(self, codes) -> list[tuple[int | None, str]]:
        """The class (None: no data) and fill colour of each area in ``codes``, in that order.

        The one place an area's class and colour are decided: the web map (:func:`explorer.models.webmap.
        feature_collection`) and the downloadable pictures (:mod:`explorer.models.pictures`) both draw from it, so
        the two never disagree. An area absent from ``values`` has no data.
        """
        out = []
        for code in codes:
            at = self.classes.class_of(self.values.get(code, float("nan")))
            out.append((at, NO_DATA_COLOUR if at is None else self.classes.colours[at]))
        return out


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
    shown = have.round(ind.decimals)

    def where(codes: pd.Index) -> str:
        return str(names[codes[0]]) if len(codes) == 1 else f"{len(codes)} areas jointly"

    sentence = (
        f"{ind.label} across {len(view.values)} {words}: from {with_unit(have.min(), ind)} "
        f"({where(shown.index[shown == shown.min()])}) to {with_unit(have.max(), ind)} "
        f"({where(shown.index[shown == shown.max()])})."
    )
    if view.no_data_count:
        sentence += f" {view.no_data_count} have no data."
    return sentence


def ward_html(display: pd.DataFrame, ind: Indicator, area: str = "Coventry") -> str:
    """:func:`ward_display_table` as an HTML table that fits any width (:mod:`explorer.models.tables`).

    The ward names each row; numbers are right-aligned with the unit in their headers, and the two
    limits of the 95% interval share one column.
    """
    from explorer.models.tables import Column, html_table

    shown = display.copy()
    if "95% CI lower" in shown:
        shown["95% CI"] = [lo if lo == hi == "no data" else f"{lo} to {hi}"
                           for lo, hi in zip(shown.pop("95% CI lower"), shown.pop("95% CI upper"), strict=True)]
    numeric = {"95% CI", area, "Neighbourhoods shared with another ward", "Residents (Census 2021)"}
    headers = {area: f"{area} ({ind.unit})", "95% CI": f"95% CI ({ind.unit})"}
    order = ["Ward", *(c for c in display.columns if c in shown and c != "Ward")]
    if "95% CI" in shown:
        order.insert(order.index(area), "95% CI")
    columns = [Column(c, headers.get(c, c), numeric=c in numeric or c.startswith("Value ("),
                      blank="–" if c == WHY_COLUMN else None) for c in order]  # a ward with a figure needs no why
    return html_table(shown, columns, caption=f"{ind.label}, {ind.period}: every ward")
