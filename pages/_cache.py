"""The one place Streamlit caching meets the data: each file is read once per server process.

Loaders raise ``DataError`` (never cached), so a page can show the message and
a repaired file is picked up on the next rerun. Cache keys include the data
folder, so pointing ``EXPLORER_DATA_DIR`` elsewhere never serves stale data.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property

import geopandas as gpd
import pandas as pd
import streamlit as st
from streamlit.runtime.scriptrunner import get_script_run_ctx

from explorer import paths
from explorer.pipeline import store
from explorer.pipeline.authorities import Authority, NationalStore
from explorer.registry import Indicator, load_registry
from geo.errors import DataError
from geo.geojson import lean_geometry
from geo.vintages import WardVintage, current_vintage, load_vintages, load_ward_names

# --- Which local authority ---------------------------------------------------------------------------------
# Coventry reads its local pack (data/processed, data/registry) as before; any other authority reads the national
# store (data/store/v1, `make national`). The cache keys below name the data folders, so for another authority
# they name the store and the authority ("store|<folder>|<code>") and every cached function works unchanged.

COVENTRY = "E08000026"
CHOSEN = "_la_code"  # the session's authority, set by pages/_authority.py before the page runs
FIXED = "_la_fixed"  # True when no picker is drawn (EXPLORER_LA, the kiosk): then CHOSEN alone decides
STORE_CACHE = 8  # authorities kept in memory by the store's reader (its lru_cache)
BOUND = 1024  # entries per cached function: each other authority adds its own, so none may grow without end
LOCAL_PACK = {  # what only Coventry's local pack holds, in words
    "city_series.csv": "the series over time", "no2_tubes.csv": "the council's NO2 diffusion tubes",
    "no2_tube_means.csv": "the council's NO2 diffusion tubes", "hot_streets.csv": "the fly-tipping hot streets",
    "postcodes.csv": "postcode search", "councillors.csv": "the councillors list", "lsoa11": "2011 neighbourhoods",
    "grid1km": "the 1 km air-quality grid", "registry": "the plan priorities, register and kiosk facts",
    "the sources manifest": "the sources manifest",
}


class NotHeld(DataError):
    """Content held in Coventry's local pack only, asked for another authority: said plainly, not as a fault."""

    def __init__(self, what: str, name: str) -> None:
        super().__init__(what, f"held for Coventry only, not for {name}")
        self.args = (f"Not held for {name}: {what} (held for Coventry only).",)


def _in_store(key: str) -> bool:
    return key.startswith("store|")


def _data_folder(key: str, what: str) -> paths.Path:
    if _in_store(key):
        raise NotHeld(LOCAL_PACK[what], _authority(key).name)
    return paths.Path(key)


@st.cache_resource(show_spinner=False)
def _national(folder: str) -> NationalStore:
    return NationalStore(paths.Path(folder), cache_size=STORE_CACHE)


def national() -> NationalStore | None:
    """The national store's reader (one per process), or None when no store is built."""
    try:
        return _national(str(paths.store_dir()))
    except DataError:
        return None


def _authority(key: str) -> Authority:
    _, folder, code = key.split("|")
    return _national(folder).authority(code)  # DataError (naming the store file) if it cannot be read


def authority_code() -> str:
    """The code of the authority this session shows (Coventry outside a session, as in the warm-up)."""
    if get_script_run_ctx(suppress_warning=True) is None:
        return COVENTRY
    state = st.session_state
    # The picker's value, when it is drawn: a page may be rerun on its own (Streamlit's legacy pages/ mode, as
    # AppTest runs it), without the router that sets CHOSEN.
    if not state.get(FIXED, True) and isinstance(state.get("la"), str):
        return state["la"]
    return state.get(CHOSEN, COVENTRY)


def authority_name() -> str:
    """The name of the authority this session shows."""
    code = authority_code()
    if code == COVENTRY:
        return "Coventry"
    reader = national()
    return str(reader.authorities().set_index("code").loc[code, "name"]) if reader else code


def local_pack() -> bool:
    """True when the authority shown has the local pack (today Coventry only)."""
    return authority_code() == COVENTRY


def _name(key: str) -> str:
    """The name of the authority a cache key is about."""
    return _authority(key).name if _in_store(key) else "Coventry"


def _keys() -> tuple[str, str]:
    """The (data, processed) cache keys of the authority this session shows."""
    code = authority_code()
    if code == COVENTRY:
        return str(paths.data_dir()), str(paths.processed_dir())
    key = f"store|{paths.store_dir()}|{code}"
    return key, key


@st.cache_resource(show_spinner=False, max_entries=BOUND)
def _download(keys: tuple[str, str], name: str, _build) -> bytes | str:
    return _build()


def download(name: str, build) -> bytes | str:
    """A download's content, built once per authority and ``name`` (which must name all it depends on).

    Files are handed to the button as content, never built on click: a deferred file reaches the browser after a
    round trip to the server, and Chromium then no longer counts the click as the visitor's, so it blocks every
    download after the first as "automatic" (CSV then Excel clicked quickly gave one file).
    """
    return _download(_keys(), name, build)


