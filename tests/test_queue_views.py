"""The review session's queue views held in memory: the same students as the queue's SQL, fewer queries."""

from __future__ import annotations

import itertools
import random
from pathlib import Path

from ssid_tui.matching.matcher import Candidate as MatchCandidate
from ssid_tui.ui.session import ReviewSession
from ssid_tui.workspace import queue, queue_views
from ssid_tui.workspace import search as student_search
from ssid_tui.workspace.store import open_workspace
from tests.support.workspaces import build_workspace, large_students, student

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
        assert list(ses.ids) == want, (name, sort, undecided_only)
    for text, sort in itertools.product(SEARCHES, queue.SORTS):
        ses.sort = sort
        ses.set_filter("all", undecided_only=False)
        ses.set_search(text)
        assert list(ses.ids) == queue.queue_ids(ses.ws, "all", text, sort), (text, sort)
    ses.close()


def reference_search(ws, text: str) -> set[int] | None:
    """What a search must find, from its definition: the students one of whose forms holds the search's
    `query_form` (and, for ten digits, the student an SSID is chosen for), one student at a time."""
    text = text.replace(student_search.SEP, " ").replace(student_search.RECORD, " ")
    if not text.strip():
        return None
    wanted = student_search.query_form(text)
    out = set()
    for s in ws.students([r[0] for r in ws.conn.execute("SELECT id FROM student")]):
        ssids = ",".join(c.ssid for c in ws.candidates(s.id)) or None
        forms = student_search.forms_of(s.local_id, s.first, s.middle, s.last, s.suffix, s.alias_first,
                                        s.alias_middle, s.alias_last, s.birth_date, ssids)
        digits = text.strip().replace(" ", "")
        if (wanted and any(wanted in f for f in forms)) or (
                digits.isdigit() and len(digits) == 10 and s.chosen_ssid == digits):
            out.add(s.id)
    return out


HOSTILE = [
    student("H-1", "Ana María", "Núñez\x1fDíaz", "20130903", middle="de la", suffix="JR"),
    student("H-2", "JOSE\tLUIS", "  LOPEZ ", "20120101", alias_first="Pepe", alias_last="100%_OFF"),
    student("H-3", "ZOË", "O'BRIEN", "2012010", alias_middle="X"),
    student("H-4", "[bold]MAX[/bold]", "=SUM(A1)", ""),
    student("H,5", "R2", "D2", "2013-09-03", alias_first="٣٣"),  # digits in a name, a local ID with a comma
]


def test_there_is_one_search_and_it_finds_what_each_students_key_holds(tmp_path: Path) -> None:
    """The review app's search and `queue.queue_ids` are one path (`search.find`), checked against its definition."""
    path = tmp_path / "ws.sqlite"
    build_workspace(path, [*large_students(300, seed=3), *HOSTILE]).close()
    ses = ReviewSession.open(path)
    found_ssid = next(c.ssid for sid in ses.ids for c in ses.candidates(sid))
    ses.goto(1)
    ses.choose_found(MatchCandidate(ssid="7777777777", weight=12.0, score=97, name_source="legal", comparisons=[],
                                    registry={"first": "ANA", "last": "LOPEZ", "birth_date": "20130101"}))
    texts = [*SEARCHES, "L0000012", "MARIA", "o'brien", "de la cruz", "20140507", "núñez", "nunez diaz", "DÍAZ",
             "ana maria de la", "jose luis", "lopez, jose", "100%_", "%_OFF", "PEPE LOPEZ", "zoe", "2012010",
             "[bold]", "=sum", "jr", found_ssid, "7777777777", "777 777 7777", "\x1f", "a\x1fna", "2", "R2 D2",
             "d2, r2", "h,5", "h 5", ",", "٣", "2013-09", "09/03", "9/3/2013", "2013-09-03", "\x1e2013"]
    for text in texts:
        want = reference_search(ses.ws, text)
        assert student_search.find(ses.ws, text) == want, text
        assert queue.queue_ids(ses.ws, "all", text) == [i for i in queue.queue_ids(ses.ws, "all")
                                                          if want is None or i in want], text
        ses.set_search(text)
        assert set(ses.ids) == (want if want is not None else set(queue.queue_ids(ses.ws, "all"))), text
    ses.close()


