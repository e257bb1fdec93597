"""What a page shows for one ward, pair of wards or indicator, assembled once and reused.

A page rerun used to rebuild its charts, tables and sentences from the data on every click; each
of these views is built once per ward (or pair, or indicator) by ``pages/_cache.py`` (most of them
by the warm-up at server start) and the page only lays it out. Views hold finished text, HTML
tables (:mod:`explorer.models.tables`) and Vega-Lite specs (:mod:`explorer.models.charts`); they are shared by
every visitor, so nothing may change them.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from explorer.models import charts
from explorer.registry import Indicator


@dataclass(frozen=True)
class ProfileView:
    """A ward profile's summary, spine chart, its words, the indicator table and its sources."""

    sentences: tuple[str, ...]
    spine: dict
    chart_words: str
    table: str
    sources: str


def profile_view(ward_name: str, table: pd.DataFrame, registry: dict[str, Indicator], straddling: int,
                 lsoas: int, whole: str = "the city") -> ProfileView:
    """The :class:`ProfileView` of a ward from its profile table (:func:`explorer.models.profile.profile_table`)."""
    from explorer.models.profile import area_of, chart_words, sources_html, spine_frame, summary, table_html

    return ProfileView(
        sentences=tuple(summary(ward_name, table, straddling, lsoas, whole)),
        spine=charts.spine(spine_frame(table, registry), ward_name, area_of(table)),
        chart_words=chart_words(table, ward_name),
        table=table_html(table, registry, ward_name),
        sources=sources_html(table, ward_name),
    )


@dataclass(frozen=True)
class SitesView:
    """The sites in or near a ward: a dated sentence and the list."""

    sentence: str
    table: str


SITE_COLUMNS = ("name", "Name"), ("type", "Type"), ("where", "Where"), ("when", "When listed"), ("source", "Source")


def sites_view(here: pd.DataFrame, ward_name: str) -> SitesView:
    """The :class:`SitesView` of a ward from :func:`explorer.pipeline.interventions.sites_near`."""
    from explorer.models.tables import Column, html_table
    from explorer.pipeline.interventions import sites_sentence, when_words

    listed = here.assign(when=[when_words(*r) for r in zip(here["dating"], here["date_from"], here["date_to"],
                                                            strict=True)])
    listed = listed.sort_values(["type", "where", "name"])
    return SitesView(
        sentence=sites_sentence(here, ward_name),
        table=html_table(listed, [Column(key, header) for key, header in SITE_COLUMNS], missing_words="–",
                         caption=f"Sites and services in or near {ward_name}", empty="No sites are listed."),
    )


@dataclass(frozen=True)
class PairView:
    """Two wards side by side: how many indicators favour each, the table and how each row is judged."""

    sentence: str
    table: str
    method: str


def pair_view(pair: pd.DataFrame, name_a: str, name_b: str) -> PairView:
    """The :class:`PairView` of two wards from :func:`explorer.models.compare.two_wards`."""
    from explorer.models.compare import pair_html, pair_sentence

    table, method = pair_html(pair, name_a, name_b)
    return PairView(pair_sentence(pair, name_a, name_b), table, method)


# How each kind of indicator's group values and intervals are made (one method for both: see interval_words).
INTERVAL_WORDS = {
    "published": "each group's value is the population-weighted mean of its areas, and its interval combines their "
                 "published 95% limits",
    "wilson": "each group's value is its areas' counts added up and divided (people with the characteristic over "
              "all people counted), with a Wilson score interval from the same counts",
    "poisson": "each group's value is its areas' counts added up and divided (events over people or addresses), "
               "with an exact Poisson interval from the same counts",
    "decile1_share": "each group's value is the share of its residents living in neighbourhoods in England's most "
                     "deprived tenth, with a Wilson score interval counting whole neighbourhoods (each is in that "
                     "tenth or not)",
    "proportion": "each group's value is the population-weighted mean of its areas' percentages; no group interval "
                  "is given, because the counts behind the percentages are not held (one that counted areas as "
                  "if they were people would be wrong)",
    "other": "each group's value is the population-weighted mean of its areas, with an interval from the spread of "
             "its areas' values",
}


