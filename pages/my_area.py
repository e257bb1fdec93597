"""My area: one ward in plain English (what the library kiosk shows, for a phone or a home computer)."""

import streamlit as st

from explorer.models.places import new_only, new_ward_words
from explorer.models.text import md_escape
from pages import _cache as cache
from pages._area import show_area
from pages._url import notice_if_stale

st.title("My area", anchor=False)
cache.local_pack_or_stop("the plain-English facts of this page")
core = cache.core_or_stop("This page cannot be shown.")
names, codes = core.names, core.codes
new = cache.new_wards()  # a May 2026 ward is in the list too, answered plainly (as on the Ward profile)
listed = {**names, **new_only(new, names)}
FIND_OLD = "type its postcode on the Ward profile page"
notice_if_stale("ward", listed, "area", names[codes[0]], new=new, current=core.vintage, how=FIND_OLD)
ward = st.selectbox("Choose your area (ward)", sorted(listed, key=listed.get), format_func=listed.get, key="ward",
                    bind="query-params")
st.caption("Not sure which ward you live in? The Ward profile page finds it from your postcode.")
if ward not in names:
    st.info(md_escape(new_ward_words(new[ward], core.vintage, FIND_OLD)))
    st.stop()
show_area(core, ward)
st.page_link("pages/ward_profile.py", label="Every figure for this ward, with confidence intervals",
             icon=":material/table:", query_params={"ward": names[ward]})
