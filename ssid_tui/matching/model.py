"""The matching model as data: one table of field comparisons, one of blocking passes.

Everything else reads these two tables and lists no field again: `comparisons.py` takes
each level's weight from `COMPARISONS` and names, in `FIELD_RULES`, the one function that
puts a pair in a level of each field (the matcher, its explanation rows, the u sample and
the registry-duplicate check all go through it), the matcher labels its explanation rows
and builds its blocking query from `BLOCKING_PASSES`, the registry builds one index per
pass and counts the frequencies the term-frequency levels need, the review screen lists
the compared fields in this order, and every run stores `weights_record()` in the
workspace (`ssid-tui status W --weights` prints it).

A level's weight is a log2 Bayes factor, log2(m/u) in bits. A term-frequency level
(`m` set) has no fixed weight: u is the agreed value's share of the registry, so agreeing
on JOSE GARCIA counts for less than agreeing on a rare name (Splink's comparison library
is the model for this layout). The order of a field's levels is the order its rules are
tried in `comparisons.py`: the first that applies wins.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class Level:
    """One agreement level of a field: the rule that puts a pair in it and what it weighs."""

    name: str
    rule: str
    weight: float = 0.0            # bits, for a level with a fixed weight
    m: float | None = None         # term-frequency level: P(level | same student); u from the registry
    cap: float | None = None       # most a term-frequency level adds, in bits
    floor: float | None = None     # least it adds
    reason: str = ""               # why the cap or the hand-set weight is what it is
    learned: bool = True           # False: a run's learning leaves the hand-set weight as it is (see reason)
    max_shift: float | None = None  # most a run's learning moves the weight, in bits (None: learning.MAX_SHIFT)

    @property
    def tf(self) -> bool:
        """Whether exact agreement is weighted by the value's frequency in the registry."""
        return self.m is not None

    def as_dict(self) -> dict[str, Any]:
        """The form stored with each run."""
        d: dict[str, Any] = {"level": self.name, "rule": self.rule}
        if self.tf:
            d.update(m=self.m, u="registry frequency", cap=self.cap)
            if self.floor is not None:
                d["floor"] = self.floor
        else:
            d["weight"] = self.weight
        if self.max_shift is not None:
            d["max_shift"] = self.max_shift
        if self.reason:
            d["reason"] = self.reason
        return d


@dataclass(frozen=True)
class FieldComparison:
    """How one field is compared: its levels, most specific first."""

    field: str          # the SENR / ODS key, e.g. "birth_date"
    label: str          # as explanations and the review screen show it
    levels: tuple[Level, ...]
    frequency: str = ""  # the registry frequency table its term-frequency levels use
    family: bool = False  # twins and siblings agree on it as the student does (the family cap counts it)

    def level(self, name: str) -> Level:
        """The level called `name`."""
        for lv in self.levels:
            if lv.name == name:
                return lv
        raise KeyError(f"{self.field} has no level {name!r}")

    def weights(self) -> dict[str, float]:
        """Fixed weights by level name (term-frequency levels are left out)."""
        return {lv.name: lv.weight for lv in self.levels if not lv.tf}


_CLOSE = "Jaro-Winkler >= 0.92, or one edit (letters dropped, doubled or swapped) in names of 3+ letters"

