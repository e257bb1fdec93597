"""Child poverty, Universal Credit and garden access: reconciled with the publishers' own totals,
two wards worked by hand from the raw MSOA figures, and bad rows named.

Ward values come from MSOAs: each MSOA's counts are split between the wards it shares in proportion to the
population of the LSOAs it shares with each ward (children aged 0-15, IoD 2025 mid-2022, for child counts;
Census 2021 residents otherwise); a ratio divides the ward's summed numerator by its summed denominator.
"""

import json

import pandas as pd
import pytest

from explorer.pipeline.build import build
from explorer.pipeline.dwp import period_label
from explorer.registry import load_registry
from geo.errors import DataError
from tests.conftest import DATA, PROCESSED

CILIF = "indicators/economy/coventry_dwp_cilif_relative_children_msoa_2014-15_to_2021-22.csv"
UC = "indicators/economy/coventry_dwp_households_on_universal_credit_msoa_monthly_2015-08_to_2023-11.csv"
GARDEN = "environment/green_space/garden_access/ons_msoa11_access_to_garden_space_apr2020_coventry.csv"
GARDEN_LA = "environment/green_space/garden_access/ons_lad_access_to_garden_space_apr2020_coventry.csv"
FOLESHILL, WAINBODY, CITY = "E05001222", "E05001231", "E08000026"  # most and least deprived wards (IMD 2025)

# DWP's own Coventry rows (Stat-Xplore LA extracts in MatteoLarrode/ChildrenLowIncomeHouseholdsUK @97e9834,
# inst/extdata/children_relative_low_income_ltla_14-22.csv and households_on_UC_ltla_15-22.csv).
CILIF_LA = {"2014-15": 15026, "2015-16": 17669, "2016-17": 18030, "2017-18": 19198, "2018-19": 19204,
            "2019-20": 21506, "2020-21": 20452, "2021-22 (provisional)": 22282}
UC_LA = [7, 11, 17, 15, 33, 247, 467, 643, 805, 916, 1058, 1212, 1340, 1423, 1558, 1615, 1631, 1670, 1770, 1776,
         1812, 1800, 1836, 1863, 1905, 1936, 1947, 1971, 1998, 1961, 1890, 1818, 1734, 1671, 1574, 1617, 2618, 3643,
         4634, 5415, 6214, 6791, 7826, 8457, 9166, 9680, 10399, 10971, 11489, 12207, 12767, 13335, 13718, 14067,
         14849, 15661, 21323, 24332, 25456, 26262, 27332, 28154, 28726, 29465, 29901, 30414, 30918, 31015, 30922,
         30911, 30954, 30889, 30823, 30567, 30289, 30157, 30095, 29939, 30006, 30154, 30470, 30605, 30898, 31486,
         31705, 31832, 31796, 32096, 32454, 35213]  # August 2015 to December 2022, then November 2023
UC_MONTHS = [f"{y}-{m:02d}" for y in range(2015, 2023) for m in range(1, 13) if (y, m) >= (2015, 8)]
UC_LA_BY_MONTH = dict(zip([*UC_MONTHS, "2023-11 (provisional)"], UC_LA, strict=True))
# Disclosure control perturbs every cell, so MSOA sums differ from the LA row by a little: the largest
# differences in these files are 36 children (FYE 2016) and 32 households (September 2022).
CILIF_TOLERANCE, UC_TOLERANCE = 40, 35


@pytest.fixture(scope="module")
def values():
    return pd.read_csv(PROCESSED / "values.csv", dtype={"code": str}).set_index(["indicator", "geography", "code"])


@pytest.fixture(scope="module")
def series():
    return pd.read_csv(PROCESSED / "series.csv")


def row(values, indicator, geography, code):
    return values.loc[(indicator, geography, code)]


# --- city totals reconcile with the publishers' own Coventry rows -------------------------------------------

def test_child_poverty_city_total_is_the_msoa_sum_and_matches_dwp_la_row(values, series):
    city = row(values, "cilif_children", "city", CITY)
    assert city["value"] == city["numerator"] == 22_286  # sum of the 42 MSOAs, FYE 2022 (provisional)
    trend = series[series["series"] == "cilif_children"].set_index("period")["value"]
    assert list(trend.index) == list(CILIF_LA)  # FYE 2015 to FYE 2022, every year
    for period, la in CILIF_LA.items():
        assert abs(trend[period] - la) <= CILIF_TOLERANCE, period
    assert trend["2021-22 (provisional)"] - CILIF_LA["2021-22 (provisional)"] == 4


