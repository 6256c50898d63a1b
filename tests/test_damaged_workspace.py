"""A workspace cut short (a partial copy): every command says "damaged" instead of quietly
showing or exporting fewer students; `history` still lists the decisions it holds."""

from __future__ import annotations

import pytest

from ssid_tui.workspace import decisions
from ssid_tui.workspace.store import WorkspaceError, open_workspace
from tests.support.cli import run
from tests.support.workspaces import build_workspace, large_students, sid


def _cut_copy(tmp_path):
    """A workspace of 400 students with one decision, and a copy of it missing its last pages."""
    path = tmp_path / "w.sqlite"
    ws = build_workspace(path, large_students(400))
    first = ws.conn.execute("SELECT local_id FROM student ORDER BY id LIMIT 1").fetchone()[0]
    decisions.mark_none(ws, sid(ws, first))
    ws.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    ws.close()
    data = path.read_bytes()
    cut = tmp_path / "cut.sqlite"
    page = int.from_bytes(data[16:18], "big")
    cut.write_bytes(data[: len(data) - 2 * page])  # the last two pages lost
    return path, cut


@pytest.mark.parametrize("readonly", [False, True])
def test_opening_a_cut_short_workspace_says_damaged(tmp_path, readonly):
    _, cut = _cut_copy(tmp_path)
    with pytest.raises(WorkspaceError) as err:
        open_workspace(cut, readonly=readonly)
    text = str(err.value)
    assert "cut.sqlite is damaged: it is shorter than SQLite wrote it" in text
    assert "ssid-tui history" in text and "Keep the file" in text


@pytest.mark.parametrize("command", [["status"], ["export", "--results", "r.csv"], ["review"]])
def test_commands_refuse_a_cut_short_workspace(tmp_path, command, monkeypatch):
    _, cut = _cut_copy(tmp_path)
    monkeypatch.chdir(tmp_path)
    result = run(command[0], cut, *command[1:])
    assert result.exit_code == 2, result.output
    assert "is damaged: it is shorter than SQLite wrote it" in " ".join(result.output.split())
    assert not (tmp_path / "r.csv").exists()


def test_history_still_tries_a_cut_short_workspace_and_never_sends_the_user_in_a_circle(tmp_path):
    whole, cut = _cut_copy(tmp_path)
    result = run("history", cut)
    text = " ".join(result.output.split())
    assert "cut short" in text and "Traceback" not in text
    if result.exit_code != 0:  # the pages lost held the schema: nothing can be listed
        assert "damaged past reading" in text and "ssid-tui history" not in text
    assert open_workspace(whole, readonly=True).close() is None  # the whole file is unaffected


@pytest.mark.parametrize("damage", ["middle", "cut"])
def test_match_into_a_damaged_workspace_says_so_before_matching_and_keeps_nothing(tmp_path, tmp_path_factory, damage):
    """Cold test: it learned and matched every student first, then refused, leaving a resume file."""
    from tests.support.generated import shared_upload

    files = shared_upload(tmp_path_factory, registry_size=2_000, upload_size=60, seed=3)  # read only
    ws = tmp_path / "w.sqlite"
    assert run("match", files["senr"], "--ods", files["registry"], "-w", ws).exit_code == 0
    data = bytearray(ws.read_bytes())
    if damage == "middle":
        start, end = len(data) // 4, len(data) * 3 // 4
        data[start:end] = (bytes(range(256)) * (len(data) // 256 + 1))[: end - start]
    else:
        data = data[: len(data) // 2]
    ws.write_bytes(bytes(data))
    before = ws.read_bytes()
    result = run("match", files["senr"], "--ods", files["registry"], "-w", ws)
    text = " ".join(result.output.split())
    assert result.exit_code == 2, text
    assert "w.sqlite" in text and ("may be damaged" in text or "is damaged" in text) and "Keep the file" in text
    assert "Learning weights" not in text and "Matched" not in text
    assert ws.read_bytes() == before
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".")] == []
