"""`e`: export from the app, the same four files `ssid-tui export --to FOLDER` writes.

The dialog asks for the folder (default: the workspace's). Writing runs in a worker
thread on a read-only connection of its own, through `writers.export_all`, the function
the CLI's `--to` calls, so the names and contents are the same.
"""

from __future__ import annotations

import re
from pathlib import Path

from rich.text import Text
from textual import events
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, Static

from ssid_tui.exports import writers
from ssid_tui.files.safe import can_write, missing_folders, remove_empty_folders
from ssid_tui.files.targets import TargetRefused
from ssid_tui.formats.safe_text import visible
from ssid_tui.ui.screens.confirm import ShownClock
from ssid_tui.wording import plural, plural_noun
from ssid_tui.workspace.store import open_workspace


def default_export_folder(workspace: Path) -> Path:
    """The workspace's own folder."""
    return workspace.resolve().parent


def folder_problem(text: str) -> tuple[Path | None, str]:
    """The typed folder, or None and the sentence why it cannot be written into (shown in the dialog)."""
    text = text.strip()
    if not text:
        return None, "No folder given: type the folder to write the four files into (Esc cancels)."
    if text == "-":
        return None, ("The folder cannot be '-': ssid-tui writes named files only, never standard output; "
                      "give a folder (./- for one named -), or Esc to cancel.")
    try:
        folder = Path(text).expanduser()
    except RuntimeError:  # ~name of no user
        return None, f"{text} names no user's home folder: give the folder to write the four files into (Esc cancels)."
    try:
        if folder.exists() and not folder.is_dir():
            return None, f"{folder} is a file, not a folder: give the folder to write the four files into (Esc cancels)."
        made = missing_folders(folder)
        if made:
            above = made[-1].parent
            if above.exists() and not above.is_dir():
                return None, (f"{above} is a file, not a folder, so {folder} cannot be made: "
                              "give a folder (Esc cancels).")
            if not can_write(above):
                return None, f"You may not make folders in {above}: give another folder (Esc cancels)."
        elif not can_write(folder):
            return None, f"You may not write into {folder}: give another folder (Esc cancels)."
    except OSError as exc:
        return None, f"{folder} cannot be used ({exc.strerror or type(exc).__name__}): give another folder (Esc cancels)."
    return folder, ""


_TEMPORARY = re.compile(r"^\.(.+)\.writing-[^/]*$")


def failed_file(exc: OSError, folder: Path) -> str:
    """What could not be made, in the user's words: the export's file name, not its hidden temporary one."""
    if not exc.filename:
        return f"a file in {folder}"
    path = Path(exc.filename)
    named = _TEMPORARY.match(path.name)
    return str(path.parent / named.group(1)) if named else str(path)


def conflict_message(exc: writers.ExportBlocked, filter_key: str) -> str:
    """The refusal in the app's words: where to resolve the conflicts, with the real filter key."""
    n = len(exc.conflicts)
    listing = "; ".join(f"{ssid}: {', '.join(ids)}" for ssid, ids in sorted(exc.conflicts.items())[:3])
    more = f"; and {n - 3:,} more" if n > 3 else ""
    return (f"Not exported: {plural(n, 'SSID is', 'SSIDs are')} chosen for more than one student ({listing}{more}). "
            f"Resolve them here: filter {filter_key} lists them (f, then {filter_key}); then press e again.")


def write_all(workspace: Path, folder: Path, filter_key: str) -> tuple[str, str]:
    """Write the four files into `folder`; (severity, message) for the message line. Runs in a thread."""
    ws = open_workspace(workspace, readonly=True)
    made = missing_folders(folder)  # made for this export (as `export --to` makes them), innermost first
    try:
        for new in reversed(made):
            new.mkdir(mode=0o700)
        written = writers.export_all(ws, folder)
    except writers.ExportBlocked as exc:
        remove_empty_folders(made)
        return "error", conflict_message(exc, filter_key)
    except TargetRefused as exc:  # its advice is a path option's (another file name): this dialog takes a folder
        remove_empty_folders(made)
        return "error", f"Not exported: {exc.advising('another folder')}"
    except writers.ExportError as exc:
        remove_empty_folders(made)
        return "error", f"Not exported: {exc}"
    except OSError as exc:
        remove_empty_folders(made)
        return "error", (f"Not exported: could not make {failed_file(exc, folder)} "
                         f"({exc.strerror or type(exc).__name__}). Nothing was left half-written.")
    finally:
        ws.close()
    rows = {w.kind: w.rows for w in written}
    # the counts first, the folder last: a long path must not push them off the line
    return "information", (f"Wrote {plural(len(written), 'file')}: results ({plural(rows.get('results', 0), 'row')}), "
                           f"SIS ({plural(rows.get('sis', 0), 'SSID')}), SENR with SSIDs, report; in {folder}")


class ExportScreen(ModalScreen[Path | None]):
    """Returns the folder the reviewer confirmed with Enter, or None on Esc."""

    BINDINGS = [Binding("escape", "cancel", "Cancel", key_display="Esc")]

    DEFAULT_CSS = """
    ExportScreen { align: center middle; }
    ExportScreen > Vertical {
        width: 76; max-width: 100%; height: auto; border: round $primary; padding: 0 1; background: $surface;
    }
    ExportScreen #problem { color: $error; display: none; }
    """

    def __init__(self, default: Path, note: str, names: list[str]) -> None:
        super().__init__()
        self.default = default
        self.note = note
        self.names = names
        self.clock = ShownClock()

    def compose(self) -> ComposeResult:
        """Where the review stands, the files, and the folder box."""
        with Vertical() as box:
            box.border_title = "Export (as ssid-tui export --to FOLDER)"
            files = "\n".join(f"  {visible(name)}" for name in self.names)
            yield Static(Text(f"{visible(self.note)}\nWrites {plural_noun(len(self.names), 'this file', 'these files')}:\n{files}\n"
                              "into the folder (Enter writes, Esc cancels):"))
            # not selected: a key typed ahead would otherwise replace the whole path
            yield Input(value=str(self.default), id="path", select_on_focus=False,
                        placeholder="a folder (made if it is not there)")
            # why the typed folder cannot be used: shown here, the dialog stays open for the correction
            yield Static(id="problem")

    def on_mount(self) -> None:
        """Note when the dialog is on screen: an Enter typed before that must not export."""
        self.clock.start(self)

    def on_key(self, event: events.Key) -> None:
        """Enter typed in the burst that opened the dialog (`e` Enter): dropped, nothing written."""
        if event.key == "enter" and not self.clock.typed_after(event):
            event.stop()
            event.prevent_default()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        """Write into the typed folder if it can be one; else say why here and keep the dialog open."""
        folder, problem = folder_problem(event.value)
        if folder is not None:
            self.dismiss(folder)
            return
        # an empty box stays empty: a folder put back with the cursor at its start had the next one
        # typed in front of it (cold test: /tmp/out/tmp/w was made)
        shown = self.query_one("#problem", Static)
        shown.update(Text(visible(problem)))
        shown.display = True
        self.app.bell()

    def action_cancel(self) -> None:
        """No export."""
        self.dismiss(None)
