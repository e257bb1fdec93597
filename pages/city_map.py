"""Home page: the wards of the chosen authority coloured by any indicator, with a drill-down to neighbourhoods."""

import html

import streamlit as st

from explorer.models.citymap import (
    map_label,
    slug_of,
    small_area_sentence,
    summary_sentence,
    ward_csv,
    ward_export,
)
from explorer.models.export import CSV_MIME, XLSX_MIME, ward_workbook
from explorer.models.webmap import LEGEND_CSS, choropleth_map, feature_collection, legend_html
from geo.errors import DataError
from pages import _cache as cache
from pages._url import notice_if_stale

SMALL_AREA_WORDS = {
    "lsoa21": "neighbourhoods (2021 LSOAs)",
    "lsoa11": "neighbourhoods (2011 LSOAs)",
    "msoa11": "larger neighbourhoods (MSOAs)",
}
POINT_NOTES = {
    "tubes": "Circles: the council's NO2 diffusion tubes, mostly at roadsides (measured 2011-2024). Black outline: "
    "measured in 2024; large dark red circles were over the 40 µg/m³ objective in 2024. Grey dashed outline: sites "
    "no longer measured (their last year and reading are in the tooltip; a past reading over 40 is history, not "
    "today's air).",
    "hot_streets": "Small black dots: the council's fly-tipping hot streets (list published January 2022).",
}

area = cache.authority_name()
st.title(f"{area} ward map")

core = cache.core_or_stop("The map cannot be drawn.")
registry, all_vintages, vintage = core.registry, core.all_vintages, core.vintage
values, wards, ward_shapes = core.values, core.wards, core.ward_shapes

st.caption(
    f"Wards shown: **{vintage.label}** ({vintage.ward_count} wards). "
    + " ".join(v.note for v in all_vintages if not v.mappable)
)

ward_indicators = [ind for ind in registry.values() if ind.on_ward_map]
themes = list(dict.fromkeys(ind.theme for ind in ward_indicators))
notice_if_stale("theme", themes, "theme", themes[0])
left, right = st.columns(2)
theme = left.selectbox("Theme", themes, key="theme", bind="query-params")
in_theme = [ind.id for ind in ward_indicators if ind.theme == theme]
notice_if_stale("indicator", {k: registry[k].label for k in in_theme}, "indicator", registry[in_theme[0]].label)
ind = registry[
    right.selectbox(
        "Indicator", in_theme, format_func=lambda key: registry[key].label, key="indicator", bind="query-params"
    )
]
small = registry[ind.small_area_id]
small_geography = "lsoa21" if small.geography == "grid1km" else small.geography
show_small = st.toggle(f"Show {SMALL_AREA_WORDS[small_geography]}", key="small_areas", bind="query-params")

if "old" in ind.period.lower():
    st.warning(f"Period: {ind.period}. Read these as the pattern of a decade ago, not today.")

table, view, areas = cache.ward_layer(ind.id)
shown, layer_name, outline = ind, "Wards", None
if show_small:
    try:
        small_shapes = cache.layer(small_geography)
        view, shown, layer_name = cache.small_view(small.id, small_geography), small, "Neighbourhoods"
        areas, outline = feature_collection(small_shapes, view), cache.ward_outlines()
    except DataError as exc:
        st.error(f"Neighbourhoods cannot be shown. {exc} The ward map still works.")

points = {}
for key, name in (("tubes", "no2_tubes.csv"), ("hot_streets", "hot_streets.csv")):
    if ind.point_layer in (key, f"no2_{key}"):
        try:
            points[key] = cache.table(name)
        except cache.NotHeld as exc:
            st.info(str(exc))
        except DataError as exc:
            st.warning(f"Points not shown. {exc}")

map_col, legend_col = st.columns([3, 1])
with map_col:
    document = cache.static_map(
        ("city_map", ind.id, outline is not None, tuple(points)),
        lambda: choropleth_map(areas, ward_shapes.total_bounds, layer_name=layer_name, outline=outline,
                               names=ward_shapes, **points,
                               label=map_label(area, shown, outline is not None and SMALL_AREA_WORDS[small_geography],
                                               tuple(points))),
    )
    st.iframe(document, height=560, alt=f"Map of {area}: {shown.label}")
with legend_col:
    title = shown.label if outline is None else f"{shown.label}: {SMALL_AREA_WORDS[small_geography]}"
    notes = [
        f"Unit: {shown.unit}; {shown.direction_words}.",
        f"Period: {shown.period}.",
        f"Source: {shown.source}.",
        f"Licence: {shown.licence}.",
        *(POINT_NOTES[key] for key in points),
        "Boundaries: ONS; contains OS data © Crown copyright and database right. Map drawn with Leaflet.",
    ]
    st.markdown(LEGEND_CSS + legend_html(title, view, notes), unsafe_allow_html=True)

described = summary_sentence(table, ind)
if outline is not None:
    names = small_shapes.set_index("code")["name"]
    described += " " + small_area_sentence(view, names, shown, SMALL_AREA_WORDS[small_geography])
st.markdown(f"**What the map shows.** {html.escape(described)}")

st.header("All wards")
# A plain HTML table (explorer/models/tables.py): screen readers can move through its cells, it reflows on a phone, and
# it spares the page the 0.5 MB data-grid script, which held back the map by about 0.7 s (bench/run.py).
st.html(cache.ward_table_html(ind.id))
manifest = cache.manifest()
with st.container(horizontal=True):
    stem = f"{slug_of(area)}_wards_{ind.id}"
    st.download_button("Download this table (CSV)", cache.download(f"wards_{ind.id}.csv", lambda: ward_csv(table, ind)),
                       f"{stem}.csv", CSV_MIME, on_click="ignore")
    st.download_button("Download this table (Excel)",
                       cache.download(f"wards_{ind.id}.xlsx",
                                      lambda: ward_workbook(ward_export(table, ind), ind, manifest, area=area)),
                       f"{stem}.xlsx", XLSX_MIME, on_click="ignore")

st.header("About these figures")
st.markdown(
    f"""
- **Period:** {ind.period}
- **Source:** {ind.source} · **Licence:** {ind.licence}
- **How ward figures are made:** {ind.method_text}.
- **Caveat:** {ind.caveat or "none recorded"}.
- **Neighbourhoods shared between wards:** {int(wards["lsoa21_straddling"].sum())} of {area}'s
  {int(wards["lsoa21_count"].sum())} neighbourhoods (2021 LSOAs) have homes in two wards. Each is counted wholly
  in the ward holding most of its output areas (best fit), so those wards' figures are close estimates.
"""
)

if ind.city_series:
    try:
        trend = cache.series_view(ind.city_series)  # chart, table and words: built once per series
    except cache.NotHeld as exc:
        trend = None
        st.info(str(exc))
    except DataError as exc:
        st.warning(f"Trend not shown. {exc}")
    else:
        if trend is not None:
            st.header(f"{area} over time")
            st.markdown(f"**What the chart shows.** {html.escape(trend.trend, quote=False)}")
            chart_col, table_col = st.columns([3, 2])
            chart_col.vega_lite_chart(trend.chart, width="stretch")
            table_col.html(trend.table)
            st.caption(trend.caption)
