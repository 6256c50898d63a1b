"""Importing a results file whose Selection column a person marked in a spreadsheet.

A reviewer may prefer Excel to the review app: open the SSID Match Results file, put an X
in Selection on the right row of each student, save, and import it here. Spreadsheets
save files their own way, so the reader is tolerant of what Excel does: UTF-8 with a
byte-order mark or Windows-1252 (UTF-16 "Unicode text" too), comma, `^`, `;` or tab,
quoted cells, CRLF, columns found by name wherever they moved, rows deleted, blank rows
added, leading zeros stripped from local IDs and SSIDs that look like numbers.

It takes only what is unambiguous: a student is given an SSID when exactly one of its rows
is marked and that row's SSID is one of the student's candidates. Everything else is
reported with its line number and left as it was. All choices are recorded as one
undoable step (source "import").
"""

from __future__ import annotations

import codecs
import csv
import io
import os
import re
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

from ssid_tui.files.inputs import open_input
from ssid_tui.formats.headers import fold_header
from ssid_tui.formats.results import LOCAL_ID, REVIEW_FOLLOW_UP, REVIEW_NOTE, SELECTION, SSID
from ssid_tui.formats.safe_text import is_ascii_digits, quoted
from ssid_tui.formats.senr import CP1252, UTF8, decode
from ssid_tui.formats.spreadsheet import unguard
from ssid_tui.workspace import review_notes
from ssid_tui.workspace.decisions import Annotation, record_many
from ssid_tui.workspace.statuses import DecisionStatus
from ssid_tui.workspace.store import Student, Workspace

#: Column key -> the name the results file gives it (the columns an import needs).
REQUIRED_COLUMNS: dict[str, str] = {"selection": SELECTION, "local_id": LOCAL_ID, "ssid": SSID}
#: Columns read back when the file has them: the reviewer's note and follow-up tag.
OPTIONAL_COLUMNS: dict[str, str] = {"note": REVIEW_NOTE, "follow_up": REVIEW_FOLLOW_UP}
#: Selection values that mark a row (compared without case and surrounding spaces).
MARK_YES = frozenset({"x", "y", "1", "yes", "true"})
#: Selection values that clearly do not mark a row.
MARK_NO = frozenset({"", "n", "no", "0", "false"})

_DELIMITER_NAMES = {",": "CSV", "^": "^-delimited", ";": "semicolon-separated", "\t": "tab-separated"}
SOURCE = "import"


class SelectionsError(Exception):
    """The file cannot be imported at all; the message is one sentence saying why and what to do."""


@dataclass(frozen=True)
class MarkedRow:
    """One data row of the marked file: where it is and the three cells an import reads."""

    line_no: int
    local_id: str
    ssid: str
    selection: str
    note: str | None = None  # None: the file has no Review_Note column
    follow_up: str | None = None  # None: no Review_FollowUp column


@dataclass
class MarkedFile:
    """A marked results file as read."""

    path: Path
    encoding: str
    bom: bool
    delimiter: str
    rows: list[MarkedRow]
    blank_rows: int = 0

    def describe(self) -> str:
        """'CSV, UTF-8 with BOM' in words."""
        enc = {UTF8: "UTF-8", CP1252: "Windows-1252", "utf-16": "UTF-16"}.get(self.encoding, self.encoding)
        return f"{_DELIMITER_NAMES.get(self.delimiter, self.delimiter)}, {enc}{' with BOM' if self.bom and self.encoding == UTF8 else ''}"


@dataclass(frozen=True)
class Problem:
    """A row (or rows) the import could not take."""

    line_no: int
    local_id: str
    message: str


@dataclass(frozen=True)
class Taken:
    """A choice the import takes: one student, one SSID, from one line."""

    line_no: int
    student_id: int
    local_id: str
    ssid: str
    prev_status: str
    prev_ssid: str | None

    @property
    def unchanged(self) -> bool:
        """True when the workspace already holds exactly this choice."""
        return self.prev_status == DecisionStatus.CHOSEN and self.prev_ssid == self.ssid


