"""`b`: accept every undecided Single Match at or above a score the reviewer types.

Two steps, so that it never happens by accident: type a score (the count of students it
would decide updates as you type), press Enter, then press y to confirm (n goes back).
"""

from __future__ import annotations

from collections.abc import Callable

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, Static


def parse_score(text: str) -> int | None:
    """A score 0-100, or None."""
    text = text.strip()
    if not text.isdigit():
        return None
    value = int(text)
    return value if 0 <= value <= 100 else None


class BulkAcceptScreen(ModalScreen[int | None]):
    """Returns the confirmed minimum score, or None when cancelled."""

    BINDINGS = [
        Binding("escape", "cancel", "Cancel", key_display="Esc"),
        Binding("y", "confirm", "Accept", show=False),
        Binding("n", "back", "Back", show=False),
    ]

    DEFAULT_CSS = """
    BulkAcceptScreen { align: center middle; }
    BulkAcceptScreen > Vertical {
        width: 64; height: auto; border: round $warning; padding: 0 1; background: $surface;
    }
    BulkAcceptScreen Input { width: 12; }
    BulkAcceptScreen #confirm { text-style: bold; }
    """

    def __init__(self, count: Callable[[int], tuple[int, int]]) -> None:
        super().__init__()
        self.count = count
        self.score: int | None = None
        self.confirming = False
        self._typed = ""
        self._enter_typed = False

    def type_ahead(self, key: str) -> None:
        """A digit or Enter typed before the dialog was on screen (a burst over SSH: `b90`)."""
        if key == "enter":
            self._enter_typed = True
        elif key.isdigit() and len(self._typed) < 3 and not self._enter_typed:
            self._typed += key
        if self.is_mounted:
            self.on_mount()

    def on_mount(self) -> None:
        """Put keys typed ahead into the score box; an Enter typed ahead asks to confirm."""
        if not self._typed or self.confirming:
            return
        field = self.query_one(Input)
        field.value = self._typed
        if self._enter_typed:
            self.score = parse_score(self._typed)
            self.call_after_refresh(self.on_input_submitted, Input.Submitted(field, field.value))

    def compose(self) -> ComposeResult:
        """Prompt, score box, live count, confirmation line."""
        with Vertical() as box:
            box.border_title = "Bulk accept Single Matches"
            yield Static("Accept the only candidate of every undecided (or skipped) Single Match "
                         "scoring at least:")
            yield Input(placeholder="0-100", max_length=3, restrict=r"[0-9]*", id="score")
            yield Static("Type a score, then Enter.", id="count")
            yield Static("", id="confirm")

    def on_input_changed(self, event: Input.Changed) -> None:
        """Show how many students the typed score would decide."""
        self.score = parse_score(event.value)
        label = self.query_one("#count", Static)
        if self.score is None:
            label.update("Type a score from 0 to 100, then Enter.")
        else:
            n, held = self.count(self.score)
            text = f"{n:,} Single Match{'es' if n != 1 else ''} at or above {self.score}."
            if held:
                text += (f"\n{held:,} more held back: their SSID is shared with another student or "
                         "already chosen, so they need a look one by one.")
            label.update(text)

    def on_input_submitted(self, event: Input.Submitted) -> None:
        """Enter: ask for confirmation (never accept on Enter alone)."""
        if self.score is None:
            self.app.bell()
            return
        n, _held = self.count(self.score)
        if n == 0:
            self.query_one("#confirm", Static).update("Nothing to accept at this score.")
            return
        self.confirming = True
        field = self.query_one(Input)
        field.disabled = True
        self.query_one("#confirm", Static).update(
            f"Accept {n:,} student{'s' if n != 1 else ''} scoring {self.score}+?\n"
            "y accepts (one u undoes them all), n goes back, Esc cancels."
        )
        self.set_focus(None)

    def action_confirm(self) -> None:
        """y: accept (only once the score is entered)."""
        if self.confirming and self.score is not None:
            self.dismiss(self.score)

    def action_back(self) -> None:
        """n: back to the score."""
        if self.confirming:
            self.confirming = False
            field = self.query_one(Input)
            field.disabled = False
            field.focus()
            self.query_one("#confirm", Static).update("")

    def action_cancel(self) -> None:
        """Esc: nothing happens."""
        self.dismiss(None)
