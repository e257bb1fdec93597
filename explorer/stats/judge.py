"""The one method behind every judgement word, rank and change the app shows.

Every page, the kiosk, the briefing and the downloads take their words from here, and the About page
prints :data:`RULES`, so what the app says and what it says it does cannot drift apart.

Rules
-----
1. **Compared with a benchmark, where a 95% confidence interval exists** (published by the source, or a
   Wilson or exact Poisson interval computed here): as OHID Fingertips compares an area's interval with its
   benchmark, a value whose interval excludes the benchmark is *better* or *worse* (*higher* or *lower* where
   no direction is better, or where the indicator is not judged); one whose interval includes it is *similar*.
2. **Where no interval exists** (indices, modelled grids, distances, shares of whole neighbourhoods) a ward is
   not compared with the authority's value, because nothing says how big a difference is real. Its place among the
   wards is given instead: the *worst fifth*, the *middle fifths* or the *best fifth* (*highest* / *lowest*
   fifth where no direction is better or the indicator is not judged), from the average of the positions it
   shares with tied wards.
3. **Ranks** run from 1 = worst (most deprived, or highest where no direction is better). Wards whose values
   are equal at the decimals shown share a rank and are called *joint*: five wards at 0% are "joint best".
   A ward with no value is not ranked, nor is the only ward with a value (nothing to rank it against).
4. **Change over time**: *improved* or *worsened* only when the change is bigger than its uncertainty (the
   95% interval of the difference excludes zero: from published intervals, an exact Poisson comparison of
   counts, a Newcombe interval for two proportions, or a paired interval for the same sites measured in both
   years); otherwise, or below a stated threshold where no uncertainty is published, *no clear change*.
   Editions of the Indices of Deprivation are compared by counts and national ranks, never by a share whose
   denominator changed, and are not called improved or worsened: each edition ranks all of England again.
5. **Counts** (children, households, with no population to divide by) are described, never ranked, placed in
   fifths, judged or weighed as need.
6. **The gap** (slope and relative indices, :mod:`explorer.stats.inequality`): no slope where the areas are too
   few or too alike in deprivation, no ratio unless the fitted line is clearly above zero at both ends, and no
   interval where the counts behind a percentage are not held; the thresholds are named constants there and
   the About page prints them through :data:`RULES`.
"""

from __future__ import annotations

import math
from collections import Counter
from dataclasses import dataclass

import numpy as np
import pandas as pd

from explorer.stats.inequality import (
    GRADIENT_MIN_AREAS_PER_GROUP,
    GRADIENT_MIN_SPREAD,
    RII_MIN_ABOVE_ZERO,
    SIMULATIONS,
)
from explorer.stats.intervals import Z95

NO_DATA = "no data"
NARROWING, WIDENING, NO_CLEAR_CHANGE = "narrowing", "widening", "no clear change"


@dataclass(frozen=True)
class Rule:
    """One rule of the method: when it applies, the words it can give, and the rule in plain words."""

    key: str
    applies: str
    words: tuple[str, ...]
    text: str


