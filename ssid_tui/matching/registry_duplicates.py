"""Two SSIDs of one child: candidates of one student whose registry records look alike.

When the state created a second SSID for a child (a typo in a later enrollment, a name
spelt another way), both come back as candidates of the same student, and the matcher's
scores already share the student's probability between them. This module says which
candidates those are, so that the reviewer can pick one and tell the state about the other.

The rule, comparing the two registry records with each other (legal names, and each
alias against the other's names; an alias without a middle name has the legal one):

- first name the same, or the same without spaces and hyphens; last name the same, or the
  same without spaces or particles; one of the two may instead be one edit apart
  (a letter dropped, added, changed or two swapped: JI-WOO ~ JI-YOO, not MARIA ~ MARIANA);
- middle name not different (blank, an agreeing initial, or alike);
- the same birth date; every other compared field (`comparisons.VALUE_RULES`: gender, birth
  country, state and city) not different (blank on either side is no evidence);
- and the matcher, given one record as a submitted student, scores the other
  SAME_CHILD_SCORE or more on its own (the bar of the same child twice in an upload): a
  common name on a common birth date is not enough in a large registry.

Twins and siblings fail it: they differ in the first name or the birth date.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping

from rapidfuzz.distance import OSA

from ssid_tui.matching.comparisons import VALUE_RULES, Frequencies, first_level, last_level, middle_level
from ssid_tui.matching.name_forms import NameForms

#: First- and last-name levels that count as "the same name" here.
SAME_FIRST = frozenset({"exact", "compact"})
SAME_LAST = frozenset({"exact", "compact", "particle dropped"})
#: What one record must score as a candidate for the other (`Matcher.record_score`).
SAME_CHILD_SCORE = 90
#: Levels that contradict a look-alike.
DIFFERENT = frozenset({"different", "X vs M/F"})


def _names(record: Mapping[str, str]) -> list[NameForms]:
    out = [NameForms.of(record.get("first", ""), record.get("middle", ""), record.get("last", ""))]
    if record.get("alias_first") or record.get("alias_last"):
        out.append(NameForms.of(record.get("alias_first") or record.get("first", ""),
                                record.get("alias_middle") or record.get("middle", ""),
                                record.get("alias_last") or record.get("last", "")))
    return out


def same_name(a: NameForms, b: NameForms, freq: Frequencies, same_first: frozenset[str] = SAME_FIRST) -> bool:
    """One child's name twice: first and last name the same (`same_first` levels), or one of them one
    edit apart, and the middle names not different. Twins and siblings differ in the first name."""
    if not (a.first and a.last and b.first and b.last):
        return False
    first_same = first_level(a, b, freq, sexes_differ=False)[0] in same_first
    last_same = last_level(a, b, freq)[0] in SAME_LAST
    if not first_same and not (last_same and _one_edit(a.first, b.first)):
        return False
    if not last_same and not (first_same and _one_edit(a.last_compact, b.last_compact)):
        return False
    return middle_level(a, b)[0] not in DIFFERENT


def _one_edit(a: str, b: str) -> bool:
    return min(len(a), len(b)) >= 3 and OSA.distance(a, b) <= 1


def look_alike(a: Mapping[str, str], b: Mapping[str, str], freq: Frequencies) -> bool:
    """Whether two registry records (SSID demographics and names) look like one child."""
    if not a.get("birth_date") or a.get("birth_date") != b.get("birth_date"):
        return False
    for f, rule in VALUE_RULES:
        if rule(a.get(f, ""), b.get(f, ""), freq)[0] in DIFFERENT:
            return False
    return any(same_name(x, y, freq) for x in _names(a) for y in _names(b))


#: How the matcher scores a registry record as a candidate for another one, submitted.
RecordScore = Callable[[Mapping[str, str], Mapping[str, str]], int]


def duplicate_ssids(records: Mapping[str, Mapping[str, str]], freq: Frequencies,
                    record_score: RecordScore | None = None) -> dict[str, list[str]]:
    """SSID -> the other SSIDs among `records` that look like the same child (both ways, sorted).

    With `record_score`, a pair must also score SAME_CHILD_SCORE+ one way or the other.
    """
    out: dict[str, list[str]] = {}
    ssids = sorted(records)
    for i, a in enumerate(ssids):
        for b in ssids[i + 1:]:
            ra, rb = records[a], records[b]
            if look_alike(ra, rb, freq) and (record_score is None or max(
                    record_score(ra, rb), record_score(rb, ra)) >= SAME_CHILD_SCORE):
                out.setdefault(a, []).append(b)
                out.setdefault(b, []).append(a)
    return {ssid: sorted(others) for ssid, others in out.items()}
