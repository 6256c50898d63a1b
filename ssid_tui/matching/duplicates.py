"""The same child twice in one upload: two Local Student IDs that the matcher would match.

Each pair of submitted students that share a blocking key of the matcher (a name sound
with the same or day/month-swapped birth date; or surname and given-name sounds with a
nearly equal date) is scored with the matcher's own comparisons, one student as the
submitted record and the other as if it were a registry name record. A pair scoring
DUPLICATE_SCORE or more is flagged: the state would give them two SSIDs for one child.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from itertools import combinations

from ssid_tui.matching.blocking import date_variants
from ssid_tui.matching.comparisons import VALUE_FIELDS, Frequencies
from ssid_tui.matching.matcher import CONFIDENT_SCORE, Arrangement, Matcher, NameRow, Submitted
from ssid_tui.matching.name_forms import NameForms
from ssid_tui.matching.registry_duplicates import SAME_FIRST, same_name

#: A pair scoring this or more is shown as a possible duplicate.
DUPLICATE_SCORE = CONFIDENT_SCORE
#: Blocks larger than this are name-only keys of very common names; their pairs are compared
#: only on exact or swapped birth dates (the date blocks), so a 50,000-student upload stays fast.
MAX_BLOCK = 400
#: A pair scoring this close below DUPLICATE_SCORE one way is scored the other way too.
SECOND_LOOK = 40


def _close_dates(a: str, b: str) -> bool:
    """Dates that could be one child's: equal, day and month swapped, or at most two digits apart."""
    if len(a) != 8 or len(b) != 8:
        return False
    return b in date_variants(a) or sum(x != y for x, y in zip(a, b)) <= 2


#: First-name levels of one child's name given twice: the same, or a nickname (BOB for ROBERT).
SAME_CHILD_FIRST = SAME_FIRST | {"nickname"}


def _one_childs_names(a: Submitted, b: Submitted, freq: Frequencies) -> bool:
    """The registry-duplicate rule's names (`same_name`), a nickname also counting as the same first name.

    A score alone flags twins and siblings: JULIAN DANIEL and JAYLEN ELIJAH SIMMONS born the same
    day score 94 (cold test), though their first names differ, as twins' do.
    """
    return any(same_name(x, y, freq, SAME_CHILD_FIRST)
               for _s, x in a.name_variants() for _t, y in b.name_variants())


def _rows(sub: Submitted, local_id: str) -> list[NameRow]:
    """A submitted student as registry name records (legal, and alias if given) for `score_row`."""
    rows = [(0, local_id, "legal", sub.first, sub.middle, sub.last, sub.birth_date)]
    if sub.alias_first or sub.alias_last:
        rows.append((0, local_id, "alias", sub.alias_first or sub.first, sub.alias_middle,
                     sub.alias_last or sub.last, sub.birth_date))
    return rows


def _keys(forms_of: list[tuple[str, NameForms]], birth_date: str) -> set[tuple[str, ...]]:
    """A student's blocking keys: each name sound with each date variant, and surname with given-name sound."""
    keys: set[tuple[str, ...]] = set()
    for _src, forms in forms_of:
        for d in date_variants(birth_date):
            keys |= {("d", d, k) for k in forms.token_keys()}
        if forms.last_key1 and forms.first_key:
            keys.add(("n", *sorted((forms.last_key1, forms.first_key))))
    return keys


class TwinSearch:
    """The pairs of an upload's students that share a blocking key, students added a slice at a time.

    Only each student's birth date and block memberships are kept (not its names), so the
    search can run beside a run's matching; `upload_duplicates` scores the pairs.
    """

    def __init__(self) -> None:
        self._blocks: dict[tuple[str, ...], list[int]] = defaultdict(list)
        self._dates: list[str] = []

    def add(self, students: Iterable[Submitted]) -> None:
        """The next students of the upload, in order (numbered from 0 across calls)."""
        for sub in students:
            i = len(self._dates)
            self._dates.append(sub.birth_date)
            for key in _keys(sub.name_variants(), sub.birth_date):
                self._blocks[key].append(i)

    def pairs(self) -> list[tuple[int, int]]:
        """Every pair (i, j), i < j, in order: sharing a date block, or a name block with close dates.

        The blocks are dropped once read: call it once, after the last `add`.
        """
        dates, pairs = self._dates, set()
        for key, members in self._blocks.items():
            if len(members) < 2 or (key[0] == "n" and len(members) > MAX_BLOCK):
                continue
            for i, j in combinations(members, 2):
                if key[0] == "d" or _close_dates(dates[i], dates[j]):
                    pairs.add((i, j) if i < j else (j, i))
        self._blocks = defaultdict(list)
        return sorted(pairs)


def scored_pairs(matcher: Matcher, pairs: Iterable[tuple[int, int]], students: Mapping[int, tuple[str, Submitted]],
                 min_score: int = DUPLICATE_SCORE) -> list[tuple[str, str, int]]:
    """(local ID, other local ID, score) of each of `pairs` scoring `min_score`+, in the pairs' order.

    `students` holds (local ID, submitted record) by number for every student of the pairs.
    A pair is scored one way first; the other way (the submitted alias may be only on one
    side) only when the first comes within SECOND_LOOK of `min_score`.
    """
    arrangements: dict[int, list[Arrangement]] = {}

    def score(a: int, b: int) -> int:
        sub, (other_id, other) = students[a][1], students[b]
        arr = arrangements.get(a)
        if arr is None:
            arr = arrangements[a] = sub.arrangements(sub.name_variants())
        demo = {f: getattr(other, f) for f in VALUE_FIELDS}
        best = 0
        for row in _rows(other, other_id):
            weight, _c, _kind = matcher.score_row(sub, arr, row, demo)
            value = matcher.to_score(weight)
            if value == 100:  # 100 only when every field agrees: the explanation says
                weight, comps, _kind = matcher.score_row(sub, arr, row, demo, explain=True)
                value = matcher.to_score(weight, comps)
            best = max(best, value)
        return best

    out = []
    for i, j in pairs:
        best = score(i, j)
        if min_score - SECOND_LOOK <= best < min_score:
            best = max(best, score(j, i))
        if best >= min_score and _one_childs_names(students[i][1], students[j][1], matcher.freq):
            out.append((students[i][0], students[j][0], best))
    return out


def upload_duplicates(matcher: Matcher, students: Sequence[tuple[str, Submitted]],
                      min_score: int = DUPLICATE_SCORE) -> list[tuple[str, str, int]]:
    """(local ID, other local ID, score) of every pair scoring `min_score`+, each pair once (`TwinSearch`, `scored_pairs`)."""
    search = TwinSearch()
    search.add(sub for _lid, sub in students)
    return scored_pairs(matcher, search.pairs(), dict(enumerate(students)), min_score)
