"""Wrong editor keys slow the next try: a growing lock per browser session and per client address.

The app's editor key is a shared secret typed into a web form, so anyone who can reach the page
can guess. :class:`KeyGuard` counts wrong keys per subject (``"session …"``, ``"client …"``); from
the :data:`FREE_FAILURES`-th wrong key in a row on, the subject is locked for a delay that doubles
with each further wrong key, up to :data:`MAX_DELAY_S`. While locked, every key is refused — the
right one too — without being compared. Twenty wrong keys in a row thus wait about two hours in
all. A right key clears the count; a subject quiet for :data:`FORGET_AFTER_S` is forgotten.

The counts live in process memory, in a bounded table (the least recently seen subject is dropped
first), so a flood of new addresses cannot grow the server's memory. The clock is injectable for
tests; it must be monotonic.
"""

from __future__ import annotations

import math
import threading
import time
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass

FREE_FAILURES = 3  # two typos cost nothing; the third wrong key in a row locks for BASE_DELAY_S
BASE_DELAY_S = 1.0
MAX_DELAY_S = 900.0
FORGET_AFTER_S = 3600.0
MAX_SUBJECTS = 4096


@dataclass
class _Record:
    failures: int = 0
    locked_until: float = 0.0
    last_failure: float = 0.0


def lock_delay_s(failures: int) -> float:
    """Seconds a subject is locked after its ``failures``-th wrong key in a row."""
    if failures < FREE_FAILURES:
        return 0.0
    return min(BASE_DELAY_S * 2 ** (failures - FREE_FAILURES), MAX_DELAY_S)


class KeyGuard:
    """Wrong-key counts and locks per subject, safe to share between the server's session threads."""

    def __init__(self, *, clock: Callable[[], float] = time.monotonic, max_subjects: int = MAX_SUBJECTS):
        self._clock = clock
        self._max_subjects = max_subjects
        self._records: OrderedDict[str, _Record] = OrderedDict()
        self._lock = threading.Lock()

    def __len__(self) -> int:
        return len(self._records)

    def _record(self, subject: str, now: float) -> _Record | None:
        record = self._records.get(subject)
        if record is not None and record.locked_until <= now and now - record.last_failure >= FORGET_AFTER_S:
            del self._records[subject]
            return None
        return record

    def _wait(self, subjects: tuple[str, ...], now: float) -> float:
        records = [self._record(s, now) for s in subjects]
        return max([r.locked_until - now for r in records if r is not None] + [0.0])

    def wait_s(self, *subjects: str) -> float:
        """Seconds until any of ``subjects`` may try a key again (0 when none is locked)."""
        with self._lock:
            return self._wait(subjects, self._clock())

    def wait_whole_s(self, *subjects: str) -> int:
        """:meth:`wait_s` rounded up to whole seconds, as a message says it."""
        return math.ceil(self.wait_s(*subjects))

    def failures(self, subject: str) -> int:
        """Wrong keys in a row of ``subject`` not yet forgotten."""
        with self._lock:
            record = self._record(subject, self._clock())
            return record.failures if record is not None else 0

    def failed(self, *subjects: str) -> float:
        """Count one wrong key for each of ``subjects``; the seconds they are now locked for."""
        with self._lock:
            return self._count_failure(subjects, self._clock())

    def _count_failure(self, subjects: tuple[str, ...], now: float) -> float:
        wait = 0.0
        for subject in subjects:
            record = self._record(subject, now) or _Record()
            record.failures += 1
            record.last_failure = now
            record.locked_until = max(record.locked_until, now + lock_delay_s(record.failures))
            self._records[subject] = record
            self._records.move_to_end(subject)
            wait = max(wait, record.locked_until - now)
        while len(self._records) > self._max_subjects:
            self._records.popitem(last=False)
        return wait

    def attempt(self, subjects: tuple[str, ...], is_right: Callable[[], bool]) -> tuple[str, float]:
        """One key tried by ``subjects``, all at once under the guard's lock so that concurrent tries
        cannot slip past a lock: ``("locked", wait)`` without calling ``is_right`` while any subject
        is locked, else ``("right", 0)`` (counts cleared) or ``("wrong", wait)`` (counted)."""
        with self._lock:
            now = self._clock()
            wait = self._wait(subjects, now)
            if wait > 0:
                return "locked", wait
            if is_right():
                for subject in subjects:
                    self._records.pop(subject, None)
                return "right", 0.0
            return "wrong", self._count_failure(subjects, now)

    def succeeded(self, *subjects: str) -> None:
        """A right key: ``subjects`` start again with no wrong key counted."""
        with self._lock:
            for subject in subjects:
                self._records.pop(subject, None)

    def clear(self) -> None:
        """Forget every subject (a new process starts so)."""
        with self._lock:
            self._records.clear()
