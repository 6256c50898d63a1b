"""The one rule for every file ssid-tui writes: never replace something of value.

A target may be replaced only if it is missing, empty, or the same kind of file the
command writes (a registry for `ods load`, an error list for `--errors`, an export for
`export`). Never an input of the command (same file, by inode), never a workspace,
registry, ODS extract or SENR upload, nor their SQLite side files (-wal, -shm, -journal,
.lock). Kinds are told by content, not by name, so a renamed file is still recognised.
Others make files of an export's kinds too (CDE's results download, an SIS's SENR with
SSIDs, our results with Selections filled in since): an export-like file is replaced
only while it is, unchanged, one ssid-tui wrote (`written.wrote`).

Every writer goes through `check_target` (`safe.atomic_writer` and `safe.replace_into`
require the kind they write), so a new writer cannot skip the rule by accident.
"""

from __future__ import annotations

import enum
import itertools
import os
import re
import sqlite3
import stat
from collections.abc import Iterable
from pathlib import Path

from ssid_tui.files import written

#: meta.app of the SQLite files ssid-tui makes (the stores import these).
WORKSPACE_APP = "ssid-tui-workspace"
REGISTRY_APP = "ssid-tui-registry"
RESUME_APP = "ssid-tui-match-resume"

#: First cells of the header rows of our own exports (tests check they match the writers).
RESULTS_HEADER_START = "Submitted_SENR_ReportingLEA"
SIS_HEADER = ("LocalID", "SSID")
ERROR_LIST_HEADER = ("line", "field_number", "field_name", "value", "code", "problem", "fix")
LOAD_NOTES_HEADER = ("line", "ssid", "field", "note", "value")
REPORT_TITLE = "# SSID review report"
DEMO_RECORD_START = '{"ssid-tui-demo"'

SIDE_SUFFIXES = ("-wal", "-shm", "-journal", ".lock")
_SQLITE_MAGIC = b"SQLite format 3\x00"
_WAL_MAGIC = (b"\x37\x7f\x06\x82", b"\x37\x7f\x06\x83")
_SSID = re.compile(r"[0-9]{10}")
_SNIFF = 1 << 16
#: Folded SENR header names: a CSV whose first row has three of these is an SENR file.
_SENR_HEADER_KEYS = {"recordtypecode", "localstudentid", "studentlegalfirstname", "studentlegallastname",
                     "studentbirthdate", "ssid", "reportinglea", "schoolofattendance"}


class Kind(enum.StrEnum):
    """What a file is, as far as ssid-tui can tell from its content."""

    MISSING = "missing"
    EMPTY = "empty"
    FOLDER = "folder"
    SPECIAL = "special"
    WORKSPACE = "workspace"
    REGISTRY = "registry"
    RESUME = "resume"
    SQLITE = "sqlite"
    SIDE_FILE = "side_file"
    ODS_EXTRACT = "ods_extract"
    SENR = "senr"
    SENR_WITH_SSIDS = "senr_with_ssids"
    RESULTS = "results"
    SIS = "sis"
    REPORT = "report"
    ERROR_LIST = "error_list"
    DEMO_RECORD = "demo_record"
    LOAD_NOTES = "load_notes"
    OTHER = "other"


#: How a refusal names each kind ("X is ...", or in parentheses after "a file this command reads": so none has its own).
DESCRIPTIONS: dict[Kind, str] = {
    Kind.FOLDER: "a folder",
    Kind.SPECIAL: "not a regular file but a device, pipe or socket",
    Kind.WORKSPACE: "an ssid-tui workspace, which holds review decisions",
    Kind.REGISTRY: "an ssid-tui registry, which `ssid-tui ods load` built from an ODS extract",
    Kind.RESUME: "the students an interrupted `ssid-tui match` kept for its next run",
    Kind.SQLITE: "an SQLite database ssid-tui did not write",
    Kind.SIDE_FILE: "an SQLite database's -wal, -shm, -journal or .lock side file",
    Kind.ODS_EXTRACT: "an ODS registry extract",
    Kind.SENR: "an SENR enrollment file",
    Kind.SENR_WITH_SSIDS: "an SENR file with SSIDs filled in",
    Kind.RESULTS: "an SSID Match Results export",
    Kind.SIS: "an SIS import file (LocalID, SSID)",
    Kind.REPORT: "a review report",
    Kind.ERROR_LIST: "a validation error list",
    Kind.DEMO_RECORD: "the list of files `ssid-tui demo` made",
    Kind.LOAD_NOTES: "the list of data notes of a registry load",
    Kind.OTHER: "a file ssid-tui did not write",
}

