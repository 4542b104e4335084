"""The plan text as data: preamble, 10 chapters, 47 tasks, and their sentences.

The source is the article as published on a news portal (``data/source/``). The plan itself
starts at the paragraph "为全面贯彻党的十九大…" and ends with task (四十七); the portal's header,
the news lead-in and the footer are not part of it.

Sentences are split on 。 and ; (the portal normalised full-width ； to ASCII, both are accepted),
so a list of projects joined by semicolons yields one sentence per verb group. Sentence indices
count from 0 within each task, title sentence included, and are stable as long as the source is.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass, field
from pathlib import Path

from geo import datafiles
from geo.datafiles import DATA_DIR
from geo.errors import PlanError

PLAN_PATH = DATA_DIR / "source" / "plan-article-2021-12-31.txt"

PLAN_TITLE = "重庆四川两省市贯彻落实《成渝地区双城经济圈建设规划纲要》联合实施方案"
PLAN_DATE = "2021-12"
PREAMBLE_START = "为全面贯彻党的十九大"

CHINESE_DIGITS = {"一": 1, "二": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}

_CHAPTER_RE = re.compile(r"^([一二三四五六七八九十]+)、(\S.*)$")
_TASK_RE = re.compile(r"^[(（]([一二三四五六七八九十]+)[)）](.+)$")
_SENTENCE_END = re.compile(r"(?<=[。;；])")


def chinese_numeral(text: str) -> int:
    """Value of a Chinese numeral from 1 to 99 (一, 十, 十七, 四十七).

    >>> chinese_numeral("四十七")
    47
    """
    if not text or any(ch not in CHINESE_DIGITS and ch != "十" for ch in text):
        raise ValueError(f"not a Chinese numeral: {text!r}")
    if "十" not in text:
        if len(text) != 1:
            raise ValueError(f"not a Chinese numeral: {text!r}")
        return CHINESE_DIGITS[text]
    tens, _, units = text.partition("十")
    if len(tens) > 1 or len(units) > 1 or units == "十":
        raise ValueError(f"not a Chinese numeral: {text!r}")
    return CHINESE_DIGITS.get(tens, 1) * 10 + (CHINESE_DIGITS[units] if units else 0)


def to_chinese_numeral(number: int) -> str:
    """Inverse of :func:`chinese_numeral` for 1–99 (47 → 四十七)."""
    if not 1 <= number <= 99:
        raise ValueError(f"out of range: {number}")
    digits = {v: k for k, v in CHINESE_DIGITS.items()}
    tens, units = divmod(number, 10)
    head = "" if tens == 0 else ("十" if tens == 1 else digits[tens] + "十")
    return head + (digits[units] if units else "")


def split_sentences(text: str) -> list[str]:
    """Sentences of a paragraph, each keeping its closing 。 or ;.

    >>> split_sentences("甲。乙;丙")
    ['甲。', '乙;', '丙']
    """
    return [part.strip() for part in _SENTENCE_END.split(text) if part.strip()]


@dataclass(frozen=True)
class Task:
    """One of the plan's 47 tasks: number, chapter, title, text and sentences."""

    number: int
    chapter: int
    title: str
    text: str
    sentences: tuple[str, ...]

    @property
    def label(self) -> str:
        """The task's number as the plan writes it: (十)."""
        return f"({to_chinese_numeral(self.number)})"

    def sentence_index(self, quote: str) -> int | None:
        """Index of the first sentence that contains ``quote`` whole, or None."""
        for index, sentence in enumerate(self.sentences):
            if quote in sentence:
                return index
        return None

    def to_dict(self) -> dict:
        return {
            "number": self.number,
            "chapter": self.chapter,
            "title": self.title,
            "text": self.text,
            "sentences": list(self.sentences),
        }


@dataclass(frozen=True)
class Chapter:
    """One of the plan's ten chapters and its tasks."""

    number: int
    title: str
    tasks: tuple[Task, ...] = field(default_factory=tuple)

    @property
    def label(self) -> str:
        return to_chinese_numeral(self.number)

    @property
    def task_numbers(self) -> range:
        return range(self.tasks[0].number, self.tasks[-1].number + 1)


