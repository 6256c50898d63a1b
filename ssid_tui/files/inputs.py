"""Input files named on the command line: the checks every reader makes before opening one.

Only regular files are read. A pipe would hang the command, `/dev/zero` would be read
forever, a folder cannot be read at all: each is refused at once, with one sentence, before
a byte is read. Readers of user input (SENR file, ODS extract, marked results file) open it
through `open_input`; files opened by SQLite are checked with `require_input_file`.
"""

from __future__ import annotations

import contextlib
import os
import sqlite3
import stat
from pathlib import Path
from typing import BinaryIO


class InputFileError(Exception):
    """An input file cannot be read; the message is one sentence naming the file and the fix."""


def _kind(mode: int) -> str:
    if stat.S_ISFIFO(mode):
        return "a pipe (FIFO)"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "a device"
    if stat.S_ISSOCK(mode):
        return "a socket"
    return "not a regular file"


def _refuse_non_regular(p: Path, mode: int, error: type[Exception], what: str) -> None:
    if stat.S_ISDIR(mode):
        raise error(f"{p} is a folder, not {what}: give the path of {what} inside it.")
    if not stat.S_ISREG(mode):
        raise error(f"{p} is {_kind(mode)}, not a regular file: save {what} as a file and give its path.")


def require_input_file(
    path: str | os.PathLike[str], error: type[Exception], *, what: str, missing: str,
) -> Path:
    """`path` as a Path when it names an existing regular file; otherwise raise `error` with one sentence.

    `what` names the file the user meant ("the SENR file"); `missing` tells what to do when
    the path does not exist ("check the path and try again."). Looking (stat) never blocks,
    even on a pipe.
    """
    p = Path(path)
    try:
        mode = os.stat(p).st_mode
    except FileNotFoundError:
        raise error(f"{p} does not exist: {missing}") from None
    except OSError as exc:
        raise error(f"{p} cannot be read ({exc.strerror or 'I/O error'}): check the path and your access to it.") from None
    _refuse_non_regular(p, mode, error, what)
    return p


def open_input(
    path: str | os.PathLike[str], what: str, error: type[Exception] = InputFileError,
    missing: str = "check the path and try again.",
) -> BinaryIO:
    """Open a regular file for reading in binary, or raise `error` (one sentence).

    The file is opened without blocking and checked again once open, so a path swapped for a
    pipe between the look and the open is refused too, not waited on.
    """
    p = require_input_file(path, error, what=what, missing=missing)
    try:
        fd = os.open(p, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_CLOEXEC", 0))
    except PermissionError:
        raise error(
            f"{p} cannot be read (permission denied): ask for read access or copy it somewhere you can read."
        ) from None
    except OSError as exc:
        raise error(f"{p} cannot be read ({exc.strerror or 'I/O error'}).") from None
    try:
        _refuse_non_regular(p, os.fstat(fd).st_mode, error, what)
        os.set_blocking(fd, True)
    except BaseException:
        os.close(fd)
        raise
    return os.fdopen(fd, "rb")


def is_empty_file(path: Path) -> bool:
    """True for a 0-byte file with nothing pending in its -wal (`touch w.sqlite`): no database yet."""
    try:
        if path.stat().st_size != 0:
            return False
        wal = Path(f"{path}-wal")
        return not wal.exists() or wal.stat().st_size == 0
    except OSError:
        return False


def sqlite_cut_short(path: Path) -> bool:
    """True if an SQLite file holds fewer pages than its header counts (a copy cut off).

    Read from the header itself: SQLite would read the pages that are there and simply find
    fewer rows. The header's page count is trusted only when SQLite marked it valid, and only
    while no -wal is pending (a checkpoint in progress may still be writing the file).
    """
    wal = Path(f"{path}-wal")
    try:
        if wal.exists() and wal.stat().st_size > 0:
            return False
        with path.open("rb") as f:
            header = f.read(100)
        size = path.stat().st_size
    except OSError:
        return False
    if len(header) < 100 or not header.startswith(b"SQLite format 3\x00"):
        return False
    page_size = int.from_bytes(header[16:18], "big")
    page_size = 65536 if page_size == 1 else page_size
    pages = int.from_bytes(header[28:32], "big")
    valid = header[24:28] == header[92:96]
    return valid and size < pages * page_size


def sqlite_intact(path: Path) -> bool:
    """SQLite's quick check of the whole file passes (read-only: nothing is written to find out).

    A file SQLite cannot open here for another reason than damage (a WAL file in a read-only
    folder needs its -shm made; no permission) is not called damaged: whatever uses it next
    says what is wrong.
    """
    try:
        with contextlib.closing(sqlite3.connect(f"file:{path}?mode=ro", uri=True)) as conn:
            return bool(conn.execute("PRAGMA quick_check(1)").fetchone()[0] == "ok")
    except sqlite3.DatabaseError as exc:
        return not is_damage(exc)


def is_damage(error: BaseException | None) -> bool:
    """True for SQLite's "the file is damaged" errors, not a lock, a full disk or a missing folder
    (an error from a worker process comes pickled, without its code: its words then tell)."""
    if not isinstance(error, sqlite3.DatabaseError):
        return False
    if getattr(error, "sqlite_errorcode", None) in (sqlite3.SQLITE_CORRUPT, sqlite3.SQLITE_NOTADB):
        return True
    return any(words in str(error) for words in ("malformed", "not a database"))
