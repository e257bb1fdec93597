"""Two wards side by side, and deprivation against a second indicator (bivariate classes)."""

from __future__ import annotations

import math
import warnings

import mapclassify
import numpy as np
import pandas as pd

from explorer.models.citymap import with_unit
from explorer.registry import Indicator
from explorer.stats.judge import between

# Joshua Stevens' 3x3 green-blue bivariate scheme (rows: deprivation low->high; columns: second indicator
# low->high). Hue and lightness both change, so it stays readable with common colour-vision deficiencies.
BIVARIATE = (
    ("#e8e8e8", "#b5c0da", "#6c83b5"),
    ("#b8d6be", "#909eb4", "#567994"),
    ("#73ae80", "#5a9178", "#2a5a5b"),
)
THIRDS = ("low", "middle", "high")


def difference_text(diff: float, ind: Indicator) -> str:
    """The size of a difference in the indicator's unit (percentage points for percentages)."""
    if math.isnan(diff):
        return "no data"
    if ind.unit.startswith("%"):
        return f"{abs(diff):,.{ind.decimals}f} percentage points"
    return with_unit(abs(diff), ind)


def ward_rows(values: pd.DataFrame) -> dict[str, dict[str, tuple[float, float, float]]]:
    """Every ward's (value, lower, upper) by indicator id and ward code, read from the values table once."""
    wards = values[values["geography"] == "ward"]
    out: dict[str, dict[str, tuple[float, float, float]]] = {}
    for key, code, *row in zip(wards["indicator"], wards["code"], wards["value"], wards["lower"], wards["upper"],
                               strict=True):
        out.setdefault(key, {}).setdefault(code, tuple(row))
    return out


def two_wards(
    a: str, b: str, registry: dict[str, Indicator], values: pd.DataFrame, names: dict[str, str],
    rows_by_ward: dict[str, dict[str, tuple[float, float, float]]] | None = None,
) -> pd.DataFrame:
    """Every ward-level indicator for wards ``a`` and ``b``, their difference and which is better.

    "Which is better" follows the "two areas" rule of :mod:`explorer.stats.judge`. ``rows_by_ward`` is
    :func:`ward_rows`, when already worked out (a page building many pairs reads the values once).
    """
    rows_by_ward = rows_by_ward if rows_by_ward is not None else ward_rows(values)
    rows = []
    nan = (math.nan, math.nan, math.nan)
    for ind in registry.values():
        if not ind.on_ward_map:
            continue
        own = rows_by_ward.get(ind.id, {})
        ra, rb = own.get(a, nan), own.get(b, nan)
        verdict = between(ra, rb, polarity=ind.polarity, judged=ind.is_judged, names=(names[a], names[b]),
                          decimals=ind.decimals)
        rows.append({"theme": ind.theme, "label": ind.label, "a": with_unit(ra[0], ind), "b": with_unit(rb[0], ind),
                     "difference": difference_text(ra[0] - rb[0], ind),
                     "direction": verdict.word, "basis": verdict.basis, "period": ind.period,
                     "a_value": ra[0], "b_value": rb[0], "id": ind.id, "unit": ind.unit, "decimals": ind.decimals})
    return pd.DataFrame(rows)


def default_indicator(registry: dict[str, Indicator], values: pd.DataFrame) -> str:
    """The indicator Compare opens on: an outcome set against deprivation, chosen from the registry.

    It is the first ward-level indicator that is not part of a deprivation index (its ``ordering_family``
    is empty), is not a bare count (no gap is worked out for counts) and has ward values, so the page never
    opens on deprivation plotted against itself. Falls back to the first ward-level indicator.

    Examples
    --------
    >>> from explorer import paths
    >>> from explorer.pipeline import store
    >>> from explorer.registry import load_registry
    >>> default_indicator(load_registry(paths.data_dir() / "registry" / "indicators.csv"),
    ...                   store.read_table(paths.processed_dir(), "values.csv"))
    'le_male'
    """
    have = set(values.loc[values["geography"] == "ward", "indicator"].dropna())
    on_map = [ind for ind in registry.values() if ind.on_ward_map]
    for ind in on_map:
        if not ind.ordering_family and ind.method not in ("count",) and ind.id in have:
            return ind.id
    return on_map[0].id


