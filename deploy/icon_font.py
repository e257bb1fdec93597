"""A subset of Streamlit's icon font holding only the icons the app can show (``make assets``).

    python -m deploy.icon_font        # writes static/fonts/material-symbols-subset.woff2, prints the sizes

Streamlit draws a Material icon as its name in text (``<span>touch_app</span>``) in the font *Material Symbols
Rounded*, whose ``rlig`` ligatures (GSUB lookup type 4, inside type 7 extensions) turn the letters into the glyph.
Its font file (``streamlit/static/static/media/MaterialSymbols-Rounded.<hash>.woff2``, ~366 KB) holds some 4,300
icons; the app shows about a hundred. A naive subset to the letters ``a-z``, ``0-9`` and ``_`` keeps every
ligature (every icon is made of those letters), so the ligature sets are first pruned to the wanted names, and
only then is the font subset (fontTools' subsetter keeps a ligature's glyph only when its lookup survives).

The wanted names are read from their sources, never listed here, so a new page's or a pack's icon is picked up
by a rebuild (``make assets`` rebuilds when any of them changes):

- every ``:material/NAME:`` in ``streamlit_app.py``, ``pages/*.py`` and ``explorer/**/*.py``;
- every ``icon`` column of the national registries (``data/registry/*.csv``, e.g. ``kiosk_facts.csv``) and of
  every local pack's built files for the parts whose columns (``data/registry/pack_columns.csv``) include
  ``icon`` (``data/packs/<pack>/built/kiosk_facts.csv``);
- the icons Streamlit's own interface draws (expanders, the sidebar's collapse button, menus, the data grid):
  every ``:material/NAME:`` in its JavaScript bundle, and the names its data grid draws straight onto a canvas in
  the icon font (``fillText(`more_vert`)``).

The font has no variation axes (no ``fvar``) and Streamlit sets no ``font-variation-settings``, so the glyphs,
their advance widths and the font's vertical metrics are kept as they are: the icons look exactly as before.
Source: fontTools' subsetter (https://fonttools.readthedocs.io/en/latest/subset/), Streamlit 1.67's
``DynamicIcon`` (``font-feature-settings: liga``) and ``index.*.css`` ``@font-face``.
"""

from __future__ import annotations

import csv
import hashlib
import io
import os
import re
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
OUTPUT = REPO / "static" / "fonts" / "material-symbols-subset.woff2"
FONT_GLOB = "MaterialSymbols-Rounded.*.woff2"
ICON_COLUMN = "icon"
MATERIAL = re.compile(r":material/([a-z0-9_]+):")
# Streamlit's data grid draws some icons onto a canvas in the icon font by name (DataFrame.*.js)
CANVAS = re.compile(r"fillText\(`([a-z0-9_]+)`")


@dataclass(frozen=True)
class Wanted:
    """Where an icon name was found.

    A file (relative to the repository, or Streamlit's bundle) and, for a CSV, its 1-based data row and column.
    """

    file: str
    row: int | None = None
    column: str | None = None

    def __str__(self) -> str:
        where = self.file
        if self.row is not None:
            where += f", row {self.row}, column '{self.column}'"
        return where


def streamlit_static() -> Path:
    """Streamlit's own built front end (``streamlit/static``) of the installed package."""
    import streamlit

    return Path(streamlit.__file__).resolve().parent / "static"


def streamlit_font(static: Path | None = None) -> Path:
    """Streamlit's Material Symbols Rounded font file (its name carries a content hash).

    Raises
    ------
    FileNotFoundError
        If the installed Streamlit has no such file (a Streamlit upgrade renamed it: update :data:`FONT_GLOB`).
    """
    media = (static or streamlit_static()) / "static" / "media"
    found = sorted(media.glob(FONT_GLOB))
    if not found:
        raise FileNotFoundError(f"{media}: no {FONT_GLOB}; has Streamlit's icon font been renamed? "
                                "Update FONT_GLOB in deploy/icon_font.py.")
    return found[0]


