"""`/`: a one-line search box in place of the message line, as in less and vim.

Inline rather than a dialog: the list stays in view while typing, and closing it costs
no screen change. While it has focus, printable keys (n, s, digits...) are text, not
decisions; Enter applies, an empty Enter clears the search, Esc cancels.
"""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal
from textual.message import Message
from textual.widgets import Input, Label


class SearchBar(Horizontal, can_focus=False):
    """Hidden until `open()`; posts `Applied` or `Cancelled`."""

    BINDINGS = [Binding("escape", "cancel", "Cancel", key_display="Esc")]

    DEFAULT_CSS = """
    SearchBar { height: 1; display: none; background: $panel; }
    SearchBar.-open { display: block; }
    SearchBar > Label { width: auto; padding: 0 1; text-style: bold; }
    SearchBar > Input { width: 1fr; }
    """

    class Applied(Message):
        """Enter: search for `text` (empty: no search)."""

        def __init__(self, text: str) -> None:
            super().__init__()
            self.text = text

    class Cancelled(Message):
        """Esc: leave the search as it was."""

    def compose(self) -> ComposeResult:
        """Prompt and box."""
        yield Label("Search:")
        yield Input(placeholder="ID, SSID, date or name; Enter applies, empty Enter clears, Esc cancels",
                    compact=True, id="search-input", disabled=True)  # never focused while hidden

    @property
    def is_open(self) -> bool:
        """True while the reviewer is typing a search."""
        return self.has_class("-open")

    def open(self, current: str) -> None:
        """Show the box with the current search, ready to type."""
        field = self.query_one(Input)
        field.value = current
        field.cursor_position = len(current)
        field.disabled = False
        self.add_class("-open")
        # Focus now, not on the next message (`focus()` defers): the key typed after / is
        # routed as soon as this one is done, and must reach the box, not the review bindings.
        self.screen.set_focus(field)

    def close(self) -> None:
        """Hide the box and give the keys back to the review."""
        self.remove_class("-open")
        self.query_one(Input).disabled = True
        self.screen.set_focus(None)

    def take(self) -> str:
        """Close the box and return its text (Enter, handled by the review screen)."""
        value = self.query_one(Input).value
        self.close()
        return value

    def on_input_submitted(self, event: Input.Submitted) -> None:
        """Enter."""
        event.stop()
        self.close()
        self.post_message(self.Applied(event.value))

    def action_cancel(self) -> None:
        """Esc."""
        self.close()
        self.post_message(self.Cancelled())
