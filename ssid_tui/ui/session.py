"""The state of one review session, free of Textual: the queue, the cursor, and the decisions.

The app's widgets read this object and its actions call it, so every rule about what a
key does (which student comes next, what "undecided" means, what a decision changed) is
here, in plain Python that tests can drive without a terminal. All reads and writes go
through the domain modules (`queue`, `decisions`, `workspace`); there is no SQL here. The
workspace is opened (locked, or read-only) by `opening`. The queue is a list of student
ids; the rows on screen are fetched a page at a time and cached (one query per page).
"""

from __future__ import annotations

import sqlite3
from collections.abc import Sequence
from dataclasses import replace
from pathlib import Path

from ssid_tui.files.lock import WorkspaceLock
from ssid_tui.matching.matcher import CONFIDENT_SCORE, LIKELY_SCORE
from ssid_tui.matching.matcher import Candidate as MatchCandidate
from ssid_tui.ui.opening import open_for_review
from ssid_tui.ui.outcome import Result, bulk_refusal, step_words, storing, undone
from ssid_tui.ui.outcome import display_name as display_name  # the queue list imports it from here
from ssid_tui.wording import plural
from ssid_tui.workspace import decisions, preferences, queue, registry_duplicates, review_notes
from ssid_tui.workspace import search as student_search
from ssid_tui.workspace.match_run import candidate_record
from ssid_tui.workspace.queue_views import OpenIds, QueueViews, decision_sets
from ssid_tui.workspace.statuses import DecisionStatus
from ssid_tui.workspace.store import Candidate, Student, Workspace, WorkspaceError
from ssid_tui.workspace.store_problems import damaged_message

#: Rows fetched at once when the queue needs a student it has not cached: more than the queue shows on
#: a screen of 50 lines. Reading a row costs about 30 us, and the first screen reads one page.
PAGE_SIZE = 50
#: Cached students beyond this many are dropped (the visible page is fetched again).
CACHE_LIMIT = 5_000
#: Below this score bulk accept warns (and lists what it would take, lowest first).
SAFE_BULK_SCORE = CONFIDENT_SCORE

FILTER_ORDER: tuple[str, ...] = tuple(queue.FILTERS)
SORT_ORDER: tuple[str, ...] = tuple(queue.SORTS)


