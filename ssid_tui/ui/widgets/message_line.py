"""A line above the footer saying what the last key did (toasts would cover the data).

The message stays until the next key (issue 11.16: it must not linger over what the key
changed); the whole of it is in the screen's message log. A message longer than the
width wraps onto a second line, so a count at its end (held back, files written) is
never cut off; a warning or an error (they say what to do, and may name a file) onto a
third. Warnings and errors start with '!' and are bold, not just coloured.
"""

from __future__ import annotations

import textwrap

from rich.text import Text
from textual.widget import Widget

from ssid_tui.formats.safe_text import visible
from ssid_tui.ui import render


class MessageLine(Widget, can_focus=False):
    """The latest message."""

    COMPONENT_CLASSES = {"message-line--warning"}

    DEFAULT_CSS = """
    MessageLine {
        height: auto;
        max-height: 3;
        background: $panel;
        & > .message-line--warning { text-style: bold; color: $text-warning; }
    }
    """

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.severity = "information"
        self.text = ""

    def show(self, severity: str, text: str) -> None:
        """Replace the message."""
        self.severity, self.text = severity, text
        self.refresh(layout=True)  # one line or two

    def lines(self, width: int) -> list[str]:
        """The message in at most two lines of `width` (a warning or error three), cut at a word with an
        ellipsis beyond that."""
        if not self.text:
            return [""]
        info = self.severity == "information"
        prefix = " " if info else " ! "
        body = " ".join(visible(self.text).split())
        # never at a hyphen: a path (/tmp/cold-data/...) or a name (LOPEZ-CORDOVA) broken there
        # cannot be copied or read back whole
        wrapped = textwrap.wrap(body, max(width - len(prefix) - 1, 10), max_lines=2 if info else 3,
                                placeholder=" " + render.ELLIPSIS, break_on_hyphens=False) or [""]
        return [(prefix if i == 0 else " " * len(prefix)) + line for i, line in enumerate(wrapped)]

    def get_content_height(self, container, viewport, width: int) -> int:  # type: ignore[no-untyped-def]
        """One line, two when the message needs them."""
        return len(self.lines(width))

    def render(self) -> Text:
        """The message, wrapped onto a second line if it needs one."""
        width = self.content_region.width or 80
        out = Text("\n".join(line.rstrip() for line in self.lines(width)))
        if self.severity != "information":
            out.stylize(self.get_component_rich_style("message-line--warning", partial=True))
        return out
