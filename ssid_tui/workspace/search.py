"""Finding students in the review queue by what a clerk types.

A clerk types a local ID, an SSID, a birth date (`2013-09-03` or `20130903`), a name as
the list shows it (`NUNEZ, ANA`) or as it is said (`ANA NUNEZ`), in any case and with
or without accents. Each student gets one folded search key holding all of those forms,
built once per connection into a TEMP table (so it works on a read-only workspace and on
workspaces matched by an older ssid-tui too), and a search is one LIKE over that key.

The review app searches the same keys held in memory as one string (`find`): at 200,000
students a LIKE over every key took longer than the 50 ms a key may take, `str.find` does not.
Building those keys takes seconds at that size, so the app starts it in a background thread
with its own read-only connection (`prepare`) as it opens, not at the clerk's first search.
"""

from __future__ import annotations

import sqlite3
import threading
import unicodedata
from bisect import bisect_right
from collections.abc import Iterable
from dataclasses import dataclass
from itertools import takewhile

from ssid_tui.workspace.store import Workspace, reader_connection, temp_writes

#: Between the forms of one key: a character nobody types, so a search never spans two forms.
SEP = "\x1f"
_FUNCTION = "ssid_fold_key"


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


def ensure_index(ws: Workspace) -> None:
    """Build the search keys of this connection if they are missing or older than the latest run."""
    conn = ws.conn
    run = _run_id(ws)
    if getattr(ws, "_search_run", None) == run:
        return
    conn.create_function(_FUNCTION, 10, key_of, deterministic=True)
    with temp_writes(ws):
        _build(ws)
    ws._search_run = run  # type: ignore[attr-defined]


#: The arguments of `key_of`, read from student `s`.
_KEY_ARGS = ("s.local_id, s.first, s.middle, s.last, s.suffix, s.alias_first, s.alias_middle, s.alias_last, "
             "s.birth_date, (SELECT GROUP_CONCAT(c.ssid) FROM candidate c WHERE c.student_id = s.id)")


def _build(ws: Workspace) -> None:
    conn = ws.conn
    conn.execute("DROP TABLE IF EXISTS temp.search_key")
    conn.execute("CREATE TEMP TABLE search_key (student_id INTEGER PRIMARY KEY, key TEXT NOT NULL)")
    try:
        conn.execute(f"INSERT INTO temp.search_key SELECT s.id, {_FUNCTION}({_KEY_ARGS}) FROM student s")
        if conn.in_transaction:
            conn.commit()  # the TEMP table only: nothing of the workspace file is written
    except sqlite3.Error:
        conn.rollback()
        raise


def like_pattern(text: str) -> str:
    """A LIKE pattern (ESCAPE '\\') finding `text` anywhere in a key; % and _ are plain characters."""
    folded = fold(text).replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{folded}%"


def condition(ws: Workspace, text: str) -> tuple[str, list[str]]:
    """SQL (on student `s`, decision `d`) and parameters for a search; ('', []) for no search.

    A 10-digit search also finds the SSID chosen for a student (a looked-up SSID is no candidate).
    """
    text = text.strip()
    if not text:
        return "", []
    ensure_index(ws)
    sql = "s.id IN (SELECT student_id FROM temp.search_key WHERE key LIKE ? ESCAPE '\\')"
    params = [like_pattern(text)]
    digits = text.replace(" ", "")
    if digits.isdigit() and len(digits) == 10:
        sql = f"({sql} OR d.ssid = ?)"
        params.append(digits)
    return sql, params


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
    """The keys of this workspace in memory, built once per connection and run (see `ensure_index`)."""
    index: KeyIndex | None = getattr(ws, "_key_index", None)
    run = _run_id(ws)
    if index is not None and index.run == run:
        return index
    index = _prepared(ws, run)
    if index is None:
        ensure_index(ws)
        index = _key_index_of(run, ws.conn.execute("SELECT student_id, key FROM temp.search_key ORDER BY student_id"))
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
                rows = conn.execute(f"SELECT s.id, {_KEY_ARGS} FROM student s ORDER BY s.id")
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
    """The students a clerk's search finds, as `condition` would (None for no search)."""
    text = text.replace(SEP, " ").strip()
    if not text:
        return None
    found = key_index(ws).find(fold(text))
    digits = text.replace(" ", "")
    if digits.isdigit() and len(digits) == 10:
        found |= {r[0] for r in ws.conn.execute("SELECT student_id FROM decision WHERE ssid = ?", (digits,))}
    return found
