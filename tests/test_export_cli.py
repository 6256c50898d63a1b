"""`ssid-tui export W ...`: targets, what it prints, conflicts, and bad input as one sentence."""

from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest
from typer.testing import CliRunner

import ssid_tui.cli  # noqa: F401  (registers the commands)
from ssid_tui.cli.app import app
from ssid_tui.workspace.decisions import choose
from tests.support.cli import flat
from tests.support.results import CDE_13
from tests.support.workspaces import build_workspace, sid, small_students

runner = CliRunner()


def run(*args):
    return runner.invoke(app, ["export", *[str(a) for a in args]])


@pytest.fixture
def columns(monkeypatch):
    """Set the terminal width the CLI prints to (its console may have read COLUMNS when imported)."""
    from ssid_tui.cli.app import console

    return lambda width: monkeypatch.setattr(console, "_width", width)


@pytest.fixture
def ws_path(tmp_path) -> Path:
    ws = build_workspace(tmp_path / "w.sqlite", small_students())
    choose(ws, sid(ws, "1001"), "1234567890")
    ws.close()
    return tmp_path / "w.sqlite"


def conflict(ws_path: Path) -> None:
    from ssid_tui.workspace.store import open_workspace

    with open_workspace(ws_path) as ws:
        choose(ws, sid(ws, "1004"), "1234567890")


def test_export_to_folder_writes_all_four(ws_path, tmp_path, columns):
    columns(200)
    out = tmp_path / "out"
    out.mkdir()
    result = run(ws_path, "--to", out)
    assert result.exit_code == 0, result.output
    text = flat(result.output)
    assert "Match results 9 rows" in text
    assert "SIS import 1 SSID" in text
    assert "SENR with SSIDs 6 records, 1 given an SSID" in text
    assert "Review report 6 students" in text
    names = sorted(p.name for p in out.iterdir())
    assert names == ["upload_match_results.csv", "upload_review_report.md", "upload_sis_ssids.csv", "upload_with_ssids.txt"]
    for p in out.iterdir():
        assert stat.S_IMODE(p.stat().st_mode) == 0o600
    assert "upload_match_results.csv" in "".join(result.output.split())


def test_written_paths_stay_whole_on_a_narrow_terminal(ws_path, tmp_path, columns):
    columns(60)
    out = tmp_path / "a-folder-with-a-long-name-as-districts-make-them"
    result = run(ws_path, "--to", out)
    assert result.exit_code == 0, result.output
    lines = [line.strip() for line in result.output.splitlines()]
    for p in out.iterdir():
        assert str(p) in lines  # a path on a line of its own, never folded mid-name
    assert "Match results, 9 rows:" in lines


def test_export_single_files_and_caret(ws_path, tmp_path):
    result = run(ws_path, "--results", tmp_path / "r.txt", "--sis", tmp_path / "s.csv", "--delimiter", "caret")
    assert result.exit_code == 0, result.output
    header = (tmp_path / "r.txt").read_bytes().decode("utf-8").split("\r\n")[0]
    assert header.split("^")[:13] == CDE_13
    assert (tmp_path / "s.csv").read_bytes() == b"LocalID,SSID\r\n1001,1234567890\r\n"
    assert not (tmp_path / "upload_review_report.md").exists()


def test_explicit_file_overrides_one_of_to(ws_path, tmp_path):
    out = tmp_path / "out"
    out.mkdir()
    result = run(ws_path, "--to", out, "--sis", tmp_path / "mine.csv")
    assert result.exit_code == 0, result.output
    assert (tmp_path / "mine.csv").exists() and not (out / "upload_sis_ssids.csv").exists()
    assert len(list(out.iterdir())) == 3


def test_conflicts_refuse_with_a_list_exit_1(ws_path, tmp_path):
    conflict(ws_path)
    result = run(ws_path, "--sis", tmp_path / "s.csv", "--report", tmp_path / "r.md")
    assert result.exit_code == 1
    text = flat(result.output)
    assert "Not exported: 1 SSID is chosen for more than one student." in text
    assert "--allow-conflicts" in text
    assert "1234567890" in text and "1001, 1004" in text
    assert not (tmp_path / "s.csv").exists() and not (tmp_path / "r.md").exists()


def test_allow_conflicts_exports_and_says_who_was_left_out(ws_path, tmp_path):
    conflict(ws_path)
    result = run(ws_path, "--sis", tmp_path / "s.csv", "--report", tmp_path / "r.md", "--allow-conflicts")
    assert result.exit_code == 0, result.output
    assert "2 students whose SSID is in conflict were left unselected" in flat(result.output)
    assert (tmp_path / "s.csv").read_bytes() == b"LocalID,SSID\r\n"
    assert "| 1234567890 | 1001, 1004 |" in (tmp_path / "r.md").read_text(encoding="utf-8")


def _bad(tmp_path: Path, ws_path: Path, case: str) -> list:
    if case == "no-target":
        return [ws_path]
    if case == "missing-workspace":
        return [tmp_path / "nope.sqlite", "--sis", tmp_path / "s.csv"]
    if case == "not-a-workspace":
        junk = tmp_path / "junk.sqlite"
        junk.write_text("hello")
        return [junk, "--sis", tmp_path / "s.csv"]
    if case == "workspace-is-folder":
        return [tmp_path, "--sis", tmp_path / "s.csv"]
    if case == "to-not-a-folder":
        (tmp_path / "afile").write_text("")
        return [ws_path, "--to", tmp_path / "afile"]
    if case == "missing-output-folder":
        return [ws_path, "--results", tmp_path / "missing" / "r.csv"]
    if case == "target-is-folder":
        return [ws_path, "--report", tmp_path]
    if case == "target-is-workspace":
        return [ws_path, "--results", ws_path]
    if case == "same-file-twice":
        return [ws_path, "--results", tmp_path / "x.csv", "--sis", tmp_path / "x.csv"]
    if case == "bad-delimiter":
        return [ws_path, "--results", tmp_path / "x.csv", "--delimiter", "tab"]
    raise AssertionError(case)


