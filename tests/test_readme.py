"""The README and docs/ stay true: every command, file and link they name exists, and the README stays short.

A newcomer follows the README word for word, so a renamed make target, a moved module or a broken docs link is a
bug. Paths in inline code are read from the repository root; a placeholder (``data/packs/<name>/``) is checked up to
the placeholder; a path the repository ignores (``data/store/v1``, built locally) is made by a command, not
committed, and is allowed. Links are read from the file that holds them, and an ``#anchor`` must be a heading there.
"""

import re
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
README = REPO / "README.md"
DOCS = sorted((REPO / "docs").glob("*.md"))
PAGES = [README, *DOCS]
MAX_README_BYTES = 10 * 1024
FENCE = re.compile(r"^```.*?^```", re.S | re.M)
INLINE = re.compile(r"`([^`\n]+)`")
LINK = re.compile(r"\[[^\]]+\]\(([^)\s]+)\)")
MAKE = re.compile(r"(?:^|\s)make ([a-z][\w-]*)", re.M)
MODULE = re.compile(r"python -m ([\w.]+)")
# Naming an issue or its cases means nothing to a reader who cannot open the tracker: say the reason instead.
TRACKER = re.compile(r"\b(?:issues?|cases?) #?\d", re.I)


def code(text: str) -> list[str]:
    """The code a page shows: inline spans, then the lines of fenced blocks."""
    blocks = FENCE.findall(text)
    rest = FENCE.sub("", text)
    return INLINE.findall(rest) + [line for block in blocks for line in block.splitlines()[1:-1]]


def makefile_targets() -> set[str]:
    """Targets of the Makefile (``name:`` at the start of a line, not ``name :=``)."""
    text = (REPO / "Makefile").read_text()
    return set(re.findall(r"^([A-Za-z][\w-]*)\s*:(?!=)", text, re.M))


def ignored(rel: str) -> bool:
    """Whether ``.gitignore`` keeps ``rel`` out of the repository (a folder a command builds, never committed)."""
    patterns = [line.strip() for line in (REPO / ".gitignore").read_text().splitlines()
                if line.strip() and not line.startswith("#")]
    parts = rel.strip("/").split("/")
    prefixes = ["/".join(parts[:i]) for i in range(1, len(parts) + 1)]
    for pattern in patterns:
        bare = pattern.strip("/")
        if any(Path(prefix).match(bare) or prefix == bare for prefix in prefixes):
            return True
    return False


def named_paths(text: str) -> list[str]:
    """Repository paths in inline code: a slash, no space, not an address, a URL or a path outside the repository."""
    found = []
    for span in INLINE.findall(FENCE.sub("", text)):
        if " " in span or "/" not in span or span.startswith(("/", "?", "..", "http")) or "://" in span:
            continue
        if "…" in span or "..." in span or "=" in span:
            continue
        found.append(span.split("<")[0])
    return found


def slug(heading: str) -> str:
    """GitHub's anchor for a heading: lower case, punctuation dropped, spaces to hyphens."""
    text = re.sub(r"[^\w\- ]", "", heading.strip().lower().replace("`", ""))
    return text.replace(" ", "-")


def anchors(page: Path) -> set[str]:
    return {slug(h) for h in re.findall(r"^#+ (.+)$", FENCE.sub("", page.read_text()), re.M)}


def label(page: Path) -> str:
    return page.relative_to(REPO).as_posix()


def test_readme_is_short():
    size = len(README.read_bytes())
    assert size <= MAX_README_BYTES, (
        f"README.md is {size:,} bytes, over {MAX_README_BYTES:,}: move the detail to a page of docs/ and link it")


@pytest.mark.parametrize("page", PAGES, ids=label)
def test_make_targets_exist(page):
    targets = makefile_targets()
    named = {m for line in code(page.read_text()) for m in MAKE.findall(line)}
    if page == README:
        assert {"run", "test"} <= named, "README.md must give the two commands, `make run` and `make test`"
    missing = sorted(named - targets)
    assert not missing, f"{label(page)} names make target(s) {missing} that the Makefile does not have"


@pytest.mark.parametrize("page", PAGES, ids=label)
def test_modules_exist(page):
    missing = []
    for line in code(page.read_text()):
        for module in MODULE.findall(line):
            base = REPO / module.replace(".", "/")
            if not (base.with_suffix(".py").exists() or (base / "__main__.py").exists()):
                missing.append(module)
    assert not missing, f"{label(page)} runs `python -m` on module(s) that do not exist: {missing}"


@pytest.mark.parametrize("page", PAGES, ids=label)
def test_paths_exist(page):
    paths = named_paths(page.read_text())
    # A pack's own files (docs/packs.md: `built/values.csv`) are named inside a pack's folder: Coventry's is one.
    within = [REPO, REPO / "data" / "packs" / "coventry"]
    missing = sorted({p for p in paths if not any((base / p).exists() for base in within) and not ignored(p)})
    assert not missing, f"{label(page)} names path(s) that are not in the repository: {missing}"


@pytest.mark.parametrize("page", PAGES, ids=label)
def test_links_resolve(page):
    broken = []
    for target in LINK.findall(page.read_text()):
        if target.startswith(("http://", "https://", "mailto:")):
            continue
        file, _, anchor = target.partition("#")
        linked = (page.parent / file).resolve() if file else page
        if not linked.is_file():
            broken.append(target)
        elif anchor and anchor not in anchors(linked):
            broken.append(target)
    assert not broken, f"{label(page)} links to missing files or headings: {broken}"


def test_every_docs_page_is_reachable_from_the_readme():
    linked = {(README.parent / t.partition("#")[0]).resolve() for t in LINK.findall(README.read_text())}
    orphans = [label(p) for p in DOCS if p.resolve() not in linked]
    assert not orphans, f"no link from README.md to {orphans}: a page nobody can find is not documentation"


@pytest.mark.parametrize("page", PAGES, ids=label)
def test_no_issue_numbers(page):
    hits = [line.strip() for line in page.read_text().splitlines() if TRACKER.search(line)]
    assert not hits, f"{label(page)} refers to the tracker by number; say the reason instead: {hits}"


def test_the_checks_can_fail(tmp_path):
    """The helpers see what is wrong: a missing file, a placeholder's folder, an address, an unknown anchor."""
    assert named_paths("`data/nowhere.csv`, `data/packs/<name>/`, `/compare?a=x`, `../shared`") == [
        "data/nowhere.csv", "data/packs/"]
    assert not (REPO / "data/nowhere.csv").exists() and not ignored("data/nowhere.csv")
    assert ignored("data/store/v1") and ignored(".run/replicas/")
    assert slug("Scaling out: replicas behind `HAProxy`") == "scaling-out-replicas-behind-haproxy"
    assert MAKE.findall("make run    # serve") == ["run"] and not TRACKER.search("make the case for 2 wards")
    assert TRACKER.search("as in issue 22, case 14")
