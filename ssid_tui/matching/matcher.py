"""The matcher: blocking passes over the registry, scoring of each candidate, categories.

For one submitted student it (1) gathers candidate name records through several indexed
blocking passes whose union holds the true record even when a name or the birth date
varies, (2) compares every name record of every candidate SSID with the student's legal
and alias names (and with first/last swapped) and keeps the best, (3) turns the summed
weight of evidence into a 0-100 score, and (4) keeps the few candidates worth a look.

The score is the estimated probability, in percent, that the candidate is the student's
SSID given everything found for the student (`share_scores`): the student is in the
registry with prior probability IN_REGISTRY_PRIOR, then any one of its N records equally
likely; each record found adds its Bayes factor (2 to the weight); records not found add
next to nothing. So a student's scores sum to at most 100, the rest being "new to the
state", and two look-alike candidates share what one would get alone. A score of 90 means
"about nine in ten candidates scored like this are the student"; 50 means a coin toss.
`bench/bench_match.py` and `bench/bench_accuracy.py` measure how well that holds.
"""

from __future__ import annotations

import functools
import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from ssid_tui.formats.results import MatchCategory
from ssid_tui.matching.blocking import best_rows, blocking_keys, blocking_sql, common_passes
from ssid_tui.matching.comparisons import (
    FAMILY_CAP,
    NAME_SOURCE_PENALTY,
    SUBMITTED_ALIAS_PENALTY,
    SWAPPED_PENALTY,
    VALUE_FIELDS,
    VALUE_RULES,
    Comparison,
    Frequencies,
    crosswise_middle,
    first_level_by_forms,
    given_names_level,
    last_level,
    middle_level,
    names_cap,
)
from ssid_tui.matching.extract_rows import SSID_COLUMNS
from ssid_tui.matching.learning import Learned, Pattern, learn
from ssid_tui.matching.model import (
    BLOCKED_ROWS_CAP,
    BLOCKED_ROWS_KEPT,
    BLOCKING_PASSES,
    BY_FIELD,
    FIELDS,
    BlockingPass,
    weights_record,
)
from ssid_tui.matching.name_forms import NameForms
from ssid_tui.matching.registry import INDEXES, Registry
from ssid_tui.matching.registry_duplicates import duplicate_ssids
from ssid_tui.matching.u_sample import read_u

#: A top candidate scoring this much or more is a confident match: candidates far below it
#: are dropped as noise, and runs and `ssid-tui status` count the students it covers.
CONFIDENT_SCORE = 90
#: From this score a candidate is more likely the student than not (the score is a probability):
#: "none of these" asks first and bulk accept goes no lower.
LIKELY_SCORE = 50
#: Prior probability that a submitted student is in the registry at all (the rest: new to
#: the state). At 1/2 a candidate found alone scores what it scored before scores were shared.
IN_REGISTRY_PRIOR = 0.5
#: The explanation row that takes a candidate's weight to its share of the student's probability.
OTHERS_FIELD = "other_candidates"
#: The columns of a blocked SSID's own row that scoring reads (the value fields but the name
#: record's birth date): the rest (school, enrolment...) are read for the candidates shown only.
SCORED_COLUMNS = ("ssid", *(f for f in VALUE_FIELDS if f != "birth_date" and f in SSID_COLUMNS))
#: Gender pairs that are a boy and a girl: near-identical given names (DANIEL, DANIELA) are twins.
_OPPOSITE_SEXES = frozenset({("M", "F"), ("F", "M")})
#: A row of the registry's name table, as `blocking.NAME_COLS` selects it.
NameRow = tuple[Any, ...]
#: Entries a scoring memo holds before it starts afresh (a few hundred bytes each).
_MEMO_SIZE = 50_000
#: One submitted name against one registry name, before any learned shift: first, last and
#: middle level, each with its weight.
NameLevels = tuple[str, float, str, float, str, float]
#: What comparing one registry name record with a student found, before any learned shift: the
#: name levels of each arrangement (in `Submitted.arrangements` order), then each value field's
#: (level, weight) in `VALUE_RULES` order. Weighing them (the shifts, caps, penalties) is cheap;
#: finding them is most of scoring.
RowLevels = tuple[list[NameLevels], list[tuple[str, float]]]


