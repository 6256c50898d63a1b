"""Notes and follow-up tags without the UI: the workspace, undo, history, results file, report, import."""

from __future__ import annotations

import csv
import sqlite3
from pathlib import Path

from typer.testing import CliRunner

import ssid_tui.cli  # noqa: F401  (registers the commands)
from ssid_tui.cli.app import app
from ssid_tui.exports import writers
from ssid_tui.exports.report import build_report
from ssid_tui.exports.selections import import_selections
from ssid_tui.workspace import decisions, queue, review_notes
from ssid_tui.workspace.store import Workspace, open_workspace
from tests.support.workspaces import build_workspace, sid, small_students

runner = CliRunner()
NOTE, FOLLOW_UP = review_notes.NOTE, review_notes.FOLLOW_UP


def results(ws: Workspace, path: Path) -> list[dict[str, str]]:
    writers.write_results(ws, path)
    with open(path, newline="", encoding="utf-8") as fh:
        return list(csv.DictReader(fh))


def write_rows(path: Path, rows: list[dict[str, str]]) -> None:
    """The results rows back into the file, as a spreadsheet saves them after an edit."""
    with open(path, "w", newline="", encoding="utf-8") as fh:
        w = csv.DictWriter(fh, fieldnames=list(rows[0]))
        w.writeheader()
        w.writerows(rows)


def test_a_note_and_a_tag_are_stored_with_who_and_when_and_undone_in_turn(ws: Workspace) -> None:
    s1 = sid(ws, "1001")
    decisions.choose(ws, s1, "1234567890")
    decisions.annotate(ws, s1, NOTE, "mother called")
    decisions.annotate(ws, s1, FOLLOW_UP, review_notes.FOLLOW_UP_ON)
    s = ws.student(s1)
    assert s is not None and (s.note, s.follow_up, s.status) == ("mother called", True, "chosen")
    history = decisions.history(ws, "1001")
    assert [(c.status, c.note) for c in history[1:]] == [("note", "note: mother called"), ("follow-up", "follow-up: on")]
    assert all(c.decided_by and c.decided_at for c in history)
    step = decisions.last_step(ws)
    assert step is not None and step.statuses == {FOLLOW_UP} and not step.is_bulk
    assert decisions.undo(ws) == [s1]
    assert ws.student(s1).follow_up is False and ws.student(s1).note == "mother called"
    decisions.undo(ws)
    assert ws.student(s1).note == "" and ws.student(s1).status == "chosen"  # the decision is untouched
    decisions.undo(ws)
    assert ws.student(s1).status == "undecided"


def test_setting_the_same_note_again_is_not_a_step(ws: Workspace) -> None:
    s1 = sid(ws, "1001")
    assert decisions.annotate(ws, s1, NOTE, "x").changed == 1
    assert decisions.annotate(ws, s1, NOTE, " x ").changed == 0
    assert len(decisions.history(ws)) == 1


def test_notes_are_one_line_without_control_characters() -> None:
    assert review_notes.clean_note("a\tb\r\nc\x1b[31m\x07") == "a b c [31m"
    assert len(review_notes.clean_note("x" * 500)) == review_notes.MAX_NOTE


def test_counts_and_filters(ws: Workspace) -> None:
    decisions.annotate(ws, sid(ws, "1002"), NOTE, "twin?")
    decisions.annotate(ws, sid(ws, "1003"), FOLLOW_UP, "Y")
    c = queue.counts(ws)
    assert (c.notes, c.follow_ups) == (1, 1)
    assert queue.queue_ids(ws, "note") == [sid(ws, "1002")]
    assert queue.queue_ids(ws, "followup") == [sid(ws, "1003")]


