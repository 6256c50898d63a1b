"""ods load / match / find through the CLI, from the fixtures, and every kind of bad input."""

from __future__ import annotations

import os
import shutil
import sqlite3
import stat
from pathlib import Path

import pytest
from typer.testing import CliRunner

import ssid_tui.cli  # noqa: F401  (registers the commands)
from ssid_tui.cli.app import app
from ssid_tui.workspace import decisions
from ssid_tui.workspace.store import open_workspace
from tests.support.registries import sample_registry

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures"
runner = CliRunner()


def run(*args: object):
    return runner.invoke(app, [str(a) for a in args], env={"COLUMNS": "100", "NO_COLOR": "1"})


@pytest.fixture()
def registry(tmp_path, tmp_path_factory) -> Path:
    """The sample registry: loaded once per run (which checks it loads 1,539 students), copied here."""
    return sample_registry(tmp_path_factory, tmp_path / "reg.sqlite")


def test_match_from_fixtures_writes_an_owner_only_workspace(tmp_path, registry):
    ws = tmp_path / "w.sqlite"
    result = run("match", FIXTURES / "senr_clean.txt", "--ods", registry, "--workspace", ws)
    assert result.exit_code == 0, result.output
    assert "Matched 40 students" in result.output
    assert "Single Match 35" in result.output and "No Match 5" in result.output
    assert stat.S_IMODE(os.stat(ws).st_mode) == 0o600
    with open_workspace(ws, readonly=True) as w:
        run_row = w.latest_run()
        assert run_row["senr_layout"]["delimiter"] == "^" and run_row["senr_layout"]["newline"] == "\r\n"
        assert len(run_row["senr_sha256"]) == 64 and run_row["settings"]["min_score"] == 10
        students = w.all_students()
        assert len(students) == 40 and students[0].raw.endswith("\r\n")
        # the twins planted in the registry are not offered
        assert all("TWIN" not in c.first for s in students for c in w.candidates(s.id))


def test_the_next_command_is_quoted_for_pasting(tmp_path, registry):
    """Cold test: `Next: ssid-tui review my fall*.sqlite` was a shell glob when pasted."""
    ws = tmp_path / "my fall*.sqlite"
    result = run("match", FIXTURES / "senr_clean.txt", "--ods", registry, "--workspace", ws)
    assert result.exit_code == 0, result.output
    assert f"Next: ssid-tui review '{ws}'" in " ".join(result.output.split())


def test_the_csv_shape_of_the_same_file_matches_the_same_way(tmp_path, registry):
    a, b = tmp_path / "a.sqlite", tmp_path / "b.sqlite"
    assert run("match", FIXTURES / "senr_clean.txt", "--ods", registry, "-w", a).exit_code == 0
    assert run("match", FIXTURES / "senr_clean.csv", "--ods", registry, "-w", b).exit_code == 0
    q = "SELECT s.local_id, c.ssid, c.score FROM student s JOIN candidate c ON c.student_id = s.id ORDER BY 1, 2"
    assert sqlite3.connect(a).execute(q).fetchall() == sqlite3.connect(b).execute(q).fetchall()


def test_matching_again_keeps_decisions_of_unchanged_records(tmp_path, registry):
    senr = tmp_path / "upload.txt"
    shutil.copy(FIXTURES / "senr_clean.txt", senr)
    ws = tmp_path / "w.sqlite"
    assert run("match", senr, "--ods", registry, "-w", ws).exit_code == 0
    with open_workspace(ws) as w:
        first, second = w.all_students()[:2]
        decisions.choose(w, first.id, w.candidates(first.id)[0].ssid)
        decisions.choose(w, second.id, w.candidates(second.id)[0].ssid)
    lines = senr.read_bytes().split(b"\r\n")
    lines[1] = lines[1].replace(b"20100922", b"20100923")  # the second student's birth date corrected
    senr.write_bytes(b"\r\n".join(lines))
    result = run("match", senr, "--ods", registry, "-w", ws)
    assert result.exit_code == 0, result.output
    assert "Earlier decisions kept: 1" in result.output and "record changed: 1" in result.output
    with open_workspace(ws) as w:
        assert w.student_by_local_id(first.local_id).status == "chosen"
        assert w.student_by_local_id(second.local_id).status == "undecided"
        assert any(h.source == "rematch" for h in decisions.history(w, second.local_id))


