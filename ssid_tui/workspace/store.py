"""The workspace: one SQLite file holding a matching run, its candidates and the decisions.

Every write is its own transaction with `synchronous=FULL`, so a dropped SSH link or
`kill -9` never loses more than the keystroke in flight. The file is created owner-only.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import shlex
import sqlite3
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ssid_tui.files import safe as safefiles
from ssid_tui.files.inputs import is_empty_file, require_input_file, sqlite_cut_short
from ssid_tui.files.safe import create_owner_only
from ssid_tui.files.targets import REGISTRY_APP
from ssid_tui.workspace.history import REASON_LEFT_FILE, REASON_RECORD_CHANGED, REASON_SSID_GONE, clear_for_rematch
from ssid_tui.workspace.schema import _QUEUE_CACHE_SCHEMA, _REVIEW_SCHEMA, _REVIEW_TABLES, _SCHEMA, HISTORY_UNDOES_INDEX
from ssid_tui.workspace.schema import APP_ID as APP_ID
from ssid_tui.workspace.schema import CANDIDATE_FIELDS as CANDIDATE_FIELDS
from ssid_tui.workspace.schema import QUEUE_CACHE_TRIGGERS as QUEUE_CACHE_TRIGGERS
from ssid_tui.workspace.schema import SCHEMA_VERSION as SCHEMA_VERSION
from ssid_tui.workspace.schema import STUDENT_FIELDS as STUDENT_FIELDS
from ssid_tui.workspace.statuses import STATUS_SQL, DecisionStatus
from ssid_tui.workspace.store_problems import (
    cut_short_message,
    damaged_message,
    folder_read_only,
    open_problem,
    read_only_folder_message,
)


class WorkspaceError(Exception):
    """The workspace cannot be used; the message is one sentence saying why and what to do."""


@dataclass(frozen=True)
class Student:
    """A submitted student as stored in the workspace, with its current decision."""

    id: int
    seq: int
    line_no: int
    local_id: str
    first: str
    middle: str
    last: str
    suffix: str
    alias_first: str
    alias_middle: str
    alias_last: str
    birth_date: str
    gender: str
    birth_city: str
    birth_state: str
    birth_country: str
    reporting_lea: str
    school: str
    category: str
    best_score: int | None
    candidate_count: int
    status: DecisionStatus
    chosen_ssid: str | None
    raw: str = field(repr=False, default="")
    note: str = field(repr=False, default="")  # the reviewer's one-line note
    follow_up: bool = False  # tagged for a follow-up


@dataclass(frozen=True)
class Candidate:
    """A registry SSID proposed for a student, with its score and explanation."""

    id: int
    student_id: int
    rank: int
    score: int
    name_source: str
    ssid: str
    create_date: str
    first: str
    middle: str
    last: str
    suffix: str
    alias_first: str
    alias_middle: str
    alias_last: str
    birth_date: str
    gender: str
    birth_city: str
    birth_state: str
    birth_country: str
    lea: str
    school: str
    grade: str
    enroll_start: str
    enroll_exit: str
    explanation: list[dict[str, Any]]


def explanation_json(explanation: list[dict[str, Any]] | str) -> str:
    """A candidate's explanation rows as the workspace stores them (JSON text; text already made stays as it is)."""
    return explanation if isinstance(explanation, str) else json.dumps(explanation, separators=(",", ":"))


def record_hash(fields: Sequence[str]) -> str:
    """A stable hash of a record's matching fields: equal hash = nothing matching-relevant changed."""
    return hashlib.sha256("\x1f".join(fields).encode("utf-8")).hexdigest()[:32]


def _network_filesystem(path: Path) -> bool:
    """True if `path` is on NFS/SMB, where SQLite's WAL mode does not work."""
    try:
        target = str(path.resolve().parent)
        best, fstype = "", ""
        with open("/proc/mounts", encoding="utf-8") as fh:
            for line in fh:
                parts = line.split()
                if len(parts) >= 3 and target.startswith(parts[1]) and len(parts[1]) > len(best):
                    best, fstype = parts[1], parts[2]
        return fstype.startswith(("nfs", "cifs", "smb", "fuse.sshfs"))
    except OSError:
        return False


