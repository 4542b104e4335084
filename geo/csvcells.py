"""CSV cells a spreadsheet opens as text, never as a formula (CSV injection).

Excel, LibreOffice and Numbers evaluate a cell that starts with ``=``, ``+``, ``-`` or ``@`` (and,
after a tab or carriage return, whatever follows) as a formula: a stored source such as
``=HYPERLINK("http://…")`` would become a live link, ``@SUM(…)`` a calculation. Following the OWASP
guidance, a *text* cell starting with one of those characters is written with a leading ``'``,
which spreadsheets take as "this is text". Numbers are written as they are: a negative coordinate
stays a number.

The quote is added so that it can be taken off again without doubt (:func:`restore_formula`):
a text that itself starts with quotes followed by one of those characters gets one more quote, so
every written cell maps back to exactly one text. ``progress import`` uses that to read an
exported CSV back to the same events.
"""

from __future__ import annotations

import numbers

FORMULA_STARTS = frozenset("=+-@\t\r")
TEXT_MARK = "'"


def _reads_as_formula(text: str) -> bool:
    first = text.lstrip(TEXT_MARK)[:1]
    return first != "" and first in FORMULA_STARTS


def neutralise_formula(text: str) -> str:
    """``text`` with a leading ``'`` when a spreadsheet would otherwise take it for a formula."""
    return TEXT_MARK + text if _reads_as_formula(text) else text


def restore_formula(text: str) -> str:
    """The text :func:`neutralise_formula` was given: the one added ``'`` taken off again."""
    if text.startswith(TEXT_MARK) and _reads_as_formula(text[1:]):
        return text[1:]
    return text


def csv_cell(value: object, text: str) -> str:
    """The cell for ``value`` written as ``text``: numbers as they are, text neutralised."""
    if isinstance(value, numbers.Number):
        return text
    return neutralise_formula(text)
