"""Embed: one view (a ward map, a ward's summary card or the gap chart) of any authority, for another site's page.

``/embed?view=map|card|gap&la=<authority>&indicator=<id>&ward=<name or code>``; what each view holds and how a bad
link is answered is in :mod:`explorer.models.embed`. No menu, picker or toolbar; one link leaves the frame.
"""

import html

import streamlit as st

from explorer.models import compare_views
from explorer.models import embed as views
from explorer.models.text import md_escape
from explorer.places import NotHeldYet
from geo.errors import DataError
from pages import _authority as authority
from pages import _cache as cache

# Streamlit's header, toolbar and sidebar are hidden (also without ?embed=true), and the margins made small, so
# the view fills a frame from 300 to 1,200 px wide.
st.html("<style>header[data-testid=stHeader], [data-testid=stToolbar], [data-testid=stSidebar],"
        " [data-testid=stSidebarCollapsedControl], [data-testid=stDecoration] {display:none !important}"
        " [data-testid=stMainBlockContainer] {padding:0.75rem 1rem 1rem !important; max-width:1200px}"
        " h3 {padding-top:0.2rem !important; font-size:1.4rem !important}"
        # The legend's classes flow side by side where there is room, so a narrow frame needs little height.
        " .legend ul {display:flex; flex-wrap:wrap; column-gap:1rem} .legend p {display:inline; margin-right:0.3rem}"
        "</style>")

choice, names = authority.from_address()
try:
    place = cache.open_code(choice.code)
except NotHeldYet as exc:
    st.info(f"This view cannot be shown yet. {exc.args[0] if exc.args else exc}")
    st.stop()
except DataError as exc:
    st.error(f"This view cannot be shown. {exc}")
    st.stop()
notices = list(choice.notices)
if "la" not in st.query_params and not choice.pinned:
    notices.append(f"The link names no local authority, so {place.name} is shown.")
request = views.read_request(place, {key: st.query_params[key] for key in ("view", "indicator", "ward")
                                     if key in st.query_params})
for notice in [*notices, *request.notices]:
    st.info(md_escape(notice))

LINK = "Open in the explorer (new tab)"
st.subheader(md_escape(views.title(place, request)))
# Heading, period and source, the view, then the link out: what a short frame shows without scrolling.
if request.view == "map":
    shown = views.map_embed(place, request.indicator)
    st.caption(md_escape(shown.sources))
    map_col, legend_col = st.columns([3, 1])
    map_col.iframe(shown.document, height=views.MAP_HEIGHT, alt=shown.label)
    legend_col.markdown(shown.legend, unsafe_allow_html=True)
    st.link_button(LINK, views.app_link(place, request))
    st.markdown(f"**What the map shows.** {html.escape(shown.words, quote=False)}")
elif request.view == "card":
    card = views.card_embed(place, request.ward)
    st.caption(md_escape(card.about))
    st.markdown("\n".join(f"- {html.escape(s, quote=False)}" for s in card.sentences))
    st.link_button(LINK, views.app_link(place, request))
    st.caption("**Period and source of each figure.**  \n" + "  \n".join(md_escape(line) for line in card.sources))
else:
    gap = cache.charted(place, compare_views.gap, request.indicator, 5)  # the same view Compare shows in fifths
    st.caption(md_escape(views.gap_sources(place, request.indicator)))
    if gap.chart:
        st.vega_lite_chart(views.fitted(gap.chart), width="stretch")
    st.link_button(LINK, views.app_link(place, request))
    st.markdown(html.escape(gap.explained, quote=False))
    if gap.chart:
        st.markdown("**What the chart shows.** " + html.escape(gap.chart_words, quote=False))
    st.caption(md_escape(gap.method))
# The full app opens in a new tab: the frame never holds the app's other pages (they refuse to be framed).
st.caption(md_escape(views.footer([])))
