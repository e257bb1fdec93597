"""National themes built for every authority: child poverty after housing costs (DWP, by ward).

DWP publishes the share of children under 16 in relative low income after housing costs for the May 2024 wards
and for local authorities (FYE 2024 and FYE 2025). The national build takes a ward's figure only where the May 2025
ward shown has the same code, says why a ward has none, and uses DWP's own authority figure. The expected figures
below were read by hand from DWP's tables (data/raw/national/england_dwp_cilif_ahc_children_under16_*.csv).
"""

import math
import shutil

import pandas as pd
import pytest

from explorer.models.citymap import summary_sentence, ward_display_table, ward_table
from explorer.pipeline.authorities import NationalStore
from explorer.pipeline.national import build
from explorer.places import PlaceKey, Sources, open_place
from explorer.stats.gaps import gap_results
from geo.errors import DataError
from tests.conftest import BIRMINGHAM, CITY_OF_LONDON, CORNWALL, COVENTRY, DATA, FIVE, SCILLY

FYE25, FYE24 = "child_poverty_ahc", "child_poverty_ahc_fye2024"


@pytest.fixture(scope="module")
def store(national_built):
    return NationalStore(national_built[0], cache_size=len(FIVE))


def ward_rows(store, code: str, key: str = FYE25) -> pd.DataFrame:
    a = store.authority(code)
    rows = a.values[(a.values["indicator"] == key) & (a.values["geography"] == "ward")]
    return rows.assign(name=rows["code"].map(a.names)).set_index("name")


def authority_value(store, code: str, key: str = FYE25) -> pd.Series:
    a = store.authority(code)
    rows = a.values[(a.values["indicator"] == key) & (a.values["geography"] == "city")]
    assert len(rows) == 1, rows
    return rows.iloc[0]


def test_coventry_golden_through_its_place(national_built):
    """Coventry's pack shows its own 2004-2026 wards; they are the May 2025 wards, so DWP's figures carry over."""
    place = open_place(PlaceKey(COVENTRY, str(national_built[0]), str(DATA / "packs")),
                       Sources(national_built[0], DATA / "packs"))
    assert FYE25 in place.registry and FYE24 in place.registry
    v = place.values[place.values["indicator"] == FYE25]
    ward = v[v["geography"] == "ward"].assign(name=lambda f: f["code"].map(place.names)).set_index("name")["value"]
    assert len(ward) == 18 and ward.notna().all()
    assert (ward["Foleshill"], ward["Wainbody"], ward["St Michael's"]) == (49.0, 8.9, 45.0)
    authority = v[v["geography"] == "authority"]
    assert authority["value"].tolist() == [32.2] and authority["note"].iloc[0].startswith("DWP's own figure")
    old = place.values[(place.values["indicator"] == FYE24) & (place.values["geography"] == "authority")]
    assert old["value"].tolist() == [32.6]


def test_two_other_authorities_by_hand(store):
    birmingham = ward_rows(store, BIRMINGHAM)
    assert birmingham.loc["Alum Rock", "value"] == 66.0 and birmingham.loc["Acocks Green", "value"] == 45.1
    assert ward_rows(store, BIRMINGHAM, FYE24).loc["Alum Rock", "value"] == 65.5
    assert birmingham["value"].notna().all() and len(birmingham) == 69
    assert authority_value(store, BIRMINGHAM)["value"] == 44.4
    cornwall = ward_rows(store, CORNWALL)
    assert cornwall.loc["Redruth North", "value"] == 42.8 and cornwall.loc["St Agnes", "value"] == 16.3
    assert authority_value(store, CORNWALL)["value"] == 28.5
    assert authority_value(store, CORNWALL, FYE24)["value"] == 27.9


def test_a_redrawn_ward_gets_no_figure_and_says_why(store):
    """Liskeard Central was redrawn in May 2025 (E05013302 -> E05016235): DWP's 38.5% is for the old ward."""
    cornwall = ward_rows(store, CORNWALL)
    assert cornwall.loc["Liskeard Central", "code"] == "E05016235"
    assert math.isnan(cornwall.loc["Liskeard Central", "value"])
    assert cornwall.loc["Liskeard Central", "note"].startswith("redrawn in May 2025")
    assert cornwall["value"].notna().sum() == 85
    assert "85 of its 87 May 2025 wards have DWP's ward figure" in authority_value(store, CORNWALL)["note"]
    a = store.authority(CORNWALL)
    sentence = summary_sentence(ward_table(a.values, a.wards, a.registry[FYE25], a.name), a.registry[FYE25])
    assert "2 wards have no figure (Liskeard Central and St Cleer & Menheniot): redrawn in May 2025" in sentence
    shown = ward_display_table(ward_table(a.values, a.wards, a.registry[FYE25], a.name), a.registry[FYE25])
    assert (shown["Why no figure"] != "").sum() == 2


