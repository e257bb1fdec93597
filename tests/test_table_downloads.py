"""Every table a page shows can be taken away (issue 25): CSV with a BOM and .xlsx with numbers as numbers.

Each file carries the authority's code and name, the period, unit, source and method, and its comparators; its
name says the authority, the table and the date the data run to (:func:`explorer.models.downloads.file_name`).

Goldens: Coventry's life expectancy (men, 2009-2013) by fifth of MSOAs ordered by IMD 2025 is 74.3 years in the
most deprived fifth and 81.3 in the least (the table under Compare's chart); its slope index, most − least
deprived, is −8.76 years, the figure the every-indicator gap table and the similar-authorities table give (the
group file once carried phe_sii's own sign, least − most, +8.76, which contradicted them). The council publishes
a life expectancy gap (men) of 10.7 and 10.2 years (data/packs/coventry/published_gaps.csv).
"""

import io

import pandas as pd
import pytest
from openpyxl import load_workbook
from streamlit.testing.v1 import AppTest

from explorer.models import compare_views
from explorer.models import downloads as dl
from explorer.models.provision import need_and_provision
from explorer.models.text import COUNT_COLUMNS
from explorer.places import PlaceKey, Sources, open_place
from tests.conftest import BIRMINGHAM, COVENTRY, DATA, REPO

BOM = b"\xef\xbb\xbf"
GEOGRAPHY = ("authority_code", "authority_name")


@pytest.fixture(scope="module")
def places(national_built):
    sources = Sources(national_built[0], DATA / "packs")
    return {code: open_place(PlaceKey(code, str(national_built[0]), str(DATA / "packs")), sources)
            for code in (COVENTRY, BIRMINGHAM)}


def every_file(place):
    """Every table file Compare, the ward map and the priorities offer for ``place`` (the need file aside)."""
    files = {"groups_5": dl.groups_file(place, "le_male", 5), "groups_10": dl.groups_file(place, "le_male", 10),
             "peers": dl.peers_file(place, "le_male"), "published": dl.published_file(place, "le_male", 5),
             "pair": dl.pair_file(place, *sorted(place.wards["code"])[:2]),
             **{f"series_{s}": dl.authority_series_file(place, s) for s in ("le_birth_male", "flytipping_per_1000")}}
    if place.has("series"):
        files["pack_series"] = dl.pack_series_file(place, "cilif_children")
    return {k: f for k, f in files.items() if f is not None}


def read_back(made: dl.TableFile):
    """The .xlsx as openpyxl reads it: (header, rows) of the first sheet, and the workbook."""
    book = load_workbook(io.BytesIO(made.xlsx()))
    rows = list(book.worksheets[0].iter_rows(values_only=True))
    return rows[0], rows[1:], book


@pytest.mark.parametrize(("area", "table", "period", "ext", "expected"), [
    ("Birmingham", "Child poverty (AHC) gap by fifth", "FYE 2025", "xlsx",
     "birmingham-child-poverty-ahc-gap-by-fifth-fye2025.xlsx"),
    ("Coventry", "Life expectancy at birth: men by fifth", "2009-2013 (old: the newest small-area figures held)",
     "csv", "coventry-life-expectancy-at-birth-men-by-fifth-2009-2013.csv"),
    ("Kingston upon Hull, City of", "Fly-tipping over time", "2012-13 to 2022-23", "csv",
     "kingston-upon-hull-city-of-fly-tipping-over-time-2022-23.csv"),
    ("Cornwall", "Public charging devices over time", "Oct 2019 to Oct 2025", "xlsx",
     "cornwall-public-charging-devices-over-time-oct2025.xlsx"),
    ("City of London", "Similar authorities", "", "csv", "city-of-london-similar-authorities.csv"),
    ("Coventry", "../../etc/passwd <script>", "November 2023 (provisional)", "csv",
     "coventry-etc-passwd-script-nov2023.csv"),
])
def test_file_names_say_authority_table_and_date(area, table, period, ext, expected):
    assert dl.file_name(area, table, period, ext) == expected


def test_a_long_file_name_is_cut_whole():
    name = dl.file_name("Coventry", "word " * 60, "FYE 2025", "xlsx")
    assert len(name) <= dl.MAX_STEM + 5 and name.endswith(".xlsx") and "--" not in name and "-." not in name


