"""Files that hold student data: created owner-only, written atomically."""

from __future__ import annotations

import contextlib
import hashlib
import os
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import IO, Any

OWNER_ONLY = 0o600


def create_owner_only(path: Path) -> None:
    """Create `path` empty with mode 0600 if it does not exist (before SQLite opens it)."""
    fd = os.open(path, os.O_CREAT | os.O_WRONLY, OWNER_ONLY)
    os.close(fd)
    os.chmod(path, OWNER_ONLY)


@contextlib.contextmanager
def atomic_writer(
    path: Path, *, binary: bool = False, encoding: str = "utf-8", newline: str | None = "",
) -> Iterator[IO[Any]]:
    """Write to a temporary owner-only file beside `path`, then rename it into place.

    A crash mid-write leaves the old file (or none) under the final name, never half a file.
    """
    path = Path(path)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".part", dir=path.parent)
    try:
        os.fchmod(fd, OWNER_ONLY)
        fh: IO[Any] = os.fdopen(fd, "wb") if binary else os.fdopen(fd, "w", encoding=encoding, newline=newline)
        with fh:
            yield fh
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(tmp)
        raise


def can_write(path: Path, *, folder: bool = True) -> bool:
    """True if this user may create files in `path` (a folder) or write `path` (a file).

    One place to ask, so that tests running as root can see what a user would see.
    """
    return os.access(path, os.W_OK | (os.X_OK if folder else 0))


def writable_dir_problem(path: Path) -> str | None:
    """A sentence saying why files cannot be written beside `path`, or None if they can."""
    folder = Path(path).resolve().parent
    if not folder.exists():
        return f"the folder {folder} does not exist: create it or choose another place."
    if not can_write(folder):
        return f"the folder {folder} is not writable: choose a folder you can write to."
    return None


def file_sha256(path: Path) -> str:
    """SHA-256 of a file, read in chunks (to recognise the same upload or extract again)."""
    h = hashlib.sha256()
    with open(path, "rb") as fh:
        while chunk := fh.read(1 << 20):
            h.update(chunk)
    return h.hexdigest()
