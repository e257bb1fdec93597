"""The index document a first visit loads: what its head tells the browser to fetch first.

Streamlit answers every page's address with the same ``index.html`` (it is a single-page app). Its head preloads
Streamlit's Source Sans font and the modules the bundle starts with; everything else is found later, round trip by
round trip. Measured on the slow connection of ``bench/first_load.py`` (400 kbit/s, 400 ms), a first visit to
``/`` then spent 166 KB on a font this app does not draw with (the theme's font is Arial,
``.streamlit/config.toml``), and about 6 s after the websocket opened fetching, a few at a time, the modules of the
elements the page draws (select boxes, buttons, HTML, frames), then Leaflet for the map's frame.

:func:`rewrite` drops the font's preload, makes the name "Source Sans" mean the machine's own Arial, and adds a
hint for each file of :data:`HINTS` (``deploy/first_visit.csv``: what the map needs, its frame's modules and
Leaflet; ``python -m bench.first_visit_hints`` lists every late file), so they come in the first burst, beside the
bundle, and the map is drawn as soon as its message arrives. A listed file the installed Streamlit or ``static/``
does not hold (after an upgrade) is left out, so a stale list costs only its hints, never a broken page.
"""

from __future__ import annotations

import csv
import hashlib
import html
import logging
import os
import re
from functools import lru_cache
from pathlib import Path

from deploy.icon_font import streamlit_static

REPO = Path(__file__).resolve().parent.parent
HINTS = REPO / "deploy" / "first_visit.csv"
STREAMLIT_STATIC = streamlit_static()
STREAMLIT_INDEX = STREAMLIT_STATIC / "index.html"  # what every page's address answers
APP_STATIC = REPO / "static"
FONT_PRELOAD = re.compile(rb'\s*<link\s[^>]*rel="preload"[^>]*SourceSans[^>]*>', re.IGNORECASE)
HEAD_END = b"</head>"
# Streamlit draws its first frames (and a few parts always) in "Source Sans", before the theme's font arrives over
# the websocket: each would fetch the 166 KB font. Here that name means the machine's own Arial (or its metric twin
# Liberation Sans), bold and italic included; where neither is installed the face fails and text falls back to the
# generic sans-serif, still with no download.
FACES = [("normal", "100 500", ("Arial", "ArialMT", "Liberation Sans", "LiberationSans")),
         ("normal", "600 900", ("Arial Bold", "Arial-BoldMT", "Liberation Sans Bold", "LiberationSans-Bold")),
         ("italic", "100 500", ("Arial Italic", "Arial-ItalicMT", "Liberation Sans Italic", "LiberationSans-Italic")),
         ("italic", "600 900", ("Arial Bold Italic", "Arial-BoldItalicMT", "Liberation Sans Bold Italic",
                                "LiberationSans-BoldItalic"))]
LOCAL_SOURCE_SANS = ("<style>" + "".join(
    f'@font-face{{font-family:"Source Sans";font-style:{style};font-weight:{weight};'
    f'src:{",".join(f"local({name!r})" for name in names)}}}' for style, weight, names in FACES) + "</style>").encode()
# Streamlit's document says "Streamlit", in "en", until the app's first message sets the page's title: what a
# link preview, a search engine or a screen reader meets first.
TITLE = re.compile(rb"<title>[^<]*</title>")
LANG = re.compile(rb'<html lang="en">')
NAME = "Ward-level inequality explorer"
DESCRIPTION = ("The gaps between the most and least deprived wards of any council in England: deprivation, life "
               "expectancy, air quality, green space, fly-tipping and poverty, mapped ward by ward, with the period "
               "and source beside every figure.")
KINDS = {"module": '<link rel="modulepreload" crossorigin href="{}">',
         "script": '<link rel="preload" as="script" href="{}">',
         "style": '<link rel="preload" as="style" href="{}">'}
OFF = {"0", "false", "no", "off"}
log = logging.getLogger(__name__)


def local_file(href: str) -> Path | None:
    """The file behind ``href``: Streamlit's own (``./static/...``) or the app's (``/app/static/...``)."""
    if href.startswith("./static/"):
        return STREAMLIT_STATIC / href[2:]
    if href.startswith("/app/static/"):
        return APP_STATIC / href[len("/app/static/"):]
    return None


def enabled(environ=os.environ) -> bool:
    """Whether hints are added (``EXPLORER_FIRST_VISIT_HINTS`` is not 0: off only to record them afresh)."""
    return environ.get("EXPLORER_FIRST_VISIT_HINTS", "1").strip().lower() not in OFF


@lru_cache(maxsize=4)
def hints(page: str, path: Path = HINTS) -> bytes:
    """The ``<link>`` hints for ``page``'s first visit, in the recorded order, for files this server holds.

    Parameters
    ----------
    page : str
        The address's path. A page the list was recorded on gets its own rows; any other page (the profile,
        compare...) only the rows every recorded page needed (the widgets' modules, the app's scripts).
    path : Path
        A CSV with columns ``href`` (as the page asks for it), ``kind`` (``module``, ``script`` or ``style``) and
        ``pages`` (the recorded pages that fetched it, space-separated); a ``why`` column is for readers.
    """
    try:
        with path.open(newline="", encoding="utf-8") as f:
            rows = list(csv.DictReader(f))
    except OSError as exc:
        log.warning("No first-visit hints (%s): pages still load, only later.", exc)
        return b""
    recorded = set().union(*(set((row.get("pages") or "").split()) for row in rows)) if rows else set()
    page = "/" + page.strip("/") if page.strip("/") else "/"
    links, missing = [], []
    for number, row in enumerate(rows, start=2):
        href, kind = (row.get("href") or "").strip(), (row.get("kind") or "").strip()
        on = set((row.get("pages") or "").split())
        found = local_file(href)
        if kind not in KINDS or found is None:
            log.warning("%s row %d: href %r / kind %r is not a ./static/ or /app/static/ file of kind %s; skipped.",
                        path, number, href, kind, ", ".join(KINDS))
        elif not (page in on if page in recorded else on >= recorded):
            continue
        elif not found.is_file():
            missing.append(href)
        else:
            links.append(KINDS[kind].format(html.escape(href)))
    if missing:
        log.warning("%d first-visit hints name files this server does not hold (first: %s): list the new names "
                    "with `python -m bench.first_visit_hints` and update %s.", len(missing), missing[0], path)
    return "".join(links).encode()


def etag(document: bytes) -> str:
    """The validator of a rewritten document (its own: another content than Streamlit's file)."""
    return '"' + hashlib.blake2b(document, digest_size=8).hexdigest() + '"'


def rewrite(document: bytes, page: str = "/") -> bytes:
    """Streamlit's index document without its font preload, with Source Sans as local Arial and ``page``'s hints,
    the explorer's name and description, and British English as its language.

    A document that is not Streamlit's index (no ``</head>``) is returned as it is; with hints turned off
    (:func:`enabled`), only the font's preload goes.
    """
    if HEAD_END not in document:
        return document
    document = FONT_PRELOAD.sub(b"", document, count=1)
    named = f'<title>{html.escape(NAME)}</title><meta name="description" content="{html.escape(DESCRIPTION)}">'
    document = TITLE.sub(named.encode(), document, count=1)
    document = LANG.sub(b'<html lang="en-GB">', document, count=1)
    return document.replace(HEAD_END, LOCAL_SOURCE_SANS + (hints(page) if enabled() else b"") + HEAD_END, 1)
