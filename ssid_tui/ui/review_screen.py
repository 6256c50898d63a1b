"""The review screen: status, queue, candidates and the comparison, driven by the keymap.

Each action calls the session (which calls the domain) and then repaints what changed.
A decision is committed to the workspace inside the key handler, before the screen is
redrawn, so whatever the reviewer sees is already on disk.
"""

from __future__ import annotations

from collections import deque
from pathlib import Path
from typing import Any, TypeVar

from textual import events
from textual.app import ComposeResult
from textual.notifications import SeverityLevel
from textual.screen import ModalScreen, Screen
from textual.widgets import Static

from ssid_tui.formats.safe_text import quoted
from ssid_tui.matching.matcher import Candidate as MatchCandidate
from ssid_tui.ui.keymap import bindings
from ssid_tui.ui.screens.bulk import BulkAcceptScreen
from ssid_tui.ui.screens.confirm import ConfirmScreen
from ssid_tui.ui.screens.export import ExportScreen, default_export_folder, write_all
from ssid_tui.ui.screens.filter_menu import FilterMenu, filter_key
from ssid_tui.ui.screens.help import HelpScreen
from ssid_tui.ui.screens.lookup import LookupScreen, lookup_query
from ssid_tui.ui.screens.note import NoteScreen
from ssid_tui.ui.screens.record import RecordScreen, record_text
from ssid_tui.ui.screens.summary import SummaryScreen, summary_rows
from ssid_tui.ui.session import Result, ReviewSession
from ssid_tui.ui.widgets.message_line import MessageLine
from ssid_tui.ui.widgets.queue_list import QueueList
from ssid_tui.ui.widgets.status_bar import StatusBar
from ssid_tui.ui.widgets.student_view import StudentView
from ssid_tui.wording import plural, plural_noun

#: The smallest terminal the review works in (columns, lines).
MIN_SIZE = (80, 24)
#: What the search box says until the first character is typed.
SEARCH_HINT = "ID, SSID, date or name; Enter applies, empty Enter clears, Esc cancels"
TOO_SMALL = "terminal too small (needs 80x24): make the window larger, or press q to quit"
#: A dialog kept to be shown again (see `ReviewScreen._kept_dialog`).
D = TypeVar("D", ConfirmScreen, FilterMenu)