def _arrow_rows(view, chart: str = "chart"):
    """``view`` with its chart's inline rows turned into a named Arrow dataset, once.

    ``st.vega_lite_chart`` converts inline rows to Arrow on every call (about 5 ms a chart); a dataset
    that is already Arrow bytes is passed through, so the conversion is done here, once per view, with
    Streamlit's own converter.
    """
    from dataclasses import replace

    from streamlit import dataframe_util

    spec = getattr(view, chart)
    rows = spec.get("data", {}).get("values")
    if rows is None:
        return view
    arrow = dataframe_util.convert_anything_to_arrow_bytes(pd.DataFrame(rows))
    shared = {key: value for key, value in spec.items() if key != "data"}
    return replace(view, **{chart: {**shared, "data": {"name": "rows"}, "datasets": {"rows": arrow}}})


@st.cache_resource(show_spinner=False, max_entries=BOUND)
def _registry(folder: str) -> dict[str, Indicator]:
    if _in_store(folder):
        return _authority(folder).registry
    return load_registry(paths.Path(folder) / "registry" / "indicators.csv")


@st.cache_resource(show_spinner=False, max_entries=BOUND)
def _vintages(folder: str) -> tuple[list[WardVintage], WardVintage]:
    if _in_store(folder):
        from explorer.models.places import store_vintage

        a = _authority(folder)
        one = store_vintage(a.name, list(a.wards["code"]))
        return [one], one
    found = load_vintages(paths.Path(folder) / "registry" / "ward_vintages.csv")
    return found, current_vintage(found)


STORE_TABLES = {"values.csv": "values", "wards.csv": "wards", "lookups.csv": "lookups", "lsoa_weights.csv": "weights"}


@st.cache_resource(show_spinner=False, max_entries=BOUND)
def _csv_table(folder: str, name: str) -> pd.DataFrame:
    return store.read_table(paths.Path(folder), name)


def _table(folder: str, name: str) -> pd.DataFrame:
    if _in_store(folder):  # the store's own cache (bounded) holds it
        if name not in STORE_TABLES:
            raise NotHeld(LOCAL_PACK.get(name, name), _authority(folder).name)
        return getattr(_authority(folder), STORE_TABLES[name])
    return _csv_table(folder, name)


def _layer(folder: str, name: str) -> gpd.GeoDataFrame:
    if _in_store(folder):
        return _store_layer(folder, name)
    return _file_layer(folder, name)


@st.cache_resource(show_spinner=False, max_entries=BOUND)
def _file_layer(folder: str, name: str) -> gpd.GeoDataFrame:
    return lean_geometry(store.read_layer(paths.Path(folder), name))


@st.cache_resource(show_spinner=False, max_entries=3 * STORE_CACHE)
def _store_layer(folder: str, name: str) -> gpd.GeoDataFrame:
    a = _authority(folder)
    if name == "wards":
        return lean_geometry(a.ward_shapes)
    if name not in a.layers:
        raise NotHeld(LOCAL_PACK.get(name, name), a.name)
    return lean_geometry(a.layers[name])


def registry() -> dict[str, Indicator]:
    return _registry(_keys()[0])


def vintages() -> tuple[list[WardVintage], WardVintage]:
    return _vintages(_keys()[0])


def table(name: str) -> pd.DataFrame:
    return _table(_keys()[1], name)


@st.cache_resource(show_spinner=False, max_entries=BOUND)
def _new_wards(data: str):
    from explorer.models.places import new_wards

    found, current = _vintages(data)
    names = {v.vintage: load_ward_names(v, paths.Path(data) / "raw") for v in found[found.index(current) + 1:]
             if not v.mappable and v.names_file}
    return new_wards(found, current, names)


def new_wards() -> dict:
    """The wards of a later set with no figures yet (Coventry's from May 2026), by code; {} when none is named.

    Only a ward's name is read (ward_vintages.csv's ``names_file``, in ``data/raw``): a missing or broken file
    leaves the set unnamed, so a link to one of its wards gets the ordinary notice.
    """
    data = _keys()[0]
    if _in_store(data):
        return {}
    try:
        return _new_wards(data)
    except DataError:
        return {}


def layer(name: str) -> gpd.GeoDataFrame:
    return _layer(_keys()[1], name)


@st.cache_resource(show_spinner=False, max_entries=BOUND)
def _gap_summary(data: str, processed: str, n: int) -> pd.DataFrame:
    from explorer.stats.gaps import gap_summary as compute

    return compute(_registry(data), _table(processed, "values.csv"), _table(processed, "lookups.csv"),
                   _table(processed, "lsoa_weights.csv"), n)


def gap_summary(n: int) -> pd.DataFrame:
    """The gap, SII and RII of every indicator (computed once per grouping)."""
    return _gap_summary(*_keys(), n)


@st.cache_resource(show_spinner=False, max_entries=BOUND)
def _plan(data: str, processed: str):
    from explorer.pipeline.interventions import load_register
    from explorer.pipeline.priorities import load_principles, load_priorities
    from geo.points import ward_of

    folder = _data_folder(data, "registry") / "registry"
    priorities = load_priorities(folder / "priorities.csv", _registry(data))
    principles = load_principles(folder / "marmot_principles.csv")
    wards = _layer(processed, "wards")
    register = load_register(folder / "interventions.csv", {p.id for p in priorities}, set(wards["code"]))
    rows = register.rows
    if len(rows):
        points = rows["location"] != "ward"
        rows["located_ward"] = rows["ward"]
        rows.loc[points, "located_ward"] = ward_of(rows.loc[points, "lat"], rows.loc[points, "lon"], wards)
        rows["inside_coventry"] = rows["located_ward"].notna()
    return priorities, principles, rows, register.problems


