"""The "<area> over time" series (the national store's, for every authority), shared by Compare and the priorities.

Thin: the views are :mod:`explorer.models.authority_series`'s, kept per place.
"""

from __future__ import annotations

import html

import streamlit as st

from explorer.models import authority_series as over_time
from explorer.models import downloads
from geo.errors import DataError
from pages import _pictures as pictures
from pages import _tables as tables


def show(place, keys: tuple[str, ...] | None = None) -> None:
    """Each series held (or only those of ``keys``): chart, the change in words, the table, notes and the rule."""
    area = place.name
    try:
        views = over_time.authority_series(place)
    except DataError as exc:
        st.info(f"{area}'s series over time are not shown. {exc}")
        return
    for trend in views if keys is None else [v for v in views if v.id in keys]:
        st.subheader(trend.title)
        if trend.held:
            st.vega_lite_chart(trend.chart, width="stretch")
            pictures.offer(place, f"authority_series_{trend.id}", over_time.series_picture, trend.id,
                           what="chart", key=f"series_{trend.id}",
                           period=lambda trend=trend: downloads.authority_series_file(place, trend.id))
            st.markdown(f"**What the chart shows.** {html.escape(trend.change, quote=False)}")
            with st.expander(f"{trend.title}: the figures, period by period"):
                st.html(trend.table)
                tables.buttons(place, f"series_{trend.id}", f"{trend.title} over time",
                               lambda trend=trend: downloads.authority_series_file(place, trend.id))
        else:
            st.html(trend.table)
            st.markdown(f"No figure is held for {html.escape(area)}.")
        if trend.notes:
            st.markdown("\n".join(f"- {html.escape(note, quote=False)}" for note in trend.notes))
        st.caption(f"{trend.caption} How change is judged here: {trend.rule}.")
