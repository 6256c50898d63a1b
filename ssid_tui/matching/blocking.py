"""Blocking keys, computed the same way for registry and submitted names, and the blocking query.

A blocking key is a cheap, indexed value that the true record shares with the submitted
one even when names or dates vary. Several passes (`model.BLOCKING_PASSES`), each on its
own key, are unioned so that one variation (a nickname, a typo, a swapped date), or two at
once, never hides the true SSID. Each pass keeps at most its `limit` rows, those agreeing
most with the student first, and the union at most `model.BLOCKED_ROWS_CAP`: a student
with the commonest name in a 10-million registry pulls no more rows than any other. The
union keeps each pass's best `model.BLOCKED_ROWS_KEPT` rows whatever the others bring.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from ssid_tui.formats.safe_text import is_ascii_digits
from ssid_tui.matching.model import START_SHARE, BlockingPass
from ssid_tui.matching.name_forms import NameForms
from ssid_tui.matching.names import compact, nickname_groups, phonetic

#: The columns of a registry name record that blocking returns (what the matcher scores).
NAME_COLS = "id, ssid, kind, first, middle, last, birth_date"
_PLACEHOLDER = re.compile(r"\{(\w+)\}")
#: Placeholders that expand to an expression over a parameter list of another name.
_LIST_OF = {"first_starts_range": "starts_lo"}
#: How far a one-digit slip may move the birth year: 2013 -> 2003 or 2023, not 2093.
_YEAR_SLIP = 20


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


_MONTH_DAYS = (31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31)


def _is_date(y: int, m: int, d: int) -> bool:
    if not (1 <= m <= 12 and 1 <= d <= _MONTH_DAYS[m - 1]):
        return False
    return m != 2 or d < 29 or (y % 4 == 0 and (y % 100 != 0 or y % 400 == 0))


def _digit_slips(digits: str) -> list[str]:
    """`digits` with one digit changed, every way."""
    return [digits[:i] + other + digits[i + 1:] for i, digit in enumerate(digits) for other in "0123456789"
            if other != digit]


@lru_cache(maxsize=512)
def _year_slips(year: str) -> tuple[str, ...]:
    """Years one slip away in the last two digits (2013 -> 2003, 2023, 2010-2019): the century stays."""
    return tuple(year[:2] + yy for yy in _digit_slips(year[2:]) if abs(int(year[2:]) - int(yy)) <= _YEAR_SLIP)


@lru_cache(maxsize=512)
def _month_day_slips(month_day: str) -> tuple[str, ...]:
    """Month-days one digit away that exist in some year (0229 included)."""
    return tuple(md for md in _digit_slips(month_day) if _is_date(2000, int(md[:2]), int(md[2:])))


@lru_cache(maxsize=1 << 14)
def one_digit_dates(birth_date: str) -> tuple[str, ...]:
    """Every real date one typed digit away from the birth date (2013-05-17 -> 2013-05-11, 2018-05-17...).

    The century digits are left alone: a slip there moves the year by 100 or more.
    """
    year, month_day = birth_date[:4], birth_date[4:]
    y = int(year)
    out = [year + md for md in _month_day_slips(month_day) if md != "0229" or _is_date(y, 2, 29)]
    out += [other + month_day for other in _year_slips(year) if month_day != "0229" or _is_date(int(other), 2, 29)]
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
    passes that ignore the date, which must stay narrow), `given_keys` the given names' sounds
    and their nicknames' full forms (FRANKIE -> FRANCIS), not the middle names'.
    """
    keys: set[str] = set()
    first_keys: set[str] = set()
    last_keys: set[str] = set()
    given_keys: set[str] = set()
    for forms in names:
        first_keys |= {phonetic(t) for t in forms.first_tokens} | _joined_keys(forms.first_tokens)
        last_keys |= {phonetic(t) for t in forms.last_tokens} | _joined_keys(forms.last_tokens)
        keys |= first_keys | last_keys | {phonetic(t) for t in forms.middle_tokens}
        for token in forms.first_tokens:
            given_keys |= {phonetic(name.split(" ")[0]) for name in nickname_groups(token)}
        for token in forms.middle_tokens:
            keys |= {phonetic(name.split(" ")[0]) for name in nickname_groups(token)}
    given_keys |= first_keys
    keys |= given_keys
    keys.discard("")
    if not keys or not is_ascii_digits(birth_date, 8):
        return None
    dates = blocking_dates(birth_date)
    legal = names[0]
    return BlockingKeys(
        lists={"dates": dates, "digit_dates": [d for d in one_digit_dates(birth_date) if d not in dates],
               "keys": sorted(keys), "first_keys": sorted(first_keys - {""}), "last_keys": sorted(last_keys - {""}),
               "given_keys": sorted(given_keys - {""}),
               "prefixes": sorted({surname_prefix(f.last_compact) for f in names} - {""}),
               "initials": sorted({i for f in names for i in (initials(f), initials(f)[::-1])} - {""}),
               "own_initials": sorted({initials(f) for f in names} - {""}),
               "last_starts": sorted({surname_prefix(f.last_compact)[:2] for f in names} - {""}),
               "first_starts": sorted({f.first_key[:2] for f in names} - {""})},
        rank={"bd": birth_date, "yr": birth_date[:4], "md": birth_date[4:], "ym": birth_date[:6],
              "fk": legal.first_key, "lk": legal.last_key1,
              # no middle name: a value no key has, so that blank middle names do not agree
              "mk": phonetic(legal.middle_tokens[0]) if legal.middle_tokens else "-",
              "ini": initials(legal)},
    )