class Workspace:
    """An open workspace file. Use `open_workspace` or `create_workspace` to get one."""

    def __init__(self, path: Path, conn: sqlite3.Connection, readonly: bool) -> None:
        self.path = path
        self.conn = conn
        self.readonly = readonly
        self.journal_note: str | None = None
        #: Whether the queue cache's triggers are all there: `queue_cache` reads it once per opening.
        self.queue_cache_trusted: bool | None = None

    def close(self) -> None:
        """Close the database connection."""
        self.conn.close()

    def __enter__(self) -> Workspace:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- reading -------------------------------------------------------------------

    def meta(self, key: str) -> str | None:
        """A value from the meta table."""
        row = self.conn.execute("SELECT value FROM meta WHERE key = ?", (key,)).fetchone()
        return row[0] if row else None

    def latest_run(self) -> dict[str, Any] | None:
        """The most recent matching run, with its JSON columns decoded."""
        cur = self.conn.execute("SELECT * FROM run ORDER BY id DESC LIMIT 1")
        row = cur.fetchone()
        if row is None:
            return None
        out = dict(zip([c[0] for c in cur.description], row))
        for key in ("senr_layout", "settings", "summary"):
            out[key] = json.loads(out[key]) if out.get(key) else None
        return out

    def students(self, ids: Sequence[int]) -> list[Student]:
        """The students with these ids, in the order given (for one page of the queue)."""
        if not ids:
            return []
        rows: dict[int, Student] = {}
        for start in range(0, len(ids), 500):
            chunk = ids[start : start + 500]
            marks = ",".join("?" * len(chunk))
            for s in self._student_rows(f"s.id IN ({marks})", chunk):
                rows[s.id] = s
        return [rows[i] for i in ids if i in rows]

    def student(self, student_id: int) -> Student | None:
        """One student by id."""
        found = self._student_rows("s.id = ?", (student_id,))
        return found[0] if found else None

    def student_by_local_id(self, local_id: str) -> Student | None:
        """One student by Local Student ID."""
        found = self._student_rows("s.local_id = ?", (local_id,))
        return found[0] if found else None

    def all_students(self) -> list[Student]:
        """Every student in file order (for export; not for the UI)."""
        return self._student_rows("1 = 1", (), order="s.seq")

    def _student_rows(self, where: str, params: Sequence[Any], order: str | None = None) -> list[Student]:
        cols = ", ".join(f"s.{f}" for f in STUDENT_FIELDS)
        sql = (
            f"SELECT s.id, s.seq, s.line_no, {cols}, s.category, s.best_score, s.candidate_count, "
            f"{STATUS_SQL}, d.ssid, s.raw, COALESCE(a.note, ''), COALESCE(a.follow_up, 0) "
            "FROM student s LEFT JOIN decision d ON d.student_id = s.id "
            f"LEFT JOIN annotation a ON a.student_id = s.id WHERE {where}"
        )
        if order:
            sql += f" ORDER BY {order}"
        out = []
        for r in self.conn.execute(sql, params):
            values = dict(zip(STUDENT_FIELDS, r[3 : 3 + len(STUDENT_FIELDS)]))
            rest = r[3 + len(STUDENT_FIELDS) :]
            out.append(
                Student(
                    id=r[0], seq=r[1], line_no=r[2], **values, category=rest[0], best_score=rest[1],
                    candidate_count=rest[2], status=DecisionStatus(rest[3]), chosen_ssid=rest[4], raw=rest[5],
                    note=rest[6], follow_up=bool(rest[7]),
                )
            )
        return out

    def candidates(self, student_id: int) -> list[Candidate]:
        """A student's candidates, best first."""
        cols = ", ".join(CANDIDATE_FIELDS)
        rows = self.conn.execute(
            f"SELECT id, student_id, rank, score, name_source, {cols}, explanation FROM candidate "
            "WHERE student_id = ? ORDER BY rank",
            (student_id,),
        ).fetchall()
        out = []
        for r in rows:
            values = dict(zip(CANDIDATE_FIELDS, r[5 : 5 + len(CANDIDATE_FIELDS)]))
            out.append(
                Candidate(id=r[0], student_id=r[1], rank=r[2], score=r[3], name_source=r[4], **values,
                          explanation=json.loads(r[-1]))
            )
        return out

    # -- writing a run -------------------------------------------------------------

    @contextlib.contextmanager
    def transaction(self) -> Iterator[None]:
        """One write transaction around the block (joined if one is already open).

        A matching run is stored inside one: killed part way, the workspace stays as it was.
        """
        if self.conn.in_transaction:
            yield
            return
        self.conn.execute("BEGIN IMMEDIATE")
        try:
            yield
        except BaseException:
            self.conn.rollback()
            raise
        self.conn.commit()

    def begin_run(
        self, *, senr_path: Path, senr_sha256: str, senr_layout: dict[str, Any],
        registry_path: Path, registry_fingerprint: str, settings: dict[str, Any], started_at: str,
    ) -> int:
        """Record the start of a matching run and return its id."""
        with self.transaction():
            cur = self.conn.execute(
                "INSERT INTO run (started_at, senr_path, senr_sha256, senr_layout, registry_path, "
                "registry_fingerprint, settings) VALUES (?, ?, ?, ?, ?, ?, ?)",
                (started_at, str(senr_path), senr_sha256, json.dumps(senr_layout), str(registry_path),
                 registry_fingerprint, json.dumps(settings)),
            )
        assert cur.lastrowid is not None  # an INSERT always sets it
        return cur.lastrowid

    def store_results(self, run_id: int, results: Iterable[dict[str, Any]]) -> dict[str, Any]:
        """Store a run's students and candidates, keeping decisions of unchanged records.

        Each result is a dict with the STUDENT_FIELDS, `seq`, `line_no`, `raw`, `record_hash`,
        `category`, and `candidates` (a list of dicts with CANDIDATE_FIELDS, `score`,
        `name_source`, `explanation`: its rows, or them as JSON text). Returns counts: kept, cleared, removed and dropped
        decisions, and under "dropped_ids" the local IDs whose chosen SSID is no longer a
        candidate (those decisions are cleared too, with the reason in the history).
        """
        stats: dict[str, Any] = {"students": 0, "kept": 0, "cleared": 0, "removed": 0, "dropped": 0,
                                 "dropped_ids": []}
        existing = {
            lid: (sid, h)
            for sid, lid, h in self.conn.execute("SELECT id, local_id, record_hash FROM student")
        }
        seen: set[str] = set()
        s_cols = ("run_id", "seq", "line_no", "raw", "record_hash", *STUDENT_FIELDS,
                  "category", "best_score", "candidate_count", "sort_name")
        c_cols = ("student_id", "rank", "score", "name_source", *CANDIDATE_FIELDS, "explanation")
        c_sql = f"INSERT INTO candidate ({', '.join(c_cols)}) VALUES ({', '.join('?' * len(c_cols))})"
        with self.transaction():
            for res in results:
                stats["students"] += 1
                lid = res["local_id"]
                seen.add(lid)
                cands = res["candidates"]
                values = dict(res)
                values.update(
                    run_id=run_id, candidate_count=len(cands),
                    best_score=cands[0]["score"] if cands else None,
                    sort_name=f"{res['last']} {res['first']}".upper(),
                )
                row = [values[c] for c in s_cols]
                if lid in existing:
                    sid, old_hash = existing[lid]
                    sets = ", ".join(f"{c} = ?" for c in s_cols)
                    self.conn.execute(f"UPDATE student SET {sets} WHERE id = ?", (*row, sid))
                    self.conn.execute("DELETE FROM candidate WHERE student_id = ?", (sid,))
                    decided = self.conn.execute("SELECT status, ssid FROM decision WHERE student_id = ?",
                                                (sid,)).fetchone()
                    if old_hash != res["record_hash"]:
                        stats["cleared"] += clear_for_rematch(self.conn, sid, lid, REASON_RECORD_CHANGED)
                    elif decided and decided[0] == DecisionStatus.CHOSEN and decided[1] not in {c["ssid"] for c in cands}:
                        stats["dropped"] += clear_for_rematch(
                            self.conn, sid, lid, REASON_SSID_GONE,
                            f"chosen SSID {decided[1]} is no longer a candidate after the re-match")
                        stats["dropped_ids"].append(lid)
                    elif decided:
                        stats["kept"] += 1
                else:
                    cur = self.conn.execute(
                        f"INSERT INTO student ({', '.join(s_cols)}) VALUES ({', '.join('?' * len(s_cols))})", row
                    )
                    assert cur.lastrowid is not None  # an INSERT always sets it
                    sid = cur.lastrowid
                self.conn.executemany(
                    c_sql,
                    [
                        (sid, rank, c["score"], c["name_source"], *[c.get(f, "") or "" for f in CANDIDATE_FIELDS],
                         explanation_json(c["explanation"]))
                        for rank, c in enumerate(cands, start=1)
                    ],
                )
            for lid, (sid, _h) in existing.items():
                if lid not in seen:
                    # The student is no longer in the file: keep nothing that would export them.
                    stats["removed"] += clear_for_rematch(self.conn, sid, lid, REASON_LEFT_FILE,
                                                         "student not in the new file")
                    self.conn.execute("DELETE FROM candidate WHERE student_id = ?", (sid,))
                    self.conn.execute("DELETE FROM annotation WHERE student_id = ?", (sid,))
                    self.conn.execute("DELETE FROM student WHERE id = ?", (sid,))
        return stats

    def store_upload_duplicates(self, pairs: Iterable[tuple[str, str, int]]) -> int:
        """Replace the run's same-child-twice pairs (local ID, local ID, score), stored both ways.

        Returns the number of students involved.
        """
        ids = dict(self.conn.execute("SELECT local_id, id FROM student"))
        rows = {(ids[a], b, score) for a, b, score in pairs if a in ids and b in ids}
        rows |= {(ids[b], a, score) for a, b, score in pairs if a in ids and b in ids}
        with self.transaction():
            self.conn.execute("DELETE FROM upload_duplicate")
            self.conn.executemany(
                "INSERT OR REPLACE INTO upload_duplicate (student_id, other_local_id, score) VALUES (?, ?, ?)",
                sorted(rows))
        return len({r[0] for r in rows})

    def upload_duplicates(self, student_id: int) -> list[tuple[str, int]]:
        """(other local ID, score) of the students in the same upload that may be this child, best first."""
        return [(r[0], r[1]) for r in self.conn.execute(
            "SELECT other_local_id, score FROM upload_duplicate WHERE student_id = ? ORDER BY score DESC, other_local_id",
            (student_id,))]

    def add_candidate(self, student_id: int, cand: dict[str, Any]) -> None:
        """Add a candidate found by a registry lookup after the run (ranked last; the student's counts follow)."""
        cols = ("student_id", "rank", "score", "name_source", *CANDIDATE_FIELDS, "explanation")
        with self.conn:
            rank = self.conn.execute("SELECT COALESCE(MAX(rank), 0) + 1 FROM candidate WHERE student_id = ?",
                                     (student_id,)).fetchone()[0]
            self.conn.execute(
                f"INSERT INTO candidate ({', '.join(cols)}) VALUES ({', '.join('?' * len(cols))})",
                (student_id, rank, cand["score"], cand["name_source"], *[cand.get(f, "") or "" for f in CANDIDATE_FIELDS],
                 explanation_json(cand["explanation"])))
            self.conn.execute("UPDATE student SET candidate_count = candidate_count + 1, "
                              "best_score = MAX(COALESCE(best_score, 0), ?) WHERE id = ?", (cand["score"], student_id))

    def finish_run(self, run_id: int, finished_at: str, summary: dict[str, Any]) -> None:
        """Record the end of a run and its summary."""
        with self.transaction():
            self.conn.execute(
                "UPDATE run SET finished_at = ?, summary = ? WHERE id = ?", (finished_at, json.dumps(summary), run_id)
            )