RULES: tuple[Rule, ...] = (
    Rule("interval", "a ward (or the whole authority) whose value has a 95% confidence interval",
         ("better", "similar", "worse", "higher", "lower"),
         "As OHID Fingertips does: if the 95% confidence interval of the value excludes the benchmark's value "
         "(the authority's, or England's), the value is better or worse; if it includes it, similar. Where no "
         "direction is better, or where the indicator is not judged (for example a rate that is not "
         "age-standardised), the words are higher, lower or similar."),
    Rule("fifths", "a value with no confidence interval (indices, modelled air-quality grids, distances, shares "
         "of whole neighbourhoods)",
         ("worst fifth", "middle fifths", "best fifth", "highest fifth", "lowest fifth"),
         "It is not compared with the authority's value, because nothing says how big a difference is real. Its "
         "place among the wards is given instead: in the worst fifth, the middle three fifths or the best fifth "
         "(highest or lowest fifth where no direction is better, or the indicator is not judged). Tied wards take the "
         "average of the positions they share. Where fewer than five wards have a value there are no fifths, so "
         "no place is given (not compared); nor is it where every ward with a value shares the same one."),
    Rule("two areas", "two wards side by side", ("better in", "worse in", "no clear difference", "higher in"),
         "Where both values have 95% confidence intervals, the difference's interval (from the two, assumed "
         "independent) decides: if it excludes zero one ward is better, otherwise there is no clear difference. "
         "Without intervals the difference is stated (higher in one ward) but not called better or worse."),
    Rule("gradients", "two slope indices of inequality side by side (an authority beside similar authorities)",
         ("larger gap in", "no clear difference", "the same", "opposite directions"),
         "A slope index is the gap a line through an area's groups puts between its most and least deprived ends; "
         "it is not better or worse in itself. The one further from zero is the larger gap (a steeper gradient), "
         "whichever way it runs: “larger gap in” names that area. Where both have 95% confidence intervals, the "
         "difference's interval decides: if it includes zero there is no clear difference. Slope indices of "
         "opposite signs (the most deprived end higher in one area, lower in the other) are not compared."),
    Rule("ranks", "every rank", ("joint",),
         "Ranks run from 1 = worst (most deprived, or highest where no direction is better) to the number of "
         "wards with a value. Wards with equal values at the decimals shown share a rank and are called joint: "
         "five wards at 0% are joint best. Wards with no value are not ranked, and nor is a ward that is the only "
         "one with a value: there is nothing to rank it against."),
    Rule("change", "a figure for the whole authority at two times",
         ("improved", "worsened", "no clear change", "higher", "lower", "rose", "fell"),
         "Improved or worsened only when the 95% confidence interval of the change excludes zero: from published "
         "intervals; an exact Poisson comparison of two counts; a Newcombe interval for two proportions; or a "
         "paired interval over the same sites measured in both years. Otherwise no clear change. Where no "
         "uncertainty is published, a change smaller than the series' stated threshold is no clear change. A "
         "series whose change reflects something else (a benefit being rolled out; a count with no population to "
         "divide by) only rose or fell, and says why."),
    Rule("editions", "the Indices of Deprivation 2015, 2019 and 2025", ("not judged",),
         "Compared by counts of neighbourhoods and by national ranks, never by a share whose denominator changed "
         "(the neighbourhoods were redrawn in 2021), and never called improved or worsened: each edition ranks "
         "all of England again, so a change is a change of position, not necessarily of conditions."),
    Rule("gap over time", "the gap (slope index of inequality) of one authority at its first and last time",
         (NARROWING, WIDENING, NO_CLEAR_CHANGE, "rose", "fell"),
         "The gap is measured at each time by the slope index (SII, PHE's phe_sii, as above). Its change from the "
         "first time to the last is judged by the size of the slope index, whichever way it runs: narrowing where "
         "it is smaller at the last time, widening where it is larger, but only where the change is bigger than "
         "its uncertainty. Where both slope indices have a 95% interval, the interval of the difference decides: "
         "difference ± 1.96 × √(se₁² + se₂²), each se being its interval's width / 3.92, which assumes the two "
         "times are independent (the same areas are measured twice, so this is an approximation); if it includes "
         "zero there is no clear change. Where either has no interval, a change in the slope index smaller than "
         "the series' stated threshold is no clear change (a stated rule, not a statistical test). A series whose "
         "change reflects something else (Universal Credit's roll-out) is described (the gap rose or fell, and by "
         "how much), never judged. The deprivation ordering is named at each time."),
    Rule("intervals", "every interval shown",
         ("no interval",),
         "Published limits where the source gives them; otherwise Wilson score intervals for proportions "
         "(PHE's standard) and exact Poisson intervals for counts, computed here with statsmodels; for a mean "
         "of neighbourhood values, the spread of those values. A value and its interval always come from one "
         "method: where the counts are held, a group of areas is its counts added up and divided, and the "
         "interval is worked out from the same counts. Where the counts behind a percentage are not held, no "
         "interval is given and the table says so: an interval that counted areas as if they were people would "
         "be wrong, and no interval is better than a wrong one. Limits never go outside what the measure can "
         "take (0% to 100% for a share, never below zero for a count, rate or distance) and never have zero "
         "width."),
    Rule("counts", "a count (children, households) with no population to divide it by",
         ("not compared",),
         "A count is never ranked, placed in fifths, called better, worse, higher or lower than the authority's "
         "figure, used as a need score or split into deprived and affluent groups: places with more people have "
         "more of everything. It is described instead: each ward's count, the largest and the smallest, and the "
         "total."),
    Rule("gap", "the gap between an authority's deprived and affluent areas",
         ("no slope index", "no relative index"),
         "Areas are ordered by deprivation (the index each row names) and split into fifths or tenths of about, "
         "not exactly, equal numbers of residents: each area goes wholly into one group. The slope index (SII) "
         "and relative index (RII) of inequality are PHE's phe_sii: a population-weighted line through the "
         "groups' values against the midpoint of their cumulative population (0 = most deprived, 1 = least "
         "deprived); SII is its slope, RII the ratio of its values at the least and the most deprived ends; 95% "
         f"intervals from {SIMULATIONS:,} simulations of the groups' values (on the logit scale for proportions "
         "and the log scale for rates, as phe_sii does). No slope index is given against the deprivation index "
         "used to order the areas, or part of it; nor where the areas are too few or too alike in deprivation "
         f"for a gradient to mean anything: fewer than {GRADIENT_MIN_AREAS_PER_GROUP} areas with a value per "
         f"group ({GRADIENT_MIN_AREAS_PER_GROUP * 5} for fifths, {GRADIENT_MIN_AREAS_PER_GROUP * 10} for "
         f"tenths), or the most and least deprived areas less than {GRADIENT_MIN_SPREAD['score']:g} IMD score "
         f"points apart (or {GRADIENT_MIN_SPREAD['rank']:,.0f} places in England's ranking, where areas are "
         "ordered by rank: a tenth of England's 2011 neighbourhoods). A slope is given without an interval where "
         "a group has none, or sits at exactly 0% or 100%, and the reason is stated. A ratio is given only where "
         "the fitted line is clearly above zero at both ends: above zero at the estimate and in at least "
         f"{RII_MIN_ABOVE_ZERO:.1%} of the simulations, so its 95% interval never reaches zero; otherwise, and "
         "where there are no simulations to show it, no relative index is given and the table says why."),
)


