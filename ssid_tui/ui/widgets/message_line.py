"""One line above the footer saying what the last key did (toasts would cover the data).

It keeps the message until the next one, so a reviewer who was interrupted can still
read what happened last. Warnings and errors start with '!' and are bold, not just coloured.
"""

from __future__ import annotations

from rich.text import Text
from textual.widget import Widget

from ssid_tui.formats.safe_text import visible
from ssid_tui.ui import render


class MessageLine(Widget, can_focus=False):
    """The latest message."""

    COMPONENT_CLASSES = {"message-line--warning"}

    DEFAULT_CSS = """
    MessageLine {
        height: 1;
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
        self.refresh()

    def render(self) -> Text:
        """The message, cut to the width (the whole of it is also in the screen's message log)."""
        width = self.content_region.width or 80
        if not self.text:
            return Text("")
        if self.severity == "information":
            return render.clip_words(Text(" " + visible(self.text)), width)
        out = Text(" ! " + visible(self.text), self.get_component_rich_style("message-line--warning", partial=True))
        return render.clip_words(out, width)