_EXPORTS = {Kind.RESULTS, Kind.SIS, Kind.REPORT}
#: Kinds others make too: replaced only if ssid-tui wrote that very file (an SENR without SSIDs:
#: our SENR export before any SSID was chosen).
WRITTEN_ONLY = frozenset(_EXPORTS | {Kind.SENR_WITH_SSIDS, Kind.SENR})
#: Listings ssid-tui writes beside an input that a clerk may open and annotate (validate's error
#: list, a load's notes): only ssid-tui writes them, but an edited one is the clerk's work now.
LISTINGS = frozenset({Kind.ERROR_LIST, Kind.LOAD_NOTES})
#: Kinds recorded as ssid-tui writes them, and replaced only while that very file is unchanged.
RECORDED = WRITTEN_ONLY | LISTINGS
#: For each kind of file a command writes: the existing kinds it may replace.
REPLACEABLE: dict[Kind, frozenset[Kind]] = {
    Kind.REGISTRY: frozenset({Kind.REGISTRY}),
    Kind.WORKSPACE: frozenset({Kind.WORKSPACE}),
    Kind.RESUME: frozenset({Kind.RESUME}),
    Kind.ERROR_LIST: frozenset({Kind.ERROR_LIST}),
    Kind.LOAD_NOTES: frozenset({Kind.LOAD_NOTES}),
    # an export replaces an earlier export of its own kind only: a results file typed over our SIS
    # file is a slip of the clerk's, not a newer version of it
    Kind.RESULTS: frozenset({Kind.RESULTS}),
    Kind.SIS: frozenset({Kind.SIS}),
    Kind.REPORT: frozenset({Kind.REPORT}),
    Kind.SENR_WITH_SSIDS: frozenset({Kind.SENR_WITH_SSIDS, Kind.SENR}),  # ours before any SSID was chosen
    Kind.DEMO_RECORD: frozenset({Kind.DEMO_RECORD}),
}


class TargetRefused(Exception):
    """A file must not be written there. The message is one sentence: `reason` (the file and what it
    is), then `advice` in a path option's terms (another file name, or the option to give again).

    The advice is kept apart because not every caller's user chooses a file name: the review app's
    export dialog takes only a folder, so it words its own (`advising`). `movable`: moving the file
    away is a way out too (not for a file the command reads).
    """

    def __init__(self, path: Path, reason: str, advice: str, *, movable: bool = False, joint: str = ": ") -> None:
        super().__init__(f"{reason}{joint}{advice}")
        self.path = path
        self.reason = reason
        self.advice = advice
        self.movable = movable
        self.joint = joint

    def advising(self, choice: str) -> str:
        """The sentence with the caller's way out, `choice` ("another folder"), in place of the advice."""
        move = ", or move it away first" if self.movable else ""
        return f"{self.reason}{self.joint}choose {choice}{move}."


def _sqlite_kind(path: Path) -> Kind:
    try:
        # immutable: read without creating -wal/-shm beside a file we are only looking at
        conn = sqlite3.connect(f"file:{path}?mode=ro&immutable=1", uri=True)
        try:
            tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
            app = None
            if "meta" in tables:
                row = conn.execute("SELECT value FROM meta WHERE key = 'app'").fetchone()
                app = row[0] if row else None
        finally:
            conn.close()
    except sqlite3.Error:
        return Kind.SQLITE
    if app == WORKSPACE_APP or {"student", "decision", "history"} <= tables:
        return Kind.WORKSPACE
    if app == REGISTRY_APP or {"ssid", "name", "freq"} <= tables:
        return Kind.REGISTRY
    if app == RESUME_APP:
        return Kind.RESUME
    return Kind.SQLITE


