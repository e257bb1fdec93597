"""Rules every page keeps, read from the pages' source, so a new page or button cannot forget them.

- Every download button starts no script run when clicked (``on_click="ignore"``): a run gives every deferred
  download a new handle, and a second click made before the page had them (CSV then Excel, a double click)
  found no file ("Deferred file ... not found"; tests/test_trust_browser.py clicks them).
- Every page but the kiosk loads static/connection.js, our own words when the server cannot be reached, in place
  of Streamlit's "Connection error ... streamlit run yourscript.py" (the kiosk has static/kiosk.js).
"""

import ast

import pytest

from tests.conftest import REPO

PAGES = sorted((REPO / "pages").glob("*.py"))


def download_buttons(path):
    """(line, on_click) of every ``download_button`` call in a page."""
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Call) and getattr(node.func, "attr", getattr(node.func, "id", "")) == "download_button":
            on_click = next((k.value for k in node.keywords if k.arg == "on_click"), None)
            found.append((node.lineno, on_click.value if isinstance(on_click, ast.Constant) else on_click))
    return found


def test_the_pages_have_download_buttons_to_check():
    assert sum(len(download_buttons(path)) for path in PAGES) >= 9


@pytest.mark.parametrize("path", PAGES, ids=lambda p: p.name)
def test_every_download_button_starts_no_run(path):
    wrong = [line for line, on_click in download_buttons(path) if on_click != "ignore"]
    assert not wrong, f"{path.name} lines {wrong}: download_button(..., on_click=\"ignore\")"


def test_every_page_but_the_kiosk_loads_our_connection_words():
    router = (REPO / "streamlit_app.py").read_text(encoding="utf-8")
    assert '<script src="/app/static/connection.js"></script>' in router
    script = (REPO / "static/connection.js").read_text(encoding="utf-8")
    assert "<a" not in script and "href" not in script  # no link in our words
    assert "stDialog" in script and "/_stcore/health" in script
