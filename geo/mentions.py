"""Which places each task of the plan names, sentence by sentence.

A dictionary maps every surface form to the units it stands for:

- the full and short names of the units of Sichuan and Chongqing (short names of two or more
  characters, only where the gazetteer resolves them to that unit: 广安 is 广安市, not 广安区);
- the non-unit places the gazetteer knows (万盛 → 綦江, 两江新区 …) and the named sites of
  ``mention_rules.yaml`` (重庆江北国际机场 → 渝北区);
- the groupings (重庆中心城区 → its 9 districts) and compound abbreviations (渝遂 → 重庆, 遂宁);
- the few places outside the region the plan names as ends of corridors (兰州, 昆明 …);
- phrases that hide a name without naming it (成渝中线 is not 渝中, 嘉陵江 is not 嘉陵区,
  天府通办 is no place), which match like names but yield nothing.

In each sentence every dictionary hit is collected and overlaps are settled longest first,
then leftmost: 重庆江北国际机场 beats 江北, 渝东北川东北 reads 渝东北 + 川东北 (not 北川), and
成渝中线 reads 成渝 because it starts before 渝中. One-character abbreviations are never
matched on their own.

``how`` ranks a mention, strongest first: ``direct`` (a unit's own name), ``site`` (a named place
that is not a unit, mapped to the unit it lies in), ``abbreviation`` (inside a compound token),
``grouping`` (a member of a named grouping).
"""

from __future__ import annotations

import functools
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import yaml

from geo import datafiles
from geo.errors import DataError, GeoError
from geo.groupings import GAZETTEER_DIR, Abbreviations, Grouping, expand, load_abbreviations, load_groupings
from geo.plan import Plan, Task, load_plan

if TYPE_CHECKING:
    from geo.gazetteer import Gazetteer, Unit

RULES_PATH = GAZETTEER_DIR / "mention_rules.yaml"

HOWS: tuple[str, ...] = ("direct", "site", "abbreviation", "grouping")
HOW_RANK = {how: rank for rank, how in enumerate(HOWS)}
HOW_ZH = {"direct": "直接", "site": "地点", "abbreviation": "简称", "grouping": "组合"}


@dataclass(frozen=True)
class Term:
    """A dictionary entry: what a surface form stands for. No units and no ``how``: a blocker."""

    surface: str
    units: tuple[Unit, ...]
    how: str | None
    key: str

    @property
    def blocks(self) -> bool:
        return self.how is None


@dataclass(frozen=True)
class Hit:
    """A term found in a text at ``start:end``."""

    start: int
    end: int
    term: Term


@dataclass(frozen=True)
class Mention:
    task: int
    sentence: int
    text: str
    start: int
    end: int
    units: tuple[Unit, ...]
    how: str
    key: str

    @property
    def adcodes(self) -> tuple:
        return tuple(unit.adcode for unit in self.units)


@dataclass(frozen=True)
class SentenceHit:
    index: int
    text: str
    spans: tuple[tuple[int, int, str], ...]

    def to_dict(self) -> dict:
        return {
            "index": self.index,
            "text": self.text,
            "spans": [{"start": s, "end": e, "how": how} for s, e, how in self.spans],
        }


@dataclass(frozen=True)
class TaskHit:
    task: int
    title: str
    how: str
    sentences: tuple[SentenceHit, ...]
    mentions: tuple[Mention, ...]

    def to_dict(self) -> dict:
        return {
            "task": self.task,
            "title": self.title,
            "how": self.how,
            "sentences": [sentence.to_dict() for sentence in self.sentences],
        }


# -- the dictionary ---------------------------------------------------------------------------

# The source normalised full-width punctuation to ASCII; names written either way must match.
_FULL_TO_ASCII = str.maketrans({"（": "(", "）": ")"})


def normalise(text: str) -> str:
    """Full-width brackets as ASCII; one character for one, so spans stay valid."""
    return text.translate(_FULL_TO_ASCII)


