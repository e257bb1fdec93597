"""The "my area" view in plain English, shared by the library kiosk and the phone page."""

from __future__ import annotations

import html
from datetime import date

import streamlit as st

from explorer.models.kiosk import ward_set_lines, when_words
from explorer.models.text import md_escape
from geo.errors import DataError
from pages import _cache as cache


def ward_set_notice(core: cache.Core, name: str, postcode: str | None = None) -> None:
    """Say which ward set the figures use, and that the ward people vote in changed (from ward_vintages.csv)."""
    newer = [(v.label, v.in_force, v.mappable) for v in core.all_vintages if v.vintage != core.vintage.vintage]
    lines = ward_set_lines(core.vintage.label, core.vintage.in_force, newer, name, postcode)
    with st.container(key="ward_set", border=True):
        st.markdown(":material/how_to_vote: " + " ".join(md_escape(line) for line in lines))


def show_area(core: cache.Core, ward: str, *, kiosk: bool = False, postcode: str | None = None,
              today: date | None = None) -> str:
    """Lay out the facts, the comparison and what is nearby for ``ward``; return the ward's name.

    ``kiosk`` shows only plain words (who made each figure, not the file it came from) and lays the four
    facts out in one row (two by two in portrait); ``postcode`` is what the visitor typed, if they searched
    by postcode.
    """
    today = today or date.today()
    name = core.names[ward]
    imd = core.registry["imd25_score"]
    try:
        view = cache.area_view(ward, today)
    except DataError as exc:
        st.header(name, anchor=False)
        st.error(f"The facts cannot be shown. {exc}")
        view = None
    if view is not None:
        st.header(name, anchor=False)
        first = view.deprivation_from
        if kiosk and first is not None:
            dated = f"(From {first.who}, with figures {when_words(first.start, first.end, today)}.)"
        else:
            dated = f"(Index of Multiple Deprivation, {imd.period}. Source: {imd.source}.)"
        st.markdown(f"{md_escape(view.deprivation)} {md_escape(dated)}")
    ward_set_notice(core, name, postcode)

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
                    said = [f":material/calendar_month: **{md_escape(shown.when)}**", md_escape(fact.sentence)]
                    if fact.comparison:
                        said.append(f"**{md_escape(fact.comparison)}**")
                    if shown.yardstick:
                        said.append(md_escape(shown.yardstick))
                    st.markdown("\n\n".join(said))
                    st.caption(md_escape(f"How: {fact.how} From: {shown.who}.")
                               + ("" if kiosk else "\n\n" + md_escape(f"Source: {fact.sources}.")))

    st.subheader("Where it is in Coventry", anchor=False)
    map_col, words_col = st.columns([1, 1])
    map_col.html(f'<img class="area-map" src="{cache.area_svg(ward)}" style="max-width:100%;height:auto" '
                 f'alt="Map of Coventry\'s wards with {html.escape(name)} in dark blue">')
    words_col.markdown(
        f"**What the map shows.** Coventry's {len(core.codes)} wards as they were from "
        f"{md_escape(core.vintage.in_force)}. {md_escape(name)} is dark blue. Ward edges from Ordnance Survey "
        "and the Office for National Statistics."
    )

    st.subheader("What is being done near here", anchor=False)
    try:
        near = cache.nearby_view(ward)
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
