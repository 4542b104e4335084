"""The vocabulary rule: closed vocabularies live in data, behind one registry (:mod:`geo.vocabulary`).

Code outside the registry asks a term for its attributes and never lists ids itself: a literal
tuple, list or set of two or more ids of one vocabulary anywhere in the source is a second copy of
the vocabulary that drifts (a legend that drew a *site* as a line while the map drew a dot). And
every attribute the code reads from a term must be one the term has.
"""

from __future__ import annotations

import ast
import subprocess
from pathlib import Path

import pytest

from geo import vocabulary
from geo.errors import DataError

ROOT = Path(__file__).resolve().parent.parent
SOURCE_DIRS = (
    "app.py",
    "navigation.py",
    "app_pages/",
    "ui/",
    "layers/",
    "geo/",
    "web/",
    "scripts/",
    "deploy/",
)
REGISTRY = "geo/vocabulary.py"
# Lists that name a vocabulary's ids for another reason, with that reason.
NOT_VOCABULARY_LISTS: dict[tuple[str, str], str] = {
    # A catalogue entry's geometry spec is keyed by kind (``{seat: 成都}``, ``{route: …}``): the
    # catalogue's schema, whose kinds often share the name of the precision class they resolve to.
    ("geo/catalogue.py", "GEOMETRY_KINDS"): "the kinds of a geometry spec",
    ("geo/catalogue.py", "LINE_KINDS"): "the kinds of a geometry spec drawn as lines",
    ("geo/check.py", "SPEC_PLACE_KEYS"): "the keys of a geometry spec that name places",
}


def vocabulary_ids() -> dict[str, frozenset[str]]:
    return {vocab.name: frozenset(vocab.ids) for vocab in vocabulary.ALL}


def source_files(root: Path) -> list[str]:
    tracked = subprocess.run(
        ["git", "ls-files", "*.py"], cwd=root, capture_output=True, text=True, check=True
    ).stdout.split()
    return [path for path in tracked if path.startswith(SOURCE_DIRS) and path != REGISTRY]


def _assigned_name(parents: dict[ast.AST, ast.AST], node: ast.AST) -> str:
    """The name a literal is assigned to (``X = (...)``), or "" inside an expression."""
    parent = parents.get(node)
    while parent is not None and not isinstance(parent, ast.Assign | ast.AnnAssign | ast.stmt):
        parent = parents.get(parent)
    if isinstance(parent, ast.Assign):
        return next((t.id for t in parent.targets if isinstance(t, ast.Name)), "")
    if isinstance(parent, ast.AnnAssign) and isinstance(parent.target, ast.Name):
        return parent.target.id
    return ""


def listed_ids(source: str, ids: dict[str, frozenset[str]], path: str = "<snippet>") -> list[str]:
    """``path:line: vocabulary: ids`` for every literal tuple, list or set in ``source`` holding two
    or more ids of one vocabulary."""
    tree = ast.parse(source)
    parents = {child: node for node in ast.walk(tree) for child in ast.iter_child_nodes(node)}
    found = []
    for node in ast.walk(tree):
        if not isinstance(node, ast.Tuple | ast.List | ast.Set):
            continue
        strings = {e.value for e in node.elts if isinstance(e, ast.Constant) and isinstance(e.value, str)}
        for name, terms in ids.items():
            named = sorted(strings & terms)
            if len(named) >= 2 and (path, _assigned_name(parents, node)) not in NOT_VOCABULARY_LISTS:
                found.append(f"{path}:{node.lineno}: {name}: {', '.join(named)}")
    return sorted(found, key=lambda line: int(line.split(":")[1]))


def _registry_names(tree: ast.AST) -> dict[str, str]:
    """Local name → vocabulary name, for every vocabulary a module imports from the registry."""
    by_attribute = {
        attribute: vocab.name
        for attribute, vocab in vars(vocabulary).items()
        if isinstance(vocab, vocabulary.Vocabulary)
    }
    names = {}
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module == "geo.vocabulary":
            for alias in node.names:
                if alias.name in by_attribute:
                    names[alias.asname or alias.name] = by_attribute[alias.name]
    return names


def _term_expression(node: ast.AST, names: dict[str, str]) -> str | None:
    """The vocabulary whose term ``node`` is: ``LAYERS[x]``, ``LAYERS.default``, ``LAYERS.get(x)``."""
    if isinstance(node, ast.Subscript) and isinstance(node.value, ast.Name):
        return names.get(node.value.id)
    if isinstance(node, ast.Attribute) and node.attr == "default" and isinstance(node.value, ast.Name):
        return names.get(node.value.id)
    if (
        isinstance(node, ast.Call)
        and isinstance(node.func, ast.Attribute)
        and node.func.attr == "get"
        and isinstance(node.func.value, ast.Name)
    ):
        return names.get(node.func.value.id)
    return None


def _terms_iterated(node: ast.AST, names: dict[str, str]) -> str | None:
    """The vocabulary of ``VOCAB.terms()``."""
    if (
        isinstance(node, ast.Call)
        and isinstance(node.func, ast.Attribute)
        and node.func.attr == "terms"
        and isinstance(node.func.value, ast.Name)
    ):
        return names.get(node.func.value.id)
    return None


