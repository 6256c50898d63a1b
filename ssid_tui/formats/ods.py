"""Reading the ODS extract: the statewide registry, one line per name record of an SSID.

Layout (ours, after CALPADS extract conventions): `^`-delimited, no header, UTF-8, 19 fields.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

ODS_FIELDS = (
    "ssid", "create_date", "first", "middle", "last", "suffix", "alias_first", "alias_middle",
    "alias_last", "birth_date", "gender", "birth_city", "birth_state", "birth_country",
    "lea", "school", "grade", "enroll_start", "enroll_exit",
)
ODS_FIELD_COUNT = len(ODS_FIELDS)

_SSID = re.compile(r"\d{10}")
_DATE = re.compile(r"(19|20)\d{2}(0[1-9]|1[0-2])(0[1-9]|[12]\d|3[01])")


@dataclass(frozen=True)
class OdsLineError:
    """A malformed extract line: where and what."""

    line_no: int
    problem: str


@dataclass(frozen=True)
class OdsLine:
    """One name record of an SSID as it stands in the extract."""

    line_no: int
    values: tuple[str, ...]

    def __getitem__(self, key: str) -> str:
        return self.values[_INDEX[key]]


_INDEX = {k: i for i, k in enumerate(ODS_FIELDS)}


def check_line(line_no: int, cells: list[str]) -> OdsLineError | None:
    """Say what is wrong with an extract line, or None if it can be loaded."""
    if len(cells) != ODS_FIELD_COUNT:
        return OdsLineError(line_no, f"has {len(cells)} fields, an extract line has {ODS_FIELD_COUNT}")
    if not _SSID.fullmatch(cells[0]):
        return OdsLineError(line_no, "field 1 (SSID) is not 10 digits")
    if not _DATE.fullmatch(cells[9]):
        return OdsLineError(line_no, "field 10 (Birth Date) is not a CCYYMMDD date")
    if not cells[2].strip() or not cells[4].strip():
        return OdsLineError(line_no, "field 3 or 5 (legal first/last name) is blank")
    if cells[10] not in ("M", "F", "X"):
        return OdsLineError(line_no, "field 11 (Gender Code) is not M, F or X")
    return None


def iter_extract(path: Path, counter: list[int] | None = None) -> Iterator[OdsLine | OdsLineError]:
    """Stream the extract's lines, each either parsed or an error naming the line.

    If `counter` is given, `counter[0]` is kept at the number of bytes read so far.
    """
    with open(path, "rb") as fh:
        for line_no, bline in enumerate(fh, start=1):
            if counter is not None:
                counter[0] += len(bline)
            try:
                text = bline.decode("utf-8")
            except UnicodeDecodeError:
                yield OdsLineError(line_no, "is not valid UTF-8")
                continue
            text = text.rstrip("\r\n")
            if line_no == 1:
                text = text.lstrip("\ufeff")
            if not text.strip():
                continue
            cells = text.split("^")
            if len(cells) == ODS_FIELD_COUNT + 1 and cells[-1] == "":
                cells.pop()
            err = check_line(line_no, cells)
            yield err if err else OdsLine(line_no, tuple(cells))