COMPARISONS: tuple[FieldComparison, ...] = (
    FieldComparison("first", "First name", (
        Level("exact", "the same given names", m=0.85, cap=12.0,
              reason="capped: an unseen name is not proof, and CDE ranks the first name second"),
        Level("compact", "the same without spaces and hyphens: JI-WOO ~ JIWOO", 4.5),
        Level("token", "one side's given names are part of the other's: MARIA JOSE ~ MARIA", 3.5),
        Level("middle as first", "goes by the middle name, unless the other given name contradicts it", 4.0),
        Level("initial", "one side gives only an initial, and it agrees: J ~ JOSE", -2.0),
        Level("nickname", "a nickname table pairs them: BOB ~ ROBERT, PEPE ~ JOSE", 4.5),
        Level("close spelling", _CLOSE, 3.5),
        Level("phonetic", "the same sound (Metaphone): STEPHEN ~ STEVEN", 3.0),
        Level("short form", "shaped like a short form: MADDIE ~ MADISON, MANDO ~ ARMANDO", 2.0),
        Level("nickname, misspelt", "one typed letter from a name a nickname table pairs with the other, the "
              "misspelt side rare in the registry: TOÑL ~ ANTONIO (TOÑO), ALX ~ ALEJANDRO (ALEX)", 1.0,
              reason="ours: a nickname and a typo at once; rarity keeps real names (LIA ~ MARIA by MIA) out"),
        Level("similar", "Jaro-Winkler >= 0.85", -1.0),
        Level("different", "none of the above; also DANIEL ~ DANIELA when the genders differ", -10.0, max_shift=4.0,
              reason="ours: twins differ only here, so a different first name costs more than Fellegi-Sunter "
                     "would say; learned up to 4 bits lighter (EM counts a twin found beside the student's own "
                     "record as no match), as some sources replace first names (FEBRL: 3 in 100 students; "
                     "unbounded, EM learns -4.5 to -5.5 there, -7.5 on our generator; 5 bits cost WIC a wrong "
                     "Single Match or two); see also the family cap"),
        Level("missing", "blank on either side", 0.0),
    ), frequency="first"),
    FieldComparison("last", "Last name", (
        Level("exact", "the same surname", m=0.85, cap=12.0, reason="capped: surnames run in families"),
        Level("compact", "the same without spaces and hyphens: GARCIA-LOPEZ ~ GARCIALOPEZ (exact, less 0.3)",
              m=0.85 * 2 ** -0.3, cap=12.0 - 0.3),
        Level("particle dropped", "the same without DE, DE LA, VAN, ST...: DE LA ROSA ~ ROSA", m=0.1, cap=10.0),
        Level("token", "shares one of two surnames: GARCIA ~ GARCIA LOPEZ", m=0.05, cap=8.0),
        Level("close spelling", _CLOSE, 4.0),
        Level("phonetic", "the same sound (Metaphone) of the first or the last surname", 2.5),
        Level("close token", "one surname close to a part of the other's two: GARCIA ~ GARCA LOPEZ", 3.0),
        Level("similar", "Jaro-Winkler >= 0.85", -1.0),
        Level("different", "none of the above", -6.0),
        Level("missing", "blank on either side", 0.0),
    ), frequency="last"),
    FieldComparison("middle", "Middle name", (
        Level("first and middle crosswise", "first and middle given the other way round: JOSE LUIS ~ LUIS JOSE", 2.5),
        Level("exact", "the same middle name", 2.5),
        Level("initial", "one side gives only an initial: agrees (else different)", 1.0),
        Level("nickname", "a nickname table pairs them", 1.5),
        Level("close spelling", _CLOSE, 1.5),
        Level("phonetic", "the same sound (Metaphone)", 1.5),
        Level("different", "none of the above", -4.0),
        Level("missing", "blank on either side", 0.0),
    )),
    FieldComparison("birth_date", "Birth date", (
        Level("exact", "the same date", m=0.93, cap=16.0, reason="capped: an unseen date in a small registry"),
        Level("day and month swapped", "04/07 ~ 07/04, same year", 6.0),
        Level("one digit (day)", "same year and month, one digit of the day differs", 3.5),
        Level("one digit (month)", "same year and day, one digit of the month differs", 3.0),
        Level("same year", "same year, month and day differ otherwise", -2.5),
        Level("year off by one", "month and day agree, years one apart", 2.5),
        Level("year off by one, other parts differ", "years one apart, month or day differ too", -6.0),
        Level("one digit (year)", "month and day agree, one digit of the year differs", 1.0),
        Level("year digits swapped", "month and day agree, the year's last two digits swapped: 1997 ~ 1979", 1.0),
        Level("different", "none of the above", -9.0, max_shift=5.0,
              reason="CDE ranks the birth year first; learned up to 5 bits: noisy sources put a relative's or a "
                     "mistyped date on one student's record far more often than the prior's 1 in 500"),
        Level("missing", "blank on either side", 0.0),
    ), frequency="dob", family=True),
    FieldComparison("gender", "Gender", (
        Level("exact", "the same code", 0.95),
        Level("X vs M/F", "X on one side only", -2.0),
        Level("different", "M against F", -4.5),
        Level("missing", "blank on either side", 0.0),
    )),
    FieldComparison("birth_country", "Birth country", (
        Level("exact", "the same country", m=0.9, cap=1.5, floor=0.1,
              reason="capped low: twins and siblings share a birth place"),
        Level("different", "different countries", -2.5),
        Level("missing", "blank or UU (unknown) on either side", 0.0),
    ), frequency="country", family=True),
    FieldComparison("birth_state", "Birth state", (
        Level("exact", "the same state or province", m=0.9, cap=1.5, floor=0.1,
              reason="capped low: twins and siblings share a birth place"),
        Level("different", "different states", -2.0),
        Level("missing", "blank on either side", 0.0),
    ), frequency="state", family=True),
    FieldComparison("birth_city", "Birth city", (
        Level("exact", "the same city (accents, case, spaces and punctuation aside)", 0.0,
              reason="ours, not learned: no weight; the pairs that reach scoring share name sounds and dates, and "
                     "among them twins and siblings share a birth city as often as the student does",
              learned=False),
        Level("close spelling", _CLOSE, 0.5),
        Level("different", "different cities", -2.0,
              reason="separates same-name, same-date look-alikes; not more: a free-text field, spelt many ways"),
        Level("missing", "blank on either side: no evidence", 0.0),
    ), family=True),
)
#: The fields in the table's order: a level pattern (`learning.Pattern`) is a tuple in this order.
FIELDS: tuple[str, ...] = tuple(c.field for c in COMPARISONS)
BY_FIELD: dict[str, FieldComparison] = {c.field: c for c in COMPARISONS}
#: The registry frequency tables the term-frequency levels read.
FREQUENCY_TABLES: tuple[str, ...] = tuple(c.frequency for c in COMPARISONS if c.frequency)


