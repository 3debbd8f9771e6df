"""Imports run one way: no circle, nothing up the layers, mkdocs only in the plugin.

The graph is read from the source with ast; no module is imported. An import inside a
function counts like one at the top: it is the same dependency, only paid later.
"""
from __future__ import annotations

import ast
from fnmatch import fnmatch
from pathlib import Path

PACKAGE = Path(__file__).resolve().parent.parent / "src" / "mesotrain"

# Lowest first (model ← load ← checks ← scoring, render ← plugin, cli, results): a module
# may import from its own layer and the ones before it, never from a later one. The exam's
# forms and sealing sit with the checks, which check that every form can be drawn; the
# question types (types/) with the model, which they make up.
LAYERS = [
    ("model", ["errors", "inputs", "safehtml", "svgsafe", "canonical", "page", "yamlsource", "model", "model.*",
               "types", "types.*", "schemas", "xapi"]),
    ("load", ["load"]),
    ("checks", ["checks", "lint", "lint_exam", "scaffold", "exam", "exam.*", "sealing"]),
    ("scoring", ["scoring"]),
    ("render", ["render", "render.*", "engine", "exchange", "exchange.*"]),
    ("front ends", ["plugin", "plugin.*", "results", "results.*", "scorm", "scorm.*", "cli"]),
]
# The front ends stand side by side: only the command line may use the others, and a SCORM
# package is a build of the site (the plugin's atomic build, adjusted for an LMS).
PEERS = {"plugin": {"plugin"}, "results": {"results"}, "scorm": {"scorm", "plugin"},
         "cli": {"cli", "plugin", "results", "scorm"}}


def modules() -> dict[str, Path]:
    out = {}
    for path in PACKAGE.rglob("*.py"):
        parts = list(path.relative_to(PACKAGE).with_suffix("").parts)
        if parts[-1] == "__init__":
            parts.pop()
        out[".".join(parts)] = path
    return out


def imports(name: str, path: Path, known: set[str]) -> set[str]:
    """The modules of this package that ``name`` imports (a package counts as its __init__)."""
    package = name.split(".") if path.name == "__init__.py" else name.split(".")[:-1]
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom):
            if node.level:
                base = package[:len(package) - node.level + 1] if node.level > 1 else package
                target = ".".join(base + ([node.module] if node.module else []))
            elif (node.module or "").startswith("mesotrain"):
                target = node.module.removeprefix("mesotrain").lstrip(".")
            else:
                continue
            # ``from . import single`` depends on the module single, not on the package's
            # __init__ (which runs first, as for any submodule, and is no circle of ours)
            submodules = [f"{target}.{a.name}".lstrip(".") for a in node.names]
            candidates = [m for m in submodules if m in known] or [target]
        elif isinstance(node, ast.Import):
            candidates = [a.name.removeprefix("mesotrain").lstrip(".") for a in node.names
                          if a.name.startswith("mesotrain")]
        else:
            continue
        found.update(c for c in candidates if c in known and c != name)
    return found


def graph() -> dict[str, set[str]]:
    mods = modules()
    return {name: imports(name, path, set(mods)) for name, path in mods.items()}


def layer(name: str) -> int:
    for n, (_, patterns) in enumerate(LAYERS):
        if any(fnmatch(name, p) for p in patterns):
            return n
    raise AssertionError(f"mesotrain.{name} is in no layer: add it to LAYERS in {__file__}")


def circles(g: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected components of more than one module (Tarjan's algorithm)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    out: list[list[str]] = []

    def visit(v: str) -> None:
        index[v] = low[v] = len(index)
        stack.append(v)
        for w in sorted(g[v]):
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in stack:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            part = []
            while True:
                w = stack.pop()
                part.append(w)
                if w == v:
                    break
            if len(part) > 1:
                out.append(sorted(part))

    for v in sorted(g):
        if v not in index:
            visit(v)
    return out


def test_the_graph_sees_imports_of_every_kind():
    g = graph()
    assert "load" in g["checks"]                      # from .load import …
    assert "render.context" in g["render.lesson"]     # from .context import … inside a package
    assert "errors" in g["results.context"]           # from ..errors import …
    assert len(g) > 40


def test_no_module_imports_itself_through_others():
    assert circles(graph()) == []


def test_a_circle_would_be_found():
    assert circles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c"]]


def test_imports_never_run_up_the_layers():
    wrong = [f"mesotrain.{a} ({LAYERS[layer(a)][0]}) imports mesotrain.{b} ({LAYERS[layer(b)][0]})"
             for a, targets in graph().items() for b in sorted(targets) if layer(b) > layer(a)]
    assert wrong == []


def test_front_ends_stand_side_by_side():
    top = len(LAYERS) - 1
    wrong = [f"mesotrain.{a} imports mesotrain.{b}" for a, targets in graph().items() if layer(a) == top
             for b in sorted(targets) if layer(b) == top and b.split(".")[0] not in PEERS[a.split(".")[0]]]
    assert wrong == []


def test_only_the_plugin_imports_mkdocs():
    users = []
    for name, path in modules().items():
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            names = ([a.name for a in node.names] if isinstance(node, ast.Import)
                     else [node.module or ""] if isinstance(node, ast.ImportFrom) and not node.level else [])
            if any(n == "mkdocs" or n.startswith("mkdocs.") for n in names) and not name.startswith("plugin"):
                users.append(name)
    assert users == []
