"""What the council's register lists in or near a ward, in plain words, each count dated."""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

# Plain names for the register's site types (singular, plural); a type not listed is shown as written.
PLAIN_TYPES = {
    "Library": ("library", "libraries"),
    "Family hub": ("family hub", "family hubs"),
    "GP practice": ("GP surgery", "GP surgeries"),
    "Pharmacy": ("pharmacy", "pharmacies"),
    "EV charge point": ("electric car charging point", "electric car charging points"),
    "Air quality monitoring site": ("air pollution monitor", "air pollution monitors"),
    "Fly-tipping hot street": ("street watched for fly-tipping", "streets watched for fly-tipping"),
    "Waste drop site": ("place to drop off rubbish", "places to drop off rubbish"),
}
PLAIN_PRIORITIES = {"communities": "Health and tackling inequalities", "climate": "Climate and cleaner streets",
                    "economy": "Jobs and money"}
VISIT_TYPES = ("Library", "Family hub")  # places a visitor can walk into: named one by one


def plain_type(kind: str, count: int) -> str:
    """``"3 libraries"``, ``"1 family hub"``; an unknown type is shown as written."""
    one, many = PLAIN_TYPES.get(kind, (kind.lower(), kind.lower()))
    return f"{count} {one if count == 1 else many}"


def nearby_lines(here: pd.DataFrame) -> list[str]:
    """One line per plan priority listing the sites in or near a ward, most numerous first, each dated.

    ``here`` holds register rows with ``type``, ``priority`` and the dating columns. Every count says when
    it was true ("18 electric car charging points, counted in November 2020"): the lists are of different
    dates, and none is known to be current.
    """
    lines = []
    # A register without a plan names no priority: its sites are listed under one plain heading.
    for priority, group in here.groupby(here["priority"].fillna("").astype(str), sort=True):
        counts = group["type"].value_counts()
        label = PLAIN_PRIORITIES.get(priority, str(priority)) if priority else "Sites and services"
        parts = [f"{plain_type(t, int(c))} ({_counted(group[group['type'] == t])})" for t, c in counts.items()]
        lines.append(f"{label}: " + ", ".join(parts) + ".")
    return lines


def _counted(rows: pd.DataFrame) -> str:
    """When a count of sites held: "on the list in January 2022", "open from January to March 2022"."""
    from explorer.pipeline.interventions import when_summary

    when = when_summary(rows)
    if when.startswith("at some time"):
        return f"recorded {when}"
    return f"open {when}" if rows["dating"].eq("period").all() else f"on the list {when}"


def places_to_visit(here: pd.DataFrame, limit: int = 6) -> list[str]:
    """Names of libraries and family hubs in or near a ward (places a visitor can walk into)."""
    visit = here[here["type"].isin(VISIT_TYPES)].sort_values(["where", "type", "name"])
    return [f"{name} ({PLAIN_TYPES[kind][0]})" for name, kind in zip(visit["name"], visit["type"], strict=True)][:limit]


@dataclass(frozen=True)
class NearbyView:
    """What the register lists in or near a ward, in words."""

    lines: list[str]
    visit: list[str]
    sources: str


def nearby_view(here: pd.DataFrame) -> NearbyView:
    """The lines of "what is being done near here" (see :func:`nearby_lines` and :func:`places_to_visit`)."""
    if not len(here):
        return NearbyView([], [], "")
    return NearbyView(nearby_lines(here), places_to_visit(here), "; ".join(sorted(set(here["source"].astype(str)))))