def test_a_file_with_errors_is_not_matched_and_writes_no_workspace(tmp_path, registry):
    senr = tmp_path / "bad.txt"
    shutil.copy(FIXTURES / "senr_errors.txt", senr)
    result = run("match", senr, "--ods", registry, "-w", tmp_path / "w.sqlite")
    assert result.exit_code == 1
    assert "no workspace was written" in result.output
    assert not (tmp_path / "w.sqlite").exists()
    assert (tmp_path / "bad.txt.errors.csv").exists()


@pytest.mark.parametrize(
    ("make", "says"),
    [
        (lambda p: None, "does not exist"),
        (lambda p: p.write_bytes(b"\x00garbage" * 500), "not a registry"),
    ],
)
def test_bad_registry_gets_one_sentence(tmp_path, make, says):
    reg = tmp_path / "reg.sqlite"
    make(reg)
    result = run("match", FIXTURES / "senr_clean.txt", "--ods", reg, "-w", tmp_path / "w.sqlite")
    assert result.exit_code == 2 and says in result.output and "Traceback" not in result.output


def test_a_workspace_that_is_not_one_is_refused_and_left_alone(tmp_path, registry):
    other = tmp_path / "notes.sqlite"
    sqlite3.connect(other).execute("CREATE TABLE notes (t TEXT)").connection.commit()
    before = other.read_bytes()
    result = run("match", FIXTURES / "senr_clean.txt", "--ods", registry, "-w", other)
    assert result.exit_code == 2 and "an SQLite database ssid-tui did not write" in result.output
    assert other.read_bytes() == before


def test_a_read_only_folder_for_the_workspace(tmp_path, registry, monkeypatch):
    monkeypatch.setattr("ssid_tui.files.safe.can_write", lambda path, folder=True: False)
    result = run("match", FIXTURES / "senr_clean.txt", "--ods", registry, "-w", tmp_path / "new" / "w.sqlite")
    assert result.exit_code == 2 and "does not exist" in result.output and "Traceback" not in result.output
    result = run("match", FIXTURES / "senr_clean.txt", "--ods", registry, "-w", tmp_path / "w.sqlite")
    assert result.exit_code == 2 and "not writable" in result.output


def test_ods_load_names_bad_lines_and_keeps_the_registry(tmp_path, registry):
    before = registry.read_bytes()
    bad = tmp_path / "bad.txt"
    bad.write_text((FIXTURES / "ods_sample.txt").read_text(encoding="utf-8") + "123^x\n", encoding="utf-8")
    result = run("ods", "load", bad, "--into", registry)
    assert result.exit_code == 1
    assert "line 1679" in result.output and "is as it was" in " ".join(result.output.split())
    assert registry.read_bytes() == before


def test_find_one_student_with_explanations(registry):
    result = run("find", "--last", "Nunez", "--first", "Jose", "--birth-date", "20120314", "--gender", "M",
                 "--ods", registry)
    assert result.exit_code == 0, result.output
    assert "Single Match" in result.output and "First name" in result.output and "exact" in result.output


def test_find_refuses_a_bad_date(registry):
    result = run("find", "--last", "X", "--first", "Y", "--birth-date", "14/03/2012", "--ods", registry)
    assert result.exit_code == 2 and "CCYYMMDD" in result.output


@pytest.mark.parametrize("date", ["2014-13-45", "20141345", "20150229", "20140431"])
def test_find_refuses_a_date_the_calendar_does_not_have(registry, date):
    result = run("find", "--last", "Gibson", "--first", "Aubrey", "--birth-date", date, "--ods", registry)
    assert result.exit_code == 2, result.output
    assert "not a date of the calendar" in " ".join(result.output.split())