@dataclass(frozen=True)
class Verdict:
    """A judgement: its word, the rule it came from, and the basis in words."""

    word: str
    rule: str
    basis: str

    @property
    def symbol(self) -> str:
        """The word with a shape, so colour is never the only carrier: ▲ better, ▼ worse, ● similar."""
        return f"{SYMBOLS.get(self.word, '●')} {self.word}"


SYMBOLS = {"better": "▲", "best fifth": "▲", "worse": "▼", "worst fifth": "▼", "similar": "●",
           "middle fifths": "●", "higher": "△", "highest fifth": "△", "lower": "▽", "lowest fifth": "▽",
           NO_DATA: "–", "not compared": "–"}
# Marker shape and colour for charts (never colour alone: the shape and the word carry it too).
MARKERS = {"better": ("triangle-up", "#2166ac"), "best fifth": ("triangle-up", "#2166ac"),
           "worse": ("triangle-down", "#b2182b"), "worst fifth": ("triangle-down", "#b2182b"),
           "similar": ("circle", "#f7f7f7"), "middle fifths": ("circle", "#f7f7f7"),
           "higher": ("triangle-up", "#bdbdbd"), "highest fifth": ("triangle-up", "#bdbdbd"),
           "lower": ("triangle-down", "#bdbdbd"), "lowest fifth": ("triangle-down", "#bdbdbd"),
           NO_DATA: ("square", "#999999"), "not compared": ("square", "#999999")}


def ordinal(n: int) -> str:
    """1st, 2nd, 3rd, 4th ... 11th, 12th, 13th, 21st.

    Examples
    --------
    >>> [ordinal(n) for n in (1, 2, 3, 4, 11, 12, 13, 21, 22)]
    ['1st', '2nd', '3rd', '4th', '11th', '12th', '13th', '21st', '22nd']
    """
    suffix = "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{n}{suffix}"


def _missing(x) -> bool:
    return x is None or x is pd.NA or (isinstance(x, float | np.floating) and math.isnan(x))


