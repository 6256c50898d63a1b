"""A yes/no question that only a `y` typed after it is on screen answers yes.

Used before anything that is hard to take back or changes many students at once: "none
of these" on a likely candidate, marking every No Match, undoing a bulk step, export with
students left undecided. Keys typed in the same burst as the key that asked (a paste, a
fast typist over SSH) reach the question once it is up, but never answer it.
"""

from __future__ import annotations

from typing import Any

from rich.text import Text
from textual import events
from textual._time import get_time  # the clock key events are stamped with
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Static

#: How every question ends; shown on a line of its own so it never wraps in the middle.
ANSWER = "y / Esc"


def split_answer(question: str) -> tuple[str, str]:
    """('Undo accepting 3 students?', 'y / Esc') from 'Undo accepting 3 students? y / Esc'."""
    if question.endswith(" " + ANSWER):
        return question[: -len(ANSWER)].rstrip(), ANSWER
    return question, ""


class ShownClock:
    """When a question was first painted, on the clock key events are stamped with.

    A `y` answers only if it was typed after that: keys typed in the burst that asked
    (a paste, a fast typist over SSH) reach the dialog after it is up, but never answer it.
    """

    def __init__(self) -> None:
        self.shown_at: float | None = None

    def start(self, screen: ModalScreen[Any]) -> None:
        """The question is being shown: note the time once it is painted."""
        self.shown_at = None
        screen.call_after_refresh(self._shown)

    def _shown(self) -> None:
        self.shown_at = get_time()

    def typed_after(self, event: events.Key) -> bool:
        """True if `event` was typed after the question was on screen."""
        return self.shown_at is not None and event.time >= self.shown_at


class ConfirmScreen(ModalScreen[bool]):
    """Returns True on a `y` typed after the question showed, False on Esc or `n`."""

    BINDINGS = [Binding("escape,n", "answer(False)", "No", key_display="Esc")]

    DEFAULT_CSS = """
    ConfirmScreen { align: center bottom; }  /* the candidate's names and birth date stay in sight */
    ConfirmScreen > Vertical {
        width: 70; max-width: 100%; height: auto; border: round $warning; padding: 0 1; background: $surface;
    }
    ConfirmScreen #question { text-style: bold; }
    ConfirmScreen #answer { text-style: bold; }
    """

    def __init__(self, question: str, detail: str = "", title: str = "Please confirm") -> None:
        super().__init__()
        self.question = question
        self.detail = detail
        self.title_text = title
        self.clock = ShownClock()

    def ask(self, question: str, detail: str = "", title: str = "Please confirm") -> ConfirmScreen:
        """Put another question in this (dismissed) dialog, to show it again: built once, a dialog shows
        in a third of the time (no widgets to make and style, no first layout of a new screen)."""
        self.question, self.detail, self.title_text = question, detail, title
        if self.is_mounted:
            self._fill()
        return self

    def on_screen_resume(self) -> None:
        """Note when the question is on screen (each time it is shown): only keys typed after that can answer yes."""
        self.clock.start(self)

    def on_key(self, event: events.Key) -> None:
        """y answers yes only if it was typed after the question showed (not in the burst that asked)."""
        if event.key != "y":
            return
        event.stop()
        event.prevent_default()
        if self.clock.typed_after(event):
            self.dismiss(True)

    def compose(self) -> ComposeResult:
        """The question (plain text: it may hold names) and what y would do; a part left empty is not shown."""
        with Vertical() as box:
            box.border_title = self.title_text
            for name, text in self._parts():
                part = Static(Text(text), id=name)
                part.display = bool(text) or name == "question"
                yield part

    def _parts(self) -> tuple[tuple[str, str], ...]:
        question, answer = split_answer(self.question)
        return ("detail", self.detail), ("question", question), ("answer", answer)

    def _fill(self) -> None:
        self.query_one(Vertical).border_title = self.title_text
        for name, text in self._parts():
            part = self.query_one(f"#{name}", Static)
            part.update(Text(text))
            part.display = bool(text) or name == "question"

    def action_answer(self, yes: bool) -> None:
        """Esc or n: no."""
        self.dismiss(yes)
