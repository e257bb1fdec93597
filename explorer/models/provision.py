"""Need against provision, ward by ward, for a plan priority.

*Need* combines the priority's indicators: each is turned into a z-score across
the 18 wards, signed so that higher is always worse, and the z-scores are
averaged with the user's weights. *Provision* is the share of a ward's residents
whose neighbourhood centre lies within a set distance of at least one site of
the priority's intervention types.
"""

from __future__ import annotations

import numpy as np
import pandas as pd


def reach_share(distance: pd.Series, population: pd.Series, ward_of_area: pd.Series, limit_m: float) -> pd.Series:
    """Percentage of each ward's residents living in areas within ``limit_m`` of a site.

    Parameters
    ----------
    distance : Series
        Metres from each small area's centre to the nearest site, by area code.
    population : Series
        Residents by area code.
    ward_of_area : Series
        Ward code by area code.
    limit_m : float
        Reach in metres (800 m is about a 10-minute walk).

    Examples
    --------
    >>> d = pd.Series({"a": 100.0, "b": 900.0, "c": 50.0})
    >>> p = pd.Series({"a": 300, "b": 100, "c": 200})
    >>> w = pd.Series({"a": "W1", "b": "W1", "c": "W2"})
    >>> reach_share(d, p, w, 800).to_dict()
    {'W1': 75.0, 'W2': 100.0}
    """
    frame = pd.DataFrame({"near": distance <= limit_m, "pop": population, "ward": ward_of_area}).dropna(subset=["ward"])
    reached = frame[frame["near"]].groupby("ward")["pop"].sum()
    total = frame.groupby("ward")["pop"].sum()
    return (reached.reindex(total.index).fillna(0) / total * 100).sort_index()


def need_indicators(keys: tuple[str, ...] | list[str], registry: dict) -> tuple[list[str], str]:
    """The indicators a need score may combine, and why any of ``keys`` is left out ("" when none is).

    A count (children in low-income families) is never a need score: a ward with more people has more of
    everything (the "counts" rule of :mod:`explorer.stats.judge`). It is still mapped, described.

    Examples
    --------
    >>> from explorer.registry import load_registry
    >>> from explorer import paths
    >>> registry = load_registry(paths.data_dir() / "registry" / "indicators.csv")
    >>> used, why = need_indicators(["le_male", "cilif_children"], registry)
    >>> used, why[:38]
    (['le_male'], 'Children aged 0-19 in relative low-inc')
    """
    used = [key for key in keys if not registry[key].is_count]
    counts = [registry[key].label for key in keys if registry[key].is_count]
    if not counts:
        return used, ""
    named = " and ".join(counts)
    return used, (f"{named} {'is' if len(counts) == 1 else 'are'} left out of the need score: a count, not a rate, "
                  "and a ward with more people has more of everything, so it is described on its map, never "
                  "weighed as need.")


def need_index(values: pd.DataFrame, polarity: dict[str, str], weights: dict[str, float]) -> pd.Series:
    """Weighted mean of signed z-scores (higher = more need); NaN for a ward missing any weighted indicator.

    Parameters
    ----------
    values : DataFrame
        Wards (rows) by indicator id (columns).
    polarity : dict
        Indicator id to registry polarity.
    weights : dict
        Indicator id to a non-negative weight; zero leaves the indicator out.
    """
    used = [k for k in values.columns if weights.get(k, 0) > 0]
    if not used:
        return pd.Series(np.nan, index=values.index)
    z = (values[used] - values[used].mean()) / values[used].std(ddof=0)
    for key in used:
        if polarity[key] == "higher_is_better":
            z[key] = -z[key]
    w = pd.Series({k: float(weights[k]) for k in used})
    return (z * w).sum(axis=1, min_count=len(used)) / w.sum()


def need_and_provision(need: pd.Series, provision: pd.Series, names: dict[str, str]) -> pd.DataFrame:
    """One row per ward: need score and rank (1 = most need), provision and its rank, and the flag.

    A ward is flagged when it is in the highest-need third and the lowest-provision third.
    """
    table = pd.DataFrame({"need": need, "provision": provision.reindex(need.index)})
    table["need_rank"] = table["need"].rank(ascending=False, method="min").astype("Int64")
    # Ties share the highest rank, so wards that all reach 100% are never counted as "low provision".
    table["provision_rank"] = table["provision"].rank(ascending=True, method="max").astype("Int64")
    third = len(table) / 3
    # A ward missing a figure is never flagged (its need or provision is unknown).
    table["flag"] = ((table["need_rank"] <= third) & (table["provision_rank"] <= third)).fillna(False).astype(bool)
    table.insert(0, "name", [names.get(c, c) for c in table.index])
    return table.sort_values(["need_rank", "name"])


def flagged_sentence(table: pd.DataFrame, what: str) -> str:
    """Name the high-need, low-provision wards in words."""
    flagged = table[table["flag"]]
    if flagged.empty:
        return (f"No ward is both in the highest-need third and the lowest third for {what}.")
    names = list(flagged["name"])
    listed = names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]
    return (f"High need, low provision: {listed} {'is' if len(names) == 1 else 'are'} in the highest-need third "
            f"of wards and the lowest third for {what}.")


