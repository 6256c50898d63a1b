"""Finding the way in the review app: arrows, search, score bands, remembered filters, progress, the end."""

from __future__ import annotations

import gc
import sqlite3
import threading
from pathlib import Path

import pytest

from ssid_tui.ui.app import ReviewApp
from ssid_tui.ui.review_screen import ReviewScreen
from ssid_tui.ui.screens.export import ExportScreen
from ssid_tui.ui.screens.filter_menu import filter_key
from ssid_tui.ui.screens.summary import SummaryScreen
from ssid_tui.ui.session import ReviewSession
from ssid_tui.ui.widgets.message_line import MessageLine
from ssid_tui.ui.widgets.queue_list import QueueList
from ssid_tui.ui.widgets.status_bar import StatusBar
from ssid_tui.workspace import decisions, queue
from ssid_tui.workspace.store import open_workspace
from tests.support.app import make_workspace, review_students, sync
from tests.support.workspaces import build_workspace, candidate, student

SIZE = (80, 24)


@pytest.fixture
def ws_path(tmp_path: Path) -> Path:
    return make_workspace(tmp_path)


def local_id(app: ReviewApp) -> str:
    s = app.session.student
    assert s is not None
    return s.local_id


def listed(app: ReviewApp) -> list[str]:
    return [app.session.student_at(i).local_id for i in range(len(app.session.ids))]  # type: ignore[union-attr]


def status(app: ReviewApp) -> str:
    return str(app.screen.query_one(StatusBar).render())


# -- 8. keys that match the eye ---------------------------------------------------------------


@sync
async def test_up_down_move_through_students_and_j_k_through_candidates(ws_path: Path) -> None:
    app = ReviewApp(ws_path)
    async with app.run_test(size=SIZE) as pilot:
        assert local_id(app) == "1001"
        await pilot.press("down")  # a Single Match: Down goes to the next student, not nowhere
        assert local_id(app) == "1002"
        await pilot.press("down", "down", "down", "down")
        assert local_id(app) == "1006"
        await pilot.press("j", "j")
        assert app.session.cand_index == 2
        await pilot.press("k")
        assert app.session.cand_index == 1
        await pilot.press("up")
        assert local_id(app) == "1005" and app.session.cand_index == 0
        await pilot.press("J", "K", "K")
        assert local_id(app) == "1004"
        await pilot.press("down", "3")  # 1005 has one candidate: 3 is refused, nothing recorded
        assert app.session.student.status == "undecided"  # type: ignore[union-attr]


@sync
async def test_the_key_line_shows_the_navigation_keys_and_cuts_no_entry(ws_path: Path) -> None:
    app = ReviewApp(ws_path)
    async with app.run_test(size=SIZE):
        line = str(app.screen.query_one(MessageLine).key_line())
        assert line.startswith(" Up/Dn Student j/k Cand. Enter Choose")
        assert len(line) <= 80 and "? Help" in line


# -- 9. search ---------------------------------------------------------------------------------


@pytest.fixture
def search_ws(tmp_path: Path):
    students = [
        student("A-1", "Ana", "Núñez", "20130903", candidates=[candidate("1111111111", 95, "ANA", "NUNEZ", "20130903")]),
        student("A-2", "JOSE", "LOPEZ-CORDOVA", "20120101", middle="LUIS"),
        student("100%", "MAX", "PEREZ", "20110101"),
        student("A_3", "MAXIMO", "PEREZ", "20110102"),
        student("A-4", "SOFIA", "NUNEZ", "20150505", alias_first="SOPHIE", alias_last="NEWMAN"),
    ]
    ws = build_workspace(tmp_path / "s.sqlite", students)
    yield ws
    ws.close()


