"""What the "About the data" page says: sources, methods and caveats, built from the data files themselves."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from explorer.registry import Indicator, registry_frame
from explorer.validate import read_csv

MANIFEST_COLUMNS = ("file", "publisher", "dataset", "period", "geography", "licence", "attribution", "url")
ATTRIBUTIONS = (
    "Contains public sector information licensed under the Open Government Licence v3.0.",
    "Contains OS data © Crown copyright and database right.",
    "Contains National Statistics data © Crown copyright and database right.",
    "Contains Royal Mail data © Royal Mail copyright and database right (postcode lookup).",
    "FixMyStreet data © mySociety, ODC-By 1.0.",
    "Contains Coventry City Council data.",
)


def read_manifest(path: Path) -> pd.DataFrame:
    """The sources manifest (``data/sources.csv``), checked for its columns."""
    return read_csv(path, MANIFEST_COLUMNS, label="data/sources.csv")


def indicator_sources(registry: dict[str, Indicator]) -> pd.DataFrame:
    """One row per indicator: what it is, its period, source, licence, method and caveat."""
    frame = registry_frame(registry)
    return frame[["theme", "label", "unit", "period", "geography", "source", "licence", "method_text", "caveat"]]


def straddling_words(wards: pd.DataFrame) -> str:
    """How many neighbourhoods straddle ward boundaries, in words."""
    total, shared = int(wards["lsoa21_count"].sum()), int(wards["lsoa21_straddling"].sum())
    return (
        f"{shared} of Coventry's {total} neighbourhoods (2021 LSOAs) have homes in two wards. Each is counted wholly "
        "in the ward that holds most of its output areas (a best-fit lookup built from the ONS postcode lookup, "
        "August 2024), so figures for the wards that share them are close estimates rather than exact counts."
    )
