"""List the files a first visit fetches late: candidates for the index document's hints (``deploy/first_visit.csv``).

    python -m bench.first_visit_hints [--out FILE]

Starts the app with no hints (``EXPLORER_FIRST_VISIT_HINTS=0``), opens ``/`` and ``/kiosk`` as a first visitor
would (headless Chromium, a fresh context each, no throttling: which files are fetched does not depend on the
speed) and lists, in the order they were first asked for, the scripts and style sheets that Streamlit's own index
document does not already name: Streamlit's lazily loaded modules (``./static/js/...``) and the app's own files
(``/app/static/...``: Leaflet, the kiosk's and every page's scripts), and the pages that fetched each.

Hint only what the map needs: measured on the slow connection (bench/first_load.py, the icon font blocked), hinting
all 45 late files of ``/`` drew the map after 19.5 s, hinting only the frame's two modules and Leaflet after 17.9 s:
every hinted file shares the 400 kbit/s with the bundle and the websocket that carries the map. Re-run after
upgrading Streamlit and copy the new names into ``deploy/first_visit.csv``; ``tests/test_index_page.py`` fails while
a listed file is gone.
"""

from __future__ import annotations

import argparse
import csv
import re
from pathlib import Path
from urllib.parse import urlsplit

from bench.common import REPO, chromium, serve
from bench.first_load import PAGES, visit

OUT = REPO / "bench" / "results" / "first_visit_late.csv"
LATE = re.compile(r"^(/static/js/[^/]+\.js|/app/static/[^?]+\.(js|css))$")


def named_by_index() -> set[str]:
    """Paths (``/static/...``) Streamlit's own index document already names: its entry script and preloads."""
    from pages._index_page import STREAMLIT_STATIC

    text = (STREAMLIT_STATIC / "index.html").read_text(encoding="utf-8")
    return {"/" + href[2:] for href in re.findall(r'(?:href|src)="(\./static/[^"]+)"', text)}


def href_and_kind(path: str) -> tuple[str, str]:
    """The hint's ``href`` as the page asks for it, and its kind (module, script or style)."""
    if path.startswith("/static/"):
        return "." + path, "module"
    return path, "style" if path.endswith(".css") else "script"


def record(out: Path = OUT) -> list[dict[str, str]]:
    """Visit every page of :data:`bench.first_load.PAGES` and write the late files to ``out``; return the rows."""
    from playwright.sync_api import sync_playwright

    known = named_by_index()
    rows: dict[str, dict[str, str]] = {}
    with serve("optimised", {"EXPLORER_FIRST_VISIT_HINTS": "0"}) as (url, _process), sync_playwright() as p, \
            chromium(p) as browser:
        visit(browser, url, "/", "served", timeout=60, throttled=False)  # the server's own first run, not counted
        for page in PAGES:
            for request in visit(browser, url, page, "served", timeout=120, throttled=False).requests:
                path = urlsplit(request.url).path
                if request.status == 200 and LATE.match(path) and path not in known:
                    href, kind = href_and_kind(path)
                    row = rows.setdefault(href, {"href": href, "kind": kind, "pages": ""})
                    row["pages"] = " ".join(sorted(set(row["pages"].split()) | {page}))
    out.parent.mkdir(parents=True, exist_ok=True)
    with out.open("w", newline="", encoding="utf-8") as f:
        w = csv.DictWriter(f, ["href", "kind", "pages"])
        w.writeheader()
        w.writerows(rows.values())
    return list(rows.values())


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=OUT)
    args = parser.parse_args(argv)
    rows = record(args.out)
    for page in PAGES:
        print(f"{page}: {sum(page in r['pages'].split() for r in rows)} late files")
    print(f"written to {args.out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
