"""Field comparisons: each falls into a named level with a weight of evidence.

Weights are log2 Bayes factors, log2(m/u): m is how often the level occurs when the two
records are the same student, u how often when they are not. Exact name and birth-date
agreement use u from the registry's own frequencies (term-frequency adjustment), so
agreeing on JOSE GARCIA counts for less than agreeing on a rare name. The m/u values
below are set by reasoning about enrollment data and checked on the benchmark; they also
honour CDE's ranking of elements (year > first > last > middle > month > day): a
higher-ranked element costs more when it deviates.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from rapidfuzz.distance import OSA, JaroWinkler

from ssid_tui.matching.name_forms import NameForms
from ssid_tui.matching.names import SURNAME_PREFIXES, are_nicknames, phonetic

# -- name levels (weights in bits) -----------------------------------------------------
#: m for an exact given-name / surname agreement; u comes from the registry frequency.
M_NAME_EXACT = 0.85
FIRST_LEVELS = {
    "compact": 4.5,        # JI-WOO ~ JIWOO, MARY GRACE ~ MARYGRACE
    "token": 3.5,          # MARIA JOSE ~ MARIA (one compound part)
    "nickname": 4.5,       # BOB ~ ROBERT, PEPE ~ JOSE
    "short form": 2.0,     # MADDIE ~ MADISON, MANDO ~ ARMANDO: not in a table, but shaped like one
    "middle as first": 4.0,  # goes by the middle name
    "phonetic": 3.0,       # STEPHEN ~ STEVEN
    "close spelling": 3.5,  # Jaro-Winkler >= 0.92: one letter dropped, doubled, swapped
    "similar": -1.0,       # Jaro-Winkler >= 0.85
    "initial": -2.0,       # J ~ JOSE
    "missing": 0.0,
    "different": -10.0,    # CDE ranks the first name second: twins differ only here
}
LAST_LEVELS = {
    "compact": -0.3,       # added to the exact weight: GARCIA-LOPEZ ~ GARCIALOPEZ
    "token": 0.0,          # shares one surname: weight of that token's frequency, see below
    "phonetic": 2.5,
    "close spelling": 4.0,
    "similar": -1.0,
    "missing": 0.0,
    "different": -6.0,
}
M_LAST_TOKEN = 0.05        # m for "shares one of two surnames"
MIDDLE_LEVELS = {
    "first and middle crosswise": 2.5,  # JOSE LUIS enrolled as LUIS JOSE
    "exact": 2.5, "nickname": 1.5, "phonetic": 1.5, "close spelling": 1.5, "initial": 1.0,
    "missing": 0.0, "different": -4.0,
}
#: Most that first and last name can say together (bits). Names run in families: twins, siblings
#: and cousins share surnames and often given names, so rare-name agreement must not
#: outweigh a birth date that disagrees. Without the cap a rare name born the same year
#: scored 90+.
NAME_EVIDENCE_CAP = 15.0
SWAPPED_PENALTY = -5.0     # first and last names typed the wrong way round (~1-2% of records)
NAME_SOURCE_PENALTY = {"legal": 0.0, "former": -0.25, "alias": -0.5}  # legal outranks alias
SUBMITTED_ALIAS_PENALTY = -0.5  # the same, for the alias name given in the SENR

# -- birth date levels -----------------------------------------------------------------
M_DATE_EXACT = 0.93
DATE_LEVELS = {
    "day and month swapped": 6.0,
    "one digit (day)": 3.5,
    "one digit (month)": 3.0,
    "year off by one": 2.5,
    "one digit (year)": 1.0,
    "same year": -2.5,
    "year off by one, other parts differ": -6.0,
    "different": -9.0,
    "missing": 0.0,
}

GENDER_LEVELS = {"exact": 0.95, "X vs M/F": -2.0, "different": -4.5, "missing": 0.0}
PLACE_DIFFERENT = {"birth_country": -2.5, "birth_state": -2.0}
M_PLACE = 0.9

_JW = JaroWinkler.normalized_similarity


@dataclass(frozen=True)
class Comparison:
    """One field's comparison: the level it fell in and the weight it added."""

    field: str
    label: str
    level: str
    submitted: str
    candidate: str
    weight: float

    def as_dict(self) -> dict[str, object]:
        """The form stored in the workspace explanation."""
        return {"field": self.field, "label": self.label, "level": self.level, "submitted": self.submitted,
                "candidate": self.candidate, "weight": round(self.weight, 2)}


class Frequencies:
    """Registry frequencies turned into u-probabilities for exact agreement."""

    def __init__(self, freq: dict[str, dict[str, int]], total: int) -> None:
        self.first = freq.get("first", {})
        self.last = freq.get("last", {})
        self.dob = freq.get("dob", {})
        self.country = freq.get("country", {})
        self.state = freq.get("state", {})
        self.total = max(total, 1)

    def exact_weight(self, table: dict[str, int], value: str, m: float, cap: float = 14.0) -> float:
        """log2(m/u) with u = (count + 1) / (registry size + 1), capped for unseen values."""
        u = (table.get(value, 0) + 1) / (self.total + 1)
        return min(cap, math.log2(m / u))


