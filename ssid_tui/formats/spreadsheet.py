"""CSV files meant for a spreadsheet: every cell safe to open in Excel or LibreOffice.

A cell that starts with `=`, `+`, `-`, `@`, tab or CR is run as a formula by spreadsheets
(`=HYPERLINK(...)` can send data away). Every CSV the tool writes goes through
`spreadsheet_writer`, which puts a `'` before such a cell (the usual neutraliser: the
spreadsheet shows the text) and shows control characters by name. `unguard` takes the
`'` off again, so a file the tool wrote reads back to the same values.

The SENR copy (`export --senr`) is not written here: it is the user's own file, byte for byte.
"""

from __future__ import annotations

import csv
from collections.abc import Iterable
from typing import IO, Any

from ssid_tui.formats.safe_text import visible

#: First characters a spreadsheet reads as the start of a formula.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
GUARD = "'"


def starts_like_formula(value: str) -> bool:
    """True if a spreadsheet would run `value` as a formula."""
    return value.startswith(FORMULA_STARTS)


def spreadsheet_cell(value: Any) -> str:
    """A value as a CSV cell: controls shown by name, a formula start neutralised with `'`.

    A value that already starts with `'` gets a second one, so `unguard` is exact.
    """
    text = visible("" if value is None else str(value))
    if starts_like_formula(text) or text.startswith(GUARD):
        return GUARD + text
    return text


def unguard(cell: str) -> str:
    """The value a `spreadsheet_cell` was made from (controls stay shown by name)."""
    if cell.startswith(GUARD) and (starts_like_formula(cell[1:]) or cell[1:].startswith(GUARD)):
        return cell[1:]
    return cell


class SpreadsheetWriter:
    """A csv.writer whose every cell goes through `spreadsheet_cell`."""

    def __init__(self, fh: IO[str], **kwargs: Any) -> None:
        self._w = csv.writer(fh, **kwargs)

    def writerow(self, row: Iterable[Any]) -> None:
        """Write one row of cells."""
        self._w.writerow([spreadsheet_cell(v) for v in row])

    def writerows(self, rows: Iterable[Iterable[Any]]) -> None:
        """Write rows one by one (a generator is never held whole)."""
        for row in rows:
            self.writerow(row)


def spreadsheet_writer(fh: IO[str], *, delimiter: str = ",", lineterminator: str = "\r\n") -> SpreadsheetWriter:
    """The one way the tool writes a CSV for people: formula-safe, controls visible."""
    return SpreadsheetWriter(fh, delimiter=delimiter, lineterminator=lineterminator)
