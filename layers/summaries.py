"""Tables and text the overview, task and data pages show: counts, highlight spans, provenance.

Everything here is computed from the catalogue frame (:func:`geo.features.catalogue_frame`), the
plan and the shipped provenance records; the pages only draw it. Highlighted text is built from
escaped pieces, so no character of the plan or of a name reaches HTML unescaped.
"""

from __future__ import annotations

import functools
import html
import json
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from geo import datafiles
from geo.catalogue import LAYER_IDS, STATUSES
from geo.datafiles import DATA_DIR, LoadedMapping
from geo.plan import Task
from geo.resolve import PRECISIONS
from geo.vocabulary import HOWS, PHASES, Phase
from geo.vocabulary import STATUSES as STATUSES_TERMS

PROVENANCE_PATH = DATA_DIR / "PROVENANCE.json"

# Highlight kinds, drawn in this order of priority when spans overlap.
FEATURE = "feature"
PLACE = "place"
HIGHLIGHT_KINDS = (FEATURE, PLACE)
# How a place is named (geo.mentions.HOWS), for hover labels: Chinese and English together.
HOW_LABELS = LoadedMapping(lambda: {how.id: how.hover for how in HOWS.terms() if how.hover})


# --- counts ---------------------------------------------------------------------------------


def counts_by_layer_and_status(gdf: pd.DataFrame) -> pd.DataFrame:
    """Features per layer (rows, every layer in display order) and status (columns, every status)."""
    table = pd.crosstab(gdf["layer"], gdf["status"]) if len(gdf) else pd.DataFrame()
    return table.reindex(index=list(LAYER_IDS), columns=list(STATUSES), fill_value=0).astype(int)


def phase_count(gdf: pd.DataFrame, phase: Phase) -> int:
    """Features whose status is one of the phase's: the count a map filtered by the phase shows."""
    return int(gdf["status"].isin(list(phase.statuses)).sum()) if len(gdf) else 0


def phase_definition(phase: Phase, lang: str = "zh") -> str:
    """What a phase counts, said on every page that counts it: 在建 = 开工建设 + 加快建设 + 迁建."""
    name = phase.id if lang == "zh" else phase.en
    return f"{name} = " + " + ".join(STATUSES_TERMS.label(s, lang) for s in phase.statuses)


def phase_matching(statuses) -> Phase | None:
    """The phase whose statuses are exactly ``statuses`` (a map filtered by ?status=在建), else None."""
    chosen = set(statuses)
    return next((p for p in PHASES.terms() if chosen and set(p.statuses) == chosen), None)


def counts_by(gdf: pd.DataFrame, column: str, order: tuple[str, ...] | list[str]) -> pd.Series:
    """Rows per value of ``column``, in ``order``, zeros included; values outside ``order`` last."""
    counts = gdf[column].value_counts() if len(gdf) else pd.Series(dtype=int)
    extra = [value for value in counts.index if value not in order]
    return counts.reindex([*order, *extra], fill_value=0).astype(int)


def counts_by_precision(gdf: pd.DataFrame) -> pd.Series:
    return counts_by(gdf, "precision", PRECISIONS)


def counts_by_precision_and_layer(gdf: pd.DataFrame) -> pd.DataFrame:
    """Features per layer (rows) and precision class (columns)."""
    table = pd.crosstab(gdf["layer"], gdf["precision"]) if len(gdf) else pd.DataFrame()
    return table.reindex(index=list(LAYER_IDS), columns=list(PRECISIONS), fill_value=0).astype(int)


def task_feature_counts(gdf: pd.DataFrame, numbers: range | list[int]) -> dict[int, int]:
    """Number of features that name each task (a feature given to several tasks counts in each)."""
    counts = dict.fromkeys(numbers, 0)
    for tasks in gdf["tasks"]:
        for number in tasks:
            if number in counts:
                counts[number] += 1
    return counts


def task_features(gdf: pd.DataFrame, number: int) -> pd.DataFrame:
    """The features that name task ``number``, in the frame's order."""
    return gdf[gdf["tasks"].apply(lambda tasks: number in tasks)]


# --- highlighted text -----------------------------------------------------------------------


@dataclass(frozen=True)
class Span:
    """A highlighted stretch ``text[start:end]`` of a task, with what it stands for."""

    start: int
    end: int
    kind: str  # FEATURE or PLACE
    label: str  # shown on hover: a feature's or a place's name


def sentence_offsets(task: Task) -> list[int]:
    """Where each of the task's sentences starts in ``task.text``."""
    offsets = []
    position = 0
    for sentence in task.sentences:
        start = task.text.index(sentence, position)
        offsets.append(start)
        position = start + len(sentence)
    return offsets


