"""`l` in the review app: the registry search of `ssid-tui find`, pre-filled and editable; a found SSID recorded."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from ssid_tui.exports import writers
from ssid_tui.matching.lookup import LookupQuery, birth_date_digits, lookup
from ssid_tui.ui.app import ReviewApp
from ssid_tui.ui.screens.lookup import LookupScreen
from ssid_tui.workspace import decisions
from ssid_tui.workspace.store import open_workspace
from tests.support.app import make_workspace, review_students, sync
from tests.support.registries import sample_registry
from tests.support.workspaces import student

SIZE = (80, 24)
#: In fixtures/ods_sample.txt: JUAN CARLOS GIOVANNI NUNEZ, born 2011-02-16, M.
NUNEZ_SSID = "8111815088"


@pytest.fixture(scope="module")
def registry(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return sample_registry(tmp_path_factory, tmp_path_factory.mktemp("reg") / "registry.sqlite")  # loaded once per run


def workspace_on(tmp_path: Path, registry: Path) -> Path:
    """The review students plus a No Match whose surname was typed wrong (NUNES), matched against `registry`."""
    path = make_workspace(tmp_path, students=[student("3001", "JUAN", "NUNES", "20110216", "M"), *review_students()])
    with sqlite3.connect(path) as conn:
        conn.execute("UPDATE run SET registry_path = ?", (str(registry),))
    return path


def test_the_query_checks_its_fields_in_one_sentence() -> None:
    assert LookupQuery("GARCIA", "ANA", "2014-05-07").problem() is None
    assert birth_date_digits("2014-05-07") == "20140507"
    assert "CCYYMMDD" in (LookupQuery("GARCIA", "ANA", "5/7/2014").problem() or "")
    assert "M, F or X" in (LookupQuery("GARCIA", "ANA", "20140507", gender="Q").problem() or "")
    assert "name" in (LookupQuery("", "", "20140507").problem() or "")


def test_lookup_is_the_search_of_find(registry: Path) -> None:
    result = lookup(registry, LookupQuery("NUNEZ", "JUAN", "20110216", gender="M"))
    assert result.candidates and result.candidates[0].ssid == NUNEZ_SSID


@sync
async def test_l_prefills_the_student_lets_the_clerk_edit_and_records_the_ssid_as_lookup(tmp_path: Path, registry: Path) -> None:
    path = workspace_on(tmp_path, registry)
    app = ReviewApp(path)
    async with app.run_test(size=SIZE) as pilot:
        assert app.session.student.local_id == "3001"  # type: ignore[union-attr]
        await pilot.press("l")
        await pilot.pause()
        scr = app.screen
        assert isinstance(scr, LookupScreen)
        values = {f: scr.query_one(f"#{f}").value for f in ("last", "first", "birth", "gender")}
        assert values == {"last": "NUNES", "first": "JUAN", "birth": "2011-02-16", "gender": "M"}
        await pilot.press("ctrl+u", *"NUNEZ", "enter")  # the clerk corrects the surname
        await app.workers.wait_for_complete()
        await pilot.pause()
        results = str(scr.query_one("#results").render())
        assert NUNEZ_SSID in results
        await pilot.press("1")  # asks first
        assert "y records" in str(scr.query_one("#lookup-note").render())
        with open_workspace(path, readonly=True) as ws:
            assert ws.student_by_local_id("3001").status == "undecided"  # type: ignore[union-attr]
        await pilot.press("y")
        await pilot.pause()
        assert not isinstance(app.screen, LookupScreen)
    with open_workspace(path, readonly=True) as ws:
        s = ws.student_by_local_id("3001")
        assert s is not None and (s.status, s.chosen_ssid) == ("chosen", NUNEZ_SSID)
        assert decisions.history(ws, "3001")[-1].source == "lookup"
        # the found record became the student's candidate, so the results file lists it with the mark
        assert [c.ssid for c in ws.candidates(s.id)] == [NUNEZ_SSID]
        # the comparison shows the student's own record (NUNES), not what was typed in the lookup
        from ssid_tui.ui import render
        rows = {r.label: r for r in render.compare_rows(s, ws.candidates(s.id)[0])}
        assert (rows["Last name"].submitted, rows["Last name"].candidate) == ("NUNES", "NUNEZ")
        assert rows["Found by"].context
        rows = [r for r in writers.results_rows(ws, set()) if r[3] == "3001"]
        assert len(rows) == 1 and rows[0][2] == writers.SELECTION_MARK and NUNEZ_SSID in rows[0]


@sync
async def test_esc_in_the_lookup_records_nothing(tmp_path: Path, registry: Path) -> None:
    path = workspace_on(tmp_path, registry)
    app = ReviewApp(path)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("l", "enter")
        await app.workers.wait_for_complete()
        await pilot.pause()
        await pilot.press("escape")
        await pilot.pause()
    with open_workspace(path, readonly=True) as ws:
        assert ws.student_by_local_id("3001").status == "undecided"  # type: ignore[union-attr]
        assert decisions.history(ws, "3001") == []


@sync
async def test_a_bad_date_in_the_form_gets_one_sentence(tmp_path: Path, registry: Path) -> None:
    app = ReviewApp(workspace_on(tmp_path, registry))
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("l")
        await pilot.pause()
        app.screen.query_one("#birth").value = "16/02/2011"
        await pilot.press("enter")
        assert "is not CCYYMMDD" in str(app.screen.query_one("#lookup-note").render())


@sync
async def test_when_the_registry_is_gone_the_app_says_so_in_one_sentence(tmp_path: Path, registry: Path) -> None:
    path = make_workspace(tmp_path)  # its run names registry.sqlite, which is not there
    app = ReviewApp(path)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("l")
        await pilot.pause()
        assert not isinstance(app.screen, LookupScreen)
        severity, message = app.screen.messages[-1]
        assert severity == "warning" and "is gone" in message and message.count(". ") == 0


@sync
async def test_every_box_of_the_lookup_form_is_whole_at_80_columns(tmp_path: Path, registry: Path) -> None:
    """At 80x24 the date box was cut to '2011-02-' and the gender box fell off the dialog."""
    app = ReviewApp(workspace_on(tmp_path, registry))
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("l")
        await pilot.pause()
        box = app.screen.query_one("LookupScreen > Vertical").content_region
        for field_id in ("last", "first", "middle", "birth", "gender"):
            region = app.screen.query_one(f"#{field_id}").region
            assert region.width > 0 and region.right <= box.right, field_id
        assert app.screen.query_one("#birth").region.width >= len("2011-02-16") + 1


@sync
async def test_undo_of_a_lookup_choice_takes_the_found_candidate_back_out(tmp_path: Path, registry: Path) -> None:
    path = workspace_on(tmp_path, registry)
    app = ReviewApp(path)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("l")
        await pilot.pause()
        await pilot.press("ctrl+u", *"NUNEZ", "enter")
        await app.workers.wait_for_complete()
        await pilot.pause()
        await pilot.press("1")
        await pilot.pause()
        await pilot.press("y")
        await pilot.pause()
        sid = next(i for i in app.session.ids if app.session.student_at(app.session.ids.index(i)).local_id == "3001")  # type: ignore[union-attr]
        assert [c.ssid for c in app.session.candidates(sid)] == [NUNEZ_SSID]
        await pilot.press("u")
        await pilot.pause()
        assert app.session.student.local_id == "3001"  # type: ignore[union-attr]
        assert app.session.candidates() == []  # the list is as it was before the lookup
    with open_workspace(path, readonly=True) as ws:
        s = ws.student_by_local_id("3001")
        assert s is not None and s.status == "undecided" and ws.candidates(s.id) == []
        assert (s.best_score, s.candidate_count, s.category) == (None, 0, "No Match")
