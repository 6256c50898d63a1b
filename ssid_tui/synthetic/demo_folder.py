"""The demo's folder: which files `ssid-tui demo` made there, so it replaces only those.

After a demo run, `.ssid-tui-demo.json` lists each file it made with its inode. A file of
that name with another inode (a real registry copied in, say) was not made by the demo,
and the demo refuses to touch it.
"""

from __future__ import annotations

import json
import sqlite3
import time
from pathlib import Path

from ssid_tui.files.safe import atomic_writer
from ssid_tui.files.targets import (
    DEMO_RECORD_START,
    Kind,
    TargetRefused,
    check_target,
    file_in_the_way,
    kind_description,
    kind_of,
)

RECORD_NAME = ".ssid-tui-demo.json"


def _identity(path: Path) -> list[int | str] | None:
    """What tells this very file from another put under its name later (inodes are reused).

    A workspace changes as it is reviewed, so it is known by its first matching run; the
    other files never change after the demo made them, so size and time tell them.
    """
    try:
        st = path.stat()
    except OSError:
        return None
    if kind_of(path) is Kind.WORKSPACE:
        try:
            conn = sqlite3.connect(f"file:{path}?mode=ro&immutable=1", uri=True)
            try:
                row = conn.execute("SELECT started_at, senr_sha256 FROM run ORDER BY id LIMIT 1").fetchone()
            finally:
                conn.close()
        except sqlite3.Error:
            return None
        return [st.st_dev, st.st_ino, *(row or ("", ""))]
    return [st.st_dev, st.st_ino, st.st_size, st.st_mtime_ns]


def made_by_demo(folder: Path) -> dict[str, list[int | str]]:
    """File name -> [device, inode] of each file the last demo run made in `folder` (empty if none)."""
    try:
        data = json.loads((folder / RECORD_NAME).read_text(encoding="utf-8"))
        made = data["ssid-tui-demo"]["files"]
        return {str(k): list(v) for k, v in made.items()}
    except (OSError, ValueError, KeyError, TypeError):
        return {}


def is_demo_file(folder: Path, name: str) -> bool:
    """True if `folder/name` is the very file the last demo run made there."""
    made = made_by_demo(folder).get(name)
    return made is not None and _identity(folder / name) == made


def check_demo_folder(folder: Path, names: list[str]) -> None:
    """Raise TargetRefused if `folder` is a file, or naming the first file among `names` the demo may not replace."""
    blocker = folder if folder.exists() and not folder.is_dir() else file_in_the_way(folder)
    if blocker is not None:
        raise TargetRefused(folder, f"{blocker} is a file, not a folder", "give --dir a folder (a new one is made).")
    for name in names:
        path = folder / name
        if path.exists() and not is_demo_file(folder, name):
            try:
                check_target(path, Kind.DEMO_RECORD)  # refuses anything but missing or empty
            except TargetRefused:
                raise _not_replaced(folder, name) from None


def _not_replaced(folder: Path, name: str) -> TargetRefused:
    """The refusal of a file the demo may not replace: one it did not make, or one it made that was
    changed or replaced since (someone's work: --fresh does not replace it either)."""
    path = folder / name
    if name in made_by_demo(folder):  # inodes are reused: "changed" and "replaced" cannot be told apart
        return TargetRefused(path, f"{path} was changed or replaced since `ssid-tui demo` made it: the demo does not "
                                   "replace it, even with --fresh",
                             "move it away (keeping the changes) for the demo to make it again, or give another --dir.",
                             movable=True, joint="; ")
    what = "a file" if kind_of(path) is Kind.OTHER else kind_description(path)
    return TargetRefused(path, f"{path} is {what} that `ssid-tui demo` did not make: "
                               "the demo does not replace it", "give another --dir.",
                         movable=True, joint="; ")


def record_demo(folder: Path, names: list[str]) -> None:
    """Write the list of files the demo made (name and inode), after a successful run."""
    files = {n: ident for n in names if (ident := _identity(folder / n)) is not None}
    payload = {"ssid-tui-demo": {"files": files, "made_at": time.strftime("%Y-%m-%d %H:%M:%S")}}
    text = json.dumps(payload)
    assert text.startswith(DEMO_RECORD_START)
    with atomic_writer(folder / RECORD_NAME, writes=Kind.DEMO_RECORD) as fh:
        fh.write(text + "\n")


def made_at(folder: Path) -> str:
    """When the demo in `folder` was made ('?' if unknown)."""
    try:
        return str(json.loads((folder / RECORD_NAME).read_text(encoding="utf-8"))["ssid-tui-demo"]["made_at"])
    except (OSError, ValueError, KeyError, TypeError):
        return "?"


def remove_demo_files(folder: Path, names: list[str]) -> None:
    """Delete the files among `names` that the demo made (and a workspace's side files)."""
    for name in names:
        if is_demo_file(folder, name):
            for extra in ("", "-wal", "-shm"):
                Path(f"{folder / name}{extra}").unlink(missing_ok=True)
