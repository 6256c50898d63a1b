"""The queue of students: a line-API ScrollView that renders only the visible rows.

`DataTable` takes seconds to fill with 50,000 rows and `ListView` is unusable long before
that (see toolong's `LogLines` for the model). Here the widget holds nothing but a
reference to the session: each visible line asks the session for its student, which
fetches the page of rows around it once and then serves it from a cache.
"""

from __future__ import annotations

from collections import deque
from typing import NamedTuple

from rich.segment import Segment
from rich.style import Style
from rich.text import Text
from textual.geometry import Region, Size
from textual.scroll_view import ScrollView
from textual.strip import Strip

from ssid_tui.ui import render
from ssid_tui.ui.session import ReviewSession, display_name


class _Page(NamedTuple):
    """One PgDn or PgUp: where it went from, so that the opposite key comes back exactly."""

    direction: int
    landed: int
    index: int
    top: int


class QueueList(ScrollView, can_focus=False):
    """The students of the current filter, search and sort; line 0 is the column header."""

    def __init__(self, session: ReviewSession, *, id: str | None = None) -> None:
        super().__init__(id=id)
        # the rest of the screen below it, at least the header and the current student (a warning's third
        # line, not a scrolling screen); styles set here, not as CSS: nothing to parse at start-up
        self.styles.height = "1fr"
        self.styles.min_height = 2
        self.styles.overflow_x = "hidden"
        self.styles.scrollbar_size_vertical = 1
        self.session = session
        #: The rows a page moves, fixed while the terminal keeps its size (the terminal size, the rows).
        self._page_rows: tuple[object, int] | None = None
        #: The pages moved since the list last changed: PgUp after PgDn returns to the same row and screen.
        self._pages: deque[_Page] = deque(maxlen=10_000)
        #: (student row, first row shown) where the last page put the list.
        self._anchor: tuple[int, int] | None = None
        #: The widget's style and width while its lines are rendered (see `render_lines`).
        self._painting: tuple[Style, int] | None = None

    def reset(self) -> None:
        """The list itself changed (filter, sort, search, bulk): resize and show the cursor."""
        self._pages.clear()
        self._anchor = None
        self._fit()

    def _fit(self) -> None:
        size = Size(self.scrollable_content_region.width, len(self.session.ids) + 1)
        if size != self.virtual_size:
            self.virtual_size = size
        self.show_cursor()

    @property
    def _rows_visible(self) -> int:
        return max(1, self.scrollable_content_region.height - 1)

    def show_cursor(self) -> None:
        """Scroll so that the current student is on screen, then repaint.

        Where a page put the list is kept for the student it landed on, through the layouts that follow
        (the queue is shorter beside a student with more candidates): scrolled further only as far as
        the rows in sight then need."""
        index = self.session.index
        if self._anchor is not None and self._anchor[0] == index:
            self._scroll(self._anchor[1])
        else:
            self._anchor = None
        top, rows = int(self.scroll_y), self._rows_visible
        if index < top:
            self._scroll(index)
        elif index >= top + rows:
            self._scroll(index - rows + 1)
        self.refresh()

    def _scroll(self, top: int) -> None:
        # forced: a list that fitted on screen a moment ago has no scrollbar yet, and Textual would
        # refuse to scroll it until the next layout, leaving the cursor below the last row shown
        self.scroll_to(y=top, animate=False, immediate=True, force=True)

    def page(self, direction: int) -> int:
        """PgDn (1) / PgUp (-1): scroll a page (the rows in sight less one) and return the student to move to,
        as many rows on, so that the cursor keeps its line on screen. The page keeps its length while the
        terminal keeps its size (the queue is shorter beside a student with more candidates), and the key
        opposite to the last page comes back to the row and screen it left, even where a page was cut short
        at either end of the list."""
        index, top = self.session.index, int(self.scroll_y)
        last = self._pages[-1] if self._pages else None
        if last is not None and last.direction == -direction and last.landed == index:
            self._pages.pop()
            self._anchor = (last.index, last.top)
            return last.index
        if self._page_rows is None or self._page_rows[0] != self.app.size:
            self._page_rows = (self.app.size, max(1, self._rows_visible - 1))
        step = direction * self._page_rows[1]
        last_row = max(0, len(self.session.ids) - 1)
        landed = max(0, min(index + step, last_row))
        self._pages.append(_Page(direction, landed, index, top))
        self._anchor = (landed, max(0, min(top + step, last_row)))
        return landed

    def on_resize(self) -> None:
        """Keep the virtual size and the cursor right after a terminal or layout resize (the queue is
        shorter beside a student with more candidates)."""
        self._fit()

    def render_lines(self, crop: Region) -> list[Strip]:
        """The lines in `crop`: the widget's style and width are read once for them all, not once a line
        (reading the style walks the widget's ancestors: a third of the time of a line)."""
        self._painting = (self.rich_style, self.scrollable_content_region.width)
        try:
            return super().render_lines(crop)
        finally:
            self._painting = None

    def render_line(self, y: int) -> Strip:
        """Line `y` of the widget: the header, a student, or blank."""
        base, width = self._painting or (self.rich_style, self.scrollable_content_region.width)
        cols = render.QueueColumns.for_width(width)
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
