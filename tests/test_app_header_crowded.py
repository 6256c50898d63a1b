"""A crowded header at 80 columns: the sort is left out whole rather than cut to a bare ellipsis, and the
search keeps the room the sort would have taken."""

from __future__ import annotations

from pathlib import Path

from ssid_tui.ui.app import ReviewApp
from ssid_tui.ui.screens.filter_menu import filter_key
from tests.support.app import make_workspace, review_students, sync
from tests.support.workspaces import student


@sync
async def test_no_room_for_the_sort_leaves_it_out_and_keeps_the_search(tmp_path: Path) -> None:
    """Cold test: sort by score, filter 'Multiple Match, undecided' and a search showed 'Search: a …  …'."""
    path = make_workspace(tmp_path, name="fall_2026_senr_upload.workspace.sqlite",
                          students=[*review_students(), student("2001", "MARIA", "LOPEZ", "20130903")])
    app = ReviewApp(path)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("f", "u", filter_key("multiple"), "o", "slash", *"a lopez", "enter")
        await pilot.pause()
        line = str(app.screen.query_one("#status").render()).splitlines()[1]
        assert "Filter: Multiple Match, undecided" in line and "Search: a lopez" in line, line
        assert "\u2026" not in line and len(line) <= 80, line
        await pilot.press("slash", "ctrl+u", *"abcdefghijklmnop", "enter")
        await pilot.pause()
        line = str(app.screen.query_one("#status").render()).splitlines()[1]
        assert "Search: abcdefghij\u2026" in line and not line.rstrip().endswith("  \u2026"), line
