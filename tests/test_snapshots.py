"""Snapshots of the review app at 80x24 (and one wide), grouped by feature.

Regenerate after a deliberate change with `pytest tests/test_snapshots.py --snapshot-update`
and look at the report before committing. The workspace is built in tmp_path with a fixed
file name, so nothing in the picture depends on the machine.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from ssid_tui.ui.app import ReviewApp
from tests.support.app import make_workspace


@pytest.fixture
def app(tmp_path: Path) -> ReviewApp:
    return ReviewApp(make_workspace(tmp_path))


def test_main_screen(snap_compare, app: ReviewApp) -> None:
    """The first student, as a reviewer sees the app on opening it."""
    assert snap_compare(app, terminal_size=(80, 24))


def test_main_screen_differences(snap_compare, app: ReviewApp) -> None:
    """A candidate whose birth date has day and month swapped: the parts are marked."""
    assert snap_compare(app, terminal_size=(80, 24), press=["G", "j"])


def test_main_screen_after_decisions(snap_compare, app: ReviewApp) -> None:
    """Decision marks in the queue, including a conflict, and the counts."""
    assert snap_compare(app, terminal_size=(80, 24), press=["enter", "n", "y", "s", "enter"])


def test_help_screen(snap_compare, app: ReviewApp) -> None:
    """? lists the keys."""
    assert snap_compare(app, terminal_size=(80, 24), press=["question_mark"])


def test_wide_screen(snap_compare, app: ReviewApp) -> None:
    """From 150 columns the queue and the student sit side by side."""
    assert snap_compare(app, terminal_size=(160, 30), press=["G"])
