"""The icon font's subset (deploy/icon_font.py) and how the app serves it (pages/_http.py ``IconFont``).

Every icon the app can show must shape, in the subset, to the very glyph Streamlit's own font draws for it: the
names are gathered here on their own (not through the builder), so a source the builder forgets fails a test. An
icon nobody uses must be absent (or the subset would be the whole font). Over HTTP, the font address Streamlit's
CSS names answers the subset.
"""

import asyncio
import csv
import http.client
import re
import urllib.parse
from pathlib import Path

import pytest
from fontTools.ttLib import TTFont

from deploy import icon_font, launch
from geo.errors import DataError
from pages import _http
from tests.conftest import REPO

UNUSED = "zoom_in"  # no page, registry or pack names it, nor Streamlit's own interface


@pytest.fixture(scope="module")
def subset_file() -> Path:
    """The subset the app serves (``make assets`` builds it; built here if it is missing)."""
    if not icon_font.OUTPUT.is_file():
        icon_font.build()
    return icon_font.OUTPUT


@pytest.fixture(scope="module")
def original() -> TTFont:
    return TTFont(icon_font.streamlit_font())


def icons_in_use() -> dict[str, str]:
    """Every icon name the app's pages, registries and packs name, and Streamlit's bundle, read here directly."""
    names = {}
    for path in [REPO / "streamlit_app.py", *sorted((REPO / "pages").glob("*.py"))]:
        for name in re.findall(r":material/([a-z0-9_]+):", path.read_text("utf-8")):
            names.setdefault(name, str(path.relative_to(REPO)))
    for path in [REPO / "data/registry/kiosk_facts.csv", *sorted(REPO.glob("data/packs/*/built/kiosk_facts.csv")),
                 *sorted(REPO.glob("data/packs/*/kiosk_facts.csv"))]:
        with open(path, encoding="utf-8-sig") as handle:
            for row in csv.DictReader(handle):
                names.setdefault(row["icon"], str(path.relative_to(REPO)))
    bundle = icon_font.streamlit_static() / "static" / "js"
    for path in bundle.glob("*.js"):
        for name in re.findall(r":material/([a-z0-9_]+):", path.read_text("utf-8", errors="replace")):
            names.setdefault(name, path.name)
    return names


def shape(font: TTFont, name: str) -> list[str]:
    """The glyphs ``name`` becomes in ``font``: its letters by the cmap, then the first ligature (GSUB type 4,
    inside type 7 extensions) whose first glyph and components match, as a browser applies ``rlig``."""
    cmap = font.getBestCmap()
    glyphs = [cmap.get(ord(c), ".notdef") for c in name]
    for lookup in font["GSUB"].table.LookupList.Lookup:
        for sub in lookup.SubTable:
            sub = sub.ExtSubTable if lookup.LookupType == 7 else sub
            if sub.LookupType != 4:
                continue
            for lig in sub.ligatures.get(glyphs[0], []):
                if list(lig.Component) == glyphs[1:]:
                    return [lig.LigGlyph]
    return glyphs


def test_the_app_names_icons_from_every_source():
    names = icons_in_use()
    assert {"touch_app", "map", "dialpad"} <= set(names)  # the kiosk's buttons
    assert "favorite" in names  # a fact's icon, named only in data/registry/kiosk_facts.csv
    assert "keyboard_double_arrow_left" in names  # Streamlit's own sidebar button


def test_every_icon_in_use_is_one_glyph_of_the_subset_drawn_as_before(subset_file, original):
    font = TTFont(subset_file)
    lacking = [n for n in icons_in_use() if len(shape(original, n)) != 1]
    assert set(lacking) <= {"star_filled"}, "Streamlit's bundle names an icon its own font lacks"  # as shipped
    for name, where in icons_in_use().items():
        if name in lacking:
            continue
        glyphs = shape(font, name)
        assert len(glyphs) == 1 and glyphs[0] != ".notdef", (
            f"{name} ({where}) is not in {subset_file.name}: run `make assets` (python -m deploy.icon_font)")
        before, after = original["glyf"][shape(original, name)[0]], font["glyf"][glyphs[0]]
        assert after.numberOfContours > 0
        assert list(after.getCoordinates(font["glyf"])[0]) == list(before.getCoordinates(original["glyf"])[0])
        assert font["hmtx"][glyphs[0]] == original["hmtx"][shape(original, name)[0]]
    # the line the icons sit on and the box they fill
    assert (font["hhea"].ascent, font["hhea"].descent) == (original["hhea"].ascent, original["hhea"].descent)
    assert font["head"].unitsPerEm == original["head"].unitsPerEm


def test_an_icon_nobody_uses_is_left_out(subset_file, original):
    assert UNUSED not in icons_in_use()
    assert len(shape(original, UNUSED)) == 1
    assert len(shape(TTFont(subset_file), UNUSED)) == len(UNUSED)  # letters, not an icon
    assert subset_file.stat().st_size < 60_000 < icon_font.streamlit_font().stat().st_size


def fake_repo(tmp_path: Path, icon: str, pack_icon: str = "home") -> Path:
    """A repository with one page icon, the national facts naming ``icon`` and one pack's facts ``pack_icon``."""
    (tmp_path / "pages").mkdir(parents=True)
    (tmp_path / "explorer").mkdir()
    (tmp_path / "streamlit_app.py").write_text('st.button("Go", icon=":material/touch_app:")\n')
    registry = tmp_path / "data" / "registry"
    registry.mkdir(parents=True)
    for name in ("pack_columns.csv", "pack_parts.csv"):
        (registry / name).write_bytes((REPO / "data" / "registry" / name).read_bytes())
    (registry / "kiosk_facts.csv").write_text(f"order,icon,heading\n1,home,Money\n2,{icon},Health\n")
    built = tmp_path / "data" / "packs" / "somewhere" / "built"
    built.mkdir(parents=True)
    (built / "kiosk_facts.csv").write_text(f"order,icon,heading\n1,{pack_icon},Parks\n")
    return tmp_path


