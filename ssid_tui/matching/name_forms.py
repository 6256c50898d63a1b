"""A person's name in every normalised form matching compares, computed once per name.

The registry computes them at load time for every name record, the matcher for each
submitted student; blocking keys and comparisons read them.
"""

from __future__ import annotations

from functools import lru_cache
from typing import NamedTuple

from ssid_tui.matching.names import compact, name_tokens, normalize, phonetic


class NameForms(NamedTuple):
    """A person's name in the normalised forms matching compares.

    A named tuple, not a frozen dataclass: scoring builds one for every registry name it
    compares (~40 a student), and a frozen dataclass's `__init__` alone cost more than all
    the cached parts put together.
    """

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
        """Compute every form of a (first, middle, last) name (each part's forms are kept per value)."""
        first_norm, ft, first_key = _given_forms(first)
        middle_norm, mt = _middle_forms(middle)
        last_norm, lt, last_compact, key1, key2 = _surname_forms(last)
        return cls(first_norm, middle_norm, last_norm, ft, mt, lt, last_compact, first_key, key1, key2)

    def token_keys(self) -> set[str]:
        """Phonetic codes of every first and last token (for swapped-name blocking)."""
        return {phonetic(t) for t in (*self.first_tokens, *self.last_tokens)} - {""}


@lru_cache(maxsize=1 << 16)
def _given_forms(first: str) -> tuple[str, tuple[str, ...], str]:
    ft = name_tokens(first)
    return " ".join(ft) or normalize(first), ft, phonetic(ft[0]) if ft else ""


@lru_cache(maxsize=1 << 16)
def _middle_forms(middle: str) -> tuple[str, tuple[str, ...]]:
    mt = name_tokens(middle)
    return " ".join(mt), mt


@lru_cache(maxsize=1 << 16)
def _surname_forms(last: str) -> tuple[str, tuple[str, ...], str, str, str]:
    lt = name_tokens(last)
    return (" ".join(lt) or normalize(last), lt, compact(last),
            phonetic(lt[0]) if lt else "", phonetic(lt[-1]) if lt else "")