def interval_words(ind: Indicator) -> str:
    """How an indicator's group values and their intervals are made, in words (:data:`INTERVAL_WORDS`).

    Examples
    --------
    >>> from explorer.registry import load_registry
    >>> from explorer import paths
    >>> registry = load_registry(paths.data_dir() / "registry" / "indicators.csv")
    >>> "no group interval is given" in interval_words(registry["inactive_sick"])
    True
    >>> interval_words(registry["uc_households"])[:55]
    "each group's value is its areas' counts added up and di"
    """
    if ind.interval != "none":
        return INTERVAL_WORDS[ind.interval]
    if ind.method == "decile1_share":
        return INTERVAL_WORDS["decile1_share"]
    return INTERVAL_WORDS["proportion" if ind.value_type == "proportion" else "other"]


@dataclass(frozen=True)
class GapView:
    """Deprived against affluent areas for one indicator and grouping: words, chart, table and method.

    ``chart`` is empty (and ``table`` and ``chart_words`` blank) when too few areas have a value to group.
    ``paper`` is the method as a picture of the chart says it: words that make sense away from the page.
    """

    explained: str
    chart: dict
    table: str
    chart_words: str
    method: str
    paper: str = ""


def gap_view(result, ind: Indicator, area: str = "Coventry") -> GapView:
    """The :class:`GapView` from :func:`explorer.stats.gaps.marmot_gap`'s result (``area``: the authority's name)."""
    from explorer.models.citymap import with_unit
    from explorer.models.gap_views import explain, groups_frame, groups_html, too_few
    from explorer.stats.gaps import QUANTILE_WORDS

    n = result.n
    words = QUANTILE_WORDS.get(n, f"{n} groups")
    names = groups_frame(result, ind)["group"]
    chart_words = (
        f"The value in each {words.split(' ')[0][:-1]} of {area}'s residents, from most deprived (left) to least "
        "deprived (right), with 95% confidence intervals where they are given: "
        + "; ".join(f"{g}: {with_unit(v, ind)} ({p:,.0f} residents)" for g, v, p in
                    zip(names, result.table["value"], result.table["population"], strict=True)) + ".")
    method = (f"Source: {ind.source}. Period: {ind.period}. Groups are {area}'s own, not England's: "
              f"{result.units} ordered by {result.ordering}. Method: {interval_words(ind)}; slope and relative "
              "indices as PHE's phe_sii (population-weighted line through the group values against the midpoint "
              "of each group's cumulative population; 95% intervals from 100,000 simulations). When a slope, a "
              "relative index or an interval is not given, and why: ")
    paper, method = method + "the explorer's page About the data.", method + "About the data."
    if too_few(result):
        return GapView(explain(result, ind, area), {}, "", "", method, paper)
    return GapView(explain(result, ind, area),
                   charts.groups(result.table, ind.unit, n, words.split(" ")[0].capitalize()),
                   groups_html(result, ind, area), chart_words, method, paper)


@dataclass(frozen=True)
class ScatterView:
    """Wards by deprivation and one indicator: the chart (chosen wards set per view), caption and words.

    ``paper`` is the caption as a picture of the chart says it: no tooltip to point at, no choice above it.
    """

    chart: dict
    caption: str
    words: str
    paper: str = ""


def scatter_view(points: pd.DataFrame, ind: Indicator, imd: Indicator, area: str = "Coventry") -> ScatterView:
    """The :class:`ScatterView` from each ward's ``name``, IMD 2025 score ``x`` and the indicator's value ``y``."""
    from explorer.models.compare import correlation_sentence, scatter_notes

    each = (f"Each dot is a ward: {ind.label} ({ind.period}, {ind.source}) against the IMD 2025 average score "
            f"({imd.period}). ")
    caption = (each + "The two wards chosen above are the large orange diamonds, named; point at any dot for its "
               "ward and figures. " + scatter_notes(ind, imd))
    paper = each + "The two wards being compared are the large orange diamonds, named. " + scatter_notes(ind, imd)
    return ScatterView(
        charts.scatter(points, f"{imd.label} ({imd.period}); higher = more deprived", ind.unit, ind.label,
                       area),
        caption.strip(), correlation_sentence(points["x"], points["y"], ind), paper.strip())