@dataclass(frozen=True)
class Standing:
    """A ward's place among ``n`` wards: ``rank`` (1 = worst) shared by ``tied`` wards."""

    rank: int
    tied: int
    n: int

    @property
    def last(self) -> int:
        """The last position the tie covers."""
        return self.rank + self.tied - 1

    @property
    def fifth(self) -> int:
        """1 = worst fifth ... 5 = best fifth, from the average of the positions the tie covers."""
        middle = (self.rank + self.last) / 2
        return min(5, max(1, math.ceil(middle * 5 / self.n - 1e-9)))

    def label(self) -> str:
        """The rank as a table shows it: "3 of 18", "14-18 of 18 (joint)".

        Examples
        --------
        >>> Standing(14, 5, 18).label(), Standing(3, 1, 18).label()
        ('14-18 of 18 (joint)', '3 of 18')
        """
        if self.tied == 1:
            return f"{self.rank} of {self.n}"
        return f"{self.rank}-{self.last} of {self.n} (joint)"

    def words(self, worst: str = "worst", best: str = "best") -> str:
        """The place in words from the nearer end: "the worst", "the 3rd best", "joint best".

        Examples
        --------
        >>> Standing(14, 5, 18).words(), Standing(1, 1, 18).words(), Standing(16, 1, 18).words()
        ('joint best', 'the worst', 'the 3rd best')
        >>> Standing(4, 2, 18).words("most deprived", "least deprived")
        'joint 4th most deprived'
        >>> Standing(1, 5, 5).words()  # every ward shares it: neither end
        'level with every other ward'
        """
        if self.tied == self.n:
            return "level with every other ward"
        if self.tied == 1:
            if self.rank <= self.n / 2:
                return f"the {worst}" if self.rank == 1 else f"the {ordinal(self.rank)} {worst}"
            from_best = self.n - self.rank + 1
            return f"the {best}" if from_best == 1 else f"the {ordinal(from_best)} {best}"
        if self.last == self.n:
            return f"joint {best}"
        if self.rank == 1:
            return f"joint {worst}"
        if (self.rank + self.last) / 2 <= (self.n + 1) / 2:
            return f"joint {ordinal(self.rank)} {worst}"
        return f"joint {ordinal(self.n - self.last + 1)} {best}"


MIN_TO_RANK = 2  # the only area with a value is not ranked: there is nothing to rank it against


def standings(values: pd.Series, polarity: str, decimals: int) -> dict[str, Standing]:
    """Each area's :class:`Standing` (1 = worst), ties judged at the decimals shown.

    Parameters
    ----------
    values : Series
        Values by area code; NaN areas are not ranked.
    polarity : str
        ``higher_is_worse``, ``higher_is_better`` or ``neither`` (1 = highest).
    decimals : int
        Decimals the app shows; values equal when rounded to them are tied.

    Examples
    --------
    >>> s = standings(pd.Series({"a": 0.0, "b": 0.0, "c": 5.0}), "higher_is_worse", 1)
    >>> s["a"], s["c"]
    (Standing(rank=2, tied=2, n=3), Standing(rank=1, tied=1, n=3))
    >>> standings(pd.Series({"St Mary's": 12.65, "Bryher": float("nan")}), "higher_is_worse", 1)  # one: no rank
    {}
    """
    have = values.dropna().astype(float).round(decimals)
    if len(have) < MIN_TO_RANK:
        return {}
    worst_first = sorted(have.tolist(), reverse=polarity != "higher_is_better")
    first = {}  # competition ranking: the first position each value takes
    for position, value in enumerate(worst_first, start=1):
        first.setdefault(value, position)
    counts = Counter(worst_first)
    return {code: Standing(first[value], counts[value], len(have)) for code, value in have.items()}


MIN_FOR_FIFTHS = 5  # fewer areas with a value than this: no fifths to place a value in


def versus(value: float, lower: float, upper: float, benchmark: float, *, polarity: str, judged: bool,
           benchmark_name: str, standing: Standing | None = None, fmt=lambda v: f"{v:,.1f}") -> Verdict:
    """Judge a value against a benchmark by rule 1, or place it among the wards by rule 2.

    Parameters
    ----------
    value, lower, upper : float
        The value and its 95% limits (NaN limits: no interval).
    benchmark : float
        The benchmark's value (Coventry's, or England's).
    polarity : str
        The indicator's polarity.
    judged : bool
        False for indicators never called better or worse (higher or lower instead).
    benchmark_name : str
        "Coventry" or "England", for the basis.
    standing : Standing, optional
        The area's place among the wards, for rule 2.
    fmt : callable
        Formats the benchmark value in the basis.

    Examples
    --------
    >>> versus(75.0, 74.0, 76.0, 77.9, polarity="higher_is_better", judged=True, benchmark_name="Coventry").word
    'worse'
    >>> versus(0.0, float("nan"), float("nan"), 18.2, polarity="higher_is_worse", judged=True,
    ...        benchmark_name="Coventry", standing=Standing(14, 5, 18)).word
    'best fifth'
    """
    if _missing(value):
        return Verdict(NO_DATA, "none", "no value for this area")
    directional = judged and polarity != "neither"
    if not (_missing(lower) or _missing(upper) or _missing(benchmark)):
        shown = f"{benchmark_name}'s {fmt(benchmark)}"
        if lower <= benchmark <= upper:
            return Verdict("similar", "interval", f"95% confidence interval includes {shown}")
        higher = value > benchmark
        if directional:
            better = higher == (polarity == "higher_is_better")
            word = "better" if better else "worse"
        else:
            word = "higher" if higher else "lower"
        return Verdict(word, "interval", f"95% confidence interval excludes {shown}")
    if standing is None:
        return Verdict("not compared", "none", "no interval and no ranking")
    if standing.n < MIN_FOR_FIFTHS:
        return Verdict("not compared", "none", f"no confidence interval, and only {standing.n} ward"
                       f"{' has' if standing.n == 1 else 's have'} a value: "
                       "too few to place in fifths")
    if standing.tied == standing.n:
        return Verdict("not compared", "none", f"no confidence interval, and all {standing.n} wards with a value "
                       "share the same one: none is placed above another")
    fifth = standing.fifth
    if directional:
        word = {1: "worst fifth", 5: "best fifth"}.get(fifth, "middle fifths")
    else:
        high_first = polarity != "higher_is_better"
        word = {1: "highest fifth" if high_first else "lowest fifth",
                5: "lowest fifth" if high_first else "highest fifth"}.get(fifth, "middle fifths")
    return Verdict(word, "fifths", f"no confidence interval, so not compared with {benchmark_name}'s value; "
                   f"placed by its rank, {standing.label()}")


