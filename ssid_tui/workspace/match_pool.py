"""The workers of `ssid-tui match --jobs N`: chunks of the upload worked on in parallel, in upload order.

Each worker is a fresh process (spawn: nothing of the parent's open SQLite connections is
inherited) that opens the registry read-only and works on whole chunks with its own Matcher.
One pool serves a whole run: first the learning pass (blocking the learning sample and
counting its level patterns), then, with the weights learned in between, the matching.
Chunks go out a few at a time and come back in upload order, so the parent streams them into
the workspace without holding the run's results. With one job (or one chunk) the chunks are
worked on in this process: no pool. A chunk's rows depend on its records, the registry and
the learned weights only, so the workspace is the same for any number of jobs.
"""

from __future__ import annotations

import contextlib
import functools
import os
import pickle
from collections.abc import Callable, Generator, Iterable, Iterator
from dataclasses import dataclass, field
from multiprocessing.pool import AsyncResult, Pool
from typing import Any, TypeVar

from ssid_tui.files import processes
from ssid_tui.files.processes import in_order, waited, worker_pool
from ssid_tui.formats.senr import SenrRecord
from ssid_tui.matching.learning import Learned, Pattern
from ssid_tui.matching.matcher import Gathered, Matcher, Settings, Submitted
from ssid_tui.matching.registry import Registry, open_registry
from ssid_tui.workspace.match_resume import pack_rows
from ssid_tui.workspace.match_rows import result_row, senr_values
from ssid_tui.workspace.store import explanation_json

#: Students per chunk: big enough that sending a chunk costs nothing next to matching it,
#: small enough for a smooth progress bar and little work lost to an interruption.
CHUNK_SIZE = 100
#: Chunks in flight per worker: one being matched, one waiting, so no worker idles.
_IN_FLIGHT = 2
#: Bytes of the registry file a matching connection reads through a memory map instead of read
#: calls: blocking reads thousands of pages per chunk, and copying each into SQLite's page cache
#: cost a third of blocking's CPU at 1M. The map holds the file's own pages (shared by the
#: workers, dropped by the kernel when memory is short), but they count in each process's RSS:
#: bounded here. The registry is never rewritten in place (`ods load` renames a new file over
#: it), so the map cannot be cut short under a worker.
REGISTRY_MAP_BYTES = 256 * 1024 * 1024

ResultRow = dict[str, Any]
T = TypeVar("T")


class Carried:
    """What blocking found for one student of the learning sample, carried on to its matching.

    Between processes it travels as the pickle the worker that blocked the student made:
    the parent holds it and sends it on unread (unpickling and pickling 2,000 students'
    name records again would cost the parent about half a second at 1M).
    """

    __slots__ = ("_blob", "_gathered")

    def __init__(self, gathered: Gathered | None = None, blob: bytes | None = None) -> None:
        self._gathered, self._blob = gathered, blob

    def __reduce__(self) -> tuple[type[Carried], tuple[None, bytes]]:
        if self._blob is None:
            self._blob = pickle.dumps(self._gathered, protocol=pickle.HIGHEST_PROTOCOL)
        return Carried, (None, self._blob)

    @property
    def gathered(self) -> Gathered:
        """The name records and demographics blocking found (unpickled when first read)."""
        if self._gathered is None:
            assert self._blob is not None  # one of the two is always set
            self._gathered = pickle.loads(self._blob)  # noqa: S301 (made by this run's own worker)
        return self._gathered


@dataclass(frozen=True)
class Chunk:
    """Consecutive records of the upload; `first_seq` is the first one's place in it (from 1).

    `gathered` holds, by place in the upload, what blocking found earlier for some of its
    students (the run's learning sample): they are scored, not blocked again.
    """

    index: int
    first_seq: int
    records: list[SenrRecord]
    gathered: dict[int, Carried] = field(default_factory=dict)


def chunks_of(records: list[SenrRecord], size: int = CHUNK_SIZE,
              gathered: dict[int, Carried] | None = None) -> Iterator[Chunk]:
    """The upload cut into chunks of `size` records, in order, each with its students' `gathered` (by place)."""
    gathered = gathered or {}
    for index, start in enumerate(range(0, len(records), size)):
        seqs = range(start + 1, min(start + size, len(records)) + 1)
        yield Chunk(index, start + 1, records[start : start + size], {s: gathered[s] for s in seqs if s in gathered})


def match_chunk(matcher: Matcher, chunk: Chunk) -> list[ResultRow]:
    """The workspace rows of one chunk's students (as `Workspace.store_results` takes them)."""
    rows = []
    for seq, rec in enumerate(chunk.records, start=chunk.first_seq):
        values = senr_values(rec)
        carried = chunk.gathered.get(seq)
        result = matcher.match(Submitted.from_fields(values), carried.gathered if carried else None)
        rows.append(result_row(seq, rec, values, result))
    return rows


def gather_chunk(matcher: Matcher, chunk: Chunk) -> list[tuple[Carried, list[Pattern]]]:
    """What blocking finds for each student of a chunk, with the level patterns learning counts."""
    out = []
    for rec in chunk.records:
        sub = Submitted.from_fields(senr_values(rec))
        gathered = matcher.gather(sub)
        out.append((Carried(gathered), matcher.candidate_patterns(sub, gathered)))
    return out


@dataclass(frozen=True)
class MatcherSpec:
    """What a worker needs to build the parent's Matcher: the registry file, the settings and
    the weights the run learned, so the workers score as the parent would. Picklable and small.
    """

    registry_path: str
    settings: Settings
    learned: Learned | None = None

    @classmethod
    def of(cls, matcher: Matcher) -> MatcherSpec:
        """The spec of the parent's matcher."""
        return cls(str(matcher.registry.path), matcher.settings, matcher.learned)

    def build(self) -> Matcher:
        """The matcher, on a read-only connection of this process's own."""
        return Matcher(for_matching(open_registry(self.registry_path)), self.settings, self.learned)


