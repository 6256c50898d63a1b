"""A matching run: validate an SENR file, match every record, store it all in a workspace.

This is the whole of `ssid-tui match` without the terminal: the CLI and the demo call it
with a progress callback.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import os
import sqlite3
import time
from collections import Counter
from collections.abc import Callable, Generator, Iterable, Iterator
from dataclasses import dataclass, field
from enum import StrEnum
from pathlib import Path
from typing import Any

from ssid_tui.files.inputs import is_damage, is_empty_file, sqlite_cut_short, sqlite_intact
from ssid_tui.files.leftovers import remove_stale_temporaries, temporary_beside
from ssid_tui.files.lock import WorkspaceLock, acquire, busy
from ssid_tui.files.processes import WorkerLost
from ssid_tui.files.safe import is_disk_full, replace_into
from ssid_tui.files.targets import Kind, TargetRefused, check_target, kind_of
from ssid_tui.files.written import file_sha256
from ssid_tui.formats.senr import SenrLayout, SenrRecord, iter_records, open_senr
from ssid_tui.matching.learning import Pattern
from ssid_tui.matching.matcher import CONFIDENT_SCORE, Matcher, Settings
from ssid_tui.matching.registry import Registry, RegistryError, damaged, open_registry
from ssid_tui.validation.rules import ValidationReport, validate_records
from ssid_tui.wording import plural
from ssid_tui.workspace import match_pool, queue_cache, registry_duplicates
from ssid_tui.workspace.match_pool import (
    Carried,
    Workers,
    chunks_of,
    gather_chunk_by_name,
    packed_chunk,
)
from ssid_tui.workspace.match_resume import (
    NotResumeFile,
    ResumeFile,
    kept_learning,
    resume_file,
    run_key,
    unpack_rows,
)
from ssid_tui.workspace.match_rows import candidate_record as candidate_record
from ssid_tui.workspace.match_rows import result_row as result_row
from ssid_tui.workspace.match_rows import senr_values
from ssid_tui.workspace.match_twins import UploadTwins
from ssid_tui.workspace.store import Workspace, WorkspaceError, create_workspace, open_workspace
from ssid_tui.workspace.store_problems import cut_short_message, damaged_message

Progress = Callable[[int, int], None]


class Stage(StrEnum):
    """What a run does before it matches, reported with its own count to a `StageProgress`."""

    VALIDATING = "validating"
    LEARNING = "learning"


#: `stage(Stage.LEARNING, done, total)`: how far a stage before matching has come (matching goes to `progress`).
StageProgress = Callable[[Stage, int, int], None]
#: Records validated between two reports of the validating stage.
VALIDATE_EVERY = 1000


@dataclass
class RunSummary:
    """What a matching run did, for the closing summary."""

    workspace: Path
    students: int
    categories: Counter[str] = field(default_factory=Counter)
    top_90: int = 0  # students whose top candidate scored CONFIDENT_SCORE or more
    seconds: float = 0.0
    kept_decisions: int = 0
    cleared_decisions: int = 0
    removed_students: int = 0
    #: Students whose record looks like another local ID's in the same upload (the same child twice).
    upload_duplicates: int = 0
    #: Students with two candidate SSIDs that look like one child (a possible duplicate in the registry).
    registry_duplicates: int = 0
    #: Local IDs whose chosen SSID is no longer a candidate: their decisions were cleared.
    dropped_choices: list[str] = field(default_factory=list)
    journal_note: str | None = None
    #: Said when the registry was loaded by an earlier version and lacks indexes some blocking passes need.
    registry_note: str | None = None
    #: Students taken from an interrupted run's resume file (matched then, not in `seconds`).
    resumed: int = 0

    def as_dict(self) -> dict[str, Any]:
        """For the run record in the workspace."""
        return {"students": self.students, "categories": dict(self.categories), "top_90": self.top_90,
                "seconds": round(self.seconds, 2), "kept_decisions": self.kept_decisions,
                "cleared_decisions": self.cleared_decisions, "removed_students": self.removed_students,
                "upload_duplicates": self.upload_duplicates, "registry_duplicates": self.registry_duplicates,
                "dropped_choices": self.dropped_choices}


class InvalidSenr(Exception):
    """The SENR file has validation errors: nothing was matched."""

    def __init__(self, report: ValidationReport) -> None:
        super().__init__(f"{len(report.errors)} validation errors")
        self.report = report


def layout_record(layout: SenrLayout, first_raw: str) -> dict[str, Any]:
    """How the SENR file was laid out, kept so that exports can write it back the same way."""
    newline = next((e for e in ("\r\n", "\n", "\r") if first_raw.endswith(e)), "")
    return {"encoding": layout.encoding, "bom": layout.bom, "delimiter": layout.delimiter,
            "header": layout.header, "columns": list(layout.columns) if layout.columns else None,
            "newline": newline, "shape": layout.shape}


def lock_for_match(workspace_path: Path) -> WorkspaceLock:
    """Take the workspace's lock for a run, or raise WorkspaceError naming who has it open."""
    folder = workspace_path.resolve().parent
    if not folder.is_dir():
        raise WorkspaceError(f"the folder {folder} does not exist: create it or choose another --workspace.")
    try:
        lock = acquire(workspace_path, purpose="match")
    except OSError as exc:
        if is_disk_full(exc):
            raise WorkspaceError(f"the disk holding {folder} is full: nothing was matched; free some space "
                                 "and match again.") from None
        intact = " (the workspace there is intact)" if workspace_path.exists() else ""
        raise WorkspaceError(f"the folder {folder} is read-only for you, so nothing can be matched into it"
                             f"{intact}: choose another --workspace path.") from None
    if lock is None:
        raise WorkspaceError(f"{workspace_path} is {busy(workspace_path)}, then match again (nothing was changed).")
    return lock