@dataclass(frozen=True)
class Plan:
    """The whole plan: title, preamble and chapters."""

    title: str
    preamble: str
    chapters: tuple[Chapter, ...]

    @property
    def tasks(self) -> tuple[Task, ...]:
        return tuple(task for chapter in self.chapters for task in chapter.tasks)

    def task(self, number: int) -> Task:
        for task in self.tasks:
            if task.number == number:
                return task
        raise KeyError(number)

    def chapter(self, number: int) -> Chapter:
        for chapter in self.chapters:
            if chapter.number == number:
                return chapter
        raise KeyError(number)

    @property
    def text(self) -> str:
        """The whole plan (preamble, headings, tasks) joined by newlines: what quotes come from."""
        parts = [self.preamble]
        for chapter in self.chapters:
            parts.append(f"{chapter.label}、{chapter.title}")
            parts.extend(f"{task.label}{task.text}" for task in chapter.tasks)
        return "\n".join(parts)


def parse_plan(article: str) -> Plan:
    """Parse the article text into a :class:`Plan`; raises :class:`PlanError` on a broken structure."""
    lines = [line.strip().replace("\xa0", " ").strip() for line in article.splitlines()]
    lines = [line for line in lines if line]
    try:
        start = next(i for i, line in enumerate(lines) if line.startswith(PREAMBLE_START))
    except StopIteration:
        raise PlanError(f"the plan's preamble ({PREAMBLE_START}…) was not found") from None
    preamble = lines[start]
    chapters: list[tuple[int, str, list[Task]]] = []
    expected_task = 1
    for line in lines[start + 1 :]:
        if chapter_match := _CHAPTER_RE.match(line):
            number = chinese_numeral(chapter_match.group(1))
            if number != len(chapters) + 1:
                raise PlanError(f"chapter {number} out of order")
            chapters.append((number, chapter_match.group(2).strip(), []))
            continue
        if task_match := _TASK_RE.match(line):
            number = chinese_numeral(task_match.group(1))
            if number != expected_task:
                raise PlanError(f"task {number} found where task {expected_task} was expected")
            if not chapters:
                raise PlanError(f"task {number} before the first chapter")
            text = task_match.group(2).strip()
            sentences = tuple(split_sentences(text))
            title = sentences[0].rstrip("。;；")
            chapters[-1][2].append(
                Task(number=number, chapter=chapters[-1][0], title=title, text=text, sentences=sentences)
            )
            expected_task += 1
            if expected_task > 47:
                break
            continue
        if expected_task > 1:
            # A line that is neither heading nor task after the tasks began: footer material.
            break
    if len(chapters) != 10 or expected_task != 48:
        raise PlanError(f"expected 10 chapters and 47 tasks, found {len(chapters)} and {expected_task - 1}")
    return Plan(
        title=PLAN_TITLE,
        preamble=preamble,
        chapters=tuple(Chapter(number=n, title=t, tasks=tuple(ts)) for n, t, ts in chapters),
    )


@functools.cache
def load_plan(path: Path = PLAN_PATH) -> Plan:
    """The shipped plan, parsed once per process.

    Parameters
    ----------
    path : Path, optional
        The plan article to parse; the shipped ``data/source/`` text by default.

    Returns
    -------
    Plan
        Title, preamble and chapters; ``Plan.tasks`` gives the 47 tasks in order.

    Raises
    ------
    DataError
        The file is missing, unreadable, not UTF-8, or without the plan's structure (chapters,
        numbered tasks): the parser's :class:`PlanError` arrives as the DataError naming the file.
    """
    with datafiles.reading(path):
        return parse_plan(path.read_text(encoding="utf-8"))


PLAN_EN_PATH = DATA_DIR / "plan_en.yaml"


@functools.cache
def load_titles_en(path: Path = PLAN_EN_PATH) -> tuple[dict[int, str], dict[int, str]]:
    """(chapter titles, task titles) in English, by number, from the reviewed ``plan_en.yaml``."""
    import yaml

    with datafiles.reading(path):
        data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        chapters = {int(k): str(v) for k, v in (data.get("chapters") or {}).items()}
        tasks = {int(k): str(v) for k, v in (data.get("tasks") or {}).items()}
    return chapters, tasks


def task_title(number: int, lang: str = "zh") -> str:
    """A task's title in the interface language (the plan's own title in Chinese)."""
    if lang == "en":
        english = load_titles_en()[1].get(number)
        if english:
            return english
    return load_plan().task(number).title


def chapter_title(number: int, lang: str = "zh") -> str:
    """The chapter's title in ``lang`` (the Chinese title where no English one is shipped)."""
    if lang == "en":
        english = load_titles_en()[0].get(number)
        if english:
            return english
    return load_plan().chapter(number).title
