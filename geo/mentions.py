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

A county-level unit also *receives* tasks (:func:`tasks_for` with ``inherited=True``): those that
name its prefecture (达州 for 大竹县), ``how="prefecture"``, and those that name a grouping or
compound abbreviation it or its prefecture belongs to (川东北, 万达开, 重庆都市圈),
``how="grouping"``; ``via`` says which. Chongqing's districts and counties are prefecture-level on
the region's map: like Sichuan's prefectures they receive through groupings only, and a task
naming 重庆 or 四川 (the plan's two province-level parties) is passed down to no unit. Tasks naming the unit itself
directly, by a site or by an abbreviation are *named*; grouping and prefecture routes are *received*.
"""

from __future__ import annotations

import functools
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from geo import datafiles
from geo.datafiles import GAZETTEER_DIR, LoadedMapping, LoadedTuple
from geo.errors import GeoError
from geo.groupings import Abbreviations, Grouping, expand, load_abbreviations, load_groupings
from geo.plan import Plan, Task, load_plan
from geo.vocabulary import HOWS as HOW_TERMS

if TYPE_CHECKING:
    from geo.gazetteer import Gazetteer, Unit

RULES_PATH = GAZETTEER_DIR / "mention_rules.yaml"

# Read from data/vocabularies.yaml on first use.
HOWS: LoadedTuple = LoadedTuple(lambda: tuple(HOW_TERMS))
HOW_RANK = LoadedMapping(lambda: {how: rank for rank, how in enumerate(HOWS)})
# Routes by which a task reaches a unit without naming it: the unit receives the task.
RECEIVED_HOWS = LoadedTuple(lambda: tuple(how.id for how in HOW_TERMS.terms() if how.received))


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
    """One place named in one sentence of a task: where, what was matched and how."""

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
    """A sentence of a task and the spans that name the place asked about."""

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
class Route:
    """How a task reaches a unit: ``how`` and the name it goes through (grouping, abbreviation,
    site or prefecture; None when the unit is named directly)."""

    how: str
    via: str | None = None

    def label(self, lang: str = "zh") -> str:
        """达州 (所属市), 川东北 (组合) …; the bare kind when there is no ``via``."""
        kind = HOW_TERMS.label(self.how, lang)
        return f"{self.via} ({kind})" if self.via else kind


@dataclass(frozen=True)
class TaskHit:
    """A task reaching a place, how it does (see :data:`HOWS`) and the sentences that show it."""

    task: int
    title: str
    how: str
    sentences: tuple[SentenceHit, ...]
    mentions: tuple[Mention, ...]
    routes: tuple[Route, ...] = ()

    @property
    def via(self) -> str | None:
        """The name the strongest route goes through."""
        return next((r.via for r in self.routes if r.how == self.how), None)

    @property
    def received(self) -> bool:
        """True when no route names the unit itself: the task comes through a prefecture or grouping."""
        return self.how in RECEIVED_HOWS

    def to_dict(self) -> dict:
        return {
            "task": self.task,
            "title": self.title,
            "how": self.how,
            "via": self.via,
            "received": self.received,
            "routes": [{"how": r.how, "via": r.via} for r in self.routes],
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


@functools.cache
def load_rules(path: Path = RULES_PATH) -> dict:
    """The mention rules (``mention_rules.yaml``)."""
    return datafiles.read_yaml_mapping(path, empty_ok=True)


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
    """The matcher for every term of the shipped gazetteer, built once per process.

    Returns
    -------
    Matcher
        ``find(text)`` gives the place terms of a text (names, abbreviations, groupings,
        sites) in text order; where two overlap, the longer wins.

    Raises
    ------
    DataError
        A gazetteer or grouping file is missing, unreadable or damaged.
    """
    from geo.gazetteer import load_gazetteer

    return Matcher(build_terms(load_gazetteer()))


# -- mentions ---------------------------------------------------------------------------------


def mentions_in_sentences(task_number: int, sentences: Iterable[str], matcher: Matcher) -> list[Mention]:
    """Every place mention in the sentences of task ``task_number``."""
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
    """The most direct of several ways of naming a unit (the order of :data:`HOWS`)."""
    return min(hows, key=HOW_RANK.__getitem__)


def target_adcodes(units: Iterable[Unit], gazetteer: Gazetteer) -> set:
    """The units and all their descendants: a place includes the counties inside it."""
    codes = set()
    for unit in units:
        codes.add(unit.adcode)
        codes.update(child.adcode for child in gazetteer.descendants(unit.adcode))
    return codes


def _own_route(mention: Mention) -> Route:
    return Route(mention.how, None if mention.how == "direct" else mention.key)


def _collect(routed: dict[int, list[tuple[Mention, Route]]], plan: Plan) -> list[TaskHit]:
    hits = []
    for number in sorted(routed):
        task = plan.task(number)
        found = routed[number]
        mentions = tuple(dict.fromkeys(m for m, _ in found))
        routes = tuple(
            sorted(dict.fromkeys(r for _, r in found), key=lambda r: (HOW_RANK[r.how], r.via or ""))
        )
        sentences = []
        for index in sorted({m.sentence for m in mentions}):
            spans = tuple(dict.fromkeys((m.start, m.end, r.how) for m, r in found if m.sentence == index))
            spans = tuple(sorted(spans, key=lambda sp: (sp[0], HOW_RANK[sp[2]])))
            kept: dict[tuple[int, int], tuple[int, int, str]] = {}
            for span in spans:
                kept.setdefault(span[:2], span)  # the strongest route of each span
            sentences.append(SentenceHit(index, task.sentences[index], tuple(kept.values())))
        hits.append(
            TaskHit(
                task=number,
                title=task.title,
                how=strongest(r.how for r in routes),
                sentences=tuple(sentences),
                mentions=mentions,
                routes=routes,
            )
        )
    return hits


def hits_for(
    codes: set, mentions: Iterable[Mention], plan: Plan, *, prefectures: Iterable[Unit] = ()
) -> list[TaskHit]:
    """Mentions of any of the adcodes, grouped by task with their sentences; with ``prefectures``,
    also the mentions of those units themselves (not of their other counties), as received routes."""
    prefecture_by_code = {unit.adcode: unit for unit in prefectures}
    routed: dict[int, list[tuple[Mention, Route]]] = {}
    for mention in mentions:
        if any(unit.adcode in codes for unit in mention.units):
            routed.setdefault(mention.task, []).append((mention, _own_route(mention)))
        for unit in mention.units:
            prefecture = prefecture_by_code.get(unit.adcode)
            if prefecture is None:
                continue
            if HOW_TERMS[mention.how].names_a_group:
                route = Route("grouping", mention.key)
            else:
                route = Route("prefecture", prefecture.short_name or prefecture.name)
            routed.setdefault(mention.task, []).append((mention, route))
    return _collect(routed, plan)


def prefecture_of(unit: Unit, gazetteer: Gazetteer) -> Unit | None:
    """The prefecture a county-level unit of the region belongs to (达州 for 大竹县); None for a
    prefecture, and for a Chongqing district or county, which is itself prefecture-level on the
    region's map: 重庆, like 四川, is a province-level party of the plan, and a task naming it
    is not passed down to every district (it would reach 城口 through 重庆至昆明)."""
    if unit.level != "county" or not unit.parent or not unit.in_region:
        return None
    try:
        parent = gazetteer.unit(unit.parent)
    except GeoError:
        return None
    return parent if parent.level == "prefecture" else None


def tasks_for(
    unit_or_name: Unit | str, gazetteer: Gazetteer | None = None, *, inherited: bool = True
) -> list[TaskHit]:
    """Tasks naming a place or any unit inside it (遂宁 finds 遂宁市 and 射洪市).

    A name may be a unit, a grouping or a compound abbreviation (then any member counts).
    With ``inherited`` (the default) a single county-level unit also receives the tasks naming its
    prefecture and the groupings its prefecture belongs to; without it, only the tasks that
    *name* the unit (directly, by a site or an abbreviation) are returned, and grouping
    memberships do not count either.

    Parameters
    ----------
    unit_or_name : Unit or str
        A unit of the gazetteer, or a place text: a name, a 6-digit code, a grouping
        (成渝地区) or a compound abbreviation (川渝).
    gazetteer : Gazetteer, optional
        The gazetteer to read names with; the shipped one by default.
    inherited : bool, default True
        Also count what reaches a county through its prefecture and that prefecture's
        groupings.

    Returns
    -------
    list of TaskHit
        One per task, in task order: its number, title, how it reaches the place (see
        :data:`HOWS`), and the sentences, mentions and routes that show it.

    Raises
    ------
    UnknownPlaceError
        The name resolves to nothing.
    AmbiguousPlaceError
        The name resolves to several units.
    """
    if gazetteer is None:
        from geo.gazetteer import load_gazetteer

        gazetteer = load_gazetteer()
    units = expand(unit_or_name, gazetteer) if isinstance(unit_or_name, str) else [unit_or_name]
    prefectures: list[Unit] = []
    if inherited and len(units) == 1:
        prefecture = prefecture_of(units[0], gazetteer)
        if prefecture is not None:
            prefectures.append(prefecture)
    hits = hits_for(target_adcodes(units, gazetteer), all_mentions(), load_plan(), prefectures=prefectures)
    if inherited:
        return hits
    return [hit for hit in _named_only(hits)]


def _named_only(hits: list[TaskHit]) -> list[TaskHit]:
    """The hits cut down to the routes that name the unit (direct, site, abbreviation)."""
    named = []
    for hit in hits:
        routes = tuple(r for r in hit.routes if r.how not in RECEIVED_HOWS)
        if not routes:
            continue
        keep = {m for m in hit.mentions if m.how not in RECEIVED_HOWS}
        sentences = []
        for sentence in hit.sentences:
            spans = tuple(sp for sp in sentence.spans if sp[2] not in RECEIVED_HOWS)
            if spans:
                sentences.append(SentenceHit(sentence.index, sentence.text, spans))
        named.append(
            TaskHit(
                task=hit.task,
                title=hit.title,
                how=strongest(r.how for r in routes),
                sentences=tuple(sentences),
                mentions=tuple(m for m in hit.mentions if m in keep),
                routes=routes,
            )
        )
    return named
