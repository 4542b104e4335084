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


class DataDirError(DataError):
    """``PLANMAP_DATA_DIR`` names no usable copy of ``data/`` (missing, a file, empty).

    ``file`` is the setting's name, so a page can name it without the server's path; the message
    (what the command line prints) carries the directory as the operator wrote it.
    """

    def __init__(self, directory: str, problem: str):
        self.directory = directory
        self.file = "PLANMAP_DATA_DIR"
        self.problem = problem
        ValueError.__init__(
            self,
            f"PLANMAP_DATA_DIR={directory}: {problem} — point it at a copy of data/ "
            "(or unset it to use the project's data/), then run `python -m geo check`",
        )


class UndescribedDataFile(DataError):
    """A file in ``data/catalogue/`` that belongs to no layer: loading it would add entries that
    ``PROVENANCE.json`` does not describe (a stray copy doubles every item in it)."""

    def __init__(self, file: str):
        self.file = file
        self.problem = "not the file of any layer and not described in PROVENANCE.json"
        ValueError.__init__(
            self,
            f"{file}: {self.problem} — move it out of data/catalogue/ (a new layer is added to "
            "geo/catalogue.py and PROVENANCE.json first), then run `python -m geo check`",
        )


RESTORE_HINT = (
    "restore it with `git checkout -- data/` (or rebuild with `python scripts/build_data.py`), "
    "then run `python -m geo check`"
)