def _csv_icons(path: Path, label: str, names: dict[str, Wanted]) -> None:
    with open(path, encoding="utf-8-sig", newline="") as handle:
        reader = csv.DictReader(handle)
        if ICON_COLUMN not in (reader.fieldnames or ()):
            return
        for row, line in enumerate(reader, start=1):
            name = (line.get(ICON_COLUMN) or "").strip()
            if name:
                names.setdefault(name, Wanted(label, row, ICON_COLUMN))


def app_icons(repo: Path = REPO) -> dict[str, Wanted]:
    """The icons the app's own pages and data name, each with where it was first found.

    Parameters
    ----------
    repo : Path
        The repository (its ``streamlit_app.py``, ``pages/``, ``explorer/`` and ``data/``).

    Returns
    -------
    dict of str to Wanted
        Icon name (as written, e.g. ``touch_app``) to where it is named.
    """
    names: dict[str, Wanted] = {}
    code = [repo / "streamlit_app.py", *sorted((repo / "pages").glob("*.py")),
            *sorted((repo / "explorer").rglob("*.py"))]
    for path in code:
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
            for name in MATERIAL.findall(line):
                names.setdefault(name, Wanted(f"{path.relative_to(repo)}:{number}"))
    registry = repo / "data" / "registry"
    for path in sorted(registry.glob("*.csv")):
        _csv_icons(path, str(path.relative_to(repo)), names)
    # a pack's parts with an icon column (pack_columns.csv), read from each pack's built files, which the app reads
    built_files = _icon_built_files(registry)
    for pack in sorted((repo / "data" / "packs").glob("*/built")):
        for file in built_files:
            if (pack / file).is_file():
                _csv_icons(pack / file, str((pack / file).relative_to(repo)), names)
    return names


def _icon_built_files(registry: Path) -> list[str]:
    """The built file names of the pack parts whose inputs have an ``icon`` column (by the input's position)."""
    with open(registry / "pack_columns.csv", encoding="utf-8-sig", newline="") as handle:
        with_icon = {(r["part"], r["input"]) for r in csv.DictReader(handle) if r["column"] == ICON_COLUMN}
    with open(registry / "pack_parts.csv", encoding="utf-8-sig", newline="") as handle:
        parts = list(csv.DictReader(handle))
    files = []
    for part in parts:
        inputs, built = part["inputs"].split(";"), part["built"].split(";")
        for i, input_ in enumerate(inputs):
            if (part["part"], input_) in with_icon and i < len(built):
                files.append(built[i])
    return files


def streamlit_icons(static: Path | None = None) -> dict[str, Wanted]:
    """The icons Streamlit's own interface draws in the icon font, read from its JavaScript bundle.

    Returns
    -------
    dict of str to Wanted
        Icon name to the bundle file naming it.
    """
    names: dict[str, Wanted] = {}
    for path in sorted(((static or streamlit_static()) / "static" / "js").glob("*.js")):
        text = path.read_text(encoding="utf-8", errors="replace")
        for name in MATERIAL.findall(text) + CANVAS.findall(text):
            names.setdefault(name, Wanted(f"streamlit/static/static/js/{path.name}"))
    return names


def ligatures(font) -> dict[str, str]:
    """Each icon name the font's GSUB ligatures know, to its glyph.

    Parameters
    ----------
    font : fontTools.ttLib.TTFont
        A Material Symbols font.

    Returns
    -------
    dict of str to str
        Lower-case name (``touch_app``) to the ligature's glyph name. The name's letters are read back from the
        font's cmap (a glyph drawn for both ``A`` and ``a`` counts as ``a``).
    """
    letters: dict[str, str] = {}
    for code, glyph in sorted(font.getBestCmap().items()):
        letters.setdefault(glyph, chr(code).lower())
    out: dict[str, str] = {}
    for table in _ligature_tables(font):
        for first, ligs in table.ligatures.items():
            for lig in ligs:
                glyphs = [first, *lig.Component]
                if all(g in letters for g in glyphs):
                    out.setdefault("".join(letters[g] for g in glyphs), lig.LigGlyph)
    return out


def _ligature_tables(font):
    if "GSUB" not in font:
        return
    for lookup in font["GSUB"].table.LookupList.Lookup:
        for sub in lookup.SubTable:
            sub = sub.ExtSubTable if lookup.LookupType == 7 else sub
            if sub.LookupType == 4:
                yield sub


