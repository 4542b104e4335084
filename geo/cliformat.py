"""Output shared by the command-line sub-commands: plain-text tables for terminals, and text a
terminal shows as text.

Stored or echoed text can hold escape sequences (``ESC [2J`` clears the screen, BEL rings, a bidi
override reorders what follows it). Everything printed as a table cell or an error line goes
through :func:`terminal_text` first; JSON output needs no such care, as JSON escapes them itself.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Sequence

from geo.controlchars import is_control

# Characters a terminal breaks the line on: one line of output stays one line.
LINE_BREAKS = frozenset("\n\r\t\v\f\x85\u2028\u2029")


def terminal_text(value: object) -> str:
    """``value`` as text a terminal shows as it is: line breaks and tabs become spaces, other C0
    and C1 control characters and bidi controls are removed."""
    text = str(value)
    return "".join(" " if ch in LINE_BREAKS else "" if is_control(ch) else ch for ch in text)


def _width(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def _pad(text: str, width: int) -> str:
    return text + " " * max(0, width - _width(text))


def format_table(header: Sequence[str], rows: Sequence[Sequence[object]]) -> str:
    """A plain-text table aligned for terminals that draw CJK characters two columns wide; cells
    pass through :func:`terminal_text`, so a stored escape sequence is never sent to the terminal."""
    cells = [[terminal_text(c) for c in header]]
    cells += [["" if c is None else terminal_text(c) for c in row] for row in rows]
    widths = [max(_width(row[i]) for row in cells) for i in range(len(header))]
    lines = ["  ".join(_pad(c, w) for c, w in zip(row, widths, strict=True)).rstrip() for row in cells]
    lines.insert(1, "  ".join("-" * w for w in widths))
    return "\n".join(lines)