def test_universal_credit_city_total_matches_dwp_la_row_every_month_shown(values, series):
    city = row(values, "uc_households", "city", CITY)
    assert city["numerator"] == 35_214 and city["denominator"] == 150_559
    assert city["value"] == pytest.approx(100 * 35_214 / 150_559)
    trend = series[series["series"] == "uc_households"].set_index("period")["value"]
    # Months where any MSOA is ".." (nil or negligible) are left out, never summed partially.
    assert trend.index[0] == "2016-04" and trend.index[-1] == "2023-11 (provisional)" and len(trend) == 82
    for period, total in trend.items():
        assert abs(total - UC_LA_BY_MONTH[period]) <= UC_TOLERANCE, period
    assert trend["2023-11 (provisional)"] == 35_214  # DWP's LA row: 35,213


def test_garden_msoa_sums_equal_the_ons_coventry_row_exactly(values):
    la = pd.read_csv(DATA / "raw" / GARDEN_LA).set_index("sheet")
    coventry = la.loc["LAD gardens"]
    for indicator, prefix, published in (("garden_all", "Total", 0.852), ("garden_flats", "Flats", 0.449)):
        assert row(values, indicator, "city", CITY)["value"] == pytest.approx(published * 100)  # ONS's own figure
        city = row(values, indicator, "city_computed", CITY)  # the sum of the 42 MSOAs, beside it
        assert city["numerator"] == coventry[f"{prefix}: Adress with private outdoor space count"]
        assert city["denominator"] == coventry[f"{prefix}: Address count"]
        assert round(city["value"] / 100, 3) == coventry[f"{prefix}: Percentage of adresses with private outdoor space"]
        assert round(city["value"] / 100, 3) == published


def test_england_garden_comparators_are_ons_own_rows(values):
    assert row(values, "garden_all", "england", "E92000001")["value"] == pytest.approx(88.4)
    assert row(values, "garden_flats", "england", "E92000001")["value"] == pytest.approx(64.5)


def test_ward_counts_add_up_to_the_city(values):
    for indicator in ("cilif_children", "uc_households", "garden_all", "garden_flats"):
        wards = values.loc[(indicator, "ward")]
        geography = "city_computed" if indicator.startswith("garden") else "city"
        city = row(values, indicator, geography, CITY)
        assert len(wards) == 18 and wards["value"].notna().all()
        assert wards["numerator"].sum() == pytest.approx(city["numerator"])
        if indicator != "cilif_children":
            assert wards["denominator"].sum() == pytest.approx(city["denominator"])


# --- two wards worked by hand from the raw MSOA figures and the lookup's populations -------------------------
# Foleshill = Foleshill West (E02001966) + Foleshill East (E02001972), both whole,
#             + Little Heath (E02001962): 3,403 of its 7,210 Census 2021 residents (892 of 1,788 children 0-15).
# Wainbody  = Cannon Park & University (E02001999), whole,
#             + Stivichall & Finham (E02001997): 2,124 of 8,512 residents (363 of 1,489 children),
#             + Finham Park (E02001998): 4,651 of 6,038 residents (885 of 1,136 children).

def test_foleshill_by_hand(values):
    little_heath = 3403 / 7210
    children = 1242 + 1848 + 805 * 892 / 1788  # CiLIF FYE 2022: 1,242 + 1,848 + 805 split by children
    assert row(values, "cilif_children", "ward", FOLESHILL)["value"] == pytest.approx(children)
    assert round(children) == 3492
    addresses = 2473 + 4298 + 2625 * little_heath
    uc = 1190 + 2093 + 1020 * little_heath  # households on UC, November 2023
    assert row(values, "uc_households", "ward", FOLESHILL)["value"] == pytest.approx(100 * uc / addresses)
    assert round(100 * uc / addresses, 1) == 47.0
    gardens = 2291 + 3703 + 2570 * little_heath
    assert row(values, "garden_all", "ward", FOLESHILL)["value"] == pytest.approx(100 * gardens / addresses)
    assert round(100 * gardens / addresses, 1) == 90.0
    flats, flat_gardens = 454 + 1166 + 242 * little_heath, 295 + 641 + 205 * little_heath
    assert row(values, "garden_flats", "ward", FOLESHILL)["value"] == pytest.approx(100 * flat_gardens / flats)
    assert round(100 * flat_gardens / flats, 1) == 59.6


