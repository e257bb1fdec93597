"""My area: one ward in plain English (what the library kiosk shows, for a phone or a home computer)."""

import streamlit as st

from pages import _cache as cache
from pages._area import show_area
from pages._url import notice_if_stale

st.title("My area", anchor=False)
cache.local_pack_or_stop("the plain-English facts of this page")
core = cache.core_or_stop("This page cannot be shown.")
names, codes = core.names, core.codes
notice_if_stale("ward", names.values(), "area", names[codes[0]])
ward = st.selectbox("Choose your area (ward)", codes, format_func=names.get, key="ward", bind="query-params")
st.caption("Not sure which ward you live in? The Ward profile page finds it from your postcode.")
show_area(core, ward)
st.page_link("pages/ward_profile.py", label="Every figure for this ward, with confidence intervals",
             icon=":material/table:", query_params={"ward": names[ward]})
