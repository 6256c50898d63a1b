"""Issue 8, point 2: `ssid-tui demo` replaces only files it made, and reopens its own demo."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from typer.testing import CliRunner

import ssid_tui.cli  # noqa: F401  (registers the commands)
from ssid_tui.cli.app import app
from ssid_tui.workspace import decisions
from ssid_tui.workspace.store import open_workspace
from tests.support.cli import flat

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures"
SMALL = ["--registry-size", "2000", "--students", "40", "--no-review"]
runner = CliRunner()


def demo(folder: Path, *extra: str, stdin: str | None = None):
    return runner.invoke(app, ["demo", "--dir", str(folder), *SMALL, *extra], input=stdin,
                         env={"COLUMNS": "300", "NO_COLOR": "1"})


def decide_one(folder: Path) -> None:
    with open_workspace(folder / "upload.workspace.sqlite") as ws:
        decisions.mark_none(ws, ws.all_students()[0].id)


def decided(folder: Path) -> int:
    with open_workspace(folder / "upload.workspace.sqlite", readonly=True) as ws:
        return ws.conn.execute("SELECT COUNT(*) FROM decision").fetchone()[0]


@pytest.mark.parametrize("name", ["registry.sqlite", "upload.workspace.sqlite", "ods_extract.txt", "senr_upload.txt"])
def test_demo_never_replaces_a_file_it_did_not_make(tmp_path, name):
    folder = tmp_path / "d"
    folder.mkdir()
    real = folder / name
    source = {"registry.sqlite": None, "upload.workspace.sqlite": None,
              "ods_extract.txt": FIXTURES / "ods_sample.txt", "senr_upload.txt": FIXTURES / "senr_clean.txt"}[name]
    if source is None:  # a real registry or workspace of the district's
        assert runner.invoke(app, ["ods", "load", str(FIXTURES / "ods_sample.txt"), "--into", str(tmp_path / "r.sqlite")]).exit_code == 0
        if name == "registry.sqlite":
            shutil.copy(tmp_path / "r.sqlite", real)
        else:
            assert runner.invoke(app, ["match", str(FIXTURES / "senr_clean.txt"), "--ods", str(tmp_path / "r.sqlite"),
                                       "-w", str(real)]).exit_code == 0
    else:
        shutil.copy(source, real)
    before = real.read_bytes()
    result = demo(folder)
    assert result.exit_code == 2
    assert f"{real} is" in flat(result.output) and "did not make" in flat(result.output)
    assert real.read_bytes() == before
    assert sorted(p.name for p in folder.iterdir() if not p.name.endswith(".lock")) == [name]


def test_running_the_demo_again_reopens_it_with_its_decisions(tmp_path):
    folder = tmp_path / "d"
    first = demo(folder)
    assert first.exit_code == 0 and "`--fresh` starts over" in flat(first.output)
    assert folder.stat().st_mode & 0o777 == 0o700  # a new demo folder is its owner's only
    assert {p.name: p.stat().st_mode & 0o777 for p in folder.iterdir() if p.suffix in (".txt", ".csv", ".sqlite")} == {
        p.name: 0o600 for p in folder.iterdir() if p.suffix in (".txt", ".csv", ".sqlite")}
    decide_one(folder)
    again = demo(folder)
    assert again.exit_code == 0, again.output
    assert "Reopening the demo" in again.output and "1 of 40 students decided" in flat(again.output)
    assert decided(folder) == 1


def test_fresh_asks_before_discarding_decisions(tmp_path):
    folder = tmp_path / "d"
    assert demo(folder).exit_code == 0
    decide_one(folder)
    no_terminal = demo(folder, "--fresh")  # CliRunner's stdin is not a terminal
    assert no_terminal.exit_code == 2 and "add --yes" in flat(no_terminal.output)
    assert decided(folder) == 1
    assert demo(folder, "--fresh", "--yes").exit_code == 0
    assert decided(folder) == 0


def test_fresh_still_refuses_files_the_demo_did_not_make(tmp_path):
    folder = tmp_path / "d"
    assert demo(folder).exit_code == 0
    (folder / "registry.sqlite").unlink()
    shutil.copy(FIXTURES / "ods_sample.txt", folder / "registry.sqlite")  # someone's file under that name
    result = demo(folder, "--fresh", "--yes")
    assert result.exit_code == 2 and "was changed or replaced since `ssid-tui demo` made it" in flat(result.output)
    assert (folder / "registry.sqlite").read_bytes() == (FIXTURES / "ods_sample.txt").read_bytes()


def test_fresh_refuses_while_the_demo_is_open_in_the_review_app_and_changes_nothing(tmp_path):
    from ssid_tui.files.lock import acquire

    folder = tmp_path / "d"
    assert demo(folder).exit_code == 0
    decide_one(folder)
    before = {p.name: p.stat().st_ino for p in folder.iterdir()}
    with acquire(folder / "upload.workspace.sqlite"):  # the review app holds it
        result = demo(folder, "--fresh", "--yes")
    assert result.exit_code == 2
    assert "open in the review app" in flat(result.output) and "close it there first" in flat(result.output)
    assert {p.name: p.stat().st_ino for p in folder.iterdir()} == before
    assert decided(folder) == 1


def test_a_demo_run_that_fails_after_making_its_files_can_be_run_again(tmp_path, monkeypatch):
    import ssid_tui.cli.demo as demo_cli
    from ssid_tui.workspace.store import WorkspaceError

    folder = tmp_path / "d"

    def failing_match(*args, **kwargs):
        raise WorkspaceError("the match failed half way")

    monkeypatch.setattr(demo_cli, "match_file", failing_match)
    failed = demo(folder)
    assert failed.exit_code == 2 and "half way" in failed.output
    monkeypatch.undo()
    again = demo(folder)  # its own files from the failed run are not "files the demo did not make"
    assert again.exit_code == 0, again.output
    assert decided(folder) == 0 and (folder / "upload.workspace.sqlite").exists()


def test_refusing_a_plain_file_names_it_once(tmp_path):
    folder = tmp_path / "d"
    folder.mkdir()
    (folder / "senr_upload.txt").write_text("my notes\n", encoding="utf-8")
    result = demo(folder)
    assert result.exit_code == 2
    assert "senr_upload.txt is a file that `ssid-tui demo` did not make" in flat(result.output)
    assert "ssid-tui did not write" not in flat(result.output)


@pytest.mark.parametrize("step", ["load_extract", "match_file"])
def test_ctrl_c_in_the_demo_says_so_and_a_second_run_makes_it(tmp_path, monkeypatch, step):
    # Ctrl-C exited 130 with the progress line wiped and nothing said (cold test)
    import ssid_tui.cli.demo as demo_module

    def interrupted(*args, **kwargs):
        raise KeyboardInterrupt

    with monkeypatch.context() as m:
        m.setattr(demo_module, step, interrupted)
        result = demo(tmp_path / "d")
    assert result.exit_code == 130
    assert "Interrupted: the demo was not finished; run `ssid-tui demo` again" in flat(result.output)
    again = demo(tmp_path / "d")
    assert again.exit_code == 0, again.output
    assert (tmp_path / "d" / "upload.workspace.sqlite").exists()


@pytest.mark.parametrize("where", ["mine.csv", "mine.csv/sub"])
def test_a_dir_that_is_a_file_or_lies_under_one_is_refused_by_name(tmp_path, where):
    """cold test: --dir naming a file stopped on an internal error (FileExistsError, NotADirectoryError)."""
    (tmp_path / "mine.csv").write_text("a,b\n")
    result = demo(tmp_path / where)
    assert result.exit_code == 2, result.output
    assert "mine.csv is a file, not a folder: give --dir a folder" in flat(result.output)
    assert (tmp_path / "mine.csv").read_text() == "a,b\n"


def _fresh_in_a_terminal(folder: Path):
    """`ssid-tui demo --fresh` started in a pseudo-terminal, as a person at a keyboard runs it."""
    import os
    import subprocess
    import sys

    root = Path(__file__).resolve().parent.parent
    master, slave = os.openpty()
    env = {**os.environ, "COLUMNS": "200", "NO_COLOR": "1", "PYTHONPATH": str(root)}
    code = "import sys; from ssid_tui.cli import main; sys.argv = ['ssid-tui', *sys.argv[1:]]; main()"
    proc = subprocess.Popen([sys.executable, "-c", code, "demo", "--dir", str(folder), *SMALL, "--fresh"],
                            stdin=slave, stdout=slave, stderr=slave, env=env, start_new_session=True)
    os.close(slave)
    return proc, master


def _read(master: int, proc, until: str | None, timeout: float = 30.0) -> str:
    """What the terminal shows, read until `until` appears (or, with None, until the process ends)."""
    import os
    import select
    import time

    out = b""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if until is not None and until in out.decode("utf-8", "replace"):
            break
        if until is None and proc.poll() is not None and not select.select([master], [], [], 0.2)[0]:
            break
        if select.select([master], [], [], 0.05)[0]:
            try:
                chunk = os.read(master, 65536)
            except OSError:
                if until is None:
                    proc.wait(timeout=10)
                break
            out += chunk
    return out.decode("utf-8", "replace")


@pytest.mark.parametrize("answer", ["ctrl-c", "n", "ctrl-d"])
def test_fresh_question_at_a_terminal_ends_in_one_sentence_never_clicks_aborted(tmp_path, answer):
    """Ctrl-C at "Start the demo over?" is an interrupt like any other (one sentence, exit 130);
    "no" (or Ctrl-D) keeps everything and says so: never Click's bare "Aborted!"."""
    import os
    import signal

    folder = tmp_path / "d"
    assert demo(folder).exit_code == 0
    decide_one(folder)
    proc, master = _fresh_in_a_terminal(folder)
    try:
        assert "Start the demo over?" in _read(master, proc, "Start the demo over?")
        if answer == "ctrl-c":
            proc.send_signal(signal.SIGINT)
        else:
            os.write(master, b"n\n" if answer == "n" else b"\x04")
        shown = _read(master, proc, None)
        code = proc.wait(timeout=30)
    finally:
        if proc.poll() is None:
            proc.kill()
        os.close(master)
    assert "Aborted" not in shown and "Traceback" not in shown
    if answer == "ctrl-c":
        assert code == 130, shown
        assert "Interrupted: the demo was not started over; its decisions are as they were." in flat(shown)
    else:
        assert code == 0, shown  # a "no" is an answer, not an input error (README, "Exit codes")
        assert "Not started over: the demo and its decisions are as they were." in flat(shown)
    assert decided(folder) == 1


