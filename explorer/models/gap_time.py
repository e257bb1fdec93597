"""Is the gap narrowing? What Compare and the priorities show of a series' gap over time, for any authority.

Everything here reads what the national build worked out (``gap_series.parquet``: each series' slope index of
inequality at each time with its 95% interval, PHE's ``phe_sii``, and the change from the first time to the last
judged by :func:`explorer.stats.judge.gap_change`); nothing is computed at render but words, a chart spec and a
table. The view is kept per place (:func:`explorer.places.per_place`), so a warm rerun only looks it up.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass

import pandas as pd

from explorer.models.charts import field, records, title
from explorer.models.export import sources_table, workbook
from explorer.models.text import export_csv, with_authority
from explorer.places import Place, per_place
from explorer.registry import Indicator

BAND, LINE = "#9ecae1", "#08519c"
WARDS_NOT_NEIGHBOURHOODS = ("Wards, not neighbourhoods: the publisher gives this figure for wards only, and wards "
                            "are bigger and more mixed than neighbourhoods, so a gap between wards is smaller than "
                            "the gap between neighbourhoods would be. ")
NOT_BUILT = ("The gap over time is not held yet: the national store was built before it was added. Rebuild it with "
             "`make national` (python -m explorer.pipeline.national).")


@dataclass(frozen=True)
class GapTimeView:
    """One series' gap over time for one authority: the chart, the table, the words and the rows downloaded."""

    series: str
    label: str
    chart: dict
    table: str
    sentence: str
    method: str
    rows: pd.DataFrame


@per_place
def held(place: Place) -> pd.DataFrame | None:
    """The place's gap-over-time rows (every series at every time), or None where neither source holds any.

    The national store's series (every authority) come first, then the local pack's own (``gap_series`` part,
    :mod:`explorer.pipeline.local_gap_series`: Coventry's NO2 tubes and FixMyStreet reports), read alike; None
    where the store predates the gap over time and no pack brings its own.
    """
    national = place.store.gap_series(place.code) if place.store is not None else None
    own = place.pack("gap_series").table("gap_series.csv") if place.has("gap_series") else None
    found = [frame for frame in (national, own) if frame is not None]
    if not found:
        return None
    rows = pd.concat(found, ignore_index=True) if len(found) > 1 else found[0].copy()
    if "shown_with" not in rows.columns:
        rows["shown_with"] = ""
    rows["shown_with"] = rows["shown_with"].fillna("").astype(str)
    rows["period"] = rows["period"].astype(str)  # a pack's CSV reads a year ("2011") as a number
    return rows


def series_of(place: Place, indicator: str) -> str:
    """The series an indicator belongs to (one of the series' times, or a section it is shown with), or ""."""
    rows = held(place)
    if rows is None or rows.empty:
        return ""
    shown = rows["shown_with"].str.split(";").apply(lambda keys: indicator in keys)
    mine = rows[(rows["indicator"] == indicator) | (rows["series"] == indicator) | shown]
    return "" if mine.empty else str(mine["series"].iloc[0])


def label_of(place: Place, series: str) -> str:
    """A held series' name ("Roadside nitrogen dioxide (NO2) at the council's diffusion tubes"), or ""."""
    rows = held(place)
    mine = rows[rows["series"] == series] if rows is not None else None
    return "" if mine is None or mine.empty else str(mine["label"].iloc[-1])


def _number(v: float, decimals: int) -> str:
    return "–" if pd.isna(v) else f"{v:+,.{decimals}f}".replace("-", "−")


def _plain(v: float, decimals: int) -> str:
    return "–" if pd.isna(v) else f"{v:,.{decimals}f}"


def sentence(rows: pd.DataFrame, area: str) -> str:
    """The change from the first time to the last in one or two sentences, with its rule's basis."""
    first, last = rows.iloc[0], rows.iloc[-1]
    d = int(last["decimals"])
    label = str(last["label"])
    where = (f"Between {first['period']} and {last['period']}, the gap in {label[:1].lower() + label[1:]} between "
             f"{area}'s most and least deprived {last['areas_kind']}")
    word, basis = str(last["change"]), str(last["change_basis"])
    if word == "no data":
        why = next((n for n in (last["note"], first["note"]) if isinstance(n, str) and n.startswith("No")), "")
        return f"{where} cannot be followed: {basis}. {why}".strip()
    if last["rule"] == "described":
        size = abs(abs(last["sii"]) - abs(first["sii"]))
        return (f"{where} {word} by {size:,.{d}f} {last['unit']} (slope index {_number(first['sii'], d)} to "
                f"{_number(last['sii'], d)}). Described, not judged as narrowing or widening: {last['rule_note']}.")
    return f"{where}: **{word}**. Why: {basis} (the rule is on About the data)."


