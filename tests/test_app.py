"""AppTest smoke tests: the home page runs for every indicator, and survives broken data."""

import pytest
from streamlit.testing.v1 import AppTest

from tests.conftest import REPO

APP = str(REPO / "streamlit_app.py")


def open_app():
    at = AppTest.from_file(APP, default_timeout=60)
    at.run()
    assert not at.exception, at.exception
    return at


def choose(at, theme, indicator):
    at.selectbox(key="theme").select(theme).run()
    at.selectbox(key="indicator").select(indicator).run()


@pytest.mark.slow  # every ward, indicator or setting: tests/test_pages.py opens each page once
def test_home_page_runs_for_every_indicator_with_and_without_neighbourhoods(registry):
    at = open_app()
    for ind in registry.values():
        if not ind.on_ward_map:
            continue
        choose(at, ind.theme, ind.id)
        assert not at.exception, (ind.id, at.exception)
        assert not at.error, (ind.id, [e.value for e in at.error])
        page_text = " ".join(m.value for m in at.markdown)
        assert ind.source in page_text and ind.period in page_text and ind.licence in page_text, ind.id
        assert any("<table" in h.value for h in at.html)  # the ward table
        at.toggle(key="small_areas").set_value(True).run()
        assert not at.exception and not at.error, (ind.id, "neighbourhoods")
        at.toggle(key="small_areas").set_value(False).run()


def test_old_life_expectancy_period_is_shown_prominently():
    at = open_app()
    choose(at, "Health", "le_male")
    assert any("2009-2013" in w.value for w in at.warning)


def test_ward_vintage_and_may_2026_change_are_stated():
    at = open_app()
    captions = " ".join(c.value for c in at.caption)
    assert "Coventry wards 2004 to May 2026" in captions and "May 2026" in captions


@pytest.mark.parametrize("victim", ["values.csv", "wards.parquet"])
def test_missing_processed_file_gives_a_clear_message(processed_copy, monkeypatch, victim):
    (processed_copy / victim).unlink()
    monkeypatch.setenv("EXPLORER_PACKS_DIR", str(processed_copy.parent.parent))
    at = open_app()
    assert any(victim in e.value and "restore it from git" in e.value for e in at.error)


def test_corrupt_neighbourhood_layer_leaves_the_ward_map_working(processed_copy, monkeypatch):
    path = processed_copy / "lsoa21.parquet"
    path.write_bytes(path.read_bytes()[:300])
    monkeypatch.setenv("EXPLORER_PACKS_DIR", str(processed_copy.parent.parent))
    at = open_app()
    at.toggle(key="small_areas").set_value(True).run()
    assert not at.exception
    assert any("lsoa21.parquet" in e.value and "ward map still works" in e.value for e in at.error)
    assert any("<table" in h.value for h in at.html)  # the ward table is still there


@pytest.mark.slow  # every ward, indicator or setting: tests/test_pages.py opens each page once
def test_ward_profile_runs_for_every_ward(wards):
    at = AppTest.from_file(APP, default_timeout=60)
    at.switch_page("pages/ward_profile.py").run()
    assert not at.exception, at.exception
    for code, name in zip(wards["code"], wards["name"], strict=True):
        at.selectbox(key="ward").select(code).run()
        assert not at.exception, (name, at.exception)
        assert not at.error, (name, [e.value for e in at.error])
        assert at.header[0].value == name
        assert any(name in m.value for m in at.markdown)


def test_ward_profile_postcode_search_opens_the_ward():
    at = AppTest.from_file(APP, default_timeout=60)
    at.switch_page("pages/ward_profile.py").run()
    at.text_input(key="postcode_text").input("cv2 2dx")
    at.button[0].click().run()
    assert not at.exception
    assert at.header[0].value == "Henley"
    # The wards of 2004 to May 2026 are no longer used: the answer is in the past tense.
    assert any("CV2 2DX was in Henley ward (one of the wards used until May 2026)." in s.value for s in at.success)
    at.text_input(key="postcode_text").input("<b>nope</b>")
    at.button[0].click().run()
    assert at.header[0].value == "Henley"  # unchanged
    assert any("does not look like a postcode" in w.value for w in at.warning)


@pytest.mark.slow  # every ward, indicator or setting: tests/test_pages.py opens each page once
def test_compare_page_runs_for_every_ward_and_indicator(wards, registry):
    at = AppTest.from_file(APP, default_timeout=60)
    at.switch_page("pages/compare.py").run()
    assert not at.exception, at.exception
    for code in wards["code"]:
        at.selectbox(key="a").select(code).run()
        assert not at.exception and not at.error, code
    for ind in registry.values():
        if ind.on_ward_map:
            at.selectbox(key="indicator").select(ind.id).run()
            assert not at.exception and not at.error, (ind.id, at.exception)
    at.radio(key="groups").set_value("Tenths (deciles)").run()
    assert not at.exception and not at.error