_MAIN_WRITES = frozenset({
    sqlite3.SQLITE_INSERT, sqlite3.SQLITE_UPDATE, sqlite3.SQLITE_DELETE, sqlite3.SQLITE_CREATE_TABLE,
    sqlite3.SQLITE_CREATE_INDEX, sqlite3.SQLITE_CREATE_VIEW, sqlite3.SQLITE_CREATE_TRIGGER, sqlite3.SQLITE_DROP_TABLE,
    sqlite3.SQLITE_DROP_INDEX, sqlite3.SQLITE_DROP_VIEW, sqlite3.SQLITE_DROP_TRIGGER, sqlite3.SQLITE_ALTER_TABLE,
})


def _no_writes_to_the_file(action: int, _arg1: str | None, _arg2: str | None, db: str | None,
                           _trigger: str | None) -> int:
    """SQLite authorizer of a read-only workspace: nothing is written to the file (TEMP tables may be)."""
    return sqlite3.SQLITE_DENY if action in _MAIN_WRITES and db == "main" else sqlite3.SQLITE_OK


class _ReadingConnection(sqlite3.Connection):
    """A connection of a read-only opening. SQLite's last connection to close checkpoints a pending -wal
    into the file and deletes it; this one never does (another writer's or a crash's -wal stays for the
    next read-write opening, which applies it): while it closes, a `mode=ro` companion holds the file open."""

    ssid_path: Path | None = None

    def close(self) -> None:
        path = self.ssid_path
        companion: sqlite3.Connection | None = None
        if path is not None and pending_write(path):
            try:
                companion = sqlite3.connect(f"file:{path}?mode=ro", uri=True, timeout=5)
                companion.execute("SELECT 1 FROM sqlite_master LIMIT 1").fetchall()  # holds the file shared
            except sqlite3.Error:
                if companion is not None:
                    companion.close()
                companion = None
        try:
            super().close()
        finally:
            if companion is not None:
                companion.close()  # read-only: it cannot checkpoint


