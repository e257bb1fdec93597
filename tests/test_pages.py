"""One AppTest run of every page in the router, on the committed data: the quick check that each page opens.

The pages' own tests (tests/test_app.py and others) go through every ward, indicator and setting; this one is
the smoke `make test-quick` runs while you work.
"""

import re

import pytest
from streamlit.testing.v1 import AppTest

from tests.conftest import REPO

APP = REPO / "streamlit_app.py"
PAGES = re.findall(r'"(pages/\w+\.py)"', APP.read_text(encoding="utf-8"))


def test_the_router_lists_every_page_file():
    files = sorted(f"pages/{p.name}" for p in (REPO / "pages").glob("*.py") if not p.name.startswith("_"))
    assert sorted(PAGES) == files


@pytest.mark.parametrize("page", PAGES)
def test_the_page_opens_with_no_error(page):
    at = AppTest.from_file(str(APP), default_timeout=120)
    at.switch_page(page).run()
    assert not at.exception, [e.message for e in at.exception]
    assert not at.error, [e.value for e in at.error]
    shown = [*at.title, *at.header, *at.subheader, *at.markdown]
    assert any(element.value.strip() for element in shown), f"{page} shows no words"
