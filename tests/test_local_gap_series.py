"""Is the gap narrowing? A local pack's own gaps over time: Coventry's NO2 tubes (2011-2024) and FixMyStreet
fly-tipping reports (2007-2020), built by `make data` into the pack's ``gap_series`` part and read by the place.

The golden figures are worked here by a separate, simple calculation from the raw files (not through the build's
code): Coventry's tube sites measured in 2024, each placed by the IMD 2025 score of its 2021 LSOA (MHCLG's File 7),
cut into fifths of sites, each fifth the mean of its sites, and the slope index by weighted least squares, with its
95% interval by the delta method (a normal approximation beside phe_sii's 100,000 simulations).
"""

import math
import shutil

import numpy as np
import pandas as pd
import pytest

from explorer.models import gap_time
from explorer.pipeline.local_gap_series import load_local_series
from explorer.places.pack import read_pack
from geo.errors import DataError
from tests.conftest import DATA, PACKS

RAW = DATA / "raw"
TUBES = "no2_tubes"
REPORTS = "fms_flytipping_years"


@pytest.fixture(scope="module")
def rows():
    """Coventry's pack's own gap-over-time rows, as the build left them."""
    table = read_pack(PACKS / "coventry").table("gap_series.csv")
    return table.assign(period=table["period"].astype(str))


def _tubes_2024_by_hand() -> dict:
    means = pd.read_csv(RAW / "council" / "coventry_no2_diffusion_tube_annual_means_2011_2024.csv")
    means = means[(means["year"] == 2024) & means["no2_annual_mean_ugm3"].notna()]
    sites = pd.read_csv(RAW / "council" / "coventry_no2_diffusion_tube_sites.csv").set_index("tube_id")
    imd = pd.read_csv(RAW / "indicators" / "iod2025" / "coventry_iod2025_file7_lsoa21.csv").set_index(
        "LSOA code (2021)")["Index of Multiple Deprivation (IMD) Score"]
    frame = pd.DataFrame({"tube": means["tube_id"], "no2": means["no2_annual_mean_ugm3"].astype(float)})
    frame["score"] = frame["tube"].map(sites["derived_lsoa21cd"]).map(imd)
    frame = frame.dropna().sort_values(["score", "tube"], ascending=[False, True], ignore_index=True)
    n = len(frame)
    frame["fifth"] = [min(int((i + 0.5) / n * 5), 4) + 1 for i in range(n)]  # each site counts once
    groups = frame.groupby("fifth")["no2"]
    mean, count = groups.mean(), groups.size()
    se = groups.std(ddof=1) / np.sqrt(count)
    share = count / n
    rank = share.cumsum() - share / 2
    centre = (share * rank).sum()
    denominator = (share * (rank - centre) ** 2).sum()
    slope = (share * (rank - centre) * mean).sum() / denominator
    slope_se = math.sqrt(((share * (rank - centre) / denominator) ** 2 * se**2).sum())
    # Most deprived (rank 0) minus least deprived (rank 1): the negative of the slope along the rank.
    return {"areas": n, "most": mean.iloc[0], "least": mean.iloc[-1], "sii": -slope,
            "lower": -slope - 1.959964 * slope_se, "upper": -slope + 1.959964 * slope_se}


def test_coventry_tube_gap_in_2024_golden_by_hand(rows):
    hand = _tubes_2024_by_hand()
    got = rows[(rows["series"] == TUBES)].set_index("period").loc["2024"]
    assert got["areas"] == hand["areas"] == 73
    assert got["most_deprived"] == pytest.approx(hand["most"], rel=1e-9)
    assert got["least_deprived"] == pytest.approx(hand["least"], rel=1e-9)
    assert got["sii"] == pytest.approx(hand["sii"], rel=1e-9)
    half = (hand["upper"] - hand["lower"]) / 2
    assert got["sii_lower"] == pytest.approx(hand["lower"], abs=0.05 * half)
    assert got["sii_upper"] == pytest.approx(hand["upper"], abs=0.05 * half)
    # Worked figures (µg/m³), so a change of method shows here first.
    assert (round(got["most_deprived"], 2), round(got["least_deprived"], 2), round(got["sii"], 2)) == (
        24.78, 18.01, 9.57)