@dataclass(frozen=True)
class SeriesView:
    """A city series: its title, chart, table, words, source and how its change is judged.

    ``change`` is the direction of travel since 2013 and 2022, ``trend`` the first-to-last sentence,
    ``caption`` the source and period, ``rule`` how change is judged.
    """

    title: str
    chart: dict
    table: str
    change: str
    trend: str
    caption: str
    rule: str


def series_view(series: pd.DataFrame, series_id: str, tube_years: pd.DataFrame | None = None, *,
                own: str = "Coventry", since: tuple[tuple[int, str], ...] = ((2013, "Marmot City"),
                                                                            (2022, "the plan's start"))
                ) -> SeriesView | None:
    """The :class:`SeriesView` of one series of a pack's ``series.csv`` (None when it has no rows).

    ``own`` is the pack's authority (the series' own area, shown first). ``change`` is the plan page's direction
    of travel since each of ``since`` (year, what it marks: the pack's milestones) by
    :func:`explorer.models.series.travel`; ``trend`` the map page's first-to-last sentence.
    """
    from explorer.models.series import series_html, series_table, travel, trend_sentence

    part = series[series["series"] == series_id]
    if part.empty:
        return None
    wide = series_table(series, series_id, own)
    meta = part.iloc[0]
    title, unit = str(meta["title"]), str(meta["unit"])
    if meta["change_rule"] == "editions":
        change = f"{travel(part, since[0][0], own=own)}."
    else:
        change = " ".join(f"Since {year} ({words}): {travel(part, year, tube_years, own=own)}."
                          for year, words in since)
    return SeriesView(
        title=title, chart=charts.trend(wide, unit, title), table=series_html(wide, unit, title), change=change,
        trend=change if meta["change_rule"] == "editions" else trend_sentence(wide, unit, 1 if unit == "years" else 0),
        caption=f"Source: {meta['source']}. Period: {wide.index[0]} to {wide.index[-1]}.",
        rule=str(meta["rule_note"]),
    )


@dataclass(frozen=True)
class PeerView:
    """An authority's gap beside its most similar authorities, (for Coventry) Marmot places and England."""

    sentence: str
    table: str
    measures: str
    method: str


GAPS_NOT_HELD = "no figure: gaps not held in this store for this authority"


def _sii_text(row) -> str:
    from explorer.models.profile import number_text

    if pd.isna(row["indicator"]):
        return GAPS_NOT_HELD
    if pd.isna(row["sii"]):
        note = str(row["note"]) if isinstance(row["note"], str) else ""
        if "too little in deprivation" in note:
            return "no figure: areas too alike in deprivation"
        return "no figure: too few areas" if "too few" in note or "a slope needs" in note else "no figure"
    if pd.isna(row["sii_lower"]):
        return number_text(row["sii"], 2)
    return f"{number_text(row['sii'], 2)} ({number_text(row['sii_lower'], 2)} to {number_text(row['sii_upper'], 2)})"


