"""Ward profile: one ward's figures against its authority and England, its neighbourhoods and councillors."""

import html
from datetime import date

import streamlit as st
from streamlit_folium import st_folium

from explorer.models import authority_series as over_time
from explorer.models import profile_views
from explorer.models.briefing import briefing_html
from explorer.models.downloads import file_name
from explorer.models.export import CSV_MIME, XLSX_MIME, profile_workbook
from explorer.models.places import councillor_words, new_only, new_ward_words, ward_set_line
from explorer.models.profile import profile_csv, profile_export
from explorer.models.text import counted, md_escape
from explorer.models.webmap import choropleth_map
from explorer.places import NotHeld
from geo.errors import DataError
from geo.postcodes import find
from pages import _cache as cache
from pages import _embed_box as embed_box
from pages import _pictures as pictures
from pages._url import notice_if_stale

st.title("Ward profile")
place = cache.place_or_stop("The profile cannot be shown.")
area = place.name
registry, all_vintages, vintage = place.registry, place.ward_sets, place.ward_set
values, wards, ward_shapes, names = place.values, place.wards, place.ward_shapes, place.names
# A ward of the May 2026 set that no ward of the set shown shares a name with (Tile Hill & Canley) is in the list
# too, so a search for it finds it, and is answered plainly: its figures are not held yet.
new = profile_views.new_wards(place)
listed = {**names, **new_only(new, names)}
first = profile_views.opening(place)[0]  # the first ward with figures (Bryher, first of Scilly's, has none)
FIND_OLD = "type its postcode under “Or find a ward by postcode” above"
notice_if_stale("ward", listed, "ward", names[first], new=new, current=vintage, how=FIND_OLD)


def use_postcode() -> None:
    try:
        postcodes = place.pack("postcodes").table("postcodes.csv")
    except DataError as exc:
        st.session_state["postcode_result"] = ("error", f"Postcode search is not available. {exc}")
        return
    ended = vintage.until if vintage.ended(date.today()) else None  # "was in", once the ward set is no longer used
    result = find(st.session_state.get("postcode_text", ""), postcodes, names, ended=ended)
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
options = sorted(listed, key=listed.get)
ward = pick_col.selectbox("Ward", options, index=options.index(first), format_func=listed.get, key="ward",
                          bind="query-params", on_change=forget_postcode)
if place.has("postcodes"):
    with postcode_col.form("postcode_form", border=False):
        st.text_input("Or find a ward by postcode", key="postcode_text", placeholder="for example CV1 5FB",
                      max_chars=40)
        st.form_submit_button("Find my ward", on_click=use_postcode)
else:
    postcode_col.markdown(md_escape(f"Postcode search is not held for {area}: choose the ward from the list or "
                                    "on the map."))
if "postcode_result" in st.session_state:
    kind, message = st.session_state["postcode_result"]
    {"ok": st.success, "warn": st.warning, "error": st.error}[kind](message)  # holds no raw input
if ward not in names:  # a May 2026 ward: no figures yet
    st.header(listed[ward])
    st.info(md_escape(new_ward_words(new[ward], vintage, FIND_OLD)))
    st.stop()

ward_row = wards.set_index("code").loc[ward]
if profile_views.profile(place, ward).empty:  # a ward no neighbourhood is assigned to (ONS's best fit): nothing to show
    st.header(ward_row["name"])
    st.info(md_escape(f"No figures are held for {ward_row['name']}: none of {area}'s neighbourhoods (2021 LSOAs) "
                      "is assigned to this ward by ONS's best fit, so it has no ward figures. Choose another ward."))
    st.stop()
view = cache.charted(place, profile_views.view, ward, chart="spine")  # built once per ward

st.header(ward_row["name"])
st.caption(
    f"{vintage.label}: ward {ward}. {int(ward_row['population_census2021']):,} residents (Census 2021); "
    f"{int(ward_row['lsoa21_count'])} neighbourhoods (2021 LSOAs). "
    + " ".join(v.note for v in all_vintages if not v.mappable)
)
st.markdown("\n".join(f"- {html.escape(s, quote=False)}" for s in view.sentences))
embed_box.show(place, "card", ward=ward)

# A switch, not an expander: an expander's map would be rebuilt on every rerun even while closed.
if st.toggle("Choose a ward on the map", key="show_picker"):
    picker = choropleth_map(profile_views.picker(place, ward), ward_shapes.total_bounds, layer_name="Wards",
                            label=f"Map of {area}'s wards for choosing one: the same wards are in the Ward list above.")
    st_folium(picker, height=380, use_container_width=True, returned_objects=["last_active_drawing"],
              key="ward_picker", on_change=use_map_click)
    st.markdown(f"**What the map shows.** {md_escape(area)}'s {counted(len(names), 'ward')}; "
                f"{html.escape(ward_row['name'], quote=False)} "
                "is dark blue. Tap or click a ward to open its profile, or use the ward list above.")