def match_file(
    senr_path: str | os.PathLike[str], registry_path: str | os.PathLike[str],
    workspace_path: str | os.PathLike[str], settings: Settings | None = None,
    progress: Progress | None = None, today: dt.date | None = None, *, replace_upload: bool = False,
    jobs: int = 1, on_resume: Progress | None = None, chunk_size: int | None = None,
    on_stale_resume: Callable[[int], None] | None = None, stage: StageProgress | None = None,
) -> RunSummary:
    """Validate `senr_path`; if clean, match it against the registry into the workspace.

    Raises InvalidSenr (nothing written) when the file has errors, SenrReadError when it
    cannot be read, RegistryError / WorkspaceError when those files are not usable or the
    workspace is open in the review app, MatchInterrupted on Ctrl-C or SIGTERM (made a
    KeyboardInterrupt by the caller). The run is stored all or nothing: a new workspace
    is built beside the target and renamed into place; an existing one is updated in one
    transaction. Killed part way, the workspace is as it was, and the chunks matched so far
    are kept for the next run of the same file (`on_resume(kept, total)` says so; the
    students kept for another file, registry or settings are dropped and
    `on_stale_resume(dropped)` says so). `jobs`
    worker processes match chunks of `chunk_size` students (default match_pool.CHUNK_SIZE).
    A workspace whose reviewed students are mostly not in this file is refused unless
    `replace_upload` (a mistyped --workspace would otherwise retire a whole review).
    `stage` hears how far validating and learning have come, `progress` how far matching has.
    """
    started = time.perf_counter()
    settings = settings or Settings()
    senr_path, workspace_path = Path(senr_path), Path(workspace_path)
    try:
        _refuse_damaged_workspace(workspace_path)
        check_target(workspace_path, Kind.WORKSPACE, [senr_path, registry_path])
    except TargetRefused as exc:
        raise WorkspaceError(str(exc)) from exc  # the cause: the CLI names the option the path came from
    run = _RunState(workspace_path, jobs=max(1, jobs), chunk_size=chunk_size or match_pool.CHUNK_SIZE,
                    progress=progress, on_resume=on_resume, on_stale_resume=on_stale_resume, stage=stage)
    try:
        layout = open_senr(senr_path)
        records = list(iter_records(layout))
        report = validate_records(_reported(records, stage), layout, today)
        if not report.ok:
            raise InvalidSenr(report)
        with open_registry(registry_path) as registry, lock_for_match(workspace_path):
            if not replace_upload and workspace_path.exists() and not is_empty_file(workspace_path):
                check_same_upload(workspace_path, records, senr_path)
            return _match_into(records, layout, senr_path, registry, settings, run, started)
    except KeyboardInterrupt:
        raise MatchInterrupted(workspace_path, run.matched, run.total) from None
    except WorkerLost:
        raise MatchInterrupted(workspace_path, run.matched, run.total, worker_lost=True) from None
    except sqlite3.DatabaseError as exc:
        if not is_damage(exc):
            raise
        raise _damaged(Path(registry_path), workspace_path) from None


def _damaged(registry_path: Path, workspace_path: Path) -> RegistryError | WorkspaceError:
    """Which file a run found damaged part way: the workspace if its own check fails, else the registry."""
    if workspace_path.exists() and not is_empty_file(workspace_path) and not sqlite_intact(workspace_path):
        return WorkspaceError(damaged_message(workspace_path))
    return damaged(registry_path, f"nothing was written to {workspace_path.name}; ")


