"""The controlled vocabulary of phases, read from ``data/progress/phases.yaml``.

Read when first needed, not when the module is imported, and through the data guard: a missing
or damaged file is one :class:`geo.errors.DataError` naming it where the phases are used, and
every command that does not need them still runs.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from pathlib import Path

import yaml

from geo.datafiles import DATA_DIR, reading, shown_path
from geo.errors import DataError

PHASES_PATH: Path = DATA_DIR / "progress" / "phases.yaml"


@dataclass(frozen=True)
class Phase:
    """One phase of a project: id, English name, colour and meaning."""

    id: str
    en: str
    colour: str
    meaning: str

    def label(self, lang: str = "zh") -> str:
        return self.en if lang == "en" else self.id

    def to_dict(self) -> dict:
        return {"id": self.id, "en": self.en, "colour": self.colour, "meaning": self.meaning}


@functools.cache
def load_phases(path: Path = PHASES_PATH) -> tuple[Phase, ...]:
    """The shipped phases, in order (``data/progress/phases.yaml``); DataError when unreadable."""
    with reading(path):
        raw = yaml.safe_load(path.read_text(encoding="utf-8"))
        if not isinstance(raw, list) or not raw:
            raise DataError(shown_path(path), "expected a list of phases")
        return tuple(Phase(str(p["id"]), str(p["en"]), str(p["colour"]), str(p["meaning"])) for p in raw)


def phase_ids() -> tuple[str, ...]:
    """The phase ids, in order."""
    return tuple(p.id for p in load_phases())


def __getattr__(name: str):
    # ``PHASE_IDS`` is read on first use, so importing the ledger never reads the file.
    if name == "PHASE_IDS":
        return phase_ids()
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def phases_by_id() -> dict[str, Phase]:
    """Phase id → phase."""
    return {p.id: p for p in load_phases()}


def phase_id(text: str) -> str | None:
    """The phase id for ``text``: the Chinese id or the English name (any case); None if unknown."""
    value = text.strip()
    for phase in load_phases():
        if value == phase.id or value.lower() == phase.en.lower():
            return phase.id
    return None
