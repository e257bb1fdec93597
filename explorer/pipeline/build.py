"""Rebuild Coventry's processed pack from ``data/raw/``: validate, join, aggregate, simplify.

Run ``python -m explorer.pipeline.build``; the pack's folder is :func:`explorer.paths.processed_dir`. Every input
is checked on the way in; the first problem stops the build with a message naming the file, row or column. Output
is written to a temporary folder and swapped in only when complete, so the app never sees half a dataset. When
nothing it is made from has changed (every raw and registry file and the code hash as recorded beside it,
:func:`explorer.paths.build_stamp`), nothing is rebuilt.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

import geopandas as gpd
import pandas as pd

from explorer import paths
from explorer.pipeline.atomic import swap_in, write_json
from explorer.pipeline.comparators import comparator_rows
from explorer.pipeline.councillors import read_councillors
from explorer.pipeline.dwp import city_totals
from explorer.pipeline.indicator_build import build_indicator, computed_note
from explorer.pipeline.inputs import MANIFEST_COLUMNS, Inputs, check_manifest, fingerprint, recorded, sha256, unchanged
from explorer.registry import Indicator, load_registry
from geo.boundaries import read_boundaries, simplify_coverage
from geo.errors import DataError
from geo.grid import area_links
from geo.lookups import read_lookup
from geo.postcodes import read_postcodes
from geo.validate import check_codes, check_complete, check_known, check_numeric, check_unique, read_csv
from geo.vintages import current_vintage, load_vintages

CITY = "E08000026"
PROCESSED_FILES = (
    "wards.parquet", "lsoa21.parquet", "lsoa11.parquet", "msoa11.parquet", "wards.csv", "lookups.csv",
    "values.csv", "city_series.csv", "no2_tubes.csv", "no2_tube_means.csv", "hot_streets.csv", "postcodes.csv",
    "councillors.csv", "lsoa_weights.csv", "build_info.json",
)
POSTCODES = "boundaries/coventry_postcode_lookup_2024.csv"
COUNCILLORS = "council/coventry_ward_councillors_2020-21.csv"


def population_weights(inp: Inputs, lsoa21: set[str], lsoa11: set[str]) -> dict[str, pd.Series]:
    """Named population weights per LSOA, each checked for codes and numbers."""
    weights: dict[str, pd.Series] = {}
    rel = "boundaries/coventry_lsoa21_census2021_population.csv"
    col = "All usual residents (sum of age bands)"
    census = inp.csv(rel, ["LSOA21CD", col])
    check_codes(census, "LSOA21CD", "lsoa", inp.label(rel))
    check_unique(census, ["LSOA21CD"], inp.label(rel))
    check_complete(census["LSOA21CD"], lsoa21, inp.label(rel), "LSOA21 codes")
    weights["census2021"] = check_numeric(census, col, inp.label(rel), allow_missing=False).set_axis(
        census["LSOA21CD"]
    )
    rel = "indicators/iod2025/coventry_iod2025_file7_lsoa21.csv"
    iod25 = {
        "iod25_total": "Total population: mid 2022",
        "iod25_children": "Dependent Children aged 0-15: mid 2022",
        "iod25_older": "Older population aged 60 and over: mid 2022",
        "iod25_working": "Working age population 18-66 (for use with Employment Deprivation Domain): mid 2022",
    }
    f7 = inp.csv(rel, ["LSOA code (2021)", *iod25.values()])
    for key, column in iod25.items():
        weights[key] = check_numeric(f7, column, inp.label(rel), allow_missing=False).set_axis(f7["LSOA code (2021)"])
    rel = "indicators/coventry_imd2019_lsoa.csv"
    column = "Total population: mid 2015 (excluding prisoners)"
    f19 = inp.csv(rel, ["LSOA code (2011)", column])
    weights["iod19_total"] = check_numeric(f19, column, inp.label(rel), allow_missing=False).set_axis(
        f19["LSOA code (2011)"]
    )
    rel = "boundaries/coventry_population_mye_2019_2020.csv"
    mye = inp.csv(rel, ["AreaKey", "AreaType", "MidYear", "Population"])
    mye = mye[(mye["AreaType"] == "LSOA 2011") & (mye["MidYear"] == "2019")]
    check_unique(mye, ["AreaKey"], inp.label(rel))
    check_complete(mye["AreaKey"], lsoa11, inp.label(rel), "LSOA11 codes (mid-2019)")
    weights["mye2019"] = check_numeric(mye, "Population", inp.label(rel), allow_missing=False).set_axis(
        mye["AreaKey"].to_numpy()
    )
    return weights


def with_comparators(values: pd.DataFrame, comparators: pd.DataFrame, registry: dict[str, Indicator],
                     areas: dict[str, int] | None = None, name: str = "Coventry") -> pd.DataFrame:
    """Put the comparators into the values table, each city and England row saying where it comes from.

    A published city figure becomes the ``city`` row (the benchmark wards are judged against) and the figure
    computed here from small areas moves to ``city_computed``, so both can be shown side by side. ``areas``
    is how many small areas of each geography the authority has (for the notes).
    """
    areas = areas or {}
    values = values.assign(note="")
    city = values["geography"] == "city"
    values.loc[city, "note"] = [
        computed_note(registry[key], name, areas.get(registry[key].geography, 0), num, den)
        for key, num, den in zip(values.loc[city, "indicator"], values.loc[city, "numerator"],
                                 values.loc[city, "denominator"], strict=True)]
    published = set(comparators.loc[(comparators["geography"] == "city"), "indicator"])
    values.loc[city & values["indicator"].isin(published), "geography"] = "city_computed"
    extra = comparators.drop(columns=["how"])
    out = pd.concat([values, extra], ignore_index=True)
    return out.sort_values(["indicator", "geography", "code"], ignore_index=True)


def point_layers(inp: Inputs, wards: set[str]) -> tuple[pd.DataFrame, pd.DataFrame]:
    """NO2 diffusion-tube sites with their annual means, and fly-tipping hot streets."""
    rel = "council/coventry_no2_diffusion_tube_annual_means_2011_2024.csv"
    means = inp.csv(rel, ["year", "tube_id", "no2_annual_mean_ugm3"])
    label = inp.label(rel)
    check_unique(means, ["tube_id", "year"], label)
    means = means.assign(
        year=check_numeric(means, "year", label, allow_missing=False).astype(int),
        no2=check_numeric(means, "no2_annual_mean_ugm3", label),
    )
    rel = "council/coventry_no2_diffusion_tube_sites.csv"
    sites = inp.csv(rel, ["tube_id", "site_name", "site_type", "latitude", "longitude", "derived_ward_code"])
    label = inp.label(rel)
    check_unique(sites, ["tube_id"], label)
    check_known(sites, "derived_ward_code", wards, label, "ward code")
    sites = sites.assign(
        lat=check_numeric(sites, "latitude", label, allow_missing=False),
        lon=check_numeric(sites, "longitude", label, allow_missing=False),
    )
    measured = means.dropna(subset=["no2"]).sort_values("year")
    latest = measured.groupby("tube_id").tail(1).set_index("tube_id")
    first = measured.groupby("tube_id")["year"].min()
    peak = means.groupby("tube_id")["no2"].max()
    over = means[means["no2"] > 40].groupby("tube_id").size()
    tubes = pd.DataFrame(
        {
            "tube_id": sites["tube_id"],
            "site_name": sites["site_name"],
            "site_type": sites["site_type"].fillna("not stated"),
            "ward": sites["derived_ward_code"],
            "lat": sites["lat"],
            "lon": sites["lon"],
            "first_year": sites["tube_id"].map(first).astype("Int64"),
            "latest_year": sites["tube_id"].map(latest["year"]).astype("Int64"),
            "latest_no2": sites["tube_id"].map(latest["no2"]),
            "max_no2": sites["tube_id"].map(peak),
            "years_over_40": sites["tube_id"].map(over).fillna(0).astype(int),
        }
    ).sort_values("tube_id", ignore_index=True)
    rel = "council/coventry_flytipping_hot_streets.geojson"
    try:
        streets = gpd.read_file(inp.path(rel))
    except Exception as exc:  # pyogrio raises its own types for a file it cannot read
        raise DataError(inp.label(rel), f"file is unreadable as GeoJSON ({type(exc).__name__})") from None
    if "Address" not in streets.columns or "derived_ward_code" not in streets.columns:
        raise DataError(inp.label(rel), "missing required column 'Address' or 'derived_ward_code'")
    check_known(streets, "derived_ward_code", wards, inp.label(rel), "ward code")
    hot = pd.DataFrame(
        {
            "street": streets["Address"],
            "ward": streets["derived_ward_code"],
            "lat": streets.geometry.y.round(6),
            "lon": streets.geometry.x.round(6),
        }
    ).sort_values(["ward", "street"], ignore_index=True)
    return tubes, hot


def city_series(inp: Inputs) -> pd.DataFrame:
    """City time series for context: life expectancy 2001-03 to 2016-18 and Defra fly-tipping totals."""
    rel = "health/coventry_ons_le_birth_age65_2001_03_to_2016_18.csv"
    le = inp.csv(rel, ["Worksheet", "Area Codes"])
    frames = []
    names = {"E08000026": "Coventry", "E92000001": "England", "E12000005": "West Midlands"}
    for sheet, series in (("LE at birth - Males", "le_birth_male"), ("LE at birth - Females", "le_birth_female")):
        part = le[(le["Worksheet"] == sheet) & le["Area Codes"].isin(list(names))]
        if part.empty:
            raise DataError(inp.label(rel), f"no rows for worksheet '{sheet}'", column="Worksheet")
        periods = [c for c in le.columns if c[:4].isdigit()]
        long = part.melt(id_vars=["Area Codes"], value_vars=periods, var_name="period", value_name="value")
        long["value"] = pd.to_numeric(long["value"], errors="coerce")
        frames.append(
            pd.DataFrame(
                {
                    "series": series,
                    "area": long["Area Codes"].map(names),
                    "period": long["period"],
                    "value": long["value"].round(3),
                    "unit": "years",
                    "source": "ONS, Life expectancy at birth by local areas, UK, 2001-03 to 2016-18",
                }
            )
        )
    rel = "environment/fly_tipping/defra_flytipping_LA_incidents_coventry_2012-13_to_2022-23.csv"
    ft = inp.csv(rel, ["Year", "ONS Code", "Total Incidents"])
    check_known(ft, "ONS Code", {CITY}, inp.label(rel), "local authority code")
    frames.append(
        pd.DataFrame(
            {
                "series": "flytipping_incidents",
                "area": "Coventry",
                "period": ft["Year"],
                "value": check_numeric(ft, "Total Incidents", inp.label(rel)),
                "unit": "incidents recorded by the council",
                "source": "Defra, Fly-tipping incidents and actions taken in England (ENV24)",
            }
        )
    )
    return pd.concat(frames, ignore_index=True)


def weights_table(weights: dict[str, pd.Series], codes: dict[str, set[str]]) -> pd.DataFrame:
    """Every named population weight per LSOA (2021 and 2011), for analysis after the build."""
    frames = []
    for geography in ("lsoa21", "lsoa11"):
        index = sorted(codes[geography])
        frame = pd.DataFrame({"geography": geography, "code": index})
        for key, series in weights.items():
            if series.index.isin(index).all():
                frame[key] = series.reindex(index).to_numpy()
        frames.append(frame)
    return pd.concat(frames, ignore_index=True)


GHG = "environment/climate/climate_ghg_desnz_la_emissions_coventry_2005-2022.csv"
TUBE_MEANS = "council/coventry_no2_diffusion_tube_annual_means_2011_2024.csv"
LA_SUMMARIES = {
    "IoD 2019": ("national/england_iod2019_la_summaries_imd.csv", "Local Authority District code (2019)",
                 "IMD - Rank of proportion of LSOAs in most deprived 10% nationally "),
    "IoD 2025": ("indicators/iod2025/england_iod2025_ltla24_summaries_humaniverse.csv", "ltla24_code",
                 "imd_rank_of_proportion_of_lso_as_in_most_deprived_10_percent_nationally"),
}


def tube_means(inp: Inputs) -> pd.DataFrame:
    """Every tube site's annual mean NO2 (site, year, value), for changes over the same sites."""
    means = inp.csv(TUBE_MEANS, ["year", "tube_id", "no2_annual_mean_ugm3"])
    label = inp.label(TUBE_MEANS)
    out = pd.DataFrame({"tube_id": means["tube_id"],
                        "year": check_numeric(means, "year", label, allow_missing=False).astype(int),
                        "no2": check_numeric(means, "no2_annual_mean_ugm3", label)})
    return out.dropna().sort_values(["tube_id", "year"], ignore_index=True)


