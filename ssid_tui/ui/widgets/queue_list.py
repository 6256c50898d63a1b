"""The queue of students: a line-API ScrollView that renders only the visible rows.

`DataTable` takes seconds to fill with 50,000 rows and `ListView` is unusable long before
that (see toolong's `LogLines` for the model). Here the widget holds nothing but a
reference to the session: each visible line asks the session for its student, which
fetches the page of rows around it once and then serves it from a cache.
"""

from __future__ import annotations

from rich.segment import Segment
from rich.style import Style
from rich.text import Text
from textual.geometry import Size
from textual.scroll_view import ScrollView
from textual.strip import Strip

from ssid_tui.ui import render
from ssid_tui.ui.session import ReviewSession, display_name


class QueueList(ScrollView, can_focus=False):
    """The students of the current filter, search and sort; line 0 is the column header."""


    DEFAULT_CSS = """
    QueueList {
        overflow-x: hidden;
        scrollbar-size-vertical: 1;
    }
    """

    def __init__(self, session: ReviewSession, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.session = session

    def reset(self) -> None:
        """The list itself changed (filter, sort, search, bulk): resize and show the cursor."""
        size = Size(self.scrollable_content_region.width, len(self.session.ids) + 1)
        if size != self.virtual_size:
            self.virtual_size = size
        self.show_cursor()

    @property
    def _rows_visible(self) -> int:
        return max(1, self.scrollable_content_region.height - 1)

    def show_cursor(self) -> None:
        """Scroll so that the current student is on screen, then repaint."""
        top, rows, index = int(self.scroll_y), self._rows_visible, self.session.index
        if index < top:
            self._scroll(index)
        elif index >= top + rows:
            self._scroll(index - rows + 1)
        self.refresh()

    def _scroll(self, top: int) -> None:
        # forced: a list that fitted on screen a moment ago has no scrollbar yet, and Textual would
        # refuse to scroll it until the next layout, leaving the cursor below the last row shown
        self.scroll_to(y=top, animate=False, immediate=True, force=True)

    def on_resize(self) -> None:
        """Keep the virtual size and the cursor right after a terminal or layout resize."""
        self.reset()

    def render_line(self, y: int) -> Strip:
        """Line `y` of the widget: the header, a student, or blank."""
        width = self.scrollable_content_region.width
        cols = render.QueueColumns.for_width(width)
        base = self.rich_style
        if y == 0:
            style = base + render.HEADER
            return self._strip(render.queue_header(cols), width, style)
        index = int(self.scroll_y) + y - 1
        s = self.session.student_at(index)
        if s is None:
            if index == 0 and not self.session.ids:
                return self._strip(Text("  No students in this view: f changes the filter, / the search."), width, base)
            return Strip.blank(width, base)
        current = index == self.session.index
        text = render.queue_row(s, cols, current=current, conflict=self.session.is_conflict(s), name=display_name(s))
        style = base + render.CURSOR if current else base
        return self._strip(text, width, style)

    def _strip(self, text: Text, width: int, style: Style) -> Strip:
        segments = [Segment(seg.text, style + seg.style if seg.style else style)
                    for seg in text.render(self.app.console)]
        return Strip(segments).adjust_cell_length(width, style)
