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

import csv
import json
import re
import shutil
from pathlib import Path

import pandas as pd

from explorer.paths import REPO_ROOT

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


DOC = REPO_ROOT / "docs" / "api.md"  # this API's documentation, copied in beside it
DOC_NAME = "api.md"
SCHEMA = "table-schema.json"  # one CSVW table schema, shared by every table's metadata (a link, as CSVW allows)
HOISTED = ("indicator", "period", "unit", "source", "method")  # given once at the top of each JSON file


def served_doc(text: str) -> str:
    """docs/api.md as the API folder serves it, without its link back to the repository's README.

    That link does not resolve beside the files.

    Examples
    --------
    >>> served_doc("# The data API. Back to the [README](../README.md). Every ward table...")
    '# The data API. Every ward table...'
    """
    return re.sub(r"Back to the \[README\]\([^)]*\)\.\s*", "", text)


def _json(obj, path: Path) -> None:
    path.write_text(json.dumps(obj, ensure_ascii=False, separators=(",", ":"), allow_nan=False), encoding="utf-8")


def schema() -> dict:
    """The CSVW table schema every API table shares: each column's name, title, datatype and description.

    An empty cell of a number column is null (``"null": ""``): a missing value, never a zero. The primary key is
    the row's geography level and code.
    """
    return {"@context": ["http://www.w3.org/ns/csvw", {"@language": "en"}],
            "columns": [{"name": col, "titles": col, "datatype": kind, "dc:description": words,
                         **({"null": ""} if kind == "number" else {})} for col, kind, words in COLUMNS],
            "primaryKey": ["geography_level", "code"]}


def csvw(ind: dict, code: str, name: str) -> dict:
    """The CSV on the Web metadata of one authority's table of one indicator.

    Parameters
    ----------
    ind : dict
        The indicator's row of the store's ``indicators.parquet``.
    code, name : str
        The authority.

    Returns
    -------
    dict
        ``@context``, ``url`` (relative: the CSV beside it), ``dc:title``, ``dc:description`` (the method in
        words), ``dc:source``, ``dc:license``, ``dc:temporal`` (the period), ``dc:spatial`` (the authority), the
        CSV ``dialect`` and ``tableSchema``: a link to the shared :func:`schema` file (W3C, *Metadata Vocabulary
        for Tabular Data*, 5.1.5: an object property may be given as the URL of a JSON document).
    """
    return {
        "@context": ["http://www.w3.org/ns/csvw", {"@language": "en"}],
        "url": f"{ind['id']}.csv",
        "dc:title": f"{ind['label']}: {name}'s wards, {name} and England",
        "dc:description": _text(ind["method_text"]),
        "dc:source": _text(ind["source"]),
        "dc:license": _text(ind["licence"]),
        "dc:temporal": _text(ind["period"]),
        "dc:spatial": code,
        "dialect": {"encoding": "utf-8", "header": True, "delimiter": ","},
        "tableSchema": f"../{SCHEMA}",
    }


def _text(x) -> str:
    return x if isinstance(x, str) else ""


def tables(values: pd.DataFrame, indicators: pd.DataFrame, wards: pd.DataFrame, names: dict[str, str]
           ) -> pd.DataFrame:
    """Every authority's rows of every indicator, in the API's columns, ordered as the files are.

    Parameters
    ----------
    values : pandas.DataFrame
        The store's ``values`` rows (``la``, ``indicator``, ``geography``, ``code``, ``value``, ``lower``,
        ``upper``, ``note``) of the authorities wanted and of England (``la`` E92000001).
    indicators : pandas.DataFrame
        The store's indicator registry (``indicators.parquet``).
    wards : pandas.DataFrame
        Wards: ``code``, ``name``, ``vintage``.
    names : dict
        Names of the authorities and England by code.

    Returns
    -------
    pandas.DataFrame
        ``la`` then :data:`COLUMNS`; per authority and indicator, the authority's row(s) first, then England's,
        then the wards by name. England's row and the comparators are England's own row of the same indicator.
    """
    values = values[values["geography"].isin(list(LEVELS))]
    england = values[values["la"] == ENGLAND].drop(columns="la")
    own = values[values["la"] != ENGLAND]
    pairs = own[["la", "indicator"]].drop_duplicates()
    rows = pd.concat([own, pairs.merge(england, on="indicator")], ignore_index=True)
    rows["geography_level"] = rows["geography"].map(LEVELS)
    ward = rows["geography_level"] == "ward"
    rows["name"] = rows["code"].map(wards.set_index("code")["name"]).where(ward, rows["code"].map(names))
    rows["ward_set"] = rows["code"].map(wards.set_index("code")["vintage"]).where(ward)
    authority = rows[rows["geography_level"] == "authority"].set_index(["la", "indicator"])["value"]
    rows["authority_value"] = pd.MultiIndex.from_frame(rows[["la", "indicator"]]).map(authority.to_dict().get)
    rows["authority_value"] = pd.to_numeric(rows["authority_value"], errors="coerce")
    rows["england_value"] = rows["indicator"].map(england.set_index("indicator")["value"])
    words = indicators.set_index("id")
    weight = words["weight"].where(words["weight"].map(lambda w: isinstance(w, str) and w != ""))
    method = words["method"].where(weight.isna(), words["method"] + " (" + weight.fillna("") + "-weighted)")
    for column, source in (("period", words["period"]), ("unit", words["unit"]), ("source", words["source"]),
                           ("method", method)):
        rows[column] = rows["indicator"].map(source)
    rows["note"] = rows["note"].fillna("")
    rows["order"] = rows["geography_level"].map(ORDER)
    rows = rows.sort_values(["la", "indicator", "order", "name"], kind="mergesort")
    return rows[["la", *(c for c, _, _ in COLUMNS)]].reset_index(drop=True)