def test_results_file_has_the_note_and_tag_on_every_row_of_the_student_formula_safe(ws: Workspace, tmp_path: Path) -> None:
    decisions.annotate(ws, sid(ws, "1002"), NOTE, "=HYPERLINK(\"http://x\")")
    decisions.annotate(ws, sid(ws, "1002"), FOLLOW_UP, "Y")
    rows = [r for r in results(ws, tmp_path / "r.csv") if r["Submitted_SENR_LocalID"] == "1002"]
    assert len(rows) == 2
    assert {r["Review_Note"] for r in rows} == {"'=HYPERLINK(\"http://x\")"}
    assert {r["Review_FollowUp"] for r in rows} == {"Y"}
    others = [r for r in results(ws, tmp_path / "r2.csv") if r["Submitted_SENR_LocalID"] != "1002"]
    assert {(r["Review_Note"], r["Review_FollowUp"]) for r in others} == {("", "")}


def test_import_selections_reads_notes_and_tags_back_as_one_undoable_step(ws: Workspace, tmp_path: Path) -> None:
    decisions.annotate(ws, sid(ws, "1005"), NOTE, "old note")
    path = tmp_path / "r.csv"
    rows = results(ws, path)
    for r in rows:
        if r["Submitted_SENR_LocalID"] == "1001":
            r["Selection"], r["Review_Note"], r["Review_FollowUp"] = "X", "'=1+1 checked with school", "y"
        if r["Submitted_SENR_LocalID"] == "1005":
            r["Review_Note"] = "new note"
    write_rows(path, rows)
    result = import_selections(ws, path)
    assert not result.plan.problems
    s1, s5 = ws.student(sid(ws, "1001")), ws.student(sid(ws, "1005"))
    assert (s1.status, s1.note, s1.follow_up) == ("chosen", "=1+1 checked with school", True)
    assert s5.note == "new note"
    step = decisions.last_step(ws)
    assert step is not None and step.source == "import" and step.students == 2
    decisions.undo(ws)
    s1, s5 = ws.student(sid(ws, "1001")), ws.student(sid(ws, "1005"))
    assert (s1.status, s1.note, s1.follow_up, s5.note) == ("undecided", "", False, "old note")


def test_import_reports_rows_that_disagree_and_bad_tags(ws: Workspace, tmp_path: Path) -> None:
    path = tmp_path / "r.csv"
    rows = results(ws, path)
    lopez = [r for r in rows if r["Submitted_SENR_LocalID"] == "1002"]
    lopez[0]["Review_Note"], lopez[1]["Review_Note"] = "a", "b"
    next(r for r in rows if r["Submitted_SENR_LocalID"] == "1001")["Review_FollowUp"] = "maybe"
    write_rows(path, rows)
    plan = import_selections(ws, path, dry_run=True).plan
    messages = {p.local_id: p.message for p in plan.problems}
    assert "differ in Review_Note" in messages["1002"]
    assert "'maybe' is not Y, N or blank" in messages["1001"]


def test_an_older_file_s_blank_cells_keep_notes_and_tags_added_since(ws: Workspace, tmp_path: Path) -> None:
    """Cold test: a results file exported before a note or tag existed wiped them when imported again."""
    path = tmp_path / "old.csv"
    rows = results(ws, path)  # exported first: no notes, no tags
    decisions.annotate(ws, sid(ws, "1001"), NOTE, "called the school")
    decisions.annotate(ws, sid(ws, "1005"), FOLLOW_UP, review_notes.FOLLOW_UP_ON)
    for r in rows:
        if r["Submitted_SENR_LocalID"] == "1002":
            r["Review_FollowUp"] = "Y"  # a tag the sheet does add
    write_rows(path, rows)
    result = import_selections(ws, path)
    assert not result.plan.problems
    assert ws.student(sid(ws, "1001")).note == "called the school"
    assert ws.student(sid(ws, "1005")).follow_up is True
    assert ws.student(sid(ws, "1002")).follow_up is True
    # an explicit N turns a tag off
    path = tmp_path / "new.csv"
    rows = results(ws, path)
    for r in rows:
        if r["Submitted_SENR_LocalID"] == "1005":
            r["Review_FollowUp"] = "N"
    write_rows(path, rows)
    import_selections(ws, path)
    assert ws.student(sid(ws, "1005")).follow_up is False