def plan():
    """Priorities, Marmot principles, the valid register rows (with the ward each lies in) and any bad rows."""
    return _plan(*_keys())


@st.cache_resource(show_spinner=False, max_entries=BOUND)
def _lsoa_centres(processed: str):
    from geo.points import centres

    return centres(_layer(processed, "lsoa21"))


def lsoa_centres():
    """A point inside each 2021 LSOA, in British National Grid."""
    return _lsoa_centres(_keys()[1])


@st.cache_resource(show_spinner=False, max_entries=BOUND)
def _series_view(processed: str, series_id: str):
    from explorer.models.views import series_view

    series = _table(processed, "city_series.csv")
    paired = (series.loc[series["series"] == series_id, "change_rule"] == "paired").any()
    view = series_view(series, series_id, _table(processed, "no2_tube_means.csv") if paired else None)
    return None if view is None else _arrow_rows(view)


def series_view(series_id: str):
    """A city series' chart, table and words (None when the series has no rows), built once per series.

    Raises DataError when ``city_series.csv`` (or, for a series compared site by site, ``no2_tube_means.csv``)
    cannot be read.
    """
    return _series_view(_keys()[1], series_id)


@dataclass(frozen=True)
class Core:
    """What every page needs: the registry, ward vintages, values, wards and their shapes."""

    registry: dict[str, Indicator]
    all_vintages: list[WardVintage]
    vintage: WardVintage
    values: pd.DataFrame
    wards: pd.DataFrame
    ward_shapes: gpd.GeoDataFrame

    @cached_property
    def names(self) -> dict[str, str]:
        """Ward names by code (shared: do not modify)."""
        return dict(zip(self.wards["code"], self.wards["name"], strict=True))

    @cached_property
    def codes(self) -> list[str]:
        """Ward codes in alphabetical order of name (shared: do not modify)."""
        names = self.names
        return sorted(names, key=names.get)


@st.cache_resource(show_spinner=False, max_entries=BOUND)
def _core(data: str, processed: str) -> Core:
    return Core(_registry(data), *_vintages(data), _table(processed, "values.csv"), _table(processed, "wards.csv"),
                _layer(processed, "wards"))


@st.cache_resource(show_spinner=False, max_entries=BOUND)
def _opening_wards(data: str, processed: str, n: int) -> list[str]:
    from explorer.models.places import opening_wards as choose

    core = _core(data, processed)
    return choose(core.codes, core.values, n)


def opening_wards(n: int = 1) -> list[str]:
    """The first ``n`` wards (by name) with figures, that a page opens on (``places.opening_wards``)."""
    return _opening_wards(*_keys(), n)


def core_or_stop(what: str) -> Core:
    """Load the core data (once per process: shared), or show what is wrong (naming the file) and stop this page."""
    try:
        return _core(*_keys())
    except DataError as exc:
        st.error(f"{what} {exc}")
        st.stop()
        raise  # st.stop() raises; this line is for type checkers


def local_pack_or_stop(what: str) -> None:
    """Say plainly that ``what`` is held for Coventry only and stop this page, unless the authority is Coventry."""
    if local_pack():
        return
    name = authority_name()
    st.info(f"Not held for {name}: {what} (held for Coventry only). The ward map, ward profiles and comparisons "
            f"work for {name}; choose Coventry in the list of local authorities to see this page.")
    st.stop()


@st.cache_resource(show_spinner=False, max_entries=BOUND)
def _small_view(data: str, processed: str, indicator: str, geography: str):
    from explorer.models.citymap import small_area_view as compute

    return compute(_table(processed, "values.csv"), _layer(processed, geography), _registry(data)[indicator], geography)


@st.cache_resource(show_spinner=False, max_entries=BOUND)
def _ward_layer(data: str, processed: str, indicator: str):
    from explorer.models.citymap import profile_link, ward_table, ward_view
    from explorer.models.webmap import feature_collection

    table = ward_table(_table(processed, "values.csv"), _table(processed, "wards.csv"), _registry(data)[indicator],
                       _name(processed))
    view = ward_view(table, _registry(data)[indicator])
    links = {code: profile_link(name) for code, name in zip(table["code"], table["name"], strict=True)}
    return table, view, feature_collection(_layer(processed, "wards"), view, links)


@st.cache_resource(show_spinner=False, max_entries=BOUND)
def _ward_display(data: str, processed: str, indicator: str) -> pd.DataFrame:
    from explorer.models.citymap import ward_display_table

    return ward_display_table(_ward_layer(data, processed, indicator)[0], _registry(data)[indicator])


def ward_display(indicator: str) -> pd.DataFrame:
    """The ward table as printed on the city map (plain names, rounded), built once per indicator."""
    return _ward_display(*_keys(), indicator)


