"""Local packs as data: a second council brings its own by adding files, and every broken part is named.

Nuneaton and Bedworth (E07000219) gets a small pack written here from real rows: its COVID-19 vaccination sites and
schools (tests/fixtures/nuneaton_bedworth, copied from Coventry City Council's open data with their provenance),
Defra's fly-tipping incidents the borough recorded (data/raw/national) and a landmark for the kiosk map. No
authority of the session's five-authority store has sites in data/raw or the shared raw data, so the pack sits
beside a national store holding Nuneaton and Bedworth's wards (built once for this module). Each page is then run
for it with AppTest. Coventry's pack, rebuilt from its manifest, is byte for byte the committed one.
"""

import filecmp
import json
import shutil
from pathlib import Path
from unittest.mock import ANY

import pandas as pd
import pytest

from explorer import paths
from explorer.pipeline.pack_format import MADE, load_parts
from explorer.pipeline.packs import build_pack, main
from explorer.places.pack import PARTS, read_pack
from geo.errors import DataError
from tests.conftest import DATA, PACKS, REPO
from tests.test_authorities_app import open_page, page_text

NUNEATON = "E07000219"
NAME = "Nuneaton and Bedworth"
FIXTURES = REPO / "tests" / "fixtures" / "nuneaton_bedworth"
EXHALL = "E05015834"  # most of the schools are in it
FLYTIPPING = DATA / "raw" / "national" / "england_defra_flytipping_la_incidents_2012-13_to_2022-23.csv.gz"
COVENTRY = PACKS / "coventry"


def write_pack(folder: Path) -> Path:
    """Nuneaton and Bedworth's pack: its register, its fly-tipping series and a kiosk landmark, all real rows."""
    folder.mkdir(parents=True)
    (folder / "pack.csv").write_text(f"code,name,area_word,publisher\n{NUNEATON},{NAME},,"
                                     "The explorer's tests (from Coventry City Council's and Defra's open data)\n")
    sites = pd.read_csv(FIXTURES / "vaccination_sites.csv", dtype=str)
    schools = pd.read_csv(FIXTURES / "schools.csv", dtype=str)
    listed = {"vaccination": ("COVID-19 vaccination site", "list last changed September 2022 (its own date is not "
                              "stated)", "Coventry City Council open data: COVID-19 vaccination sites", "2022-09"),
              "school": ("School", "list last changed March 2022", "Coventry City Council open data: schools",
                         "2022-03")}
    rows = []
    for key, frame, name in (("vaccination", sites, "Site"), ("school", schools, "School")):
        kind, period, source, date = listed[key]
        rows += [{"id": f"nb-{key}-{i + 1:02d}", "Site": r[name], "type": kind, "priority": "", "marmot_principle": "",
                  "location": "point", "LAT": r["LAT"], "LONG": r["LONG"], "ward": "", "period": period,
                  "source": source, "dating": "snapshot", "date_from": date, "date_to": ""}
                 for i, r in enumerate(frame.to_dict("records"))]
    pd.DataFrame(rows).to_csv(folder / "register.csv", index=False)
    defra = pd.read_csv(FLYTIPPING, dtype=str)
    mine = defra[defra["ONS Code"] == NUNEATON]
    pd.DataFrame({"series": "flytipping_incidents", "area": NAME, "period": mine["Year"],
                  "value": mine["Total Incidents"], "unit": "incidents recorded by the council",
                  "source": "Defra, Fly-tipping incidents and actions taken in England (ENV24)"}).to_csv(
        folder / "series.csv", index=False)
    hospital = sites[sites["Type"] == "Hospital Hub"].iloc[0]
    pd.DataFrame([{"id": "hospital-george-eliot", "label": "George Eliot Hospital", "kind": "hospital",
                   "lat": hospital["LAT"], "lon": hospital["LONG"],
                   "file": "tests/fixtures/nuneaton_bedworth/vaccination_sites.csv", "column": "Site",
                   "match": hospital["Site"], "source": "Coventry City Council open data: COVID-19 vaccination sites "
                   "(the hospital hub at George Eliot Hospital)"}]).to_csv(folder / "landmarks.csv", index=False)
    ogl = "Open Government Licence v3.0 (Contains Coventry City Council data)"
    pd.DataFrame([
        {"part": "interventions", "file": "register.csv", "columns": "name=Site;lat=LAT;lon=LONG", "as_of": "",
         "source": "Coventry City Council open data: COVID-19 vaccination sites and schools", "licence": ogl,
         "note": "Copied for the explorer's tests (tests/fixtures/nuneaton_bedworth)"},
        {"part": "series", "file": "series.csv", "columns": "", "as_of": "",
         "source": "Defra, Fly-tipping incidents and actions taken in England (ENV24)",
         "licence": "Open Government Licence v3.0", "note": ""},
        {"part": "kiosk_landmarks", "file": "landmarks.csv", "columns": "", "as_of": "",
         "source": "Coventry City Council open data: COVID-19 vaccination sites", "licence": ogl, "note": ""},
    ]).to_csv(folder / "manifest.csv", index=False)
    return folder