def test_suppressed_and_unlisted_wards_say_so_and_the_authority_is_dwps(store):
    scilly = ward_rows(store, SCILLY)
    assert scilly["value"].isna().all()
    assert scilly.loc["Tresco", "note"].startswith("suppressed by the publisher")
    assert scilly.loc["Bryher", "note"].startswith("suppressed by the publisher")  # 6 children, but [x]
    assert scilly.loc["St Agnes", "note"] == "not in the publisher's table, which lists no figure for it"
    assert authority_value(store, SCILLY)["value"] == 11.5
    assert authority_value(store, CITY_OF_LONDON)["value"] == 15.0
    city = ward_rows(store, CITY_OF_LONDON)
    assert city["value"].isna().all() and (city["note"] != "").all()


def test_no_interval_no_england_figure_no_gap_and_never_joined_with_the_count(store):
    for code in FIVE:
        a = store.authority(code)
        mine = a.values[a.values["indicator"].isin([FYE25, FYE24])]
        assert mine["lower"].isna().all() and mine["upper"].isna().all()  # DWP's denominators are not held
        assert not (mine["geography"] == "england").any()  # DWP gives the UK, not England
        assert set(mine["geography"]) == {"ward", "city"}  # no neighbourhoods: published for wards only
        assert mine["value"].dropna().between(0, 100).all()
        reason = gap_results({FYE25: a.registry[FYE25]}, a.values, a.lookups, a.weights)[FYE25]
        assert isinstance(reason, str) and "published for wards only" in reason
        ind = a.registry[FYE25]
        assert ind.unit == "% of children under 16" and not ind.city_series and ind.interval == "none"
        assert "never joined with it into one trend" in ind.caveat


@pytest.fixture
def data_copy(tmp_path):
    target = tmp_path / "data"
    shutil.copytree(DATA, target, ignore=shutil.ignore_patterns("packs", "store"))
    return target


def test_a_ward_figure_without_the_publishers_authority_figures_is_refused(data_copy, tmp_path):
    path = data_copy / "registry" / "national_indicators.csv"
    frame = pd.read_csv(path, dtype=str, keep_default_na=False)
    row = int(frame.index[frame["id"] == FYE25][0])
    frame.loc[row, ["authority_file", "authority_code_column", "authority_value_column"]] = ""
    frame.to_csv(path, index=False)
    with pytest.raises(DataError) as err:
        build(data_copy, tmp_path / "store", only=[SCILLY])
    assert (err.value.row, err.value.column) == (row + 1, "authority_file")
    assert "none is computed here" in str(err.value)


def test_a_theme_that_repeats_a_coventry_indicator_is_refused(data_copy, tmp_path):
    path = data_copy / "registry" / "national_themes.csv"
    frame = pd.read_csv(path, dtype=str, keep_default_na=False)
    frame.loc[1, "id"] = "le_male"
    frame.to_csv(path, index=False)
    with pytest.raises(DataError) as err:
        build(data_copy, tmp_path / "store", only=[SCILLY])
    assert (err.value.file, err.value.row, err.value.column) == ("data/registry/national_themes.csv", 2, "id")


def test_a_bad_percentage_is_named_by_file_row_and_column(data_copy, tmp_path):
    rel = "national/england_dwp_cilif_ahc_children_under16_ward24_fye2024_fye2025.csv.gz"
    frame = pd.read_csv(data_copy / "raw" / rel, dtype=str, keep_default_na=False)
    frame.loc[2, "pct_children_fye2025"] = "about 30%"
    frame.to_csv(data_copy / "raw" / rel, index=False)
    with pytest.raises(DataError) as err:
        build(data_copy, tmp_path / "store", only=[SCILLY])
    assert (err.value.file, err.value.row, err.value.column) == (f"data/raw/{rel}", 3, "pct_children_fye2025")


# Universal Credit households per 100 residential addresses, and private outdoor space (ONS, April 2020), for every
# ward: the national MSOA files through the same registry rows and code as Coventry's pack (count_ratio, MSOA counts
# split between wards by the Census 2021 residents of the LSOAs each MSOA shares with each ward).
MSOA_THEMES = ("uc_households", "garden_all", "garden_flats")
UC = "national/england_dwp_households_on_universal_credit_msoa11_nov2023.csv.gz"
GARDENS = "national/england_ons_msoa11_access_to_garden_space_apr2020.csv.gz"


