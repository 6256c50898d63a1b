"""Reviewer decisions: choose a candidate, "none of these", skip, undo, bulk accept.

The same functions serve the review app, `import-selections` and the tests. Every call
is one transaction: the decision table holds the current state, the history table is an
append-only log (who, when, what it replaced) that undo walks backwards.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from ssid_tui.formats.results import MatchCategory
from ssid_tui.formats.safe_text import quoted
from ssid_tui.workspace import review_notes
from ssid_tui.workspace.history import next_batch, now, reviewer
from ssid_tui.workspace.statuses import STATUS_SQL, DecisionStatus
from ssid_tui.workspace.store import Workspace

#: SSIDs chosen for more than one student (the one definition of a conflict).
CONFLICT_SSIDS_SQL = (
    f"SELECT ssid FROM decision WHERE status = '{DecisionStatus.CHOSEN}' GROUP BY ssid HAVING COUNT(*) > 1"
)


class DecisionError(Exception):
    """A decision cannot be made as asked (unknown student, SSID not a candidate, read-only)."""


@dataclass(frozen=True)
class Change:
    """One recorded change of one student's decision."""

    history_id: int
    batch: int
    student_id: int
    local_id: str
    status: str
    ssid: str | None
    prev_status: str
    prev_ssid: str | None
    decided_by: str
    decided_at: str
    source: str
    undoes: int | None
    note: str | None


@dataclass(frozen=True)
class Outcome:
    """What a decision call did: the batch written and any SSID conflicts it created."""

    batch: int | None
    changed: int
    conflicts: dict[str, list[str]]  # ssid -> local IDs of every student holding it


def _current(ws: Workspace, student_id: int) -> tuple[str, str | None, str]:
    return _currents(ws, [student_id])[student_id]


def _currents(ws: Workspace, student_ids: Sequence[int]) -> dict[int, tuple[str, str | None, str]]:
    """(status, ssid, local ID) of each student, read 500 at a time."""
    out: dict[int, tuple[str, str | None, str]] = {}
    wanted = sorted(set(student_ids))
    for start in range(0, len(wanted), 500):
        chunk = wanted[start : start + 500]
        for sid, status, ssid, local_id in ws.conn.execute(
                f"SELECT s.id, {STATUS_SQL}, d.ssid, s.local_id FROM student s "
                f"LEFT JOIN decision d ON d.student_id = s.id WHERE s.id IN ({','.join('?' * len(chunk))})", chunk):
            out[sid] = (status, ssid, local_id)
    missing = next((sid for sid in wanted if sid not in out), None)
    if missing is not None:
        raise DecisionError(f"no student with id {missing} in this workspace")
    return out


#: One decision change to write: (student id, status, SSID).
DecisionChange = tuple[int, str, str | None]


def _apply_many(
    ws: Workspace, batch: int, changes: Sequence[DecisionChange], source: str,
    *, who: str, when: str, undoes: int | None = None, note: str | None = None,
) -> int:
    """Write changes in order (inside the caller's transaction); how many changed something.

    A step of 17,500 students is a few statements, not three per student: the current
    states are read 500 at a time, the history rows get their ids here (the transaction
    holds the write lock) and are written with the decisions by `executemany`.
    """
    state = _currents(ws, [sid for sid, _status, _ssid in changes])
    next_id = int(ws.conn.execute("SELECT COALESCE(MAX(id), 0) FROM history").fetchone()[0]) + 1
    rows: list[tuple[object, ...]] = []
    final: dict[int, tuple[str, str | None, int]] = {}
    for sid, status, ssid in changes:
        prev_status, prev_ssid, local_id = state[sid]
        if prev_status == status and prev_ssid == ssid and undoes is None:
            continue
        rows.append((next_id, batch, sid, local_id, status, ssid, prev_status, prev_ssid, who, when, source,
                     undoes, note))
        state[sid] = (status, ssid, local_id)
        final[sid] = (status, ssid, next_id)
        next_id += 1
    ws.conn.executemany(
        "INSERT INTO history (id, batch, student_id, local_id, status, ssid, prev_status, prev_ssid, "
        "decided_by, decided_at, source, undoes, note) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", rows)
    undecided = str(DecisionStatus.UNDECIDED)
    ws.conn.executemany("DELETE FROM decision WHERE student_id = ?",
                        [(sid,) for sid, (status, _s, _h) in final.items() if status == undecided])
    ws.conn.executemany(
        "INSERT OR REPLACE INTO decision (student_id, status, ssid, decided_by, decided_at, history_id) "
        "VALUES (?, ?, ?, ?, ?, ?)",
        [(sid, status, ssid, who, when, hid) for sid, (status, ssid, hid) in final.items() if status != undecided])
    return len(rows)