@pytest.mark.parametrize("code", [COVENTRY, BIRMINGHAM])
def test_every_file_has_geography_period_unit_source_and_reads_back_typed(places, code):
    place = places[code]
    files = every_file(place)
    assert {"groups_5", "groups_10", "peers", "series_le_birth_male"} <= set(files)
    for key, made in files.items():
        frame = made.frame
        assert frame["authority_code"].eq(code).all() and frame["authority_name"].eq(place.name).all(), key
        for what in ("period", "unit", "source"):  # the published gap has the council's and ours
            assert what in frame or {f"published_{what}", f"ours_{what}"} <= set(frame.columns) or (
                what == "unit" and "unit" in frame), (key, what)
        assert made.name("xlsx").startswith(place.name.lower() + "-"), key
        csv = made.csv()
        assert csv.startswith(BOM) and b"\r\n" in csv, key
        assert pd.read_csv(io.BytesIO(csv), encoding="utf-8-sig").shape == frame.shape, key
        header, rows, book = read_back(made)
        assert book.sheetnames == [made.sheet, "Sources", "Notes"], key
        assert len(rows) == len(frame) and book["Sources"].max_row >= 2, key
        for j, column in enumerate(frame.columns):  # a number is a number, a missing figure an empty cell
            if pd.api.types.is_numeric_dtype(frame[column]):
                cells = [row[j] for row in rows]
                assert all(c is None or isinstance(c, int | float) for c in cells), (key, column, cells[:3])
                assert sum(c is not None for c in cells) == frame[column].notna().sum(), (key, column)
        notes = " ".join(str(c.value) for c in book["Notes"]["A"])
        assert place.name in notes and "nothing is estimated or filled in" in notes, key


@pytest.mark.parametrize("code", [COVENTRY, BIRMINGHAM])
def test_counts_are_written_as_integers(places, code):
    """The fifths CSV said ``227564.0`` residents: a count is an integer in every CSV and workbook."""
    place = places[code]
    files = every_file(place)
    seen = set()
    for key, made in files.items():
        text = made.csv().decode("utf-8-sig")
        read = pd.read_csv(io.StringIO(text), dtype=str, keep_default_na=False)
        header, rows, _ = read_back(made)
        for column in COUNT_COLUMNS & set(made.frame.columns):
            held = made.frame[column]
            if not pd.api.types.is_numeric_dtype(held) or (held.dropna() != held.dropna().round()).any():
                continue  # a published average count keeps its fraction
            seen.add(column)
            cells = read[column].tolist()
            assert all(c == "" or c.lstrip("-").isdigit() for c in cells), (key, column, cells[:3])
            assert sum(c == "" for c in cells) == held.isna().sum(), (key, column)  # missing stays empty, not 0
            at = list(made.frame.columns).index(column)
            assert all(row[at] is None or type(row[at]) is int for row in rows), (key, column, rows[0][at])
    assert {"residents", "areas", "group"} <= seen, seen


def test_the_groups_give_coventrys_fifths_and_the_gap_as_its_other_tables_do(places):
    place = places[COVENTRY]
    made = dl.groups_file(place, "le_male", 5)
    frame = made.frame
    assert frame["group"].tolist() == [1, 2, 3, 4, 5]
    assert frame["value"].round(1).tolist()[0] == 74.3 and frame["value"].round(1).tolist()[-1] == 81.3
    assert frame["unit"].eq("years").all() and frame["period"].str.startswith("2009-2013").all()
    assert frame["authority_value"].notna().all() and frame["england_value"].notna().all()
    assert frame["england_code"].eq("E92000001").all()
    summary = compare_views.gap_summary(place, 5).set_index("id").loc["le_male"]
    assert frame["sii"].iloc[0] == pytest.approx(summary["sii"], abs=0.05) and frame["sii"].iloc[0] < 0
    assert frame["sii_lower_95"].iloc[0] < frame["sii"].iloc[0] < frame["sii_upper_95"].iloc[0]
    peers = dl.peers_file(place, "le_male").frame.set_index("area_code")
    assert peers.loc[COVENTRY, "distance"] == 0
    assert peers.loc[COVENTRY, "sii"] == pytest.approx(summary["sii"], abs=0.05)
    similar = peers[peers["which"] == "similar authority"]
    assert "E92000001" in peers.index and len(similar) == 10 and (similar["distance"] > 0).all()
    unheld = similar[similar["sii"].isna()]  # the test store holds five authorities' gaps: the page says so, and
    assert len(unheld) and unheld["note"].eq("no figure: gaps not held in this store for this authority").all()
    from explorer.models.text import whole_counts  # so does the file; and its count of areas is written whole

    assert str(whole_counts(peers)["areas"].dtype) == "Int64"
    assert made.name("xlsx") == "coventry-life-expectancy-at-birth-men-by-fifth-2009-2013.xlsx"
    header, rows, _ = read_back(made)
    assert "Value (years)" in header and "Coventry (years)" in header and "England (years)" in header
    assert isinstance(rows[0][header.index("Value (years)")], float)
    assert len(dl.groups_file(place, "le_male", 10).frame) == 10


