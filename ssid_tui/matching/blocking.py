"""Blocking keys, computed the same way for registry and submitted names, and the blocking query.

A blocking key is a cheap, indexed value that the true record shares with the submitted
one even when names or dates vary. Several passes (`model.BLOCKING_PASSES`), each on its
own key, are unioned so that one variation (a nickname, a typo, a swapped date), or two at
once, never hides the true SSID. Each pass keeps at most its `limit` rows, those agreeing
most with the student first, and the union at most `model.BLOCKED_ROWS_CAP`: a student
with the commonest name in a 10-million registry pulls no more rows than any other.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache

from ssid_tui.formats.safe_text import is_ascii_digits
from ssid_tui.matching.model import BlockingPass
from ssid_tui.matching.name_forms import NameForms
from ssid_tui.matching.names import compact, nickname_groups, phonetic

#: The columns of a registry name record that blocking returns (what the matcher scores).
NAME_COLS = "id, ssid, kind, first, middle, last, birth_date"
_PLACEHOLDER = re.compile(r"\{(\w+)\}")
#: Birth years a one-digit slip may turn a date into (wider than any school's students).
_YEARS = range(1900, 2100)


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


def year_digits_swapped(birth_date: str) -> str:
    """The date with the year's last two digits swapped (1997 -> 1979), or "" if they are equal."""
    if len(birth_date) != 8 or birth_date[2] == birth_date[3]:
        return ""
    return birth_date[:2] + birth_date[3] + birth_date[2] + birth_date[4:]


def blocking_dates(birth_date: str) -> list[str]:
    """The dates the exact-date passes look for: the date, day and month swapped, year digits swapped."""
    out = date_variants(birth_date)
    swapped = year_digits_swapped(birth_date)
    if swapped and swapped not in out:
        out.append(swapped)
    return out


@lru_cache(maxsize=1 << 14)
def one_digit_dates(birth_date: str) -> tuple[str, ...]:
    """Every real date one typed digit away from the birth date (2013-05-17 -> 2013-05-11, 2018-05-17...)."""
    out = []
    for i, digit in enumerate(birth_date):
        for other in "0123456789":
            if other == digit:
                continue
            d = birth_date[:i] + other + birth_date[i + 1:]
            y, m, day = int(d[:4]), int(d[4:6]), int(d[6:])
            if y in _YEARS and 1 <= m <= 12 and 1 <= day <= 31:
                try:
                    dt.date(y, m, day)
                except ValueError:
                    continue
                out.append(d)
    return tuple(out)


def initials(forms: NameForms) -> str:
    """First letter of the given name and of the surname: survives misspellings after them (NATAHN CHALLMENOR)."""
    return (forms.first_tokens[0][:1] + forms.last_compact[:1]) if forms.first_tokens and forms.last_compact else ""


def _joined_keys(tokens: Sequence[str]) -> set[str]:
    """Sounds of a name with a space dropped: the whole name joined, and each two neighbouring tokens (JA XSON)."""
    if len(tokens) < 2:
        return set()
    return {phonetic(compact(" ".join(tokens)))} | {phonetic(a + b) for a, b in zip(tokens, tokens[1:])}


@dataclass(frozen=True)
class BlockingKeys:
    """A student's values for every placeholder of the blocking passes, and what the ranking compares."""

    lists: dict[str, list[str]]
    rank: dict[str, str]


def blocking_keys(names: Sequence[NameForms], birth_date: str) -> BlockingKeys | None:
    """The keys of a student's names (legal first, then alias) and birth date; None if there are none.

    `keys` holds the sounds of every name token, of the names with spaces dropped, and of
    the full forms of nicknames, so swapped names, CROSSM AN and PEPE for JOSE are found;
    `first_keys` and `last_keys` only the given names' and the surnames' own sounds (for the
    passes that ignore the date, which must stay narrow).
    """
    keys: set[str] = set()
    first_keys: set[str] = set()
    last_keys: set[str] = set()
    for forms in names:
        first_keys |= {phonetic(t) for t in forms.first_tokens} | _joined_keys(forms.first_tokens)
        last_keys |= {phonetic(t) for t in forms.last_tokens} | _joined_keys(forms.last_tokens)
        keys |= first_keys | last_keys | {phonetic(t) for t in forms.middle_tokens}
        for token in (*forms.first_tokens, *forms.middle_tokens):
            keys |= {phonetic(name.split(" ")[0]) for name in nickname_groups(token)}
    keys.discard("")
    if not keys or not is_ascii_digits(birth_date, 8):
        return None
    dates = blocking_dates(birth_date)
    legal = names[0]
    return BlockingKeys(
        lists={"dates": dates, "digit_dates": [d for d in one_digit_dates(birth_date) if d not in dates],
               "keys": sorted(keys), "first_keys": sorted(first_keys - {""}), "last_keys": sorted(last_keys - {""}),
               "prefixes": sorted({surname_prefix(f.last_compact) for f in names} - {""}),
               "initials": sorted({i for f in names for i in (initials(f), initials(f)[::-1])} - {""})},
        rank={"bd": birth_date, "yr": birth_date[:4], "md": birth_date[4:], "fk": legal.first_key,
              "lk": legal.last_key1, "mk": phonetic(legal.middle_tokens[0]) if legal.middle_tokens else "",
              "ini": initials(legal)},
    )


