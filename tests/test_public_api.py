"""The library documents itself: every public function and class of geo/ says what it does, and the
package's docstring names every module."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

import geo

ROOT = Path(__file__).resolve().parent.parent
GEO = ROOT / "geo"


def _modules() -> list[Path]:
    return [p for p in sorted(GEO.rglob("*.py")) if "migrations" not in p.parts]


def test_every_public_function_and_class_of_geo_has_a_docstring():
    undocumented, counted = [], 0
    for path in _modules():
        for node in ast.parse(path.read_text(encoding="utf-8")).body:
            if isinstance(
                node, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef
            ) and not node.name.startswith("_"):
                counted += 1
                if not ast.get_docstring(node):
                    undocumented.append(f"{path.relative_to(ROOT)}:{node.lineno} {node.name}")
    assert counted > 200  # the check looked at the library, not at an empty directory
    assert undocumented == []


def test_the_package_docstring_names_every_module():
    listed = geo.__doc__ or ""
    for path in _modules():
        if path.name in ("__init__.py", "__main__.py") and path.parent != GEO:
            continue
        parts = path.relative_to(ROOT).with_suffix("").parts
        name = ".".join(parts[:-1] if parts[-1] == "__init__" else parts)
        top = ".".join(name.split(".")[:2])  # sub-packages are listed as a whole
        if name in ("geo", "geo.__main__"):
            continue
        assert f":mod:`{top}`" in listed, name


def _exception_names() -> set[str]:
    import builtins

    import geo.errors

    names = {n for n, v in vars(builtins).items() if isinstance(v, type) and issubclass(v, BaseException)}
    return names | {
        n for n, v in vars(geo.errors).items() if isinstance(v, type) and issubclass(v, BaseException)
    }


def test_every_exception_of_the_library_is_defined_in_geo_errors():
    bases = _exception_names()
    assert {"GeoError", "LedgerUnavailable", "ProgressError", "BriefError", "Terminated"} <= bases
    elsewhere = []
    for path in _modules():
        if path == GEO / "errors.py":
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ClassDef):
                named = {b.id if isinstance(b, ast.Name) else getattr(b, "attr", "") for b in node.bases}
                if named & bases or node.name.endswith(("Error", "Exception")):
                    elsewhere.append(f"{path.relative_to(ROOT)}:{node.lineno} {node.name}")
    assert elsewhere == []


def _entry_points():
    from geo.brief import make_brief
    from geo.catalogue import load_catalogue
    from geo.export import export_bytes, write_export
    from geo.gazetteer import Gazetteer, load_gazetteer
    from geo.mentions import load_matcher, tasks_for
    from geo.plan import load_plan

    return [
        load_plan,
        load_gazetteer,
        Gazetteer.resolve,
        tasks_for,
        load_matcher,
        load_catalogue,
        write_export,
        export_bytes,
        make_brief,
    ]


@pytest.mark.parametrize("function", _entry_points(), ids=lambda f: f.__qualname__)
def test_the_entry_points_document_parameters_returns_and_raises_numpydoc_style(function):
    import inspect

    doc = inspect.getdoc(getattr(function, "__wrapped__", function))
    sections = dict(re.findall(r"^(\w+)\n(-+)$", doc, flags=re.MULTILINE))
    assert {"Returns", "Raises"} <= set(sections), function.__qualname__
    assert all(len(rule) == len(title) for title, rule in sections.items())
    names = [n for n in inspect.signature(function).parameters if n != "self"]
    if names:
        parameters = doc.split("Parameters\n----------\n", 1)[1].split("\n\n")[0]
        documented = re.findall(r"^(\w+) : ", parameters, flags=re.MULTILINE)
        assert documented == names, function.__qualname__
