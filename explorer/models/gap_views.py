"""The gaps in words and tables: what :mod:`explorer.stats.gaps` finds, as the compare page prints it."""

from __future__ import annotations

import math

import pandas as pd

from explorer.registry import Indicator
from explorer.stats.gaps import QUANTILE_WORDS, GapResult


def _with_unit(value: float, ind: Indicator) -> str:
    from explorer.models.citymap import with_unit

    return with_unit(value, ind)


def too_few(result: GapResult) -> bool:
    """Whether fewer groups than asked for have a value (too few areas to split): then nothing is compared."""
    return int(result.table["value"].notna().sum()) < result.n


def residents_words(result: GapResult) -> str:
    """How many residents the groups hold, in words: whole areas make groups of about, not exactly, equal size.

    Examples
    --------
    >>> t = pd.DataFrame({"population": [29333.0, 38625.0], "areas": [3, 5]})
    >>> words = residents_words(GapResult(t, None, 0.0, 0.0, "MSOAs", "IMD", 2))
    >>> words.startswith("whole MSOAs go into each group"), words.endswith("not exactly equal: 29,333 to 38,625")
    (True, True)
    """
    pop = result.table["population"]
    return (f"whole {result.units} go into each group, so the groups hold about equal numbers of residents, not "
            f"exactly equal: {pop.min():,.0f} to {pop.max():,.0f}")


def explain(result: GapResult, ind: Indicator, area: str = "Coventry") -> str:
    """The method and the finding in words a non-statistician can follow.

    Differences are stated as the most deprived end against the least deprived end, with "higher" or
    "lower" rather than a sign. Where the areas with a value cannot fill every group (the Isles of Scilly and
    the City of London have one MSOA each) that is all it says.
    """
    areas = int(result.table["areas"].sum())
    if too_few(result):
        return (f"Only {areas} of {area}'s {result.units} {'has' if areas == 1 else 'have'} a value: too few to split "
                f"into {QUANTILE_WORDS.get(result.n, f'{result.n} groups')} of about equal numbers of residents, so "
                "no gap, slope index or relative index is given.")
    first, last = result.table["value"].iloc[0], result.table["value"].iloc[-1]
    group = QUANTILE_WORDS.get(result.n, f"{result.n} groups").split(" ")[0][:-1]  # "fifth" / "tenth"
    text = (
        f"{area}'s {areas} {result.units} were ranked by {result.ordering} and split into "
        f"{QUANTILE_WORDS.get(result.n, f'{result.n} groups')}: {residents_words(result)}. "
        f"Most deprived {group}: {_with_unit(first, ind)}; least deprived {group}: {_with_unit(last, ind)} "
        f"({_difference(result.absolute, ind)} in the most deprived). "
    )
    s = result.slope
    if s is None:
        return text + f"No slope index is given. {result.no_slope}"
    if math.isnan(s.sii_lower):
        text += (f"Fitting a line through every group (the slope index of inequality), the most deprived end is "
                 f"{_difference(-s.sii, ind)} than the least deprived; no 95% interval is given because "
                 f"{s.why_no_interval}.")
    else:
        low, high = sorted((-s.sii_upper, -s.sii_lower))
        if low <= 0 <= high:
            return text + (
                "Fitting a line through every group (the slope index of inequality) finds no clear gradient: "
                f"the 95% confidence interval ({_signed(low, ind)} to {_signed(high, ind)}) includes zero.")
        text += (
            "Fitting a line through every group, not only the two ends (the slope index of inequality), the most "
            f"deprived end of {area} is {_difference(-s.sii, ind)} than the least deprived "
            f"(95% CI {_with_unit(min(abs(low), abs(high)), ind)} to {_with_unit(max(abs(low), abs(high)), ind)}).")
    if math.isnan(s.rii):
        return text + f" No relative index is given: {s.why_no_rii}."
    interval = "" if math.isnan(s.rii_lower) else f", 95% CI {s.rii_lower:.3f} to {s.rii_upper:.3f}"
    return text + (f" The relative index of inequality (PHE's phe_sii: the fitted value at the least deprived end "
                   f"divided by that at the most deprived end) is {s.rii:.3f}{interval}.")


def _signed(value: float, ind: Indicator) -> str:
    return ("−" if value < 0 else "") + _with_unit(abs(value), ind)


def _difference(most_minus_least: float, ind: Indicator) -> str:
    if most_minus_least == 0:
        return "no difference"
    word = "higher" if most_minus_least > 0 else "lower"
    from explorer.models.compare import difference_text

    return f"{difference_text(most_minus_least, ind)} {word}"


