"""Pilot tests of the review app: every key and flow, checked against the workspace on disk."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest
from textual import events

from ssid_tui.files import lock
from ssid_tui.ui.app import ReviewApp
from ssid_tui.ui.review_screen import ReviewScreen
from ssid_tui.ui.screens.bulk import BulkAcceptScreen
from ssid_tui.ui.screens.confirm import ConfirmScreen
from ssid_tui.ui.screens.export import ExportScreen
from ssid_tui.ui.screens.filter_menu import FilterMenu, filter_key
from ssid_tui.ui.screens.help import HelpScreen
from ssid_tui.ui.widgets.message_line import MessageLine
from ssid_tui.ui.widgets.status_bar import StatusBar
from ssid_tui.workspace import decisions, queue, registry_duplicates, review_notes
from ssid_tui.workspace.store import open_workspace
from tests.support.app import burst, make_workspace, review_students, sync
from tests.support.workspaces import candidate, student

SIZE = (80, 24)


@pytest.fixture
def ws_path(tmp_path: Path) -> Path:
    return make_workspace(tmp_path)


def decision_of(path: Path, local_id: str) -> tuple[str, str | None]:
    """(status, ssid) of a student, read from the file by a fresh connection."""
    with open_workspace(path, readonly=True) as ws:
        s = ws.student_by_local_id(local_id)
        assert s is not None
        return s.status, s.chosen_ssid


def current(app: ReviewApp) -> str:
    s = app.session.student
    assert s is not None
    return s.local_id


def screen(app: ReviewApp) -> ReviewScreen:
    assert isinstance(app.screen, ReviewScreen)
    return app.screen


def last_message(app: ReviewApp) -> tuple[str, str]:
    scr = app.get_default_screen() if not isinstance(app.screen, ReviewScreen) else app.screen
    return scr.messages[-1]


@sync
async def test_starts_on_the_first_student_and_shows_where_we_are(ws_path: Path) -> None:
    app = ReviewApp(ws_path)
    async with app.run_test(size=SIZE) as pilot:
        assert current(app) == "1001"
        status = str(app.screen.query_one(StatusBar).render())
        assert "district.sqlite" in status and "Single 3 Multiple 3 No match 1" in status
        assert "Decided 0 (0%)" in status and "Left 7" in status
        assert "Filter: All" in status and "Sort: file order" in status
        await pilot.press("q")
    assert app.return_code == 0


@sync
async def test_enter_chooses_the_highlighted_candidate_and_moves_to_the_next_undecided(ws_path: Path) -> None:
    app = ReviewApp(ws_path)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("enter")
        assert decision_of(ws_path, "1001") == ("chosen", "1234567890")
        assert current(app) == "1002"
        rows = [app.screen.query_one("QueueList").render_line(y).text for y in range(3)]
        assert "=1234567890" in rows[1] and rows[2].startswith("> 1002")


@sync
async def test_digits_choose_by_number_and_j_k_move_the_highlight(ws_path: Path) -> None:
    app = ReviewApp(ws_path)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("J")  # 1002, two candidates
        await pilot.press("2")
        assert decision_of(ws_path, "1002") == ("chosen", "2234567891")
        await pilot.press("g", "J", "J", "J", "J", "J")  # 1006, three candidates
        assert current(app) == "1006"
        await pilot.press("j", "j", "k", "j")
        assert app.session.cand_index == 2
        await pilot.press("enter")
        assert decision_of(ws_path, "1006") == ("chosen", "4234567892")


@sync
async def test_a_number_beyond_the_candidates_changes_nothing(ws_path: Path) -> None:
    app = ReviewApp(ws_path)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("5")
        assert decision_of(ws_path, "1001") == ("undecided", None)
        assert last_message(app)[0] == "warning" and "no number 5" in last_message(app)[1]
        assert current(app) == "1001"


@sync
async def test_none_of_these_skip_and_tab(ws_path: Path) -> None:
    app = ReviewApp(ws_path)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("G", "K", "K", "K", "K")  # 1003, the No Match
        assert current(app) == "1003"
        await pilot.press("enter")  # no candidate to choose: refused, says n
        assert decision_of(ws_path, "1003") == ("undecided", None)
        assert "press n" in last_message(app)[1]
        await pilot.press("n")
        assert decision_of(ws_path, "1003") == ("none", None)
        assert current(app) == "1004"
        await pilot.press("s")
        assert decision_of(ws_path, "1004") == ("skipped", None)
        assert current(app) == "1005"
        # tab visits undecided students, wrapping round; the skipped one only when no other is left
        seen = []
        for _ in range(5):
            await pilot.press("tab")
            seen.append(current(app))
        assert seen == ["1006", "1007", "1001", "1002", "1005"]
        await pilot.press("shift+tab")
        assert current(app) == "1002"
        # 1002, 1005, 1006, 1007 in turn: each has a candidate scoring 50+, so n asks and y answers
        await pilot.press("n", "y", "n", "y", "n", "y", "n", "y")
        assert current(app) == "1001"  # wrapped round to the last undecided
        await pilot.press("n", "y")
        assert current(app) == "1004"  # only the skipped one is left: back to it


@sync
async def test_undo_takes_back_the_last_step_and_goes_to_that_student(ws_path: Path) -> None:
    app = ReviewApp(ws_path)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("enter", "n", "y")  # 1001 chosen, 1002 none (its 88 asks first)
        assert current(app) == "1003"
        await pilot.press("u")
        assert decision_of(ws_path, "1002") == ("undecided", None)
        assert current(app) == "1002"
        await pilot.press("u")
        assert decision_of(ws_path, "1001") == ("undecided", None)
        assert current(app) == "1001"
        await pilot.press("u")
        assert last_message(app)[1] == "Nothing to undo."


@sync
async def test_undo_works_after_restarting_the_app(ws_path: Path) -> None:
    app = ReviewApp(ws_path)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("enter", "2")  # 1001 chosen, then 1002 gets its candidate 2
        await pilot.press("q")
    assert decision_of(ws_path, "1002")[0] == "chosen"
    again = ReviewApp(ws_path)
    async with again.run_test(size=SIZE) as pilot:
        await pilot.press("u")
        assert decision_of(ws_path, "1002") == ("undecided", None)
        await pilot.press("u")
        assert decision_of(ws_path, "1001") == ("undecided", None)


@sync
async def test_clear_makes_a_student_undecided_again(ws_path: Path) -> None:
    app = ReviewApp(ws_path)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("enter", "K")
        assert current(app) == "1001"
        await pilot.press("c")
        assert decision_of(ws_path, "1001") == ("undecided", None)
        assert current(app) == "1001"
        await pilot.press("u")  # clear is undoable too
        assert decision_of(ws_path, "1001") == ("chosen", "1234567890")


@sync
async def test_reopening_resumes_at_the_first_undecided_student(ws_path: Path) -> None:
    with open_workspace(ws_path) as ws:
        decisions.choose(ws, ws.student_by_local_id("1001").id, "1234567890")
        decisions.mark_none(ws, ws.student_by_local_id("1002").id)
        decisions.skip(ws, ws.student_by_local_id("1003").id)  # skipped = come back later
    app = ReviewApp(ws_path)
    async with app.run_test(size=SIZE):
        assert current(app) == "1004"


@sync
async def test_choosing_an_ssid_twice_warns_at_once_and_marks_both(ws_path: Path) -> None:
    app = ReviewApp(ws_path)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("enter")  # 1001 -> 1234567890
        await pilot.press("J", "J")
        assert current(app) == "1004"
        await pilot.press("enter")  # 1004 -> the same SSID
        severity, text = last_message(app)
        assert severity == "warning" and "Conflict" in text and "1234567890" in text and "1001" in text
        assert current(app) == "1004"  # stays, so the reviewer sees it
        assert app.session.conflict_ssids == {"1234567890"}
        lines = "\n".join(app.screen.query_one("QueueList").render_line(y).text for y in range(8))
        assert "!1234567890" in lines and lines.count("!1234567890") == 2
        assert "1 conflict" in str(app.screen.query_one(StatusBar).render())
        await pilot.press("f", "8")  # Conflicts
        assert [app.session.student_at(i).local_id for i in range(len(app.session.ids))] == ["1001", "1004"]


@sync
async def test_each_filter_lists_what_the_domain_query_lists(tmp_path: Path) -> None:
    low = student("1008", "ANA", "RUIZ", "20150202", candidates=[candidate("6234567890", 45, "ANA", "RUIZ", "20150220")])
    ws_path = make_workspace(tmp_path, students=[*review_students(), low])
    with open_workspace(ws_path) as ws:
        decisions.choose(ws, ws.student_by_local_id("1001").id, "1234567890")
        decisions.choose(ws, ws.student_by_local_id("1004").id, "1234567890")
        decisions.skip(ws, ws.student_by_local_id("1005").id)
        decisions.mark_none(ws, ws.student_by_local_id("1003").id)
        decisions.annotate(ws, ws.student_by_local_id("1006").id, review_notes.NOTE, "call the school")
        decisions.annotate(ws, ws.student_by_local_id("1007").id, review_notes.FOLLOW_UP, "Y")
        ws.store_upload_duplicates([("1002", "1005", 93)])
        registry_duplicates.store(ws, [("1006", "4234567890", "4234567891")])
        expected = {name: queue.queue_ids(ws, name) for name in queue.FILTERS}
    assert all(expected[n] for n in expected), "every filter should list someone in this workspace"
    assert expected["duplicates"] == [2, 5] and len(expected["note"]) == len(expected["followup"]) == 1
    assert expected["registry_duplicates"] == [6]
    app = ReviewApp(ws_path)
    async with app.run_test(size=SIZE) as pilot:
        for name in queue.FILTERS:
            await pilot.press("f", filter_key(name))
            assert app.session.filter == name
            assert list(app.session.ids) == expected[name], name
            assert f"Filter: {queue.FILTER_LABELS[name]}" in str(app.screen.query_one(StatusBar).render())
        await pilot.press("f", *"kkkkkkkkk", "enter")  # menu by j/k + Enter: from the last (Twice in registry) up to Decided
        assert app.session.filter == "decided"
        await pilot.press("f", "q")  # q leaves the filter alone
        assert app.session.filter == "decided"


@sync
async def test_search_by_name_and_by_local_id(ws_path: Path) -> None:
    app = ReviewApp(ws_path)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("slash", *"nguyen", "enter")
        assert [app.session.student_at(i).local_id for i in range(len(app.session.ids))] == ["1005"]
        assert current(app) == "1005"
        assert "Search: nguyen" in str(app.screen.query_one(StatusBar).render())
        await pilot.press("slash", "ctrl+u", *"1004", "enter")
        assert current(app) == "1004" and len(app.session.ids) == 1
        await pilot.press("slash", "ctrl+u", "enter")  # empty search: everyone again
        assert len(app.session.ids) == 7
        await pilot.press("slash", *"zzz", "escape")  # Esc cancels
        assert app.session.search == "" and len(app.session.ids) == 7


@sync
async def test_sort_cycles_and_keeps_the_current_student(ws_path: Path) -> None:
    app = ReviewApp(ws_path)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("J")  # 1002
        with open_workspace(ws_path, readonly=True) as ws:
            expected = {name: queue.queue_ids(ws, "all", "", name) for name in queue.SORTS}
        for name in ["score_desc", "score_asc", "name", "file"]:
            await pilot.press("o")
            assert app.session.sort == name
            assert list(app.session.ids) == expected[name]
            assert current(app) == "1002"
        await pilot.press("o")
        assert [app.session.student_at(i).local_id for i in range(3)] == ["1001", "1006", "1004"]


@sync
async def test_bulk_accept_counts_confirms_and_undoes_as_one_step(tmp_path: Path) -> None:
    from tests.support.app import review_students
    from tests.support.workspaces import candidate, student

    extra = student("1008", "OLIVIA", "TRAN", "20150303", candidates=[candidate("6234567890", 93, "OLIVIA", "TRAN", "20150303")])
    ws_path = make_workspace(tmp_path, students=[*review_students(), extra])
    app = ReviewApp(ws_path)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("b")
        assert isinstance(app.screen, BulkAcceptScreen)
        await pilot.press("7", "0")
        shown = str(app.screen.query_one("#count").render())
        # 1005 (72) and 1008 (93); 1001 and 1004 share an SSID, so they are held back
        assert "2 Single Matches at or above 70" in shown and "2 more held back" in shown
        await pilot.press("enter")  # asks; Enter alone never accepts
        assert decision_of(ws_path, "1008") == ("undecided", None)
        assert "y accepts" in str(app.screen.query_one("#confirm").render())
        await pilot.press("y")
        assert isinstance(app.screen, ReviewScreen)
        assert decision_of(ws_path, "1005") == ("chosen", "3234567890")
        assert decision_of(ws_path, "1008") == ("chosen", "6234567890")
        assert decision_of(ws_path, "1001") == ("undecided", None)  # held back
        assert "Accepted 2 Single Matches" in last_message(app)[1] and "2 held back" in last_message(app)[1]
        assert app.session.counts.chosen == 2
        await pilot.press("u")  # a bulk step: asks first
        assert isinstance(app.screen, ConfirmScreen)
        assert "Undo accepting 2 students? y / Esc" in " ".join(str(w.render()) for w in app.screen.query("#question, #answer"))
        assert decision_of(ws_path, "1005") == ("chosen", "3234567890")
        await pilot.press("y")
        assert decision_of(ws_path, "1005") == ("undecided", None)
        assert decision_of(ws_path, "1008") == ("undecided", None)
        assert "2 decisions of one step" in last_message(app)[1]


@sync
async def test_bulk_accept_can_go_back_and_be_cancelled(ws_path: Path) -> None:
    app = ReviewApp(ws_path)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("b", "7", "0", "enter", "n")  # back to the score
        assert isinstance(app.screen, BulkAcceptScreen) and not app.screen.confirming
        await pilot.press("backspace", "backspace", "1", "0", "1")  # 101 is not a score
        assert "from 0 to 100" in str(app.screen.query_one("#count").render())
        await pilot.press("escape")
        assert isinstance(app.screen, ReviewScreen)
        with open_workspace(ws_path, readonly=True) as ws:
            assert queue.counts(ws).decided == 0


@sync
async def test_e_writes_the_files_of_export_to_with_the_same_names_after_asking(ws_path: Path, tmp_path: Path) -> None:
    from typer.testing import CliRunner

    import ssid_tui.cli  # noqa: F401
    from ssid_tui.cli.app import app as cli

    app = ReviewApp(ws_path)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("enter", "e")
        assert "upload_match_results.csv" in str(app.screen.query_one("Static").render())
        await pilot.press("enter")  # the default folder: the workspace's
        assert isinstance(app.screen, ConfirmScreen)
        assert question_text(app) == "Export with 6 students undecided? y / Esc"
        assert "6 students of 7 are still undecided" in str(app.screen.query_one("#detail").render())
        await pilot.press("y")
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert "Wrote 4 files: results" in last_message(app)[1]
    by_app = {p.name for p in ws_path.parent.iterdir() if p.suffix in (".csv", ".md", ".txt")}
    assert by_app == {"upload_match_results.csv", "upload_sis_ssids.csv", "upload_with_ssids.txt",
                      "upload_review_report.md"}
    target = ws_path.with_name("upload_match_results.csv")
    with target.open(encoding="utf-8", newline="") as fh:
        rows = list(csv.DictReader(fh))
    chosen = [r for r in rows if r["Submitted_SENR_LocalID"] == "1001" and r["Selection"] == "X"]
    assert chosen and chosen[0]["Result_SENR_SSID"] == "1234567890"
    assert (target.stat().st_mode & 0o077) == 0  # student data: owner-only
    out = tmp_path / "cli"
    out.mkdir()
    result = CliRunner().invoke(cli, ["export", str(ws_path), "--to", str(out)], env={"COLUMNS": "200", "NO_COLOR": "1"})
    assert result.exit_code == 0, result.output
    assert "6 students of 7 are still undecided" in result.output
    assert {p.name for p in out.iterdir()} == by_app
    assert (out / "upload_match_results.csv").read_bytes() == target.read_bytes()


@sync
async def test_e_makes_a_missing_folder_and_keeps_the_typed_path_whole(ws_path: Path, tmp_path: Path) -> None:
    """Cold test: the app said 'not a folder' where `export --to` makes it; the selected path was replaced by
    the first key typed; Enter on an empty box did nothing and said nothing (it now says so, and the box
    stays empty: a folder put back there had the next one typed in front of it)."""
    from textual.widgets import Input

    app = ReviewApp(ws_path)
    target = tmp_path / "new" / "out"
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("enter", "e")
        box = app.screen.query_one("#path", Input)
        await pilot.press("x")  # typed at the end of the path, not over it
        assert box.value == str(ws_path.resolve().parent) + "x"
        box.value = ""
        await pilot.press("enter")  # said, not silent; the box stays empty for the folder typed next
        assert isinstance(app.screen, ExportScreen) and box.value == ""
        assert "No folder given" in str(app.screen.query_one("#problem").render())
        box.value = str(target)
        await pilot.press("enter", "y")
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert "Wrote 4 files" in last_message(app)[1]
    assert len(list(target.iterdir())) == 4 and (target.stat().st_mode & 0o777) == 0o700


@sync
async def test_e_can_be_cancelled_at_the_question(ws_path: Path) -> None:
    app = ReviewApp(ws_path)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("e", "enter", "escape")
        await pilot.pause()
        assert not ws_path.with_name("upload_match_results.csv").exists()


@sync
async def test_export_refuses_with_unresolved_conflicts_in_the_apps_words(ws_path: Path, tmp_path: Path) -> None:
    with open_workspace(ws_path) as ws:
        for lid in ("1001", "1004"):
            decisions.choose(ws, ws.student_by_local_id(lid).id, "1234567890")  # a conflict
    app = ReviewApp(ws_path)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("e", "ctrl+u", *str(tmp_path), "enter", "y")
        await app.workers.wait_for_complete()
        await pilot.pause()
        severity, text = last_message(app)
        assert severity == "error" and "1234567890: 1001, 1004" in text
        assert "resolve them here: filter 8 lists them" in text.lower() and "allow_conflicts" not in text
    assert not list(tmp_path.glob("*_match_results.csv"))


def question_text(app: ReviewApp) -> str:
    return " ".join(str(w.render()) for w in app.screen.query("#question, #answer"))


@sync
async def test_help_lists_every_key_and_closes_without_quitting(ws_path: Path) -> None:
    from ssid_tui.ui.keymap import KEYMAP
    from ssid_tui.ui.screens.help import PAIRS, help_text

    text = help_text().plain
    paired = set(PAIRS) | {second for second, _words in PAIRS.values()}
    for k in KEYMAP:
        if k.action.startswith("choose_number"):
            continue
        assert k.display in text, k.action
        if k.action not in paired:
            assert k.description in text, k.action
    for _second, words in PAIRS.values():
        assert words in text
    assert max(len(line) for line in text.splitlines()) <= 76  # the box: 80 - 2 border - 1 padding - 1 scrollbar
    assert "1-9" in text and "ctrl+p" in text
    app = ReviewApp(ws_path)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("question_mark")
        assert isinstance(app.screen, HelpScreen)
        await pilot.press("n")  # keys of the review screen do nothing under the help
        assert decision_of(ws_path, "1001") == ("undecided", None)
        await pilot.press("q")
        assert isinstance(app.screen, ReviewScreen)
        assert app.is_running


@sync
async def test_a_second_instance_opens_read_only_and_says_so(ws_path: Path) -> None:
    held = lock.acquire(ws_path)
    assert held is not None
    try:
        app = ReviewApp(ws_path)
        async with app.run_test(size=SIZE) as pilot:
            assert app.session.readonly
            assert "READ-ONLY" in app.sub_title
            assert "READ-ONLY" in str(app.screen.query_one(StatusBar).render())
            assert screen(app).messages[0][0] == "warning" and "READ-ONLY" in screen(app).messages[0][1]
            for key in ["enter", "1", "n", "s", "c", "u", "b"]:
                await pilot.press(key)
                assert "Read-only" in last_message(app)[1], key
            assert isinstance(app.screen, ReviewScreen)  # b did not open the bulk dialog
        with open_workspace(ws_path, readonly=True) as ws:
            assert queue.counts(ws).decided == 0 and not decisions.history(ws)
    finally:
        held.release()
    # the lock is free again once the first holder is gone: a new app can decide
    app = ReviewApp(ws_path)
    async with app.run_test(size=SIZE) as pilot:
        assert not app.session.readonly
        await pilot.press("enter")
    assert decision_of(ws_path, "1001")[0] == "chosen"


@sync
async def test_the_app_holds_the_lock_while_open_and_releases_it(ws_path: Path) -> None:
    app = ReviewApp(ws_path)
    async with app.run_test(size=SIZE):
        assert lock.acquire(ws_path) is None
    taken = lock.acquire(ws_path)
    assert taken is not None
    taken.release()


@sync
async def test_moving_keys(ws_path: Path) -> None:
    app = ReviewApp(ws_path)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("G")
        assert current(app) == "1007"
        await pilot.press("K")
        assert current(app) == "1006"
        await pilot.press("home")
        assert current(app) == "1001"
        await pilot.press("end", "g")
        assert current(app) == "1001"
        await pilot.press("pagedown")
        assert app.session.index > 1
        await pilot.press("pageup", "pageup")
        assert current(app) == "1001"
        await pilot.press("J", "r")  # reload keeps the place
        assert current(app) == "1002"


@sync
async def test_the_palette_offers_every_action(ws_path: Path) -> None:
    from ssid_tui.ui.keymap import KEYMAP

    app = ReviewApp(ws_path)
    async with app.run_test(size=SIZE):
        titles = [c.title for c in app.get_system_commands(app.screen)]
        for k in KEYMAP:
            if k.palette:
                assert any(k.description in t for t in titles), k.action
        assert not any("screenshot" in t.lower() for t in titles)
        assert any(t == "Filter: Conflicts" for t in titles)


@sync
async def test_palette_command_runs_the_action(ws_path: Path) -> None:
    app = ReviewApp(ws_path)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("ctrl+p")
        await pilot.press(*"none of these", "enter")
        await pilot.pause()
        await pilot.press("y")  # 1001's candidate scores 97: asks first
        assert decision_of(ws_path, "1001") == ("none", None)


@sync
async def test_keys_typed_fast_after_slash_are_search_text_not_decisions(ws_path: Path) -> None:
    """'/nsc1' arriving in one burst: n, s, c and 1 must not decide anything."""
    app = ReviewApp(ws_path)
    async with app.run_test(size=SIZE) as pilot:
        await burst(pilot, "slash", "n", "s", "c", "1", "enter")
        assert app.session.search == "nsc1"
        with open_workspace(ws_path, readonly=True) as ws:
            assert not decisions.history(ws)


@sync
async def test_the_search_box_opens_in_the_message_line_and_moves_nothing(ws_path: Path) -> None:
    """With Textual's Input, each / and each Enter restyled and re-laid the whole screen (~20 ms of a key at
    200,000 students); the box is the message line now. A paste and markup stay text."""
    app = ReviewApp(ws_path)
    async with app.run_test(size=SIZE) as pilot:
        scr = screen(app)
        regions = {w.id: w.region for w in scr.query("*") if w.id}
        await pilot.press("slash", *"GARCA", "left", "I")
        assert scr.search_open and {w.id: w.region for w in scr.query("*") if w.id} == regions
        line = scr.query_one(MessageLine)
        assert line.render().plain.rstrip() == " Search: GARCIA"
        await pilot.press("end", "ctrl+u")
        app.post_message(events.Paste("[bold]1001\x1b[2J\nsecond"))
        await pilot.pause()
        assert line.render().plain.rstrip() == " Search: [bold]1001[2J"
        await pilot.press("ctrl+u", *"1001", "enter")
        assert not scr.search_open and current(app) == "1001" and len(app.session.ids) == 1
        await pilot.press("slash", *"zzz", "escape")  # Esc: the search stays as it was
        assert not scr.search_open and app.session.search == "1001"


@sync
async def test_keys_typed_fast_after_b_never_accept(tmp_path: Path) -> None:
    """'b70' Enter y in one burst: the score is kept, but nothing is accepted without a visible y."""
    app = ReviewApp(make_workspace(tmp_path))
    async with app.run_test(size=SIZE) as pilot:
        await burst(pilot, "b", "7", "0", "enter", "y")
        assert isinstance(app.screen, BulkAcceptScreen)
        assert app.screen.query_one("#score").value == "70" and app.screen.confirming
        assert app.session.counts.decided == 0
        await pilot.press("y")  # the y typed once the question is on screen accepts
        assert isinstance(app.screen, ReviewScreen) and app.session.counts.decided > 0


@sync
async def test_keys_typed_fast_after_f_pick_a_filter_not_a_candidate(ws_path: Path) -> None:
    """'f3' in one burst: 3 is the Single Match filter, never candidate 3 of the student."""
    app = ReviewApp(ws_path)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("G", "K")  # 1006: three candidates, so a stray 3 would choose one
        await burst(pilot, "f", "3", "u", "e", "question_mark")
        with open_workspace(ws_path, readonly=True) as ws:
            assert not decisions.history(ws)
        assert app.session.filter == "single" or isinstance(app.screen, FilterMenu)


@sync
async def test_the_filter_menu_shown_again_has_the_current_filter_and_counts(ws_path: Path) -> None:
    """The menu is built once and shown again: with the filter in use highlighted, today's counts, and
    "undecided only" as the session has it (not as it was left when the menu was cancelled)."""
    app = ReviewApp(ws_path)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("f")
        menu = app.screen
        assert isinstance(menu, FilterMenu)
        assert str(menu.query_one("Static").render()).splitlines()[0].startswith(">")  # All
        await pilot.press("u", "escape")  # toggled, then cancelled: nothing changed
        assert not app.session.undecided_only
        await pilot.press("J", "J", "n", "f")  # 1003, a No Match: decided
        assert app.screen is menu
        lines = str(menu.query_one("Static").render()).splitlines()
        assert lines[0].startswith(">") and "[ ]" in lines[-1]
        decided = next(line for line in lines if "Decided" in line)
        assert decided.split()[-1] == "1"
        await pilot.press(filter_key("nomatch"))
        assert app.session.filter == "nomatch" and isinstance(app.screen, ReviewScreen)
        await pilot.press("f")
        lines = str(app.screen.query_one("Static").render()).splitlines()
        assert app.screen is menu and lines[filter_key_index("nomatch")].startswith(">")


def filter_key_index(name: str) -> int:
    """The menu line of filter `name`."""
    from ssid_tui.ui.session import FILTER_ORDER

    return FILTER_ORDER.index(name)
