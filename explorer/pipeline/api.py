"""The data API: static CSV and JSON files for every authority and indicator, written by the national build.

The national build (:func:`explorer.pipeline.national.build`) calls :func:`write` last, so the API is rebuilt
whenever the store is and swapped in with it. The app serves the folder at ``/app/static/api/v1/``
(``pages/_http.py``); ``docs/api.md`` documents the addresses, files and columns.

Layout, under the store's version folder (``data/store/v1/api/``)::

    index.json                              every authority: code, name, kind and the address of its index
    <authority>/index.json                  its indicators: id, label, unit, period, source and the three files
    <authority>/<indicator>.csv             ward rows, the authority's row(s) and England's (UTF-8)
    <authority>/<indicator>.csv-metadata.json   W3C CSV on the Web (CSVW) metadata of that CSV
    <authority>/<indicator>.json            the same rows as JSON, with the indicator's words once at the top

Every number is the store's as built: nothing is filled, rounded or imputed; a missing value is an empty CSV
cell and a JSON ``null``. The CSVW shape follows W3C's *Metadata Vocabulary for Tabular Data*
(https://www.w3.org/TR/tabular-metadata/), as ONS Explore Local Statistics publishes its tables
(https://github.com/ONSdigital/els-api-poc/wiki/Data-formats).

v1 never changes shape: a new column or a renamed field makes a v2 folder beside it.
"""

from __future__ import annotations

import json
import math
import shutil
from pathlib import Path

import pandas as pd

API_VERSION = "v1"
FOLDER = "api"
BASE = f"/app/static/api/{API_VERSION}"  # the address the app serves the folder at
ENGLAND = "E92000001"
LEVELS = {"ward": "ward", "la": "authority", "la_computed": "authority_computed", "england": "england"}
ORDER = {"authority": 0, "authority_computed": 1, "england": 2, "ward": 3}
# (column, CSVW datatype, description): the CSV's columns in order; docs/api.md repeats them
COLUMNS = (
    ("indicator", "string", "The indicator's id (data/registry/national_indicators.csv)"),
    ("geography_level", "string", "ward; authority (the authority's comparator: the publisher's figure where "
                                  "one exists, else computed here); authority_computed (computed here where a "
                                  "published figure is the comparator); england"),
    ("code", "string", "ONS GSS code of the ward, the authority or England (E92000001)"),
    ("name", "string", "The area's name"),
    ("ward_set", "string", "The ward boundaries a ward row belongs to (WD25: May 2025 wards); empty otherwise"),
    ("period", "string", "The time the figure is for, in the publisher's words"),
    ("value", "number", "The figure; empty where it is missing (never filled)"),
    ("lower", "number", "Lower end of the 95% interval; empty where none is given"),
    ("upper", "number", "Upper end of the 95% interval; empty where none is given"),
    ("unit", "string", "What the value counts"),
    ("source", "string", "The publisher and table the figure comes from"),
    ("method", "string", "How a ward's and the authority's figures were made (see method_text in the JSON)"),
    ("note", "string", "This row's own note: published or computed, why a value is missing"),
    ("authority_value", "number", "Comparator: the authority's figure (its 'authority' row); empty if none"),
    ("england_value", "number", "Comparator: England's figure; empty where none is held"),
)
NUMBERS = {name for name, kind, _ in COLUMNS if kind == "number"}


def _number(x) -> float | None:
    """A float for JSON, or None where the value is missing (NaN)."""
    return None if x is None or (isinstance(x, float) and math.isnan(x)) else float(x)


def _csv(frame: pd.DataFrame, path: Path) -> None:
    """Write ``frame`` as UTF-8 CSV: numbers as the store holds them (shortest round-trip form), missing empty."""
    frame.to_csv(path, index=False, encoding="utf-8", lineterminator="\n", float_format=None, na_rep="")


def _json(obj, path: Path) -> None:
    path.write_text(json.dumps(obj, ensure_ascii=False, separators=(",", ":"), allow_nan=False), encoding="utf-8")


