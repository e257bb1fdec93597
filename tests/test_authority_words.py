"""Words that follow the authority, checked on every page model of every authority.

Every model a page shows (ward table, tooltips and map sentence, profile table, sentences and sources, the CSV and
Excel downloads with their column and sheet names, the briefing, the two-ward and gap views, the scatter, the peers
table, the menu) is rendered here for each of the five authorities of the ``national_built`` store (Coventry from
its local pack, as the pages read it) and read as a visitor would. Each check holds for every authority and every
indicator, not only the case that was reported.
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass, field

import pandas as pd
import pytest

from explorer.models import citymap, export, profile, views
from explorer.models.briefing import briefing_html
from explorer.models.compare import two_wards
from explorer.models.gap_views import gap_html
from explorer.models.places import map_title, opening_wards
from explorer.pipeline import store as local
from explorer.pipeline.authorities import NationalStore
from explorer.places import Place, PlaceKey, Sources, open_place
from explorer.registry import load_registry
from explorer.stats.gaps import gap_summary, marmot_gap, no_gap_reason
from explorer.stats.judge import NO_DATA, steeper
from tests.conftest import BIRMINGHAM, CITY_OF_LONDON, CORNWALL, COVENTRY, DATA, FIVE, PACKS, PROCESSED, SCILLY

PEER_GAPS = ("le_male", "le_female", "hle_male", "hle_female", "dfle_male", "dfle_female", "disability",
             "green_space_distance")
OTHERS = [code for code in FIVE if code != COVENTRY]
# An old figure's period carries its age: "2009-2013 (old: the newest small-area figures held)" (the registry's), or
# the kiosk's "from 2009 to 2013, about 13 years ago".
AGE = re.compile(r"\(old: the newest small-area figures held[);]|years? ago")


@dataclass
class Rendered:
    """What the pages show of one authority: texts by output, and each download's column and sheet names."""

    name: str
    texts: dict[str, str] = field(default_factory=dict)
    columns: dict[str, list[str]] = field(default_factory=dict)


@pytest.fixture(scope="module")
def store(national_built):
    return NationalStore(national_built[0])


def place_of(store: NationalStore, code: str) -> Place:
    """An authority as the pages read it (:func:`explorer.places.open_place`): Coventry with its local pack."""
    return open_place(PlaceKey(code, str(store.folder), str(PACKS)), Sources(store.folder, PACKS))


def xlsx_text(data: bytes) -> tuple[list[str], str]:
    """A workbook's sheet names and every cell of every sheet as text (one line per row)."""
    from openpyxl import load_workbook

    book = load_workbook(io.BytesIO(data))
    lines = []
    for sheet in book.worksheets:
        lines += ["\t".join("" if c is None else str(c) for c in row) for row in sheet.iter_rows(values_only=True)]
    return book.sheetnames, "\n".join(lines)


def csv_text(data: bytes) -> tuple[list[str], str]:
    text = data.decode("utf-8-sig")
    return next(csv.reader(io.StringIO(text))), text


