"""`/`: a one-line search box at the bottom, like less and vim."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.screen import ModalScreen
from textual.widgets import Input, Label


class SearchBar(ModalScreen[str | None]):
    """Type part of a name or a local ID, Enter applies (empty shows everyone), Esc cancels."""

    BINDINGS = [Binding("escape", "cancel", "Cancel", key_display="Esc")]

    DEFAULT_CSS = """
    SearchBar { align: left bottom; background: transparent; }
    SearchBar > Label { width: 100%; height: 1; background: $panel; padding: 0 1; }
    SearchBar > Input { width: 100%; }
    """

    def __init__(self, current: str) -> None:
        super().__init__()
        self.current = current

    def compose(self) -> ComposeResult:
        """The prompt and the box."""
        yield Label("Search name or local ID (Enter applies; empty Enter clears; Esc cancels)")
        yield Input(value=self.current, placeholder="e.g. garcia maria, or 1002", id="search", compact=True)

    def on_input_submitted(self, event: Input.Submitted) -> None:
        """Apply the search."""
        self.dismiss(event.value)

    def action_cancel(self) -> None:
        """Leave the search as it was."""
        self.dismiss(None)