_DIMINUTIVE_ENDINGS = ("IE", "Y", "I", "EE", "O", "A", "ITO", "ITA", "CITO", "CITA")


def short_form(a: str, b: str) -> bool:
    """True if the shorter name looks like a short form of the longer: MADDIE~MADISON, MANDO~ARMANDO."""
    short, long_ = sorted((a, b), key=len)
    if len(short) < 3 or short == long_:
        return False
    stems = {short} | {short[: -len(e)] for e in _DIMINUTIVE_ENDINGS if short.endswith(e) and len(short) - len(e) >= 3}
    stems |= {stem[:-1] for stem in stems if len(stem) >= 4 and stem[-1] == stem[-2]}  # MADD -> MAD
    return any(long_.startswith(stem) or long_.endswith(stem) for stem in stems)


def _close(a: str, b: str) -> str | None:
    sim = _JW(a, b)
    if sim >= 0.92 or (min(len(a), len(b)) >= 3 and OSA.distance(a, b) <= 1):
        return "close spelling"
    if sim >= 0.85:
        return "similar"
    return None


def first_level(sub: NameForms, cand: NameForms, freq: Frequencies, sexes_differ: bool) -> tuple[str, float]:
    """Compare given names."""
    a, b = sub.first, cand.first
    if not a or not b:
        return "missing", 0.0
    if a == b:
        return "exact", freq.exact_weight(freq.first, sub.first_tokens[0], M_NAME_EXACT, cap=12.0)
    if a.replace(" ", "") == b.replace(" ", ""):
        return "compact", FIRST_LEVELS["compact"]
    ta, tb = set(sub.first_tokens), set(cand.first_tokens)
    if len(a) > 1 and len(b) > 1 and (ta <= tb or tb <= ta):
        return "token", FIRST_LEVELS["token"]
    # Goes by the middle name (JUAN PABLO RYDER enrolled as RYDER), unless the other given
    # name contradicts it: JADA EMILY vs ERICA JADA are sisters, not one girl.
    if sub.first_tokens and cand.middle_tokens and sub.first_tokens[0] == cand.middle_tokens[0]:
        if not sub.middle_tokens or sub.middle_tokens[0] == cand.first_tokens[0]:
            return "middle as first", FIRST_LEVELS["middle as first"]
    if cand.first_tokens and sub.middle_tokens and cand.first_tokens[0] == sub.middle_tokens[0]:
        if not cand.middle_tokens or cand.middle_tokens[0] == sub.first_tokens[0]:
            return "middle as first", FIRST_LEVELS["middle as first"]
    fa, fb = sub.first_tokens[0], cand.first_tokens[0]
    if len(fa) == 1 or len(fb) == 1:
        return ("initial", FIRST_LEVELS["initial"]) if fa[0] == fb[0] else ("different", FIRST_LEVELS["different"])
    if are_nicknames(a, b) or any(are_nicknames(x, y) for x in sub.first_tokens for y in cand.first_tokens):
        return "nickname", FIRST_LEVELS["nickname"]
    if sexes_differ:
        # DANIEL/DANIELA, MARIO/MARIA: near-identical names of twins of opposite sex.
        return "different", FIRST_LEVELS["different"]
    close = _close(a, b)
    if close == "close spelling":
        return close, FIRST_LEVELS[close]
    if phonetic(fa) == phonetic(fb) and phonetic(fa):
        return "phonetic", FIRST_LEVELS["phonetic"]
    if short_form(fa, fb):
        return "short form", FIRST_LEVELS["short form"]
    if close:
        return close, FIRST_LEVELS[close]
    return "different", FIRST_LEVELS["different"]


def bare_surname(compact_name: str) -> str:
    """A compact surname without leading particles: DELOSSANTOS -> SANTOS, STJOHN -> JOHN."""
    name = compact_name
    changed = True
    while changed:
        changed = False
        for p in SURNAME_PREFIXES:
            if name.startswith(p) and len(name) - len(p) >= 3:
                name, changed = name[len(p):], True
                break
    return name