def more_series(inp: Inputs, values: pd.DataFrame, tubes: pd.DataFrame) -> pd.DataFrame:
    """Series for "is it getting better?": emissions, roadside NO2, and IMD decile-1 counts and ranks by edition.

    Roadside NO2 is given as the mean and as the share of that year's measured sites over 40 µg/m³, with the
    counts behind the share (the number of sites measured changes from year to year).
    """
    label = inp.label(GHG)
    ghg = inp.csv(GHG, ["Local Authority Code", "Calendar Year", "Grand Total"])
    # The file holds 4 blocks of 18 years (all gases, then single gases, its gas column lost); the first is the total.
    block = ghg.iloc[:18]
    check_known(block, "Local Authority Code", {CITY}, label, "local authority code")
    years = block["Calendar Year"].tolist()
    if years != [str(y) for y in range(2005, 2023)]:
        raise DataError(label, f"expected the first 18 rows to be 2005-2022, found {years[:3]}...",
                        column="Calendar Year")
    frames = [pd.DataFrame({"series": "ghg_total", "area": "Coventry", "period": years,
                            "value": check_numeric(block, "Grand Total", label).to_numpy(),
                            "unit": "kt CO2e (all greenhouse gases)",
                            "source": "DESNZ, UK local authority greenhouse gas emissions 2005-2022"})]
    by_year = tubes.groupby("year")["no2"]
    source = "Coventry City Council, NO2 diffusion tube annual means 2011-2024 (sites vary by year)"
    frames.append(pd.DataFrame({"series": "no2_tube_mean", "area": "Coventry",
                                "period": by_year.mean().index.astype(str), "value": by_year.mean().round(2).to_numpy(),
                                "unit": "µg/m³ (mean of that year's tube sites)", "source": source,
                                "denominator": by_year.size().to_numpy()}))
    over = tubes.assign(over=tubes["no2"] > 40).groupby("year")["over"].sum()
    frames.append(pd.DataFrame({"series": "no2_tubes_share_over_40", "area": "Coventry",
                                "period": over.index.astype(str),
                                "value": (over / by_year.size() * 100).round(2).to_numpy(),
                                "unit": "% of that year's measured tube sites over 40 µg/m³", "source": source,
                                "count": over.to_numpy(), "denominator": by_year.size().to_numpy()}))
    counts = []
    for edition, key in (("IoD 2015", "imd15_decile"), ("IoD 2019", "imd19_decile"), ("IoD 2025", "imd25_decile")):
        own = values[values["indicator"] == key]["value"]
        counts.append({"period": edition, "value": float((own == 1).sum()), "count": float((own == 1).sum()),
                       "denominator": float(len(own))})
    frames.append(pd.DataFrame({"series": "imd_decile1_lsoas", "area": "Coventry", **pd.DataFrame(counts),
                                "unit": "neighbourhoods (LSOAs) in England's most deprived 10%",
                                "source": "MHCLG, English Indices of Deprivation 2015, 2019 and 2025"}))
    ranks = []
    for edition, (rel, code_column, rank_column) in LA_SUMMARIES.items():
        table = inp.csv(rel, [code_column, rank_column])
        mine = table[table[code_column] == CITY]
        if len(mine) != 1:
            raise DataError(inp.label(rel), f"{len(mine)} rows for {CITY}; expected one", column=code_column)
        ranks.append({"period": edition, "value": check_numeric(mine, rank_column, inp.label(rel)).iloc[0],
                      "denominator": float(len(table))})
    frames.append(pd.DataFrame({"series": "imd_la_rank_d1", "area": "Coventry", **pd.DataFrame(ranks),
                                "unit": "rank among English local authorities (1 = most deprived)",
                                "source": "MHCLG, English Indices of Deprivation 2019 and 2025, local authority "
                                          "summaries"}))
    return pd.concat(frames, ignore_index=True)