def render(p: Place, store: NationalStore) -> Rendered:
    """Every page model of one authority, as ``pages/_cache.py`` builds it, read as text."""
    out = Rendered(p.name)
    texts, columns = out.texts, out.columns
    texts["menu"] = map_title(p.area_word)
    codes = sorted(p.wards["code"], key=dict(zip(p.wards["code"], p.wards["name"], strict=True)).get)
    names = dict(zip(p.wards["code"], p.wards["name"], strict=True))
    for ind in (i for i in p.registry.values() if i.on_ward_map):
        table = citymap.ward_table(p.values, p.wards, ind, p.name)
        display = citymap.ward_display_table(table, ind)
        view = citymap.ward_view(table, ind)
        texts[f"ward table {ind.id}"] = citymap.ward_html(display, ind, p.name)
        texts[f"ward map {ind.id}"] = citymap.summary_sentence(table, ind) + "\n" + "\n".join(view.tips.values())
        columns[f"ward csv {ind.id}"], texts[f"ward csv {ind.id}"] = csv_text(citymap.ward_csv(table, ind))
        sheets, texts[f"ward xlsx {ind.id}"] = xlsx_text(export.ward_workbook(citymap.ward_export(table, ind), ind,
                                                                               area=p.name))
        columns[f"ward xlsx {ind.id}"] = sheets + list(citymap.ward_export(table, ind).columns)
    facts = profile.indicator_facts(p.registry, p.values, area=p.name)
    first, second = opening_wards(codes, p.values, 2)
    for code in codes:
        table = profile.profile_table(code, p.registry, p.values, facts=facts)
        if table.empty:
            continue
        row = p.wards.set_index("code").loc[code]
        shown = views.profile_view(str(row["name"]), table, p.registry, int(row["lsoa21_straddling"]),
                                   int(row["lsoa21_count"]), p.whole)
        texts[f"profile {code}"] = "\n".join([*shown.sentences, shown.chart_words, shown.table, shown.sources])
        frame = profile.profile_export(code, str(row["name"]), table)
        columns[f"profile csv {code}"], texts[f"profile csv {code}"] = csv_text(profile.profile_csv(
            code, str(row["name"]), table))
        if code in (first, second):  # every ward's workbook is built alike: two of them are read
            sheets, texts[f"profile xlsx {code}"] = xlsx_text(export.profile_workbook(frame, p.registry, area=p.name))
            columns[f"profile xlsx {code}"] = sheets + list(frame.columns)
        if code == first:
            texts["briefing"] = briefing_html(code, str(row["name"]), list(shown.sentences), table, p.registry,
                                              p.ward_shapes, p.layer("lsoa21"), p.values, p.lookups, area=p.name)
    pair = two_wards(first, second, p.registry, p.values, names)
    shown = views.pair_view(pair, names[first], names[second])
    texts["pair"] = "\n".join([shown.sentence, shown.table, shown.method])
    for n in (5, 10):
        summary = gap_summary(p.registry, p.values, p.lookups, p.weights, n)
        texts[f"gap table {n}"] = gap_html(summary, n)
        columns[f"gaps csv {n}"], texts[f"gaps csv {n}"] = csv_text(export.gaps_csv(summary, n))
        sheets, texts[f"gaps xlsx {n}"] = xlsx_text(export.gaps_workbook(summary, n, p.registry, area=p.name))
        columns[f"gaps xlsx {n}"] = sheets + list(export.gaps_export(summary, n).columns)
    imd = p.registry["imd25_score"]
    ward_imd = citymap.values_for(p.values, "imd25_score", "ward")["value"]
    for key in PEER_GAPS:
        if key not in p.registry or no_gap_reason(p.registry[key]):
            continue
        ind = p.registry[key]
        gap = views.gap_view(marmot_gap(ind, p.values, p.lookups, p.weights, p.registry, 5), ind, p.name)
        texts[f"gap {key}"] = "\n".join([gap.explained, gap.table, gap.chart_words, gap.method])
        table = citymap.ward_table(p.values, p.wards, ind, p.name)
        points = pd.DataFrame({"name": table["name"], "x": table["code"].map(ward_imd), "y": table["value"]})
        scatter = views.scatter_view(points, ind, imd, p.name)
        texts[f"scatter {key}"] = "\n".join([scatter.caption, scatter.words, str(scatter.chart)])
        own = store.authorities().set_index("code").loc[p.code].to_dict()
        peers = store.table("peers")
        peer = views.peer_view(store.beside_peers(p.code), peers[peers["la"] == p.code], own, key, p.name)
        if peer is not None:
            texts[f"peers {key}"] = "\n".join([peer.sentence, peer.table, peer.measures, peer.method])
    texts["ward set"] = p.ward_set.note if not p.has("ward_set") else ""
    return out


@pytest.fixture(scope="module")
def rendered(store) -> dict[str, Rendered]:
    return {code: render(place_of(store, code), store) for code in FIVE}


def plain(text: str) -> str:
    """Text as read: tags, entities and web addresses taken out."""
    import html

    text = re.sub(r"https?://\S+", " ", text)
    return html.unescape(re.sub(r"<[^>]+>", " ", text))


# --- Another authority's words and columns are its own -------------------------------------------------------------

# Where another authority's page may say "Coventry": what is held for Coventry only (as tests/test_authorities_app.py).
ALLOWED = re.compile(r"held for Coventry only|choose Coventry in the list|One Coventry Plan")