@st.cache_resource(show_spinner=False, max_entries=BOUND)
def _ward_table_html(data: str, processed: str, indicator: str) -> str:
    from explorer.models.citymap import ward_html

    return ward_html(_ward_display(data, processed, indicator), _registry(data)[indicator], _name(processed))


def ward_table_html(indicator: str) -> str:
    """The city map's ward table as HTML (:mod:`explorer.models.tables`), built once per indicator."""
    return _ward_table_html(*_keys(), indicator)


def ward_layer(indicator: str):
    """An indicator's ward table, map view (classes, tooltips) and GeoJSON (with profile links), once per indicator.

    Callers must not modify what is returned: it is shared by every session.
    """
    return _ward_layer(*_keys(), indicator)


def small_view(indicator: str, geography: str):
    """The neighbourhood layer of an indicator (values, class breaks, tooltips), computed once."""
    return _small_view(*_keys(), indicator, geography)


@st.cache_resource(show_spinner=False, max_entries=BOUND)
def _kiosk_facts(data: str):
    from explorer.models.kiosk import load_facts

    return load_facts(_data_folder(data, "registry") / "registry" / "kiosk_facts.csv", _registry(data))


def kiosk_facts():
    """The plain-English facts shown on the kiosk and the "my area" page."""
    return _kiosk_facts(_keys()[0])


def kiosk_settings():
    """Kiosk settings from the environment, and what is wrong with them (a bad one keeps its default).

    EXPLORER_KIOSK_LIBRARY is checked against the Library rows of the interventions register.
    """
    import os

    from explorer.models.kiosk import read_settings

    try:
        libraries = kiosk_libraries()
    except DataError:
        libraries = []  # the setting's problem then says the register could not be read
    return read_settings(os.environ, libraries)


@st.cache_resource(show_spinner=False, max_entries=BOUND)
def _facts(data: str, processed: str) -> list:
    from explorer.models.profile import indicator_facts

    return indicator_facts(_registry(data), _table(processed, "values.csv"), area=_name(processed))


@st.cache_resource(show_spinner=False, max_entries=BOUND)
def _manifest(data: str) -> pd.DataFrame:
    from explorer.models.about import read_manifest

    return read_manifest(_data_folder(data, "the sources manifest") / "sources.csv")


def manifest() -> pd.DataFrame | None:
    """The sources manifest (``data/sources.csv``) for a workbook's Sources sheet; None if it cannot be read.

    A broken manifest is named on the About page; a download still lists each indicator's source.
    """
    try:
        return _manifest(_keys()[0])
    except DataError:
        return None


@st.cache_resource(show_spinner=False, max_entries=BOUND)
def _profile(data: str, processed: str, ward: str) -> pd.DataFrame:
    from explorer.models.profile import profile_table

    return profile_table(ward, _registry(data), _table(processed, "values.csv"), facts=_facts(data, processed))


def profile(ward: str) -> pd.DataFrame:
    """A ward's profile table (every indicator against Coventry), computed once per ward. Do not modify it."""
    return _profile(*_keys(), ward)


@st.cache_resource(show_spinner=False, max_entries=BOUND)
def _profile_view(data: str, processed: str, ward: str):
    from explorer.models.views import profile_view

    row = _table(processed, "wards.csv").set_index("code").loc[ward]
    return _arrow_rows(profile_view(str(row["name"]), _profile(data, processed, ward), _registry(data),
                                    int(row["lsoa21_straddling"]), int(row["lsoa21_count"])), "spine")


def profile_view(ward: str):
    """What the ward profile shows for a ward (summary, spine chart, tables): built once per ward, shared."""
    return _profile_view(*_keys(), ward)


@st.cache_resource(show_spinner=False, max_entries=BOUND)
def _sites_view(data: str, processed: str, ward: str, metres: float):
    from explorer.models.views import sites_view

    name = _table(processed, "wards.csv").set_index("code").loc[ward, "name"]
    return sites_view(_sites_near(data, processed, ward, metres), str(name))


def sites_view(ward: str, metres: float = 500):
    """The sentence and list of sites in or near a ward, built once per ward. Raises DataError like sites_near."""
    return _sites_view(*_keys(), ward, metres)


@st.cache_resource(show_spinner=False, max_entries=BOUND)
def _neighbourhoods(data: str, processed: str, ward: str) -> tuple[str, str, str]:
    from explorer.models.citymap import MapView, small_area_sentence
    from explorer.models.webmap import (
        LEGEND_CSS,
        choropleth_map,
        feature_collection,
        legend_html,
        map_document,
        outline_of,
    )

    registry, wards, lsoas = _registry(data), _layer(processed, "wards"), _layer(processed, "lsoa21")
    lookups = _table(processed, "lookups.csv")
    in_ward = lookups[(lookups["geography"] == "lsoa21") & (lookups["ward"] == ward)]
    imd = registry["imd25_score"]
    city_view = _small_view(data, processed, imd.id, "lsoa21")
    mine = lsoas[lsoas["code"].isin(in_ward["lsoa"])]
    name = wards.loc[wards["code"] == ward, "name"].iloc[0]
    document = map_document(choropleth_map(feature_collection(mine, city_view), mine.total_bounds,
                                           layer_name="Neighbourhoods",
                                           outline=outline_of(wards[wards["code"] == ward]),
                                           label=f"Map of the neighbourhoods of {name} by {imd.label}. Their "
                                                 "range is in What the map shows, below the map."))
    legend = LEGEND_CSS + legend_html(f"{imd.label}: neighbourhoods", city_view, [
        f"Classes are the same for all of {_name(processed)}, so wards can be compared; darker = more deprived.",
        f"Period: {imd.period}. Source: {imd.source}.",
        "Neighbourhoods are assigned to the ward holding most of their output areas.",
    ])
    shared = int(in_ward["straddles"].sum())
    sentence = small_area_sentence(MapView(city_view.values.reindex(mine["code"]), city_view.classes, {}),
                                   mine.set_index("code")["name"], imd, "neighbourhoods of this ward") + " " + (
        "None of them has homes in another ward." if shared == 0
        else f"{shared} of them also {'has' if shared == 1 else 'have'} homes in another ward.")
    return document, legend, sentence


