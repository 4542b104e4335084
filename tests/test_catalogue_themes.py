"""Provenance and schema of the theme catalogue files (energy, water, digital, logistics,
corridor, culture, ecology, public): every quote is verbatim in its sentence, ids are unique,
statuses and layers come from the fixed lists, and geometry specs are well formed."""

from __future__ import annotations

import json

import pytest
import yaml

from geo.catalogue import CATALOGUE_DIR, GEOMETRY_KINDS, LAYER_IDS, STATUSES
from geo.datafiles import DATA_DIR
from geo.plan import load_plan

THEME_FILES = (
    "energy.yaml",
    "water.yaml",
    "digital.yaml",
    "logistics.yaml",
    "corridor.yaml",
    "culture.yaml",
    "ecology.yaml",
    "public.yaml",
)
# Tasks whose named, mappable items these files catalogue.
THEME_TASKS = {13, 14, 15, 19, 26, 27, 28, 29, 30, 31, 32, 39, 41, 42, 43}
RIVERS_PATH = DATA_DIR / "reference" / "rivers.geojson"
GSHHG_RIVERS_PATH = DATA_DIR / "reference" / "rivers_gshhg.geojson"


def _raw_entries(name: str) -> list[dict]:
    return yaml.safe_load((CATALOGUE_DIR / name).read_text(encoding="utf-8")) or []


THEME_ENTRIES = [(name, raw) for name in THEME_FILES for raw in _raw_entries(name)]


def _entry_id(param) -> str:
    return param[1]["id"] if isinstance(param, tuple) else str(param)


@pytest.mark.parametrize("name", THEME_FILES)
def test_theme_file_is_a_nonempty_list(name):
    raw = yaml.safe_load((CATALOGUE_DIR / name).read_text(encoding="utf-8"))
    assert isinstance(raw, list) and raw, f"{name} holds no entries"
    assert all(isinstance(item, dict) for item in raw)


def test_ids_unique_across_the_whole_catalogue():
    seen: dict[str, str] = {}
    duplicates = []
    for path in sorted(CATALOGUE_DIR.glob("*.yaml")):
        for raw in yaml.safe_load(path.read_text(encoding="utf-8")) or []:
            ident = raw.get("id")
            if ident in seen:
                duplicates.append(f"{ident} ({seen[ident]}, {path.name})")
            seen[ident] = path.name
    assert not duplicates, duplicates


@pytest.mark.parametrize("item", THEME_ENTRIES, ids=_entry_id)
def test_quote_is_verbatim_in_its_sentence(item, plan):
    _, raw = item
    task = plan.task(raw["tasks"][0])
    sentence = raw["sentence"]
    assert 0 <= sentence < len(task.sentences), f"task {task.number} has no sentence {sentence}"
    assert raw["quote"] in task.sentences[sentence], (
        f"{raw['id']}: quote not in sentence {sentence} (found in {task.sentence_index(raw['quote'])})"
    )


@pytest.mark.parametrize("item", THEME_ENTRIES, ids=_entry_id)
def test_tasks_status_layer_and_verb_are_valid(item, plan):
    _, raw = item
    numbers = {task.number for task in plan.tasks}
    assert raw["tasks"] and all(n in numbers for n in raw["tasks"])
    assert raw["status"] in STATUSES
    assert raw["layer"] in LAYER_IDS
    if raw.get("verb"):
        assert raw["verb"] in plan.task(raw["tasks"][0]).text


@pytest.mark.parametrize("item", THEME_ENTRIES, ids=_entry_id)
def test_geometry_spec_is_well_formed(item):
    _, raw = item
    spec = raw["geometry"]
    kinds = [key for key in GEOMETRY_KINDS if key in spec]
    assert len(kinds) == 1, f"{raw['id']}: geometry needs exactly one of {GEOMETRY_KINDS}"
    kind = kinds[0]
    if kind == "seat":
        assert isinstance(spec["seat"], str) and spec["seat"]
    elif kind in ("seats", "via"):
        assert isinstance(spec[kind], list) and len(spec[kind]) >= 2
        assert len(set(spec[kind])) == len(spec[kind]), f"{raw['id']}: repeated place"
    elif kind == "area":
        assert isinstance(spec["area"], list) and spec["area"]
        assert len(set(spec["area"])) == len(spec["area"]), f"{raw['id']}: repeated place"
    elif kind == "river":
        assert spec.get("from") and spec.get("to") and spec["from"] != spec["to"]


def test_river_specs_name_rivers_of_the_reference_data():
    names = {
        f["properties"].get("name")
        for path in (RIVERS_PATH, GSHHG_RIVERS_PATH)
        for f in json.loads(path.read_text(encoding="utf-8"))["features"]
    }
    used = {raw["geometry"]["river"] for _, raw in THEME_ENTRIES if "river" in raw["geometry"]}
    assert used, "no river specs in the theme files"
    assert used <= names, f"rivers not in {RIVERS_PATH.name}: {sorted(used - names)}"


def test_every_theme_task_has_entries():
    covered = {raw["tasks"][0] for _, raw in THEME_ENTRIES}
    assert THEME_TASKS <= covered, f"tasks without entries: {sorted(THEME_TASKS - covered)}"


def test_list_items_are_expanded_one_entry_per_place():
    # A list the plan gives to several cities is one entry per city, each at its own place.
    regional = [raw for _, raw in THEME_ENTRIES if raw["id"].startswith("logistics-regional-")]
    sentence = load_plan().task(19).sentences[regional[0]["sentence"]]
    listed = sentence.split("打造", 1)[1].split("等", 1)[0].split("、")
    assert len(regional) == len(listed)
    assert len({raw["geometry"]["seat"] for raw in regional}) == len(listed)