def _first_line(data: bytes) -> str:
    text = data.decode("utf-8", errors="replace").lstrip("\ufeff")
    for line in re.split(r"\r\n|\r|\n", text):
        if line.strip():
            return line
    return ""


def _text_kind(data: bytes) -> Kind:
    line = _first_line(data)
    if line == REPORT_TITLE or line.startswith(REPORT_TITLE):
        return Kind.REPORT
    if line.startswith(DEMO_RECORD_START):
        return Kind.DEMO_RECORD
    for delim in (",", "^", "\t"):
        cells = [c.strip().strip('"') for c in line.split(delim)]
        if cells[0] == RESULTS_HEADER_START:
            return Kind.RESULTS
        if tuple(cells) == SIS_HEADER:
            return Kind.SIS
        if tuple(cells) == ERROR_LIST_HEADER:
            return Kind.ERROR_LIST
        if tuple(cells) == LOAD_NOTES_HEADER:
            return Kind.LOAD_NOTES
        if len(cells) == 19 and _SSID.fullmatch(cells[0]):
            return Kind.ODS_EXTRACT
        if cells[0].upper() == "SENR" and len(cells) >= 8:
            return Kind.SENR_WITH_SSIDS if _SSID.fullmatch(cells[7]) else Kind.SENR
        folded = {"".join(ch for ch in c.lower() if ch not in " _-\t\"'") for c in cells}
        if len(folded & _SENR_HEADER_KEYS) >= 3:
            return Kind.SENR  # a CSV SENR with its header row (SSIDs not looked at: refused either way)
    return Kind.OTHER


def is_side_file(path: Path) -> bool:
    """True for `X-wal`, `X-shm`, `X-journal`, `X.lock` beside an existing X."""
    name = path.name
    for suffix in SIDE_SUFFIXES:
        if name.endswith(suffix) and len(name) > len(suffix):
            return (path.parent / name[: -len(suffix)]).exists()
    return False


def kind_of(path: str | os.PathLike[str]) -> Kind:
    """What the file at `path` is, told by its content (and, for SQLite side files, by its name)."""
    p = Path(path)
    try:
        st = p.stat()
    except FileNotFoundError:
        return Kind.SIDE_FILE if p.is_symlink() is False and is_side_file(p) else Kind.MISSING
    except OSError:
        return Kind.OTHER
    if stat.S_ISDIR(st.st_mode):
        return Kind.FOLDER
    if not stat.S_ISREG(st.st_mode):
        return Kind.SPECIAL
    if is_side_file(p):
        return Kind.SIDE_FILE
    if st.st_size == 0:
        return Kind.EMPTY
    try:
        with open(p, "rb") as fh:
            head = fh.read(_SNIFF)
    except OSError:
        return Kind.OTHER
    if head.startswith(_SQLITE_MAGIC):
        return _sqlite_kind(p)
    if head[:4] in _WAL_MAGIC:
        return Kind.SIDE_FILE
    return _text_kind(head)


def same_file(a: str | os.PathLike[str], b: str | os.PathLike[str]) -> bool:
    """True if both paths name one file (same device and inode: hard links and symlinks too)."""
    try:
        return os.path.samefile(a, b)
    except OSError:
        return False


def _input_side(path: Path, inputs: Iterable[Path]) -> Path | None:
    """The input that `path` is a side file of (by name), if any."""
    for inp in inputs:
        for suffix in SIDE_SUFFIXES:
            if Path(str(inp) + suffix).absolute() == path.absolute():
                return inp
    return None


#: A file as a check found it: device, inode, size, modification and change times (None: no file there).
#: Any write to the file, or a `touch` setting its time back, changes its change time (`st_ctime_ns`).
Identity = tuple[int, int, int, int, int] | None
_failed_looks = itertools.count()


