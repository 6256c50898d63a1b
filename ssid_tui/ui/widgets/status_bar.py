"""Where the reviewer is: file, counts by category, decided and left, filter, sort, search."""

from __future__ import annotations

from rich.style import Style
from rich.text import Text
from textual.widget import Widget

from ssid_tui.formats.safe_text import visible
from ssid_tui.ui import render
from ssid_tui.ui.session import ReviewSession
from ssid_tui.wording import plural
from ssid_tui.workspace import queue

#: The sort's label when the line is short of room ("Sort: score high" for "score, high first").
SHORT_SORT_LABELS = {"file": "file", "score_desc": "score high", "score_asc": "score low", "name": "name"}


class StatusBar(Widget, can_focus=False):
    """Two lines at the top of the screen."""

    COMPONENT_CLASSES = {"status-bar--readonly"}

    DEFAULT_CSS = """
    StatusBar {
        height: 2;
        background: $panel;
        & > .status-bar--readonly { text-style: bold reverse; }
    }
    """

    def __init__(self, session: ReviewSession, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.session = session

    def _bottom(self, before: list[Text], after: list[Text], width: int) -> Text:
        """Line 2: what is listed, the search, warnings, the sort; shortened until it fits.

        The sort last: the search, conflicts and who holds the workspace say which students
        are listed and what to do. Before anything is left out, the sort takes its short label
        and then a long search loses its last words (an ellipsis says so), so that at 80 columns both
        stay in sight.
        """
        ses, bold = self.session, Style(bold=True)
        search = visible(ses.search)
        line: list[Text] = []
        for labels, cut in ((queue.SORT_LABELS, False), (SHORT_SORT_LABELS, False), (SHORT_SORT_LABELS, True)):
            sort = Text.assemble("Sort: ", (labels[ses.sort], bold))
            shown = search
            if cut:  # `line` is the line with the short sort: the search loses its last words, as much as is over
                room = max(len(search) - (Text("  ").join(line).cell_len - width), 6)
                shown = render.clip_words(Text(search), room).plain.rstrip() if len(search) > room else search
            line = [*before, *([Text.assemble("Search: ", (shown, bold))] if search else []), *after, sort]
            if Text("  ").join(line).cell_len <= width:
                break
        return render.join_fitting(line, width)

    def render(self) -> Text:
        """Line 1: file, categories, progress. Line 2: position, filter, search, conflicts, sort.

        With large counts the progress moves to the start of line 2 rather than be cut. What
        does not fit is left out a whole part or word at a time, with an ellipsis.
        """
        ses, c = self.session, self.session.counts
        width = self.content_region.width or 80
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
            head.append(" READ-ONLY ", self.get_component_rich_style("status-bar--readonly", partial=True))
            head.append(" ")
        head.append(ses.name, bold)
        head.append("  ")
        top = None
        for middle in tops:
            candidate = Text.assemble(head, middle, "  ", progress)
            if candidate.cell_len <= width:
                top = candidate
                break
        parts: list[Text] = []
        if top is None:  # too long: categories on line 1, progress first on line 2
            top = Text.assemble(head, tops[-1])
            parts.append(progress)
        pos = f"{ses.index + 1:,}/{len(ses.ids):,}" if ses.ids else "0/0"
        parts.append(Text.assemble(pos, "  Filter: ", (ses.filter_label, bold)))
        after: list[Text] = []
        if c.conflicts:
            after.append(Text(f"! {plural(c.conflicts, 'conflict')}", Style(bold=True, reverse=True)))
        if c.total and c.undecided == 0:
            after.append(Text("all decided: e exports", bold))
        if ses.readonly:
            after.append(Text(f"({ses.readonly_reason})"))
        parts[0] = Text.assemble(" ", parts[0])
        bottom = self._bottom(parts, after, width)
        return Text("\n").join([render.clip_words(top, width), bottom])
