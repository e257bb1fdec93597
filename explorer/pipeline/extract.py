"""Copy the national files the build needs from the project's shared raw data into ``data/raw``.

Run ``python -m explorer.pipeline.extract`` on a developer machine with ``../shared`` beside the repository. It
keeps only the rows and columns the build uses (England's areas; named columns), writes them as
gzip-compressed CSV with a fixed timestamp (so a re-run gives the same bytes), and turns the two Excel
tables the build needs into CSV. Nothing is computed: every value is copied as published. The app and
the tests never read ``../shared``; they read what this writes (listed in ``data/sources.csv``).

Boundary layers (England's May 2025 wards, 2021 LSOAs and 2011 MSOAs) are copied as GeoParquet with only
their code, name and local authority columns, unsimplified (the ONS generalised-clipped boundaries as
published), sorted by code. The fly-tipping workbook is OpenDocument (``.ods``), read with odfpy (the
``extract`` extra in ``pyproject.toml``).
"""

from __future__ import annotations

import argparse
import gzip
import io
import sys
from dataclasses import dataclass
from pathlib import Path

import geopandas as gpd
import pandas as pd

from explorer import paths


@dataclass(frozen=True)
class Extract:
    """One national file: where it comes from, the columns kept, and which rows."""

    target: str
    source: str
    columns: tuple[str, ...]
    england_column: str = ""  # keep rows whose code in this column starts with E (England)
    sheet: str = ""  # for Excel sources
    header_row: int = 0
    rows_where: tuple[str, str] = ("", "")  # (column, value) rows to keep
    sort_by: tuple[str, ...] = ()  # sort rows (for files whose source order is not stable)


@dataclass(frozen=True)
class GeoExtract:
    """One boundary layer: the columns kept (code first) and the rows (England's codes) sorted by code."""

    target: str
    source: str
    columns: tuple[str, ...]


EV_COLUMNS = ("area_code", "area_name", "Oct-19", "Jan-20", "Apr-20", "Jul-20", "Oct-20", "Jan-21", "Apr-21", "Jul-21",
              "Oct-21", "Jan-22", "Apr-22", "Jul-22", "Oct-22", "Jan-23", "Apr-23", "Jul-23", "Oct-23", "Jan-24",
              "Apr-24", "Jul-24", "Oct-24 [Note 14]", "Jan-25", "Apr-25", "Jul-25", "Oct-25")

