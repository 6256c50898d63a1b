"""`e`: where to write the SSID Match Results file (default beside the workspace)."""

from __future__ import annotations

from pathlib import Path

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, Static


def default_results_path(workspace: Path) -> Path:
    """`<workspace stem>-results.csv` beside the workspace."""
    return workspace.with_name(f"{workspace.stem}-results.csv")


class ExportScreen(ModalScreen[Path | None]):
    """Returns the path the reviewer confirmed with Enter, or None on Esc."""

    BINDINGS = [Binding("escape", "cancel", "Cancel", key_display="Esc")]

    DEFAULT_CSS = """
    ExportScreen { align: center middle; }
    ExportScreen > Vertical {
        width: 76; max-width: 100%; height: auto; border: round $primary; padding: 0 1; background: $surface;
    }
    """

    def __init__(self, default: Path, note: str) -> None:
        super().__init__()
        self.default = default
        self.note = note

    def compose(self) -> ComposeResult:
        """Explanation, path box."""
        with Vertical() as box:
            box.border_title = "Export SSID Match Results"
            yield Static(f"{self.note}\nWrite the results file to (Enter writes, Esc cancels):")
            yield Input(value=str(self.default), id="path")

    def on_input_submitted(self, event: Input.Submitted) -> None:
        """Write to the typed path."""
        text = event.value.strip()
        if text:
            self.dismiss(Path(text).expanduser())

    def action_cancel(self) -> None:
        """No export."""
        self.dismiss(None)