def pending_write(path: Path) -> bool:
    """True when a write not yet in the file waits beside it: a -wal holding frames, or a -journal (a crash,
    or another process writing). A read-write opening would apply the one and roll back the other."""
    for suffix in ("-wal", "-journal"):
        try:
            if os.stat(f"{path}{suffix}").st_size > 0:
                return True
        except OSError:
            continue
    return False


def _connect(path: Path, readonly: bool, *, immutable: bool = False) -> sqlite3.Connection:
    """Open the file. A read-only opening never writes the file or its -wal: it opens the file read-write
    where it may, with an authorizer that refuses every write to it (a `mode=ro` reader of a WAL database
    leaves -wal and -shm files behind), and closes it without a checkpoint (`_ReadingConnection`); but
    `mode=ro` while a write is pending (`pending_write`), since the first read-write connection would
    checkpoint a crash's -wal into the file or roll its -journal back. (SQLite's shared-memory index, the
    -shm, is rebuilt by any reader.)"""
    writable = safefiles.can_write(path, folder=False) and safefiles.can_write(path.resolve().parent)
    mode = "rw" if not readonly or (writable and not pending_write(path)) else "ro"
    uri = f"file:{path}?mode={mode}" + ("&immutable=1" if immutable else "")
    conn = sqlite3.connect(uri, uri=True, isolation_level=None if readonly else "DEFERRED",
                           check_same_thread=False, timeout=5,
                           factory=_ReadingConnection if readonly else sqlite3.Connection)
    if readonly:
        assert isinstance(conn, _ReadingConnection)
        conn.ssid_path = path if mode == "rw" else None
        conn.set_authorizer(_no_writes_to_the_file)
    return conn


