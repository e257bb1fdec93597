"""One record for a place, whatever it is read from: the national core, and the council's local pack where it has one.

Every English authority is one :class:`Place`. Its core (wards, neighbourhoods, every national indicator, England
beside it, its similar authorities and their gaps) comes from the national store; a council's local pack
(:mod:`explorer.places.pack`) adds what the council holds: its plan, register, councillors, postcode lookup,
monitoring sites, kiosk facts and landmarks, and, where it brings one, its own ward set with the figures built for
it (Coventry's wards of 2004 to May 2026, weighted by MHCLG's own IoD denominators). Pages and models ask the place
what it holds; none of them asks which authority it is. This module is the only one that knows where a place's
figures come from.

The authority's own row in every values table is ``authority`` (and ``authority_computed`` where a publisher's
figure took its place); England's is ``england``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path

import geopandas as gpd
import pandas as pd

from explorer import paths
from explorer.pipeline.authorities import Authority, NationalStore
from explorer.places.key import PlaceKey
from explorer.places.pack import WORDS, LocalPack, find_packs, read_pack
from explorer.registry import Indicator, load_registry
from geo.errors import DataError
from geo.vintages import WardVintage, current_vintage, load_vintages

AUTHORITY, COMPUTED, ENGLAND = "authority", "authority_computed", "england"
GEOGRAPHY_NAMES = {"city": AUTHORITY, "city_computed": COMPUTED, "la": AUTHORITY, "la_computed": COMPUTED}
STORE_CACHE = 8  # authorities the national store's reader keeps in memory (its own lru_cache)


class NotHeldYet(DataError):
    """An authority whose figures are not held yet: no local pack, and the national store is not (yet) built."""

    def __init__(self, code: str, name: str) -> None:
        super().__init__("data/store", f"{name}'s figures are not held yet: the national store is being prepared "
                                       "or has not been built (`make national`)")
        self.code, self.name = code, name


class NotHeld(DataError):
    """A part of a local pack asked of a place whose council has not brought it: said plainly, not as a fault."""

    def __init__(self, name: str, part: str) -> None:
        super().__init__(part, f"not held for {name}")
        self.part = part
        self.args = (f"Not held for {name}: {WORDS.get(part, part)}.",)


@dataclass(frozen=True, eq=False)
class Place:
    """Everything the pages show for one authority.

    Tables are shared by every session: never modify them.

    Attributes
    ----------
    key : PlaceKey
        What it was opened by.
    code, name : str
        The authority's 2025 code and name.
    area_word : str
        How pages speak of the whole authority ("city" where its pack says so), "" to use its name.
    registry : dict
        The indicators held for it, by id, in the registry's order with each theme's together
        (:func:`by_theme`: the national themes a pack lacks join their theme, not the end).
    ward_sets : list of WardVintage
        Every ward set known for it (the one shown, and any newer one not yet mapped).
    ward_set : WardVintage
        The ward set every figure uses.
    values : DataFrame
        One long table: indicator, geography (a small area's, ``ward``, ``authority``, ``authority_computed``,
        ``england``), code, value, lower, upper, numerator, denominator, note.
    wards : DataFrame
        One row per ward: code, name, residents (Census 2021) and neighbourhood counts.
    ward_shapes : GeoDataFrame
        The wards' boundaries (WGS84).
    layers : dict
        Neighbourhood boundaries by geography (``lsoa21``, ``msoa11`` and, where held, ``lsoa11``).
    lookups, weights : DataFrame
        Neighbourhood → ward (and MSOA) best-fit lookups, and the populations that weight them.
    national : Authority or None
        The national store's record (gaps, similar authorities, reconciliation), None until the store is built.
    local : LocalPack or None
        The council's local pack, None where it has brought none.
    info : dict
        The national store's row for the authority (kind, region, counts), or its code and name.
    store : NationalStore or None
        The national store's reader, for what sets the place beside others (similar authorities, Marmot places).
    memo : dict
        Views already worked out for this place (:func:`explorer.places.memo.per_place`).
    """

    key: PlaceKey
    code: str
    name: str
    area_word: str
    registry: dict[str, Indicator]
    ward_sets: list[WardVintage]
    ward_set: WardVintage
    values: pd.DataFrame
    wards: pd.DataFrame
    ward_shapes: gpd.GeoDataFrame
    layers: dict[str, gpd.GeoDataFrame]
    lookups: pd.DataFrame
    weights: pd.DataFrame
    national: Authority | None = None
    local: LocalPack | None = None
    info: dict = field(default_factory=dict)
    store: NationalStore | None = None
    memo: dict = field(default_factory=dict, repr=False)  # views worked out for this place (explorer.places.memo)

    @cached_property
    def names(self) -> dict[str, str]:
        """Ward names by code."""
        return dict(zip(self.wards["code"], self.wards["name"], strict=True))

    @cached_property
    def codes(self) -> list[str]:
        """Ward codes in alphabetical order of name."""
        names = self.names
        return sorted(names, key=names.get)

    @property
    def publisher(self) -> str:
        """The council whose own data the local pack brings, for attribution lines; "" without a pack."""
        return self.local.publisher if self.local is not None else ""

    @property
    def whole(self) -> str:
        """The authority as a whole, in words: "the city" where its pack says so, else its name."""
        return f"the {self.area_word}" if self.area_word else self.name

    def has(self, part: str) -> bool:
        """Whether the local pack holds ``part`` (see :data:`explorer.places.pack.PARTS`)."""
        return self.local is not None and self.local.has(part)

    def pack(self, part: str) -> LocalPack:
        """The local pack, when it holds ``part``; else :class:`NotHeld` (a page says so plainly)."""
        if not self.has(part):
            raise NotHeld(self.name, part)
        return self.local

    def series(self) -> pd.DataFrame:
        """The authority's series over time (life expectancy, fly-tipping, charging devices) and England's beside them.

        From the national store (:mod:`explorer.pipeline.national_series`), joined to the series registry
        (``data/registry/series.csv``: title, which way is better, how change is judged). Read once per place.

        Raises
        ------
        DataError
            When the place has no national store record, the store holds no series (built before they were) or a
            registry row is bad, naming the file.
        """
        if "series" not in self.memo:
            if self.store is None or self.national is None:
                raise DataError("data/store", f"{self.name}'s series over time come from the national store, which "
                                "is being prepared or has not been built (`make national`)")
            from explorer.pipeline.series import with_meta

            rows = self.store.series(self.code)
            self.memo["series"] = with_meta(rows, paths.data_dir() / "registry" / "series.csv")
        return self.memo["series"]

    def layer(self, geography: str) -> gpd.GeoDataFrame:
        """Boundaries of ``wards`` or a neighbourhood geography (DataError when not held for this place)."""
        if geography == "wards":
            return self.ward_shapes
        if geography not in self.layers:
            raise DataError(geography, f"{geography.upper()} boundaries are not held for {self.name}")
        return self.layers[geography]


class Sources:
    """Where places are read from: one national store (or none yet) and one folder of local packs.

    Parameters
    ----------
    store : Path
        The national store folder; a folder with no built store is read as "not built yet".
    packs : Path
        The folder of local packs.
    """

    def __init__(self, store: Path, packs: Path) -> None:
        self.store_folder, self.packs_folder = Path(store), Path(packs)
        try:
            self.store: NationalStore | None = NationalStore(self.store_folder, cache_size=STORE_CACHE)
        except DataError:
            self.store = None
        self.packs = find_packs(self.packs_folder)

    def mapped(self) -> set[str]:
        """The codes the national store holds wards and boundaries for."""
        return set(self.store.table("layers")["la"]) if self.store is not None else set()

    def authorities(self) -> pd.DataFrame:
        """Every authority that can be shown: ``code``, ``name``, ``kind``, ``held`` ("store", "pack" or both)."""
        rows: dict[str, dict] = {}
        if self.store is not None:
            table = self.store.authorities()
            mapped = self.mapped()
            for code, name, kind in zip(table["code"], table["name"], table["kind"], strict=True):
                if code in mapped:
                    rows[code] = {"code": code, "name": name, "kind": kind, "held": "store"}
        for code, folder in self.packs.items():
            pack = read_pack(folder)
            held = rows.get(code, {"code": code, "name": pack.name, "kind": "", "held": ""})
            rows[code] = {**held, "held": "+".join(x for x in (held["held"], "pack") if x)}
        return pd.DataFrame(list(rows.values()), columns=["code", "name", "kind", "held"]).sort_values(
            "name", ignore_index=True)


def open_place(key: PlaceKey, sources: Sources) -> Place:
    """Open the place ``key`` names from ``sources``: its national core, with its local pack laid over it.

    Raises
    ------
    NotHeldYet
        When neither the national store nor a local pack holds the authority.
    DataError
        Naming the file when a store or pack file cannot be read.
    """
    core = sources.store.authority(key.code) if key.code in sources.mapped() else None
    pack = read_pack(sources.packs[key.code]) if key.code in sources.packs else None
    if core is None and pack is None:
        names = sources.store.authorities().set_index("code")["name"] if sources.store is not None else {}
        raise NotHeldYet(key.code, str(names.get(key.code, key.code)))
    name = core.name if core is not None else pack.name
    info = dict(core.info) if core is not None else {"code": key.code, "name": name}
    area_word = pack.area_word if pack is not None else ""
    if pack is not None and pack.has("ward_set"):
        return _with_ward_set(key, name, area_word, info, core, pack, sources.store)
    registry = by_theme(dict(core.registry))
    return Place(key, key.code, name, area_word, registry, [_store_vintage(core)], _store_vintage(core),
                 as_read(core.values), core.wards, core.ward_shapes, dict(core.layers), core.lookups, core.weights,
                 core, pack, info, sources.store)


def _with_ward_set(key: PlaceKey, name: str, area_word: str, info: dict, core: Authority | None,
                   pack: LocalPack, store: NationalStore | None) -> Place:
    """A place whose pack brings its own ward set: the pack's figures, and the core's for what the pack lacks."""
    own = load_registry(pack.path("indicators.csv"))
    vintages = load_vintages(pack.path("ward_sets.csv"))
    values = as_read(pack.table("values.csv"))
    wards = pack.table("wards.csv")
    registry = dict(own)
    if core is not None:
        extra = [i for i in core.registry if i not in own]
        same_wards = set(core.wards["code"]) == set(wards["code"])
        national = as_read(core.values)
        national = national[national["indicator"].isin(extra)]
        if not same_wards:  # another ward set: only the authority's and England's own figures carry over
            national = national[national["geography"].isin([AUTHORITY, COMPUTED, ENGLAND])]
        registry = by_theme({**registry, **{i: core.registry[i] for i in extra}})
        values = pd.concat([values, national], ignore_index=True)
    layers = _Layers(pack, ("lsoa21", "lsoa11", "msoa11"))  # read when first asked: a broken one spares the rest
    return Place(key, key.code, name, area_word, registry, vintages, current_vintage(vintages), values, wards,
                 pack.layer("wards"), layers, pack.table("lookups.csv"), pack.table("lsoa_weights.csv"), core, pack,
                 info, store if core is not None else None)


def by_theme(registry: dict[str, Indicator]) -> dict[str, Indicator]:
    """``registry`` with each theme's indicators together, themes in the order they first appear (else stable).

    Tables grouped by theme would otherwise show a theme twice ("Health" once for the pack's indicators and again
    for the national ones added after them).
    """
    first = {theme: n for n, theme in reversed(list(enumerate(ind.theme for ind in registry.values())))}
    return dict(sorted(registry.items(), key=lambda item: first[item[1].theme]))


def as_read(values: pd.DataFrame) -> pd.DataFrame:
    """``values`` with the authority's own rows called ``authority`` (the pack's ``city``, the store's ``la``)."""
    if not values["geography"].isin(list(GEOGRAPHY_NAMES)).any():
        return values
    return values.assign(geography=values["geography"].replace(GEOGRAPHY_NAMES))


