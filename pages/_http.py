"""What the server adds to Streamlit's HTTP answers: the data API, compressed assets and the frame policy.

``pages/_app.py`` (the script ``pages/_serve.py`` runs) builds Streamlit's ``st.App`` with :data:`ROUTES` and
:func:`middleware`, so every replica behaves the same whether HAProxy is in front or not.

- **The data API** (``docs/api.md``): ``/app/static/api/v1/<path>`` answers a file of the ``api/`` folder of the
  store the app reads (:func:`explorer.paths.store_dir`, so ``EXPLORER_STORE_DIR`` works), written by the national
  build (:mod:`explorer.pipeline.api`). Only plain files inside that folder answer; anything else (``..``, an
  encoded slash or dot, a backslash, a hidden name, a symbolic link, a folder) is a 404.
- **Compression**: Streamlit serves its own ``/static/`` bundle uncompressed, on purpose: compressing per
  request costs CPU on every hit (streamlit/web/server/starlette/starlette_gzip_middleware.py). Here each text
  answer (JS, CSS, HTML, JSON, CSV, SVG) is gzip-compressed once, kept in memory by its content's digest, and
  sent compressed to every browser that accepts gzip; ``Vary: Accept-Encoding`` on every such answer.
- **Caching**: our own ``/app/static/`` files (the API, Leaflet, our scripts) may be kept an hour
  (:data:`APP_STATIC_CACHE`) and revalidated by their ETag: a request whose ``If-None-Match`` names the answer's
  ETag (gzipped or not) gets a 304 with no body. Streamlit's hashed bundles keep its own year.
- **The index document** (every page's address answers Streamlit's ``index.html``): its head is rewritten by
  :mod:`pages._index_page` (no preload of a font the app does not use; hints for the files a first visit needs).
- **Missing assets**: a name under Streamlit's ``/static/`` that it does not have is a 404, not the app's page.
- **Frames**: every HTML document refuses to be framed by another site (``Content-Security-Policy:
  frame-ancestors 'self'`` and ``X-Frame-Options: SAMEORIGIN``), except the embed page ``/embed``, which any site
  may frame. Streamlit is a single-page app, so the document's own path decides. Component documents
  (``/component/...``, e.g. the folium map) are framed by our own pages, the embed included, and are left alone.
"""

from __future__ import annotations

import gzip
import hashlib
import logging
import os
import re
import stat
from collections import OrderedDict
from pathlib import Path

import anyio
from starlette.datastructures import Headers, MutableHeaders
from starlette.requests import Request
from starlette.responses import FileResponse, PlainTextResponse, Response
from starlette.routing import Route

from deploy.icon_font import OUTPUT as ICON_FONT_SUBSET  # the subset `make assets` writes
from explorer import paths
from pages import _index_page as index_page

API_PREFIX = "/app/static/api/v1/"
API_FOLDER = "api"
APP_STATIC = "/app/static/"
APP_STATIC_CACHE = "public, max-age=3600"  # an hour, then revalidated by ETag: files change only on a deploy
EMBED_PATHS = ("/embed",)
# Paths whose answers are never touched: Streamlit's websocket, health and uploads, and per-session media
# (downloads), which Streamlit's own gzip layer handles.
UNTOUCHED = ("/_stcore/", "/media/")
COMPRESSIBLE = re.compile(r"^(text/|application/(javascript|json|csvm\+json|manifest\+json|xml)|image/svg\+xml)")
MIN_BYTES = 1024  # smaller answers gain less than gzip's own header and a round of CPU
MAX_BYTES = 32 * 2**20  # larger answers stream through uncompressed rather than sit in memory
CACHE_BYTES = 64 * 2**20  # compressed copies kept, least recently used dropped first
CONTENT_TYPES = {".csv-metadata.json": "application/csvm+json", ".csv": "text/csv; charset=utf-8",
                 ".json": "application/json", ".md": "text/markdown; charset=utf-8"}
SAFE_NAME = re.compile(r"^[A-Za-z0-9_][A-Za-z0-9_.-]*$")
UNSAFE_RAW = re.compile(r"%(2f|5c|2e|00)|\\|//", re.IGNORECASE)
NOT_FOUND = "Not found. The data API's files are listed in /app/static/api/v1/index.json (docs/api.md)."
# Streamlit's own bundle: a name it does not have is answered with the app's page (its single-page fallback), which
# a browser or a cache would keep as that file; here it is a 404.
STREAMLIT_ASSETS = "/static/"
NOT_PAGES = (STREAMLIT_ASSETS, APP_STATIC, "/component/", "/_stcore/", "/media/")  # all else answers a page
ASSET_NOT_FOUND = "Not found: no such file in the app's bundle."


