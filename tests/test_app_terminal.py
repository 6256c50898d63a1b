"""Plain consoles (TERM=linux, vt100): ASCII symbols only, and everything put back when the app ends."""

from __future__ import annotations

from pathlib import Path

import pytest
from textual import _border
from textual.command import CommandPalette
from textual.scrollbar import ScrollBar

from ssid_tui.ui import render, terminal
from ssid_tui.ui.app import ReviewApp
from tests.support.app import make_workspace, sync
from tests.support.workspaces import large_students

#: Drawn by Textual's borders, scrollbars, toasts and palette; a Linux console shows boxes for them.
NOT_ON_A_PLAIN_CONSOLE = "╭╮╰╯─│▔▁▊▎▏▇🔎\u2026"


@pytest.mark.parametrize(("env", "plain"), [
    ({"TERM": "linux"}, True), ({"TERM": "vt100"}, True), ({"TERM": "vt220"}, True), ({"TERM": "dumb"}, True),
    ({"TERM": "xterm-256color"}, False), ({"TERM": "screen-256color"}, False), ({}, False),
    ({"TERM": "xterm", "SSID_TUI_ASCII": "1"}, True), ({"TERM": "linux", "SSID_TUI_ASCII": "0"}, False),
])
def test_plain_consoles_are_told_by_term_or_forced(env: dict[str, str], plain: bool) -> None:
    assert terminal.plain_console(env) is plain


def screen_text(app: ReviewApp) -> str:
    """Every character on the terminal now (the SVG screenshot holds them as text)."""
    return app.export_screenshot()


@sync
async def test_ascii_mode_draws_no_symbol_a_plain_console_lacks(tmp_path: Path) -> None:
    app = ReviewApp(make_workspace(tmp_path), ascii=True)
    async with app.run_test(size=(80, 24)) as pilot:
        shots = [screen_text(app)]
        for keys in (["question_mark"], ["escape", "f"], ["escape", "b"], ["escape", "ctrl+p"]):
            await pilot.press(*keys)
            await pilot.pause()
            shots.append(screen_text(app))
        assert isinstance(app.screen, CommandPalette)
        await pilot.press("escape")
        await pilot.press("slash", *"a very long search that will not fit on the status line at all", "enter")
        shots.append(screen_text(app))
        status = str(app.screen.query_one("StatusBar").render())
    for shot in shots:
        drawn = [ch for ch in NOT_ON_A_PLAIN_CONSOLE if ch in shot]
        assert not drawn, drawn
    # the long search loses its last words with an ASCII ellipsis; the file's order (the default) is left out
    assert ">+</text>" in shots[1] and "..." in status and "Sort" not in status, status
    # put back for whatever runs next in this process
    assert _border.BORDER_CHARS["round"][0][0] == "╭" and ScrollBar.renderer is not terminal.AsciiScrollBarRender
    assert render.ELLIPSIS == "\u2026"


@sync
async def test_the_ascii_scrollbar_is_a_column_of_hashes_on_bars_never_a_lone_hash(tmp_path: Path) -> None:
    """Cold test: a queue one student longer than its rows showed a lone '#' beside the column titles (the
    thumb is reversed blanks, '#' only at its ends), which read as a heading."""
    app = ReviewApp(make_workspace(tmp_path, students=large_students(9)), ascii=True)
    async with app.run_test(size=(80, 24)) as pilot:
        for key in ("g", "G"):
            await pilot.press(key)
            queue = app.screen.query_one("QueueList")
            lines = app.screen._compositor.render_strips()[queue.region.y : queue.region.bottom]
            column = "".join(line.text[queue.region.right - 1] for line in lines)
            assert set(column) == {"#", "|"} and column.strip("|").strip("#") == "", column  # one run of '#'
            assert column.count("#") >= len(column) // 2  # 6 of 9 students in view: the thumb is most of it


@sync
async def test_a_normal_terminal_keeps_its_symbols(tmp_path: Path) -> None:
    app = ReviewApp(make_workspace(tmp_path), ascii=False)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("question_mark")
        assert "╭" in screen_text(app)