EXTRACTS = (
    Extract("national/england_iod2025_lsoa21.csv.gz",
            "indicators/iod2025/england_iod2025_lsoa21_imd_and_domains_humaniverse.csv",
            ("LSOA code (2021)", "Index of Multiple Deprivation (IMD) Score",
             "Index of Multiple Deprivation (IMD) Decile (where 1 is most deprived 10% of LSOAs)",
             "Income Score (rate)", "Employment Score (rate)", "Education, Skills and Training Score",
             "Health Deprivation and Disability Score", "Crime Score", "Barriers to Housing and Services Score",
             "Living Environment Score")),
    Extract("national/england_census2021_ts038_disabled_lsoa21.csv.gz",
            "indicators/health/england_wales_census2021_ts038_disability_lsoa21_demographr.csv",
            ("lsoa21_code", "disability", "n", "total_residents"), england_column="lsoa21_code",
            rows_where=("disability", "Disabled under the Equality Act")),
    Extract("national/england_iod2019_file1_lsoa11.csv.gz",
            "indicators/iod2019/File_1_-_IMD2019_Index_of_Multiple_Deprivation.csv",
            ("LSOA code (2011)", "Index of Multiple Deprivation (IMD) Decile")),
    Extract("national/england_iod2019_file6_lsoa11.csv.gz",
            "indicators/iod2019/File_6_-_IoD2019_Population_Denominators.csv",
            ("LSOA code (2011)", "Total population: mid 2015 (excluding prisoners)")),
    Extract("national/england_imd2015_lsoa11.csv.gz",
            "indicators/iod2015/england_imd2015_lsoa11_humaniverse.csv",
            ("lsoa11_code", "IMD_score", "IMD_decile")),
    Extract("national/england_park_distance_lsoa11_apr2020.csv.gz",
            "environment/green_space/ons_lsoa11_avg_distance_nearest_park_or_playing_field_apr2020_GB_national.csv",
            ("lsoa11cd", "average_distance"), england_column="lsoa11cd"),
    Extract("national/england_iod2019_la_summaries_imd.csv",
            "indicators/iod2019/File_10_-_IoD2019_Local_Authority_District_Summaries__lower-tier__.xlsx",
            ("Local Authority District code (2019)", "Local Authority District name (2019)",
             "IMD - Average score ", "IMD - Rank of average score ",
             "IMD - Proportion of LSOAs in most deprived 10% nationally ",
             "IMD - Rank of proportion of LSOAs in most deprived 10% nationally "), sheet="IMD"),
    Extract("national/england_ons_dfle_utla_2009_2013_males.csv",
            "health/original/dflereferencetable2_tcm77-417535.xls",
            ("UTLA Codes", "UTLA Names", "DFLE (years)", "Lower 95 % confidence interval",
             "Upper 95 % confidence interval"), sheet="UTLA_males", header_row=7),
    Extract("national/england_ons_dfle_utla_2009_2013_females.csv",
            "health/original/dflereferencetable2_tcm77-417535.xls",
            ("UTLA Codes", "UTLA Names", "DFLE (years)", "Lower 95 % confidence interval",
             "Upper 95 % confidence interval"), sheet="UTLA_females", header_row=7),
    Extract("national/england_ons_dfle_region_2009_2013.csv",
            "health/original/dflereferencetable2_tcm77-417535.xls",
            ("Sex", "DFLE (years)", "Lower 95 % confidence interval", "Upper 95 % confidence interval"),
            sheet="Region", header_row=7),
    Extract("indicators/iod2025/england_iod2025_ltla24_summaries_humaniverse.csv",
            "indicators/iod2025/england_iod2025_ltla24_summaries_humaniverse.csv",
            ("ltla24_code", "ltla24_name", "imd_average_score", "imd_rank_of_average_score",
             "imd_proportion_of_lso_as_in_most_deprived_10_percent_nationally",
             "imd_rank_of_proportion_of_lso_as_in_most_deprived_10_percent_nationally", "income_average_score",
             "employment_average_score", "education_skills_and_training_average_score",
             "health_deprivation_and_disability_average_score", "crime_average_score",
             "barriers_to_housing_and_services_average_score", "living_environment_average_score")),
    Extract("national/england_lsoa21_ward25_lad25_bestfit.csv.gz",
            "national/lsoa21_ward25_lad25_bestfit_england.csv",
            ("LSOA21CD", "WD25CD", "LAD25CD", "method", "area_share_in_assigned_wd25", "straddles_lt90pct_area")),
    Extract("national/england_lsoa11_lsoa21.csv.gz", "national/lsoa11_lsoa21_england.csv",
            ("LSOA11CD", "LSOA21CD", "CHGIND", "LAD22CD")),
    Extract("national/england_lsoa11_msoa11.csv.gz", "national/lsoa11_msoa11_england.csv",
            ("LSOA11CD", "MSOA11CD")),
    Extract("national/england_lad_codes_to_lad25.csv", "national/lad_all_codes_to_active_lad25_england.csv",
            ("LADCD", "LADNM", "LADCD_ACTIVE", "LADNM_ACTIVE", "UTLACD", "UTLANM", "RGNCD", "RGNNM", "Current")),
    Extract("national/england_ons_le_hle_msoa11_2009_2013.csv.gz", "health/england_ons_le_hle_msoa11_2009_2013.csv",
            ("Sex", "MSOA Codes", "HLE (years)", "HLE Lower 95 % confidence interval",
             "HLE Upper 95 % confidence interval", "LE (Years)", "LE Lower 95 % confidence interval",
             "LE Upper 95 % confidence interval"), sort_by=("MSOA Codes", "Sex")),
    Extract("national/england_ons_dfle_msoa11_2009_2013.csv.gz", "health/england_ons_le_dfle_msoa11_2009_2013.csv",
            ("Sex", "MSOA Codes", "DFLE (years)", "DFLE Lower 95 % confidence interval",
             "DFLE Upper 95 % confidence interval"), sort_by=("MSOA Codes", "Sex")),
    Extract("national/england_iod2019_file1_lad19_rank_lsoa11.csv.gz",
            "indicators/iod2019/File_1_-_IMD2019_Index_of_Multiple_Deprivation.csv",
            ("LSOA code (2011)", "Local Authority District code (2019)", "Local Authority District name (2019)",
             "Index of Multiple Deprivation (IMD) Rank")),
    Extract("national/england_defra_flytipping_la_incidents_2012-13_to_2022-23.csv.gz",
            "environment/fly_tipping/defra_flytipping_incidents_actions_LA_england_2012-13_to_2022-23.ods",
            ("Year", "ONS Code", "LA Name", "Total Incidents", "Mid population estimates ",
             "Incidents per 1,000 people", "Reporting basis"), england_column="ONS Code", sheet="LA_incidents",
            header_row=2),
    Extract("national/england_dwp_cilif_ahc_children_under16_ward24_fye2024_fye2025.csv.gz",
            "indicators/economy/uk_dwp_cilif_ahc_relative_children_under16_ward2024_fye2024_fye2025.csv",
            ("LA_code", "LA_name", "Ward_code", "Ward_name", "n_children_fye2024", "n_children_fye2025",
             "pct_children_fye2024", "pct_children_fye2025"), england_column="Ward_code"),
    Extract("national/england_dwp_cilif_ahc_children_under16_la_fye2024_fye2025.csv",
            "indicators/economy/uk_dwp_cilif_ahc_relative_children_under16_la_fye2024_fye2025.csv",
            ("LA_code", "LA_name", "n_children_fye2024", "n_children_fye2025", "pct_children_fye2024",
             "pct_children_fye2025"), england_column="LA_code"),
    Extract("national/england_dwp_households_on_universal_credit_msoa11_nov2023.csv.gz",
            "indicators/economy/england_dwp_households_on_universal_credit_msoa11_monthly_2015-08_to_2023-11.csv",
            ("MSOA11CD", "November 2023 (p)"), england_column="MSOA11CD", sort_by=("MSOA11CD",)),
    Extract("national/england_dwp_households_on_universal_credit_msoa11_nov2016_nov2022.csv.gz",
            "indicators/economy/england_dwp_households_on_universal_credit_msoa11_monthly_2015-08_to_2023-11.csv",
            ("MSOA11CD", "November 2016", "November 2017", "November 2018", "November 2019", "November 2020",
             "November 2021", "November 2022 (r)"), england_column="MSOA11CD", sort_by=("MSOA11CD",)),
    Extract("national/england_ons_msoa11_access_to_garden_space_apr2020.csv.gz",
            "environment/green_space/garden_access/england_ons_msoa11_access_to_garden_space_apr2020.csv",
            ("MSOA code", "Total: Address count", "Total: Adress with private outdoor space count",
             "Flats: Address count", "Flats: Adress with private outdoor space count"), england_column="MSOA code",
            sort_by=("MSOA code",)),
    Extract("national/england_foe_no2_pm25_lsoa11_2021_23.csv.gz",
            "environment/air_quality/foe_airpollution_no2_pm25_lsoa11_2021_23_england.csv",
            ("lsoa11", "no2_202123_conc", "pm25_202123_conc"), england_column="lsoa11", sort_by=("lsoa11",)),
    Extract("national/england_ons_le_birth_la_2021_2023.csv",
            "health/uk_ons_life_expectancy_local_areas_by_age_sex_2021_2023.csv",
            ("Period", "Area type", "Area code", "Area name", "Sex", "Age group", "Life expectancy",
             "Lower confidence interval", "Upper confidence interval"), england_column="Area code",
            rows_where=("Age group", "<1")),
    Extract("national/england_ons_le_birth_age65_la_2001_03_to_2016_18.csv.gz",
            "health/uk_ons_le_birth_age65_la_2001_03_to_2016_18.csv",
            ("Worksheet", "Area Codes", "Area Names (level 3: local authority)", "2001-2003", "2002-2004",
             "2003-2005", "2004-2006", "2005-2007", "2006-2008", "2007-2009", "2008-2010", "2009-2011", "2010-2012",
             "2011-2013", "2012-2014", "2013-2015", "2014-2016", "2015-2017", "2016-2018"),
            england_column="Area Codes"),
    Extract("national/england_dft_ev_charging_devices_by_la_2019-10_to_2025-10.csv",
            "environment/ev_charging/dft_ev_public_charging_devices_all_speeds_by_la_2019-10_to_2025-10.csv",
            EV_COLUMNS, england_column="area_code"),
    Extract("national/england_dft_ev_charging_devices_per100k_by_la_2019-10_to_2025-10.csv",
            "environment/ev_charging/dft_ev_public_charging_devices_all_speeds_per100k_by_la_2019-10_to_2025-10.csv",
            EV_COLUMNS, england_column="area_code"),
    Extract("national/marmot_places_PARTIAL.csv", "national/marmot_places_PARTIAL.csv",
            ("place", "gss_code", "geography_type", "in_england", "status_as_stated", "date_as_stated",
             "source_url", "source_quote")),
)

