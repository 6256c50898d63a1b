"""Weights learned from the data: m by expectation-maximisation over a run's candidate pairs.

Fellegi-Sunter, as Splink and fastLink do it: u comes from the registry (random pairs,
`u_sample.py`), m from EM over the pairs the matcher gathered for this run. EM starts from
the priors and is held to them (maximum a posteriori: Dirichlet pseudo-counts of
PRIOR_STRENGTH pairs per field), so a 50-student upload keeps the priors and a
20,000-student upload learns its own noise.

The priors are the model table's weights: a level's prior m is u x 2^weight (its declared
m for a term-frequency level), normalised over the field's levels. A learned weight is the
prior weight plus log2(learned m / prior m): what the data say about how often the level
occurs among true matches, on top of the hand-set judgment of how often it occurs among
look-alikes. Blank on either side is no evidence and is left out of learning. After every
step the weights are held to CDE's ranking (`model.RANKING`).

EM works student by student, as the matcher scores: a student is in the registry with a
probability learned alongside m, and then at most one of its candidates is the match. So a
twin found beside the student's own record teaches EM nothing about a different first name,
while the same pattern found alone (a first name replaced) does. Students with the same
candidate patterns are counted once, so EM loops over a few thousand distinct groups.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from ssid_tui.matching.model import BY_FIELD, COMPARISONS, FIELDS, RANKING, Level

Pattern = tuple[str, ...]
#: The prior counts like this many candidate pairs (per field).
PRIOR_STRENGTH = 1000.0
MAX_ITERATIONS = 50
TOLERANCE = 1e-5
#: Least gap, in bits, between two weights of a ranking chain.
RANK_MARGIN = 0.25
#: Most a learned weight moves from its prior, in bits either way. u comes from registry pairs and is
#: fixed, so look-alikes among the candidates (siblings, cousins) count partly as matches and loosen the
#: penalties; with 2 bits, 2 of 1,583 candidates at 90+ were wrong on WIC, with 1 bit none (bench_accuracy).
MAX_SHIFT = 1.0
_NO_EVIDENCE = "missing"

Table = dict[str, dict[str, float]]


@dataclass
class Learned:
    """What a run learned: bits added to each level's prior weight, and the record stored with the run."""

    shift: dict[str, dict[str, float]] = field(default_factory=dict)
    record: dict[str, Any] = field(default_factory=dict)


def prior_weight(field_name: str, level: str) -> float:
    """A fixed-weight level's hand-set weight (0 for a term-frequency level: its weight varies by value)."""
    lv = BY_FIELD[field_name].level(level)
    return 0.0 if lv.tf else lv.weight


def _u_floor(u: Table, pairs: int) -> Table:
    """u over the levels that count as evidence, none below half a pair in the sample."""
    floor = 0.5 / max(pairs, 1)
    out: Table = {}
    for c in COMPARISONS:
        raw = {lv.name: max(u.get(c.field, {}).get(lv.name, 0.0), floor) for lv in c.levels if lv.name != _NO_EVIDENCE}
        z = sum(raw.values())
        out[c.field] = {k: v / z for k, v in raw.items()}
    return out


def _raw_prior_m(lv: Level, u: float) -> float:
    """u x 2^weight; a term-frequency level's weight is log2(m/u) within its cap, its exact level's m as declared."""
    if lv.m is None:
        return float(u * 2.0 ** lv.weight)
    if lv.name == "exact":
        return lv.m
    return float(u * 2.0 ** min(lv.cap if lv.cap is not None else 14.0, math.log2(lv.m / u)))


def prior_m(u: Table) -> Table:
    """Each level's prior m, from its weight and u (`_raw_prior_m`), normalised per field."""
    out: Table = {}
    for c in COMPARISONS:
        raw = {lv.name: _raw_prior_m(lv, u[c.field][lv.name]) for lv in c.levels if lv.name != _NO_EVIDENCE}
        z = sum(raw.values())
        out[c.field] = {k: v / z for k, v in raw.items()}
    return out


