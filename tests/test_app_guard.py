"""Pilot tests of the review app's guards: "none of these" on a likely candidate, N, bulk
accept limits, undoing a bulk step, notes and follow-up tags."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from ssid_tui.ui.app import ReviewApp
from ssid_tui.ui.review_screen import ReviewScreen
from ssid_tui.ui.screens.bulk import BulkAcceptScreen
from ssid_tui.ui.screens.confirm import ConfirmScreen
from ssid_tui.ui.screens.filter_menu import filter_key
from ssid_tui.ui.screens.note import NoteScreen
from ssid_tui.ui.widgets.student_flags import flag_lines
from ssid_tui.ui.widgets.student_view import StudentView
from ssid_tui.workspace import decisions
from ssid_tui.workspace.schema import HISTORY_UNDOES_INDEX
from ssid_tui.workspace.store import open_workspace
from tests.support.app import burst, make_workspace, review_students, sync
from tests.support.workspaces import candidate, student

SIZE = (80, 24)


@pytest.fixture
def ws_path(tmp_path: Path) -> Path:
    more = [student("1008", "OLIVIA", "TRAN", "20150303", candidates=[candidate("6234567890", 93, "OLIVIA", "TRAN", "20150303")]),
            student("1009", "NOAH", "PEREZ", "20140202", "M"),
            student("1010", "MIA", "RAMIREZ", "20130303")]
    return make_workspace(tmp_path, students=[*review_students(), *more])


def stored(path: Path, local_id: str) -> tuple[str, str | None, str, bool]:
    """(status, ssid, note, follow-up) of a student, read by a fresh connection."""
    with open_workspace(path, readonly=True) as ws:
        s = ws.student_by_local_id(local_id)
        assert s is not None
        return s.status, s.chosen_ssid, s.note, s.follow_up


def question(app: ReviewApp) -> str:
    assert isinstance(app.screen, ConfirmScreen), app.screen
    return " ".join(str(w.render()) for w in app.screen.query("#question, #answer"))


def message(app: ReviewApp) -> str:
    scr = app.screen
    assert isinstance(scr, ReviewScreen)
    return scr.messages[-1][1]


@sync
async def test_none_of_these_on_a_likely_candidate_asks_and_records_nothing_until_y(ws_path: Path) -> None:
    app = ReviewApp(ws_path)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("n")  # 1001: candidate 1 scores 97
        assert question(app) == "None of these, although candidate 1 scores 97? y / Esc"
        box = app.screen.query_one("Vertical").region
        assert box.bottom == SIZE[1] and box.y >= SIZE[1] // 2  # the comparison's name and date rows stay in sight
        assert stored(ws_path, "1001")[0] == "undecided"
        await pilot.press("escape")
        assert isinstance(app.screen, ReviewScreen) and stored(ws_path, "1001")[0] == "undecided"
        assert "nothing changed" in message(app)
        await pilot.press("n", "y")
        assert stored(ws_path, "1001")[0] == "none"


@sync
async def test_none_of_these_without_a_likely_candidate_does_not_ask(ws_path: Path) -> None:
    app = ReviewApp(ws_path)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("J", "J", "n")  # 1003: a No Match
        assert isinstance(app.screen, ReviewScreen)
        assert stored(ws_path, "1003")[0] == "none"


@sync
async def test_keys_typed_in_one_burst_with_n_never_answer_the_question(ws_path: Path) -> None:
    app = ReviewApp(ws_path)
    async with app.run_test(size=SIZE) as pilot:
        await burst(pilot, "n", "y", "enter", "1", "y")
        assert isinstance(app.screen, ConfirmScreen)
        with open_workspace(ws_path, readonly=True) as ws:
            assert not decisions.history(ws)  # neither none nor a choice
        await pilot.press("y")  # typed once the question is on screen
        assert stored(ws_path, "1001")[0] == "none"


@sync
async def test_a_question_shown_again_is_the_new_one_whole_and_a_burst_still_never_answers_it(ws_path: Path) -> None:
    """The y / Esc dialog is built once and shown again: each time with its own question and detail only."""
    app = ReviewApp(ws_path)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("n")  # 1001: asks, with what a none would do
        dialog = app.screen
        assert isinstance(dialog, ConfirmScreen) and dialog.query_one("#detail").display
        assert "second SSID" in str(dialog.query_one("#detail").render())
        await pilot.press("escape", "N")
        assert app.screen is dialog and question(app).startswith("Mark 3 undecided No Match students")
        assert str(dialog.query_one("#detail").render()) == "One step: one u undoes them all."
        await pilot.press("y", "u")  # undoing that step asks again, with no detail
        assert app.screen is dialog and question(app) == "Undo none of these for 3 students? y / Esc"
        assert not dialog.query_one("#detail").display
        await pilot.press("escape")
        assert stored(ws_path, "1009")[0] == "none"
        await burst(pilot, "g", "n", "y", "y")  # typed before the question was up again: never a yes
        assert app.screen is dialog and stored(ws_path, "1001")[0] == "undecided"
        await pilot.press("y")
        assert isinstance(app.screen, ReviewScreen) and stored(ws_path, "1001")[0] == "none"


@sync
async def test_shift_n_marks_every_undecided_no_match_in_view_as_one_undoable_step(ws_path: Path) -> None:
    app = ReviewApp(ws_path)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("J", "J", "n")  # 1003 decided one by one first
        await pilot.press("N")
        assert question(app) == "Mark 2 undecided No Match students in this view none of these? y / Esc"
        await pilot.press("escape")
        assert stored(ws_path, "1009")[0] == "undecided"
        await pilot.press("N", "y")
        assert stored(ws_path, "1009")[0] == stored(ws_path, "1010")[0] == "none"
        assert stored(ws_path, "1001")[0] == "undecided"  # not a No Match: untouched
        assert "2 No Match students marked none of these" in message(app)
        await pilot.press("u")
        assert question(app) == "Undo none of these for 2 students? y / Esc"
        await pilot.press("y")
        assert stored(ws_path, "1009")[0] == stored(ws_path, "1010")[0] == "undecided"
        assert stored(ws_path, "1003")[0] == "none"  # the earlier single step stays


@sync
async def test_shift_n_keeps_to_the_current_view(ws_path: Path) -> None:
    app = ReviewApp(ws_path)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("slash", *"PEREZ", "enter", "N")
        assert "Mark 1 undecided No Match student in this view" in question(app)
        await pilot.press("y")
        assert stored(ws_path, "1009")[0] == "none" and stored(ws_path, "1010")[0] == "undecided"


@sync
async def test_undo_of_one_decision_does_not_ask(ws_path: Path) -> None:
    app = ReviewApp(ws_path)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("enter", "u")
        assert isinstance(app.screen, ReviewScreen)
        assert stored(ws_path, "1001")[0] == "undecided"


@sync
async def test_bulk_accept_refuses_below_50(ws_path: Path) -> None:
    app = ReviewApp(ws_path)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("b", "4", "5")
        assert "more likely wrong than right" in str(app.screen.query_one("#count").render())
        await pilot.press("enter", "y")
        assert isinstance(app.screen, BulkAcceptScreen) and not app.screen.confirming
        assert "Not accepted: type a score of 50 or more." in str(app.screen.query_one("#confirm").render())
        said = " ".join(str(w.render()) for w in app.screen.query("#count, #confirm"))
        assert said.count("more likely wrong than right") == 1  # the reason once, not again under it
    with open_workspace(ws_path, readonly=True) as ws:
        assert not decisions.history(ws)
        assert app.session.bulk_accept(45).severity == "warning"  # the session refuses too
        assert not decisions.history(ws)


@sync
async def test_bulk_accept_below_90_warns_and_lists_lowest_score_first(ws_path: Path) -> None:
    app = ReviewApp(ws_path)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("b", "7", "0")
        assert "Careful" in str(app.screen.query_one("#count").render())
        await pilot.press("enter")
        rows = str(app.screen.query_one("#rows").render())
        assert rows.index("1005") < rows.index("1008")  # 72 before 93
        assert " 72  1005" in rows and "NGUYEN, SOFIA" in rows
        confirm = str(app.screen.query_one("#confirm").render())
        assert "Careful" in confirm and "Accept 2 students scoring 70+ (2 held back" in confirm
        assert stored(ws_path, "1005")[0] == "undecided"
        await pilot.press("y")
        assert stored(ws_path, "1005")[0] == "chosen"


@sync
async def test_bulk_accept_at_90_does_not_warn(ws_path: Path) -> None:
    app = ReviewApp(ws_path)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("b", "9", "0", "enter")
        assert "Careful" not in str(app.screen.query_one("#confirm").render())
        assert "1008" in str(app.screen.query_one("#rows").render())


@sync
async def test_m_writes_a_note_esc_cancels_and_m_again_edits(ws_path: Path) -> None:
    app = ReviewApp(ws_path)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("m")
        assert isinstance(app.screen, NoteScreen)
        await pilot.press(*"call mom", "enter")
        assert stored(ws_path, "1001")[2] == "call mom"
        assert "Note: call mom" in " ".join(t.plain for t in app.screen.query_one(StudentView).flags.build(80))
        await pilot.press("m", *" back", "escape")
        assert stored(ws_path, "1001")[2] == "call mom"
        await pilot.press("m")
        assert app.screen.query_one("#note").value == "call mom"  # m again edits
        await pilot.press(*" tuesday", "enter")
        assert stored(ws_path, "1001")[2] == "call mom tuesday"
        await pilot.press("u")
        assert stored(ws_path, "1001")[2] == "call mom"
        assert "note of 1001" in message(app)
    with open_workspace(ws_path, readonly=True) as ws:
        notes = [c for c in decisions.history(ws, "1001") if c.status == "note"]
        assert [c.note for c in notes] == ["note: call mom", "note: call mom tuesday", "note: call mom"]
        assert notes[0].decided_by and notes[0].decided_at


@sync
async def test_keys_typed_right_after_m_are_the_note_not_decisions(ws_path: Path) -> None:
    app = ReviewApp(ws_path)
    async with app.run_test(size=SIZE) as pilot:
        await burst(pilot, "m", "n", "s", "1")
        assert isinstance(app.screen, NoteScreen)
        await pilot.press("enter")
        assert stored(ws_path, "1001")[:3] == ("undecided", None, "ns1")


@sync
async def test_a_hostile_note_is_one_line_of_plain_text(ws_path: Path) -> None:
    app = ReviewApp(ws_path)
    async with app.run_test(size=SIZE):
        app.session.set_note("[bold red]x[/]\x1b[2J\nline two")
        line = flag_lines(app.session)[0]
        assert line.plain == "Note: [bold red]x[/] [2J line two" and not line.spans[1:]  # shown as typed, no markup
    assert stored(ws_path, "1001")[2] == "[bold red]x[/] [2J line two"  # control characters gone, one line


@sync
async def test_t_toggles_the_follow_up_tag_undoably_and_the_filters_find_it(ws_path: Path) -> None:
    app = ReviewApp(ws_path)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("J", "t")  # 1002
        assert stored(ws_path, "1002")[3] is True
        assert "tagged for follow-up" in message(app)
        assert "[follow-up]" in app.screen.query_one(StudentView).flags.build(80)[0].plain
        await pilot.press("m", *"ask the school", "enter")
        await pilot.press("f", filter_key("followup"))
        assert [app.session.student_at(i).local_id for i in range(len(app.session.ids))] == ["1002"]
        await pilot.press("f", filter_key("note"))
        assert len(app.session.ids) == 1
        await pilot.press("f", "1", "u", "u")  # the note, then the tag
        assert stored(ws_path, "1002")[2:] == ("", False)
        await pilot.press("t", "t")
        assert stored(ws_path, "1002")[3] is False


@sync
async def test_counts_in_messages_read_as_english(ws_path: Path) -> None:
    app = ReviewApp(ws_path)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("slash", *"PEREZ", "enter")
        assert message(app) == "1 student matches 'PEREZ'."
        await pilot.press("slash", *"GARCIA", "enter")
        assert message(app) == "2 students match 'GARCIA'."


@sync
async def test_bulk_refusal_goes_once_the_score_is_changed(ws_path: Path) -> None:
    """The 'Not accepted: type a score of 50 or more' line must not stay under a score of 70 that is allowed."""
    app = ReviewApp(ws_path)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("b", "4", "5", "enter")
        assert "Not accepted" in str(app.screen.query_one("#confirm").render())
        await pilot.press("backspace", "backspace", "7", "0")
        assert "Not accepted" not in str(app.screen.query_one("#confirm").render())
        assert "Careful" in str(app.screen.query_one("#count").render())


def many_students() -> list[dict]:
    """250 confident Single Matches, 10 pairs sharing an SSID (held back), 30 No Matches."""
    out = [student(f"S{i:04d}", "ANA", "LOPEZ", "20140101", candidates=[candidate(f"{1_000_000_000 + i}", 95, "ANA", "LOPEZ",
                                                                                 "20140101")]) for i in range(250)]
    out += [student(f"P{i:04d}", "LUIS", "DIAZ", "20130101", "M", candidates=[candidate(f"{2_000_000_000 + i // 2}", 96,
                                                                                      "LUIS", "DIAZ", "20130101")])
            for i in range(20)]
    out += [student(f"N{i:04d}", "EVA", "CRUZ", "20120101") for i in range(30)]
    return out


@sync
async def test_bulk_accept_of_hundreds_then_moves_and_undo_each_as_one_step(tmp_path: Path) -> None:
    path = make_workspace(tmp_path, students=many_students())
    app = ReviewApp(path)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("b", "9", "0", "enter")
        await pilot.pause()
        await pilot.press("y")
        assert isinstance(app.screen, ReviewScreen)
        assert app.session.counts.chosen == 250 and app.session.counts.conflicts == 0
        assert "Accepted 250 Single Matches scoring 90+; 20 held back" in message(app)
        await pilot.press("g", "J", "J")  # the list moves over the decided students
        assert app.session.student.local_id == "S0002" and app.session.student.status == "chosen"
        await pilot.press("tab")  # next undecided: the first held-back pair
        assert app.session.student.local_id == "P0000"
        await pilot.press("N")
        assert "Mark 30 undecided No Match students" in question(app)
        await pilot.press("y")
        assert app.session.counts.none == 30
        await pilot.press("u", "y")  # undo N: one step
        assert app.session.counts.none == 0 and app.session.counts.chosen == 250
        await pilot.press("u")
        assert question(app) == "Undo accepting 250 students? y / Esc"
        await pilot.press("y")
        assert "Undone: 250 decisions of one step" in message(app)
        assert app.session.counts.decided == 0 and app.session.counts.undecided == 300
    with open_workspace(path, readonly=True) as ws:
        assert ws.conn.execute("SELECT COUNT(*) FROM decision").fetchone()[0] == 0
        changes = decisions.history(ws)
        bulk = [c for c in changes if c.source == "bulk"]
        assert len(bulk) == 250 and {c.batch for c in bulk} == {bulk[0].batch}
        assert {(c.prev_status, c.status) for c in bulk} == {("undecided", "chosen")}
        undone = [c for c in changes if c.undoes == bulk[0].batch]
        assert len(undone) == 250 and {(c.prev_status, c.status) for c in undone} == {("chosen", "undecided")}
        assert ws.student_by_local_id("S0123").status == "undecided"


@sync
async def test_choosing_an_unlikely_candidate_over_a_likely_one_asks_and_records_nothing_until_y(tmp_path: Path) -> None:
    # a 4 typed for a 1 chose a 0-score SSID over one at 98 without a word (cold test)
    path = make_workspace(tmp_path, students=[
        student("2001", "ANA", "KIM", "20150101", candidates=[
            candidate("7234567890", 98, "ANA", "KIM", "20150101"),
            candidate("7234567891", 1, "ANA", "KIM", "20150110")]),
        student("2002", "LUIS", "DIAZ", "20140303", "M", candidates=[
            candidate("8234567890", 60, "LUIS", "DIAZ", "20140303", "M"),
            candidate("8234567891", 30, "LUIS", "DIAZ", "20140330", "M")]),
    ])
    app = ReviewApp(path)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("2")
        assert question(app) == "Choose candidate 2 (score 1), although candidate 1 scores 98? y / Esc"
        assert stored(path, "2001")[0] == "undecided"
        await pilot.press("escape")
        assert stored(path, "2001")[0] == "undecided" and "nothing changed" in message(app)
        await pilot.press("j", "enter")  # the highlighted one: the same question
        assert question(app).startswith("Choose candidate 2 (score 1)")
        await pilot.press("y")
        await pilot.pause()
        assert stored(path, "2001")[1] == "7234567891"
        await pilot.press("1")  # 2002: the likely one itself never asks
        await pilot.pause()
        assert not isinstance(app.screen, ConfirmScreen) and stored(path, "2002")[1] == "8234567890"


@sync
async def test_choosing_a_single_candidate_under_50_asks_first(tmp_path: Path) -> None:
    # two quick Enters chose a Single Match scoring 22, more likely another child (cold test)
    path = make_workspace(tmp_path, students=[
        student("3001", "ROSA", "LIM", "20150101", candidates=[
            candidate("9234567890", 22, "ROSA", "LIN", "20160212")]),
        student("3002", "JOSE", "ORTIZ", "20140303", "M", candidates=[
            candidate("9234567891", 50, "JOSE", "ORTIZ", "20140330", "M")]),
    ])
    app = ReviewApp(path)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("enter")
        assert question(app) == "Choose candidate 1, although it scores only 22? y / Esc"
        await pilot.press("escape")
        assert stored(path, "3001")[0] == "undecided"
        await pilot.press("enter")
        await pilot.press("y")
        await pilot.pause()
        assert stored(path, "3001")[1] == "9234567890"
        await pilot.press("enter")  # 3002: a score of 50 is chosen without a question
        await pilot.pause()
        assert not isinstance(app.screen, ConfirmScreen) and stored(path, "3002")[1] == "9234567891"


@sync
async def test_the_keys_and_the_message_stay_in_sight_when_a_student_needs_more_lines_than_the_screen(tmp_path: Path) -> None:
    # a warning, a Name: line and an Alias row pushed the key line off an 80x24 screen (cold test)
    from tests.support.app import crowded

    students = crowded()
    students[0]["candidates"] += [candidate(f"323456789{i}", 10 - i, "MARIA GUADALUPE", "HERNANDEZ", "20140507",
                                            middle="ESPERANZA DEL CARMEN") for i in range(4)]
    app = ReviewApp(make_workspace(tmp_path, students=students))
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("u")  # nothing to undo: a message
        await pilot.pause()
        line = app.screen.query_one("#message")  # the message, and the key line under it
        assert line.region.bottom == SIZE[1] and line.region.height >= 2
        assert "Nothing to undo" in message(app)


@sync
async def test_u_after_an_undone_bulk_step_reads_the_history_by_index_not_once_per_row(tmp_path: Path) -> None:
    # 250 accepted and undone: u next looked for the step to undo by reading the whole history once per
    # row of the undone step (at 1,802 students the demo's app stalled 20 s; at 200,000 it would hang)
    path = make_workspace(tmp_path, students=many_students())
    with sqlite3.connect(path) as conn:  # as a workspace from before the index: a writable opening adds it
        conn.execute(f"DROP INDEX {HISTORY_UNDOES_INDEX}")
    conn.close()
    app = ReviewApp(path)
    async with app.run_test(size=SIZE) as pilot:
        for keys in (("b", "9", "0", "enter"), ("y",), ("u",), ("y",)):
            await pilot.press(*keys)
            await pilot.pause()
        assert "Undone: 250 decisions of one step" in message(app)
        steps = [0]

        def count() -> int:
            steps[0] += 1
            return 0

        app.session.ws.conn.set_progress_handler(count, 1_000)  # called every 1,000 SQLite VM instructions
        await pilot.press("u")
        app.session.ws.conn.set_progress_handler(None, 0)
        assert message(app) == "Nothing to undo."
        assert steps[0] < 200, f"{steps[0] * 1_000:,} SQLite instructions for one u"
