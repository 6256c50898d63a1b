"""`?`: every key of the review screen, from the same table that makes the bindings."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Static

from ..keymap import APP_KEYS, KEYMAP


def help_text() -> Text:
    """The keymap grouped as on the review screen (digits 1-9 folded into one line)."""
    out = Text()
    group = None
    for k in KEYMAP:
        if k.action.startswith("choose_number"):
            if k.keys != "1":
                continue
            display, description = "1-9", "Choose candidate 1-9 by its number, go to the next undecided"
        else:
            display, description = k.display, k.description
        if k.group != group:
            group = k.group
            out.append(f"{'' if not out else chr(10)}{group}\n", "bold underline")
        out.append(f"  {display:<11}", "bold")
        out.append(f"{description}\n")
    out.append("\nAnywhere\n", "bold underline")
    for display, description in APP_KEYS:
        out.append(f"  {display:<11}", "bold")
        out.append(f"{description}\n")
    out.append("\nMarks: = same value, ! different, ? missing on one side. Differing letters and date\n"
               "parts are underlined and reversed. Queue: =SSID chosen, !SSID in conflict.\n"
               "Every decision is saved the moment you make it: q never loses work.")
    return out


class HelpScreen(ModalScreen[None]):
    """The list of keys; any of ?, q, Enter or Esc closes it."""

    BINDINGS = [
        Binding("question_mark,q,enter,escape", "close", "Close", key_display="? q Enter"),
        Binding("j,down", "scroll(1)", show=False),
        Binding("k,up", "scroll(-1)", show=False),
    ]

    DEFAULT_CSS = """
    HelpScreen { align: center middle; }
    HelpScreen > VerticalScroll {
        width: 96; max-width: 100%; height: auto; max-height: 100%;
        border: round $primary; border-title-align: center; padding: 0 1; background: $surface;
    }
    """

    def compose(self) -> ComposeResult:
        """The help text in a scrollable box (it is taller than 24 lines)."""
        box = VerticalScroll(Static(help_text()))
        box.border_title = "Keys (j/k scroll; ? q or Enter close)"
        box.can_focus = False
        yield box

    def action_close(self) -> None:
        """Back to the review."""
        self.dismiss(None)

    def action_scroll(self, lines: int) -> None:
        """Scroll the help text."""
        self.query_one(VerticalScroll).scroll_relative(y=lines, animate=False)