def rising(values: list[float], margin: float = RANK_MARGIN) -> list[float]:
    """The closest (least squares) values that rise by at least `margin` each step (pool adjacent violators)."""
    shifted = [v - i * margin for i, v in enumerate(values)]
    blocks: list[list[float]] = []  # [sum, count]
    for v in shifted:
        blocks.append([v, 1.0])
        while len(blocks) > 1 and blocks[-2][0] / blocks[-2][1] > blocks[-1][0] / blocks[-1][1]:
            s, n = blocks.pop()
            blocks[-1][0] += s
            blocks[-1][1] += n
    out: list[float] = []
    for s, n in blocks:
        out.extend([s / n] * int(n))
    return [v + i * margin for i, v in enumerate(out)]


def keep_hand_set(shift: dict[str, dict[str, float]]) -> None:
    """No shift for the levels the model table keeps hand-set (`Level.learned` False), in place."""
    for c in COMPARISONS:
        for lv in c.levels:
            if not lv.learned and lv.name in shift.get(c.field, {}):
                shift[c.field][lv.name] = 0.0


def hold_ranking(shift: dict[str, dict[str, float]]) -> None:
    """Move learned shifts so that every RANKING chain's weights rise strictly (in place)."""
    for chain in RANKING:
        weights = [prior_weight(f, lv) + shift.get(f, {}).get(lv, 0.0) for f, lv in chain]
        for (f, lv), w in zip(chain, rising(weights)):
            shift.setdefault(f, {})[lv] = w - prior_weight(f, lv)


def most_shift(field_name: str, level: str, default: float = MAX_SHIFT) -> float:
    """The most learning may move a level's weight, in bits: `default`, or its own `max_shift` if larger."""
    lv = BY_FIELD[field_name].level(level)
    return default if lv.max_shift is None else max(default, lv.max_shift)


def _shifts(m: Table, m0: Table, most: float = MAX_SHIFT) -> dict[str, dict[str, float]]:
    out: dict[str, dict[str, float]] = {}
    for f in m:
        out[f] = {}
        for lv in m[f]:
            cap = most_shift(f, lv, most)
            out[f][lv] = max(-cap, min(cap, math.log2(m[f][lv] / m0[f][lv])))
    return out


def _m_from_shifts(shift: dict[str, dict[str, float]], m0: Table) -> Table:
    out: Table = {}
    for f, levels in m0.items():
        raw = {lv: p * 2.0 ** shift[f][lv] for lv, p in levels.items()}
        z = sum(raw.values())
        out[f] = {lv: v / z for lv, v in raw.items()}
    return out


@dataclass
class EmResult:
    """m after EM, the share of students that are in the registry, and the steps taken."""

    m: Table
    u: Table
    match_share: float
    iterations: int


Group = tuple[Pattern, ...]


