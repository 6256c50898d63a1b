"""`f`: pick a filter by its number, with the count of students each one lists."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.screen import ModalScreen
from textual.widgets import Static

from ssid_tui.ui.session import FILTER_ORDER
from ssid_tui.workspace import queue


def filter_counts(c: queue.Counts) -> dict[str, str]:
    """How many students each filter shows, from the counts (no extra query)."""
    return {
        "all": f"{c.total:,}", "undecided": f"{c.left:,}", "single": f"{c.single:,}",
        "multiple": f"{c.multiple:,}", "nomatch": f"{c.nomatch:,}", "decided": f"{c.decided:,}",
        "skipped": f"{c.skipped:,}", "conflicts": f"{c.conflicts:,} SSID{'s' if c.conflicts != 1 else ''}",
    }


class FilterMenu(ModalScreen[str | None]):
    """Digits 1-8 pick a filter; j/k and Enter work too; q, f or Esc close without change."""

    BINDINGS = [
        *(Binding(str(i), f"pick({i - 1})", show=False) for i in range(1, len(FILTER_ORDER) + 1)),
        Binding("j,down", "move(1)", show=False),
        Binding("k,up", "move(-1)", show=False),
        Binding("enter", "pick_current", "Apply", key_display="Enter"),
        Binding("q,f,escape", "cancel", "Cancel", key_display="q"),
    ]

    DEFAULT_CSS = """
    FilterMenu { align: center middle; }
    FilterMenu > Static {
        width: 44; height: auto; border: round $primary; padding: 0 1; background: $surface;
    }
    """

    def __init__(self, current: str, counts: queue.Counts) -> None:
        super().__init__()
        self.cursor = FILTER_ORDER.index(current)
        self.counts = filter_counts(counts)

    def compose(self) -> ComposeResult:
        """The menu."""
        menu = Static(self._text())
        menu.border_title = "Filter"
        menu.border_subtitle = "1-8 or Enter; q cancels"
        yield menu

    def _text(self) -> Text:
        out = Text()
        for i, name in enumerate(FILTER_ORDER):
            line = f"{'>' if i == self.cursor else ' '} {i + 1}  {queue.FILTER_LABELS[name]:<16}{self.counts[name]:>14}"
            out.append(line + ("\n" if i < len(FILTER_ORDER) - 1 else ""), "reverse bold" if i == self.cursor else None)
        return out

    def action_move(self, delta: int) -> None:
        """Move the highlight."""
        self.cursor = (self.cursor + delta) % len(FILTER_ORDER)
        self.query_one(Static).update(self._text())

    def action_pick(self, index: int) -> None:
        """Apply filter number `index + 1`."""
        self.dismiss(FILTER_ORDER[index])

    def action_pick_current(self) -> None:
        """Apply the highlighted filter."""
        self.dismiss(FILTER_ORDER[self.cursor])

    def action_cancel(self) -> None:
        """Keep the current filter."""
        self.dismiss(None)