def for_matching(registry: Registry) -> Registry:
    """`registry`, its connection set to read through a memory map of REGISTRY_MAP_BYTES (a run's many lookups)."""
    registry.conn.execute(f"PRAGMA mmap_size = {REGISTRY_MAP_BYTES}")
    return registry


#: Work done on one chunk: a module-level function (workers find it by name).
ChunkWork = Callable[[Matcher, Chunk], T]
P = TypeVar("P")

# -- in a worker process --------------------------------------------------------------

_worker_matcher: Matcher | None = None
_worker_problem: BaseException | None = None
#: The matcher with the weights the parent learned (tagged by `Workers`), built from `_worker_matcher`.
_worker_learned: tuple[int, Matcher] | None = None


def _start_worker(spec: MatcherSpec) -> None:
    """Open the registry in a new worker (`processes.start_worker` first: Ctrl-C is the parent's)."""
    global _worker_matcher, _worker_problem
    processes.start_worker()
    try:
        _worker_matcher = spec.build()
    except Exception as exc:  # raised with the first chunk: a failing initializer would respawn forever
        _worker_problem = exc


def _matcher_in_worker(tag: int, learned: Learned | None) -> Matcher:
    """The worker's matcher, or one with the parent's learned weights (built once per `tag`)."""
    global _worker_learned
    if _worker_matcher is None:
        raise _worker_problem or RuntimeError("worker not started")
    if learned is None:
        return _worker_matcher
    if _worker_learned is None or _worker_learned[0] != tag:
        _worker_learned = tag, _worker_matcher.with_learned(learned)
    return _worker_learned[1]


def _work_in_worker(work: Callable[[Matcher, P], T], tag: int, learned: Learned | None, payload: P) -> T:
    done = work(_matcher_in_worker(tag, learned), payload)
    if processes.parent_gone():
        os._exit(1)  # the parent was killed while this chunk was matched: nobody to send it to
    return done


# -- in the parent --------------------------------------------------------------------


class Workers:
    """A run's worker processes (or none, with one job), for one pass over chunks after another."""

    def __init__(self, matcher: Matcher, jobs: int) -> None:
        self.matcher, self.jobs = matcher, jobs
        self._pool: Pool | None = None
        #: The learned weights sent so far, by tag (kept so that their ids stay theirs).
        self._learned: list[Learned] = []

    def _started(self) -> Pool:
        if self._pool is None:
            self._pool = worker_pool(self.jobs, _start_worker, (MatcherSpec.of(self.matcher),))
        return self._pool

    def _tag(self, learned: Learned | None) -> int:
        if learned is None:
            return -1
        for tag, seen in enumerate(self._learned):
            if seen is learned:
                return tag
        self._learned.append(learned)
        return len(self._learned) - 1

    def map(self, chunks: Iterable[Chunk], work: ChunkWork[T],
            matcher: Matcher | None = None) -> Generator[tuple[Chunk, T], None, None]:
        """Each chunk with `work(matcher, chunk)`, in the order given.

        `matcher` is the pool's own or one with weights learned from it (`Matcher.learned_from_groups`):
        workers build theirs from the registry they opened and its `learned`.
        """
        matcher = matcher or self.matcher
        if self.jobs <= 1:
            for chunk in chunks:
                yield chunk, work(matcher, chunk)
            return
        learned = matcher.learned
        tag = self._tag(learned)
        yield from in_order(self._started(), _work_in_worker, chunks, lambda chunk: (work, tag, learned, chunk),
                            self.jobs * _IN_FLIGHT)

    def submit(self, work: Callable[[Matcher, P], T], payload: P, matcher: Matcher | None = None) -> Callable[[], T]:
        """Have a worker do `work(matcher, payload)` beside the chunks; the call returned waits for it.

        With one job the work is done here, when its result is first asked for.
        """
        matcher = matcher or self.matcher
        if self.jobs <= 1:
            return functools.partial(work, matcher, payload)
        pool = self._started()
        result: AsyncResult[T] = pool.apply_async(
            _work_in_worker, (work, self._tag(matcher.learned), matcher.learned, payload))

        return functools.partial(waited, result, pool)

    def close(self) -> None:
        """Stop the workers at once: they hold nothing to save (waiting for them to wind down took seconds)."""
        if self._pool is not None:
            self._pool.terminate()
            self._pool.join()
            self._pool = None


@contextlib.contextmanager
def workers(matcher: Matcher, jobs: int) -> Iterator[Workers]:
    """`jobs` worker processes building their matchers like `matcher`, started when first needed.

    However the block ends (done, an error, Ctrl-C), the workers are stopped.
    """
    pool = Workers(matcher, jobs)
    try:
        yield pool
    finally:
        pool.close()


def packed_chunk(matcher: Matcher, chunk: Chunk) -> bytes:
    """`match_chunk`'s rows packed for the resume file (`pack_rows`), the explanations as the workspace's JSON text.

    The worker encodes and compresses, so the parent only keeps and stores (`match_chunk` is
    looked up at call time, so a test can slow it down).
    """
    rows = match_chunk(matcher, chunk)
    for row in rows:
        for cand in row["candidates"]:
            cand["explanation"] = explanation_json(cand["explanation"])
    return pack_rows(rows)


def gather_chunk_by_name(matcher: Matcher, chunk: Chunk) -> list[tuple[Carried, list[Pattern]]]:
    """`gather_chunk`, looked up at call time."""
    return gather_chunk(matcher, chunk)
