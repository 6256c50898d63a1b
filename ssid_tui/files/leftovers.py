"""Temporary files beside a target, and the ones a killed process left behind.

A registry load or a new workspace is built in a hidden file named after the target and
the process (`.registry.sqlite.loading-4711`) and renamed into place at the end. If the
process is killed, that file stays; it can hold a whole registry of student records, so
the next run in the folder removes every one whose process is gone.
"""

from __future__ import annotations

import contextlib
import os
import re
from pathlib import Path

PURPOSES = ("loading", "matching")
_TEMPORARY = re.compile(r"^\..+\.(?:" + "|".join(PURPOSES) + r")-(\d+)(?:-wal|-shm|-journal)?$")


def temporary_beside(target: Path, purpose: str) -> Path:
    """The hidden file this process builds `target` in (same folder, so the rename is atomic)."""
    if purpose not in PURPOSES:
        raise ValueError(purpose)
    return target.parent / f".{target.name}.{purpose}-{os.getpid()}"


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
    for entry in entries:
        m = _TEMPORARY.match(entry.name)
        if not m or process_alive(int(m.group(1))) or not entry.is_file() or entry.is_symlink():
            continue
        with contextlib.suppress(OSError):
            entry.unlink()
            removed.append(entry)
    return removed
