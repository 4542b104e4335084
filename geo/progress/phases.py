"""The controlled vocabulary of the progress ledger's phases (``data/progress/phases.yaml``).

The phases are a vocabulary of the registry (:mod:`geo.vocabulary`): read when first needed, not
when the module is imported, and through the data guard, so a missing or damaged file is one
:class:`geo.errors.DataError` naming it where the phases are used, and every command that does not
need them still runs.
"""

from __future__ import annotations

from geo.vocabulary import PROGRESS_PHASES, PROGRESS_PHASES_PATH, ProgressPhase

PHASES_PATH = PROGRESS_PHASES_PATH
# One phase of a project: id (its Chinese name), English name, colour and meaning.
Phase = ProgressPhase


def load_phases() -> tuple[Phase, ...]:
    """The shipped phases, in order (``data/progress/phases.yaml``); DataError when unreadable."""
    return PROGRESS_PHASES.terms()


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
