"""The pages' charts as Vega-Lite specs: plain dicts, written once per ward, indicator or series.

Altair checks every chart it builds against Vega-Lite's JSON schema, which cost 20-350 ms a chart
and most of a ward profile's rerun (measured with py-spy and cProfile). These specs are written as
the dicts Vega-Lite reads, in well under a millisecond, and checked against the same schema
(the one Altair ships) by ``tests/test_charts.py`` instead of on every build. ``pages/_cache.py``
keeps each one and the pages pass it to ``st.vega_lite_chart``. A spec is shared by every visitor:
treat it as read-only (:func:`with_chosen` returns a new one).

Every chart reads at any width: the unit is a horizontal title above the plot, in full and wrapped
(a long vertical axis title once squeezed a chart flat), category labels are horizontal (hidden
where they would overlap, never rotated), and nothing that carries meaning is cut.
"""

from __future__ import annotations

import math
import textwrap
from collections.abc import Iterable, Sequence

import pandas as pd

from explorer.stats.judge import MARKERS, SYMBOLS

TITLE_CHARS = 44  # a title line this long fits a phone (390 px) and a narrow page column at 1366 px
CHOSEN = "chosen"  # the scatter's parameter holding the names of the two chosen wards
HIGHLIGHT, OTHER = "#d55e00", "#5a8a8b"  # Okabe-Ito vermillion for the chosen wards; muted teal for the rest
INK = "#262730"


def lines(text: str, width: int = TITLE_CHARS) -> list[str]:
    """Text broken into lines of at most ``width`` characters, for a title that must never be cut.

    Examples
    --------
    >>> lines("neighbourhoods (LSOAs) in England's most deprived 10%", 30)
    ['neighbourhoods (LSOAs) in', "England's most deprived 10%"]
    """
    return textwrap.wrap(text, width) or [""]


def title(unit: str) -> dict:
    """The unit as a chart title: above the plot, left-aligned, horizontal, every word shown."""
    return {"text": lines(unit), "anchor": "start", "fontSize": 13, "fontWeight": "normal", "color": INK,
            "offset": 8}


def records(frame: pd.DataFrame, columns: Iterable[str]) -> list[dict]:
    """Rows as JSON-ready dicts: numbers as Python floats, a missing value as None (Vega's null).

    Examples
    --------
    >>> records(pd.DataFrame({"a": [1.5, float("nan")], "b": ["x", "y"]}), ["a", "b"])
    [{'a': 1.5, 'b': 'x'}, {'a': None, 'b': 'y'}]
    """
    def plain(value):
        if value is None or value is pd.NA or (isinstance(value, float) and math.isnan(value)):
            return None
        if hasattr(value, "item"):  # numpy scalars
            value = value.item()
            return None if isinstance(value, float) and math.isnan(value) else value
        return value

    keys = list(columns)
    return [{key: plain(value) for key, value in zip(keys, row, strict=True)}
            for row in zip(*(frame[key].tolist() for key in keys), strict=True)]


def field(name: str, kind: str = "quantitative", **more) -> dict:
    """An encoding channel on a data field."""
    return {"field": name, "type": kind, **more}