@pytest.fixture(scope="module")
def nuneaton_store(tmp_path_factory):
    """A national store with Nuneaton and Bedworth's wards (values and peers for all 296 authorities)."""
    from explorer.pipeline.national import build

    out = tmp_path_factory.mktemp("national") / "v1"
    build(DATA, out, only=[NUNEATON])
    return out


@pytest.fixture(scope="module")
def packs(tmp_path_factory, nuneaton_store):
    """A packs folder holding Coventry's built pack and Nuneaton and Bedworth's, built by packs.py."""
    folder = tmp_path_factory.mktemp("packs")
    shutil.copytree(COVENTRY / "built", folder / "coventry" / "built")
    line = build_pack(write_pack(folder / "nuneaton_bedworth"), DATA, nuneaton_store)
    assert line.startswith("nuneaton_bedworth: built Nuneaton and Bedworth's 3 parts"), line
    return folder


@pytest.fixture
def app_env(packs, nuneaton_store, monkeypatch):
    monkeypatch.setenv("EXPLORER_STORE_DIR", str(nuneaton_store))
    monkeypatch.setenv("EXPLORER_PACKS_DIR", str(packs))
    monkeypatch.delenv("EXPLORER_LA", raising=False)
    return packs


def test_the_second_pack_is_built_from_its_files(packs):
    built = packs / "nuneaton_bedworth" / "built"
    assert sorted(p.name for p in built.iterdir()) == sorted(
        ["interventions.csv", "series.csv", "kiosk_landmarks.csv", "pack.json", "inputs.json"])
    pack = read_pack(built.parent)
    assert (pack.code, pack.name, pack.area_word) == (NUNEATON, NAME, "")
    assert pack.has("interventions") and pack.has("series") and not pack.has("postcodes")
    assert "vaccination sites and schools" in pack.parts["interventions"].source
    register = pd.read_csv(pack.path("interventions.csv"))  # written under the part's own column names
    assert {"name", "lat", "lon"} <= set(register.columns) and "Site" not in register.columns
    assert len(register) == 11 and "Bedworth Civic Hall" in set(register["name"])
    series = pack.table("series.csv")
    assert series["title"].eq("Fly-tipping incidents recorded by the council").all()  # joined from the registry
    assert dict(zip(series["period"], series["value"], strict=True))["2022-23"] == 1870  # Defra, as published


def test_an_unchanged_pack_is_not_rebuilt_and_a_changed_one_is(packs, nuneaton_store, tmp_path):
    folder = tmp_path / "nuneaton_bedworth"
    shutil.copytree(packs / "nuneaton_bedworth", folder)
    before = (folder / "built" / "pack.json").stat().st_mtime_ns
    assert "unchanged" in build_pack(folder, DATA, nuneaton_store)
    assert (folder / "built" / "pack.json").stat().st_mtime_ns == before
    landmarks = folder / "landmarks.csv"
    landmarks.write_text(landmarks.read_text().replace("George Eliot Hospital,", "George Eliot Hospital (A&E),"))
    assert "built" in build_pack(folder, DATA, nuneaton_store)
    assert "(A&E)" in (folder / "built" / "kiosk_landmarks.csv").read_text()


PAGES = ["city_map", "ward_profile", "compare"]
SHOWS = {  # what each page must show of the pack, once it reads the place's pack
    "city_map": ("Nuneaton and Bedworth ward map",),
    "ward_profile": ("sites in Exhall or within 500 m", "School: "),
    "compare": (NAME,),
    "accessibility": (),
    "priorities": ("Nuneaton and Bedworth's own plan is not held here", "Need against provision"),  # register, no plan
    "my_area": ("Sites and services: ", "school"),
    "kiosk": ("George Eliot Hospital",),
    "about": ("Defra, Fly-tipping incidents and actions taken in England", "vaccination sites and schools"),
}


