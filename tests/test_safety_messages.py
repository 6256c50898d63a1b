"""Issue 8, point 7: messages tell the truth about the file (read-only folder, full disk, damage)."""

from __future__ import annotations

import errno
import sqlite3
from pathlib import Path

import pytest
from typer.testing import CliRunner

import ssid_tui.cli  # noqa: F401  (registers the commands)
from ssid_tui.cli.app import app
from ssid_tui.files import safe
from ssid_tui.matching.registry import load_extract
from ssid_tui.ui.session import ReviewSession
from ssid_tui.workspace import store, store_problems
from ssid_tui.workspace.store import WorkspaceError, open_workspace
from ssid_tui.workspace.store_problems import damaged_message
from tests.support.cli import flat
from tests.support.workspaces import build_workspace, large_students, small_students

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures"
runner = CliRunner()


def run(*args: object):
    return runner.invoke(app, [str(a) for a in args], env={"COLUMNS": "300", "NO_COLOR": "1"})


@pytest.fixture()
def ws_path(tmp_path: Path) -> Path:
    build_workspace(tmp_path / "w.sqlite", small_students()).close()
    return tmp_path / "w.sqlite"


def folder_read_only(monkeypatch, ro: Path) -> None:
    """What a user sees in a folder they cannot write (tests may run as root, who writes anywhere)."""
    real = safe.can_write
    inside = {ro.resolve(), *(p.resolve() for p in ro.iterdir())}
    monkeypatch.setattr(safe, "can_write", lambda p, folder=True: False if Path(p).resolve() in inside
                        else real(p, folder=folder))
    for module in (store, store_problems):
        monkeypatch.setattr(module, "folder_read_only", lambda p: Path(p).resolve().parent == ro.resolve())


def test_a_workspace_in_a_read_only_folder_is_not_called_not_a_workspace(ws_path, monkeypatch):
    folder_read_only(monkeypatch, ws_path.parent)
    with pytest.raises(WorkspaceError) as err:
        open_workspace(ws_path)
    message = str(err.value)
    assert "read-only" in message and "intact" in message and "not a workspace" not in message
    result = run("import-selections", ws_path, FIXTURES / "senr_clean.txt")
    assert result.exit_code == 2 and "read-only" in flat(result.output) and "intact" in flat(result.output)


def test_sqlite_failing_in_a_read_only_folder_is_explained(ws_path, monkeypatch):
    """When SQLite itself cannot open the file for writing there (it needs its journal beside it)."""
    for module in (store, store_problems):
        monkeypatch.setattr(module, "folder_read_only", lambda p: True)

    def refuse(path, readonly, *, immutable=False):
        raise sqlite3.OperationalError("unable to open database file")

    monkeypatch.setattr(store, "_connect", refuse)
    with pytest.raises(WorkspaceError) as err:
        open_workspace(ws_path)
    assert "is read-only" in str(err.value) and "the workspace is intact" in str(err.value)


def test_a_full_disk_when_opening_is_said_so(ws_path, monkeypatch):
    def full(path, readonly, *, immutable=False):
        raise sqlite3.OperationalError("database or disk is full")

    monkeypatch.setattr(store, "_connect", full)
    result = run("status", ws_path)
    assert result.exit_code == 2
    out = flat(result.output)
    assert "disk" in out and "full" in out and "intact" in out and "not a workspace" not in out


def test_a_full_disk_during_a_review_decision_is_one_sentence_and_loses_nothing(ws_path):
    session = ReviewSession.open(ws_path)
    try:
        conn = session.ws.conn
        pages = conn.execute("PRAGMA page_count").fetchone()[0]
        conn.execute(f"PRAGMA max_page_count = {pages + 20}")  # SQLite's own "disk full", 20 pages on
        conn.execute("CREATE TABLE filler (x BLOB)")
        conn.commit()
        for size in (900, 60):
            with pytest.raises(sqlite3.OperationalError):
                while True:
                    conn.execute(f"INSERT INTO filler VALUES (randomblob({size}))")
                    conn.commit()
            conn.rollback()
        first = session.student
        steps = []
        for _ in range(500):  # decisions that fit in pages already there are stored; then one is not
            result = session.skip() if len(steps) % 2 else session.mark_none()
            session.goto(session.ids.index(first.id))
            steps.append(result)
            if result.severity == "error":
                break
        last = steps[-1]
        assert last.severity == "error", "the disk never filled"
        assert "full" in last.message and "every earlier decision is" in last.message
        stored = "skipped" if len(steps) % 2 == 1 else "none"  # the state before the failed step
        stored = {0: None}.get(len(steps) - 1, stored)
    finally:
        session.close()
    with open_workspace(ws_path, readonly=True) as ws:
        status = ws.conn.execute("SELECT status FROM decision").fetchall()
        changes = ws.conn.execute("SELECT COUNT(*) FROM history").fetchone()[0]
    assert changes == len(steps) - 1  # every step but the failed one is in the history
    assert (status[0][0] if status else None) == stored