def pair_frame(pair: pd.DataFrame) -> pd.DataFrame:
    """The two-ward table as printed: numbers without units (each row's unit and period under its name).

    A difference between two percentages is in percentage points ("points").
    """
    from explorer.models.profile import number_text

    places = pair["decimals"].astype(int)
    diff = (pair["a_value"] - pair["b_value"]).abs()
    return pd.DataFrame({
        "theme": pair["theme"], "label": pair["label"], "about": pair["unit"] + " · " + pair["period"],
        "a": [number_text(v, d) for v, d in zip(pair["a_value"], places, strict=True)],
        "b": [number_text(v, d) for v, d in zip(pair["b_value"], places, strict=True)],
        "difference": [number_text(v, d) + (" points" if u.startswith("%") and not pd.isna(v) else "")
                       for v, d, u in zip(diff, places, pair["unit"], strict=True)],
        "direction": pair["direction"], "period": pair["period"], "basis": pair["basis"],
    })


def pair_html(pair: pd.DataFrame, name_a: str, name_b: str) -> tuple[str, str]:
    """The two-ward table and its details (period and how each row is judged) as HTML tables."""
    from explorer.models.tables import Column, html_table

    shown = pair_frame(pair)
    b_header = name_b if name_b != name_a else f"{name_b} (again)"
    columns = [Column("label", "Indicator", sub="about"), Column("a", name_a, numeric=True),
               Column("b", b_header, numeric=True), Column("difference", "Difference", numeric=True),
               Column("direction", "Which is better")]
    table = html_table(shown, columns, group="theme", caption=f"Every indicator for {name_a} and {name_b}")
    method = html_table(shown, [Column("label", "Indicator"), Column("period", "Period"),
                                Column("basis", "How the difference is judged")], group="theme",
                        caption=f"Period and how each difference between {name_a} and {name_b} is judged")
    return table, method


def pair_sentence(pair: pd.DataFrame, name_a: str, name_b: str) -> str:
    """How many indicators favour each ward (by the "two areas" rule), in words; the counts always add up.

    Examples
    --------
    >>> pair = pd.DataFrame({"direction": ["better in A", "higher in B", "no clear difference", "higher in A"],
    ...                      "basis": ["95% interval of the difference excludes zero"] * 2
    ...                               + ["95% interval of the difference includes zero", "no confidence interval"]})
    >>> pair_sentence(pair, "A", "B")  # doctest: +NORMALIZE_WHITESPACE
    'Of the 3 indicators with confidence intervals, A is significantly better on 1, B on 0, and 1 shows no clear
    difference; 1 is clearly higher in one ward but not called better or worse (no direction is better). The
    other 1 has no interval, so its difference is given but not judged.'
    """
    if name_a == name_b:
        return f"{name_a} was chosen twice: choose two different wards to compare them."
    # A ward no neighbourhood is assigned to (ONS's best fit: most of the City of London's) has no figures at all.
    empty = [name for name, column in ((name_a, "a_value"), (name_b, "b_value"))
             if column in pair and pair[column].isna().all()]
    if empty:
        return f"No figures are held for {' or '.join(empty)}, so nothing is compared."
    with_ci = pair["basis"].str.contains("interval of the difference")
    n, others = int(with_ci.sum()), int((~with_ci).sum())
    if n == 0:
        return ("No indicator has a confidence interval for both wards here, so differences are given but none is "
                "called better or worse.")
    better_a = int(pair["direction"].eq(f"better in {name_a}").sum())
    better_b = int(pair["direction"].eq(f"better in {name_b}").sum())
    unclear = int(pair["direction"].eq("no clear difference").sum())
    text = (f"Of the {n} indicators with confidence intervals, {name_a} is significantly better on {better_a}, "
            f"{name_b} on {better_b}, and {unclear} {'shows' if unclear == 1 else 'show'} no clear difference")
    undirected = n - better_a - better_b - unclear
    if undirected:
        text += (f"; {undirected} {'is' if undirected == 1 else 'are'} clearly higher in one ward but not called "
                 "better or worse (no direction is better)")
    if others:
        text += (f". The other {others} {'has' if others == 1 else 'have'} no interval, so "
                 f"{'its difference is' if others == 1 else 'their differences are'} given but not judged")
    return text + "."


def tertiles(values: pd.Series) -> pd.Series:
    """0, 1 or 2 for the lower, middle and upper third of the non-missing values (NaN stays NaN)."""
    have = values.dropna()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        bins = mapclassify.Quantiles(have.to_numpy(float), k=3).bins
    out = pd.Series(np.searchsorted(bins, have.to_numpy(float), side="left"), index=have.index).clip(upper=2)
    return out.reindex(values.index)