def need_html(table: pd.DataFrame, reach_m: float) -> str:
    """:func:`need_and_provision` as an HTML table that fits any width (:mod:`explorer.models.tables`).

    Numbers are right-aligned with their unit in the header; a ward missing a figure reads "no data".
    """
    from explorer.models.tables import Column, html_table

    moved = [None if pd.isna(v) else f"{int(v):+d}".replace("-", "−") for v in table["moved"]] \
        if "moved" in table else [None] * len(table)
    shown = table.assign(flag=table["flag"].map({True: "⚑ high need, low provision", False: "–"}), moved=moved)
    columns = [Column("name", "Ward"), Column("need", "Need score (0 = the average ward)", numeric=True, decimals=2),
               Column("need_rank", "Need rank (1 = most)", numeric=True, decimals=0),
               Column("provision", f"% of residents within {reach_m:,} m", numeric=True, decimals=0),
               Column("provision_rank", "Provision rank (1 = least)", numeric=True, decimals=0),
               Column("moved", "Places moved against equal weights", numeric=True),
               Column("flag", "Flag")]
    return html_table(shown, columns, caption=f"Need and provision by ward (provision within {reach_m:,} m)")


def _named(names: list[str]) -> str:
    """"Foleshill", "Bablake and Sherbourne", "A, B and C"."""
    return names[0] if len(names) == 1 else f"{', '.join(names[:-1])} and {names[-1]}"


def sites_map_sentence(located: pd.Series, names: dict[str, str]) -> str:
    """What the interventions map shows: how many sites, where most are, and the wards with fewest or none.

    Every ward is counted, those with no site too (a site is listed in the register or not: a ward with none has
    none, nothing is estimated), so "fewest" is never said of a ward with one site while others have none.

    Parameters
    ----------
    located : Series
        The ward code each site shown lies in (the register's ``located_ward``).
    names : dict
        Every ward's name by code.

    Examples
    --------
    >>> names = {"a": "Bablake", "b": "Foleshill", "c": "Sherbourne", "d": "Upper Stoke"}
    >>> sites_map_sentence(pd.Series(["b", "b", "d"]), names)
    '3 sites of the chosen types; most in Foleshill (2); 2 wards have none (Bablake and Sherbourne).'
    >>> sites_map_sentence(pd.Series(["a", "b", "b", "c", "d"]), names)
    '5 sites of the chosen types; most in Foleshill (2); fewest in Bablake, Sherbourne and Upper Stoke (1 each).'
    >>> sites_map_sentence(pd.Series([], dtype=str), names)
    'No sites of the chosen types.'
    """
    if located.empty:
        return "No sites of the chosen types."
    counts = located.value_counts().reindex(list(names), fill_value=0)
    most, least = int(counts.max()), int(counts.min())
    top = sorted(names[c] for c in counts.index[counts == most])
    bottom = sorted(names[c] for c in counts.index[counts == least])
    sites = f"{len(located)} site{'s' if len(located) != 1 else ''} of the chosen types"
    if most == least:
        return f"{sites}: {most} in every ward."
    text = f"{sites}; most in {_named(top)} ({most}{' each' if len(top) > 1 else ''})"
    if least == 0:
        return text + f"; {len(bottom)} ward{'s have' if len(bottom) > 1 else ' has'} none ({_named(bottom)})."
    return text + f"; fewest in {_named(bottom)} ({least}{' each' if len(bottom) > 1 else ''})."


TYPE_COLOURS = {  # Okabe-Ito colours, distinguishable with the common colour-vision deficiencies
    "Family hub": "#E69F00", "Library": "#56B4E9", "GP practice": "#009E73", "Pharmacy": "#F0E442",
    "EV charge point": "#0072B2", "Waste drop site": "#D55E00", "Air quality monitoring site": "#CC79A7",
    "Fly-tipping hot street": "#000000",
}
OTHER_SITE = "#999999"


def site_marks(sites: pd.DataFrame):
    """The register's sites as map marks (:class:`explorer.models.webmap.Mark`), coloured by type.

    The web map and its picture both draw these; each tooltip names the site, its type and when its list was made.
    """
    from explorer.models.webmap import Mark
    from explorer.pipeline.interventions import when_words

    return {"Sites": [
        Mark(row.lat, row.lon, 5, "#000000", 1, None, TYPE_COLOURS.get(row.type, OTHER_SITE), 0.95,
             f"{row.name} ({row.type}; {when_words(row.dating, row.date_from, row.date_to)})", str(row.type))
        for row in sites.itertuples()]}


def need_picture(place, title: str, view, sites: pd.DataFrame, notes: list[str]):
    """The need map (wards by need score, the chosen sites on top) as a picture, with its notes under it."""
    from explorer.models.pictures import map_picture

    return map_picture(place.ward_shapes, view, title=f"{place.name}: {title}",
                       subtitle=f"{place.ward_set.label} · need score for this priority, with the chosen sites",
                       legend_title="Need score (this priority, the weights chosen)", notes=notes,
                       publisher=place.publisher, marks=site_marks(sites), names=place.ward_shapes)
