"""The decision history's primitives: who and when, the next batch, and the entry a re-match writes.

Kept apart from `decisions` so that `store` (which clears decisions when a re-matched
record changed) and `decisions` both build on it without importing each other.
"""

from __future__ import annotations

import datetime as dt
import sqlite3

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


def clear_for_rematch(conn: sqlite3.Connection, student_id: int, local_id: str, note: str) -> int:
    """Drop a decision whose record changed in a re-matched file (inside the caller's transaction).

    Returns 1 if a decision was dropped, 0 if the student had none.
    """
    row = conn.execute("SELECT status, ssid FROM decision WHERE student_id = ?", (student_id,)).fetchone()
    if row is None:
        return 0
    conn.execute(
        "INSERT INTO history (batch, student_id, local_id, status, ssid, prev_status, prev_ssid, decided_by, "
        "decided_at, source, note) VALUES (?, ?, ?, ?, NULL, ?, ?, ?, ?, 'rematch', ?)",
        (next_batch(conn), student_id, local_id, DecisionStatus.UNDECIDED, row[0], row[1], reviewer(), now(), note),
    )
    conn.execute("DELETE FROM decision WHERE student_id = ?", (student_id,))
    return 1