def _registry_value(field_name: str, birth_date: str, demo: dict[str, str]) -> str:
    """A value field's registry side: the name record's birth date, else the SSID's demographics."""
    return birth_date if field_name == "birth_date" else demo.get(field_name, "")


@dataclass(frozen=True)
class Settings:
    """Matcher settings, stored with each run."""

    min_score: int = 10          # candidates scoring lower are not shown
    max_candidates: int = 6      # a reviewer should not wade through noise
    noise_gap: int = 60          # drop candidates this far below a confident top candidate
    year_window: int = 1         # birth-year window of the name-only blocking pass

    def as_dict(self) -> dict[str, int]:
        """For the run record."""
        return dict(self.__dict__)


@dataclass(frozen=True)
class Submitted:
    """The matching fields of one submitted student (SENR keys)."""

    first: str
    middle: str
    last: str
    birth_date: str
    gender: str
    birth_country: str = ""
    birth_state: str = ""
    birth_city: str = ""
    alias_first: str = ""
    alias_middle: str = ""
    alias_last: str = ""

    @functools.cached_property
    def rule_values(self) -> tuple[str, ...]:
        """The student's values of the value fields, in `VALUE_RULES` order (read for every record compared)."""
        return tuple(getattr(self, f) for f, _rule in VALUE_RULES)

    @classmethod
    def from_fields(cls, values: dict[str, str]) -> Submitted:
        """Take the matching fields out of a dict of SENR values."""
        return cls(**{k: values.get(k, "") or "" for k in cls.__dataclass_fields__})

    def name_variants(self) -> list[tuple[str, NameForms]]:
        """The submitted legal name, and the alias name if one was given."""
        out = [("legal", NameForms.of(self.first, self.middle, self.last))]
        if self.alias_first or self.alias_last:
            out.append(("alias", NameForms.of(self.alias_first or self.first, self.alias_middle,
                                              self.alias_last or self.last)))
        return out

    @staticmethod
    def arrangements(variants: list[tuple[str, NameForms]]) -> list[Arrangement]:
        """Every way the submitted names are compared: legal and alias, straight and swapped."""
        out = []
        for source, forms in variants:
            out.append(Arrangement(source, forms, swapped=False))
            if forms.first and forms.last and forms.first != forms.last:
                out.append(Arrangement(source, NameForms.of(forms.last, forms.middle, forms.first), swapped=True))
        return out


@dataclass(frozen=True)
class Arrangement:
    """One submitted name as compared: its source (legal/alias) and whether first and last are swapped."""

    source: str
    forms: NameForms
    swapped: bool
    #: What the arrangement itself costs: swapped names, a submitted alias (read for every
    #: registry name compared, so computed once).
    penalty: float = field(init=False)

    def __post_init__(self) -> None:
        penalty = (SWAPPED_PENALTY if self.swapped else 0.0) + (SUBMITTED_ALIAS_PENALTY if self.source == "alias" else 0.0)
        object.__setattr__(self, "penalty", penalty)


@dataclass
class Candidate:
    """A registry SSID scored against a submitted student."""

    ssid: str
    weight: float
    score: int
    name_source: str
    comparisons: list[Comparison]
    registry: dict[str, str] = field(default_factory=dict)  # demographics + legal/alias names
    #: Other candidate SSIDs of this student whose records look like the same child.
    duplicate_of: list[str] = field(default_factory=list)
    #: Every name part the registry holds for the SSID as it was registered (legal, former and alias
    #: names): filled by a lookup, to show the compared names as written (`lookup.lookup`).
    written_names: tuple[str, ...] = ()

    def explanation(self) -> list[dict[str, Any]]:
        """Field-by-field explanation as stored in the workspace."""
        return [c.as_dict() for c in self.comparisons]


@dataclass
class Gathered:
    """What blocking found for one student: the registry name records and their SSIDs' demographics.

    `levels` holds, by name record id, what scoring found comparing each record with the
    student (filled as records are scored): scored again, with other weights (the run's
    learned ones) or to explain, a record is only weighed again.
    """

    rows: list[NameRow]
    demos: dict[str, dict[str, str]]
    levels: dict[Any, RowLevels] = field(default_factory=dict)


