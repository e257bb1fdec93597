"""Home page: Coventry's wards coloured by any indicator, with a drill-down to neighbourhoods."""

import html

import streamlit as st
from streamlit_folium import st_folium

from explorer.citymap import summary_sentence, tooltip, values_for, ward_classes, ward_csv, with_unit
from explorer.classify import NO_DATA_COLOUR, classify
from explorer.errors import DataError
from geo.webmap import LEGEND_CSS, choropleth_map, feature_collection, legend_html
from pages import _cache as cache

SMALL_AREA_WORDS = {
    "lsoa21": "neighbourhoods (2021 LSOAs)",
    "lsoa11": "neighbourhoods (2011 LSOAs)",
    "msoa11": "larger neighbourhoods (MSOAs)",
}

st.title("Coventry ward map")

try:
    registry = cache.registry()
    all_vintages, vintage = cache.vintages()
    values = cache.table("values.csv")
    wards = cache.table("wards.csv")
    ward_shapes = cache.layer("wards")
except DataError as exc:
    st.error(f"The map cannot be drawn: {exc}")
    st.stop()

later = [v for v in all_vintages if not v.mappable]
st.caption(
    f"Wards shown: **{vintage.label}** ({vintage.ward_count} wards). "
    + " ".join(v.note for v in later)
)

ward_indicators = [ind for ind in registry.values() if ind.on_ward_map]
themes = list(dict.fromkeys(ind.theme for ind in ward_indicators))
left, right = st.columns(2)
theme = left.selectbox("Theme", themes, key="theme")
ind_id = right.selectbox(
    "Indicator",
    [ind.id for ind in ward_indicators if ind.theme == theme],
    format_func=lambda key: registry[key].label,
    key="indicator",
)
ind = registry[ind_id]
small = registry[ind.small_area_id]
small_geography = "lsoa21" if small.geography == "grid1km" else small.geography
show_small = st.toggle(f"Show {SMALL_AREA_WORDS[small_geography]}", key="small_areas")

if "old" in ind.period.lower():
    st.warning(f"Period: {ind.period}. Read these as the pattern of a decade ago, not today.")


try:
    from explorer.citymap import ward_table as build_ward_table

    table = build_ward_table(values, wards, ind)
except DataError as exc:
    st.error(str(exc))
    st.stop()

tips = [tooltip(row, ind, len(table)) for _, row in table.iterrows()]

by_code = table.set_index("code")
classes = ward_classes(table, ind)
areas = feature_collection(
    ward_shapes,
    [classes.colour_of(by_code.loc[c, "value"]) for c in ward_shapes["code"]],
    [tips[table.index[table["code"] == c][0]] for c in ward_shapes["code"]],
    [bool(by_code["value"].isna().loc[c]) for c in ward_shapes["code"]],
)
legend_classes, legend_title, layer_name, outline = classes, ind.label, "Wards", None
no_data_count = int(table["value"].isna().sum())

if show_small:
    try:
        small_shapes = cache.layer(small_geography)
        small_values = values_for(values, small.id, small_geography).reindex(small_shapes["code"])["value"]
        small_classes = classify(small_values, small.polarity, small.decimals)
        small_tips = [
            f"{name}\n{with_unit(v, small)}" for name, v in zip(small_shapes["name"], small_values, strict=True)
        ]
        outline = areas
        areas = feature_collection(
            small_shapes, [small_classes.colour_of(v) for v in small_values], small_tips, small_values.isna().tolist()
        )
        outline = {"type": "FeatureCollection", "features": [
            {"type": "Feature", "properties": {}, "geometry": f["geometry"]} for f in outline["features"]
        ]}
        legend_classes, legend_title = small_classes, f"{small.label}: {SMALL_AREA_WORDS[small_geography]}"
        layer_name, no_data_count = SMALL_AREA_WORDS[small_geography], int(small_values.isna().sum())
    except DataError as exc:
        st.error(f"Neighbourhoods cannot be shown: {exc}. The ward map still works.")

points = {}
for name, key in (("no2_tubes.csv", "tubes"), ("hot_streets.csv", "hot_streets")):
    wanted = (ind.point_layer == "no2_tubes" and key == "tubes") or (ind.point_layer == key)
    if wanted:
        try:
            points[key] = cache.table(name)
        except DataError as exc:
            st.warning(f"Points not shown: {exc}")

