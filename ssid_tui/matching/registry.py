"""The registry: an ODS extract loaded into SQLite with the keys and counts matching needs.

Loading is all-or-nothing over the extract's structure: it builds a new file beside the
target and renames it into place only when every line could be loaded, so a malformed
extract never spoils the registry in use. Data gaps and oddities (a blank legal name,
control characters, over-long values) do not stop a load: they are counted, and listed in
`REGISTRY.load-notes.csv` beside the registry.
"""

from __future__ import annotations

import contextlib
import os
import shlex
import sqlite3
import time
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import BinaryIO

from ssid_tui.files import safe as safefiles
from ssid_tui.files.background import Background
from ssid_tui.files.commit_point import InterruptsHeld
from ssid_tui.files.inputs import InputFileError, require_input_file, sqlite_cut_short
from ssid_tui.files.leftovers import remove_stale_temporaries, temporary_beside
from ssid_tui.files.lock import acquire, busy
from ssid_tui.files.processes import WorkerLost
from ssid_tui.files.safe import atomic_writer, create_owner_only, replace_into
from ssid_tui.files.targets import (
    DESCRIPTIONS,
    LOAD_NOTES_HEADER,
    REGISTRY_APP,
    Kind,
    TargetRefused,
    check_target,
    kind_of,
    under_a_file,
)
from ssid_tui.files.written import stream_sha256
from ssid_tui.formats.ods import OdsFileError, OdsLineError, extract_lines
from ssid_tui.formats.sniff import ODS, SENR, SQLITE, file_kind
from ssid_tui.formats.spreadsheet import SpreadsheetWriter, spreadsheet_writer
from ssid_tui.matching.blocking import blocking_indexes, padded
from ssid_tui.matching.extract_rows import NAME_COLUMNS, SSID_COLUMNS, extract_rows
from ssid_tui.matching.model import BLOCKING_PASSES, FREQUENCY_TABLES
from ssid_tui.matching.u_sample import sample_students, shares_of, write_u_table
from ssid_tui.wording import plural

REGISTRY_SCHEMA = 3  # 2: surname prefix key; 3: initials key
#: The order of the name table's rows. Matching reads the records of a name's sound born in a
#: window of years: stored together, they come from a few pages instead of one page each.
NAME_ORDER = ("last_key1", "first_key", "birth_date")
#: Index name -> columns, named after the first blocking pass that uses it.
INDEXES = blocking_indexes(BLOCKING_PASSES)
MAX_REPORTED_ERRORS = 20
#: Statements a matching connection keeps prepared (see `open_registry`).
_CACHED_STATEMENTS = 512
#: Rows of each index ANALYZE reads (SQLite's suggested few hundred to a thousand).
_ANALYSIS_ROWS = 1000


class RegistryError(Exception):
    """The registry cannot be loaded or opened; the message says why and what to do."""

    def __init__(self, message: str, line_errors: list[OdsLineError] | None = None, total_errors: int = 0) -> None:
        super().__init__(message)
        self.line_errors = line_errors or []
        self.total_errors = total_errors


@dataclass(frozen=True)
class LoadSummary:
    """What a registry load did."""

    path: Path
    lines: int
    ssids: int
    name_records: int
    seconds: float
    #: Data gaps and oddities loaded anyway, by kind (see formats.ods), and where they are listed.
    notes: Counter[str] = field(default_factory=Counter)
    notes_path: Path | None = None
    #: Lines that were not UTF-8 and were read as Windows-1252.
    windows_1252_lines: int = 0
    #: A Ctrl-C or SIGTERM came once the new registry was going into place: too late to stop the load.
    interrupted_at_end: bool = False

    @property
    def noted_lines(self) -> int:
        """How many notes in all."""
        return sum(self.notes.values())


def notes_path_for(registry: Path) -> Path:
    """Where a load lists the extract's data gaps and oddities: beside the registry."""
    return registry.with_name(registry.name + ".load-notes.csv")


class _NoNotes(Exception):
    """Raised inside the notes writer to drop the file when the extract had nothing to note."""