SERIES_COLUMNS = ("id", "title", "better", "change_rule", "threshold", "rule_note")
CHANGE_RULES = ("threshold", "counts", "proportions", "paired", "editions", "described")


def load_series_registry(path: Path) -> pd.DataFrame:
    """The series registry (``data/registry/series.csv``): title, which way is better and how change is judged."""
    name = "data/registry/series.csv"
    frame = read_csv(path, SERIES_COLUMNS, label=name).fillna("")
    check_unique(frame, ["id"], name)
    for i, row in enumerate(frame.to_dict("records"), start=1):
        if row["better"] not in ("higher", "lower"):
            raise DataError(name, f"'{row['better']}' is not 'higher' or 'lower'", row=i, column="better")
        if row["change_rule"] not in CHANGE_RULES:
            raise DataError(name, f"'{row['change_rule']}' is not one of {CHANGE_RULES}", row=i, column="change_rule")
        if row["change_rule"] == "threshold" and not row["threshold"]:
            raise DataError(name, "a threshold rule needs its threshold", row=i, column="threshold")
        if not row["rule_note"].strip():
            raise DataError(name, "say why the rule fits this series", row=i, column="rule_note")
    return frame


DWP_SERIES = {  # series id -> unit, source (the file comes from the indicator whose city_series it is)
    "cilif_children": (
        "children aged 0-19 (sum of the 42 MSOAs)",
        "DWP, Children in low income families: local area statistics (Stat-Xplore), relative low income before "
        "housing costs, all dependent children aged 0-19; FYE 2022 provisional",
    ),
    "uc_households": (
        "households (sum of the 42 MSOAs)",
        "DWP, Households on Universal Credit (Stat-Xplore); December 2021 onwards revised, November 2023 "
        "provisional; January to October 2023 are not in the extract held; months before April 2016 are left out "
        "because some neighbourhoods show '..' (nil or negligible)",
    ),
}