EVERY_PAGE = [*PAGES, "accessibility", "priorities", "my_area", "kiosk", "about"]


@pytest.mark.parametrize("page", EVERY_PAGE)
def test_every_page_runs_for_the_second_pack_and_shows_what_it_holds(app_env, page):
    at = open_page(page, NUNEATON)
    if page in ("ward_profile", "my_area"):  # a ward with the pack's sites in or near it
        at.selectbox(key="ward").select(EXHALL).run()
    assert not at.exception, [e.message for e in at.exception]
    assert not at.error, [e.value for e in at.error]
    text = page_text(at).replace("\\", "")
    assert page == "accessibility" or NAME in text  # the page is the pack's authority's
    for words in SHOWS[page]:
        assert words in text, words
    assert "Coventry City Council's Insight team" not in text  # whose the pack is, not Coventry's


def test_the_profile_lists_the_packs_sites_with_their_dates(app_env):
    at = open_page("ward_profile", NUNEATON)
    at.selectbox(key="ward").select(EXHALL).run()
    listed = " ".join(h.value for h in at.html if "Sites and services in or near" in h.value)
    assert "Exhall Junior School" in listed.title() and "in March 2022" in listed
    said = " ".join(m.value for m in at.markdown).replace("\\", "")
    assert f"Postcode search is not held for {NAME}" in said
    assert f"Not held for {NAME}: the councillors list." in said


# Each broken part of a pack gives a DataError naming the file, row and column (the file's own name for it).

def coventry_copy(tmp_path: Path) -> Path:
    """Coventry's pack in a folder of its own: pack.csv, manifest.csv and the built/ its ward set comes from."""
    folder = tmp_path / "coventry"
    shutil.copytree(COVENTRY, folder, ignore=shutil.ignore_patterns(".built-new-*"))
    return folder


def broken(folder: Path, part: str, change, index: int = 0) -> str:
    """Copy one input of ``part`` into the pack's folder, apply ``change`` to its text, and name the copy instead."""
    manifest = pd.read_csv(folder / "manifest.csv", dtype=str, keep_default_na=False)
    row = manifest.index[manifest["part"] == part][0]
    files = manifest.loc[row, "file"].split(";")
    source = paths.pack_file(COVENTRY, files[index], DATA)
    files[index] = f"broken{source.suffix}"
    (folder / files[index]).write_text(change(source.read_text(encoding="utf-8")), encoding="utf-8")
    manifest.loc[row, "file"] = ";".join(files)
    manifest.to_csv(folder / "manifest.csv", index=False)
    return files[index]


def files_of(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in folder.rglob("*") if p.is_file()}


def nth_line(n: int, old: str, new: str):
    """Replace ``old`` with ``new`` in data row ``n`` (1 after the header) of a CSV's text."""
    def change(text: str) -> str:
        lines = text.split("\n")
        assert old in lines[n], (old, lines[n])
        lines[n] = lines[n].replace(old, new, 1)
        return "\n".join(lines)
    return change


def geojson_feature(n: int, key: str, value: str):
    def change(text: str) -> str:
        doc = json.loads(text)
        doc["features"][n - 1]["properties"][key] = value
        return json.dumps(doc)
    return change


def first_field(text: str, n: int) -> str:
    return text.split("\n")[n].split(",")[0]


