"""The review keymap: one table that makes the bindings, the help screen and the palette.

The keys in the first group are fixed by the spec (staff are trained on them and scripts
drive the app with them). The rest follow mutt, tig and lazygit and what the eye expects:
Up/Down move through the list of students (as in any list), j/k move the highlight
between the current student's candidates (J/K also move between students, mutt's
next/previous entry), tab jumps to the next undecided, g/G go to the top and the
bottom. Esc is never needed for frequent work: inside tmux it arrives late.
"""

from __future__ import annotations

from dataclasses import dataclass

from textual.binding import Binding


@dataclass(frozen=True)
class Key:
    """One entry of the keymap."""

    keys: str  # Textual key names, comma-separated
    action: str  # an action of the review screen
    display: str  # how the help screen and the footer write the keys
    description: str  # what it does, for the help screen and the palette
    group: str
    footer: str = ""  # short footer label; empty = not in the footer
    palette: bool = True  # offer it in the command palette
    footer_display: str = ""  # the keys as the footer writes them (default: display)


DECIDE, MOVE, VIEW, OTHER = "Decide", "Move", "View", "Other"

KEYMAP: tuple[Key, ...] = (
    Key("enter", "choose", "Enter", "Choose the highlighted candidate, go to next undecided", DECIDE, "Choose"),
    *(Key(str(n), f"choose_number({n})", str(n), f"Choose candidate {n}, go to next undecided", DECIDE, palette=False)
      for n in range(1, 10)),
    Key("n", "none", "n", "None of these: the student is new to the state", DECIDE, "None"),
    Key("N", "none_all", "N", "None of these for all undecided No Matches in view", DECIDE),
    Key("s", "skip", "s", "Skip: come back later (stays undecided)", DECIDE, "Skip"),
    Key("u", "undo", "u", "Undo the latest step; repeatable, even after a restart", DECIDE, "Undo"),
    Key("c", "clear", "c", "Clear this student's decision (undecided again)", DECIDE),
    Key("b", "bulk", "b", "Bulk accept Single Matches at or above a score you type", DECIDE),
    Key("m", "note", "m", "Note on this student: one line (m again edits)", DECIDE),
    Key("t", "follow_up", "t", "Tag or untag this student for follow-up", DECIDE),
    Key("l", "lookup", "l", "Look up the registry (as ssid-tui find), choose an SSID", DECIDE),
    Key("down,J", "student(1)", "Down / J", "Next student", MOVE, "Student", footer_display="Up/Dn"),
    Key("up,K", "student(-1)", "Up / K", "Previous student", MOVE),
    Key("j", "candidate(1)", "j", "Highlight the next candidate", MOVE, "Cand.", palette=False, footer_display="j/k"),
    Key("k", "candidate(-1)", "k", "Highlight the previous candidate", MOVE, palette=False),
    Key("tab", "next_undecided", "Tab", "Next undecided student", MOVE),
    Key("shift+tab", "previous_undecided", "shift+Tab", "Previous undecided student", MOVE),
    Key("pagedown", "page(1)", "PgDn", "A page of students down", MOVE, palette=False),
    Key("pageup", "page(-1)", "PgUp", "A page of students up", MOVE, palette=False),
    Key("g,home", "first", "g / Home", "First student of the list", MOVE),
    Key("G,end", "last", "G / End", "Last student of the list", MOVE),
    Key("slash", "search", "/", "Search: local ID, SSID, birth date or name", VIEW, "Search"),
    Key("f", "filter", "f", "Filter menu: undecided, categories, score bands...", VIEW, "Filter"),
    Key("o", "sort", "o", "Sort: file order, score high/low first, name", VIEW),
    Key("r", "reload", "r", "Reload the list from the workspace", VIEW),
    Key("v", "whole", "v", "View every value of the student and candidate whole", VIEW),
    Key("e", "export", "e", "Export the SSID Match Results file", OTHER),
    Key("question_mark", "help", "?", "Help: this list of keys", OTHER, "Help"),
    Key("q", "quit", "q", "Quit (every decision is already saved)", OTHER, "Quit"),
)

#: Keys of the app itself, listed in the help for completeness.
APP_KEYS: tuple[tuple[str, str], ...] = (
    ("ctrl+p", "Command palette: every action by name"),
)


#: Footer entries dropped first when the key line is too narrow (the help lists them all).
FOOTER_DROP_ORDER: tuple[str, ...] = ("quit", "filter", "Help")


def bindings() -> list[Binding]:
    """The review screen's bindings, built from the keymap."""
    return [
        Binding(k.keys, k.action, k.footer or k.description, show=bool(k.footer), key_display=k.display,
                id=k.action.split("(")[0] if "(" not in k.action else None)
        for k in KEYMAP
    ]
