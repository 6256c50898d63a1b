"""Opening a workspace for review: with its lock, or read-only, saying why."""

from __future__ import annotations

from pathlib import Path

from ssid_tui.files.lock import WorkspaceLock, acquire, holder
from ssid_tui.workspace.store import Workspace, open_workspace
from ssid_tui.workspace.store_problems import disk_nearly_full


def open_for_review(p: Path, readonly: bool) -> tuple[Workspace, WorkspaceLock | None, str | None]:
    """(workspace, its lock, why it is read-only): read-only when asked, or when another process
    holds the lock, or when the lock cannot be written (a full disk, a folder not writable)."""
    if readonly:
        return open_workspace(p, readonly=True), None, "opened with --read-only"
    if not p.is_file():
        open_workspace(p)  # raises the right one-sentence error, before any lock file is made
    try:
        lock = acquire(p)
    except OSError:
        why = ("the disk is full, so the workspace cannot be locked" if disk_nearly_full(p.resolve().parent)
               else "the folder is not writable, so the workspace cannot be locked")
        return open_workspace(p, readonly=True), None, why
    if lock is None:
        return open_workspace(p, readonly=True), None, f"{holder(p)} has it open"
    try:
        return open_workspace(p), lock, None
    except BaseException:
        lock.release()
        raise
