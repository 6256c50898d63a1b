"""What protects the data: kill -9 after a key press, crashes without records, the CLI's errors.

The first tests run the real `ssid-tui review` in a pseudo-terminal (80x24), as a
reviewer over SSH would, and look at the bytes the terminal receives.
"""

from __future__ import annotations

import fcntl
import io
import os
import re
import select
import signal
import sqlite3
import struct
import subprocess
import sys
import termios
import time
from pathlib import Path

import pytest
from rich.console import Console
from typer.testing import CliRunner

from ssid_tui.ui.app import ReviewApp
from ssid_tui.ui.review_screen import ReviewScreen
from ssid_tui.ui.screens.confirm import ConfirmScreen
from ssid_tui.ui.screens.export import ExportScreen
from ssid_tui.workspace.store import open_workspace
from tests.support.app import burst, make_workspace, sync

ROOT = Path(__file__).resolve().parent.parent
ANSI = re.compile(r"\x1b\[[0-?]*[ -/]*[@-~]|\x1b[()][0-9A-Za-z]|\x1b[=>]")


class Terminal:
    """`ssid-tui review` in an 80x24 pseudo-terminal."""

    def __init__(self, workspace: Path) -> None:
        master, slave = os.openpty()
        fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", 24, 80, 0, 0))
        env = {**os.environ, "TERM": "xterm-256color", "COLUMNS": "80", "LINES": "24", "PYTHONPATH": str(ROOT)}
        env.pop("NO_COLOR", None)
        code = "import sys; from ssid_tui.cli import main; sys.argv = ['ssid-tui', 'review', sys.argv[1]]; main()"
        self.proc = subprocess.Popen([sys.executable, "-c", code, str(workspace)], stdin=slave, stdout=slave,
                                     stderr=slave, env=env, cwd=ROOT, start_new_session=True)
        os.close(slave)
        self.master = master
        self.output = b""

    def read_until(self, pattern: str, timeout: float = 20.0) -> str:
        """Read the terminal until `pattern` appears in the text (escape codes removed)."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if pattern in self.text:
                return self.text
            ready, _, _ = select.select([self.master], [], [], 0.05)
            if ready:
                try:
                    chunk = os.read(self.master, 65536)
                except OSError:
                    break
                if not chunk:
                    break
                self.output += chunk
        if pattern in self.text:
            return self.text
        raise AssertionError(f"{pattern!r} never appeared on the terminal")

    def send(self, keys: str) -> None:
        os.write(self.master, keys.encode())

    @property
    def text(self) -> str:
        return ANSI.sub("", self.output.decode("utf-8", "replace"))

    def finish(self, timeout: float = 15.0) -> int:
        """Wait for the process to end, draining the terminal; its exit code."""
        deadline = time.monotonic() + timeout
        while self.proc.poll() is None and time.monotonic() < deadline:
            ready, _, _ = select.select([self.master], [], [], 0.05)
            if ready:
                try:
                    self.output += os.read(self.master, 65536)
                except OSError:
                    break
        try:
            while select.select([self.master], [], [], 0.2)[0]:
                chunk = os.read(self.master, 65536)
                if not chunk:
                    break
                self.output += chunk
        except OSError:
            pass
        return self.proc.wait(timeout=30)

    def close(self) -> None:
        if self.proc.poll() is None:
            os.killpg(self.proc.pid, signal.SIGKILL)
            self.proc.wait(timeout=5)
        os.close(self.master)


def test_a_decision_survives_kill_9_right_after_the_key_press(tmp_path: Path) -> None:
    path = make_workspace(tmp_path)
    term = Terminal(path)
    try:
        term.read_until("Choose")  # the footer: the app is up
        term.send("\r")  # Enter: choose 1001's candidate
        term.read_until("SSID 1234567890 chosen")  # the screen after the key press
        os.kill(term.proc.pid, signal.SIGKILL)  # no clean exit, no finally, no atexit
        assert term.proc.wait(timeout=5) == -signal.SIGKILL
    finally:
        term.close()
    with open_workspace(path, readonly=True) as ws:
        s = ws.student_by_local_id("1001")
        assert (s.status, s.chosen_ssid) == ("chosen", "1234567890")
    # and the lock died with the process: the next review can decide
    from ssid_tui.files import lock

    held = lock.acquire(path)
    assert held is not None
    held.release()


def test_a_script_can_drive_the_app_with_one_write(tmp_path: Path) -> None:
    """Keys sent in one go (as a script or a paste does): search, choose, quit."""
    path = make_workspace(tmp_path)
    term = Terminal(path)
    try:
        term.read_until("Choose")
        term.send("/nguyen\r\rq")  # find 1005, choose its candidate, quit
        assert term.finish() == 0
    finally:
        term.close()
    with open_workspace(path, readonly=True) as ws:
        assert ws.student_by_local_id("1005").chosen_ssid == "3234567890"
        assert ws.student_by_local_id("1001").status == "undecided"


@sync
async def test_keys_typed_while_the_search_box_opens_go_where_the_clerk_sees_them(tmp_path: Path) -> None:
    """The app took 'q' into the search box when it routed keys before the Enter that closes it was handled.

    `/` is handled first, then the rest arrives in one burst: the app used to route every
    key of it to the box (it had focus when the app read them), so the search became
    'nguyenq', nothing was chosen and the app never quit.
    """
    path = make_workspace(tmp_path)
    app = ReviewApp(path)
    async with app.run_test(size=(80, 24)) as pilot:
        await burst(pilot, "slash")
        await burst(pilot, "n", "g", "u", "y", "e", "n", "enter", "enter", "q")
        assert app.session.search == "nguyen"
        assert not app.is_running
    with open_workspace(path, readonly=True) as ws:
        assert ws.student_by_local_id("1005").chosen_ssid == "3234567890"
        assert ws.student_by_local_id("1001").status == "undecided"


@sync
async def test_keys_typed_right_after_m_are_the_note(tmp_path: Path) -> None:
    """'m', the note and Enter in one burst: the note dialog is up before its first letter is routed."""
    path = make_workspace(tmp_path)
    app = ReviewApp(path)
    async with app.run_test(size=(80, 24)) as pilot:
        await burst(pilot, "m", "c", "a", "l", "l", "enter", "J")
        assert isinstance(app.screen, ReviewScreen) and app.session.student.local_id == "1002"
    with open_workspace(path, readonly=True) as ws:
        assert ws.student_by_local_id("1001").note == "call"


@sync
async def test_an_enter_typed_with_e_does_not_export(tmp_path: Path) -> None:
    """'e' Enter in one burst: the export dialog comes up, but the Enter typed before it showed writes nothing."""
    path = make_workspace(tmp_path)
    app = ReviewApp(path)
    async with app.run_test(size=(80, 24)) as pilot:
        await burst(pilot, "e", "enter")
        assert isinstance(app.screen, ExportScreen)
        await pilot.press("enter")  # typed once it is on screen: asks about the undecided students
        assert isinstance(app.screen, ConfirmScreen)
    assert not [p for p in tmp_path.iterdir() if p.suffix == ".csv"]


def test_a_crash_in_a_real_terminal_shows_one_line_and_no_student_data(tmp_path: Path) -> None:
    path = make_workspace(tmp_path)
    term = Terminal(path)
    try:
        term.read_until("Choose")
        # break the workspace under the running app: the next student's candidates cannot be read,
        # and the failing frames hold that student's record in their locals
        with sqlite3.connect(path) as conn:
            conn.execute("ALTER TABLE candidate RENAME TO gone")
        term.send("J")
        code = term.finish()
    finally:
        term.close()
    after_exit = term.output.decode("utf-8", "replace").rsplit("\x1b[?1049l", 1)[-1]  # after leaving the app's screen
    after_exit = ANSI.sub("", after_exit)
    assert code == 1
    assert "stopped on an internal error (OperationalError)" in after_exit
    assert "saved in the workspace" in after_exit
    for record_data in ("LOPEZ", "JOSE", "GARCIA", "20130212", "Traceback", "locals", "Student("):
        assert record_data not in after_exit


class Boom(ReviewApp):
    """A review app with a key that fails while a student record is a local variable."""

    BINDINGS = [("x", "explode", "")]

    def action_explode(self) -> None:
        student = self.session.student
        raise ValueError(f"cannot handle {student.first} {student.last}")


@sync
async def test_a_crash_prints_only_the_exception_type(tmp_path: Path) -> None:
    app = Boom(make_workspace(tmp_path))
    buffer = io.StringIO()
    app.error_console = Console(file=buffer, width=200)
    with pytest.raises(ValueError):
        async with app.run_test(size=(80, 24)) as pilot:
            await pilot.press("x")
            await pilot.pause()
    printed = buffer.getvalue()
    assert "stopped on an internal error (ValueError)" in printed
    assert "MARIA" not in printed and "GARCIA" not in printed and "Traceback" not in printed
    assert app.return_code == 1


class Damaged(ReviewApp):
    """A review app whose next read meets a page SQLite cannot read."""

    BINDINGS = [("x", "read_damaged", "")]

    def action_read_damaged(self) -> None:
        error = sqlite3.DatabaseError("database disk image is malformed")
        error.sqlite_errorcode = sqlite3.SQLITE_CORRUPT  # type: ignore[attr-defined]
        raise error


@sync
async def test_a_workspace_damaged_inside_is_named_damaged_with_advice_not_an_internal_error(tmp_path: Path) -> None:
    """Cold test: a workspace with bad bytes in the middle stopped the app "on an internal error", exit 1."""
    app = Damaged(make_workspace(tmp_path))
    buffer = io.StringIO()
    app.error_console = Console(file=buffer, width=300)
    with pytest.raises(sqlite3.DatabaseError):
        async with app.run_test(size=(80, 24)) as pilot:
            await pilot.press("x")
            await pilot.pause()
    printed = " ".join(buffer.getvalue().split())
    assert "may be damaged" in printed and "Keep the file" in printed and "ssid-tui history" in printed
    assert "internal error" not in printed
    assert app.return_code == 2


# -- the command line -----------------------------------------------------------------------


def cli_runner_result(*args: str):
    from ssid_tui.cli import app

    return CliRunner().invoke(app, list(args))


def test_review_of_a_missing_workspace_is_one_sentence_and_exit_2(tmp_path: Path) -> None:
    result = cli_runner_result("review", str(tmp_path / "nope.sqlite"))
    assert result.exit_code == 2
    assert "does not exist" in result.output and "Traceback" not in result.output
    assert not (tmp_path / "nope.sqlite.lock").exists()  # no lock file litter


def test_review_of_a_file_that_is_not_a_workspace_is_exit_2(tmp_path: Path) -> None:
    junk = tmp_path / "notes.txt"
    junk.write_text("MARIA GARCIA 20140507\n")
    result = cli_runner_result("review", str(junk))
    assert result.exit_code == 2
    assert "not a workspace" in result.output and "MARIA" not in result.output


def test_review_is_documented() -> None:
    result = cli_runner_result("review", "--help")
    assert result.exit_code == 0
    assert "read-only" in result.output and "undecided" in result.output
