"""Layers you can see: every module imports only from its own layer or the ones below, and only pages use Streamlit.

geo → explorer.registry / explorer.paths / explorer.settings → explorer.stats → explorer.pipeline → explorer.places
(the read layer) → explorer.models → pages.
Imports inside functions count too: a lazy import upwards is still a cycle.
"""

import ast
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
LAYERS = ["geo", "explorer.base", "explorer.stats", "explorer.pipeline", "explorer.places", "explorer.models", "pages"]
BASE = {"explorer", "explorer.registry", "explorer.paths", "explorer.settings"}
FOLDERS = ("explorer.stats", "explorer.pipeline", "explorer.places", "explorer.models")


def layer_of(module: str) -> str | None:
    """The layer a module of this project belongs to, or None for a third-party module."""
    if module in BASE:
        return "explorer.base"
    for layer in FOLDERS:
        if module == layer or module.startswith(layer + "."):
            return layer
    top = module.split(".")[0]
    return top if top in ("geo", "pages") else None


def imports(path: Path) -> list[tuple[int, str]]:
    """(line, module) of every import in a file, at any depth; ``from explorer import x`` gives explorer.x."""
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found += [(node.lineno, alias.name) for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
            if node.module in ("explorer", "geo", *FOLDERS):
                found += [(node.lineno, f"{node.module}.{alias.name}") for alias in node.names]
            else:
                found.append((node.lineno, node.module))
    return found


def modules() -> list[tuple[str, Path]]:
    out = []
    for path in sorted([*ROOT.glob("geo/**/*.py"), *ROOT.glob("explorer/**/*.py")]):
        name = ".".join(path.relative_to(ROOT).with_suffix("").parts).removesuffix(".__init__")
        out.append((name, path))
    return out


def test_the_layers_are_folders_you_can_find():
    for folder in FOLDERS:
        assert (ROOT / folder.replace(".", "/") / "__init__.py").exists(), folder
    assert {layer_of(name) for name, _ in modules()} == set(LAYERS) - {"pages"}


@pytest.mark.parametrize("name,path", modules(), ids=[name for name, _ in modules()])
def test_no_module_imports_a_layer_above_its_own(name, path):
    own = LAYERS.index(layer_of(name))
    upward = [f"line {line}: {module}" for line, module in imports(path)
              if layer_of(module) and LAYERS.index(layer_of(module)) > own]
    assert not upward, f"{path.relative_to(ROOT)} ({layer_of(name)}) imports from above: {upward}"


def test_nothing_below_the_pages_imports_streamlit():
    users = sorted(str(path.relative_to(ROOT)) for _, path in modules()
                   if any(m == "streamlit" or m.startswith("streamlit.") for _, m in imports(path)))
    assert users == []


def test_the_check_finds_an_upward_import(tmp_path):
    bad = tmp_path / "bad.py"
    bad.write_text("def f():\n    from explorer.models.citymap import with_unit\n")
    assert [m for _, m in imports(bad) if layer_of(m) == "explorer.models"] == ["explorer.models.citymap"]
    assert layer_of("explorer.stats.judge") == "explorer.stats" and layer_of("pandas") is None


# --- No page or model names an authority -----------------------------------------------------------------------
# Every authority is read through one record (explorer.places): which authority it is, and what its pack holds, is
# data. A page or model that names one (its ONS code, or a comparison with its name) treats it as a special case.
AUTHORITY_CODE = re.compile(r"\bE0[6-9]\d{6}\b")
NAME_BRANCH = re.compile(r"""(?:==|!=|\bin\b)\s*\(?\s*["'](?:Coventry|Birmingham|Cornwall)["']"""
                         r"""|["'](?:Coventry|Birmingham)["']\s*(?:==|!=)|\bCOVENTRY\b""")
ABOVE_THE_READ_LAYER = sorted([*ROOT.glob("explorer/models/**/*.py"), *ROOT.glob("explorer/places/**/*.py"),
                               *ROOT.glob("pages/**/*.py"), ROOT / "streamlit_app.py"])


def code_lines(path: Path) -> list[tuple[int, str]]:
    """(line number, text) of a file's code, without comments, docstrings and doctest examples."""
    strings = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        body = getattr(node, "body", None)
        first = body[0] if isinstance(body, list) and body else None
        if isinstance(first, ast.Expr) and isinstance(first.value, ast.Constant) and isinstance(first.value.value, str):
            strings.update(range(first.lineno, first.end_lineno + 1))
    return [(n, line.split("#")[0]) for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
            if n not in strings]


@pytest.mark.parametrize("path", ABOVE_THE_READ_LAYER, ids=[str(p.relative_to(ROOT)) for p in ABOVE_THE_READ_LAYER])
def test_no_page_or_model_names_an_authority(path):
    found = [f"line {n}: {line.strip()}" for n, line in code_lines(path)
             if AUTHORITY_CODE.search(line) or NAME_BRANCH.search(line)]
    assert not found, f"{path.relative_to(ROOT)} names an authority: {found[:5]}"


def test_the_check_finds_a_code_and_a_branch_on_a_name(tmp_path):
    bad = tmp_path / "bad.py"
    bad.write_text('"""A docstring may say E08000026."""\nX = "E08000026"\nif area == "Coventry":\n    pass\n')
    found = [n for n, line in code_lines(bad) if AUTHORITY_CODE.search(line) or NAME_BRANCH.search(line)]
    assert found == [2, 3]
