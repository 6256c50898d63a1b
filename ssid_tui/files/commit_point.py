"""Past the point where a command's work is in place, Ctrl-C no longer undoes anything: note it instead.

`ods load` renames the new registry over the old one, then puts its notes file beside it. A
Ctrl-C (or SIGTERM) from the rename on used to stop the command half way through the notes
and have it say that nothing was loaded, while the new registry was already in use.
"""

from __future__ import annotations

import signal
import threading
from types import FrameType
from typing import Any


class InterruptsHeld:
    """From `start()` to `stop()`, Ctrl-C and SIGTERM are noted (`noted`), not raised.

    Only the main thread can set signal handlers: elsewhere (a test's thread) nothing changes.
    """

    _SIGNALS = (signal.SIGINT, signal.SIGTERM)

    def __init__(self) -> None:
        self.noted = False
        self._before: dict[int, Any] = {}

    def _note(self, signum: int, frame: FrameType | None) -> None:
        self.noted = True

    def start(self) -> None:
        """Hold interrupts from now on."""
        if self._before or threading.current_thread() is not threading.main_thread():
            return
        for signum in self._SIGNALS:
            self._before[signum] = signal.signal(signum, self._note)

    def stop(self) -> None:
        """Let interrupts through again (the handlers from before `start`)."""
        for signum, handler in self._before.items():
            signal.signal(signum, handler)
        self._before.clear()

    def __enter__(self) -> InterruptsHeld:
        """Nothing held yet: `start()` marks the commit point inside the block."""
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()
