"""The one way commands put data on a terminal: markup escaped, controls shown by name, cut.

A local ID `[/]` would crash Rich's markup parser, `[bold red]X` would print as red X, an
ESC would let a file drive the terminal, and a 50 MB value would flood it. Every value or
path a command prints goes through `term` (inside a markup string) or `cell` (a table
cell); `tests/test_hostile_text.py` checks that no printer interpolates anything else.
"""

from __future__ import annotations

from rich.console import Console
from rich.markup import escape
from rich.text import Text

from ssid_tui.formats.safe_text import shown
from ssid_tui.plain_terms import plain_console

#: Values are cut to this many characters (a wide screen); a cut value says its real length.
SCREEN_WIDTH = 200


def term(value: object, width: int = SCREEN_WIDTH) -> str:
    """`value` for a Rich markup string: markup escaped, controls shown by name, cut to `width`."""
    return escape(shown("" if value is None else str(value), width))


def cell(value: object, width: int = SCREEN_WIDTH) -> Text:
    """`value` as a table cell: plain text (never markup), controls shown by name, cut to `width`."""
    return Text(shown("" if value is None else str(value), width))


class CliConsole(Console):
    """A console that draws tables and progress bars in ASCII on a plain console (TERM=linux, vt100).

    Rich picks its ASCII boxes and bars when the output encoding is not UTF-8, so that is what
    this console reports there; text itself is written as it is.
    """

    @property
    def encoding(self) -> str:
        return "ascii" if plain_console(self._environ) else super().encoding


def say(console: Console, message: str | Text) -> None:
    """Print a sentence: wrapped between words on a terminal, one unbroken line into a pipe or file.

    A terminal left to wrap a long line cuts it mid-word at its last column ('ssid-tui-demo' / '/');
    a script reading the output wants each sentence on one line to grep.
    """
    console.print(message, soft_wrap=not console.is_terminal)
