"""One writer per workspace: an advisory lock file held while the review app has it open.

The lock is an `flock` on `<workspace>.lock`, so the kernel releases it when the process
dies (SSH drop, kill -9): a crashed session never leaves a stale lock behind, only its file,
which the next command writing into that folder removes once the holder's process is gone
(files/leftovers.py). The holder removes the file when it lets go; a process that was waiting
on the removed file sees that the name now points elsewhere (or nowhere) and tries again, so
two never hold it at once.
"""

from __future__ import annotations

import contextlib
import fcntl
import json
import os
import socket
import time
from pathlib import Path

from ssid_tui.files.identity import login_name
from ssid_tui.files.leftovers import same_file as _same_file
from ssid_tui.files.owner_only import OWNER_ONLY


class WorkspaceLock:
    """An exclusive hold on a workspace; release it with `release()` or a `with` block."""

    def __init__(self, path: Path, fd: int) -> None:
        self.path = path
        self._fd = fd

    def release(self) -> None:
        """Let another process take the workspace, and remove the lock file."""
        if self._fd >= 0:
            if _same_file(self._fd, self.path):
                with contextlib.suppress(OSError):
                    self.path.unlink()
            fcntl.flock(self._fd, fcntl.LOCK_UN)
            os.close(self._fd)
            self._fd = -1

    def __enter__(self) -> WorkspaceLock:
        return self

    def __exit__(self, *exc: object) -> None:
        self.release()


def lock_path(workspace: Path) -> Path:
    """The lock file beside a workspace."""
    return Path(str(workspace) + ".lock")


#: What a lock holder is doing, by the `purpose` it took the lock for: "is ... by WHO: what to do".
PURPOSES = {
    "review": ("open in the review app", "close it there first"),
    "match": ("being matched right now", "wait for that run to end"),
    "import": ("taking marks from `ssid-tui import-selections` right now", "wait for it to end"),
    "load": ("being loaded from an ODS extract right now", "wait for that load to end"),
}


def acquire(workspace: Path, purpose: str = "review") -> WorkspaceLock | None:
    """Take the workspace for writing, or return None if another process holds it.

    `purpose` (a key of PURPOSES) is recorded so that others are told what holds it.
    """
    path = lock_path(Path(workspace))
    while True:
        fd = os.open(path, os.O_RDWR | os.O_CREAT, OWNER_ONLY)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            os.close(fd)
            return None
        if _same_file(fd, path):
            break
        os.close(fd)  # the holder removed this file as we opened it: take the lock again on the new one
    info = json.dumps({"pid": os.getpid(), "host": socket.gethostname(), "user": login_name(),
                       "since": time.strftime("%Y-%m-%d %H:%M:%S"), "purpose": purpose})
    try:
        os.ftruncate(fd, 0)
        os.pwrite(fd, info.encode(), 0)
    except OSError:
        pass  # a full disk: the lock holds all the same, others are told "someone"
    return WorkspaceLock(path, fd)


def holder(workspace: Path) -> str:
    """Who holds the lock, in words, as far as the lock file tells."""
    try:
        info = json.loads(lock_path(Path(workspace)).read_text(encoding="utf-8") or "{}")
    except (OSError, ValueError):
        return "another ssid-tui process"
    who = info.get("user") or "someone"
    return f"{who} (process {info.get('pid', '?')} on {info.get('host', '?')}, since {info.get('since', '?')})"


def busy(workspace: Path) -> str:
    """What holds the workspace and what to do, for "W is ...": 'open in the review app by ...: close it there first'."""
    try:
        purpose = json.loads(lock_path(Path(workspace)).read_text(encoding="utf-8") or "{}").get("purpose")
    except (OSError, ValueError, AttributeError):
        purpose = None
    doing, advice = PURPOSES.get(str(purpose), PURPOSES["review"])
    return f"{doing} by {holder(workspace)}: {advice}"
