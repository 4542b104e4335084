"""Every exception of the library, with messages a planner can act on.

Every error the command line reports as a one-line message derives from :class:`GeoError`;
:class:`Terminated` is the one that is not an error but SIGTERM unwinding like Ctrl-C.
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


class BriefError(GeoError):
    """A brief that cannot be made as asked (a place that is not a unit of the region, …)."""


class ProgressError(GeoError):
    """An event that cannot be recorded (unknown item or phase, bad date, no source, …)."""


LEDGER_STAGES = {
    "open": "cannot open the progress database",
    "seed": "cannot seed the new progress database",
    "use": "cannot read or write the progress database",
}


class LedgerUnavailable(GeoError):
    """The progress database cannot be opened, seeded or used.

    ``database`` is its URL with the password hidden, ``problem`` what went wrong, ``hint`` what
    to do, ``stage`` one of ``open``, ``seed`` (creating a new ledger's seed events failed, and
    nothing was written) or ``use`` (a read or write after opening).
    """

    def __init__(self, database: str, problem: str, hint: str, *, stage: str = "open"):
        self.database = database
        self.problem = problem
        self.hint = hint
        self.stage = stage
        super().__init__(f"{LEDGER_STAGES[stage]} {database}: {problem} — {hint}")


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


class Terminated(BaseException):
    """SIGTERM arrived: unwinds like Ctrl-C so every ``finally`` removes its scratch.

    A ``BaseException``, like ``KeyboardInterrupt``: no ``except Exception`` stops the unwinding."""
