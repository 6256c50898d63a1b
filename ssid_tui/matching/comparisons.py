"""Field comparisons: each falls into a named level with a weight of evidence.

Weights are log2 Bayes factors, log2(m/u): m is how often the level occurs when the two
records are the same student, u how often when they are not. Exact name and birth-date
agreement use u from the registry's own frequencies (term-frequency adjustment), so
agreeing on JOSE GARCIA counts for less than agreeing on a rare name. Levels, their
rules and weights are declared in `model.py`; this module decides which level a pair is
in, and `FIELD_RULES` says which function decides each field of the table: the matcher,
the explanation rows, the u sample and the registry-duplicate check read it, so a new
field is one entry there and one in the model. The weights honour CDE's ranking of elements (year > first > last > middle > month >
day): a higher-ranked element costs more when it deviates.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from functools import lru_cache, partial

from rapidfuzz.distance import OSA, JaroWinkler

from ssid_tui.matching.model import ADJUST, BY_FIELD, COMPARISONS, FREQUENCY_TABLES
from ssid_tui.matching.name_forms import NameForms
from ssid_tui.matching.names import SURNAME_PREFIXES, are_nicknames, linked_names, normalize, phonetic

# Fixed weights by level, from the model's table (ssid_tui/matching/model.py).
FIRST_LEVELS = BY_FIELD["first"].weights()
LAST_LEVELS = BY_FIELD["last"].weights()
MIDDLE_LEVELS = BY_FIELD["middle"].weights()
DATE_LEVELS = BY_FIELD["birth_date"].weights()
GENDER_LEVELS = BY_FIELD["gender"].weights()
NAME_EVIDENCE_CAP = ADJUST["names_cap"]
FAMILY_CAP = ADJUST["family_cap"]
SWAPPED_PENALTY = ADJUST["swapped"]
NAME_SOURCE_PENALTY = {"legal": 0.0, "former": ADJUST["former"], "alias": ADJUST["alias"]}
SUBMITTED_ALIAS_PENALTY = ADJUST["submitted alias"]
#: The registry size up to which NAME_EVIDENCE_CAP holds as it is; above it the cap grows (`names_cap`).
NAMES_CAP_SIZE = 1_000_000


def names_cap(registry_size: int) -> float:
    """Most bits first and last name may say together against a registry of this size.

    NAME_EVIDENCE_CAP up to a million students; above that it grows by log2(size / 1,000,000),
    as the prior falls: an exact full name with a slipped birth date keeps the odds it has at a
    million instead of sinking under the listing threshold in a statewide registry.
    """
    return NAME_EVIDENCE_CAP + max(0.0, math.log2(max(registry_size, 1) / NAMES_CAP_SIZE))

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
        self.tables = {kind: freq.get(kind, {}) for kind in FREQUENCY_TABLES}
        self.first = freq.get("first", {})
        self.last = freq.get("last", {})
        self.dob = freq.get("dob", {})
        self.country = freq.get("country", {})
        self.state = freq.get("state", {})
        self.total = max(total, 1)
        # (field, level) -> (frequency table, log2 m, cap, floor), looked up once per pair
        self._tf: dict[tuple[str, str], tuple[dict[str, int], float, float, float | None]] = {
            (c.field, lv.name): (self.tables.get(c.frequency, {}), math.log2(lv.m or 1.0),
                                 lv.cap if lv.cap is not None else 14.0, lv.floor)
            for c in COMPARISONS for lv in c.levels if lv.tf
        }

    def exact_weight(self, table: dict[str, int], value: str, m: float, cap: float = 14.0) -> float:
        """log2(m/u) with u = (count + 1) / (registry size + 1), capped for unseen values."""
        u = (table.get(value, 0) + 1) / (self.total + 1)
        return min(cap, math.log2(m / u))

    def tf_weight(self, field: str, level: str, value: str) -> float:
        """The weight of a term-frequency level of the model for `value`, within its cap and floor."""
        table, log_m, cap, floor = self._tf[field, level]
        w = min(cap, log_m - math.log2((table.get(value, 0) + 1) / (self.total + 1)))
        return w if floor is None else max(floor, w)


_DIMINUTIVE_ENDINGS = ("IE", "Y", "I", "EE", "O", "A", "ITO", "ITA", "CITO", "CITA")


def short_form(a: str, b: str) -> bool:
    """True if the shorter name looks like a short form of the longer: MADDIE~MADISON, MANDO~ARMANDO."""
    short, long_ = (a, b) if len(a) <= len(b) else (b, a)
    if len(short) < 3 or short == long_:
        return False
    stems = _short_stems(short)
    return long_.startswith(stems) or long_.endswith(stems)


@lru_cache(maxsize=1 << 16)  # per name: most compared pairs of given names reach `short_form`
def _short_stems(short: str) -> tuple[str, ...]:
    """What a short form may be cut from: the name, without a diminutive ending, without a doubled letter."""
    stems = {short} | {short[: -len(e)] for e in _DIMINUTIVE_ENDINGS if short.endswith(e) and len(short) - len(e) >= 3}
    stems |= {stem[:-1] for stem in stems if len(stem) >= 4 and stem[-1] == stem[-2]}  # MADD -> MAD
    return tuple(stems)


def _close(a: str, b: str) -> str | None:
    sim = _JW(a, b)
    if sim >= 0.92 or (min(len(a), len(b)) >= 3 and OSA.distance(a, b) <= 1):
        return "close spelling"
    if sim >= 0.85:
        return "similar"
    return None


def first_level(sub: NameForms, cand: NameForms, freq: Frequencies, sexes_differ: bool) -> tuple[str, float]:
    """Compare given names."""
    return first_level_by_forms(sub, cand, freq) or given_names_level(sub, cand, freq, sexes_differ)


def first_level_by_forms(sub: NameForms, cand: NameForms, freq: Frequencies) -> tuple[str, float] | None:
    """The given names' level where it is decided by the names' forms (the middle names' too), else None."""
    a, b = sub.first, cand.first
    if not a or not b:
        return "missing", 0.0
    if a == b:
        return "exact", freq.tf_weight("first", "exact", sub.first_tokens[0])
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
    return None


def given_names_level(sub: NameForms, cand: NameForms, freq: Frequencies, sexes_differ: bool) -> tuple[str, float]:
    """The given names' level when `first_level_by_forms` did not decide it: read from the two given
    names alone (`first` and its tokens), never the middle names, so it may be kept by the pair."""
    a, b = sub.first, cand.first
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
    if _misspelt_nickname(fa, fb, freq) or _misspelt_nickname(fb, fa, freq):
        return "nickname, misspelt", FIRST_LEVELS["nickname, misspelt"]
    if close:
        return close, FIRST_LEVELS[close]
    return "different", FIRST_LEVELS["different"]


#: A given name held by fewer than this share of registry students may be a typo (`_misspelt_nickname`).
_TYPO_SHARE = 1e-5


def _misspelt_nickname(typed: str, other: str, freq: Frequencies) -> bool:
    """`typed` is rare in the registry and one edit from a name the nickname tables link to `other`."""
    if len(typed) < 3 or freq.first.get(typed, 0) >= _TYPO_SHARE * freq.total:
        return False
    return any(len(n) >= 4 and OSA.distance(typed, n, score_cutoff=1) <= 1 for n in linked_names(other))


@lru_cache(maxsize=1 << 16)  # pure, and called for most candidate pairs
def bare_surnames(compact_name: str) -> frozenset[str]:
    """A compact surname and every form of it without leading particles: DELAROSA -> LAROSA, ROSA...

    Every way of stripping counts, not only the longest particle first: DELEON is DE + LEON,
    not DEL + EON, and DELAROSA is DELA + ROSA as well as DE + LA + ROSA.
    """
    forms, todo = {compact_name}, [compact_name]
    while todo:
        name = todo.pop()
        for p in SURNAME_PREFIXES:
            rest = name[len(p):]
            if name.startswith(p) and len(rest) >= 3 and rest not in forms:
                forms.add(rest)
                todo.append(rest)
    return frozenset(forms)


def last_level(sub: NameForms, cand: NameForms, freq: Frequencies) -> tuple[str, float]:
    """Compare surnames, including two-part surnames given in part."""
    a, b = sub.last, cand.last
    if not a or not b:
        return "missing", 0.0
    if a == b:
        return "exact", freq.tf_weight("last", "exact", sub.last_compact)
    if sub.last_compact == cand.last_compact:
        return "compact", freq.tf_weight("last", "compact", sub.last_compact)
    if bare_surnames(sub.last_compact) & bare_surnames(cand.last_compact):  # DE LA ROSA ~ ROSA, ST. JOHN ~ SAINT JOHN
        return "particle dropped", freq.tf_weight("last", "particle dropped", cand.last_compact)
    shared = set(sub.last_tokens) & set(cand.last_tokens)
    if shared:
        w = max(freq.tf_weight("last", "token", t) for t in shared)
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
                return "close token", LAST_LEVELS["close token"]
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
        return "exact", freq.tf_weight("birth_date", "exact", a)
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
    if ma == mb and da == db and ya[:2] == yb[:2] and ya[2:] == yb[3] + yb[2]:
        return "year digits swapped", DATE_LEVELS["year digits swapped"]
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
        return "exact", freq.tf_weight(field, "exact", a)
    return "different", BY_FIELD[field].level("different").weight


def city_level(a: str, b: str) -> tuple[str, float]:
    """Compare birth cities (free text) where both sides have one: disagreement separates look-alikes."""
    na, nb = normalize(a).replace(" ", ""), normalize(b).replace(" ", "")
    if not na or not nb:
        return "missing", 0.0
    city = BY_FIELD["birth_city"]
    if na == nb:
        return "exact", city.level("exact").weight
    if _close(na, nb) == "close spelling":
        return "close spelling", city.level("close spelling").weight
    return "different", city.level("different").weight


def crosswise_middle(sub: NameForms, cand: NameForms) -> tuple[str, float]:
    """The middle level when the first names' level is "middle as first": the middles agree crosswise."""
    level = "first and middle crosswise" if sub.middle and cand.middle else "missing"
    return level, MIDDLE_LEVELS[level]


#: Puts two names (submitted, candidate) in a level of one name field; the flag: genders M against F.
NameRule = Callable[[NameForms, NameForms, Frequencies, bool], tuple[str, float]]
#: Puts two values of one field (submitted, candidate) in a level.
ValueRule = Callable[[str, str, Frequencies], tuple[str, float]]


@dataclass(frozen=True)
class FieldRule:
    """The function that gives a pair's level (and weight) in one field of the model table."""

    field: str
    names: NameRule | None = None    # a name field: compared on NameForms, for each arrangement of the names
    values: ValueRule | None = None  # compared on the two records' values of `field` (SENR / ODS keys)


#: One entry per field of `model.COMPARISONS`, in its order (tests hold the two together).
FIELD_RULES: tuple[FieldRule, ...] = (
    FieldRule("first", names=first_level),
    FieldRule("last", names=lambda sub, cand, freq, _sexes: last_level(sub, cand, freq)),
    FieldRule("middle", names=lambda sub, cand, _freq, _sexes: middle_level(sub, cand)),
    FieldRule("birth_date", values=date_level),
    FieldRule("gender", values=lambda a, b, _freq: gender_level(a, b)),
    FieldRule("birth_country", values=partial(place_level, "birth_country")),
    FieldRule("birth_state", values=partial(place_level, "birth_state")),
    FieldRule("birth_city", values=lambda a, b, _freq: city_level(a, b)),
)
#: The fields compared on values, with their rules: what the matcher scores after the names.
VALUE_RULES: tuple[tuple[str, ValueRule], ...] = tuple((r.field, r.values) for r in FIELD_RULES if r.values)
VALUE_FIELDS: tuple[str, ...] = tuple(f for f, _rule in VALUE_RULES)


def record_levels(a: NameForms, a_values: Mapping[str, str], b: NameForms, b_values: Mapping[str, str],
                  freq: Frequencies) -> dict[str, tuple[str, float]]:
    """Every field's level and weight for two records compared straight (no other arrangement, no caps)."""
    sexes_differ = {a_values.get("gender"), b_values.get("gender")} == {"M", "F"}
    out = {}
    for rule in FIELD_RULES:
        if rule.names is not None:
            out[rule.field] = rule.names(a, b, freq, sexes_differ)
        elif rule.values is not None:
            out[rule.field] = rule.values(a_values.get(rule.field, ""), b_values.get(rule.field, ""), freq)
    if out["first"][0] == "middle as first":
        out["middle"] = crosswise_middle(a, b)
    return out
