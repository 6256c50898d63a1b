"""The review screen's text: differences marked by style and symbol, rows that fit, layouts.

These run without a terminal (render.py and session.py do not import Textual), except the
last ones, which check the layout at several sizes and under NO_COLOR.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from rich.console import Console
from rich.style import Style

from ssid_tui.ui import render
from ssid_tui.ui.app import ReviewApp
from ssid_tui.ui.session import PAGE_SIZE, ReviewSession
from ssid_tui.ui.widgets.student_view import StudentView
from ssid_tui.workspace import decisions
from ssid_tui.workspace.store import open_workspace
from tests.support.app import make_workspace, sync
from tests.support.workspaces import large_students


def marked(text) -> str:
    """The characters of a Text that carry the DIFF style."""
    return "".join(text.plain[span.start : span.end] for span in text.spans if span.style == render.DIFF)


def test_a_changed_letter_is_marked_in_both_names() -> None:
    a, b = render.mark_differences("MARIA", "MARIO")
    assert (a.plain, b.plain) == ("MARIA", "MARIO")
    assert (marked(a), marked(b)) == ("A", "O")
    assert render.mark("MARIA", "MARIO") == render.MARK_DIFF


def test_dates_are_compared_by_part() -> None:
    a, b = render.mark_differences("20140507", "20140705")
    assert (a.plain, b.plain) == ("2014-05-07", "2014-07-05")
    assert (marked(a), marked(b)) == ("0507", "0705")  # month and day, not the year
    a, b = render.mark_differences("20140507", "20150507")
    assert (marked(a), marked(b)) == ("2014", "2015")


def test_codes_differ_as_wholes_and_equal_values_are_not_marked() -> None:
    a, b = render.mark_differences("1964733/1930056", "3768338/1930056")
    assert (marked(a), marked(b)) == ("1964733", "3768338")
    a, b = render.mark_differences("GARCIA", "GARCIA")
    assert not a.spans and not b.spans
    assert render.mark("GARCIA", "garcia") == render.MARK_SAME
    assert render.mark("", "MARY") == render.MARK_MISSING
    assert render.mark("", "") == " "


def test_the_difference_style_does_not_need_colour() -> None:
    style = render.DIFF
    assert style.color is None and style.bgcolor is None
    assert style.underline and style.bold and style.reverse


def test_no_color_output_keeps_the_marks() -> None:
    """Rendered for a terminal without colour, the difference is still underlined and reversed."""
    console = Console(no_color=True, force_terminal=True, width=40, color_system="standard")
    _a, b = render.mark_differences("MARIA", "MARIO")
    with console.capture() as cap:
        console.print(b)
    out = cap.get()
    assert "\x1b[1;4;7mO" in out  # bold, underline, reverse on the O
    assert "\x1b[3" not in out  # and no foreground colour at all


def test_weight_text_signs_carry_the_meaning() -> None:
    assert render.weight_text(6.0, 5).plain == " +6.0 +++++"
    assert render.weight_text(-4.5, 5).plain == " -4.5 ---- "
    assert render.weight_text(0.0, 5).plain == "  0.0      "
    assert render.weight_text(0.3, 5).plain.split()[-1] == "+"  # any evidence shows at least one sign


def test_long_levels_are_abbreviated_before_being_cut() -> None:
    assert render.short_level("day and month swapped", 18) == "day/month swapped"
    assert render.short_level("exact (submitted alias)", 18) == "exact alias"
    assert render.short_level("exact", 18) == "exact"
    # the "Others found" row: other SSIDs fit, each under 0.5% (cut to 'unlikely other SS~' at 80x24 before)
    assert render.short_level("unlikely other SSIDs", 18) == "others unlikely"
    assert render.short_level("2 other SSIDs", 18) == "2 other SSIDs"


@pytest.mark.parametrize("width", [60, 80, 100, 120, 200])
def test_rows_fit_their_width(width: int, tmp_path: Path) -> None:
    ses = ReviewSession.open(make_workspace(tmp_path))
    try:
        qcols = render.QueueColumns.for_width(width)
        assert render.queue_header(qcols).cell_len <= width
        ccols = render.CompareColumns.for_width(width)
        for i in range(len(ses.ids)):
            ses.goto(i)
            s = ses.student
            row = render.queue_row(s, qcols, current=True, conflict=True, name="DE LA CRUZ-HERNANDEZ, MARIA GUADALUPE")
            assert row.cell_len <= width
            for number, c in enumerate(ses.candidates(), start=1):
                assert render.candidate_row(c, number, width, current=True, chosen=True, wide=width >= 130).cell_len <= width
                for r in render.compare_rows(s, c):
                    assert render.compare_line(r, ccols).cell_len <= width, (width, r)
    finally:
        ses.close()


def test_comparison_rows_follow_the_explanation() -> None:
    from ssid_tui.workspace.store import Candidate, Student

    s = Student(id=1, seq=1, line_no=1, local_id="1", first="MARIA", middle="", last="ROMERO", suffix="",
                alias_first="", alias_middle="", alias_last="", birth_date="20140507", gender="F", birth_city="",
                birth_state="US-CA", birth_country="US", reporting_lea="1", school="2", category="Single Match",
                best_score=80, candidate_count=1, status="undecided", chosen_ssid=None)
    c = Candidate(id=1, student_id=1, rank=1, score=80, name_source="alias", ssid="9", create_date="", first="MARIE",
                  middle="", last="ROMERO", suffix="", alias_first="", alias_middle="", alias_last="",
                  birth_date="20140507", gender="F", birth_city="", birth_state="US-CA", birth_country="US",
                  lea="1", school="2", grade="03", enroll_start="20240814", enroll_exit="",
                  explanation=[
                      {"field": "first", "label": "First name", "level": "close spelling", "submitted": "MARIA",
                       "candidate": "MARIE", "weight": 3.5},
                      {"field": "name_source", "label": "Name record", "level": "alias name", "submitted": "",
                       "candidate": "alias", "weight": -0.5},
                  ])
    rows = render.compare_rows(s, c)
    labels = [r.label for r in rows]
    assert labels[:2] == ["Names used", "First name"]  # the candidate's alias was compared: said before the names
    used = rows[0]
    assert (used.submitted, used.candidate, used.weight) == ("legal name", "alias", -0.5)
    assert "Last name" in labels and "Birth date" in labels  # then unscored fields
    assert rows[-1].label == "Enrolled" and rows[-1].candidate == "gr 03 2024-08-14 to now"
    assert render.total_weight(rows) == pytest.approx(3.0)


# -- the session -------------------------------------------------------------------------


def test_session_fetches_the_queue_a_page_at_a_time(tmp_path: Path) -> None:
    from tests.support.workspaces import build_workspace

    path = tmp_path / "big.sqlite"
    build_workspace(path, large_students(3000)).close()
    ses = ReviewSession.open(path)
    try:
        assert len(ses.ids) == 3000
        ses.goto(2999)
        assert ses.student is not None and ses.student.local_id == "L0002999"
        assert len(ses._rows) == 2 * PAGE_SIZE  # the first page and the last, not the whole queue
        ses.goto(0)
        ses.student_at(1)
        assert len(ses._rows) == 2 * PAGE_SIZE  # served from the cache
    finally:
        ses.close()


def test_session_decisions_keep_caches_and_counts_right(tmp_path: Path) -> None:
    ses = ReviewSession.open(make_workspace(tmp_path))
    try:
        assert ses.choose().changed
        assert ses.counts.chosen == 1 and ses.student.local_id == "1002"
        assert ses.student_at(0).status == "chosen"
        assert ses.skip().changed and ses.counts.skipped == 1
        assert ses.undo().changed and ses.student.local_id == "1002" and ses.student.status == "undecided"
        assert ses.clear().message == "1002 has no decision to clear."
    finally:
        ses.close()


def test_decided_students_open_on_their_chosen_candidate(tmp_path: Path) -> None:
    path = make_workspace(tmp_path)
    with open_workspace(path) as ws:
        decisions.choose(ws, ws.student_by_local_id("1006").id, "4234567891")
    ses = ReviewSession.open(path)
    try:
        ses.goto(5)
        assert ses.student.local_id == "1006" and ses.candidate.ssid == "4234567891"
    finally:
        ses.close()


# -- the layout ----------------------------------------------------------------------------


@sync
async def test_layout_at_80x24_and_on_resize(tmp_path: Path) -> None:
    app = ReviewApp(make_workspace(tmp_path))
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("G")
        scr = app.screen
        student = scr.query_one(StudentView)
        queue_list = scr.query_one("QueueList")
        footer = scr.query_one("MessageLine")  # the message, and the key line on its last line
        # everything on screen, nothing below the footer, the comparison complete
        assert footer.region.bottom == 24
        assert student.region.bottom <= scr.query_one("MessageLine").region.y
        assert student.region.height == len(student.render().plain.splitlines())
        assert student.render().plain.splitlines()[-student.comparison.line_count:] == (
            student.comparison.render().plain.splitlines())
        assert queue_list.region.height >= 5  # header and at least four students
        for size in [(160, 40), (100, 30), (60, 20), (80, 24)]:
            await pilot.resize_terminal(*size)
            await pilot.pause()
            # from 150 columns every candidate stands in a column of its own, the submitted record first
            head = student.comparison.render().plain.splitlines()[0]
            assert head.startswith("Field") and ("Candidate 1" in head) == (size[0] < 150)
            if size == (60, 20):  # below 80x24: one sentence instead of a screen with columns missing
                assert scr.too_small and scr.query_one("#too-small").region.width == 60
                assert not queue_list.display or queue_list.region.height == 0
                continue
            assert not scr.too_small
            assert queue_list.render_line(1 + app.session.index - int(queue_list.scroll_y)).text.startswith("> 1007")


@sync
async def test_no_color_app_renders_without_colour(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setenv("NO_COLOR", "1")
    app = ReviewApp(make_workspace(tmp_path))
    async with app.run_test(size=(80, 24)) as pilot:
        assert app.no_color
        await pilot.press("G", "j")
        text = app.screen.query_one(StudentView).comparison.render()
        line = next(t for t in text.split("\n") if t.plain.startswith("Birth date"))
        assert "!" in line.plain  # the mark column
        assert any(span.style == render.DIFF or (isinstance(span.style, Style) and span.style.underline)
                   for span in line.spans)


def test_session_totals_stay_equal_to_the_domain_counts(tmp_path: Path) -> None:
    """Counts and conflicts are kept up to date step by step; they must match a full recount."""
    import random

    from ssid_tui.workspace import queue

    ses = ReviewSession.open(make_workspace(tmp_path))
    rng = random.Random(3)
    try:
        for _step in range(120):
            action = rng.choice(["choose", "choose2", "none", "skip", "clear", "undo", "move", "move"])
            if action == "move":
                ses.goto(rng.randrange(len(ses.ids)))
            elif action == "choose2":
                ses.choose(2)
            else:
                getattr(ses, {"choose": "choose", "none": "mark_none"}.get(action, action))()
            assert ses.counts == queue.counts(ses.ws), action
            assert ses.conflict_ssids == set(decisions.all_conflicts(ses.ws)), action
            assert {i for i in ses.ids if i in ses._open} == {i for i in ses.ids if ses.ws.student(i).status == "undecided"}
    finally:
        ses.close()


def test_search_ignores_case_in_names_and_local_ids(tmp_path: Path) -> None:
    """The queue search (used by /) matches whatever the case of the data or the text typed."""
    from ssid_tui.workspace import queue
    from tests.support.workspaces import build_workspace, student

    path = tmp_path / "case.sqlite"
    ws = build_workspace(path, [student("abc-1", "Maria", "García", "20140507"), student("ABC-2", "JOSE", "LOPEZ", "20130101"),
                                student("x3", "Ana", "Ruiz", "20120101", alias_first="Anita", alias_last="Ruiz")])
    try:
        def found(text: str) -> list[str]:
            return [s.local_id for s in ws.students(queue.queue_ids(ws, "all", text))]

        assert found("abc") == ["abc-1", "ABC-2"]
        assert found("maria garc") == ["abc-1"] and found("MARIA GARC") == ["abc-1"]
        assert found("garcía") == ["abc-1"]  # accented letters as typed
        assert found("lopez jose") == ["ABC-2"]  # last first, as sort_name
        assert found("anita") == ["x3"]  # alias names
    finally:
        ws.close()


def test_the_comparison_shows_values_as_typed_swaps_as_x_and_lea_as_context(tmp_path: Path) -> None:
    from ssid_tui.ui import render
    from ssid_tui.workspace.store import open_workspace
    from tests.support.workspaces import build_workspace, candidate, student

    swapped = candidate("7234567890", 88, "KARLA", "LOPEZ CORDOVA", "20120304", lea="0199999", school="0100001")
    swapped["explanation"] = [
        {"field": "first", "label": "First name", "level": "exact", "submitted": "KARLA", "candidate": "KARLA", "weight": 8.6},
        {"field": "last", "label": "Last name", "level": "exact", "submitted": "LOPEZ CORDOVA",
         "candidate": "LOPEZ CORDOVA", "weight": 12.0},
        {"field": "name_source", "label": "Name record", "level": "names swapped", "submitted": "", "candidate": "",
         "weight": -3.0},
    ]
    straight = candidate("7234567891", 80, "KARLA", "LOPEZ CORDOVA", "20120304")
    straight["explanation"][0].update(submitted="LOPEZ CORDOVA", candidate="LOPEZ CORDOVA")
    build_workspace(tmp_path / "w.sqlite", [student("1", "LOPEZ-CORDOVA", "KARLA", "20120304", candidates=[swapped]),
                                            student("2", "KARLA", "LOPEZ-CORDOVA", "20120304", candidates=[straight])]).close()
    with open_workspace(tmp_path / "w.sqlite", readonly=True) as ws:
        one, two = ws.student_by_local_id("1"), ws.student_by_local_id("2")
        rows = {r.label: r for r in render.compare_rows(one, ws.candidates(one.id)[0])}
        assert (rows["First name"].submitted, rows["First name"].mark) == ("LOPEZ-CORDOVA", render.MARK_SWAPPED)
        assert (rows["Last name"].submitted, rows["Last name"].mark) == ("KARLA", render.MARK_SWAPPED)
        assert rows["Names"].mark == render.MARK_SWAPPED and rows["Names"].weight == -3.0
        assert rows["LEA/school"].context  # last enrolled elsewhere: no "!"
        cols = render.CompareColumns.for_width(80)
        assert not render.compare_line(rows["LEA/school"], cols).plain[14:15].strip()
        rows2 = {r.label: r for r in render.compare_rows(two, ws.candidates(two.id)[0])}
        assert rows2["Last name"].submitted == "LOPEZ-CORDOVA" and rows2["Last name"].mark == render.MARK_SAME


def test_a_surname_with_a_particle_is_shown_as_typed_not_joined(tmp_path: Path) -> None:
    # the matcher joins particles (DELA CRUZ -> DELACRUZ); the clerk typed DELA CRUZ (cold test)
    from ssid_tui.ui import render
    from ssid_tui.workspace.store import open_workspace
    from tests.support.workspaces import build_workspace, candidate, student

    cand = candidate("7234567892", 60, "ANA", "DE LA CRUZ", "20120304")
    cand["explanation"][0].update(field="last", label="Last name", level="exact", submitted="DELACRUZ",
                                  candidate="DELACRUZ")
    build_workspace(tmp_path / "w.sqlite", [student("1", "ANA", "DELA CRUZ", "20120304", candidates=[cand])]).close()
    with open_workspace(tmp_path / "w.sqlite", readonly=True) as ws:
        s = ws.student_by_local_id("1")
        rows = {r.label: r for r in render.compare_rows(s, ws.candidates(s.id)[0])}
        assert (rows["Last name"].submitted, rows["Last name"].candidate) == ("DELA CRUZ", "DE LA CRUZ")


def test_help_has_a_legend_for_marks_bits_and_cap_rows() -> None:
    from ssid_tui.ui.screens.help import help_text

    text = help_text().plain
    for words in ("=  same value", "!  different", "?  given on one side", "x  first and last", "bits of evidence",
                  "Names cap", "Names used", "Legal name", "LEA/school, Enrolled"):
        assert words in text
    assert max(len(line) for line in text.splitlines()) <= 76


@sync
async def test_from_150_columns_every_candidate_has_a_column(tmp_path: Path) -> None:
    app = ReviewApp(make_workspace(tmp_path))
    async with app.run_test(size=(160, 48)) as pilot:
        await pilot.press("G", "K")  # 1006: three candidates
        lines = app.screen.query_one(StudentView).comparison.render().plain.splitlines()
        assert all(ssid in lines[0] for ssid in ("4234567890", "4234567891", "4234567892"))
        birth = next(line for line in lines if line.startswith("Birth date"))
        assert birth.count("!") == 1 and birth.count("=") == 2  # 2016-04-07 differs from 2016-07-04
        await pilot.resize_terminal(100, 30)
        await pilot.pause()
        head = app.screen.query_one(StudentView).comparison.render().plain.splitlines()[0]
        assert "4234567891" not in head  # one candidate at a time below 150 columns


def test_an_alias_match_says_once_which_names_were_compared_and_shows_the_legal_name() -> None:
    """A candidate found by its alias (BAKER legal, SANDERS alias): one "Names used" row, the legal name as context."""
    from ssid_tui.workspace.store import Candidate, Student

    s = Student(id=1, seq=1, line_no=1, local_id="1", first="JUSTIN", middle="", last="SANDERS", suffix="",
                alias_first="JUSTIN", alias_middle="", alias_last="SANDERS", birth_date="20140412", gender="M",
                birth_city="", birth_state="US-CA", birth_country="US", reporting_lea="1", school="2",
                category="Single Match", best_score=99, candidate_count=1, status="undecided", chosen_ssid=None)
    c = Candidate(id=1, student_id=1, rank=1, score=99, name_source="alias", ssid="2658679456", create_date="",
                  first="JUSTIN", middle="ALEXANDER", last="BAKER", suffix="", alias_first="JUSTIN", alias_middle="",
                  alias_last="SANDERS", birth_date="20140412", gender="M", birth_city="", birth_state="US-CA",
                  birth_country="US", lea="1", school="2", grade="06", enroll_start="20250818", enroll_exit="",
                  explanation=[
                      {"field": "first", "label": "First name", "level": "exact", "submitted": "JUSTIN",
                       "candidate": "JUSTIN", "weight": 8.9},
                      {"field": "last", "label": "Last name", "level": "exact", "submitted": "SANDERS",
                       "candidate": "SANDERS", "weight": 8.9},
                      {"field": "name_source", "label": "Name record", "level": "submitted alias", "submitted": "",
                       "candidate": "", "weight": -0.5},
                      {"field": "birth_date", "label": "Birth date", "level": "exact", "submitted": "20140412",
                       "candidate": "20140412", "weight": 10.9},
                      {"field": "name_source", "label": "Name record", "level": "alias name", "submitted": "",
                       "candidate": "alias", "weight": -0.5},
                  ])
    rows = render.compare_rows(s, c)
    labels = [r.label for r in rows]
    assert "Name record" not in labels and labels.count("Names used") == 1
    assert labels[:3] == ["Names used", "First name", "Last name"]
    used = rows[0]
    assert (used.submitted, used.candidate, used.weight) == ("alias", "alias", -1.0)
    legal = next(r for r in rows if r.label == "Legal name")
    assert legal.context and (legal.submitted, legal.candidate) == ("SANDERS, JUSTIN", "BAKER, JUSTIN ALEXANDER")
    assert "Alias" not in labels  # both aliases are what the name rows show
    assert render.total_weight(rows) == pytest.approx(8.9 + 8.9 - 0.5 + 10.9 - 0.5)


def test_side_by_side_keeps_each_row_where_the_one_candidate_view_has_it() -> None:
    from ssid_tui.ui.compare_columns import merged_labels

    first = ["First name", "Last name", "Birth date", "Gender", "LEA/school", "Enrolled"]
    second = ["First name", "Last name", "Birth date", "Gender", "Birth city", "LEA/school", "Enrolled"]
    assert merged_labels([first, second]) == second
    assert merged_labels([["Names used", "First name"], ["First name", "Names cap"]]) == ["Names used", "First name", "Names cap"]


@sync
async def test_a_tall_terminal_lists_up_to_nine_candidates_instead_of_empty_lines(tmp_path: Path) -> None:
    from tests.support.workspaces import candidate, student

    cands = [candidate(f"90000000{i:02d}", 90 - i, "ANA", "RUIZ", "20140507") for i in range(8)]
    path = make_workspace(tmp_path, students=[student("7001", "ANA", "RUIZ", "20140507", candidates=cands)])
    for size, shown in (((120, 48), 8), ((80, 24), 5)):
        app = ReviewApp(path)
        async with app.run_test(size=size) as pilot:
            await pilot.pause()
            text = str(app.screen.query_one(StudentView).candidates.render())
            assert sum(f"90000000{i:02d}" in text for i in range(8)) == shown, size


@sync
async def test_a_long_question_keeps_y_esc_on_one_line_at_80_columns(tmp_path: Path) -> None:
    from ssid_tui.ui.screens.confirm import ConfirmScreen

    app = ReviewApp(make_workspace(tmp_path))
    async with app.run_test(size=(80, 24)) as pilot:
        question = "Mark 1,794 undecided No Match students in this view none of these? y / Esc"
        app.push_screen(ConfirmScreen(question, "One step: one u undoes them all."))
        await pilot.pause()
        assert str(app.screen.query_one("#answer").render()) == "y / Esc"
        assert "y / Esc" not in str(app.screen.query_one("#question").render())


def test_every_count_of_the_filter_menu_ends_in_the_same_column() -> None:
    """'Twice in registry' (17 letters) pushed its count one column past the others."""
    from ssid_tui.ui.screens.filter_menu import FilterMenu
    from ssid_tui.workspace.queue import Counts

    counts = Counts(total=12_345, single=10_000, multiple=1_000, nomatch=1_345, chosen=5, none=1, skipped=2,
                    conflicts=2, duplicates=3, notes=4, follow_ups=1, registry_duplicates=7)
    menu = FilterMenu("registry_duplicates", counts, bands={"single_below_90": 9, "score_50_89": 8, "score_below_50": 6})
    lines = menu._text().plain.splitlines()[:-1]  # the last line is the "undecided only" box
    assert len(lines) == 15 and any("Twice in registry" in line for line in lines)
    assert {len(line) for line in lines} == {len(lines[0])}
    assert all(line.rstrip()[-1].isdigit() or line.endswith("SSIDs") for line in lines)


# -- long names, long searches, long warnings at 80 columns ------------------------------------


def long_named(**extra) -> object:
    """A stored student with a long compound surname and three given names."""
    from tests.support.workspaces import student

    s = student("3001", "MARIA GUADALUPE", "HERNANDEZ-GUTIERREZ", "20130903", middle="ESPERANZA", **extra)
    return s


@pytest.fixture
def long_names(tmp_path: Path) -> Path:
    from tests.support.workspaces import student

    return make_workspace(tmp_path, students=[
        long_named(suffix="JR"),
        student("3002", "ANA", "VILLASENOR-BUSTAMANTE DE LA SANTISIMA TRINIDAD", "20120101", middle="SOFIA"),
        student("3003", "JOSE\x1b[31m", "LOPEZ", "20120101"),
    ])


def test_a_long_name_keeps_the_surname_and_shortens_the_given_names_first(long_names: Path) -> None:
    ses = ReviewSession.open(long_names, readonly=True)
    first, second, hostile = (ses.student_at(i) for i in range(3))
    assert render.name_to_fit(first, 60) == "HERNANDEZ-GUTIERREZ, MARIA GUADALUPE ESPERANZA JR"  # fits: whole
    assert render.name_to_fit(first, 45) == "HERNANDEZ-GUTIERREZ, MARIA GUADALUPE E JR"  # initials from the last given name
    assert render.name_to_fit(first, 40) == "HERNANDEZ-GUTIERREZ, MARIA G E JR"
    assert render.name_to_fit(first, 30) == "HERNANDEZ-GUTIERREZ, M G E JR"
    assert render.name_to_fit(first, 27) == "HERNANDEZ-GUTIERREZ, M G E"  # then the suffix goes
    assert render.name_to_fit(first, 24) == "HERNANDEZ-GUTIER~, M G E"  # only then the surname is cut, initials kept
    assert render.name_to_fit(second, 33) == "VILLASENOR-BUSTAMANTE DE LA~, A S"  # no '~' after a space
    assert render.name_to_fit(hostile, 12) == "LOPEZ, J"  # the escape never reaches the terminal
    assert "\x1b" not in render.name_to_fit(hostile, 60)
    ses.close()


@sync
async def test_at_80_columns_the_list_shows_the_surname_and_initials_and_the_detail_pane_the_whole_name(
        long_names: Path) -> None:
    app = ReviewApp(long_names)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        screen = "\n".join(s.text for s in app.screen._compositor.render_strips())
        assert "HERNANDEZ-GUTIERREZ, M G E " in screen  # not 'HERNANDEZ-GUTIERREZ, MARIA G~'
        assert "VILLASENOR-BUSTAMANTE~, A S " in screen
        assert "Name: HERNANDEZ-GUTIERREZ, MARIA GUADALUPE ESPERANZA JR" in screen  # the student under the cursor
        await pilot.press("down")
        screen = "\n".join(s.text for s in app.screen._compositor.render_strips())
        assert "Name: VILLASENOR-BUSTAMANTE DE LA SANTISIMA TRINIDAD, ANA SOFIA" in screen
        await pilot.press("down")  # a name that fits: no extra line
        screen = "\n".join(s.text for s in app.screen._compositor.render_strips())
        assert "Name:" not in screen


@sync
async def test_a_candidate_name_too_long_for_its_column_stands_whole_above_the_candidates(tmp_path: Path) -> None:
    """Cold test: a long candidate name was cut with '~' in the list, and no line showed it whole."""
    from tests.support.workspaces import candidate, student

    long_last = "[red]VALENZUELA-SANTISTEBAN\x1b[2J"
    cands = [candidate("1000000001", 91, "MARIA GUADALUPE", long_last, "20130903", middle="ESPERANZA"),
             candidate("1000000002", 80, "ANA", "LOPEZ", "20130903")]
    app = ReviewApp(make_workspace(tmp_path, students=[student("4001", "MARIA", "VALENZUELA", "20130903",
                                                                 candidates=cands)]))
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        screen = "\n".join(s.text for s in app.screen._compositor.render_strips())
        assert "[red]VALENZUELA-SANTISTEBAN<ESC>[2J~ " in screen  # the list cuts it (controls named, markup as typed)
        assert "Candidate 1: [red]VALENZUELA-SANTISTEBAN<ESC>[2J, MARIA GUADALUPE ESPERANZA" in screen
        await pilot.press("j")  # a name that fits: no line; the layout gives the line back
        screen = "\n".join(s.text for s in app.screen._compositor.render_strips())
        assert "Candidate 1:" not in screen and "Candidate 2:" not in screen
        await pilot.press("k")
        screen = "\n".join(s.text for s in app.screen._compositor.render_strips())
        assert "Candidate 1: [red]VALENZUELA" in screen and "\x1b" not in screen


@sync
async def test_with_a_search_at_80_columns_the_sort_stays_in_sight(tmp_path: Path) -> None:
    """The header's 'Sort:' turned into '...' while a search was active."""
    app = ReviewApp(make_workspace(tmp_path))
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("f", "u", "3")  # Single Match, undecided
        await pilot.press("slash", *"garcia", "enter")
        bottom = str(app.screen.query_one("#status").render()).splitlines()[1]
        assert "Search: garcia" in bottom and "Sort: file" in bottom and "\u2026" not in bottom, bottom
        await pilot.press("slash", *"maria garcia lopez hernandez", "enter")
        bottom = str(app.screen.query_one("#status").render()).splitlines()[1]
        # short of room the default order is left out (it read 'Sort: file'), before the search loses a word
        assert "Search: maria garcia lopez" in bottom and "Sort" not in bottom, bottom
        assert len(bottom) <= 80
        await pilot.press("o")  # another order is worth its short label
        bottom = str(app.screen.query_one("#status").render()).splitlines()[1]
        assert "Search: maria garcia" in bottom and bottom.rstrip().endswith("Sort: score high"), bottom


