"""The search for the same child twice in the upload, done beside a run's matching, a little at a time.

Between two matched chunks the parent adds the next slice of students to the search's
blocks (`TwinSearch`: birth dates and block numbers only); once all are in, the pairs
sharing a block are cut into chunks of PAIR_CHUNK pairs that the run's workers score
between their matching chunks, each with only its pairs' students. So no worker holds
the whole upload, both share the scoring, and the pairs found are the ones
`upload_duplicates` finds, in the same order.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Callable
from dataclasses import dataclass

from ssid_tui.formats.senr import SenrRecord
from ssid_tui.matching.duplicates import TwinSearch, scored_pairs
from ssid_tui.matching.matcher import Matcher, Submitted
from ssid_tui.workspace.match_pool import Workers
from ssid_tui.workspace.match_rows import senr_values

#: Students added to the search between two matched chunks.
SLICE = 1000
#: Pairs a worker scores in one go (about a tenth of a second).
PAIR_CHUNK = 2000

Twin = tuple[str, str, int]


@dataclass(frozen=True)
class PairChunk:
    """Pairs of the upload's students (numbered from 0) with each one's local ID and submitted record."""

    pairs: list[tuple[int, int]]
    students: dict[int, tuple[str, Submitted]]


def score_pair_chunk(matcher: Matcher, chunk: PairChunk) -> list[Twin]:
    """The pairs of a chunk that look like one child (`scored_pairs`), for a worker."""
    return scored_pairs(matcher, chunk.pairs, chunk.students)


def _student(rec: SenrRecord) -> tuple[str, Submitted]:
    values = senr_values(rec)
    return values.get("local_id", ""), Submitted.from_fields(values)


class UploadTwins:
    """One run's search for the same child twice: `step()` between chunks, `result()` at the end."""

    def __init__(self, pool: Workers, records: list[SenrRecord], matcher: Matcher) -> None:
        self._pool, self._records, self._matcher = pool, records, matcher
        self._search: TwinSearch | None = TwinSearch()
        self._added = 0
        self._todo: deque[list[tuple[int, int]]] = deque()
        self._sent: list[Callable[[], list[Twin]]] = []

    def step(self) -> None:
        """A little more of the search: the next SLICE students, or one chunk of pairs sent to a worker."""
        if self._search is not None:
            if self._added < len(self._records):
                upto = min(self._added + SLICE, len(self._records))
                self._search.add(_student(rec)[1] for rec in self._records[self._added : upto])
                self._added = upto
                return
            pairs = self._search.pairs()
            self._search = None
            self._todo.extend(pairs[i : i + PAIR_CHUNK] for i in range(0, len(pairs), PAIR_CHUNK))
        if self._todo:
            pairs = self._todo.popleft()
            students = {i: _student(self._records[i]) for i in sorted({i for pair in pairs for i in pair})}
            self._sent.append(self._pool.submit(score_pair_chunk, PairChunk(pairs, students), self._matcher))

    def result(self) -> list[Twin]:
        """Every pair found (as `upload_duplicates` lists them), once the rest of the search is done."""
        while self._search is not None or self._todo:
            self.step()
        return [twin for waiting in self._sent for twin in waiting()]