def feature_spans(task: Task, gdf: pd.DataFrame, *, lang: str = "zh") -> list[Span]:
    """The quote of each feature whose quote lies in ``task`` (the task its quote comes from),
    labelled with the item's name (English in the English interface)."""
    offsets = sentence_offsets(task)
    spans = []
    for row in gdf.itertuples(index=False):
        if row.task != task.number or not 0 <= row.sentence < len(offsets):
            continue
        found = task.sentences[row.sentence].find(row.quote)
        if found < 0 or not row.quote:
            continue
        start = offsets[row.sentence] + found
        label = row.name_en if lang == "en" and getattr(row, "name_en", "") else row.name
        spans.append(Span(start, start + len(row.quote), FEATURE, label))
    return spans


def place_spans(task: Task, mentions: Iterable | None = None) -> list[Span]:
    """The places the task names (:func:`geo.mentions.mentions_for_task`), as spans of ``task.text``.

    The label says what the words stand for: 成渝 → 成都市、重庆市 (abbreviation).
    """
    if mentions is None:
        from geo.mentions import mentions_for_task

        mentions = mentions_for_task(task)
    offsets = sentence_offsets(task)
    spans = []
    for mention in mentions:
        start = offsets[mention.sentence] + mention.start
        names = "、".join(unit.name for unit in mention.units)
        label = mention.text if names == mention.text else f"{mention.text} → {names}"
        how = HOW_LABELS.get(mention.how)
        spans.append(
            Span(start, start + (mention.end - mention.start), PLACE, f"{label} ({how})" if how else label)
        )
    return spans


def highlight_html(
    text: str,
    spans: list[Span],
    *,
    css_class: dict[str, str] | None = None,
    notes: dict[int, str] | None = None,
) -> str:
    """``text`` as HTML with each span wrapped in ``<mark>``; overlapping spans combine classes.

    The text is cut at every span boundary, each piece escaped on its own, then wrapped: the
    markup is the only unescaped HTML in the result. ``notes`` puts a short text (escaped) right
    after a position: the English name of an item beside the plan's Chinese words.

    >>> highlight_html("a<b>c", [Span(1, 4, "place", "x")])
    'a<mark class="hl-place" title="x">&lt;b&gt;</mark>c'
    >>> highlight_html("abc", [], notes={2: "B&B"})
    'ab<span class="hl-note">[B&amp;B]</span>c'
    """
    notes = notes or {}
    classes = css_class or {kind: f"hl-{kind}" for kind in HIGHLIGHT_KINDS}
    cuts = sorted({0, len(text), *(s.start for s in spans), *(s.end for s in spans), *notes})
    cuts = [c for c in cuts if 0 <= c <= len(text)]
    pieces = []
    for start, end in zip(cuts, cuts[1:], strict=False):
        covering = [s for s in spans if s.start <= start and end <= s.end]
        piece = html.escape(text[start:end], quote=True)
        if start in notes and start > 0:
            pieces.append(f'<span class="hl-note">[{html.escape(notes[start], quote=True)}]</span>')
        if not covering:
            pieces.append(piece)
            continue
        kinds = [kind for kind in HIGHLIGHT_KINDS if any(s.kind == kind for s in covering)]
        kinds += sorted({s.kind for s in covering} - set(kinds))
        labels = list(dict.fromkeys(s.label for s in covering))
        css = " ".join(classes.get(kind, f"hl-{kind}") for kind in kinds)
        title = html.escape(" · ".join(labels), quote=True)
        pieces.append(f'<mark class="{css}" title="{title}">{piece}</mark>')
    if len(text) in notes:
        pieces.append(f'<span class="hl-note">[{html.escape(notes[len(text)], quote=True)}]</span>')
    return "".join(pieces)


# --- places ---------------------------------------------------------------------------------


def named_units(mentions: Iterable) -> list:
    """The prefectures, districts and counties of the region that mentions name, first mention first.

    A grouping or abbreviation contributes each of its members; provinces and places outside
    Sichuan and Chongqing are left out (they have no panel of their own on the city page).
    """
    seen: dict[str, object] = {}
    for mention in mentions:
        for unit in mention.units:
            if unit.level != "province" and unit.in_region and unit.adcode not in seen:
                seen[unit.adcode] = unit
    return list(seen.values())


