"""The review session's queue views held in memory: the same students as the queue's SQL, fewer queries."""

from __future__ import annotations

import itertools
import random
from pathlib import Path

from ssid_tui.ui.session import ReviewSession
from ssid_tui.workspace import queue
from ssid_tui.workspace import search as student_search
from tests.support.workspaces import build_workspace, large_students

SEARCHES = ["garcia", "L00001", "maria lopez", "2013", "%", "kim, emma", "", "  ", "zzz"]


def make_session(tmp_path: Path, n: int = 400) -> ReviewSession:
    path = tmp_path / "ws.sqlite"
    build_workspace(path, large_students(n, seed=3)).close()
    return ReviewSession.open(path)


def decide_some(ses: ReviewSession) -> None:
    """Choose, skip and mark none on a spread of students through the session, as keys would."""
    rng = random.Random(5)
    for _ in range(60):
        ses.goto(rng.randrange(len(ses.ids)))
        action = rng.choice(["choose", "none", "skip", "clear"])
        if action == "choose" and ses.candidates():
            ses.choose()
        elif action == "none":
            ses.mark_none()
        elif action == "skip":
            ses.skip()
        else:
            ses.clear()


def test_every_view_lists_what_the_queue_query_lists(tmp_path: Path) -> None:
    ses = make_session(tmp_path)
    decide_some(ses)
    ses.reload()
    decide_some(ses)  # decisions after the reload reach the views through the session's sets only
    for name, sort, undecided_only in itertools.product(queue.FILTERS, queue.SORTS, (False, True)):
        ses.sort, ses.undecided_only = sort, undecided_only
        ses.set_filter(name)
        want = queue.queue_ids(ses.ws, name, "", sort, undecided_only=undecided_only)
        assert ses.ids == want, (name, sort, undecided_only)
    for text, sort in itertools.product(SEARCHES, queue.SORTS):
        ses.sort = sort
        ses.set_filter("all", undecided_only=False)
        ses.set_search(text)
        assert ses.ids == queue.queue_ids(ses.ws, "all", text, sort), (text, sort)
    ses.close()


def test_the_in_memory_search_finds_what_the_sql_search_finds(tmp_path: Path) -> None:
    ses = make_session(tmp_path)
    for text in [*SEARCHES, "L0000012", "MARIA", "o'brien", "de la cruz", "20140507"]:
        want = set(queue.queue_ids(ses.ws, "all", text)) if text.strip() else None
        assert student_search.find(ses.ws, text) == want, text
    ses.close()


def test_a_filter_or_sort_key_reads_no_queue_again(tmp_path: Path) -> None:
    """Switching between views already seen costs no query over the students (at 200,000 each was 40+ ms)."""
    ses = make_session(tmp_path)
    for name in ("single", "undecided", "nomatch", "all"):
        ses.set_filter(name)
    for _ in queue.SORTS:  # every sort once, back to file order
        ses.cycle_sort()
    ses.choose() if ses.candidates() else ses.mark_none()
    statements: list[str] = []
    ses.ws.conn.set_trace_callback(statements.append)
    for name in ("single", "undecided", "nomatch", "all", "decided", "skipped"):
        ses.set_filter(name)
    ses.cycle_sort()
    ses.set_search("garcia")
    ses.ws.conn.set_trace_callback(None)
    reads = [s for s in statements if s.startswith("SELECT s.id FROM student s")]  # a queue query
    assert reads == [], reads
    ses.close()


def test_the_file_order_is_a_range_only_when_the_ids_follow_the_file(tmp_path: Path) -> None:
    path = tmp_path / "ws.sqlite"
    ws = build_workspace(path, large_students(50, seed=4))
    ids, ascending = queue.file_order_ids(ws)
    assert ascending and ids == queue.queue_ids(ws, "all") == sorted(ids)
    with ws.conn:
        ws.conn.execute("UPDATE student SET seq = 100 - seq")  # a file order that is not the id order
    ids, ascending = queue.file_order_ids(ws)
    assert not ascending and ids == queue.queue_ids(ws, "all") == sorted(ids, reverse=True)
    ws.close()


def test_the_search_keys_are_built_beside_the_app_not_at_the_first_search(tmp_path: Path) -> None:
    """At 200,000 students building the keys took seconds of CPU: the first `/` must not pay for it."""
    ses = make_session(tmp_path)
    statements: list[str] = []
    ses.ws.conn.set_trace_callback(statements.append)
    ses.set_search("garcia")
    ses.ws.conn.set_trace_callback(None)
    assert not [s for s in statements if "search_key" in s], statements
    assert ses.ids == queue.queue_ids(ses.ws, "all", "garcia")
    ses.close()


def test_a_search_still_works_when_the_background_keys_could_not_be_read(tmp_path: Path, monkeypatch) -> None:
    def refuse(path):
        raise OSError("unreadable")

    monkeypatch.setattr(student_search, "reader_connection", refuse)
    ses = make_session(tmp_path)
    ses.set_search("garcia")
    assert ses.ids == queue.queue_ids(ses.ws, "all", "garcia") and ses.ids
    ses.close()