def subset(source: Path, names: set[str]) -> tuple[bytes, list[str]]:
    """The font ``source`` cut down to the icons ``names`` (woff2 bytes), and the names the font does not know.

    Parameters
    ----------
    source : Path
        Streamlit's Material Symbols Rounded woff2.
    names : set of str
        Icon names to keep (lower case).

    Returns
    -------
    tuple of (bytes, list of str)
        The subset font (woff2, brotli-compressed) and the wanted names without a ligature in the font, sorted.
    """
    from fontTools import subset as ft_subset
    from fontTools.ttLib import TTFont

    font = TTFont(source, recalcTimestamp=False)  # the same icons make the same bytes (and ETag)
    known = ligatures(font)
    missing = sorted(n for n in names if n.lower() not in known)
    keep = {known[n.lower()] for n in names if n.lower() in known}
    for table in _ligature_tables(font):
        pruned = {}
        for first, ligs in table.ligatures.items():
            kept = [lig for lig in ligs if lig.LigGlyph in keep]
            if kept:
                pruned[first] = kept
        table.ligatures = pruned
    options = ft_subset.Options()
    options.flavor = "woff2"
    options.layout_features = ["*"]  # the font's only feature is rlig; keep whatever it has
    options.name_IDs = ["*"]
    options.name_languages = ["*"]
    options.notdef_outline = True
    options.glyph_names = True  # the ligature glyphs keep their icon names (the tests read them)
    subsetter = ft_subset.Subsetter(options=options)
    # the letters of the wanted names in both cases (the ligatures match either), and the icon glyphs themselves
    text = "".join(sorted({c for n in names for c in n.lower() + n.upper()}))
    subsetter.populate(text=text, glyphs=sorted(keep))
    subsetter.subset(font)
    out = io.BytesIO()
    font.flavor = "woff2"
    font.save(out)
    return out.getvalue(), missing


def build(output: Path = OUTPUT, repo: Path = REPO, static: Path | None = None) -> dict:
    """Write the subset of the icon font the app needs to ``output`` (atomically) and say what it did.

    Raises
    ------
    geo.errors.DataError
        When an icon the app's own pages or data name is not in the font, naming the file (and row and column).

    Returns
    -------
    dict
        ``source`` and ``output`` paths, their ``before`` and ``after`` sizes (bytes), ``icons`` kept, the names of
        Streamlit's bundle the font lacks (``skipped``), and the subset's ``digest`` (hex).
    """
    from geo.errors import DataError

    source = streamlit_font(static)
    ours, theirs = app_icons(repo), streamlit_icons(static)
    wanted = {n.lower() for n in ours} | {n.lower() for n in theirs}
    data, missing = subset(source, wanted)
    for name in missing:
        if name in {n.lower() for n in ours}:
            where = next(w for n, w in ours.items() if n.lower() == name)
            raise DataError(where.file, f"'{name}' is not an icon of Material Symbols Rounded (Streamlit's icon "
                            "font): use a name from https://fonts.google.com/icons?icon.set=Material+Symbols",
                            row=where.row, column=where.column)
    output.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=output.parent, prefix=".icon-font-", suffix=".woff2")
    with os.fdopen(fd, "wb") as handle:
        handle.write(data)
    os.chmod(tmp, 0o644)
    os.replace(tmp, output)
    return {"source": source, "output": output, "before": source.stat().st_size, "after": len(data),
            "icons": len(wanted) - len(missing), "skipped": missing,
            "digest": hashlib.blake2b(data, digest_size=16).hexdigest()}


def main() -> int:
    """Build the subset and print its size beside Streamlit's font's (``make assets``)."""
    done = build()
    print(f"{done['output'].relative_to(REPO)}: {done['icons']} icons, {done['after']:,} bytes "
          f"(Streamlit's {done['source'].name}: {done['before']:,} bytes)")
    if done["skipped"]:
        print(f"Streamlit's bundle names {len(done['skipped'])} icon(s) its font lacks: {', '.join(done['skipped'])}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
