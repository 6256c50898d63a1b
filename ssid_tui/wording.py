"""Counts in English: one helper for every "1 student" / "2 students" the tool prints."""

from __future__ import annotations

from ssid_tui.formats.results import MatchCategory

#: Nouns whose plural is not noun + "s".
_IRREGULAR = {"match": "matches", MatchCategory.SINGLE: "Single Matches", MatchCategory.MULTIPLE: "Multiple Matches",
              "No Match student": "No Match students", "SSID is": "SSIDs are", "is": "are", "was": "were",
              "has": "have", "entry": "entries", "copy": "copies", "this": "these"}


def plural_noun(n: int, noun: str, many: str | None = None) -> str:
    """`noun` for n == 1, else its plural (`many`, a known irregular form, or noun + 's')."""
    if n == 1:
        return noun
    return many or _IRREGULAR.get(noun) or f"{noun}s"


def plural(n: int, noun: str, many: str | None = None) -> str:
    """'1 student', '2 students', '1,794 students' (thousands separated)."""
    return f"{n:,} {plural_noun(n, noun, many)}"
