"""`ssid-tui status W`: a short summary of where the review stands."""

from __future__ import annotations

import pytest
from typer.testing import CliRunner

import ssid_tui.cli  # noqa: F401  (registers the commands)
from ssid_tui.cli.app import app
from ssid_tui.workspace.decisions import choose, mark_none, skip
from tests.support.cli import flat
from tests.support.workspaces import build_workspace, sid, small_students

runner = CliRunner()


def run(*args):
    return runner.invoke(app, ["status", *[str(a) for a in args]])


def test_status_summary(tmp_path):
    ws = build_workspace(tmp_path / "w.sqlite", small_students())
    choose(ws, sid(ws, "1001"), "1234567890")
    mark_none(ws, sid(ws, "1003"))
    skip(ws, sid(ws, "1005"))
    ws.close()
    result = run(tmp_path / "w.sqlite")
    assert result.exit_code == 0, result.output
    text = flat(result.output)
    assert "SENR file upload.txt (^-delimited, UTF-8)" in text
    assert "Registry registry.sqlite" in text
    assert "Matched 2026-11-28 10:00:00, finished 2026-11-28 10:00:05" in text
    assert "Students 6: 3 Single Match, 2 Multiple Match, 1 No Match" in text
    assert "Decided 2 (1 with an SSID chosen, 1 none of these)" in text
    assert "Left 4 (1 skipped)" in text
    assert "Conflicts none" in text
    # best scores 97 (1001, chosen), 91 (1004), 95 (1006): 3 at 90+, 2 undecided; 1004's SSID is
    # already 1001's, so bulk accept holds it back
    assert "3 students' best candidate scores 90 or more; 2 of them undecided (0 Single Matches that bulk accept at 90 would take)" in text


def test_status_names_conflicts(tmp_path):
    ws = build_workspace(tmp_path / "w.sqlite", small_students())
    choose(ws, sid(ws, "1001"), "1234567890")
    choose(ws, sid(ws, "1004"), "1234567890")
    ws.close()
    text = flat(run(tmp_path / "w.sqlite").output)
    assert "Conflicts 1 SSID chosen for more than one student (1234567890: 1001, 1004): export refuses until resolved" in text


@pytest.mark.parametrize(("name", "message"), [("nope.sqlite", "does not exist"), ("junk.txt", "is not a workspace"), (".", "is a folder")])
def test_status_bad_input(tmp_path, name, message):
    (tmp_path / "junk.txt").write_text("not sqlite")
    result = run(tmp_path / name)
    assert result.exit_code == 2
    assert isinstance(result.exception, SystemExit)
    assert flat(result.output).startswith("Error: ") and message in flat(result.output)


def test_weights_of_a_run_that_stored_none_and_hostile_stored_text(tmp_path):
    build_workspace(tmp_path / "w.sqlite", small_students()).close()
    result = run(tmp_path / "w.sqlite", "--weights")
    assert result.exit_code == 0 and "stored none" in flat(result.output)
    import json
    import sqlite3
    hostile = {"fields": [{"field": "first", "label": "[red]First[/red]",
                           "levels": [{"level": "exact[/]", "rule": "\x1b[2Jrule", "weight": 1.5}]}], "adjustments": []}
    conn = sqlite3.connect(tmp_path / "w.sqlite")
    conn.execute("UPDATE run SET settings = ?", (json.dumps({"weights": hostile}),))
    conn.commit()
    conn.close()
    result = run(tmp_path / "w.sqlite", "--weights")
    assert result.exit_code == 0, result.output
    assert "[red]First[/red]" in result.output and "exact[/]" in result.output and "+1.50" in result.output