def _refuse_damaged_workspace(workspace_path: Path) -> None:
    """A damaged workspace is named before the run, not after minutes of matching (and nothing kept)."""
    if not workspace_path.is_file() or is_empty_file(workspace_path):
        return
    if sqlite_cut_short(workspace_path):
        raise WorkspaceError(cut_short_message(workspace_path))
    # an SQLite file that cannot be read whole (ours, or unreadable enough to be told by no table): it is
    # refused either way; say why, not "not ours". A registry here is refused as one, unread.
    if kind_of(workspace_path) in (Kind.WORKSPACE, Kind.SQLITE) and not sqlite_intact(workspace_path):
        raise WorkspaceError(damaged_message(workspace_path))


def _reported(records: list[SenrRecord], stage: StageProgress | None) -> Iterator[SenrRecord]:
    """The records, telling `stage` every VALIDATE_EVERY of them that they are validated."""
    if stage is None:
        yield from records
        return
    stage(Stage.VALIDATING, 0, len(records))
    for done, rec in enumerate(records, start=1):
        yield rec
        if done % VALIDATE_EVERY == 0 or done == len(records):
            stage(Stage.VALIDATING, done, len(records))


def check_same_upload(workspace_path: Path, records: list[SenrRecord], senr_path: Path) -> None:
    """Refuse to match a file into a workspace whose reviewed students are mostly not in it.

    Matching again keeps the work of every student still in the file; a student no longer
    there keeps their decision in the history only. When more than half of the reviewed
    students are missing, the file is almost surely another upload (spring into fall's
    workspace), so nothing is matched.
    """
    with open_workspace(workspace_path, readonly=True) as ws:
        try:
            reviewed = [row[0] for row in ws.conn.execute(
                "SELECT local_id FROM student WHERE id IN (SELECT student_id FROM decision) "
                "OR id IN (SELECT student_id FROM annotation WHERE note != '' OR follow_up != 0)")]
        except sqlite3.OperationalError:  # a workspace from before notes: decisions only
            reviewed = [row[0] for row in ws.conn.execute(
                "SELECT local_id FROM student WHERE id IN (SELECT student_id FROM decision)")]
    if not reviewed:
        return
    local_ids = {senr_values(rec).get("local_id", "") for rec in records}
    missing = sum(1 for local_id in reviewed if local_id not in local_ids)
    if missing * 2 > len(reviewed):
        raise WorkspaceError(
            f"{workspace_path.name} holds the review of another upload: {missing:,} of the "
            f"{plural(len(reviewed), 'student')} reviewed there {'is' if missing == 1 else 'are'} not in "
            f"{senr_path.name}. Nothing was matched; choose another --workspace, "
            "or give --replace-upload to match this file into it anyway (their decisions stay in the history).")


@dataclass
class _RunState:
    """How far a run got (for the interruption message) and how it reports progress."""

    workspace: Path
    jobs: int
    chunk_size: int
    progress: Progress | None
    on_resume: Progress | None
    on_stale_resume: Callable[[int], None] | None = None
    stage: StageProgress | None = None
    total: int = 0
    #: Students matched and kept in the resume file, this run or an interrupted one before it.
    matched: int = 0


#: Most students whose candidate pairs a run learns its weights from (what blocking found for them
#: goes on to their matching: they are not blocked twice).
LEARN_STUDENTS = 2000
#: Students per chunk of the learning pass (small, so that no worker idles long while the other ends the pass).
LEARN_CHUNK = 50


class MatchInterrupted(Exception):
    """Ctrl-C or SIGTERM stopped the run (or a worker process died: `worker_lost`): the workspace is as
    it was; `matched` students are kept."""

    def __init__(self, workspace: Path, matched: int, total: int, worker_lost: bool = False) -> None:
        super().__init__(f"interrupted after {matched} of {total}")
        self.workspace, self.matched, self.total = workspace, matched, total
        self.worker_lost = worker_lost