class Matcher:
    """Finds the non-overlapping terms of a text, longest first, then leftmost."""

    def __init__(self, terms: Iterable[Term]):
        self.terms: dict[str, Term] = {}
        for term in terms:
            self.terms[normalise(term.surface)] = term
        if not self.terms:
            raise GeoError("the place dictionary is empty")
        lengths = {len(surface) for surface in self.terms}
        self._lengths = sorted(lengths, reverse=True)
        self._first_chars = {surface[0] for surface in self.terms}

    def candidates(self, text: str) -> list[Hit]:
        text = normalise(text)
        hits = []
        for start, char in enumerate(text):
            if char not in self._first_chars:
                continue
            for length in self._lengths:
                if start + length > len(text):
                    continue
                term = self.terms.get(text[start : start + length])
                if term is not None:
                    hits.append(Hit(start, start + length, term))
        return hits

    def find(self, text: str) -> list[Hit]:
        """Hits that name places (blockers removed), in text order."""
        taken = [False] * len(text)
        kept: list[Hit] = []
        for hit in sorted(self.candidates(text), key=lambda h: (h.start - h.end, h.start)):
            if any(taken[hit.start : hit.end]):
                continue
            for i in range(hit.start, hit.end):
                taken[i] = True
            kept.append(hit)
        return sorted((hit for hit in kept if not hit.term.blocks), key=lambda h: h.start)


def _read_yaml(path: Path) -> dict:
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    except (OSError, UnicodeError, yaml.YAMLError) as exc:
        with datafiles.reading(path):
            raise exc from None
    if not isinstance(data, dict):
        raise DataError(datafiles.shown_path(path), "expected a mapping at the top level")
    return data


@functools.cache
def load_rules(path: Path = RULES_PATH) -> dict:
    return _read_yaml(path)


def nonunit_names() -> list[str]:
    """Names and aliases of the gazetteer's non-unit places (万盛, 两江新区 …)."""
    from geo.gazetteer import read_nonunit_places

    return [place.name for place in read_nonunit_places() if len(place.name) >= 2]


def _region_unit_terms(gazetteer: Gazetteer) -> list[Term]:
    terms: list[Term] = []
    for unit in gazetteer.units(region_only=True):
        for surface in dict.fromkeys((unit.name, unit.short_name)):
            if not surface or len(surface) < 2:
                continue
            try:
                resolved = gazetteer.resolve(surface).unit
            except GeoError:
                continue  # a name several units share (市中区) names none of them
            if resolved.adcode == unit.adcode:
                terms.append(Term(surface, (unit,), "direct", unit.name))
    return terms


def build_terms(
    gazetteer: Gazetteer,
    *,
    rules: dict | None = None,
    groupings: dict[str, Grouping] | None = None,
    abbreviations: Abbreviations | None = None,
    nonunit: Iterable[str] | None = None,
) -> list[Term]:
    """Every dictionary term; a later term of the same surface replaces an earlier one."""
    rules = load_rules() if rules is None else rules
    groupings = load_groupings() if groupings is None else groupings
    abbreviations = load_abbreviations() if abbreviations is None else abbreviations
    nonunit = nonunit_names() if nonunit is None else nonunit

    def resolve(name: str, origin: str) -> Unit:
        try:
            return gazetteer.resolve(name).unit
        except GeoError as exc:
            raise GeoError(f"{origin}: {exc}") from None

    terms = _region_unit_terms(gazetteer)
    for surface, qualified in (rules.get("outside_places") or {}).items():
        terms.append(
            Term(str(surface), (resolve(str(qualified), "outside place"),), "direct", str(qualified))
        )
    for name in nonunit:
        terms.append(Term(name, (resolve(name, "non-unit place"),), "site", name))
    for surface, spec in (rules.get("sites") or {}).items():
        names = spec.get("units") or [spec.get("unit")]
        units = tuple(resolve(str(name), f"site {surface}") for name in names)
        terms.append(Term(str(surface), units, "site", str(surface)))
    for token, compound in abbreviations.compounds.items():
        units = tuple(resolve(member, f"abbreviation {token}") for member in compound.members)
        terms.append(Term(token, units, "abbreviation", token))
    for surface, grouping in groupings.items():
        units = tuple(expand(grouping.name, gazetteer, groupings=groupings, abbreviations=abbreviations))
        terms.append(Term(surface, units, "grouping", grouping.name))
    for surface in [*(rules.get("plan_area") or ()), *(rules.get("not_places") or ())]:
        terms.append(Term(str(surface), (), None, str(surface)))
    return terms


