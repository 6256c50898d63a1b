"""Snapshots of the review app at 80x24 (and one wide), grouped by feature.

Regenerate after a deliberate change with `pytest tests/test_snapshots.py --snapshot-update`
and look at the report before committing. The workspace is built in tmp_path with a fixed
file name, so nothing in the picture depends on the machine.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from ssid_tui.ui.app import ReviewApp
from tests.support.app import crowded, explained, long_values, make_workspace, review_students
from tests.support.workspaces import candidate, student


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


# -- issue 11: side by side, five candidates, as submitted, plain consoles -------------------------


def swapped_and_five() -> list[dict]:
    """A student typed surname-first with a hyphen (the registry has LOPEZ CORDOVA) and one with five look-alikes."""
    swapped = candidate("7234567890", 88, "KARLA", "LOPEZ CORDOVA", "20120304", lea="0199999", school="0100001")
    swapped["explanation"] = [
        {"field": "first", "label": "First name", "level": "exact", "submitted": "KARLA", "candidate": "KARLA",
         "weight": 8.6},
        {"field": "last", "label": "Last name", "level": "exact", "submitted": "LOPEZ CORDOVA",
         "candidate": "LOPEZ CORDOVA", "weight": 12.0},
        {"field": "name_source", "label": "Name record", "level": "names swapped", "submitted": "", "candidate": "",
         "weight": -3.0},
        {"field": "birth_date", "label": "Birth date", "level": "exact", "submitted": "20120304",
         "candidate": "20120304", "weight": 12.5},
    ]
    sub = {"first": "MINH", "last": "TRAN", "birth_date": "20150101", "gender": "M"}
    looks = [(86, "MINH", "20150101", "M", "exact", "exact"), (80, "MINH", "20150110", "M", "exact", "one digit (day)"),
             (71, "MINA", "20150101", "F", "close spelling", "exact"), (64, "MINH", "20160101", "M", "exact", "same year"),
             (52, "LINH", "20150101", "F", "phonetic", "exact")]
    five = [explained(f"82345678{i}0", score, sub, {"first": first, "last": "TRAN", "birth_date": bd, "gender": g},
                      {"last": ("exact", 6.0), "first": (lf, 5.0 if lf == "exact" else 2.5),
                       "birth_date": (ld, 8.0 if ld == "exact" else 3.0),
                       "gender": ("exact" if g == "M" else "different", 1.0 if g == "M" else -4.5)})
            for i, (score, first, bd, g, lf, ld) in enumerate(looks)]
    return [
        student("2001", "LOPEZ-CORDOVA", "KARLA", "20120304", candidates=[swapped]),
        student("2002", "MINH", "TRAN", "20150101", "M", candidates=five),
        *review_students()[:2],
    ]


def test_swapped_names_and_a_hyphen_as_submitted(snap_compare, tmp_path: Path) -> None:
    """Names typed the wrong way round: marked x with one row saying so; LOPEZ-CORDOVA as typed; LEA/school unmarked."""
    assert snap_compare(ReviewApp(make_workspace(tmp_path, students=swapped_and_five())), terminal_size=(80, 24))


def test_five_candidates_at_80x24(snap_compare, tmp_path: Path) -> None:
    """Five candidates listed without scrolling at 80x24 while the queue keeps its header and two students."""
    app = ReviewApp(make_workspace(tmp_path, students=swapped_and_five()))
    assert snap_compare(app, terminal_size=(80, 24), press=["down", "j"])


def test_side_by_side_at_160x48(snap_compare, tmp_path: Path) -> None:
    """From 150 columns every candidate stands in a column of its own, differences marked."""
    app = ReviewApp(make_workspace(tmp_path, students=swapped_and_five()))
    assert snap_compare(app, terminal_size=(160, 48), press=["down", "j"])


def test_plain_console_ascii(snap_compare, tmp_path: Path) -> None:
    """TERM=linux: ASCII borders and scrollbar, no block or box characters (the filter menu over the list)."""
    assert snap_compare(ReviewApp(make_workspace(tmp_path), ascii=True), terminal_size=(80, 24), press=["f"])


def test_end_of_queue_summary(snap_compare, app: ReviewApp) -> None:
    """The last undecided student decided: the summary and the next step."""
    assert snap_compare(app, terminal_size=(80, 24), press=["enter", "enter", "n", "y", "s", "enter", "enter", "enter"])


def test_long_names_and_a_long_search_at_80x24(snap_compare, tmp_path: Path) -> None:
    """Surname and initials in the list, the whole name above the candidates, the whole search in the header
    (short of room the default file order is left out, rather than read 'Sort: file')."""
    students = [
        student("3001", "MARIA GUADALUPE", "HERNANDEZ-GUTIERREZ", "20130903", middle="ESPERANZA", suffix="JR",
                candidates=[candidate("1234567890", 80, "MARIA", "HERNANDEZ-GUTIERREZ", "20130903")]),
        student("3002", "ANA", "VILLASENOR-BUSTAMANTE DE LA SANTISIMA TRINIDAD", "20120101", middle="SOFIA"),
        *review_students(),
    ]
    app = ReviewApp(make_workspace(tmp_path, students=students))
    assert snap_compare(app, terminal_size=(80, 24), press=["f", "u", "3", "slash", *"gutierrez, maria guadalupe", "enter"])


def test_long_values_whole_under_their_rows_at_80x24(snap_compare, tmp_path: Path) -> None:
    """A birth city and given names longer than the comparison's columns, whole under their rows; the
    candidate's city holds markup and an escape, shown as typed and named."""
    assert snap_compare(ReviewApp(make_workspace(tmp_path, students=long_values())), terminal_size=(80, 24))


def test_every_value_whole_with_v(snap_compare, tmp_path: Path) -> None:
    """No room under the rows (long names above the candidates, two candidates): the level column says
    'v: values whole', and v shows them."""
    assert snap_compare(ReviewApp(make_workspace(tmp_path, students=crowded())), terminal_size=(80, 24), press=["v"])