def test_each_series_holds_every_time_its_file_holds_with_the_ordering_named(rows):
    tubes = rows[rows["series"] == TUBES].sort_values("order")
    reports = rows[rows["series"] == REPORTS].sort_values("order")
    assert list(tubes["period"]) == [str(y) for y in range(2011, 2025)]
    assert list(reports["period"]) == [str(y) for y in range(2007, 2021)]
    assert tubes["ordering"].str.contains("IMD 2025").all() and (tubes["edition"] == "IMD 2025").all()
    assert reports["ordering"].str.contains("IMD 2019").all() and (reports["edition"] == "IMD 2019").all()
    assert list(tubes["areas"].iloc[[0, -1]]) == [36, 73]  # the sites measured change from year to year
    assert (reports["areas"] == 195).all()  # every 2011 LSOA, a year with no report counting as none reported


def test_both_local_series_are_described_never_judged(rows):
    for key in (TUBES, REPORTS):
        part = rows[rows["series"] == key].sort_values("order")
        assert (part["rule"] == "described").all()
        assert (part["change"].iloc[:-1] == "").all()  # the change is on the last row only
        assert part["change"].iloc[-1] == "rose"
        assert part["change_basis"].iloc[-1].startswith("described, not judged")


def test_the_reports_are_rates_with_exact_poisson_intervals_where_a_rate_can_have_one(rows):
    reports = rows[rows["series"] == REPORTS].set_index("period")
    last = reports.loc["2020"]
    assert last["sii_lower"] <= last["sii"] <= last["sii_upper"]
    early = reports.loc["2007"]  # 2 reports in the year: a fifth with none has no log-scale interval
    assert math.isnan(early["sii_lower"]) and "No SII interval" in early["note"]


def test_the_place_reads_the_packs_series_and_shows_them_with_their_indicators():
    from explorer.places import PlaceKey, Sources, open_place

    missing = DATA / "no_store_here"
    place = open_place(PlaceKey("E08000026", str(missing), str(PACKS)), Sources(missing, PACKS))
    assert gap_time.series_of(place, "no2_background") == TUBES
    assert gap_time.series_of(place, "iod_air_quality") == TUBES
    assert gap_time.series_of(place, "flytipping_fms") == REPORTS
    assert gap_time.label_of(place, TUBES).startswith("Roadside nitrogen dioxide")
    view = gap_time.gap_over_time(place, TUBES)
    assert "Coventry's most and least deprived tube sites rose by" in view.sentence
    assert "fifths of that year's sites" in view.method and "Source: Coventry City Council" in view.method
    frame = pd.read_csv(pd.io.common.BytesIO(gap_time.gap_time_csv(view, "Coventry")), encoding="utf-8-sig")
    assert len(frame) == 14 and frame["ordering"].str.contains("IMD 2025").all()
    assert any("tube sites ordered by IMD 2025" in line for line in gap_time.rule_lines(place))


def test_a_bad_registry_row_is_named(tmp_path):
    shutil.copytree(DATA / "registry", tmp_path / "registry")
    path = tmp_path / "registry" / "local_gap_series.csv"
    frame = pd.read_csv(path, keep_default_na=False)
    frame.loc[1, "rule"] = "judged"
    frame.to_csv(path, index=False)
    with pytest.raises(DataError, match=r"local_gap_series\.csv, row 2, column 'rule'"):
        load_local_series(tmp_path)
    frame.loc[1, ["rule", "series"]] = ["described", "no2_tubez"]
    frame.to_csv(path, index=False)
    with pytest.raises(DataError, match=r"row 2, column 'series'.*no2_tubez"):
        load_local_series(tmp_path)
