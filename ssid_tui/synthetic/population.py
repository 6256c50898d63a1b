"""The synthetic population: households of California students, drawn from one random.Random.

Families are drawn household by household, so the registry holds the look-alikes real
data has: siblings (same surname and district, birth dates 14-48 months apart), twins,
and common-name collisions (names come from the ranked pools with a Zipf-like skew). The
mix of groups, their naming customs and birth places is California's; each student gets
a most recent enrollment and, for about 10% of SSIDs, a second name record.
"""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from functools import lru_cache
from itertools import accumulate
from typing import TypeVar

from ssid_tui.synthetic.pools import (
    CA_CITIES,
    CANADA_PROVINCES,
    COUNTRY_CITIES,
    FIRST_NAMES,
    MX_STATES,
    NICK_EN,
    NICK_ES,
    SURNAMES,
    US_STATES,
    accent,
    plain,
)

_T = TypeVar("_T")

# Given-name style -> Zipf offset of its pools (weight of rank r: 1 / (r + offset)).
_STYLE_OFFSETS: dict[str, float] = {
    "EN": 8.0, "ES": 8.0, "BLK": 4.0, "VI": 4.0, "ZH": 4.0, "KO": 4.0, "FIL": 4.0, "IN": 4.0, "HY": 4.0,
    "AR": 4.0, "JA": 4.0,
}
# Surname pool -> (Zipf offset, Zipf exponent).
_SURNAME_SKEW: dict[str, tuple[float, float]] = {
    "HISP": (6.0, 1.0), "WHITE": (15.0, 1.0), "BLACK": (6.0, 1.0), "VI": (1.3, 1.5), "ZH": (3.0, 1.0),
    "KO": (1.0, 1.2), "FIL": (4.0, 1.0), "IN": (1.5, 1.0), "HY": (4.0, 1.0), "AR": (3.0, 1.0), "JA": (3.0, 1.0),
}


@dataclass(frozen=True)
class Group:
    key: str
    weight: float
    first_styles: tuple[tuple[str, float], ...]
    middle_prob: float
    middle_styles: tuple[tuple[str, float], ...]
    immigrant: float
    origins: tuple[tuple[str, float], ...]


GROUPS: tuple[Group, ...] = (
    Group("HISP", 0.540, (("ES", 0.72), ("EN", 0.28)), 0.50, (("ES", 0.6), ("EN", 0.4)), 0.28,
          (("MX", 0.80), ("SV", 0.08), ("GT", 0.07), ("HN", 0.03), ("NI", 0.01), ("PE", 0.005), ("CO", 0.005))),
    Group("WHITE", 0.218, (("EN", 1.0),), 0.85, (("EN", 1.0),), 0.06,
          (("RU", 0.2), ("UA", 0.2), ("GB", 0.15), ("CA", 0.15), ("DE", 0.1), ("IR", 0.1), ("IL", 0.1))),
    Group("BLACK", 0.050, (("EN", 0.55), ("BLK", 0.45)), 0.70, (("EN", 0.7), ("BLK", 0.3)), 0.06,
          (("NG", 0.3), ("ET", 0.3), ("ER", 0.1), ("JM", 0.15), ("HT", 0.15))),
    Group("VI", 0.025, (("EN", 0.55), ("VI", 0.45)), 0.60, (("VI", 1.0),), 0.30, (("VN", 1.0),)),
    Group("ZH", 0.035, (("EN", 0.70), ("ZH", 0.30)), 0.45, (("ZH", 1.0),), 0.40,
          (("CN", 0.7), ("TW", 0.15), ("HK", 0.15))),
    Group("KO", 0.012, (("EN", 0.50), ("KO", 0.50)), 0.30, (("KO", 1.0),), 0.40, (("KR", 1.0),)),
    Group("FIL", 0.025, (("EN", 0.55), ("FIL", 0.30), ("ES", 0.15)), 0.60, (("FIL", 1.0),), 0.35,
          (("PH", 0.97), ("GU", 0.03))),
    Group("IN", 0.022, (("IN", 0.75), ("EN", 0.25)), 0.35, (("IN", 1.0),), 0.50, (("IN", 0.9), ("PK", 0.1))),
    Group("HY", 0.012, (("HY", 0.70), ("EN", 0.30)), 0.30, (("HY", 1.0),), 0.40,
          (("AM", 0.6), ("IR", 0.2), ("LB", 0.1), ("SY", 0.05), ("RU", 0.05))),
    Group("AR", 0.012, (("AR", 0.80), ("EN", 0.20)), 0.40, (("AR", 1.0),), 0.55,
          (("IQ", 0.2), ("SY", 0.15), ("YE", 0.15), ("EG", 0.1), ("LB", 0.1), ("AF", 0.2), ("JO", 0.1))),
    Group("JA", 0.006, (("EN", 0.60), ("JA", 0.40)), 0.40, (("JA", 1.0),), 0.30, (("JP", 1.0),)),
    Group("MIXED", 0.043, (("EN", 0.60), ("ES", 0.30), ("VI", 0.03), ("KO", 0.03), ("ZH", 0.04)), 0.60,
          (("EN", 0.6), ("ES", 0.4)), 0.08,
          (("MX", 0.3), ("PH", 0.2), ("GB", 0.2), ("KR", 0.1), ("VN", 0.1), ("CA", 0.1))),
)
GROUP_BY_KEY = {g.key: g for g in GROUPS}
_MIXED_SURNAMES = (("HISP", 0.45), ("WHITE", 0.30), ("BLACK", 0.05), ("FIL", 0.05), ("VI", 0.05),
                   ("ZH", 0.05), ("KO", 0.05))