@functools.cache
def load_matcher() -> Matcher:
    from geo.gazetteer import load_gazetteer

    return Matcher(build_terms(load_gazetteer()))


# -- mentions ---------------------------------------------------------------------------------


def mentions_in_sentences(task_number: int, sentences: Iterable[str], matcher: Matcher) -> list[Mention]:
    mentions = []
    for index, sentence in enumerate(sentences):
        for hit in matcher.find(sentence):
            mentions.append(
                Mention(
                    task=task_number,
                    sentence=index,
                    text=sentence[hit.start : hit.end],
                    start=hit.start,
                    end=hit.end,
                    units=hit.term.units,
                    how=hit.term.how or "",
                    key=hit.term.key,
                )
            )
    return mentions


def mentions_for_task(task: Task, matcher: Matcher | None = None) -> list[Mention]:
    """Every place the task names, in sentence and text order."""
    return mentions_in_sentences(task.number, task.sentences, matcher or load_matcher())


@functools.cache
def all_mentions() -> tuple[Mention, ...]:
    """Mentions of all 47 tasks of the shipped plan."""
    matcher = load_matcher()
    return tuple(m for task in load_plan().tasks for m in mentions_for_task(task, matcher))


def strongest(hows: Iterable[str]) -> str:
    return min(hows, key=HOW_RANK.__getitem__)


def target_adcodes(units: Iterable[Unit], gazetteer: Gazetteer) -> set:
    """The units and all their descendants: a place includes the counties inside it."""
    codes = set()
    for unit in units:
        codes.add(unit.adcode)
        codes.update(child.adcode for child in gazetteer.descendants(unit.adcode))
    return codes


def hits_for(codes: set, mentions: Iterable[Mention], plan: Plan) -> list[TaskHit]:
    """Mentions of any of the adcodes, grouped by task with their sentences."""
    by_task: dict[int, list[Mention]] = {}
    for mention in mentions:
        if any(unit.adcode in codes for unit in mention.units):
            by_task.setdefault(mention.task, []).append(mention)
    hits = []
    for number in sorted(by_task):
        task = plan.task(number)
        found = by_task[number]
        sentences = []
        for index in sorted({m.sentence for m in found}):
            spans = tuple((m.start, m.end, m.how) for m in found if m.sentence == index)
            sentences.append(SentenceHit(index, task.sentences[index], spans))
        hits.append(
            TaskHit(
                task=number,
                title=task.title,
                how=strongest(m.how for m in found),
                sentences=tuple(sentences),
                mentions=tuple(found),
            )
        )
    return hits


def tasks_for(unit_or_name: Unit | str, gazetteer: Gazetteer | None = None) -> list[TaskHit]:
    """Tasks naming a place or any unit inside it (遂宁 finds 遂宁市 and 射洪市).

    A name may be a unit, a grouping or a compound abbreviation (then any member counts).
    Raises UnknownPlaceError / AmbiguousPlaceError for a name that resolves to nothing or to
    several units.
    """
    if gazetteer is None:
        from geo.gazetteer import load_gazetteer

        gazetteer = load_gazetteer()
    units = expand(unit_or_name, gazetteer) if isinstance(unit_or_name, str) else [unit_or_name]
    return hits_for(target_adcodes(units, gazetteer), all_mentions(), load_plan())
