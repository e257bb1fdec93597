"""What the "About the data" page says: sources, methods and caveats, built from the data files themselves."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from explorer.paths import shown
from explorer.registry import Indicator, registry_frame
from explorer.stats.judge import RULES
from geo.validate import check_filled, read_csv

MANIFEST_COLUMNS = ("file", "publisher", "dataset", "period", "geography", "licence", "attribution", "url")
ATTRIBUTIONS = (
    "Contains public sector information licensed under the Open Government Licence v3.0.",
    "Contains OS data © Crown copyright and database right.",
    "Contains National Statistics data © Crown copyright and database right.",
    "Contains Royal Mail data © Royal Mail copyright and database right (postcode lookup).",
    "FixMyStreet data © mySociety, ODC-By 1.0.",
)


def read_manifest(path: Path) -> pd.DataFrame:
    """A sources manifest (``data/sources.csv`` or a pack's): its columns, and every row's file, publisher, licence."""
    frame = read_csv(path, MANIFEST_COLUMNS, label=shown(path))
    check_filled(frame, ("file", "publisher", "licence"), shown(path))
    return frame


def indicator_sources(registry: dict[str, Indicator]) -> pd.DataFrame:
    """One row per indicator: what it is, its period, source, licence, method and caveat."""
    frame = registry_frame(registry)
    return frame[["theme", "label", "unit", "period", "geography", "source", "licence", "method_text", "caveat"]]


STORE_LOOKUP = "ONS's 2024 best-fit lookup; in councils re-warded since, by the area they share"


def straddling_words(wards: pd.DataFrame, area: str, lookup: str = "") -> str:
    """How many neighbourhoods straddle ward boundaries, in words.

    ``area`` is the authority's name; ``lookup`` says how neighbourhoods were assigned to wards (a local pack's
    own ward set says how its lookup was made).
    """
    total, shared = int(wards["lsoa21_count"].sum()), int(wards["lsoa21_straddling"].sum())
    lookup = lookup or STORE_LOOKUP
    return (
        f"{shared} of {area}'s {total} neighbourhoods (2021 LSOAs) have homes in two wards. Each is counted wholly "
        f"in the ward that holds most of its output areas ({lookup}), so figures for the wards that share them "
        "are close estimates rather than exact counts."
    )


WEIGHT_WORDS = {
    "census2021": "Census 2021 residents",
    "iod25_total": "the IoD 2025 mid-2022 populations",
    "iod25_children": "the IoD 2025 mid-2022 children aged 0-15",
    "iod25_older": "the IoD 2025 mid-2022 residents aged 60 and over",
    "iod25_working": "the IoD 2025 mid-2022 working-age residents",
    "iod19_total": "the IoD 2019 mid-2015 populations",
    "mye2019": "ONS mid-2019 population estimates",
    "area": "the area of each 1 km grid square inside the ward (not people)",
}


def weighting_lines(registry: dict[str, Indicator]) -> list[str]:
    """How each indicator's ward figures are weighted, grouped by weight, read from the registry itself.

    Examples
    --------
    >>> from explorer.registry import load_registry
    >>> from explorer import paths
    >>> lines = weighting_lines(load_registry(paths.data_dir() / "registry" / "indicators.csv"))
    >>> any(line.startswith("ONS mid-2019 population estimates:") for line in lines)
    True
    """
    groups: dict[str, list[str]] = {}
    for ind in registry.values():
        if not ind.on_ward_map:
            continue
        if ind.ward_published:
            words = "not weighted here (the publisher's own ward figures, as published)"
        elif ind.weight.startswith("column:"):
            words = f"the source's own count ({ind.weight.removeprefix('column:').replace('_', ' ')})"
        else:
            words = WEIGHT_WORDS.get(ind.weight, ind.weight)
        groups.setdefault(words, []).append(ind.label)
    return [f"{words[0].upper() + words[1:]}: {'; '.join(labels)}." for words, labels in groups.items()]


def judging_rules() -> list[tuple[str, str, str]]:
    """The rules every judgement follows (:data:`explorer.stats.judge.RULES`).

    Returns (when it applies, the words, the rule) for each rule.
    """
    return [(rule.applies, ", ".join(rule.words), rule.text) for rule in RULES]


def not_judged(registry: dict[str, Indicator]) -> list[str]:
    """Indicators never called better or worse, with the reason their caveat gives."""
    return [f"{ind.label}: {ind.caveat}" for ind in registry.values() if ind.on_ward_map and ind.judged == "no"]


def pack_lines(pack, area: str) -> list[str]:
    """What the About page says of a place's local pack: each part held, what it lacks, and its caveats.

    Parameters
    ----------
    pack : LocalPack or None
        The place's local pack (:class:`explorer.places.LocalPack`), None where its council has brought none.
    area : str
        The authority's name.

    Examples
    --------
    >>> pack_lines(None, "Leeds")[0][:60]
    '**Local content.** No local pack is held for Leeds: its plan'
    """
    from explorer.places.pack import PARTS, WORDS

    if pack is None:
        return [f"**Local content.** No local pack is held for {area}: its plan priorities, register of sites and "
                "services, councillors, postcode search, monitoring sites and series over time are not held. Any "
                "council can add its own (docs/packs.md)."]
    lines = []
    for part in PARTS:
        if part == "ward_set" or not pack.has(part):
            continue
        info = pack.parts[part]
        when = f" ({info.as_of})" if info.as_of else ""
        lines.append(f"**{WORDS[part][0].upper() + WORDS[part][1:]}**: {info.source or 'the council'}{when}.")
    missing = [WORDS[p] for p in PARTS if p != "ward_set" and not pack.has(p)]
    if missing:
        lines.append(f"**Not held for {area}:** {', '.join(missing)}.")
    return lines + list(pack.caveats)


def series_rules(place) -> list[str]:
    """How the change in each series over time the place holds is judged: title, rule and why (series.csv).

    The national series (every authority) and, where its local pack brings them, the pack's own; the words are
    the registry's ``rule_note``, the one statement of each rule.
    """
    from explorer.models.authority_series import ORDER
    from explorer.paths import data_dir
    from explorer.pipeline.series import load_series_registry

    ids = list(ORDER)
    if place.has("series"):
        ids += [i for i in place.local.table("series.csv")["series"].unique() if i not in ids]
    frame = load_series_registry(data_dir() / "registry" / "series.csv").set_index("id")
    words = {"threshold": "a stated threshold", "intervals": "published intervals, else a stated threshold",
             "counts": "Poisson counts", "proportions": "Newcombe interval", "paired": "paired interval",
             "editions": "not judged (editions)", "described": "described, not judged"}
    return [f"{frame.at[i, 'title']} ({words[frame.at[i, 'change_rule']]}): {frame.at[i, 'rule_note']}."
            for i in ids if i in frame.index]