def dwp_series(inp: Inputs, registry: dict[str, Indicator]) -> pd.DataFrame:
    """City totals over time from the DWP extracts of the indicators whose ``city_series`` is a DWP series."""
    frames = []
    for ind in registry.values():
        if ind.city_series not in DWP_SERIES:
            continue
        unit, source = DWP_SERIES[ind.city_series]
        frame = inp.csv(ind.file, [ind.code_column])
        totals = city_totals(frame, ind.code_column, inp.label(ind.file))
        frames.append(pd.DataFrame({"series": ind.city_series, "area": "Coventry", "period": totals["period"],
                                    "value": totals["value"], "unit": unit, "source": source}))
    return pd.concat(frames, ignore_index=True) if frames else pd.DataFrame()


def build(data: Path, out: Path) -> dict:
    """Validate every input and write all processed files to ``out`` (a new folder).

    Returns
    -------
    dict
        Figures worth printing (counts, totals, reconciliation values).
    """
    manifest = check_manifest(data)
    registry = load_registry(data / "registry" / "indicators.csv")
    listed = set(manifest["file"])
    for i, ind in enumerate(registry.values(), start=1):
        if ind.file not in listed:
            raise DataError("data/registry/indicators.csv", f"file '{ind.file}' is not in data/sources.csv",
                            row=i, column="file")
    vintage = current_vintage(load_vintages(data / "registry" / "ward_vintages.csv"))
    inp = Inputs(data)

    wards_full = read_boundaries(inp.path(vintage.boundaries_file), vintage.code_column, vintage.name_column,
                                 "ward", label=inp.label(vintage.boundaries_file))
    expected = vintage.expected_codes()
    check_complete(wards_full["code"], expected, inp.label(vintage.boundaries_file), "wards")
    check_known(wards_full, "code", expected, inp.label(vintage.boundaries_file), f"ward code for {vintage.label}")
    layers = {
        "lsoa21": read_boundaries(inp.path("boundaries/coventry_lsoa21.geojson"), "LSOA21CD", "LSOA21NM", "lsoa",
                                  label=inp.label("boundaries/coventry_lsoa21.geojson")),
        "lsoa11": read_boundaries(inp.path("boundaries/coventry_lsoa11.geojson"), "LSOA11CD", "LSOA11NM", "lsoa",
                                  label=inp.label("boundaries/coventry_lsoa11.geojson")),
        "msoa11": read_boundaries(inp.path("boundaries/coventry_msoa11.geojson"), "MSOA11CD", "MSOA11NM", "msoa",
                                  label=inp.label("boundaries/coventry_msoa11.geojson")),
    }
    codes = {k: set(v["code"]) for k, v in layers.items()}
    ward_codes = set(expected)
    lookup21 = read_lookup(
        inp.path(vintage.lsoa21_lookup), "LSOA21CD", ward_codes, label=inp.label(vintage.lsoa21_lookup)
    )
    lookup11 = read_lookup(
        inp.path(vintage.lsoa11_lookup), "LSOA11CD", ward_codes, label=inp.label(vintage.lsoa11_lookup)
    )
    check_complete(lookup21["lsoa"], codes["lsoa21"], inp.label(vintage.lsoa21_lookup), "LSOA21 codes")
    check_complete(lookup11["lsoa"], codes["lsoa11"], inp.label(vintage.lsoa11_lookup), "LSOA11 codes")
    check_complete(lookup21["ward"], ward_codes, inp.label(vintage.lsoa21_lookup), "wards")
    check_known(lookup21, "msoa", codes["msoa11"], inp.label(vintage.lsoa21_lookup), "MSOA code")
    weights = population_weights(inp, codes["lsoa21"], codes["lsoa11"])

    city_outline = wards_full.dissolve().assign(code=CITY)
    link_cache: dict = {}

    def grid_links(cells):
        key = tuple(cells["source"])
        if key not in link_cache:
            link_cache[key] = {
                "ward": area_links(cells, wards_full),
                "lsoa21": area_links(cells, layers["lsoa21"]),
                "city": area_links(cells, city_outline),
            }
        return link_cache[key]

    ctx = {**codes, "weights": weights, "lookup21": lookup21, "lookup11": lookup11, "grid_links": grid_links,
           "city": CITY}
    values = pd.concat([r for ind in registry.values() for r in build_indicator(ind, inp, ctx)], ignore_index=True)
    values = with_comparators(values, comparator_rows(data / "registry" / "comparators.csv", registry, CITY,
                                                      inp.csv, inp.label), registry,
                              {geography: len(found) for geography, found in codes.items()})

    ward_pop = weights["census2021"].groupby(lookup21.set_index("lsoa")["ward"]).sum()
    wards_table = pd.DataFrame(
        {
            "code": wards_full["code"],
            "name": wards_full["name"],
            "vintage": vintage.vintage,
            "population_census2021": wards_full["code"].map(ward_pop).astype(int),
            "lsoa21_count": wards_full["code"].map(lookup21.groupby("ward").size()).astype(int),
            "lsoa21_straddling": wards_full["code"].map(lookup21.groupby("ward")["straddles"].sum()).astype(int),
        }
    )
    lookups = pd.concat(
        [lookup21.assign(geography="lsoa21"), lookup11.assign(geography="lsoa11")], ignore_index=True
    )[["geography", "lsoa", "ward", "msoa", "straddles", "share_in_ward"]]
    tubes, hot = point_layers(inp, ward_codes)
    postcodes = read_postcodes(inp.path(POSTCODES), ward_codes, codes["lsoa21"], label=inp.label(POSTCODES))
    councillors = read_councillors(inp.path(COUNCILLORS), ward_codes, label=inp.label(COUNCILLORS))
    tube_years = tube_means(inp)
    series = pd.concat([city_series(inp), more_series(inp, values, tube_years),
                        dwp_series(inp, registry)], ignore_index=True)
    meta = load_series_registry(data / "registry" / "series.csv").set_index("id")
    unknown = sorted(set(series["series"]) - set(meta.index))
    if unknown:
        raise DataError("data/registry/series.csv", f"no row for series {unknown}; add one", column="id")
    series = series.join(meta[["title", "better", "change_rule", "threshold", "rule_note"]], on="series")

    out.mkdir(parents=True, exist_ok=False)
    simplified = {"wards": simplify_coverage(wards_full)}
    simplified.update({k: simplify_coverage(v) for k, v in layers.items()})
    for key, frame in simplified.items():
        frame.to_parquet(out / f"{key}.parquet", index=False)
    csv = {"float_format": "%.10g", "index": False, "lineterminator": "\n"}
    wards_table.to_csv(out / "wards.csv", **csv)
    lookups.to_csv(out / "lookups.csv", **csv)
    values.to_csv(out / "values.csv", **csv)
    series.to_csv(out / "city_series.csv", **csv)
    tubes.to_csv(out / "no2_tubes.csv", **csv)
    tube_years.to_csv(out / "no2_tube_means.csv", **csv)
    hot.to_csv(out / "hot_streets.csv", **csv)
    postcodes.to_csv(out / "postcodes.csv", **csv)
    weights_table(weights, codes).to_csv(out / "lsoa_weights.csv", **csv)
    councillors.to_csv(out / "councillors.csv", **csv)
    city = values[values["geography"] == "city"].set_index("indicator")["value"]
    summary = {
        "ward_vintage": vintage.vintage,
        "wards": len(wards_table),
        "lsoa21": len(codes["lsoa21"]),
        "lsoa11": len(codes["lsoa11"]),
        "msoa11": len(codes["msoa11"]),
        "lsoa21_straddling": int(lookup21["straddles"].sum()),
        "population_census2021": int(wards_table["population_census2021"].sum()),
        "indicators": len(registry),
        "imd25_score_city": round(float(city["imd25_score"]), 3),
        "imd25_lsoas_decile1": int((values.query("indicator == 'imd25_decile'")["value"] == 1).sum()),
        "imd19_lsoas_decile1": int((values.query("indicator == 'imd19_decile'")["value"] == 1).sum()),
        "raw_files": {row["file"]: sha256(data / "raw" / row["file"]) for row in manifest.to_dict("records")},
    }
    (out / "build_info.json").write_text(json.dumps(summary, indent=1, sort_keys=True) + "\n")
    return summary


