"""`l`: search the registry for the current student, as `ssid-tui find` does, and choose an SSID found.

For a No Match whose record the clerk knows exists (a misspelt name, a date typed wrong
in the SIS). The form starts with the student's names and date; every box can be edited.
Enter searches (in a thread: the review stays responsive); then 1-9 or j/k and Enter pick
a result, and y records it with the source "lookup". Esc closes without a change.
"""

from __future__ import annotations

from pathlib import Path

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, Label, Static

from ssid_tui.formats.safe_text import visible
from ssid_tui.matching.lookup import LookupQuery, lookup
from ssid_tui.matching.matcher import Candidate, MatchResult
from ssid_tui.matching.registry import RegistryError
from ssid_tui.ui import render
from ssid_tui.workspace.store import Student

#: (input id, label, query field, width)
#: Labels (with their space), boxes and margins add up to the 76 cells inside the box at 80 columns.
FIELDS = (("last", "Last", "last", 15), ("first", "First", "first", 11), ("middle", "Mid.", "middle", 9),
          ("birth", "Born", "birth_date", 11), ("gender", "G", "gender", 2))


def lookup_query(s: Student) -> LookupQuery:
    """The student's own names and date, as the form starts."""
    return LookupQuery(last=s.last, first=s.first, middle=s.middle, birth_date=render.date(s.birth_date),
                       gender=s.gender, country=s.birth_country, state=s.birth_state)


def result_line(number: int, c: Candidate, *, current: bool) -> Text:
    """'> 1  1234567890  97  GARCIA, MARIA  2014-05-07 F  LEA/school 1964733/1930056 gr 05'."""
    r = c.registry
    given = " ".join(p for p in (r.get("first", ""), r.get("middle", "")) if p)
    name = ", ".join(p for p in (r.get("last", ""), given) if p)
    line = (f"{'>' if current else ' '} {number}  {c.ssid}  {c.score:>3}  {render.fit(name, 24)} "
            f"{render.date(r.get('birth_date', ''))} {r.get('gender', ''):1}  {r.get('lea', '')}/{r.get('school', '')}")
    return Text(visible(line), "reverse bold" if current else None)