def csvw(ind: pd.Series, code: str, name: str) -> dict:
    """The CSV on the Web metadata of one authority's table of one indicator.

    Parameters
    ----------
    ind : pandas.Series
        The indicator's row of the store's ``indicators.parquet``.
    code, name : str
        The authority.

    Returns
    -------
    dict
        ``@context``, ``url`` (relative: the CSV beside it), ``dc:title``, ``dc:source``, ``dc:license``,
        the CSV ``dialect`` and ``tableSchema`` (each column's name, title, datatype and description; an empty
        cell is null).
    """
    return {
        "@context": ["http://www.w3.org/ns/csvw", {"@language": "en"}],
        "url": f"{ind['id']}.csv",
        "dc:title": f"{ind['label']}: {name}'s wards, {name} and England",
        "dc:description": str(ind["method_text"] or ""),
        "dc:source": str(ind["source"] or ""),
        "dc:license": str(ind["licence"] or ""),
        "dc:temporal": str(ind["period"] or ""),
        "dc:spatial": code,
        "dialect": {"encoding": "utf-8", "header": True, "delimiter": ","},
        "tableSchema": {
            "columns": [{"name": col, "titles": col, "datatype": kind, "dc:description": words,
                         **({"null": ""} if kind == "number" else {})}
                        for col, kind, words in COLUMNS],
            "primaryKey": ["geography_level", "code"],
            "aboutUrl": "#{code}",
        },
    }


def table(values: pd.DataFrame, ind: pd.Series, wards: pd.DataFrame, names: dict[str, str]) -> pd.DataFrame:
    """One authority's rows of one indicator, in the API's columns.

    Parameters
    ----------
    values : pandas.DataFrame
        The store's ``values`` rows of this authority and indicator (any geography), plus England's.
    ind : pandas.Series
        The indicator's registry row.
    wards : pandas.DataFrame
        The authority's wards: ``code``, ``name``, ``vintage``.
    names : dict
        Names of the authority and England by code.

    Returns
    -------
    pandas.DataFrame
        The authority's row(s) first, then England's, then the wards by name; columns :data:`COLUMNS`.
    """
    rows = values[values["geography"].isin(list(LEVELS))].copy()
    rows["geography_level"] = rows["geography"].map(LEVELS)
    ward_names = wards.set_index("code")["name"]
    rows["name"] = rows["code"].map(ward_names).where(rows["geography_level"] == "ward", rows["code"].map(names))
    rows["ward_set"] = rows["code"].map(wards.set_index("code")["vintage"]).where(rows["geography_level"] == "ward")
    authority = rows.loc[rows["geography_level"] == "authority", "value"]
    england = rows.loc[rows["geography_level"] == "england", "value"]
    rows["authority_value"] = authority.iloc[0] if len(authority) else float("nan")
    rows["england_value"] = england.iloc[0] if len(england) else float("nan")
    rows["indicator"] = ind["id"]
    for column in ("period", "unit", "source", "method"):
        rows[column] = ind[column]
    weight = ind["weight"] if isinstance(ind["weight"], str) else ""
    rows["method"] = f"{ind['method']}" + (f" ({weight}-weighted)" if weight else "")
    rows["note"] = rows["note"].fillna("")
    rows = rows.assign(order=rows["geography_level"].map(ORDER)).sort_values(["order", "name"], kind="mergesort")
    return rows[[c for c, _, _ in COLUMNS]].reset_index(drop=True)