def test_wainbody_by_hand(values):
    stivichall, finham = 2124 / 8512, 4651 / 6038
    children = 89 + 159 * 363 / 1489 + 139 * 885 / 1136
    assert row(values, "cilif_children", "ward", WAINBODY)["value"] == pytest.approx(children)
    assert round(children) == 236
    addresses = 6333 + 3521 * stivichall + 2469 * finham
    uc = 191 + 277 * stivichall + 194 * finham
    assert row(values, "uc_households", "ward", WAINBODY)["value"] == pytest.approx(100 * uc / addresses)
    assert round(100 * uc / addresses, 1) == 4.5
    gardens = 2186 + 3275 * stivichall + 2445 * finham  # the campus's 6,333 addresses pull the ward down
    assert round(row(values, "garden_all", "ward", WAINBODY)["value"], 1) == round(100 * gardens / addresses, 1) == 53.6


def test_numerators_and_denominators_are_kept_for_every_msoa(values):
    for indicator in ("uc_households", "garden_all", "garden_flats"):
        msoas = values.loc[(indicator, "msoa11")]
        assert len(msoas) == 42 and msoas[["numerator", "denominator"]].notna().all().all()
        assert msoas["value"].to_numpy() == pytest.approx((100 * msoas["numerator"] / msoas["denominator"]).to_numpy())


# --- what the registry says about them ----------------------------------------------------------------------

def test_child_poverty_is_a_count_of_children_aged_0_to_19_never_a_rate(registry):
    ind = registry["cilif_children"]
    assert ind.method == "count" and ind.unit == "children" and "0-19" in ind.label
    assert "2,989,006" in ind.method_text and "aged 0 to 19" in ind.method_text  # how the band was established
    assert ind.judged == "no" and ind.value_type == "other" and ind.polarity == "neither"


def test_universal_credit_says_what_it_is_divided_by(registry):
    ind = registry["uc_households"]
    assert ind.unit == "households per 100 addresses" and "residential addresses" in ind.label
    assert "Not a share of households" in ind.caveat and ind.judged == "no"
    assert ind.denominator_source == (GARDEN, "MSOA code")


def test_planned_columns_are_filled_for_the_new_rows(registry):
    expected = {"cilif_children": ("other", "none", "imd25", "no"), "uc_households": ("rate", "poisson", "imd25", "no"),
                "garden_all": ("proportion", "wilson", "", "yes"), "garden_flats": ("proportion", "wilson", "", "yes")}
    for key, columns in expected.items():
        ind = registry[key]
        assert (ind.value_type, ind.interval, ind.ordering_family, ind.judged) == columns, key


def test_each_joins_its_plan_priority():
    priorities = pd.read_csv(DATA / "registry" / "priorities.csv").set_index("id")["indicators"].str.split("|")
    assert {"uc_households", "cilif_children"} <= set(priorities["economy"])
    assert "cilif_children" in priorities["communities"]
    assert {"garden_all", "garden_flats"} <= set(priorities["climate"])


def test_stat_xplore_period_columns():
    assert period_label("2014/15") == "2014-15"
    assert period_label("December 2022 (r)") == "2022-12"
    assert period_label("November 2023 (p)") == "2023-11 (provisional)"
    assert period_label("November 2023 - Annotations") is None and period_label("MSOAHCLNM") is None


def test_raw_files_are_recorded_in_the_build():
    info = json.loads((PROCESSED / "build_info.json").read_text())
    assert {CILIF, UC, GARDEN, GARDEN_LA} <= set(info["raw_files"])


# --- a bad row or column in each new raw file is named -------------------------------------------------------