def api_root() -> Path:
    """The API folder of the store the app reads (``<store>/api``)."""
    return paths.store_dir() / API_FOLDER


def api_file(relative: str, root: Path | None = None) -> tuple[Path, str] | None:
    """The file an API address names and its content type, or None if it must be a 404.

    Parameters
    ----------
    relative : str
        The address after ``/app/static/api/v1/`` (decoded).
    root : Path, optional
        The API folder (default :func:`api_root`).

    Returns
    -------
    tuple of (Path, str) or None
        None unless every segment is a plain name (letters, digits, ``_``, ``.``, ``-``; no leading dot), the
        file has one of the API's suffixes, no part of it below the API folder is a symbolic link, and it is a
        regular file.
    """
    parts = relative.split("/")
    if not relative or not all(SAFE_NAME.match(p) for p in parts):
        return None
    kind = next((t for suffix, t in CONTENT_TYPES.items() if parts[-1].endswith(suffix)), None)
    if kind is None:
        return None
    try:
        here = Path(os.path.realpath(root or api_root()))
        for part in parts:
            here = here / part
            mode = os.lstat(here).st_mode
            if stat.S_ISLNK(mode):
                return None
    except OSError:
        return None
    return (here, kind) if stat.S_ISREG(mode) else None


async def api_endpoint(request: Request) -> Response:
    """Answer one file of the data API, or a 404 that says where the index is."""
    found = api_file(request.path_params.get("path", ""))
    if found is None:
        return PlainTextResponse(NOT_FOUND, status_code=404)
    path, kind = found
    response = FileResponse(path, media_type=kind)
    response.headers["Cache-Control"] = APP_STATIC_CACHE
    response.headers["Access-Control-Allow-Origin"] = "*"  # open data: any site's script may read it
    response.headers["X-Content-Type-Options"] = "nosniff"
    return response


ROUTES = [Route(API_PREFIX + "{path:path}", api_endpoint, methods=["GET", "HEAD"])]


def accepts_gzip(headers: Headers) -> bool:
    """Whether the request's ``Accept-Encoding`` allows gzip (and does not refuse it with ``q=0``)."""
    for item in headers.get("accept-encoding", "").lower().split(","):
        name, _, params = item.strip().partition(";")
        if name.strip() in ("gzip", "*"):
            return not re.search(r"q\s*=\s*0(\.0*)?\s*$", params.strip())
    return False


def not_modified(request: Headers, etag: str | None) -> bool:
    """Whether the request's ``If-None-Match`` names ``etag`` (weak comparison, RFC 9110 13.1.2), or is ``*``."""
    asked = request.get("if-none-match", "")
    if not etag or not asked:
        return False
    mine = etag.removeprefix("W/")
    return any(tag.strip() == "*" or tag.strip().removeprefix("W/") == mine for tag in asked.split(","))


async def send_not_modified(send, start: dict) -> None:
    """Answer 304 with ``start``'s validators and cache headers and no body."""
    kept = [(k, v) for k, v in start["headers"] if k.lower() in (b"etag", b"cache-control", b"vary", b"expires",
                                                                    b"last-modified", b"set-cookie")]
    await send({"type": "http.response.start", "status": 304, "headers": kept})
    await send({"type": "http.response.body", "body": b"", "more_body": False})


def frame_headers(path: str) -> dict[str, str]:
    """The frame policy of an HTML document at ``path``: any site may frame the embed page, no other site any
    other page; a component's own document (framed by our pages) gets none."""
    if path.startswith("/component/"):
        return {}
    if path.rstrip("/") in EMBED_PATHS:
        return {"Content-Security-Policy": "frame-ancestors *"}
    return {"Content-Security-Policy": "frame-ancestors 'self'", "X-Frame-Options": "SAMEORIGIN"}