@pytest.mark.parametrize(("text", "expected"), [
    ("NUNEZ", ["A-1", "A-4"]), ("núñez", ["A-1", "A-4"]), ("nunez, ana", ["A-1"]), ("ANA NUNEZ", ["A-1"]),
    ("2013-09-03", ["A-1"]), ("20130903", ["A-1"]), ("09/03/2013", ["A-1"]),
    ("1111111111", ["A-1"]), ("lopez-cordova, jose", ["A-2"]), ("jose lopez-cordova", ["A-2"]),
    ("jose luis lopez", ["A-2"]), ("a-2", ["A-2"]), ("%", ["100%"]), ("_", ["A_3"]), ("a_", ["A_3"]),
    ("sophie newman", ["A-4"]), ("newman, sophie", ["A-4"]), ("zzz", []),
])
def test_search_finds_by_id_ssid_date_and_name_forms(search_ws, text: str, expected: list[str]) -> None:
    assert [s.local_id for s in search_ws.students(queue.queue_ids(search_ws, "all", text))] == expected


def test_search_finds_an_ssid_chosen_by_lookup(search_ws) -> None:
    a2 = search_ws.student_by_local_id("A-2")
    decisions.choose_found(search_ws, a2.id, "2222222222")
    assert [s.local_id for s in search_ws.students(queue.queue_ids(search_ws, "all", "2222222222"))] == ["A-2"]


@sync
async def test_slash_opens_empty_and_finds_accented_names(tmp_path: Path) -> None:
    path = make_workspace(tmp_path, students=[*review_students(), student("2001", "ANA", "NÚÑEZ", "20130903")])
    app = ReviewApp(path)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("slash", *"nunez", "enter")
        assert listed(app) == ["2001"]
        await pilot.press("slash")
        box = app.screen.query_one(MessageLine).box
        assert box is not None and box.value == ""
        await pilot.press(*"2013-09-03", "enter")
        assert listed(app) == ["2001"] and "Search: 2013-09-03" in status(app)


# -- 10. score bands, undecided only, remembered -----------------------------------------------


def band_students() -> list[dict]:
    out = review_students()
    out.append(student("1008", "ANA", "RUIZ", "20150202", candidates=[candidate("6234567890", 45, "ANA", "RUIZ", "20150220")]))
    return out


@sync
async def test_score_bands_combine_with_undecided_and_are_remembered(tmp_path: Path) -> None:
    path = make_workspace(tmp_path, students=band_students())
    app = ReviewApp(path)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("f", filter_key("single_below_90"))
        assert listed(app) == ["1005", "1008"]
        await pilot.press("f", filter_key("score_50_89"))
        assert listed(app) == ["1002", "1005", "1007"]
        await pilot.press("f", filter_key("score_below_50"))
        assert listed(app) == ["1008"]
        await pilot.press("f", filter_key("score_50_89"), "enter")  # choose for 1002 (88)
        assert listed(app) == ["1002", "1005", "1007"]
        await pilot.press("f", "u", filter_key("score_50_89"))  # u: only the undecided of the band
        assert listed(app) == ["1005", "1007"]
        assert "Filter: Score 50-89, undecided" in status(app)
        await pilot.press("o")  # score, high first
        assert app.session.sort == "score_desc"
    again = ReviewApp(path)
    async with again.run_test(size=SIZE):
        assert again.session.filter == "score_50_89" and again.session.undecided_only
        assert again.session.sort == "score_desc"
        assert listed(again) == ["1007", "1005"]


@sync
async def test_a_filter_starts_at_its_first_student_unless_it_lists_the_current_one(ws_path: Path) -> None:
    app = ReviewApp(ws_path)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("g", *"JJJJ")
        assert local_id(app) == "1005"  # a Single Match, fifth in the file
        await pilot.press("f", filter_key("multiple"))  # 1002, 1006, 1007: not the fifth place's clamp (1007)
        assert local_id(app) == "1002" and app.session.index == 0
        await pilot.press("J")
        await pilot.press("f", filter_key("all"))  # 1006 is listed: the cursor stays on it
        assert local_id(app) == "1006"
        await pilot.press("f", filter_key("nomatch"))
        assert local_id(app) == "1003"


@sync
async def test_a_read_only_second_app_does_not_write_the_remembered_filter(ws_path: Path) -> None:
    first = ReviewApp(ws_path)
    async with first.run_test(size=SIZE) as pilot:
        await pilot.press("f", filter_key("nomatch"))
        second = ReviewApp(ws_path)  # the first holds the lock: read-only
        assert second.session.readonly and second.session.filter == "nomatch"
        async with second.run_test(size=SIZE) as pilot2:
            await pilot2.press("f", filter_key("single"), "o")
            assert second.session.filter == "single"
        await pilot.press("q")
    with sqlite3.connect(ws_path) as conn:
        stored = dict(conn.execute("SELECT key, value FROM setting"))
    assert stored["review.filter"] == "nomatch" and stored["review.sort"] == "file"


