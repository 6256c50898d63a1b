"""The upload's students: registry students with their variations, and students new to the state.

New students are mostly fresh entrants and arrivals, plus deliberate look-alikes: the
unregistered twin or sibling of a registry student, or a common name born close to one.
"""

from __future__ import annotations

import random

from ssid_tui.synthetic.pools import accent, plain
from ssid_tui.synthetic.population import DATE_BASE, GROUP_BY_KEY, Population, Student
from ssid_tui.synthetic.variations import (
    MULTI_COMBOS,
    NAME_KINDS,
    VARIATION_SHARES,
    VARIATIONS,
    applicable,
    base_upload,
    record_key,
    record_ok,
)

#: Share of the upload's new (unregistered) students of each kind (sums to 1).
NEW_SHARES: dict[str, float] = {
    "new": 0.40,  # a fresh student: mostly TK/KN entrants and arrivals from elsewhere
    "new_lookalike": 0.25,  # a common name born close to a registry student with that name
    "new_twin": 0.20,  # the unregistered twin of a registry student
    "new_sibling": 0.15,  # a younger (or older) sibling of a registry student
}


def _counts(shares: dict[str, float], n: int) -> dict[str, int]:
    """Largest-remainder split of n by shares."""
    raw = {k: v * n for k, v in shares.items()}
    out = {k: int(v) for k, v in raw.items()}
    for k in sorted(raw, key=lambda k: raw[k] - out[k], reverse=True)[: n - sum(out.values())]:
        out[k] += 1
    return out


def existing_records(rng: random.Random, kept: list[Student], n: int) -> list[tuple[dict[str, str], Student, str]]:
    """Pick n registry students and give each a labelled variation."""
    pool = [s for s in kept if s.grade != "12"]
    rng.shuffle(pool)
    kinds_of = [applicable(s) for s in pool]
    twins: dict[int, list[int]] = {}
    by_hh: dict[tuple[int, int], list[int]] = {}
    for k, s in enumerate(pool):
        by_hh.setdefault((s.household, s.dob), []).append(k)
    for members in by_hh.values():
        if len(members) > 1:
            for k in members:
                twins[k] = [j for j in members if j != k]
    counts = _counts(VARIATION_SHARES, n)
    multi = counts.pop("multi")
    counts.update(_counts({f"{a}+{b}": 1.0 / len(MULTI_COMBOS) for a, b in MULTI_COMBOS}, multi))
    slots = [k for k, c in counts.items() for _ in range(c)]
    rng.shuffle(slots)
    used: set[int] = set()
    pointer: dict[str, int] = {}
    priority: list[int] = []
    out: list[tuple[dict[str, str], Student, str]] = []

    def next_for(kind: str) -> int | None:
        for i in list(priority):
            if i not in used and kind in kinds_of[i]:
                priority.remove(i)
                return i
        p = pointer.get(kind, 0)
        while p < len(pool) and (p in used or kind not in kinds_of[p]):
            p += 1
        pointer[kind] = p + 1
        return p if p < len(pool) else None

    for kind in slots:
        for _attempt in range(50):
            i = next_for(kind)
            if i is None:
                kind = "exact"
                i = next_for(kind)
                if i is None:
                    raise ValueError("the registry is too small for this upload")
            s = pool[i]
            u = base_upload(s, with_alias=s.alias != ("", "", "") and rng.random() < 0.4)
            if rng.random() < 0.35:
                u["birth_city"] = ""
            ok = all(VARIATIONS[k](rng, u, s) for k in kind.split("+") if k != "exact")
            if ok and any(k in NAME_KINDS for k in kind.split("+")):
                # a changed name must not land on one of the student's other registry names
                ok = (u["first"], u["last"]) not in {(first, last) for first, _middle, last in s.others}
            if ok and record_ok(u) and (kind == "exact" or record_key(u) != record_key(base_upload(s, False))):
                used.add(i)
                out.append((u, s, kind))
                for t in twins.get(i, []):
                    if t not in used and rng.random() < 0.5:
                        priority.append(t)
                break
            used.add(i)  # this student cannot take this variation: do not offer them again
        else:
            raise ValueError(f"could not make a {kind!r} variation")
    return out


