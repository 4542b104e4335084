"""The architecture holds: imports point one way and only the script, pages and ui/ use Streamlit."""

import ast
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.test_vocabulary_rule import SOURCE_DIRS

ROOT = Path(__file__).resolve().parent.parent


def imported_modules(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module.split(".")[0])
    return names


@pytest.mark.parametrize("package", ["geo", "layers", "web"])
def test_the_library_never_imports_streamlit(package):
    for path in (ROOT / package).rglob("*.py"):
        modules = imported_modules(path)
        assert not {"streamlit", "streamlit_folium"} & modules, path


def test_geo_never_imports_layers_ui_or_app_pages():
    for path in (ROOT / "geo").rglob("*.py"):
        assert not {"layers", "ui", "app_pages"} & imported_modules(path), path


def test_layers_never_import_ui_or_pages():
    for path in (ROOT / "layers").rglob("*.py"):
        assert not {"ui", "app_pages"} & imported_modules(path), path


def test_web_imports_only_the_library():
    # The HTTP routes answer other programs: they build on geo/ and layers/, never on pages or ui/.
    for path in (ROOT / "web").rglob("*.py"):
        assert not {"ui", "app_pages", "navigation", "app"} & imported_modules(path), path


def test_nothing_imports_the_http_routes_but_app_py():
    for package in ("geo", "layers", "ui", "app_pages"):
        for path in (ROOT / package).rglob("*.py"):
            assert "web" not in imported_modules(path), path


def test_ui_never_imports_pages():
    for path in (ROOT / "ui").rglob("*.py"):
        assert "app_pages" not in imported_modules(path), path


def _defined_names(path: Path) -> set[str]:
    """Names a module defines itself (functions, classes, assignments), not the ones it imports."""
    names = set()
    for node in ast.parse(path.read_text(encoding="utf-8")).body:
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef):
            names.add(node.name)
        elif isinstance(node, ast.Assign):
            names.update(t.id for t in node.targets if isinstance(t, ast.Name))
        elif isinstance(node, ast.AnnAssign) and isinstance(node.target, ast.Name):
            names.add(node.target.id)
    return names


def facade_imports(root: Path) -> list[str]:
    """``from layers.x import name`` anywhere under ``root`` where layers/x.py only imports ``name``:
    layers/ draws, and what the library defines is imported from geo/ itself."""
    tracked = subprocess.run(
        ["git", "ls-files", "*.py"], cwd=root, capture_output=True, text=True, check=True
    ).stdout.split()
    found = []
    for relative in tracked:
        tree = ast.parse((root / relative).read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if not (isinstance(node, ast.ImportFrom) and (node.module or "").startswith("layers.")):
                continue
            module = root / (node.module.replace(".", "/") + ".py")
            if not module.is_file():
                continue
            defined = _defined_names(module)
            found.extend(
                f"{relative}: {node.module}.{alias.name}" for alias in node.names if alias.name not in defined
            )
    return found


def test_layers_is_no_facade_for_the_library():
    assert facade_imports(ROOT) == []


def test_the_facade_check_finds_a_re_export(tmp_path):
    (tmp_path / "layers").mkdir()
    (tmp_path / "layers" / "frames.py").write_text(
        "from geo.features import catalogue_frame\n", encoding="utf-8"
    )
    (tmp_path / "page.py").write_text("from layers.frames import catalogue_frame\n", encoding="utf-8")
    subprocess.run(["git", "init", "-q"], cwd=tmp_path, check=True)
    subprocess.run(["git", "add", "."], cwd=tmp_path, check=True)
    assert facade_imports(tmp_path) == ["page.py: layers.frames.catalogue_frame"]


def test_no_source_file_is_over_500_lines():
    # The browser's map tools count too (static/**/*.js); the vendored Leaflet and jQuery are copied
    # from installed packages at run time and are not in the repository.
    tracked = subprocess.run(
        ["git", "ls-files", "*.py", "static/*.js"], cwd=ROOT, capture_output=True, text=True, check=True
    ).stdout.split()
    assert any(relative.endswith(".js") for relative in tracked)
    long = {}
    for relative in tracked:
        if relative.startswith((*SOURCE_DIRS, "static/")):
            lines = (ROOT / relative).read_text(encoding="utf-8").count("\n")
            if lines > 500:
                long[relative] = lines
    assert long == {}


def test_app_pages_holds_only_pages():
    # Every module in app_pages/ is a page of the menu; shared parts live in ui/.
    from ui.common import PAGES

    assert sorted(p.relative_to(ROOT).as_posix() for p in (ROOT / "app_pages").rglob("*.py")) == sorted(
        spec.path for spec in PAGES
    )


def test_the_library_imports_without_streamlit_installed():
    # A child interpreter where importing streamlit fails: geo and layers must still load.
    code = (
        "import sys; sys.modules['streamlit'] = None\n"
        "import geo.cli, geo.export, geo.features, layers.maps, layers.frames, layers.summaries, web\n"
    )
    subprocess.run([sys.executable, "-c", code], cwd=ROOT, check=True, timeout=120)


@pytest.mark.skipif(shutil.which("ruff") is None, reason="ruff is not installed")
def test_ruff_finds_nothing():
    result = subprocess.run(["ruff", "check", "."], cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stdout


def project_import_graph() -> dict[str, set[str]]:
    """Module → the project modules it imports anywhere in its body (lazy imports included)."""
    modules = {}
    for package in ("geo", "layers", "ui", "web"):
        for path in (ROOT / package).rglob("*.py") if (ROOT / package).is_dir() else ():
            parts = path.relative_to(ROOT).with_suffix("").parts
            name = ".".join(parts[:-1] if parts[-1] == "__init__" else parts)
            modules[name] = path
    graph = {}
    for name, path in modules.items():
        package = name if path.name == "__init__.py" else name.rpartition(".")[0]
        targets = set()
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                targets.update(alias.name for alias in node.names)
            elif isinstance(node, ast.ImportFrom):
                base = node.module or ""
                if node.level:
                    anchor = package.split(".")[: len(package.split(".")) - node.level + 1]
                    base = ".".join([*anchor, base] if base else anchor)
                targets.add(base)
                targets.update(f"{base}.{alias.name}" for alias in node.names)
        graph[name] = {t for t in targets if t in modules and t != name}
    return graph


def import_cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Every strongly connected group of more than one module (Tarjan's algorithm)."""
    index, low, stack, on_stack, cycles = {}, {}, [], set(), []

    def visit(node):
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for target in graph[node]:
            if target not in index:
                visit(target)
                low[node] = min(low[node], low[target])
            elif target in on_stack:
                low[node] = min(low[node], index[target])
        if low[node] == index[node]:
            group = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                group.append(member)
                if member == node:
                    break
            if len(group) > 1:
                cycles.append(sorted(group))

    for node in sorted(graph):
        if node not in index:
            visit(node)
    return cycles


def test_the_cycle_check_finds_a_planted_circle():
    assert import_cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c"]]
    assert import_cycles({"a": {"b"}, "b": set()}) == []


def test_no_import_circles_in_the_library():
    assert import_cycles(project_import_graph()) == []