# -- 13. progress and the end -----------------------------------------------------------------


@sync
async def test_percent_done_and_the_summary_at_the_end_with_the_next_step(ws_path: Path) -> None:
    app = ReviewApp(ws_path)
    async with app.run_test(size=SIZE) as pilot:
        assert "Decided 0 (0%)" in status(app)
        await pilot.press("enter")
        assert "Decided 1 (14%)" in status(app)
        await pilot.press("enter", "n", "s", "enter", "enter")  # 1002, 1003 none, 1004 skipped, 1005, 1006
        assert not isinstance(app.screen, SummaryScreen)
        await pilot.press("enter")  # 1007: the last undecided
        await pilot.pause()
        assert isinstance(app.screen, SummaryScreen)
        text = str(app.screen.query_one("#summary").render())
        for words in ("SSID chosen", "None of these", "Skipped", "SSID conflicts", "Undecided", "press e to export",
                      "ssid-tui export"):
            assert words in text
        assert "Tagged for a follow-up" not in text  # none tagged: the line is left out
        await pilot.press("e")
        await pilot.pause()
        assert isinstance(app.screen, ExportScreen)
        await pilot.press("escape")
        assert "all decided: e exports" in status(app)


# -- 12. too small -------------------------------------------------------------------------------


@sync
async def test_below_80x24_the_app_says_so_and_decides_nothing(ws_path: Path) -> None:
    app = ReviewApp(ws_path)
    async with app.run_test(size=(79, 24)) as pilot:
        scr = app.screen
        assert isinstance(scr, ReviewScreen) and scr.too_small
        assert "terminal too small (needs 80x24)" in str(scr.query_one("#too-small").render())
        await pilot.press("enter", "n", "slash", "b")
        assert app.session.counts.decided == 0 and scr.query_one("StatusBar").region.height == 0
        await pilot.resize_terminal(80, 24)
        await pilot.pause()
        assert not scr.too_small
        await pilot.press("enter")
        assert app.session.counts.decided == 1
        await pilot.resize_terminal(80, 23)
        await pilot.pause()
        await pilot.press("q")
    assert app.return_code == 0


# -- 16. messages ------------------------------------------------------------------------------


@sync
async def test_messages_stay_off_the_comparison_and_lines_cut_whole_words(ws_path: Path) -> None:
    app = ReviewApp(ws_path)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("enter", "G", "K", "K", "K", "enter")  # 1004 takes 1001's SSID: a conflict
        assert "Conflict" in app.screen.messages[-1][1]
        assert not app._notifications  # no toast over the comparison
        line = str(app.screen.query_one(MessageLine).render())
        # longer than 80 columns: wrapped onto a second line at a word, its end (what to do) still shown
        assert "~" not in line and len(line.splitlines()) == 2 and line.rstrip().endswith("u undoes.")
        assert all(len(part) <= 80 for part in line.splitlines())
        await pilot.press("down")  # the next key takes the message away (issue 11.16)
        assert str(app.screen.query_one(MessageLine).render()).strip() == ""
        await pilot.press("slash", *"garcia maria lopez nguyen romero kim smith", "enter")
        text = status(app)
        assert "~" not in text and "g~" not in text
        bottom = text.splitlines()[1].rstrip()
        # a search too long for 80 columns loses its last words, whole words; the default file order is
        # left out first (it read 'Sort: file'), the conflict count stays
        assert "Search: garcia maria" in bottom and "\u2026" in bottom and "Sort" not in bottom, bottom
        assert bottom.endswith("! 1 conflict"), bottom


# -- the remembered settings are not a layout change --------------------------------------------