@dataclass
class MatchResult:
    """The outcome for one student: CDE's category and the candidates, best first."""

    category: MatchCategory
    candidates: list[Candidate]


def category_for(n_candidates: int) -> MatchCategory:
    """CDE's rule: none -> No Match, one -> Single Match, more -> Multiple Match."""
    if n_candidates == 0:
        return MatchCategory.NO_MATCH
    return MatchCategory.SINGLE if n_candidates == 1 else MatchCategory.MULTIPLE


class Matcher:
    """Matches submitted students against one registry."""

    def __init__(self, registry: Registry, settings: Settings | None = None, learned: Learned | None = None) -> None:
        self.registry = registry
        self.settings = settings or Settings()
        self.freq = Frequencies(registry.frequencies(), registry.size)
        # Prior log-odds that a given registry SSID is the student: in the registry at all,
        # then one in the registry's size.
        self.prior = math.log2(IN_REGISTRY_PRIOR / (1 - IN_REGISTRY_PRIOR)) - math.log2(max(registry.size, 2))
        self.learned = learned
        self.names_cap = names_cap(registry.size)
        # Bits a run's learning adds to each level's prior weight (none without learning).
        shift = learned.shift if learned else {}
        self._shift: dict[str, dict[str, float]] = {f: shift.get(f, {}) for f in FIELDS}
        self._s_first, self._s_last, self._s_middle = self._shift["first"], self._shift["last"], self._shift["middle"]
        # the value fields' rules with their shifts, labels and whether the family cap counts them
        self._value_rules = [(f, rule, self._shift[f], BY_FIELD[f].label, BY_FIELD[f].family) for f, rule in VALUE_RULES]
        # Memos of what scoring computes again and again: registry names' forms, and name levels
        # by the pair of names (JOSE GARCIA against JOSE GARCIA recurs across a run's students).
        # Both hold no learned shift, so a matcher with learned weights shares its parent's (`with_learned`).
        self._forms_memo: dict[tuple[str, str, str], NameForms] = {}
        self._levels_memo: dict[tuple[str | bool, ...], tuple[str, float]] = {}

    def with_learned(self, learned: Learned) -> Matcher:
        """This matcher with `learned` weights, on the same registry connection and sharing its memos."""
        other = Matcher(self.registry, self.settings, learned)
        other._forms_memo, other._levels_memo = self._forms_memo, self._levels_memo
        return other

    def weights(self) -> dict[str, Any]:
        """The weights this matcher uses, as stored with the run (with what the run learned, if it did)."""
        record = weights_record()
        for adjustment in record["adjustments"]:
            if adjustment["name"] == "names_cap":  # this registry's, from its size
                adjustment["weight"] = round(self.names_cap, 2)
        if self.learned is not None:
            record["learned"] = self.learned.record
        if self.passes_left_out:
            record["blocking_left_out"] = list(self.passes_left_out)
        return record

    # -- learning -----------------------------------------------------------------------

    def gather(self, sub: Submitted) -> Gathered:
        """Blocking for one student: its registry name records and their SSIDs' demographics."""
        rows = self._blocked_rows(sub, sub.name_variants())
        return Gathered(rows, self.registry.demographics(list(dict.fromkeys(r[1] for r in rows)), SCORED_COLUMNS))

    def candidate_patterns(self, sub: Submitted, gathered: Gathered) -> list[Pattern]:
        """The level pattern of each blocked SSID's best name record: the pairs EM learns from."""
        arrangements = sub.arrangements(sub.name_variants())
        return [self._pattern(arrangements, gathered.levels[row[0]])
                for _w, row in self._best_rows(sub, arrangements, gathered).values()]

    def learned_from(self, students: list[tuple[Submitted, Gathered]]) -> Matcher:
        """A matcher with the weights learned from these students' candidate pairs (EM, held to the priors)."""
        return self.learned_from_groups([self.candidate_patterns(sub, g) for sub, g in students], len(students))

    def learned_from_groups(self, groups: Iterable[Sequence[Pattern]], students: int) -> Matcher:
        """A matcher with the weights learned from `candidate_patterns` of `students` students (one group each)."""
        learned = learn(groups, students, read_u(self.registry.conn), size=self.registry.size)
        return self.with_learned(learned)

    # -- blocking ---------------------------------------------------------------------

    @functools.cached_property
    def _indexes(self) -> frozenset[str]:
        """The registry's indexes (one built by an older version may lack a pass's)."""
        return frozenset(r[0] for r in self.registry.conn.execute("SELECT name FROM sqlite_master WHERE type = 'index'"))

    @functools.cached_property
    def passes_left_out(self) -> tuple[str, ...]:
        """The blocking passes this registry has no index for (loaded by an earlier version): they do not run.

        Without its index a pass would read the whole name table for every student.
        """
        index_of = {cols: name for name, cols in INDEXES.items()}
        return tuple(p.name for p in BLOCKING_PASSES if index_of[p.columns] not in self._indexes)

    def _blocked_rows(self, sub: Submitted, variants: list[tuple[str, NameForms]],
                      passes: tuple[BlockingPass, ...] | None = None) -> list[NameRow]:
        """Union of the model's blocking passes (or of `passes`), at most `BLOCKED_ROWS_CAP` name records.

        Each pass's best `BLOCKED_ROWS_KEPT` records are kept, then those agreeing most.

        Every key set holds the sounds of all name tokens, so swapped names are found too,
        and of the full forms of nicknames (PEPE -> JOSE). A pass whose list is empty (no
        surname prefix) is left out.
        """
        keys = blocking_keys([forms for _src, forms in variants], sub.birth_date)
        if keys is None:
            return []
        passes = BLOCKING_PASSES if passes is None else passes
        common = common_passes(passes, variants[0][1], self.registry.frequencies(), self.registry.size,
                               sub.birth_date)
        left_out = common | set(self.passes_left_out)
        sql, params = blocking_sql([p for p in passes if p.name not in left_out], keys, self.settings.year_window,
                                   self._indexes)
        if not sql:
            return []
        return best_rows(self.registry.conn.execute(sql, params).fetchall(), BLOCKED_ROWS_KEPT, BLOCKED_ROWS_CAP)

    # -- scoring ----------------------------------------------------------------------

    def _forms(self, first: str, middle: str, last: str) -> NameForms:
        """A registry name's forms, computed once per distinct name while the memo lasts."""
        key = (first, middle, last)
        forms = self._forms_memo.get(key)
        if forms is None:
            if len(self._forms_memo) >= _MEMO_SIZE:
                self._forms_memo.clear()
            forms = self._forms_memo[key] = NameForms.of(first, middle, last)
        return forms

    def _name_levels(self, s: NameForms, c: NameForms, sexes_differ: bool) -> NameLevels:
        """First, last and middle level with their weights (no learned shift), memoised by field.

        A NameForms' normalised first, middle and last strings determine every form the
        comparisons read (tokens, compact form, sounds), so they key the memos.
        """
        memo = self._levels_memo
        if len(memo) >= _MEMO_SIZE:
            memo.clear()
        first = first_level_by_forms(s, c, self.freq)
        if first is None:
            # the given names alone decide the rest: kept by the pair (JOSE against MARIA recurs)
            given_key = ("g", s.first, c.first, sexes_differ)
            first = memo.get(given_key)
            if first is None:
                first = memo[given_key] = given_names_level(s, c, self.freq, sexes_differ)
        last_key = ("l", s.last, c.last)
        last = memo.get(last_key)
        if last is None:
            last = memo[last_key] = last_level(s, c, self.freq)
        if first[0] == "middle as first":
            # first and middle used the other way round: the middle fields agree crosswise
            return (*first, *last, *crosswise_middle(s, c))
        middle_key = ("m", s.middle, c.middle)
        middle = memo.get(middle_key)
        if middle is None:
            middle = memo[middle_key] = middle_level(s, c)
        return (*first, *last, *middle)

    def _best_arrangement(self, arrangements: list[Arrangement],
                          names: list[NameLevels]) -> tuple[float, int, float, float, float]:
        """The name evidence of the best arrangement of the submitted names against one registry name
        (`names`: each arrangement's levels), the learned shifts added: the total, the arrangement's
        index (-1 if none) and its first, last and middle weights.
        """
        best = (-math.inf, -1, 0.0, 0.0, 0.0)
        s_first, s_last, s_middle = self._s_first, self._s_last, self._s_middle
        for i, (arr, (lf, wf, ll, wl, lm, wm)) in enumerate(zip(arrangements, names)):
            wf += s_first.get(lf, 0.0)
            wl += s_last.get(ll, 0.0)
            wm += s_middle.get(lm, 0.0)
            total = min(self.names_cap, wf + wl) + wm + arr.penalty
            if total > best[0]:
                best = (total, i, wf, wl, wm)
        return best

    def _name_weight(self, arrangements: list[Arrangement], names: list[NameLevels], cand: NameRow,
                     explain: bool) -> tuple[float, list[Comparison], float | None]:
        """Name evidence of the best arrangement (`_best_arrangement`); with explain, its comparisons.

        The third value is the surname's weight when that arrangement's first names are wholly
        different (for the family cap), else None.
        """
        best_w, i, wf, wl, wm = self._best_arrangement(arrangements, names)
        if i < 0:
            return best_w, [], None
        arr, (lf, _wf, ll, _wl, lm, _wm) = arrangements[i], names[i]
        best_c = []
        if explain:
            s, cand_forms = arr.forms, self._forms(*cand[3:6])
            best_c = [
                Comparison("first", BY_FIELD["first"].label, lf, s.first, cand_forms.first, wf),
                Comparison("last", BY_FIELD["last"].label, ll, s.last, cand_forms.last, wl),
                Comparison("middle", BY_FIELD["middle"].label, lm, s.middle, cand_forms.middle, wm),
            ]
            if wf + wl > self.names_cap:
                best_c.append(Comparison("names_cap", "Names cap", "capped", "", "", self.names_cap - (wf + wl)))
            if arr.penalty:
                how = " and ".join(x for x in ("names swapped" if arr.swapped else "",
                                               "submitted alias" if arr.source == "alias" else "") if x)
                best_c.append(Comparison("name_source", "Name record", how, "", "", arr.penalty))
        return best_w, best_c, (wl if lf == "different" else None)

    def _pattern(self, arrangements: list[Arrangement], levels: RowLevels) -> Pattern:
        """A record's level in each field (`FIELDS` order), its names' in the best arrangement: what EM counts."""
        names, values = levels
        _w, i, _wf, _wl, _wm = self._best_arrangement(arrangements, names)
        by_field = {"first": names[i][0], "last": names[i][2], "middle": names[i][4]} if i >= 0 else {}
        by_field.update((f, level) for (f, _rule), (level, _weight) in zip(VALUE_RULES, values))
        return tuple(by_field.get(f, "missing") for f in FIELDS)

    def row_levels(self, sub: Submitted, arrangements: list[Arrangement], row: NameRow,
                   demo: dict[str, str]) -> RowLevels:
        """What comparing one registry name record with the student finds, before any learned shift."""
        _id, _ssid, _kind, first, middle, last, birth_date = row
        cand_forms = self._forms(first, middle, last)
        sexes_differ = (sub.gender, demo["gender"]) in _OPPOSITE_SEXES
        names = [self._name_levels(arr.forms, cand_forms, sexes_differ) for arr in arrangements]
        # a value field's level is kept by the pair of values, like the names' (one birth date
        # against the many records blocking found born that day, CA against CA)
        memo, freq, values = self._levels_memo, self.freq, []
        for (f, rule), submitted in zip(VALUE_RULES, sub.rule_values):
            key = (f, submitted, birth_date if f == "birth_date" else demo.get(f, ""))  # `_registry_value`, inlined: hot
            level = memo.get(key)
            if level is None:
                level = memo[key] = rule(submitted, key[2], freq)
            values.append(level)
        return names, values

    def score_row(self, sub: Submitted, arrangements: list[Arrangement], row: NameRow,
                  demo: dict[str, str], explain: bool = False,
                  known: dict[Any, RowLevels] | None = None) -> tuple[float, list[Comparison], str]:
        """Weight of evidence of one registry name record; with explain, its comparisons.

        `known` holds the levels found for this student's records so far, by record id
        (`Gathered.levels`): a record in it is only weighed; one not in it is added.
        """
        levels = known.get(row[0]) if known is not None else None
        if levels is None:
            levels = self.row_levels(sub, arrangements, row, demo)
            if known is not None:
                known[row[0]] = levels
        names, values = levels
        kind, birth_date = row[2], row[6]
        name_w, name_c, family = self._name_weight(arrangements, names, row, explain)
        values_w = family_w = 0.0
        comps = []
        for (f, _rule, shift, label, family_field), (level, w) in zip(self._value_rules, values):
            w += shift.get(level, 0.0)
            values_w += w
            if family_field:
                family_w += w
            if explain:
                comps.append(Comparison(f, label, level, getattr(sub, f), _registry_value(f, birth_date, demo), w))
        src_penalty = NAME_SOURCE_PENALTY.get(kind, 0.0)
        # a wholly different first name: surname, date and birth place agree for a twin as well, so
        # together they add at most log2 of the registry's size (-prior) plus the cap: a low share at any size
        family_cut = min(0.0, FAMILY_CAP - self.prior - (family + family_w)) if family is not None else 0.0
        total = name_w + values_w + src_penalty + family_cut
        if explain:
            comps[:0] = name_c
            if family_cut:
                comps.append(Comparison("family_cap", "Family cap", "capped", "", "", family_cut))
            if src_penalty:
                comps.append(Comparison("name_source", "Name record", f"{kind} name", "", kind, src_penalty))
        return total, comps, kind

    def to_score(self, weight: float, comparisons: list[Comparison] | None = None) -> int:
        """Weight of evidence -> 0-100 probability score; 100 only when every field agreed."""
        logit = weight + self.prior
        p = 1.0 / (1.0 + 2.0 ** (-logit)) if logit > -60 else 0.0
        score = int(round(100 * p))
        if score == 100 and comparisons is not None and any(
            c.level not in ("exact", "missing", "capped") for c in comparisons if c.field != OTHERS_FIELD
        ):
            score = 99
        return score

    # -- matching ---------------------------------------------------------------------

    def _best_rows(self, sub: Submitted, arrangements: list[Arrangement],
                   gathered: Gathered) -> dict[str, tuple[float, NameRow]]:
        """Each blocked SSID's best name record with its weight."""
        best: dict[str, tuple[float, NameRow]] = {}
        demos = gathered.demos
        for row in gathered.rows:
            demo = demos.get(row[1])
            if demo is None:
                continue
            w, _c, _k = self.score_row(sub, arrangements, row, demo, known=gathered.levels)
            if row[1] not in best or w > best[row[1]][0]:
                best[row[1]] = (w, row)
        return best

    def match(self, sub: Submitted, gathered: Gathered | None = None) -> MatchResult:
        """Match one student: candidates above the threshold, best first, and the category.

        `gathered` is what `gather` found for the student earlier (a run's second scoring pass).
        """
        arrangements = sub.arrangements(sub.name_variants())
        gathered = gathered or self.gather(sub)
        if not gathered.rows:
            return MatchResult(MatchCategory.NO_MATCH, [])
        demos = gathered.demos
        best = self._best_rows(sub, arrangements, gathered)
        s = self.settings
        floor = -self.prior + math.log2(s.min_score / (100 - s.min_score)) - 0.5
        ranked = sorted(((w, r) for w, r in best.values() if w >= floor), key=lambda t: -t[0])
        candidates = []
        for w, row in ranked[: s.max_candidates * 2]:
            demo = demos[row[1]]
            w, comps, kind = self.score_row(sub, arrangements, row, demo, explain=True, known=gathered.levels)
            score = self.to_score(w, comps)
            if score < s.min_score:
                continue
            candidates.append(Candidate(row[1], w, score, kind, comps, dict(demo)))
        candidates.sort(key=lambda c: (-c.weight, c.ssid))
        if candidates and candidates[0].score >= CONFIDENT_SCORE:
            top = candidates[0].score
            candidates = [c for c in candidates if top - c.score < s.noise_gap]
        candidates = candidates[: s.max_candidates]
        self._attach_names(candidates)
        self.share_scores(candidates, {ssid: w for ssid, (w, _r) in best.items()})
        if len(candidates) > 1:
            look_alikes = duplicate_ssids({c.ssid: c.registry for c in candidates}, self.freq, self.record_score)
            for c in candidates:
                c.duplicate_of = look_alikes.get(c.ssid, [])
        return MatchResult(category_for(len(candidates)), candidates)

    def record_score(self, a: Mapping[str, str], b: Mapping[str, str]) -> int:
        """What registry record `b` scores on its own as a candidate for record `a` submitted as a student."""
        sub = Submitted.from_fields(dict(a))
        arrangements = sub.arrangements(sub.name_variants())
        best = -math.inf
        for kind, pre in (("legal", ""), ("alias", "alias_")):
            if kind == "alias" and not (b.get("alias_first") or b.get("alias_last")):
                continue
            row = (0, "", kind, b.get(pre + "first") or b.get("first", ""), b.get(pre + "middle") or b.get("middle", ""),
                   b.get(pre + "last") or b.get("last", ""), b.get("birth_date", ""))
            best = max(best, self.score_row(sub, arrangements, row, dict(b))[0])
        return self.to_score(best)

    def share_scores(self, candidates: list[Candidate], weights: dict[str, float]) -> None:
        """Score each candidate as its share of the student's probability of being in the registry.

        Which candidates are kept was decided on each one's own evidence; here the evidence
        of every record found (`weights`, by SSID) is put together: P(candidate i) =
        o_i / (1 + sum of o_j), with o_j = 2^(weight_j + prior). The explanation gets the
        step from the candidate's own odds to that as a row of its own, so the rows still
        add up to the score. Rounded scores of one student never sum past 100.
        """
        odds = {ssid: 2.0 ** min(w + self.prior, 1000.0) for ssid, w in weights.items()}
        kept = {c.ssid for c in candidates}
        not_kept = math.fsum(o for ssid, o in odds.items() if ssid not in kept)
        total = 1.0 + not_kept + math.fsum(odds[c.ssid] for c in candidates)
        probs = []
        for c in candidates:
            others = not_kept + math.fsum(odds[o.ssid] for o in candidates if o is not c)
            shared = -math.log2(1.0 + others)
            if round(shared, 2):
                n = sum(1 for ssid, o in odds.items() if ssid != c.ssid and o / total >= 0.005) or "unlikely"
                level = f"{n} other SSID{'' if n == 1 else 's'}"
                c.comparisons.append(Comparison(OTHERS_FIELD, "Others found", level, "", "", shared))
            probs.append(odds[c.ssid] / total)
            c.weight += shared
            c.score = self.to_score(c.weight, c.comparisons)
        for i in sorted(range(len(candidates)), key=lambda i: 100 * probs[i] - candidates[i].score):
            if sum(c.score for c in candidates) <= 100:
                break
            candidates[i].score -= 1  # rounded up: the student's scores must not sum past 100

    def _attach_names(self, candidates: list[Candidate]) -> None:
        """Give each candidate all its SSID's columns and its legal and alias names (what the reviewer sees)."""
        if not candidates:
            return
        by_ssid = {c.ssid: c for c in candidates}
        for ssid, demo in self.registry.demographics(list(by_ssid)).items():
            by_ssid[ssid].registry = {**demo, **by_ssid[ssid].registry}
        sql = (f"SELECT ssid, kind, first, middle, last, suffix FROM name WHERE ssid IN "
               f"({','.join('?' * len(by_ssid))}) ORDER BY id")
        for ssid, kind, first, middle, last, suffix in self.registry.conn.execute(sql, list(by_ssid)):
            reg = by_ssid[ssid].registry
            if kind == "legal" and "first" not in reg:
                reg.update(first=first, middle=middle, last=last, suffix=suffix)
            elif kind == "alias" and "alias_first" not in reg:
                reg.update(alias_first=first, alias_middle=middle, alias_last=last)
