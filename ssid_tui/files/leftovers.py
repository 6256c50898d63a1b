"""Temporary files beside a target, and the ones a killed process left behind.

A registry load or a new workspace is built in a hidden file named after the target, the
machine and the process (`.registry.sqlite.loading-srv1-4711`) and renamed into place at the
end; an export or a notes file is written the same way (`.results.csv.writing-srv1-4711`).
If the process is killed, that file stays; it can hold a whole registry of student records,
so the next run in the folder removes every one whose process is gone. A folder on
a network share can be used from two machines at once: a process id means nothing on another
machine, so another machine's temporary files are left alone.
"""

from __future__ import annotations

import contextlib
import os
import re
import socket
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


def remove_stale_temporaries(folder: Path) -> list[Path]:
    """Delete the temporary files in `folder` whose process is gone; return what was deleted."""
    removed: list[Path] = []
    try:
        entries = list(Path(folder).iterdir())
    except OSError:
        return removed
    here = machine_tag()
    for entry in entries:
        m = _TEMPORARY.match(entry.name)
        if not m or (m.group(1) or here) != here or process_alive(int(m.group(2))):
            continue
        if not entry.is_file() or entry.is_symlink():
            continue
        with contextlib.suppress(OSError):
            entry.unlink()
            removed.append(entry)
    return removed
