"""A reviewer's note and follow-up tag on a student, written beside the decision log.

A note is one line of the reviewer's own words ("mother says she was at Lincoln ES");
the follow-up tag marks a student for a colleague or a call to the family. Both live in
the `annotation` table; each change is also a row of the decision history (status =
its kind, so `history` lists it and undo takes it back) with the old and new value in
`annotation_change`. The functions here run inside the caller's transaction:
`decisions.annotate` and `decisions.record_many` call them.
"""

from __future__ import annotations

import unicodedata

from ssid_tui.workspace.store import Workspace

NOTE = "note"
FOLLOW_UP = "follow-up"
KINDS = (NOTE, FOLLOW_UP)
#: A note is one line; longer text is cut here (a results-file cell, a line on screen).
MAX_NOTE = 200
#: How the follow-up tag is stored in `annotation_change` (and written in the results file).
FOLLOW_UP_ON = "Y"


def _one_line(text: str) -> str:
    chars = [" " if unicodedata.category(ch)[0] == "C" else ch for ch in text]
    return " ".join("".join(chars).split())


def clean_note(text: str) -> str:
    """One line of printable text: control characters and line breaks become spaces, cut to MAX_NOTE."""
    return _one_line(text)[:MAX_NOTE]


def note_alterations(text: str) -> list[str]:
    """What `clean_note` changes in `text` besides spacing (said to whoever gave the note); [] if nothing."""
    out = []
    if any(unicodedata.category(ch)[0] == "C" for ch in text):
        out.append("line breaks or control characters became spaces")
    if len(_one_line(text)) > MAX_NOTE:
        out.append(f"cut to {MAX_NOTE} characters")
    return out


def current(ws: Workspace, student_id: int) -> tuple[str, bool]:
    """(note, follow-up) of a student; ('', False) when neither was ever set."""
    row = ws.conn.execute("SELECT note, follow_up FROM annotation WHERE student_id = ?", (student_id,)).fetchone()
    return (row[0], bool(row[1])) if row else ("", False)


def value_of(ws: Workspace, student_id: int, kind: str) -> str:
    """The stored value of one kind, as `annotation_change` records it ('' = none)."""
    note, follow_up = current(ws, student_id)
    return note if kind == NOTE else FOLLOW_UP_ON if follow_up else ""


def apply(ws: Workspace, batch: int, student_id: int, local_id: str, kind: str, value: str, *,
          who: str, when: str, source: str, undoes: int | None = None) -> bool:
    """Set one note or tag (inside the caller's transaction); False when nothing changes."""
    if kind not in KINDS:
        raise ValueError(f"unknown annotation kind {kind!r}")
    value = clean_note(value) if kind == NOTE else FOLLOW_UP_ON if value else ""
    prev = value_of(ws, student_id, kind)
    if prev == value and undoes is None:
        return False
    shown = value if kind == NOTE else ("on" if value else "off")
    cur = ws.conn.execute(
        "INSERT INTO history (batch, student_id, local_id, status, ssid, prev_status, prev_ssid, decided_by, "
        "decided_at, source, undoes, note) VALUES (?, ?, ?, ?, NULL, ?, NULL, ?, ?, ?, ?, ?)",
        (batch, student_id, local_id, kind, kind, who, when, source, undoes, f"{kind}: {shown}" if shown else f"{kind} removed"),
    )
    ws.conn.execute("INSERT INTO annotation_change (history_id, kind, value, prev_value) VALUES (?, ?, ?, ?)",
                    (cur.lastrowid, kind, value, prev))
    column = "note" if kind == NOTE else "follow_up"
    stored: str | int = value if kind == NOTE else int(bool(value))
    ws.conn.execute("INSERT OR IGNORE INTO annotation (student_id) VALUES (?)", (student_id,))
    ws.conn.execute(f"UPDATE annotation SET {column} = ? WHERE student_id = ?", (stored, student_id))
    return True


def previous_value(ws: Workspace, history_id: int) -> tuple[str, str] | None:
    """(kind, value before) of an annotation change in the history."""
    row = ws.conn.execute("SELECT kind, prev_value FROM annotation_change WHERE history_id = ?", (history_id,)).fetchone()
    return (row[0], row[1]) if row else None


def counts(ws: Workspace) -> tuple[int, int]:
    """(students with a note, students tagged for follow-up)."""
    row = ws.conn.execute(
        "SELECT COALESCE(SUM(note != ''), 0), COALESCE(SUM(follow_up), 0) FROM annotation a "
        # EXISTS, not a JOIN: a join may scan every student for a handful of notes (35 ms at 200,000)
        "WHERE EXISTS (SELECT 1 FROM student s WHERE s.id = a.student_id)").fetchone()
    return int(row[0]), int(row[1])
