"""Finding students in the review queue by what a clerk types.

A clerk types a local ID, an SSID, a birth date (`2013-09-03`, `20130903`, `09/03/2013` or
`9/3/2013`), a name as the list shows it (`NUNEZ, ANA`) or as it is said (`ANA NUNEZ`), in
any case and with or without accents. Each student has a list of folded forms (`forms_of`):
the local ID, the names both ways round, the birth date as YYYYMMDD, the candidates' SSIDs.
A search is folded the same way (`query_form`: commas are spaces, a date becomes YYYYMMDD),
and finds the students one of whose forms holds it (`find`).

There is one search path: the forms are held in memory as two strings and searched with
`str.find`, by the review app and by `queue.queue_ids` alike. A search of digits only can
only be in a form that has a digit (local ID, date, SSID), any other search only in a form
that has something else (names, most local IDs); each string holds the forms of one kind
(7.3 MB each at 200,000 students) and a search reads one, 4-6 ms; the one string of every
form, each date three times, was 23 MB and took 15-30 ms a search. Building them takes seconds at that size, so the app starts it in a background
thread with its own read-only connection (`prepare`) once its first screen is up, not at
the clerk's first search; without that thread, or if it could not read, the first search
builds them on the workspace's own connection (read-only workspaces too).
"""

from __future__ import annotations

import re
import sqlite3
import threading
import unicodedata
from bisect import bisect_right
from collections.abc import Iterable
from dataclasses import dataclass
from itertools import compress, repeat, takewhile
from operator import contains

from ssid_tui.workspace.store import Workspace, reader_connection

#: Between the forms of one student: a character nobody types, so a search never spans two forms.
SEP = "\x1f"
#: Before each student's forms in the index strings.
RECORD = "\x1e"

_FULL_DATE = re.compile(r"^([0-9]{4})-([0-9]{1,2})-([0-9]{1,2})$|^([0-9]{1,2})/([0-9]{1,2})/([0-9]{4})$")
_PART_DATE = re.compile(r"^[0-9]{4}-[0-9]{2}(-[0-9])?$|^[0-9]{2}/[0-9]{2}$")
#: Hits counted before `_Forms.find` decides whether to go on hit by hit.
PROBE = 1_000

_DIGIT = re.compile(r"\d")  # what str.isdecimal calls a digit


def fold(text: str) -> str:
    """Upper case without accents, spaces collapsed: 'Núñez  ana' -> 'NUNEZ ANA'."""
    if not text.isascii():
        text = "".join(ch for ch in unicodedata.normalize("NFKD", text) if not unicodedata.combining(ch))
    return " ".join(text.upper().split())


def _form(text: str) -> str:
    """A form as it is searched: folded, commas as spaces ('NUNEZ, ANA' is 'NUNEZ ANA')."""
    return fold(text.replace(",", " "))


def query_form(text: str) -> str:
    """What a search looks for: `_form` of the text, a birth date as YYYYMMDD ('9/3/2013' -> '20130903').

    The start of a date as the list shows it ('2013-09', '2013-09-0') or its month and day
    ('09/03') lose their separators too, so they find the dates they begin or hold.
    """
    text = text.replace(SEP, " ").replace(RECORD, " ").strip()
    date = _FULL_DATE.match(text)
    if date:
        y, m, d = (date[1], date[2], date[3]) if date[1] else (date[6], date[4], date[5])
        return f"{y}{int(m):02d}{int(d):02d}"
    if _PART_DATE.match(text):
        return text.replace("-", "").replace("/", "")
    return _form(text)


def forms_of(local_id: str, first: str, middle: str, last: str, suffix: str, alias_first: str,
             alias_middle: str, alias_last: str, birth_date: str, ssids: str | None) -> list[str]:
    """Every form a clerk may type for one student, as searched (`_form`), each once."""
    given = " ".join(p for p in (first, middle) if p)
    forms = [local_id, f"{last} {given}", f"{first} {last}", f"{given} {last}", suffix]
    if alias_first or alias_last:
        alias_given = " ".join(p for p in (alias_first, alias_middle) if p)
        forms += [f"{alias_last or last} {alias_given or first}", f"{alias_first or first} {alias_last or last}"]
    forms.append(birth_date)
    forms += (ssids or "").split(",")
    return list(dict.fromkeys(f for f in map(_form, forms) if f))


def key_of(*fields: str | None) -> str:
    """All of a student's forms in one string (the fields of `forms_of`): a search finds the
    student when this holds its `query_form`."""
    return SEP + SEP.join(forms_of(*fields)) + SEP  # type: ignore[arg-type]


