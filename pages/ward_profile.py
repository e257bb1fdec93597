"""Ward profile: one ward's figures against Coventry and England, its neighbourhoods and councillors."""

import html

import altair as alt
import streamlit as st
from streamlit_folium import st_folium

from explorer.briefing import briefing_html
from explorer.citymap import MapView, small_area_sentence, with_unit
from explorer.errors import DataError
from explorer.export import CSV_MIME, XLSX_MIME, profile_workbook
from explorer.interventions import sites_sentence, when_words
from explorer.judge import MARKERS
from explorer.profile import judgement_text, profile_csv, profile_export, spine_positions, summary, value_text
from geo.postcodes import find
from geo.webmap import LEGEND_CSS, choropleth_map, feature_collection, legend_html, outline_of
from pages import _cache as cache
from pages._url import notice_if_stale

st.title("Ward profile")


def shared_words(count: int) -> str:
    if count == 0:
        return "None of them has homes in another ward."
    return f"{count} of them also {'has' if count == 1 else 'have'} homes in another ward."


core = cache.core_or_stop("The profile cannot be shown.")
registry, all_vintages, vintage = core.registry, core.all_vintages, core.vintage
values, wards, ward_shapes, names, codes = core.values, core.wards, core.ward_shapes, core.names, core.codes
notice_if_stale("ward", names.values(), "ward", names[codes[0]])


def use_postcode() -> None:
    try:
        postcodes = cache.table("postcodes.csv")
    except DataError as exc:
        st.session_state["postcode_result"] = ("error", f"Postcode search is not available. {exc}")
        return
    result = find(st.session_state.get("postcode_text", ""), postcodes, names)
    st.session_state["postcode_result"] = ("ok" if result.ok else "warn", result.message)
    if result.ok:
        st.session_state["ward"] = result.ward


def forget_postcode() -> None:
    st.session_state.pop("postcode_result", None)  # an old search result must not sit beside another ward


def use_map_click() -> None:
    clicked = (st.session_state.get("ward_picker") or {}).get("last_active_drawing") or {}
    code = clicked.get("properties", {}).get("code")
    if code in names:
        st.session_state["ward"] = code
        forget_postcode()


pick_col, postcode_col = st.columns([1, 1])
ward = pick_col.selectbox("Ward", codes, format_func=names.get, key="ward", bind="query-params",
                          on_change=forget_postcode)
with postcode_col.form("postcode_form", border=False):
    st.text_input("Or find a ward by postcode", key="postcode_text", placeholder="for example CV1 5FB", max_chars=40)
    st.form_submit_button("Find my ward", on_click=use_postcode)
if "postcode_result" in st.session_state:
    kind, message = st.session_state["postcode_result"]
    {"ok": st.success, "warn": st.warning, "error": st.error}[kind](message)  # holds no raw input

ward_row = wards.set_index("code").loc[ward]
table = cache.profile(ward)
sentences = summary(ward_row["name"], table, int(ward_row["lsoa21_straddling"]), int(ward_row["lsoa21_count"]))

st.header(ward_row["name"])
st.caption(
    f"{vintage.label}: ward {ward}. {int(ward_row['population_census2021']):,} residents (Census 2021); "
    f"{int(ward_row['lsoa21_count'])} neighbourhoods (2021 LSOAs). "
    + " ".join(v.note for v in all_vintages if not v.mappable)
)
st.markdown("\n".join(f"- {html.escape(s, quote=False)}" for s in sentences))

# A switch, not an expander: an expander's map would be rebuilt on every rerun even while closed.
if st.toggle("Choose a ward on the map", key="show_picker"):
    picker = choropleth_map(cache.picker(ward), ward_shapes.total_bounds, layer_name="Wards")
    st_folium(picker, height=380, use_container_width=True, returned_objects=["last_active_drawing"],
              key="ward_picker", on_change=use_map_click)
    st.markdown(f"**What the map shows.** Coventry's {len(names)} wards; {html.escape(ward_row['name'], quote=False)} "
                "is dark blue. Tap or click a ward to open its profile, or use the ward list above.")