GRADE = {-1: "TK", 0: "KN", **{g: f"{g:02d}" for g in range(1, 13)}}
_EXTRACT_DATE = dt.date(2026, 6, 20)  # when the registry snapshot was taken (end of 2025-26)
LATEST_BIRTH = dt.date(2022, 9, 1)  # youngest TK child of 2026-27
_LEA_COUNT = 1000
_SCHOOL_TOTAL = 10000


DATE_BASE = dt.date(2000, 1, 1).toordinal()


@lru_cache(maxsize=1)
def date_strings() -> tuple[str, ...]:
    end = dt.date(2028, 12, 31).toordinal()
    return tuple(dt.date.fromordinal(o).strftime("%Y%m%d") for o in range(DATE_BASE, end + 1))


def ordinal(y: int, m: int, d: int) -> int:
    return dt.date(y, m, d).toordinal()


def _zipf_cum(n: int, offset: float, exponent: float = 1.0) -> list[float]:
    return list(accumulate(1.0 / (r + offset) ** exponent for r in range(n)))


def _stream(rng: random.Random, cum: Sequence[float], batch: int = 2048) -> Iterator[int]:
    """Indexes drawn with the given cumulative weights, in batches (fast, deterministic)."""
    idx = range(len(cum))
    choices = rng.choices
    while True:
        yield from choices(idx, cum_weights=cum, k=batch)


def _weighted_stream(rng: random.Random, items: Sequence[tuple[_T, float]], batch: int = 512) -> Iterator[_T]:
    values = [v for v, _ in items]
    cum = list(accumulate(w for _, w in items))
    choices = rng.choices
    while True:
        yield from choices(values, cum_weights=cum, k=batch)


class _Pool:
    """A ranked name pool with a Zipf-like skew and a buffered sampler."""

    __slots__ = ("names", "draw")

    def __init__(self, rng: random.Random, names: tuple[str, ...], offset: float, exponent: float = 1.0):
        self.names = names
        it = _stream(rng, _zipf_cum(len(names), offset, exponent))
        self.draw: Callable[[], int] = it.__next__


# A student as the population generator makes them (registry or new).
@dataclass(slots=True)
class Student:
    first: str
    middle: str
    last: str
    suffix: str
    dob: int  # ordinal
    gender: str
    city: str
    state: str
    country: str
    group: str
    style: str
    first_rank: int
    last_rank: int
    pat: str  # paternal surname as written
    mat: str  # maternal surname as written ("" if unknown)
    two_part: bool
    household: int
    # registry-only
    ssid: str = ""
    create: str = ""
    lea: str = ""
    school: str = ""
    grade: str = ""
    start: str = ""
    exit: str = ""
    alias: tuple[str, str, str] = ("", "", "")  # alias first/middle/last on the alias line
    others: tuple[tuple[str, str, str], ...] = ()  # alias or older legal names (first, middle, last)


