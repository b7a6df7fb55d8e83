"""The folders show the architecture: no import circles in graph/ or webapp/, graph/ never imports
Flask, and graph/'s sub-packages import only downwards (see graph/__init__.py)."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import networkx as nx
import pytest

ROOT = Path(__file__).resolve().parent.parent
PACKAGES = ("graph", "webapp")

# Which graph/ areas each area may import (besides the shared top-level modules).
ALLOWED = {
    "store": set(),
    "search": {"store"},
    "browse": {"search", "store"},
    "network": {"store"},
    "sparql": {"store"},
    "submissions": {"store"},
}
SHARED = {"namespaces", "errors", "settings", "formats", "caching", "textproc"}


def module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def modules() -> dict[str, Path]:
    return {module_name(p): p for pkg in PACKAGES for p in (ROOT / pkg).rglob("*.py")}


def imports(path: Path, name: str) -> list[tuple[str, int]]:
    """(imported module, line) for every import statement in the file, wherever it stands."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found += [(a.name, node.lineno) for a in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join(anchor + ([base] if base else []))
            # `from pkg import sub` imports pkg.sub (and pkg's __init__, which is no circle by itself)
            found += [(f"{base}.{a.name}", node.lineno) for a in node.names]
            found.append((base, node.lineno))
    return found


def graph_of_imports() -> nx.DiGraph:
    known = modules()
    g = nx.DiGraph()
    g.add_nodes_from(known)
    for name, path in known.items():
        for target, _ in imports(path, name):
            if target in known and target != name and not (f"{target}." in f"{name}." and name.startswith(target)):
                g.add_edge(name, target)
    return g


def test_no_import_circles():
    cycles = list(nx.simple_cycles(graph_of_imports()))
    assert cycles == [], f"import circles: {cycles}"


def test_graph_never_imports_flask():
    offenders = [
        f"{name}:{line}"
        for name, path in modules().items() if name.startswith("graph")
        for target, line in imports(path, name) if target.split(".")[0] in {"flask", "webapp"}
    ]
    assert offenders == []


def test_graph_areas_import_only_downwards():
    wrong = []
    for name, path in modules().items():
        parts = name.split(".")
        if parts[0] != "graph" or len(parts) < 2:
            continue
        area = parts[1] if parts[1] in ALLOWED else None
        for target, line in imports(path, name):
            tparts = target.split(".")
            if tparts[0] != "graph" or len(tparts) < 2:
                continue
            if tparts[1] in SHARED or tparts[1] == "__version__":
                if area is None and parts[1] in SHARED and tparts[1] not in SHARED:
                    wrong.append(f"{name}:{line} -> {target}")
                continue
            if area is None:
                wrong.append(f"{name}:{line} -> {target} (a shared module imports an area)")
            elif tparts[1] != area and tparts[1] not in ALLOWED[area]:
                wrong.append(f"{name}:{line} -> {target}")
    assert wrong == []


def test_every_package_says_what_it_holds():
    for init in [p for pkg in PACKAGES for p in (ROOT / pkg).rglob("__init__.py")]:
        doc = ast.get_docstring(ast.parse(init.read_text(encoding="utf-8")))
        assert doc and len(doc) > 80, f"{init.relative_to(ROOT)} needs a paragraph saying what lives there"
    for area in ALLOWED:
        doc = ast.get_docstring(ast.parse((ROOT / "graph" / area / "__init__.py").read_text(encoding="utf-8")))
        assert "May import" in doc, f"graph/{area} must say what it may import"


@pytest.mark.parametrize("package", PACKAGES)
def test_importing_loads_every_module_once(package):
    """`import graph, webapp` and every module in them: no module runs twice through a circle."""
    names = sorted(n for n in modules() if n.split(".")[0] == package)
    script = (
        "import importlib, sys\n"
        "seen = {}\n"
        "class Watch:\n"
        "    def find_spec(self, name, path=None, target=None):\n"
        "        seen[name] = seen.get(name, 0) + 1\n"
        "        return None\n"
        "sys.meta_path.insert(0, Watch())\n"
        f"for n in {names!r}: importlib.import_module(n)\n"
        "twice = [n for n, c in seen.items() if c > 1 and n.split('.')[0] in ('graph', 'webapp')]\n"
        "print(twice)\n"
        "sys.exit(1 if twice else 0)\n"
    )
    done = subprocess.run([sys.executable, "-c", script], cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stdout + done.stderr


def route_modules() -> dict[str, Path]:
    """webapp modules that define a blueprint (`bp = Blueprint(...)` at module level)."""
    found = {}
    for name, path in modules().items():
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in tree.body:
            if (isinstance(node, ast.Assign) and isinstance(node.value, ast.Call)
                    and getattr(node.value.func, "id", None) == "Blueprint"):
                found[name] = path
    return found


def test_route_modules_define_their_blueprint_and_import_no_route_module():
    """Flask-tutorial style: `bp` beside its routes; helpers shared by route modules live elsewhere."""
    routes = route_modules()
    assert {"webapp.browse.find", "webapp.sparql.queries", "webapp.submit.redactie"} <= set(routes)
    wrong = [
        f"{name}:{line} -> {target}"
        for name, path in routes.items()
        for target, line in imports(path, name) if target in routes
    ]
    assert wrong == []


def test_route_modules_import_at_the_top():
    """No imports inside functions or at the bottom of a route module (they hide circles)."""
    wrong = []
    for name, path in route_modules().items():
        tree = ast.parse(path.read_text(encoding="utf-8"))
        top = [n.lineno for n in tree.body if isinstance(n, (ast.Import, ast.ImportFrom))]
        first_other = min((n.lineno for n in tree.body if not isinstance(n, (ast.Import, ast.ImportFrom, ast.Expr))),
                          default=0)
        wrong += [f"{name}:{line} (after the code starts)" for line in top if first_other and line > first_other]
        nested = [n for n in ast.walk(tree) if isinstance(n, (ast.Import, ast.ImportFrom)) and n.lineno not in top]
        wrong += [f"{name}:{n.lineno} (inside a function)" for n in nested]
    assert wrong == []


def test_architecture_doc_shows_every_room():
    doc = (ROOT / "docs" / "architecture.md").read_text(encoding="utf-8")
    rooms = sorted(p.parent.name for p in (ROOT / "graph").glob("*/__init__.py"))
    assert rooms and all(f"  {room}/" in doc for room in rooms), rooms
    assert all(f"{room} " in doc or f"{room}\n" in doc for room in ALLOWED)


def test_tests_mirror_the_areas():
    """Each area of graph/ has its tests in tests/<area>/; only cross-cutting tests stay at the top."""
    for area in ALLOWED:
        assert list((ROOT / "tests" / area).glob("test_*.py")), f"tests/{area}/ has no tests"
    top = sorted(p.name for p in (ROOT / "tests").glob("test_*.py"))
    assert top == ["test_architecture.py", "test_caching.py", "test_formats.py"]
