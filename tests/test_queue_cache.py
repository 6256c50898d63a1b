"""The review's first-screen cache (file order, students per category) is never out of date.

It is kept in the workspace and emptied by triggers in the same transaction as any change to
the students, so these tests change the workspace with a plain SQLite connection, the way
another tool or a hand edit would, and then look at what the app shows.
"""

from __future__ import annotations

import datetime as dt
import sqlite3
import time
from collections.abc import Callable
from pathlib import Path

from ssid_tui.formats.results import MatchCategory
from ssid_tui.matching.registry import load_extract
from ssid_tui.ui.app import ReviewApp
from ssid_tui.ui.session import ReviewSession
from ssid_tui.ui.widgets.status_bar import StatusBar
from ssid_tui.workspace import queue, queue_cache, store
from ssid_tui.workspace.match_run import match_file
from ssid_tui.workspace.schema import QUEUE_CACHE_TRIGGERS
from tests.support.app import make_workspace, sync

SIZE = (80, 24)
FIXTURES = Path(__file__).resolve().parent.parent / "fixtures"


def cached(path: Path) -> list[str]:
    with sqlite3.connect(path) as conn:
        return [r[0] for r in conn.execute("SELECT value FROM queue_cache")]


def edit_behind_the_cache(path: Path, *statements: str) -> None:
    """Change the workspace as another program would: a plain connection, none of ssid-tui's code."""
    conn = sqlite3.connect(path)
    with conn:
        for sql in statements:
            conn.execute(sql)
    conn.close()


def truth(path: Path) -> tuple[list[str], str]:
    """The local IDs in file order and the status bar's category words, read straight from the file."""
    with sqlite3.connect(path) as conn:
        order = [r[0] for r in conn.execute("SELECT local_id FROM student ORDER BY seq")]
        cats = dict(conn.execute("SELECT category, COUNT(*) FROM student GROUP BY category").fetchall())
    words = (f"Single {cats.get(MatchCategory.SINGLE, 0)} Multiple {cats.get(MatchCategory.MULTIPLE, 0)} "
             f"No match {cats.get(MatchCategory.NO_MATCH, 0)}  Decided 0 (0%) Left {len(order)}")
    return order, words


async def shown(app: ReviewApp) -> tuple[list[str], str]:
    """The queue's local IDs in the order the app lists them, and its status bar's text."""
    ses = app.session
    rows = [ses.student_at(i) for i in range(len(ses.ids))]
    return [s.local_id for s in rows if s is not None], app.screen.query_one(StatusBar).render().plain


@sync
async def test_the_screen_is_right_after_the_students_change_behind_the_cache(tmp_path: Path) -> None:
    path = make_workspace(tmp_path)
    async with ReviewApp(path).run_test(size=SIZE):
        pass
    assert cached(path), "the first opening keeps what it read"
    for statements in (
        ["UPDATE student SET seq = 100 - seq"],  # the file order reversed
        [f"UPDATE student SET category = '{MatchCategory.NO_MATCH}' WHERE local_id = '1001'"],
        ["DELETE FROM candidate WHERE student_id = (SELECT id FROM student WHERE local_id = '1003')",
         "DELETE FROM student WHERE local_id = '1003'"],
        ["INSERT INTO student (run_id, seq, line_no, raw, record_hash, local_id, category, candidate_count, sort_name) "
         f"VALUES (1, 0, 99, '', 'x', '2001', '{MatchCategory.NO_MATCH}', 0, 'NEW')"],  # first in the file
    ):
        edit_behind_the_cache(path, *statements)
        order, words = truth(path)
        app = ReviewApp(path)
        async with app.run_test(size=SIZE):
            ids, status = await shown(app)
        assert ids == order, statements
        assert words in status, (statements, status)
        assert cached(path), "kept again once read"


def traced(opening: Callable[[], object]) -> list[str]:
    """Every SQL statement ssid-tui's workspace connections run during `opening()`."""
    statements: list[str] = []
    connect = store._connect

    def tracing(*args: object, **kwargs: object) -> sqlite3.Connection:
        conn = connect(*args, **kwargs)  # type: ignore[arg-type]
        conn.set_trace_callback(statements.append)
        return conn

    store._connect = tracing  # type: ignore[assignment]
    try:
        opening()
    finally:
        store._connect = connect  # type: ignore[assignment]
    return statements


def full_scans(path: Path, statements: list[str]) -> list[str]:
    """The statements that read every student, by SQLite's own query plan."""
    with sqlite3.connect(path) as conn:
        return [sql for sql in statements if sql.startswith("SELECT") and any(
            row[-1].startswith(("SCAN s ", "SCAN student")) or row[-1] in ("SCAN s", "SCAN student")
            for row in conn.execute(f"EXPLAIN QUERY PLAN {sql}"))]