def described_count(value: float, smallest: float, largest: float, total: float, *, benchmark_name: str,
                    fmt=lambda v: f"{v:,.0f}") -> Verdict:
    """A count's verdict by the "counts" rule: never ranked or judged, only described.

    Examples
    --------
    >>> v = described_count(1200.0, 310.0, 2400.0, 22286.0, benchmark_name="Coventry")
    >>> v.word, v.rule
    ('not compared', 'counts')
    >>> v.basis[-59:]
    'wards hold 310 (smallest) to 2,400 (largest); 22,286 in all'
    """
    if _missing(value):
        return Verdict(NO_DATA, "none", "no value for this area")
    held = "" if _missing(total) else f"; {fmt(total)} in all"
    return Verdict("not compared", "counts", f"a count, not a rate, so not ranked or judged: {benchmark_name}'s "
                   f"wards hold {fmt(smallest)} (smallest) to {fmt(largest)} (largest){held}")


def between(a: tuple[float, float, float], b: tuple[float, float, float], *, polarity: str, judged: bool,
            names: tuple[str, str], decimals: int) -> Verdict:
    """Compare two areas' (value, lower, upper) by the "two areas" rule.

    Examples
    --------
    >>> between((74.8, 73.9, 75.7), (81.7, 80.5, 82.9), polarity="higher_is_better", judged=True,
    ...         names=("Radford", "Wainbody"), decimals=1).word
    'better in Wainbody'
    >>> between((50.2, float("nan"), float("nan")), (6.4, float("nan"), float("nan")), polarity="higher_is_worse",
    ...         judged=True, names=("Foleshill", "Wainbody"), decimals=1).word
    'higher in Foleshill'
    """
    (va, la, ua), (vb, lb, ub) = a, b
    if _missing(va) or _missing(vb):
        return Verdict(NO_DATA, "none", "a value is missing")
    if round(va - vb, decimals) == 0:
        return Verdict("the same", "two areas", f"equal at {decimals} decimal places")
    higher = names[0] if va > vb else names[1]
    lower = names[1] if va > vb else names[0]
    if any(_missing(x) for x in (la, ua, lb, ub)):
        return Verdict(f"higher in {higher}", "two areas", "no confidence interval: the difference is not judged")
    se = math.hypot((ua - la) / (2 * Z95), (ub - lb) / (2 * Z95))
    if abs(va - vb) <= Z95 * se:
        return Verdict("no clear difference", "two areas", "95% interval of the difference includes zero")
    if not judged or polarity == "neither":
        return Verdict(f"higher in {higher}", "two areas", "95% interval of the difference excludes zero")
    better = higher if polarity == "higher_is_better" else lower
    return Verdict(f"better in {better}", "two areas", "95% interval of the difference excludes zero")


