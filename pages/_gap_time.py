"""The "Is the gap narrowing?" section, shared by Compare and the priorities: the chart, table, words and files.

Thin: everything shown is worked out by the national build and :mod:`explorer.models.gap_time`, kept per place.
"""

from __future__ import annotations

import html

import streamlit as st

from explorer.models import gap_time
from explorer.models.citymap import slug_of
from explorer.models.downloads import file_name
from explorer.models.export import CSV_MIME, XLSX_MIME
from geo.errors import DataError
from pages import _cache as cache
from pages import _pictures as pictures


def _held(place) -> bool | None:
    """Whether the place's gaps over time can be read (None after saying why not: a broken file is named)."""
    try:
        return gap_time.held(place) is not None
    except DataError as exc:
        st.error(f"The gap over time cannot be shown. {exc}")
        return None


def show(place, ind, manifest, key: str = "") -> bool:
    """The section for indicator ``ind``; False (after saying why) where no series of it is held."""
    found = _held(place)
    if found is None:
        return False
    if not found:
        st.info(gap_time.NOT_BUILT)
        return False
    series = gap_time.series_of(place, ind.id)
    if not series:
        st.caption(f"{ind.label}: no figures are held for small areas at two or more times, so its gap is shown at "
                   f"one time only. Held over time: {'; '.join(gap_time.held_words(place))}.")
        return False
    view = cache.charted(place, gap_time.gap_over_time, series)
    st.markdown(html.escape(view.sentence, quote=False))
    if view.rows["sii"].notna().any():  # no slope index at any time: the table and the notes say why
        st.vega_lite_chart(view.chart, width="stretch")
    st.html(view.table)
    st.caption(view.method)
    area, publisher = place.name, place.publisher
    stem = f"{slug_of(area)}_gap_over_time_{series}"  # what the files are kept under

    def named(ext: str) -> str:
        return file_name(area, f"{view.label} gap over time", str(view.rows["period"].iloc[-1]), ext)

    if view.rows["sii"].notna().any():
        pictures.offer(place, f"gap_{series}", gap_time.gap_picture, series, table=f"{view.label} gap over time chart",
                       period=str(view.rows["period"].iloc[-1]), what="chart", key=f"gt{key}_{series}")
    with st.container(horizontal=True):
        st.download_button("Download the gap over time (CSV)",
                           cache.download(place, f"{stem}.csv", lambda: gap_time.gap_time_csv(view, area, place.code)),
                           named("csv"), CSV_MIME, on_click="ignore", key=f"gt_csv{key}")
        st.download_button("Download the gap over time (Excel)",
                           cache.download(place, f"{stem}.xlsx", lambda: gap_time.gap_time_workbook(
                               view, area, place.registry, manifest, publisher=publisher, code=place.code)),
                           named("xlsx"), XLSX_MIME, on_click="ignore", key=f"gt_xlsx{key}")
    return True


def show_each(place, indicators, manifest) -> None:
    """The section for each series one of ``indicators`` belongs to (a priority's), or why there is none."""
    found = _held(place)
    if found is None:
        return
    if not found:
        st.info(gap_time.NOT_BUILT)
        return
    by_series: dict[str, str] = {}
    for key in indicators:
        by_series.setdefault(gap_time.series_of(place, key), key)
    by_series.pop("", None)
    if not by_series:
        st.caption("None of these indicators is held for small areas at two or more times, so no gap over time can "
                   "be shown for them.")
    for series, key in by_series.items():
        st.subheader(gap_time.label_of(place, series) or place.registry[key].label)
        show(place, place.registry[key], manifest, key=f"_{series}")
