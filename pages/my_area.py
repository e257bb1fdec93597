"""My area: one ward in plain English (what the library kiosk shows, for a phone or a home computer)."""

import streamlit as st

from explorer.models import profile_views
from explorer.models.places import new_only, new_ward_words
from explorer.models.text import md_escape
from pages import _cache as cache
from pages._area import show_area
from pages._url import hand_over, notice_if_stale

st.title("My area", anchor=False)
place = cache.place_or_stop("This page cannot be shown.")
names = place.names
new = profile_views.new_wards(place)  # a ward of a newer set is in the list too, answered plainly (as on the profile)
listed = {**names, **new_only(new, names)}
FIND_OLD = "type its postcode on the Ward profile page"
notice_if_stale("ward", listed, "area", names[place.codes[0]], new=new, current=place.ward_set, how=FIND_OLD)
ward = st.selectbox("Choose your area (ward)", sorted(listed, key=listed.get), format_func=listed.get, key="ward",
                    bind="query-params")
if place.has("postcodes"):
    st.caption("Not sure which ward you live in? The Ward profile page finds it from your postcode.")
else:
    st.caption(md_escape(f"Not sure which ward you live in? Postcode search is not held for {place.name}; the Ward "
                         "profile page has a map of the wards to choose from."))
if ward not in names:
    st.info(md_escape(new_ward_words(new[ward], place.ward_set, FIND_OLD)))
    st.stop()
show_area(place, ward)
if st.button("Every figure for this ward, with confidence intervals", icon=":material/table:", type="tertiary"):
    hand_over("pages/ward_profile.py", "ward", ward)