def corrupt_cell(data, rel, code, column, new):
    path = data / "raw" / rel
    frame = pd.read_csv(path, dtype=str, keep_default_na=False)
    code_column = frame.columns[frame.isin([code]).any()][0]
    where = frame[code_column] == code
    frame.loc[where, column] = new
    frame.to_csv(path, index=False)
    return int(frame.index[where][0]) + 1


@pytest.mark.slow  # a build each
@pytest.mark.parametrize(("rel", "code", "column", "new", "problem"), [
    (CILIF, "E02001972", "2021/22 (p)", "n/a", "'n/a' is not a number"),
    (CILIF, "E02001966", "2016/17", "-3", "'-3' is a negative count"),
    (CILIF, "E02001981", "MSOA11CD_joined_on_name", "E0200X981", "'E0200X981' is not a valid msoa code"),
    (UC, "E02001964", "November 2023 (p)", "1.852.0", "'1.852.0' is not a number"),
    (UC, "E02001988", "March 2019", "lots", "'lots' is not a number"),  # a month only the city trend uses
    (GARDEN, "E02001999", "Total: Address count", "six thousand", "'six thousand' is not a number"),
    (GARDEN, "E02001985", "Flats: Adress with private outdoor space count", "-1", "'-1' is a negative count"),
    (GARDEN_LA, "Country gardens", "Flats: Percentage of adresses with private outdoor space", "64.5%",
     "'64.5%' is not a number"),
])
def test_bad_cell_is_named_by_file_row_and_column(data_copy, tmp_path, rel, code, column, new, problem):
    line = corrupt_cell(data_copy, rel, code, column, new)
    if rel == GARDEN_LA:
        line = 3  # the England row of sheet "Country gardens" (GB is row 2)
    with pytest.raises(DataError) as caught:
        build(data_copy, tmp_path / "out")
    error = caught.value
    assert error.file == f"data/raw/{rel}" and error.row == line and error.column == column, str(error)
    assert problem in error.problem
    assert not (tmp_path / "out").exists()


@pytest.mark.slow  # a build
def test_missing_denominator_column_is_named(data_copy, tmp_path):
    path = data_copy / "raw" / GARDEN
    path.write_text(path.read_text(encoding="utf-8").replace("Total: Address count", "Total: Addresses", 1),
                    encoding="utf-8")
    with pytest.raises(DataError, match=r"ons_msoa11_access_to_garden_space_apr2020_coventry.csv, column "
                                        r"'Total: Address count': missing required column"):
        build(data_copy, tmp_path / "out")


@pytest.mark.slow  # a build
def test_a_missing_msoa_leaves_its_wards_and_the_city_with_no_value(data_copy, tmp_path):
    corrupt_cell(data_copy, CILIF, "E02001962", "2021/22 (p)", "..")  # Little Heath: Foleshill and Longford
    out = tmp_path / "out"
    build(data_copy, out)
    values = pd.read_csv(out / "values.csv", dtype={"code": str})
    wards = values.query("indicator == 'cilif_children' and geography == 'ward'").set_index("code")["value"]
    assert wards.isna().sum() == 2 and wards[[FOLESHILL, "E05001225"]].isna().all()
    assert values.query("indicator == 'cilif_children' and geography == 'city'")["value"].isna().all()


def test_registry_count_ratio_without_denominator_is_named(tmp_path):
    frame = pd.read_csv(DATA / "registry" / "indicators.csv", dtype=str, keep_default_na=False)
    frame.loc[frame["id"] == "garden_all", "denominator_column"] = ""
    path = tmp_path / "indicators.csv"
    frame.to_csv(path, index=False)
    line = int(frame.index[frame["id"] == "garden_all"][0]) + 1
    with pytest.raises(DataError, match=rf"row {line}, column 'denominator_column': a count_ratio needs"):
        load_registry(path)


def test_registry_unknown_interval_is_named(tmp_path):
    frame = pd.read_csv(DATA / "registry" / "indicators.csv", dtype=str, keep_default_na=False)
    frame.loc[frame["id"] == "uc_households", "interval"] = "byars"
    path = tmp_path / "indicators.csv"
    frame.to_csv(path, index=False)
    with pytest.raises(DataError, match=r"column 'interval': 'byars' is not one of"):
        load_registry(path)