def _match_into(records: list[SenrRecord], layout: SenrLayout, senr_path: Path, registry: Registry,
                settings: Settings, run: _RunState, started: float) -> RunSummary:
    # more workers than chunks would idle; one job works in this process
    jobs = min(run.jobs, -(-len(records) // run.chunk_size))
    with match_pool.workers(Matcher(match_pool.for_matching(registry), settings), jobs) as pool:
        return _match_with(pool, records, layout, senr_path, registry, settings, run, started)


def _match_with(pool: Workers, records: list[SenrRecord], layout: SenrLayout, senr_path: Path, registry: Registry,
                settings: Settings, run: _RunState, started: float) -> RunSummary:
    workspace_path = run.workspace
    senr_sha256 = file_sha256(senr_path)
    learning_key = run_key(senr=senr_sha256, registry=registry.fingerprint, settings=settings.as_dict(),
                           chunk_size=run.chunk_size, learn_students=LEARN_STUDENTS)
    learned = kept_learning(workspace_path, learning_key)
    gathered: dict[int, Carried]
    if learned is not None:  # resuming: the interrupted run learned these very weights
        matcher, gathered = pool.matcher.with_learned(learned), {}
    else:
        matcher, gathered = learned_matcher(pool, records, run.stage)
    summary = RunSummary(workspace=workspace_path, students=len(records), registry_note=left_out_note(matcher))
    run.total = len(records)
    run_fields = {
        "senr_path": senr_path.resolve(), "senr_sha256": senr_sha256,
        "senr_layout": layout_record(layout, records[0].raw), "registry_path": registry.path.resolve(),
        "registry_fingerprint": registry.fingerprint,
        "settings": {**settings.as_dict(), "weights": matcher.weights()},
    }
    key = run_key(senr=run_fields["senr_sha256"], registry=registry.fingerprint, settings=run_fields["settings"],
                  chunk_size=run.chunk_size)

    upload_twins = UploadTwins(pool, records, matcher)  # searched a step between chunks, scored by the workers

    def twins() -> list[tuple[str, str, int]]:
        found = upload_twins.result()
        pool.close()  # every chunk is in: the workers' memory is not needed for storing
        return found

    try:
        look_alikes: list[tuple[str, str, str]] = []  # filled as the rows go by
        with resume_file(workspace_path, key) as kept:
            if matcher.learned is not None:
                kept.keep_learning(learning_key, matcher.learned)
            with contextlib.closing(_rows_of_run(pool, records, matcher, gathered, kept, run, summary,
                                                 look_alikes, upload_twins.step)) as rows:
                if workspace_path.exists() and not is_empty_file(workspace_path):
                    with open_workspace(workspace_path) as ws:
                        _store_run(ws, run_fields, rows, twins, summary, started, look_alikes)
                else:
                    _build_new(workspace_path, run_fields, rows, twins, summary, started, look_alikes)
            kept.remove()
    except NotResumeFile as exc:
        raise WorkspaceError(str(exc)) from None
    except sqlite3.Error as exc:
        folder = workspace_path.resolve().parent
        if is_disk_full(exc):
            raise WorkspaceError(f"the disk holding {folder} is full: nothing was matched and {workspace_path.name} "
                                 "is as it was; free some space and match again.") from None
        raise
    except OSError as exc:
        if is_disk_full(exc):
            raise WorkspaceError(f"the disk holding {workspace_path.resolve().parent} is full: nothing was matched "
                                 f"and {workspace_path.name} is as it was; free some space and match again.") from None
        raise
    return summary


def left_out_note(matcher: Matcher) -> str | None:
    """What a registry loaded by an earlier version costs the run: the blocking passes it has no index for."""
    left_out = matcher.passes_left_out
    if not left_out:
        return None
    return (f"{matcher.registry.path.name} was loaded by an earlier ssid-tui and lacks the indexes of "
            f"{plural(len(left_out), 'blocking pass', 'blocking passes')} ({', '.join(left_out)}), so a few "
            "records with two errors at once may not be found; load the ODS extract again with `ssid-tui ods "
            "load` to use them.")


def learned_matcher(pool: Workers, records: list[SenrRecord],
                    stage: StageProgress | None = None) -> tuple[Matcher, dict[int, Carried]]:
    """A matcher with weights learned (EM) from the candidate pairs of up to LEARN_STUDENTS students,
    and what blocking found for those students, by place in the upload (from 1).

    The students are spread evenly over the upload and blocked by the run's workers (`pool`),
    which send back each one's level patterns and gathered name records; only EM runs here.
    The learned weights go with every chunk to the workers, so a chunk's rows still depend on
    its records and the run only. `stage` hears how many of the sample are blocked.
    """
    step = max(1, len(records) // LEARN_STUDENTS)
    picked = list(range(0, len(records), step))[:LEARN_STUDENTS]
    chunks = list(chunks_of([records[i] for i in picked], LEARN_CHUNK))
    gathered: dict[int, Carried] = {}
    groups: list[list[Pattern]] = []
    if stage:
        stage(Stage.LEARNING, 0, len(picked))
    for chunk, found in pool.map(chunks, gather_chunk_by_name):
        for place, (blocked, patterns) in zip(picked[chunk.first_seq - 1:], found):
            gathered[place + 1] = blocked
            groups.append(patterns)
        if stage:
            stage(Stage.LEARNING, len(groups), len(picked))
    return pool.matcher.learned_from_groups(groups, len(picked)), gathered


def _rows_of_run(pool: Workers, records: list[SenrRecord], matcher: Matcher, gathered: dict[int, Carried],
                 kept: ResumeFile, run: _RunState, summary: RunSummary, look_alikes: list[tuple[str, str, str]],
                 between_chunks: Callable[[], None]) -> Generator[dict[str, Any], None, None]:
    """Every student's row in upload order: kept chunks from the resume file, the others matched now
    (with what the learning pass found for its students, `gathered` by place).

    Counts the categories into `summary` and adds each student's look-alike candidate SSIDs
    (local ID, SSID, other SSID) to `look_alikes`; calls `between_chunks` after each chunk.

    Each newly matched chunk is kept before its rows go on, so an interruption loses at most
    the chunks in flight.
    """
    if kept.discarded and run.on_stale_resume:
        run.on_stale_resume(kept.discarded)
    done = kept.kept()
    run.matched = summary.resumed = sum(done.values())
    if run.matched and run.on_resume:
        run.on_resume(run.matched, run.total)
    todo = [c for c in chunks_of(records, run.chunk_size, gathered) if c.index not in done]
    fresh = pool.map(todo, packed_chunk, matcher)
    fresh_started = False
    with contextlib.closing(fresh):
        for chunk in chunks_of(records, run.chunk_size):
            if chunk.index in done:
                rows = kept.rows(chunk.index)
            else:
                if run.progress and not fresh_started:
                    # the pace starts here: validation and the kept chunks' replay are behind us
                    run.progress(run.matched, run.total)
                fresh_started = True
                matched_chunk, packed = next(fresh)
                assert matched_chunk.index == chunk.index  # the pool keeps the order
                kept.keep_packed(chunk.index, len(chunk.records), packed)
                rows = unpack_rows(packed)
                run.matched += len(rows)
                if run.progress:
                    run.progress(run.matched, run.total)
            between_chunks()
            for row in rows:
                summary.categories[row["category"]] += 1
                if row["candidates"] and row["candidates"][0]["score"] >= CONFIDENT_SCORE:
                    summary.top_90 += 1
                look_alikes.extend((row["local_id"], a, b) for a, b in row["look_alikes"])
                yield row


def _build_new(workspace_path: Path, run_fields: dict[str, Any], rows: Iterable[dict[str, Any]],
               twins: Callable[[], list[tuple[str, str, int]]], summary: RunSummary, started: float,
               look_alikes: list[tuple[str, str, str]]) -> None:
    """A new workspace: built in a hidden file beside the target, renamed into place when complete."""
    remove_stale_temporaries(workspace_path.resolve().parent)
    tmp = temporary_beside(workspace_path, "matching")
    try:
        with create_workspace(tmp) as ws:
            _store_run(ws, run_fields, rows, twins, summary, started, look_alikes)
        replace_into(tmp, workspace_path, writes=Kind.WORKSPACE)
    except BaseException:
        for leftover in (tmp, Path(f"{tmp}-wal"), Path(f"{tmp}-shm")):
            leftover.unlink(missing_ok=True)
        raise
    summary.workspace = workspace_path


def _store_run(ws: Workspace, run_fields: dict[str, Any], rows: Iterable[dict[str, Any]],
               twins: Callable[[], list[tuple[str, str, int]]], summary: RunSummary, started: float,
               look_alikes: list[tuple[str, str, str]]) -> None:
    """Store the run, its students (streamed in as they are matched) and candidates, and its summary
    in one transaction."""
    # when the command began (validation and learning included), not when storing began
    began = dt.datetime.now().astimezone() - dt.timedelta(seconds=time.perf_counter() - started)
    with ws.transaction():
        run_id = ws.begin_run(**run_fields, started_at=began.isoformat(timespec="seconds"))
        stats = ws.store_results(run_id, rows)
        summary.kept_decisions, summary.cleared_decisions = stats["kept"], stats["cleared"]
        summary.removed_students = stats["removed"]
        summary.upload_duplicates = ws.store_upload_duplicates(twins())
        summary.registry_duplicates = registry_duplicates.store(ws, look_alikes)
        summary.dropped_choices = list(stats["dropped_ids"])
        summary.seconds = time.perf_counter() - started
        summary.journal_note = ws.journal_note
        ws.finish_run(run_id, dt.datetime.now().astimezone().isoformat(timespec="seconds"), summary.as_dict())
        queue_cache.fill(ws)  # the first review start reads no student