@dataclass
class ImportPlan:
    """What an import would do, before it records anything."""

    file: MarkedFile
    taken: list[Taken] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    #: Students with rows in the file but none marked: left as they are.
    unmarked: int = 0
    #: ... of them, how many already have a decision in the workspace (kept).
    unmarked_decided: int = 0
    #: Unmarked rows whose local ID is not in the workspace (nothing to take from them).
    unknown_unmarked: int = 0
    #: Local IDs matched only after restoring leading zeros the spreadsheet dropped.
    zeros_restored: int = 0
    #: Notes and follow-up tags the file changes: (student id, kind, value).
    notes: list[Annotation] = field(default_factory=list)
    #: Notes taken, but changed to be one line of printable text of at most MAX_NOTE characters.
    altered_notes: list[Problem] = field(default_factory=list)


@dataclass
class ImportResult:
    """What an import did."""

    plan: ImportPlan
    changed: int
    batch: int | None
    conflicts: dict[str, list[str]]


# -- reading the file ------------------------------------------------------------------------


def _decode(path: Path, data: bytes) -> tuple[str, str, bool]:
    """(text, encoding, had_bom)."""
    if data.startswith(b"PK\x03\x04"):
        raise SelectionsError(
            f"{path.name} is an Excel workbook, not a text file: in Excel choose File > Save As > "
            "CSV UTF-8 (Comma delimited) and import that file."
        )
    if data.startswith(codecs.BOM_UTF8):
        return data[len(codecs.BOM_UTF8):].decode(UTF8, errors="replace"), UTF8, True
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        try:
            return data.decode("utf-16"), "utf-16", True
        except UnicodeDecodeError:
            raise SelectionsError(f"{path.name} starts like UTF-16 text but is not: save it again as CSV UTF-8.") from None
    if b"\x00" in data:
        raise SelectionsError(f"{path.name} holds binary data, not text: save the sheet as CSV UTF-8 and import that file.")
    try:
        return data.decode(UTF8), UTF8, False
    except UnicodeDecodeError:
        return decode(data, CP1252), CP1252, False


def _header_delimiter(first_line: str) -> tuple[str, list[str]]:
    """The delimiter that best splits the header line into known column names."""
    wanted = {fold_header(n) for n in REQUIRED_COLUMNS.values()}
    best: tuple[int, str, list[str]] = (-1, ",", [])
    for d in (",", "^", ";", "\t"):
        cells = next(csv.reader([first_line], delimiter=d), [])
        score = len(wanted & {fold_header(c) for c in cells})
        if score > best[0]:
            best = (score, d, cells)
    return best[1], best[2]


def read_marked_file(path: str | os.PathLike[str]) -> MarkedFile:
    """Read a marked results file; raise SelectionsError (one sentence) if it cannot be used."""
    p = Path(path)
    try:
        with open_input(p, "the marked results file", SelectionsError) as fh:
            data = fh.read()
    except OSError as exc:
        raise SelectionsError(f"{p} cannot be read ({exc.strerror or 'I/O error'}).") from None
    text, encoding, bom = _decode(p, data)
    lines = text.splitlines()
    first = next((ln for ln in lines if ln.strip(" \t,;^\"")), None)
    if first is None:
        raise SelectionsError(f"{p.name} is empty: it holds no rows.")
    delimiter, _cells = _header_delimiter(first)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    header: dict[str, int] | None = None
    rows: list[MarkedRow] = []
    blank = 0
    prev_end = 0
    for cells in reader:
        line_no = prev_end + 1
        prev_end = reader.line_num
        if not any(c.strip() for c in cells):
            if header is not None:
                blank += 1
            continue
        if header is None:
            folded = [fold_header(c) for c in cells]
            header = {}
            for key, name in REQUIRED_COLUMNS.items():
                if fold_header(name) in folded:
                    header[key] = folded.index(fold_header(name))
            for key, name in OPTIONAL_COLUMNS.items():
                if fold_header(name) in folded:
                    header[key] = folded.index(fold_header(name))
            missing = [name for key, name in REQUIRED_COLUMNS.items() if key not in header]
            if missing:
                raise SelectionsError(
                    f"{p.name} has no {' or '.join(missing)} column in its first row, so it cannot be read as a "
                    "marked results file: import the file `ssid-tui export --results` wrote, keeping its header "
                    "row and column names."
                )
            continue
        # unguard: the `'` export put before a cell a spreadsheet would run as a formula.
        got = {key: unguard(cells[i]).strip() if i < len(cells) else "" for key, i in header.items()}
        rows.append(MarkedRow(line_no=line_no, local_id=got["local_id"], ssid=got["ssid"], selection=got["selection"],
                              note=got.get("note"), follow_up=got.get("follow_up")))
    return MarkedFile(path=p, encoding=encoding, bom=bom, delimiter=delimiter, rows=rows, blank_rows=blank)


