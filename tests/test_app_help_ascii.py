"""The help screen in ASCII mode: a blank cell between the text and the scrollbar's '|' track (the
normal scrollbar's track is blank, so the text never seems to run into it there either)."""

from __future__ import annotations

from pathlib import Path

from ssid_tui.ui.app import ReviewApp
from ssid_tui.ui.screens.help import HelpScreen, help_text
from tests.support.app import make_workspace, sync


def _box_rows(app: ReviewApp) -> list[str]:
    """The rows inside the help box as the terminal shows them (border to border)."""
    lines = [strip.text for strip in app.screen._compositor.render_strips()]
    return [line for line in lines if len(line) == 80 and line[0] == "|" and line[-1] == "|"]


@sync
async def test_ascii_help_text_never_touches_the_scrollbar_and_no_line_wraps(tmp_path: Path) -> None:
    app = ReviewApp(make_workspace(tmp_path), ascii=True)
    shown: list[str] = []
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("question_mark")
        assert isinstance(app.screen, HelpScreen)
        for _page in range(4):  # the whole text, a page at a time
            rows = _box_rows(app)
            assert len(rows) == 22
            for row in rows:
                assert row[-2] in "|#", row  # the scrollbar, drawn in ASCII
                assert row[-3] == " ", row  # a gap before it
            shown += [row[2:-3].rstrip() for row in rows]  # after the border and the padding
            await pilot.press("pagedown")
    for line in help_text().plain.splitlines():  # each line whole on one row: nothing wrapped
        assert line.rstrip() in shown, line
