"""The current student under the queue: the warning lines, the candidates and the comparison, one widget.

Each block is a part (`StudentFlags`, `CandidateList`, `Comparison`) that builds its own lines;
this widget stacks them. One widget instead of three: Textual styles, mounts, lays out, sends
events to and paints every widget of the screen, and at 200,000 students each one was a few
milliseconds of a start-up that must stay under 50.
"""

from __future__ import annotations

from rich.text import Text

from ssid_tui.ui.session import ReviewSession
from ssid_tui.ui.widgets.candidate_list import CandidateList
from ssid_tui.ui.widgets.comparison import Comparison
from ssid_tui.ui.widgets.student_flags import StudentFlags
from ssid_tui.ui.widgets.text_panel import TextPanel


class StudentView(TextPanel):
    """Warnings about the student (none for most), then the candidates, then the comparison."""

    MIN_LINES = 0  # each part pads itself

    def __init__(self, session: ReviewSession, *, id: str | None = None) -> None:
        self.flags = StudentFlags(session, self)
        self.candidates = CandidateList(session, self)
        self.comparison = Comparison(session, self)
        super().__init__(id=id)

    def build(self, width: int) -> list[Text]:
        """The three parts' lines, built in the order they depend on each other: the flags make room for
        the comparison's least lines, the comparison fills what the flags leave, the candidate list takes
        the lines the comparison leaves."""
        for part in (self.flags, self.comparison, self.candidates):
            part.rebuild(width)
        return [*self.flags.lines, *self.candidates.lines, *self.comparison.lines]