def new_records(rng: random.Random, pop: Population, kept: list[Student], in_upload: list[Student],
                 n: int) -> list[tuple[dict[str, str], str]]:
    """Students who are not in the registry, some of them deliberately look-alike."""
    counts = _counts(NEW_SHARES, n)
    out: list[tuple[dict[str, str], str]] = []
    pool = [s for s in kept if s.grade != "12"] or kept
    common = [s for s in pool if s.first_rank < 10 and s.last_rank < 10] or pool
    dates = pop.dates

    def fresh_group_given(s: Student, gender: str, avoid: str) -> str:
        for _ in range(30):
            first = pop.given(s.style, gender)[0]
            if plain(first) != plain(avoid):
                return accent(first) if plain(s.last) != s.last else first
        return "ALEXIS"

    for kind, c in counts.items():
        for _ in range(c):
            for _attempt in range(20):
                if kind == "new":
                    cohort = rng.choices((2022, 2021, 0), (0.30, 0.25, 0.45))[0] or rng.randint(2009, 2020)
                    s = pop.household(size=1, cohort=cohort)[0]
                    if cohort <= 2020:  # arrivals: often born out of state or abroad
                        r = rng.random()
                        g = GROUP_BY_KEY[s.group]
                        if r < 0.45:
                            s.country = pop.origin_draw[g.key]()
                            s.city, s.state = pop.foreign_place(s.country)
                        elif r < 0.75:
                            st = pop.us_state_draw()
                            s.country = "US"
                            s.city, s.state = pop.us_place(st)
                    u = base_upload(s, False)
                elif kind == "new_twin":
                    a = rng.choice(in_upload) if in_upload and rng.random() < 0.4 else rng.choice(pool)
                    gender = a.gender if rng.random() < 0.65 else ("F" if a.gender == "M" else "M")
                    u = base_upload(a, False)
                    u["gender"] = gender
                    u["first"] = fresh_group_given(a, gender, a.first)
                    g = GROUP_BY_KEY[a.group]
                    u["middle"] = pop.middle_for(g, gender, u["first"])
                elif kind == "new_sibling":
                    a = rng.choice(pool)
                    gender = "M" if rng.random() < 0.5 else "F"
                    u = base_upload(a, False)
                    delta = rng.randint(420, 1460)
                    dob = a.dob + delta if a.dob + delta <= pop.max_dob else a.dob - delta
                    u["birth_date"] = dates[dob - DATE_BASE]
                    u["gender"] = gender
                    u["first"] = fresh_group_given(a, gender, a.first)
                    g = GROUP_BY_KEY[a.group]
                    u["middle"] = pop.middle_for(g, gender, u["first"])
                else:  # new_lookalike: a common name born close to a registry student's birth date
                    a = rng.choice(common)
                    u = base_upload(a, False)
                    r = rng.random()
                    if r < 0.7:
                        dob = a.dob + rng.choice((-1, 1)) * rng.randint(1, 45)
                        u["birth_date"] = dates[dob - DATE_BASE]
                    elif r < 0.8:
                        u["birth_date"] = f"{int(u['birth_date'][:4]) + rng.choice((-1, 1))}{u['birth_date'][4:]}"
                    else:
                        dob = a.dob + rng.choice((-1, 1)) * rng.randint(46, 365)
                        u["birth_date"] = dates[dob - DATE_BASE]
                    g = GROUP_BY_KEY[a.group]
                    u["middle"] = pop.middle_for(g, a.gender, a.first)
                    if rng.random() < 0.5:
                        home = "US-CA" if rng.random() < 0.85 else pop.us_state_draw()
                        u["birth_country"] = "US"
                        u["birth_city"], u["birth_state"] = pop.us_place(home)
                if rng.random() < 0.35:
                    u["birth_city"] = ""
                if record_ok(u):
                    out.append((u, kind))
                    break
            else:
                raise ValueError(f"could not make a {kind!r} student")
    return out
