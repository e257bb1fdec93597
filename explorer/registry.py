"""The indicator registry: one row of ``data/registry/indicators.csv`` per indicator.

Adding an indicator of a kind the build already knows (a weighted mean, a
decile share, a rate, a count, a ratio of two counts, a figure its publisher
gives for wards) is adding a row, not code.
A ``count_ratio`` names its denominator column (``denominator_column``), in its
own file or, with ``denominator_file`` and ``denominator_code_column``, another.
"""

from __future__ import annotations

from dataclasses import dataclass, fields
from pathlib import Path

import pandas as pd

from geo.errors import DataError
from geo.validate import read_csv

POLARITIES = ("higher_is_worse", "higher_is_better", "neither")
GEOGRAPHIES = ("lsoa21", "lsoa11", "msoa11", "grid1km", "ward")
METHODS = ("mean", "decile1_share", "rate_per_1000_per_year", "small_area_only", "count", "count_ratio",
           "ward_published")
COUNT_METHODS = ("count", "count_ratio")
VALUE_TYPES = ("proportion", "rate", "other")  # as PHE's phe_sii value_type: 2, 1 and 0
INTERVALS = ("published", "wilson", "poisson", "none")
FAMILIES = ("", "imd25", "imd19", "imd15")
JUDGED = ("yes", "no")
NAMED_WEIGHTS = (
    "census2021",
    "iod25_total",
    "iod25_children",
    "iod25_older",
    "iod25_working",
    "iod19_total",
    "mye2019",
    "area",
)
REQUIRED_TEXT = ("id", "theme", "label", "unit", "polarity", "geography", "period", "file",
                 "code_column", "value_column", "method", "source", "licence", "method_text")


@dataclass(frozen=True)
class Indicator:
    """One indicator's metadata, exactly as held in the registry."""

    id: str
    theme: str
    label: str
    unit: str
    decimals: int
    polarity: str
    geography: str
    period: str
    file: str
    code_column: str
    value_column: str
    lower_column: str
    upper_column: str
    filter_column: str
    filter_values: str
    method: str
    weight: str
    scale: float
    small_area: str
    point_layer: str
    city_series: str
    source: str
    licence: str
    method_text: str
    caveat: str
    value_type: str
    interval: str
    ordering_family: str
    judged: str
    denominator_file: str
    denominator_code_column: str
    denominator_column: str

    def filters(self) -> dict[str, list[str]]:
        """Row filters: column -> accepted values.

        ``filter_column`` and ``filter_values`` hold one condition each per
        ``;``-separated part; accepted values within a condition are ``|``-separated.
        For a rate, the last condition names the period column (e.g. years).
        """
        if not self.filter_column:
            return {}
        columns = self.filter_column.split(";")
        values = self.filter_values.split(";")
        return {c: v.split("|") for c, v in zip(columns, values, strict=True)}

    @property
    def denominator_source(self) -> tuple[str, str]:
        """File and code column the denominator of a ``count_ratio`` is read from (default: the indicator's own)."""
        return self.denominator_file or self.file, self.denominator_code_column or self.code_column

    @property
    def on_ward_map(self) -> bool:
        """Whether the indicator has ward values (and so is offered on the ward map)."""
        return self.method != "small_area_only"

    @property
    def ward_published(self) -> bool:
        """Whether the publisher gives the figure for wards (``geography`` ``ward``): no small areas are held.

        Such a figure is shown only for a ward that is the same ward in the publisher's set and the set shown;
        it has no neighbourhood layer and no gap between deprived and affluent neighbourhoods.
        """
        return self.method == "ward_published"

    @property
    def has_ci(self) -> bool:
        """Whether the source gives 95% confidence limits."""
        return bool(self.lower_column and self.upper_column)

    @property
    def has_interval(self) -> bool:
        """Whether ward and city values carry 95% intervals (published, or Wilson or exact Poisson computed here)."""
        return self.interval != "none"

    @property
    def is_judged(self) -> bool:
        """Whether the app may call a value better or worse (``judged = no``: only higher or lower)."""
        return self.judged == "yes" and self.polarity != "neither"

    @property
    def per(self) -> float:
        """What a ratio of counts is multiplied by: value = numerator / denominator x ``per``.

        1,000 for a rate per 1,000 residents a year; otherwise the registry's ``scale`` (100 for "per 100
        addresses" or a percentage).
        """
        return 1000.0 if self.method == "rate_per_1000_per_year" else float(self.scale)

    @property
    def is_count(self) -> bool:
        """A bare count (people, households) with nothing to divide by: described, never ranked or judged."""
        return self.method == "count"

    @property
    def small_area_id(self) -> str:
        """The indicator whose small-area values the drill-down layer shows."""
        return self.small_area or self.id

    @property
    def direction_words(self) -> str:
        """Plain words for what a darker colour means."""
        if self.polarity == "neither":
            return "darker = higher"
        if self.theme.startswith("Deprivation"):
            return "darker = more deprived"
        return "darker = worse"