# -- deciding what to take --------------------------------------------------------------------


def mark_state(value: str) -> str | None:
    """'yes' for a mark, 'no' for a blank (or no), None if it cannot be read."""
    v = value.strip().lower()
    if v in MARK_YES:
        return "yes"
    if v in MARK_NO:
        return "no"
    return None


_NUMBER_TAIL = re.compile(r"^([0-9]+)\.0*$")


def _norm_number(value: str) -> str:
    """A digit string as a spreadsheet may have re-typed it: '0123.0' -> '123'."""
    v = value.strip()
    m = _NUMBER_TAIL.match(v)
    if m:
        v = m.group(1)
    if is_ascii_digits(v):
        return v.lstrip("0") or "0"
    return v


class _Students:
    """Local ID lookup, exact first, then with the leading zeros a spreadsheet drops."""

    def __init__(self, students: list[Student]) -> None:
        self.exact = {s.local_id: s for s in students}
        self.loose: dict[str, list[Student]] = defaultdict(list)
        for s in students:
            self.loose[_norm_number(s.local_id)].append(s)

    def find(self, local_id: str) -> tuple[Student | None, str | None]:
        """(student, None), or (None, why not)."""
        if local_id in self.exact:
            return self.exact[local_id], None
        if not local_id:
            return None, "the row has no local ID"
        found = self.loose.get(_norm_number(local_id), []) if is_ascii_digits(_norm_number(local_id)) else []
        if len(found) == 1:
            return found[0], None
        if len(found) > 1:
            ids = ", ".join(s.local_id for s in found)
            return None, f"local ID {local_id} could be any of {ids} (the spreadsheet dropped leading zeros): format the column as Text and mark again"
        return None, f"local ID {local_id} is not in this workspace"


def plan_selections(ws: Workspace, marked: MarkedFile) -> ImportPlan:
    """Work out which choices the marked file makes, and which rows cannot be taken."""
    plan = ImportPlan(file=marked)
    lookup = _Students(ws.all_students())
    by_student: dict[int, list[MarkedRow]] = defaultdict(list)
    students: dict[int, Student] = {}
    for row in marked.rows:
        s, why = lookup.find(row.local_id)
        if s is None:
            if mark_state(row.selection) == "no":
                plan.unknown_unmarked += 1
            else:
                plan.problems.append(Problem(row.line_no, row.local_id, f"{why}: nothing taken from this row"))
            continue
        if s.local_id != row.local_id:
            plan.zeros_restored += 1
        by_student[s.id].append(row)
        students[s.id] = s
    for sid, rows in by_student.items():
        s = students[sid]
        _plan_notes(plan, s, rows)
        unreadable = [r for r in rows if mark_state(r.selection) is None]
        marks = [r for r in rows if mark_state(r.selection) == "yes"]
        if unreadable:
            for r in unreadable:
                plan.problems.append(Problem(
                    r.line_no, s.local_id,
                    f"Selection {quoted(r.selection)} is not a mark (use X, or leave it blank): student left as it was",
                ))
            continue
        if not marks:
            plan.unmarked += 1
            if s.status != DecisionStatus.UNDECIDED:
                plan.unmarked_decided += 1
            continue
        distinct = {_norm_number(r.ssid) for r in marks}
        if len(distinct) > 1:
            lines = ", ".join(str(r.line_no) for r in marks)
            plan.problems.append(Problem(
                marks[0].line_no, s.local_id,
                f"{len(marks)} rows are marked for this student (lines {lines}): mark only one; student left as it was",
            ))
            continue
        row = marks[0]
        if not row.ssid:
            plan.problems.append(Problem(
                row.line_no, s.local_id,
                "the marked row has no SSID (a No Match row): nothing to take; choose \"none of these\" in the review app",
            ))
            continue
        cands = {c.ssid for c in ws.candidates(sid)}
        ssid = row.ssid if row.ssid in cands else next(
            (c for c in cands if _norm_number(c) == _norm_number(row.ssid)), None)
        if ssid is None:
            hint = " (the spreadsheet turned it into a number: format the column as Text)" if "E+" in row.ssid.upper() else ""
            plan.problems.append(Problem(
                row.line_no, s.local_id, f"SSID {row.ssid} is not among this student's candidates{hint}: nothing taken",
            ))
            continue
        plan.taken.append(Taken(row.line_no, sid, s.local_id, ssid, s.status, s.chosen_ssid))
    plan.taken.sort(key=lambda t: t.line_no)
    plan.problems.sort(key=lambda p: p.line_no)
    return plan