def owner_only_connection(path: Path, *, synchronous: str = "FULL") -> sqlite3.Connection:
    """A read-write connection to an ssid-tui SQLite side file, created empty and owner-only (0600) first if
    missing: the workspace's own opener (`_connect`). `synchronous` is the file's durability (OFF for a
    file that only saves time, like a run's kept chunks)."""
    if not path.exists() or path.stat().st_size == 0:
        create_owner_only(path)
    conn = _connect(path, readonly=False)
    conn.execute(f"PRAGMA synchronous = {synchronous}")
    return conn


def reader_connection(path: Path) -> sqlite3.Connection:
    """A second connection to a workspace that can only read (for work done beside the app)."""
    return _connect(Path(path), readonly=True)


def _configure(ws: Workspace) -> None:
    conn = ws.conn
    conn.execute("PRAGMA foreign_keys = ON")
    conn.execute("PRAGMA busy_timeout = 5000")
    if ws.readonly:
        return
    if _network_filesystem(ws.path):
        conn.execute("PRAGMA journal_mode = DELETE")
        ws.journal_note = "The workspace is on a network filesystem: WAL is off (slower but safe there)."
    else:
        conn.execute("PRAGMA journal_mode = WAL")
    conn.execute("PRAGMA synchronous = FULL")


@contextlib.contextmanager
def temp_writes(ws: Workspace) -> Iterator[None]:
    """Mark a block that creates and fills TEMP tables on a possibly read-only connection.

    Nothing to lift: a read-only connection's authorizer (see `_connect`) refuses writes to
    the workspace file only, and TEMP tables live in the connection's own temp store.
    """
    yield


