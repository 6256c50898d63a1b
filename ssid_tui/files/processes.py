"""Worker processes that never outlive their parent nor print on the clerk's terminal.

Shared by `match --jobs N` (chunks of the upload) and `ods load` (batches of extract lines).
Workers are spawned (nothing of the parent's open SQLite connections is inherited), leave
Ctrl-C to the parent, end as soon as the parent is gone (kill -9: the pool's pipes never
tell a worker so), and end without a traceback when the pipe to a killed parent breaks.
"""

from __future__ import annotations

import multiprocessing
import multiprocessing.context
import os
import signal
import sys
import threading
import time
from collections import deque
from collections.abc import Callable, Generator, Iterable, Iterator
from multiprocessing.pool import AsyncResult, Pool
from typing import Any, TypeVar

T = TypeVar("T")
P = TypeVar("P")

#: The parent process of this worker (0 in a parent), for `parent_gone`.
_parent = 0


def available_cores() -> int:
    """The cores this process may run on (a container's or taskset's limit, not the machine's)."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


def _end_with_parent(parent: int) -> None:
    """Exit as soon as the parent is gone (kill -9): the pool's pipes never tell a worker so."""
    while os.getppid() == parent:
        time.sleep(0.5)
    os._exit(1)


def start_worker() -> None:
    """What every worker does first. Ctrl-C is the parent's to handle: it stops the workers."""
    global _parent
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    _parent = os.getppid()
    threading.Thread(target=_end_with_parent, args=(_parent,), daemon=True).start()


def parent_gone() -> bool:
    """True in a worker whose parent was killed: sending a result then would print a broken
    pipe's traceback on the clerk's terminal before `_end_with_parent` sees it."""
    return bool(_parent) and os.getppid() != _parent


#: multiprocessing's resource tracker outlives a parent killed with kill -9, removes the pool's
#: semaphores and warns of "leaked semaphore objects" on the clerk's terminal: noise, since it
#: has just cleaned them up. It is started with this process's -W options, so one silences it.
_TRACKER_WARNING = "ignore::UserWarning:multiprocessing.resource_tracker"


def _quiet_resource_tracker() -> None:
    if _TRACKER_WARNING not in sys.warnoptions:
        sys.warnoptions.append(_TRACKER_WARNING)


class _WorkerProcess(multiprocessing.context.SpawnProcess):
    """A pool worker that ends without a word when the pipe to its parent breaks. The parent was killed
    (kill -9) while a result was on its way: `parent_gone` is asked just before, but the parent can die
    while the result is pickled and sent, and Python would print the broken pipe's traceback on the
    clerk's terminal. (A task's own errors never get here: the pool sends them back as results.)"""

    def run(self) -> None:
        try:
            super().run()
        except OSError:  # BrokenPipeError, ConnectionResetError: nobody is left to read the result
            os._exit(1)


class WorkerLost(RuntimeError):
    """A worker process died part way (killed by the system for lack of memory, or by kill -9)."""


class _Pool(Pool):
    """A pool of `_WorkerProcess`es that knows when one of them died."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._started = frozenset(p.pid for p in self._pool)  # type: ignore[attr-defined]

    @staticmethod
    def Process(ctx: Any, *args: Any, **kwds: Any) -> Any:  # noqa: N802 (Pool's own name)
        return _WorkerProcess(*args, **kwds)

    def lost_a_worker(self) -> bool:
        """Whether a worker has died. Pool starts another in its place, but the task the dead one
        held is never done: whoever waits for it would wait forever."""
        workers = list(self._pool)  # type: ignore[attr-defined]
        return any(p.exitcode is not None for p in workers) or frozenset(p.pid for p in workers) != self._started


def worker_pool(jobs: int, initializer: Callable[..., object] | None = None, initargs: tuple[Any, ...] = ()) -> Pool:
    """A pool of `jobs` spawned workers (spawn: nothing of the parent's open SQLite connections is
    inherited) that end quietly when their parent is killed.

    The workers are started with Ctrl-C ignored (an ignored signal stays ignored in a new
    program): a Ctrl-C while they start up reached them before `start_worker` could ignore it,
    and each printed its interrupted import's traceback on the clerk's terminal.
    """
    _quiet_resource_tracker()
    in_main = threading.current_thread() is threading.main_thread()
    before = signal.signal(signal.SIGINT, signal.SIG_IGN) if in_main else None
    try:
        return _Pool(jobs, initializer=initializer, initargs=initargs, context=multiprocessing.get_context("spawn"))
    finally:
        if in_main:
            signal.signal(signal.SIGINT, before)


def waited(result: AsyncResult[T], pool: Pool | None = None) -> T:
    """A worker's result once it is in, waited for in short waits, so that Ctrl-C is seen at once.

    Raises WorkerLost if a worker of `pool` died meanwhile: its task would never come back.
    """
    while not result.ready():
        result.wait(0.5)
        if not result.ready() and isinstance(pool, _Pool) and pool.lost_a_worker():
            raise WorkerLost("a worker process stopped part way (killed by the system, perhaps for lack of memory)")
    return result.get()


def _in_worker(work: Callable[[P], T], payload: P) -> T:
    done = work(payload)
    if parent_gone():
        os._exit(1)
    return done


def in_order(pool: Pool, func: Callable[..., T], payloads: Iterable[P], args: Callable[[P], tuple[Any, ...]],
             in_flight: int) -> Iterator[tuple[P, T]]:
    """Each payload with `func(*args(payload))` run by `pool`, in the order given, at most
    `in_flight` out at a time (a long input is never read ahead into memory)."""
    todo = iter(payloads)
    pending: deque[tuple[P, AsyncResult[T]]] = deque()

    def send_next() -> None:
        for payload in todo:  # at most one
            pending.append((payload, pool.apply_async(func, args(payload))))
            return

    for _ in range(in_flight):
        send_next()
    while pending:
        payload, result = pending.popleft()
        done = waited(result, pool)
        send_next()
        yield payload, done


def mapped_in_order(work: Callable[[P], T], payloads: Iterable[P], jobs: int,
                    in_flight: int = 2) -> Generator[T, None, None]:
    """`work(payload)` for each payload, in the order given, by `jobs` workers (here, with one job).

    `work` must be a module-level function (it is sent by name). At most `jobs x in_flight`
    payloads are out at a time. However the caller stops (done, an error, Ctrl-C, or dropping
    the iterator), the workers are stopped.
    """
    if jobs <= 1:
        for payload in payloads:
            yield work(payload)
        return
    pool = worker_pool(jobs, start_worker)
    try:
        for _payload, done in in_order(pool, _in_worker, payloads, lambda p: (work, p), jobs * in_flight):
            yield done
    finally:
        pool.terminate()  # they hold nothing to save: waiting for them to wind down took seconds
        pool.join()