@pytest.mark.parametrize("code", OTHERS)
def test_no_output_of_another_authority_says_coventry_or_city(rendered, store, code):
    """Nothing shown or downloaded for Cornwall says "Coventry", "coventry" or "city".

    Only Coventry's own pack says it is a city ("Coventry City Council"); the national files name no kind for any
    authority (explorer/models/places.py), so another authority is called by its name. An authority's own name
    ("City of London", "Kingston upon Hull, City of" among Birmingham's peers) is its name, not our word.
    """
    names = sorted(store.authorities()["name"], key=len, reverse=True)
    found = []
    for output, text in rendered[code].texts.items():
        read = plain(text)
        for name in names:
            read = read.replace(name, " ")
        read = ALLOWED.sub(" ", read)
        found += [f"{output}: …{m.group(0)}…" for m in re.finditer(r".{0,50}\b(?:[Cc]it(?:y|ies)|[Cc]oventry)\b.{0,30}",
                                                                    read)]
    slug = citymap.slug_of(rendered[code].name)  # "city_of_london_value" is the City's own column
    for output, names_ in rendered[code].columns.items():
        found += [f"{output} column {c}" for c in names_
                  if re.search(r"coventry|city", c.lower().replace(slug, "").replace(rendered[code].name.lower(), ""))]
    assert not found, found[:8]


@pytest.mark.parametrize(("code", "published"), [
    # MHCLG's IoD 2025 local authority summaries (data/raw/indicators/iod2025/
    # england_iod2025_ltla24_summaries_humaniverse.csv, imd_average_score): each authority's published average
    # score, the store's comparator for it.
    (COVENTRY, 27.528), (BIRMINGHAM, 38.115), (CORNWALL, 22.321), (CITY_OF_LONDON, 10.21), (SCILLY, 12.65)])
def test_the_authoritys_column_has_a_fixed_name_and_holds_its_figure(rendered, store, code, published):
    """Birmingham's profile CSV had a column headed ``coventry`` holding Birmingham's 38.115; then every file named
    the column after its authority (``birmingham_value``), so a script could not read two authorities' files alike.
    Every authority's files now share the data API's fixed ``authority_value``."""
    p = place_of(store, code)
    ward = opening_wards(sorted(p.wards["code"]), p.values)[0]
    table = profile.profile_table(ward, p.registry, p.values, area=p.name)
    assert "authority" in table and not any(c.startswith("coventry") for c in table.columns)
    frame = profile.profile_export(ward, "x", table).set_index("label")
    assert frame.loc[p.registry["imd25_score"].label, "authority_value"] == published
    header, _ = csv_text(profile.profile_csv(ward, "x", table, code))
    assert header == PROFILE_HEADER, header
    ind = p.registry["imd25_score"]
    ward_csv = pd.read_csv(io.BytesIO(citymap.ward_csv(citymap.ward_table(p.values, p.wards, ind, p.name), ind,
                                                       code=code)), encoding="utf-8-sig")
    assert list(ward_csv.columns) == WARD_HEADER
    assert (ward_csv["authority_value"] == published).all()
    assert (ward_csv["authority_code"] == code).all() and (ward_csv["authority_name"] == p.name).all()


PROFILE_HEADER = ["ward_code", "ward_name", "theme", "label", "value", "lower_95", "upper_95", "unit", "rank",
                  "wards_sharing_rank", "wards_ranked", "authority_value", "authority_value_source", "england",
                  "england_source", "compared_with_authority", "how_compared", "period", "source", "licence",
                  "authority_code", "authority_name"]
WARD_HEADER = ["ward_code", "ward_name", "indicator", "value", "lower_95", "upper_95", "unit", "rank_1_is_worst",
               "wards_sharing_rank", "authority_value", "authority_value_source", "compared_with_authority",
               "how_compared", "period", "source", "licence", "method", "ward_boundaries", "authority_code",
               "authority_name"]


def test_kiosk_fact_templates_name_the_authority_neutrally(tmp_path, registry, values):
    """Kiosk facts read ``{le_male.authority}``; Coventry's rendered words are unchanged."""
    from explorer.models.kiosk.facts import area_facts, load_facts
    from geo.errors import DataError

    for own in (DATA / "registry" / "kiosk_facts.csv", DATA / "packs" / "coventry" / "kiosk_facts.csv"):
        text = own.read_text(encoding="utf-8")
        assert "coventry}" not in text and ".coventry" not in text, own
    facts = load_facts(DATA / "packs" / "coventry" / "kiosk_facts.csv", registry)
    shown = area_facts(profile.profile_table("E05001222", registry, values), facts, registry, "Coventry")  # Foleshill
    # Coventry 18% (imd25_pct_d1, 36 of 203 LSOAs' residents) and ONS's own 77.9 / 82.1 years, as before.
    assert "Across Coventry it is 18 in every 100." in shown[0].sentence
    assert "Across Coventry: women 82, men 78." in shown[1].sentence
    old = (DATA / "registry" / "kiosk_facts.csv").read_text().replace(".authority:", ".coventry:", 1)
    (tmp_path / "kiosk_facts.csv").write_text(old)
    with pytest.raises(DataError, match=r"kiosk_facts.csv, row 1, column 'template'.*imd25_pct_d1.coventry"):
        load_facts(tmp_path / "kiosk_facts.csv", registry)


