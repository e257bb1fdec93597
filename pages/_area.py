"""The "my area" view in plain English, shared by the library kiosk and the phone page, for any authority."""

from __future__ import annotations

import html
from datetime import date

import streamlit as st

from explorer.models import area_views
from explorer.models.kiosk.dates import ward_set_lines, when_words
from explorer.models.text import counted, md_escape
from explorer.places import NotHeld, Place
from geo.errors import DataError


def ward_set_notice(place: Place, name: str, postcode: str | None = None) -> None:
    """Say which ward set the figures use, and that the ward people vote in changed (from the place's ward sets)."""
    newer = [(v.label, v.in_force, v.mappable) for v in place.ward_sets if v.vintage != place.ward_set.vintage]
    lines = ward_set_lines(place.ward_set.label, place.ward_set.in_force, newer, name, postcode)
    with st.container(key="ward_set", border=True):
        st.markdown(":material/how_to_vote: " + " ".join(md_escape(line) for line in lines))


def show_area(place: Place, ward: str, *, kiosk: bool = False, postcode: str | None = None,
              today: date | None = None) -> str:
    """Lay out the facts, the comparison and what is nearby for ``ward``; return the ward's name.

    ``kiosk`` shows only plain words (who made each figure, not the file it came from) and lays the four
    facts out in one row (two by two in portrait); ``postcode`` is what the visitor typed, if they searched
    by postcode.
    """
    today = today or date.today()
    name, area = place.names[ward], place.name
    try:
        view = area_views.area(place, ward, today.isoformat())
    except DataError as exc:
        st.header(name, anchor=False)
        st.error(f"The facts cannot be shown. {exc}")
        view = None
    if view is not None:
        st.header(name, anchor=False)
        first, imd = view.deprivation_from, place.registry.get(area_views.FACT_INDICATORS_ALWAYS[0])
        if kiosk and first is not None:
            dated = f"(From {first.who}, with figures {when_words(first.start, first.end, today)}.)"
        elif imd is not None:
            dated = f"(Index of Multiple Deprivation, {imd.period}. Source: {imd.source}.)"
        else:
            dated = ""
        st.markdown(f"{md_escape(view.deprivation)} {md_escape(dated)}")
    ward_set_notice(place, name, postcode)

    facts = view.facts if view is not None else []
    with st.container(key="kiosk_facts" if kiosk else "area_facts"):
        per_row = max(len(facts), 1) if kiosk else 2
        for start in range(0, len(facts), per_row):
            for k, (col, shown) in enumerate(zip(st.columns(per_row), facts[start:start + per_row], strict=False),
                                             start=start):
                fact = shown.fact
                with col.container(border=True, key=f"fact_{k}"):
                    st.subheader(f":material/{fact.icon}: {fact.heading}", anchor=False)
                    # One Markdown element per fact: every element costs the browser time to draw.
                    said = [f":material/calendar_month: **{md_escape(shown.when)}**"] if shown.when else []
                    said.append(md_escape(fact.sentence))
                    if fact.comparison:
                        said.append(f"**{md_escape(fact.comparison)}**")
                    if shown.yardstick:
                        said.append(md_escape(shown.yardstick))
                    st.markdown("\n\n".join(said))
                    if fact.held:
                        st.caption(md_escape(f"How: {fact.how} From: {shown.who}.")
                                   + ("" if kiosk else "\n\n" + md_escape(f"Source: {fact.sources}.")))

    st.subheader(f"Where it is in {area}", anchor=False)
    map_col, words_col = st.columns([1, 1])
    map_col.html(f'<img class="area-map" src="{area_views.area_svg(place, ward)}" style="max-width:100%;height:auto" '
                 f'alt="Map of {html.escape(area)}\'s wards with {html.escape(name)} in dark blue">')
    words_col.markdown("**What the map shows.** " + md_escape(
        f"{area}'s {counted(len(place.codes), 'ward')} as they were from {place.ward_set.in_force}. "
        f"{name} is dark blue. Ward edges from Ordnance Survey and the Office for National Statistics."))

    st.subheader("What is being done near here", anchor=False)
    try:
        near = area_views.nearby(place, ward)
    except NotHeld as exc:
        st.markdown(md_escape(str(exc)))
        return name
    except DataError as exc:
        st.error(f"This part cannot be shown. {exc}")
        return name
    if not near.lines:
        st.markdown("The council's list has no sites in or near this area.")
        return name
    st.markdown(f"In {md_escape(name)} or within 500 metres of it, the council's list of sites and services has:")
    st.markdown("\n".join(f"- {md_escape(line)}" for line in near.lines))
    if near.visit:
        st.markdown("Places you can visit: " + md_escape(", ".join(near.visit)) + ".")
    if kiosk:
        st.caption("From the council's list of sites and services, which puts together lists from the council, "
                   "the NHS and others.")
    else:
        st.caption(md_escape(f"From the explorer's interventions register. Sources: {near.sources}."))
    return name