def _add_review_tables(ws: Workspace) -> None:
    """Give a workspace written before notes and duplicates existed their (empty) tables, and one
    opened for writing the review's first-screen cache with the triggers that keep it true."""
    have = {r[0] for r in ws.conn.execute("SELECT name FROM sqlite_master WHERE type IN ('table', 'trigger', 'index')")}
    ws.queue_cache_trusted = all(t in have for t in ("queue_cache", *QUEUE_CACHE_TRIGGERS))
    if not ws.readonly and not (ws.queue_cache_trusted and HISTORY_UNDOES_INDEX in have):
        with ws.conn:  # the cache is emptied with its triggers: it may have been written while they were missing
            ws.conn.executescript(_QUEUE_CACHE_SCHEMA + f"CREATE INDEX IF NOT EXISTS {HISTORY_UNDOES_INDEX} ON history(undoes);")
        ws.queue_cache_trusted = True
    if all(t in have for t in _REVIEW_TABLES):
        return
    # only the missing ones: a TEMP table would hide a real one of the same name
    missing = ";".join(sql for sql in _REVIEW_SCHEMA.split(";") if sql.strip()
                       and sql.split("EXISTS", 1)[1].split("(", 1)[0].strip() not in have)
    if ws.readonly:
        with temp_writes(ws):
            ws.conn.executescript(missing.replace("CREATE TABLE", "CREATE TEMP TABLE"))
    else:
        with ws.conn:
            ws.conn.executescript(missing)


