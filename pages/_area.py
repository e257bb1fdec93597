"""The "my area" view in plain English, shared by the library kiosk and the phone page."""

from __future__ import annotations

import streamlit as st

from explorer.errors import DataError
from explorer.kiosk import area_facts, deprivation_rank_sentence, nearby_lines, places_to_visit
from explorer.text import md_escape
from geo.svg import svg_map
from pages import _cache as cache

HIGHLIGHT, OTHERS = "#08519c", "#deebf7"


def show_area(core: cache.Core, ward: str) -> str:
    """Lay out the facts, the comparison and what is nearby for ``ward``; return the ward's name."""
    ward_row = core.wards.set_index("code").loc[ward]
    name = str(ward_row["name"])
    table = cache.profile(ward)
    imd = core.registry["imd25_score"]

    st.header(name, anchor=False)
    st.markdown(f"{md_escape(deprivation_rank_sentence(name, table))} "
                f"(Index of Multiple Deprivation, {md_escape(imd.period)}. Source: {md_escape(imd.source)}.)")
    try:
        facts = area_facts(table, cache.kiosk_facts(), core.registry)
    except DataError as exc:
        st.error(f"The facts cannot be shown. {exc}")
        facts = []
    for start in range(0, len(facts), 2):
        for col, fact in zip(st.columns(2), facts[start:start + 2], strict=False):
            with col.container(border=True):
                st.subheader(f":material/{fact.icon}: {fact.heading}", anchor=False)
                st.markdown(md_escape(fact.sentence))
                if fact.comparison:
                    st.markdown(f"**{md_escape(fact.comparison)}**")
                st.caption(md_escape(f"How: {fact.how} When and who: {fact.sources}."))

    st.subheader("Where it is in Coventry", anchor=False)
    shapes = core.ward_shapes
    fills = [HIGHLIGHT if code == ward else OTHERS for code in shapes["code"]]
    map_col, words_col = st.columns([1, 1])
    drawing = svg_map(shapes, fills, list(shapes["name"]), width=460, max_height=420,
                      label=f"Map of Coventry's wards with {name} in dark blue")
    map_col.markdown(drawing.replace("<svg ", '<svg style="max-width:100%;height:auto" ', 1), unsafe_allow_html=True)
    words_col.markdown(
        f"**What the map shows.** Coventry's {len(shapes)} wards. {md_escape(name)} is dark blue. "
        "Ward boundaries from Ordnance Survey and ONS (2019 wards)."
    )

    st.subheader("What is being done near here", anchor=False)
    try:
        here = cache.sites_near(ward, 500)
    except DataError as exc:
        st.error(f"This part cannot be shown. {exc}")
        return name
    if not len(here):
        st.markdown("The council's list has no sites in or near this area.")
        return name
    st.markdown(f"In {md_escape(name)} or within 500 metres of it, the council's list of sites and services has:")
    st.markdown("\n".join(f"- {md_escape(line)}" for line in nearby_lines(here)))
    visit = places_to_visit(here)
    if visit:
        st.markdown("Places you can visit: " + md_escape(", ".join(visit)) + ".")
    sources = "; ".join(sorted(set(here["source"].astype(str))))
    st.caption(md_escape(f"From the explorer's interventions register. Sources: {sources}."))
    return name