def chart(rows: pd.DataFrame, unit: str, label: str) -> dict:
    """The slope index at each time, its 95% interval as a band (where one is given), periods across.

    A time with no slope index (too few areas) has no point; no value is drawn that was not worked out.
    """
    data = rows.assign(interval=[f"{_plain(lo, 2)} to {_plain(hi, 2)}" if pd.notna(lo) else "no interval"
                                 for lo, hi in zip(rows["sii_lower"], rows["sii_upper"], strict=True)])
    order = [str(p) for p in rows["period"]]
    x = field("period", "nominal", title=None, sort=order,
              axis={"labelAngle": 0, "labelOverlap": "greedy", "labelSeparation": 6, "labelLimit": 0})
    y_title = f"Slope index of inequality, most − least deprived ({unit})"
    layers = []
    if rows["sii_lower"].notna().any():
        layers.append({"mark": {"type": "area", "color": BAND, "opacity": 0.6},
                       "encoding": {"y": field("sii_lower", title=None, scale={"zero": True, "nice": True}),
                                    "y2": {"field": "sii_upper"}}})
    layers.append({"mark": {"type": "line", "point": {"filled": True, "size": 70, "color": LINE}, "color": LINE},
                   "encoding": {"y": field("sii", title=None, scale={"zero": True, "nice": True}),
                                "tooltip": [field("period", "nominal", title="Period"),
                                            field("sii", title=f"SII ({unit})", format=",.2f"),
                                            field("interval", "nominal", title="95% interval"),
                                            field("ordering", "nominal", title="Areas ordered by")]}})
    layers.append({"mark": {"type": "rule", "color": "#8c8c8c", "strokeDash": [4, 3]},
                   "encoding": {"y": {"datum": 0}}})
    return {
        "description": f"The gap in {label} over time: slope index of inequality with its 95% interval",
        "title": title(y_title),
        "height": 240,
        "data": {"values": records(data, ["period", "sii", "sii_lower", "sii_upper", "interval", "ordering"])},
        "encoding": {"x": x},
        "layer": layers,
    }


def table_html(rows: pd.DataFrame, area: str) -> str:
    """Each time: the most and least deprived fifths, the slope index with its interval, the areas and ordering."""
    from explorer.models.tables import Column, html_table

    d = int(rows["decimals"].iloc[0])
    unit = str(rows["unit"].iloc[0])
    shown = pd.DataFrame({
        "period": rows["period"],
        "about": [f"{k} {a} ordered by {o}" for k, a, o in zip(rows["areas"], rows["areas_kind"], rows["ordering"],
                                                                strict=True)],
        "most": [_plain(v, d) for v in rows["most_deprived"]],
        "least": [_plain(v, d) for v in rows["least_deprived"]],
        "sii": [_number(v, d) if pd.notna(v) else "not given" for v in rows["sii"]],
        "ci": ["–" if pd.isna(lo) else f"{_number(lo, d)} to {_number(hi, d)}"
               for lo, hi in zip(rows["sii_lower"], rows["sii_upper"], strict=True)],
        "note": rows["note"].fillna(""),
    })
    columns = [Column("period", "Period", sub="about"), Column("most", f"Most deprived fifth ({unit})", numeric=True),
               Column("least", f"Least deprived fifth ({unit})", numeric=True),
               Column("sii", f"SII, most − least ({unit})", numeric=True), Column("ci", "95% interval", numeric=True)]
    return html_table(shown, columns, details="note", missing_words="–",
                      caption=f"The gap in {rows['label'].iloc[0]} in {area} at each time")


def method_words(rows: pd.DataFrame, paper: bool = False) -> str:
    """How the figures are made and where they come from, for the caption.

    With ``paper``, for a picture of the chart: no table stands beside it to name the areas.
    """
    last = rows.iloc[-1]
    if last["shown_with"]:  # a pack's own series: its method says what its areas and fifths are
        return f"{last['method']}. Signs: the most deprived end minus the least deprived end. Source: {last['source']}."
    named = "" if paper else " (named in the table)"
    return (f"Each time: {area_words(last)} ordered by deprivation{named} and cut into fifths of about "
            "equal numbers of residents; the slope index of inequality (SII) is PHE's phe_sii, a population-weighted "
            "line through the fifths, given here as the most deprived end minus the least deprived end, with its 95% "
            "interval from 100,000 simulations where the fifths have intervals. "
            f"{WARDS_NOT_NEIGHBOURHOODS if last['areas_kind'] == 'wards' else ''}Source: {last['source']}.")


