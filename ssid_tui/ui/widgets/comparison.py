"""The submitted record beside the highlighted candidate, field by field, with the explanation.

Each line: field, a mark (= same, ! different, ? one side missing), the submitted value
and the candidate's value with differing letters or date parts styled, the comparison
level the matcher chose and its weight as a signed number and a bar of + or - signs
(the waterfall of the score, one field per line).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from rich.text import Text

from ssid_tui.formats.safe_text import visible
from ssid_tui.ui import render
from ssid_tui.ui.compare_columns import side_by_side
from ssid_tui.ui.session import ReviewSession
from ssid_tui.ui.widgets.candidate_list import lines_left
from ssid_tui.ui.widgets.student_flags import name_lines
from ssid_tui.ui.widgets.text_panel import TextPart
from ssid_tui.workspace.store import Student

if TYPE_CHECKING:
    from ssid_tui.ui.widgets.student_view import StudentView

#: From this width the candidates stand side by side (`compare_columns`).
WIDE = 150
#: The level column's title when values are cut and the screen had no room to show them whole below.
WHOLE_HINT = "v: values whole"


class Comparison(TextPart):
    """Why the highlighted candidate scored as it did (a part of `StudentView`)."""

    MIN_LINES = 9  # the header and the eight rows every candidate has
    panel: StudentView

    def __init__(self, session: ReviewSession, panel: StudentView) -> None:
        self.session = session
        super().__init__(panel)

    def build(self, width: int) -> list[Text]:
        """The header line and one line per field."""
        s, c = self.session.student, self.session.candidate
        cols = render.CompareColumns.for_width(width)
        if s is None:
            return []
        if c is None:
            return self._submitted_only(s, width)
        if width >= WIDE:  # every candidate in a column of its own
            head, *lines = side_by_side(s, self.session.candidates(), width, self.session.cand_index)
            head.stylize(render.HEADER)
            return [head, *lines]
        rows = render.compare_rows(s, c)
        head = render.compare_header(cols, s.local_id, self.session.cand_index + 1, c.score, render.total_weight(rows))
        head.stylize(render.HEADER)
        # a value the columns cut is shown whole on the lines under its row, as many as the screen has
        # room for; the names whole above the candidates are not repeated
        shown = (self.panel.flags.shown if self.is_attached
                 else " ".join(" ".join(t.plain.split()) for t in name_lines(self.session, width)))
        wholes = [render.whole_values(r, cols, width, shown) for r in rows]
        room = self._spare_lines(len(rows) + 1)
        lines, left_out = [head], False
        for row, whole in zip(rows, wholes, strict=True):
            lines.append(render.compare_line(row, cols))
            if len(whole) <= room:
                lines += whole
                room -= len(whole)
            else:
                left_out = left_out or bool(whole)
        if left_out:  # said where the level column is titled: a line of its own would need room there is not
            lines[0] = render.compare_header(cols, s.local_id, self.session.cand_index + 1, c.score,
                                             render.total_weight(rows), level_title=WHOLE_HINT)
            lines[0].stylize(render.HEADER)
        return lines

    def least_lines(self, width: int) -> int:
        """Lines the comparison takes at `width` with no value whole under its row (what the flags leave it)."""
        s, c = self.session.student, self.session.candidate
        if s is None:
            return 0
        if c is None:
            return len(self._submitted_only(s, width))
        if width >= WIDE:
            return len(side_by_side(s, self.session.candidates(), width, self.session.cand_index))
        return len(render.compare_rows(s, c)) + 1

    def _spare_lines(self, own: int) -> int:
        """Lines the screen has beyond `own` and the least the other parts need (all of them off screen)."""
        if not self.is_attached or not self.screen.size.height:
            return 1_000
        return lines_left(self.screen, self.session, own + self.panel.flags.line_count)

    def _submitted_only(self, s: Student, width: int) -> list[Text]:
        head = Text(f"{'Field':<13}   Submitted {visible(s.local_id)}")
        head.stylize(render.HEADER)
        rows = render.submitted_fields(s, one_birth_place=True)
        return [head, *(line for label, value in rows if value for line in _value_lines(label, value, width))]


def _value_lines(label: str, value: str, width: int) -> list[Text]:
    """'Birth place     SAN JUAN ...': the value whole, wrapped under itself when it is longer than the line."""
    first, *rest = render.wrapped("", value, width, 16)
    first = Text(f"{label:<13}   ") + first[16:]
    return [first, *rest]
