"""Every value readable at 80x24: a value the comparison's columns cut is shown whole under its row
while the screen has room, `v` shows every value whole in any case, and a read-only reason too
long for the status line gets a line of its own. Markup and control characters stay literal."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from ssid_tui.files.lock import holder
from ssid_tui.ui.app import ReviewApp
from ssid_tui.ui.screens.record import RecordScreen
from ssid_tui.ui.session import ReviewSession
from ssid_tui.ui.widgets.message_line import MessageLine
from ssid_tui.ui.widgets.status_bar import StatusBar
from ssid_tui.ui.widgets.student_view import StudentView
from tests.support.app import CITY, ENROLLED, GIVEN, crowded, long_values, make_workspace, review_students, sync
from tests.support.workspaces import build_workspace, candidate, student

SIZE = (80, 24)
def text_of(app: ReviewApp) -> str:
    """The comparison as drawn, lines joined with spaces (a wrapped value reads whole)."""
    lines = app.screen.query_one(StudentView).comparison.render().plain.splitlines()
    return " ".join(" ".join(line.split()) for line in lines)


def fits(app: ReviewApp) -> bool:
    """The screen does not scroll: the key line is on its last line, nothing pushed below it."""
    return app.screen.query_one(MessageLine).region.bottom == SIZE[1] and not app.screen.show_vertical_scrollbar


@sync
async def test_a_long_birth_city_reads_whole_under_its_row(tmp_path: Path) -> None:
    app = ReviewApp(make_workspace(tmp_path, students=long_values()))
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        text = text_of(app)
        assert f"submitted: {CITY}" in text, text
        assert "candidate: LOS ANGELES [red]CITY[/red] OF THE ANGELS<ESC>[2J" in text, text  # literal, escape named
        assert "\x1b" not in app.export_screenshot()
        assert fits(app)


@sync
async def test_long_given_names_read_whole_when_the_queue_did_not_cut_the_name(tmp_path: Path) -> None:
    app = ReviewApp(make_workspace(tmp_path, students=long_values()))
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        row = next(line for line in app.screen.query_one(StudentView).comparison.render().plain.splitlines()
                   if line.startswith("First name"))
        assert GIVEN not in row  # the column cuts it...
        assert f"submitted: {GIVEN}" in text_of(app) and f"candidate: {GIVEN}" in text_of(app)  # ...whole below


@sync
async def test_a_crowded_student_keeps_the_screen_and_v_shows_every_value(tmp_path: Path) -> None:
    app = ReviewApp(make_workspace(tmp_path, students=crowded()))
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert fits(app)  # the keys and the message line stay on the screen
        text = text_of(app)
        assert "v: values whole" in text, text  # the level column says where the cut values are
        assert ENROLLED in text
        await pilot.press("v")
        assert isinstance(app.screen, RecordScreen)
        record = " ".join(app.screen.text.plain.split())
        for value in (CITY, "CITY NUMBER 0 OF A VERY LONG NAME INDEED", "ESPERANZA DEL CARMEN", ENROLLED,
                      "GUADALUPE MARIA ESPERANZA"):
            assert value in record, value
        await pilot.press("j")
        await pilot.press("v")
        assert not isinstance(app.screen, RecordScreen)
        await pilot.press("j", "v")  # the highlighted candidate's values
        assert "CITY NUMBER 1 OF A VERY LONG NAME INDEED" in " ".join(app.screen.text.plain.split())


@sync
async def test_v_shows_markup_and_controls_literally(tmp_path: Path) -> None:
    app = ReviewApp(make_workspace(tmp_path, students=long_values()))
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("v")
        shot = app.export_screenshot()
        assert "[red]CITY[/red]" in " ".join(app.screen.text.plain.split()) and "&lt;ESC&gt;[2J" in shot
        assert "\x1b" not in shot


@sync
async def test_the_read_only_reason_is_whole_on_a_line_of_its_own_when_line_two_is_short_of_room(tmp_path: Path) -> None:
    path = make_workspace(tmp_path)
    first = ReviewSession.open(path)  # holds the lock: the app opens read-only and says who has it
    try:
        app = ReviewApp(path)
        async with app.run_test(size=SIZE) as pilot:
            await pilot.pause()
            status = " ".join(app.screen.query_one(StatusBar).render().plain.split())
            assert f"Read-only: {holder(path)} has it open." in status, status
            assert fits(app)
    finally:
        first.close()


@sync
async def test_a_student_without_candidates_lists_the_submitted_record_in_the_comparison_and_in_v(tmp_path: Path) -> None:
    new = student("6001", "ANA", "RUIZ [b]X[/b]", "20150302", middle="LUZ", alias_first="ANNIE", alias_last="RUIZ",
                  birth_city="SANTA ANA", birth_state="US-CA", birth_country="US")
    app = ReviewApp(make_workspace(tmp_path, students=[new]))
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        lines = [line.rstrip() for line in app.screen.query_one(StudentView).comparison.render().plain.splitlines()]
        assert lines[:9] == ["Field           Submitted 6001", "Last name       RUIZ [b]X[/b]", "First name      ANA",
                             "Middle name     LUZ", "Alias           ANNIE RUIZ", "Birth date      2015-03-02",
                             "Gender          F", "Birth place     SANTA ANA, US-CA, US", "LEA/school      1964733/1930056"]
        await pilot.press("v")
        assert isinstance(app.screen, RecordScreen)
        assert [" ".join(line.split()) for line in app.screen.text.plain.splitlines()] == [
            "Student 6001: no candidate", "Last name submitted RUIZ [b]X[/b]", "First name submitted ANA",
            "Middle name submitted LUZ", "Alias submitted ANNIE RUIZ", "Birth date submitted 2015-03-02",
            "Gender submitted F", "Birth city submitted SANTA ANA", "Birth state submitted US-CA",
            "Birth country submitted US", "LEA/school submitted 1964733/1930056"]


def _crowded_flags(path: Path) -> None:
    """Three candidates, the longest names SENR allows, a note, same child twice and two SSIDs alike."""
    last, first, middle = "HERNANDEZ-GUTIERREZ DE LA SANTISIMA TRINIDAD ROSAS", "MARIA GUADALUPE ESPERANZA DEL", "JOSEFINA ALEJANDRA DE LOS ANGE"
    cands = [candidate(f"22345678{i:02d}", 90 - i, first, last, "20140507", middle=middle) for i in range(3)]
    build_workspace(path, [student("5001", first, last, "20140507", middle=middle, alias_first="LUPE", candidates=cands),
                           student("5002", "ANA", "LI", "20140101")]).close()
    with sqlite3.connect(path) as conn:
        conn.execute("INSERT INTO annotation VALUES (1, 'called the school', 1)")
        conn.execute("INSERT INTO upload_duplicate VALUES (1, '5002', 93)")
        conn.executemany("INSERT INTO registry_duplicate VALUES (1, ?, ?)",
                         [("2234567800", "2234567801"), ("2234567801", "2234567800")])
    conn.close()


@sync
async def test_long_names_give_way_to_the_warnings_and_the_comparison_so_the_screen_never_scrolls(tmp_path: Path) -> None:
    _crowded_flags(tmp_path / "w.sqlite")
    app = ReviewApp(tmp_path / "w.sqlite")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        for _ in range(3):  # each candidate highlighted in turn
            assert fits(app)
            flags = app.screen.query_one(StudentView).flags.render().plain
            assert "Twice in" in flags and "registry" in flags.lower() and "Note: called the school" in flags, flags
            comparison = app.screen.query_one(StudentView).comparison.render().plain.splitlines()
            assert comparison[-1].startswith("Enrolled") and "total" in comparison[0], comparison  # every row, whole
            await pilot.press("j")
        await pilot.press("v")  # the names the flags cut stand whole in the v box
        assert "HERNANDEZ-GUTIERREZ DE LA SANTISIMA TRINIDAD ROSAS" in " ".join(app.screen.text.plain.split())


@sync
async def test_a_warning_on_three_lines_does_not_push_the_screen_into_scrolling(tmp_path: Path) -> None:
    # a Single Match whose comparison has twelve rows (alias, birth city, others found, enrollment)
    c = candidate("1234567890", 99, "SOFIA", "RAMIREZ", "20161011", middle="ABRIL", birth_city="BAKERSFIELD",
                  alias_first="SOFIA", alias_last="DELGADO")
    c["explanation"] += [{"field": f, "label": label, "level": "exact", "submitted": v, "candidate": v, "weight": 0.1}
                         for f, label, v in (("middle", "Middle name", "ABRIL"), ("birth_country", "Birth country", "US"),
                                             ("birth_state", "Birth state", "US-CA"))]
    c["explanation"].append({"field": "birth_city", "label": "Birth city", "level": "missing", "submitted": "",
                             "candidate": "BAKERSFIELD", "weight": 0.0})
    c["explanation"].append({"field": "others", "label": "Others found", "level": "others unlikely", "submitted": "",
                             "candidate": "", "weight": -0.4})
    path = make_workspace(tmp_path, students=[student("1001", "SOFIA", "RAMIREZ", "20161011", middle="ABRIL",
                                                      candidates=[c]), *review_students()[1:3]])
    app = ReviewApp(path)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert fits(app)
        lines = app.screen.query_one(StudentView).comparison.render().plain.splitlines()
        app.screen.say("Not exported: /tmp/some/folder/upload_match_results.csv is a file ssid-tui did not write, or "
                       "one changed since: move it away or choose another folder, then press e again.", severity="warning")
        await pilot.pause()
        assert app.screen.query_one(MessageLine).size.height == 4  # three lines of the warning, then the keys
        assert fits(app), app.screen.query_one(MessageLine).region
        assert app.screen.query_one(StudentView).comparison.render().plain.splitlines() == lines  # every row, the columns as they were


@sync
async def test_a_registry_name_of_thousands_of_letters_takes_three_lines_at_most(tmp_path: Path) -> None:
    """Cold test: a 5,000-letter registry surname filled five lines of the 80x24 screen with R's."""
    huge = candidate("2234567891", 61, "JESUS", "R" * 5000, "20130212", gender="M")
    path = make_workspace(tmp_path, students=[student("1002", "JESUS", "LOPEZ", "20130212", gender="M",
                                                      candidates=[candidate("2234567890", 88, "JESUS", "LOPEZ",
                                                                            "20130212", gender="M"), huge])])
    app = ReviewApp(path)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("j")
        await pilot.pause()
        flags = app.screen.query_one(StudentView).flags.render().plain.splitlines()
        rs = [line for line in flags if "RRRR" in line]
        assert 1 <= len(rs) <= 3 and rs[-1].rstrip().endswith("~"), flags
        assert fits(app)
