"""Layers you can see: every module imports only from its own layer or the ones below, and only pages use Streamlit.

geo → explorer.registry / explorer.paths → explorer.stats → explorer.pipeline → explorer.models → pages.
Imports inside functions count too: a lazy import upwards is still a cycle.
"""

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
LAYERS = ["geo", "explorer.base", "explorer.stats", "explorer.pipeline", "explorer.models", "pages"]
BASE = {"explorer", "explorer.registry", "explorer.paths"}


def layer_of(module: str) -> str | None:
    """The layer a module of this project belongs to, or None for a third-party module."""
    if module in BASE:
        return "explorer.base"
    for layer in ("explorer.stats", "explorer.pipeline", "explorer.models"):
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
            if node.module in ("explorer", "geo", "explorer.stats", "explorer.pipeline", "explorer.models"):
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
    for folder in ("explorer/stats", "explorer/pipeline", "explorer/models"):
        assert (ROOT / folder / "__init__.py").exists(), folder
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