def gap_display(summary: pd.DataFrame) -> pd.DataFrame:
    """The gap table as printed: each figure with its interval in one cell, blanks explained, never "nan".

    Columns: Indicator, Period, About (period, source and what the areas were ordered by), Most deprived, Least
    deprived, Gap (most − least), SII (most − least, 95% CI), RII (least ÷ most, 95% CI), Note. A figure given
    without its interval says so in its cell, and the note says why.
    """
    def number(v: float, places: int = 2) -> str:
        return "–" if pd.isna(v) else f"{v:,.{places}f}".replace("-", "−")

    def interval(v: float, lo: float, hi: float, places: int) -> str:
        if pd.isna(v):
            return "not given"
        return number(v, places) + (" (no 95% CI: see the note)" if pd.isna(lo)
                                    else f" ({number(lo, places)} to {number(hi, places)})")

    return pd.DataFrame({
        "Indicator": summary["label"] + " (" + summary["unit"] + ")",
        "Period": summary["period"],
        "About": [about_row(*r) for r in zip(summary["period"], _column(summary, "source"),
                                             _column(summary, "areas"), _column(summary, "ordering"), strict=True)],
        "Most deprived": summary["most_deprived"].map(number),
        "Least deprived": summary["least_deprived"].map(number),
        "Gap (most − least)": summary["gap"].map(number),
        "SII (most − least, 95% CI)": [interval(*r, 2) for r in zip(summary["sii"], summary["sii_lower"],
                                                                        summary["sii_upper"], strict=True)],
        "RII (least ÷ most, 95% CI)": [interval(*r, 3) for r in zip(summary["rii"], summary["rii_lower"],
                                                                       summary["rii_upper"], strict=True)],
        "Note": summary["note"].fillna(""),
    })


def _column(summary: pd.DataFrame, key: str) -> pd.Series:
    """A column of the summary as text ("" where missing, or where the summary has no such column)."""
    if key not in summary:
        return pd.Series("", index=summary.index)
    return summary[key].map(lambda v: v if isinstance(v, str) else "")


def about_row(period: str, source: str, areas: str, ordering: str) -> str:
    """A gap row's period, source and how its areas were ordered, in one line.

    Examples
    --------
    >>> about_row("April 2020", "ONS", "2011 neighbourhoods (LSOAs)", "IMD 2019 rank")
    'April 2020 · ONS · 2011 neighbourhoods (LSOAs) ordered by IMD 2019 rank'
    """
    parts = [period, source] + ([f"{areas} ordered by {ordering}"] if areas and ordering else [])
    return " · ".join(p for p in parts if p)


GAP_COLUMNS = [
    ("Indicator", False), ("Most deprived", True), ("Least deprived", True), ("Gap (most − least)", True),
    ("SII (most − least, 95% CI)", True), ("RII (least ÷ most, 95% CI)", True),
]


def gap_html(summary: pd.DataFrame, n: int) -> str:
    """The every-indicator gap table (:func:`gap_display`) as an HTML table that fits any width.

    Under each indicator's name are its period, source and what its areas were ordered by; its note (why a
    figure is not given) is on a line below it.
    """
    from explorer.models.tables import Column, html_table

    shown = gap_display(summary)
    columns = [Column(key, key, numeric=numeric, sub="About" if key == "Indicator" else None)
               for key, numeric in GAP_COLUMNS]
    return html_table(shown, columns, details="Note", missing_words="–",
                      caption=f"Gap, slope index and relative index of every indicator, {QUANTILE_WORDS.get(n, n)}")


def groups_frame(result: GapResult, ind: Indicator) -> pd.DataFrame:
    """The deprivation groups as printed: group name, value, 95% interval, residents and areas."""
    from explorer.models.profile import number_text

    table = result.table
    last = result.n

    def name(q: int) -> str:
        return f"{q} (most deprived)" if q == 1 else f"{q} (least deprived)" if q == last else str(q)

    return pd.DataFrame({
        "group": [name(int(q)) for q in table["quantile"]],
        "value": [number_text(v, 2) for v in table["value"]],
        "interval": ["–" if pd.isna(lo) or pd.isna(hi) else f"{number_text(lo, 2)} to {number_text(hi, 2)}"
                     for lo, hi in zip(table["lower"], table["upper"], strict=True)],
        "population": [number_text(v, 0) for v in table["population"]],
        "areas": [number_text(v, 0) for v in table["areas"]],
    })


def groups_html(result: GapResult, ind: Indicator, area: str = "Coventry") -> str:
    """The groups' values with their intervals as an HTML table; the unit is in the value's header."""
    from explorer.models.tables import Column, html_table

    columns = [Column("group", "Group"), Column("value", f"Value ({ind.unit})", numeric=True),
               Column("interval", f"95% CI ({ind.unit})", numeric=True),
               Column("population", "Residents", numeric=True), Column("areas", "Areas", numeric=True)]
    return html_table(groups_frame(result, ind), columns,
                      caption=f"{ind.label} in each of {area}'s {QUANTILE_WORDS.get(result.n, result.n)}")


def sensitivity_html(table: pd.DataFrame, ind: Indicator) -> str:
    """:func:`ordering_sensitivity` as an HTML table: the slope index with the areas ordered by each edition."""
    from explorer.models.tables import Column, html_table

    def words(v: float, lo: float, hi: float) -> str:
        unit = ind.unit if ind.unit not in ("score", "decile") else ""
        interval = "" if pd.isna(lo) else f" (95% CI {abs(hi):.1f} to {abs(lo):.1f})"
        return (f"{abs(v):.1f} {unit} {'lower' if v < 0 else 'higher'} in the most deprived"
                f"{interval}").replace("  ", " ")

    notes = table["note"] if "note" in table else pd.Series("", index=table.index)
    shown = table.assign(gap=[f"not given: {note}" if pd.isna(v) else words(v, lo, hi) for v, lo, hi, note in
                              zip(table["sii"], table["sii_lower"], table["sii_upper"], notes, strict=True)])
    return html_table(shown, [Column("edition", "Areas ordered by"), Column("ordering", "How"),
                              Column("gap", "Slope index of inequality")],
                      caption=f"{ind.label}: the slope index with the areas ordered by each edition of the IMD")