async def _lookup_warning_when_the_registry_is_gone(tmp_path: Path, registry_path: str) -> str:
    """The message line after `l` in a workspace whose registry (at `registry_path`) is gone, at 80x24."""
    import sqlite3

    path = make_workspace(tmp_path)
    with sqlite3.connect(path) as conn:
        conn.execute("UPDATE run SET registry_path = ?", (registry_path,))
    app = ReviewApp(path)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("l")
        await pilot.pause()
        return str(app.screen.query_one("#message").render())


@sync
async def test_the_registry_gone_warning_wraps_whole_at_80x24(tmp_path: Path) -> None:
    """The lookup's warning was cut after two lines: the fix (ssid-tui ods load) comes first and it wraps onto three."""
    long_path = "/srv/district-data/calpads/2026-27/fall-census/ods-extracts/registry-2026-11-28.sqlite"
    line = await _lookup_warning_when_the_registry_is_gone(tmp_path, long_path)
    assert render.ELLIPSIS not in line and "~" not in line
    assert "ssid-tui ods load" in line and line.rstrip().endswith("registry-2026-11-28.sqlite).")
    assert all(len(part) <= 80 for part in line.splitlines()) and len(line.splitlines()) == 3


@sync
async def test_a_warning_wraps_between_words_never_inside_a_hyphenated_path(tmp_path: Path) -> None:
    """'/tmp/cold-' on one line and 'data/c3reg.sqlite' on the next could not be copied."""
    gone = "/no-such-dir/cold-data/c3reg.sqlite"
    lines = (await _lookup_warning_when_the_registry_is_gone(tmp_path, gone)).splitlines()
    assert any(gone in line for line in lines)