def attributes_read(source: str) -> set[tuple[str, str]]:
    """(vocabulary, attribute) for every attribute ``source`` reads from a term of the registry: on
    ``VOCAB[x]``, ``VOCAB.get(x)``, ``VOCAB.default``, and on names bound to them or looping over
    ``VOCAB.terms()`` (within the function or comprehension that binds them)."""
    tree = ast.parse(source)
    names = _registry_names(tree)
    read = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Attribute) and (vocab := _term_expression(node.value, names)):
            read.add((vocab, node.attr))
    for scope in ast.walk(tree):
        bound: dict[str, str] = {}
        if isinstance(scope, ast.comprehension | ast.For) and isinstance(scope.target, ast.Name):
            if vocab := _terms_iterated(scope.iter, names):
                bound[scope.target.id] = vocab
        if (
            isinstance(scope, ast.Assign)
            and len(scope.targets) == 1
            and isinstance(scope.targets[0], ast.Name)
        ):
            if vocab := _term_expression(scope.value, names):
                bound[scope.targets[0].id] = vocab
        if not bound:
            continue
        owner = scope
        if isinstance(scope, ast.comprehension | ast.Assign):
            owner = next(
                (
                    n
                    for n in ast.walk(tree)
                    if isinstance(n, ast.ListComp | ast.SetComp | ast.DictComp | ast.GeneratorExp)
                    and scope in getattr(n, "generators", ())
                ),
                None,
            ) or next(
                (
                    n
                    for n in ast.walk(tree)
                    if isinstance(n, ast.FunctionDef | ast.Module)
                    and any(child is scope for child in ast.walk(n))
                    and not any(
                        isinstance(inner, ast.FunctionDef) and inner is not n and scope in ast.walk(inner)
                        for inner in ast.walk(n)
                    )
                ),
                tree,
            )
        for node in ast.walk(owner):
            if (
                isinstance(node, ast.Attribute)
                and isinstance(node.value, ast.Name)
                and node.value.id in bound
            ):
                read.add((bound[node.value.id], node.attr))
    return read


def missing_attributes(read: set[tuple[str, str]]) -> list[str]:
    """``vocabulary term: attribute`` for every attribute read that a term of the vocabulary lacks."""
    by_name = {vocab.name: vocab for vocab in vocabulary.ALL}
    return sorted(
        f"{name} {term.id}: {attribute}"
        for name, attribute in read
        for term in by_name[name].terms()
        if not hasattr(term, attribute)
    )


# -- the rule holds --------------------------------------------------------------------------------
def test_no_vocabulary_id_list_outside_the_registry():
    ids = vocabulary_ids()
    found = []
    for path in source_files(ROOT):
        found.extend(listed_ids((ROOT / path).read_text(encoding="utf-8"), ids, path))
    assert found == []


def test_every_attribute_read_from_a_term_is_one_every_term_has():
    read = set()
    for path in source_files(ROOT):
        read |= attributes_read((ROOT / path).read_text(encoding="utf-8"))
    assert {name for name, _ in read} >= {"layer", "status", "precision", "crs", "format", "basemap"}
    assert missing_attributes(read) == []


def test_every_exception_to_the_rule_still_names_a_list():
    for path, name in NOT_VOCABULARY_LISTS:
        tree = ast.parse((ROOT / path).read_text(encoding="utf-8"))
        assert any(
            isinstance(n, ast.Assign) and any(getattr(t, "id", "") == name for t in n.targets)
            for n in ast.walk(tree)
        ), f"{path}: {name} is gone; remove it from NOT_VOCABULARY_LISTS"


# -- the checks find what they look for ------------------------------------------------------------
def test_the_list_check_finds_a_planted_list():
    planted = (
        "POINTS = ('exact', 'site')\n"
        "def drawn(p):\n"
        "    return p in ['route', 'river']\n"
        "ONE = ('exact',)\n"
        "OTHER = {'exact', 'railway'}\n"
        "STATUS = {'建成', '迁建'}\n"
    )
    assert listed_ids(planted, vocabulary_ids()) == [
        "<snippet>:1: precision: exact, site",
        "<snippet>:3: precision: river, route",
        "<snippet>:6: status: 建成, 迁建",
    ]


def test_the_attribute_check_finds_an_attribute_no_term_has():
    planted = (
        "from geo.vocabulary import LAYERS, PRECISIONS as TERMS\n"
        "colour = LAYERS['railway'].colour\n"
        "def f(p):\n"
        "    term = TERMS.get(p)\n"
        "    return term.sparkle, [t.glow for t in TERMS.terms()], TERMS.default.drawn\n"
    )
    read = attributes_read(planted)
    assert read == {
        ("layer", "colour"),
        ("precision", "sparkle"),
        ("precision", "glow"),
        ("precision", "drawn"),
    }
    assert "precision site: sparkle" in missing_attributes(read)
    assert not [m for m in missing_attributes(read) if m.endswith((": colour", ": drawn"))]


def test_a_term_missing_a_field_in_the_data_is_one_data_error_naming_it():
    with pytest.raises(DataError, match="layer metro: the field colour is missing"):
        vocabulary._term(vocabulary.Layer, "layer", "metro", {"zh": "地铁", "en": "Metro", "icon": "🚇"})
    with pytest.raises(DataError, match="precision dot: legend|precision dot: explanation_zh and _en"):
        vocabulary._term(
            vocabulary.Precision, "precision", "dot", {"zh": "点", "en": "dot", "explanation_zh": "点"}
        )