def spine(positions: pd.DataFrame, ward_name: str, area: str = "Coventry") -> dict:
    """Fingertips-style spine chart of one ward: a row per indicator, its label above its bar.

    Parameters
    ----------
    positions : DataFrame
        :func:`explorer.models.profile.spine_frame`: positions (``ward``, ``worst``, ``best``, ``q_lo``, ``q_hi``
        between 0 and 1, the authority at 0.5), ``label``, ``value_text`` and ``judgement`` (word and symbol).
    ward_name : str
        For the chart's description.
    area : str
        The authority's name, what the ward is compared with (default Coventry).

    Each label is written above its bar across the whole width, so on a phone the bars are not squeezed
    by a column of labels; the marker's shape and colour say the judgement, as the legend shows.
    """
    shown = set(positions.dropna(subset=["ward"])["judgement"])
    present = [w for w in MARKERS if f"{SYMBOLS.get(w, '–')} {w}" in shown]
    words = [f"{SYMBOLS.get(w, '–')} {w}" for w in present]
    y = field("label", "nominal", sort=list(positions["label"]), axis=None,
              scale={"paddingInner": 0, "paddingOuter": 0})
    x = field("worst", scale={"domain": [0, 1]}, axis=None)
    band = {"type": "rule", "strokeWidth": 8, "yOffset": 5}
    judged = {"domain": words}
    return {
        "description": f"Spine chart of {len(positions)} indicators for {ward_name} against the range of "
                       f"{area}'s wards",
        "data": {"values": records(positions, ["label", "ward", "worst", "best", "q_lo", "q_hi", "value_text",
                                               "judgement"])},
        "height": {"step": 38},
        "layer": [
            {"mark": {**band, "color": "#bdbdbd"}, "encoding": {"y": y, "x": x, "x2": {"field": "best"}}},
            {"mark": {**band, "color": "#737373"},
             "encoding": {"y": y, "x": field("q_lo"), "x2": {"field": "q_hi"}}},
            {"mark": {"type": "rule", "color": "#000000", "strokeDash": [4, 2], "aria": False},
             "encoding": {"x": {"datum": 0.5}}},
            {"mark": {"type": "text", "align": "left", "baseline": "bottom", "dy": -2, "fontSize": 12, "color": INK,
                      "limit": {"expr": "width"}},
             "encoding": {"y": y, "x": {"datum": 0}, "text": {"field": "label"}}},
            {"transform": [{"filter": "isValid(datum.ward)"}],
             "mark": {"type": "point", "filled": True, "size": 110, "stroke": "#000000", "yOffset": 5},
             "encoding": {
                 "y": y, "x": field("ward"),
                 "shape": field("judgement", "nominal", title=f"Compared with {area}",
                                scale={**judged, "range": [MARKERS[w][0] for w in present]}),
                 "color": field("judgement", "nominal", title=f"Compared with {area}",
                                scale={**judged, "range": [MARKERS[w][1] for w in present]}),
                 "tooltip": [field("label", "nominal", title="Indicator"),
                             field("value_text", "nominal", title="This ward"),
                             field("judgement", "nominal", title=f"Compared with {area}")]}},
        ],
        "config": {"view": {"stroke": None},
                   "legend": {"orient": "top", "direction": "horizontal", "columns": 2, "labelLimit": 0,
                              "titleLimit": 0, "symbolSize": 140, "symbolStrokeWidth": 0.75, "labelFontSize": 12,
                              "titleFontSize": 12}},
    }


def trend(wide: pd.DataFrame, unit: str, name: str) -> dict:
    """A city series over time: a line per area, the unit as a title above, periods across.

    Parameters
    ----------
    wide : DataFrame
        :func:`explorer.models.series.series_table`: a row per period, a column per area.
    unit : str
        The series' unit (the y axis), written above the plot in full.
    name : str
        The series' title, for the chart's description.

    A series of whole numbers (counts, ranks) gets whole-number ticks; the y axis starts near the data,
    not at zero, and always has labelled ticks.
    """
    long = wide.reset_index().melt(id_vars="period", var_name="area", value_name="value").dropna(subset=["value"])
    whole = bool(long["value"].map(float.is_integer).all())
    ticks = {"format": ",d", "tickMinStep": 1} if whole else {"format": ",~f"}  # 2,400 and 76.5, not 2,400.0
    legend = {"orient": "top", "labelLimit": 0} if wide.shape[1] > 1 else None  # one line needs no key
    return {
        "description": f"Trend: {name}",
        "title": title(unit),
        "height": 220,
        "data": {"values": records(long, ["period", "area", "value"])},
        "mark": {"type": "line", "point": True},
        "encoding": {
            "x": field("period", "nominal", title=None, sort=[str(p) for p in wide.index],
                       axis={"labelAngle": 0, "labelOverlap": "greedy", "labelSeparation": 6, "labelLimit": 0}),
            "y": field("value", title=None, scale={"zero": False, "nice": True}, axis={"labelLimit": 0, **ticks}),
            "color": field("area", "nominal", title=None, legend=legend),
            "strokeDash": field("area", "nominal", title=None, legend=legend),
            "tooltip": [field("period", "nominal", title="Period"), field("area", "nominal", title="Area"),
                        field("value", title=unit, format=",d" if whole else ",.1f")],
        },
    }


