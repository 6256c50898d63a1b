"""What to tell a user whose workspace cannot be opened or written: the file, the folder or the disk.

One sentence each, the same in the CLI and the review app; a damaged file comes with what to
do that keeps its decisions.
"""

from __future__ import annotations

import os
import shlex
import sqlite3
from pathlib import Path

from ssid_tui.files import safe as safefiles


def damaged_message(path: Path) -> str:
    """The one sentence for a workspace SQLite cannot read (the CLI and the review app say the same)."""
    return f"{path} cannot be read: it may be damaged. {damaged_advice(path)}"


def cut_short_message(path: Path) -> str:
    """The sentence for a workspace shorter than SQLite wrote it (`files.inputs.sqlite_cut_short`)."""
    return f"{path} is damaged: it is shorter than SQLite wrote it (a copy cut off?). {damaged_advice(path)}"


def damaged_advice(path: Path) -> str:
    """What to do with a damaged workspace without losing its decisions."""
    return (f"Keep the file: restore it from a backup if you have one, or list the decisions it still holds "
            f"with `ssid-tui history {shlex.quote(str(path))}` before matching the SENR file again into a new workspace.")


def folder_read_only(path: Path) -> bool:
    folder = path.resolve().parent
    try:
        if os.statvfs(folder).f_flag & os.ST_RDONLY:
            return True
    except OSError:
        pass
    return not safefiles.can_write(folder)


def open_problem(path: Path, exc: sqlite3.Error, readonly: bool) -> str:
    """Why SQLite could not open a workspace, told truthfully: the folder, the disk, or the file."""
    code = getattr(exc, "sqlite_errorcode", None)
    if safefiles.is_disk_full(exc) or disk_nearly_full(path.resolve().parent):
        return (f"the disk holding {path.resolve().parent} is full: {path.name} is intact, but SQLite cannot write "
                "beside it; free some space and try again.")
    if code == sqlite3.SQLITE_NOTADB:
        return f"{path} is not a workspace (not an SQLite file): give the file `ssid-tui match` wrote."
    if code == sqlite3.SQLITE_CORRUPT:
        return damaged_message(path)
    if code == sqlite3.SQLITE_READONLY_ROLLBACK:  # a read-only opening leaves a crash's -journal as it is
        return (f"{path} holds a write that was cut short ({path.name}-journal beside it): open it once with "
                f"`ssid-tui review {shlex.quote(str(path))}`, which rolls that write back, then try again.")
    if folder_read_only(path):
        return read_only_folder_message(path, readonly)
    return damaged_message(path)


def disk_nearly_full(folder: Path) -> bool:
    """True when the filesystem holding `folder` has under 64 KiB left (SQLite then fails oddly)."""
    try:
        st = os.statvfs(folder)
    except OSError:
        return False
    return st.f_bavail * st.f_frsize < 64 * 1024


def write_problem(path: Path, exc: sqlite3.Error) -> str:
    """One sentence for a decision that could not be stored: the disk, or the file."""
    if safefiles.is_disk_full(exc) or disk_nearly_full(path.resolve().parent):
        return (f"The disk holding {path.name} is full: this step was not saved, every earlier decision is. "
                "Free some space and press the key again.")
    if getattr(exc, "sqlite_errorcode", None) == sqlite3.SQLITE_CORRUPT:
        return damaged_message(path)
    return f"This step could not be saved in {path.name} ({exc.__class__.__name__}); every earlier decision is."


def read_only_folder_message(path: Path, readonly: bool = False) -> str:
    """A workspace in a folder this user cannot write: intact, but no decision can be stored there."""
    how = "look at it with `ssid-tui review --read-only`, `status` or `export`, or " if not readonly else ""
    return (f"the folder {path.resolve().parent} is read-only, and SQLite must write its journal beside "
            f"{path.name}; the workspace is intact: {how}copy it to a folder you can write to.")