@pytest.mark.parametrize(("code", "title"), [(COVENTRY, "City map"), (BIRMINGHAM, "Ward map"),
                                             (CORNWALL, "Ward map"), (CITY_OF_LONDON, "Ward map"),
                                             (SCILLY, "Ward map")])
def test_the_menu_names_the_map_after_the_authority(national_built, monkeypatch, code, title):
    """Cornwall's menu said "City map"; only Coventry's pack calls it a city."""
    from streamlit.testing.v1 import AppTest

    from tests.conftest import REPO

    monkeypatch.setenv("EXPLORER_STORE_DIR", str(national_built[0]))
    monkeypatch.delenv("EXPLORER_LA", raising=False)
    at = AppTest.from_file(str(REPO / "streamlit_app.py"), default_timeout=120)
    at.query_params["la"] = code
    at.run()
    menu = [info.get("page_name") for info in at._registered_pages.values()]
    assert menu[0] == title and "City map" not in menu[1:]


def test_cornwalls_gap_is_said_of_cornwall_not_a_city(rendered):
    """Cornwall's gap was once said of "the most deprived end of the city"."""
    explained = rendered[CORNWALL].texts["gap le_male"]
    assert "the most deprived end of Cornwall is" in explained and "city" not in explained


def test_no_kind_word_is_guessed_for_an_authority(rendered, store):
    """The data name no authority's kind (the store's ``kind`` is ONS's code prefix, and calls the City of
    London a "London borough"), so no output calls one a county, borough, district or unitary authority."""
    kinds = re.compile(r"\b(?:county|counties|borough|boroughs|district|districts|unitary)\b", re.IGNORECASE)
    names = sorted(store.authorities()["name"], key=len, reverse=True)
    for code in FIVE:
        for output, text in rendered[code].texts.items():
            read = plain(text)
            for name in names:
                read = read.replace(name, " ")
            assert not kinds.search(read), (code, output, kinds.search(read).group(0))


# --- Which gradient is steeper, in words that cannot be read backwards --------------------------------------------

def test_slope_indices_are_compared_by_the_size_of_the_gap(rendered):
    """The words "higher in Birmingham" said Birmingham's life-expectancy gradient was the flatter one.

    Worked from the store's gaps table (PHE's phe_sii over each authority's MSOAs in fifths by IMD 2025): men's life
    expectancy, Birmingham −5.68 (−6.37 to −4.99) years, England −7.56 (−7.65 to −7.48), Coventry −8.76 (−9.89 to
    −7.63). England's is further from zero than Birmingham's: the larger gap; the difference 1.88 exceeds 1.96 ×
    hypot(1.38, 0.17) / 3.92 = 0.70, so it is judged. Coventry's exceeds England's by 1.19 > 1.96 × hypot(2.26,
    0.17) / 3.92 = 1.13.
    """
    row = re.compile(r'<th scope="row" role="rowheader">England</th>.*?data-h="Compared with [^"]+">([^<]+)<')
    assert row.search(rendered[BIRMINGHAM].texts["peers le_male"]).group(1) == "larger gap in England"
    assert row.search(rendered[COVENTRY].texts["peers le_male"]).group(1) == "larger gap in Coventry"
    for code in FIVE:
        for output, text in rendered[code].texts.items():
            if output.startswith("peers"):
                assert not re.search(r"\b(?:higher|lower) in\b", plain(text)), (code, output)


@pytest.mark.parametrize(("a", "b"), [((-5.68, -6.37, -4.99), (-7.56, -7.65, -7.48)),
                                      ((4.82, 4.38, 5.26), (8.48, 8.44, 8.51)),
                                      ((-2.22, -3.05, -1.40), (-2.0, float("nan"), float("nan")))])
def test_the_words_do_not_depend_on_the_sign(a, b):
    """A gradient and its mirror image (every sign flipped) get the same words."""
    names = ("A", "B")
    flipped = (-a[0], -a[2], -a[1]), (-b[0], -b[2], -b[1])  # value, lower, upper of the mirror image
    assert steeper(a, b, names=names, decimals=2) == steeper(*flipped, names=names, decimals=2)
    word = steeper(a, b, names=names, decimals=2).word
    larger = "A" if abs(a[0]) > abs(b[0]) else "B"
    assert word in (f"larger gap in {larger}", "no clear difference")