def load_extract(
    extract: str | os.PathLike[str], target: str | os.PathLike[str],
    progress: Callable[[int, int], None] | None = None,
) -> LoadSummary:
    """Load an ODS extract into the registry file `target`, all or nothing.

    `progress(bytes_done, bytes_total)` is called now and then. Raises RegistryError
    naming the bad lines (the first MAX_REPORTED_ERRORS of them) if any line is malformed.
    """
    extract = require_input_file(extract, RegistryError, what="the ODS extract file",
                                 missing="check the path of the ODS extract.")
    target = Path(target)
    folder = target.resolve().parent
    problem = under_a_file(target)
    if problem:
        raise RegistryError(problem)
    if not folder.is_dir() or not safefiles.can_write(folder):
        raise RegistryError(f"cannot write the registry in {folder}: choose a folder you can write to.")
    if target.is_dir():
        raise RegistryError(f"{target} is a folder: give a file name for the registry, e.g. registry.sqlite.")
    try:
        check_target(target, Kind.REGISTRY, [extract])
    except TargetRefused as exc:
        raise RegistryError(str(exc)) from exc  # the cause: the CLI names the option the path came from
    lock = acquire(target, purpose="load")
    if lock is None:
        raise RegistryError(f"{target} is {busy(target)}, then load again (nothing was changed).")
    with lock:
        return _load(extract, target, folder, progress)


def _load(extract: Path, target: Path, folder: Path, progress: Callable[[int, int], None] | None) -> LoadSummary:
    """load_extract once the target is checked and locked: build beside it, rename into place."""
    total = extract.stat().st_size
    if total == 0:
        raise RegistryError(f"{extract} is empty: it holds no registry records.")
    kind = file_kind(extract)
    if kind == SENR:
        raise RegistryError(f"{extract} looks like an SENR file (your upload of students), not the ODS extract: "
                            f"match it with `ssid-tui match {extract.name} --ods REGISTRY`, and load the state's "
                            "ODS extract here.")
    if kind == SQLITE:
        raise RegistryError(f"{extract} is an SQLite file (a registry or a workspace), not the ODS extract: "
                            "give the ^-delimited extract file the state sent.")
    with extract.open("rb") as fh:
        head = fh.read(1 << 16)
    if b"\x00" in head:  # as `validate` says it: not a line-by-line list of malformed records
        raise RegistryError(f"{extract} contains binary data (NUL bytes), not text: give the ^-delimited "
                            "extract file the state sent (UTF-8 or Windows text, not UTF-16 or a spreadsheet).")
    started = time.perf_counter()
    remove_stale_temporaries(folder)
    tmp = temporary_beside(target, "loading")
    with contextlib.suppress(FileNotFoundError):
        tmp.unlink()
    notes_path = notes_path_for(target)
    notes: Counter[str] = Counter()
    with InterruptsHeld() as at_end:  # held from the rename on (`start`), let through at the end
        try:
            create_owner_only(tmp)
            with atomic_writer(notes_path, writes=Kind.LOAD_NOTES, inputs=[extract]) as notes_fh:
                writer = spreadsheet_writer(notes_fh)
                writer.writerow(LOAD_NOTES_HEADER)
                # the extract is opened for its fingerprint now: a file removed or replaced during the
                # load is still the one read
                with contextlib.closing(sqlite3.connect(tmp, isolation_level=None)) as conn, extract.open("rb") as source:
                    lines, ssids, names, windows_1252 = _build(conn, extract, source, total, progress, writer, notes)
                safefiles.force_to_disk(tmp)
                at_end.start()  # from the rename on the new registry is in use: the notes follow it whatever comes
                replace_into(tmp, target, writes=Kind.REGISTRY, inputs=[extract], synced=True)
                if not notes:
                    raise _NoNotes  # drops the new list unwritten
        except _NoNotes:
            safefiles.remove_if_unchanged(notes_path, Kind.LOAD_NOTES)  # an earlier load's list describes another extract
        except BaseException as exc:
            with contextlib.suppress(FileNotFoundError):
                tmp.unlink()
            if isinstance(exc, TargetRefused) and exc.path == notes_path:  # its name follows the registry's
                raise RegistryError(exc.advising("another --into name (the notes file is named after the "
                                                 "registry)")) from None
            if isinstance(exc, (TargetRefused, OdsFileError, InputFileError)):
                raise RegistryError(str(exc)) from None
            if isinstance(exc, WorkerLost):
                raise RegistryError(f"{exc}: nothing was loaded and the registry in use is unchanged; load again "
                                    "(and if it happens again, free some memory first).") from None
            if safefiles.is_disk_full(exc):
                raise RegistryError(f"the disk holding {folder} is full: nothing was loaded and the registry in use "
                                    "is unchanged; free some space and load again.") from None
            raise
    return LoadSummary(target, lines, ssids, names, time.perf_counter() - started, notes,
                       notes_path if notes else None, windows_1252, at_end.noted)