def test_a_second_opening_reads_no_student_but_the_first_page(tmp_path: Path) -> None:
    path = make_workspace(tmp_path)
    assert full_scans(path, traced(lambda: ReviewSession.open(path).close())), "the first opening reads them all"
    assert not full_scans(path, traced(lambda: ReviewSession.open(path).close()))


def test_a_match_fills_the_cache_so_the_first_review_reads_no_student(tmp_path: Path) -> None:
    registry, path = tmp_path / "reg.sqlite", tmp_path / "w.sqlite"
    load_extract(FIXTURES / "ods_sample.txt", registry)
    for _run in ("new workspace", "re-match into it"):
        match_file(FIXTURES / "senr_clean.txt", registry, path, today=dt.date(2026, 11, 1))
        assert cached(path), _run
        with store.open_workspace(path, readonly=True) as ws:
            assert queue_cache.student_facts(ws) == queue_cache._scan(ws), _run  # what a scan finds now
        assert not full_scans(path, traced(lambda: ReviewSession.open(path).close())), _run
        order, words = truth(path)
        ses = ReviewSession.open(path, readonly=True)
        assert [s.local_id for s in ses.ws.students(list(ses.ids))] == order
        assert ses.counts.total == len(order) == 40
        ses.close()


def stale_cache_without_a_trigger(folder: Path) -> tuple[Path, list[str]]:
    """A workspace whose cache is out of date: an older or foreign writer dropped a trigger, then changed
    the file order with nothing to empty the cache. Its path and the true order of local IDs."""
    path = make_workspace(folder)
    ReviewSession.open(path).close()
    edit_behind_the_cache(path, f"DROP TRIGGER {QUEUE_CACHE_TRIGGERS[1]}", "UPDATE student SET seq = 100 - seq")
    assert cached(path)
    return path, truth(path)[0]


def test_the_triggers_are_looked_up_once_per_opening_and_missing_ones_still_count(tmp_path: Path) -> None:
    path, order = stale_cache_without_a_trigger(tmp_path)
    looked_up: list[list[str]] = []
    for readonly in (True, False):  # read-only: still missing; writable: put back by the opening

        def three_reads(readonly: bool = readonly) -> None:
            with store.open_workspace(path, readonly=readonly) as ws:
                for _ in range(3):
                    assert [s.local_id for s in ws.students(list(queue.file_order_ids(ws)[0]))] == order
                    assert queue_cache.student_facts(ws).total == len(order)

        looked_up.append([sql for sql in traced(three_reads) if "sqlite_master WHERE name IN" in sql])
    assert [len(sqls) <= 1 for sqls in looked_up] == [True, True], looked_up  # not once per call


def test_without_its_triggers_the_cache_is_not_trusted(tmp_path: Path) -> None:
    path, order = stale_cache_without_a_trigger(tmp_path)
    ses = ReviewSession.open(path, readonly=True)  # cannot put the trigger back: reads every student
    assert [s.local_id for s in ses.ws.students(list(ses.ids))] == order
    ses.close()
    ses = ReviewSession.open(path)  # puts the trigger back and empties the cache
    assert [s.local_id for s in ses.ws.students(list(ses.ids))] == order
    ses.close()
    edit_behind_the_cache(path, "UPDATE student SET seq = 100 - seq")
    order, _words = truth(path)
    with store.open_workspace(path) as ws:
        assert [s.local_id for s in ws.students(list(queue.file_order_ids(ws)[0]))] == order


def test_a_workspace_from_before_the_cache_opens_read_only_and_gets_it_when_writable(tmp_path: Path) -> None:
    path = make_workspace(tmp_path)
    edit_behind_the_cache(path, *[f"DROP TRIGGER {t}" for t in QUEUE_CACHE_TRIGGERS], "DROP TABLE queue_cache")
    order, _words = truth(path)
    with store.open_workspace(path, readonly=True) as ws:
        facts = queue_cache.student_facts(ws)
        assert facts.total == len(order) and facts.ids_in_file_order
    with store.open_workspace(path) as ws:
        queue_cache.student_facts(ws)
    assert cached(path)


def test_a_writer_at_work_is_not_waited_for_and_the_facts_are_still_right(tmp_path: Path) -> None:
    path = make_workspace(tmp_path)
    edit_behind_the_cache(path, "UPDATE student SET seq = 100 - seq")
    order, _words = truth(path)
    writer = sqlite3.connect(path, isolation_level=None)
    writer.execute("BEGIN IMMEDIATE")  # e.g. a match storing its run
    try:
        with store.open_workspace(path, readonly=False) as ws:
            started = time.perf_counter()
            facts = queue_cache.student_facts(ws)
            assert time.perf_counter() - started < 2  # not the 5 s busy timeout
            assert not facts.ids_in_file_order and facts.total == len(order)
            assert ws.conn.execute("PRAGMA busy_timeout").fetchone()[0] == 5000
    finally:
        writer.rollback()
        writer.close()
    assert not cached(path)
