"""A council's plan priorities (else the themes by Marmot principle): their indicators, the council's
interventions, need against provision, trends."""

import html

import folium
import pandas as pd
import streamlit as st

from explorer.models import authority_series as over_time
from explorer.models import downloads, map_views, plan_views
from explorer.models.citymap import MapView, summary_sentence, ward_table, ward_view
from explorer.models.provision import (
    OTHER_SITE,
    TYPE_COLOURS,
    flagged_sentence,
    need_and_provision,
    need_html,
    need_index,
    need_indicators,
    need_picture,
    reach_share,
    site_marks,
    sites_map_sentence,
)
from explorer.models.webmap import LEGEND_CSS, choropleth_map, feature_collection, legend_html, map_document
from explorer.pipeline.interventions import held_in, register_years, when_summary
from explorer.pipeline.priorities import DEFAULT_WEIGHT, default_reach, default_types
from explorer.places import NotHeld
from explorer.stats.classify import classify
from geo.errors import DataError
from geo.points import nearest_distance
from geo.svg import svg_map
from pages import _cache as cache
from pages import _gap_time as gap_time
from pages import _over_time
from pages import _pictures as pictures
from pages import _tables as tables
from pages._url import notice_if_stale

REACH_M = (200, 2000, 100)  # the distance slider: least, most and step, in metres

st.title("Plan priorities")
place = cache.place_or_stop("The priorities cannot be shown.")
registry, values, wards, ward_shapes = place.registry, place.values, place.wards, place.ward_shapes
plan_title = plan_views.plan_title(place)
try:
    priorities, principles, register, problems = plan_views.plan(place)
except DataError as exc:
    st.error(f"The priorities cannot be shown. {exc}")
    st.stop()

names = place.names
by_title = {p.title: p for p in priorities}
types = sorted(register["type"].unique()) if register is not None and len(register) else []
WEIGHT_KEYS = {key: f"w_{key}" for p in priorities for key in p.indicators}


def open_with_defaults() -> None:
    """A newly chosen priority opens with its own weights, provision types and distance, as its link does."""
    chosen_priority = by_title.get(st.session_state.get("priority"))
    if chosen_priority is None:
        return
    start = {WEIGHT_KEYS[key]: DEFAULT_WEIGHT for key in chosen_priority.indicators}
    start |= {"provision_types": default_types(chosen_priority, types),
              "reach_m": default_reach(chosen_priority, REACH_M)}
    for key, value in start.items():
        if key in st.session_state:  # a widget not drawn yet starts at its default anyway
            st.session_state[key] = value


notice_if_stale("priority", list(by_title), "priority", priorities[0].title)  # the titles: the options
priority = by_title[
    st.selectbox(plan_title, list(by_title), key="priority", bind="query-params",
                 on_change=open_with_defaults)
]
if problems:
    st.warning(f"{len(problems)} row(s) of the interventions register were set aside; the rest are shown. "
               + " ".join(problems[:5]))

if not place.has("plan"):
    st.info(f"{place.name}'s own plan is not held here, so the same themes are grouped by the eight Marmot "
            "principles (Marmot Review 10 Years On, 2020) instead. A council can add its plan's priorities in a "
            "local pack (see docs/packs.md).")


def trends() -> None:
    """Is it getting better: each series over time the priority names, with its stated change rule."""
    st.header("Is it getting better?")
    if not priority.city_series:
        st.markdown(f"No series over time is held here for this {'theme' if priority.kind == 'theme' else 'priority'}"
                    f" for {place.name}.")
    # A place whose pack holds no series of its own has the national store's (every authority's) for these ids.
    own = () if place.has("series") else tuple(k for k in priority.city_series if k in over_time.ORDER)
    if own:
        _over_time.show(place, own)
    for key in priority.city_series:
        if key in own:
            continue
        try:
            trend = cache.charted(place, plan_views.series, key)  # built once per series
        except NotHeld as exc:
            st.info(str(exc))
            break
        except DataError as exc:
            st.warning(f"Trends not shown. {exc}")
            break
        if trend is None:
            continue
        st.subheader(trend.title)
        chart_col, table_col = st.columns([3, 2])
        chart_col.vega_lite_chart(trend.chart, width="stretch")
        table_col.html(trend.table)
        st.markdown(f"**What the chart shows.** {html.escape(trend.change, quote=False)}")
        st.caption(f"{trend.caption} How change is judged here: {trend.rule}.")
        tables.buttons(place, f"pack_series_{key}", f"{trend.title} over time",
                       lambda key=key: downloads.pack_series_file(place, key))
        pictures.offer(place, f"series_{key}", plan_views.series_picture, key,
                       period=lambda key=key: downloads.pack_series_file(place, key), what="chart",
                       key=f"trend_{key}")
    st.header("Is the gap narrowing?")
    gap_time.show_each(place, priority.indicators, cache.manifest())