class ReviewSession:
    """One reviewer's view of a workspace: filter, sort, search, current student and candidate."""

    def __init__(self, ws: Workspace, lock: WorkspaceLock | None, readonly_reason: str | None) -> None:
        self.ws = ws
        self.lock = lock
        #: Why the workspace is read-only (None when decisions can be recorded).
        self.readonly_reason = readonly_reason
        remembered = preferences.read(ws)
        self.filter = remembered.get("review.filter", "all")
        self.filter = self.filter if self.filter in queue.FILTERS else "all"
        self.sort = remembered.get("review.sort", "file")
        self.sort = self.sort if self.sort in queue.SORTS else "file"
        #: Combine the filter with "undecided" (no decision, or skipped).
        self.undecided_only = remembered.get("review.undecided_only") == "1"
        self.search = ""
        self._found: set[int] | None = None  # the students the search finds (None: no search)
        self._views = QueueViews(ws)
        self._preparing = False  # see `prepare`
        self.ids: Sequence[int] = []  # a range when it is every student in file order
        self.index = 0
        self.cand_index = 0
        self._rows: dict[int, Student] = {}
        self._cands: dict[int, list[Candidate]] = {}
        self._open = OpenIds(0, set())  # no decision at all
        self._skipped: set[int] = set()
        self.conflict_ssids: set[str] = set()
        self.reload()
        # resume at the first student with no decision at all (skipped ones come last)
        self.index = next((i for i, sid in enumerate(self.ids) if sid in self._open), 0)
        self.cand_index = self._default_candidate()

    # -- opening and closing ------------------------------------------------------

    @classmethod
    def open(cls, path: str | Path, *, readonly: bool = False) -> ReviewSession:
        """Open a workspace for review, taking its lock; read-only if another process holds it.

        Raises WorkspaceError (one sentence) if the file is not a usable workspace.
        """
        p = Path(path)
        try:
            ws, lock, why = open_for_review(p, readonly)
            try:
                return cls(ws, lock, why)
            except BaseException:
                if lock is not None:
                    lock.release()
                raise
        except sqlite3.DatabaseError:  # the file opened, but its pages cannot be read
            raise WorkspaceError(damaged_message(p)) from None

    def close(self) -> None:
        """Close the workspace and let another process take it."""
        self._views.stop()
        student_search.stop(self.ws)
        self.ws.close()
        if self.lock is not None:
            self.lock.release()
            self.lock = None

    def prepare(self) -> None:
        """Start the background reads (search keys, other sorts, filters: seconds of CPU at 200,000) in
        threads of their own. The app calls this once its first screen is up: sooner, they would
        share the interpreter with the building of that screen and double its time."""
        if not self._preparing:
            self._preparing = True
            student_search.prepare(self.ws)
            self._views.prepare()

    def prepared(self) -> bool:
        """True when the background reads are done (and taken in): the session holds its big lists now."""
        return self._preparing and student_search.prepared(self.ws) and self._views.prepared()

    def wait_prepared(self) -> None:
        """Start the background reads if need be and wait until they are done (tests and benchmarks)."""
        self.prepare()
        student_search.key_index(self.ws)
        self._views.wait_prepared()

    @property
    def readonly(self) -> bool:
        """True when decisions cannot be recorded in this session."""
        return self.readonly_reason is not None

    @property
    def name(self) -> str:
        """The workspace file name, for the status line (printers show it through `visible`)."""
        return self.ws.path.name

    # -- the queue ----------------------------------------------------------------

    def reload(self, keep: int | None = None, *, students: bool = True) -> None:
        """Read everything again: the list, the undecided sets, the counts and the conflicts.

        Used at start, after a bulk step and on `r`. The cursor stays on student `keep`
        (default: the current one) if it is still listed. `students=False` (a bulk step:
        decisions changed, not the students) keeps the sort orders and category and
        score-band filters, which cost a scan of every student to read again.
        """
        if students:
            self._bands: dict[str, int] | None = None
            self._views.clear()
        else:
            self._views.forget_notes()  # an undone import may have changed notes and tags
        self._open, self._skipped = decision_sets(self.ws, len(self._views.order("file")))
        self._found = student_search.find(self.ws, self.search)
        self._refresh_totals()
        self._rows.clear()
        self._cands.clear()
        self._requery(keep)

    def _requery(self, keep: int | None = None) -> None:
        """Run the queue query again (filter, sort or search changed); decisions are unchanged."""
        current = self.current_id if keep is None else keep
        self.ids = self._views.ids(self.filter, self.sort, self._open, self._skipped,
                                   undecided_only=self.undecided_only, found=self._found)
        if current is not None and current in self.ids:
            self.index = self.ids.index(current)
        else:
            self.index = min(self.index, max(len(self.ids) - 1, 0))
        self.cand_index = self._default_candidate()

    def _refresh_totals(self) -> None:
        self.counts = queue.counts(self.ws)
        self.conflict_ssids = set(decisions.all_conflicts(self.ws))

    @property
    def current_id(self) -> int | None:
        """The id of the student under the cursor (None when the view is empty)."""
        return self.ids[self.index] if 0 <= self.index < len(self.ids) else None

    def student_at(self, index: int) -> Student | None:
        """The student at a queue position, fetching its page if it is not cached."""
        if not 0 <= index < len(self.ids):
            return None
        sid = self.ids[index]
        row = self._rows.get(sid)
        if row is None:
            if len(self._rows) > CACHE_LIMIT:
                self._rows.clear()
            start = index - index % PAGE_SIZE
            for s in self.ws.students(self.ids[start : start + PAGE_SIZE]):
                self._rows[s.id] = s
            row = self._rows.get(sid)
        return row

    @property
    def student(self) -> Student | None:
        """The student under the cursor."""
        return self.student_at(self.index)

    def candidates(self, student_id: int | None = None) -> list[Candidate]:
        """A student's candidates, best first (default: the current student)."""
        sid = self.current_id if student_id is None else student_id
        if sid is None:
            return []
        if sid not in self._cands:
            if len(self._cands) > 50:
                self._cands.clear()
            self._cands[sid] = self.ws.candidates(sid)
        return self._cands[sid]

    @property
    def candidate(self) -> Candidate | None:
        """The highlighted candidate of the current student."""
        cands = self.candidates()
        return cands[self.cand_index] if 0 <= self.cand_index < len(cands) else None

    def is_conflict(self, s: Student) -> bool:
        """True when the student's chosen SSID is also chosen for another student."""
        return s.status == DecisionStatus.CHOSEN and s.chosen_ssid in self.conflict_ssids

    # -- moving ---------------------------------------------------------------------

    def goto(self, index: int) -> bool:
        """Put the cursor on a queue position (clamped); True if it moved."""
        if not self.ids:
            return False
        index = max(0, min(index, len(self.ids) - 1))
        moved = index != self.index
        self.index = index
        if moved:
            self.cand_index = self._default_candidate()
        return moved

    def _default_candidate(self) -> int:
        """Highlight the chosen candidate of a decided student, else the best one."""
        s = self.student
        if s is not None and s.chosen_ssid:
            for i, c in enumerate(self.candidates()):
                if c.ssid == s.chosen_ssid:
                    return i
        return 0

    def move_candidate(self, delta: int) -> bool:
        """Move the candidate highlight; True if it moved."""
        n = len(self.candidates())
        if n == 0:
            return False
        new = max(0, min(self.cand_index + delta, n - 1))
        moved, self.cand_index = new != self.cand_index, new
        return moved

    def next_undecided(self, direction: int = 1) -> int | None:
        """Queue position of the next (or previous) undecided student, wrapping round.

        Students with no decision come first; skipped ones only when none is left, so
        skipping really means "come back later". None when every listed student is decided.
        """
        n = len(self.ids)
        if n == 0:
            return None
        pools: tuple[OpenIds | set[int], ...] = (self._open, self._skipped)
        for pool in pools:
            if not pool:
                continue
            for step in range(1, n + 1):
                i = (self.index + direction * step) % n
                if self.ids[i] in pool:
                    return i
        return None

    # -- deciding ---------------------------------------------------------------------

    def _refused(self) -> Result | None:
        if self.readonly:
            return Result(f"Read-only: {self.readonly_reason}. Decisions cannot be recorded.", "warning")
        if self.current_id is None:
            return Result("No student here: change the filter (f) or the search (/).", "warning")
        return None

    def _changed(self, student_ids: list[int]) -> None:
        """Bring the caches, counts and conflicts up to date after a decision on these students.

        Counts move by the change of each student's status, and only the SSIDs involved
        are checked for conflicts, so a key press costs the same with 50 or 50,000 decided.
        """
        before = {sid: self._rows.get(sid) for sid in student_ids}
        after = self.ws.students(student_ids)
        for s in after:
            self._rows[s.id] = s
            self._open.discard(s.id)
            self._skipped.discard(s.id)
            if s.status == DecisionStatus.UNDECIDED:
                self._open.add(s.id)
            elif s.status == DecisionStatus.SKIPPED:
                self._skipped.add(s.id)
        if any(before.get(s.id) is None for s in after):
            self._refresh_totals()  # a student we had not read: count everything again
            return
        moved = {DecisionStatus.CHOSEN: 0, DecisionStatus.NONE: 0, DecisionStatus.SKIPPED: 0, DecisionStatus.UNDECIDED: 0}
        ssids: set[str] = set()
        for s in after:
            old = before[s.id]
            assert old is not None
            moved[old.status] -= 1
            moved[s.status] += 1
            ssids |= {x for x in (old.chosen_ssid, s.chosen_ssid) if x}
        self.conflict_ssids = (self.conflict_ssids - ssids) | set(decisions.conflicts_for(self.ws, ssids))
        c = self.counts
        self.counts = replace(c, chosen=c.chosen + moved[DecisionStatus.CHOSEN], none=c.none + moved[DecisionStatus.NONE],
                              skipped=c.skipped + moved[DecisionStatus.SKIPPED], conflicts=len(self.conflict_ssids))

    def _advance(self) -> str:
        """Move on to the next undecided student; a note when there is none."""
        nxt = self.next_undecided()
        if nxt is None:
            return " Every student in this view is decided."
        self.goto(nxt)
        return ""

    @storing
    def choose(self, number: int | None = None) -> Result:
        """Record the highlighted candidate (or candidate `number`, 1-based) and move on."""
        refused = self._refused()
        if refused:
            return refused
        s, cands = self.student, self.candidates()
        assert s is not None
        if not cands:
            return Result(f"{s.local_id} has no candidates: press n for none of these (new to the state).", "warning")
        index = self.cand_index if number is None else number - 1
        if not 0 <= index < len(cands):
            return Result(f"{s.local_id} has {plural(len(cands), 'candidate')}: there is no number {number}.", "warning")
        ssid = cands[index].ssid
        outcome = decisions.choose(self.ws, s.id, ssid)
        self._changed([s.id])
        if outcome.conflicts:
            others = [lid for lid in outcome.conflicts[ssid] if lid != s.local_id]
            msg = (f"Conflict: SSID {ssid} is also chosen for {', '.join(others)}. "
                   "Both are marked !; filter Conflicts (f) lists them, u undoes.")
            return Result(msg, "warning", outcome.conflicts, True)
        msg = f"{s.local_id}: SSID {ssid} chosen." + self._advance()
        return Result(msg, changed=True)

    @storing
    def choose_found(self, found: MatchCandidate) -> Result:
        """Record an SSID found by a registry lookup (source "lookup") and move on."""
        refused = self._refused()
        if refused:
            return refused
        s = self.student
        assert s is not None
        ssid = found.ssid
        outcome = decisions.choose_found(self.ws, s.id, ssid, found=candidate_record(found))
        self._cands.pop(s.id, None)  # it may have gained a candidate, and a best score
        self._bands = None
        self._views.clear()
        self._changed([s.id])
        if outcome.conflicts:
            others = [lid for lid in outcome.conflicts[ssid] if lid != s.local_id]
            return Result(f"Conflict: SSID {ssid} is also chosen for {', '.join(others)}. "
                          "Both are marked !; filter Conflicts (f) lists them, u undoes.", "warning", outcome.conflicts, True)
        return Result(f"{s.local_id}: SSID {ssid} chosen from the registry lookup." + self._advance(), changed=True)

    @storing
    def mark_none(self) -> Result:
        """Record "none of these" for the current student and move on."""
        refused = self._refused()
        if refused:
            return refused
        s = self.student
        assert s is not None
        decisions.mark_none(self.ws, s.id)
        self._changed([s.id])
        return Result(f"{s.local_id}: none of these (new to the state)." + self._advance(), changed=True)

    def choose_question(self, number: int | None = None) -> str | None:
        """The question choosing asks first when another candidate is the likely one (None: no need to ask).

        With candidate 1 at 98, a 4 typed for 1 would merge the student with another child's
        record, which only the state can undo; choosing a candidate under 50 asks (naming the one
        at 50+ if there is one): under 50 it is more likely another child than this student.
        """
        s, cands = self.student, self.candidates()
        index = self.cand_index if number is None else number - 1
        if s is None or self.readonly or not 0 <= index < len(cands):
            return None
        best = max(range(len(cands)), key=lambda i: cands[i].score)
        chosen = cands[index]
        if chosen.score >= LIKELY_SCORE:
            return None
        if best == index or cands[best].score < LIKELY_SCORE:
            # no likely candidate at all: under 50 it is more likely another child than this student
            return f"Choose candidate {index + 1}, although it scores only {chosen.score}? y / Esc"
        return (f"Choose candidate {index + 1} (score {chosen.score}), although candidate {best + 1} "
                f"scores {cands[best].score}? y / Esc")

    def none_question(self) -> str | None:
        """The question `n` asks first when the best candidate scores 50+ (None: no need to ask).

        A "none of these" on a real match creates a second SSID for the child, which only
        the state can undo; a stray `n` must not do that.
        """
        s, cands = self.student, self.candidates()
        if s is None or not cands or cands[0].score < LIKELY_SCORE or self.readonly:
            return None
        return f"None of these, although candidate 1 scores {cands[0].score}? y / Esc"

    def none_all_ids(self) -> list[int]:
        """Undecided (or skipped) No Match students in the current view, for `N`."""
        nomatch = self._views.members("nomatch")
        return [sid for sid in self.ids if sid in nomatch and (sid in self._open or sid in self._skipped)]

    @storing
    def mark_none_all(self, student_ids: list[int]) -> Result:
        """Record "none of these" for these No Match students as one undoable step."""
        if self.readonly:
            return Result(f"Read-only: {self.readonly_reason}. Decisions cannot be recorded.", "warning")
        if not student_ids:
            return Result("No undecided No Match student in this view: nothing to mark.")
        outcome = decisions.mark_none_many(self.ws, student_ids)
        self.reload(students=False)
        return Result(f"{plural(outcome.changed, 'No Match student')} marked none of these (u undoes them all at once).",
                      changed=outcome.changed > 0)

    @storing
    def set_note(self, text: str) -> Result:
        """Save the current student's one-line note ('' removes it)."""
        refused = self._refused()
        if refused:
            return refused
        s = self.student
        assert s is not None
        outcome = decisions.annotate(self.ws, s.id, review_notes.NOTE, text)
        self._annotated(s.id)
        if not outcome.changed:
            return Result(f"{s.local_id}: note unchanged.")
        return Result(f"{s.local_id}: note {'saved' if review_notes.clean_note(text) else 'removed'} (u undoes).",
                      changed=True)

    @storing
    def toggle_follow_up(self) -> Result:
        """Tag the current student for a follow-up, or take the tag off."""
        refused = self._refused()
        if refused:
            return refused
        s = self.student
        assert s is not None
        decisions.annotate(self.ws, s.id, review_notes.FOLLOW_UP, "" if s.follow_up else review_notes.FOLLOW_UP_ON)
        self._annotated(s.id)
        on = not s.follow_up
        return Result(f"{s.local_id}: {'tagged for follow-up' if on else 'follow-up tag removed'} (t toggles, u undoes).",
                      changed=True)

    def _annotated(self, student_id: int) -> None:
        """Re-read a student whose note or tag changed, and the note counts."""
        for s in self.ws.students([student_id]):
            self._rows[s.id] = s
        notes, follow_ups = review_notes.counts(self.ws)
        self.counts = replace(self.counts, notes=notes, follow_ups=follow_ups)
        self._views.forget_notes()

    def upload_duplicates(self) -> list[tuple[str, int]]:
        """(other local ID, score) that may be the current student twice in this upload."""
        sid = self.current_id
        if sid is None or not self.counts.duplicates:
            return []
        return self.ws.upload_duplicates(sid)

    def registry_duplicates(self) -> dict[str, list[str]]:
        """Candidate SSID -> other candidate SSIDs of the current student that look like the same child."""
        sid = self.current_id
        if sid is None or not self.counts.registry_duplicates:
            return {}
        return registry_duplicates.of_student(self.ws, sid)

    @storing
    def skip(self) -> Result:
        """Mark the current student skipped (come back later) and move on."""
        refused = self._refused()
        if refused:
            return refused
        s = self.student
        assert s is not None
        decisions.skip(self.ws, s.id)
        self._changed([s.id])
        return Result(f"{s.local_id}: skipped for now." + self._advance(), changed=True)

    @storing
    def clear(self) -> Result:
        """Take back the current student's decision (stays on the student)."""
        refused = self._refused()
        if refused:
            return refused
        s = self.student
        assert s is not None
        if s.status == DecisionStatus.UNDECIDED:
            return Result(f"{s.local_id} has no decision to clear.")
        decisions.clear(self.ws, s.id)
        self._changed([s.id])
        return Result(f"{s.local_id}: decision cleared (u puts it back).", changed=True)

    @storing
    def undo(self) -> Result:
        """Undo the latest step (across restarts); the cursor goes to the student it changed."""
        if self.readonly:
            return Result(f"Read-only: {self.readonly_reason}. Nothing can be undone here.", "warning")
        step = decisions.last_step(self.ws)
        changed = decisions.undo(self.ws)
        if not changed or step is None:
            return Result("Nothing to undo.")
        if len(changed) > 1:
            self.reload(students=False)
            return Result(f"Undone: {plural(len(changed), 'decision')} of one step ({step_words(step)}).", changed=True)
        if step.statuses & set(review_notes.KINDS):
            self._annotated(changed[0])
            if changed[0] in self.ids:
                self.goto(self.ids.index(changed[0]))
            s = self._rows.get(changed[0])
            what = "note" if review_notes.NOTE in step.statuses else "follow-up tag"
            return Result(f"Undone: the {what} of {s.local_id if s else changed[0]} is as it was.", changed=True)
        self._changed(changed)
        if step.source == "lookup":  # the candidate the lookup added is gone again, and its score
            self._cands.pop(changed[0], None)
            self._bands = None
            self._views.clear()
            self._requery()
        if changed[0] in self.ids:
            self.goto(self.ids.index(changed[0]))
            self.cand_index = self._default_candidate()
        return undone(self._rows.get(changed[0]) or self.ws.student(changed[0]), changed[0])

    def undo_question(self) -> str | None:
        """The question `u` asks first when the step to undo changed more than one student."""
        if self.readonly:
            return None
        step = decisions.last_step(self.ws)
        if step is None or not step.is_bulk:
            return None
        return f"Undo {step_words(step)}? y / Esc"

    def bulk_count(self, min_score: int) -> tuple[int, int]:
        """How many students bulk accept would decide at this score, and how many it holds back.

        Held back: Single Matches whose SSID is shared with another or already chosen
        (bulk accept never creates a conflict; those are for one-by-one review).
        """
        return len(decisions.bulk_candidates(self.ws, min_score)), decisions.bulk_held_back(self.ws, min_score)

    def bulk_preview(self, min_score: int) -> list[tuple[str, str, int]]:
        """(local ID, name, score) of the students bulk accept would take, lowest score first."""
        return decisions.bulk_preview(self.ws, min_score)

    @storing
    def bulk_accept(self, min_score: int) -> Result:
        """Accept every undecided Single Match at or above `min_score`, as one undoable step."""
        if self.readonly:
            return Result(f"Read-only: {self.readonly_reason}. Decisions cannot be recorded.", "warning")
        if min_score < LIKELY_SCORE:
            return Result(bulk_refusal(min_score), "warning")
        outcome = decisions.bulk_accept(self.ws, min_score)
        self.reload(students=False)
        n = outcome.changed
        held = decisions.bulk_held_back(self.ws, min_score)
        # the counts first: a message longer than the line is cut at its end
        msg = f"Accepted {plural(n, 'Single Match')} scoring {min_score}+"
        msg += (f"; {held:,} held back (SSID shared or already chosen): review them one by one." if held else ".")
        msg += " u undoes it all at once."
        if outcome.conflicts:
            msg += f" {plural(len(outcome.conflicts), 'SSID conflict')}: filter Conflicts (f)."
            return Result(msg, "warning", outcome.conflicts, n > 0)
        return Result(msg, changed=n > 0)

    # -- viewing ----------------------------------------------------------------------

    def set_filter(self, name: str, undecided_only: bool | None = None) -> None:
        """Show only the students of one filter (see `queue.FILTERS`), undecided ones only if asked.

        The cursor stays on the current student if the filter lists it, else goes to the first
        one. The filter is remembered in the workspace (unless it is open read-only).
        """
        self.filter = name
        if undecided_only is not None:
            self.undecided_only = undecided_only
        current = self.current_id
        self._requery()
        if current not in self.ids:  # a new list: its first student, not the old list's place in it
            self.index = 0
            self.cand_index = self._default_candidate()
        self._remember()

    def band_counts(self) -> dict[str, int]:
        """Students per score band, read once per reload (scores change only with a run or a lookup)."""
        if self._bands is None:  # from the bands' students when they are read already: no scan
            self._bands = self._views.sizes(queue.BAND_FILTERS) or queue.band_counts(self.ws)
        return self._bands

    @property
    def filter_label(self) -> str:
        """The filter in words, with ", undecided" when combined."""
        return queue.filter_label(self.filter, self.undecided_only)

    def cycle_sort(self) -> str:
        """Next sort order (remembered in the workspace); returns its label."""
        self.sort = SORT_ORDER[(SORT_ORDER.index(self.sort) + 1) % len(SORT_ORDER)]
        self._requery()
        self._remember()
        return queue.SORT_LABELS[self.sort]

    def _remember(self) -> None:
        preferences.write(self.ws, {"review.filter": self.filter, "review.sort": self.sort,
                                    "review.undecided_only": "1" if self.undecided_only else "0"})

    @property
    def registry_path(self) -> Path | None:
        """The registry the workspace was matched against (from the latest run)."""
        run = self.ws.latest_run()
        return Path(run["registry_path"]) if run and run.get("registry_path") else None

    def set_search(self, text: str) -> None:
        """Show only students whose name or local ID contains `text` (empty: no search)."""
        self.search = text.strip()
        self._found = student_search.find(self.ws, self.search)
        self._requery()
        if self.search:
            self.index = 0
            self.cand_index = self._default_candidate()