COVENTRY_BREAKS = [  # part, input, change, row, column (as the file names it), words of the problem
    ("councillors", 0, nth_line(3, "E05001218", "E05009999"), 3, "ward_code", "unknown ward code 'E05009999'"),
    ("postcodes", 0, nth_line(5, "CV1 1AF,1,", "CV1 1AF,2,"), 5, "term", "write 1 or 0"),
    ("monitoring", 0, nth_line(2, "52.435048", "north"), 2, "latitude", "'north' is not a number"),
    ("monitoring", 1, nth_line(4, ",BA1,exact,", ",ZZ9,exact,"), 4, "tube_id", "unknown site id 'ZZ9'"),
    ("points", 0, geojson_feature(7, "derived_ward_code", "E05000000"), 7, "derived_ward_code",
     "unknown ward code 'E05000000'"),
    ("plan", 0, nth_line(2, ",priority,", ",aim,"), 2, "kind", "kind 'aim' is not one of priority, enabler, theme"),
    ("interventions", 0, nth_line(10, "52.", "-1."), 10, "lat", "is nowhere near Coventry"),
    ("published_gaps", 0, nth_line(1, "le_male,", "le_mael,"), 1, "indicator", "unknown indicator 'le_mael'"),
    ("kiosk_facts", 0, nth_line(2, ",2009,", ",last year,"), 2, "from", "'last year' is not a year (2022)"),
    ("kiosk_landmarks", 0, nth_line(1, ",City centre,", ",,"), 1, "label", "value is required"),
]


@pytest.mark.parametrize(("part", "index", "change", "row", "column", "words"), COVENTRY_BREAKS,
                         ids=[f"{b[0]}-{b[4]}" for b in COVENTRY_BREAKS])
def test_each_broken_part_is_named_by_file_row_and_column(tmp_path, part, index, change, row, column, words):
    folder = coventry_copy(tmp_path)
    name = broken(folder, part, change, index)
    before = files_of(folder / "built")
    with pytest.raises(DataError) as caught:
        build_pack(folder, DATA)
    error = caught.value
    assert (Path(error.file).name, error.row, error.column) == (name, row, column), str(error)
    assert words in error.problem, str(error)
    assert files_of(folder / "built") == before  # the last build stays
    assert not list(folder.glob(".built-new-*"))


def test_a_pack_series_names_an_unknown_series_and_its_row(packs, nuneaton_store, tmp_path):
    folder = tmp_path / "nuneaton_bedworth"
    shutil.copytree(packs / "nuneaton_bedworth", folder)
    series = folder / "series.csv"
    series.write_text(nth_line(3, "flytipping_incidents", "flytipping_total")(series.read_text()))
    with pytest.raises(DataError, match=r"series\.csv, row 3, column 'series': no row for series \['flytipping_total'"
                       r"\] in data/registry/series\.csv; add one"):
        build_pack(folder, DATA, nuneaton_store)


def test_a_register_row_naming_a_priority_without_a_plan_is_named(packs, nuneaton_store, tmp_path):
    folder = tmp_path / "nuneaton_bedworth"
    shutil.copytree(packs / "nuneaton_bedworth", folder)
    register = folder / "register.csv"
    register.write_text(nth_line(6, ",School,,", ",School,communities,")(register.read_text()))
    with pytest.raises(DataError, match=r"register\.csv, row 6, column 'priority': the pack holds no plan"):
        build_pack(folder, DATA, nuneaton_store)


MANIFEST_BREAKS = [  # a change to the manifest (or pack.csv), the file, row, column and words
    (lambda m: m.replace("kiosk_landmarks,", "kiosk_landmark,"), "manifest.csv", 11, "part",
     "'kiosk_landmark' is not a part"),
    (lambda m: m.replace("street=Address", "road=Address"), "manifest.csv", 7, "columns",
     "does not name one of points's columns"),
    (lambda m: m.replace(",2020-09,", ",September 2020,"), "manifest.csv", 4, "as_of", "is not a year"),
    (lambda m: m.replace(",2020-09,", ",,"), "manifest.csv", 4, "as_of", "say when the councillors held"),
    (lambda m: m.replace("coventry_ward_councillors_2020-21.csv", "councillors.csv"), "manifest.csv", 4, "file",
     "'data/raw/council/councillors.csv' does not exist"),
    (lambda m: m.replace(";data/raw/council/coventry_no2_diffusion_tube_annual_means_2011_2024.csv", ""),
     "manifest.csv", 6, "file", "monitoring is read from 2 file(s) (sites; readings)"),
    (lambda m: m.replace("Open Government Licence v3.0,Check", ",Check"), "manifest.csv", 4, "licence",
     "say under which licence"),
]


@pytest.mark.parametrize(("change", "name", "row", "column", "words"), MANIFEST_BREAKS,
                         ids=[f"{b[3]}-{i}" for i, b in enumerate(MANIFEST_BREAKS)])
