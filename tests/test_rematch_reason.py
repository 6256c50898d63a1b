"""Why a re-match cleared a decision is a stored code, not words read back from the history's note."""

from __future__ import annotations

import json
import sqlite3

from ssid_tui.workspace.history import (
    REASON_LEFT_FILE,
    REASON_RECORD_CHANGED,
    REASON_SSID_GONE,
    REASON_WORDS,
    clear_for_rematch,
    latest_rematch_clears,
)
from ssid_tui.workspace.schema import _REVIEW_SCHEMA, _SCHEMA


def _workspace(decided: int) -> sqlite3.Connection:
    conn = sqlite3.connect(":memory:")
    conn.executescript(_SCHEMA + _REVIEW_SCHEMA)
    for sid in range(1, decided + 1):
        conn.execute("INSERT INTO decision VALUES (?, 'chosen', ?, 'pat', '2026-11-30T10:00:00+00:00', 0)",
                     (sid, f"100000000{sid}"))
    return conn


def _finish_run(conn: sqlite3.Connection, cleared: int) -> None:
    conn.execute("INSERT INTO run (started_at, finished_at, senr_path, senr_sha256, senr_layout, registry_path, "
                 "registry_fingerprint, settings, summary) VALUES ('a', 'b', 'f', 'x', 'senr', 'r', 'x', '{}', ?)",
                 (json.dumps({"cleared_decisions": cleared}),))


def test_the_reason_is_the_stored_code_whatever_the_note_says():
    conn = _workspace(3)
    assert clear_for_rematch(conn, 1, "L1", REASON_SSID_GONE, "the record changed, so the choice went") == 1
    assert clear_for_rematch(conn, 2, "L2", REASON_RECORD_CHANGED) == 1
    assert clear_for_rematch(conn, 3, "L3", REASON_LEFT_FILE, "no longer a candidate") == 1
    assert clear_for_rematch(conn, 4, "L4", REASON_LEFT_FILE) == 0  # no decision: nothing written
    _finish_run(conn, 3)
    cleared = latest_rematch_clears(conn)
    assert [(c.local_id, c.reason) for c in cleared] == [
        ("L1", REASON_SSID_GONE), ("L2", REASON_RECORD_CHANGED), ("L3", REASON_LEFT_FILE)]
    assert cleared[1].why == REASON_WORDS[REASON_RECORD_CHANGED]
    assert conn.execute("SELECT note FROM history WHERE local_id = 'L2'").fetchone()[0] == "record changed in the new file"


def test_a_workspace_written_before_the_code_was_stored_still_tells_the_reason():
    conn = _workspace(1)
    conn.execute("INSERT INTO history (batch, student_id, local_id, status, prev_status, prev_ssid, decided_by, "
                 "decided_at, source, note) VALUES (1, 1, 'L1', 'undecided', 'chosen', '1000000001', 'pat', 'now', "
                 "'rematch', 'chosen SSID 1000000001 is no longer a candidate after the re-match')")
    _finish_run(conn, 1)
    assert [(c.local_id, c.reason) for c in latest_rematch_clears(conn)] == [("L1", REASON_SSID_GONE)]