fmap = choropleth_map(areas, ward_shapes.total_bounds, layer_name=layer_name, outline=outline, **points)
map_col, legend_col = st.columns([3, 1])
with map_col:
    st_folium(fmap, height=560, use_container_width=True, returned_objects=[], key="city_map")
with legend_col:
    shown = small if show_small and legend_classes is not classes else ind
    notes = [
        f"Unit: {shown.unit}; {shown.direction_words}.",
        f"Period: {shown.period}.",
        f"Source: {shown.source}.",
        f"Licence: {shown.licence}.",
    ]
    if "tubes" in points:
        notes.append("Circles: NO2 diffusion tubes at roadsides; large dark circles were over 40 µg/m³ in their latest year.")
    if "hot_streets" in points:
        notes.append("Small black dots: the council's fly-tipping hot streets (list published January 2022).")
    st.markdown(LEGEND_CSS, unsafe_allow_html=True)
    st.markdown(
        legend_html(
            legend_title,
            list(zip(legend_classes.colours, legend_classes.labels, legend_classes.counts, strict=True)),
            notes,
            no_data=NO_DATA_COLOUR,
            no_data_count=no_data_count,
        ),
        unsafe_allow_html=True,
    )

st.markdown(f"**What the map shows.** {html.escape(summary_sentence(table, ind))}")

st.subheader("All wards")
shown_table = table.assign(
    value_text=[with_unit(v, ind) for v in table["value"]],
)[["rank", "name", "value", "lower", "upper", "coventry", "compared", "lsoa21_straddling", "population_census2021"]]
column_config = {
    "rank": st.column_config.NumberColumn("Rank (1 = worst)" if ind.polarity != "neither" else "Rank (1 = highest)"),
    "name": st.column_config.TextColumn("Ward"),
    "value": st.column_config.NumberColumn(f"Value ({ind.unit})", format=f"%.{ind.decimals}f"),
    "lower": st.column_config.NumberColumn("95% CI lower", format=f"%.{ind.decimals}f"),
    "upper": st.column_config.NumberColumn("95% CI upper", format=f"%.{ind.decimals}f"),
    "coventry": st.column_config.NumberColumn("Coventry", format=f"%.{ind.decimals}f"),
    "compared": st.column_config.TextColumn("Compared with Coventry"),
    "lsoa21_straddling": st.column_config.NumberColumn("Neighbourhoods straddling another ward"),
    "population_census2021": st.column_config.NumberColumn("Residents (Census 2021)", format="%d"),
}
if not ind.has_ci:
    shown_table = shown_table.drop(columns=["lower", "upper"])
st.dataframe(shown_table, hide_index=True, column_config=column_config, use_container_width=True)
st.download_button(
    "Download this table (CSV)",
    data=ward_csv(table, ind),
    file_name=f"coventry_wards_{ind.id}.csv",
    mime="text/csv",
)

st.subheader("About these figures")
st.markdown(
    f"""
- **Period:** {ind.period}
- **Source:** {ind.source} · **Licence:** {ind.licence}
- **How ward figures are made:** {ind.method_text}.
- **Caveat:** {ind.caveat or "none recorded"}.
- **Neighbourhoods that straddle wards:** 23 of Coventry's 203 neighbourhoods (2021 LSOAs) have homes in two
  wards. Each is counted wholly in the ward holding most of its output areas (best fit), so ward figures are
  close estimates where that happens; the table says how many each ward has.
"""
)

if ind.city_series:
    try:
        series = cache.table("city_series.csv")
        part = series[series["series"] == ind.city_series]
        wide = part.pivot(index="period", columns="area", values="value")
        st.subheader("Coventry over time")
        chart_col, table_col = st.columns([2, 1])
        chart_col.line_chart(wide, y_label=part["unit"].iloc[0], x_label="Period")
        table_col.dataframe(wide, use_container_width=True)
        first, last = wide.index[0], wide.index[-1]
        st.caption(
            f"Source: {part['source'].iloc[0]}. Period: {first} to {last}. "
            + ("This series stops before 2022, the start of the One Coventry Plan." if last[:4] < "2022" else "")
        )
    except DataError as exc:
        st.warning(f"Trend not shown: {exc}")