def neighbourhoods(ward: str) -> tuple[str, str, str]:
    """A ward's neighbourhood map (HTML document), its legend (HTML) and what it shows, built once per ward."""
    return _neighbourhoods(*_keys(), ward)


@st.cache_resource(show_spinner=False, max_entries=BOUND)
def _sites_near(data: str, processed: str, ward: str, metres: float) -> pd.DataFrame:
    from explorer.pipeline.interventions import sites_near as compute

    wards = _layer(processed, "wards")
    return compute(_plan(data, processed)[2], ward, wards[wards["code"] == ward], metres)


def sites_near(ward: str, metres: float = 500) -> pd.DataFrame:
    """Register rows in or within ``metres`` of a ward, computed once per ward. Do not modify it."""
    return _sites_near(*_keys(), ward, metres)


@st.cache_resource(show_spinner=False, max_entries=BOUND)
def _picker(processed: str, selected: str) -> dict:
    from explorer.models.webmap import picker_features

    return picker_features(_layer(processed, "wards"), selected)


def picker(selected: str) -> dict:
    """GeoJSON of the wards as clickable shapes with ``selected`` dark, built once per ward."""
    return _picker(_keys()[1], selected)


@st.cache_resource(show_spinner=False, max_entries=BOUND)
def _ward_outlines(processed: str) -> dict:
    from explorer.models.webmap import outline_of

    return outline_of(_layer(processed, "wards"))


def ward_outlines() -> dict:
    """GeoJSON of every ward boundary, drawn over neighbourhood layers; built once."""
    return _ward_outlines(_keys()[1])


@st.cache_resource(show_spinner=False, max_entries=512)
def _static_map(data: str, processed: str, key: tuple, _build) -> str:
    from explorer.models.webmap import map_document

    return map_document(_build())


def static_map(key: tuple, build) -> str:
    """The HTML document of a map that sends nothing back, built once per ``key`` and shared.

    ``build`` makes the folium map; it runs only the first time ``key`` is seen, so the key
    must name everything the map shows. Pan and zoom happen in the browser alone.
    """
    return _static_map(*_keys(), key, build)


@st.cache_resource(show_spinner=False, max_entries=BOUND)
def _ward_rows(processed: str) -> dict:
    from explorer.models.compare import ward_rows

    return ward_rows(_table(processed, "values.csv"))


@st.cache_resource(show_spinner=False, max_entries=400)
def _two_wards(data: str, processed: str, a: str, b: str) -> pd.DataFrame:
    from explorer.models.compare import two_wards as compute

    wards = _table(processed, "wards.csv")
    return compute(a, b, _registry(data), _table(processed, "values.csv"),
                   dict(zip(wards["code"], wards["name"], strict=True)), _ward_rows(processed))


def two_wards(a: str, b: str) -> pd.DataFrame:
    """Every indicator for two wards side by side, computed once per pair. Do not modify it."""
    return _two_wards(*_keys(), a, b)


@st.cache_resource(show_spinner=False, max_entries=400)
def _pair_view(data: str, processed: str, a: str, b: str):
    from explorer.models.views import pair_view

    names = _table(processed, "wards.csv").set_index("code")["name"]
    return pair_view(_two_wards(data, processed, a, b), str(names[a]), str(names[b]))


def pair_view(a: str, b: str):
    """Compare's two-ward sentence and tables, built once per pair (324 pairs: kept, and cheap to build)."""
    return _pair_view(*_keys(), a, b)


@st.cache_resource(show_spinner=False, max_entries=BOUND)
def _default_indicator(data: str, processed: str) -> str:
    from explorer.models.compare import default_indicator as choose

    return choose(_registry(data), _table(processed, "values.csv"))


def default_indicator() -> str:
    """The indicator Compare opens on (an outcome, not part of the deprivation index), from the registry."""
    return _default_indicator(*_keys())


@st.cache_resource(show_spinner=False, max_entries=BOUND)
def _marmot_gap(data: str, processed: str, indicator: str, n: int, ordering: str | None = None):
    from explorer.stats.gaps import marmot_gap as compute

    return compute(_registry(data)[indicator], _table(processed, "values.csv"), _table(processed, "lookups.csv"),
                   _table(processed, "lsoa_weights.csv"), _registry(data), n, ordering)