def load_registry(path: Path) -> dict[str, Indicator]:
    """Read and check the registry.

    Parameters
    ----------
    path : Path
        The registry CSV.

    Returns
    -------
    dict
        Indicators by id, in file order.
    """
    names = [f.name for f in fields(Indicator)]
    frame = read_csv(path, names)
    frame = frame.fillna("")
    out: dict[str, Indicator] = {}
    for i, row in enumerate(frame.to_dict("records"), start=1):
        for col in REQUIRED_TEXT:
            if not str(row[col]).strip():
                raise DataError(str(path), "value is required", row=i, column=col)
        if row["id"] in out:
            raise DataError(str(path), f"duplicate indicator id '{row['id']}'", row=i, column="id")
        checks = (("polarity", POLARITIES), ("geography", GEOGRAPHIES), ("method", METHODS),
                  ("value_type", VALUE_TYPES), ("interval", INTERVALS), ("ordering_family", FAMILIES),
                  ("judged", JUDGED))
        for col, allowed in checks:
            if row[col] not in allowed:
                raise DataError(str(path), f"'{row[col]}' is not one of {allowed}", row=i, column=col)
        _check_counts(row, path, i)
        if (row["method"] == "ward_published") != (row["geography"] == "ward"):
            raise DataError(str(path), "a figure published for wards has geography 'ward' and method "
                            "'ward_published' (and only it)", row=i, column="method")
        weight = row["weight"]
        needs_weight = row["method"] not in ("small_area_only", "ward_published")
        if needs_weight and not (weight in NAMED_WEIGHTS or weight.startswith("column:")):
            raise DataError(
                str(path), f"weight '{weight}' is not one of {NAMED_WEIGHTS} or 'column:NAME'",
                row=i, column="weight",
            )
        if (weight == "area") != (row["geography"] == "grid1km") and needs_weight:
            raise DataError(str(path), "area weighting is for grid data only", row=i, column="weight")
        if row["filter_column"].count(";") != row["filter_values"].count(";"):
            raise DataError(str(path), "give one set of filter_values per filter_column (';'-separated)",
                            row=i, column="filter_values")
        if bool(row["lower_column"]) != bool(row["upper_column"]):
            raise DataError(str(path), "give both confidence limits or neither", row=i, column="lower_column")
        if (row["interval"] == "published") != bool(row["lower_column"]):
            raise DataError(str(path), "interval 'published' needs lower_column and upper_column (and only it "
                            "uses them)", row=i, column="interval")
        if row["value_type"] == "proportion" and not row["unit"].startswith("%"):
            raise DataError(str(path), "a proportion is held as a percentage: its unit must start with '%'",
                            row=i, column="unit")
        if row["interval"] == "wilson" and row["value_type"] != "proportion":
            raise DataError(str(path), "Wilson intervals are for proportions (value_type 'proportion')", row=i,
                            column="interval")
        if row["interval"] == "poisson" and row["method"] not in ("rate_per_1000_per_year", "count_ratio"):
            raise DataError(str(path), "exact Poisson intervals need counts: method 'rate_per_1000_per_year' "
                            "or 'count_ratio'", row=i, column="interval")
        if row["interval"] == "wilson" and row["method"] not in ("mean", "count_ratio"):
            raise DataError(str(path), "Wilson intervals need a numerator and denominator: method 'mean' (with "
                            "a population weight) or 'count_ratio'", row=i, column="interval")
        try:
            decimals = int(row["decimals"])
            scale = float(row["scale"] or 1)
        except ValueError:
            raise DataError(str(path), "decimals and scale must be numbers", row=i, column="decimals") from None
        out[row["id"]] = Indicator(**{**row, "decimals": decimals, "scale": scale})
    for i, ind in enumerate(out.values(), start=1):
        if ind.small_area and ind.small_area not in out:
            raise DataError(str(path), f"small_area '{ind.small_area}' is not an indicator id", row=i,
                            column="small_area")
    return out


def _check_counts(row: dict, path: Path, i: int) -> None:
    """A count-based indicator names its denominator (``count_ratio`` only) and a population to split areas by."""
    method = row["method"]
    if method == "count_ratio" and not row["denominator_column"]:
        raise DataError(str(path), "a count_ratio needs the denominator_column it divides by", row=i,
                        column="denominator_column")
    if method != "count_ratio" and (row["denominator_column"] or row["denominator_file"]):
        raise DataError(str(path), f"only a count_ratio has a denominator; this row's method is '{method}'", row=i,
                        column="denominator_column")
    if bool(row["denominator_file"]) != bool(row["denominator_code_column"]):
        raise DataError(str(path), "give denominator_file and denominator_code_column together (or neither)",
                        row=i, column="denominator_file")
    if method in COUNT_METHODS and not (row["weight"] in NAMED_WEIGHTS and row["weight"] != "area"):
        raise DataError(str(path), "counts are split between wards by a named population weight, "
                        f"one of {NAMED_WEIGHTS[:-1]}", row=i, column="weight")


def registry_frame(registry: dict[str, Indicator]) -> pd.DataFrame:
    """The registry as a table (for display and export)."""
    return pd.DataFrame([vars(ind) for ind in registry.values()])
