"""Below 80x24 nothing is decided on a dialog either: only Esc (or q) acts, and closes it.

Cold test: with the filter menu open, the terminal shrunk to 40x10, `2` still applied a
filter; on the `n` question at 50x12, `y` recorded "none of these".
"""

from __future__ import annotations

from pathlib import Path

import pytest

from ssid_tui.ui.app import ReviewApp
from ssid_tui.ui.review_screen import ReviewScreen
from ssid_tui.ui.screens.confirm import ConfirmScreen
from ssid_tui.ui.screens.filter_menu import FilterMenu
from ssid_tui.ui.screens.note import NoteScreen
from ssid_tui.workspace.store import open_workspace
from tests.support.app import make_workspace, sync


@pytest.fixture
def ws_path(tmp_path: Path) -> Path:
    return make_workspace(tmp_path)


@sync
async def test_the_filter_menu_picks_nothing_once_the_terminal_is_too_small(ws_path: Path) -> None:
    app = ReviewApp(ws_path)
    async with app.run_test(size=(100, 30)) as pilot:
        before = app.session.filter
        await pilot.press("f")
        assert isinstance(app.screen, FilterMenu)
        await pilot.resize_terminal(40, 10)
        await pilot.pause()
        await pilot.press("2", "enter", "u", "j")
        assert isinstance(app.screen, FilterMenu) and app.session.filter == before
        shown = app.export_screenshot().replace("&#160;", " ")
        assert "terminal too small" in shown and "Undecided only" not in shown
        await pilot.resize_terminal(100, 30)  # large again: the menu is back and works
        await pilot.pause()
        assert isinstance(app.screen, FilterMenu)
        await pilot.press("2")
        assert isinstance(app.screen, ReviewScreen) and app.session.filter != before


@sync
async def test_the_none_of_these_question_records_nothing_while_too_small_and_esc_closes_it(ws_path: Path) -> None:
    app = ReviewApp(ws_path)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("n")
        assert isinstance(app.screen, ConfirmScreen)
        await pilot.resize_terminal(50, 12)
        await pilot.pause()
        await pilot.press("y", "enter")
        assert isinstance(app.screen, ConfirmScreen) and app.session.counts.decided == 0
        await pilot.press("escape")
        assert isinstance(app.screen, ReviewScreen) and app.session.counts.decided == 0
        await pilot.press("n")  # on the review screen too small: nothing opens either
        assert isinstance(app.screen, ReviewScreen)
        await pilot.resize_terminal(100, 30)
        await pilot.pause()
        await pilot.press("n", "y")
        assert app.session.counts.decided == 1


@sync
async def test_q_closes_a_dialog_while_too_small_and_is_not_typed_into_it(ws_path: Path) -> None:
    app = ReviewApp(ws_path)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("m")  # the note box
        assert isinstance(app.screen, NoteScreen)
        await pilot.press("x")
        await pilot.resize_terminal(60, 20)
        await pilot.pause()
        await pilot.press("y", "enter")
        assert isinstance(app.screen, NoteScreen)
        await pilot.press("q")
        assert isinstance(app.screen, ReviewScreen)
        await pilot.press("q")
    assert app.return_code == 0
    with open_workspace(ws_path, readonly=True) as ws:
        assert all(s.note == "" for s in ws.all_students())  # neither "xy" nor "xq" was saved