# --- A ward without a value is never ranked, placed or counted as 0 -------------------------------------------------

def test_a_ward_no_neighbourhood_is_assigned_to_says_so(rendered, store):
    """Bryher showed "Residents (Census 2021) 0"; 4 of Scilly's 5 wards and 20 of the City's 25 have none."""
    for code in FIVE:
        p = place_of(store, code)
        unassigned = set(p.wards.loc[p.wards["lsoa21_count"] == 0, "name"])
        display = citymap.ward_display_table(citymap.ward_table(p.values, p.wards, p.registry["imd25_score"], p.name),
                                             p.registry["imd25_score"]).set_index("Ward")
        residents = display["Residents (Census 2021)"]
        assert (residents[list(unassigned)] == "no neighbourhood is assigned to this ward").all()
        assert not (residents == "0").any()
    assert len(unassigned) == 4 and "Bryher" in unassigned


def test_a_ward_without_a_value_is_never_ranked_or_placed(store):
    """For every authority and indicator: no value, no rank and no place; one ward alone is not ranked;
    wards that all share one value are not placed in fifths (all five of the City's at 0% were "middle fifths")."""
    for code in FIVE:
        p = place_of(store, code)
        for ind in (i for i in p.registry.values() if i.on_ward_map):
            table = citymap.ward_table(p.values, p.wards, ind, p.name)
            empty = table[table["value"].isna()]
            assert empty["rank"].isna().all() and (empty["compared"] == NO_DATA).all(), (code, ind.id)
            have = table.dropna(subset=["value"])
            if len(have) == 1:
                assert have["rank"].isna().all() and have["rank_text"].eq("not ranked").all(), (code, ind.id)
            if len(have) > 1 and have["tied"].eq(len(have)).all():
                assert not have["compared"].str.contains("fifth").any(), (code, ind.id)
    city = citymap.ward_table(*(lambda p: (p.values, p.wards))(place_of(store, CITY_OF_LONDON)),
                              store.registry()["imd25_pct_d1"], "City of London")
    assert set(city.dropna(subset=["value"])["compared"]) == {"not compared"}


def test_one_ward_is_one_sentence(rendered):
    """One ward alone was once "highest in St Mary's (12.7), lowest in St Mary's (12.7)"."""
    assert rendered[SCILLY].texts["ward map imd25_score"].startswith(
        "Index of Multiple Deprivation 2025: average score, IoD 2025 (mostly 2022/23 data): only St Mary's has a value "
        "(12.7); Isles of Scilly as a whole 12.7. 4 wards have no figures: no neighbourhood is assigned to them.")
    # The City of London's men's life expectancy: its one MSOA's 84.6 years, shared by its 5 wards with a value.
    assert rendered[CITY_OF_LONDON].texts["ward map le_male"].startswith(
        "Life expectancy at birth: men, 2009-2013 (old: the newest small-area figures held): the same in each of the "
        "5 wards with a value (84.6 years)")
    for code in FIVE:
        for output, text in rendered[code].texts.items():
            if output.startswith("ward map"):
                # The value's bracket opens with a digit; "2 wards jointly (A and B)" is one name however many.
                found = re.search(r"highest in (.+?) \(\d.*?lowest in (.+?) \(\d", text.split("\n")[0])
                assert not (found and found.group(1) == found.group(2)), (code, output)
    # Its 13 indicators without an interval (the 9 IMD 2025 ones, IMD 2019 and 2015 shares, park distance and the
    # 2021-23 NO2 and PM2.5, less the income domain, which has one) were "Of the 0 without one": they are counted,
    # and said to be unplaced. DWP suppresses St Mary's child poverty (both years): no data, and said.
    assert ("Of the 13 without one, it is in the best fifth of wards on 0 and the worst fifth on 0, and not placed "
            "among the wards on 13") in rendered[SCILLY].texts["profile E05011093"]
    assert rendered[SCILLY].texts["profile E05011093"].startswith(
        "St Mary's is the only one of Isles of Scilly's wards with an Index of Multiple Deprivation 2025 figure "
        "(average score 12.7; Isles of Scilly 12.7), so it is not ranked.")


@pytest.mark.parametrize(("code", "first", "second"), [(SCILLY, "E05011093", "E05011090"),
                                                       (CITY_OF_LONDON, "E05009288", "E05009302")])
