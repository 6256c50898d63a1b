"""Files that hold student data: created owner-only, written atomically."""

from __future__ import annotations

import contextlib
import errno
import os
import sqlite3
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import IO, Any

from ssid_tui.files import written
from ssid_tui.files.leftovers import remove_stale_temporaries, temporary_beside
from ssid_tui.files.owner_only import OWNER_ONLY as OWNER_ONLY
from ssid_tui.files.owner_only import create_owner_only as create_owner_only
from ssid_tui.files.targets import RECORDED, Identity, Kind, check_target, kind_of, still_allowed

#: `checked` not given: the writer checks the target itself.
UNCHECKED: Any = object()


@contextlib.contextmanager
def atomic_writer(
    path: Path, *, writes: Kind, inputs: Iterable[str | os.PathLike[str]] = (),
    binary: bool = False, encoding: str = "utf-8", newline: str | None = "", checked: Identity = UNCHECKED,
) -> Iterator[IO[Any]]:
    """Write to a temporary owner-only file beside `path`, then rename it into place.

    `writes` is the kind of file written and `inputs` the files the command reads: a target
    that holds something else of value is refused (targets.TargetRefused) before anything is
    written. `checked`: what `check_target` returned for `path` when the caller checked it (it
    is checked again only if it changed since). A crash mid-write leaves the old file (or none)
    under the final name, never half a file.
    """
    path = Path(path)
    inputs = list(inputs)
    if checked is UNCHECKED:
        checked = check_target(path, writes, inputs)
    else:
        still_allowed(path, writes, inputs, checked)
    remove_stale_temporaries(path.parent)  # what a killed writer left here (only this machine's dead processes')
    tmp = temporary_beside(path, "writing")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC | os.O_NOFOLLOW, OWNER_ONLY)
    try:
        os.fchmod(fd, OWNER_ONLY)
        fh: IO[Any] = os.fdopen(fd, "wb") if binary else os.fdopen(fd, "w", encoding=encoding, newline=newline)
        with fh:
            yield fh
            fh.flush()
            os.fsync(fh.fileno())
        replace_into(Path(tmp), path, writes=writes, inputs=inputs, checked=checked, synced=True)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(tmp)
        raise


def replace_into(tmp: Path, path: Path, *, writes: Kind, inputs: Iterable[str | os.PathLike[str]] = (),
                 checked: Identity = UNCHECKED, synced: bool = False) -> None:
    """Rename the finished file `tmp` to `path`, checking the rule once more just before.

    (The target may have appeared or changed while a long load or export ran.) `checked`: what
    `check_target` returned for `path` earlier; while the file is still as it was then, it is not
    read again. An export is recorded as ours (`written.remember`, before the rename), so that the next export may
    replace it.

    `tmp` is forced to disk first (unless the caller did: `synced`), and the folder after: a
    registry or workspace built with SQLite's syncing off must not take the old one's name while
    its pages are still only in memory, or a power cut just after would leave neither.
    """
    if not synced:
        force_to_disk(tmp)
    if checked is UNCHECKED:
        check_target(path, writes, inputs)
    else:
        still_allowed(path, writes, inputs, checked)
    if writes in RECORDED:
        # Recorded before the rename, which keeps the file's inode, size and time: an export killed
        # (or Ctrl-C'd) just after its rename must not leave a file of ours that the next export
        # refuses as not ours. Killed before the rename, the record names a temporary file nobody keeps.
        written.remember(tmp)
    os.replace(tmp, path)
    force_to_disk(path.parent, folder=True)


def force_to_disk(path: Path, *, folder: bool = False) -> None:
    """fsync a file, or a folder (its entries: a rename); a file system that cannot is left as it is."""
    try:
        fd = os.open(path, os.O_RDONLY | (os.O_DIRECTORY if folder else 0))
    except OSError:
        if folder:
            return
        raise
    try:
        os.fsync(fd)
    except OSError as exc:
        # a full disk or an I/O error is the caller's to report; a file system without fsync is not
        if not folder and exc.errno not in (errno.EINVAL, errno.ENOTSUP, errno.EOPNOTSUPP):
            raise
    finally:
        os.close(fd)


def missing_folders(folder: Path | None) -> list[Path]:
    """`folder` and each of its parents that does not exist yet, innermost first (what making it makes)."""
    missing: list[Path] = []
    while folder is not None and not folder.exists() and folder != folder.parent:
        missing.append(folder)
        folder = folder.parent
    return missing


def remove_empty_folders(folders: Iterable[Path]) -> None:
    """Remove the folders a command made (innermost first) that it wrote nothing into."""
    for folder in folders:
        try:
            if folder.is_dir() and not any(folder.iterdir()):
                folder.rmdir()
        except OSError:
            pass


def remove_if_unchanged(path: Path, kind: Kind) -> bool | None:
    """Remove a listing of `kind` ssid-tui wrote at `path` that nobody has changed since (it describes
    an earlier input). True if removed, False if one was there but changed (kept), None if none was."""
    if kind_of(path) is not kind:
        return None
    if not written.wrote(path):
        return False
    path.unlink()
    return True


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


def is_disk_full(exc: BaseException) -> bool:
    """True if `exc` says the disk (or the user's quota) is full, from the OS or from SQLite."""
    if isinstance(exc, OSError) and exc.errno in (errno.ENOSPC, errno.EDQUOT):
        return True
    if isinstance(exc, sqlite3.Error):
        return getattr(exc, "sqlite_errorcode", None) == sqlite3.SQLITE_FULL or "disk is full" in str(exc)
    return False