def estimate(groups: Counter[Group], m0: Table, u0: Table, strength: float = PRIOR_STRENGTH,
             share: float = 0.5, max_shift: float = MAX_SHIFT, size: int = 1) -> EmResult:
    """MAP-EM over students' candidate level patterns: m held to `m0` by `strength` pseudo-pairs.

    A group is one student's candidates (their level patterns). The model is the matcher's:
    the student is in the registry with probability `share` (learned too), then any one of
    its `size` records equally likely, so at most one candidate of a student is the match.
    A candidate's responsibility is o / (1 + sum of the student's o), o = share / (1 - share)
    x likelihood ratio / size: a sibling found beside the student's own record counts as a
    non-match, one found alone as likely a match. With `size` 1 and one pattern per group
    this is the usual two-class mixture of pairs. u stays `u0` (the registry's); m stays
    within `max_shift` bits of `m0` (more where a level allows it).
    """
    m = {f: dict(v) for f, v in m0.items()}
    n = sum(groups.values())
    patterns = sorted({p for g in groups for p in g})
    items = [tuple(zip(FIELDS, p)) for p in patterns]
    # patterns by their place in `patterns`: a list index costs less than hashing an 8-tuple 80,000 times a step
    place = {p: i for i, p in enumerate(patterns)}
    indexed = [(tuple(place[p] for p in group), count) for group, count in groups.items()]
    steps = 0
    for steps in range(1, MAX_ITERATIONS + 1):  # noqa: B007 (the count is returned)
        ratio: list[float] = []
        for pairs in items:
            r = 1.0
            for f, lv in pairs:
                if lv in m[f]:
                    r *= m[f][lv] / u0[f][lv]
            ratio.append(r)
        weight = [0.0] * len(patterns)  # expected matches per pattern
        matches = 0.0
        odds = share / (1.0 - share) / max(size, 1)
        for group, count in indexed:
            total = 1.0 + odds * math.fsum([ratio[i] for i in group])
            for i in group:
                g = odds * ratio[i] / total * count
                weight[i] += g
                matches += g
        mc: Table = {f: dict.fromkeys(m[f], 0.0) for f in FIELDS}
        for pairs, w in zip(items, weight):
            for f, lv in pairs:
                if lv in m[f]:
                    mc[f][lv] += w
        new_m = {f: _map(mc[f], m0[f], strength) for f in FIELDS}
        shift = _shifts(new_m, m0, max_shift)
        hold_ranking(shift)
        new_m = _m_from_shifts(shift, m0)
        share = min(0.99, max(0.01, matches / n)) if n else share
        change = max(abs(new_m[f][lv] - m[f][lv]) for f in FIELDS for lv in m[f])
        m = new_m
        if change < TOLERANCE:
            break
    return EmResult(m, dict(u0), share, steps)


def _map(counts: dict[str, float], prior: dict[str, float], strength: float) -> dict[str, float]:
    total = sum(counts.values()) + strength
    return {lv: (counts[lv] + strength * prior[lv]) / total for lv in prior}


def learn(groups: Iterable[Sequence[Pattern]], students: int, u_sampled: tuple[Table, int] | None,
          strength: float = PRIOR_STRENGTH, size: int = 1) -> Learned:
    """Learn m from a run's candidates, one group of level patterns per student, against a registry of `size`.

    Returns the shifts the matcher adds, and the record for the run.
    """
    counted = Counter(tuple(sorted(g)) for g in groups if g)
    pairs = sum(len(g) * c for g, c in counted.items())
    if u_sampled is None:
        return Learned(record={"u_source": "none: this registry was loaded before ssid-tui sampled u; "
                                           "the hand-set priors were used (load the extract again to learn)",
                               "pairs": pairs, "students": students})
    u_reg, u_pairs = u_sampled
    u = _u_floor(u_reg, u_pairs)
    m0 = prior_m(u)
    em = estimate(counted, m0, u, strength, share=0.5, size=size)
    shift = _shifts(em.m, m0)
    keep_hand_set(shift)
    hold_ranking(shift)
    levels: dict[str, dict[str, Any]] = {}
    for c in COMPARISONS:
        by_level: dict[str, Any] = {}
        for lv in c.levels:
            if lv.name == _NO_EVIDENCE:
                continue
            s = shift[c.field][lv.name]
            by_level[lv.name] = {"u": u_reg.get(c.field, {}).get(lv.name, 0.0), "m_prior": m0[c.field][lv.name],
                                 "m": em.m[c.field][lv.name], "shift": s,
                                 "weight": None if lv.tf else lv.weight + s}
        levels[c.field] = by_level
    record = {"u_source": f"registry sample of {u_pairs:,} random pairs", "pairs": pairs,
              "students": students, "prior_strength": strength, "iterations": em.iterations,
              "in_registry": em.match_share, "levels": levels}
    return Learned(shift, record)
