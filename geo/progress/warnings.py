"""Warnings of the progress ledger: the rules of ``data/progress/warnings.yaml`` evaluated as of a day.

A rule names a kind (see the file's header) and its parameters; :func:`evaluate` applies every
rule to the catalogue's items (id → plan status) and the ledger's effective events on or before
the day, and returns one :class:`ItemWarning` per item and rule that holds. The rules file is
checked by :func:`rule_problems` (``python -m geo check`` reports them).
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from geo.catalogue import STATUSES
from geo.datafiles import DATA_DIR, read_yaml_mapping, shown_path
from geo.errors import DataError
from geo.progress.ledger import Event, effective_events, latest_as_of
from geo.progress.phases import phase_ids, phases_by_id

WARNINGS_PATH: Path = DATA_DIR / "progress" / "warnings.yaml"
KINDS = ("no_phase_by", "no_event_by", "stale", "source_without_link")
_LINK = re.compile(r"https?://\S+")
_FIELDS = {"id", "kind", "statuses", "phases", "due", "months", "zh", "en"}
_NEEDS = {
    "no_phase_by": {"statuses", "phases", "due"},
    "no_event_by": {"statuses", "due"},
    "stale": {"phases", "months"},
    "source_without_link": set(),
}


@dataclass(frozen=True)
class Rule:
    """One warning rule: its id, kind, parameters and message in both languages."""

    id: str
    kind: str
    zh: str
    en: str
    statuses: tuple[str, ...] = ()
    phases: tuple[str, ...] = ()
    due: date | None = None
    months: int = 0

    def message(self, lang: str = "zh", **values: object) -> str:
        """The message in ``lang`` with the rule's and the case's values filled in."""
        text = self.en if lang == "en" else self.zh
        return text.format(due=self.due.isoformat() if self.due else "", months=self.months, **values)


@dataclass(frozen=True)
class ItemWarning:
    """A rule that holds for an item as of a day."""

    rule: str
    item_id: str
    message_zh: str
    message_en: str

    def message(self, lang: str = "zh") -> str:
        """The message in ``lang``."""
        return self.message_en if lang == "en" else self.message_zh

    def to_dict(self) -> dict:
        """JSON-ready: rule, item_id and the message in both languages."""
        return {"rule": self.rule, "item_id": self.item_id, "zh": self.message_zh, "en": self.message_en}


def rule_problems(data: object) -> list[str]:
    """Problems of a parsed rules file (empty when sound): unknown kinds, statuses or phases,
    missing parameters, bad days, unknown placeholders, duplicate ids."""
    if not isinstance(data, dict) or not isinstance(data.get("rules"), list):
        return ["warnings.yaml: expected a mapping with a list 'rules'"]
    problems: list[str] = []
    seen: set[str] = set()
    for index, rule in enumerate(data["rules"], start=1):
        where = f"warnings.yaml rule {index}"
        if not isinstance(rule, dict):
            problems.append(f"{where}: not a mapping")
            continue
        rule_id = rule.get("id")
        where = f"warnings.yaml rule {rule_id or index}"
        if not isinstance(rule_id, str) or not rule_id or rule_id in seen:
            problems.append(f"{where}: missing or duplicate id")
        seen.add(str(rule_id))
        kind = rule.get("kind")
        if kind not in KINDS:
            problems.append(f"{where}: unknown kind {kind!r} (one of {', '.join(KINDS)})")
            continue
        problems += [f"{where}: unknown field {k!r}" for k in sorted(set(rule) - _FIELDS)]
        problems += [f"{where}: {kind} needs {k!r}" for k in sorted(_NEEDS[kind] - set(rule))]
        problems += [
            f"{where}: unknown status {s!r}" for s in rule.get("statuses") or [] if s not in STATUSES
        ]
        problems += [
            f"{where}: unknown phase {p!r}" for p in rule.get("phases") or [] if p not in phase_ids()
        ]
        if "due" in rule and not isinstance(rule["due"], date):
            problems.append(f"{where}: due must be a day YYYY-MM-DD")
        if "months" in rule and (not isinstance(rule["months"], int) or rule["months"] < 1):
            problems.append(f"{where}: months must be a whole number ≥ 1")
        for lang in ("zh", "en"):
            text = rule.get(lang)
            if not isinstance(text, str) or not text.strip():
                problems.append(f"{where}: missing message {lang!r}")
                continue
            try:
                text.format(as_of="", due="", months=0, phase="", date="")
            except (KeyError, IndexError, ValueError) as exc:
                problems.append(f"{where}: message {lang!r} has a bad placeholder ({exc})")
    return problems


@functools.cache
def load_rules(path: Path = WARNINGS_PATH) -> tuple[Rule, ...]:
    """The rules of the file; a DataError naming it when it cannot be read or is not sound."""
    data = read_yaml_mapping(path, empty_ok=True)
    problems = rule_problems(data)
    if problems:
        raise DataError(f"{shown_path(path)}: {problems[0]}")
    return tuple(
        Rule(
            id=r["id"],
            kind=r["kind"],
            zh=r["zh"],
            en=r["en"],
            statuses=tuple(r.get("statuses") or ()),
            phases=tuple(r.get("phases") or ()),
            due=r.get("due"),
            months=int(r.get("months") or 0),
        )
        for r in data["rules"]
    )


def _phase_en(phase: str) -> str:
    known = phases_by_id().get(phase)
    return known.en if known else phase


def _months_before(day: date, months: int) -> date:
    month = day.year * 12 + day.month - 1 - months
    year, month = divmod(month, 12)
    return date(year, month + 1, min(day.day, 28))


def evaluate(
    rules: Iterable[Rule], items: Mapping[str, str], events: Iterable[Event], as_of: date
) -> list[ItemWarning]:
    """Every warning on ``as_of`` for ``items`` (item id → plan status), in rule then item order."""
    effective = [e for e in effective_events(events, as_of) if e.event_date <= as_of]
    latest = latest_as_of(effective, as_of)
    phases_seen: dict[str, set[str]] = {}
    for event in effective:
        phases_seen.setdefault(event.item_id, set()).add(event.phase)
    warnings: list[ItemWarning] = []
    for rule in rules:
        for item_id in sorted(items):
            values = _holds(
                rule, item_id, items[item_id], latest.get(item_id), phases_seen.get(item_id, set()), as_of
            )
            if values is not None:
                english = {**values, "phase": _phase_en(values["phase"])}
                warnings.append(
                    ItemWarning(rule.id, item_id, rule.message("zh", **values), rule.message("en", **english))
                )
    return warnings


def _holds(
    rule: Rule, item_id: str, status: str, latest: Event | None, seen: set[str], as_of: date
) -> dict | None:
    values = {
        "as_of": as_of.isoformat(),
        "phase": latest.phase if latest else "",
        "date": latest.date_text if latest else "",
    }
    if rule.kind == "no_phase_by":
        late = rule.due is not None and as_of > rule.due
        return values if late and status in rule.statuses and not seen & set(rule.phases) else None
    if rule.kind == "no_event_by":
        late = rule.due is not None and as_of > rule.due
        return values if late and status in rule.statuses and not seen else None
    if latest is None:
        return None
    if rule.kind == "stale":
        return (
            values
            if latest.phase in rule.phases and latest.event_date < _months_before(as_of, rule.months)
            else None
        )
    if rule.kind == "source_without_link":
        return values if not _LINK.search(latest.source) else None
    return None
