"""`?`: every key of the review screen, from the same table that makes the bindings."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Static

from ssid_tui.ui.keymap import APP_KEYS, KEYMAP

#: Keys that come in pairs are listed on one line: first action -> (second action, words).
PAIRS: dict[str, tuple[str, str]] = {
    "candidate(1)": ("candidate(-1)", "Highlight the next / previous candidate"),
    "student(1)": ("student(-1)", "Next / previous student"),
    "next_undecided": ("previous_undecided", "Next / previous undecided student"),
    "page(1)": ("page(-1)", "A page of students down / up"),
    "first": ("last", "First / last student of the list"),
}


#: Cells of the key column ("g / Home, G / End" and a space): every line fits in 75 cells, the box's
#: room in ASCII mode (80 - 2 border - 1 padding each side - 1 scrollbar).
KEY_COLUMN = 18


def help_text() -> Text:
    """The keymap grouped as on the review screen (1-9 and pairs of keys on one line each)."""
    out = Text()
    group = None
    by_action = {k.action: k for k in KEYMAP}
    second = {pair for pair, _words in PAIRS.values()}
    for k in KEYMAP:
        if k.action in second:
            continue
        if k.action.startswith("choose_number"):
            if k.keys != "1":
                continue
            display, description = "1-9", "Choose candidate 1-9 by number, go to next undecided"
        elif k.action in PAIRS:
            other, description = PAIRS[k.action]
            display = f"{k.display}, {by_action[other].display}"
        else:
            display, description = k.display, k.description
        if k.group != group:
            group = k.group
            out.append(f"{'' if not out else chr(10)}{group}\n", "bold underline")
        out.append(f"  {display:<{KEY_COLUMN}}", "bold")
        out.append(f"{description}\n")
    for display, description in APP_KEYS:
        out.append(f"  {display:<{KEY_COLUMN}}", "bold")
        out.append(f"{description}\n")
    out.append(LEGEND)
    return out


#: What the marks, the weights and the special rows of the comparison mean (lines fit the 75-cell box).
LEGEND = """
Reading the comparison
  =  same value (spelling marks aside: LOPEZ-CORDOVA = LOPEZ CORDOVA)
  !  different: differing letters or date parts are underlined, reversed
  ?  given on one side only
  x  first and last name typed the other way round (they agree crosswise);
     the "Names" row says so and carries the cost of the swap
  +6.0 ++++++  the field's weight in bits of evidence, one + (or -) a bit:
     + speaks for the candidate, - against; the total turns into the score
  Names cap  first and last name together count at most so many bits: a
     negative row takes off what is above the cap
  Names used  the name rows compare an alias (or former name), not the
     legal name (a cost); the "Legal name" row then shows the legal one
  Others found  other SSIDs fit this student too: they share the student's
     probability, so one student's scores sum to at most 100
  LEA/school, Enrolled  the candidate's last enrollment: context, never
     marked (a student new to the district was last enrolled elsewhere)
From 150 columns every candidate stands in a column of its own.
In the list: =SSID chosen, !SSID in conflict. Every decision is saved at
once."""


class HelpScreen(ModalScreen[None]):
    """The list of keys; any of ?, q, Enter or Esc closes it."""

    BINDINGS = [
        Binding("question_mark,q,enter,escape", "close", "Close", key_display="? q Enter"),
        Binding("j,down", "scroll(1)", show=False),
        Binding("k,up", "scroll(-1)", show=False),
        Binding("pagedown,space", "scroll(10)", show=False),
        Binding("pageup", "scroll(-10)", show=False),
    ]

    DEFAULT_CSS = """
    HelpScreen { align: center middle; }
    HelpScreen > VerticalScroll {
        width: 80; max-width: 100%; height: auto; max-height: 100%;
        border: round $primary; border-title-align: center; padding: 0 0 0 1; background: $surface;
        scrollbar-size-vertical: 1;
    }
    /* ASCII draws the scrollbar's track as '|' (the normal one is a blank track): a blank cell keeps
       the text off it, as the normal track does */
    HelpScreen > VerticalScroll.-ascii > Static { padding-right: 1; }
    """

    def compose(self) -> ComposeResult:
        """The help text in a scrollable box (it is taller than 24 lines)."""
        box = VerticalScroll(Static(help_text()))
        box.border_title = "Keys (j/k or PgDn scroll; ? q or Enter close)"
        box.can_focus = False
        box.set_class(bool(getattr(self.app, "ascii", False)), "-ascii")
        yield box

    def action_close(self) -> None:
        """Back to the review."""
        self.dismiss(None)

    def action_scroll(self, lines: int) -> None:
        """Scroll the help text."""
        self.query_one(VerticalScroll).scroll_relative(y=lines, animate=False)