def count_types(at) -> dict:
    counts: dict[str, int] = {}

    def walk(node):
        children = getattr(node, "children", None)
        if isinstance(children, dict):
            for child in children.values():
                kind = getattr(child, "type", type(child).__name__)
                counts[kind] = counts.get(kind, 0) + 1
                walk(child)

    walk(at._tree[0])
    return counts


@pytest.mark.parametrize(
    "page, setup",
    [
        ("pages/city_map.py", lambda at: at.selectbox(key="theme").select("Health").run()),
        ("pages/city_map.py", lambda at: at.selectbox(key="theme").select("Fly-tipping").run()),
        ("pages/ward_profile.py", lambda at: at.selectbox(key="ward").select("E05001222").run()),
        ("pages/compare.py", lambda at: at.selectbox(key="indicator").select("no2_background").run()),
        ("pages/compare.py", lambda at: at.selectbox(key="indicator").select("le_female").run()),
        ("pages/priorities.py", lambda at: at.selectbox(key="priority").select(
            "Tackling the causes and consequences of climate change").run()),
    ],
)
def test_every_chart_and_map_has_a_text_alternative(page, setup):
    at = AppTest.from_file(APP, default_timeout=60)
    at.switch_page(page).run()
    setup(at)
    assert not at.exception
    counts = count_types(at)
    visuals = counts.get("component_instance", 0) + counts.get("vega_lite_chart", 0)
    described = [m.value for m in at.markdown if m.value.startswith(("**What the map shows.**",
                                                                       "**What the chart shows.**"))]
    assert visuals >= 1
    assert len(described) >= visuals, (page, visuals, described)


@pytest.mark.slow  # every ward, indicator or setting: tests/test_pages.py opens each page once
def test_priorities_page_runs_for_every_priority_and_weighting():
    at = AppTest.from_file(APP, default_timeout=60)
    at.switch_page("pages/priorities.py").run()
    assert not at.exception, at.exception
    for title in at.selectbox(key="priority").options:
        at.selectbox(key="priority").select(title).run()
        assert not at.exception and not at.error, (title, at.exception)
        if at.slider:
            at.slider[0].set_value(3).run()
            assert not at.exception, title
            assert any(m.value.startswith(("**High need, low provision", "**No ward is both")) for m in at.markdown)


def test_switching_priority_opens_it_with_its_own_defaults():
    """Weights, provision types and distance chosen for one priority never carry over to the next."""
    at = AppTest.from_file(APP, default_timeout=60)
    at.switch_page("pages/priorities.py").run()
    assert at.multiselect(key="provision_types").value == ["Library", "Family hub"]
    at.multiselect(key="provision_types").select("GP practice").run()
    at.slider(key="reach_m").set_value(1500).run()
    at.slider(key="w_imd25_income").set_value(3).run()
    at.selectbox(key="priority").select("Tackling the causes and consequences of climate change").run()
    assert at.multiselect(key="provision_types").value == ["EV charge point", "Waste drop site"]
    assert at.slider(key="reach_m").value == 800
    climate = ["no2_background", "pm25_background", "iod_air_quality", "green_space_distance", "flytipping_fms",
               "garden_all", "garden_flats"]
    assert {s.key: s.value for s in at.slider if s.key.startswith("w_")} == {f"w_{k}": 1 for k in climate}
    at.selectbox(key="priority").select("Increasing the economic prosperity of the city and region").run()
    assert at.multiselect(key="provision_types").value == ["Library", "Family hub"]
    assert at.slider(key="reach_m").value == 800 and at.slider(key="w_imd25_income").value == 1
    assert not at.exception and not at.warning


def test_a_count_is_never_weighed_as_need_on_the_priorities_page():
    """Children in low-income families is a count: mapped and described, never a weighted need score."""
    at = AppTest.from_file(APP, default_timeout=60)
    at.switch_page("pages/priorities.py").run()
    for title in ("Increasing the economic prosperity of the city and region",
                  "Improving outcomes and tackling inequalities within our communities"):
        at.selectbox(key="priority").select(title).run()
        assert not at.exception, at.exception
        weights = {s.key for s in at.slider if s.key.startswith("w_")}
        assert weights and "w_cilif_children" not in weights, weights
        assert any(c.value.startswith("Children aged 0-19 in relative low-income families (number) is left out of "
                                      "the need score: a count, not a rate") for c in at.caption)
        maps = [m.value for m in at.markdown if m.value.startswith("**What the map shows.** Children aged 0-19")]
        assert maps and "largest in" in maps[0] and "Coventry's total 22,286 children" in maps[0], maps


