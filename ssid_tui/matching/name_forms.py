"""A person's name in every normalised form matching compares, computed once per name.

The registry computes them at load time for every name record, the matcher for each
submitted student; blocking keys and comparisons read them.
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
