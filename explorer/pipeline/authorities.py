"""Reading one local authority from the national store (``data/store/v1``), with a bounded cache.

No Streamlit here: a page (or a benchmark) makes one :class:`NationalStore` and asks it for an authority.
Each authority is read with pyarrow filters on ``la``, so only its row groups are read (the store writes
one row group per authority), and the last ``cache_size`` authorities read are kept in memory
(``functools.lru_cache``). What comes back, :class:`Authority`, is shaped like the pages' ``Core`` today:
the registry (the indicators held for England, with their national source and weights), the long values
table with ``city`` / ``city_computed`` / ``england`` comparator rows, the wards table and the ward shapes,
plus the LSOA and MSOA layers, lookups, weights, gaps and peers.

Errors are :class:`~geo.errors.DataError` naming the store file, as the processed-data loaders do.
"""

from __future__ import annotations

import functools
import json
from dataclasses import dataclass, field
from pathlib import Path

import geopandas as gpd
import pandas as pd
import pyarrow.parquet as pq

from explorer.pipeline.comparators import ENGLAND
from explorer.registry import Indicator
from geo.errors import DataError
from geo.names import resolve

REBUILD = "rebuild it with `make national` (python -m explorer.pipeline.national)"
SMALL_TABLES = ("authorities", "indicators", "reconciliation", "peers", "gaps", "marmot", "layers")


@dataclass(frozen=True)
class Authority:
    """One authority as the national store holds it: the core a :class:`~explorer.places.Place` is composed from."""

    code: str
    name: str
    info: dict
    registry: dict[str, Indicator]
    values: pd.DataFrame
    wards: pd.DataFrame
    ward_shapes: gpd.GeoDataFrame
    layers: dict[str, gpd.GeoDataFrame]
    lookups: pd.DataFrame
    weights: pd.DataFrame
    gaps: pd.DataFrame
    peers: pd.DataFrame
    reconciliation: pd.DataFrame
    missing: list[str] = field(default_factory=list)

    @property
    def names(self) -> dict[str, str]:
        """Ward names by code."""
        return dict(zip(self.wards["code"], self.wards["name"], strict=True))