def identity(path: Path) -> Identity:
    """The file at `path` as it is now (None if there is none)."""
    try:
        st = os.stat(path)
    except FileNotFoundError:
        return None
    except OSError:  # unequal to any other look: the next check reads the file again
        return (-1, -1, -1, -1, next(_failed_looks))
    return st.st_dev, st.st_ino, st.st_size, st.st_mtime_ns, st.st_ctime_ns


def check_target(path: str | os.PathLike[str], writes: Kind, inputs: Iterable[str | os.PathLike[str]] = ()) -> Identity:
    """Raise TargetRefused unless a file of kind `writes` may be written at `path`; return the file's
    `identity` as the check found it, so that a writer need not check again while it is unchanged
    (`still_allowed`).

    `inputs` are the files the command reads (never overwritten, whatever they are).
    """
    p = Path(path)
    seen = identity(p)  # before the content is read: a change while it is read changes the identity
    _check(p, writes, inputs)
    return seen


def still_allowed(path: str | os.PathLike[str], writes: Kind, inputs: Iterable[str | os.PathLike[str]],
                  checked: Identity) -> None:
    """`check_target` again only if the file changed since the check that returned `checked` (it
    appeared, or was written or touched): one full check per target, however many steps write it."""
    if identity(Path(path)) != checked:
        check_target(path, writes, inputs)


def file_in_the_way(path: Path) -> Path | None:
    """The nearest of `path`'s folders that exists and is not a folder (mine.csv in mine.csv/out.csv), or None."""
    for parent in path.parents:
        try:
            st = parent.stat()
        except (FileNotFoundError, NotADirectoryError):
            continue
        except OSError:
            return None
        return None if stat.S_ISDIR(st.st_mode) else parent
    return None


def _under_a_file_refusal(path: Path) -> TargetRefused | None:
    blocker = file_in_the_way(path)
    if blocker is None:
        return None
    return TargetRefused(path, f"{blocker} is a file, not a folder, so {path} cannot be written",
                         "give a path in a folder.")


def under_a_file(path: Path) -> str | None:
    """The sentence for a path that lies under a file (mine.csv/out.csv), or None if it does not."""
    refusal = _under_a_file_refusal(path)
    return None if refusal is None else str(refusal)


def _check(p: Path, writes: Kind, inputs: Iterable[str | os.PathLike[str]]) -> None:
    refusal = _under_a_file_refusal(p)
    if refusal is not None:
        raise refusal
    ins = [Path(i) for i in inputs]
    for inp in ins:
        if same_file(p, inp):
            raise TargetRefused(p, f"{p} is a file this command reads ({kind_description(inp)})",
                                "choose another file name to write to.")
    side_of = _input_side(p, ins)
    if side_of is not None:
        raise TargetRefused(p, f"{p} is a side file of {side_of}, which this command reads",
                            "choose another file name to write to.")
    found = kind_of(p)
    if found in (Kind.MISSING, Kind.EMPTY):
        return
    if found in REPLACEABLE.get(writes, frozenset()):
        if found not in RECORDED or written.wrote(p):
            return
        # a listing from before listings were recorded is refused too (the safe side): say so
        earlier = " (or one an earlier version wrote, which kept no record of its lists)" if found in LISTINGS else ""
        raise TargetRefused(p, f"{p} is {DESCRIPTIONS[found]}, not one ssid-tui wrote and left unchanged{earlier}: "
                               "it is not replaced", "choose another file name, or move it away first.",
                            movable=True, joint="; ")
    if found is Kind.FOLDER:
        raise TargetRefused(p, f"{p} is a folder", "give a file name inside it.", movable=True)
    raise TargetRefused(p, f"{p} is {DESCRIPTIONS[found]}: ssid-tui does not replace it",
                        "choose another file name, or move that file away first.", movable=True, joint="; ")


def kind_description(path: str | os.PathLike[str]) -> str:
    """'an ssid-tui workspace, which holds review decisions', 'an SENR enrollment file', ... for a message."""
    found = kind_of(path)
    return DESCRIPTIONS.get(found, str(found))