class Compressed:
    """Gzip copies of answers' bodies, by the body's digest, least recently used dropped past a size.

    Parameters
    ----------
    limit : int
        Bytes of compressed copies kept.
    """

    def __init__(self, limit: int = CACHE_BYTES) -> None:
        self.limit, self.size, self.copies = limit, 0, OrderedDict()
        self.made = 0  # how many bodies were compressed (each once while it stays in memory)

    async def of(self, body: bytes) -> bytes:
        """The gzip copy of ``body`` (level 9: done once, so the smallest is worth it), made in a worker thread."""
        key = hashlib.blake2b(body, digest_size=16).digest()
        if key in self.copies:
            self.copies.move_to_end(key)
            return self.copies[key]
        packed = await anyio.to_thread.run_sync(lambda: gzip.compress(body, compresslevel=9, mtime=0))
        self.made += 1
        if key not in self.copies:
            self.copies[key] = packed
            self.size += len(packed)
        while self.size > self.limit and self.copies:
            self.size -= len(self.copies.popitem(last=False)[1])
        return packed


class Layer:
    """An ASGI middleware of this module, in front of Streamlit's, that matches paths below the base URL.

    Parameters
    ----------
    app : ASGI application
        Streamlit's middleware and routes.
    base_url : str
        ``server.baseUrlPath`` (stripped from paths before they are matched).
    """

    def __init__(self, app, base_url: str = "") -> None:
        self.app = app
        self.base = "/" + base_url.strip("/") if base_url.strip("/") else ""

    def _route(self, path: str) -> str:
        if self.base and (path == self.base or path.startswith(self.base + "/")):
            return path[len(self.base):] or "/"
        return path