def test_two_wards_side_by_side_keep_their_figures_and_the_comparators(places):
    place = places[COVENTRY]
    a, b = "E05001222", "E05001219"  # Foleshill, and a second Coventry ward
    frame = dl.pair_file(place, a, b).frame.set_index("indicator_id")
    pair = compare_views.two_wards(place, a, b).set_index("id")
    assert frame["ward_a_value"].round(6).equals(pair["a_value"].round(6))
    le = frame.loc["le_male"]
    assert le["ward_a_name"] == "Foleshill" and le["unit"] == "years" and le["england_code"] == "E92000001"
    assert le["b_minus_a"] == pytest.approx(le["ward_b_value"] - le["ward_a_value"], abs=1e-5)
    assert pd.notna(le["authority_value"]) and pd.notna(le["england_value"])
    header, rows, _ = read_back(dl.pair_file(place, a, b))
    assert "Foleshill (unit in the Unit column)" in header


def test_the_published_gap_sits_beside_ours(places):
    made = dl.published_file(places[COVENTRY], "le_male", 5)
    frame = made.frame
    assert sorted(frame["published_value"]) == [10.2, 10.7]
    assert frame["ours_gap_least_minus_most"].round(1).eq(7.0).all()
    assert (frame["ours_sii_least_minus_most"] > 0).all()  # least − most deprived, as the council's gaps read
    assert dl.published_file(places[BIRMINGHAM], "le_male", 5) is None  # Birmingham's published gaps are not held
    book = load_workbook(io.BytesIO(made.xlsx()))
    sources = [r for r in book["Sources"].iter_rows(values_only=True)]
    assert any("published gap" in str(r[0]) for r in sources)


def test_need_and_provision_has_every_choice_period_source_and_unit(places):
    place = places[COVENTRY]
    codes = list(place.wards["code"])
    need = pd.Series([float(i) if i != 3 else float("nan") for i in range(len(codes))], index=codes)
    provision = pd.Series([50.0] * len(codes), index=codes)
    result = need_and_provision(need, provision, place.names).assign(moved=None)
    made = dl.need_file(place, result, priority="Tackling poverty", indicators=["cilif_children", "uc_households"],
                        weights={"cilif_children": 2, "uc_households": 1}, provision=["Family hub"], reach_m=800,
                        year=None, sites_words="Family hub, listed 2025")
    frame = made.frame
    assert list(frame.columns[:4]) == ["authority_code", "authority_name", "ward_code", "ward_name"]
    assert frame["need_period"].str.contains("FYE").all() and frame["need_source"].str.contains("DWP").all()
    assert frame["need_indicators"].str.contains("weight 2").all() and frame["reach_m"].eq(800).all()
    header, rows, book = read_back(made)
    rank = header.index("Need rank (1 = most)")
    assert [r[rank] for r in rows].count(None) == 1  # the ward without a need figure stays empty
    assert all(isinstance(r[header.index("Need score (0 = the average ward)")], float | int | type(None)) for r in rows)
    assert made.name("csv").startswith("coventry-tackling-poverty-need-and-provision")
    assert len(book["Sources"]["A"]) == 4  # two indicators and the register, under the header


def test_text_that_looks_like_a_formula_stays_text():
    made = dl.TableFile(frame=pd.DataFrame({"authority_code": ["E1"], "name": ["=HYPERLINK(\"x\")"], "value": [1.5]}),
                        area="Coventry", table="t", period="2023", sheet="T", notes=("-1+1",))
    assert b"'=HYPERLINK" in made.csv()
    header, rows, book = read_back(made)
    assert rows[0][1] == "'=HYPERLINK(\"x\")" and rows[0][2] == 1.5
    assert book.worksheets[0]["B2"].data_type == "s"
    assert "'-1+1" in [c.value for c in book["Notes"]["A"]]


