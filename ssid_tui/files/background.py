"""One piece of work run in a thread while this thread waits on C code (SQLite) that releases the GIL."""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Generic, TypeVar

T = TypeVar("T")


class Background(Generic[T]):
    """`work()` started in a daemon thread; `result()` waits for it and returns it or raises its error.

    Daemon: a Ctrl-C in the caller ends the program at once instead of waiting for the work.
    The work must not touch anything the caller is using meanwhile (e.g. its SQLite connection).
    """

    def __init__(self, work: Callable[[], T]) -> None:
        self._work = work
        self._value: T | None = None
        self._error: BaseException | None = None
        self._thread = threading.Thread(target=self._run, daemon=True, name="ssid-tui background")
        self._thread.start()

    def _run(self) -> None:
        try:
            self._value = self._work()
        except BaseException as exc:  # handed to the caller in result()
            self._error = exc

    def result(self) -> T:
        """The work's value once it is done; its exception if it raised one."""
        while self._thread.is_alive():
            self._thread.join(0.5)  # short waits: a Ctrl-C is seen at once
        if self._error is not None:
            raise self._error
        return self._value  # type: ignore[return-value]