st.subheader("How it compares")
st.vega_lite_chart(view.spine, width="stretch")
pictures.offer(place, f"spine_{ward}", profile_views.spine_picture, ward,
               table=f"{ward_row['name']} ward profile chart", period="", what="chart", key="spine")
st.markdown(f"**What the chart shows.** {html.escape(view.chart_words, quote=False)}")
st.caption(md_escape(
    "Spine chart: each line runs from the worst ward (left) to the best (right); the darker band holds the middle "
    f"half of wards; the dashed line is {area}. The marker is this ward. With a 95% confidence interval it is "
    f"compared with {area}'s value (▲ better, ▼ worse, ● similar; △ ▽ higher or lower where not judged); without "
    "one, only its place among the wards is given (best, middle or worst fifth)."
))
st.html(view.table)
st.caption("Each indicator's unit and period are under its name; – means no interval is published or computed. "
           f"How each is compared, and where the {md_escape(area)} and England figures come from:")
with st.expander("Period, method and source of each figure"):
    st.html(view.sources)
if newest := over_time.newest_beside_small_areas(place):
    st.caption(md_escape(newest))

st.subheader("Neighbourhoods in this ward")
try:
    document, legend, described = profile_views.neighbourhoods(place, ward)
    map_col, legend_col = st.columns([3, 2])
    with map_col:
        st.iframe(document, height=380, alt=f"Map of the neighbourhoods of {ward_row['name']} by IMD 2025 score")
    with legend_col:
        st.markdown(legend, unsafe_allow_html=True)
    st.markdown("**What the map shows.** " + html.escape(described, quote=False))
except DataError as exc:
    st.error(f"Neighbourhood map not shown. {exc} The rest of the profile still works.")

st.subheader("What is here: sites and services")
try:
    sites = profile_views.sites(place, ward, 500)
    st.markdown(html.escape(sites.sentence, quote=False))
    with st.expander("List every site"):
        st.html(sites.table)
except NotHeld as exc:
    st.markdown(md_escape(str(exc)))
except DataError as exc:
    st.error(f"Sites not shown. {exc}")

st.subheader("Councillors")
try:
    held = place.pack("councillors")
    councillors = held.table("councillors.csv")
    listed = councillors[councillors["ward"] == ward]
    about = held.parts["councillors"]
    st.warning(md_escape(councillor_words(about.as_of, about.note, vintage, date.today())))
    st.markdown("\n".join(
        f"- {html.escape(r.name) if r.name and r.name != 'Vacant Vacant' else 'Vacant seat'}"
        + (f" ({html.escape(r.party)})" if r.party and r.party != "Vacant" else "")
        for r in listed.itertuples()
    ))
except NotHeld as exc:
    st.markdown(md_escape(str(exc)))
except DataError as exc:
    st.error(f"Councillors not shown. {exc}")

st.subheader("Download a briefing")
what = f"{ward_row['name']} ward profile"
# A click starts no run (on_click="ignore"): a run would replace every button's file handle, and a second click
# made before the page had the new ones (CSV then Excel, a double click) would find no file.
table, manifest = profile_views.profile(place, ward), cache.manifest()
publisher = place.publisher
ward_set_words = ward_set_line(vintage, all_vintages)
try:
    lsoas, lookups = place.layer("lsoa21"), place.lookups
except DataError as exc:  # the briefing's neighbourhood map needs them; the other downloads do not
    lsoas = lookups = None
    st.warning(f"The printable briefing cannot be made. {exc}")
csv_col, xlsx_col, html_col = st.columns(3)
csv_col.download_button(
    "Every indicator for this ward (CSV)",
    cache.download(place, f"profile_{ward}.csv", lambda: profile_csv(ward, ward_row["name"], table, place.code)),
    file_name(area, what, "", "csv"), CSV_MIME, on_click="ignore",
)
xlsx_col.download_button(
    "Every indicator for this ward (Excel)",
    cache.download(place, f"profile_{ward}.xlsx", lambda: profile_workbook(
        profile_export(ward, ward_row["name"], table, place.code), registry, manifest, area=area,
        publisher=publisher)),
    file_name(area, what, "", "xlsx"), XLSX_MIME, on_click="ignore",
)
if lsoas is not None:
    html_col.download_button(
        "One-page printable briefing (HTML)",
        cache.download(place, f"briefing_{ward}.html", lambda: briefing_html(
            ward, ward_row["name"], list(view.sentences), table, registry, ward_shapes, lsoas, values, lookups,
            area=area, ward_set=ward_set_words, publisher=publisher)),
        file_name(area, f"{ward_row['name']} ward briefing", "", "html"), "text/html", on_click="ignore",
    )