def test_universal_credit_households_over_englands_msoas_golden(national_built):
    values = pd.read_parquet(national_built[0] / "values.parquet", filters=[("indicator", "==", "uc_households")])
    msoa = values[values["geography"] == "msoa11"]
    assert len(msoa) == 6791 and msoa["numerator"].sum() == 4_654_051  # November 2023 (provisional)
    authorities = values[values["geography"] == "la"]
    assert len(authorities) == 296 and authorities["numerator"].sum() == 4_654_051  # nothing lost between wards
    assert authorities["note"].str.startswith("computed here: a ratio of summed counts").all()


def test_coventrys_figures_from_the_national_files_are_the_packs(store):
    """Coventry's MSOAs give the pack's authority figures exactly (the same counts, added up)."""
    pack = pd.read_csv(DATA / "packs/coventry/built/values.csv", dtype={"code": str})
    a = store.authority(COVENTRY)
    for key, (num, den) in {"uc_households": (35_214, 150_559), "garden_all": (128_206, 150_559),
                            "garden_flats": (17_218, 38_372)}.items():
        row = a.values[(a.values["indicator"] == key) & (a.values["geography"] == "city")].iloc[0]
        assert (row["numerator"], row["denominator"]) == (num, den), key
        mine = pack[(pack["indicator"] == key) & pack["geography"].isin(["city", "city_computed"])]
        assert row["value"] == pytest.approx(mine["value"].iloc[-1], abs=1e-6), key


def test_the_national_rows_run_through_coventrys_lookup_give_the_packs_ward_values():
    """Made exactly as Coventry's: the national registry rows, with the pack's own LSOA-to-ward lookup, give the
    pack's ward values, limits and counts. The store's Coventry wards differ from them only by the lookup (ONS's
    best fit of LSOAs to May 2025 wards, not the pack's majority of output areas)."""
    from explorer.pipeline.indicator_build import build_indicator
    from explorer.pipeline.inputs import Inputs
    from explorer.pipeline.national import national_registry

    built = DATA / "packs/coventry/built"
    lookups = pd.read_csv(built / "lookups.csv", dtype=str)
    lookup21 = lookups[lookups["geography"] == "lsoa21"].reset_index(drop=True)
    weights = pd.read_csv(built / "lsoa_weights.csv", dtype={"code": str})
    census = weights[weights["geography"] == "lsoa21"].set_index("code")["census2021"].astype(float)
    england = set(pd.read_csv(DATA / "raw" / GARDENS, dtype=str)["MSOA code"])
    ctx = {"msoa11": england, "lsoa21": set(lookup21["lsoa"]), "lsoa11": set(), "lookup21": lookup21,
           "lookup11": lookup21.iloc[:0], "weights": {"census2021": census}, "city": COVENTRY, "grid_links": None}
    registry = national_registry(DATA)
    pack = pd.read_csv(built / "values.csv", dtype={"code": str})
    for key in MSOA_THEMES:
        rows = pd.concat(build_indicator(registry[key], Inputs(DATA), ctx))
        mine = rows[rows["geography"] == "ward"].set_index("code").sort_index()
        theirs = pack[(pack["indicator"] == key) & (pack["geography"] == "ward")].set_index("code").sort_index()
        assert list(mine.index) == list(theirs.index) and len(mine) == 18, key
        for column in ("value", "lower", "upper", "numerator", "denominator"):
            assert mine[column].to_numpy() == pytest.approx(theirs[column].to_numpy(), rel=1e-6), (key, column)


def by_hand(ward: str, store, code: str, value_column: str, rel: str, code_column: str,
            denominator_column: str) -> tuple[float, float]:
    """A ward's count and denominator worked from the raw MSOA file and the store's lookups and Census weights."""
    a = store.authority(code)
    raw = pd.read_csv(DATA / "raw" / rel, dtype=str).set_index(code_column)
    dens = pd.read_csv(DATA / "raw" / GARDENS, dtype=str).set_index("MSOA code")[denominator_column]
    look = a.lookups[a.lookups["geography"] == "lsoa21"]
    w = a.weights[a.weights["geography"] == "lsoa21"].set_index("code")["census2021"]
    ward_code = {v: k for k, v in a.names.items()}[ward]
    num = den = 0.0
    for msoa in set(look.loc[look["ward"] == ward_code, "msoa"]):
        # An MSOA's residents across England (it may reach into another authority: none of these does).
        inside = look[look["msoa"] == msoa]
        share = w[inside.loc[inside["ward"] == ward_code, "lsoa"]].sum() / w[inside["lsoa"]].sum()
        num += float(raw.loc[msoa, value_column].replace(",", "")) * share
        den += float(dens[msoa].replace(",", "")) * share
    return num, den


