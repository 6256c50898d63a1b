"""The submitted record beside the highlighted candidate, field by field, with the explanation.

Each line: field, a mark (= same, ! different, ? one side missing), the submitted value
and the candidate's value with differing letters or date parts styled, the comparison
level the matcher chose and its weight as a signed number and a bar of + or - signs
(the waterfall of the score, one field per line).
"""

from __future__ import annotations

from rich.text import Text

from ssid_tui.formats.safe_text import visible
from ssid_tui.ui import render
from ssid_tui.ui.compare_columns import side_by_side
from ssid_tui.ui.session import ReviewSession
from ssid_tui.ui.widgets.text_panel import TextPanel
from ssid_tui.workspace.store import Student

#: From this width the candidates stand side by side (`compare_columns`).
WIDE = 150


class Comparison(TextPanel):
    """Why the highlighted candidate scored as it did."""

    MIN_LINES = 9  # the header and the eight rows every candidate has


    def __init__(self, session: ReviewSession, *, id: str | None = None) -> None:
        self.session = session
        super().__init__(id=id)

    def build(self, width: int) -> list[Text]:
        """The header line and one line per field."""
        s, c = self.session.student, self.session.candidate
        cols = render.CompareColumns.for_width(width)
        if s is None:
            return []
        if c is None:
            return self._submitted_only(s)
        if width >= WIDE:  # every candidate in a column of its own
            head, *lines = side_by_side(s, self.session.candidates(), width, self.session.cand_index)
            head.stylize(render.HEADER)
            return [head, *lines]
        rows = render.compare_rows(s, c)
        head = render.compare_header(cols, s.local_id, self.session.cand_index + 1, c.score, render.total_weight(rows))
        head.stylize(render.HEADER)
        return [head, *(render.compare_line(r, cols) for r in rows)]

    def _submitted_only(self, s: Student) -> list[Text]:
        head = Text(f"{'Field':<13}   Submitted {visible(s.local_id)}")
        head.stylize(render.HEADER)
        alias = " ".join(p for p in (s.alias_first, s.alias_middle, s.alias_last) if p)
        rows = [("Last name", s.last), ("First name", s.first), ("Middle name", s.middle), ("Alias", alias),
                ("Birth date", render.date(s.birth_date)), ("Gender", s.gender),
                ("Birth place", ", ".join(p for p in (s.birth_city, s.birth_state, s.birth_country) if p)),
                ("LEA/school", f"{s.reporting_lea}/{s.school}")]
        return [head, *(Text(f"{label:<13}   {visible(value)}") for label, value in rows if value)]