def test_ctrl_c_during_ods_load_says_the_registry_is_as_it_was(tmp_path, registry, monkeypatch):
    import ssid_tui.cli.ods as ods_cli

    before = registry.read_bytes()

    def interrupted(*_args, **_kwargs):
        raise KeyboardInterrupt

    monkeypatch.setattr(ods_cli, "load_extract", interrupted)
    result = run("ods", "load", FIXTURES / "ods_sample.txt", "--into", registry)
    assert result.exit_code == 130
    assert "Interrupted: nothing was loaded" in " ".join(result.output.split())
    assert registry.read_bytes() == before


def test_a_run_stores_its_weights_and_status_prints_them(tmp_path, registry):
    ws = tmp_path / "w.sqlite"
    assert run("match", FIXTURES / "senr_clean.txt", "--ods", registry, "--workspace", ws).exit_code == 0
    with open_workspace(ws, readonly=True) as w:
        stored = w.latest_run()["settings"]["weights"]
    first = next(f for f in stored["fields"] if f["field"] == "first")
    assert [lv["level"] for lv in first["levels"]][:2] == ["exact", "compact"]
    assert first["levels"][0]["m"] == 0.85 and first["levels"][0]["u"] == "registry frequency"
    result = runner.invoke(app, ["status", str(ws), "--weights"], env={"COLUMNS": "200"})
    assert result.exit_code == 0, result.output
    text = " ".join(result.output.split())
    assert "Birth date" in text and "day and month swapped" in text and "+6.00" in text
    assert "Names cap" in text and "-10.00" in text  # a different first name
    assert "different" not in run("status", ws).output  # only with --weights


def test_an_empty_file_given_as_the_workspace_becomes_an_owner_only_workspace(tmp_path, registry):
    ws = tmp_path / "w.sqlite"
    ws.touch(mode=0o644)  # `touch w.sqlite` first, as some users do
    os.chmod(ws, 0o644)
    result = run("match", FIXTURES / "senr_clean.txt", "--ods", registry, "--workspace", ws)
    assert result.exit_code == 0, result.output
    assert "Matched 40 students" in result.output
    assert stat.S_IMODE(ws.stat().st_mode) == 0o600
    with open_workspace(ws, readonly=True) as w:
        assert len(w.all_students()) == 40


@pytest.mark.parametrize("command", [["status"], ["history"], ["export", "--to", "out"]])
def test_an_empty_file_is_said_to_be_empty_not_an_sqlite_file(tmp_path, command):
    ws = tmp_path / "w.sqlite"
    ws.touch()
    result = run(command[0], ws, *command[1:])
    assert result.exit_code == 2
    flat = " ".join(result.output.split())
    assert f"{ws} is empty" in flat and "SQLite file" not in flat
    assert ws.stat().st_size == 0


def test_a_failed_load_says_what_became_of_the_registry_and_how_to_fix_the_extract(tmp_path, registry):
    # it said "the registry in use is unchanged" when there was none, with no fix, lines out of order (cold test)
    lines = (FIXTURES / "ods_sample.txt").read_text(encoding="utf-8").splitlines()
    lines[7] = "^".join(lines[7].split("^")[:5])  # a line cut short
    cut = tmp_path / "cut.txt"
    cut.write_text("\n".join(lines[:40]) + "\n" + lines[40][:30], encoding="utf-8")  # and the file cut mid-line
    result = run("ods", "load", cut, "--into", tmp_path / "new.sqlite")
    assert result.exit_code == 1, result.output
    out = " ".join(result.output.split())
    assert "2 malformed lines; nothing was loaded and no registry was made" in out, out
    assert "Ask for the ODS extract again" in out
    assert out.index("line 8:") < out.index("line 41:")
    assert not (tmp_path / "new.sqlite").exists()
    before = registry.read_bytes()
    out = " ".join(run("ods", "load", cut, "--into", registry).output.split())
    assert f"{registry} is as it was" in out and registry.read_bytes() == before, out
