"""The export dialog (`e`) refuses a folder it cannot write into while it is still open: the sentence
is shown inside it and the typed path kept for correction, so the next keys never reach the review."""

from __future__ import annotations

import errno
from pathlib import Path

import pytest
from textual.widgets import Input, Static

from ssid_tui.ui.app import ReviewApp
from ssid_tui.ui.review_screen import ReviewScreen
from ssid_tui.ui.screens.export import ExportScreen, write_all
from tests.support.app import make_workspace, sync


def _problem(app: ReviewApp) -> str:
    shown = app.screen.query_one("#problem", Static)
    assert shown.display
    return str(shown.render())


def _decided(app: ReviewApp) -> int:
    return app.session.counts.total - app.session.counts.left


@pytest.mark.parametrize("case", ["a file", "dash", "under a file"])
@sync
async def test_a_folder_that_cannot_be_used_keeps_the_dialog_open_and_says_why(tmp_path: Path, case: str) -> None:
    """Cold test: an existing file closed the dialog; its complaint went to the message line and the next
    keys (a folder name, Enter) went to the review, opening search and recording a decision."""
    workspace = make_workspace(tmp_path)
    blocker = tmp_path / "notes.txt"
    blocker.write_text("mine\n")
    typed = {"a file": str(blocker), "dash": "-", "under a file": str(blocker / "out")}[case]
    expected = {"a file": f"{blocker} is a file, not a folder",
                "dash": "cannot be '-'",
                "under a file": f"{blocker} is a file, not a folder, so {blocker / 'out'} cannot be made"}[case]
    app = ReviewApp(workspace)
    async with app.run_test(size=(80, 24)) as pilot:
        before = _decided(app)
        await pilot.press("e", "ctrl+u", *typed, "enter")
        await pilot.pause()
        assert isinstance(app.screen, ExportScreen)
        assert expected in _problem(app)
        box = app.screen.query_one("#path", Input)
        assert box.value == typed  # kept for correction
        box.value = str(blocker)
        box.cursor_position = len(box.value)
        await pilot.press("/", "o", "enter")  # more keys: still the dialog's (search not opened), nothing decided
        await pilot.pause()
        assert isinstance(app.screen, ExportScreen) and box.value == f"{blocker}/o"
        assert f"{blocker / 'o'} cannot be made" in _problem(app)
        assert _decided(app) == before
        await pilot.press("escape")
        assert isinstance(app.screen, ReviewScreen)
    assert blocker.read_text() == "mine\n"


@sync
async def test_a_usable_folder_after_a_refusal_exports(tmp_path: Path) -> None:
    workspace = make_workspace(tmp_path)
    blocker = tmp_path / "notes.txt"
    blocker.write_text("mine\n")
    out = tmp_path / "out"
    app = ReviewApp(workspace)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("e", "ctrl+u", *str(blocker), "enter")
        await pilot.pause()
        assert isinstance(app.screen, ExportScreen)
        app.screen.query_one("#path", Input).value = str(out)
        await pilot.press("enter", "y")
        await app.workers.wait_for_complete()
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, ReviewScreen)
        assert "Wrote 4 files" in screen.messages[-1][1]
    assert len(list(out.iterdir())) == 4


def test_a_write_that_fails_names_the_file_that_could_not_be_made(tmp_path: Path, monkeypatch) -> None:
    """Cold test: /proc said 'Could not write into /proc: No such file or directory', as if it were missing."""
    workspace = make_workspace(tmp_path)
    out = tmp_path / "out"
    out.mkdir()
    from ssid_tui.exports import writers

    def refuse(ws, folder, **kw):
        raise FileNotFoundError(errno.ENOENT, "No such file or directory",
                                str(Path(folder) / ".upload_match_results.csv.writing-host-42"))

    monkeypatch.setattr(writers, "export_all", refuse)
    severity, message = write_all(workspace, out, "8")
    assert severity == "error"
    assert f"could not make {out / 'upload_match_results.csv'} (No such file or directory)" in message
    assert "writing-" not in message and f"Could not write into {out}" not in message


@sync
async def test_an_empty_box_stays_empty_so_the_folder_typed_next_is_the_one_used(tmp_path: Path) -> None:
    """Cold test: Enter on an empty box put the workspace's folder back with the cursor at its start, so
    the folder typed next went in front of it and /tmp/out/tmp/w was made and written into."""
    workspace = make_workspace(tmp_path)
    out = tmp_path / "out"
    app = ReviewApp(workspace)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("e", "ctrl+u", "enter")
        await pilot.pause()
        assert isinstance(app.screen, ExportScreen)
        assert "No folder given" in _problem(app)
        assert app.screen.query_one("#path", Input).value == ""
        await pilot.press(*str(out), "enter", "y")
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert isinstance(app.screen, ReviewScreen)
    assert len(list(out.iterdir())) == 4