def _one_value(plan: ImportPlan, s: Student, rows: list[MarkedRow], values: list[str], column: str) -> str | None:
    """The one value a student's rows give a column; None (and a problem) when they disagree."""
    distinct = set(values)
    if len(distinct) == 1:
        return values[0]
    marked = [v for r, v in zip(rows, values, strict=True) if mark_state(r.selection) == "yes"]
    if len(marked) == 1:
        return marked[0]
    plan.problems.append(Problem(rows[0].line_no, s.local_id,
                                 f"the student's rows differ in {column}: write the same on each row; left as it was"))
    return None


def _plan_notes(plan: ImportPlan, s: Student, rows: list[MarkedRow]) -> None:
    """The note and follow-up tag a student's rows give, when the file has those columns and they changed."""
    # A blank cell changes nothing (as a blank Selection keeps a decision): a file exported before a
    # note or tag was added must not remove it. A note is cleared in the app; a tag is turned off by N.
    if rows[0].note is not None:
        written = [(r, review_notes.clean_note(r.note or "")) for r in rows if (r.note or "").strip()]
        note = _one_value(plan, s, [r for r, _ in written], [v for _, v in written], REVIEW_NOTE) if written else None
        if note is not None and note != s.note:
            plan.notes.append((s.id, review_notes.NOTE, note))
            row = next(r for r, v in written if v == note)
            if how := review_notes.note_alterations(row.note or ""):
                plan.altered_notes.append(Problem(row.line_no, s.local_id, " and ".join(how)))
    if rows[0].follow_up is not None:
        given = [r for r in rows if (r.follow_up or "").strip()]
        states = [mark_state(r.follow_up or "") for r in given]
        bad = next((r for r, st in zip(given, states, strict=True) if st is None), None)
        if bad is not None:
            plan.problems.append(Problem(bad.line_no, s.local_id,
                                         f"{REVIEW_FOLLOW_UP} {quoted(bad.follow_up or '')} is not Y, N or blank: tag left as it was"))
            return
        tag = _one_value(plan, s, given, [st or "" for st in states], REVIEW_FOLLOW_UP) if given else None
        if tag is not None and (tag == "yes") != s.follow_up:
            plan.notes.append((s.id, review_notes.FOLLOW_UP, review_notes.FOLLOW_UP_ON if tag == "yes" else ""))


def import_selections(ws: Workspace, path: str | os.PathLike[str], *, dry_run: bool = False) -> ImportResult:
    """Read a marked results file and record its choices as one undoable step (source "import")."""
    marked = read_marked_file(path)
    plan = plan_selections(ws, marked)
    changes = [(t.student_id, DecisionStatus.CHOSEN, t.ssid) for t in plan.taken if not t.unchanged]
    if dry_run or not (changes or plan.notes):
        return ImportResult(plan=plan, changed=0, batch=None, conflicts={})
    outcome = record_many(ws, changes, source=SOURCE, note=f"import of {marked.path.name}", notes=plan.notes)
    return ImportResult(plan=plan, changed=outcome.changed, batch=outcome.batch, conflicts=outcome.conflicts)
