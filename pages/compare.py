"""Compare: two wards side by side, and the gap between Coventry's most and least deprived places."""

import html

import altair as alt
import streamlit as st

from explorer.citymap import values_for, with_unit
from explorer.compare import bivariate, bivariate_legend_html, bivariate_sentence
from explorer.errors import DataError
from explorer.export import CSV_MIME, XLSX_MIME, gaps_csv, gaps_workbook
from explorer.gaps import QUANTILE_WORDS, explain
from geo.webmap import bivariate_features, choropleth_map
from pages import _cache as cache
from pages._url import notice_if_stale

GROUPS = {"Fifths (quintiles)": 5, "Tenths (deciles)": 10}

st.title("Compare")

core = cache.core_or_stop("Comparisons cannot be shown.")
registry, values, wards, ward_shapes, names, codes = (
    core.registry, core.values, core.wards, core.ward_shapes, core.names, core.codes)
try:  # the gap needs both: name a broken one here, before anything is drawn
    for needed in ("lookups.csv", "lsoa_weights.csv"):
        cache.table(needed)
except DataError as exc:
    st.error(f"Comparisons cannot be shown. {exc}")
    st.stop()
choices = [ind.id for ind in registry.values() if ind.on_ward_map]
labels = {key: registry[key].label for key in choices}
notice_if_stale("a", names.values(), "ward", names[codes[0]])
notice_if_stale("b", names.values(), "ward", names[codes[1]])
notice_if_stale("indicator", labels.values(), "indicator", labels[choices[0]])
notice_if_stale("groups", GROUPS, "grouping", "fifths")

st.header("Two wards side by side")
a_col, b_col = st.columns(2)
a = a_col.selectbox("First ward", codes, format_func=names.get, key="a", bind="query-params")
b = b_col.selectbox("Second ward", codes, index=1, format_func=names.get, key="b", bind="query-params")
pair = cache.two_wards(a, b)
better_a = int(pair["direction"].eq(f"better in {names[a]}").sum())
better_b = int(pair["direction"].eq(f"better in {names[b]}").sum())
st.markdown(html.escape(
    f"Of {len(pair)} indicators, {names[a]} is better on {better_a} and {names[b]} on {better_b}"
    + (" (they are the same ward)." if a == b else "."), quote=False))
st.dataframe(
    pair[["theme", "label", "a", "b", "difference", "direction", "period"]], hide_index=True, width="stretch",
    column_config={"theme": "Theme", "label": "Indicator", "a": names[a], "b": names[b] if b != a else f"{names[b]} ",
                   "difference": "Difference", "direction": "Which is better", "period": "Period"},
)

st.header("Deprived and affluent Coventry")
left, right = st.columns([3, 2])
ind = registry[left.selectbox("Indicator", choices, format_func=labels.get, key="indicator", bind="query-params")]
n = GROUPS[right.radio("Groups", list(GROUPS), key="groups", bind="query-params", horizontal=True)]
result = cache.marmot_gap(ind.id, n)
if "old" in ind.period.lower():
    st.warning(f"Period: {ind.period}.")
st.markdown(html.escape(explain(result, ind), quote=False))
groups = result.table.assign(
    group=[f"{q}{' (most deprived)' if q == 1 else ' (least deprived)' if q == n else ''}"
           for q in result.table["quantile"]],
    lo=result.table["value"] - 1.96 * result.table["se"], hi=result.table["value"] + 1.96 * result.table["se"],
)
chart_col, table_col = st.columns([3, 2])
bars = alt.Chart(groups).encode(x=alt.X("group:N", sort=None, title=f"{QUANTILE_WORDS[n]} of residents"))
chart_col.altair_chart(
    alt.layer(
        bars.mark_point(color="#2a5a5b", filled=True, size=140).encode(
            y=alt.Y("value:Q", title=ind.unit, scale=alt.Scale(zero=False))),
        bars.mark_errorbar().encode(y="lo:Q", y2="hi:Q"),
    ),
    width="stretch",
)
table_col.dataframe(
    groups[["group", "value", "lo", "hi", "population", "areas"]], hide_index=True, width="stretch",
    column_config={"group": "Group", "value": st.column_config.NumberColumn(ind.unit, format="%.2f"),
                   "lo": st.column_config.NumberColumn("95% CI lower", format="%.2f"),
                   "hi": st.column_config.NumberColumn("95% CI upper", format="%.2f"),
                   "population": st.column_config.NumberColumn("Residents", format="%d"), "areas": "Areas"},
)
st.markdown("**What the chart shows.** " + html.escape(
    f"The value in each {QUANTILE_WORDS[n].split(' ')[0][:-1]} of Coventry's residents, from most deprived (left) to "
    f"least deprived (right), with 95% confidence intervals: "
    + "; ".join(f"{g}: {with_unit(v, ind)}" for g, v in zip(groups["group"], groups["value"], strict=True)) + ".",
    quote=False))
st.caption(f"Source: {ind.source}. Period: {ind.period}. Groups are Coventry's own, not England's. "
           f"Method: population-weighted means; slope index from a population-weighted line through the group "
           f"values against the midpoint of each group's cumulative population; 95% intervals from 20,000 "
           f"simulations.")

