"""Decisions without the UI: choose, none, skip, clear, undo, bulk accept, conflicts, history."""

from __future__ import annotations

import pytest

from ssid_tui.workspace import decisions, queue
from ssid_tui.workspace.decisions import DecisionError
from ssid_tui.workspace.store import open_workspace
from tests.support.workspaces import build_workspace, candidate, small_students, student


def by_local(ws, local_id):
    return ws.student_by_local_id(local_id)


def test_choose_records_who_when_and_what_it_replaced(ws):
    s = by_local(ws, "1002")
    decisions.skip(ws, s.id)
    out = decisions.choose(ws, s.id, "2234567890")
    assert out.changed == 1 and not out.conflicts
    assert by_local(ws, "1002").status == "chosen" and by_local(ws, "1002").chosen_ssid == "2234567890"
    last = decisions.history(ws, "1002")[-1]
    assert (last.status, last.ssid, last.prev_status) == ("chosen", "2234567890", "skipped")
    assert last.decided_by == decisions.reviewer() and last.decided_at


def test_an_ssid_that_is_not_a_candidate_is_refused(ws):
    with pytest.raises(DecisionError, match="not among"):
        decisions.choose(ws, by_local(ws, "1002").id, "9999999999")


def test_none_skip_clear(ws):
    sid = by_local(ws, "1003").id
    decisions.mark_none(ws, sid)
    assert by_local(ws, "1003").status == "none"
    decisions.clear(ws, sid)
    assert by_local(ws, "1003").status == "undecided"
    decisions.skip(ws, sid)
    assert by_local(ws, "1003").status == "skipped"


def test_undo_walks_back_any_number_of_steps_and_survives_reopening(ws, tmp_path):
    a, b = by_local(ws, "1001").id, by_local(ws, "1002").id
    decisions.choose(ws, a, "1234567890")
    decisions.choose(ws, b, "2234567890")
    decisions.mark_none(ws, b)
    ws.close()
    with open_workspace(tmp_path / "w.sqlite") as again:
        assert decisions.undo(again) == [b]
        assert again.student(b).status == "chosen"
        assert decisions.undo(again) == [b]
        assert again.student(b).status == "undecided"
        assert decisions.undo(again) == [a]
        assert decisions.undo(again) == []
        assert not decisions.can_undo(again)
        # the history only grows: three decisions and three undos
        assert len(decisions.history(again)) == 6


def test_choosing_one_ssid_for_two_students_is_a_conflict(ws):
    decisions.choose(ws, by_local(ws, "1001").id, "1234567890")
    out = decisions.choose(ws, by_local(ws, "1004").id, "1234567890")
    assert out.conflicts == {"1234567890": ["1001", "1004"]}
    assert decisions.all_conflicts(ws) == {"1234567890": ["1001", "1004"]}
    assert queue.counts(ws).conflicts == 1
    assert [ws.student(i).local_id for i in queue.queue_ids(ws, "conflicts")] == ["1001", "1004"]


def test_bulk_accept_is_one_undoable_step_and_never_creates_a_conflict(tmp_path):
    students = small_students() + [
        student("1007", "ANA", "RUIZ", "20150303", candidates=[candidate("5234567890", 93, "ANA", "RUIZ", "20150303")]),
        student("1008", "LUIS", "MORA", "20150404", "M", candidates=[candidate("6234567890", 85, "LUIS", "MORA", "20150404", "M")]),
    ]
    with build_workspace(tmp_path / "w.sqlite", students) as ws:
        # 1001 and 1004 are both Single Matches to 1234567890: held back for review
        assert {ws.student(i).local_id for i, _ in decisions.bulk_candidates(ws, 90)} == {"1007"}
        assert decisions.bulk_held_back(ws, 90) == 2
        assert len(decisions.bulk_candidates(ws, 80)) == 2
        out = decisions.bulk_accept(ws, 80)
        assert out.changed == 2 and not out.conflicts and not decisions.all_conflicts(ws)
        assert queue.counts(ws).chosen == 2
        assert sorted(decisions.undo(ws)) == sorted(i for i, _ in [(by_local(ws, "1007").id, 0), (by_local(ws, "1008").id, 0)])
        assert queue.counts(ws).chosen == 0


def test_bulk_accept_skips_an_ssid_already_chosen(ws):
    decisions.choose(ws, by_local(ws, "1001").id, "1234567890")
    assert all(ssid != "1234567890" for _sid, ssid in decisions.bulk_candidates(ws, 50))


def test_read_only_workspace_refuses_decisions(tmp_path):
    build_workspace(tmp_path / "w.sqlite", small_students()).close()
    with open_workspace(tmp_path / "w.sqlite", readonly=True) as ro:
        with pytest.raises(DecisionError, match="read-only"):
            decisions.mark_none(ro, ro.student_by_local_id("1003").id)
        with pytest.raises(DecisionError, match="read-only"):
            decisions.undo(ro)


def test_one_step_may_change_a_student_twice_and_undo_restores_the_first_state(ws):
    """A step's changes are written in order: the second sees the first (an import listing a student twice)."""
    a, b = by_local(ws, "1002").id, by_local(ws, "1003").id
    decisions.skip(ws, b)
    out = decisions.record_many(ws, [(a, "chosen", "2234567890"), (b, "none", None), (a, "none", None)],
                                source="import")
    assert out.changed == 3
    assert (by_local(ws, "1002").status, by_local(ws, "1003").status) == ("none", "none")
    step = [(c.local_id, c.prev_status, c.status) for c in decisions.history(ws) if c.batch == out.batch]
    assert step == [("1002", "undecided", "chosen"), ("1003", "skipped", "none"), ("1002", "chosen", "none")]
    row = ws.conn.execute("SELECT h.status FROM decision d JOIN history h ON h.id = d.history_id "
                          "WHERE d.student_id = ?", (a,)).fetchone()
    assert row == ("none",)  # the decision points at its own history row
    assert decisions.undo(ws) == [a, b]
    assert (by_local(ws, "1002").status, by_local(ws, "1003").status) == ("undecided", "skipped")


def test_conflicts_for_many_ssids_names_every_holder(ws):
    a, b, c = (by_local(ws, i).id for i in ("1001", "1004", "1002"))
    out = decisions.record_many(ws, [(a, "chosen", "1234567890"), (b, "chosen", "1234567890"),
                                     (c, "chosen", "2234567890")], source="import")
    assert out.conflicts == {"1234567890": ["1001", "1004"]}
    assert decisions.conflicts_for(ws, {"1234567890", "2234567890", "0000000000"}) == {"1234567890": ["1001", "1004"]}