def marmot_gap(indicator: str, n: int, ordering: str | None = None):
    """Most against least deprived groups, gap, SII and RII (phe_sii, 100,000 simulations), once per indicator,
    grouping and ordering (``ordering``: an IMD edition for MSOA indicators, for the sensitivity of the gap)."""
    return _marmot_gap(*_keys(), indicator, n, ordering)


@st.cache_resource(show_spinner=False, max_entries=BOUND)
def _gap_view(data: str, processed: str, indicator: str, n: int):
    from explorer.models.views import gap_view

    return _arrow_rows(gap_view(_marmot_gap(data, processed, indicator, n), _registry(data)[indicator],
                                _name(processed)))


def gap_view(indicator: str, n: int):
    """Compare's deprived-against-affluent section for an indicator and grouping, built once."""
    return _gap_view(*_keys(), indicator, n)


@st.cache_resource(show_spinner=False, max_entries=BOUND)
def _gap_table(data: str, processed: str, n: int) -> str:
    from explorer.models.gap_views import gap_html

    return gap_html(_gap_summary(data, processed, n), n)


def gap_table(n: int) -> str:
    """The every-indicator gap table as HTML, built once per grouping."""
    return _gap_table(*_keys(), n)


@st.cache_resource(show_spinner=False, max_entries=BOUND)
def _scatter_view(data: str, processed: str, indicator: str):
    from explorer.models.citymap import values_for
    from explorer.models.views import scatter_view

    registry, values = _registry(data), _table(processed, "values.csv")
    table = _ward_layer(data, processed, indicator)[0]
    imd = values_for(values, "imd25_score", "ward")["value"]
    points = pd.DataFrame({"name": table["name"], "x": table["code"].map(imd), "y": table["value"]})
    return _arrow_rows(scatter_view(points, registry[indicator], registry["imd25_score"], _name(processed)))


def scatter_view(indicator: str):
    """Compare's scatter of the wards (deprivation against the indicator), built once per indicator.

    Mark the chosen wards with :func:`explorer.models.charts.with_chosen`; the shared spec must not be changed.
    """
    return _scatter_view(*_keys(), indicator)


@st.cache_resource(show_spinner=False, max_entries=BOUND)
def _bivariate_view(data: str, processed: str, indicator: str) -> tuple[str, str, str, str, str]:
    from explorer.models.citymap import values_for, with_unit
    from explorer.models.compare import bivariate, bivariate_legend_html, bivariate_sentence
    from explorer.models.webmap import bivariate_features, choropleth_map, map_document

    registry, values = _registry(data), _table(processed, "values.csv")
    ind, imd = registry[indicator], registry["imd25_score"]
    wards = _layer(processed, "wards")
    small = ind.geography in ("lsoa21", "grid1km") and ind.method == "mean"
    geography = "lsoa21" if small else "ward"
    shapes = _layer(processed, "lsoa21") if small else wards
    areas_words = "neighbourhoods (2021 LSOAs)" if small else "wards"
    dep = values_for(values, "imd25_score", geography)["value"]
    other = values_for(values, ind.id, geography)["value"]
    classes = bivariate(dep.reindex(shapes["code"]), other.reindex(shapes["code"]), ind.polarity)
    tips = {code: f"{name}\nIMD 2025 score {with_unit(dep.get(code), imd)}\n{ind.label}: "
                  f"{with_unit(other.get(code), ind)}"
            for code, name in zip(shapes["code"], shapes["name"], strict=True)}
    document = map_document(choropleth_map(
        bivariate_features(shapes, classes["colour"], tips), wards.total_bounds, layer_name="Bivariate",
        outline=_ward_outlines(processed) if small else None,
        label=f"Bivariate map of {_name(processed)}'s {areas_words}: IMD 2025 score and {ind.label}. How many areas "
              "fall in each pair of thirds is in the key beside the map and in What the map shows, below it."))
    caption = (f"Thirds of {_name(processed)}'s {areas_words}, by IMD 2025 score (up) and by {ind.label} (across, "
               f"{ind.period}). The darkest corner is most deprived and worst. Numbers are areas in each cell.")
    return (document, bivariate_legend_html("IMD 2025 score", ind, classes), caption,
            bivariate_sentence(classes, ind, areas_words), f"Bivariate map of IMD 2025 score and {ind.label}")


def bivariate_view(indicator: str) -> tuple[str, str, str, str, str]:
    """Compare's bivariate map of an indicator: document, legend (HTML), caption, what it shows, and alt text."""
    return _bivariate_view(*_keys(), indicator)


@st.cache_resource(show_spinner=False, max_entries=BOUND)
def _published_gaps(data: str) -> pd.DataFrame:
    from explorer.pipeline.published import load_published_gaps

    return load_published_gaps(_data_folder(data, "registry") / "registry" / "published_gaps.csv", set(_registry(data)))


def published_gaps() -> pd.DataFrame:
    """The life-expectancy gaps the council publishes (quoted, with their pages and periods)."""
    return _published_gaps(_keys()[0])


@st.cache_resource(show_spinner=False, max_entries=BOUND)
def _sensitivity(data: str, processed: str, indicator: str, n: int) -> pd.DataFrame:
    from explorer.stats.gaps import ordering_sensitivity

    return ordering_sensitivity(_registry(data)[indicator], _table(processed, "values.csv"),
                                _table(processed, "lookups.csv"), _table(processed, "lsoa_weights.csv"),
                                _registry(data), n)