GEO_EXTRACTS = (
    GeoExtract("national/england_wards_wd25_bgc.parquet", "boundaries/england_wards_wd25_bgc.geojson",
               ("WD25CD", "WD25NM", "LAD25CD")),
    GeoExtract("national/england_lsoa21_bgc.parquet", "national/england_lsoa21_bgc.parquet",
               ("LSOA21CD", "LSOA21NM", "LAD25CD")),
    GeoExtract("national/england_msoa11_bgc.parquet", "national/england_msoa11_bgc.parquet",
               ("MSOA11CD", "MSOA11NM", "LAD25CD")),
)


def read_source(path: Path, ex: Extract) -> pd.DataFrame:
    """Read a source file as text, keeping only the extract's columns and rows."""
    if ex.sheet:
        frame = pd.read_excel(path, sheet_name=ex.sheet, header=ex.header_row, dtype=str)
        if ex.sheet == "Region":  # a "Males" / "Females" heading row, then the regions and England
            frame = _region_sheet(frame)
        elif ex.england_column:  # a table of areas by year: keep rows with an England area code
            frame = frame.dropna(subset=[ex.england_column])
            frame = frame[frame[ex.england_column].str.fullmatch(r"E\d{8}")]
        else:
            frame = frame.dropna(subset=[frame.columns[0]])
            frame = frame[frame[frame.columns[0]].str.fullmatch(r"E\d{8}")]
    else:
        frame = pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8-sig")
    missing = [c for c in ex.columns if c not in frame.columns]
    if missing:
        raise SystemExit(f"{path}: missing column(s) {missing}")
    if ex.rows_where[0]:
        frame = frame[frame[ex.rows_where[0]] == ex.rows_where[1]]
    if ex.england_column:
        frame = frame[frame[ex.england_column].str.startswith("E")]
    frame = frame[list(ex.columns)]
    if ex.sort_by:
        frame = frame.sort_values(list(ex.sort_by), kind="mergesort")
    return frame.reset_index(drop=True)