def _cells(frame: pd.DataFrame) -> list[list]:
    """Rows as lists: numbers as floats, a missing number None, a missing text None."""
    out = frame.astype(object).where(frame.notna(), None).to_numpy().tolist()
    return [[None if v == "" else v for v in row] for row in out]


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
    store = Path(store)
    target = Path(target or store / FOLDER)
    authorities = pd.read_parquet(store / "authorities.parquet", columns=["code", "name", "kind", "indicators"])
    indicators = pd.read_parquet(store / "indicators.parquet")
    wards = pd.read_parquet(store / "wards.parquet", columns=["code", "name", "la", "vintage"])
    held = set(wards["la"])
    codes = sorted(held if codes is None else set(codes) & held)
    values = pd.read_parquet(store / "values.parquet", filters=[("la", "in", [*codes, ENGLAND])],
                             columns=["la", "indicator", "geography", "code", "value", "lower", "upper", "note"])
    names = {**authorities.set_index("code")["name"].to_dict(), ENGLAND: "England"}
    rows = tables(values, indicators, wards, names)
    with_wards = set(map(tuple, rows.loc[(rows["geography_level"] == "ward") & rows["value"].notna(),
                                         ["la", "indicator"]].drop_duplicates().to_numpy()))
    by_id = {row["id"]: row for row in indicators.to_dict("records")}
    header = [c for c, _, _ in COLUMNS]
    kept = [i for i, c in enumerate(header) if c not in HOISTED]
    groups = {key: frame for key, frame in rows.groupby(["la", "indicator"], sort=False)}
    if target.exists():
        shutil.rmtree(target)
    target.mkdir(parents=True)
    _json(schema(), target / SCHEMA)
    listed, files = [], 2
    for row in authorities[authorities["code"].isin(codes)].itertuples():
        folder = target / row.code
        folder.mkdir()
        entries = []
        for ind_id in (i for i in _text(row.indicators).split(";") if (row.code, i) in with_wards and i in by_id):
            ind, frame = by_id[ind_id], groups[(row.code, ind_id)]
            cells = _cells(frame[header])
            with open(folder / f"{ind_id}.csv", "w", encoding="utf-8", newline="") as f:
                out = csv.writer(f, lineterminator="\n")
                out.writerow(header)
                out.writerows(cells)
            _json(csvw(ind, row.code, row.name), folder / f"{ind_id}.csv-metadata.json")
            first = dict(zip(header, cells[0], strict=True))
            _json({"indicator": ind_id, "label": ind["label"], "authority": {"code": row.code, "name": row.name},
                   "period": first["period"], "unit": first["unit"], "source": first["source"],
                   "licence": _text(ind["licence"]), "method": first["method"],
                   "method_text": _text(ind["method_text"]), "caveat": _text(ind["caveat"]),
                   "columns": [header[i] for i in kept], "rows": [[r[i] for i in kept] for r in cells]},
                  folder / f"{ind_id}.json")
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
    if DOC.is_file():  # the folder documents itself wherever it is served (a repository-relative link did not)
        (target / DOC_NAME).write_text(served_doc(DOC.read_text(encoding="utf-8")), encoding="utf-8")
    _json({"api_version": API_VERSION, "documentation": f"{BASE}/{DOC_NAME}",
           "note": "v1 never changes shape; a new shape is published as v2 beside it.",
           "table_schema": f"{BASE}/{SCHEMA}", "authorities": listed}, target / "index.json")
    size = sum(p.stat().st_size for p in target.rglob("*") if p.is_file())
    return {"authorities": len(listed), "files": files, "bytes": size}
