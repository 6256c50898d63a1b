"""`m`: the reviewer's one-line note on a student (Enter saves, Esc cancels)."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, Static

from ssid_tui.workspace.review_notes import MAX_NOTE


class NoteScreen(ModalScreen[str | None]):
    """Returns the note typed (empty removes it) on Enter, None on Esc."""

    BINDINGS = [Binding("escape", "cancel", "Cancel", key_display="Esc")]

    DEFAULT_CSS = """
    NoteScreen { align: center middle; }
    NoteScreen > Vertical {
        width: 76; max-width: 100%; height: auto; border: round $primary; padding: 0 1; background: $surface;
    }
    """

    def __init__(self, local_id: str, note: str) -> None:
        super().__init__()
        self.local_id = local_id
        self.note = note

    def compose(self) -> ComposeResult:
        """What it is for, and the line to edit."""
        with Vertical() as box:
            box.border_title = f"Note on {self.local_id}"
            yield Static(Text("One line, for you and colleagues (it goes in the results file and the report). "
                              "Enter saves, Esc cancels; an empty line removes the note."))
            yield Input(value=self.note, max_length=MAX_NOTE, select_on_focus=False, id="note")

    def on_mount(self) -> None:
        """The cursor at the end: m again edits the note, it does not replace it."""
        field = self.query_one(Input)
        field.cursor_position = len(field.value)

    def on_input_submitted(self, event: Input.Submitted) -> None:
        """Enter: save."""
        event.stop()
        self.dismiss(event.value)

    def action_cancel(self) -> None:
        """Esc: the note stays as it was."""
        self.dismiss(None)
