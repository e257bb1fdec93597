"""Our words never carry a link we did not write.

``/ward_profile?ward=Sign+in+again+at+https%3A%2F%2Fevil.example%2Flogin`` used to show a live link to evil.example
in the notice: Markdown (GitHub's autolinks, as Streamlit renders it) makes a link of a bare address even with its
``:`` and ``.`` escaped. Every query parameter of every page is driven here with addresses of every kind, and
every string Streamlit is sent for the page (Markdown, alerts, captions, headings, labels, HTML) is read as the
reader would see it: outside code spans, no address-like text from the link may be left. Which parameters a page
has is read from the page itself (each bound widget's ``query_param_key``), so a new one is covered too.

The browser half (no ``<a>`` to evil.example on the page as drawn) is in tests/test_trust_browser.py.
"""

import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from streamlit.testing.v1 import AppTest

from explorer.models.text import md_escape
from tests.conftest import REPO
from tests.markdown_text import outside_code, read

pytestmark = pytest.mark.slow  # every bound query parameter of every page

APP = str(REPO / "streamlit_app.py")
PAGES = ["city_map", "ward_profile", "compare", "my_area", "priorities", "about", "accessibility", "kiosk"]
PAYLOADS = [
    "Sign in again at https://evil.example/login",
    "http://evil.example/x",
    "HTTPS://EVIL.EXAMPLE/LOGIN",
    "see www.evil.example now",
    "evil.example/login",
    "Foleshill evil.example",
    "javascript:alert(document.cookie)",
    "data:text/html,<script>alert(1)</script>",
    "mailto:help@evil.example",
    "write to help@evil.example",
    "[Sign in](https://evil.example/login)",
    '<a href="https://evil.example/login">Sign in</a>',
    "https%3A%2F%2Fevil.example%2Flogin",  # percent-encoded twice in the address: once decoded, still this
    "evil。example/login",  # a full stop browsers accept in a host name
    "`https://evil.example` ``x``",  # backticks, to break out of a code span
    "<https://evil.example>",
]
# Anything a reader, a Markdown renderer or a browser could take for an address.
ADDRESS = re.compile(r"evil\s*[.。．｡]\s*example|javascript:|data:|mailto:|www[.]|https?:|%3A%2F%2F", re.IGNORECASE)
SKIP_FIELDS = {"id", "form_id", "query_param_key", "deferred_file_id", "fragment_id", "key"}


def strings(message, path: str = "") -> list[tuple[str, str]]:
    """Every string field of a protobuf message, at any depth, with its field path."""
    found = []
    for field, value in message.ListFields():
        where = f"{path}.{field.name}"
        single = isinstance(value, str | bytes) or not hasattr(value, "__iter__") or hasattr(value, "ListFields")
        values = [value] if single else list(value)
        for item in values:
            if isinstance(item, str) and field.name not in SKIP_FIELDS:
                found.append((where, item))
            elif hasattr(item, "ListFields"):
                found += strings(item, where)
    return found


def shown(at: AppTest) -> list[tuple[str, str]]:
    """(element and field, text) for every string of every element in the main area and the sidebar."""
    out = []

    def walk(node):
        proto = getattr(node, "proto", None)
        if proto is not None and hasattr(proto, "ListFields"):
            out.extend((f"{type(node).__name__}{where}", text) for where, text in strings(proto))
        for child in getattr(node, "children", {}).values():
            walk(child)

    walk(at.main)
    walk(at.sidebar)
    return out


def addresses(at: AppTest) -> list[tuple[str, str]]:
    """Address-like text outside code spans: (where, the text around it)."""
    found = []
    for where, text in shown(at):
        seen = outside_code(text)
        found += [(where, seen[max(0, m.start() - 40):m.end() + 40]) for m in ADDRESS.finditer(seen)]
    return found


def open_page(page: str, params: dict[str, str], checked: list | None = None) -> AppTest:
    """Open ``page`` with ``params``: first through the router (which reads ``la`` and draws its notices, on the
    home page), then the page itself (AppTest runs a switched-to page on its own). ``checked`` collects the
    addresses left on the router's run."""
    at = AppTest.from_file(APP, default_timeout=120)
    for key, value in params.items():
        at.query_params[key] = value
    at.run()
    assert not at.exception, at.exception
    if checked is not None:
        checked += addresses(at)
    if page != "city_map":
        at.switch_page(f"pages/{page}.py")
        at.run()
        assert not at.exception, at.exception
    return at


def bound_params(at: AppTest) -> set[str]:
    """The query parameters the page's widgets are bound to (read from the page, so none is forgotten), and la."""
    found = {"la"}

    def walk(node):
        proto = getattr(node, "proto", None)
        if getattr(proto, "query_param_key", ""):
            found.add(proto.query_param_key)
        for child in getattr(node, "children", {}).values():
            walk(child)

    walk(at.main)
    walk(at.sidebar)
    return found


@pytest.mark.parametrize("page", PAGES)
def test_no_query_parameter_puts_a_link_we_did_not_write_on_the_page(page):
    plain = open_page(page, {})
    keys = bound_params(plain)
    if page == "kiosk":
        keys |= {"ward", "screen"}  # the kiosk reads none: a link may still carry them
    baseline = {text for _, text in addresses(plain)}
    for payload in PAYLOADS:
        on_router: list = []
        at = open_page(page, {key: payload for key in keys}, on_router)
        left = [(where, text) for where, text in on_router + addresses(at) if text not in baseline]
        assert not left, (payload, sorted(keys), left[:3])
        notices = " ".join(outside_code(i.value) for i in at.info)
        if page in ("ward_profile", "compare", "my_area") and "evil" in payload.casefold():
            assert "link asked for" in notices  # the payload was shown (as code), not silently dropped


@pytest.mark.parametrize("payload", PAYLOADS[:4] + PAYLOADS[10:12])
def test_the_pinned_authoritys_notice_carries_no_link(payload, monkeypatch):
    """With EXPLORER_LA set, a link's ?la= is named in a notice ("the link's local authority ... is not shown")."""
    monkeypatch.setenv("EXPLORER_LA", "Coventry")
    at = open_page("city_map", {"la": payload})
    assert any("is not shown" in i.value for i in at.info)  # drawn by the router
    assert not addresses(at), addresses(at)[:3]


@pytest.mark.parametrize("payload", PAYLOADS)
def test_the_postcode_box_answers_with_no_link(payload):
    at = open_page("ward_profile", {})
    at.text_input(key="postcode_text").input(payload[:40])
    next(b for b in at.button if b.label == "Find my ward").click().run()
    assert not at.exception and not addresses(at), addresses(at)[:3]


ADDRESSY = st.one_of(
    st.sampled_from(PAYLOADS),
    st.tuples(st.text(max_size=30), st.sampled_from(PAYLOADS), st.text(max_size=30)).map(" ".join),
    st.from_regex(r"(https?://|www\.|mailto:|javascript:)?[a-z]{1,8}\.[a-z]{2,6}(/[a-z`\\]{0,8})?", fullmatch=True),
)


@settings(max_examples=1500, deadline=None)
@given(text=ADDRESSY)
def test_md_escape_leaves_no_address_outside_code_and_shows_the_text_as_written(text):
    outside, whole = read(md_escape(text))
    assert not ADDRESS.search(outside), md_escape(text)
    assert whole == text
