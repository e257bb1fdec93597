"""Over HTTP, straight to the app and through HAProxy: the data API's files, its 404s, compression and frames.

The app reads a copy of the five-authority store (``EXPLORER_STORE_DIR``) whose API folder also holds two planted
symbolic links, one to a file and one to a folder outside it: neither may answer.
"""

import gzip
import http.client
import json
import os
import re
import shutil
import urllib.parse

import pytest

from deploy import launch
from tests.conftest import COVENTRY

BASE = "/app/static/api/v1/"
HAPROXY_PORT = 8621  # this part's HAProxy ports are 8621-8629
SECRET = "secret,never served\n"


@pytest.fixture(scope="module")
def store(national_built, tmp_path_factory):
    built = national_built[0]
    root = tmp_path_factory.mktemp("served")
    store = root / "v1"
    store.mkdir()
    for path in built.iterdir():
        if path.name != "api":
            (store / path.name).symlink_to(path)
    shutil.copytree(built / "api", store / "api")
    outside = root / "outside"
    outside.mkdir()
    (outside / "secret.csv").write_text(SECRET)
    (store / "api" / COVENTRY / "leak.csv").symlink_to(outside / "secret.csv")
    (store / "api" / "linked").symlink_to(outside, target_is_directory=True)
    (store / "secret.csv").write_text(SECRET)  # beside api/, inside the store
    return store


@pytest.fixture(scope="module", params=["app", "haproxy"])
def server(request, store, tmp_path_factory):
    env = {"EXPLORER_WARM_UP": "0", "EXPLORER_STORE_DIR": str(store)}
    if request.param == "app":
        with launch.serving(env=env, timeout=120) as running:
            yield urllib.parse.urlsplit(running.url).netloc
        return
    if not shutil.which("haproxy"):
        if os.environ.get("CI"):
            pytest.fail("Debian haproxy is required for the replica tests in CI", pytrace=False)
        pytest.skip("haproxy not installed")
    from deploy.replicas import Replicas

    with Replicas(1, HAPROXY_PORT, tmp_path_factory.mktemp("balancer"), env=env, start_timeout=120) as running:
        netloc = urllib.parse.urlsplit(running.url).netloc
        get(netloc, "/")  # a visit starts with the page, which brings the balancer's cookie
        yield netloc


COOKIES: dict[str, str] = {}  # by address: the balancer's sticky cookie, sent back as a browser does


def get(netloc: str, raw_path: str, headers: dict | None = None) -> tuple[int, dict, bytes]:
    """GET ``raw_path`` exactly as written (no normalisation of ``..`` or ``%2F``): status, headers, body.

    Like a browser, it sends back the cookie it was given: HAProxy marks an answer that sets its sticky cookie
    ``Cache-Control: private`` (``nocache``, deploy/haproxy.cfg), which a browser meets on its first answer only.
    """
    connection = http.client.HTTPConnection(netloc, timeout=60)
    sent = {**({"Cookie": COOKIES[netloc]} if netloc in COOKIES else {}), **(headers or {})}
    try:
        connection.request("GET", raw_path, headers=sent)
        reply = connection.getresponse()
        if reply.getheader("set-cookie"):
            COOKIES[netloc] = reply.getheader("set-cookie").split(";", 1)[0]
        return reply.status, {k.lower(): v for k, v in reply.getheaders()}, reply.read()
    finally:
        connection.close()


