"""The transport catalogue (tasks 9–12): provenance, schema and coverage of the plan's lists."""

from __future__ import annotations

import re

import airportsdata
import pytest

from geo.catalogue import CATALOGUE_DIR, STATUSES, catalogue_problems, load_unlocated, read_catalogue_file

TRANSPORT_FILES = {"aviation": 9, "railway": 10, "highway": 11, "waterway": 12}
KINDS = {
    "aviation": {"airport"},
    "railway": {"mainline", "intercity", "suburban", "metro", "freight"},
    "highway": {"expressway", "national_road"},
    "waterway": {"channel", "hub", "port"},
}


@pytest.fixture(scope="module")
def entries():
    return {layer: read_catalogue_file(CATALOGUE_DIR / f"{layer}.yaml") for layer in TRANSPORT_FILES}


def _all(entries):
    return [entry for layer in entries.values() for entry in layer]


def test_no_schema_or_provenance_problems(entries, plan):
    assert catalogue_problems(_all(entries), plan) == []


def test_ids_are_unique(entries):
    ids = [entry.id for entry in _all(entries)]
    assert len(ids) == len(set(ids))


@pytest.mark.parametrize("layer", TRANSPORT_FILES)
def test_entries_belong_to_their_layer_and_task(entries, layer):
    assert entries[layer], f"{layer}.yaml is empty"
    for entry in entries[layer]:
        assert entry.layer == layer, entry.id
        assert entry.tasks[0] == TRANSPORT_FILES[layer], entry.id
        assert entry.kind in KINDS[layer], entry.id
        assert entry.status in STATUSES, entry.id


def test_quote_is_found_first_in_its_sentence(entries, plan):
    for entry in _all(entries):
        task = plan.task(entry.tasks[0])
        assert entry.quote in task.sentences[entry.sentence], entry.id
        assert task.sentence_index(entry.quote) == entry.sentence, entry.id


def test_airport_codes_exist_with_known_coordinates(entries):
    airports = airportsdata.load("IATA")
    for entry in entries["aviation"]:
        code = entry.geometry.get("airport")
        if code is None:
            assert entry.note, f"{entry.id}: a seat-placed airport must say why in its note"
            continue
        assert code in airports, entry.id
        assert airports[code]["subd"] in {"Sichuan", "Chongqing"}, entry.id
        assert "unknown" not in airports[code]["name"].lower(), entry.id


def test_schematic_lines_name_distinct_places(entries):
    for entry in _all(entries):
        via = entry.geometry.get("via")
        if via is not None:
            assert len(via) >= 2 and len(set(via)) == len(via), entry.id


def _listed_items(sentence: str, verbs: tuple[str, ...], tail: str) -> list[str]:
    """The items of a 、-separated list the plan introduces with one of ``verbs``."""
    items = []
    for verb in verbs:
        for group in re.findall(rf"{verb}(.+?)(?:{tail})", sentence):
            items.extend(part for part in re.split(r"、|和|及", group) if part)
    return items


@pytest.mark.parametrize(
    ("task", "sentence", "verbs", "tail"),
    [
        (10, 2, ("开工建设",), "等铁路"),
        (10, 3, ("成昆铁路",), "等铁路扩能改造"),
        (10, 5, ("规划研究",), "等铁路"),
        (10, 6, ("研究论证",), "等铁路"),
        (11, 1, ("扩容改造",), "等高速公路"),
        (11, 2, ("加快建设", "开工建设", "规划研究"), "等高速公路"),
        (9, 4, ("扩建",), ",研究建设"),
        (9, 4, ("研究建设",), "支线机场"),
    ],
)
def test_every_listed_item_has_an_entry(entries, plan, task, sentence, verbs, tail):
    text = plan.task(task).sentences[sentence]
    items = _listed_items(text, verbs, tail)
    assert len(items) >= 2
    quotes = [e.quote for e in _all(entries) if e.tasks[0] == task and e.sentence == sentence]
    names = [e.name for e in _all(entries) if e.tasks[0] == task]
    names += [u.name for u in load_unlocated() if u.task == task]  # listed with the reason it is not drawn
    for item in items:
        assert any(item in q or q.lstrip("、") in item for q in quotes) or any(item in n for n in names), item
