"""Blocking keys, computed the same way for registry and submitted names.

A blocking key is a cheap, indexed value that the true record shares with the submitted
one even when names or dates vary. Several passes, each on its own key, are unioned so
that one variation (a nickname, a typo, a swapped date) never hides the true SSID.
"""

from __future__ import annotations

from ssid_tui.matching.name_forms import NameForms


def surname_prefix(last_compact: str) -> str:
    """The first four letters of a surname: survives slips at its end (CONTRERA, HAYEE)."""
    return last_compact[:4] if len(last_compact) >= 4 else ""


def date_variants(birth_date: str) -> list[str]:
    """The birth date and, if valid, the date with day and month swapped."""
    out = [birth_date]
    if len(birth_date) == 8:
        swapped = birth_date[:4] + birth_date[6:8] + birth_date[4:6]
        if swapped != birth_date and 1 <= int(swapped[4:6] or 0) <= 12 and 1 <= int(swapped[6:8] or 0) <= 31:
            out.append(swapped)
    return out


def initials(forms: NameForms) -> str:
    """First letter of the given name and of the surname: survives misspellings after them (NATAHN CHALLMENOR)."""
    return (forms.first_tokens[0][:1] + forms.last_compact[:1]) if forms.first_tokens and forms.last_compact else ""
