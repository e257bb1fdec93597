"""The two buttons under a table: its CSV and its Excel workbook (:class:`explorer.models.downloads.TableFile`).

Thin: the files are built by :mod:`explorer.models.downloads`, once per place and ``key``
(:func:`pages._cache.download`), so a warm rerun only looks them up.
"""

from __future__ import annotations

from collections.abc import Callable

import streamlit as st

from explorer.models.downloads import TableFile
from explorer.models.export import CSV_MIME, XLSX_MIME
from pages import _cache as cache


def buttons(place, key: str, what: str, build: Callable[[], TableFile | None]) -> None:
    """"Download <what> (CSV)" and "(Excel)" for the table ``build()`` makes; nothing where it makes none.

    ``key`` must name all the table depends on (indicator, grouping, choices): the files are kept under it.
    """
    made = cache.download(place, f"table:{key}", build)
    if made is None:
        return
    with st.container(horizontal=True):
        st.download_button(f"Download {what} (CSV)", cache.download(place, f"{key}.csv", made.csv),
                           made.name("csv"), CSV_MIME, on_click="ignore", key=f"dl_{key}_csv")
        st.download_button(f"Download {what} (Excel)",
                           cache.download(place, f"{key}.xlsx", lambda: made.xlsx(cache.manifest())),
                           made.name("xlsx"), XLSX_MIME, on_click="ignore", key=f"dl_{key}_xlsx")