st.markdown(
    f"**{priority.kind.capitalize()}.** "
    + (f"Promised outcomes: {'; '.join(priority.outcomes)}. " if priority.outcomes else "")
    + (f"Marmot principles: {'; '.join(f'{n}. {principles[n]}' for n in priority.marmot_principles)}."
       if priority.marmot_principles else "")
)
if not priority.indicators:
    st.info("No indicator in this app measures this enabler: the open data held here has nothing on the council's "
            "finances or partnerships. Choose one of the three priorities to see need, provision and trends."
            if priority.kind == "enabler" else
            f"No indicator held here for {place.name} measures this {priority.kind}. Choose another to see where "
            "the need is.")
    st.stop()

st.header("Where the need is")
columns = st.columns(3)
for i, key in enumerate(priority.indicators):
    ind = registry[key]
    table = ward_table(values, wards, ind, place.name)
    view = ward_view(table, ind)
    fills = [fill for _, fill in view.styles(ward_shapes["code"])]  # as the city map and its pictures
    svg = svg_map(ward_shapes, fills, [view.tips[c] for c in ward_shapes["code"]], width=260,
                  label=f"Ward map of {ind.label}")
    legend = " ".join(
        f'<span style="display:inline-block;width:0.9rem;height:0.7rem;background:{c};border:1px solid #333;'
        'forced-color-adjust:none"></span>'
        f" {html.escape(lab)}" for c, lab in zip(view.classes.colours, view.classes.labels, strict=True))
    with columns[i % 3]:
        st.markdown(f"**{html.escape(ind.label)}** ({html.escape(ind.unit)}, {html.escape(ind.period)}; "
                    f"{ind.direction_words})")
        st.markdown(svg + f'<div style="font-size:0.8rem">{legend}</div>', unsafe_allow_html=True)
        st.markdown(f"**What the map shows.** {html.escape(summary_sentence(table, ind), quote=False)}")
        st.caption(f"Source: {ind.source}.")
        pictures.offer(place, f"map_{key}_wards_", map_views.map_picture, key, False, (),
                       table=f"{ind.label} map by ward", period=ind.period, what="map", key=f"need_{key}")

if register is None:
    st.info(f"No register of the council's services or interventions is held here for {place.name}, so need is not "
            "set against provision. A council can add its register in a local pack (see docs/packs.md).")
    trends()
    st.stop()

st.header("Need against provision")
need_keys, left_out = need_indicators(priority.indicators, registry)  # a count is never a need score
left, right = st.columns([2, 1])
with left:
    st.markdown("Weight each indicator (0 leaves it out). Need is the weighted average of each ward's standardised "
                "values, turned so that higher always means more need.")
    if left_out:
        st.caption(left_out)
    # Weights, provision types and distance live in the link (default values are left out of it), so the same
    # link always gives the same view.
    weights = {key: st.slider(registry[key].label, 0, 3, DEFAULT_WEIGHT, key=WEIGHT_KEYS[key], bind="query-params")
               for key in need_keys}
with right:
    chosen = st.multiselect("Count as provision", types, default=default_types(priority, types),
                            key="provision_types", bind="query-params")
    reach = st.slider("Within (metres of the neighbourhood centre)", *REACH_M[:2],
                      default_reach(priority, REACH_M), step=REACH_M[2], key="reach_m", bind="query-params")
    years = [str(y) for y in register_years(register)] if len(register) else []
    chosen_year = st.selectbox("Count sites recorded in", ["any", *years], key="provision_year",
                               bind="query-params",
                               format_func=lambda y: "any year (each site as last recorded)" if y == "any" else y,
                               help="The register's lists are of different dates. Choose a year to count only the "
                                    "sites known to be there that year: a list made in that year, or a period that "
                                    "covers it.")
    year = None if chosen_year == "any" else int(chosen_year)

matrix = pd.DataFrame({key: values[(values["indicator"] == key) & (values["geography"] == "ward")]
                      .set_index("code")["value"] for key in need_keys}).reindex(wards["code"])
polarity = {key: registry[key].polarity for key in need_keys}
need = need_index(matrix, polarity, weights)
equal = need_index(matrix, polarity, dict.fromkeys(need_keys, 1))
sites = held_in(register[register["type"].isin(chosen) & register["inside"]], year) if len(register) \
    else register
try:
    centres = plan_views.lsoa_centres(place)
    lookups = place.lookups
    population = place.weights.query("geography == 'lsoa21'").set_index("code")["census2021"]
except DataError as exc:
    st.error(f"Need and provision cannot be worked out. {exc} The other pages still work.")
    st.stop()
