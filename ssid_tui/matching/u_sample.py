"""u from the registry itself: how often two different students fall in each comparison level.

At `ods load` a fixed-seed sample of registry students is drawn (by random record id, so
the cost does not grow with the registry) and every pair of them is compared with the
matcher's own level rules. The share of those random pairs in each level of each field
is u, stored in the registry's `u_level` table. The term-frequency levels keep using the
registry's value counts when scoring; their sampled share is kept for the record and as
the start of learning. A registry loaded before this table existed has none:
`read_u` returns None and the matcher keeps its priors.
"""

from __future__ import annotations

import random
import sqlite3
from collections import Counter
from dataclasses import dataclass
from itertools import combinations

from ssid_tui.matching.comparisons import VALUE_FIELDS, Frequencies, record_levels
from ssid_tui.matching.model import COMPARISONS, FIELDS
from ssid_tui.matching.name_forms import NameForms

#: Students drawn; every pair of them is compared (350 students: 61,075 pairs, a few seconds).
U_SAMPLE_STUDENTS = 350
U_SEED = 20261130
_NO_FREQ = Frequencies({}, 1)  # levels only: the weights they come with are not used here
_ID_BATCH = 500


@dataclass(frozen=True)
class PairSide:
    """One side of a compared pair: a name and the values of the other compared fields (`VALUE_FIELDS`)."""

    forms: NameForms
    values: dict[str, str]


def pair_levels(a: PairSide, b: PairSide) -> tuple[str, ...]:
    """The level of each field (in FIELDS order) for two records compared straight."""
    levels = record_levels(a.forms, a.values, b.forms, b.values, _NO_FREQ)
    return tuple(levels[f][0] for f in FIELDS)


def _sample_students(conn: sqlite3.Connection, wanted: int, seed: int) -> list[PairSide]:
    """Up to `wanted` distinct students' legal names, drawn by random record id (O(wanted) work)."""
    top = conn.execute("SELECT MAX(id) FROM name").fetchone()[0] or 0
    rng = random.Random(seed)
    small = top <= 4 * wanted  # a small registry: draw from all of it
    sql = (f"SELECT n.ssid, n.first, n.middle, n.last, {', '.join(f's.{f}' for f in VALUE_FIELDS)} "
           "FROM name n JOIN ssid s ON s.ssid = n.ssid WHERE n.kind = 'legal' AND n.id IN ({})")
    seen: set[str] = set()
    out: list[PairSide] = []
    for _batch in range(1 if small else 20):
        ids = list(range(1, top + 1)) if small else [rng.randint(1, top) for _ in range(_ID_BATCH)]
        rows = [r for start in range(0, len(ids), _ID_BATCH) for r in conn.execute(
            sql.format(",".join("?" * len(ids[start:start + _ID_BATCH]))), ids[start:start + _ID_BATCH])]
        if small:
            rng.shuffle(rows)
        for ssid, first, middle, last, *values in rows:
            if ssid not in seen and len(out) < wanted:
                seen.add(ssid)
                out.append(PairSide(NameForms.of(first, middle, last), dict(zip(VALUE_FIELDS, values))))
        if len(out) >= wanted:
            break
    return out


def sample_students(conn: sqlite3.Connection, students: int = U_SAMPLE_STUDENTS,
                    seed: int = U_SEED) -> list[PairSide]:
    """The students whose pairs give u: drawn from a registry whose `name` and `ssid` tables are
    filled (its indexes need not be built yet)."""
    return _sample_students(conn, students, seed)


def shares_of(sample: list[PairSide]) -> tuple[dict[str, dict[str, float]], int]:
    """Share of the sample's pairs in each level, by field and level; and how many pairs.

    Pure Python on the sample alone: `ods load` runs it in a thread while SQLite builds the
    registry's indexes on another core.
    """
    counts: dict[str, Counter[str]] = {f: Counter() for f in FIELDS}
    pairs = 0
    for a, b in combinations(sample, 2):
        pairs += 1
        for f, level in zip(FIELDS, pair_levels(a, b)):
            counts[f][level] += 1
    shares = {c.field: {lv.name: counts[c.field][lv.name] / pairs if pairs else 0.0 for lv in c.levels}
              for c in COMPARISONS}
    return shares, pairs


def sample_u(conn: sqlite3.Connection, students: int = U_SAMPLE_STUDENTS,
             seed: int = U_SEED) -> tuple[dict[str, dict[str, float]], int]:
    """Share of random registry pairs in each level, by field and level; and how many pairs."""
    return shares_of(sample_students(conn, students, seed))


def write_u_table(conn: sqlite3.Connection, sampled: tuple[dict[str, dict[str, float]], int] | None = None) -> int:
    """Store u in the registry being built (table `u_level`, meta `u_pairs`): `sampled` (from
    `shares_of`) if given, else sampled here."""
    shares, pairs = sampled if sampled is not None else sample_u(conn)
    conn.execute("CREATE TABLE u_level (field TEXT, level TEXT, share REAL, PRIMARY KEY (field, level))")
    conn.executemany("INSERT INTO u_level VALUES (?, ?, ?)",
                     [(f, level, share) for f, by_level in shares.items() for level, share in by_level.items()])
    conn.execute("INSERT OR REPLACE INTO meta VALUES ('u_pairs', ?)", (str(pairs),))
    return pairs


def read_u(conn: sqlite3.Connection) -> tuple[dict[str, dict[str, float]], int] | None:
    """The registry's sampled u by field and level, and the pairs behind it; None if it has none."""
    if not conn.execute("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'u_level'").fetchone():
        return None
    shares: dict[str, dict[str, float]] = {}
    for field, level, share in conn.execute("SELECT field, level, share FROM u_level"):
        shares.setdefault(field, {})[level] = float(share)
    row = conn.execute("SELECT value FROM meta WHERE key = 'u_pairs'").fetchone()
    pairs = int(row[0]) if row and str(row[0]).isdigit() else 0
    return (shares, pairs) if shares and pairs else None
