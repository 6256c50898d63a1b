"""`f`: pick a filter by its key, with the count of students each one lists.

`u` (or space) toggles "undecided only", which combines with any filter: "Score 50-89,
undecided" lists the students of that band still to decide.
"""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.screen import ModalScreen
from textual.widgets import Static

from ssid_tui.ui.session import FILTER_ORDER
from ssid_tui.wording import plural
from ssid_tui.workspace import queue

#: Columns of a menu line's label: the longest label ("Twice in registry"), so every count ends
#: in the same column.
LABEL_WIDTH = max(len(label) for label in queue.FILTER_LABELS.values())
#: Columns of the count, right-aligned: the line ends where it did when labels were 16 wide.
COUNT_WIDTH = 30 - LABEL_WIDTH

#: The key of each menu line, in FILTER_ORDER: digits, then letters the menu does not use itself.
MENU_KEYS: tuple[str, ...] = tuple("123456789abcdeghilmnoprstvwxyz")  # u: undecided only


def filter_key(name: str) -> str:
    """The key that picks filter `name` in the menu (the "8" of "f then 8")."""
    return MENU_KEYS[FILTER_ORDER.index(name)]


def filter_counts(c: queue.Counts) -> dict[str, str]:
    """How many students each filter shows, from the counts (no extra query)."""
    return {
        "all": f"{c.total:,}", "undecided": f"{c.left:,}", "single": f"{c.single:,}",
        "multiple": f"{c.multiple:,}", "nomatch": f"{c.nomatch:,}", "decided": f"{c.decided:,}",
        "skipped": f"{c.skipped:,}", "conflicts": plural(c.conflicts, 'SSID'),
        "duplicates": f"{c.duplicates:,}", "followup": f"{c.follow_ups:,}", "note": f"{c.notes:,}",
        "registry_duplicates": f"{c.registry_duplicates:,}",
    }


class FilterMenu(ModalScreen[tuple[str, bool] | None]):
    """A line's key picks its filter; j/k and Enter work too; u toggles undecided only; q, f or Esc cancel.

    Returns (filter name, undecided only), or None when cancelled.
    """

    BINDINGS = [
        *(Binding(MENU_KEYS[i], f"pick({i})", show=False) for i in range(len(FILTER_ORDER))),
        Binding("u,space", "toggle_undecided", "Undecided only", key_display="u"),
        Binding("j,down", "move(1)", show=False),
        Binding("k,up", "move(-1)", show=False),
        Binding("enter", "pick_current", "Apply", key_display="Enter"),
        Binding("q,f,escape", "cancel", "Cancel", key_display="q"),
    ]

    DEFAULT_CSS = """
    FilterMenu { align: center middle; }
    FilterMenu > Static {
        width: 46; height: auto; border: round $primary; padding: 0 1; background: $surface;
    }
    """

    def __init__(self, current: str, counts: queue.Counts, undecided_only: bool = False,
                 bands: dict[str, int] | None = None) -> None:
        super().__init__()
        self._set(current, counts, undecided_only, bands)

    def _set(self, current: str, counts: queue.Counts, undecided_only: bool, bands: dict[str, int] | None) -> None:
        self.cursor = FILTER_ORDER.index(current)
        counted = filter_counts(counts)
        counted |= {k: f"{n:,}" for k, n in (bands or {}).items()}
        self.counts = {name: counted.get(name, "") for name in FILTER_ORDER}
        self.undecided_only = undecided_only

    def show_menu(self, current: str, counts: queue.Counts, undecided_only: bool = False,
                  bands: dict[str, int] | None = None) -> FilterMenu:
        """The menu again (dismissed before), with today's counts and filter: built once, it shows in a
        third of the time."""
        self._set(current, counts, undecided_only, bands)
        if self.is_mounted:
            self.query_one(Static).update(self._text())
        return self

    def compose(self) -> ComposeResult:
        """The menu."""
        menu = Static(self._text())
        menu.border_title = "Filter"
        menu.border_subtitle = "key or Enter; u undecided; q cancels"
        yield menu

    def _text(self) -> Text:
        out = Text()
        for i, name in enumerate(FILTER_ORDER):
            label, count = queue.FILTER_LABELS[name], self.counts.get(name, "")
            line = f"{'>' if i == self.cursor else ' '} {MENU_KEYS[i]}  {label:<{LABEL_WIDTH}}{count:>{COUNT_WIDTH}}"
            out.append(line + "\n", "reverse bold" if i == self.cursor else None)
        out.append(f"  u  [{'x' if self.undecided_only else ' '}] only the undecided of the filter", "bold")
        return out

    def action_toggle_undecided(self) -> None:
        """u: combine the filter with "undecided" (or not)."""
        self.undecided_only = not self.undecided_only
        self.query_one(Static).update(self._text())

    def action_move(self, delta: int) -> None:
        """Move the highlight."""
        self.cursor = (self.cursor + delta) % len(FILTER_ORDER)
        self.query_one(Static).update(self._text())

    def action_pick(self, index: int) -> None:
        """Apply filter number `index + 1`."""
        self.dismiss((FILTER_ORDER[index], self.undecided_only))

    def action_pick_current(self) -> None:
        """Apply the highlighted filter."""
        self.dismiss((FILTER_ORDER[self.cursor], self.undecided_only))

    def action_cancel(self) -> None:
        """Keep the current filter."""
        self.dismiss(None)