lsoa_ward = lookups[lookups["geography"] == "lsoa21"].set_index("lsoa")["ward"]
distance = nearest_distance(centres, sites["lat"], sites["lon"]) if len(sites) else pd.Series(float("nan"),
                                                                                             index=centres["code"])
provision = reach_share(distance.fillna(float("inf")), population, lsoa_ward, reach)
result = need_and_provision(need, provision, names)
baseline = need_and_provision(equal, provision, names)["need_rank"]
result["moved"] = [int(baseline[c]) - int(r) if pd.notna(r) and pd.notna(baseline[c]) else None
                   for c, r in result["need_rank"].items()]
what = f"residents within {reach:,} m of {' or '.join(chosen) if chosen else 'any chosen site'}"
st.markdown(f"**{html.escape(flagged_sentence(result, what), quote=False)}**")
st.html(need_html(result, reach))
listed = "; ".join(f"{t}, {when_summary(g)}" for t, g in sites.groupby("type")) if len(sites) else "none"
# Kept per choice (priority, weights, types, distance, year): the files follow every choice on the page.
tables.buttons(place, f"need_{priority.id}_{sorted(weights.items())}_{chosen}_{reach}_{year}", "need and provision",
               lambda: downloads.need_file(place, result, priority=priority.title, indicators=need_keys,
                                           weights=weights, provision=chosen, reach_m=reach, year=year,
                                           sites_words=listed))
st.caption("Provision counts residents by the centre of their 2021 neighbourhood (LSOA) and straight-line distance; "
           f"sites from the interventions register ({len(sites)} of the chosen types"
           + (f" recorded in {year}" if year else "") + f"). When each list was made: {listed}"
           + ". None of these lists is known to be current. Populations: Census 2021.")

st.header("Interventions on the map")
need_view = MapView(
    result["need"], classify(result["need"], "higher_is_worse", 2),
    {code: (f"{row.name}\n" + (f"need rank {row.need_rank} of {len(result)}" if pd.notna(row.need_rank)
                                 else "need: no data") + f"\n{row.provision:.0f}% of residents within {reach} m")
     for code, row in result.iterrows()},
)
fmap = choropleth_map(feature_collection(ward_shapes, need_view), ward_shapes.total_bounds, layer_name="Need",
                      label="Map of need by ward with the sites of this priority. Every ward's need and provision is "
                            "in the table under Need against provision; how many sites of each type, beside the map.")
for mark in site_marks(sites)["Sites"]:
    folium.CircleMarker([mark.lat, mark.lon], radius=mark.radius, color=mark.colour, weight=mark.weight, fill=True,
                        fill_color=mark.fill, fill_opacity=mark.fill_opacity,
                        tooltip=html.escape(mark.tip)).add_to(fmap)
map_col, legend_col = st.columns([3, 1])
with map_col:
    st.iframe(map_document(fmap), height=480, alt="Map of need by ward with the sites of this priority")
with legend_col:
    st.markdown(LEGEND_CSS + legend_html("Need score (this priority, your weights)", need_view,
                                         ["Darker = more need."]), unsafe_allow_html=True)
    counts = sites["type"].value_counts() if len(sites) else pd.Series(dtype=int)
    st.markdown("".join(
        f'<div><span style="display:inline-block;width:0.9rem;height:0.9rem;border-radius:50%;border:1px solid #000;'
        'forced-color-adjust:none;'
        f'background:{TYPE_COLOURS.get(t, OTHER_SITE)}"></span> {html.escape(t)} ({n})</div>'
        for t, n in counts.items()), unsafe_allow_html=True)
st.markdown("**What the map shows.** " + html.escape(sites_map_sentence(sites["located_ward"], names), quote=False))
need_notes = [f"Need: the weighted average of each ward's standardised values, turned so that higher always means "
              f"more need (weights: {'; '.join(f'{registry[k].label} {w}' for k, w in weights.items())}).",
              *(f"{registry[k].label}: {registry[k].period}; source: {registry[k].source}." for k in need_keys),
              f"Sites: {len(sites)} from the council's interventions register ({', '.join(chosen) or 'none chosen'}"
              + (f"; recorded in {year}" if year else "") + "). None of these lists is known to be current.",
              "Boundaries: ONS; contains OS data © Crown copyright and database right. Map drawn with matplotlib."]
pictures.offer(place, f"need_{priority.id}_{sorted(weights.items())}_{sorted(chosen)}_{reach}_{year}", need_picture,
               f"Need by ward and the sites of {priority.title}", need_view, sites, need_notes,
               table=f"{priority.title} need and sites map", what="map", key="need_map",
               period=downloads.latest_period(registry[k].period for k in need_keys))

trends()