def _run_id(ws: Workspace) -> int:
    return int(ws.conn.execute("SELECT COALESCE(MAX(id), 0) FROM run").fetchone()[0])


#: The arguments of `forms_of`, read from student `s`.
_KEY_ARGS = ("s.local_id, s.first, s.middle, s.last, s.suffix, s.alias_first, s.alias_middle, s.alias_last, "
             "s.birth_date, (SELECT GROUP_CONCAT(c.ssid) FROM candidate c WHERE c.student_id = s.id)")
#: Every student's id and the arguments of `forms_of`, in id order.
KEY_ROWS_SQL = f"SELECT s.id, {_KEY_ARGS} FROM student s ORDER BY s.id"


@dataclass(frozen=True)
class _Forms:
    """One kind of form of every student: RECORD, then the forms joined by SEP, and a last RECORD.

    Record i starts at starts[i]; `owners[i + 1]` is its student's id (see `find`).
    """

    starts: list[int]
    owners: list[int]
    text: str

    def find(self, folded: str) -> set[int]:
        """Ids of the students whose record holds `folded`.

        Hit by hit (`str.find`, then on from the next record), unless the first hits say that
        most records hold it ('A': 175,000 of 200,000, 150 ms hit by hit): then record by record.
        """
        text, hits = self.text, list[int]()
        find, hit = text.find, hits.append
        pos = find(folded)
        for _ in range(PROBE):
            if pos < 0:
                break
            hit(pos)
            pos = find(folded, find(RECORD, pos))  # the last RECORD ends the search
        else:
            if pos >= 0 and PROBE * len(text) > pos * max(len(self.starts) // 10, PROBE):
                return set(compress(self.owners[1:], map(contains, text.split(RECORD)[1:-1], repeat(folded))))
        while pos >= 0:
            hit(pos)
            pos = find(folded, find(RECORD, pos))
        # the record of each hit, and its student, without a line of Python per hit (GARCIA: 12,000 hits)
        return set(map(self.owners.__getitem__, map(bisect_right, repeat(self.starts), hits)))


@dataclass(frozen=True)
class KeyIndex:
    """Every student's forms in memory: those with a digit in `numbers`, those with anything else in `words`."""

    run: int
    ids: list[int]
    numbers: _Forms
    words: _Forms

    def find(self, folded: str) -> set[int]:
        """Ids of the students one of whose forms holds `folded` (a `query_form`)."""
        return (self.numbers if folded.isdecimal() else self.words).find(folded)


def key_index(ws: Workspace) -> KeyIndex:
    """The forms of this workspace in memory, built once per connection and run (a new run stores new students)."""
    index: KeyIndex | None = getattr(ws, "_key_index", None)
    run = _run_id(ws)
    if index is not None and index.run == run:
        return index
    index = _prepared(ws, run)
    if index is None:
        index = _key_index_of(run, ((r[0], forms_of(*r[1:])) for r in ws.conn.execute(KEY_ROWS_SQL)))
    ws._key_index = index  # type: ignore[attr-defined]
    return index


def _key_index_of(run: int, rows: Iterable[tuple[int, list[str]]]) -> KeyIndex:
    ids: list[int] = []
    parts: tuple[list[str], list[str]] = ([], [])
    starts: tuple[list[int], list[int]] = ([], [])
    at = [0, 0]
    has_digit = _DIGIT.search
    for student_id, forms in rows:
        ids.append(student_id)
        numbers = RECORD + SEP.join(f for f in forms if has_digit(f))
        words = RECORD + SEP.join(f for f in forms if not f.isdecimal())
        for k, record in enumerate((numbers, words)):
            starts[k].append(at[k])
            parts[k].append(record)
            at[k] += len(record)
    owners = [0, *ids]  # bisect_right gives the record's index + 1
    return KeyIndex(run, ids, *(_Forms(starts[k], owners, "".join(parts[k]) + RECORD) for k in (0, 1)))


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
                index = _key_index_of(self.run, ((r[0], forms_of(*r[1:])) for r in takewhile(self._going, rows)))
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

    A student is found when one of its forms (`forms_of`) holds the search's `query_form`;
    a 10-digit search also finds the SSID chosen for a student (a looked-up SSID is no candidate).
    """
    text = text.replace(SEP, " ").replace(RECORD, " ").strip()
    folded = query_form(text)
    if not folded:
        return None if not text else set()
    found = key_index(ws).find(folded)
    digits = text.replace(" ", "")
    if digits.isdigit() and len(digits) == 10:
        found |= {r[0] for r in ws.conn.execute("SELECT student_id FROM decision WHERE ssid = ?", (digits,))}
    return found