def test_a_file_without_the_note_columns_leaves_notes_alone(ws: Workspace, tmp_path: Path) -> None:
    decisions.annotate(ws, sid(ws, "1001"), NOTE, "keep me")
    path = tmp_path / "r.csv"
    path.write_text("Selection,Submitted_SENR_LocalID,Result_SENR_SSID\r\nX,1001,1234567890\r\n", encoding="utf-8")
    import_selections(ws, path)
    assert ws.student(sid(ws, "1001")).note == "keep me"


def test_report_lists_notes_follow_ups_and_none_despite_a_likely_candidate(ws: Workspace) -> None:
    decisions.mark_none(ws, sid(ws, "1001"))  # its candidate scores 97
    decisions.mark_none(ws, sid(ws, "1003"))  # a No Match: not listed
    decisions.annotate(ws, sid(ws, "1002"), NOTE, "call | family")
    decisions.annotate(ws, sid(ws, "1006"), FOLLOW_UP, "Y")
    text, _n = build_report(ws)
    section = text.split("## None of these, despite a candidate scoring 50+")[1].split("##")[0]
    assert "| 1001 | GARCIA, MARIA | 97 |" in section and "1003" not in section
    assert "1 student will get a new SSID" in section
    notes = text.split("## Notes and follow-ups")[1].split("##")[0]
    assert "| 1006 | KIM, EMMA | yes |  |" in notes and "call \\| family" in notes


def test_history_cli_shows_notes_escaped(small_ws_path: Path) -> None:
    with open_workspace(small_ws_path) as ws:
        decisions.annotate(ws, sid(ws, "1001"), NOTE, "[red]see file[/red]")
    result = runner.invoke(app, ["history", str(small_ws_path)], env={"COLUMNS": "160", "NO_COLOR": "1"})
    assert result.exit_code == 0, result.output
    assert "note: [red]see" in result.output and "file[/red]" in result.output  # as typed, not as markup


def test_a_version_1_workspace_opens_and_gets_the_new_tables(tmp_path: Path) -> None:
    path = tmp_path / "old.sqlite"
    build_workspace(path, small_students()).close()
    con = sqlite3.connect(path)
    for table in ("annotation", "annotation_change", "upload_duplicate"):
        con.execute(f"DROP TABLE {table}")
    con.commit()
    con.close()
    with open_workspace(path, readonly=True) as ws:  # read-only: empty stand-ins, nothing written
        assert ws.student(1).note == "" and queue.counts(ws).duplicates == 0
    con = sqlite3.connect(path)
    assert not con.execute("SELECT 1 FROM sqlite_master WHERE name = 'annotation'").fetchone()
    con.close()
    with open_workspace(path) as ws:
        decisions.annotate(ws, 1, NOTE, "works")
        assert ws.student(1).note == "works"


def test_import_names_the_notes_it_had_to_change_to_fit(small_ws_path: Path, tmp_path: Path) -> None:
    """cold test: a note with control characters, or longer than a note holds, was changed without a word."""
    path = tmp_path / "r.csv"
    with open_workspace(small_ws_path) as ws:
        rows = results(ws, path)
    for r in rows:
        r["Review_Note"] = {"1001": "=HYPERLINK(\"evil\")\x1b[31m", "1002": "N" * 300,
                            "1005": "checked with school"}.get(r["Submitted_SENR_LocalID"], "")
    write_rows(path, rows)
    result = runner.invoke(app, ["import-selections", str(small_ws_path), str(path)],
                           env={"COLUMNS": "160", "NO_COLOR": "1"})
    assert result.exit_code == 0, result.output
    assert "\x1b" not in result.output
    out = " ".join(result.output.split())
    assert "2 notes taken as one line of at most 200 characters" in out
    lines = {ln.split(",")[1].strip() for ln in result.output.splitlines() if ln.strip().startswith("line ")}
    assert lines == {"local ID 1001: line breaks or control characters became spaces",
                     "local ID 1002: cut to 200 characters"}
    with open_workspace(small_ws_path, readonly=True) as ws:
        assert ws.student(sid(ws, "1002")).note == "N" * 200
        assert ws.student(sid(ws, "1005")).note == "checked with school"