def bivariate(deprivation: pd.Series, other: pd.Series, other_polarity: str) -> pd.DataFrame:
    """Bivariate classes: deprivation third, the other indicator's third, and the colour.

    The other indicator's thirds run from better to worse, so the darkest corner is
    always "most deprived and worst" (for an indicator with no polarity: highest).
    """
    d = tertiles(deprivation)
    o = tertiles(other)
    if other_polarity == "higher_is_better":
        o = 2 - o
    frame = pd.DataFrame({"dep": d, "other": o})
    frame["colour"] = [
        BIVARIATE[int(x)][int(y)] if not (pd.isna(x) or pd.isna(y)) else None
        for x, y in zip(frame["dep"], frame["other"], strict=True)
    ]
    return frame


def bivariate_sentence(frame: pd.DataFrame, other: Indicator, areas: str) -> str:
    """How many areas are in the most deprived third and the worst third of the other indicator."""
    both = int(((frame["dep"] == 2) & (frame["other"] == 2)).sum())
    neither = int(((frame["dep"] == 0) & (frame["other"] == 0)).sum())
    worst = "highest" if other.polarity == "neither" else "worst"
    best = "lowest" if other.polarity == "neither" else "best"
    return (
        f"{both} of {len(frame)} {areas} are both in the most deprived third and the {worst} third for "
        f"{other.label}; {neither} are in the least deprived third and the {best} third."
    )


def bivariate_legend_html(dep_label: str, other: Indicator, counts: pd.DataFrame) -> str:
    """A 3x3 legend grid with words on both axes and the number of areas in each cell."""
    import html

    worse = "higher" if other.polarity == "neither" else "worse"
    cells = []
    for row in range(2, -1, -1):
        for col in range(3):
            n = int(((counts["dep"] == row) & (counts["other"] == col)).sum())
            text_colour = "#fff" if (row + col) >= 3 else "#111"
            cells.append(
                f'<div class="bv" style="background:{BIVARIATE[row][col]};color:{text_colour}" '
                f'title="{THIRDS[row]} deprivation, {THIRDS[col]} {html.escape(other.label)}">{n}</div>'
            )
    return (
        '<div class="bvl" role="group" aria-label="Bivariate legend">'
        f'<div class="bvy">{html.escape(dep_label)} →<br>more deprived</div>'
        f'<div class="bvg">{"".join(cells)}</div>'
        f'<div class="bvx">{html.escape(other.label)} → {worse}</div></div>'
        "<style>.bvl{display:grid;grid-template-columns:6.5rem auto;gap:.3rem;align-items:center;font-size:.85rem}"
        ".bvg{display:grid;grid-template-columns:repeat(3,2.6rem);grid-auto-rows:2.6rem;border:1px solid #333;"
        "width:max-content}"
        ".bv{display:flex;align-items:center;justify-content:center;font-weight:600;forced-color-adjust:none}"
        ".bvx{grid-column:2}.bvy{text-align:right}</style>"
    )


def scatter_notes(ind: Indicator, imd: Indicator) -> str:
    """What to bear in mind reading an indicator against IMD 2025: circularity and a mismatch of periods."""
    notes = []
    if ind.ordering_family == "imd25":
        notes.append(f"{ind.label} is part of IMD 2025 itself, so the two are bound to move together.")
    if ind.period != imd.period:
        notes.append(f"The two are from different periods ({ind.period}; IMD 2025: {imd.period}), so the chart "
                     "compares places, not the same moment.")
    return " ".join(notes)


def correlation_sentence(x: pd.Series, y: pd.Series, ind: Indicator) -> str:
    """Spearman's rank correlation across the wards with a value, in words, by a stated rule.

    Strength words: strong at 0.7 or more (either sign), moderate from 0.4, weak below (a stated rule, as many
    public-health analysts use; with 18 wards, the 95% interval of a correlation is wide).
    """
    both = pd.concat([x, y], axis=1, keys=["x", "y"]).dropna()
    if len(both) < 3:
        return f"Too few wards have both figures to describe how {ind.label} varies with deprivation."
    rho = both["x"].corr(both["y"], method="spearman")
    if pd.isna(rho):
        return f"{ind.label} does not vary across the wards with a value, so there is no correlation to describe."
    strength = "strong" if abs(rho) >= 0.7 else "moderate" if abs(rho) >= 0.4 else "weak"
    direction = "" if abs(rho) < 0.4 else f", {'higher' if rho > 0 else 'lower'} with more deprivation"
    return (f"Across the {len(both)} wards with both figures the rank correlation between deprivation and "
            f"{ind.label} is {rho:.2f} ({strength}{direction}; strong means 0.7 or more, moderate 0.4 or more).")
