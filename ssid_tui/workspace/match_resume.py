"""What an interrupted matching run had done: its matched chunks, kept beside the workspace.

A run writes each matched chunk of students to `.WORKSPACE.resume` (owner-only SQLite, one
compressed row per chunk) as it goes. The workspace itself is only written at the end, all
or nothing; if the run is stopped (Ctrl-C, SIGTERM, kill -9, a power cut), the next run of
the same upload against the same registry with the same settings takes the kept chunks
instead of matching them again. Any other run starts the file afresh. A finished run
removes it.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import sqlite3
import zlib
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from ssid_tui.files.inputs import sqlite_cut_short, sqlite_intact
from ssid_tui.files.targets import RESUME_APP, Kind, TargetRefused, check_target, kind_of
from ssid_tui.matching.learning import Learned
from ssid_tui.workspace.store import owner_only_connection

#: Bumped when the rows kept here change shape, so an older file is started afresh.
_FORMAT = "1"


def resume_path(workspace_path: Path) -> Path:
    """The side file beside `workspace_path` (hidden, same folder)."""
    return workspace_path.parent / f".{workspace_path.name}.resume"


def run_key(**parts: Any) -> str:
    """A fingerprint of what decides the rows: upload hash, registry fingerprint, settings, chunk size."""
    text = json.dumps({**parts, "format": _FORMAT}, sort_keys=True, default=str)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def pack_rows(rows: list[dict[str, Any]]) -> bytes:
    """A chunk's rows as the side file keeps them: compressed JSON."""
    return zlib.compress(json.dumps(rows, separators=(",", ":")).encode("utf-8"), 1)


def unpack_rows(packed: bytes) -> list[dict[str, Any]]:
    """The rows `pack_rows` packed."""
    rows: list[dict[str, Any]] = json.loads(zlib.decompress(packed))
    return rows


class NotResumeFile(Exception):
    """The side file's name is taken by a file ssid-tui did not write there."""


class ResumeFile:
    """The matched chunks of one run (same key) beside a workspace."""

    def __init__(self, path: Path, conn: sqlite3.Connection, discarded: int = 0) -> None:
        self.path = path
        self.conn = conn
        #: Students an interrupted run of another file, registry or settings had kept: dropped.
        self.discarded = discarded

    def kept(self) -> dict[int, int]:
        """Chunk index -> students in it, for every chunk already matched."""
        return dict(self.conn.execute("SELECT idx, students FROM chunk"))

    def rows(self, index: int) -> list[dict[str, Any]]:
        """The rows of a kept chunk, as they were matched."""
        (blob,) = self.conn.execute("SELECT rows FROM chunk WHERE idx = ?", (index,)).fetchone()
        return unpack_rows(blob)

    def keep(self, index: int, rows: list[dict[str, Any]]) -> None:
        """Keep a matched chunk (committed at once: a kill right after loses nothing)."""
        self.keep_packed(index, len(rows), pack_rows(rows))

    def keep_packed(self, index: int, students: int, packed: bytes) -> None:
        """Keep a matched chunk of `students` already packed by `pack_rows` (in a worker)."""
        with self.conn:
            self.conn.execute("INSERT OR REPLACE INTO chunk (idx, students, rows) VALUES (?, ?, ?)",
                              (index, students, packed))

    def keep_learning(self, learning_key: str, learned: Learned) -> None:
        """Keep the weights this run learned, so that its resumption need not learn them again."""
        record = json.dumps({"shift": learned.shift, "record": learned.record}, sort_keys=True)
        with self.conn:
            self.conn.executemany("INSERT OR REPLACE INTO meta (key, value) VALUES (?, ?)",
                                  [("learning_key", learning_key), ("learned", record)])

    def close(self) -> None:
        """Close the file (it stays for the next run)."""
        self.conn.close()

    def remove(self) -> None:
        """Close and delete the file: the run it belongs to is stored."""
        self.conn.close()
        _remove(self.path)


def _connect(path: Path) -> sqlite3.Connection:
    # A kept chunk only saves time: after a power cut the run matches it again.
    return owner_only_connection(path, synchronous="OFF")


def kept_learning(workspace_path: Path, learning_key: str) -> Learned | None:
    """The weights an interrupted run of the same upload, registry and settings learned and kept, if any.

    They are what this run would learn again (learning depends on nothing else), so a resumed
    run starts matching at once.
    """
    path = resume_path(workspace_path)
    if kind_of(path) is not Kind.RESUME:
        return None
    try:
        conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
        try:
            meta = dict(conn.execute("SELECT key, value FROM meta WHERE key IN ('learning_key', 'learned')"))
        finally:
            conn.close()
        if meta.get("learning_key") != learning_key or "learned" not in meta:
            return None
        kept = json.loads(meta["learned"])
        return Learned(shift=kept["shift"], record=kept["record"])
    except (sqlite3.Error, ValueError, KeyError, TypeError):
        return None  # unreadable: learn again


def _damaged(path: Path) -> bool:
    """True if the side file's name holds an SQLite file that cannot be read whole: our own side file,
    damaged (nobody else names a file `.WORKSPACE.resume`; a text file there is still refused)."""
    try:
        with path.open("rb") as fh:
            if fh.read(16) != b"SQLite format 3\x00":
                return False
    except OSError:
        return False
    return sqlite_cut_short(path) or not sqlite_intact(path)


def _remove(path: Path) -> None:
    for stale in (path, Path(f"{path}-journal")):
        stale.unlink(missing_ok=True)


@contextlib.contextmanager
def resume_file(workspace_path: Path, key: str) -> Iterator[ResumeFile]:
    """The side file for a run with `key`: the kept chunks of an interrupted run with the same
    key, else a fresh file. It stays when the block ends with chunks kept (the caller removes it
    once the run is stored); with none kept it is removed.

    Raises NotResumeFile if another file holds the name (it is never replaced).
    """
    path = resume_path(workspace_path)
    if _damaged(path):  # a power cut (it is written unsynced) or a bad disk: its chunks only saved time
        _remove(path)
    try:
        check_target(path, writes=Kind.RESUME)
    except TargetRefused as exc:
        raise NotResumeFile(f"{exc} (It is in the way of the run's resume file and ssid-tui did not write it.)") from None
    discarded = 0
    if path.exists():
        conn = _connect(path)
        row = conn.execute("SELECT value FROM meta WHERE key = 'key'").fetchone()
        if row is None or row[0] != key:  # another run's chunks: they are no use to this one
            with contextlib.suppress(sqlite3.Error):
                discarded = conn.execute("SELECT coalesce(sum(students), 0) FROM chunk").fetchone()[0]
            conn.close()
            _remove(path)
    if not path.exists() or path.stat().st_size == 0:
        conn = _connect(path)
        with conn:
            conn.execute("CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT)")
            conn.execute("CREATE TABLE IF NOT EXISTS chunk (idx INTEGER PRIMARY KEY, students INTEGER, rows BLOB)")
            conn.executemany("INSERT OR REPLACE INTO meta (key, value) VALUES (?, ?)",
                             [("app", RESUME_APP), ("key", key)])
    kept = ResumeFile(path, conn, discarded)
    try:
        yield kept
    finally:
        empty = False
        if kept.path.exists():
            with contextlib.suppress(sqlite3.Error):
                empty = not kept.kept()
        if empty:
            kept.remove()  # stopped before a chunk was matched: nothing to keep, no file to puzzle over
        else:
            kept.conn.close()