#: CDE's ranking (year > first > last > middle > month > day) as chains of levels whose weights
#: must rise strictly: a slip in a higher-ranked element costs more. Learned weights are held
#: to these after every step of learning (`learning.py`).
RANKING: tuple[tuple[tuple[str, str], ...], ...] = (
    (("birth_date", "one digit (year)"), ("birth_date", "one digit (month)"), ("birth_date", "one digit (day)")),
    (("first", "close spelling"), ("last", "close spelling")),
    (("first", "different"), ("last", "different"), ("middle", "different")),
)


@dataclass(frozen=True)
class Adjustment:
    """A weight that belongs to no single field: a cap over several, or what an arrangement costs."""

    name: str
    label: str
    weight: float
    reason: str


ADJUSTMENTS: tuple[Adjustment, ...] = (
    Adjustment("names_cap", "Names cap", 15.0,
               "ours: most that first and last name say together, so a rare family name cannot outweigh a "
               "birth date that disagrees (twins, siblings, cousins); in a registry of over a million it grows "
               "with log2(size / 1,000,000), so an exact full name keeps its odds as the registry grows"),
    Adjustment("family_cap", "Family cap", 4.0,
               "ours: with a wholly different first name, surname, birth date and birth place together add at "
               "most log2(registry size) + this: a twin agrees on them as well as the student does, so a "
               "replaced first name scores a low share (likely a sibling) in a registry of any size"),
    Adjustment("swapped", "Names swapped", -5.0, "first and last name typed the wrong way round (1-2% of records)"),
    Adjustment("former", "Former name", -0.25, "the registry's older legal name: the legal name outranks it"),
    Adjustment("alias", "Alias name", -0.5, "the registry's alias: CDE says legal names take precedence"),
    Adjustment("submitted alias", "Submitted alias", -0.5, "the alias name given in the SENR"),
)
ADJUST: dict[str, float] = {a.name: a.weight for a in ADJUSTMENTS}


