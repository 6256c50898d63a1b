"""The decision history's primitives: who and when, the next batch, and the entry a re-match writes.

Kept apart from `decisions` so that `store` (which clears decisions when a re-matched
record changed) and `decisions` both build on it without importing each other.
"""

from __future__ import annotations

import datetime as dt
import json
import sqlite3
from dataclasses import dataclass

from ssid_tui.files.identity import login_name
from ssid_tui.workspace.statuses import DecisionStatus


def reviewer() -> str:
    """The login name recorded with each decision (the same as in the workspace's lock file)."""
    return login_name()


def now() -> str:
    """The time recorded with each decision: local time with its UTC offset, to the second."""
    return dt.datetime.now(dt.UTC).astimezone().isoformat(timespec="seconds")


def next_batch(conn: sqlite3.Connection) -> int:
    """The number of the next step in the history (one step = one undo)."""
    return int(conn.execute("SELECT COALESCE(MAX(batch), 0) + 1 FROM history").fetchone()[0])


#: Why a re-match cleared a decision: the code stored with the history entry (table `rematch_reason`).
REASON_RECORD_CHANGED = "record_changed"
REASON_SSID_GONE = "ssid_gone"
REASON_LEFT_FILE = "left_file"
#: How the report and the history say each reason.
REASON_WORDS: dict[str, str] = {
    REASON_RECORD_CHANGED: "record changed in the new file",
    REASON_SSID_GONE: "chosen SSID no longer a candidate",
    REASON_LEFT_FILE: "student no longer in the file",
}
#: Workspaces written before the code was stored: the reason told by words of the entry's note.
_LEGACY_NOTE_WORDS: tuple[tuple[str, str], ...] = (
    ("record changed", REASON_RECORD_CHANGED),
    ("no longer a candidate", REASON_SSID_GONE),
    ("not in the new file", REASON_LEFT_FILE),
)


def clear_for_rematch(conn: sqlite3.Connection, student_id: int, local_id: str, reason: str,
                      note: str | None = None) -> int:
    """Drop a decision whose record changed in a re-matched file (inside the caller's transaction).

    `reason` is one of the REASON_* codes, stored with the history entry; `note` (default:
    the reason's words) is what the history shows. Returns 1 if a decision was dropped, 0 if
    the student had none.
    """
    row = conn.execute("SELECT status, ssid FROM decision WHERE student_id = ?", (student_id,)).fetchone()
    if row is None:
        return 0
    cur = conn.execute(
        "INSERT INTO history (batch, student_id, local_id, status, ssid, prev_status, prev_ssid, decided_by, "
        "decided_at, source, note) VALUES (?, ?, ?, ?, NULL, ?, ?, ?, ?, 'rematch', ?)",
        (next_batch(conn), student_id, local_id, DecisionStatus.UNDECIDED, row[0], row[1], reviewer(), now(),
         REASON_WORDS[reason] if note is None else note),
    )
    conn.execute("INSERT INTO rematch_reason (history_id, reason) VALUES (?, ?)", (cur.lastrowid, reason))
    conn.execute("DELETE FROM decision WHERE student_id = ?", (student_id,))
    return 1


@dataclass(frozen=True)
class RematchClear:
    """A decision the latest re-match cleared: whose, why, and what it was."""

    local_id: str
    reason: str  # a REASON_* code ("" if unknown)
    prev_status: str
    prev_ssid: str | None

    @property
    def why(self) -> str:
        """The reason in words."""
        return REASON_WORDS.get(self.reason, "re-matched")


def latest_rematch_clears(conn: sqlite3.Connection) -> list[RematchClear]:
    """The decisions cleared by the latest matching run, in file order (none if it did not finish).

    Its summary counts them (record changed, student gone, chosen SSID gone), and they are
    the newest re-match entries of the history: nothing but a re-match writes one.
    """
    run = conn.execute("SELECT finished_at, summary FROM run ORDER BY id DESC LIMIT 1").fetchone()
    if run is None or run[0] is None or not run[1]:
        return []
    summary = json.loads(run[1])
    n = (int(summary.get("cleared_decisions") or 0) + int(summary.get("removed_students") or 0)
         + len(summary.get("dropped_choices") or []))
    if n == 0:
        return []
    rows = conn.execute("SELECT h.local_id, r.reason, h.note, h.prev_status, h.prev_ssid FROM history h "
                        "LEFT JOIN rematch_reason r ON r.history_id = h.id WHERE h.source = 'rematch' "
                        "ORDER BY h.id DESC LIMIT ?", (n,)).fetchall()
    return [RematchClear(local_id, reason or next((code for words, code in _LEGACY_NOTE_WORDS if words in (note or "")), ""),
                         prev_status, prev_ssid) for local_id, reason, note, prev_status, prev_ssid in reversed(rows)]