class Population:
    """Households of California students, drawn from one random.Random."""

    def __init__(self, rng: random.Random):
        self.rng = rng
        self.dates = date_strings()
        self.first: dict[tuple[str, str], _Pool] = {}
        for style, off in _STYLE_OFFSETS.items():
            self.first[(style, "M")] = _Pool(rng, FIRST_NAMES[(style, "M")], off)
            self.first[(style, "F")] = _Pool(rng, FIRST_NAMES[(style, "F")], off)
        self.last = {k: _Pool(rng, SURNAMES[k], off, ex) for k, (off, ex) in _SURNAME_SKEW.items()}
        self.group_draw = _weighted_stream(rng, [(g, g.weight) for g in GROUPS]).__next__
        self.mixed_sur = _weighted_stream(rng, _MIXED_SURNAMES).__next__
        self.style_draw = {g.key: _weighted_stream(rng, g.first_styles).__next__ for g in GROUPS}
        self.mid_style_draw = {g.key: _weighted_stream(rng, g.middle_styles).__next__ for g in GROUPS}
        self.origin_draw = {g.key: _weighted_stream(rng, g.origins).__next__ for g in GROUPS}
        self.size_draw = _weighted_stream(rng, ((1, 50), (2, 32), (3, 13), (4, 4), (5, 1))).__next__
        self.us_state_draw = _weighted_stream(rng, [(s, w) for s, w, _ in US_STATES]).__next__
        self.us_cities = {s: c for s, _, c in US_STATES}
        self.mx_state_draw = _weighted_stream(rng, [(s, w) for s, w, _ in MX_STATES]).__next__
        self.mx_cities = {s: c for s, _, c in MX_STATES}
        self.ca_city = _Pool(rng, CA_CITIES, 3.0)
        # Cohort = the year of the Sept 1 cutoff a child's school start follows: born
        # 2 Sept (c-1) .. 1 Sept c. In 2025-26, cohort 2020 is in kindergarten.
        self.cohorts: dict[int, tuple[int, int]] = {}
        for c in range(2005, 2024):
            lo, hi = ordinal(c - 1, 9, 2), ordinal(c, 9, 1)
            self.cohorts[c] = (lo, hi - lo + 1)
        reg_w = [(2007, 0.1)] + [(c, 1.2 - 0.2 * (c - 2008) / 12) for c in range(2008, 2021)] + [(2021, 0.7)]
        self.registry_cohort = _weighted_stream(rng, reg_w).__next__
        self.min_dob = ordinal(2006, 9, 2)
        self.max_reg_dob = ordinal(2021, 9, 1)
        self.max_dob = LATEST_BIRTH.toordinal()
        self._build_leas()
        self.household_no = 0
        self.last_arrival = 0  # arrival date (ordinal) of the last household, 0 if not immigrant

    # -- districts and schools ------------------------------------------------------
    def _build_leas(self) -> None:
        rng = self.rng
        codes: set[str] = set()
        school_codes: set[str] = set()
        weights = [1.0 / (i + 2) for i in range(_LEA_COUNT)]
        total = sum(weights)
        self.leas: list[tuple[str, tuple[tuple[str, ...], tuple[str, ...], tuple[str, ...]]]] = []
        for w in weights:
            while True:
                code = f"{rng.randint(1, 58):02d}{rng.randint(10000, 77999):05d}"
                if code not in codes:
                    codes.add(code)
                    break
            n = max(1, round(_SCHOOL_TOTAL * w / total))
            schools = []
            for _ in range(n):
                while True:
                    s = f"{rng.randint(100000, 6999999):07d}"
                    if s not in school_codes and s not in codes:
                        school_codes.add(s)
                        schools.append(s)
                        break
            if n >= 3:
                ne = max(1, round(n * 0.6))
                nm = max(1, round(n * 0.2))
                bands = (tuple(schools[:ne]), tuple(schools[ne:ne + nm]), tuple(schools[ne + nm:]))
                if not all(bands):
                    bands = (tuple(schools),) * 3
            else:
                bands = (tuple(schools),) * 3
            self.leas.append((code, bands))
        self.lea_draw = _stream(rng, list(accumulate(weights))).__next__

    # -- names ----------------------------------------------------------------------
    def given(self, style: str, gender: str) -> tuple[str, int]:
        if gender == "X":
            gender = "M" if self.rng.random() < 0.5 else "F"
        pool = self.first[(style, gender)]
        i = pool.draw()
        return pool.names[i], i

    def middle_for(self, g: Group, gender: str, first: str) -> str:
        rng = self.rng
        if rng.random() >= g.middle_prob:
            return ""
        if g.key == "FIL":  # Filipino middle name: the mother's maiden surname
            pool = self.last["FIL"]
            return pool.names[pool.draw()]
        if g.key == "VI" and rng.random() < 0.4:
            return "VAN" if gender == "M" else "THI" if gender == "F" else "MINH"
        for _ in range(4):
            m, _i = self.given(self.mid_style_draw[g.key](), gender)
            if m != first and " " not in m:
                return m
        return ""

    def surname(self, key: str) -> tuple[str, int]:
        pool = self.last[key]
        i = pool.draw()
        return pool.names[i], i

    # -- places ---------------------------------------------------------------------
    def foreign_place(self, country: str) -> tuple[str, str]:
        """(city, state) for a birth abroad."""
        rng = self.rng
        state = ""
        if country == "MX":
            state = self.mx_state_draw()
            cities = self.mx_cities[state]
            if rng.random() < 0.25:
                state = ""
        elif country == "CA":
            state, city = rng.choice(CANADA_PROVINCES)
            cities = (city,)
        elif country in ("GU", "PR"):
            state = "US-" + country
            cities = COUNTRY_CITIES[country]
        else:
            cities = COUNTRY_CITIES.get(country, ())
        city = rng.choice(cities) if cities and rng.random() < 0.7 else ""
        return city, state

    def us_place(self, state: str) -> tuple[str, str]:
        rng = self.rng
        r = rng.random()
        if state == "US-CA":
            city = self.ca_city.names[self.ca_city.draw()] if r < 0.75 else ""
        else:
            city = rng.choice(self.us_cities[state]) if r < 0.7 else ""
        if rng.random() < 0.04:
            state = ""
        return city, state

    # -- households -----------------------------------------------------------------
    def household(self, size: int | None = None, cohort: int | None = None) -> list[Student]:
        """One family's children (siblings, sometimes twins), registry-shaped."""
        rng = self.rng
        rand = rng.random
        self.household_no += 1
        hh = self.household_no
        g: Group = self.group_draw()
        sur_key = g.key if g.key != "MIXED" else self.mixed_sur()
        pat, pat_rank = self.surname(sur_key)
        mat = ""
        two_part = False
        last = pat
        if sur_key == "HISP":
            for _ in range(4):
                mat, _r = self.surname("HISP")
                if mat != pat:
                    break
            r = rand()
            if r < 0.24:
                last, two_part = f"{pat} {mat}", True
            elif r < 0.29:
                last, two_part = f"{pat}-{mat}", True
            elif r < 0.34:
                last, pat, mat, pat_rank = mat, mat, pat, 999
        accented = sur_key == "HISP" and rand() < 0.14
        if accented:
            last, pat, mat = accent(last), accent(pat), accent(mat)
        immigrant = rand() < g.immigrant
        origin = self.origin_draw[g.key]() if immigrant else "US"
        arrival = ordinal(rng.randint(2006, 2024), rng.randint(1, 12), 1) if immigrant else 0
        r = rand()
        if g.key == "HISP" and r < 0.005:
            home = "PR"
        elif g.key == "FIL" and r < 0.01:
            home = "GU"
        else:
            home = "US-CA" if r < 0.88 else self.us_state_draw()
        n = size or self.size_draw()
        c = cohort or self.registry_cohort()
        lo, span = self.cohorts[c]
        dob = lo + int(rand() * span)
        step = 1 if rand() < 0.5 else -1
        dobs = [dob]
        while len(dobs) < n:
            nxt = dobs[-1] + step * rng.randint(420, 1460)
            if not (self.min_dob <= nxt <= self.max_reg_dob):
                break  # the next sibling is out of school age: a smaller family in school
            dobs.append(nxt)
        kids: list[Student] = []
        firsts: set[str] = set()
        for dob in dobs:
            twins = 2 if rand() < 0.016 else 1
            twin_gender = ""
            twin_initial = ""
            for t in range(twins):
                if t and rand() < 0.65:
                    gender = twin_gender
                else:
                    r = rand()
                    gender = "M" if r < 0.508 else "F" if r < 0.995 else "X"
                style = self.style_draw[g.key]()
                first, rank = self.given(style, gender)
                for _ in range(20):
                    if first not in firsts and (not twin_initial or first[0] == twin_initial or rand() < 0.7):
                        break
                    first, rank = self.given(style, gender)
                firsts.add(first)
                if t == 0:
                    twin_gender, twin_initial = gender, first[0]
                middle = self.middle_for(g, gender, first)
                if accented:
                    first, middle = accent(first), accent(middle)
                suffix = ""
                if gender == "M" and g.key in ("WHITE", "BLACK") and rand() < 0.02:
                    suffix = rng.choice(("JR", "JR", "JR.", "II", "III"))
                if rand() < 0.007:
                    country, city, state = "UU", "", ""
                elif immigrant and dob < arrival:
                    country = origin
                    city, state = self.foreign_place(origin)
                elif home in ("PR", "GU"):
                    country, state = home, "US-" + home
                    city = COUNTRY_CITIES[home][0] if rand() < 0.6 else ""
                else:
                    country = "US"
                    city, state = self.us_place(home)
                kids.append(Student(first, middle, last, suffix, dob, gender, city, state, country, g.key, style,
                                     rank, pat_rank, pat, mat, two_part, hh))
        self.last_arrival = arrival
        return kids

    # -- registry fields ------------------------------------------------------------
    def enrol(self, s: Student, lea_i: int, school_pick: int, arrival: int) -> None:
        """Fill the most recent enrollment (2025-26) and the SSID create date."""
        rng = self.rng
        rand = rng.random
        ds = self.dates[s.dob - DATE_BASE]
        c = int(ds[:4]) + (ds[4:] > "0901")
        g = 2020 - c
        if g >= 1 and rand() < 0.03:
            g -= 1  # retained a year
        code, bands = self.leas[lea_i]
        band = bands[0] if g <= 5 else bands[1] if g <= 8 else bands[2]
        s.lea = code
        s.school = band[school_pick % len(band)]
        s.grade = GRADE[min(g, 12)]
        if rand() < 0.8:
            start = ordinal(2025, 8, rng.randint(11, 20))
        else:
            start = ordinal(2025, 8, 21) + rng.randrange(267)
        s.start = self.dates[start - DATE_BASE]
        if g >= 12:
            s.exit = self.dates[ordinal(2026, 6, rng.randint(4, 11)) - DATE_BASE] if rand() < 0.9 else ""
        elif rand() < 0.03:
            s.exit = self.dates[min(start + 10 + rng.randrange(200), _EXTRACT_DATE.toordinal()) - DATE_BASE]
        else:
            s.exit = ""
        if g <= -1:
            create = start
        else:
            r = rand()
            kn = ordinal(c + 5, 8, rng.randint(10, 25))
            if r < 0.65:
                create = kn
            elif r < 0.80 and c + 4 >= 2015:
                create = ordinal(c + 4, 8, rng.randint(10, 25))
            else:
                create = kn + int(rand() * max(1, start - kn))
        if arrival and create < arrival:
            create = arrival + rng.randrange(1, 120)
        create = max(min(create, start), s.dob + 1)
        s.create = self.dates[create - DATE_BASE]

    def other_names(self, s: Student) -> None:
        """Give a student an alias line or an older legal name (about 10% of SSIDs)."""
        rng = self.rng
        rand = rng.random
        g = GROUP_BY_KEY[s.group]
        if rand() < 0.5:  # alias
            af, am, al = "", "", ""
            plain_first = plain(s.first)
            if s.style not in ("EN", "ES") and rand() < 0.7:
                af = self.given("EN", s.gender)[0]
            elif plain_first in NICK_EN and rand() < 0.5:
                af = rng.choice(NICK_EN[plain_first])
            elif plain_first in NICK_ES and rand() < 0.6:
                af = rng.choice(NICK_ES[plain_first])
            if not af or rand() < 0.3:
                if s.mat and rand() < 0.7:
                    al = s.mat
                else:
                    al = self.surname(s.group if s.group in self.last else "WHITE")[0]
                    if al == s.last:
                        al = ""
            if not af and not al:
                af = self.given(s.style, s.gender)[0]
            if af == s.first:
                af = ""
                al = al or self.surname("WHITE")[0]
            s.alias = (af, am, al)
            s.others = ((af or s.first, am or (s.middle if af == "" else ""), al or s.last),)
            return
        # An older legal name.
        r = rand()
        if r < 0.5:
            key = s.group if s.group in self.last else "WHITE"
            for _ in range(5):
                old_last = self.surname(key)[0]
                if old_last != s.last:
                    break
            if s.two_part and rand() < 0.5:
                old_last = s.pat
            old = (s.first, s.middle, old_last)
        elif r < 0.75:
            style = "EN" if s.style != "EN" else (g.first_styles[-1][0] if len(g.first_styles) > 1 else "ES")
            old_first = self.given(style, s.gender)[0]
            if old_first == s.first:
                old_first = self.given(style, s.gender)[0]
            old = (old_first, s.middle, s.last)
        else:
            old_last = s.mat if s.mat and s.mat != s.last else self.surname("HISP" if s.group == "HISP" else "WHITE")[0]
            old = (s.first, s.middle, old_last)
        if old != (s.first, s.middle, s.last):
            s.others = (old,)


