"""Compare: two wards side by side, the gap between the authority's most and least deprived places, and its peers."""

import html

import streamlit as st

from explorer.models import authority_series as over_time
from explorer.models import compare_views, downloads, profile_views
from explorer.models.charts import with_chosen
from explorer.models.downloads import file_name
from explorer.models.export import CSV_MIME, XLSX_MIME, gaps_csv, gaps_workbook
from explorer.pipeline.published import WHY_OURS_DIFFER
from explorer.stats.gaps import QUANTILE_WORDS, no_gap_reason
from geo.errors import DataError
from pages import _cache as cache
from pages import _embed_box as embed_box
from pages import _gap_time as gap_time
from pages import _over_time
from pages import _pictures as pictures
from pages import _tables as tables
from pages._url import notice_if_stale

GROUPS = {"Fifths (quintiles)": 5, "Tenths (deciles)": 10}


st.title("Compare")
place = cache.place_or_stop("Comparisons cannot be shown.")
area = place.name


def show_published_gap(ind, n: int) -> None:
    """The council's own published gap beside ours, why they differ, and how ours moves with the IMD edition."""
    if not place.has("published_gaps"):
        return  # the council publishes none we hold: nothing to set beside ours
    try:
        published = compare_views.published_gaps(place)
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
    st.html(compare_views.sensitivity_table(place, ind.id, n))
    st.caption(f"{ind.label}, {ind.period}: the same MSOAs and method, ordered by each edition of the Index of "
               f"Multiple Deprivation held, in {QUANTILE_WORDS[n]}. Source: {ind.source}.")
    tables.buttons(place, f"published_{ind.id}_{n}", "the published gap beside ours",
                   lambda: downloads.published_file(place, ind.id, n))


def show_gap(ind, n: int) -> None:
    """The groups' values with their intervals, the gap and the slope index, in a chart, a table and words."""
    view = cache.charted(place, compare_views.gap, ind.id, n)  # built once per indicator and grouping
    if "old" in ind.period.lower():
        st.warning(f"Period: {ind.period}.")
    if over_time.is_old_life_expectancy(ind):
        st.info(over_time.small_area_le_words(place, over_time.newest_life_expectancy(place)))
    st.markdown(html.escape(view.explained, quote=False))
    if view.chart:  # empty when too few areas have a value to make the groups
        st.vega_lite_chart(view.chart, width="stretch")
        pictures.offer(place, f"groups_{ind.id}_{n}", compare_views.gap_picture, ind.id, n,
                       table=f"{ind.label} by {QUANTILE_WORDS[n].split(' ')[0][:-1]} chart", period=ind.period,
                       what="chart", key="groups")
        st.html(view.table)
        tables.buttons(place, f"groups_{ind.id}_{n}", f"the {QUANTILE_WORDS[n].split(' ')[0]}",
                       lambda: downloads.groups_file(place, ind.id, n))
        st.markdown("**What the chart shows.** " + html.escape(view.chart_words, quote=False))
    st.caption(view.method)
    if view.chart:
        embed_box.show(place, "gap", indicator=ind.id)
    show_published_gap(ind, n)


registry, names, codes = place.registry, place.names, place.codes
choices = [ind.id for ind in registry.values() if ind.on_ward_map]
labels = {key: registry[key].label for key in choices}
opening = compare_views.default_indicator(place)  # an outcome against deprivation, never IMD against itself
first, second = profile_views.opening(place, 2)  # wards with figures first (Scilly's and the City's first have none)
new, FIND_OLD = profile_views.new_wards(place), "type its postcode on the Ward profile page"
notice_if_stale("a", names, "ward", names[first], new=new, current=place.ward_set, how=FIND_OLD)
notice_if_stale("b", names, "ward", names[second], new=new, current=place.ward_set, how=FIND_OLD)
notice_if_stale("indicator", labels, "indicator", labels[opening])
notice_if_stale("groups", list(GROUPS), "grouping", "fifths")

st.header("Two wards side by side")
a_col, b_col = st.columns(2)
a = a_col.selectbox("First ward", codes, index=codes.index(first), format_func=names.get, key="a",
                    bind="query-params")
b = b_col.selectbox("Second ward", codes, index=codes.index(second), format_func=names.get, key="b",
                    bind="query-params")
pair = compare_views.pair(place, a, b)  # built once per pair
st.markdown(html.escape(pair.sentence, quote=False))
st.html(pair.table)
st.caption("Each indicator's unit and period are under its name; differences between percentages are in percentage "
           "points. Which is better is judged only where both wards have a 95% confidence interval (the interval "
           "of the difference must exclude zero); otherwise the table says which is higher, not which is better.")
with st.expander("Period and how each difference is judged"):
    st.html(pair.method)
tables.buttons(place, f"pair_{a}_{b}", "the two wards", lambda: downloads.pair_file(place, a, b))

st.header(f"Deprived and affluent {area}")
left, right = st.columns([3, 2])
ind = registry[left.selectbox("Indicator", choices, index=choices.index(opening), format_func=labels.get,
                              key="indicator", bind="query-params")]