class NationalStore:
    """The national store, read one authority at a time, keeping the last ``cache_size`` in memory.

    Parameters
    ----------
    folder : Path
        The store folder (``data/store/v1``).
    cache_size : int
        How many authorities to keep (``functools.lru_cache`` maxsize).

    Raises
    ------
    DataError
        If the store or one of its files is missing or unreadable.
    """

    def __init__(self, folder: Path, cache_size: int = 8) -> None:
        self.folder = Path(folder)
        if not (self.folder / "build_info.json").exists():
            raise DataError(str(self.folder), f"no national store here; {REBUILD}")
        self.info = json.loads((self.folder / "build_info.json").read_text())
        self._small: dict[str, pd.DataFrame] = {}
        self.authority = functools.lru_cache(maxsize=cache_size)(self._read_authority)

    def table(self, name: str) -> pd.DataFrame:
        """One of the small whole-England tables (:data:`SMALL_TABLES`), read once."""
        if name not in self._small:
            self._small[name] = self._read(name)
        return self._small[name]

    def authorities(self) -> pd.DataFrame:
        """Every authority: code, name, kind, region, population, counts, indicators held, peer measures."""
        return self.table("authorities")

    def resolve(self, query: str, aliases: dict[str, str] | None = None) -> str | None:
        """The authority code for a code or a name, or None: :func:`geo.names.resolve` (the one reading).

        Examples
        --------
        >>> import pandas as pd
        >>> s = NationalStore.__new__(NationalStore)
        >>> s._small = {"authorities": pd.DataFrame({"code": ["E08000026", "E06000023"],
        ...                                          "name": ["Coventry", "Bristol, City of"]})}
        >>> s.resolve(" coventry "), s.resolve("E08000026"), s.resolve("Bristol"), s.resolve("Atlantis")
        ('E08000026', 'E08000026', 'E06000023', None)
        """
        table = self.authorities()
        return resolve(query, dict(zip(table["code"], table["name"], strict=True)), aliases)

    def registry(self) -> dict[str, Indicator]:
        """The indicators held for England, as :class:`~explorer.registry.Indicator` (national source and weights)."""
        frame = self.table("indicators")
        return {row["id"]: Indicator(**row) for row in frame.to_dict("records")}

    def series(self, code: str) -> pd.DataFrame:
        """The authority's series over time and England's beside them (``series.parquet``, one row group each).

        Raises
        ------
        DataError
            Naming the file when the store was built before series were held, or cannot be read.
        """
        return self._read("series", [code, ENGLAND]).sort_values(["series", "order", "area"], ignore_index=True)

    def cache_info(self):
        """Hits, misses and size of the per-authority cache."""
        return self.authority.cache_info()

    def _path(self, name: str) -> Path:
        path = self.folder / f"{name}.parquet"
        if not path.exists():
            raise DataError(str(path), f"file is missing; {REBUILD}")
        return path

    def _read(self, name: str, codes: list[str] | None = None, geo: bool = False) -> pd.DataFrame:
        path = self._path(name)
        filters = [("la", "in", codes)] if codes else None
        try:
            if geo:
                return gpd.read_parquet(path, filters=filters)
            return pq.read_table(path, filters=filters).to_pandas()
        except Exception as exc:  # pyarrow raises several unrelated types for a corrupt file
            raise DataError(str(path), f"file is unreadable ({type(exc).__name__}); {REBUILD}") from None

    def _read_authority(self, code: str) -> Authority:
        table = self.authorities().set_index("code")
        if code not in table.index:
            raise DataError(str(self._path("authorities")), f"no authority '{code}'")
        row = table.loc[code]
        values = self._read("values", [code, ENGLAND])
        values = values.assign(geography=values["geography"].replace({"la": "city", "la_computed": "city_computed"}))
        values = values.drop(columns=["la"]).reset_index(drop=True)
        wards = self._read("wards", [code], geo=True)
        if wards.empty:
            raise DataError(str(self._path("wards")), f"no wards for {code}: the store was built without its "
                            f"geometry (--only); {REBUILD}")
        shapes = wards[["code", "name", "geometry"]].reset_index(drop=True)
        ward_table = pd.DataFrame(wards.drop(columns=["geometry", "la"])).sort_values("code", ignore_index=True)
        layers = {name: self._read(name, [code], geo=True).drop(columns=["la"]).reset_index(drop=True)
                  for name in ("lsoa21", "msoa11")}
        lookups = self._read("lookups", [code]).drop(columns=["la"])
        weights = self._read("weights", [code]).drop(columns=["la"])
        gaps = self.table("gaps")
        peers = self.table("peers")
        rec = self.table("reconciliation")
        registry = self.registry()
        held = [i for i in str(row["indicators"]).split(";") if i]
        missing = [i for i in str(row["indicators_missing"]).split(";") if i]
        return Authority(code=code, name=str(row["name"]), info=row.to_dict(),
                         registry={k: v for k, v in registry.items() if k in held or v.method == "small_area_only"},
                         values=values, wards=ward_table, ward_shapes=shapes, layers=layers, lookups=lookups,
                         weights=weights, gaps=gaps[gaps["la"].isin([code, ENGLAND])].reset_index(drop=True),
                         peers=peers[peers["la"] == code].reset_index(drop=True),
                         reconciliation=rec[rec["code"] == code].reset_index(drop=True), missing=missing)

    def gap_series(self, code: str) -> pd.DataFrame | None:
        """The authority's gap over time (``gap_series.parquet``: every series at every time), or None.

        None where the store was built before the gap over time was (a page then says so and how to rebuild).
        """
        if not (self.folder / "gap_series.parquet").exists():
            return None
        table = self.table("gap_series")
        return table[table["la"] == code].reset_index(drop=True)

    def beside_peers(self, code: str, marmot: bool | None = None) -> pd.DataFrame:
        """The authority's gaps beside its ten most similar authorities, England and (for a Marmot place) the others.

        Returns one row per area and gap indicator: ``group`` (the authority, similar authority, Marmot place
        or England), ``la``, ``name``, ``distance`` (for similar authorities), then the gap table's columns.
        Marmot places are included by default for an authority that is one itself (the store's ``marmot`` table);
        the list is incomplete and the ``note`` says so.
        """
        names = self.authorities().set_index("code")["name"]
        peers = self.table("peers")
        mine = peers[peers["la"] == code]
        rows = [("this authority", code, 0.0)] + [("similar authority", p, d) for p, d in
                                                   zip(mine["peer"], mine["distance"], strict=True)]
        places = self.table("marmot")
        if marmot if marmot is not None else code in set(places["authority"]):
            rows += [("Marmot place (list incomplete)", c, float("nan")) for c in
                     dict.fromkeys(places.loc[places["authority"] != "", "authority"]) if c != code]
        rows.append(("England", ENGLAND, float("nan")))
        order = pd.DataFrame(rows, columns=["group", "la", "distance"])
        order["name"] = order["la"].map(lambda c: "England" if c == ENGLAND else names.get(c, c))
        gaps = self.table("gaps")
        out = order.merge(gaps, on="la", how="left")
        if "group" in out and (out["group"] == "Marmot place (list incomplete)").any():
            out.loc[out["group"].str.startswith("Marmot"), "note"] = out.loc[
                out["group"].str.startswith("Marmot"), "note"].fillna("").radd(
                self.table("marmot")["note"].iloc[0] + " ")
        return out
