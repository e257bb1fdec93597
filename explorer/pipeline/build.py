"""Coventry's own ward set: validate, join, aggregate and simplify ``data/raw/`` into the figures of its wards.

Run ``python -m explorer.pipeline.build`` (``make data``). Every input is checked on the way in; the first problem
stops the build with a message naming the file, row or column. The build makes the parts of Coventry's local pack
that only this pipeline can make, its ward set (wards of 2004 to May 2026, every figure weighted by MHCLG's own IoD
denominators) and its series over time, then builds the pack (:mod:`explorer.pipeline.packs`) with them, so
``data/packs/coventry/built/`` is swapped in whole and the app never sees half a dataset.
"""

from __future__ import annotations

import argparse
import json
import shutil
import sys
import tempfile
from pathlib import Path

import pandas as pd

from explorer import paths
from explorer.pipeline.atomic import CSV, swap_in
from explorer.pipeline.comparators import comparator_rows
from explorer.pipeline.dwp import city_totals
from explorer.pipeline.indicator_build import build_indicator, computed_note
from explorer.pipeline.inputs import Inputs, check_manifest, sha256
from explorer.pipeline.local_gap_series import local_gap_series
from explorer.pipeline.monitoring import annual_means
from explorer.pipeline.packs import build_pack
from explorer.pipeline.series import with_meta
from explorer.registry import Indicator, load_registry
from geo.boundaries import read_boundaries, simplify_coverage
from geo.errors import DataError
from geo.grid import area_links
from geo.lookups import read_lookup
from geo.validate import (
    check_codes,
    check_complete,
    check_known,
    check_numeric,
    check_unique,
)
from geo.vintages import current_vintage, load_vintages, load_ward_names

CITY = "E08000026"
# What this build writes: the pack's ward_set part (with the names of ward sets not yet mapped) and its series.
PROCESSED_FILES = (
    "wards.parquet", "lsoa21.parquet", "lsoa11.parquet", "msoa11.parquet", "wards.csv", "lookups.csv",
    "values.csv", "lsoa_weights.csv", "indicators.csv", "ward_sets.csv", "build_info.json", "series.csv",
    "gap_series.csv",
)


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
    """Validate every input and write Coventry's ward set and series to ``out`` (a new folder).

    ``out`` holds :data:`PROCESSED_FILES` (and the names of every ward set not yet mapped, at their
    ``names_file`` path): the files the pack's ``ward_set``, ``series`` and ``gap_series`` parts are made of.

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
    vintages = load_vintages(data / "registry" / "ward_vintages.csv")
    vintage = current_vintage(vintages)
    unmapped = [v for v in vintages if not v.mappable and v.names_file]
    for later in unmapped:
        load_ward_names(later, data / "raw")  # checked here; the app reads the copy in the ward set
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
    tube_years = annual_means(inp.csv(TUBE_MEANS, ["year", "tube_id", "no2_annual_mean_ugm3"]), inp.label(TUBE_MEANS),
                              "no2_annual_mean_ugm3")
    series = pd.concat([city_series(inp), more_series(inp, values, tube_years),
                        dwp_series(inp, registry)], ignore_index=True)
    series = with_meta(series, data / "registry" / "series.csv")
    weights_out = weights_table(weights, codes)
    gaps_over_time = local_gap_series(inp, data, CITY, "Coventry", values, lookups, weights_out, tube_years)

    out.mkdir(parents=True, exist_ok=False)
    simplified = {"wards": simplify_coverage(wards_full)}
    simplified.update({k: simplify_coverage(v) for k, v in layers.items()})
    for key, frame in simplified.items():
        frame.to_parquet(out / f"{key}.parquet", index=False)
    wards_table.to_csv(out / "wards.csv", **CSV)
    lookups.to_csv(out / "lookups.csv", **CSV)
    values.to_csv(out / "values.csv", **CSV)
    series.to_csv(out / "series.csv", **CSV)
    weights_out.to_csv(out / "lsoa_weights.csv", **CSV)
    gaps_over_time.to_csv(out / "gap_series.csv", **CSV)
    # The registry and ward sets the figures were built with travel with them, as the names of sets not yet mapped.
    shutil.copyfile(data / "registry" / "indicators.csv", out / "indicators.csv")
    shutil.copyfile(data / "registry" / "ward_vintages.csv", out / "ward_sets.csv")
    for later in unmapped:
        (out / later.names_file).parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(inp.path(later.names_file), out / later.names_file)
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


def main(argv: list[str] | None = None) -> int:
    """Command line: build the ward set and series, then Coventry's pack with them; or print the first problem."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=paths.data_dir(), help="data folder holding raw/ and registry/")
    parser.add_argument("--pack", type=Path, default=paths.own_pack_dir(),
                        help="the local pack the ward set and series are built for (default data/packs/coventry)")
    parser.add_argument("--out", type=Path, default=None,
                        help="write only the ward set and series, to this folder (no pack is built)")
    args = parser.parse_args(argv)
    try:
        if args.out:
            summary = build_atomically(args.data, args.out)
        else:
            with tempfile.TemporaryDirectory() as tmp:
                summary = build(args.data, Path(tmp) / "made")
                line = build_pack(args.pack, args.data, made=Path(tmp) / "made")
    except DataError as exc:
        print(f"Build stopped, nothing written: {exc}", file=sys.stderr)
        return 1
    for key, value in summary.items():
        if key != "raw_files":
            print(f"{key}: {value}")
    if not args.out:
        print(line)
    return 0


if __name__ == "__main__":
    sys.exit(main())