def test_register_bad_row_is_reported_and_the_rest_kept(tmp_path, monkeypatch):
    import shutil

    from tests.conftest import DATA

    packs = tmp_path / "packs"  # the app reads the register as Coventry's pack build left it
    shutil.copytree(DATA / "packs", packs)
    register = packs / "coventry/built/interventions.csv"
    register.write_text(register.read_text()
                        + "x-1,New hub,Family hub,communities,1,point,52.41,-1.51,,2026,me,period,2026-01,\n"
                        "x-2,Typo hub,Family hub,communites,1,point,52.41,-1.51,,2026,me,period,2026-01,\n")
    monkeypatch.setenv("EXPLORER_PACKS_DIR", str(packs))
    at = AppTest.from_file(APP, default_timeout=60)
    at.switch_page("pages/priorities.py").run()
    assert not at.exception
    assert any("row 670, column 'priority': 'communites' is not a priority id" in w.value for w in at.warning)
    # The good new row counts: 17 libraries + 8 family hubs seeded, plus the officer's hub.
    assert any("(26 of the chosen types)" in c.value for c in at.caption)


def open_kiosk():
    at = AppTest.from_file(APP, default_timeout=60)
    at.switch_page("pages/kiosk.py")
    at.run()
    assert not at.exception, at.exception
    return at


@pytest.mark.slow  # every ward, indicator or setting: tests/test_pages.py opens each page once
def test_kiosk_every_ward_from_the_list_then_start_again(wards):
    at = open_kiosk()
    assert [t.value for t in at.title] == ["Touch to explore your area"]
    at.button(key="kiosk_start").click().run()
    at.button(key="mode_list").click().run()
    for code, name in zip(wards["code"], wards["name"], strict=True):
        at.button(key=f"ward_{code}").click().run()
        assert not at.exception and not at.error, (name, at.exception)
        assert at.header[0].value == name
        assert len(at.caption) >= 4  # how, when and who beside every fact
        at.button(key="another_top").click().run()
    at.button(key="find_restart").click().run()
    assert [t.value for t in at.title] == ["Touch to explore your area"]
    assert "ward" not in at.session_state and not at.query_params


@pytest.mark.parametrize(("typed", "expect"), [("CV15FB", "St Michael's"), ("B11AA", None), ("", None)])
def test_kiosk_postcode_keypad(typed, expect):
    at = open_kiosk()
    at.button(key="kiosk_start").click().run()
    at.button(key="mode_postcode").click().run()
    for key in typed:
        at.button(key=f"key_{key}").click().run()
    at.button(key="key_find").click().run()
    assert not at.exception
    if expect:
        assert at.header[0].value == expect
    else:
        assert at.warning and not at.header  # a message, and the keypad stays


def test_kiosk_has_no_downloads_uploads_or_links_out():
    at = open_kiosk()
    at.button(key="kiosk_start").click().run()
    at.button(key="mode_list").click().run()
    at.button(key="ward_E05001222").click().run()
    kinds = {type(e).__name__ for e in at.main}
    html = " ".join(m.value for m in at.markdown)
    assert "DownloadButton" not in kinds and "FileUploader" not in kinds
    assert "<a " not in html and "](" not in html  # no links (the browser test also checks the drawn page)


def test_kiosk_settings_problem_is_shown_to_staff_only(monkeypatch):
    monkeypatch.setenv("EXPLORER_KIOSK_IDLE_SECONDS", "never")
    monkeypatch.setenv("EXPLORER_KIOSK_PIN", "1357")
    at = open_kiosk()
    assert not at.error  # visitors get the defaults, not a message
    for _ in range(5):
        at.button(key="kiosk_banner").click().run()
    assert any("EXPLORER\\_KIOSK\\_IDLE\\_SECONDS" in e.value for e in at.error), [e.value for e in at.error]


@pytest.mark.slow  # every ward, indicator or setting: tests/test_pages.py opens each page once
def test_my_area_runs_for_every_ward(wards):
    at = AppTest.from_file(APP, default_timeout=60)
    at.switch_page("pages/my_area.py")
    at.run()
    for code, name in zip(wards["code"], wards["name"], strict=True):
        at.selectbox(key="ward").set_value(code).run()
        assert not at.exception and not at.error, (name, at.exception)
        assert at.header[0].value == name