#: How well a registry row agrees with the student, by cheap indexed values, roughly as the
#: comparisons weigh them: a pass or the union that must drop rows keeps those agreeing most.
# The same month and day in another year outranks the same year and month (1 in 365 against 1 in
# 180 by chance); a given name typed as the middle name (or the reverse) counts as most of a given name.
_RANK = ("(birth_date IN ({dates})) * 6 + (substr(birth_date, 1, 4) = :yr) * 2 + (substr(birth_date, 5) = :md) * 4"
         " + (substr(birth_date, 1, 6) = :ym) + (last_key1 = :lk OR last_key2 = :lk) * 3"
         " + (first_key = :fk OR first_key = :mk) * 3 + (middle_key = :mk) * 2 + (middle_key = :fk) * 2"
         " + (initials = :ini)")


def common_passes(passes: Sequence[BlockingPass], legal: NameForms, counts: dict[str, dict[str, int]],
                  size: int, birth_date: str) -> frozenset[str]:
    """The rare-name passes to leave out: the registry's counts expect more than `limit` records with the name.

    The expected count of a full name is the registry's size times each part's share (the
    middle name counted as a given name); a misspelt part has no count, so the pass runs.
    `dates` (the dates one typed digit away) counts as the birth date's own share as many
    times as there are such dates; a start (`first_start`, `last_start`) as `START_SHARE` of the
    registry, or the name's own share if that is more (every MARIA GARCIA starts like GARCIA).
    """
    first, last = counts.get("first", {}), counts.get("last", {})
    date = counts.get("dob", {}).get(birth_date, 0) or 0
    share: dict[str, float] = {"first": first.get(legal.first_tokens[0], 0) if legal.first_tokens else 0,
                               "middle": first.get(legal.middle_tokens[0], 0) if legal.middle_tokens else 0,
                               "last": last.get(legal.last_compact, 0), "date": date,
                               "dates": date * len(one_digit_dates(birth_date)) if is_ascii_digits(birth_date, 8)
                               else 0}
    share["first_start"] = max(size * START_SHARE, share["first"])
    share["last_start"] = max(size * START_SHARE, share["last"])
    out = set()
    for p in passes:
        if p.rare:
            parts = p.rare.split()
            expected = float(size)
            for part in parts:
                expected *= share[part] / max(size, 1)
            if expected > p.limit or ("middle" in parts and not legal.middle_tokens):
                out.add(p.name)
    return frozenset(out)