def test_a_search_through_the_queue_query_makes_no_temp_table(tmp_path: Path) -> None:
    """The LIKE over a TEMP table of keys (the second search path) is gone: it works on a read-only workspace too."""
    path = tmp_path / "ws.sqlite"
    build_workspace(path, large_students(50, seed=3)).close()
    ws = open_workspace(path, readonly=True)
    statements: list[str] = []
    ws.conn.set_trace_callback(statements.append)
    ids = queue.queue_ids(ws, "all", "garcia")
    ws.conn.set_trace_callback(None)
    assert not [s for s in statements if "TEMP" in s.upper() or "LIKE" in s.upper()], statements
    assert ids == sorted(reference_search(ws, "garcia") or [])
    ws.close()


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
    assert ascending and list(ids) == queue.queue_ids(ws, "all") == sorted(ids)
    with ws.conn:
        ws.conn.execute("UPDATE student SET seq = 100 - seq")  # a file order that is not the id order
    ids, ascending = queue.file_order_ids(ws)
    assert not ascending and list(ids) == queue.queue_ids(ws, "all") == sorted(ids, reverse=True)
    ws.close()


def test_the_search_keys_are_built_beside_the_app_not_at_the_first_search(tmp_path: Path) -> None:
    """At 200,000 students building the keys took seconds of CPU: the first `/` must not pay for it."""
    ses = make_session(tmp_path)
    ses.prepare()  # what the app does once its first screen is up
    statements: list[str] = []
    ses.ws.conn.set_trace_callback(statements.append)
    ses.set_search("garcia")
    ses.ws.conn.set_trace_callback(None)
    assert not [s for s in statements if "GROUP_CONCAT(c.ssid)" in s], statements  # the keys' query
    assert list(ses.ids) == queue.queue_ids(ses.ws, "all", "garcia")
    ses.close()


def test_a_search_still_works_when_the_background_keys_could_not_be_read(tmp_path: Path, monkeypatch) -> None:
    def refuse(path):
        raise OSError("unreadable")

    monkeypatch.setattr(student_search, "reader_connection", refuse)
    ses = make_session(tmp_path)
    ses.set_search("garcia")
    assert list(ses.ids) == queue.queue_ids(ses.ws, "all", "garcia") and ses.ids
    ses.close()


def queue_reads(ses: ReviewSession, action) -> list[str]:
    """The queue queries (over every student) `action()` runs on the session's connection."""
    statements: list[str] = []
    ses.ws.conn.set_trace_callback(statements.append)
    try:
        action()
    finally:
        ses.ws.conn.set_trace_callback(None)
    return [s for s in statements if s.startswith(("SELECT s.id FROM student s", "SELECT SUM("))]


def test_the_sorts_and_student_filters_are_read_beside_the_app_and_match_the_queue_query(tmp_path: Path) -> None:
    """At 200,000 students the first look at a score band or the name order was a 60-150 ms scan on the key."""
    ses = make_session(tmp_path)
    ses.wait_prepared()

    def visit_every_view() -> None:
        for name in (*queue_views.STUDENT_FILTERS, "all"):
            for sort in queue.SORTS:
                ses.sort = sort
                ses.set_filter(name)
                views[(name, sort)] = list(ses.ids)
        counts.update(ses.band_counts())

    views: dict[tuple[str, str], list[int]] = {}
    counts: dict[str, int] = {}
    assert queue_reads(ses, visit_every_view) == []
    for (name, sort), ids in views.items():
        assert ids == queue.queue_ids(ses.ws, name, "", sort), (name, sort)
    assert counts == queue.band_counts(ses.ws)
    ses.close()


def test_a_bulk_step_keeps_the_orders_and_filters_read(tmp_path: Path) -> None:
    ses = make_session(tmp_path)
    ses.wait_prepared()
    ses.bulk_accept(90)
    ses.undo()
    assert queue_reads(ses, lambda: [ses.set_filter(name) for name in ("score_50_89", "single", "all")]) == []
    assert list(ses.ids) == queue.queue_ids(ses.ws, "all")
    ses.close()


def test_a_lookup_forgets_what_the_background_read(tmp_path: Path) -> None:
    """A lookup may give a student a candidate and a best score: the views are read again."""
    ses = make_session(tmp_path)
    ses.wait_prepared()
    ses.set_filter("nomatch")
    sid = ses.current_id
    found = MatchCandidate(ssid="5555555555", weight=12.0, score=97, name_source="legal", comparisons=[],
                           registry={"first": "ANA", "last": "LOPEZ", "birth_date": "20130101"})
    ses.choose_found(found)
    ses.set_filter("score_below_50")
    assert list(ses.ids) == queue.queue_ids(ses.ws, "score_below_50")
    ses.set_filter("nomatch")
    assert sid in ses.ids and ses.ids == queue.queue_ids(ses.ws, "nomatch")
    ses.close()


def test_closing_the_review_stops_the_background_reads(tmp_path: Path) -> None:
    ses = make_session(tmp_path, n=3000)
    ses.prepare()
    preparing = ses.ws._key_preparing
    views = ses._views._prepared
    ses.close()
    preparing._thread.join(timeout=10)
    assert not preparing._thread.is_alive()
    assert views is None or views.finished.wait(timeout=10)