def area_words(row) -> str:
    """What a series' areas are, in words."""
    return "the authority's May 2025 wards" if row["areas_kind"] == "wards" else "the authority's 2011 MSOAs"


@per_place
def gap_over_time(place: Place, series: str) -> GapTimeView | None:
    """The view of one series for the place, or None where the store holds no such series for it."""
    rows = held(place)
    if rows is None:
        return None
    rows = rows[rows["series"] == series].sort_values("order", ignore_index=True)
    if rows.empty:
        return None
    label = str(rows["label"].iloc[-1])
    return GapTimeView(series=series, label=label, chart=chart(rows, str(rows["unit"].iloc[0]), label),
                       table=table_html(rows, place.name), sentence=sentence(rows, place.name),
                       method=method_words(rows), rows=rows)


EXPORT_COLUMNS = {"geography": "Geography", "label": "Indicator", "period": "Period", "unit": "Unit",
                  "areas_kind": "Areas", "areas": "Areas with a value", "ordering": "Areas ordered by",
                  "most_deprived": "Most deprived fifth", "least_deprived": "Least deprived fifth",
                  "gap": "Gap, most − least deprived fifth", "sii": "Slope index of inequality (most − least)",
                  "sii_lower": "SII 95% lower", "sii_upper": "SII 95% upper", "change": "Change, first to last",
                  "change_basis": "Why (the rule on About the data)", "method": "Method", "source": "Source",
                  "note": "Why a figure is empty"}


def export_frame(view: GapTimeView, area: str, code: str = "") -> pd.DataFrame:
    """The rows downloaded: geography, period, unit, ordering, method and source beside every figure.

    With the authority's ``code``, its code and name end every row.
    """
    out = view.rows.assign(geography=area)
    out = out[list(EXPORT_COLUMNS)].copy()
    numeric = out.select_dtypes(include="number").columns
    out[numeric] = out[numeric].round(6)
    return with_authority(out, code, area)


def gap_time_csv(view: GapTimeView, area: str, code: str = "") -> bytes:
    """The gap over time as CSV (UTF-8 with a byte-order mark, CRLF, formulas neutralised)."""
    return export_csv(export_frame(view, area, code))


def gap_time_workbook(view: GapTimeView, area: str, registry: Mapping[str, Indicator],
                      manifest: pd.DataFrame | None = None, today: dt.date | None = None,
                      publisher: str = "", code: str = "") -> bytes:
    """The gap over time as .xlsx: the table, its sources and notes (the rule and how the figures are made)."""
    shown = [registry[k] for k in dict.fromkeys(view.rows["indicator"]) if k in registry]
    return workbook(export_frame(view, area, code), sheet="Gap over time", headers=EXPORT_COLUMNS,
                    sources=sources_table(shown, manifest), notes=[view.method, view.sentence.replace("**", "")],
                    today=today, area=area, publisher=publisher)


def rule_lines(place: Place) -> list[str]:
    """Each series held over time for the place: its name, times, rule and why the rule fits (for About)."""
    rows = held(place)
    if rows is None or rows.empty:
        return []
    out = []
    for _, part in rows.sort_values("order").groupby("series", sort=False):
        first, last = part.iloc[0], part.iloc[-1]
        how = ("described, never judged" if last["rule"] == "described" else
               "judged narrowing, widening or no clear change by the gap-over-time rule")
        out.append(f"{last['label']} ({last['unit']}), {first['period']} to {last['period']}, "
                   f"{last['areas_kind']} ordered by {last['ordering']}: {how}. {last['rule_note']}.")
    return out


def held_words(place: Place) -> list[str]:
    """Each series held over time in a few words: its label, areas, and how many times from when to when."""
    rows = held(place)
    if rows is None or rows.empty:
        return ["nothing"]
    return [f"{part['label'].iloc[-1]} ({part['areas_kind'].iloc[0]}, {len(part)} times from {part['period'].iloc[0]} "
            f"to {part['period'].iloc[-1]})" for _, part in rows.sort_values("order").groupby("series", sort=False)]


@per_place
def gap_picture(place: Place, series: str):
    """The gap-over-time chart as a picture (PNG and SVG), with how its figures are made and their source under it."""
    from explorer.models.pictures import chart_picture

    view = gap_over_time(place, series)
    return chart_picture(view.chart, heading=f"The gap in {view.label} in {place.name} over time",
                         notes=[method_words(view.rows, paper=True)], publisher=place.publisher)