def test_a_new_icon_of_a_registry_or_a_pack_is_picked_up_by_a_rebuild(tmp_path):
    repo = fake_repo(tmp_path / "repo", "favorite", pack_icon=UNUSED)
    done = icon_font.build(output=tmp_path / "subset.woff2", repo=repo)
    font = TTFont(tmp_path / "subset.woff2")
    for name in ("touch_app", "favorite", UNUSED, "home"):
        assert len(shape(font, name)) == 1, name
    assert len(shape(font, "park")) == 4
    assert done["after"] < done["before"] / 10
    again = icon_font.build(output=tmp_path / "again.woff2", repo=repo)  # the same icons, the same bytes (ETag)
    assert again["digest"] == done["digest"]


def test_a_misspelt_icon_is_an_error_naming_file_row_and_column(tmp_path):
    repo = fake_repo(tmp_path / "repo", "favourite")
    with pytest.raises(DataError) as error:
        icon_font.build(output=tmp_path / "subset.woff2", repo=repo)
    assert (error.value.file, error.value.row, error.value.column) == ("data/registry/kiosk_facts.csv", 2, "icon")
    assert "favourite" in str(error.value)
    assert not (tmp_path / "subset.woff2").exists()


def call(app, path: str, headers: dict | None = None) -> tuple[int, dict, bytes]:
    """One GET through an ASGI app: status, headers (lower case), body."""
    scope = {"type": "http", "method": "GET", "path": path, "raw_path": path.encode(), "query_string": b"",
             "headers": [(k.lower().encode(), v.encode()) for k, v in (headers or {}).items()],
             "http_version": "1.1", "scheme": "http", "server": ("test", 80), "client": ("test", 1)}
    sent: list[dict] = []

    asked: list[bool] = []

    async def receive():  # the request's (empty) body, then nothing until the answer is sent, as a client would
        if asked:
            await asyncio.sleep(60)
            return {"type": "http.disconnect"}
        asked.append(True)
        return {"type": "http.request", "body": b"", "more_body": False}

    async def send(message):
        sent.append(message)

    asyncio.run(app(scope, receive, send))
    start = sent[0]
    return (start["status"], {k.decode(): v.decode() for k, v in start["headers"]},
            b"".join(m.get("body", b"") for m in sent[1:]))


async def streamlits_own(scope, receive, send):
    await send({"type": "http.response.start", "status": 200, "headers": [(b"content-type", b"font/woff2")]})
    await send({"type": "http.response.body", "body": b"streamlit's own"})


FONT = "/static/media/MaterialSymbols-Rounded.nEdyypZU.woff2"


def test_the_subset_answers_with_a_year_of_cache_and_a_content_etag(tmp_path):
    subset = tmp_path / "subset.woff2"
    subset.write_bytes(b"first")
    app = _http.IconFont(streamlits_own, subset=subset)
    status, headers, body = call(app, FONT)
    assert (status, body, headers["content-type"]) == (200, b"first", "font/woff2")
    assert "max-age=31536000" in headers["cache-control"]
    assert call(app, FONT, {"If-None-Match": headers["etag"]})[0] == 304
    subset.write_bytes(b"second")
    status, again, body = call(app, FONT, {"If-None-Match": headers["etag"]})
    assert (status, body) == (200, b"second") and again["etag"] != headers["etag"]
    assert call(app, "/static/js/index.js")[2] == b"streamlit's own"  # anything else goes on to Streamlit
    base = _http.IconFont(streamlits_own, base_url="explorer", subset=subset)
    assert call(base, "/explorer" + FONT)[2] == b"second"


def test_without_the_subset_streamlits_own_font_answers_and_the_log_says_so(tmp_path, caplog):
    app = _http.IconFont(streamlits_own, subset=tmp_path / "missing.woff2")
    assert call(app, FONT) == (200, {"content-type": "font/woff2"}, b"streamlit's own")
    assert call(app, FONT)[2] == b"streamlit's own"
    said = [r for r in caplog.records if "missing.woff2 is missing" in r.getMessage()]
    assert len(said) == 1 and "make assets" in said[0].getMessage()


def get(netloc: str, path: str) -> tuple[int, dict, bytes]:
    connection = http.client.HTTPConnection(netloc, timeout=60)
    try:
        connection.request("GET", path)
        reply = connection.getresponse()
        return reply.status, {k.lower(): v for k, v in reply.getheaders()}, reply.read()
    finally:
        connection.close()


def test_the_font_streamlits_css_names_is_the_subset_over_http(subset_file):
    with launch.serving(env={"EXPLORER_WARM_UP": "0"}, timeout=120) as running:
        netloc = urllib.parse.urlsplit(running.url).netloc
        page = get(netloc, "/")[2].decode()
        css = re.search(r'href="\.?/?(static/css/index\.[^"]+\.css)"', page).group(1)
        font_url = re.search(r"url\(\.\./media/(MaterialSymbols-Rounded\.[^)]+\.woff2)\)",
                             get(netloc, "/" + css)[2].decode()).group(1)
        status, headers, body = get(netloc, "/static/media/" + font_url)
    assert status == 200 and headers["content-type"] == "font/woff2"
    assert body == subset_file.read_bytes() and len(body) < 60_000
    assert "immutable" in headers["cache-control"] and headers["etag"]
