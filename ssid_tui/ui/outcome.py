"""What a review step did, in words for the screen, and the guard every writing step runs in.

Kept apart from `session` so that module stays about the queue and the cursor.
"""

from __future__ import annotations

import functools
import sqlite3
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Concatenate, ParamSpec

from ssid_tui.matching.matcher import LIKELY_SCORE
from ssid_tui.wording import plural
from ssid_tui.workspace import decisions
from ssid_tui.workspace.statuses import DecisionStatus
from ssid_tui.workspace.store import Student
from ssid_tui.workspace.store_problems import write_problem

if TYPE_CHECKING:
    from ssid_tui.ui.session import ReviewSession

_P = ParamSpec("_P")


def storing(action: Callable[Concatenate[ReviewSession, _P], Result]) -> Callable[Concatenate[ReviewSession, _P], Result]:
    """A step that writes the workspace: a full disk or a damaged file is a message, not a crash."""

    @functools.wraps(action)
    def run(self: ReviewSession, *args: _P.args, **kwargs: _P.kwargs) -> Result:
        try:
            return action(self, *args, **kwargs)
        except sqlite3.Error as exc:
            return Result(write_problem(self.ws.path, exc), "error")

    return run


@dataclass(frozen=True)
class Result:
    """What a reviewer's action did, in words for the screen."""

    message: str
    severity: str = "information"  # 'information', 'warning' or 'error' (Textual's notify levels)
    conflicts: dict[str, list[str]] = field(default_factory=dict)
    changed: bool = False


def bulk_refusal(min_score: int) -> str:
    """Why bulk accept does not go below LIKELY_SCORE."""
    return (f"Bulk accept does not go below {LIKELY_SCORE}: below {LIKELY_SCORE} a candidate is more likely "
            f"wrong than right. {min_score} is too low; review those students one by one.")


def step_words(step: decisions.Step) -> str:
    """'accepting 1,794 students', as the undo question and message say it."""
    n = plural(step.students, "student")
    if step.source == "bulk":
        return f"accepting {n}"
    if step.source == "bulk-none":
        return f"none of these for {n}"
    if step.source == "import":
        return f"the spreadsheet import of {n}"
    return f"the last step ({n})"


def display_name(s: Student) -> str:
    """'GARCIA, MARIA' (last, first middle), as SIS lists show students."""
    given = " ".join(p for p in (s.first, s.middle) if p)
    name = ", ".join(p for p in (s.last, given) if p)
    return f"{name} {s.suffix}".strip() if s.suffix else name




def undone(s: Student | None, student_id: int) -> Result:
    """'Undone: 1004 is back to SSID 1234567890.' for the student one undo changed (as it is now)."""
    what = s.status if s else "its previous state"
    labels: dict[str, str] = {
        DecisionStatus.UNDECIDED: "undecided again", DecisionStatus.CHOSEN: f"back to SSID {s.chosen_ssid if s else ''}",
        DecisionStatus.NONE: "back to none of these", DecisionStatus.SKIPPED: "back to skipped"}
    return Result(f"Undone: {s.local_id if s else student_id} is {labels.get(what, what)}.", changed=True)