def _guard(ws: Workspace) -> None:
    if ws.readonly:
        raise DecisionError("this workspace is open read-only: decisions cannot be recorded")


#: A note or follow-up change: (student id, review_notes.NOTE or FOLLOW_UP, value; '' = none).
Annotation = tuple[int, str, str]


def _decide(ws: Workspace, changes: Sequence[tuple[int, str, str | None]], source: str, note: str | None = None,
            notes: list[Annotation] | None = None) -> Outcome:
    _guard(ws)
    who, when = reviewer(), now()
    with ws.conn:
        ws.conn.execute("BEGIN IMMEDIATE")
        batch = next_batch(ws.conn)
        changed = _apply_many(ws, batch, changes, source, who=who, when=when, note=note)
        for sid, kind, value in notes or []:
            changed += review_notes.apply(ws, batch, sid, _current(ws, sid)[2], kind, value,
                                         who=who, when=when, source=source)
    ssids = {ssid for _sid, status, ssid in changes if status == DecisionStatus.CHOSEN and ssid}
    return Outcome(batch if changed else None, changed, conflicts_for(ws, ssids))


def choose(ws: Workspace, student_id: int, ssid: str, *, source: str = "app") -> Outcome:
    """Record `ssid` as the student's SSID; it must be one of the student's candidates."""
    known = ws.conn.execute(
        "SELECT 1 FROM candidate WHERE student_id = ? AND ssid = ?", (student_id, ssid)
    ).fetchone()
    if known is None:
        raise DecisionError(f"SSID {ssid} is not among this student's candidates")
    return _decide(ws, [(student_id, DecisionStatus.CHOSEN, ssid)], source)


def choose_found(ws: Workspace, student_id: int, ssid: str, *, found: dict[str, Any] | None = None,
                 source: str = "lookup") -> Outcome:
    """Record an SSID found by a registry lookup (`l` in the app); the history says "lookup".

    For a No Match whose registry record the clerk knows exists. `found` (the lookup's
    candidate, as `match_run.candidate_record` makes it) is added to the student's
    candidates when the SSID is not one yet, so the results file lists it with its mark.
    """
    if not (len(ssid) == 10 and ssid.isdigit()):
        raise DecisionError(f"{quoted(ssid)} is not an SSID (10 digits)")
    _guard(ws)
    known = ws.conn.execute("SELECT 1 FROM candidate WHERE student_id = ? AND ssid = ?", (student_id, ssid)).fetchone()
    if known is None and found is not None:
        # name_source "lookup": its explanation compares what was typed in the lookup, not the record
        ws.add_candidate(student_id, {**found, "ssid": ssid, "name_source": "lookup"})
    return _decide(ws, [(student_id, DecisionStatus.CHOSEN, ssid)], source)


def mark_none(ws: Workspace, student_id: int, *, source: str = "app") -> Outcome:
    """Record "none of these": the student is new to the state registry."""
    return _decide(ws, [(student_id, DecisionStatus.NONE, None)], source)


def skip(ws: Workspace, student_id: int, *, source: str = "app") -> Outcome:
    """Record that the reviewer skipped the student to come back later."""
    return _decide(ws, [(student_id, DecisionStatus.SKIPPED, None)], source)


def clear(ws: Workspace, student_id: int, *, source: str = "app") -> Outcome:
    """Take back a student's decision: undecided again."""
    return _decide(ws, [(student_id, DecisionStatus.UNDECIDED, None)], source)


def record_many(
    ws: Workspace, changes: Sequence[tuple[int, str, str | None]], *, source: str, note: str | None = None,
    notes: list[Annotation] | None = None,
) -> Outcome:
    """Record several decisions (and notes or tags) as one undoable step (bulk accept, spreadsheet import)."""
    return _decide(ws, changes, source, note, notes)


def annotate(ws: Workspace, student_id: int, kind: str, value: str, *, source: str = "app") -> Outcome:
    """Set a student's note (kind NOTE; '' removes it) or follow-up tag (FOLLOW_UP; '' = off), undoably."""
    return _decide(ws, [], source, None, [(student_id, kind, value)])


def mark_none_many(ws: Workspace, student_ids: list[int], *, source: str = "bulk-none") -> Outcome:
    """Record "none of these" for many students as one undoable step (`N` in the review app)."""
    return record_many(ws, [(sid, DecisionStatus.NONE, None) for sid in student_ids], source=source,
                       note=f"none of these for {len(student_ids):,} No Match students")