st.subheader("How it compares")
spine = spine_positions(table, registry)
spine["label"] = [registry[i].label for i in spine["id"]]
spine["value_text"] = [value_text(row, registry[row["id"]]) for _, row in table.iterrows()]
spine["judgement"] = spine["comparison"].map(judgement_text)
plotted = spine.dropna(subset=["ward"])
present = [judgement_text(w) for w in MARKERS if judgement_text(w) in set(plotted["judgement"])]
base = alt.Chart(spine).encode(y=alt.Y("label:N", sort=None, title=None, axis=alt.Axis(labelLimit=420)))
chart = alt.layer(
    base.mark_rule(color="#bdbdbd", strokeWidth=10).encode(x=alt.X("worst:Q", scale=alt.Scale(domain=[0, 1]),
                                                                   axis=None), x2="best:Q"),
    base.mark_rule(color="#737373", strokeWidth=10).encode(x="q_lo:Q", x2="q_hi:Q"),
    alt.Chart(spine).mark_rule(color="#000000", strokeDash=[4, 2], aria=False).encode(x=alt.datum(0.5)),
    alt.Chart(plotted).mark_point(size=120, filled=True, stroke="#000000").encode(
        x="ward:Q", y=alt.Y("label:N", sort=list(spine["label"]), title=None),
        shape=alt.Shape("judgement:N", title="Compared with Coventry", scale=alt.Scale(
            domain=present, range=[MARKERS[j.split(" ", 1)[1]][0] for j in present])),
        color=alt.Color("judgement:N", title="Compared with Coventry", scale=alt.Scale(
            domain=present, range=[MARKERS[j.split(" ", 1)[1]][1] for j in present])),
        tooltip=["label:N", "value_text:N", "judgement:N"],
    ),
).properties(
    height=alt.Step(22),
    description=f"Spine chart of {len(spine)} indicators for {ward_row['name']} against the range of Coventry's wards",
)
st.altair_chart(chart, width="stretch")
counts = table["comparison"].value_counts()
with_interval = table["rule"].eq("interval").sum()
st.markdown(
    f"**What the chart shows.** Of the {with_interval} indicators with a confidence interval, "
    f"{html.escape(ward_row['name'], quote=False)} is significantly better than Coventry on {counts.get('better', 0)}, "
    f"significantly worse on {counts.get('worse', 0)} and similar on {counts.get('similar', 0)}"
    + (f" (and higher or lower, not judged, on {counts.get('higher', 0) + counts.get('lower', 0)})"
       if counts.get("higher", 0) + counts.get("lower", 0) else "")
    + f". Of the {int(table['rule'].eq('fifths').sum())} without one, it is in the best fifth of wards on "
    f"{counts.get('best fifth', 0)} and the worst fifth on {counts.get('worst fifth', 0)}"
    + (f"; {counts.get('no data', 0)} have no data" if counts.get("no data", 0) else "")
    + ". Every figure is in the table below; how each is judged is on the About page."
)
st.caption(
    "Spine chart: each line runs from the worst ward (left) to the best (right); the darker band holds the middle "
    "half of wards; the dashed line is Coventry. The marker is this ward. With a 95% confidence interval it is "
    "compared with Coventry's value (▲ better, ▼ worse, ● similar; △ ▽ higher or lower where not judged); without "
    "one, only its place among the wards is given (best, middle or worst fifth)."
)

shown = table.assign(
    value_text=[value_text(row, registry[row["id"]]) for _, row in table.iterrows()],
    judgement=table["comparison"].map(judgement_text),
    coventry_text=[f"{with_unit(v, registry[i])}" for v, i in zip(table["coventry"], table["id"], strict=True)],
    england_text=[with_unit(v, registry[i]) if v == v else "not held"
                  for v, i in zip(table["england"], table["id"], strict=True)],
)
st.dataframe(
    shown[["theme", "label", "value_text", "rank_text", "coventry_text", "england_text", "judgement", "basis",
           "period", "coventry_note", "england_note", "source"]],
    hide_index=True, width="stretch",
    column_config={
        "theme": "Theme", "label": "Indicator", "value_text": "This ward", "rank_text": "Rank (1 = worst)",
        "coventry_text": "Coventry", "england_text": "England",
        "judgement": "Compared with Coventry", "basis": "How judged", "period": "Period",
        "coventry_note": "Where the Coventry figure comes from", "england_note": "Where the England figure comes from",
        "source": "Source",
    },
)

