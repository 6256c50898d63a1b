"""Temporary files beside a target, and the ones a killed process left behind.

A registry load or a new workspace is built in a hidden file named after the target, the
machine and the process (`.registry.sqlite.loading-srv1-4711`) and renamed into place at the
end; an export or a notes file is written the same way (`.results.csv.writing-srv1-4711`).
If the process is killed, that file stays; it can hold a whole registry of student records,
so the next run in the folder removes every one whose process is gone. A folder on
a network share can be used from two machines at once: a process id means nothing on another
machine, so another machine's temporary files are left alone.

A killed process also leaves its lock file (`registry.sqlite.lock`, see files/lock.py). The
kernel released its lock, so it blocks nobody, but it is removed the same way: only one that
nobody holds, that names ssid-tui's holder on this machine, and whose holder is gone.
"""

from __future__ import annotations

import contextlib
import fcntl
import json
import os
import re
import socket
import stat
from pathlib import Path

PURPOSES = ("loading", "matching", "writing")
# Names made before the machine was in them have only the process id.
_TEMPORARY = re.compile(r"^\..+\.(?:" + "|".join(PURPOSES) + r")-(?:([A-Za-z0-9_]+)-)?(\d+)(?:-wal|-shm|-journal)?$")


def machine_tag() -> str:
    """This machine's name as a file-name part: letters, digits and _ only."""
    return re.sub(r"[^A-Za-z0-9_]", "_", socket.gethostname().split(".")[0])[:40] or "host"


def temporary_beside(target: Path, purpose: str) -> Path:
    """The hidden file this process builds `target` in (same folder, so the rename is atomic)."""
    if purpose not in PURPOSES:
        raise ValueError(purpose)
    return target.parent / f".{target.name}.{purpose}-{machine_tag()}-{os.getpid()}"


def process_alive(pid: int) -> bool:
    """True if a process with this id runs on this machine (another user's counts too)."""
    if pid <= 0:
        return False
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def same_file(fd: int, path: Path) -> bool:
    """True if the open file `fd` is still the file at `path` (not one removed since)."""
    try:
        held, named = os.fstat(fd), os.stat(path)
    except OSError:
        return False
    return (held.st_dev, held.st_ino) == (named.st_dev, named.st_ino)


def remove_stale_lock(path: Path) -> bool:
    """Remove the lock file at `path` if its holder is dead; True if it was removed.

    Left alone: a lock held right now (whoever holds it), a file that is not an ssid-tui lock
    (no holder's process id, host and purpose in it), another machine's, and one whose process
    still runs. A process that opened this file just before it goes sees it removed once it
    gets the lock, and takes the lock again on a new file (as after a holder's own release).
    """
    try:
        fd = os.open(path, os.O_RDWR | os.O_NOFOLLOW | os.O_NONBLOCK)
    except OSError:
        return False
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            return False  # held: its holder is alive
        if not same_file(fd, path) or not stat.S_ISREG(os.fstat(fd).st_mode):
            return False
        try:
            info = json.loads(os.pread(fd, 4096, 0).decode("utf-8"))
            pid, host = int(info["pid"]), str(info["host"])
            str(info["purpose"])
        except (OSError, ValueError, KeyError, TypeError, AttributeError):
            return False  # not a lock file of ours, or one a full disk left empty
        if host != socket.gethostname() or process_alive(pid):
            return False
        try:
            path.unlink()
        except OSError:
            return False
        return True
    finally:
        os.close(fd)  # lets go of the flock, after the unlink


def remove_stale_temporaries(folder: Path) -> list[Path]:
    """Delete the temporary and lock files in `folder` whose process is gone; return what was deleted."""
    removed: list[Path] = []
    try:
        entries = list(Path(folder).iterdir())
    except OSError:
        return removed
    here = machine_tag()
    for entry in entries:
        if entry.name.endswith(".lock") and len(entry.name) > len(".lock"):
            if remove_stale_lock(entry):
                removed.append(entry)
            continue
        m = _TEMPORARY.match(entry.name)
        if not m or (m.group(1) or here) != here or process_alive(int(m.group(2))):
            continue
        if not entry.is_file() or entry.is_symlink():
            continue
        with contextlib.suppress(OSError):
            entry.unlink()
            removed.append(entry)
    return removed
