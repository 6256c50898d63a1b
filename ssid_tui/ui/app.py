"""`ReviewApp`: the Textual application of `ssid-tui review`.

Two things differ from a stock Textual app:

- The crash path. Textual prints a traceback with local variables when the app dies;
  here locals are student records, and the screen may be shared or logged. A crash
  prints one sentence with the exception's type only (its message could hold data too).
- The lock. The workspace is opened by `ReviewSession.open`, which takes the workspace
  lock; a second app on the same file opens read-only and says so in the title, the
  status line and a notification.
"""

from __future__ import annotations

import gc
from collections.abc import Callable, Iterable
from pathlib import Path

from rich.text import Text
from textual import events
from textual.app import App, SystemCommand
from textual.command import CommandPalette
from textual.screen import Screen

from ssid_tui.files.inputs import is_damage
from ssid_tui.formats.safe_text import visible
from ssid_tui.ui import terminal
from ssid_tui.ui.key_gate import KeyGate
from ssid_tui.ui.keymap import KEYMAP
from ssid_tui.ui.review_screen import MIN_SIZE, ReviewScreen
from ssid_tui.ui.session import ReviewSession
from ssid_tui.workspace import queue
from ssid_tui.workspace.store_problems import damaged_message

CRASH_MESSAGE = (
    "ssid-tui review stopped on an internal error ({kind}). Every decision made so far is "
    "saved in the workspace: open it again to carry on. (Details are not shown: they could "
    "contain student records.)"
)


