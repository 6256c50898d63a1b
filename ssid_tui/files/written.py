"""The record of the export files ssid-tui wrote, so that it replaces only its own.

An SSID Match Results file looks the same whether our `export` wrote it, CDE's tool
returned it, or a clerk filled its Selection column in a spreadsheet; an SENR file with
SSIDs may be our export or the SIS's submission. Content cannot tell them apart, so each
export we write is recorded here by identity (device, inode, size, modification time and
SHA-256), and an existing export-like file is replaced only while it is still exactly the
file we wrote. A copy, a download, or our file edited since is refused.

The record holds no names, paths or student data. It lives in the user's state folder
($XDG_STATE_HOME/ssid-tui, else ~/.local/state/ssid-tui), owner-only. If it cannot be
written or read, nothing is recorded and the file will not be replaced later: the safe side.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import sqlite3
from pathlib import Path
from typing import BinaryIO

from ssid_tui.files.owner_only import create_owner_only

_KEEP = 5000  # records kept (oldest dropped): far more exports than anyone keeps in reach
_SCHEMA = ("CREATE TABLE IF NOT EXISTS written (dev INTEGER, ino INTEGER, size INTEGER, mtime_ns INTEGER, "
           "sha256 TEXT, PRIMARY KEY (dev, ino))")


def record_path() -> Path:
    """Where the record lives: $XDG_STATE_HOME/ssid-tui/written.sqlite (default ~/.local/state)."""
    base = os.environ.get("XDG_STATE_HOME") or os.path.join(os.path.expanduser("~"), ".local", "state")
    return Path(base) / "ssid-tui" / "written.sqlite"


def file_sha256(path: Path) -> str:
    """SHA-256 of a file, read in chunks (to recognise the same upload, extract or export again)."""
    with open(path, "rb") as fh:
        return stream_sha256(fh)


def stream_sha256(fh: BinaryIO) -> str:
    """SHA-256 of what is left to read of an open file, read in chunks (the GIL is released while
    each is hashed). An open file reads on if its name is removed meanwhile."""
    h = hashlib.sha256()
    while chunk := fh.read(1 << 20):
        h.update(chunk)
    return h.hexdigest()


def _identity(path: Path) -> tuple[int, int, int, int, str]:
    st = os.stat(path)
    return st.st_dev, st.st_ino, st.st_size, st.st_mtime_ns, file_sha256(path)


def _connect(create: bool) -> sqlite3.Connection | None:
    path = record_path()
    if not create and not path.exists():
        return None
    path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    create_owner_only(path)  # before SQLite opens it
    conn = sqlite3.connect(path, timeout=10)
    conn.execute(_SCHEMA)
    return conn


def record_problem() -> str | None:
    """Why the record cannot be kept (a sentence), or None when it can."""
    try:
        conn = _connect(create=True)
        if conn is not None:
            with conn:
                conn.execute("SELECT count(*) FROM written").fetchone()
            conn.close()
    except (OSError, sqlite3.Error) as exc:
        reason = exc.strerror if isinstance(exc, OSError) and exc.strerror else type(exc).__name__
        return f"ssid-tui cannot keep its record of the exports it writes in {record_path().parent} ({reason})"
    return None


def remember(path: Path) -> None:
    """Record that ssid-tui has just written `path`: the finished file about to be renamed into place
    (a rename keeps what the record holds: device, inode, size, time and content)."""
    with contextlib.suppress(OSError, sqlite3.Error):
        ident = _identity(path)
        conn = _connect(create=True)
        if conn is None:
            return
        try:
            with conn:
                conn.execute("INSERT OR REPLACE INTO written VALUES (?, ?, ?, ?, ?)", ident)
                conn.execute("DELETE FROM written WHERE rowid NOT IN "
                             "(SELECT rowid FROM written ORDER BY rowid DESC LIMIT ?)", (_KEEP,))
        finally:
            conn.close()


def wrote(path: Path) -> bool:
    """True if `path` is a file ssid-tui wrote and nobody has changed since."""
    try:
        conn = _connect(create=False)
        if conn is None:
            return False
        try:
            st = os.stat(path)
            row = conn.execute("SELECT size, mtime_ns, sha256 FROM written WHERE dev = ? AND ino = ?",
                               (st.st_dev, st.st_ino)).fetchone()
        finally:
            conn.close()
        # the content is read only for a file whose size and time are still ours
        return row is not None and tuple(row[:2]) == (st.st_size, st.st_mtime_ns) and row[2] == file_sha256(path)
    except (OSError, sqlite3.Error):
        return False
