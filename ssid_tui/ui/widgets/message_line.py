"""The bottom of the screen: a line saying what the last key did (toasts would cover the data), and
under it the key line (`key_line`).

The message stays until the next key (issue 11.16: it must not linger over what the key
changed); the whole of it is in the screen's message log. A message longer than the
width wraps onto a second line, so a count at its end (held back, files written) is
never cut off; a warning or an error (they say what to do, and may name a file) onto a
third. Warnings and errors start with '!' and are bold, not just coloured.

While the reviewer types a search (`/`), the line is the search box (`edit`), so that
opening and closing the box moves no other widget.

The key line is drawn by this widget, on its last line, rather than by a widget of its own:
each widget is styled, mounted, laid out and painted at start-up (a few milliseconds each at
200,000 students), and the two lines need no container to stay together at the bottom.
"""

from __future__ import annotations

import textwrap

from rich.segment import Segment
from rich.style import Style
from rich.text import Text
from textual.geometry import Region
from textual.strip import Strip
from textual.widget import Widget

from ssid_tui.formats.safe_text import visible
from ssid_tui.ui import render
from ssid_tui.ui.line_edit import LineEdit
from ssid_tui.ui.widgets.key_line import key_line

#: The search box's prompt.
PROMPT = " Search: "


class MessageLine(Widget, can_focus=False):
    """The latest message (one to three lines), and the key line under it."""

    COMPONENT_CLASSES = {"message-line--warning", "message-line--prompt", "message-line--hint",
                         "message-line--keys", "message-line--key"}

    DEFAULT_CSS = """
    MessageLine {
        background: $panel;
        & > .message-line--warning { text-style: bold; color: $text-warning; }
        & > .message-line--prompt { text-style: bold; }
        & > .message-line--hint { color: $text-muted; }
        & > .message-line--keys { background: $footer-background; color: $footer-foreground; }
        & > .message-line--key { text-style: bold; color: $footer-key-foreground; }
    }
    """

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        # at the bottom of the screen, whatever the height of the rest (styles set here, not as CSS: less
        # to parse at start-up)
        self.styles.dock = "bottom"
        self.styles.height = "auto"
        self.styles.max_height = 4
        self.severity = "information"
        self.text = ""
        #: The search being typed (None: the line shows the message).
        self.box: LineEdit | None = None
        self.hint = ""
        #: The message's lines while the widget's lines are drawn (see `render_lines`).
        self._painting: list[Text] | None = None

    def show(self, severity: str, text: str) -> None:
        """Replace the message (and close the search box, if open)."""
        before = self._height()
        self.severity, self.text, self.box = severity, text, None
        self.refresh(layout=self._height() != before)  # the screen is laid out again only when it must

    def edit(self, hint: str) -> LineEdit:
        """Open the search box, empty, with `hint` shown until the first character is typed."""
        before = self._height()
        self.box, self.hint = LineEdit(), hint
        self.refresh(layout=self._height() != before)
        return self.box

    def _height(self) -> int:
        return len(self.lines(self.content_region.width or 80))

    def lines(self, width: int) -> list[str]:
        """The message in at most two lines of `width` (a warning or error three), cut at a word with an
        ellipsis beyond that."""
        if not self.text or self.box is not None:
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
        """One line, two when the message needs them; and the key line."""
        return len(self.lines(width)) + 1

    def key_line(self) -> Text:
        """The key line at the widget's width."""
        return key_line(self.content_region.width or 80, self.get_component_rich_style("message-line--key", partial=True))

    def render_lines(self, crop: Region) -> list[Strip]:
        """The lines in `crop`: the message is wrapped once for them all, not once a line."""
        self._painting = self.render().split("\n", allow_blank=True)
        try:
            return super().render_lines(crop)
        finally:
            self._painting = None

    def render_line(self, y: int) -> Strip:
        """Line `y`: the message's (or the search box), then the key line on the last."""
        width = self.content_region.width
        message = self._painting or self.render().split("\n", allow_blank=True)
        if y < len(message):
            text, style = message[y], self.rich_style
        elif y == len(message):
            text, style = self.key_line(), self.get_component_rich_style("message-line--keys")
        else:
            return Strip.blank(width, self.rich_style)
        segments = [Segment(seg.text, style + seg.style if seg.style else style)
                    for seg in text.render(self.app.console) if seg.text != "\n"]
        return Strip(segments).adjust_cell_length(width, style)

    def render(self) -> Text:
        """The message, wrapped onto a second line if it needs one; or the search box (the key line is
        drawn under it: `render_line`)."""
        width = self.content_region.width or 80
        if self.box is not None:
            return self._box(width)
        out = Text("\n".join(line.rstrip() for line in self.lines(width)))
        if self.severity != "information":
            out.stylize(self.get_component_rich_style("message-line--warning", partial=True))
        return out

    def _box(self, width: int) -> Text:
        """'Search: garc' with the cursor as a reversed cell; the hint while empty; the cursor in view."""
        box = self.box
        assert box is not None
        out = Text(PROMPT, self.get_component_rich_style("message-line--prompt", partial=True))
        room = max(width - len(PROMPT) - 1, 1)
        if not box.value:  # the cursor on the hint's first letter, as Textual's Input shows a placeholder
            hint = self.get_component_rich_style("message-line--hint", partial=True)
            out.append(self.hint[:1] or " ", hint + Style(reverse=True))
            out.append(self.hint[1:room], hint)
            return out
        start = max(0, box.cursor - room + 1)
        shown = box.value[start : start + room]
        cursor = box.cursor - start
        out.append(shown[:cursor])
        out.append(shown[cursor : cursor + 1] or " ", Style(reverse=True))
        out.append(shown[cursor + 1 :])
        return out