def steeper(a: tuple[float, float, float], b: tuple[float, float, float], *, names: tuple[str, str],
            decimals: int) -> Verdict:
    """Compare two slope indices of inequality (value, lower, upper) by the "gradients" rule: which gap is larger.

    A slope index (PHE's ``phe_sii``, in the indicator's unit) is the difference a line through an area's
    deprivation groups puts between its most and least deprived ends. The one further from zero is the larger gap,
    whichever way it runs, so the words never depend on the sign ("higher in" an area with a negative slope
    index meant a *smaller* gap). With both 95% intervals, the difference is judged as by :func:`between` (the
    interval of the difference, the two assumed independent, must exclude zero); slope indices of opposite signs
    are not compared.

    Examples
    --------
    >>> steeper((-5.68, -6.37, -4.99), (-7.56, -7.65, -7.48), names=("Birmingham", "England"), decimals=2).word
    'larger gap in England'
    >>> steeper((-8.76, -9.89, -7.63), (-7.56, -7.65, -7.48), names=("Coventry", "England"), decimals=2).word
    'larger gap in Coventry'
    >>> steeper((4.8, 4.4, 5.3), (-0.5, -0.9, -0.1), names=("A", "B"), decimals=2).word
    'opposite directions'
    """
    (va, la, ua), (vb, lb, ub) = a, b
    if _missing(va) or _missing(vb):
        return Verdict(NO_DATA, "none", "a slope index is missing")
    if va * vb < 0:
        up, down = (names[0], names[1]) if va > 0 else (names[1], names[0])
        return Verdict("opposite directions", "gradients", f"the most deprived end is higher in {up} and lower in "
                       f"{down}: the gradients run opposite ways and are not compared")
    if round(abs(va) - abs(vb), decimals) == 0:
        return Verdict("the same", "gradients", f"equal at {decimals} decimal places")
    larger = names[0] if abs(va) > abs(vb) else names[1]
    if any(_missing(x) for x in (la, ua, lb, ub)):
        return Verdict(f"larger gap in {larger}", "gradients", "no confidence interval: the difference is not judged")
    se = math.hypot((ua - la) / (2 * Z95), (ub - lb) / (2 * Z95))
    if abs(va - vb) <= Z95 * se:
        return Verdict("no clear difference", "gradients", "95% interval of the difference includes zero")
    return Verdict(f"larger gap in {larger}", "gradients", "95% interval of the difference excludes zero")


@dataclass(frozen=True)
class Change:
    """A change over time: its word, the rule, and the figures behind it."""

    word: str
    rule: str
    basis: str


def change_word(before: float, after: float, *, lower: float, upper: float, better: str | None,
                basis: str) -> Change:
    """The word for a change whose 95% interval (of ``after - before``) is ``[lower, upper]``.

    ``better`` is "higher", "lower", or None (not judged: "higher" / "lower" words).

    Examples
    --------
    >>> change_word(78.4, 78.47, lower=-0.5, upper=0.64, better="higher", basis="b").word
    'no clear change'
    >>> change_word(2287, 6840, lower=4400, upper=4700, better="lower", basis="b").word
    'worsened'
    """
    if any(_missing(x) for x in (before, after, lower, upper)):
        return Change(NO_DATA, "change", "a figure is missing")
    if lower <= 0 <= upper:
        return Change("no clear change", "change", basis)
    up = after > before
    if better is None:
        return Change("higher" if up else "lower", "change", basis)
    return Change("improved" if up == (better == "higher") else "worsened", "change", basis)


def difference_interval(before: float, b_lower: float, b_upper: float, after: float, a_lower: float,
                        a_upper: float) -> tuple[float, float]:
    """95% interval of ``after - before`` from each estimate's 95% limits, the two assumed independent.

    Normal approximation: se = (upper - lower) / 3.92 for each, and difference ± 1.96 × √(se₁² + se₂²).

    Examples
    --------
    >>> [round(x, 3) for x in difference_interval(-8.0, -9.0, -7.0, -5.0, -6.0, -4.0)]
    [1.586, 4.414]
    """
    se = math.hypot((b_upper - b_lower) / (2 * Z95), (a_upper - a_lower) / (2 * Z95))
    diff = after - before
    return diff - Z95 * se, diff + Z95 * se


def change_from_intervals(before: float, b_lower: float, b_upper: float, after: float, a_lower: float,
                          a_upper: float, better: str | None) -> Change:
    """Change between two independent estimates with published 95% limits (:func:`difference_interval`)."""
    lower, upper = difference_interval(before, b_lower, b_upper, after, a_lower, a_upper)
    return change_word(before, after, lower=lower, upper=upper, better=better,
                       basis="95% interval of the change from the two published intervals")


