"""Finding students in the review queue by what a clerk types.

A clerk types a local ID, an SSID, a birth date (`2013-09-03` or `20130903`), a name as
the list shows it (`NUNEZ, ANA`) or as it is said (`ANA NUNEZ`), in any case and with
or without accents. Each student gets one folded search key holding all of those forms
(`key_of`), and a search finds the students whose key holds the folded text (`find`).

There is one search path: the keys are held in memory as one string and searched with
`str.find`, by the review app and by `queue.queue_ids` alike (a SQL LIKE over a TEMP table
of the same keys took longer than the 50 ms a key may take at 200,000 students, and was a
second path to keep in step). Building the keys takes seconds at that size, so the app
starts it in a background thread with its own read-only connection (`prepare`) as it
opens, not at the clerk's first search; without that thread, or if it could not read, the
first search builds them on the workspace's own connection (read-only workspaces too).
"""

from __future__ import annotations

import sqlite3
import threading
import unicodedata
from bisect import bisect_right
from collections.abc import Iterable
from dataclasses import dataclass
from itertools import takewhile

from ssid_tui.workspace.store import Workspace, reader_connection

#: Between the forms of one key: a character nobody types, so a search never spans two forms.
SEP = "\x1f"


def fold(text: str) -> str:
    """Upper case without accents, spaces collapsed: 'Núñez  ana' -> 'NUNEZ ANA'."""
    if not text.isascii():
        text = "".join(ch for ch in unicodedata.normalize("NFKD", text) if not unicodedata.combining(ch))
    return " ".join(text.upper().split())


def _dates(birth_date: str) -> list[str]:
    """'20130903' -> ['20130903', '2013-09-03', '09/03/2013']."""
    if len(birth_date) == 8 and birth_date.isdigit():
        y, m, d = birth_date[:4], birth_date[4:6], birth_date[6:]
        return [birth_date, f"{y}-{m}-{d}", f"{m}/{d}/{y}"]
    return [birth_date] if birth_date else []


def key_of(local_id: str, first: str, middle: str, last: str, suffix: str, alias_first: str,
           alias_middle: str, alias_last: str, birth_date: str, ssids: str | None) -> str:
    """Every form a clerk may type for one student, folded and joined by SEP."""
    given = " ".join(p for p in (first, middle) if p)
    forms = [local_id, f"{last}, {given}" if given else last, f"{last} {given}", f"{first} {last}", f"{given} {last}", suffix]
    if alias_first or alias_last:
        alias_given = " ".join(p for p in (alias_first, alias_middle) if p)
        forms += [f"{alias_last or last}, {alias_given or first}", f"{alias_first or first} {alias_last or last}"]
    forms += _dates(birth_date)
    forms += (ssids or "").split(",")
    return SEP + SEP.join(fold(f) for f in forms if f) + SEP


def _run_id(ws: Workspace) -> int:
    return int(ws.conn.execute("SELECT COALESCE(MAX(id), 0) FROM run").fetchone()[0])


#: The arguments of `key_of`, read from student `s`.
_KEY_ARGS = ("s.local_id, s.first, s.middle, s.last, s.suffix, s.alias_first, s.alias_middle, s.alias_last, "
             "s.birth_date, (SELECT GROUP_CONCAT(c.ssid) FROM candidate c WHERE c.student_id = s.id)")
#: Every student's id and the arguments of `key_of`, in id order.
KEY_ROWS_SQL = f"SELECT s.id, {_KEY_ARGS} FROM student s ORDER BY s.id"


@dataclass(frozen=True)
class KeyIndex:
    """Every student's search key in one string: key i starts at `starts[i]` and belongs to `ids[i]`."""

    run: int
    ids: list[int]
    starts: list[int]
    text: str

    def find(self, folded: str) -> set[int]:
        """Ids of the students whose key holds `folded` (a folded search without SEP)."""
        out: set[int] = set()
        text, starts, ids = self.text, self.starts, self.ids
        pos = text.find(folded)
        while pos >= 0:
            i = bisect_right(starts, pos) - 1
            out.add(ids[i])
            if i + 1 >= len(starts):
                break
            pos = text.find(folded, starts[i + 1])
        return out


