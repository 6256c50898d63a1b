"""`v`: the current student and the highlighted candidate with every value whole, one field a block.

At 80 columns the comparison cuts values longer than its columns (marked `~`) and shows them
whole under their row while the screen has room; this box always has room: it scrolls.
"""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.widgets import Static

from ssid_tui.formats.safe_text import visible
from ssid_tui.ui import render
from ssid_tui.ui.screens.help import HelpScreen
from ssid_tui.workspace.store import Candidate, Student

#: The box's text width at 80 columns (border and padding take the rest).
TEXT_WIDTH = 76


def record_text(s: Student, c: Candidate | None, number: int, width: int = TEXT_WIDTH) -> Text:
    """Each field's label, then the submitted value and the candidate's, whole and wrapped (plain text)."""
    out: list[Text] = [Text(f"Student {visible(s.local_id)}: " + (f"candidate {number}, SSID {visible(c.ssid)}"
                                                                    if c is not None else "no candidate"), "bold")]
    if c is not None:
        rows = [(r.label, r.submitted, r.candidate) for r in render.compare_rows(s, c)]
    else:
        rows = [(label, value, "") for label, value in render.submitted_fields(s, one_birth_place=False)]
    for label, submitted, candidate in rows:  # 'Birth city    submitted   SAN JUAN ...', the candidate's below
        sides = [(f"{label:<13} {'submitted':<11}", submitted), (f"{'':<13} {f'candidate {number}':<11}", candidate)]
        if not submitted:
            sides = [(f"{label:<13} {f'candidate {number}':<11}", candidate)]
        for title, value in sides:
            if value:
                out += render.wrapped(title, render.date(value), width)
    return Text("\n").join(out)


class RecordScreen(HelpScreen):
    """Every value whole in the help screen's scrolling box; v (or ?, q, Enter, Esc) closes it."""

    BINDINGS = [Binding("v", "close", "Close", show=False)]

    def __init__(self, text: Text) -> None:
        super().__init__()
        self.text = text

    def compose(self) -> ComposeResult:
        """The values in a scrollable box."""
        box = VerticalScroll(Static(self.text))
        box.border_title = "Every value whole (j/k or PgDn scroll; v q or Enter close)"
        box.can_focus = False
        yield box