@dataclass(frozen=True)
class BlockingPass:
    """One indexed query whose candidates join the union; each survives a different variation.

    `where` is SQL over the registry's name table. `{dates}` (the birth date, its day/month
    swap and its year digits swapped), `{digit_dates}` (every real date one typed digit
    away), `{keys}` (the sounds of every submitted name token, of names with a space
    dropped, and of nickname full forms), `{first_keys}` and `{last_keys}` (the given names' and
    the surnames' own sounds), `{given_keys}` (the given names' sounds and their nicknames' full
    forms), `{prefixes}`
    (first four letters of the surnames), `{last_starts}` (their first two), `{first_starts_range}` (a
    given name's sound starts with the first two letters of a submitted given name's sound: a range
    of the index, where `substr` of the column would read the surname's whole sound group) and `{initials}` (of given name and surname, either
    way round; `{own_initials}` not swapped) become parameter lists; `{near}` is "birth date in the year window, or the
    same month and day". A pass keeps at most `limit` rows. A pass with `rare` set (name
    parts such as "first last", or "date") runs only when the registry's counts expect at most
    `limit` records with those parts: decided before querying, so a common name costs nothing
    (a start, "first_start" or "last_start", is taken to be shared by `START_SHARE` of the registry).
    A pass with `scan` set keeps the best `limit` of the first `scan` rows its index yields: a
    misspelt name has no count, and its sound may be a common one's.
    """

    name: str
    columns: tuple[str, ...]   # the registry index that serves it (passes may share one)
    where: str
    why: str
    limit: int = 25
    rare: str = ""             # parts (first, middle, last, date, dates, first_start, last_start) expected <= limit
    scan: int = 0              # if set, the pass sorts only the first `scan` rows its index yields