def groups(table: pd.DataFrame, unit: str, n: int, group_words: str) -> dict:
    """Each deprivation group's value with its 95% interval, most deprived (1) on the left.

    ``table`` is :func:`explorer.stats.inequality.quantile_table` (quantile, value, lower, upper); ``group_words``
    says what the groups are ("Fifths"). The x labels are the group numbers, horizontal; the axis title
    says which end is which.
    """
    data = table.assign(quantile=table["quantile"].astype(int))
    x = field("quantile", "ordinal", title=lines(f"{group_words} of residents: 1 = most deprived, {n} = least "
                                                 "deprived", 60), axis={"labelAngle": 0, "titleFontWeight": "normal"})
    number = {"format": ",.2f"}
    return {
        "description": f"{unit} in each of {n} deprivation groups with 95% confidence intervals",
        "title": title(unit),
        "height": 240,
        "data": {"values": records(data, ["quantile", "value", "lower", "upper"])},
        "encoding": {"x": x},
        "layer": [
            {"mark": {"type": "errorbar", "ticks": {"size": 14, "thickness": 1.5}, "thickness": 1.5,
                      "color": "#2a5a5b"},
             "encoding": {"y": field("lower", title=None, scale={"zero": False}), "y2": {"field": "upper"}}},
            {"mark": {"type": "point", "filled": True, "size": 120, "color": "#2a5a5b"},
             "encoding": {"y": field("value", title=None),
                          "tooltip": [field("quantile", "ordinal", title="Group"),
                                      field("value", title=unit, **number),
                                      field("lower", title="95% CI lower", **number),
                                      field("upper", title="95% CI upper", **number)]}},
        ],
    }


def scatter(points: pd.DataFrame, x_title: str, unit: str, label: str, area: str = "Coventry") -> dict:
    """Wards by deprivation (across) and an indicator (up); the two chosen wards are marked and named.

    ``points`` has ``name``, ``x`` and ``y``. Which wards are chosen is the spec's ``chosen``
    parameter, set per view by :func:`with_chosen`, so the spec is written once per indicator. Only
    the chosen wards are named (eighteen names overlapped) and drawn as large diamonds in their own
    colour (shape and size as well as colour); every dot has a tooltip.
    """
    chosen = f"indexof({CHOSEN}, datum.name) >= 0"

    def either(yes, no) -> dict:
        return {"condition": {"test": chosen, "value": yes}, "value": no}

    axis_x = field("x", title=lines(x_title, 70), scale={"zero": False}, axis={"titleFontWeight": "normal"})
    axis_y = field("y", title=None, scale={"zero": False})
    return {
        "description": f"Scatter of {area}'s wards: {label} against deprivation",
        "title": title(unit),
        "height": 340,
        "params": [{"name": CHOSEN, "value": []}],
        "data": {"values": records(points.dropna(subset=["x", "y"]), ["name", "x", "y"])},
        "encoding": {"x": axis_x, "y": axis_y},
        "layer": [
            {"mark": {"type": "point", "filled": True, "opacity": 0.9},
             "encoding": {"color": either(HIGHLIGHT, OTHER), "shape": either("diamond", "circle"),
                          "size": either(220, 70), "stroke": either("#000000", OTHER),
                          "tooltip": [field("name", "nominal", title="Ward"),
                                      field("x", title="IMD 2025 score", format=".1f"),
                                      field("y", title=unit, format=",.2f")]}},
            {"transform": [{"filter": chosen}],
             "mark": {"type": "text", "align": "left", "dx": 9, "dy": -9, "fontSize": 13, "fontWeight": "bold",
                      "color": "#000000"},
             "encoding": {"text": {"field": "name"}}},
        ],
    }


def with_chosen(spec: dict, names: Sequence[str]) -> dict:
    """A :func:`scatter` spec with ``names`` marked; the shared spec is left as it was."""
    params = [dict(p, value=list(names)) if p.get("name") == CHOSEN else p for p in spec.get("params", [])]
    return {**spec, "params": params}