def _check_is_workspace(conn: sqlite3.Connection, path: Path) -> None:
    tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    if "meta" not in tables:
        raise WorkspaceError(f"{path} is an SQLite file but not an ssid-tui workspace: give the file `ssid-tui match` wrote.")
    meta = dict(conn.execute("SELECT key, value FROM meta").fetchall())
    if meta.get("app") == REGISTRY_APP:
        raise WorkspaceError(f"{path} is a registry, not a workspace: run ssid-tui match first "
                             f"(ssid-tui match SENR_FILE --ods {path.name}), then review the workspace it writes.")
    if meta.get("app") != APP_ID:
        raise WorkspaceError(f"{path} is not an ssid-tui workspace (it is {meta.get('app', 'something else')}).")
    version = int(meta.get("schema_version", "0"))
    if version > SCHEMA_VERSION:
        raise WorkspaceError(f"{path} was written by a newer ssid-tui (workspace version {version}): upgrade ssid-tui.")
    if version < SCHEMA_VERSION:
        raise WorkspaceError(f"{path} was written by an older ssid-tui (workspace version {version}): match the file again into a new workspace.")


def open_workspace(path: str | os.PathLike[str], *, readonly: bool = False, salvage: bool = False) -> Workspace:
    """Open an existing workspace; raise WorkspaceError with one sentence if it is not usable.

    A file cut short (a partial copy) is refused, since SQLite would quietly show fewer students;
    `salvage` opens it anyway, read-only, to list the decisions it still holds.
    """
    p = require_input_file(
        path, WorkspaceError, what="a workspace file",
        missing=f"check the path, or make it with `ssid-tui match SENR --ods REGISTRY --workspace {shlex.quote(str(path))}`.",
    )
    if is_empty_file(p):
        raise WorkspaceError(f"{p} is empty, not a workspace: give the file `ssid-tui match` wrote.")
    if sqlite_cut_short(p):
        if not salvage:
            raise WorkspaceError(cut_short_message(p))
        readonly = True
    if not readonly and not safefiles.can_write(p, folder=False):
        if folder_read_only(p):
            raise WorkspaceError(read_only_folder_message(p, readonly))
        raise WorkspaceError(f"{p} is not writable: ask for write access, or open it read-only.")
    conn: sqlite3.Connection | None = None
    try:
        conn = _connect(p, readonly)
        try:
            _check_is_workspace(conn, p)
        except sqlite3.OperationalError:
            if not (readonly and folder_read_only(p) and _no_pending_wal(p)):
                raise
            # a read-only folder and no -wal: nobody can be writing; read the file as it is
            conn.close()
            conn = _connect(p, readonly, immutable=True)
            _check_is_workspace(conn, p)
        ws = Workspace(p, conn, readonly)
        _configure(ws)
        _add_review_tables(ws)
    except sqlite3.Error as exc:
        if conn is not None:
            conn.close()
        problem = open_problem(p, exc, readonly)
        if salvage and problem == damaged_message(p):  # history was the last resort: do not send the user back to it
            problem = (f"{p} is damaged past reading: the decisions it held cannot be listed. Keep the file, and "
                       "restore it from a backup if you have one.")
        raise WorkspaceError(problem) from None
    except WorkspaceError:
        if conn is not None:
            conn.close()
        raise
    return ws


def _no_pending_wal(path: Path) -> bool:
    wal = Path(f"{path}-wal")
    return not wal.exists() or wal.stat().st_size == 0


def create_workspace(path: str | os.PathLike[str]) -> Workspace:
    """Open the workspace at `path` for a new run, creating it (owner-only) if needed."""
    p = Path(path)
    if p.exists() and not is_empty_file(p):
        return open_workspace(p)
    folder = p.resolve().parent
    if not folder.is_dir():
        raise WorkspaceError(f"the folder {folder} does not exist: create it or choose another --workspace.")
    if not safefiles.can_write(folder):
        raise WorkspaceError(f"the folder {folder} is not writable: choose another --workspace path.")
    create_owner_only(p)
    conn = _connect(p, readonly=False)
    ws = Workspace(p, conn, readonly=False)
    _configure(ws)
    with conn:
        conn.executescript(_SCHEMA + _REVIEW_SCHEMA + _QUEUE_CACHE_SCHEMA)
        conn.executemany(
            "INSERT OR REPLACE INTO meta (key, value) VALUES (?, ?)",
            [("app", APP_ID), ("schema_version", str(SCHEMA_VERSION))],
        )
    return ws
