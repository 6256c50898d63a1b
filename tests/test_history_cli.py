"""`ssid-tui history W [--local-id ID]`: the decision log as a table, with undo marks."""

from __future__ import annotations

import re

import pytest
from typer.testing import CliRunner

import ssid_tui.cli  # noqa: F401  (registers the commands)
from ssid_tui.cli.app import app
from ssid_tui.workspace.decisions import choose, mark_none, record_many, undo
from tests.support.cli import flat
from tests.support.workspaces import build_workspace, sid, small_students

runner = CliRunner()


def run(*args):
    return runner.invoke(app, ["history", *[str(a) for a in args]])


@pytest.fixture
def ws_path(tmp_path, monkeypatch):
    import ssid_tui.workspace.decisions

    monkeypatch.setattr(ssid_tui.workspace.decisions, "reviewer", lambda: "ana")  # the login name recorded as "who"
    ws = build_workspace(tmp_path / "w.sqlite", small_students())
    choose(ws, sid(ws, "1001"), "1234567890")                 # step 1
    mark_none(ws, sid(ws, "1003"))                            # step 2
    choose(ws, sid(ws, "1002"), "2234567891")                 # step 3
    choose(ws, sid(ws, "1002"), "2234567890")                 # step 4 replaces step 3
    record_many(ws, [(sid(ws, "1006"), "chosen", "4234567890"), (sid(ws, "1005"), "skipped", None)],
                source="import", note="import of m.csv")  # step 5
    undo(ws)                                                  # step 6 undoes step 5
    ws.close()
    return tmp_path / "w.sqlite"


def test_history_table(ws_path):
    result = run(ws_path)
    assert result.exit_code == 0, result.output
    out = result.output
    assert "Decision history" in out
    for name in ("Step", "When", "Who", "Local ID", "Decision", "SSID", "Replaced", "Source", "Undo"):
        assert name in out
    text = flat(out)
    # the terminal is 80 columns wide in tests: the time and long labels wrap onto a second line
    assert re.search(r"\b1 \d{4}-\d\d-\d\d ana 1001 chosen 1234567890 - app", text)
    assert re.search(r"\b2 \d{4}-\d\d-\d\d ana 1003 none of - app", text)
    # step 4 replaced the SSID chosen in step 3
    assert re.search(r"\b4 \d{4}-\d\d-\d\d ana 1002 chosen 2234567890 2234567891 app", text)
    # the imported step is marked undone, and the undo says what it undid
    assert re.search(r"\b5 \d{4}-\d\d-\d\d ana 1006 chosen 4234567890 - import undone", text)
    assert re.search(r"\b6 \d{4}-\d\d-\d\d ana 1006 cleared 4234567890 undo undoes 5", text)
    assert "Step 5: import of m.csv" in text


def test_history_of_one_student(ws_path):
    result = run(ws_path, "--local-id", "1002")
    assert result.exit_code == 0
    text = flat(result.output)
    assert "Decision history of 1002" in text
    assert "1001" not in text and "1003" not in text
    assert text.count("1002 chosen") == 2


def test_history_last_n(ws_path):
    result = run(ws_path, "--last", "2")
    assert result.exit_code == 0
    assert "Showing the last 2 of 8 changes" in flat(result.output)


def test_history_empty(tmp_path):
    build_workspace(tmp_path / "w.sqlite", small_students()).close()
    result = run(tmp_path / "w.sqlite")
    assert result.exit_code == 0
    assert "No decisions recorded yet." in result.output
    result = run(tmp_path / "w.sqlite", "--local-id", "1001")
    assert result.exit_code == 0
    assert "No decisions recorded for local ID 1001 yet." in flat(result.output)


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["{tmp}/nope.sqlite"], "does not exist"),
        (["{tmp}/junk.txt"], "is not a workspace"),
        (["{tmp}"], "is a folder"),
        (["{ws}", "--local-id", "4242"], "local ID 4242 is not in this workspace"),
        (["{ws}", "--local-id", ""], "--local-id needs a student's local ID: '' is empty."),
        (["{ws}", "--local-id", " "], "--local-id needs a student's local ID: ' ' is blank."),
    ],
)
def test_history_bad_input(ws_path, tmp_path, args, message):
    (tmp_path / "junk.txt").write_text("not sqlite")
    result = run(*[a.format(tmp=tmp_path, ws=ws_path) for a in args])
    assert result.exit_code == 2
    assert isinstance(result.exception, SystemExit)
    assert message in flat(result.output)


def test_a_long_note_is_cut_between_characters_never_inside_markup_or_a_control_name(tmp_path):
    ws = build_workspace(tmp_path / "w.sqlite", small_students())
    # the history prints a step's note cut at 2,000 characters: here the cut falls on `[bold]`, then on an ESC
    at_markup = "x" * 1997 + "[bold]BOLD[/bold]" + "y" * 50
    at_escape = "z" * 1996 + "\x1b[31mRED" + "y" * 50
    record_many(ws, [(sid(ws, "1001"), "chosen", "1234567890")], source="import", note=at_markup)
    record_many(ws, [(sid(ws, "1002"), "chosen", "2234567890")], source="import", note=at_escape)
    ws.close()
    result = run(tmp_path / "w.sqlite")
    assert result.exit_code == 0, result.output
    lines = {line.split(":")[0]: line for line in result.output.splitlines() if line.startswith("Step ")}
    assert lines["Step 1"] == f"Step 1: {'x' * 1997}~ ({len(at_markup):,} characters)"
    assert lines["Step 2"] == f"Step 2: {'z' * 1996}~ ({len(at_escape):,} characters)"
    assert "\x1b" not in result.output
