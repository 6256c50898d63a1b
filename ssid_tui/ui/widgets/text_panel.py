"""Blocks of Rich text built once per change, not once per paint.

`TextPart` is one block of lines (the student's warnings, the candidates, the comparison);
`TextPanel` is a widget showing lines built that way. The layout is recomputed only when
the number of lines changes, so moving between students with the same number of candidates
repaints one widget instead of the screen.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from rich.text import Text
from textual.geometry import Size
from textual.widget import Widget

from ssid_tui.ui import render

if TYPE_CHECKING:
    from textual.screen import Screen


def fitted(lines: list[Text], width: int, least: int) -> list[Text]:
    """`lines` each cut or padded to `width` cells, padded with blank lines to at least `least` lines."""
    out = [render.clip(t, width) if t.cell_len != width else t for t in lines]
    return out + [Text(" " * width)] * (least - len(out))


class TextPart:
    """One block of a `TextPanel`: subclasses implement `build(width)`; the panel calls `rebuild`."""

    #: Pad to at least this many lines, so the layout (and the queue above) keeps still
    #: while the reviewer moves between students with one, two or three candidates.
    MIN_LINES = 1

    def __init__(self, panel: Widget) -> None:
        self.panel = panel
        self.lines: list[Text] = []

    def build(self, width: int) -> list[Text]:
        """The lines to show at `width` cells."""
        raise NotImplementedError

    def rebuild(self, width: int) -> None:
        """Build the lines for `width` (cut or padded to it)."""
        self.lines = fitted(self.build(width), width, self.MIN_LINES)

    @property
    def line_count(self) -> int:
        """Lines of the block built last."""
        return len(self.lines)

    @property
    def is_attached(self) -> bool:
        """True once the panel is on a screen (before that there is no screen size to fit)."""
        return self.panel.is_attached

    @property
    def screen(self) -> Screen[object]:
        """The screen the panel is on."""
        return self.panel.screen

    def render(self) -> Text:
        """The lines built last, as one text."""
        return Text("\n").join(self.lines)


class TextPanel(Widget, can_focus=False):
    """Subclasses implement `build(width)`; callers call `update_view()` after a change."""

    #: Pad to at least this many lines (see `TextPart.MIN_LINES`).
    MIN_LINES = 1

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.styles.height = "auto"  # here, not as CSS: nothing to parse at start-up
        self._text = Text("")
        self._width = -1
        self._lines = 1

    def build(self, width: int) -> list[Text]:
        """The lines to show at `width` cells."""
        raise NotImplementedError

    def _rebuild(self, width: int) -> bool:
        lines = fitted(self.build(width), width, self.MIN_LINES)
        changed = len(lines) != self._lines
        self._text, self._width, self._lines = Text("\n").join(lines), width, len(lines)
        return changed

    @property
    def line_count(self) -> int:
        """Lines of the text built last (what the widget asks of the layout)."""
        return self._lines

    def update_view(self) -> None:
        """Rebuild the text; relayout only if its height changed."""
        changed = self._rebuild(self.content_region.width or 80)
        self.refresh(layout=changed)

    def on_resize(self) -> None:
        """Rebuild for the new width."""
        if self.content_region.width != self._width:
            self.update_view()

    def get_content_height(self, container: Size, viewport: Size, width: int) -> int:
        """The number of lines (built for this width if it changed)."""
        if width != self._width:
            self._rebuild(width)
        return self._lines

    def render(self) -> Text:
        """The text built last."""
        width = self.content_region.width
        if width and width != self._width:
            self._rebuild(width)
        return self._text
