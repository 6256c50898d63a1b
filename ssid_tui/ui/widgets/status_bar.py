"""Where the reviewer is: file, counts by category, decided and left, filter, sort, search."""

from __future__ import annotations

from rich.style import Style
from rich.text import Text
from textual.widget import Widget

from ... import queue
from ..session import ReviewSession
from .. import render


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

    def render(self) -> Text:
        """Line 1: file and totals. Line 2: the view and the conflicts."""
        ses, c = self.session, self.session.counts
        width = self.content_region.width or 80
        top = Text(" ")
        if ses.readonly:
            top.append(" READ-ONLY ", self.get_component_rich_style("status-bar--readonly", partial=True))
            top.append(" ")
        top.append(ses.name, Style(bold=True))
        top.append(f"  {c.total:,} students: {c.single:,} single, {c.multiple:,} multiple, {c.nomatch:,} no match")
        top.append(f"  Decided {c.decided:,}", Style(bold=True))
        top.append(f" Left {c.left:,}")
        if top.cell_len > width:  # narrow: drop the category words
            top = Text(" ")
            if ses.readonly:
                top.append(" READ-ONLY ", self.get_component_rich_style("status-bar--readonly", partial=True))
                top.append(" ")
            top.append(ses.name, Style(bold=True))
            top.append(f"  S {c.single:,} M {c.multiple:,} N {c.nomatch:,}  Decided {c.decided:,} Left {c.left:,}")
        pos = f"{ses.index + 1:,}/{len(ses.ids):,}" if ses.ids else "0/0"
        bottom = Text(f" {pos}  Filter: ")
        bottom.append(queue.FILTER_LABELS[ses.filter], Style(bold=True))
        bottom.append("  Sort: ")
        bottom.append(queue.SORT_LABELS[ses.sort], Style(bold=True))
        if ses.search:
            bottom.append("  Search: ")
            bottom.append(ses.search, Style(bold=True))
        if c.conflicts:
            bottom.append("  ")
            bottom.append(f"! {c.conflicts} conflict{'s' if c.conflicts != 1 else ''}", Style(bold=True, reverse=True))
        if ses.readonly:
            bottom.append(f"  ({ses.readonly_reason})")
        return Text("\n").join(render.clip(t, width) for t in (top, bottom))
