"""The review queue's views held in memory: each sort's order and each filter's students, read once.

At 200,000 students one queue query costs tens of milliseconds (every id crosses from
SQLite into Python), so a filter or sort key that ran it again each time was over the
50 ms a key may take. Here each sort order is read once, each filter that depends only on
the students (category, score band, twice in upload) once, and a view is put together in
Python from those and the session's sets of undecided and skipped students. Decisions do
not invalidate the orders or those filters; a new run, a lookup (it may add a candidate
and a best score) and `r` clear everything, a note or tag clears the note filters.

Reading them still costs 60-150 ms each at 200,000 students (a score band or the name
order is a scan of every student), so `prepare` reads them all in a background thread
with its own read-only connection as the app opens, while the clerk reads the first
student; a view asked for before that thread is done is read on the spot.
"""

from __future__ import annotations

import sqlite3
import threading
from collections.abc import Collection, Sequence
from pathlib import Path

from ssid_tui.workspace import queue
from ssid_tui.workspace.statuses import DecisionStatus
from ssid_tui.workspace.store import Workspace, reader_connection

#: Filters whose students change only with a run or a lookup.
STUDENT_FILTERS = ("single", "multiple", "nomatch", "duplicates", "single_below_90", "score_50_89", "score_below_50",
                   "registry_duplicates")
#: Filters made from the session's own sets of undecided and skipped students.
DECISION_FILTERS = ("all", "undecided", "skipped", "decided")
#: Filters whose students change with a note or a follow-up tag.
NOTE_FILTERS = ("followup", "note")


class QueueViews:
    """Sort orders and filter members of one workspace, kept until `clear`."""

    def __init__(self, ws: Workspace) -> None:
        self.ws = ws
        self._orders: dict[str, Sequence[int]] = {}
        self._members: dict[str, frozenset[int]] = {}
        self._places: dict[str, dict[int, int]] = {}
        self._lists: dict[tuple[str, str], list[int]] = {}
        #: Sorts whose order is the ids ascending (file order as a run stores it).
        self._file_ids: dict[str, bool] = {}
        self._prepared: _Prepared | None = None

    def prepare(self) -> None:
        """Start reading every sort order and student filter in a background thread."""
        self.stop()
        self._prepared = _Prepared(self.ws.path)

    def stop(self) -> None:
        """Stop (and forget) the background reading, if any: the session is closing or the views changed."""
        if self._prepared is not None:
            self._prepared.stop()
            self._prepared = None

    def prepared(self) -> bool:
        """True when no background reading is going on (what it read is taken in)."""
        prepared = self._prepared
        if prepared is not None and prepared.finished.is_set():
            self._from_prepared()
            self._prepared = None  # taken in, or it failed: then each view is read when first shown
        return self._prepared is None

    def wait_prepared(self) -> None:
        """Wait for the background reading to finish and take it (benchmarks time keys after it)."""
        if self._prepared is not None:
            self._prepared.finished.wait()
            self.prepared()

    def _from_prepared(self) -> None:
        """Take what the background thread has read, once it is done (never waits for it)."""
        prepared = self._prepared
        if prepared is None or not prepared.done.is_set():
            return
        self._prepared = None
        for sort, ids in prepared.orders.items():
            self._orders.setdefault(sort, ids)
        for name, members in prepared.members.items():
            self._members.setdefault(name, members)

    def clear(self) -> None:
        """Forget everything (a reload, a lookup that added a candidate)."""
        self.stop()
        self._orders.clear()
        self._members.clear()
        self._places.clear()
        self._file_ids.clear()
        self._lists.clear()

    def forget_notes(self) -> None:
        """Forget the note and follow-up filters (a note or tag changed)."""
        for name in NOTE_FILTERS:
            self._members.pop(name, None)
        self._lists = {key: ids for key, ids in self._lists.items() if key[0] not in NOTE_FILTERS}

    def order(self, sort: str) -> Sequence[int]:
        """Every student id in the order `sort` (see `queue.SORTS`); a list must not be changed."""
        if sort not in self._orders:
            self._from_prepared()
        if sort not in self._orders:
            if sort == "file":
                self._orders[sort], self._file_ids[sort] = queue.file_order_ids(self.ws)
            else:
                self._orders[sort] = queue.queue_ids(self.ws, "all", sort=sort)
        return self._orders[sort]

    def members(self, filter_name: str) -> frozenset[int]:
        """The students of a filter that does not depend on decisions."""
        if filter_name not in self._members:
            self._from_prepared()
        if filter_name not in self._members:
            self._members[filter_name] = frozenset(queue.queue_ids(self.ws, filter_name))
        return self._members[filter_name]

    def sizes(self, filter_names: Collection[str]) -> dict[str, int] | None:
        """How many students each of these filters lists, if all are read already (else None)."""
        self._from_prepared()
        if not all(name in self._members for name in filter_names):
            return None
        return {name: len(self._members[name]) for name in filter_names}

    def ids(self, filter_name: str, sort: str, open_ids: OpenIds, skipped_ids: Collection[int],
            *, undecided_only: bool = False, found: Collection[int] | None = None) -> Sequence[int]:
        """The view's student ids in order: filter, "undecided only", and the ids a search found.

        `open_ids` (no decision) and `skipped_ids` are the session's own sets, kept up to
        date key by key, so the decision filters cost no query.
        """
        order = self.order(sort)
        if filter_name in STUDENT_FILTERS or filter_name in NOTE_FILTERS:
            keep: Collection[int] | None = self.members(filter_name)
        elif filter_name in DECISION_FILTERS:
            keep = None
        else:  # conflicts (few, changing with every choice) and any filter not known here: asked each time
            keep = frozenset(queue.queue_ids(self.ws, filter_name))
        base: Sequence[int] = order
        if found is not None and len(found) * 4 < len(order):  # a search found a few: order them, not every student
            base = sorted(found) if self._file_ids.get(sort) else sorted(found, key=self._positions(sort).__getitem__)
            found = None
        elif filter_name in STUDENT_FILTERS or filter_name in NOTE_FILTERS:
            base, keep = self._in_order(filter_name, sort), None  # the same list each time: kept in order
        ids = base
        closed = open_ids.closed  # plain sets: a membership test in C, not a method call per student
        if filter_name == "undecided" or undecided_only:
            ids = [i for i in ids if i not in closed or i in skipped_ids]
        if filter_name == "skipped":
            ids = [i for i in ids if i in skipped_ids]
        elif filter_name == "decided":
            ids = [i for i in ids if i in closed and i not in skipped_ids]
        for check in (keep, found):
            if check is not None:
                ids = [i for i in ids if i in check]
        if ids is base:  # every student of the order: a range is shared as it is, a list copied
            return base if isinstance(base, range) else list(base)
        return ids

    def _in_order(self, filter_name: str, sort: str) -> list[int]:
        """The students of a filter kept in memory, in the order `sort`."""
        key = (filter_name, sort)
        if key not in self._lists:
            members = self.members(filter_name)
            self._lists[key] = [i for i in self.order(sort) if i in members]
        return self._lists[key]

    def _positions(self, sort: str) -> dict[int, int]:
        """Student id -> place in the order `sort`."""
        if sort not in self._places:
            self._places[sort] = {sid: i for i, sid in enumerate(self.order(sort))}
        return self._places[sort]


