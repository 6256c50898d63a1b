"""Name forms and blocking keys, computed the same way for registry and submitted names.

A blocking key is a cheap, indexed value that the true record shares with the submitted
one even when names or dates vary. Several passes, each on its own key, are unioned so
that one variation (a nickname, a typo, a swapped date) never hides the true SSID.
"""

from __future__ import annotations

from dataclasses import dataclass

from ssid_tui.matching.names import compact, name_tokens, normalize, phonetic


@dataclass(frozen=True)
class NameForms:
    """A person's name in the normalised forms matching compares."""

    first: str          # normalised, e.g. "MARIA JOSE"
    middle: str
    last: str           # normalised, e.g. "DELACRUZ" or "GARCIA LOPEZ"
    first_tokens: tuple[str, ...]
    middle_tokens: tuple[str, ...]
    last_tokens: tuple[str, ...]
    last_compact: str   # "GARCIALOPEZ"
    first_key: str      # phonetic code of the first given-name token
    last_key1: str      # phonetic code of the first surname token
    last_key2: str      # phonetic code of the last surname token (= key1 for one token)

    @classmethod
    def of(cls, first: str, middle: str, last: str) -> NameForms:
        """Compute every form of a (first, middle, last) name."""
        ft, mt, lt = name_tokens(first), name_tokens(middle), name_tokens(last)
        return cls(
            first=" ".join(ft) or normalize(first), middle=" ".join(mt), last=" ".join(lt) or normalize(last),
            first_tokens=ft, middle_tokens=mt, last_tokens=lt, last_compact=compact(last),
            first_key=phonetic(ft[0]) if ft else "",
            last_key1=phonetic(lt[0]) if lt else "",
            last_key2=phonetic(lt[-1]) if lt else "",
        )

    def token_keys(self) -> set[str]:
        """Phonetic codes of every first and last token (for swapped-name blocking)."""
        return {phonetic(t) for t in (*self.first_tokens, *self.last_tokens)} - {""}


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