@pytest.mark.parametrize(("code", "ward"), [(BIRMINGHAM, "Alum Rock"), (CORNWALL, "Redruth North")])
def test_one_ward_by_hand_in_two_other_authorities(store, code, ward):
    a = store.authority(code)
    ward_code = {v: k for k, v in a.names.items()}[ward]
    for key, (value_column, rel, code_column, den_column) in {
            "uc_households": ("November 2023 (p)", UC, "MSOA11CD", "Total: Address count"),
            "garden_all": ("Total: Adress with private outdoor space count", GARDENS, "MSOA code",
                           "Total: Address count"),
            "garden_flats": ("Flats: Adress with private outdoor space count", GARDENS, "MSOA code",
                             "Flats: Address count")}.items():
        num, den = by_hand(ward, store, code, value_column, rel, code_column, den_column)
        row = a.values[(a.values["indicator"] == key) & (a.values["code"] == ward_code)].iloc[0]
        assert (row["numerator"], row["denominator"]) == (pytest.approx(num), pytest.approx(den)), key
        assert row["value"] == pytest.approx(100 * num / den) and row["lower"] < row["value"] < row["upper"], key


def test_what_another_authority_reads_of_these_themes_is_not_about_coventry(store):
    """The pack's words about Coventry's own figures (its totals, its wards as examples) stay Coventry's."""
    for key in (*MSOA_THEMES, FYE25, FYE24, *AIR):
        ind = store.registry()[key]
        for words in (ind.label, ind.period, ind.source, ind.method_text, ind.caveat):
            assert "Coventry" not in words and "Cannon Park" not in words, (key, words)
        assert not ind.method_text.endswith(".")  # pages add the full stop


# Background NO2 and PM2.5, 2021-23 (Friends of the Earth's 2011-neighbourhood means of Defra's 1 km grids), for
# every ward, beside the UK limit and the WHO 2021 guideline; not Coventry's own 2023 grid figures.
AIR = ("no2_lsoa_2021_23", "pm25_lsoa_2021_23")
FOE = "national/england_foe_no2_pm25_lsoa11_2021_23.csv.gz"


@pytest.mark.parametrize(("code", "ward"), [(BIRMINGHAM, "Alum Rock"), (CORNWALL, "Redruth North")])
def test_air_one_ward_by_hand_in_two_other_authorities(store, code, ward):
    a = store.authority(code)
    ward_code = {v: k for k, v in a.names.items()}[ward]
    raw = pd.read_csv(DATA / "raw" / FOE).set_index("lsoa11")
    look = a.lookups[(a.lookups["geography"] == "lsoa11") & (a.lookups["ward"] == ward_code)]["lsoa"]
    w = a.weights[a.weights["geography"] == "lsoa11"].set_index("code")["iod19_total"][look]
    for key, column in zip(AIR, ("no2_202123_conc", "pm25_202123_conc"), strict=True):
        row = a.values[(a.values["indicator"] == key) & (a.values["code"] == ward_code)].iloc[0]
        assert row["value"] == pytest.approx((raw.loc[look, column] * w).sum() / w.sum()), key


def test_air_ids_differ_from_coventrys_grid_and_say_which_is_which(store, national_built):
    from explorer.models.kiosk.yardsticks import load_yardsticks
    from explorer.registry import load_registry

    coventry = load_registry(DATA / "registry" / "indicators.csv")
    for key, grid in zip(AIR, ("no2_background", "pm25_background"), strict=True):
        ind = store.registry()[key]
        assert key not in coventry and ind.period == "2021-2023 (three-year mean)" and ind.unit == "µg/m³ annual mean"
        assert f"'{coventry[grid].label}, {coventry[grid].period}'" in ind.caveat and "the years differ" in ind.caveat
        assert "Friends of the Earth" in ind.source and "Defra" in ind.source
    place = open_place(PlaceKey(COVENTRY, str(national_built[0]), str(DATA / "packs")),
                       Sources(national_built[0], DATA / "packs"))
    assert {"no2_background", "pm25_background", *AIR} <= set(place.registry)  # both, each named for what it is
    yardsticks = load_yardsticks(DATA / "registry" / "yardsticks.csv", {**coventry, **store.registry()})
    assert [y.value for y in yardsticks["no2_lsoa_2021_23"]] == [40, 10]  # UK limit, WHO 2021 guideline
    assert [y.value for y in yardsticks["pm25_lsoa_2021_23"]] == [20, 5]