def last_level(sub: NameForms, cand: NameForms, freq: Frequencies) -> tuple[str, float]:
    """Compare surnames, including two-part surnames given in part."""
    a, b = sub.last, cand.last
    if not a or not b:
        return "missing", 0.0
    if a == b:
        return "exact", freq.exact_weight(freq.last, sub.last_compact, M_NAME_EXACT, cap=12.0)
    if sub.last_compact == cand.last_compact:
        return "compact", freq.exact_weight(freq.last, sub.last_compact, M_NAME_EXACT, cap=12.0) + LAST_LEVELS["compact"]
    bare_a, bare_b = bare_surname(sub.last_compact), bare_surname(cand.last_compact)
    if bare_a == bare_b:  # DE LA ROSA ~ ROSA, ST. JOHN ~ SAINT JOHN
        return "particle dropped", freq.exact_weight(freq.last, cand.last_compact, M_LAST_TOKEN * 2, cap=10.0)
    shared = set(sub.last_tokens) & set(cand.last_tokens)
    if shared:
        w = max(freq.exact_weight(freq.last, t, M_LAST_TOKEN, cap=8.0) for t in shared)
        return "token", w
    close = _close(sub.last_compact, cand.last_compact)
    if close == "close spelling":
        return close, LAST_LEVELS[close]
    if sub.last_key1 and (sub.last_key1 == cand.last_key1 or sub.last_key2 == cand.last_key2):
        return "phonetic", LAST_LEVELS["phonetic"]
    # One side's single surname close to a part of the other's two: GARCIA ~ GARCA LOPEZ.
    for ta in sub.last_tokens:
        for tb in cand.last_tokens:
            if len(sub.last_tokens) + len(cand.last_tokens) > 2 and _JW(ta, tb) >= 0.92:
                return "token", LAST_LEVELS["close spelling"] - 1.0
    if close:
        return close, LAST_LEVELS[close]
    return "different", LAST_LEVELS["different"]


def middle_level(sub: NameForms, cand: NameForms) -> tuple[str, float]:
    """Compare middle names (only when both have one)."""
    a, b = sub.middle, cand.middle
    if not a or not b:
        return "missing", 0.0
    if a == b:
        return "exact", MIDDLE_LEVELS["exact"]
    if len(sub.middle_tokens[0]) == 1 or len(cand.middle_tokens[0]) == 1:
        lvl = "initial" if a[0] == b[0] else "different"
        return lvl, MIDDLE_LEVELS[lvl]
    if are_nicknames(a, b):
        return "nickname", MIDDLE_LEVELS["nickname"]
    if _close(a, b) == "close spelling":
        return "close spelling", MIDDLE_LEVELS["close spelling"]
    if phonetic(sub.middle_tokens[0]) == phonetic(cand.middle_tokens[0]):
        return "phonetic", MIDDLE_LEVELS["phonetic"]
    return "different", MIDDLE_LEVELS["different"]


def _one_digit(a: str, b: str) -> bool:
    return len(a) == len(b) and sum(x != y for x, y in zip(a, b)) == 1


def date_level(a: str, b: str, freq: Frequencies) -> tuple[str, float]:
    """Compare birth dates CCYYMMDD: exact, swapped day/month, one-digit slip, year off by one..."""
    if not a or not b:
        return "missing", 0.0
    if a == b:
        return "exact", freq.exact_weight(freq.dob, a, M_DATE_EXACT, cap=16.0)
    ya, yb, ma, mb, da, db = a[:4], b[:4], a[4:6], b[4:6], a[6:], b[6:]
    if ya == yb:
        if ma == db and da == mb:
            return "day and month swapped", DATE_LEVELS["day and month swapped"]
        if ma == mb and _one_digit(da, db):
            return "one digit (day)", DATE_LEVELS["one digit (day)"]
        if da == db and _one_digit(ma, mb):
            return "one digit (month)", DATE_LEVELS["one digit (month)"]
        return "same year", DATE_LEVELS["same year"]
    if abs(int(ya) - int(yb)) == 1:
        if ma == mb and da == db:
            return "year off by one", DATE_LEVELS["year off by one"]
        return "year off by one, other parts differ", DATE_LEVELS["year off by one, other parts differ"]
    if ma == mb and da == db and _one_digit(ya, yb):
        return "one digit (year)", DATE_LEVELS["one digit (year)"]
    return "different", DATE_LEVELS["different"]


def gender_level(a: str, b: str) -> tuple[str, float]:
    """Compare gender codes M/F/X."""
    if not a or not b:
        return "missing", 0.0
    if a == b:
        return "exact", GENDER_LEVELS["exact"]
    if "X" in (a, b):
        return "X vs M/F", GENDER_LEVELS["X vs M/F"]
    return "different", GENDER_LEVELS["different"]


def place_level(field: str, a: str, b: str, freq: Frequencies) -> tuple[str, float]:
    """Compare birth country (UU = unknown) or birth state; agreement on a rare place counts more."""
    if not a or not b or a == "UU" or b == "UU":
        return "missing", 0.0
    if a == b:
        table = freq.country if field == "birth_country" else freq.state
        # Capped low: twins and siblings share a birth place, so it tells little about identity.
        return "exact", max(0.1, freq.exact_weight(table, a, M_PLACE, cap=1.5))
    return "different", PLACE_DIFFERENT[field]