def test_an_older_workspace_without_the_setting_table_opens(ws_path: Path) -> None:
    with sqlite3.connect(ws_path) as conn:
        assert not conn.execute("SELECT 1 FROM sqlite_master WHERE name = 'setting'").fetchone()
    with open_workspace(ws_path, readonly=True) as ws:
        from ssid_tui.workspace import preferences
        assert preferences.read(ws) == {} and preferences.write(ws, {"review.sort": "name"}) is False


@sync
async def test_search_works_read_only_and_leaves_the_file_as_it_was(ws_path: Path) -> None:
    before = ws_path.read_bytes()
    app = ReviewApp(ws_path, readonly=True)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("slash", *"garcia", "enter")
        assert listed(app) == ["1001", "1004"]
    assert ws_path.read_bytes() == before


@sync
async def test_the_search_stays_in_sight_at_80_columns_when_the_progress_moves_to_line_2(tmp_path: Path) -> None:
    """With the demo's counts line 2 held progress, position, filter and sort; the search was left out as '...'."""
    path = make_workspace(tmp_path, name="fall_2026_senr_upload.workspace.sqlite",
                          students=[*review_students(), student("2001", "ANA", "NÚÑEZ", "20130903")])
    app = ReviewApp(path)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("f", filter_key("undecided"), "slash", *"2013-09-03", "enter")
        assert listed(app) == ["2001"]
        assert "Search: 2013-09-03" in status(app).splitlines()[1]


@sync
async def test_a_crowded_status_line_keeps_the_whole_search_and_never_says_sort_file(tmp_path: Path) -> None:
    """Cold test: progress, filter and a search on line 2 at 80 columns showed 'Search: maria...  Sort: file',
    the short sort label reading as if the file were a sort key; with 'Twice in registry' the search was '...'."""
    path = make_workspace(tmp_path, name="fall_2026_senr_upload.workspace.sqlite",
                          students=[*review_students(), student("2001", "MARIA", "LOPEZ", "20130903")])
    app = ReviewApp(path)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("f", filter_key("undecided"), "slash", *"maria lopez", "enter")
        line = status(app).splitlines()[1]
        assert "Decided" in line and "Search: maria lopez" in line and "Sort" not in line, line  # file order: left out
        await pilot.press("o", "slash", *"a lopez", "enter")  # score, high first: worth its place, so the
        line = status(app).splitlines()[1]  # progress takes its short wording
        assert "Search: a lopez" in line and "Sort: score high" in line and "% decided" in line, line
        await pilot.press("o", "o", "o", "f", filter_key("registry_duplicates"), "slash", *"gibson", "enter")
        line = status(app).splitlines()[1]
        assert "Filter: Twice in registry" in line and "Search: gibson" in line and "Sort" not in line, line


@sync
async def test_clearing_the_search_replaces_its_count(tmp_path: Path) -> None:
    """'1 student matches ...' stayed on the message line after an empty Enter showed every student again."""
    path = make_workspace(tmp_path, students=[*review_students(), student("2001", "ANA", "NÚÑEZ", "20130903")])
    app = ReviewApp(path)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("slash", *"nunez", "enter")
        assert "matches" in app.screen.messages[-1][1]
        await pilot.press("slash", "enter")
        assert len(listed(app)) > 1
        assert "matches" not in app.screen.messages[-1][1] and "cleared" in app.screen.messages[-1][1]


@sync
async def test_the_search_box_names_what_it_finds(tmp_path: Path) -> None:
    """Its hint said 'name or local ID' though / finds SSIDs and birth dates too (README)."""
    app = ReviewApp(make_workspace(tmp_path))
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("slash")
        hint = app.screen.query_one(MessageLine).hint
        assert "SSID" in hint and hint in app.screen.query_one(MessageLine).render().plain and "date" in hint and len("Search: ") + 2 + len(hint) <= SIZE[0]


@sync
async def test_the_background_reads_start_once_the_first_screen_is_up(ws_path: Path, monkeypatch) -> None:
    """Started with the session, the key-building thread shared the interpreter with the first screen and
    doubled its time (200,000 students: 360 ms instead of 190 ms under load)."""
    seen: list[tuple[bool, int]] = []
    prepare = ReviewSession.prepare

    def noting(self: ReviewSession) -> None:
        screen = app.screen
        shown = isinstance(screen, ReviewScreen) and screen.query_one(QueueList).region.height > 0
        seen.append((shown, sum(t.name in ("search-keys", "queue-views") for t in threading.enumerate())))
        prepare(self)

    monkeypatch.setattr(ReviewSession, "prepare", noting)
    app = ReviewApp(ws_path)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert seen[:1] == [(True, 0)]  # called once the queue is laid out, with no reading thread before it
        app.session.wait_prepared()
        assert app.session.prepared()