def _build(conn: sqlite3.Connection, extract: Path, source: BinaryIO, total: int,
           progress: Callable[[int, int], None] | None, notes_writer: SpreadsheetWriter,
           notes: Counter[str]) -> tuple[int, int, int, int]:
    """Fill a new registry database from the extract; returns (lines, SSIDs, name records, lines read
    as Windows-1252).

    `source`: the extract opened at the start, for its fingerprint. Each data note is written to
    `notes_writer` and counted by kind in `notes`.
    """
    _fast_build(conn)
    conn.execute("CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT)")
    # Keyed by SSID itself (no rowid, no second index): one B-tree, filled in SSID order at the end.
    conn.execute(f"CREATE TABLE ssid ({', '.join(f'{c} TEXT' for c in SSID_COLUMNS)}, PRIMARY KEY (ssid)) WITHOUT ROWID")
    conn.execute(f"CREATE TEMP TABLE ssid_load ({', '.join(SSID_COLUMNS)})")
    conn.execute(f"CREATE TABLE name (id INTEGER PRIMARY KEY, {', '.join(f'{c} TEXT' for c in NAME_COLUMNS)})")
    conn.execute(f"CREATE TEMP TABLE name_load ({', '.join(NAME_COLUMNS)})")
    conn.execute("CREATE TABLE freq (kind TEXT, value TEXT, n INTEGER, PRIMARY KEY (kind, value)) WITHOUT ROWID")
    ssid_sql = f"INSERT INTO ssid_load VALUES ({', '.join('?' * len(SSID_COLUMNS))})"
    name_sql = f"INSERT INTO name_load VALUES ({', '.join('?' * len(NAME_COLUMNS))})"
    freq: dict[str, Counter[str]] = {k: Counter() for k in FREQUENCY_TABLES}
    errors: list[OdsLineError] = []
    error_count = lines = names = windows_1252 = 0
    bytes_read = [0]
    fill, indexes = _fill_steps(), _index_steps()
    work = total + int(sum(cost for _s, cost in fill + indexes) * total)  # progress: the reading, then the rest
    conn.execute("BEGIN")
    # closing: a load stopped early (Ctrl-C, a full disk) stops the workers at once
    with contextlib.closing(extract_rows(extract_lines(extract, bytes_read), total)) as batches:
        for batch in batches:
            lines += batch.lines
            windows_1252 += batch.windows_1252
            if batch.errors:
                error_count += len(batch.errors)
                errors.extend(batch.errors[: MAX_REPORTED_ERRORS - len(errors)])
            if error_count:
                continue  # count every bad line, but build nothing more
            notes.update(batch.note_kinds)
            notes_writer.writerows(batch.note_rows)
            for kind, values in batch.counted.items():
                freq[kind].update(values)
            names += len(batch.name_rows)
            conn.executemany(ssid_sql, batch.ssid_rows)
            conn.executemany(name_sql, batch.name_rows)
            if progress:
                progress(bytes_read[0], work)
    if error_count or lines == 0:
        conn.execute("ROLLBACK")
        if lines == 0 and not error_count:
            raise RegistryError(f"{extract} holds no registry lines: nothing was loaded.")
        shown = "; ".join(f"line {e.line_no} {e.problem}" for e in errors[:3])
        raise RegistryError(
            f"{extract} has {plural(error_count, 'malformed line')} ({shown}"
            f"{', ...' if error_count > 3 else ''}): nothing was loaded; the registry in use is unchanged.",
            errors, error_count,
        )
    # The extract's fingerprint is read again from the file opened at the start (7 CPU s of hashing at
    # 10M students), in a thread beside SQLite's sorting: no faster on two cores, whose both SQLite's
    # sorter uses, but it may spare a core on a bigger server.
    digest = Background(lambda: stream_sha256(source))
    for kind, counter in freq.items():
        conn.executemany("INSERT INTO freq VALUES (?, ?, ?)", ((kind, v, n) for v, n in counter.items()))
    done = _run_steps(conn, fill, total, total, work, progress)
    # The tables are filled: the pairs giving u are compared in a thread too (~3 s of Python).
    sample = sample_students(conn)
    u_sampled = Background(lambda: shares_of(sample))
    _run_steps(conn, indexes, done, total, work, progress)
    ssids = conn.execute("SELECT COUNT(*) FROM ssid").fetchone()[0]
    conn.execute("COMMIT")
    if progress:
        progress(work, work)
    meta = {
        "app": REGISTRY_APP, "schema_version": str(REGISTRY_SCHEMA), "source": str(extract.resolve()),
        "source_sha256": digest.result(), "loaded_at": time.strftime("%Y-%m-%dT%H:%M:%S"),
        "ssids": str(ssids), "name_records": str(names), "lines": str(lines),
    }
    conn.executemany("INSERT INTO meta VALUES (?, ?)", meta.items())
    write_u_table(conn, u_sampled.result())
    # Statistics from a sample of each index: every blocking pass names its index, and reading all of
    # them took seconds per million students.
    conn.execute(f"PRAGMA analysis_limit = {_ANALYSIS_ROWS}")
    conn.execute("ANALYZE")
    return lines, ssids, names, windows_1252