def test_every_question_the_cli_asks_goes_through_confirm_or_stop():
    """A `typer.confirm` / `typer.prompt` would bring back "Aborted." and exit 1 on Ctrl-C, and its
    blocking read missed a Ctrl-C that came just as the question was printed (confirm_or_stop asks
    with a wait that wakes every 0.2 s)."""
    import re

    package = Path(__file__).resolve().parent.parent / "ssid_tui"
    asking = re.compile(r"\b(typer|click)\.(confirm|prompt)\(")
    callers = sorted(str(p.relative_to(package)) for p in package.rglob("*.py") if asking.search(p.read_text()))
    assert callers == []


def test_review_without_a_terminal_is_refused_before_anything_is_made(tmp_path):
    """Cold test: `ssid-tui demo < /dev/null` built the whole demo (~20 s), then said review needs a terminal."""
    folder = tmp_path / "d"
    result = runner.invoke(app, ["demo", "--dir", str(folder), "--registry-size", "2000", "--students", "40"],
                           env={"COLUMNS": "300", "NO_COLOR": "1"})  # CliRunner's stdin is not a terminal
    assert result.exit_code == 2
    assert "needs a terminal" in flat(result.output) and "add --no-review" in flat(result.output)
    assert not folder.exists()


@pytest.mark.parametrize("extra", [[], ["--fresh", "--yes"]])
def test_a_demo_file_edited_since_is_named_as_changed_and_kept(tmp_path, extra):
    """Cold test: an edited demo file was called "an SENR enrollment file that `ssid-tui demo` did not make"."""
    folder = tmp_path / "d"
    assert demo(folder).exit_code == 0
    (folder / "upload.workspace.sqlite").unlink()  # so that a plain run does not just reopen the demo
    upload = folder / "senr_upload.txt"
    with upload.open("a", encoding="utf-8") as fh:
        fh.write("the clerk's edit\n")
    before = upload.read_bytes()
    result = demo(folder, *extra)
    assert result.exit_code == 2
    said = flat(result.output)
    assert f"{upload} was changed or replaced since `ssid-tui demo` made it" in said and "did not make" not in said
    assert "even with --fresh" in said and "move it away" in said and "give another --dir" in said
    assert upload.read_bytes() == before
