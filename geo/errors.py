"""Exceptions of the library, with messages a planner can act on.

Every error the command line reports as a one-line message derives from :class:`GeoError`.
"""


class GeoError(ValueError):
    """Base class: a problem with the request or the data, reported in one line.

    A ``ValueError``, so callers that guard against bad values catch it without knowing the library.
    """


class UnknownPlaceError(GeoError):
    """A place name that no administrative unit, abbreviation or grouping matches."""

    def __init__(self, name: str, *, context: str | None = None):
        self.name = name
        where = f" (in {context})" if context else ""
        super().__init__(f"unknown place: {name}{where}")


class AmbiguousPlaceError(GeoError):
    """A short name that several units share, with nothing to prefer one of them."""

    def __init__(self, name: str, candidates: list[str]):
        self.name = name
        self.candidates = candidates
        super().__init__(f"ambiguous place: {name} — candidates: {', '.join(candidates)}")


class PlanError(GeoError):
    """The plan text does not have the structure the parser expects."""


class CatalogueError(GeoError):
    """A catalogue entry that cannot be read or resolved (names the entry id)."""


class ExportError(GeoError):
    """An export request that cannot be fulfilled (unknown layer, empty selection, unwritable path)."""


class DataError(GeoError):
    """A shipped data file is missing, unreadable or damaged.

    The message names the file relative to the project (never a server path), says what is wrong
    and how to get a sound copy back, so the app and the command line can show it as it is.
    """

    def __init__(self, file: str, problem: str):
        self.file = file
        self.problem = problem
        super().__init__(f"{file}: {problem} — {RESTORE_HINT}")


RESTORE_HINT = (
    "restore it with `git checkout -- data/` (or rebuild with `python scripts/build_data.py`), "
    "then run `python -m geo check`"
)