def sensitivity(indicator: str, n: int) -> pd.DataFrame:
    """An MSOA indicator's slope index with its areas ordered by IMD 2025, 2019 and 2015."""
    return _sensitivity(*_keys(), indicator, n)


# --- Library kiosk ------------------------------------------------------------------------------------------

@st.cache_resource(show_spinner=False, max_entries=BOUND)
def _kiosk_landmarks(data: str):
    from explorer.models.kiosk import load_landmarks

    return load_landmarks(_data_folder(data, "registry") / "registry" / "kiosk_landmarks.csv")


@st.cache_resource(show_spinner=False, max_entries=BOUND)
def _yardsticks(data: str):
    from explorer.models.kiosk import load_yardsticks

    return load_yardsticks(_data_folder(data, "registry") / "registry" / "yardsticks.csv", _registry(data))


def yardsticks():
    """Fixed levels to compare figures with (the NO2 limit and guideline), by indicator."""
    return _yardsticks(_keys()[0])


@st.cache_resource(show_spinner=False, max_entries=BOUND)
def _kiosk_libraries(data: str, processed: str) -> list[str]:
    rows = _plan(data, processed)[2]
    return sorted(rows.loc[rows["type"] == "Library", "name"].astype(str))


def kiosk_libraries() -> list[str]:
    """The names of the Library rows of the interventions register (what EXPLORER_KIOSK_LIBRARY may name)."""
    return _kiosk_libraries(*_keys())


def library_ward(library: str | None) -> str | None:
    """The ward the kiosk's library lies in, or None."""
    if not library:
        return None
    rows = plan()[2]
    found = rows.loc[(rows["type"] == "Library") & (rows["name"] == library), "located_ward"].dropna()
    return str(found.iloc[0]) if len(found) else None


@st.cache_resource(show_spinner=False, max_entries=32)
def _kiosk_map(data: str, processed: str, library: str | None) -> str:
    from explorer.models.kiosk import kiosk_points
    from explorer.models.kioskmap import kiosk_map_document

    points = kiosk_points(_plan(data, processed)[2], _kiosk_landmarks(data), library)
    return kiosk_map_document(_layer(processed, "wards"), points, library_ward(library), _name(processed))


def kiosk_map(library: str | None) -> str:
    """The kiosk's "tap your area" map document (landmarks, "You are here"), built once per library."""
    return _kiosk_map(*_keys(), library)


@st.cache_resource(show_spinner=False, max_entries=BOUND)
def _kiosk_table(data: str, processed: str, ward: str) -> pd.DataFrame:
    from explorer.models.kiosk import FACT_INDICATORS_ALWAYS
    from explorer.models.profile import profile_table

    registry = _registry(data)
    wanted = {i for fact in _kiosk_facts(data) for i in fact.indicators} | set(FACT_INDICATORS_ALWAYS)
    values = _table(processed, "values.csv")
    values = values[values["indicator"].isin(wanted) & values["geography"].isin(["ward", "city", "england"])]
    return profile_table(ward, {k: v for k, v in registry.items() if k in wanted}, values)


def kiosk_table(ward: str) -> pd.DataFrame:
    """The rows of a ward's profile table that "my area" shows, computed once per ward. Do not modify it.

    The same :func:`explorer.models.profile.profile_table` as the ward profile, given only the indicators the
    facts use (each indicator is ranked on its own, so the rows are identical and five times quicker).
    """
    return _kiosk_table(*_keys(), ward)


@st.cache_resource(show_spinner=False, max_entries=BOUND)
def _area_svg(processed: str, ward: str) -> str:
    import base64

    from geo.svg import svg_map

    shapes = _layer(processed, "wards")
    fills = ["#08519c" if code == ward else "#deebf7" for code in shapes["code"]]
    drawing = svg_map(shapes, fills, list(shapes["name"]), width=460, max_height=420, label="Map")
    return "data:image/svg+xml;base64," + base64.b64encode(drawing.encode()).decode()


def area_svg(ward: str) -> str:
    """The small map of Coventry with one ward picked out, as an image address (drawn once per ward).

    An image is drawn by the browser at once; the same SVG as Markdown took the page noticeably longer.
    """
    return _area_svg(_keys()[1], ward)


@st.cache_resource(show_spinner=False, max_entries=64)
def _area_view(data: str, processed: str, ward: str, today: str):
    from datetime import date

    from explorer.models.kiosk import area_view

    wards = _table(processed, "wards.csv")
    name = str(wards.loc[wards["code"] == ward, "name"].iloc[0])
    return area_view(name, _kiosk_table(data, processed, ward), _kiosk_facts(data), _registry(data),
                     _yardsticks(data), date.fromisoformat(today))


def area_view(ward: str, today) -> object:
    """What "my area" says about ``ward`` on ``today`` (a :class:`explorer.models.kiosk.AreaView`), once per ward a day.

    Raises DataError naming the file when the facts or yardsticks cannot be read.
    """
    return _area_view(*_keys(), ward, today.isoformat())