def read_geo_source(path: Path, ex: GeoExtract) -> gpd.GeoDataFrame:
    """Read a boundary layer, keeping the extract's columns and England's rows, sorted by code."""
    frame = gpd.read_parquet(path) if path.suffix == ".parquet" else gpd.read_file(path)
    missing = [c for c in ex.columns if c not in frame.columns]
    if missing:
        raise SystemExit(f"{path}: missing column(s) {missing}")
    code = ex.columns[0]
    frame = frame[frame[code].str.startswith("E")]
    frame = frame[[*ex.columns, "geometry"]].sort_values(code, kind="mergesort").reset_index(drop=True)
    return frame.to_crs("EPSG:4326")


def write_geo(frame: gpd.GeoDataFrame, target: Path) -> None:
    """GeoParquet (zstd, no index) with the same bytes on every run from the same source and library versions."""
    target.parent.mkdir(parents=True, exist_ok=True)
    frame.to_parquet(target, index=False, compression="zstd", write_covering_bbox=False)


def _region_sheet(frame: pd.DataFrame) -> pd.DataFrame:
    """The ONS Region sheet: keep the England rows, naming each by the sex heading above it."""
    frame = frame.rename(columns={frame.columns[0]: "Area"})
    sex = frame["Area"].where(frame["Area"].str.strip().isin(["Males", "Females"])).ffill().str.strip()
    england = frame[frame["Area"].str.strip() == "England"].copy()
    england.insert(0, "Sex", sex[england.index].map({"Males": "Male", "Females": "Female"}))
    return england


def write(frame: pd.DataFrame, target: Path) -> None:
    """Write CSV (gzip with a fixed timestamp when the name ends .gz), so re-runs give the same bytes."""
    text = frame.to_csv(index=False, lineterminator="\n").encode("utf-8")
    target.parent.mkdir(parents=True, exist_ok=True)
    if target.suffix == ".gz":
        buffer = io.BytesIO()
        with gzip.GzipFile(filename="", mode="wb", fileobj=buffer, mtime=0) as gz:
            gz.write(text)
        target.write_bytes(buffer.getvalue())
    else:
        target.write_bytes(text)


def main(argv: list[str] | None = None) -> int:
    """Command line: extract every national file, printing rows and bytes written."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--shared", type=Path, default=paths.REPO_ROOT.parent / "shared" / "data" / "raw",
                        help="the shared raw data folder (default ../shared/data/raw)")
    parser.add_argument("--data", type=Path, default=paths.data_dir(), help="the data folder to write raw/ into")
    parser.add_argument("--only", default="", help="extract only targets containing this text")
    args = parser.parse_args(argv)
    for ex in GEO_EXTRACTS:
        if args.only not in ex.target:
            continue
        frame = read_geo_source(args.shared / ex.source, ex)
        target = args.data / "raw" / ex.target
        write_geo(frame, target)
        print(f"{ex.target}: {len(frame):,} areas, {target.stat().st_size:,} bytes")
    for ex in EXTRACTS:
        if args.only not in ex.target:
            continue
        frame = read_source(args.shared / ex.source, ex)
        target = args.data / "raw" / ex.target
        write(frame, target)
        print(f"{ex.target}: {len(frame):,} rows, {target.stat().st_size:,} bytes")
    return 0


if __name__ == "__main__":
    sys.exit(main())
