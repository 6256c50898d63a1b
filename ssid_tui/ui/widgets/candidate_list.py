"""The current student's candidates, best first, numbered for the 1-9 keys."""

from __future__ import annotations

from typing import TYPE_CHECKING

from rich.text import Text
from textual.screen import Screen

from ssid_tui.formats.safe_text import visible
from ssid_tui.ui import render
from ssid_tui.ui.session import ReviewSession
from ssid_tui.ui.widgets.status_bar import lines_beyond_two
from ssid_tui.ui.widgets.text_panel import TextPart
from ssid_tui.workspace.statuses import DecisionStatus

if TYPE_CHECKING:
    from ssid_tui.ui.widgets.student_view import StudentView

#: Candidate rows shown at once when the screen has room (up to five without scrolling at 80x24
#: when the queue can spare the lines), never fewer than MIN_ROWS; more scroll with the highlight
#: (j/k), and the header says "2/7".
MAX_ROWS, MIN_ROWS = 5, 3
#: Only when the warnings above need the line (`student_flags`) the list shows two rows and scrolls.
FLOOR_ROWS = 2
#: From this many lines (e.g. 160x48) up to nine candidates stand in the list, one per number key,
#: instead of leaving the lines empty; the queue above gives them up only when a student has them.
TALL, TALL_MAX_ROWS = 40, 9
#: Lines the rest of the screen needs: status 2, message 1, keys 1, queue header and two students 3.
OTHER_LINES = 7
#: From this width the candidate list shows the last enrollment too (and its names get less room).
WIDE_CANDIDATES = 130


def lines_left(screen: Screen, session: ReviewSession, taken: int, least_rows: int = MIN_ROWS) -> int:
    """Lines of the screen beyond `taken`, the fixed parts and the candidate list's `least_rows` (and header)."""
    listed = 1 + min(max(len(session.candidates()), 1), least_rows)
    used = OTHER_LINES + max(CandidateList.MIN_LINES, listed) + taken + lines_beyond_two(screen)
    return max(screen.size.height - used, 0)


class CandidateList(TextPart):
    """Numbered candidates with the highlighted one marked '>' and reversed (a part of `StudentView`)."""

    MIN_LINES = 3  # header and two rows: the layout keeps still for one or two candidates
    panel: StudentView

    def __init__(self, session: ReviewSession, panel: StudentView) -> None:
        self.session = session
        super().__init__(panel)

    def _rows(self) -> int:
        """How many candidates fit: what the screen has left after the comparison and the rest."""
        if not self.is_attached:
            return MIN_ROWS
        used = self.panel.comparison.line_count + self.panel.flags.line_count
        used += lines_beyond_two(self.screen)
        free = self.screen.size.height - OTHER_LINES - used - 1  # 1: the list's own header
        most = TALL_MAX_ROWS if self.screen.size.height >= TALL else MAX_ROWS
        return max(FLOOR_ROWS, min(most, free))

    def build(self, width: int) -> list[Text]:
        """Header and as many candidates as fit (3 to 5) around the highlighted one."""
        rows = self._rows()
        wide = width >= WIDE_CANDIDATES
        s = self.session.student
        head = render.candidate_header(width, wide)
        head.stylize(render.HEADER)
        lines = [head]
        cands = self.session.candidates()
        if s is None:
            lines.append(Text(""))
        elif not cands:
            lines.append(Text(f"  No candidates ({visible(s.local_id)} is a No Match): n = none of these, new to the state."))
        else:
            cur = self.session.cand_index
            start = max(0, min(cur - rows + 1, len(cands) - rows)) if cur >= rows else 0
            for i in range(start, min(start + rows, len(cands))):
                c = cands[i]
                row = render.candidate_row(c, i + 1, width, current=i == cur, wide=wide,
                                           chosen=s.status == DecisionStatus.CHOSEN and s.chosen_ssid == c.ssid)
                if i == cur:
                    row.stylize(render.CURSOR)
                lines.append(row)
            if len(cands) > rows:
                lines[0].append(f"  {cur + 1}/{len(cands)}")
        return lines
