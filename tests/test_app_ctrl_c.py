"""Ctrl-C in the review app: how to quit is said on the message line, never in a toast over the comparison."""

from __future__ import annotations

from pathlib import Path

from ssid_tui.ui.app import ReviewApp
from ssid_tui.ui.review_screen import ReviewScreen
from tests.support.app import make_workspace, sync


@sync
async def test_ctrl_c_says_how_to_quit_on_the_message_line(tmp_path: Path) -> None:
    """Cold test: Textual's own 'Do you want to quit? Press q' toast covered the comparison rows."""
    app = ReviewApp(make_workspace(tmp_path))
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("ctrl+c")
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, ReviewScreen) and app.is_running
        assert not list(app._notifications)  # no toast
        severity, text = screen.messages[-1]
        assert severity == "warning" and "press q to quit" in text and "every decision is stored" in text
        await pilot.press("?", "ctrl+c")  # in a dialog: no toast either (the dialog stays)
        await pilot.pause()
        assert not list(app._notifications)
        assert not isinstance(app.screen, ReviewScreen)
        await pilot.press("escape", "q")
        await pilot.pause()
    assert not app.is_running