class Front(Layer):
    """The API's guard, compression, cache and frame headers (see :class:`Layer` for the parameters)."""

    def __init__(self, app, base_url: str = "") -> None:
        super().__init__(app, base_url)
        self.compressed = Compressed()

    async def __call__(self, scope, receive, send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        path = self._route(scope.get("path", ""))
        if path.startswith(UNTOUCHED):
            await self.app(scope, receive, send)
            return
        raw = scope.get("raw_path", b"").decode("latin-1").split("?", 1)[0]
        if path.startswith(API_PREFIX.rstrip("/")) and (UNSAFE_RAW.search(raw) or "/../" in path + "/"
                                                         or "/./" in path + "/"):
            await PlainTextResponse(NOT_FOUND, status_code=404)(scope, receive, send)
            return
        request = Headers(scope=scope)
        # A page's address answers the index document, rewritten here: a byte range of Streamlit's file would be a
        # range of another document, so a page is always sent whole.
        page = not path.startswith(NOT_PAGES)
        gzip_ok = accepts_gzip(request) and scope.get("method") == "GET" and ("range" not in request or page)
        # Streamlit's own gzip layer must not compress what this one will (it would, per request).
        dropped = (b"accept-encoding", b"range") if page else (b"accept-encoding",)
        inner = dict(scope, headers=[(k, v) for k, v in scope["headers"] if k not in dropped])
        if page and "range" in request and not gzip_ok:
            scope = dict(scope, headers=[(k, v) for k, v in scope["headers"] if k != b"range"])
        start: dict = {}
        chunks: list[bytes] = []
        passing = index = packing = skipping = False

        async def hold(message) -> None:
            nonlocal passing, index, packing, skipping
            if skipping:  # answered 304: the body Streamlit goes on sending is dropped
                return
            if passing:
                await send(message)
                return
            if message["type"] == "http.response.start":
                start.update(message)
                headers = MutableHeaders(scope=start)
                kind = headers.get("content-type", "")
                if path.startswith(STREAMLIT_ASSETS) and kind.startswith("text/html"):
                    skipping = True  # Streamlit's single-page fallback for a file it does not have
                    await PlainTextResponse(ASSET_NOT_FOUND, status_code=404)(scope, receive, send)
                    return
                if kind.startswith("text/html"):
                    for name, value in frame_headers(path).items():
                        headers[name] = value
                if path.startswith(APP_STATIC) and "cache-control" not in headers:
                    headers["Cache-Control"] = APP_STATIC_CACHE
                compressible = (COMPRESSIBLE.match(kind) and start["status"] == 200
                                and "content-encoding" not in headers)
                if compressible and "accept-encoding" not in headers.get("vary", "").lower():
                    headers.add_vary_header("Accept-Encoding")
                length = int(headers.get("content-length", "0") or 0)
                # Streamlit's index document (every page's address answers it): its head is rewritten first.
                index = bool(kind.startswith("text/html") and start["status"] == 200 and "content-encoding" not in
                             headers and not path.startswith("/component/") and scope.get("method") == "GET")
                packing = bool(compressible and gzip_ok)
                if (page and kind.startswith("text/html") and start["status"] == 200 and scope.get("method") == "HEAD"
                        and "content-encoding" not in headers):
                    # The headers a GET would get: the rewritten document's length and validator, not the file's.
                    body = index_page.rewrite(index_page.STREAMLIT_INDEX.read_bytes(), path)
                    headers["Content-Length"] = str(len(body))
                    if "etag" in headers:
                        headers["ETag"] = index_page.etag(body)
                if not (packing or index) or length > MAX_BYTES:
                    if start["status"] == 200 and not_modified(request, headers.get("etag")):
                        skipping = True
                        await send_not_modified(send, start)
                        return
                    passing = True
                    await send(start)
                return
            chunks.append(message.get("body", b""))
            if message.get("more_body", False):
                return
            body = b"".join(chunks)
            headers = MutableHeaders(scope=start)
            if index:
                body = index_page.rewrite(body, path)
                if "etag" in headers:  # another content than the file's: its own validator
                    headers["ETag"] = index_page.etag(body)
            if packing and len(body) >= MIN_BYTES:
                body = await self.compressed.of(body)
                headers["Content-Encoding"] = "gzip"
                etag = headers.get("etag")
                if etag and not etag.startswith("W/"):
                    headers["ETag"] = "W/" + etag  # another representation of the same content
            headers["Content-Length"] = str(len(body))
            if not_modified(request, headers.get("etag")):
                await send_not_modified(send, start)
                return
            await send(start)
            await send({"type": "http.response.body", "body": body, "more_body": False})

        await self.app(inner if gzip_ok else scope, receive, hold)


# Streamlit's icon font, answered by the subset of it holding only the icons the app shows (deploy/icon_font.py,
# built by `make assets`) at the address Streamlit's CSS names, so no page or stylesheet changes. Streamlit reserves
# /static/ for itself (st.App refuses a route there), so this is a small middleware of its own, inside Front.
ICON_FONT = re.compile(r"^/static/media/MaterialSymbols-Rounded\.[A-Za-z0-9_-]+\.woff2$")
ICON_FONT_CACHE = "public, max-age=31536000, immutable"  # a year, as Streamlit keeps its hashed files
log = logging.getLogger(__name__)


class IconFont(Layer):
    """ASGI middleware answering Streamlit's icon font with the app's subset of it (~11 KB for ~370 KB).

    Without the subset (``make assets`` not run) the request goes on to Streamlit, which serves its own font, and
    the server log says so once. The ETag is a digest of the subset's content, so a rebuilt subset is fetched
    again by a browser that revalidates.

    Parameters
    ----------
    app, base_url
        As :class:`Layer`'s.
    subset : Path, optional
        The subset font (default :data:`ICON_FONT_SUBSET`).
    """

    def __init__(self, app, base_url: str = "", subset: Path | None = None) -> None:
        super().__init__(app, base_url)
        self.subset = subset or ICON_FONT_SUBSET
        self.tags: dict[tuple[int, int], str] = {}
        self.said = False

    def tag(self) -> str | None:
        """The subset's ETag (a digest of its content, read once per modification time and size), or None
        if there is no subset."""
        try:
            info = self.subset.stat()
        except OSError:
            return None
        key = (info.st_mtime_ns, info.st_size)
        if key not in self.tags:
            self.tags[key] = '"' + hashlib.blake2b(self.subset.read_bytes(), digest_size=16).hexdigest() + '"'
        return self.tags[key]

    async def __call__(self, scope, receive, send) -> None:
        path = self._route(scope.get("path", "")) if scope["type"] == "http" else ""
        if not ICON_FONT.match(path) or scope.get("method") not in ("GET", "HEAD"):
            await self.app(scope, receive, send)
            return
        tag = self.tag()
        if tag is None:
            if not self.said:
                self.said = True
                log.warning("%s is missing (run `make assets`): serving Streamlit's own icon font (~370 KB)",
                            self.subset)
            await self.app(scope, receive, send)
            return
        headers = {"ETag": tag, "Cache-Control": ICON_FONT_CACHE}
        if not_modified(Headers(scope=scope), tag):
            response = Response(status_code=304, headers=headers)
        else:
            response = FileResponse(self.subset, media_type="font/woff2", headers=headers)
        await response(scope, receive, send)
