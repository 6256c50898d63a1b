"""Possible duplicates in the registry, as a workspace keeps them: look-alike candidate SSIDs.

The matcher flags candidates of one student whose registry records look like the same
child (`matching/registry_duplicates.py`); a run stores them here, both ways, and the
review app, the export, the report and `status` read them back.
"""

from __future__ import annotations

from collections.abc import Iterable

from ssid_tui.workspace.store import Workspace


def store(ws: Workspace, rows: Iterable[tuple[str, str, str]]) -> int:
    """Replace the run's look-alike SSIDs, (local ID, SSID, other SSID), stored both ways.

    Returns the number of students involved.
    """
    ids = dict(ws.conn.execute("SELECT local_id, id FROM student"))
    stored = {(ids[lid], a, b) for lid, a, b in rows if lid in ids}
    stored |= {(sid, b, a) for sid, a, b in stored}
    with ws.transaction():
        ws.conn.execute("DELETE FROM registry_duplicate")
        ws.conn.executemany("INSERT INTO registry_duplicate (student_id, ssid, other_ssid) VALUES (?, ?, ?)",
                            sorted(stored))
    return len({r[0] for r in stored})


def of_student(ws: Workspace, student_id: int) -> dict[str, list[str]]:
    """Candidate SSID -> the other candidate SSIDs of this student that look like the same child."""
    out: dict[str, list[str]] = {}
    for ssid, other in ws.conn.execute(
            "SELECT ssid, other_ssid FROM registry_duplicate WHERE student_id = ? ORDER BY ssid, other_ssid",
            (student_id,)):
        out.setdefault(ssid, []).append(other)
    return out


def by_student(ws: Workspace) -> dict[int, dict[str, list[str]]]:
    """Every student's look-alike SSIDs (for the export), by student id."""
    out: dict[int, dict[str, list[str]]] = {}
    for sid, ssid, other in ws.conn.execute(
            "SELECT student_id, ssid, other_ssid FROM registry_duplicate ORDER BY 1, 2, 3"):
        out.setdefault(sid, {}).setdefault(ssid, []).append(other)
    return out


def count(ws: Workspace) -> int:
    """Students with look-alike candidate SSIDs."""
    return int(ws.conn.execute("SELECT COUNT(DISTINCT student_id) FROM registry_duplicate").fetchone()[0])