def test_a_broken_manifest_is_named_by_row_and_column(tmp_path, change, name, row, column, words):
    folder = coventry_copy(tmp_path)
    manifest = folder / "manifest.csv"
    manifest.write_text(change(manifest.read_text(encoding="utf-8")), encoding="utf-8")
    with pytest.raises(DataError) as caught:
        build_pack(folder, DATA)
    error = caught.value
    assert (Path(error.file).name, error.row, error.column) == (name, row, column), str(error)
    assert words in error.problem, str(error)


def test_a_pack_without_the_ward_set_make_data_makes_says_to_run_it(tmp_path):
    folder = coventry_copy(tmp_path)
    (folder / "built" / "values.csv").unlink()
    with pytest.raises(DataError, match=r"values\.csv: file is missing; it is made by `make data`"):
        build_pack(folder, DATA)


def test_a_pack_for_an_authority_not_in_the_store_says_to_build_it(tmp_path):
    folder = write_pack(tmp_path / "nuneaton_bedworth")
    with pytest.raises(DataError, match=r"build it \(`make national`\), then the packs"):
        build_pack(folder, DATA, tmp_path / "no store")


def test_a_broken_pack_keeps_its_last_build_and_the_others_still_build(tmp_path, capsys):
    packs = tmp_path / "packs"
    folder = coventry_copy(packs)
    other = coventry_copy(packs / "x")  # a second, sound pack: the one to break is listed first
    shutil.move(other, packs / "zz_sound")
    broken(folder, "councillors", nth_line(3, "E05001218", "E05009999"))
    before = (folder / "built" / "councillors.csv").read_bytes()
    assert main(["--packs", str(packs), "--data", str(DATA), "--force"]) == 1
    out, err = capsys.readouterr()
    assert "coventry: not built, its last built/ is kept. file" in err and "row 3, column 'ward_code'" in err
    assert "zz_sound: built Coventry's 12 parts" in out
    assert (folder / "built" / "councillors.csv").read_bytes() == before


def test_coventrys_pack_rebuilt_from_its_manifest_is_the_committed_one(tmp_path):
    folder = coventry_copy(tmp_path)
    line = build_pack(folder, DATA, force=True)
    assert line.startswith("coventry: built Coventry's 12 parts"), line
    committed = sorted(p.relative_to(COVENTRY / "built") for p in (COVENTRY / "built").rglob("*") if p.is_file())
    rebuilt = sorted(p.relative_to(folder / "built") for p in (folder / "built").rglob("*") if p.is_file())
    assert rebuilt == committed
    different = [str(p) for p in committed if not filecmp.cmp(COVENTRY / "built" / p, folder / "built" / p,
                                                             shallow=False)]
    assert different == []  # byte for byte, the parquet layers and pack.json included


def test_a_ward_set_brought_as_a_folder_is_checked_and_carried(tmp_path):
    folder = coventry_copy(tmp_path)
    shutil.copytree(folder / "built", folder / "ward_set")  # as a ward-set build wrote it
    (folder / "ward_set" / "series.csv").unlink()
    manifest = folder / "manifest.csv"
    manifest.write_text(manifest.read_text().replace("ward_set,make data,", "ward_set,ward_set,"))
    assert build_pack(folder, DATA, force=True).startswith("coventry: built Coventry's 12 parts")
    assert files_of(folder / "built") == {**files_of(COVENTRY / "built"), "inputs.json": ANY}
    (folder / "ward_set" / "lookups.csv").write_text("geography,lsoa\nlsoa21,E01009600\n")
    with pytest.raises(DataError, match=r"ward_set/lookups\.csv, column 'ward': missing column"):
        build_pack(folder, DATA)


def test_the_registry_the_docs_and_the_read_layer_agree():
    parts = load_parts(DATA / "registry")
    assert {name: part.built for name, part in parts.items()} == dict(PARTS)
    docs = (REPO / "docs" / "packs.md").read_text(encoding="utf-8")
    for part in parts.values():
        assert f"### `{part.name}`" in docs, part.name
        for columns in part.columns.values():
            for column in columns:
                assert f"| `{column.name}` |" in docs, (part.name, column.name)
    manifest = pd.read_csv(COVENTRY / "manifest.csv", keep_default_na=False)
    assert list(manifest["part"]) == list(parts)  # Coventry's pack brings every part
    assert set(manifest.loc[manifest["file"] == MADE, "part"]) == {"ward_set", "series", "gap_series"}
