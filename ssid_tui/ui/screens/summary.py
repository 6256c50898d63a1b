"""The end of the queue: what was decided, what is left, and the next step (export)."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.screen import ModalScreen
from textual.widgets import Static

from ssid_tui.workspace.queue import Counts


def summary_rows(c: Counts) -> list[tuple[str, int]]:
    """The end-of-queue figures: chosen, none, skipped, follow-ups (if any), conflicts, undecided."""
    rows = [("SSID chosen", c.chosen), ("None of these (new to the state)", c.none), ("Skipped", c.skipped)]
    if c.follow_ups:
        rows.append(("Tagged for a follow-up", c.follow_ups))
    return [*rows, ("SSID conflicts", c.conflicts), ("Undecided", c.undecided)]


def summary_text(rows: list[tuple[str, int]], readonly: bool) -> Text:
    """The figures, one per line, then the next step in words."""
    out = Text("No undecided student is left.\n\n", "bold")
    for label, n in rows:
        out.append(f"  {label:<34}{n:>8,}\n")
    conflicts = dict(rows).get("SSID conflicts", 0)
    skipped = dict(rows).get("Skipped", 0)
    out.append("\nNext: ")
    if conflicts:
        out.append("resolve the conflicts first (f, then 8 lists them); ")
    if skipped:
        out.append("the skipped students are exported as not reviewed; ")
    out.append("press e to export the results file here", "bold")
    out.append(" (or run ssid-tui export). " + ("" if not readonly else "Read-only: export works. "))
    out.append("Esc or Enter goes back to the list.")
    return out


class SummaryScreen(ModalScreen[bool]):
    """Returns True when the reviewer pressed e (export now)."""

    BINDINGS = [
        Binding("e", "export", "Export", key_display="e"),
        Binding("escape,enter,q", "close", "Back", key_display="Esc"),
    ]

    DEFAULT_CSS = """
    SummaryScreen { align: center middle; }
    SummaryScreen > Static {
        width: 64; max-width: 100%; height: auto; border: round $success; padding: 0 1; background: $surface;
    }
    """

    def __init__(self, rows: list[tuple[str, int]], readonly: bool = False) -> None:
        super().__init__()
        self.rows = rows
        self.readonly = readonly

    def compose(self) -> ComposeResult:
        """The summary box."""
        box = Static(summary_text(self.rows, self.readonly), id="summary")
        box.border_title = "Review done"
        yield box

    def action_export(self) -> None:
        """e: go on to the export dialog."""
        self.dismiss(True)

    def action_close(self) -> None:
        """Back to the review."""
        self.dismiss(False)
