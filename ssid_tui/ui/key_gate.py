"""Key presses handed to the screens one at a time, each after the one before is done.

Textual routes a key to whatever has focus at the moment the app takes the key from its
queue, not when the key before it has been handled. A clerk over SSH (or a script) types
ahead: `/nguyen` Enter Enter `q` arrives in one read, and the app would route the keys
after `/` before the search box had focus, or route `q` into the search box before the
Enter that closes it was handled (the app then hung, waiting for a quit that was typed
into the box). A key after `b`, `m` or `n` would likewise reach the review screen before
its dialog was up.

So the app lets one key through at a time: the next key is routed only once the one
before has gone through every widget it bubbles through (and its binding ran), and once a
screen that key pushed is mounted and has focus. Keys then reach what the clerk would have
seen on screen when typing them, at any speed. A key that is not reported done within
`STUCK_AFTER` seconds (a widget removed while handling it) lets the next one through.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections import deque
from typing import TYPE_CHECKING

from textual import events
from textual.message_pump import MessagePump

if TYPE_CHECKING:
    from textual.app import App

#: Seconds to wait for a key to be reported done before routing the next one anyway.
STUCK_AFTER = 5.0


class KeyGate:
    """Holds the app's key presses and lets them through one at a time."""

    def __init__(self, app: App[object]) -> None:
        self.app = app
        self._waiting: deque[events.Key] = deque()
        self._released: events.Key | None = None  # let through, not yet routed by the app
        self._current: events.Key | None = None  # routed, not yet done
        self._target: MessagePump | None = None  # where the app routed the current key
        self._routed = asyncio.Event()
        self._done = asyncio.Event()
        self._task: asyncio.Task[None] | None = None

    def admit(self, key: events.Key) -> bool:
        """True: the app routes `key` now. False: it is held and posted again when its turn comes."""
        if key is self._released:
            self._released = None
            return True
        self._waiting.append(key)
        if self._task is None or self._task.done():
            self._task = asyncio.create_task(self._let_through(), name="key-gate")
        return False

    @property
    def busy(self) -> bool:
        """True while a key is held or being handled (a benchmark waits for this before it stops the clock)."""
        return bool(self._waiting) or (self._task is not None and not self._task.done())

    def routed(self, key: events.Key, target: MessagePump | None) -> None:
        """The app has handed `key` to `target` (None: the app handled it itself, e.g. ctrl+c)."""
        if key is self._current:
            self._target = target
            self._routed.set()
            if target is None:
                self._done.set()

    def finished(self, key: events.Key) -> None:
        """`key` came back to the app and its binding (if any) ran: it is done."""
        if key is self._current:
            self._done.set()

    def close(self) -> None:
        """Stop letting keys through (the app is closing)."""
        self._waiting.clear()
        if self._task is not None:
            self._task.cancel()

    async def _let_through(self) -> None:
        while self._waiting:
            key = self._waiting.popleft()
            self._current, self._released, self._target = key, key, None
            self._routed.clear()
            self._done.clear()
            self.app.post_message(key)
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._until_done(key), STUCK_AFTER)
            self._current = None
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._settled(), STUCK_AFTER)

    async def _until_done(self, key: events.Key) -> None:
        """Until `key` was stopped by a widget, or came back to the app and was handled there."""
        await self._routed.wait()
        node = self._target
        # the key passes the target, then each parent in turn up to the screen
        while node is not None and node is not self.app and not self._done.is_set():
            await _handled(node)
            if key._stop_propagation:
                return
            node = node._parent
        await self._done.wait()

    async def _settled(self) -> None:
        """Until the screen on top (perhaps one the key pushed) is mounted and has handled its messages."""
        screen = self.app.screen
        await screen._mounted_event.wait()
        await _handled(screen)
        if screen.focused is not None:
            await _handled(screen.focused)


async def _handled(node: MessagePump) -> None:
    """Until `node` has handled every message it held (or is closing: a dismissed dialog)."""
    passed = asyncio.Event()
    if not node.call_later(passed.set):  # a callback queued behind them
        return
    while not (passed.is_set() or node._closing or node._closed):
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(passed.wait(), 0.05)