#: How well a registry row agrees with the student, by cheap indexed values: a pass or the
#: union that must drop rows keeps those agreeing most (the exact record first).
_RANK = ("(birth_date = :bd) * 8 + (substr(birth_date, 1, 4) = :yr) * 2 + (substr(birth_date, 5) = :md) * 2"
         " + (last_key1 = :lk) * 3 + (first_key = :fk) * 3 + (middle_key = :mk AND :mk != '') + (initials = :ini)")


def blocking_indexes(passes: Sequence[BlockingPass]) -> dict[str, tuple[str, ...]]:
    """Index name -> columns: one per distinct index the passes name, called after the first pass using it."""
    out: dict[str, tuple[str, ...]] = {}
    for p in passes:
        if p.columns not in out.values():
            out[f"name_{p.name}"] = p.columns
    return out


def _padded(n: int) -> int:
    """A list's length rounded up to a power of two, so that few distinct statements are prepared."""
    return 1 << max(n - 1, 0).bit_length()


@lru_cache(maxsize=1024)
def _sql_text(passes: tuple[BlockingPass, ...], lengths: tuple[tuple[str, int], ...], indexes: frozenset[str]) -> str:
    """The union query for lists of these (padded) lengths; `indexes` are those the registry has."""
    sizes = dict(lengths)
    index_of = {cols: name for name, cols in blocking_indexes(passes).items()}

    def expand(m: re.Match[str]) -> str:
        if m[1] == "near":
            mds = ", ".join(f":mds{i}" for i in range(sizes["mds"]))
            return f"(birth_date BETWEEN :y0 AND :y1 OR substr(birth_date, 5) IN ({mds}))"
        return f"({', '.join(f':{m[1]}{i}' for i in range(sizes[m[1]]))})"

    parts = []
    for p in passes:
        if not all(sizes[n] for n in _PLACEHOLDER.findall(p.where) if n != "near"):
            continue
        where = _PLACEHOLDER.sub(expand, p.where)
        index = index_of[p.columns]
        source = f"name INDEXED BY {index}" if index in indexes else "name"
        if p.rare:
            where += (f" AND (SELECT count(*) FROM (SELECT 1 FROM {source} WHERE {where} LIMIT {p.limit + 1}))"
                      f" <= {p.limit}")
        parts.append(f"SELECT * FROM (SELECT {NAME_COLS}, {_RANK} AS agree FROM {source} WHERE {where} "
                     f"ORDER BY agree DESC, id LIMIT {p.limit})")
    if not parts:
        return ""
    return f"SELECT {NAME_COLS} FROM ({' UNION '.join(parts)}) ORDER BY agree DESC, id LIMIT :cap"


def blocking_sql(passes: Sequence[BlockingPass], keys: BlockingKeys, year_window: int, cap: int,
                 indexes: frozenset[str] = frozenset()) -> tuple[str, dict[str, str | int]]:
    """One query for the union of the passes: each pass's best `limit` rows, the union's best `cap`.

    A pass whose placeholder list is empty is left out. A `rare` pass runs only where its
    condition matches at most `limit` registry rows: counting them reads at most limit + 1
    index entries, so a common name costs nothing more. Each pass reads the index it
    names where the registry has it (`indexes`): the planner, left alone, may pick one
    that serves only the birth date.
    """
    year = int(keys.rank["bd"][:4])
    lists = dict(keys.lists, mds=sorted({d[4:] for d in keys.lists["dates"]}))
    params: dict[str, str | int] = dict(keys.rank, cap=cap, y0=f"{year - year_window}0101", y1=f"{year + year_window}1231")
    lengths = []
    for name, values in lists.items():
        size = _padded(len(values)) if values else 0
        lengths.append((name, size))
        params.update({f"{name}{i}": values[min(i, len(values) - 1)] for i in range(size)})
    return _sql_text(tuple(passes), tuple(lengths), indexes), params