def change_with_intervals(before: tuple[float, float, float], after: tuple[float, float, float], better: str | None,
                          threshold: float, label: str) -> Change:
    """Change between two figures (value, lower, upper), using the published 95% limits where they exist.

    Both with limits: the difference's interval from the two, assumed independent (normal approximation, as
    :func:`change_from_intervals`). Only the later with limits (ONS published none for life expectancy before
    2021-23): the earlier is taken to be as precise as the later (the same area and length of period), so the
    difference's standard error is sqrt(2) times the later's. Neither: :func:`change_by_threshold` with
    ``threshold`` (``label`` in words).

    Examples
    --------
    >>> change_with_intervals((78.539, None, None), (77.3, 76.9, 77.7), "higher", 0.6, "0.6 years").word
    'worsened'
    >>> change_with_intervals((79.7, None, None), (79.4, 79.1, 79.7), "higher", 0.6, "0.6 years").word
    'no clear change'
    """
    (b, bl, bu), (a, al, au) = before, after
    if any(_missing(x) for x in (b, a)):
        return Change(NO_DATA, "change", "a figure is missing")
    has_before, has_after = not (_missing(bl) or _missing(bu)), not (_missing(al) or _missing(au))
    if has_before and has_after:
        return change_from_intervals(b, bl, bu, a, al, au, better)
    if has_after or has_before:
        lo, hi = (al, au) if has_after else (bl, bu)
        se = math.sqrt(2) * (hi - lo) / (2 * Z95)
        diff = a - b
        which = "later" if has_after else "earlier"
        return change_word(b, a, lower=diff - Z95 * se, upper=diff + Z95 * se, better=better,
                           basis=f"95% interval of the change from the {which} figure's published interval, the "
                                 f"other (published without one) taken to be as precise")
    return change_by_threshold(b, a, threshold, better, label)


def change_in_counts(before: float, after: float, better: str | None, exposure_before: float = 1.0,
                     exposure_after: float = 1.0) -> Change:
    """Change in a count of events, by an exact-conditional Poisson comparison (statsmodels).

    Examples
    --------
    >>> change_in_counts(23, 1, better="lower").word
    'improved'
    >>> change_in_counts(36, 36, better="lower").word
    'no clear change'
    """
    from statsmodels.stats.rates import confint_poisson_2indep

    if any(_missing(x) for x in (before, after)):
        return Change(NO_DATA, "change", "a figure is missing")
    if before == 0 and after == 0:
        return change_word(before, after, lower=-1, upper=1, better=better, basis="no events in either period")
    lo, hi = confint_poisson_2indep(int(round(after)), exposure_after, int(round(before)), exposure_before,
                                    method="score", compare="ratio", alpha=0.05)
    return change_word(before, after, lower=float(np.log(lo)) if lo > 0 else -np.inf,
                       upper=float(np.log(hi)) if np.isfinite(hi) else np.inf, better=better,
                       basis="95% interval of the ratio of the two counts (Poisson score interval) excludes 1"
                       if not (lo <= 1 <= hi) else "95% interval of the ratio of the two counts includes 1")


def change_in_proportions(before: tuple[float, float], after: tuple[float, float], better: str | None) -> Change:
    """Change between two proportions (count, total), by Newcombe's interval for the difference (statsmodels).

    Examples
    --------
    >>> change_in_proportions((23, 38), (1, 73), better="lower").word
    'improved'
    """
    from statsmodels.stats.proportion import confint_proportions_2indep

    (x1, n1), (x2, n2) = before, after
    if any(_missing(v) for v in (x1, n1, x2, n2)) or not n1 or not n2:
        return Change(NO_DATA, "change", "a figure is missing")
    lo, hi = confint_proportions_2indep(x2, n2, x1, n1, method="newcomb", compare="diff", alpha=0.05)
    return change_word(x1 / n1, x2 / n2, lower=float(lo), upper=float(hi), better=better,
                       basis="Newcombe 95% interval of the difference between the two shares")


def change_paired(before: pd.Series, after: pd.Series, better: str | None) -> Change:
    """Change in the mean over the same sites measured at both times (paired t interval, statsmodels).

    ``before`` and ``after`` are values by site; only sites with both are used.
    """
    from statsmodels.stats.weightstats import DescrStatsW

    both = pd.concat([before, after], axis=1, keys=["a", "b"]).dropna()
    if len(both) < 2:
        return Change(NO_DATA, "change", "fewer than two sites measured at both times")
    lo, hi = DescrStatsW((both["b"] - both["a"]).to_numpy()).tconfint_mean(alpha=0.05)
    return change_word(float(both["a"].mean()), float(both["b"].mean()), lower=float(lo), upper=float(hi),
                       better=better, basis=f"paired 95% interval over the {len(both)} sites measured at both times")


