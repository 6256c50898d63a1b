"""Reading the ODS extract: the statewide registry, one line per name record of an SSID.

Layout (ours, after CALPADS extract conventions): `^`-delimited, no header, UTF-8, 19 fields.

The extract is the state's file, not the user's: a line is refused only when it cannot be
loaded at all (wrong field count, SSID not 10 ASCII digits, unreadable birth date). Gaps and
oddities in the data (a blank legal name, control characters, values longer than SENR
allows, a gender code we do not know) are loaded as they are and reported as notes.
"""

from __future__ import annotations

import codecs
import os
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from operator import gt, itemgetter
from unicodedata import is_normalized

from ssid_tui.files.inputs import open_input
from ssid_tui.formats.lines import LongLine, iter_lines, line_end, looks_utf16
from ssid_tui.formats.safe_text import nfc, quoted, undefined_in_windows_1252, unsafe_chars, visible_char
from ssid_tui.formats.senr import CP1252, decode
from ssid_tui.wording import plural

ODS_FIELDS = (
    "ssid", "create_date", "first", "middle", "last", "suffix", "alias_first", "alias_middle",
    "alias_last", "birth_date", "gender", "birth_city", "birth_state", "birth_country",
    "lea", "school", "grade", "enroll_start", "enroll_exit",
)
ODS_FIELD_COUNT = len(ODS_FIELDS)
#: Field names as a person reads them, for notes and errors.
ODS_LABELS = {
    "ssid": "SSID", "create_date": "SSID Create Date", "first": "Legal First Name", "middle": "Legal Middle Name",
    "last": "Legal Last Name", "suffix": "Name Suffix", "alias_first": "Alias First Name",
    "alias_middle": "Alias Middle Name", "alias_last": "Alias Last Name", "birth_date": "Birth Date",
    "gender": "Gender Code", "birth_city": "Birth City", "birth_state": "Birth State", "birth_country": "Birth Country",
    "lea": "Last Reporting LEA", "school": "Last School", "grade": "Last Grade", "enroll_start": "Enrollment Start",
    "enroll_exit": "Enrollment Exit",
}
#: Longest value of each field that SENR allows; a longer registry value is loaded and noted.
MAX_LEN = {"first": 30, "middle": 30, "last": 50, "suffix": 3, "alias_first": 30, "alias_middle": 30,
           "alias_last": 50, "birth_city": 30, "birth_state": 6, "birth_country": 2, "lea": 7, "school": 7,
           "grade": 2, "create_date": 8, "enroll_start": 8, "enroll_exit": 8}
#: No extract line comes near this (19 fields of at most 50 characters): a longer one is an error.
MAX_LINE_BYTES = 16 * 1024

# [0-9], not \d: \d also takes Arabic-Indic, full-width and other digits.
_SSID = re.compile(r"[0-9]{10}")
_DATE = re.compile(r"(19|20)[0-9]{2}(0[1-9]|1[0-2])(0[1-9]|[12][0-9]|3[01])")


class OdsFileError(Exception):
    """The extract cannot be read at all (UTF-16, binary); the message is one sentence."""


@dataclass(frozen=True)
class OdsLineError:
    """A malformed extract line: where and what."""

    line_no: int
    problem: str


@dataclass(frozen=True, slots=True)
class OdsNote:
    """A data gap or oddity in a line that was loaded anyway: where, which field, what."""

    line_no: int
    field: str
    kind: str
    value: str


# Slots: one is made per extract line (10 million at statewide scale), and a frozen dataclass
# without them took four times as long to make as with them.
@dataclass(frozen=True, slots=True)
class OdsLine:
    """One name record of an SSID as it stands in the extract (values in composed form, NFC)."""

    line_no: int
    values: tuple[str, ...]
    notes: tuple[OdsNote, ...] = field(default=())
    #: The line was not UTF-8 and was read as Windows-1252 (as `validate` reads such an SENR file).
    windows_1252: bool = False

    def __getitem__(self, key: str) -> str:
        return self.values[_INDEX[key]]


_INDEX = {k: i for i, k in enumerate(ODS_FIELDS)}
#: The fields SENR limits, taken from a line's cells at once, and their most characters.
_LIMITED = itemgetter(*(i for i, k in enumerate(ODS_FIELDS) if k in MAX_LEN))
_LIMIT_VALUES = tuple(MAX_LEN[k] for k in ODS_FIELDS if k in MAX_LEN)
_FIRST, _LAST, _GENDER = _INDEX["first"], _INDEX["last"], _INDEX["gender"]

#: Note kinds, as the summary line and the notes file name them.
BLANK_NAME = "blank legal name"
CONTROL_CHARS = "control or invisible characters"
#: A byte of a line read as Windows-1252 (not UTF-8) that Windows-1252 has no character for either.
UNDECODED = "bytes not text in UTF-8 or Windows-1252"
TOO_LONG = "longer than SENR allows"
ODD_GENDER = "gender code not M, F or X"


def check_line(line_no: int, cells: list[str]) -> OdsLineError | None:
    """Say why an extract line cannot be loaded at all, or None if it can."""
    if len(cells) != ODS_FIELD_COUNT:
        return OdsLineError(line_no, f"has {plural(len(cells), 'field')}, an extract line has {ODS_FIELD_COUNT}")
    if not _SSID.fullmatch(cells[0]):
        return OdsLineError(line_no, "field 1 (SSID) is not 10 digits 0-9")
    if not _DATE.fullmatch(cells[9]):
        return OdsLineError(line_no, "field 10 (Birth Date) is not a CCYYMMDD date in the digits 0-9")
    return None


