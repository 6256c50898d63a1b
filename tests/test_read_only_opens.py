"""A read-only opening never changes the workspace: not its file, not a -wal a crash left beside it.

SQLite's last connection to close applies (checkpoints) a pending -wal into the file and deletes it,
and a read-write connection rolls back a crash's -journal: `status`, `history`, `export` and a
read-only review must do neither, and the decisions waiting there must reach the next read-write
opening intact.
"""

from __future__ import annotations

import hashlib
import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from ssid_tui.ui.opening import open_for_review
from ssid_tui.workspace import decisions
from ssid_tui.workspace.store import open_workspace, reader_connection
from tests.support.cli import flat, run

ROOT = Path(__file__).resolve().parent.parent

CRASH = """
import os, sys
from ssid_tui.workspace.store import open_workspace
from ssid_tui.workspace import decisions
ws = open_workspace(sys.argv[1])
for local_id in sys.argv[2:]:
    decisions.mark_none(ws, ws.student_by_local_id(local_id).id)
os._exit(0)  # a crash: no close, so no checkpoint; the decisions wait in the -wal
"""


def crash_after_deciding(path: Path, *local_ids: str) -> None:
    """Mark `local_ids` none of these in another process that dies without closing the workspace."""
    subprocess.run([sys.executable, "-c", CRASH, str(path), *local_ids], cwd=ROOT, check=True,
                   env={**os.environ, "PYTHONPATH": str(ROOT)})


def fingerprint(path: Path) -> dict[str, tuple[str, int]]:
    """SHA-256 and mtime of the workspace file and its -wal (the -shm is SQLite's index, rebuilt by readers)."""
    out = {}
    for p in (path, Path(f"{path}-wal")):
        out[p.name] = (hashlib.sha256(p.read_bytes()).hexdigest(), p.stat().st_mtime_ns) if p.exists() else ("", 0)
    return out


def decided(path: Path) -> set[str]:
    with open_workspace(path) as ws:
        return {c.local_id for c in decisions.history(ws)}


@pytest.fixture
def crashed(small_ws_path: Path) -> Path:
    crash_after_deciding(small_ws_path, "1003", "1005")
    assert Path(f"{small_ws_path}-wal").stat().st_size > 0
    return small_ws_path


@pytest.mark.parametrize("args", [("status",), ("history",), ("export", "--to", "out")], ids=["status", "history", "export"])
def test_a_read_only_command_leaves_a_crashed_workspace_and_its_wal_byte_for_byte(crashed, tmp_path, args):
    before = fingerprint(crashed)
    command, *rest = args
    result = run(command, crashed, *[str(tmp_path / a) if a == "out" else a for a in rest])
    assert result.exit_code == 0, result.output
    assert fingerprint(crashed) == before
    if command == "status":
        assert "Decided 2 (0 with an SSID chosen, 2 none of these)" in flat(result.output)  # it read the -wal
    assert decided(crashed) == {"1003", "1005"}  # and the next read-write opening still has them


def test_a_read_only_review_and_its_side_readers_leave_a_crashed_workspace_as_it_is(crashed):
    before = fingerprint(crashed)
    ws, lock, why = open_for_review(crashed, readonly=True)
    side = reader_connection(crashed)
    assert side.execute("SELECT count(*) FROM decision").fetchone() == (2,)
    assert lock is None and why and ws.readonly
    side.close()
    ws.close()
    assert fingerprint(crashed) == before
    assert decided(crashed) == {"1003", "1005"}


def test_a_reader_closing_after_a_writer_died_does_not_apply_that_writers_wal(small_ws_path):
    """Opened while nothing was pending, then a writer came and died: the reader, last to close, leaves it."""
    ws = open_workspace(small_ws_path, readonly=True)
    assert ws.conn.execute("SELECT count(*) FROM decision").fetchone() == (0,)
    crash_after_deciding(small_ws_path, "1001")
    before = fingerprint(small_ws_path)
    assert before[f"{small_ws_path.name}-wal"][0]
    ws.close()
    assert fingerprint(small_ws_path) == before
    assert decided(small_ws_path) == {"1001"}


def test_a_clean_workspace_read_only_still_leaves_no_wal_or_shm(small_ws_path):
    with open_workspace(small_ws_path, readonly=True) as ws:
        assert ws.conn.execute("SELECT count(*) FROM student").fetchone() == (6,)
    assert sorted(p.name for p in small_ws_path.parent.iterdir() if p.name.startswith(small_ws_path.name)) == [
        small_ws_path.name]


def test_a_crashs_rollback_journal_is_named_not_rolled_back_by_a_read_only_command(small_ws_path):
    conn = sqlite3.connect(small_ws_path)
    conn.execute("PRAGMA journal_mode = DELETE")  # as on a network filesystem
    conn.close()
    subprocess.run([sys.executable, "-c", f"""
import os, sqlite3
c = sqlite3.connect({str(small_ws_path)!r})
c.execute('PRAGMA cache_size = 1')
c.execute('BEGIN')
c.execute("UPDATE student SET first = 'X' || first")
c.execute("INSERT INTO history (batch, student_id, local_id, status, prev_status, decided_by, decided_at, source) "
          "SELECT 1, id, local_id, 'none', 'undecided', 'x', 'now', 'app' FROM student, (SELECT 1 FROM candidate LIMIT 50)")
os._exit(0)
"""], check=True)
    journal = Path(f"{small_ws_path}-journal")
    assert journal.exists()
    before = hashlib.sha256(small_ws_path.read_bytes()).hexdigest()
    result = run("status", small_ws_path)
    assert result.exit_code == 2
    assert "holds a write that was cut short (w.sqlite-journal beside it): open it once with `ssid-tui review" in flat(
        result.output)
    assert hashlib.sha256(small_ws_path.read_bytes()).hexdigest() == before and journal.exists()
    with open_workspace(small_ws_path) as ws:  # a read-write opening rolls it back: nothing half-done
        assert {s.first for s in ws.all_students()} == {"MARIA", "JOSE", "LIAM", "SOFIA", "EMMA"}