def key_index(ws: Workspace) -> KeyIndex:
    """The keys of this workspace in memory, built once per connection and run (a new run stores new students)."""
    index: KeyIndex | None = getattr(ws, "_key_index", None)
    run = _run_id(ws)
    if index is not None and index.run == run:
        return index
    index = _prepared(ws, run)
    if index is None:
        index = _key_index_of(run, ((r[0], key_of(*r[1:])) for r in ws.conn.execute(KEY_ROWS_SQL)))
    ws._key_index = index  # type: ignore[attr-defined]
    return index


def _key_index_of(run: int, rows: Iterable[tuple[int, str]]) -> KeyIndex:
    ids: list[int] = []
    starts: list[int] = []
    parts: list[str] = []
    at = 0
    for student_id, key in rows:
        ids.append(student_id)
        starts.append(at)
        parts.append(key)
        at += len(key)
    return KeyIndex(run, ids, starts, "".join(parts))


class _Preparing:
    """The search keys being built beside the app; `index` is None until done (or if it failed)."""

    def __init__(self, ws: Workspace, run: int) -> None:
        self.run = run
        self.index: KeyIndex | None = None
        self._path = ws.path
        self._stopped = threading.Event()
        self._thread = threading.Thread(target=self._build, name="search-keys", daemon=True)
        self._thread.start()

    def _build(self) -> None:
        try:
            conn = reader_connection(self._path)
            try:
                rows = conn.execute(KEY_ROWS_SQL)
                index = _key_index_of(self.run, ((r[0], key_of(*r[1:])) for r in takewhile(self._going, rows)))
                self.index = None if self._stopped.is_set() else index
            finally:
                conn.close()
        except (sqlite3.Error, OSError):
            self.index = None  # the first search builds the keys itself

    def _going(self, _row: object) -> bool:
        return not self._stopped.is_set()

    def stop(self) -> None:
        """Stop building (the session is closing): seconds of CPU at 200,000 students for nothing."""
        self._stopped.set()

    def running(self) -> bool:
        """True while the thread is building."""
        return self._thread.is_alive()

    def wait(self) -> KeyIndex | None:
        self._thread.join()
        return self.index


def prepare(ws: Workspace) -> None:
    """Start building the search keys in a background thread (the review app calls this as it opens)."""
    if getattr(ws, "_key_preparing", None) is None:
        ws._key_preparing = _Preparing(ws, _run_id(ws))  # type: ignore[attr-defined]


def prepared(ws: Workspace) -> bool:
    """True when the keys of `prepare` are built (or no longer being built); takes them in."""
    preparing: _Preparing | None = getattr(ws, "_key_preparing", None)
    if preparing is None or preparing.running():
        return preparing is None
    key_index(ws)
    return True


def stop(ws: Workspace) -> None:
    """Stop building the keys of `prepare` (the review is closing)."""
    preparing: _Preparing | None = getattr(ws, "_key_preparing", None)
    if preparing is not None:
        preparing.stop()


def _prepared(ws: Workspace, run: int) -> KeyIndex | None:
    preparing: _Preparing | None = getattr(ws, "_key_preparing", None)
    if preparing is None or preparing.run != run:
        return None
    return preparing.wait()


def find(ws: Workspace, text: str) -> set[int] | None:
    """The students a clerk's search finds (None for no search).

    A student is found when its key (`key_of`) holds the folded text; a 10-digit search
    also finds the SSID chosen for a student (a looked-up SSID is no candidate).
    """
    text = text.replace(SEP, " ").strip()
    if not text:
        return None
    found = key_index(ws).find(fold(text))
    digits = text.replace(" ", "")
    if digits.isdigit() and len(digits) == 10:
        found |= {r[0] for r in ws.conn.execute("SELECT student_id FROM decision WHERE ssid = ?", (digits,))}
    return found