def peer_view(beside: pd.DataFrame, peers: pd.DataFrame, own: dict, indicator: str, area: str) -> PeerView | None:
    """The :class:`PeerView` of one gap indicator from :meth:`explorer.pipeline.authorities.NationalStore.beside_peers`.

    Parameters
    ----------
    beside : DataFrame
        ``beside_peers``: one row per area and gap indicator (group, la, name, distance, sii, limits, note).
    peers : DataFrame
        The authority's rows of the store's peers table (each peer's measures and distance).
    own : dict
        The authority's row of the store's authorities table (its ``peer_*`` measures).
    indicator : str
        The gap indicator shown (``le_male`` ...).
    area : str
        The authority's name.

    Each slope index is compared with the authority's by the "gradients" rule of :mod:`explorer.stats.judge`
    (:func:`~explorer.stats.judge.steeper`: the larger gap, whichever way it runs, when the 95% interval of the
    difference excludes zero): a slope index is not better or worse in itself.
    Returns None when the indicator has no rows.
    """
    from explorer.models.profile import number_text
    from explorer.models.tables import Column, html_table
    from explorer.pipeline.peers import MEASURES
    from explorer.stats.judge import steeper

    # An area without gap rows (a store built for a few authorities only) is listed with "no figure".
    rows = beside[(beside["indicator"] == indicator) | beside["indicator"].isna()]
    mine = rows[(rows["group"] == "this authority") & (rows["indicator"] == indicator)]
    if mine.empty:
        return None
    mine = mine.iloc[0]
    label, unit, period = str(mine["label"]), str(mine["unit"]), str(mine["period"])
    shown = []
    for _, row in rows.iterrows():
        if row["group"] == "this authority":
            compared = "–"
        else:
            compared = steeper((mine["sii"], mine["sii_lower"], mine["sii_upper"]),
                               (row["sii"], row["sii_lower"], row["sii_upper"]), names=(area, str(row["name"])),
                               decimals=2).word
        shown.append({"name": str(row["name"]), "group": str(row["group"]),
                      "distance": "–" if pd.isna(row["distance"]) else f"{row['distance']:.2f}",
                      "sii": _sii_text(row), "compared": compared,
                      "areas": "–" if pd.isna(row["areas"]) else f"{int(row['areas'])} {row['units']}"})
    table = html_table(pd.DataFrame(shown), [
        Column("name", "Area"), Column("group", "Which"), Column("distance", "Distance (similarity)", numeric=True),
        Column("sii", f"Slope index of inequality, 95% CI ({unit})", numeric=True),
        Column("compared", f"Compared with {area}"), Column("areas", "Areas ranked")],
        caption=f"{label}: {area}'s slope index beside its most similar authorities and England")
    if pd.isna(mine["sii"]):
        sentence = f"No slope index can be computed for {area} ({label}, {period}). {mine['note']}"
    else:
        sentence = (f"{label} ({period}): {area}'s slope index of inequality is {_sii_text(mine)} {unit}, the "
                    "difference a line through its areas, from most to least deprived, puts between the two ends.")
    keys = [k for k in MEASURES if k in peers.columns]
    frame = pd.DataFrame([{"name": area, "distance": "–", **{k: own.get(f"peer_{k}") for k in keys}},
                          *({"name": r["peer_name"], "distance": f"{r['distance']:.2f}", **{k: r[k] for k in keys}}
                            for _, r in peers.iterrows())])
    if "log_population" in frame:
        frame["log_population"] = [number_text(float(np.exp(v)), 0) if pd.notna(v) else "no data"
                                   for v in frame["log_population"]]
    for key in keys:
        if key != "log_population":
            frame[key] = [number_text(v, 1) for v in frame[key]]
    headers = {**MEASURES, "log_population": "Census 2021 residents"}
    measures = html_table(frame, [Column("name", "Authority"), Column("distance", "Distance", numeric=True),
                                  *(Column(k, headers[k], numeric=True) for k in keys)],
                          caption=f"The measures {area}'s similar authorities were found from")
    method = ("Similar authorities are computed here from the data held, as ONS's Explore Local Statistics finds "
              "“similar areas”: each of England's 296 authorities is described by the measures in the table "
              "below, each measure is standardised across England (minus its mean, over its standard deviation), "
              "and the distance is the Euclidean distance between two authorities' standardised measures; the ten "
              "nearest are shown. They are not CIPFA's nearest neighbours, which are not held here. Slope indices "
              "are PHE's phe_sii over each authority's own areas in fifths by deprivation. “Larger gap in” names the "
              "area whose slope index is further from zero, whichever way it runs: the steeper line between its "
              "most and least deprived ends; “no clear difference” means the 95% interval of the difference "
              "includes zero; slope indices of opposite signs are not compared (the “gradients” rule on About the "
              "data).")
    return PeerView(sentence, table, measures, method)