class LookupScreen(ModalScreen[Candidate | None]):
    """Returns the registry candidate whose SSID the reviewer confirmed, or None."""

    BINDINGS = [
        Binding("escape", "cancel", "Cancel", key_display="Esc"),
        *(Binding(str(n), f"pick({n - 1})", show=False) for n in range(1, 10)),
        Binding("j,down", "move(1)", show=False),
        Binding("k,up", "move(-1)", show=False),
        Binding("enter", "pick_current", show=False),
        Binding("y", "confirm", show=False),
        Binding("n", "back", show=False),
        Binding("e,slash", "edit", show=False),
    ]

    DEFAULT_CSS = """
    LookupScreen { align: center middle; }
    LookupScreen > Vertical {
        width: 80; max-width: 100%; height: auto; max-height: 100%;
        border: round $primary; padding: 0 1; background: $surface;
    }
    LookupScreen Horizontal { height: auto; }
    LookupScreen Label { padding: 0 1 0 0; }
    LookupScreen Input { margin: 0 1 0 0; }
    LookupScreen #results { height: auto; }
    LookupScreen #lookup-note { text-style: bold; }
    """

    def __init__(self, registry: Path, query: LookupQuery, local_id: str, readonly: bool = False) -> None:
        super().__init__()
        self.registry = registry
        self.start = query
        self.local_id = local_id
        self.readonly = readonly
        self.result: MatchResult | None = None
        self.cursor = 0
        self.confirming = False

    def compose(self) -> ComposeResult:
        """The form, the results and a line saying what to do next."""
        with Vertical() as box:
            box.border_title = f"Registry lookup for {self.local_id} (as ssid-tui find)"
            box.border_subtitle = "Enter searches; 1-9 picks; Esc closes"
            with Horizontal():
                for field_id, label, attr, width in FIELDS:
                    yield Label(label)
                    field = Input(getattr(self.start, attr), id=field_id, compact=True)
                    field.styles.width = width
                    yield field
            yield Static("", id="results")
            yield Static("Edit the names or the date if needed, then Enter to search the registry.",
                         id="lookup-note")

    def on_mount(self) -> None:
        """Start in the last-name box."""
        self.query_one("#last", Input).focus()

    def _typed(self) -> LookupQuery:
        values = {attr: self.query_one(f"#{field_id}", Input).value for field_id, _l, attr, _w in FIELDS}
        return LookupQuery(**values, country=self.start.country, state=self.start.state)

    def _note(self, text: str) -> None:
        self.query_one("#lookup-note", Static).update(Text(visible(text)))

    def on_input_submitted(self, event: Input.Submitted) -> None:
        """Enter in any box: search with what is typed."""
        event.stop()
        query = self._typed()
        problem = query.problem()
        if problem:
            self._note(problem)
            return
        self._note("Searching the registry...")
        self.run_worker(lambda: self._search(query), thread=True, group="lookup", exclusive=True)

    def _search(self, query: LookupQuery) -> None:
        """In a thread: the matcher on the registry; the answer goes back to the screen."""
        try:
            result = lookup(self.registry, query)
        except RegistryError as exc:
            self.app.call_from_thread(self._note, f"The registry cannot be searched: {exc}")
            return
        self.app.call_from_thread(self._show, result)

    def _show(self, result: MatchResult) -> None:
        self.result, self.cursor, self.confirming = result, 0, False
        self._paint()
        if result.candidates:
            self.set_focus(None)  # digits and j/k now pick; e goes back to the boxes
            self._note("1-9 or j/k and Enter pick an SSID; e edits the search; Esc closes.")
        else:
            self._note("No registry record found: change the names or the date and press Enter again.")

    def _paint(self) -> None:
        cands = self.result.candidates if self.result else []
        lines = [result_line(i + 1, c, current=i == self.cursor) for i, c in enumerate(cands)]
        head = Text(f"{self.result.category if self.result else ''}: {len(cands)} found\n", "bold")
        self.query_one("#results", Static).update(Text("\n").join([head, *lines]) if self.result else "")

    @property
    def _picking(self) -> bool:
        """True when results are listed and the boxes do not have the keys."""
        return bool(self.result and self.result.candidates) and not isinstance(self.focused, Input)

    def action_move(self, delta: int) -> None:
        """j/k: highlight another result."""
        if self._picking and not self.confirming and self.result:
            self.cursor = max(0, min(self.cursor + delta, len(self.result.candidates) - 1))
            self._paint()

    def action_pick(self, index: int) -> None:
        """1-9: pick a result by number (then y confirms)."""
        if self._picking and self.result and index < len(self.result.candidates):
            self.cursor = index
            self._paint()
            self.action_pick_current()

    def action_pick_current(self) -> None:
        """Enter on a result: ask to confirm."""
        if not (self._picking and self.result):
            return
        if self.readonly:
            self._note("Read-only: you can look, but no SSID can be recorded here.")
            return
        c = self.result.candidates[self.cursor]
        self.confirming = True
        self._note(f"Record SSID {c.ssid} (score {c.score}) for {self.local_id}, source lookup? "
                   "y records, n goes back.")

    def action_confirm(self) -> None:
        """y: record the picked SSID."""
        if self.confirming and self.result:
            self.dismiss(self.result.candidates[self.cursor])

    def action_back(self) -> None:
        """n: back to the results."""
        if self.confirming:
            self.confirming = False
            self._note("1-9 or j/k and Enter pick an SSID; e edits the search; Esc closes.")

    def action_edit(self) -> None:
        """e or /: back to the boxes to change the search."""
        if self._picking:
            self.confirming = False
            self.query_one("#last", Input).focus()

    def action_cancel(self) -> None:
        """Esc: nothing recorded."""
        self.dismiss(None)