def blocking_indexes(passes: Sequence[BlockingPass]) -> dict[str, tuple[str, ...]]:
    """Index name -> columns: one per distinct index the passes name, called after the first pass using it."""
    out: dict[str, tuple[str, ...]] = {}
    for p in passes:
        if p.columns not in out.values():
            out[f"name_{p.name}"] = p.columns
    return out


@lru_cache(maxsize=256)
def _param_names(name: str, size: int) -> tuple[str, ...]:
    return tuple(f"{name}{i}" for i in range(size))


def start_bound(start: str) -> str:
    """The least string after every sound that starts with the two letters `start` (MA -> MB).

    A one-letter start is a whole sound (`substr(key, 1, 2)` of a one-letter key): the bound
    lets only the sound itself in (sounds are letters and digits, all above \\x01).
    """
    return start[:-1] + chr(ord(start[-1]) + 1) if len(start) >= 2 else start + "\x01"


def padded(n: int, least: int = 1) -> int:
    """A list's length rounded up to a power of two, and to at least `least`, so that few distinct
    statements are prepared."""
    return max(least, 1 << max(n - 1, 0).bit_length())


#: The length each key list of the blocking query is padded to at least (with copies of its last
#: value, which change no result): what nine students in ten need. A statement of the union
#: query takes ~4 ms to prepare and a connection keeps 512; padded to powers of two only, one
#: 1,000,000 x 10,000 run made 1,156 distinct statements out of the lists' lengths and prepared
#: 1,605 times (~6 s of CPU); padded to these, the lengths vary for a few students only.
_LEAST_LENGTH = {"dates": 4, "mds": 4, "digit_dates": 32, "keys": 8, "first_keys": 4, "last_keys": 4,
                 "given_keys": 8, "prefixes": 2, "initials": 2, "own_initials": 2, "last_starts": 2,
                 "starts_lo": 2, "starts_hi": 2}


@lru_cache(maxsize=1024)
def _sql_text(passes: tuple[BlockingPass, ...], lengths: tuple[tuple[str, int], ...], indexes: frozenset[str],
              ssid_columns: tuple[str, ...]) -> str:
    """The union query for lists of these (padded) lengths; `indexes` are those the registry has."""
    sizes = dict(lengths)
    index_of = {cols: name for name, cols in blocking_indexes(passes).items()}

    def expand(m: re.Match[str]) -> str:
        if m[1] == "first_starts_range":
            return "(" + " OR ".join(f"first_key >= :starts_lo{i} AND first_key < :starts_hi{i}"
                                     for i in range(sizes["starts_lo"])) + ")"
        if m[1] == "near":
            mds = ", ".join(f":mds{i}" for i in range(sizes["mds"]))
            return f"(birth_date BETWEEN :y0 AND :y1 OR substr(birth_date, 5) IN ({mds}))"
        return f"({', '.join(f':{m[1]}{i}' for i in range(sizes[m[1]]))})"

    rank = _RANK.format(dates=", ".join(f":dates{i}" for i in range(sizes["dates"])))
    parts: list[str] = []
    for p in passes:
        if not all(sizes[_LIST_OF.get(n, n)] for n in _PLACEHOLDER.findall(p.where) if n != "near"):
            continue
        where = _PLACEHOLDER.sub(expand, p.where)
        index = index_of[p.columns]
        source = f"name INDEXED BY {index}" if index in indexes else "name"
        select = f"SELECT {NAME_COLS}, {rank} AS agree, {len(parts)} AS pass FROM {source} WHERE {where}"
        if p.scan:
            # A rare pass sorts only its first `scan` rows: sorting all would read a whole common sound
            # group (a misspelt surname has no count of its own, but its sound may be GARCIA's).
            parts.append(f"SELECT * FROM (SELECT * FROM ({select} LIMIT {p.scan}) ORDER BY agree DESC, id "
                         f"LIMIT {p.limit})")
        else:
            parts.append(f"SELECT * FROM ({select} ORDER BY agree DESC, id LIMIT {p.limit})")
    if not parts:
        return ""
    # Every pass's rows, each with its SSID's own columns: one statement per student, not two.
    # Which rows the union keeps is decided in Python (`best_rows`): SQLite's window functions,
    # which could number each pass's rows, cost twice the rest of the query.
    cols = ", ".join([*(f"b.{c.strip()}" for c in NAME_COLS.split(",")), *(f"s.{c}" for c in ssid_columns),
                      "b.agree", "b.pass"])
    join = " JOIN ssid s ON s.ssid = b.ssid" if ssid_columns else ""
    return f"SELECT {cols} FROM ({' UNION ALL '.join(parts)}) b{join}"