@sync
async def test_once_the_background_reads_are_in_the_app_freezes_them_out_of_the_garbage_collector(ws_path: Path) -> None:
    """At 200,000 students each full garbage collection walked millions of ids (about 100 ms, every few dozen keys)."""
    app = ReviewApp(ws_path)
    async with app.run_test(size=SIZE) as pilot:
        for _ in range(100):
            if app.settled:
                break
            await pilot.pause(0.05)
        assert app.settled and gc.get_freeze_count() > 0
        await pilot.press("J", "f", "3")
        assert app.session.filter == "single"
    assert gc.get_freeze_count() == 0  # given back to the collector once the app is gone


# -- pages and the cursor in sight --------------------------------------------------------------


def queue_screen(app: ReviewApp) -> tuple[int, int]:
    """(the current student's row, the first row shown) of the queue."""
    return app.session.index, int(app.screen.query_one(QueueList).scroll_y)


def cursor_in_sight(app: ReviewApp) -> bool:
    q = app.screen.query_one(QueueList)
    top = int(q.scroll_y)
    return top <= app.session.index < top + q.scrollable_content_region.height - 1


def varied_students(n: int, no_match_every: int = 0) -> list[dict]:
    """`n` students with 1 to 4 candidates (the queue's height changes with the student), and a No Match
    every `no_match_every` students."""
    out = []
    for i in range(n):
        k = 0 if no_match_every and i % no_match_every == no_match_every - 1 else 1 + i % 4
        cands = [candidate(f"{1000000000 + i * 10 + j}", 95 - 7 * j, "ANA", "RUIZ", "20140507") for j in range(k)]
        out.append(student(f"{5000 + i}", "ANA", "RUIZ", "20140507", candidates=cands))
    return out


@sync
@pytest.mark.parametrize("start", ["g", "middle", "G"])
async def test_pgup_after_pgdn_returns_to_the_same_row_and_screen(tmp_path: Path, start: str) -> None:
    """Also where the queue is a line shorter beside a student with more candidates, and where a page
    is cut short at either end of the list."""
    app = ReviewApp(make_workspace(tmp_path, students=varied_students(120)))
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press(*(["J"] * 57 if start == "middle" else [start]))
        before = queue_screen(app)
        for keys in (("pagedown",) * 3 + ("pageup",) * 3, ("pageup",) * 3 + ("pagedown",) * 3,
                     ("pagedown", "pageup") * 3):
            seen = []
            for key in keys:
                await pilot.press(key)
                seen.append(queue_screen(app))
                assert cursor_in_sight(app), (key, seen)
            assert queue_screen(app) == before, (keys, seen)
        if start == "middle":  # a page is the rows in sight less one, whatever the student
            await pilot.press("pagedown", "pagedown")
            first, second = seen[0], queue_screen(app)
            assert second[0] - before[0] == 2 * (first[0] - before[0]) > 0


@sync
@pytest.mark.parametrize("size", [SIZE, (120, 40), (100, 30)])
async def test_the_current_student_is_in_sight_after_every_filter_change(tmp_path: Path, size) -> None:
    """A short filter's list has no scrollbar: the next, longer one must still scroll to the cursor."""
    app = ReviewApp(make_workspace(tmp_path, students=varied_students(200, no_match_every=25)))
    async with app.run_test(size=size) as pilot:
        for keys in (("f", filter_key("nomatch"), "G"), ("f", filter_key("all")), ("f", filter_key("nomatch"), "K"),
                     ("f", filter_key("single")), ("f", filter_key("all"), "G"), ("f", filter_key("nomatch")),
                     ("f", filter_key("all"))):
            await pilot.press(*keys)
            assert cursor_in_sight(app), (keys, queue_screen(app))