def test_every_file_the_index_lists_answers_with_its_type(server):
    status, headers, body = get(server, BASE + "index.json")
    assert status == 200 and headers["content-type"].startswith("application/json")
    assert "max-age" in headers["cache-control"]
    authorities = json.loads(body)["authorities"]
    assert get(server, json.loads(body)["table_schema"])[0] == 200
    status, headers, doc = get(server, json.loads(body)["documentation"])  # the tester found it a dead link
    assert (status, headers["content-type"]) == (200, "text/markdown; charset=utf-8") and b"# The data API" in doc
    assert b"../README.md" not in doc  # a link that resolves only in the repository
    assert COVENTRY in {a["code"] for a in authorities}
    kinds = {"csv": "text/csv; charset=utf-8", "csv_metadata": "application/csvm+json", "json": "application/json"}
    answered = 0
    for authority in authorities:
        status, headers, body = get(server, authority["index"])
        assert status == 200 and headers["content-type"] == "application/json", authority["index"]
        for ind in json.loads(body)["indicators"]:
            for key, kind in kinds.items():
                status, headers, body = get(server, ind[key])
                assert (status, headers["content-type"]) == (200, kind), ind[key]
                assert body and headers["x-content-type-options"] == "nosniff"
                answered += 1
    assert answered > 300
    status, _, body = get(server, BASE + f"{COVENTRY}/child_poverty_ahc.csv")
    assert re.search(rb"\nchild_poverty_ahc,ward,E05001222,Foleshill,WD25,FYE 2025[^\n]*,49\.0,", body)


@pytest.mark.parametrize("path", [
    BASE + "nope.json", BASE + f"{COVENTRY}/nope.csv", BASE + "E99999999/index.json", BASE, BASE + COVENTRY,
    BASE + f"{COVENTRY}/", "/app/static/api/", "/app/static/api/v2/index.json",
    BASE + f"{COVENTRY}/leak.csv", BASE + "linked/secret.csv",  # symbolic links out of the folder
    BASE + "../secret.csv", BASE + "../v1/secret.csv", BASE + "../../../secret.csv",
    BASE + f"{COVENTRY}/../../secret.csv", BASE + "%2e%2e/secret.csv", BASE + "..%2fsecret.csv",
    BASE + "..%2Fsecret.csv", BASE + f"{COVENTRY}%2Findex.json", BASE + f"{COVENTRY}%5cindex.json",
    BASE + "..%5csecret.csv", BASE + "./index.json", BASE + "/index.json", BASE + ".hidden.json",
    BASE + f"{COVENTRY}/index.json%00.csv", BASE + "%252e%252e/secret.csv", BASE + "index.json.gz",
    BASE + "build_info.json", "/app/static/api/v1/../../../../etc/passwd",
])
def test_unknown_and_outside_paths_are_404(server, path):
    status, _, body = get(server, path)
    assert status == 404, path
    assert b"secret" not in body and b"root:" not in body


@pytest.mark.parametrize("path", ["/static/media/nope.woff2", "/static/js/nope.js", "/static/nope",
                                  "/static/media/MaterialSymbols-Rounded.nope.woff2x"])
def test_a_file_streamlits_bundle_lacks_is_404_not_the_apps_page(server, path):
    """Streamlit answers any unknown name under /static/ with the app's page (a single-page fallback), which a
    cache would keep as that file (the tester's finding)."""
    status, headers, body = get(server, path)
    assert status == 404 and b"<html" not in body.lower() and "text/html" not in headers.get("content-type", "")


def test_a_big_asset_comes_compressed_to_a_browser_that_accepts_it(server):
    _, _, page = get(server, "/")
    script = re.search(rb'src="\.?(/static/js/index\.[^"]+\.js)"', page).group(1).decode()
    status, plain_headers, plain = get(server, script)
    assert status == 200 and "content-encoding" not in plain_headers and len(plain) > 300_000
    status, headers, packed = get(server, script, {"Accept-Encoding": "gzip, deflate, br"})
    assert status == 200 and headers["content-encoding"] == "gzip"
    assert "accept-encoding" in headers["vary"].lower() and "max-age" in headers["cache-control"]
    assert len(packed) <= 0.36 * len(plain), (len(packed), len(plain))
    assert gzip.decompress(packed) == plain
    for path in ("/", BASE + f"{COVENTRY}/le_male.csv", BASE + f"{COVENTRY}/le_male.json"):
        status, headers, body = get(server, path, {"Accept-Encoding": "gzip"})
        assert (status, headers.get("content-encoding")) == (200, "gzip"), path
    _, headers, _ = get(server, script, {"Accept-Encoding": "gzip;q=0, identity"})
    assert "content-encoding" not in headers


