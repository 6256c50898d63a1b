"""Where the reviewer is: file, counts by category, decided and left, filter, sort, search."""

from __future__ import annotations

from rich.style import Style
from rich.text import Text
from textual.geometry import Size
from textual.screen import Screen
from textual.widget import Widget

from ssid_tui.formats.safe_text import visible
from ssid_tui.ui import render
from ssid_tui.ui.session import ReviewSession
from ssid_tui.wording import plural
from ssid_tui.workspace import queue

#: The sort when line 2 is short of room ("Sort: score high" for "score, high first"). The file's
#: order, the default, is then left out rather than shown as "Sort: file" (which read as if the
#: file were what the students are sorted by: cold test).
SHORT_SORT_LABELS: dict[str, str | None] = {"file": None, "score_desc": "score high", "score_asc": "score low", "name": "name"}


def lines_beyond_two(screen: Screen[object]) -> int:
    """Lines the status bar takes beyond its usual two (a read-only reason on lines of its own)."""
    return sum(max(w.size.height - 2, 0) for w in screen.query(StatusBar))


class StatusBar(Widget, can_focus=False):
    """Two lines at the top of the screen (three or four when a read-only reason needs them)."""


    DEFAULT_CSS = """
    StatusBar { background: $panel; }
    """

    def __init__(self, session: ReviewSession, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.styles.height = "auto"  # here, not as CSS: less to parse at start-up
        self.session = session
        #: The width the layout gave the text last (see `get_content_height`).
        self._layout_width = 0

    def get_content_height(self, container: Size, viewport: Size, width: int) -> int:
        """The lines of the text at `width`. The layout asks this before the widget has a region: `render`
        uses `width` then, as reading `content_region` at that point makes Textual arrange the whole screen
        once more inside the layout."""
        self._layout_width = width
        return super().get_content_height(container, viewport, width)

    def _bottom(self, befores: list[list[Text]], after: list[Text], width: int) -> Text:
        """Line 2: what is listed, the search, warnings, the sort; shortened until it fits.

        `befores`: the parts before the search, longest wording first (the progress, when it
        moved to this line, has a short one). The search is the clerk's own words and says which
        students are listed: before any of it is cut, the sort takes its short label (the file's
        order, the default, is left out) and the progress its short wording. Only then does a
        long search lose its last words (an ellipsis says so).
        """
        ses, bold = self.session, Style(bold=True)
        search = visible(ses.search)
        short = SHORT_SORT_LABELS[ses.sort]
        sorts = [Text.assemble("Sort: ", (queue.SORT_LABELS[ses.sort], bold)),
                 Text.assemble("Sort: ", (short, bold)) if short else None]
        tries = [(befores[0], sorts[0]), (befores[0], sorts[1]), (befores[-1], sorts[1])]
        line: list[Text] = []
        for before, sort in tries:
            line = [*before, *([Text.assemble("Search: ", (search, bold))] if search else []), *after,
                    *([sort] if sort else [])]
            if Text("  ").join(line).cell_len <= width:
                return render.join_fitting(line, width)
        if not search:  # the sort that does not fit is left out whole, never shown as a bare ellipsis
            return render.join_fitting([*before, *after] if sort is not None else line, width)
        # the search loses its last words, as many as are over (at least six characters stay); if the sort
        # still does not fit beside that, the sort is left out (not cut to a bare ellipsis) and the search
        # gets its room back
        full = Text("  ").join(line).cell_len
        room = len(search) - (full - width)
        if room >= 6 or not sort:
            room = max(room, 6)
            shown = render.clip_words(Text(search), room).plain.rstrip() if len(search) > room else search
            return render.join_fitting([*before, Text.assemble("Search: ", (shown, bold)), *after,
                                        *([sort] if sort else [])], width)
        return self._without_sort(before, after, search, width)

    def _without_sort(self, before: list[Text], after: list[Text], search: str, width: int) -> Text:
        """Line 2 with no room for the sort: the search whole if it fits, else cut (six characters stay)."""
        bold = Style(bold=True)
        line = [*before, Text.assemble("Search: ", (search, bold)), *after]
        room = max(len(search) - (Text("  ").join(line).cell_len - width), 6)
        if len(search) > room:
            line[len(before)] = Text.assemble("Search: ", (render.clip_words(Text(search), room).plain.rstrip(), bold))
        return render.join_fitting(line, width)

    def render(self) -> Text:
        """Line 1: file, categories, progress. Line 2: position, filter, search, conflicts, sort.

        With large counts the progress moves to the start of line 2 rather than be cut. What
        does not fit is left out a whole part or word at a time, with an ellipsis.
        """
        ses, c = self.session, self.session.counts
        width = self._layout_width or self.content_region.width or 80
        bold = Style(bold=True)
        progress = Text()
        progress.append(f"Decided {c.decided:,} ({c.percent_done}%)", bold)
        progress.append(f" Left {c.left:,}")
        tops = [
            Text(f"{c.total:,} students: {c.single:,} single, {c.multiple:,} multiple, {c.nomatch:,} no match"),
            Text(f"Single {c.single:,} Multiple {c.multiple:,} No match {c.nomatch:,}"),
        ]
        head = Text(" ")
        if ses.readonly:
            head.append(" READ-ONLY ", render.CONFLICT)
            head.append(" ")
        head.append(visible(ses.name), bold)  # a file name may hold an ESC
        head.append("  ")
        top = None
        for middle in tops:
            candidate = Text.assemble(head, middle, "  ", progress)
            if candidate.cell_len <= width:
                top = candidate
                break
        pos = f"{ses.index + 1:,}/{len(ses.ids):,}" if ses.ids else "0/0"
        where = Text.assemble(pos, "  Filter: ", (ses.filter_label, bold))
        befores = [[Text.assemble(" ", where)]]
        if top is None:  # too long: categories on line 1, progress first on line 2
            top = Text.assemble(head, tops[-1])
            brief = Text.assemble((f"{c.percent_done}% decided", bold), f", {c.left:,} left")
            befores = [[Text.assemble(" ", progress), where], [Text.assemble(" ", brief), where]]
        after: list[Text] = []
        if c.conflicts:
            after.append(Text(f"! {plural(c.conflicts, 'conflict')}", Style(bold=True, reverse=True)))
        if c.total and c.undecided == 0:
            after.append(Text("all decided: e exports", bold))
        if not ses.readonly:
            return Text("\n").join([render.clip_words(top, width), self._bottom(befores, after, width)])
        # read-only: why, whole, on line 2 when it fits there, else on lines of its own below
        reason = visible(ses.readonly_reason or "")
        bottom = self._bottom(befores, [*after, Text(f"({reason})")], width)
        below: list[Text] = []
        if f"({reason})" not in bottom.plain:
            bottom = self._bottom(befores, after, width)
            below = render.wrapped("Read-only:", f"{reason}.", width - 1, 1)
        return Text("\n").join([render.clip_words(top, width), bottom, *below])