def _bulk_pairs(ws: Workspace, min_score: int) -> list[tuple[int, str]]:
    return [
        (r[0], r[1])
        for r in ws.conn.execute(
            "SELECT s.id, c.ssid FROM student s JOIN candidate c ON c.student_id = s.id AND c.rank = 1 "
            "LEFT JOIN decision d ON d.student_id = s.id "
            f"WHERE s.category = '{MatchCategory.SINGLE}' AND c.score >= ? "
            f"AND (d.status IS NULL OR d.status = '{DecisionStatus.SKIPPED}') "
            "ORDER BY s.seq",
            (min_score,),
        )
    ]


def bulk_candidates(ws: Workspace, min_score: int) -> list[tuple[int, str]]:
    """Undecided or skipped Single Matches scoring `min_score`+ that bulk accept may take.

    Students whose SSID is also another student's Single Match, or already chosen for
    someone, are held back (see `bulk_held_back`): bulk accept never creates a conflict.
    """
    pairs = _bulk_pairs(ws, min_score)
    taken = {r[0] for r in ws.conn.execute("SELECT ssid FROM decision WHERE status = ?", (DecisionStatus.CHOSEN,))}
    seen: dict[str, int] = {}
    for _sid, ssid in pairs:
        seen[ssid] = seen.get(ssid, 0) + 1
    return [(sid, ssid) for sid, ssid in pairs if seen[ssid] == 1 and ssid not in taken]


def bulk_preview(ws: Workspace, min_score: int) -> list[tuple[str, str, int]]:
    """(local ID, 'LAST, FIRST', score) of what bulk accept at `min_score` would take, lowest score first."""
    ids = [sid for sid, _ssid in bulk_candidates(ws, min_score)]
    out: list[tuple[str, str, int]] = []
    for start in range(0, len(ids), 500):
        chunk = ids[start : start + 500]
        out += ws.conn.execute(
            "SELECT local_id, last || ', ' || first, best_score FROM student "
            f"WHERE id IN ({','.join('?' * len(chunk))})", chunk).fetchall()
    return sorted(out, key=lambda r: (r[2], r[0]))


def bulk_held_back(ws: Workspace, min_score: int) -> int:
    """How many Single Matches at `min_score`+ bulk accept leaves for review (shared SSIDs)."""
    return len(_bulk_pairs(ws, min_score)) - len(bulk_candidates(ws, min_score))


def bulk_accept(ws: Workspace, min_score: int, *, source: str = "bulk") -> Outcome:
    """Accept every undecided Single Match scoring `min_score` or more, as one undoable step."""
    pairs = bulk_candidates(ws, min_score)
    return record_many(ws, [(sid, DecisionStatus.CHOSEN, ssid) for sid, ssid in pairs], source=source,
                       note=f"bulk accept of Single Matches scoring {min_score}+")


def _undo_target(conn: sqlite3.Connection) -> int | None:
    """The latest step that is not an undo or a re-match and was not undone, or None.

    Batch by batch from the latest, each a few index lookups (`history_batch`, `history_undoes`):
    one query over every row (with a lookup per row) cost a second per thousand rows of an undone
    bulk step, at 200,000 students minutes.
    """
    batch = conn.execute("SELECT MAX(batch) FROM history").fetchone()[0]
    while batch is not None:
        undone = conn.execute("SELECT 1 FROM history WHERE undoes = ? LIMIT 1", (batch,)).fetchone()
        if undone is None and conn.execute(
                "SELECT 1 FROM history WHERE batch = ? AND undoes IS NULL AND source != 'rematch' LIMIT 1",
                (batch,)).fetchone():
            return int(batch)
        batch = conn.execute("SELECT MAX(batch) FROM history WHERE batch < ?", (batch,)).fetchone()[0]
    return None


@dataclass(frozen=True)
class Step:
    """The step undo would take back next: its batch, source, how many students, and what kind."""

    batch: int
    source: str
    students: int
    statuses: frozenset[str]  # decision statuses it set, or review_notes.NOTE / FOLLOW_UP
    note: str | None

    @property
    def is_bulk(self) -> bool:
        """More than one student: undo asks first."""
        return self.students > 1


def last_step(ws: Workspace) -> Step | None:
    """The step `undo` would take back now, or None."""
    target = _undo_target(ws.conn)
    if target is None:
        return None
    rows = ws.conn.execute("SELECT student_id, status, source, note FROM history WHERE batch = ?", (target,)).fetchall()
    return Step(target, rows[0][2], len({r[0] for r in rows}), frozenset(r[1] for r in rows),
                next((r[3] for r in rows if r[3]), None))