def write(store: Path, codes: list[str] | None = None, target: Path | None = None) -> dict:
    """Write the API folder of ``store`` (``store/api``, replaced whole) and return its figures.

    Parameters
    ----------
    store : Path
        A built national store (its ``authorities``, ``indicators``, ``values`` and ``wards`` Parquet files).
    codes : list of str, optional
        The authorities to write (default: every authority whose wards the store holds).
    target : Path, optional
        Where to write (default ``store/api``); an existing folder there is replaced.

    Returns
    -------
    dict
        ``authorities``, ``files`` and ``bytes`` written.
    """
    target = Path(target or Path(store) / FOLDER)
    authorities = pd.read_parquet(Path(store) / "authorities.parquet", columns=["code", "name", "kind", "indicators"])
    indicators = pd.read_parquet(Path(store) / "indicators.parquet").set_index("id", drop=False)
    wards = pd.read_parquet(Path(store) / "wards.parquet", columns=["code", "name", "la", "vintage"])
    held = set(wards["la"])
    codes = sorted(held if codes is None else set(codes) & held)
    values = pd.read_parquet(Path(store) / "values.parquet", filters=[("la", "in", [*codes, ENGLAND])],
                             columns=["la", "indicator", "geography", "code", "value", "lower", "upper", "note"])
    values = values[values["geography"].isin(list(LEVELS))]
    england = values[values["la"] == ENGLAND]
    names = {**authorities.set_index("code")["name"].to_dict(), ENGLAND: "England"}
    if target.exists():
        shutil.rmtree(target)
    target.mkdir(parents=True)
    listed, files = [], 0
    by_la = dict(tuple(values[values["la"] != ENGLAND].groupby("la", sort=False)))
    by_ward = dict(tuple(wards.groupby("la", sort=False)))
    for row in authorities[authorities["code"].isin(codes)].itertuples():
        folder = target / row.code
        folder.mkdir()
        own = by_la.get(row.code, values.iloc[:0])
        entries = []
        for ind_id in [i for i in str(row.indicators or "").split(";") if i in indicators.index]:
            ind = indicators.loc[ind_id]
            rows = pd.concat([own[own["indicator"] == ind_id], england[england["indicator"] == ind_id]])
            frame = table(rows, ind, by_ward[row.code], names)
            if not (frame["geography_level"] == "ward").any() or frame.loc[
                    frame["geography_level"] == "ward", "value"].isna().all():
                continue  # no ward holds it (small-area only, e.g. a decile): not a ward table
            _csv(frame, folder / f"{ind_id}.csv")
            _json(csvw(ind, row.code, row.name), folder / f"{ind_id}.csv-metadata.json")
            _json({"indicator": ind_id, "label": ind["label"], "authority": {"code": row.code, "name": row.name},
                   "period": ind["period"], "unit": ind["unit"], "source": ind["source"],
                   "licence": ind["licence"], "method": frame["method"].iloc[0], "method_text": ind["method_text"],
                   "caveat": ind["caveat"] if isinstance(ind["caveat"], str) else "",
                   "columns": [c for c, _, _ in COLUMNS if c not in ("indicator", "period", "unit", "source",
                                                                    "method")],
                   "rows": [{c: (_number(v) if c in NUMBERS else (v if isinstance(v, str) and v else None))
                             for c, v in r.items()
                             if c not in ("indicator", "period", "unit", "source", "method")}
                            for r in frame.to_dict("records")]}, folder / f"{ind_id}.json")
            address = f"{BASE}/{row.code}/{ind_id}"
            entries.append({"id": ind_id, "label": ind["label"], "theme": ind["theme"], "unit": ind["unit"],
                            "period": ind["period"], "source": ind["source"],
                            "csv": f"{address}.csv", "csv_metadata": f"{address}.csv-metadata.json",
                            "json": f"{address}.json"})
            files += 3
        _json({"api_version": API_VERSION, "code": row.code, "name": row.name, "kind": row.kind,
               "indicators": entries}, folder / "index.json")
        listed.append({"code": row.code, "name": row.name, "kind": row.kind, "index": f"{BASE}/{row.code}/index.json"})
        files += 1
    _json({"api_version": API_VERSION, "documentation": "docs/api.md",
           "note": "v1 never changes shape; a new shape is published as v2 beside it.",
           "authorities": listed}, target / "index.json")
    files += 1
    size = sum(p.stat().st_size for p in target.rglob("*") if p.is_file())
    return {"authorities": len(listed), "files": files, "bytes": size}