st.subheader("Neighbourhoods in this ward")
try:
    lsoas = cache.layer("lsoa21")
    lookups = cache.table("lookups.csv")
    in_ward = lookups[(lookups["geography"] == "lsoa21") & (lookups["ward"] == ward)]
    imd = registry["imd25_score"]
    city_view = cache.small_view(imd.id, "lsoa21")
    mine = lsoas[lsoas["code"].isin(in_ward["lsoa"])]
    mini = cache.static_map(("ward_lsoas", ward), lambda: choropleth_map(
        feature_collection(mine, city_view), mine.total_bounds, layer_name="Neighbourhoods",
        outline=outline_of(ward_shapes[ward_shapes["code"] == ward])))
    map_col, legend_col = st.columns([3, 2])
    with map_col:
        st.iframe(mini, height=380, alt=f"Map of the neighbourhoods of {ward_row['name']} by IMD 2025 score")
    with legend_col:
        st.markdown(LEGEND_CSS + legend_html(f"{imd.label}: neighbourhoods", city_view, [
            "Classes are the same for all of Coventry, so wards can be compared; darker = more deprived.",
            f"Period: {imd.period}. Source: {imd.source}.",
            "Neighbourhoods are assigned to the ward holding most of their output areas.",
        ]), unsafe_allow_html=True)
    st.markdown("**What the map shows.** " + html.escape(small_area_sentence(
        MapView(city_view.values.reindex(mine["code"]), city_view.classes, {}),
        mine.set_index("code")["name"], imd, "neighbourhoods of this ward"), quote=False) + " "
        + shared_words(int(in_ward["straddles"].sum())))
except DataError as exc:
    st.error(f"Neighbourhood map not shown. {exc} The rest of the profile still works.")

st.subheader("What is here: sites and services")
try:
    here = cache.sites_near(ward, 500)
    st.markdown(html.escape(sites_sentence(here, ward_row["name"]), quote=False))
    with st.expander("List every site"):
        listed = here.assign(when=[when_words(*r) for r in zip(here["dating"], here["date_from"], here["date_to"],
                                                                strict=True)])
        st.dataframe(listed[["type", "name", "where", "when", "source"]].sort_values(["type", "where", "name"]),
                     hide_index=True, width="stretch",
                     column_config={"type": "Type", "name": "Name", "where": "Where", "when": "When listed",
                                    "source": "Source"})
except DataError as exc:
    st.error(f"Sites not shown. {exc}")

st.subheader("Councillors")
try:
    councillors = cache.table("councillors.csv")
    listed = councillors[councillors["ward"] == ward]
    st.warning(
        "This list is the council's from September 2020 and is out of date: elections have been held since, and "
        "Coventry's wards changed in May 2026. Check coventry.gov.uk for today's councillors."
    )
    st.markdown("\n".join(
        f"- {html.escape(r.name) if r.name and r.name != 'Vacant Vacant' else 'Vacant seat'}"
        + (f" ({html.escape(r.party)})" if r.party and r.party != "Vacant" else "")
        for r in listed.itertuples()
    ))
except DataError as exc:
    st.error(f"Councillors not shown. {exc}")

st.subheader("Download a briefing")
stem = f"coventry_{ward_row['name'].replace(' ', '_').replace(chr(39), '')}"
csv_col, xlsx_col, html_col = st.columns(3)  # each file is built only when someone downloads it
csv_col.download_button("Every indicator for this ward (CSV)", lambda: profile_csv(ward, ward_row["name"], table),
                        f"{stem}_profile.csv", CSV_MIME)
xlsx_col.download_button(
    "Every indicator for this ward (Excel)",
    lambda: profile_workbook(profile_export(ward, ward_row["name"], table), registry, cache.manifest()),
    f"{stem}_profile.xlsx", XLSX_MIME,
)
html_col.download_button(
    "One-page printable briefing (HTML)",
    lambda: briefing_html(ward, ward_row["name"], sentences, table, registry, ward_shapes, cache.layer("lsoa21"),
                          values, cache.table("lookups.csv")),
    f"{stem}_briefing.html", "text/html",
)