def test_a_full_disk_during_ods_load_is_one_sentence_and_keeps_the_registry(tmp_path, monkeypatch):
    registry = tmp_path / "reg.sqlite"
    assert run("ods", "load", FIXTURES / "ods_sample.txt", "--into", registry).exit_code == 0
    before = registry.read_bytes()
    from ssid_tui.matching import registry as registry_module

    real_build = registry_module._build

    def build_then_fill(conn, *args):
        real_build(conn, *args)
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(registry_module, "_build", build_then_fill)
    result = run("ods", "load", FIXTURES / "ods_sample.txt", "--into", registry)
    assert result.exit_code == 2
    out = flat(result.output)
    assert "is full" in out and "unchanged" in out and "Traceback" not in out and "internal error" not in out
    assert registry.read_bytes() == before
    assert [p.name for p in tmp_path.iterdir() if ".loading-" in p.name] == []


def damage(path: Path) -> None:
    with path.open("r+b") as fh:
        fh.seek(4096 * 2)
        fh.write(b"\xff" * 4096 * 6)


def test_a_damaged_workspace_reads_the_same_in_the_app_as_in_the_cli(ws_path):
    damage(ws_path)
    cli = run("status", ws_path)
    assert cli.exit_code == 2 and damaged_message(ws_path) in flat(cli.output)
    with pytest.raises(WorkspaceError) as err:
        ReviewSession.open(ws_path)
    assert str(err.value) == damaged_message(ws_path)
    from ssid_tui.ui.app import ReviewApp

    with pytest.raises(WorkspaceError) as err:
        ReviewApp(ws_path)
    assert str(err.value) == damaged_message(ws_path)


def test_an_export_that_fails_on_a_damaged_workspace_leaves_no_empty_folder(tmp_path):
    # the workspace opens, its later pages cannot be read: the --to folder was made and left empty (cold test)
    ws_path = tmp_path / "big.sqlite"
    build_workspace(ws_path, large_students(3000)).close()
    with ws_path.open("r+b") as fh:
        size = ws_path.stat().st_size
        fh.seek(size * 3 // 4)
        fh.write(b"\xff" * (size - size * 3 // 4))
    out = tmp_path / "new" / "out"
    result = run("export", ws_path, "--to", out)
    assert result.exit_code == 2, result.output
    assert "Created the folder" in flat(result.output) and "internal error" not in flat(result.output)
    assert not (tmp_path / "new").exists()


def test_the_damaged_workspace_sentence_keeps_the_decisions_in_view(ws_path):
    # it said "match the SENR file again into a new workspace", which drops every decision (cold test)
    damage(ws_path)
    out = flat(run("status", ws_path).output)
    assert "Keep the file" in out and "restore it from a backup" in out
    assert f"ssid-tui history {ws_path}" in out, out


def test_a_missing_workspace_or_registry_is_named_as_given_with_a_command_that_keeps_its_folder(tmp_path):
    # the suggestion dropped the folder: `status sub/fall.sqlite` proposed `--workspace fall.sqlite` (cold test)
    missing = tmp_path / "sub dir" / "fall.sqlite"
    out = flat(run("status", missing).output)
    assert f"{missing} does not exist: check the path" in out and f"--workspace '{missing}'" in out, out
    out = flat(run("find", "--last", "KIM", "--first", "ANA", "--birth-date", "20140507", "--ods", missing).output)
    assert f"--into '{missing}'" in out, out


def test_match_into_a_workspace_in_a_read_only_folder_says_so_not_damaged(tmp_path, monkeypatch):
    """Cold test: SQLite cannot open a WAL workspace read-only where it cannot make the -shm beside it,
    and match's check for damage took that for damage ("restore it from a backup")."""
    folder = tmp_path / "ro"
    folder.mkdir()
    ws_path = folder / "w.sqlite"
    build_workspace(ws_path, small_students()).close()
    registry = tmp_path / "reg.sqlite"
    load_extract(FIXTURES / "ods_sample.txt", registry)
    folder_read_only(monkeypatch, folder)
    real_connect = sqlite3.connect

    def cannot_make_shm(database, *args, **kwargs):
        if str(database) == f"file:{ws_path}?mode=ro":  # as sqlite_intact opens it
            raise sqlite3.OperationalError("unable to open database file")
        return real_connect(database, *args, **kwargs)

    monkeypatch.setattr(sqlite3, "connect", cannot_make_shm)
    result = run("match", FIXTURES / "senr_clean.txt", "--ods", registry, "--workspace", ws_path)
    said = flat(result.output)
    assert result.exit_code == 2, said
    assert "read-only" in said and "damaged" not in said and "backup" not in said