def _fast_build(conn: sqlite3.Connection) -> None:
    """Settings for building a new file that nobody reads until it is renamed into place."""
    conn.execute("PRAGMA journal_mode = OFF")  # a temporary file: the rename is what makes it safe
    conn.execute("PRAGMA synchronous = OFF")
    conn.execute("PRAGMA cache_size = -400000")  # 400 MB: the index sorts run in memory longer
    conn.execute("PRAGMA temp.cache_size = -100000")
    conn.execute(f"PRAGMA threads = {min(4, os.cpu_count() or 1)}")  # the sorts may use the other cores


def _fill_steps() -> list[tuple[str, float]]:
    """How the load fills the registry's tables once the extract is read, with each step's rough
    cost as a share of the reading.

    The extract is read into temporary tables (SQLite's temporary files, gone even if the
    load is killed). SSIDs then go into their table in key order (the first line of an SSID
    wins), name records in NAME_ORDER.
    """
    cols = ", ".join(NAME_COLUMNS)
    return [("INSERT OR IGNORE INTO ssid SELECT * FROM ssid_load ORDER BY ssid, rowid", 0.05),
            ("DROP TABLE ssid_load", 0.0),
            (f"INSERT INTO name ({cols}) SELECT {cols} FROM name_load ORDER BY {', '.join(NAME_ORDER)}, rowid", 0.12),
            ("DROP TABLE name_load", 0.0)]


def _index_steps() -> list[tuple[str, float]]:
    """The indexes built from the filled tables, with their rough costs: one per blocking pass and
    one to find an SSID's names, each a sort, far faster than keeping them up during the inserts."""
    steps = [(f"CREATE INDEX {name} ON name ({', '.join(cols)})", 0.04) for name, cols in INDEXES.items()]
    steps.append(("CREATE INDEX name_ssid ON name (ssid)", 0.04))
    return steps