with st.expander("Every indicator: gap, slope index and relative index"):
    summary = cache.gap_summary(n)
    st.dataframe(
        summary[["label", "period", "most_deprived", "least_deprived", "gap", "sii", "sii_lower", "sii_upper",
                 "rii_pct", "rii_lower_pct", "rii_upper_pct", "areas"]],
        hide_index=True, width="stretch",
        column_config={
            "label": "Indicator", "period": "Period",
            **{c: st.column_config.NumberColumn(t, format="%.2f") for c, t in [
                ("most_deprived", "Most deprived group"), ("least_deprived", "Least deprived group"),
                ("gap", "Gap (most − least)"), ("sii", "SII (most − least)"), ("sii_lower", "SII 95% lower"),
                ("sii_upper", "SII 95% upper"), ("rii_pct", "RII %"), ("rii_lower_pct", "RII % lower"),
                ("rii_upper_pct", "RII % upper")]},
            "areas": "Areas grouped",
        },
    )
    st.caption("Negative numbers mean lower in the most deprived group. RII is left blank for scores centred on zero.")
    with st.container(horizontal=True):  # built only when clicked
        st.download_button("Download this table (CSV)", lambda: gaps_csv(summary, n),
                           f"coventry_gaps_{n}_groups.csv", CSV_MIME)
        st.download_button("Download this table (Excel)",
                           lambda: gaps_workbook(summary, n, registry, cache.manifest()),
                           f"coventry_gaps_{n}_groups.xlsx", XLSX_MIME)

st.header("Deprivation and this indicator, ward by ward")
imd = registry["imd25_score"]
scatter = cache.ward_layer(ind.id)[0][["name", "value"]].rename(columns={"value": "y"})
scatter["x"] = scatter["name"].map(dict(zip(wards["name"], wards["code"], strict=True))).map(
    values_for(values, "imd25_score", "ward")["value"])
rho = scatter["x"].corr(scatter["y"], method="spearman")
points = alt.Chart(scatter).encode(
    x=alt.X("x:Q", title=f"{imd.label} ({imd.period})", scale=alt.Scale(zero=False)),
    y=alt.Y("y:Q", title=ind.unit, scale=alt.Scale(zero=False)),
    tooltip=["name:N", alt.Tooltip("x:Q", title="IMD 2025 score", format=".1f"),
             alt.Tooltip("y:Q", title=ind.unit, format=".2f")],
)
st.altair_chart(points.mark_circle(size=80, color="#2a5a5b") + points.mark_text(align="left", dx=6, fontSize=11)
                .encode(text="name:N"), width="stretch")
st.caption(f"Each dot is a ward: {ind.label} ({ind.period}, {ind.source}) against the IMD 2025 average score.")
strength = "strong" if abs(rho) >= 0.7 else "moderate" if abs(rho) >= 0.4 else "weak"
st.markdown("**What the chart shows.** " + html.escape(
    f"Across the 18 wards the rank correlation between deprivation and {ind.label} is {rho:.2f} ({strength}"
    f"{'' if abs(rho) < 0.4 else ', higher with more deprivation' if rho > 0 else ', lower with more deprivation'}).",
    quote=False))

st.header("Deprivation and this indicator on one map")
small_geography = "lsoa21" if ind.geography in ("lsoa21", "grid1km") and ind.method == "mean" else "ward"
try:
    if small_geography == "lsoa21":
        shapes = cache.layer("lsoa21")
        dep = values_for(values, "imd25_score", "lsoa21")["value"]
        other = values_for(values, ind.id, "lsoa21")["value"]
        areas_words = "neighbourhoods (2021 LSOAs)"
    else:
        shapes = ward_shapes
        dep = values_for(values, "imd25_score", "ward")["value"]
        other = values_for(values, ind.id, "ward")["value"]
        areas_words = "wards"
    classes = bivariate(dep.reindex(shapes["code"]), other.reindex(shapes["code"]), ind.polarity)
    tips = {
        code: f"{name}\nIMD 2025 score {with_unit(dep.get(code), imd)}\n{ind.label}: {with_unit(other.get(code), ind)}"
        for code, name in zip(shapes["code"], shapes["name"], strict=True)
    }
    map_col, legend_col = st.columns([3, 2])
    with map_col:
        document = cache.static_map(("bivariate", ind.id, small_geography), lambda: choropleth_map(
            bivariate_features(shapes, classes["colour"], tips), ward_shapes.total_bounds, layer_name="Bivariate",
            outline=cache.ward_outlines() if small_geography != "ward" else None))
        st.iframe(document, height=480, alt=f"Bivariate map of IMD 2025 score and {ind.label}")
    with legend_col:
        st.markdown(bivariate_legend_html("IMD 2025 score", ind, classes), unsafe_allow_html=True)
        st.caption(f"Thirds of Coventry's {areas_words}, by IMD 2025 score (up) and by {ind.label} (across, "
                   f"{ind.period}). The darkest corner is most deprived and worst. Numbers are areas in each cell.")
    st.markdown("**What the map shows.** " + html.escape(bivariate_sentence(classes, ind, areas_words), quote=False))
except DataError as exc:
    st.error(f"The bivariate map cannot be drawn. {exc} The rest of this page still works.")