MESSAGES = {
    "no-target": "say what to write",
    "missing-workspace": "does not exist",
    "not-a-workspace": "is not a workspace",
    "workspace-is-folder": "is a folder, not a workspace file",
    "to-not-a-folder": "is a file, not a folder",
    "missing-output-folder": "does not exist",
    "target-is-folder": "is a folder: give a file name for --report",
    "target-is-workspace": "is a file this command reads (an ssid-tui workspace",
    "same-file-twice": "--results and --sis name the same file",
    "bad-delimiter": "",
}


@pytest.mark.parametrize("case", list(MESSAGES))
def test_bad_input_is_one_sentence_exit_2(ws_path, tmp_path, case):
    result = run(*_bad(tmp_path, ws_path, case))
    assert result.exit_code == 2, result.output
    assert isinstance(result.exception, SystemExit)
    assert "Traceback" not in result.output
    if MESSAGES[case]:
        assert flat(result.output).startswith("Error: ")
        assert MESSAGES[case] in flat(result.output)


def test_read_only_output_folder_exit_2(ws_path, tmp_path, monkeypatch):
    out = tmp_path / "ro"
    out.mkdir()
    if os.geteuid() == 0:  # root writes anywhere: make the permission check answer as for a normal user
        import ssid_tui.files.safe as sf

        real = sf.os.access
        monkeypatch.setattr(sf.os, "access", lambda p, mode: False if Path(p) == out.resolve() else real(p, mode))
    else:
        out.chmod(0o500)
    try:
        result = run(ws_path, "--sis", out / "s.csv")
    finally:
        out.chmod(0o700)
    assert result.exit_code == 2
    assert "is not writable" in flat(result.output)
    assert list(out.iterdir()) == []


def test_write_failure_mid_export_is_one_sentence(ws_path, tmp_path, monkeypatch):
    import ssid_tui.exports.writers as ex

    def refuse(*a, **k):
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(ex, "atomic_writer", refuse)
    result = run(ws_path, "--results", tmp_path / "r.csv")
    assert result.exit_code == 2
    assert "could not write" in flat(result.output) and "Permission denied" in flat(result.output)
    assert not (tmp_path / "r.csv").exists()


def test_help_has_examples():
    result = runner.invoke(app, ["export", "--help"])
    assert result.exit_code == 0
    assert "ssid-tui export fall.sqlite --to exports/" in result.output


def test_each_target_is_checked_once_per_export(ws_path, tmp_path, monkeypatch):
    """Looked at (content read, our record consulted and the file hashed) once, not at every step of the
    export (the CLI's check, export(), the writer, the rename): a big SENR copy was hashed four times."""
    from ssid_tui.files import targets, written

    out = tmp_path / "out"
    assert run(ws_path, "--to", out).exit_code == 0  # our four files are there: a re-export replaces them
    looked: dict[str, int] = {}
    hashed: dict[str, int] = {}
    real_kind, real_wrote = targets.kind_of, written.wrote

    def kind_of(path):
        looked[Path(path).name] = looked.get(Path(path).name, 0) + 1
        return real_kind(path)

    def wrote(path):
        hashed[Path(path).name] = hashed.get(Path(path).name, 0) + 1
        return real_wrote(path)

    monkeypatch.setattr(targets, "kind_of", kind_of)
    monkeypatch.setattr(written, "wrote", wrote)
    result = run(ws_path, "--to", out)
    assert result.exit_code == 0, result.output
    names = sorted(p.name for p in out.iterdir())
    assert len(names) == 4
    assert looked == {name: 1 for name in names} and hashed == looked


def test_a_target_changed_after_its_check_is_still_not_replaced(ws_path, tmp_path, monkeypatch):
    """Checked once, but while the export writes the other files, the clerk saves the report with notes
    (same size, its time set back): its change time tells, and it is checked again and refused."""
    import ssid_tui.exports.writers as writers

    out = tmp_path / "out"
    assert run(ws_path, "--to", out).exit_code == 0
    report = next(out.glob("*report*"))
    real = writers._write_sis

    def edit_the_report_meanwhile(*args, **kwargs):
        st = report.stat()
        data = bytearray(report.read_bytes())
        data[-2] = ord("X") if data[-2] != ord("X") else ord("Y")
        report.write_bytes(bytes(data))  # a note typed in: same size
        os.utime(report, ns=(st.st_atime_ns, st.st_mtime_ns))  # and the same modification time
        return real(*args, **kwargs)

    monkeypatch.setattr(writers, "_write_sis", edit_the_report_meanwhile)
    result = run(ws_path, "--to", out)
    assert result.exit_code == 2, result.output
    assert "not one ssid-tui wrote and left unchanged" in flat(result.output) and report.name in flat(result.output)
    assert report.read_bytes()[-2:-1] in (b"X", b"Y")  # the clerk's edit is kept


def test_a_target_that_cannot_be_looked_at_is_looked_at_again(tmp_path, monkeypatch):
    """A check that could not stat the file gives an identity no later look equals: never a skipped check."""
    from ssid_tui.files import targets

    def refuse(*_a, **_k):
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(targets.os, "stat", refuse)
    assert targets.identity(tmp_path / "x.csv") != targets.identity(tmp_path / "x.csv")