def line_notes(line_no: int, cells: list[str] | tuple[str, ...], printable: bool = False,
               windows_1252: bool = False) -> tuple[OdsNote, ...]:
    """The data gaps and oddities of a loadable line (nothing here stops the load).

    `printable`: the caller knows the whole line is printable, so no cell holds a control
    character (the check a 10-million-line load would otherwise make 190 million times).
    `windows_1252`: the line was not UTF-8 and was read as Windows-1252; a byte that has no
    character there either is noted as such, not as a control character.
    """
    notes: list[OdsNote] = []
    # rare: a field at a time (the test is all in C: it is made for every line of the extract)
    if not printable or any(map(gt, map(len, _LIMITED(cells)), _LIMIT_VALUES)):
        for key, value in zip(ODS_FIELDS, cells):
            bad = [] if printable else unsafe_chars(value)
            undecoded = undefined_in_windows_1252(bad) if windows_1252 else []
            if undecoded:
                notes.append(OdsNote(line_no, key, UNDECODED, value))
            if len(bad) > len(undecoded):
                notes.append(OdsNote(line_no, key, CONTROL_CHARS, value))
            limit = MAX_LEN.get(key)
            if limit is not None and len(value) > limit:
                notes.append(OdsNote(line_no, key, TOO_LONG, value))
    if not cells[_FIRST].strip():
        notes.append(OdsNote(line_no, "first", BLANK_NAME, ""))
    if not cells[_LAST].strip():
        notes.append(OdsNote(line_no, "last", BLANK_NAME, ""))
    if cells[_GENDER] not in ("M", "F", "X"):
        notes.append(OdsNote(line_no, "gender", ODD_GENDER, cells[_GENDER]))
    return tuple(notes)


def note_text(note: OdsNote) -> str:
    """'Legal First Name is blank' in words, for the notes file."""
    label = ODS_LABELS[note.field]
    if note.kind == BLANK_NAME:
        return f"{label} is blank"
    if note.kind == UNDECODED:
        names = " ".join(f"0x{ord(c):02X}" for c in dict.fromkeys(undefined_in_windows_1252(unsafe_chars(note.value))))
        return (f"{label} holds byte {names}, text neither in UTF-8 nor in Windows-1252 (the line is not UTF-8, so it "
                "was read as Windows-1252): most often half of a UTF-8 letter (Á is C3 81) in a line mixing the two")
    if note.kind == CONTROL_CHARS:
        return f"{label} holds {''.join(visible_char(c) for c in unsafe_chars(note.value))}"
    if note.kind == TOO_LONG:
        return f"{label} has {len(note.value):,} characters; SENR allows {MAX_LEN[note.field]}"
    return f"{label} is {quoted(note.value)}"


def _check_text(path: os.PathLike[str] | str, head: bytes) -> None:
    if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)) or looks_utf16(head):
        raise OdsFileError(f"{path} is UTF-16 text: save it as UTF-8 and load it again.")


def extract_lines(path: os.PathLike[str] | str, counter: list[int] | None = None) -> Iterator[tuple[int, bytes | LongLine]]:
    """The extract's lines as read, numbered from 1, each its bytes (line end included) or a LongLine.

    If `counter` is given, `counter[0]` is kept at the number of bytes read so far. Raises
    InputFileError if the path is not a readable regular file, OdsFileError for UTF-16 text.
    """
    with open_input(path, "the ODS extract file") as fh:
        head = fh.read(1 << 16)
        _check_text(path, head)
        fh.seek(0)
        for line_no, bline in enumerate(iter_lines(fh, line_end(head), MAX_LINE_BYTES), start=1):
            if counter is not None:
                counter[0] += bline.length if isinstance(bline, LongLine) else len(bline)
            yield line_no, bline


def parse_line(line_no: int, bline: bytes | LongLine) -> OdsLine | OdsLineError | None:
    """One line as read, parsed (with its notes), or the error naming it; None for a blank line."""
    if isinstance(bline, LongLine):
        return OdsLineError(line_no, f"is {bline.length:,} bytes long; no extract line is over {MAX_LINE_BYTES:,}")
    windows_1252 = False
    try:
        text = bline.decode("utf-8")
    except UnicodeDecodeError:  # a spreadsheet's "CSV (Windows)": every byte reads, and writes back the same
        text, windows_1252 = decode(bline, CP1252), True
    text = text.rstrip("\r\n")
    if line_no == 1:
        text = text.lstrip("\ufeff")
    if not text.strip():
        return None
    # "^" composes with nothing, so a line in NFC is a line of cells in NFC
    cells = text.split("^") if text.isascii() or is_normalized("NFC", text) else [nfc(c) for c in text.split("^")]
    if len(cells) == ODS_FIELD_COUNT + 1 and cells[-1] == "":
        cells.pop()
    err = check_line(line_no, cells)
    return err if err else OdsLine(line_no, tuple(cells), line_notes(line_no, cells, text.isprintable(), windows_1252),
                                    windows_1252)
