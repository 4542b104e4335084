"""Which characters are controls rather than text: one definition for what the ledger refuses
and what the command line removes before printing.

C0 and C1 control characters (ESC starts a terminal escape sequence, NUL ends a C string and is
refused by PostgreSQL), bidi controls that reorder the text around them, and lone surrogates
(bytes that were not UTF-8).
"""

from __future__ import annotations

import unicodedata

# ALM, LRM, RLM, LRE, RLE, PDF, LRO, RLO, LRI, RLI, FSI, PDI.
BIDI_CONTROLS = frozenset("\u061c\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")


def is_control(ch: str) -> bool:
    """A C0/C1 control character, a bidi control or a lone surrogate."""
    return ch in BIDI_CONTROLS or unicodedata.category(ch) in ("Cc", "Cs")


def first_control(text: str, *, allowed: str = "") -> str | None:
    """The first control character in ``text`` that is not in ``allowed``; None when there is none."""
    return next((ch for ch in text if ch not in allowed and is_control(ch)), None)
