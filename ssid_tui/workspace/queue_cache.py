"""What the review's first screen needs from every student, read once and kept in the workspace.

Whether the file order is the id order, and the students per category, each cost a scan of
the student table (about 80 ms at 200,000 students, more than the first screen may take).
They are kept in the `queue_cache` table, which triggers on `student` empty in the same
transaction as any insert, delete, or change of an id, a place in the file or a category,
whoever makes it. The cache is trusted only while all those triggers exist, so it can be
missing (then the scan runs again and refills it) but never out of date. A match fills it at its
end (`fill`, in the run's own transaction), so even the first review after a match reads no student.
"""

from __future__ import annotations

import json
import sqlite3
from dataclasses import dataclass

from ssid_tui.workspace.store import QUEUE_CACHE_TRIGGERS, Workspace

_KEY = "students"


@dataclass(frozen=True)
class StudentFacts:
    """The student table in brief: its ids, whether they follow the file order, its categories."""

    first_id: int
    last_id: int
    ids_in_file_order: bool  # ids are first_id..last_id with no gap, and seq - id is the same for all
    categories: dict[str, int]

    @property
    def total(self) -> int:
        """Students in the workspace."""
        return sum(self.categories.values())


def student_facts(ws: Workspace) -> StudentFacts:
    """The facts, from the cache when it holds them, else from one scan (stored when the workspace can be written)."""
    trusted = _trusted(ws)
    if trusted:
        row = ws.conn.execute("SELECT value FROM queue_cache WHERE key = ?", (_KEY,)).fetchone()
        facts = _decode(row[0]) if row else None
        if facts is not None:
            return facts
    if not trusted or ws.readonly or ws.conn.in_transaction:
        return _scan(ws)
    waited = ws.conn.execute("PRAGMA busy_timeout").fetchone()[0]
    try:
        # one transaction: nothing can change the students between the scan and the write; a writer at
        # work (a match) is not waited for: the facts are kept by a later opening instead
        ws.conn.execute("PRAGMA busy_timeout = 0")
        ws.conn.execute("BEGIN")
        facts = _scan(ws)
        ws.conn.execute("INSERT OR REPLACE INTO queue_cache (key, value) VALUES (?, ?)", (_KEY, _encode(facts)))
        ws.conn.commit()
    except sqlite3.OperationalError:  # busy or full: the facts are right, only not kept
        ws.conn.rollback()
        facts = _scan(ws)
    finally:
        ws.conn.execute(f"PRAGMA busy_timeout = {int(waited)}")
    return facts


def fill(ws: Workspace) -> None:
    """Read every student once and keep the facts, in the caller's transaction (a match's last step, after
    its last change to a student); nothing is kept while the triggers that would empty it are missing."""
    if _trusted(ws):
        ws.conn.execute("INSERT OR REPLACE INTO queue_cache (key, value) VALUES (?, ?)", (_KEY, _encode(_scan(ws))))


def _trusted(ws: Workspace) -> bool:
    """True when every trigger that empties the cache is in the workspace: read once per opening (the
    opening puts missing ones back when it may write; nothing of ours drops them)."""
    if ws.queue_cache_trusted is None:
        wanted = ("queue_cache", *QUEUE_CACHE_TRIGGERS)
        found = ws.conn.execute(f"SELECT COUNT(*) FROM sqlite_master WHERE name IN ({', '.join('?' * len(wanted))})",
                                wanted).fetchone()[0]
        ws.queue_cache_trusted = bool(found == len(wanted))
    return ws.queue_cache_trusted


def _scan(ws: Workspace) -> StudentFacts:
    """One pass over every student: categories, id range, and whether seq - id is constant."""
    categories: dict[str, int] = {}
    lo = hi = None
    offsets: set[int] = set()
    for category, n, first, last, low, high in ws.conn.execute(
            "SELECT category, COUNT(*), MIN(id), MAX(id), MIN(seq - id), MAX(seq - id) FROM student GROUP BY category"):
        categories[category] = n
        lo = first if lo is None else min(lo, first)
        hi = last if hi is None else max(hi, last)
        offsets |= {low, high}
    total = sum(categories.values())
    in_order = lo is not None and hi is not None and hi - lo + 1 == total and len(offsets) == 1
    return StudentFacts(lo or 0, hi or 0, in_order, categories)


def _encode(facts: StudentFacts) -> str:
    return json.dumps({"first_id": facts.first_id, "last_id": facts.last_id,
                       "ids_in_file_order": facts.ids_in_file_order, "categories": facts.categories})


def _decode(value: str) -> StudentFacts | None:
    """The stored facts, or None when the value is not what this version writes."""
    try:
        d = json.loads(value)
        cats = d["categories"]
        if not (isinstance(cats, dict) and all(isinstance(n, int) for n in cats.values())):
            return None
        return StudentFacts(int(d["first_id"]), int(d["last_id"]), bool(d["ids_in_file_order"]),
                            {str(k): n for k, n in cats.items()})
    except (ValueError, KeyError, TypeError):
        return None
