"""`b`: accept every undecided Single Match at or above a score the reviewer types.

Two steps, so that it never happens by accident: type a score (the count of students it
would decide updates as you type), press Enter, look at the list of students it would take
(lowest score first, scrollable), then press y to confirm (n goes back). Below 50 it
refuses: a candidate scoring under 50 is more likely wrong than right. From 50 to 89 it
warns.
"""

from __future__ import annotations

from collections.abc import Callable

from rich.text import Text
from textual import events
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Input, Static

from ssid_tui.formats.results import MatchCategory
from ssid_tui.ui.screens.confirm import ShownClock
from ssid_tui.ui.session import LIKELY_SCORE, SAFE_BULK_SCORE
from ssid_tui.wording import plural

#: Students listed before y at most (lowest scores first: those are the ones to look at).
PREVIEW_ROWS = 1_000


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
        Binding("n", "back", "Back", show=False),
    ]

    DEFAULT_CSS = """
    BulkAcceptScreen { align: center middle; }
    BulkAcceptScreen > Vertical {
        width: 64; height: auto; border: round $warning; padding: 0 1; background: $surface;
    }
    BulkAcceptScreen Input { width: 12; }
    BulkAcceptScreen #confirm { text-style: bold; }
    BulkAcceptScreen #list { height: auto; max-height: 8; display: none; }
    BulkAcceptScreen #list.-shown { display: block; }
    """

    def __init__(self, count: Callable[[int], tuple[int, int]],
                 preview: Callable[[int], list[tuple[str, str, int]]] | None = None) -> None:
        super().__init__()
        self.count = count
        self.preview = preview
        self.score: int | None = None
        self.confirming = False
        self.clock = ShownClock()  # when the question was shown: only a y typed after it accepts


    def compose(self) -> ComposeResult:
        """Prompt, score box, live count, confirmation line."""
        with Vertical() as box:
            box.border_title = "Bulk accept Single Matches"
            yield Static("Accept the only candidate of every undecided (or skipped) Single Match "
                         "scoring at least:")
            yield Input(placeholder="0-100", max_length=3, restrict=r"[0-9]*", id="score")
            yield Static("Type a score, then Enter.", id="count")
            with VerticalScroll(id="list"):
                yield Static("", id="rows")
            yield Static("", id="confirm")

    def on_input_changed(self, event: Input.Changed) -> None:
        """Show how many students the typed score would decide."""
        self.score = parse_score(event.value)
        self.query_one("#confirm", Static).update("")  # a refusal of the score typed before
        label = self.query_one("#count", Static)
        if self.score is None:
            label.update("Type a score from 0 to 100, then Enter.")
        else:
            n, held = self.count(self.score)
            text = f"{plural(n, MatchCategory.SINGLE)} at or above {self.score}."
            if held:
                text += (f"\n{held:,} more held back: their SSID is shared with another student or "
                         "already chosen, so they need a look one by one.")
            if self.score < LIKELY_SCORE:
                text += f"\nBelow {LIKELY_SCORE} a candidate is more likely wrong than right: bulk accept needs {LIKELY_SCORE}+."
            elif self.score < SAFE_BULK_SCORE:
                text += f"\nCareful: below {SAFE_BULK_SCORE} some of these are likely wrong. Check the list."
            label.update(text)

    def on_input_submitted(self, event: Input.Submitted) -> None:
        """Enter: ask for confirmation (never accept on Enter alone)."""
        if self.score is None:
            self.app.bell()
            return
        if self.score < LIKELY_SCORE:
            self.app.bell()
            # the line above already says why: say only what to do
            self.query_one("#confirm", Static).update(f"Not accepted: type a score of {LIKELY_SCORE} or more.")
            return
        n, held = self.count(self.score)
        if n == 0:
            self.query_one("#confirm", Static).update("Nothing to accept at this score.")
            return
        self.confirming = True
        self.clock.start(self)
        field = self.query_one(Input)
        field.disabled = True
        listing = self.query_one("#list", VerticalScroll)
        if self.preview is not None:
            rows = self.preview(self.score)
            lines = Text("Lowest score first (Up/Down/PgDn scroll):\n", style="bold")
            for local_id, name, score in rows[:PREVIEW_ROWS]:
                lines.append(f"{score:>3}  {local_id:<15} {name}\n")
            if len(rows) > PREVIEW_ROWS:
                lines.append(f"... and {len(rows) - PREVIEW_ROWS:,} more scoring {rows[PREVIEW_ROWS][2]} or more\n")
            lines.rstrip()
            self.query_one("#rows", Static).update(lines)
            listing.add_class("-shown")
        warn = (f"Careful: below {SAFE_BULK_SCORE}, some of these are likely wrong.\n"
                if self.score < SAFE_BULK_SCORE else "")
        kept = f" ({held:,} held back for one-by-one review)" if held else ""
        self.query_one("#confirm", Static).update(
            f"{warn}Accept {plural(n, 'student')} scoring {self.score}+{kept}?\n"
            "y accepts (one u undoes them all), n goes back, Esc cancels."
        )
        if self.preview is not None:
            listing.focus()
        else:
            self.set_focus(None)

    def on_key(self, event: events.Key) -> None:
        """y: accept, once the score is entered and only if typed after the question showed."""
        if event.key != "y" or not self.confirming:
            return
        event.stop()
        event.prevent_default()
        if self.score is not None and self.clock.typed_after(event):
            self.dismiss(self.score)

    def action_back(self) -> None:
        """n: back to the score."""
        if self.confirming:
            self.confirming = False
            field = self.query_one(Input)
            field.disabled = False
            field.focus()
            self.query_one("#list", VerticalScroll).remove_class("-shown")
            self.query_one("#confirm", Static).update("")

    def action_cancel(self) -> None:
        """Esc: nothing happens."""
        self.dismiss(None)