_DOB_INITIALS = ("birth_date", "initials", "first_key", "last_key1")
_LAST_FIRST = ("last_key1", "first_key", "birth_date")
BLOCKING_PASSES: tuple[BlockingPass, ...] = (
    BlockingPass("dob_last1", ("birth_date", "last_key1"), "birth_date IN {dates} AND last_key1 IN {keys}",
                 "same birth date (or day and month, or the year's digits, swapped) and the sound of the (first) "
                 "surname; also a replaced first name (a sibling: same surname, date and gender)"),
    BlockingPass("dob_last2", ("birth_date", "last_key2"), "birth_date IN {dates} AND last_key2 IN {keys}",
                 "same birth date and the sound of the second surname"),
    BlockingPass("dob_first", ("birth_date", "first_key"), "birth_date IN {dates} AND first_key IN {keys}",
                 "same birth date and the sound of a given name: survives any surname change"),
    BlockingPass("last_first", _LAST_FIRST, "last_key1 IN {keys} AND first_key IN {keys} AND {near}",
                 "surname and given-name sounds, born within the year window or on the same month and day"),
    BlockingPass("last_middle", ("last_key1", "middle_key", "birth_date"),
                 "last_key1 IN {keys} AND middle_key IN {keys} AND {near}",
                 "the same with the middle name as given name"),
    BlockingPass("prefix_first", ("last_prefix", "first_key", "birth_date"),
                 "last_prefix IN {prefixes} AND first_key IN {keys} AND {near}",
                 "the surname's first four letters instead of its sound: a slip at its end (CONTRERA)"),
    BlockingPass("dob_initials", _DOB_INITIALS, "birth_date IN {dates} AND initials IN {initials}",
                 "same birth date and the initials of given name and surname: both names misspelt"),
    BlockingPass("dob_digit", _DOB_INITIALS,
                 "birth_date IN {digit_dates} AND initials IN {own_initials} AND (first_key IN {keys} OR last_key1 IN {keys})",
                 "a name typo and a birth-date digit at once: one name's sound and the initials agree, the date is "
                 "one typed digit away"),
    BlockingPass("dob_prefix", ("birth_date", "last_prefix"), "birth_date IN {dates} AND last_prefix IN {prefixes}",
                 "a replaced or garbled first name and a slip in the surname: same date, surname's first four letters"),
    BlockingPass("digit_first", ("birth_date", "first_key"), "birth_date IN {digit_dates} AND first_key IN {given_keys}",
                 "a given name (or its full form) and a birth date one typed digit away, whatever the surname: "
                 "a replaced surname and a date slip", limit=8, rare="first dates"),
    BlockingPass("digit_last", ("birth_date", "last_key1"), "birth_date IN {digit_dates} AND last_key1 IN {last_keys}",
                 "the surname and a birth date one typed digit away, whatever the given name: a replaced given "
                 "name and a date slip", limit=8, rare="last dates"),
    BlockingPass("rare_name", _LAST_FIRST, "(last_key1 IN {last_keys} AND first_key IN {given_keys} "
                 "OR last_key1 IN {first_keys} AND first_key IN {last_keys})",
                 "a rare full name (or with the given name's full form: FRANKIE for FRANCIS) whatever the birth "
                 "date (a date copied from a relative, or wholly mistyped)", limit=8, rare="first last", scan=32),
    BlockingPass("rare_name_middle", ("last_key1", "middle_key", "birth_date"),
                 "last_key1 IN {last_keys} AND middle_key IN {keys} AND first_key IN {first_keys}",
                 "a full name with its middle name rare whatever the birth date (JOSE LUIS GARCIA where JOSE "
                 "GARCIA is common)", limit=8, rare="first middle last", scan=32),
    BlockingPass("rare_prefix_first", ("last_prefix", "first_key", "birth_date"),
                 "last_prefix IN {prefixes} AND first_key IN {first_keys}",
                 "a rare given name with the surname's first four letters, whatever the date: a surname slip and "
                 "a wrong date", limit=8, rare="first last", scan=32),
    BlockingPass("rare_first_start", ("first_key", "substr(last_prefix, 1, 2)"),
                 "first_key IN {first_keys} AND substr(last_prefix, 1, 2) IN {last_starts}",
                 "a rare given name with the surname's first two letters, whatever the date: a surname typo past "
                 "its sound and first four letters (HOLOLWAY for HOLLOWAY) and a wrong date", limit=4,
                 rare="first last_start", scan=32),
    BlockingPass("rare_last_start", _LAST_FIRST,
                 "last_key1 IN {last_keys} AND {first_starts_range}",
                 "a rare surname with the start of the given name's sound, whatever the date: a given-name typo "
                 "past its sound (MARGAREK for MARGARET) or a short form the nickname tables lack, and a wrong date",
                 limit=4, rare="last first_start", scan=32),
    BlockingPass("rare_surname", _LAST_FIRST, "last_key1 IN {last_keys}",
                 "a rare surname whatever the given name and date: a first-name typo and a wrong date",
                 limit=4, rare="last", scan=32),
    BlockingPass("rare_date", ("birth_date", "last_key1"), "birth_date IN {dates}",
                 "a birth date few registry students share, whatever the names: both names replaced or misspelt "
                 "past their sounds (never runs for a school-age date in a statewide registry)", limit=8, rare="date",
                 scan=32),
)
#: The share of registry names taken to start the same way (a surname's first two letters, the first two
#: of a given name's sound), for the rare passes that ask for a start: the commonest start's share,
#: rounded up (RO, MA: 3.7% of surnames, JS: 3.8% of given names on our generator's million), so that
#: such a pass never reads more than its limit expects.
START_SHARE = 1 / 25
#: Most registry name records one student's passes may bring together, those agreeing most
#: first (birth date, then name sounds). Why 60: scoring a record costs tens of microseconds, so
#: a student with the commonest name in a 10-million registry costs what an average one does;
#: on 2,000 generated students against 1,000,000, the true record was within the best 60 for
#: every one (within the best 40 for 99.9%), and students averaged 39 records (52 unbounded).
BLOCKED_ROWS_CAP = 60
#: Each pass's best rows (by its own ranking) that the union keeps before filling up to the cap
#: by overall agreement: a pass exists for one variation, and its best rows must not be pushed out
#: by another pass's many same-date look-alikes of a common surname.
BLOCKED_ROWS_KEPT = 5


def weights_record() -> dict[str, Any]:
    """Every weight the model uses, as stored with a run and printed by `status --weights`."""
    return {
        "fields": [{"field": c.field, "label": c.label, "levels": [lv.as_dict() for lv in c.levels]}
                   for c in COMPARISONS],
        "adjustments": [{"name": a.name, "label": a.label, "weight": a.weight, "reason": a.reason}
                        for a in ADJUSTMENTS],
        "blocking": [{"pass": p.name, "why": p.why, "limit": p.limit, **({"rare": p.rare} if p.rare else {})}
                     for p in BLOCKING_PASSES],
        "blocked_rows_cap": BLOCKED_ROWS_CAP,
    }
