"""Similar authorities and each authority's gaps: "Coventry beside its peers".

**Similar authorities** are computed here from the data held, as ONS's Explore Local Statistics finds
"similar areas": each authority is described by the measures in :data:`MEASURES`, each measure is
standardised across England's 296 authorities (minus its mean, over its standard deviation), and the
distance between two authorities is the Euclidean distance between their standardised measures. The ten
nearest are an authority's peers. Where a measure is missing for either authority, the distance uses the
measures both have, scaled up by sqrt(all measures / measures used), and the note says so. These are not
CIPFA's nearest neighbours (a paid model not held here) and must never be called that.

**Gaps** are PHE's ``phe_sii`` slope index (:mod:`explorer.stats.inequality`, through
:func:`explorer.stats.gaps.marmot_gap`)
over the authority's own small areas: life expectancy, healthy and disability-free life expectancy over its
2011 MSOAs ordered by IMD 2025 (averaged over each MSOA's 2021 LSOAs, Census 2021 residents), disability over
its 2021 LSOAs ordered by IMD 2025, and the distance to a park over its 2011 LSOAs ordered by IMD 2019. An
authority whose areas with a value cannot fill all five fifths (City of London and the Isles of Scilly have
one MSOA each) gets no figure and a reason instead; so does one whose areas are too few, or too alike in
deprivation, for a slope to mean anything (Rutland's 5 MSOAs: :func:`explorer.stats.inequality.gradient_reason`).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from explorer.pipeline import national_inputs as ni
from explorer.pipeline.comparators import ENGLAND
from explorer.pipeline.inputs import Inputs
from explorer.pipeline.parallel import ordered_map
from explorer.registry import Indicator
from explorer.stats.gaps import gap_over, slope_note, units
from explorer.stats.inequality import assign_quantiles
from geo.validate import check_numeric

MEASURES = {
    "imd25_score": "IMD 2025 average score (MHCLG's local authority summary)",
    "imd25_lsoas_d1": "% of the authority's LSOAs in England's most deprived 10% (IMD 2025, MHCLG)",
    "log_population": "Census 2021 residents (natural logarithm)",
    "le_male": "Life expectancy at birth, men, 2009-2013 (old: the newest small-area figures held; ONS's figure "
               "where published, else computed here)",
    "le_female": "Life expectancy at birth, women, 2009-2013 (old: the newest small-area figures held; ONS's figure "
                 "where published, else computed here)",
    "disability": "% of residents disabled under the Equality Act (Census 2021)",
}
PEERS = 10
# The indicators whose gap (most minus least deprived fifth) is worked out for every authority and England.
GAP_INDICATORS = ("le_male", "le_female", "hle_male", "hle_female", "dfle_male", "dfle_female", "disability",
                  "green_space_distance")
GROUPS = 5
NOT_CIPFA = ("Similar authorities computed here from the data held (not CIPFA's nearest neighbours): "
             "standardised measures, Euclidean distance.")
MARMOT_NOTE = ("INCOMPLETE: the places listed in marmot_places_PARTIAL.csv with their sources; the sources speak of "
               "more than 50 Marmot places, and only single English authorities can be set beside one another here.")


def peer_measures(authorities: pd.DataFrame, values: pd.DataFrame, inp: Inputs) -> pd.DataFrame:
    """The :data:`MEASURES` of every authority, by code (NaN where a measure is missing)."""
    la = values[values["geography"] == "la"].pivot(index="code", columns="indicator", values="value")
    la25 = inp.csv(ni.LA25, ["ltla24_code", "imd_proportion_of_lso_as_in_most_deprived_10_percent_nationally"])
    share = check_numeric(la25, "imd_proportion_of_lso_as_in_most_deprived_10_percent_nationally",
                          inp.label(ni.LA25)) * 100
    _, successor = ni.read_authorities(inp)
    recoded = ni.recodes(successor)
    share.index = la25["ltla24_code"].map(lambda c: recoded.get(c, c))
    pop = values[(values["geography"] == "lsoa21") & (values["indicator"] == "disability")]
    population = pop.groupby("la")["denominator"].sum()
    out = pd.DataFrame(index=authorities["code"])
    out["imd25_score"] = la["imd25_score"]
    out["imd25_lsoas_d1"] = share
    out["log_population"] = np.log(population)
    for key in ("le_male", "le_female", "disability"):
        out[key] = la[key]
    return out


def similar_authorities(measures: pd.DataFrame, authorities: pd.DataFrame | None = None,
                        k: int = PEERS) -> pd.DataFrame:
    """The ``k`` most similar authorities of each authority, nearest first.

    Parameters
    ----------
    measures : DataFrame
        One row per authority (index: code), one column per measure.
    authorities : DataFrame, optional
        ``code`` and ``name``, to name the peers.
    k : int
        How many peers.

    Returns
    -------
    DataFrame
        ``la``, ``rank`` (1 = nearest), ``peer``, ``peer_name``, ``distance``, the peer's measures and ``note``.

    Examples
    --------
    >>> m = pd.DataFrame({"x": [0.0, 1.0, 5.0], "y": [0.0, 1.0, 5.0]}, index=["a", "b", "c"])
    >>> similar_authorities(m, k=1)[["la", "peer"]].values.tolist()
    [['a', 'b'], ['b', 'a'], ['c', 'b']]
    """
    z = (measures - measures.mean()) / measures.std(ddof=0)
    values = z.to_numpy(float)
    have = ~np.isnan(values)
    filled = np.nan_to_num(values)
    names = authorities.set_index("code")["name"] if authorities is not None else pd.Series(dtype=str)
    rows = []
    total = values.shape[1]
    for i, code in enumerate(z.index):
        both = have[i] & have
        used = both.sum(axis=1)
        diff = (filled[i] - filled) ** 2 * both
        with np.errstate(divide="ignore", invalid="ignore"):
            dist = np.sqrt(diff.sum(axis=1) * total / used)
        dist[i] = np.inf
        dist[used == 0] = np.inf
        order = np.argsort(dist, kind="stable")[:k]
        missing = [m for m, ok in zip(measures.columns, have[i], strict=True) if not ok]
        note = NOT_CIPFA + (f" {code} has no {', '.join(missing)}: distances use the other measures."
                            if missing else "")
        for rank, j in enumerate(order, start=1):
            rows.append({"la": code, "rank": rank, "peer": z.index[j], "peer_name": names.get(z.index[j], ""),
                         "distance": round(float(dist[j]), 4), **measures.iloc[j].to_dict(), "note": note})
    return pd.DataFrame(rows)


def too_few_reason(frame: pd.DataFrame, words: str, name: str, assignment: pd.Series | None = None) -> str:
    """Why no gap can be worked out over these areas, or "" when every fifth has an area with a value.

    ``assignment`` is :func:`~explorer.stats.inequality.assign_quantiles` of ``frame`` into :data:`GROUPS`,
    where the caller has it already.
    """
    have = frame.dropna(subset=["value"])
    if have.empty:
        return f"No gap: none of {name}'s {words} has a value."
    if assignment is None:
        assignment = assign_quantiles(frame["deprivation"], frame["population"], GROUPS)
    groups = assignment.reindex(have.index).nunique()
    if groups < GROUPS:
        return (f"No gap: {name} has {len(have)} {words} with a value, too few to make {GROUPS} groups of similar "
                f"population from most to least deprived (only {groups} can be filled), so no slope index is "
                "worked out.")
    return ""


def authority_gaps(codes: list[str], registry: dict[str, Indicator], values: pd.DataFrame, lookups: pd.DataFrame,
                   weights: pd.DataFrame, authorities: pd.DataFrame, tick=None, workers: int = 1) -> pd.DataFrame:
    """The gap (most minus least deprived fifth), SII and RII of each gap indicator, per authority and England.

    Differences are most deprived minus least deprived (negative: lower in the most deprived), as the
    Coventry gap table gives them; RII is phe_sii's ratio least / most deprived. ``note`` says why a figure
    is missing. The authorities are shared among ``workers`` processes (:func:`explorer.pipeline.parallel.ordered_map`),
    each given only its own tables; ``tick`` (optional) is called after each authority, and after England.
    """
    names = authorities.set_index("code")["name"]
    small = values[values["geography"].isin(["lsoa21", "lsoa11", "msoa11"])]
    by_la = {code: part for code, part in small.groupby("la")}
    look = {code: part for code, part in lookups.groupby("la")}
    wts = {code: part for code, part in weights.groupby("la")}
    tasks = [(code, names[code], by_la.get(code, small.iloc[:0]), look[code], wts[code], registry) for code in codes]
    rows = [row for found in ordered_map(gap_rows, tasks, workers, tick) for row in found]
    rows += gap_rows(ENGLAND, "England", small, lookups, weights, registry)
    if tick is not None:
        tick()
    out = pd.DataFrame(rows)
    for column in ("most_deprived", "least_deprived", "gap", "sii", "sii_lower", "sii_upper", "rii", "rii_lower",
                   "rii_upper"):
        if column not in out:
            out[column] = np.nan
    return out


def gap_rows(code: str, name: str, values: pd.DataFrame, lookups: pd.DataFrame, weights: pd.DataFrame,
             registry: dict[str, Indicator]) -> list[dict]:
    """One area's rows of :func:`authority_gaps`, from its own small areas' values, lookups and weights.

    Its areas and their deprivation ordering are found once for all its indicators (``orderings`` of
    :func:`explorer.stats.gaps.units`), and its groups once per indicator.
    """
    rows = []
    orderings: dict = {}
    for key in GAP_INDICATORS:
        ind = registry[key]
        frame, words, order = units(ind, values, lookups, weights, registry, orderings=orderings)
        row = {"la": code, "indicator": key, "label": ind.label, "unit": ind.unit, "period": ind.period,
               "source": ind.source, "areas": int(frame["value"].notna().sum()), "units": words, "ordering": order}
        assignment = assign_quantiles(frame["deprivation"], frame["population"], GROUPS)
        reason = too_few_reason(frame, words, name, assignment)
        if reason:
            rows.append({**row, "note": reason})
            continue
        r = gap_over(ind, frame, words, order, GROUPS, assignment=assignment)
        s = r.slope
        row.update(most_deprived=r.table["value"].iloc[0], least_deprived=r.table["value"].iloc[-1],
                   gap=r.absolute, note=r.no_slope)
        if s is not None:  # None: too few areas, or too alike in deprivation, for a slope (the note says)
            row.update(sii=-s.sii, sii_lower=-s.sii_upper, sii_upper=-s.sii_lower, rii=s.rii,
                       rii_lower=s.rii_lower, rii_upper=s.rii_upper, note=slope_note(s))
        rows.append(row)
    return rows


def marmot_places(inp: Inputs, successor: pd.Series, authorities: pd.DataFrame) -> pd.DataFrame:
    """The Marmot places listed (incomplete), each with its source, and its current authority where it is one."""
    frame = inp.csv(ni.MARMOT, ["place", "gss_code", "geography_type", "in_england", "status_as_stated",
                                "date_as_stated", "source_url", "source_quote"]).fillna("")
    codes = set(authorities["code"])
    current = frame["gss_code"].map(lambda c: successor.get(c, c) if c else "")
    return frame.assign(authority=current.where(current.isin(codes), ""), note=MARMOT_NOTE)