def test_pages_open_on_wards_with_figures(store, code, first, second):
    """The profile opened on Bryher (no figures) and compare on two wards without figures.

    St Mary's is the only Scilly ward with figures; Aldersgate and Cripplegate are the first of the City's five.
    """
    p = place_of(store, code)
    codes = sorted(p.wards["code"], key=dict(zip(p.wards["code"], p.wards["name"], strict=True)).get)
    assert opening_wards(codes, p.values, 2) == [first, second]
    names = dict(zip(p.wards["code"], p.wards["name"], strict=True))
    if code == SCILLY:
        pair = views.pair_view(two_wards(first, second, p.registry, p.values, names), names[first], names[second])
        assert pair.sentence == "No figures are held for Bryher, so nothing is compared."


@pytest.mark.parametrize(("code", "a", "b"), [(SCILLY, "St Mary's", "Bryher"),
                                              (CITY_OF_LONDON, "Aldersgate", "Cripplegate")])
def test_the_profile_and_compare_pages_open_there(store, national_built, monkeypatch, code, a, b):
    from tests.test_authorities_app import open_page

    monkeypatch.setenv("EXPLORER_STORE_DIR", str(national_built[0]))
    monkeypatch.delenv("EXPLORER_LA", raising=False)
    codes = {name: c for c, name in store.authority(code).names.items()}
    at = open_page("ward_profile", code)
    assert not at.exception and at.selectbox(key="ward").value == codes[a] and at.header[0].value == a
    at = open_page("compare", code)
    assert not at.exception and (at.selectbox(key="a").value, at.selectbox(key="b").value) == (codes[a], codes[b])


# --- Every output that shows a 2009-2013 figure says how old it is -------------------------------------------------

def _parts(text: str) -> list[str]:
    """A table's rows, a list's items, a file's lines: each read on its own."""
    return [part for part in re.split(r"</tr>|</li>|</p>|\n", text) if part.strip()]


def test_every_2009_13_figure_keeps_its_age(rendered):
    """The briefing printed "2009-2013" without "(old: the newest small-area figures held)".

    Every row, item or line of every output (briefing, profile, downloads, tables, sentences) that names the
    2009-2013 period names its age too.
    """
    unaged = []
    for code in FIVE:
        for output, text in rendered[code].texts.items():
            unaged += [(code, output, plain(part)[:120]) for part in _parts(text)
                       if re.search(r"2009.{0,3}(?:2013|13)", part) and not AGE.search(part)]
    assert not unaged, unaged[:5]
    assert rendered[COVENTRY].texts["briefing"].count("2009-2013 (old: the newest small-area figures held)") >= 7


# --- The priorities map's sentence ----------------------------------------------------------------------------------

def test_fewest_is_never_said_when_some_wards_have_none():
    """A sentence once read "fewest in Upper Stoke (1); 2 wards have none" (Jobs and money: libraries and family hubs).

    From data/registry/interventions.csv, as the priorities page locates each site: 25 libraries and family hubs,
    4 in St Michael's; none in Bablake or Sherbourne (9 wards have 1 each, Upper Stoke among them).
    """
    from explorer.models.provision import sites_map_sentence
    from explorer.pipeline.interventions import held_in, load_register, register_years
    from explorer.pipeline.priorities import default_types, load_priorities
    from geo.points import ward_of

    registry = {**load_registry(DATA / "registry" / "indicators.csv"),
                **load_registry(DATA / "registry" / "national_themes.csv")}  # the plan names national themes too
    priorities = load_priorities(DATA / "registry" / "priorities.csv", registry)
    wards = local.read_layer(PROCESSED, "wards")
    names = dict(zip(wards["code"], wards["name"], strict=True))
    rows = load_register(DATA / "registry" / "interventions.csv", {p.id for p in priorities}, set(wards["code"])).rows
    points = rows["location"] != "ward"
    rows["located_ward"] = rows["ward"]
    rows.loc[points, "located_ward"] = ward_of(rows.loc[points, "lat"], rows.loc[points, "lon"], wards)
    rows = rows[rows["located_ward"].notna()]
    types = sorted(rows["type"].unique())
    said = {}
    for priority in priorities:
        for year in (None, *register_years(rows)):
            sites = held_in(rows[rows["type"].isin(default_types(priority, types))], year)
            sentence = sites_map_sentence(sites["located_ward"], names)
            assert not ("fewest" in sentence and "none" in sentence), sentence
            said[(priority.id, year)] = sentence
    assert said[("economy", None)] == ("25 sites of the chosen types; most in St Michael's (4); 2 wards have none "
                                       "(Bablake and Sherbourne).")
