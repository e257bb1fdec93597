"""Seed the interventions register from the real data in ``data/raw`` (``python -m explorer.pipeline.seed_register``).

Officers add rows to ``data/registry/interventions.csv`` afterwards; re-seeding
rewrites only the seeded rows (ids starting ``seed-``) and keeps theirs.
"""

from __future__ import annotations

import sys

import geopandas as gpd
import pandas as pd

from explorer import paths
from explorer.pipeline.interventions import COLUMNS
from geo.boundaries import read_boundaries
from geo.points import centres

SEED = "seed-"


def _rows(frame: pd.DataFrame, prefix: str, **fixed: str) -> pd.DataFrame:
    out = frame.reset_index(drop=True).copy()
    out["id"] = [f"{SEED}{prefix}-{i + 1:03d}" for i in range(len(out))]
    for key, value in fixed.items():
        out[key] = value
    return out


def seed(data: pd.DataFrame | None = None) -> pd.DataFrame:
    """Build the seeded rows from the raw files."""
    raw = paths.data_dir() / "raw"
    parts = []
    hubs = gpd.read_file(raw / "council/coventry_family_hubs.geojson")
    parts.append(_rows(pd.DataFrame({"name": hubs["Hub"], "lat": hubs.geometry.y, "lon": hubs.geometry.x,
                                     "ward": hubs["derived_ward_code"]}), "hub", type="Family hub",
                       priority="communities", marmot_principle="1", location="point",
                       period="published March 2022", source="Coventry City Council, Family Hubs",
                       dating="snapshot", date_from="2022-03"))
    gps = pd.read_csv(raw / "environment/assets/ahah_v5_nhs_gp_coventry.csv")
    parts.append(_rows(pd.DataFrame({"name": gps["Name"].str.title(), "lat": gps["Latitude"],
                                     "lon": gps["Longitude"]}), "gp", type="GP practice", priority="communities",
                       marmot_principle="6", location="point", period="NHS ODS via AHAH v5 (2025)",
                       source="NHS Digital ODS (GP practices and related sites), via AHAH v5", dating="snapshot",
                       date_from="2025"))
    ph = pd.read_csv(raw / "environment/assets/ahah_v5_nhs_pharmacy_coventry.csv")
    parts.append(_rows(pd.DataFrame({"name": ph["Name"].str.title(), "lat": ph["Latitude"],
                                     "lon": ph["Longitude"]}), "pharmacy", type="Pharmacy", priority="communities",
                       marmot_principle="6", location="point", period="NHS ODS via AHAH v5 (2025)",
                       source="NHS Digital ODS (pharmacies), via AHAH v5", dating="snapshot", date_from="2025"))
    libraries = pd.read_csv(raw / "environment/assets/ace_public_libraries_coventry_2022.csv")
    libraries = libraries[libraries["Year closed"].isna()]
    postcodes = pd.read_csv(raw / "boundaries/coventry_postcode_lookup_2024.csv", usecols=["pcds", "lsoa21", "ward"])
    lsoas = read_boundaries(raw / "boundaries/coventry_lsoa21.geojson", "LSOA21CD", "LSOA21NM", "lsoa")
    points = centres(lsoas).to_crs("EPSG:4326").set_index("code").geometry
    placed = libraries.merge(postcodes, left_on="Postcode", right_on="pcds", how="inner")
    named = placed["Library name"].str.strip()
    named = named.where(named.str.endswith("Library"), named + " Library")  # not "Central Library Library"
    parts.append(_rows(pd.DataFrame({"name": named,
                                     "lat": placed["lsoa21"].map(points.y).round(6),
                                     "lon": placed["lsoa21"].map(points.x).round(6), "ward": placed["ward"]}),
                       "library", type="Library", priority="communities", marmot_principle="2",
                       location="approximate point", period="2022",
                       source="Arts Council England, public libraries 2022 (placed at the centre of the "
                              "neighbourhood of its postcode)", dating="snapshot", date_from="2022"))
    ev = pd.read_csv(raw / "environment/assets/ncr_national_chargepoint_registry_coventry_2020snapshot.csv")
    ev = ev[ev["chargeDeviceStatus"] == "In service"]
    parts.append(_rows(pd.DataFrame({"name": ev["name"], "lat": ev["latitude"], "lon": ev["longitude"]}), "ev",
                       type="EV charge point", priority="climate", marmot_principle="8", location="point",
                       period="snapshot about November 2020", source="OZEV National Chargepoint Registry",
                       dating="snapshot", date_from="2020-11"))
    drops = gpd.read_file(raw / "council/coventry_waste_drop_sites_2022.geojson")
    parts.append(_rows(pd.DataFrame({"name": drops["Site"], "lat": drops.geometry.y, "lon": drops.geometry.x,
                                     "ward": drops["derived_ward_code"]}), "drop", type="Waste drop site",
                       priority="climate", marmot_principle="5", location="point",
                       period="January to March 2022 (temporary)", source="Coventry City Council, waste drop sites",
                       dating="period", date_from="2022-01", date_to="2022-03"))
    tubes = pd.read_csv(raw / "council/coventry_no2_diffusion_tube_sites.csv")
    means = pd.read_csv(raw / "council/coventry_no2_diffusion_tube_annual_means_2011_2024.csv")
    years = means.dropna(subset=["no2_annual_mean_ugm3"]).groupby("tube_id")["year"]
    parts.append(_rows(pd.DataFrame({"name": "NO2 tube " + tubes["tube_id"] + ": " + tubes["site_name"],
                                     "lat": tubes["latitude"], "lon": tubes["longitude"],
                                     "ward": tubes["derived_ward_code"],
                                     "date_from": tubes["tube_id"].map(years.min()).astype(str),
                                     "date_to": tubes["tube_id"].map(years.max()).astype(str)}), "no2",
                       type="Air quality monitoring site", priority="climate", marmot_principle="5", location="point",
                       period="measured in the years given (2011-2024 series)",
                       source="Coventry City Council, NO2 diffusion tube sites", dating="period"))
    hot = gpd.read_file(raw / "council/coventry_flytipping_hot_streets.geojson")
    parts.append(_rows(pd.DataFrame({"name": hot["Address"], "lat": hot.geometry.y, "lon": hot.geometry.x,
                                     "ward": hot["derived_ward_code"]}), "hotstreet",
                       type="Fly-tipping hot street", priority="climate", marmot_principle="5", location="point",
                       period="published January 2022", source="Coventry City Council, fly-tipping hot streets",
                       dating="snapshot", date_from="2022-01"))
    seeded = pd.concat(parts, ignore_index=True)
    seeded["lat"] = seeded["lat"].astype(float).round(6)
    seeded["lon"] = seeded["lon"].astype(float).round(6)
    return seeded.reindex(columns=list(COLUMNS)).fillna("")


def main() -> int:
    """Rewrite the seeded rows of the register, keeping rows officers added."""
    path = paths.data_dir() / "registry" / "interventions.csv"
    kept = pd.read_csv(path, dtype=str).fillna("") if path.exists() else pd.DataFrame(columns=list(COLUMNS))
    kept = kept[~kept["id"].str.startswith(SEED)]
    out = pd.concat([seed(), kept], ignore_index=True)
    out.to_csv(path, index=False, lineterminator="\n")
    print(f"{len(out)} rows ({len(out) - len(kept)} seeded, {len(kept)} added by hand) -> {path}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
