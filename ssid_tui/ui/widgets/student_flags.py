"""Lines above the candidates that must not be missed: a long name whole (the student's, the highlighted
candidate's), same child twice, two SSIDs, follow-up, note.

Nothing is shown (no line at all) for a student without any of them, so the common case
keeps all its rows for the queue at 80x24.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from rich.style import Style
from rich.text import Text

from ssid_tui.formats.safe_text import visible
from ssid_tui.ui import render
from ssid_tui.ui.session import ReviewSession, display_name
from ssid_tui.ui.widgets.candidate_list import FLOOR_ROWS, WIDE_CANDIDATES, lines_left
from ssid_tui.ui.widgets.text_panel import TextPart
from ssid_tui.workspace.store import Student

if TYPE_CHECKING:
    from ssid_tui.ui.widgets.student_view import StudentView

WARN = Style(bold=True, reverse=True)
#: The queue list's vertical scrollbar takes one column of its width.
QUEUE_SCROLLBAR = 1


#: The most lines a whole name takes (`v` shows any value whole).
NAME_LINES_MAX = 3


def _fitting(width: int, *forms: tuple[str, str]) -> Text:
    """The first (flag, sentence) form whose line fits `width` columns (else the shortest, cut)."""
    for flag, sentence in forms:
        line = Text(flag, WARN)
        line.append(sentence)
        if line.cell_len <= width:
            break
    return line


def _whole(label: str, name: str, width: int) -> list[Text]:
    """'Name: HERNANDEZ-GUTIERREZ DE LA ROSA, MARIA GUADALUPE', wrapped between words, the label bold."""
    return render.wrapped(label, name, width - 1)


def full_name_lines(s: Student, width: int) -> list[Text]:
    """'Name: HERNANDEZ-GUTIERREZ DE LA ROSA, MARIA GUADALUPE' (wrapped) when the queue shortened it.

    The queue keeps the surname and initials when a name is longer than its column
    (`render.name_to_fit`); the whole name is here, for the student under the cursor.
    """
    name = visible(display_name(s))
    if len(name) <= render.QueueColumns.for_width(width - QUEUE_SCROLLBAR).name:
        return []
    return _whole("Name:", name, width)


def candidate_name_lines(session: ReviewSession, width: int) -> list[Text]:
    """'Candidate 2: GUTIERREZ DE LA ROSA, MARIA GUADALUPE' (wrapped) when the candidate list cut that name."""
    c = session.candidate
    if c is None:
        return []
    name = visible(render.candidate_name(c))
    if len(name) <= render.candidate_name_width(width, width >= WIDE_CANDIDATES):
        return []
    return _whole(f"Candidate {session.cand_index + 1}:", name, width)


def _first_lines(block: list[Text], n: int) -> list[Text]:
    """The first `n` lines of a wrapped name, the last of them ending `~` when the name goes on."""
    if n >= len(block):
        return block
    kept = block[:max(n, 0)]
    if kept:
        kept[-1] = kept[-1].copy()
        kept[-1].rstrip()
        kept[-1].append("~")
    return kept


def name_lines(session: ReviewSession, width: int, room: int | None = None) -> list[Text]:
    """The student's and the highlighted candidate's names whole (where the lists cut them), in at most
    `room` lines: short of room each is cut (`~`; `v` shows them whole), the student's name last."""
    s = session.student
    if s is None:
        return []
    # a real name wraps to two lines at most; a registry value of thousands of letters must not fill the screen
    own = _first_lines(full_name_lines(s, width), NAME_LINES_MAX)
    cand = _first_lines(candidate_name_lines(session, width), NAME_LINES_MAX)
    if room is None or len(own) + len(cand) <= room:
        return [*own, *cand]
    own_room = min(len(own), max(room - min(len(cand), 1), min(room, 1)))
    return [*_first_lines(own, own_room), *_first_lines(cand, room - own_room)]


def flag_lines(session: ReviewSession, width: int = 10_000, room: int | None = None) -> list[Text]:
    """The flag lines of the current student (plain text: notes are the reviewer's own words).

    A warning has a long and a short wording; the one that fits `width` whole is shown, so
    that 80 columns never cut it mid-word. The warnings and the note come before the whole
    names: when the lines exceed `room` (what the screen has left), the names are cut.
    """
    s = session.student
    if s is None:
        return []
    out: list[Text] = []
    twins = session.upload_duplicates()
    if twins:
        others = ", ".join(f"{lid} ({score})" for lid, score in twins[:3]) + (" ..." if len(twins) > 3 else "")
        out.append(_fitting(
            width,
            ("! Twice in this upload? ", f" {s.local_id} looks like local ID {others}: one child should have one local ID."),
            ("! Twice in this upload? ", f" Looks like local ID {others}: one child, one local ID."),
            ("! Twice in upload? ", f" Looks like local ID {others}."),
        ))
    look_alikes = session.registry_duplicates()
    if look_alikes:
        ssids = " ".join(sorted(look_alikes))
        out.append(_fitting(
            width,
            ("! Possible duplicate in the registry ", f" SSIDs {ssids} look like one student. Choose the one the "
                                                      "student uses; the report names the other for the state."),
            ("! Possible duplicate in the registry ", f" SSIDs {ssids} look like one student."),
            ("! Possible duplicate in the registry ", f" SSIDs {ssids} look alike."),
            ("! Registry duplicate? ", f" SSIDs {ssids} look like one student."),
            ("! Registry duplicate? ", f" {ssids}"),
        ))
    if s.follow_up or s.note:
        line = Text("")
        if s.follow_up:
            line.append("[follow-up]", Style(bold=True))
            line.append(" ")
        if s.note:
            line.append("Note: ", Style(bold=True))
            line.append(s.note)
        out.append(line)
    return [*name_lines(session, width, None if room is None else room - len(out)), *out]


class StudentFlags(TextPart):
    """Zero or more lines about the current student (none for most; a part of `StudentView`)."""

    MIN_LINES = 0
    panel: StudentView

    def __init__(self, session: ReviewSession, panel: StudentView) -> None:
        self.session = session
        #: The text of the lines built last, a cut name as far as it is shown (the comparison does not repeat it).
        self.shown = ""
        super().__init__(panel)

    def build(self, width: int) -> list[Text]:
        """The lines, each cut to the width, as many as the screen has room for beside the rest."""
        lines = flag_lines(self.session, width, self._room(width))
        self.shown = " ".join(" ".join(line.plain.split()) for line in lines)
        return lines

    def _room(self, width: int) -> int | None:
        """Lines the screen leaves: all but the fixed parts, the comparison's rows and two candidates."""
        if not self.is_attached or not self.screen.size.height:
            return None
        return lines_left(self.screen, self.session, self.panel.comparison.least_lines(width), FLOOR_ROWS)
