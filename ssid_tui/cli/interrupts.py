"""Long commands stopped by Ctrl-C or SIGTERM: one exit code, one way to catch both."""

from __future__ import annotations

import contextlib
import signal
import threading
from collections.abc import Iterator

#: Exit code of a run stopped by Ctrl-C or SIGTERM (128 + SIGINT, as shells report it).
EXIT_INTERRUPTED = 130
#: Exit code of a run stopped because a worker process died (EX_TEMPFAIL: run it again; it goes on).
EXIT_WORKER_LOST = 75


@contextlib.contextmanager
def stop_on_sigterm() -> Iterator[None]:
    """Within the block, SIGTERM stops the run as Ctrl-C does (the default would skip every clean-up).

    Only the main thread may set a handler; elsewhere (a command run from a thread) nothing changes.
    """

    def interrupt(_signum: int, _frame: object) -> None:
        raise KeyboardInterrupt

    if threading.current_thread() is not threading.main_thread():
        yield
        return
    previous = signal.signal(signal.SIGTERM, interrupt)
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, previous)