def build_atomically(data: Path, target: Path) -> dict:
    """Build into a temporary sibling of ``target`` and swap it in only on success."""
    return swap_in(target, lambda new: build(data, new))


def up_to_date(data: Path, target: Path) -> bool:
    """Whether ``target`` holds every processed file, built from these very inputs (its stamp says which)."""
    if not all((target / name).exists() for name in PROCESSED_FILES):
        return False
    return unchanged(recorded(paths.build_stamp(target)), data)


def made_from(data: Path) -> dict:
    """The fingerprint of a build from ``data``: every file in the manifest, every registry file, the code."""
    manifest = read_csv(data / "sources.csv", MANIFEST_COLUMNS, label="data/sources.csv")
    registry = tuple(sorted(p.name for p in (data / "registry").iterdir() if p.is_file()))
    return fingerprint(data, list(manifest["file"]), registry)


def main(argv: list[str] | None = None) -> int:
    """Command line: build (unless the inputs are unchanged) and print the summary, or the first data problem."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=paths.data_dir(), help="data folder holding raw/ and registry/")
    parser.add_argument("--out", type=Path, default=None, help="output folder (default DATA/processed)")
    parser.add_argument("--force", action="store_true", help="build even when the inputs are unchanged")
    args = parser.parse_args(argv)
    target = args.out or paths.processed_dir(args.data)
    if not args.force and up_to_date(args.data, target):
        print(f"Processed data up to date: its inputs are unchanged since it was built ({target}); nothing to do "
              "(--force builds it again).")
        return 0
    try:
        stamp = made_from(args.data)
        summary = build_atomically(args.data, target)
    except DataError as exc:
        print(f"Build stopped, nothing written: {exc}", file=sys.stderr)
        return 1
    write_json(paths.build_stamp(target), stamp)
    for key, value in summary.items():
        if key != "raw_files":
            print(f"{key}: {value}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
