"""Compare: two wards side by side, and the gap between Coventry's most and least deprived places."""

import html

import altair as alt
import streamlit as st

from explorer.citymap import values_for, with_unit
from explorer.compare import (
    bivariate,
    bivariate_legend_html,
    bivariate_sentence,
    correlation_sentence,
    scatter_notes,
)
from explorer.errors import DataError
from explorer.export import CSV_MIME, XLSX_MIME, gaps_csv, gaps_workbook
from explorer.gaps import QUANTILE_WORDS, explain, gap_display, no_gap_reason
from explorer.published import WHY_OURS_DIFFER
from geo.webmap import bivariate_features, choropleth_map
from pages import _cache as cache
from pages._url import notice_if_stale

GROUPS = {"Fifths (quintiles)": 5, "Tenths (deciles)": 10}
INTERVAL_WORDS = {
    "published": "group intervals combine the published 95% limits of their areas",
    "wilson": "group intervals are Wilson score intervals for the share of people",
    "poisson": "group intervals are exact Poisson intervals on the count of events",
    "proportion": "group intervals are Wilson score intervals counting whole neighbourhoods (each is in the most "
                  "deprived tenth or not)",
    "rate": "group intervals from the spread of the areas' values",
    "other": "group intervals from the spread of the areas' values",
}


st.title("Compare")


def show_published_gap(ind, n: int) -> None:
    """The council's own published gap beside ours, why they differ, and how ours moves with the IMD edition."""
    try:
        published = cache.published_gaps()
    except DataError as exc:
        st.warning(f"The council's published gaps are not shown. {exc}")
        return
    mine = published[published["indicator"] == ind.id]
    if mine.empty:
        return
    st.subheader("The council's published gap, beside ours")
    st.markdown("\n".join(
        f"- **{row.value:.1f} years**: {html.escape(row.measure)} (period: {html.escape(row.period)}). "
        f"Source: {html.escape(row.where)}. {html.escape(row.note)}." for row in mine.itertuples()))
    st.markdown("**Why ours differ.**\n" + "\n".join(f"- {html.escape(w)}" for w in WHY_OURS_DIFFER))
    table = cache.sensitivity(ind.id, n)
    shown = table.assign(gap=[f"{abs(v):.1f} years {'lower' if v < 0 else 'higher'} in the most deprived "
                              f"(95% CI {abs(hi):.1f} to {abs(lo):.1f})"
                              for v, lo, hi in zip(table["sii"], table["sii_lower"], table["sii_upper"], strict=True)])
    st.dataframe(shown[["edition", "ordering", "gap"]], hide_index=True, width="stretch",
                 column_config={"edition": "Areas ordered by", "ordering": "How", "gap": "Slope index of inequality"})
    st.caption(f"{ind.label}, {ind.period}: the same 42 MSOAs and method, ordered by each edition of the Index of "
               f"Multiple Deprivation held, in {QUANTILE_WORDS[n]}. Source: {ind.source}.")


def show_gap(ind, n: int) -> None:
    """The groups' values with their intervals, the gap and the slope index, in a chart, a table and words."""
    result = cache.marmot_gap(ind.id, n)
    if "old" in ind.period.lower():
        st.warning(f"Period: {ind.period}.")
    st.markdown(html.escape(explain(result, ind), quote=False))
    groups = result.table.assign(
        group=[f"{q}{' (most deprived)' if q == 1 else ' (least deprived)' if q == n else ''}"
               for q in result.table["quantile"]],
    )
    chart_col, table_col = st.columns([3, 2])
    bars = alt.Chart(groups).encode(x=alt.X("group:N", sort=None, title=f"{QUANTILE_WORDS[n]} of residents"))
    chart_col.altair_chart(
        alt.layer(
            bars.mark_point(color="#2a5a5b", filled=True, size=140).encode(
                y=alt.Y("value:Q", title=ind.unit, scale=alt.Scale(zero=False))),
            bars.mark_errorbar().encode(y="lower:Q", y2="upper:Q"),
        ),
        width="stretch",
    )
    table_col.dataframe(
        groups[["group", "value", "lower", "upper", "population", "areas"]].style.format(
            {"value": "{:.2f}", "lower": "{:.2f}", "upper": "{:.2f}", "population": "{:,.0f}"}, na_rep="–"),
        hide_index=True, width="stretch",
        column_config={"group": "Group", "value": st.column_config.NumberColumn(ind.unit, format="%.2f"),
                       "lower": st.column_config.NumberColumn("95% CI lower", format="%.2f"),
                       "upper": st.column_config.NumberColumn("95% CI upper", format="%.2f"),
                       "population": st.column_config.NumberColumn("Residents", format="%d"), "areas": "Areas"},
    )
    st.markdown("**What the chart shows.** " + html.escape(
        f"The value in each {QUANTILE_WORDS[n].split(' ')[0][:-1]} of Coventry's residents, from most deprived "
        "(left) to least deprived (right), with 95% confidence intervals: "
        + "; ".join(f"{g}: {with_unit(v, ind)}" for g, v in zip(groups["group"], groups["value"], strict=True)) + ".",
        quote=False))
    interval = INTERVAL_WORDS.get(ind.interval, INTERVAL_WORDS[ind.value_type])
    st.caption(f"Source: {ind.source}. Period: {ind.period}. Groups are Coventry's own, not England's. "
               f"Method: population-weighted means; {interval}; slope and relative indices as PHE's phe_sii "
               "(population-weighted line through the group values against the midpoint of each group's "
               "cumulative population; 95% intervals from 100,000 simulations). How every figure is judged: "
               "About the data.")

    show_published_gap(ind, n)


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
unclear = int(pair["direction"].eq("no clear difference").sum())
st.markdown(html.escape(
    f"Of the {int(pair['basis'].str.contains('interval of the difference').sum())} indicators with confidence "
    f"intervals, {names[a]} is significantly better on {better_a}, {names[b]} on {better_b}, and {unclear} show "
    "no clear difference. The others have no interval, so their differences are given but not judged"
    + (" (they are the same ward)." if a == b else "."), quote=False))
st.dataframe(
    pair[["theme", "label", "a", "b", "difference", "direction", "basis", "period"]], hide_index=True,
    width="stretch",
    column_config={"theme": "Theme", "label": "Indicator", "a": names[a], "b": names[b] if b != a else f"{names[b]} ",
                   "difference": "Difference", "direction": "Which is better", "basis": "How judged",
                   "period": "Period"},
)

st.header("Deprived and affluent Coventry")
left, right = st.columns([3, 2])
ind = registry[left.selectbox("Indicator", choices, format_func=labels.get, key="indicator", bind="query-params")]
n = GROUPS[right.radio("Groups", list(GROUPS), key="groups", bind="query-params", horizontal=True)]

if why_not := no_gap_reason(ind):
    st.info(why_not)
else:
    show_gap(ind, n)

with st.expander("Every indicator: gap, slope index and relative index"):
    summary = cache.gap_summary(n)
    st.dataframe(gap_display(summary), hide_index=True, width="stretch")
    st.caption("Gap and SII: most deprived minus least deprived (negative = lower in the most deprived group). "
               "RII as PHE's phe_sii: the fitted value at the least deprived end divided by that at the most deprived "
               "end. An indicator that is part of the deprivation index used to order the areas gets no slope index.")
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
st.caption(f"Each dot is a ward: {ind.label} ({ind.period}, {ind.source}) against the IMD 2025 average score "
           f"({imd.period}). " + scatter_notes(ind, imd))
st.markdown("**What the chart shows.** " + html.escape(correlation_sentence(scatter["x"], scatter["y"], ind),
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