def _run_steps(conn: sqlite3.Connection, steps: list[tuple[str, float]], done: int, total: int, work: int,
               progress: Callable[[int, int], None] | None) -> int:
    """Run `steps`, telling `progress` before each; returns the work done after them (each step's
    cost is a share of the extract's `total` bytes)."""
    for sql, cost in steps:
        if progress:
            progress(done, work)
        conn.execute(sql)
        done += int(cost * total)
    return done


class _CountsOnDemand(dict[str, int]):
    """One frequency table read a value at a time, for a single lookup (`get` is all matching uses)."""

    def __init__(self, conn: sqlite3.Connection, kind: str) -> None:
        super().__init__()
        self._conn, self._kind = conn, kind

    def get(self, value: str, default: int | None = None) -> int | None:  # type: ignore[override]
        if not super().__contains__(value):
            row = self._conn.execute("SELECT n FROM freq WHERE kind = ? AND value = ?", (self._kind, value)).fetchone()
            self[value] = row[0] if row else 0
        n = super().get(value)
        return default if not n else n


class Registry:
    """An open, read-only registry with its frequency tables in memory (or read on demand)."""

    def __init__(self, path: Path, conn: sqlite3.Connection, few_lookups: bool = False) -> None:
        self.path = path
        self.conn = conn
        self.meta: dict[str, str] = dict(conn.execute("SELECT key, value FROM meta").fetchall())
        self._freq: dict[str, dict[str, int]] | None = None
        self.few_lookups = few_lookups

    @property
    def fingerprint(self) -> str:
        """Identifies the extract this registry was loaded from, and the registry version that loaded it.

        Not the time of the load: the same extract loaded again makes the same registry (the u
        sample is drawn with a fixed seed), so a run interrupted before keeps what it matched.
        """
        return self.meta.get("source_sha256", "")[:16] + "@v" + self.meta.get("schema_version", "")

    @property
    def size(self) -> int:
        """Number of SSIDs."""
        return int(self.meta.get("ssids", "0"))

    def frequencies(self) -> dict[str, dict[str, int]]:
        """Counts of first names, last names and birth dates among registry students."""
        if self._freq is None and self.few_lookups:  # reading all of them would take longer than the lookup
            self._freq = {k: _CountsOnDemand(self.conn, k) for k in FREQUENCY_TABLES}
        if self._freq is None:
            freq: dict[str, dict[str, int]] = {k: {} for k in FREQUENCY_TABLES}
            for kind, value, n in self.conn.execute("SELECT kind, value, n FROM freq"):
                freq.setdefault(kind, {})[value] = n
            self._freq = freq
        return self._freq

    def demographics(self, ssids: Sequence[str], columns: tuple[str, ...] = SSID_COLUMNS) -> dict[str, dict[str, str]]:
        """Each SSID's own columns (`SSID_COLUMNS`, or those of `columns`: birth date, gender, birth place...) by SSID.

        `columns` must start with "ssid".
        """
        if not ssids:
            return {}
        size = padded(len(ssids))
        params = [*ssids, *[ssids[-1]] * (size - len(ssids))]
        sql = f"SELECT {', '.join(columns)} FROM ssid WHERE ssid IN ({', '.join('?' * size)})"
        return {row[0]: dict(zip(columns, row)) for row in self.conn.execute(sql, params)}

    def written_names(self, ssids: Sequence[str]) -> dict[str, tuple[str, ...]]:
        """Every name part of each SSID's name records (legal, former, alias) as the extract wrote it."""
        out: dict[str, list[str]] = {ssid: [] for ssid in ssids}
        if not ssids:
            return {}
        sql = f"SELECT ssid, first, middle, last FROM name WHERE ssid IN ({', '.join('?' * len(out))}) ORDER BY id"
        for ssid, *parts in self.conn.execute(sql, list(out)):
            out[ssid].extend(p for p in parts if p)
        return {ssid: tuple(parts) for ssid, parts in out.items()}

    def close(self) -> None:
        """Close the database."""
        self.conn.close()

    def __enter__(self) -> Registry:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def damaged(path: str | os.PathLike[str], nothing_written: str = "") -> RegistryError:
    """The sentence for a registry SQLite could open but not read to the end."""
    return RegistryError(f"{path} is damaged: SQLite could not read part of it; {nothing_written}"
                         "load the ODS extract again.")