@st.cache_resource(show_spinner=False, max_entries=BOUND)
def _nearby_view(data: str, processed: str, ward: str):
    from explorer.models.kiosk import nearby_view as compute

    return compute(_sites_near(data, processed, ward, 500))


def nearby_view(ward: str):
    """What the register lists in or within 500 m of ``ward``, in words, once per ward. Raises DataError."""
    return _nearby_view(*_keys(), ward)


@st.cache_resource(show_spinner=False, max_entries=256)
def qr_code(link: str) -> str:
    """A QR code of ``link`` as an SVG data URI, drawn once per address."""
    from explorer.models.kiosk import qr_svg_data_uri

    return qr_svg_data_uri(link)


@st.cache_resource(show_spinner=False, max_entries=BOUND)
def _pin_guards() -> tuple[dict, object]:
    import threading

    return {}, threading.Lock()


def pin_guard(kiosk: str):
    """The wrong-number count and lock of one kiosk (by its address), kept by the server across page loads."""
    from explorer.models.kiosk import PinGuard

    guards, lock = _pin_guards()
    with lock:
        return guards.setdefault(kiosk, PinGuard())


@st.cache_resource(show_spinner=False, max_entries=BOUND)
def _kiosk_warm(data: str, processed: str) -> dict:
    return {"started": False}


def _prepare_kiosk(data: str, processed: str, library: str | None, today: str) -> None:
    _kiosk_map(data, processed, library)
    for code in _table(processed, "wards.csv")["code"]:
        _area_view(data, processed, code, today)
        _nearby_view(data, processed, code)
        _area_svg(processed, code)


def prepare_kiosk(today) -> None:
    """Work out the kiosk's map and every ward's "my area" for ``today`` now (the server's warm-up calls this)."""
    _prepare_kiosk(str(paths.data_dir()), str(paths.processed_dir()), kiosk_settings()[0].library, today.isoformat())


def warm_kiosk() -> None:
    """Work out every ward's "my area" once, in the background, so the first tap on a ward is quick.

    Started by the kiosk's first screen; a visitor who taps before it has finished just waits for the
    ward they chose (the caches hold one result per ward).
    """
    import threading
    from datetime import date

    from streamlit.runtime.scriptrunner import add_script_run_ctx

    data, processed = _keys()[0], _keys()[1]
    flag = _kiosk_warm(data, processed)
    if flag["started"]:
        return
    flag["started"] = True

    today = date.today().isoformat()
    library = kiosk_settings()[0].library

    def work() -> None:
        import time

        from streamlit.logger import get_logger

        started = time.perf_counter()
        try:
            _prepare_kiosk(data, processed, library, today)
            get_logger("explorer.models.kiosk").info("kiosk: every ward prepared in %.1f s",
                                                     time.perf_counter() - started)
        except Exception:  # noqa: BLE001 - warming is a nicety: the page computes what it needs itself
            get_logger("explorer.models.kiosk").exception("kiosk: preparing the wards failed")
            flag["started"] = False

    add_script_run_ctx(threading.Thread(target=work, name="kiosk-warm", daemon=True)).start()


@st.cache_resource(show_spinner=False, max_entries=BOUND)
def _sensitivity_table(data: str, processed: str, indicator: str, n: int) -> str:
    from explorer.models.gap_views import sensitivity_html

    return sensitivity_html(_sensitivity(data, processed, indicator, n), _registry(data)[indicator])


def sensitivity_table(indicator: str, n: int) -> str:
    """:func:`sensitivity` as an HTML table, built once per indicator and grouping."""
    return _sensitivity_table(*_keys(), indicator, n)


# --- Similar authorities ------------------------------------------------------------------------------------

PEER_GAPS = ("le_male", "le_female", "hle_male", "hle_female", "dfle_male", "dfle_female", "disability",
             "green_space_distance")
def marmot_words() -> str:
    """What the Marmot places beside Coventry are, that the list is incomplete, and its sources (from the store)."""
    from urllib.parse import urlsplit

    places = _national(str(paths.store_dir())).table("marmot")
    held = sorted(set(places.loc[places["authority"] != "", "place"]))
    sites = sorted({urlsplit(url).netloc for url in places["source_url"] if url})
    return (f"Marmot places beside Coventry: {', '.join(held)}. This list is incomplete: it holds only the places "
            "named, with a source for each, in data/raw/national/marmot_places_PARTIAL.csv (sources: "
            f"{', '.join(sites)}); those sources speak of more than 50 Marmot places, and only single English "
            "authorities can be set beside one another here.")


@st.cache_resource(show_spinner=False, max_entries=BOUND)
def _peer_view(folder: str, code: str, indicator: str, name: str):
    from explorer.models.views import peer_view

    reader = _national(folder)
    own = reader.authorities().set_index("code").loc[code].to_dict()
    peers = reader.table("peers")
    return peer_view(reader.beside_peers(code), peers[peers["la"] == code], own, indicator, name)


def peer_view(indicator: str):
    """The authority's gap beside its ten most similar authorities, England and (for Coventry) Marmot places.

    Raises DataError when no national store is built (`make national`). None when the indicator has no gaps.
    """
    folder = str(paths.store_dir())
    _national(folder)  # DataError naming the missing store
    return _peer_view(folder, authority_code(), indicator, authority_name())