def open_page(national_built, monkeypatch, la: str, page: str, **params) -> AppTest:
    monkeypatch.setenv("EXPLORER_STORE_DIR", str(national_built[0]))
    monkeypatch.delenv("EXPLORER_LA", raising=False)
    at = AppTest.from_file(str(REPO / "streamlit_app.py"), default_timeout=180)
    at.query_params["la"] = la
    at.run()
    at = at.switch_page(page)
    for key, value in params.items():
        at.query_params[key] = value
    return at.run()


def labels(at: AppTest) -> list[str]:
    return [b.label for b in at.get("download_button")]


@pytest.mark.parametrize("la", ["Coventry", "Birmingham"])
def test_compare_offers_every_table(national_built, monkeypatch, la):
    at = open_page(national_built, monkeypatch, la, "pages/compare.py")
    assert not at.exception
    shown = labels(at)
    for what in ("the two wards", "the fifths", "similar authorities", "Life expectancy at birth, men over time",
                 "Fly-tipping incidents per 1,000 residents over time"):
        assert f"Download {what} (CSV)" in shown and f"Download {what} (Excel)" in shown, (what, shown)
    assert ("Download the published gap beside ours (Excel)" in shown) == (la == "Coventry")
    at.radio(key="groups").set_value("Tenths (deciles)").run()
    assert "Download the tenths (Excel)" in labels(at)


def test_the_priorities_and_the_ward_map_offer_their_tables(national_built, monkeypatch):
    at = open_page(national_built, monkeypatch, "Coventry", "pages/priorities.py")
    assert not at.exception
    shown = labels(at)
    assert "Download need and provision (CSV)" in shown and "Download need and provision (Excel)" in shown
    assert any(s.endswith("over time (Excel)") and "gap" not in s for s in shown), shown
    at = open_page(national_built, monkeypatch, "Coventry", "pages/city_map.py")
    at.selectbox(key="theme").set_value("Income and poverty").run()
    at.selectbox(key="indicator").set_value("uc_households").run()
    assert not at.exception
    assert "Download Coventry over time (Excel)" in labels(at), labels(at)


def test_the_tables_that_had_downloads_now_end_with_the_authoritys_code_and_name(places):
    from explorer.models import gap_time
    from explorer.models.citymap import ward_export, ward_table
    from explorer.models.export import gaps_export
    from explorer.models.profile import profile_export, profile_table

    place = places[BIRMINGHAM]
    ind = place.registry["le_male"]
    ward = str(place.wards["code"].iloc[0])
    made = {
        "wards": ward_export(ward_table(place.values, place.wards, ind, place.name), ind, "", place.code),
        "profile": profile_export(ward, "x", profile_table(ward, place.registry, place.values, area=place.name),
                                  place.code),
        "gaps": gaps_export(compare_views.gap_summary(place, 5), 5, place.code, place.name),
    }
    series = gap_time.series_of(place, "le_male") or "imd"
    view = gap_time.gap_over_time(place, series)
    if view is not None:
        made["gap over time"] = gap_time.export_frame(view, place.name, place.code)
    for key, frame in made.items():
        assert list(frame.columns[-2:]) == list(GEOGRAPHY), key
        assert frame["authority_code"].eq(BIRMINGHAM).all() and frame["authority_name"].eq("Birmingham").all(), key
    assert list(ward_export(ward_table(place.values, place.wards, ind, place.name), ind).columns[-1:]) == [
        "ward_boundaries"]  # without a code, as before


def test_a_count_indicators_ward_table_writes_whole_counts_as_integers(places):
    """Coventry's children in low-income families: its own figure (22,286) was written 22286.0."""
    from explorer.models import citymap

    place = places[COVENTRY]
    ind = place.registry["cilif_children"]
    text = citymap.ward_csv(citymap.ward_table(place.values, place.wards, ind, place.name), ind,
                            code=place.code).decode("utf-8-sig")
    read = pd.read_csv(io.StringIO(text), dtype=str, keep_default_na=False)
    assert read["authority_value"].str.fullmatch(r"\d+").all(), read["authority_value"].head(2).tolist()
    le = place.registry["le_male"]  # not a count: its figures keep their decimals
    frame = citymap.ward_export(citymap.ward_table(place.values, place.wards, le, place.name), le)
    assert frame["value"].dtype == float and frame["authority_value"].dtype == float