class ReviewScreen(Screen[None]):
    """The one main screen. Its bindings come from `keymap.KEYMAP`."""

    BINDINGS = bindings()
    #: Nothing has focus on the review screen, so every key reaches its bindings (the search
    #: box takes focus only while it is open).
    AUTO_FOCUS = ""

    #: Below 80x24 the words alone. (The sizes of the widgets are set on them in code: less CSS to parse.)
    DEFAULT_CSS = """
    ReviewScreen #too-small { display: none; width: 1fr; height: 1fr; content-align: center middle; }
    ReviewScreen.-too-small > * { display: none; }
    ReviewScreen.-too-small > #too-small { display: block; }
    """

    def __init__(self, session: ReviewSession) -> None:
        super().__init__()
        self.session = session
        #: The latest messages shown, as (severity, text): what a reviewer saw, for tests and bug reports.
        self.messages: deque[tuple[str, str]] = deque(maxlen=50)
        self._open_before = session.counts.undecided
        #: The y / Esc question and the filter menu, each built the first time it is asked for and shown
        #: again after that (see `_kept_dialog`).
        self._kept: dict[type[ModalScreen[Any]], ModalScreen[Any]] = {}

    @property
    def too_small(self) -> bool:
        """True while the terminal is below 80x24: the screen says so and takes no decision."""
        return self.has_class("-too-small")

    def on_resize(self, event: events.Resize) -> None:
        """Below 80x24 say so instead of dropping columns a reviewer needs (the words are mounted the first
        time they are needed: one widget fewer to build and style at start-up).

        A Resize to the size the screen was laid out at is not handed on to Textual's own handler, which
        lays the screen out again and repaints it on every Resize: the first screen gets three of the size
        it already has (the terminal's, the app's own check of it, and the one its first layout sends the
        screen), at 200,000 students a fifth of the start-up. A widget that needs a new layout still asks
        for it itself.
        """
        small = event.size.width < MIN_SIZE[0] or event.size.height < MIN_SIZE[1]
        if small and not self.query_children("#too-small"):
            self.mount(Static(TOO_SMALL, id="too-small"))
        self.set_class(small, "-too-small")
        if event.size == self.outer_size:  # what the latest layout gave the screen
            event.prevent_default()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """While too small only q works: nothing is decided on a screen that cannot show it."""
        return action == "quit" or not self.too_small

    def say(self, message: str, *, severity: SeverityLevel = "information", timeout: float = 3) -> None:
        """Show a message on the message line, never as a toast over the comparison.

        A toast would cover the record being reviewed at 80x24 for seconds; the line sits
        below it. Warnings and errors are bold and start with '!' there, and ring the bell.
        Plain text: names and searches are never read as markup. (`timeout` is kept for
        callers; the line keeps a message until the next key.)
        """
        self.messages.append((severity, message))
        self.query_one(MessageLine).show(severity, message)
        if severity == "error":
            self.app.bell()

    def compose(self) -> ComposeResult:
        """Status on top, then the queue and the student, then the footer."""
        yield StatusBar(self.session, id="status")
        yield QueueList(self.session, id="queue")  # no containers: each one is styled, laid out and
        yield StudentView(self.session, id="student")  # composed at start-up (a sixth of its calls)
        # the message and the keys stay in sight when a student's rows are more than the screen holds
        yield MessageLine(id="message")

    def on_mount(self) -> None:
        """Say so at once when the workspace is read-only."""
        self.refresh_view(list_changed=True)
        if self.session.readonly:
            said = f"Opened READ-ONLY: {self.session.readonly_reason}. You can look and export; decisions are off."
            if len(said) > MIN_SIZE[0] - 3:  # the status bar holds the reason whole: one line here, not two
                said = "Opened READ-ONLY (why: at the top). You can look and export, not decide."
            self.say(said, severity="warning", timeout=10)
        note = self.session.ws.journal_note
        if note:
            self.say(note, timeout=8)

    # -- painting --------------------------------------------------------------------

    def refresh_view(self, *, list_changed: bool = False) -> None:
        """Repaint after a change: the whole list when it changed, else the visible rows."""
        queue_list = self.query_one(QueueList)
        if list_changed:
            queue_list.reset()
        else:
            queue_list.show_cursor()
        self.query_one(StatusBar).refresh()
        self.query_one(StudentView).update_view()

    def report(self, result: Result) -> None:
        """Show what an action did and repaint; the bell for a conflict (it must not go unseen).

        When the decision was the last one left, the end-of-queue summary follows.
        """
        if result.message:
            self.say(result.message, severity=result.severity)  # type: ignore[arg-type]
        if result.conflicts:
            self.app.bell()
        self.refresh_view(list_changed=False)
        if result.changed and self.session.counts.undecided == 0 and self._open_before:
            self.show_summary()
        self._open_before = self.session.counts.undecided

    def show_summary(self) -> None:
        """The end-of-queue summary (also from the palette at any time)."""
        self.app.push_screen(SummaryScreen(summary_rows(self.session.counts), self.session.readonly), self._after_summary)

    def _after_summary(self, export: bool | None) -> None:
        if export:
            self.action_export()

    # -- deciding ------------------------------------------------------------------------

    def action_choose(self) -> None:
        """Enter: choose the highlighted candidate and go to the next undecided."""
        self._choose(None)

    def action_choose_number(self, number: int) -> None:
        """1-9: choose a candidate by its number."""
        self._choose(number)

    def _choose(self, number: int | None) -> None:
        """Choose, asking first when this candidate scores under 50 (see `ReviewSession.choose_question`)."""
        question = self.session.choose_question(number)
        if question is None:
            self.report(self.session.choose(number))
            return
        self.confirm(question, lambda: self.report(self.session.choose(number)),
                     "The student's record would be merged with another child's, which only the state can undo.")

    def open_dialog(self, dialog: ConfirmScreen | NoteScreen | BulkAcceptScreen | ExportScreen, done) -> None:
        """Push a dialog; keys typed after the key that opened it reach the dialog (see `key_gate`)."""
        self.app.push_screen(dialog, done)

    def confirm(self, question: str, then, detail: str = "") -> None:
        """Ask a y / Esc question; run `then()` only on a y typed after it showed."""

        def done(yes: bool | None) -> None:
            if yes:
                then()
            else:
                self.say("Cancelled: nothing changed.", timeout=3)

        kept = self._kept_dialog(ConfirmScreen)
        self.open_dialog(self._keep(ConfirmScreen(question, detail)) if kept is None else kept.ask(question, detail), done)

    def _kept_dialog(self, kind: type[D]) -> D | None:
        """The dialog of this kind shown before, to show again (None: build one, and `_keep` it).

        A dialog built anew costs its widgets, their styles and a new screen's first layout (two
        paintings of the dimmed screen under it): more than the 50 ms a key may take at 200,000
        students. None too while that dialog is open (a question asked from another's answer).
        """
        kept = self._kept.get(kind)
        return kept if isinstance(kept, kind) and kept not in self.app.screen_stack else None

    def _keep(self, dialog: D) -> D:
        """Keep the first dialog of its kind to show again; installed, so that Textual does not remove it
        once dismissed (the app removes it when it closes)."""
        if type(dialog) not in self._kept:
            self._kept[type(dialog)] = dialog
            self.app.install_screen(dialog, f"kept-{type(dialog).__name__}")
        return dialog

    def action_none(self) -> None:
        """n: none of these (asks first when the best candidate scores 50+)."""
        question = self.session.none_question()
        if question is None:
            self.report(self.session.mark_none())
            return
        self.confirm(question, lambda: self.report(self.session.mark_none()),
                     "A student who is already in the registry would get a second SSID, which only the state "
                     "can undo.")

    def action_none_all(self) -> None:
        """N: none of these for every undecided No Match student in the view, after a count and y."""
        if self.session.readonly:
            self.report(self.session.mark_none_all([]))
            return
        ids = self.session.none_all_ids()
        if not ids:
            self.report(self.session.mark_none_all(ids))
            return

        def mark() -> None:
            self.report(self.session.mark_none_all(ids))
            self.refresh_view(list_changed=True)

        self.confirm(f"Mark {plural(len(ids), 'undecided No Match student')} in this view none of these? y / Esc",
                     mark, "One step: one u undoes them all.")

    def action_note(self) -> None:
        """m: write or edit the current student's note."""
        s = self.session.student
        if s is None or self.session.readonly:
            self.report(self.session.set_note(""))
            return

        def done(text: str | None) -> None:
            if text is None:
                self.say("Note unchanged.", timeout=2)
            else:
                self.report(self.session.set_note(text))

        self.open_dialog(NoteScreen(s.local_id, s.note), done)

    def action_follow_up(self) -> None:
        """t: tag or untag for follow-up."""
        self.report(self.session.toggle_follow_up())

    def action_skip(self) -> None:
        """s: skip for now."""
        self.report(self.session.skip())

    def action_undo(self) -> None:
        """u: undo the latest step (asks first when it changed more than one student)."""
        question = self.session.undo_question()
        if question is None:
            self._undo()
        else:
            self.confirm(question, self._undo)

    def _undo(self) -> None:
        result = self.session.undo()
        self.report(result)
        if result.changed:
            self.query_one(QueueList).reset()

    def action_clear(self) -> None:
        """c: clear this student's decision."""
        self.report(self.session.clear())

    def action_bulk(self) -> None:
        """b: bulk accept, after a typed score and a confirmation."""
        if self.session.readonly:
            self.report(Result(f"Read-only: {self.session.readonly_reason}. Decisions cannot be recorded.", "warning"))
            return

        def done(score: int | None) -> None:
            if score is None:
                self.say("Bulk accept cancelled: nothing changed.", timeout=3)
                return
            self.report(self.session.bulk_accept(score))
            self.refresh_view(list_changed=True)

        self.open_dialog(BulkAcceptScreen(self.session.bulk_count, self.session.bulk_preview), done)

    # -- moving ------------------------------------------------------------------------------

    def action_candidate(self, delta: int) -> None:
        """j/k: highlight another candidate."""
        if self.session.move_candidate(delta):
            self.query_one(StudentView).update_view()  # the flags too: a long candidate name stands there whole

    def _goto(self, index: int | None) -> None:
        if index is not None and self.session.goto(index):
            self.refresh_view()

    def action_student(self, delta: int) -> None:
        """J/K: next or previous student."""
        self._goto(self.session.index + delta)

    def action_page(self, direction: int) -> None:
        """PgDn/PgUp: a page of students."""
        self.session.goto(self.query_one(QueueList).page(direction))
        self.refresh_view()  # the list scrolled even where the cursor could not move

    def action_first(self) -> None:
        """g: first student."""
        self._goto(0)

    def action_last(self) -> None:
        """G: last student."""
        self._goto(len(self.session.ids) - 1)

    def action_next_undecided(self) -> None:
        """Tab: next undecided student."""
        self._jump_undecided(1)

    def action_previous_undecided(self) -> None:
        """shift+Tab: previous undecided student."""
        self._jump_undecided(-1)

    def _jump_undecided(self, direction: int) -> None:
        index = self.session.next_undecided(direction)
        if index is None:
            self.say("Every student in this view is decided.", timeout=3)
        else:
            self._goto(index)

    # -- viewing ---------------------------------------------------------------------------

    def action_filter(self) -> None:
        """f: the filter menu."""

        def done(choice: tuple[str, bool] | None) -> None:
            if choice is not None:
                self.set_filter(*choice)

        ses = self.session
        shown = (ses.filter, ses.counts, ses.undecided_only, ses.band_counts())
        kept = self._kept_dialog(FilterMenu)
        self.app.push_screen(self._keep(FilterMenu(*shown)) if kept is None else kept.show_menu(*shown), done)

    def set_filter(self, name: str, undecided_only: bool | None = None) -> None:
        """Apply a filter (also used by the command palette); remembered in the workspace."""
        self.session.set_filter(name, undecided_only)
        self.refresh_view(list_changed=True)
        n = len(self.session.ids)
        self.say(f"Filter {self.session.filter_label}: {plural(n, 'student')}.", timeout=3)

    def action_lookup(self) -> None:
        """l: search the registry as `ssid-tui find` does, pre-filled with the student; choose an SSID found."""
        s, path = self.session.student, self.session.registry_path
        if s is None:
            self.say("No student here: change the filter (f) or the search (/).", severity="warning")
            return
        if path is None or not path.is_file():
            # the fix before the path: a long path is what the message line cuts, never the fix
            self.say(f"Lookup cannot run, the registry is gone: load the ODS extract again with ssid-tui ods "
                     f"load (the workspace was matched against {path}).", severity="warning")
            return

        def done(found: MatchCandidate | None) -> None:
            if found is not None:
                self.report(self.session.choose_found(found))

        self.app.push_screen(LookupScreen(path, lookup_query(s), s.local_id, self.session.readonly), done)

    def action_sort(self) -> None:
        """o: next sort order."""
        label = self.session.cycle_sort()
        self.refresh_view(list_changed=True)
        self.say(f"Sort: {label}.", timeout=3)

    def action_search(self) -> None:
        """/: the search box, empty (a new search is the common case; Esc keeps the current one).

        It is drawn in the message line's place, which changes no layout (see `line_edit`).
        """
        self.query_one(MessageLine).edit(SEARCH_HINT)

    @property
    def search_open(self) -> bool:
        """True while the search box is open (keys are typed into it)."""
        return self.query_one(MessageLine).box is not None

    def on_key(self, event: events.Key) -> None:
        """Clear the last message; while the search box is open, every key edits it.

        Keys reach the screen one at a time, each after the one before is done (`key_gate`),
        so the keys typed after / go into the box: n, s and digits are text there, not
        decisions. Enter applies the search here and now, so that a key typed after it acts
        on the search's result; Esc closes the box and keeps the search as it was.
        """
        self.app.clear_notifications()  # nothing stays over the comparison once a key is pressed
        line = self.query_one(MessageLine)
        box = line.box
        if self.too_small or box is None:
            line.show("information", "")  # the last key's message goes with the next key
            return  # the bindings (while too small they refuse everything but q: check_action)
        if event.key == "enter":
            line.show("information", "")
            self.set_search(box.value)
        elif event.key == "escape":
            line.show("information", "")
        elif box.key(event.key, event.character):
            line.refresh()
        event.stop()
        event.prevent_default()

    def on_paste(self, event: events.Paste) -> None:
        """A paste while the search box is open goes into it (its first line)."""
        box = self.query_one(MessageLine).box
        if box is not None:
            box.insert(event.text)
            self.query_one(MessageLine).refresh()
            event.stop()

    def set_search(self, text: str) -> None:
        """Apply a search (empty: no search)."""
        self.session.set_search(text)
        self.refresh_view(list_changed=True)
        n = len(self.session.ids)
        if self.session.search:
            self.say(f"{plural(n, 'student')} {plural_noun(n, 'matches', 'match')} {quoted(self.session.search)}"
                        f"{'' if self.session.filter == 'all' else ' in ' + self.session.filter_label}.",
                        severity="information" if n else "warning", timeout=4)
        else:  # the count of the search just cleared would stay on the line
            self.say(f"Search cleared: {plural(n, 'student')} in {self.session.filter_label}.")

    def action_reload(self) -> None:
        """r: read the workspace again (another session may have decided)."""
        self.session.reload()
        self.refresh_view(list_changed=True)
        self.say("Reloaded.", timeout=2)

    def action_whole(self) -> None:
        """v: the student and the highlighted candidate with every value whole (the comparison cuts long ones)."""
        s = self.session.student
        if s is None:
            self.say("No student here: change the filter (f) or the search (/).", severity="warning")
            return
        self.app.push_screen(RecordScreen(record_text(s, self.session.candidate, self.session.cand_index + 1)))

    def action_help(self) -> None:
        """?: every key."""
        self.app.push_screen(HelpScreen())

    def action_quit(self) -> None:
        """q: quit; nothing to save."""
        self.app.exit()

    # -- export --------------------------------------------------------------------------

    def action_export(self) -> None:
        """e: ask for the folder, say how many are undecided (and ask), then write the four files."""
        from ssid_tui.exports.writers import default_names  # lazily: export is rarely used

        c = self.session.counts
        note = f"{c.decided:,} of {c.total:,} students decided; {c.left:,} left (exported without an SSID)."
        if c.conflicts:
            key = filter_key("conflicts")
            note += (f"\n{plural(c.conflicts, 'SSID is', 'SSIDs are')} chosen twice: export refuses until they are "
                     f"resolved (filter {key} lists them).")
        names = list(default_names(self.session.ws).values())
        self.open_dialog(ExportScreen(default_export_folder(self.session.ws.path), note, names), self._export_to)

    def _export_to(self, folder: Path | None) -> None:
        if folder is None:
            return
        if folder.exists() and not folder.is_dir():  # a missing folder is made, as `export --to` makes it
            self.say(f"{folder} is a file, not a folder: give the folder to write the four files into (Esc cancels).",
                     severity="error", timeout=10)
            return
        from ssid_tui.exports.writers import undecided_note

        undecided = undecided_note(self.session.ws)
        if undecided is None:
            self._write_all(folder)
        else:
            self.confirm(f"Export with {plural(self.session.counts.left, 'student')} undecided? y / Esc",
                         lambda: self._write_all(folder), undecided)

    def _write_all(self, folder: Path) -> None:
        """In a thread, on a read-only connection of its own: the review goes on meanwhile."""
        self.say(f"Exporting to {folder}...", timeout=3)
        path, key = self.session.ws.path, filter_key("conflicts")

        def work() -> None:
            severity, message = write_all(path, folder, key)
            self.app.call_from_thread(self.say, message, severity=severity, timeout=15)

        self.run_worker(work, thread=True, group="export", exit_on_error=True)
