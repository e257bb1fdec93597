"""The index document a first visit loads (pages/_index_page.py): no font it does not use, hints for the map.

Over HTTP in tests/test_api_http.py; in a browser (no Source Sans or syntax-highlighter download) in
tests/test_first_visit_browser.py.
"""

import csv
import html
import logging

import pytest

from pages import _index_page as index_page

STREAMLIT_INDEX = (index_page.STREAMLIT_STATIC / "index.html").read_bytes()


@pytest.fixture(autouse=True)
def fresh_hints():
    index_page.hints.cache_clear()
    yield
    index_page.hints.cache_clear()


def write_hints(path, rows):
    with path.open("w", newline="", encoding="utf-8") as f:
        w = csv.DictWriter(f, ["href", "kind", "pages", "why"])
        w.writeheader()
        w.writerows(rows)
    return path


def test_streamlits_index_loses_its_font_preload_and_gains_local_faces_and_the_maps_hints():
    assert b"SourceSansVF-Upright" in STREAMLIT_INDEX  # what is taken away is there to take
    page = index_page.rewrite(STREAMLIT_INDEX, "/")
    assert b"SourceSans" not in page
    assert page.count(b'@font-face{font-family:"Source Sans"') == 4  # regular, bold, italic, bold italic
    assert b"local('Arial')" in page and b"local('Liberation Sans Bold')" in page
    head = page[:page.index(b"</head>")]
    assert b'<link rel="preload" as="style" href="/app/static/vendor/leaflet/leaflet.css">' in head
    streamlits = index_page.FONT_PRELOAD.sub(b"", STREAMLIT_INDEX, count=1)
    streamlits = index_page.LANG.sub(b'<html lang="en-GB">', index_page.TITLE.sub(b"", streamlits, count=1))
    ours = index_page.TITLE.sub(b"", page.replace(index_page.LOCAL_SOURCE_SANS + index_page.hints("/"), b""))
    assert ours.replace(b'<meta name="description" content="' + html.escape(index_page.DESCRIPTION).encode() + b'">',
                        b"") == streamlits  # nothing else changed


def test_the_index_document_names_the_explorer_in_british_english_before_the_app_runs():
    """The tester found the title "Streamlit", no description and lang "en" until the app's first message."""
    assert b"<title>Streamlit</title>" in STREAMLIT_INDEX and b'<html lang="en">' in STREAMLIT_INDEX
    page = index_page.rewrite(STREAMLIT_INDEX, "/kiosk").decode()
    assert "<title>Ward-level inequality explorer</title>" in page and "Streamlit</title>" not in page
    assert '<meta name="description" content="The gaps between the most and least deprived wards' in page
    assert page.count("<html") == 1 and '<html lang="en-GB">' in page


def test_every_listed_hint_names_a_file_this_streamlit_and_static_folder_hold():
    """Fails after a Streamlit upgrade renames its chunks: `python -m bench.first_visit_hints` lists the new ones."""
    with index_page.HINTS.open(newline="", encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    assert rows
    for row in rows:
        found = index_page.local_file(row["href"])
        assert found is not None and found.is_file(), f"deploy/first_visit.csv: {row['href']} is not held"
        assert row["kind"] in index_page.KINDS and row["why"].strip(), row


def test_a_page_gets_its_own_hints_and_an_unrecorded_page_only_those_every_recorded_page_needed(tmp_path):
    path = write_hints(tmp_path / "hints.csv", [
        {"href": "/app/static/kiosk.js", "kind": "script", "pages": "/kiosk", "why": "kiosk"},
        {"href": "/app/static/history.js", "kind": "script", "pages": "/", "why": "home"},
        {"href": "/app/static/icons.js", "kind": "script", "pages": "/ /kiosk", "why": "both"},
    ])
    assert index_page.hints("/kiosk", path).count(b"<link") == 2 and b"kiosk.js" in index_page.hints("/kiosk/", path)
    assert b"history.js" in index_page.hints("/", path) and b"kiosk.js" not in index_page.hints("/", path)
    assert index_page.hints("/compare", path) == b'<link rel="preload" as="script" href="/app/static/icons.js">'


def test_a_missing_or_bad_hint_is_left_out_and_named_in_the_log(tmp_path, caplog):
    path = write_hints(tmp_path / "hints.csv", [
        {"href": "./static/js/Gone.abc123.js", "kind": "module", "pages": "/", "why": "renamed by an upgrade"},
        {"href": "https://cdn.example.org/x.js", "kind": "script", "pages": "/", "why": "never another host"},
        {"href": "/app/static/icons.js", "kind": "font", "pages": "/", "why": "no such kind"},
        {"href": "/app/static/icons.js", "kind": "script", "pages": "/", "why": "fine"},
    ])
    with caplog.at_level(logging.WARNING, logger=index_page.__name__):
        assert index_page.hints("/", path) == b'<link rel="preload" as="script" href="/app/static/icons.js">'
    said = caplog.text
    assert "row 3" in said and "cdn.example.org" in said and "row 4" in said and "Gone.abc123.js" in said
    assert "python -m bench.first_visit_hints" in said


def test_no_hints_file_and_hints_turned_off_still_drop_the_font(tmp_path, monkeypatch):
    assert index_page.hints("/", tmp_path / "none.csv") == b""
    monkeypatch.setenv("EXPLORER_FIRST_VISIT_HINTS", "0")
    page = index_page.rewrite(STREAMLIT_INDEX, "/")
    assert b"SourceSans" not in page and b"leaflet" not in page
    assert index_page.rewrite(b"<p>not an index</p>") == b"<p>not an index</p>"