def undo(ws: Workspace) -> list[int]:
    """Undo the most recent step not yet undone (any number of times, across restarts).

    Returns the ids of the students it changed back; an empty list when there is nothing to undo.
    Undo is itself recorded in the history, so the log stays append-only. Notes and
    follow-up tags of the step get their previous value back too.
    """
    _guard(ws)
    who, when = reviewer(), now()
    with ws.conn:
        ws.conn.execute("BEGIN IMMEDIATE")
        target = _undo_target(ws.conn)
        if target is None:
            return []
        rows = ws.conn.execute(
            "SELECT id, student_id, local_id, status, prev_status, prev_ssid, source, ssid FROM history "
            "WHERE batch = ? ORDER BY id DESC", (target,),
        ).fetchall()
        batch = next_batch(ws.conn)
        present = {r[0] for r in ws.conn.execute(
            "SELECT id FROM student WHERE id IN (SELECT student_id FROM history WHERE batch = ?)", (target,))}
        students: dict[int, None] = {}  # in the order undone, each once
        restored: list[DecisionChange] = []
        for history_id, student_id, local_id, status, prev_status, prev_ssid, source, ssid in rows:
            if student_id not in present:
                continue
            previous = review_notes.previous_value(ws, history_id) if status in review_notes.KINDS else None
            if previous is not None:
                review_notes.apply(ws, batch, student_id, local_id, previous[0], previous[1],
                                  who=who, when=when, source="undo", undoes=target)
            else:
                restored.append((student_id, prev_status, prev_ssid))
                if source == "lookup" and ssid and ssid != prev_ssid:
                    _drop_found_candidate(ws, student_id, ssid)
            students[student_id] = None
        _apply_many(ws, batch, restored, "undo", who=who, when=when, undoes=target)
        if not students:  # every student of that step has left the workspace: mark it undone anyway
            ws.conn.execute(
                "INSERT INTO history (batch, student_id, local_id, status, prev_status, decided_by, decided_at, "
                "source, undoes, note) VALUES (?, 0, '', ?, ?, ?, ?, 'undo', ?, 'nothing left to undo')",
                (batch, DecisionStatus.UNDECIDED, DecisionStatus.UNDECIDED, who, when, target),
            )
    return list(students)


def _drop_found_candidate(ws: Workspace, student_id: int, ssid: str) -> None:
    """Take back the candidate a lookup added (inside the caller's transaction): undo restores the list too."""
    gone = ws.conn.execute("DELETE FROM candidate WHERE student_id = ? AND ssid = ? AND name_source = 'lookup'",
                           (student_id, ssid)).rowcount
    if gone:
        ws.conn.execute(
            "UPDATE student SET candidate_count = candidate_count - ?, "
            "best_score = (SELECT MAX(score) FROM candidate WHERE student_id = ?) WHERE id = ?",
            (gone, student_id, student_id))


def can_undo(ws: Workspace) -> bool:
    """True when there is a step that undo would take back."""
    return _undo_target(ws.conn) is not None


def conflicts_for(ws: Workspace, ssids: set[str]) -> dict[str, list[str]]:
    """For each of `ssids` chosen for more than one student: the local IDs holding it.

    Looked up by SSID (`+d.status` keeps SQLite off the status index: with it, each SSID
    cost a pass over every chosen decision, and a bulk accept of 17,500 took a minute).
    """
    out: dict[str, list[str]] = {}
    wanted = sorted(ssids)
    for start in range(0, len(wanted), 500):
        chunk = wanted[start : start + 500]
        held: dict[str, list[str]] = {}
        for ssid, local_id in ws.conn.execute(
                "SELECT d.ssid, s.local_id FROM decision d JOIN student s ON s.id = d.student_id "
                f"WHERE d.ssid IN ({','.join('?' * len(chunk))}) AND +d.status = ? ORDER BY s.seq",
                (*chunk, DecisionStatus.CHOSEN)):
            held.setdefault(ssid, []).append(local_id)
        out.update((ssid, ids) for ssid, ids in held.items() if len(ids) > 1)
    return {ssid: out[ssid] for ssid in wanted if ssid in out}


def all_conflicts(ws: Workspace) -> dict[str, list[str]]:
    """Every SSID chosen for more than one student, with their local IDs."""
    rows = ws.conn.execute(CONFLICT_SSIDS_SQL).fetchall()
    return conflicts_for(ws, {r[0] for r in rows})


def history(ws: Workspace, local_id: str | None = None) -> list[Change]:
    """The decision history, oldest first, for one student or all."""
    sql = ("SELECT id, batch, student_id, local_id, status, ssid, prev_status, prev_ssid, decided_by, "
           "decided_at, source, undoes, note FROM history")
    params: tuple[str, ...] = ()
    if local_id is not None:
        sql += " WHERE local_id = ?"
        params = (local_id,)
    return [Change(*r) for r in ws.conn.execute(sql + " ORDER BY id", params)]