@functools.cache
def hits_per_unit(*, inherited: bool = True) -> dict[str, list]:
    """adcode → :func:`geo.mentions.tasks_for` of every unit on the region's prefecture-level and
    county-level maps, so a unit's panel reads a table instead of searching the plan.

    Built once per process and shared (callers only read it): the server builds it before the
    first visitor, so the city page's first panel costs no more than any.
    """
    from geo.gazetteer import load_gazetteer
    from geo.mentions import tasks_for

    gazetteer = load_gazetteer()
    table: dict[str, list] = {}
    for level in ("prefecture", "county"):
        for code in gazetteer.boundaries(level)["adcode"]:
            code = str(code)
            if code not in table:
                table[code] = tasks_for(gazetteer.unit(code), gazetteer, inherited=inherited)
    return table


def tasks_per_unit(level: str = "prefecture", *, inherited: bool = True) -> pd.DataFrame:
    """Tasks reaching each unit of the region's map at ``level``: what :func:`geo.mentions.tasks_for`
    gives the unit (a unit inside it counts; with ``inherited``, a county also receives its
    prefecture's and its groupings' tasks), so the overview and the city page count alike.

    At "prefecture" level the units are Sichuan's 21 prefectures and Chongqing's 38 districts and
    counties (the gazetteer's prefecture-level map). Columns ``adcode``, ``name``, ``short_name``,
    ``name_en``, ``province`` (四川/重庆), ``tasks`` (count) and ``task_list``; most tasks first.
    """
    from geo.gazetteer import load_gazetteer
    from geo.mentions import tasks_for

    gazetteer = load_gazetteer()
    # Both levels' units are in the per-process table; another level is counted here.
    table = hits_per_unit(inherited=inherited) if level in ("prefecture", "county") else {}
    rows = []
    for code in gazetteer.boundaries(level)["adcode"]:
        unit = gazetteer.unit(str(code))
        hits = table.get(unit.adcode)
        if hits is None:
            hits = tasks_for(unit, gazetteer, inherited=inherited)
        tasks = sorted(hit.task for hit in hits)
        rows.append(
            {
                "adcode": unit.adcode,
                "name": unit.name,
                "short_name": unit.short_name,
                "name_en": unit.name_en or unit.short_name,
                "province": "重庆" if unit.adcode.startswith("50") else "四川",
                "tasks": len(tasks),
                "task_list": tasks,
            }
        )
    table = pd.DataFrame(rows)
    return table.sort_values(["tasks", "adcode"], ascending=[False, True], ignore_index=True)


# --- provenance -----------------------------------------------------------------------------


@dataclass(frozen=True)
class DatasetRecord:
    """One shipped file: where it came from, under which licence, and how it was processed."""

    file: str
    source: str
    version: str
    licence: str
    processing: str
    sha256: str
    rows: int | None


def _text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, list | tuple):
        return "; ".join(_text(item) for item in value)
    if isinstance(value, dict):
        return "; ".join(f"{k}: {_text(v)}" for k, v in value.items())
    return str(value)


def provenance_records(path: Path = PROVENANCE_PATH) -> list[DatasetRecord]:
    """The records of ``data/PROVENANCE.json`` (a list, or a mapping keyed by file), by file name."""
    with datafiles.reading(path):
        raw = json.loads(path.read_text(encoding="utf-8"))
    if isinstance(raw, dict):
        items = raw.get("files", raw)
        if isinstance(items, dict):
            items = [{"file": key, **value} for key, value in items.items() if isinstance(value, dict)]
    else:
        items = raw
    records = []
    for item in items:
        rows = item.get("rows")
        records.append(
            DatasetRecord(
                file=_text(item.get("file") or item.get("path")),
                source=_text(item.get("source")),
                version=_text(item.get("version")),
                licence=_text(item.get("licence") or item.get("license")),
                processing=_text(item.get("processing")),
                sha256=_text(item.get("sha256")),
                rows=int(rows) if isinstance(rows, int | float) else None,
            )
        )
    return sorted(records, key=lambda record: record.file)


def source_notes(directory: Path = DATA_DIR) -> dict[str, str]:
    """The Markdown ``SOURCE*.md`` notes shipped beside the data, keyed by path relative to data/."""
    return {
        str(path.relative_to(directory)): path.read_text(encoding="utf-8")
        for path in sorted(directory.rglob("SOURCE*.md"))
    }


def english_notes(spans: Iterable[Span]) -> dict[int, str]:
    """Where each feature's quote ends, the item's English name (several items ending together
    share one note): the plan's Chinese sentence keeps its words, the name stands beside them."""
    notes: dict[int, list[str]] = {}
    for span in spans:
        if span.kind == FEATURE and span.label:
            names = notes.setdefault(span.end, [])
            if span.label not in names:
                names.append(span.label)
    return {end: "; ".join(names) for end, names in notes.items()}