class ReviewApp(App[None]):
    """Review the candidates of a workspace, one student at a time, keyboard only."""

    TITLE = "ssid-tui review"
    #: Below 80x24 a dialog is not drawn: the review screen's "terminal too small" shows through it
    #: (hidden, not removed: what was typed in it and its focus are there again once the terminal is larger).
    DEFAULT_CSS = "ReviewApp.-too-small ModalScreen > * { visibility: hidden; }"
    #: The palette (ctrl+p) lists every review action by name, as well as Textual's own.
    COMMAND_PALETTE_BINDING = "ctrl+p"

    def __init__(self, workspace_path: str | Path, *, readonly: bool = False, ascii: bool | None = None) -> None:
        """Open the workspace (raises WorkspaceError) before the terminal is taken over.

        `ascii`: draw with ASCII symbols only (default: when TERM is a plain console, see `terminal`).
        """
        super().__init__()
        self.ascii = terminal.plain_console() if ascii is None else ascii
        self._restore_symbols: Callable[[], None] | None = None
        self.session = ReviewSession.open(workspace_path, readonly=readonly)
        self.sub_title = visible(self.session.name) + (" (READ-ONLY)" if self.session.readonly else "")
        self.crash_message: str | None = None
        self.key_gate = KeyGate(self)
        #: True once the background reads are done and what they built is out of the garbage collector's way.
        self.settled = False

    def on_load(self) -> None:
        """On a plain console, ASCII borders and scrollbars before anything is drawn."""
        if self.ascii:
            self._restore_symbols = terminal.plain_symbols()

    def on_mount(self) -> None:
        """Start the background reads once the first screen is shown; once they are in, take them out of
        the garbage collector's sight (see `settle`)."""
        self.call_after_refresh(self.session.prepare)
        self._settle_timer = self.set_interval(0.25, self.settle)

    def settle(self) -> None:
        """When the search keys, orders and filters are read: `gc.freeze()` what the app holds so far.

        At 200,000 students those are lists and sets of millions of ids; every full
        collection walked them all (about 100 ms, every few dozen keys). Frozen objects are
        never collected, so this runs once, after start-up's work and before the clerk's.
        """
        if self.settled or not self.session.prepared():
            return
        self._settle_timer.stop()
        gc.freeze()
        self.settled = True

    def action_help_quit(self) -> None:
        """Ctrl-C: say how to quit on the message line, not in Textual's toast over the comparison."""
        review = next((s for s in reversed(self.screen_stack) if isinstance(s, ReviewScreen)), None)
        if review is None:
            return
        how = "press q" if self.screen is review else "press Esc to close this dialog, then q"
        review.say(f"Ctrl-C does not quit here: {how} to quit (nothing to save: every decision is stored "
                   "the moment it is made).", severity="warning")

    def get_default_screen(self) -> Screen:
        """The review screen is the app."""
        return ReviewScreen(self.session)

    @property
    def too_small(self) -> bool:
        """True while the terminal is below 80x24 (see `MIN_SIZE`)."""
        return self.size.width < MIN_SIZE[0] or self.size.height < MIN_SIZE[1]

    def on_resize(self, event: events.Resize) -> None:
        """Below 80x24 a dialog is hidden (the review screen's "terminal too small" shows through it)."""
        self.set_class(event.size.width < MIN_SIZE[0] or event.size.height < MIN_SIZE[1], "-too-small")

    def _dialog_key(self, key: events.Key) -> bool:
        """While the terminal is too small and a dialog is open, only Esc reaches it (q is taken as Esc):
        nothing is decided on a screen too small to show it, as on the review screen. False: dropped."""
        if not self.too_small or isinstance(self.screen, ReviewScreen):
            return True
        if key.key == "q":
            key.key, key.character = "escape", "\x1b"  # every dialog closes on Esc, deciding nothing
        return key.key in ("escape", "ctrl+q")

    async def on_event(self, event: events.Event) -> None:
        """Keys go to the screens one at a time, each after the one before is done (see `key_gate`)."""
        if not isinstance(event, events.Key):
            await super().on_event(event)
        elif not event.is_forwarded:  # from the terminal: routed when its turn comes
            if not self.key_gate.admit(event):
                return
            if not self._dialog_key(event):
                self.key_gate.routed(event, None)  # dropped: done at once
            else:
                await super().on_event(event)
                self.key_gate.routed(event, self.focused or self.screen if event.is_forwarded else None)
        else:  # back from the screen: its binding runs here
            await super().on_event(event)
            self.key_gate.finished(event)

    def on_unmount(self) -> None:
        """Close the workspace and release the lock (the kernel does it too if we are killed)."""
        self.key_gate.close()
        if self.settled:
            gc.unfreeze()  # what the app held may be collected again once it is gone
        self.session.close()
        if self._restore_symbols is not None:
            self._restore_symbols()
            self._restore_symbols = None

    # -- the command palette -----------------------------------------------------------

    def action_command_palette(self) -> None:
        """Textual's palette, with an ASCII placeholder on a plain console (its own ends in an ellipsis)."""
        if self.use_command_palette and not CommandPalette.is_open(self):
            placeholder = "Search for commands..." if self.ascii else "Search for commands\u2026"
            self.push_screen(CommandPalette(placeholder=placeholder, id="--command-palette"))

    def get_system_commands(self, screen: Screen) -> Iterable[SystemCommand]:
        """Every review action, each filter and sort, and Textual's commands minus screenshots.

        A screenshot would write student data to a file in the current folder, readable by others.
        """
        for cmd in super().get_system_commands(screen):
            if "screenshot" not in cmd.title.lower():
                yield cmd
        if not isinstance(screen, ReviewScreen):
            return
        for k in KEYMAP:
            if k.palette:
                yield SystemCommand(f"{k.description} ({k.display})", f"Key: {k.display}",
                                    lambda action=k.action: self.run_action(action, screen))
        for name, label in queue.FILTER_LABELS.items():
            yield SystemCommand(f"Filter: {label}", "Show only these students",
                                lambda name=name: screen.set_filter(name))
        yield SystemCommand("Summary: where the review stands", "Chosen, none, skipped, conflicts, undecided",
                            lambda: screen.show_summary())
        yield SystemCommand("Search: clear", "Show every student of the filter", lambda: screen.set_search(""))

    # -- the crash path ------------------------------------------------------------------

    def _handle_exception(self, error: Exception) -> None:
        """Any unhandled exception: exit with a one-line message, never a traceback with locals."""
        self._return_code = 1
        if self._exception is None:  # run_test re-raises it for the test framework
            self._exception = error
            self._exception_event.set()
        self._safe_exit(error)

    def _fatal_error(self) -> None:
        """Textual's own fatal path (normally a Rich traceback with locals): the same one line."""
        self._safe_exit(None)

    def _safe_exit(self, error: BaseException | None) -> None:
        if self.crash_message is None and is_damage(error):
            # the workspace, not the app: say so, with what to do, as the CLI does
            self._return_code = 2
            self.crash_message = "ssid-tui review stopped: " + damaged_message(self.session.ws.path)
        if self.crash_message is None:
            self.crash_message = CRASH_MESSAGE.format(kind=type(error).__name__ if error else "unknown")
            self._exit_renderables.clear()
            self._exit_renderables.append(Text(self.crash_message))
        self._close_messages_no_wait()

    def _print_error_renderables(self) -> None:
        """Print only the one-line crash message (panic renderables may hold records)."""
        self._exit_renderables.clear()
        if self.crash_message:
            self.error_console.print(self.crash_message, markup=False, highlight=False, soft_wrap=True)