def _store_vintage(core: Authority) -> WardVintage:
    """The ward set of an authority read from the national store: ONS's May 2025 wards."""
    codes = list(core.wards["code"])
    count = len(codes)
    return WardVintage(
        vintage="wd2025", label=f"{core.name} wards, May 2025", in_force="May 2025", first_code=min(codes),
        last_code=max(codes), ward_count=count, boundaries_file="store/wards.parquet", code_column="code",
        name_column="name", lsoa21_lookup="store/lookups.parquet", lsoa11_lookup="store/lookups.parquet",
        names_file="",
        note=f"The {count} wards of {core.name} in force in May 2025 (ONS). Neighbourhoods (2021 LSOAs) are "
             "assigned to wards by ONS's 2024 best fit; in councils re-warded since, by the area they share.")


class _Layers(dict):
    """A pack's neighbourhood layers, each read on first use (a DataError naming the file is raised then)."""

    def __init__(self, pack: LocalPack, names: tuple[str, ...]) -> None:
        super().__init__()
        self._pack, self._names = pack, names

    def __contains__(self, name: object) -> bool:
        return name in self._names

    def __missing__(self, name: str) -> gpd.GeoDataFrame:
        if name not in self._names:
            raise KeyError(name)
        return self._pack.layer(name)  # the pack keeps it once read