_GIVE_REGISTRY = "give --ods the registry file `ssid-tui ods load` built."


def open_registry(path: str | os.PathLike[str], few_lookups: bool = False) -> Registry:
    """Open a registry file for matching; RegistryError with one sentence if it is not one.

    `few_lookups`: for one student or a few (`find`), frequencies are read as they are needed.
    """
    p = require_input_file(
        path, RegistryError, what="a registry file",
        missing=f"check the path, or load the ODS extract first with `ssid-tui ods load EXTRACT --into {shlex.quote(str(path))}`.",
    )
    if sqlite_cut_short(p):
        raise RegistryError(f"{p} is damaged: it is shorter than SQLite wrote it (a copy cut off?); "
                            "load the ODS extract again.")
    # A workspace (or resume file) is told by a look that makes no -wal/-shm file beside it: opening it
    # as a registry would leave them there (cold test: `status` did, for a workspace given as registry).
    probed = kind_of(p)
    if probed in (Kind.WORKSPACE, Kind.RESUME):
        what = "a workspace" if probed is Kind.WORKSPACE else DESCRIPTIONS[probed]
        raise RegistryError(f"{p} is {what}, not a registry: {_GIVE_REGISTRY}")
    try:
        # Blocking prepares one statement per shape of a student's key lists (a few hundred shapes in
        # an upload, each ~1 ms to prepare): keep them all, not the default 128.
        conn = sqlite3.connect(f"file:{p}?mode=ro", uri=True, check_same_thread=False,
                               cached_statements=_CACHED_STATEMENTS)
        tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
        meta = dict(conn.execute("SELECT key, value FROM meta").fetchall()) if "meta" in tables else {}
    except sqlite3.DatabaseError:
        kind = file_kind(p)
        if kind == ODS:
            raise RegistryError(f"{p} is an ODS extract, not a registry: run `ssid-tui ods load {p.name} --into "
                                "registry.sqlite` first, then give --ods registry.sqlite.") from None
        if kind == SENR:
            raise RegistryError(f"{p} looks like an SENR file (your upload), not a registry: give it as the first "
                                "argument of `ssid-tui match`, and the registry `ssid-tui ods load` built as --ods.") from None
        raise RegistryError(f"{p} is not a registry (not an SQLite file, or damaged): load the ODS extract again.") from None
    if meta.get("app") != REGISTRY_APP:
        conn.close()  # (a workspace was told apart above, before it was opened)
        raise RegistryError(f"{p} is not an ssid-tui registry: load the ODS extract with `ssid-tui ods load`.")
    version = int(meta.get("schema_version", "0"))
    if version != REGISTRY_SCHEMA:
        conn.close()
        older = "an older" if version < REGISTRY_SCHEMA else "a newer"
        raise RegistryError(f"{p} was built by {older} ssid-tui (registry version {version}): load the ODS extract again.")
    conn.execute("PRAGMA query_only = ON")
    conn.execute("PRAGMA cache_size = -100000")
    return Registry(p, conn, few_lookups)


def registry_change(path: str | os.PathLike[str], fingerprint: str) -> str | None:
    """How the registry at `path` differs from the one a run matched against (its `fingerprint`):
    None when it is the same, else a few words ("loaded again from a different extract")."""
    try:
        with open_registry(path, few_lookups=True) as reg:
            now = reg.fingerprint
    except RegistryError:
        return "no longer a registry ssid-tui can open" if Path(path).exists() else "no longer there"
    extract_then = fingerprint.partition("@")[0]  # (a run before this version stored the load's time after it)
    if not extract_then or now.partition("@")[0] == extract_then:
        return None
    return "loaded again since, from a different extract"
