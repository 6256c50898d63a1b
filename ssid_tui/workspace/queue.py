"""The review queue: which students to show, in what order, and the counts around them.

Queries return student ids only, so the app can hold a 50,000-student queue as a list of
integers and fetch the rows of the visible page on demand.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from ssid_tui.formats.results import MatchCategory
from ssid_tui.matching.matcher import CONFIDENT_SCORE, LIKELY_SCORE
from ssid_tui.workspace import queue_cache, review_notes
from ssid_tui.workspace import search as student_search
from ssid_tui.workspace.decisions import CONFLICT_SSIDS_SQL
from ssid_tui.workspace.statuses import STATUS_SQL, DecisionStatus
from ssid_tui.workspace.store import Workspace

_CHOSEN, _NONE, _SKIPPED = DecisionStatus.CHOSEN, DecisionStatus.NONE, DecisionStatus.SKIPPED

#: Filter name -> SQL condition on student `s` and decision `d`.
FILTERS: dict[str, str] = {
    "all": "1 = 1",
    "undecided": f"(d.status IS NULL OR d.status = '{_SKIPPED}')",
    "single": f"s.category = '{MatchCategory.SINGLE}'",
    "multiple": f"s.category = '{MatchCategory.MULTIPLE}'",
    "nomatch": f"s.category = '{MatchCategory.NO_MATCH}'",
    "decided": f"d.status IN ('{_CHOSEN}', '{_NONE}')",
    "skipped": f"d.status = '{_SKIPPED}'",
    "conflicts": f"d.status = '{_CHOSEN}' AND d.ssid IN ({CONFLICT_SSIDS_SQL})",
    "duplicates": "s.id IN (SELECT student_id FROM upload_duplicate)",
    "followup": "s.id IN (SELECT student_id FROM annotation WHERE follow_up = 1)",
    "note": "s.id IN (SELECT student_id FROM annotation WHERE note != '')",
    # Score bands: the easy ones are confident (90+), these need a look. The names are stored
    # (a reviewer's remembered filter), so they keep their numbers.
    "single_below_90": f"s.category = '{MatchCategory.SINGLE}' AND s.best_score < {CONFIDENT_SCORE}",
    "score_50_89": f"s.best_score >= {LIKELY_SCORE} AND s.best_score < {CONFIDENT_SCORE}",
    "score_below_50": f"s.best_score < {LIKELY_SCORE}",
    "registry_duplicates": "s.id IN (SELECT student_id FROM registry_duplicate)",
}
FILTER_LABELS: dict[str, str] = {
    "all": "All", "undecided": "Undecided", "single": str(MatchCategory.SINGLE),
    "multiple": str(MatchCategory.MULTIPLE), "nomatch": str(MatchCategory.NO_MATCH), "decided": "Decided",
    "skipped": "Skipped", "conflicts": "Conflicts",
    "duplicates": "Twice in upload", "followup": "Follow-up", "note": "Has a note",
    "single_below_90": f"Single under {CONFIDENT_SCORE}", "score_50_89": f"Score {LIKELY_SCORE}-{CONFIDENT_SCORE - 1}",
    "score_below_50": f"Score under {LIKELY_SCORE}",
    "registry_duplicates": "Twice in registry",
}
#: Shown after a filter's label when it is combined with "undecided only".
UNDECIDED_ONLY_LABEL = "undecided"

#: Sort name -> ORDER BY clause.
SORTS: dict[str, str] = {
    "file": "s.seq",
    "score_desc": "COALESCE(s.best_score, -1) DESC, s.seq",
    "score_asc": "COALESCE(s.best_score, -1) ASC, s.seq",
    "name": "s.sort_name, s.seq",
}
SORT_LABELS: dict[str, str] = {
    "file": "file order", "score_desc": "score, high first", "score_asc": "score, low first", "name": "name",
}


@dataclass(frozen=True)
class Counts:
    """Where the review stands."""

    total: int
    single: int
    multiple: int
    nomatch: int
    chosen: int
    none: int
    skipped: int
    conflicts: int
    duplicates: int = 0  # students that may be the same child as another local ID of the upload
    notes: int = 0
    follow_ups: int = 0
    registry_duplicates: int = 0  # students with two candidate SSIDs that look like one child

    @property
    def decided(self) -> int:
        """Students with a final decision (a chosen SSID or "none of these")."""
        return self.chosen + self.none

    @property
    def undecided(self) -> int:
        """Students with no decision at all (skipped ones not counted)."""
        return self.total - self.decided - self.skipped

    @property
    def percent_done(self) -> int:
        """Share of students with a final decision, rounded down (100 only when every one is decided)."""
        return 100 if self.total == 0 else self.decided * 100 // self.total

    @property
    def left(self) -> int:
        """Students still to decide (skipped ones included)."""
        return self.total - self.decided


def filter_label(filter_name: str, undecided_only: bool = False) -> str:
    """'Score 50-89' or 'Score 50-89, undecided' for the status line and messages."""
    label = FILTER_LABELS[filter_name]
    if undecided_only and filter_name not in ("undecided", "skipped"):
        label += f", {UNDECIDED_ONLY_LABEL}"
    return label


def queue_ids(ws: Workspace, filter_name: str = "all", search: str = "", sort: str = "file",
              *, undecided_only: bool = False) -> list[int]:
    """Ids of the students that pass the filter (and "undecided only") and search, in the chosen order.

    Search: see `search.find` (local ID, SSID, birth date, names; case and accents ignored),
    the same search the review app runs.
    """
    where = [FILTERS[filter_name]]
    if undecided_only:
        where.append(FILTERS["undecided"])
    sql = (
        "SELECT s.id FROM student s LEFT JOIN decision d ON d.student_id = s.id "
        f"WHERE {' AND '.join(where)} ORDER BY {SORTS[sort]}"
    )
    ids = [r[0] for r in ws.conn.execute(sql)]
    found = student_search.find(ws, search)
    return ids if found is None else [i for i in ids if i in found]


def file_order_ids(ws: Workspace) -> tuple[Sequence[int], bool]:
    """Every student id in file order, and whether that is ascending id order.

    When the ids follow the file order (as a run stores them) they are a range, not a list
    fetched one by one (200,000 ids cost 40 ms to fetch); whether they do is a scan of every
    student, kept in the workspace (see `queue_cache`).
    """
    facts = queue_cache.student_facts(ws)
    if facts.ids_in_file_order:
        return range(facts.first_id, facts.last_id + 1), True
    return queue_ids(ws, "all", sort="file"), False


def counts(ws: Workspace) -> Counts:
    """Counts by category and by decision, and the number of SSIDs chosen twice."""
    cat = queue_cache.student_facts(ws).categories
    dec = dict(ws.conn.execute(
        "SELECT d.status, COUNT(*) FROM decision d JOIN student s ON s.id = d.student_id GROUP BY d.status"
    ).fetchall())
    conflicts = ws.conn.execute(f"SELECT COUNT(*) FROM ({CONFLICT_SSIDS_SQL})").fetchone()[0]
    duplicates = ws.conn.execute("SELECT COUNT(DISTINCT student_id) FROM upload_duplicate").fetchone()[0]
    notes, follow_ups = review_notes.counts(ws)
    look_alikes = ws.conn.execute("SELECT COUNT(DISTINCT student_id) FROM registry_duplicate").fetchone()[0]
    return Counts(
        total=sum(cat.values()), single=cat.get(MatchCategory.SINGLE, 0), multiple=cat.get(MatchCategory.MULTIPLE, 0),
        nomatch=cat.get(MatchCategory.NO_MATCH, 0), chosen=dec.get(_CHOSEN, 0), none=dec.get(_NONE, 0),
        skipped=dec.get(_SKIPPED, 0), conflicts=conflicts, duplicates=duplicates, notes=notes,
        follow_ups=follow_ups, registry_duplicates=look_alikes,
    )


def status_counts_at_score(ws: Workspace, min_score: int) -> dict[DecisionStatus, int]:
    """Students whose best candidate scores `min_score` or more, by decision status."""
    rows = ws.conn.execute(
        f"SELECT {STATUS_SQL}, COUNT(*) FROM student s LEFT JOIN decision d ON d.student_id = s.id "
        "WHERE s.best_score >= ? GROUP BY 1", (min_score,)).fetchall()
    return {DecisionStatus(status): n for status, n in rows}


#: The score-band filters (their counts are in the filter menu).
BAND_FILTERS = ("single_below_90", "score_50_89", "score_below_50")


def band_counts(ws: Workspace) -> dict[str, int]:
    """How many students each score-band filter lists (one pass over the student table)."""
    row = ws.conn.execute(
        "SELECT SUM(category = ? AND best_score < 90), SUM(best_score BETWEEN 50 AND 89), "
        "SUM(best_score < 50) FROM student", (MatchCategory.SINGLE,)
    ).fetchone()
    return {"single_below_90": row[0] or 0, "score_50_89": row[1] or 0, "score_below_50": row[2] or 0}