n = GROUPS[right.radio("Groups", list(GROUPS), key="groups", bind="query-params", horizontal=True)]

if why_not := no_gap_reason(ind):
    st.info(why_not)
else:
    show_gap(ind, n)

st.subheader("Is the gap narrowing?")
gap_time.show(place, ind, cache.manifest())

with st.expander("Every indicator: gap, slope index and relative index"):
    st.html(compare_views.gap_table(place, n))
    st.caption("Gap and SII: most deprived minus least deprived (negative = lower in the most deprived group). "
               "RII as PHE's phe_sii: the fitted value at the least deprived end divided by that at the most deprived "
               "end. An indicator that is part of the deprivation index used to order the areas gets no slope index; "
               "nor do areas too few or too alike in deprivation for a gradient to mean anything, and a relative "
               "index is given only where the line is clearly above zero at both ends (the rules are on About the "
               "data). The life expectancy gaps are 2009-2013's: no small-area life expectancy newer than that is "
               "held.")
    summary, manifest = compare_views.gap_summary(place, n), cache.manifest()
    publisher = place.publisher
    with st.container(horizontal=True):
        st.download_button("Download this table (CSV)",
                           cache.download(place, f"gaps_{n}.csv", lambda: gaps_csv(summary, n, place.code, area)),
                           file_name(area, f"every indicator gap by {QUANTILE_WORDS[n].split(' ')[0][:-1]}", "",
                                     "csv"), CSV_MIME, on_click="ignore")
        st.download_button("Download this table (Excel)",
                           cache.download(place, f"gaps_{n}.xlsx", lambda: gaps_workbook(
                               summary, n, registry, manifest, area=area, publisher=publisher, code=place.code)),
                           file_name(area, f"every indicator gap by {QUANTILE_WORDS[n].split(' ')[0][:-1]}", "",
                                     "xlsx"), XLSX_MIME, on_click="ignore")

st.header("Deprivation and this indicator, ward by ward")
scatter = cache.charted(place, compare_views.scatter, ind.id)  # once per indicator; the chosen wards marked here
st.vega_lite_chart(with_chosen(scatter.chart, [names[a], names[b]]), width="stretch")
st.caption(scatter.caption)
pictures.offer(place, f"scatter_{ind.id}_{a}_{b}", compare_views.scatter_picture, ind.id, (names[a], names[b]),
               table=f"{ind.label} by ward against deprivation chart", period=ind.period, what="chart",
               key="scatter")
st.markdown("**What the chart shows.** " + html.escape(scatter.words, quote=False))

st.header("Deprivation and this indicator on one map")
try:
    document, legend, caption, described, alt_text = compare_views.bivariate(place, ind.id)
    map_col, legend_col = st.columns([3, 2])
    with map_col:
        st.iframe(document, height=480, alt=alt_text)
    with legend_col:
        st.markdown(legend, unsafe_allow_html=True)
        st.caption(caption)
    st.markdown("**What the map shows.** " + html.escape(described, quote=False))
    pictures.offer(place, f"bivariate_{ind.id}", compare_views.bivariate_picture, ind.id,
                   table=f"deprivation and {ind.label} map by ward", period=ind.period, what="map", key="bivariate")
except DataError as exc:
    st.error(f"The bivariate map cannot be drawn. {exc} The rest of this page still works.")

st.header(f"{area} beside similar authorities")
try:
    peer_id = ind.id if ind.id in compare_views.PEER_GAPS else "le_male"
    peers = compare_views.peers(place, peer_id)
except DataError as exc:
    st.info(f"Similar authorities cannot be shown. {exc}")
    peers = None
if peers is not None:
    if ind.id not in compare_views.PEER_GAPS:
        st.caption("Gaps beside other authorities are held for life expectancy, healthy and disability-free life "
                   "expectancy, disability and the distance to a park; shown here for life expectancy (men).")
    st.markdown(html.escape(peers.sentence, quote=False))
    st.html(peers.table)
    tables.buttons(place, f"peers_{peer_id}", "similar authorities", lambda: downloads.peers_file(place, peer_id))
    if peer_id in registry and over_time.is_old_life_expectancy(registry[peer_id]):
        st.caption("These life expectancy gaps are 2009-2013's, for every authority alike: no small-area figures "
                   "newer than that are held, so they say how far apart the most and least deprived were then.")
    st.caption(peers.method)
    if compare_views.is_marmot_place(place):
        st.markdown(html.escape(compare_views.marmot_words(place), quote=False))
    with st.expander("The measures and distances similar authorities were found from"):
        st.html(peers.measures)

st.header(f"{area} over time")
st.markdown(f"{area}'s own figures over time, beside England's: life expectancy at birth, fly-tipping and public "
            "charging points for electric vehicles. Each change is judged, or only described, by the rule under it "
            "(all the rules are on About the data).")
_over_time.show(place)
