"""Home page: the wards of the chosen authority coloured by any indicator, with a drill-down to neighbourhoods."""

import html

import streamlit as st

from explorer.models import downloads, map_views, plan_views
from explorer.models.citymap import (
    small_area_sentence,
    summary_sentence,
    ward_csv,
    ward_export,
)
from explorer.models.downloads import file_name
from explorer.models.export import CSV_MIME, XLSX_MIME, ward_workbook
from explorer.models.text import counted
from explorer.models.webmap import LEGEND_CSS, legend_html
from explorer.places import NotHeld
from geo.errors import DataError
from pages import _cache as cache
from pages import _embed_box as embed_box
from pages import _pictures as pictures
from pages import _tables as tables
from pages._url import notice_if_stale, open_its_group

place = cache.place_or_stop("The map cannot be drawn.")
area = place.name
st.title(f"{area} ward map")
registry, all_vintages, vintage = place.registry, place.ward_sets, place.ward_set
wards = place.wards

st.caption(
    f"Wards shown: **{vintage.label}** ({counted(vintage.ward_count, 'ward')}). "
    + " ".join(v.note for v in all_vintages if not v.mappable)
)

ward_indicators = [ind for ind in registry.values() if ind.on_ward_map]
themes = list(dict.fromkeys(ind.theme for ind in ward_indicators))
open_its_group("theme", "indicator", {i.id: i.label for i in ward_indicators}, {i.id: i.theme for i in ward_indicators})
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
small_geography = map_views.small_geography(place, ind.id)
if small_geography:
    show_small = st.toggle(f"Show {map_views.SMALL_AREA_WORDS[small_geography]}", key="small_areas",
                           bind="query-params")
else:
    show_small = False
    st.caption(map_views.no_small_areas(place, ind.id))

if "old" in ind.period.lower():
    st.warning(f"Period: {ind.period}. Read these as the pattern of a decade ago, not today.")

table, view, areas = map_views.ward_layer(place, ind.id)
shown, outline = ind, None
if show_small:
    try:
        small_shapes = place.layer(small_geography)
        view, shown = map_views.small_view(place, small.id, small_geography), small
        outline = True
    except DataError as exc:
        st.error(f"Neighbourhoods cannot be shown. {exc} The ward map still works.")

points = ()
if ind.point_layer:
    try:
        points = tuple(map_views.points(place, ind.id))
    except NotHeld as exc:
        st.info(str(exc))
    except DataError as exc:
        st.warning(f"Points not shown. {exc}")

map_col, legend_col = st.columns([3, 1])
with map_col:
    document = map_views.map_document_of(place, ind.id, outline is not None, points)
    st.iframe(document, height=560, alt=f"Map of {area}: {shown.label}")
with legend_col:
    title = map_views.legend_title(shown, small_geography if outline is not None else None)
    notes = map_views.legend_notes(place, shown, points)
    # st.html, not st.markdown(unsafe_allow_html): Markdown with raw HTML makes the browser fetch Streamlit's
    # rehype-raw script (184 KB) before the first visit is done; st.html draws the same legend without it.
    st.html(LEGEND_CSS + legend_html(title, view, notes))
layer = small_geography if outline is not None else "wards"
pictures.offer(place, f"map_{ind.id}_{layer}_{'_'.join(points)}", map_views.map_picture, ind.id, outline is not None,
               points, table=f"{shown.label} map by {'ward' if outline is None else 'neighbourhood'}",
               period=shown.period, what="map", key="map")

described = summary_sentence(table, ind)
if outline is not None:
    names = small_shapes.set_index("code")["name"]
    described += " " + small_area_sentence(view, names, shown, map_views.SMALL_AREA_WORDS[small_geography])
st.markdown(f"**What the map shows.** {html.escape(described)}")
embed_box.show(place, "map", indicator=ind.id)

st.header("All wards")
# A plain HTML table (explorer/models/tables.py): screen readers can move through its cells, it reflows on a phone, and
# it spares the page the 0.5 MB data-grid script, which held back the map by about 0.7 s (bench/run.py).
st.html(map_views.ward_table_html(place, ind.id))
publisher = place.publisher
manifest = cache.manifest()
with st.container(horizontal=True):
    what = f"{ind.label} by ward"
    st.download_button("Download this table (CSV)",
                       cache.download(place, f"wards_{ind.id}_{vintage.label}.csv",
                                      lambda: ward_csv(table, ind, vintage.label, place.code)),
                       file_name(area, what, ind.period, "csv"), CSV_MIME, on_click="ignore")
    st.download_button("Download this table (Excel)",
                       cache.download(place, f"wards_{ind.id}_{vintage.label}.xlsx", lambda: ward_workbook(
                           ward_export(table, ind, vintage.label, place.code), ind, manifest, area=area,
                           publisher=publisher, ward_set=vintage.label)),
                       file_name(area, what, ind.period, "xlsx"), XLSX_MIME, on_click="ignore")

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
        trend = cache.charted(place, plan_views.series, ind.city_series)  # built once per series
    except NotHeld as exc:
        trend = None  # the council's own trend; the national ones are on Compare (a tester read this as "none")
        st.info(f"{exc} The trends published for every authority are on Compare, under “{area} over time”.")
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
            tables.buttons(place, f"pack_series_{ind.city_series}", f"{area} over time",
                           lambda: downloads.pack_series_file(place, ind.city_series))
            pictures.offer(place, f"series_{ind.city_series}", plan_views.series_picture, ind.city_series,
                           what="chart", key="trend",
                           period=lambda: downloads.pack_series_file(place, ind.city_series))