def _in_pass_order(rows: Sequence[tuple[Any, ...]]) -> bool:
    """Whether rows come pass by pass, each pass's best agreeing first (then by id), as SQLite yields them."""
    for a, b in zip(rows, rows[1:]):
        if a[-1] > b[-1] or (a[-1] == b[-1] and (a[-2] < b[-2] or (a[-2] == b[-2] and a[0] > b[0]))):
            return False
    return True


def best_rows(rows: Sequence[tuple[Any, ...]], kept: int, cap: int) -> list[tuple[Any, ...]]:
    """The union of the passes' rows (as `blocking_sql` returns them), at most `cap`, best agreeing first.

    Each pass's best `kept` rows (by agreement, then id) come first, whatever the other
    passes bring: a pass exists for one variation, and its best rows must not be pushed
    out by another pass's many same-date look-alikes of a common surname. The rest of
    the union fills up to `cap` by agreement. The two ranking columns are dropped.
    """
    if not _in_pass_order(rows):  # SQL does not promise the order of a union: sorted only if needed
        rows = sorted(rows, key=lambda r: (r[-1], -r[-2], r[0]))
    place: dict[Any, int] = {}  # a record's best place in any pass
    best: dict[Any, tuple[Any, ...]] = {}
    at, current = 0, None
    for row in rows:
        if row[-1] != current:
            at, current = 0, row[-1]
        rid = row[0]
        if rid not in best:
            best[rid], place[rid] = row, at
        else:
            if row[-2] > best[rid][-2]:
                best[rid] = row
            if at < place[rid]:
                place[rid] = at
        at += 1
    ranked = sorted(best.values(), key=lambda r: (-r[-2], r[0]))
    chosen = [r[0] for r in ranked if place[r[0]] < kept][:cap]
    if len(chosen) < cap:
        chosen += [r[0] for r in ranked if place[r[0]] >= kept][:cap - len(chosen)]
    keep = set(chosen)
    return [r[:-2] for r in ranked if r[0] in keep]


def blocking_sql(passes: Sequence[BlockingPass], keys: BlockingKeys, year_window: int,
                 indexes: frozenset[str] = frozenset(),
                 ssid_columns: tuple[str, ...] = ()) -> tuple[str, dict[str, str | int]]:
    """One query for the rows of all the passes: each pass's best `limit` rows (`best_rows` unites them).

    Each row is a name record (`NAME_COLS`) followed by `ssid_columns` of its SSID's row
    in the registry's `ssid` table, if any are asked for, then its agreement with the
    student and the number of its pass. A record several passes find comes once per pass.

    A pass whose placeholder list is empty is left out (and so are those the caller drops,
    e.g. `common_passes`). Each pass reads the index it
    names where the registry has it (`indexes`): the planner, left alone, may pick one
    that serves only the birth date.
    """
    year = int(keys.rank["bd"][:4])
    # the given names' starts are bound as the ranges `{first_starts_range}` reads, not as themselves
    lists = {name: values for name, values in keys.lists.items() if name != "first_starts"}
    starts = keys.lists["first_starts"]
    lists.update(mds=sorted({d[4:] for d in keys.lists["dates"]}), starts_lo=starts,
                 starts_hi=[start_bound(s) for s in starts])
    params: dict[str, str | int] = dict(keys.rank, y0=f"{year - year_window}0101", y1=f"{year + year_window}1231")
    lengths = []
    for name, values in lists.items():
        size = padded(len(values), _LEAST_LENGTH.get(name, 1)) if values else 0
        lengths.append((name, size))
        params.update(zip(_param_names(name, size), values + values[-1:] * (size - len(values))))
    return _sql_text(tuple(passes), tuple(lengths), indexes, ssid_columns), params