def change_by_threshold(before: float, after: float, threshold: float, better: str | None, label: str) -> Change:
    """Where no uncertainty is published: a change smaller than ``threshold`` is no clear change.

    ``label`` describes the threshold in words for the basis ("0.6 years").

    Examples
    --------
    >>> change_by_threshold(78.40, 78.47, 0.6, "higher", "0.6 years").word
    'no clear change'
    """
    diff = after - before
    half = threshold if abs(diff) < threshold else 0.0
    lower, upper = (diff - half, diff + half) if half else (diff, diff)
    return change_word(before, after, lower=min(lower, upper), upper=max(lower, upper), better=better,
                       basis=f"no published uncertainty; the stated threshold is {label}")


def described(before: float, after: float) -> Change:
    """A change that is described, not judged: "rose", "fell" or "no change".

    Examples
    --------
    >>> described(803, 35214).word
    'rose'
    """
    if any(_missing(x) for x in (before, after)):
        return Change(NO_DATA, "change", "a figure is missing")
    word = "rose" if after > before else "fell" if after < before else "no change"
    return Change(word, "change", "described, not judged: see the note below")


def gap_change(first: tuple[float, float, float], last: tuple[float, float, float], *, rule: str,
               threshold: float, threshold_words: str, decimals: int = 1) -> Change:
    """The change in the gap (slope index of inequality) from its first to its last time, by the "gap over time" rule.

    Parameters
    ----------
    first, last : tuple
        (SII, lower, upper) at the first and the last time, in the indicator's unit (PHE's ``phe_sii``; the
        limits NaN where no interval is given).
    rule : str
        ``judged`` (narrowing, widening or no clear change) or ``described`` (rose or fell, never judged).
    threshold : float
        Where either slope index has no interval: a change smaller than this (in the indicator's unit) is no
        clear change.
    threshold_words : str
        The threshold in words, for the basis ("1 percentage point").
    decimals : int
        Decimals of the figures in the basis.

    Returns
    -------
    Change
        ``word`` is narrowing, widening, no clear change (judged), rose, fell, no change (described) or no data.
        Narrowing and widening follow the size of the slope index (``|SII|``), whichever way the gradient runs;
        the interval of the difference is difference ± 1.96 × √(se₁² + se₂²) with se = (upper − lower) / 3.92,
        assuming the two estimates independent (as for two independent SIIs; the same areas measured twice
        are not independent, so this is an approximation).

    Examples
    --------
    >>> gap_change((-8.0, -9.0, -7.0), (-5.0, -6.0, -4.0), rule="judged", threshold=1.0, threshold_words="1").word
    'narrowing'
    >>> gap_change((-8.0, -9.0, -7.0), (-7.5, -8.5, -6.5), rule="judged", threshold=1.0, threshold_words="1").word
    'no clear change'
    >>> nan = float("nan")
    >>> gap_change((10.0, nan, nan), (12.5, nan, nan), rule="judged", threshold=2.0, threshold_words="2").word
    'widening'
    >>> gap_change((3.1, 2.9, 3.3), (9.4, 9.0, 9.8), rule="described", threshold=nan, threshold_words="").word
    'rose'
    """
    (a, la, ua), (b, lb, ub) = first, last
    if _missing(a) or _missing(b):
        return Change(NO_DATA, "gap over time", "a slope index is missing at the first or the last time")
    size = abs(b) - abs(a)
    turned = " (the gradient changed direction)" if a * b < 0 else ""
    moved = f"from {a:+.{decimals}f} to {b:+.{decimals}f}{turned}"
    if rule == "described":
        word = "rose" if size > 0 else "fell" if size < 0 else "no change"
        return Change(word, "gap over time", f"described, not judged: the slope index moved {moved}, its size "
                      f"by {abs(size):.{decimals}f}")
    diff = b - a
    if not any(_missing(x) for x in (la, ua, lb, ub)):
        lo, hi = difference_interval(a, la, ua, b, lb, ub)
        basis = (f"the slope index moved {moved}; the 95% interval of the difference ({lo:+.{decimals}f} to "
                 f"{hi:+.{decimals}f}, the two assumed independent) {'includes' if lo <= 0 <= hi else 'excludes'} "
                 "zero")
        clear = not lo <= 0 <= hi
    else:
        clear = abs(diff) >= threshold
        basis = (f"the slope index moved {moved}; no interval, so judged by the stated threshold of "
                 f"{threshold_words}: the change is {'at least' if clear else 'less than'} that")
    if not clear or size == 0:
        return Change(NO_CLEAR_CHANGE, "gap over time", basis)
    return Change(NARROWING if size < 0 else WIDENING, "gap over time", basis)
