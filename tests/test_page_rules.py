"""Rules every page keeps, read from the pages' source, so a new page or button cannot forget them.

- Every download button starts no script run when clicked (``on_click="ignore"``): a run gives every deferred
  download a new handle, and a second click made before the page had them (CSV then Excel, a double click)
  found no file ("Deferred file ... not found"; tests/test_trust_browser.py clicks them).
- Every download button is given its file, never a function that builds it on click: a deferred file arrives after
  a round trip to the server, by when Chromium no longer counts the click as the visitor's and blocks every
  download after the first as "automatic" (CI, 2026-12-07: CSV then Excel clicked quickly gave one file).
- Every page but the kiosk loads static/connection.js, our own words when the server cannot be reached, in place
  of Streamlit's "Connection error ... streamlit run yourscript.py" (the kiosk has static/kiosk.js).
"""

import ast

import pytest

from tests.conftest import REPO

PAGES = sorted((REPO / "pages").glob("*.py"))


def download_calls(path):
    """Every ``download_button`` call in a page, as ast nodes."""
    def name(node):
        return getattr(node.func, "attr", getattr(node.func, "id", ""))
    return [node for node in ast.walk(ast.parse(path.read_text(encoding="utf-8")))
            if isinstance(node, ast.Call) and name(node) == "download_button"]


def download_buttons(path):
    """(line, on_click) of every ``download_button`` call in a page."""
    found = []
    for node in download_calls(path):
        on_click = next((k.value for k in node.keywords if k.arg == "on_click"), None)
        found.append((node.lineno, on_click.value if isinstance(on_click, ast.Constant) else on_click))
    return found


def test_the_pages_have_download_buttons_to_check():
    assert sum(len(download_buttons(path)) for path in PAGES) >= 9


@pytest.mark.parametrize("path", PAGES, ids=lambda p: p.name)
def test_every_download_button_starts_no_run(path):
    wrong = [line for line, on_click in download_buttons(path) if on_click != "ignore"]
    assert not wrong, f"{path.name} lines {wrong}: download_button(..., on_click=\"ignore\")"


@pytest.mark.parametrize("path", PAGES, ids=lambda p: p.name)
def test_every_download_button_is_given_its_file_not_a_function(path):
    def data(node):
        return node.args[1] if len(node.args) > 1 else next((k.value for k in node.keywords if k.arg == "data"), None)
    wrong = [node.lineno for node in download_calls(path) if isinstance(data(node), ast.Lambda)]
    assert not wrong, f"{path.name} lines {wrong}: give download_button the content (cache.download), not a lambda"


def test_every_page_but_the_kiosk_loads_our_connection_words():
    router = (REPO / "streamlit_app.py").read_text(encoding="utf-8")
    assert '<script src="/app/static/connection.js"></script>' in router
    script = (REPO / "static/connection.js").read_text(encoding="utf-8")
    assert "<a" not in script and "href" not in script  # no link in our words
    assert "stDialog" in script and "/_stcore/health" in script
