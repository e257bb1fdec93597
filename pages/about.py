"""About the data: every source, how each figure is made, the caveats, and the manifest to download."""

import html

import pandas as pd
import streamlit as st

from explorer.models import gap_time
from explorer.models.about import (
    ATTRIBUTIONS,
    indicator_sources,
    judging_rules,
    not_judged,
    pack_lines,
    read_manifest,
    series_rules,
    straddling_words,
    weighting_lines,
)
from explorer.models.citymap import slug_of
from explorer.models.text import export_csv
from geo.errors import DataError
from pages import _cache as cache

st.title("About the data")
st.markdown(
    "Every figure in this explorer comes from published open data, listed below with its publisher, period, "
    "licence and the attribution it requires. Nothing is estimated to fill a gap: where a value is missing the "
    "app says **no data**."
)

place = cache.place_or_stop("About the data cannot be shown.")
area, registry = place.name, place.registry
lookup = place.local.parts["ward_set"].method if place.has("ward_set") else ""  # how its own lookup was made
st.header("How ward figures are made")
later = [v for v in place.ward_sets if not v.mappable]
weights = "\n".join(f"  - {line}" for line in weighting_lines(registry))
st.markdown(
    f"""
- **Which wards.** {place.ward_set.note} {" ".join(v.note for v in later)}
- **From neighbourhoods to wards.** Most data are published for small areas: LSOAs (about 1,700 residents) or
  MSOAs (about 8,000). {straddling_words(place.wards, area, lookup)}
- **Weighting.** A ward's value is the average of its small areas weighted by how many people live in each.
  Defra's air-pollution grid is averaged by area instead. Counts are added up, never averaged, and a ratio of
  counts (households on Universal Credit per 100 addresses, homes with a garden) is its counts added up, then
  divided; every "computed here" figure says which. Life expectancy is published for MSOAs, which do not
  fit inside wards, so each MSOA counts in proportion to the residents it shares with the ward, as OHID's Local
  Health tool did. The weights, indicator by indicator (from the indicator registry):
{weights}
- **{area} and England figures** are the publisher's own wherever one exists for the same period (ONS's
  {area} and England life expectancies; MHCLG's IoD 2025 summaries for {area}). Otherwise they are computed
  here from the small areas, and every table says which ("computed here", and how).
- **Where {area}'s figures are read from.** {"Its council's own ward set and figures (its local pack), with the "
  "national store's for anything the pack does not build." if place.has("ward_set") else "The national store: "
  "every English authority's wards, neighbourhoods and indicators built from the same national files, each "
  "authority reconciled with MHCLG's own local authority summaries."}
"""
)

st.header("How we judge")
st.markdown("Every judgement word, rank and interval in this app (on every page, the kiosk, the briefing and the "
            "downloads) comes from one method, written here from the same rules the code uses "
            "(`explorer/stats/judge.py`).")
# explorer/stats/judge.py words its rules for the default authority; the same rules apply to any authority.
st.markdown("\n".join(f"- **{applies[0].upper() + applies[1:]}**".replace("Coventry", area)
                       + (f" (words: {words})" if words else "") + f". {text}".replace("Coventry", area)
                       for applies, words, text in judging_rules()))
if unjudged := not_judged(registry):
    st.markdown("Never called better or worse (higher or lower only):\n"
                + "\n".join(f"- {line}" for line in unjudged))
st.subheader("Series over time: how each change is judged")
try:
    st.markdown("\n".join(f"- {line}" for line in series_rules(place)))
except DataError as exc:
    st.warning(f"The series' rules cannot be shown. {exc}")

try:
    gap_rules = gap_time.rule_lines(place)
except DataError as exc:
    gap_rules = []
    st.error(f"The gaps over time's rules cannot be shown. {exc}")
if gap_rules:
    st.markdown("Is the gap narrowing? Each series held over time, and how its change is judged:\n"
                + "\n".join(f"- {html.escape(line, quote=False)}" for line in gap_rules))

st.header("Things to bear in mind")
st.markdown(f"""
- **Life expectancy is old.** The newest small-area life expectancy we hold is for 2009-2013; no newer figures
  for {area}'s neighbourhoods are openly available here.
- **Deprivation ranks are relative.** Each edition of the Indices ranks all of England again, so a change in a
  neighbourhood's decile is a change in position, not necessarily in conditions.
""" + "".join(f"- {line}\n" for line in pack_lines(place.local, area)))

st.header("Every indicator")
table = indicator_sources(registry)
st.dataframe(
    table, hide_index=True, width="stretch",
    column_config={"theme": "Theme", "label": "Indicator", "unit": "Unit", "period": "Period",
                   "geography": "Published for", "source": "Source", "licence": "Licence",
                   "method_text": "How ward figures are made", "caveat": "Caveat"},
)
st.download_button("Download the indicator registry (CSV)", export_csv(table),
                   f"{slug_of(area)}_explorer_indicators.csv", "text/csv", on_click="ignore")

st.markdown("For scripts: every ward table of every authority, as CSV (with CSV on the Web metadata) and JSON, "
            "is at [/app/static/api/v1/](/app/static/api/v1/index.json), the data API (docs/api.md).")

st.header("Sources")
try:
    national = cache.manifest_or_error()
    national = national[national["file"].str.startswith("national/")]
    listed = place.local is not None and (place.local.built / "sources.csv").exists()  # the pack's own sources
    own = read_manifest(place.local.path("sources.csv")) if listed else None
    manifest = pd.concat([own, national], ignore_index=True) if own is not None else national
    st.dataframe(
        manifest[["publisher", "dataset", "period", "geography", "licence", "attribution", "url", "file"]],
        hide_index=True, width="stretch",
        column_config={"publisher": "Publisher", "dataset": "Dataset", "period": "Period", "geography": "Geography",
                       "licence": "Licence", "attribution": "Attribution required",
                       "url": st.column_config.TextColumn("Where it is published"), "file": "File in this app"},
    )
    st.download_button("Download the sources manifest (CSV)", export_csv(manifest),
                       f"{slug_of(area)}_explorer_sources.csv", "text/csv", on_click="ignore")
except DataError as exc:
    st.error(f"The sources list is not available. {exc}")

st.header("Attribution")
publisher = place.publisher
st.markdown("\n".join(f"- {line}" for line in (*ATTRIBUTIONS, *([f"Contains {publisher} data."] if publisher else ()))))