class _Prepared:
    """Every sort order but the file's and every student filter, read by a thread of its own."""

    def __init__(self, path: Path) -> None:
        self.orders: dict[str, list[int]] = {}
        self.members: dict[str, frozenset[int]] = {}
        self.done = threading.Event()  # everything read
        self.finished = threading.Event()  # the thread ended, done or not
        self._stopped = threading.Event()
        self._conn: sqlite3.Connection | None = None
        self._lock = threading.Lock()
        threading.Thread(target=self._read, args=(path,), name="queue-views", daemon=True).start()

    def _read(self, path: Path) -> None:
        try:
            with self._lock:
                if self._stopped.is_set():
                    return
                self._conn = reader_connection(path)
            conn = self._conn
            try:
                for name in STUDENT_FILTERS:
                    if self._stopped.is_set():
                        return
                    sql = f"SELECT s.id FROM student s WHERE {queue.FILTERS[name]}"
                    self.members[name] = frozenset(r[0] for r in conn.execute(sql))
                for sort in queue.SORTS:
                    if sort != "file" and not self._stopped.is_set():
                        sql = f"SELECT s.id FROM student s ORDER BY {queue.SORTS[sort]}"
                        self.orders[sort] = [r[0] for r in conn.execute(sql)]
            finally:
                with self._lock:
                    self._conn = None
                conn.close()
            if not self._stopped.is_set():
                self.done.set()
        except (sqlite3.Error, OSError):
            pass  # each view is read when it is first shown, as without this thread
        finally:
            self.finished.set()

    def stop(self) -> None:
        """Stop reading: an unfinished query is interrupted, nothing read is used."""
        with self._lock:
            self._stopped.set()
            if self._conn is not None:
                self._conn.interrupt()


class OpenIds:
    """The students with no decision, held as the complement of those with one.

    At the start of a review that is every student; a set of 200,000 ids would cost more
    than the first screen may take, the decision rows cost nothing.
    """

    def __init__(self, total: int, closed: set[int]) -> None:
        self.total = total
        self._closed = closed

    def __contains__(self, student_id: object) -> bool:
        return student_id not in self._closed

    def __bool__(self) -> bool:
        return len(self._closed) < self.total

    @property
    def closed(self) -> set[int]:
        """The students with a decision (chosen, none or skipped): the complement, as a plain set."""
        return self._closed

    def add(self, student_id: int) -> None:
        """The student has no decision (any more)."""
        self._closed.discard(student_id)

    def discard(self, student_id: int) -> None:
        """The student has a decision (chosen, none or skipped)."""
        self._closed.add(student_id)


def decision_sets(ws: Workspace, total: int) -> tuple[OpenIds, set[int]]:
    """(students with no decision, skipped students) of a workspace of `total` students."""
    closed: set[int] = set()
    skipped: set[int] = set()
    for student_id, status in ws.conn.execute(
            "SELECT d.student_id, d.status FROM decision d JOIN student s ON s.id = d.student_id"):
        closed.add(student_id)
        if status == DecisionStatus.SKIPPED:
            skipped.add(student_id)
    return OpenIds(total, closed), skipped