@pytest.mark.parametrize("path", ["/", "/kiosk", "/compare", "/city_map?la=E08000025", "/ward_profile", "/nowhere"])
def test_every_page_refuses_other_sites_frames(server, path):
    status, headers, _ = get(server, path)
    assert status == 200 and headers["content-type"].startswith("text/html")
    assert headers["content-security-policy"] == "frame-ancestors 'self'" and headers["x-frame-options"] == "SAMEORIGIN"


@pytest.mark.parametrize("path", ["/embed", "/embed?la=E08000026&view=map"])
def test_the_embed_page_may_be_framed_by_any_site(server, path):
    status, headers, _ = get(server, path)
    assert status == 200 and headers["content-type"].startswith("text/html")
    assert headers["content-security-policy"] == "frame-ancestors *" and "x-frame-options" not in headers


@pytest.mark.parametrize("encoding", [None, "gzip"])
def test_the_index_document_drops_the_font_preload_and_hints_the_maps_files(server, encoding):
    """pages/_index_page.py, whether the document comes plain or gzipped, straight or through HAProxy."""
    status, headers, body = get(server, "/kiosk", {"Accept-Encoding": encoding} if encoding else None)
    page = gzip.decompress(body) if headers.get("content-encoding") == "gzip" else body
    assert status == 200 and b'<script type="module"' in page
    assert b"SourceSans" not in page and b'font-family:"Source Sans"' in page
    assert b'<link rel="preload" as="script" href="/app/static/vendor/leaflet/leaflet.js">' in page
    assert re.search(rb'<link rel="modulepreload" crossorigin href="\./static/js/IFrame\.[^"]+\.js">', page)
    assert int(headers["content-length"]) == len(body)


@pytest.mark.parametrize("path", ["/", "/kiosk"])
def test_a_pages_head_and_ranges_describe_the_document_a_get_sends(server, path):
    """HEAD said Streamlit's file's length and ETag (7,863 bytes) for the 9,046-byte rewritten document, and a
    Range was cut from the file (the tester's finding): a cache would mix the two."""
    status, got, body = get(server, path)
    connection = http.client.HTTPConnection(server, timeout=60)
    try:
        connection.request("HEAD", path, headers={"Cookie": COOKIES[server]} if server in COOKIES else {})
        reply = connection.getresponse()
        head = {k.lower(): v for k, v in reply.getheaders()}
        assert reply.status == 200 and reply.read() == b""
    finally:
        connection.close()
    assert int(head["content-length"]) == len(body) and head["etag"].removeprefix("W/") == got["etag"]
    status, ranged, whole = get(server, path, {"Range": f"bytes={len(body) - 200}-"})
    assert status == 200 and whole == body and "content-range" not in ranged


@pytest.mark.parametrize("path", ["/app/static/vendor/leaflet/leaflet.js", BASE + f"{COVENTRY}/le_male.csv",
                                  BASE + "index.json"])
@pytest.mark.parametrize("encoding", [None, "gzip"])
def test_a_file_asked_again_with_its_etag_is_not_sent_again(server, path, encoding):
    asked = {"Accept-Encoding": encoding} if encoding else {}
    status, headers, body = get(server, path, asked)
    assert status == 200 and body and headers.get("etag")
    status, again, body = get(server, path, {**asked, "If-None-Match": headers["etag"]})
    # HAProxy weakens the ETag of what it compresses and passes the app's own on a 304: the same validator
    assert (status, body) == (304, b"") and again["etag"].removeprefix("W/") == headers["etag"].removeprefix("W/")
    assert "max-age" in again["cache-control"]
    status, _, body = get(server, path, {**asked, "If-None-Match": '"something-else"'})
    assert status == 200 and body
