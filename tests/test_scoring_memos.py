"""Scoring keeps what it found by the pair of values compared, and learning reads levels without explaining:
the levels, patterns and results are those of the field rules called directly."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from ssid_tui.formats.senr import iter_records, open_senr
from ssid_tui.matching import matcher as matcher_module
from ssid_tui.matching.comparisons import (
    VALUE_RULES,
    crosswise_middle,
    first_level,
    last_level,
    middle_level,
)
from ssid_tui.matching.matcher import Matcher, Submitted, _registry_value
from ssid_tui.matching.model import FIELDS
from ssid_tui.matching.name_forms import NameForms
from ssid_tui.matching.registry import Registry, load_extract, open_registry
from ssid_tui.synthetic.generator import generate
from ssid_tui.workspace.match_rows import senr_values


@pytest.fixture(scope="module")
def students(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, list[Submitted]]:
    tmp = tmp_path_factory.mktemp("memos")
    files = generate(tmp, registry_size=3000, upload_size=120, seed=11)
    load_extract(files.registry, tmp / "reg.sqlite")
    return tmp / "reg.sqlite", [Submitted.from_fields(senr_values(r)) for r in iter_records(open_senr(files.senr))]


def _plain_levels(sub: Submitted, row: tuple[Any, ...], demo: dict[str, str], reg: Registry,
                  matcher: Matcher) -> tuple[list[tuple[Any, ...]], list[tuple[str, float]]]:
    """Every level of one record, each field rule called directly (no memo)."""
    cand = NameForms.of(*row[3:6])
    sexes_differ = {sub.gender, demo["gender"]} == {"M", "F"}
    names = []
    for arr in sub.arrangements(sub.name_variants()):
        first = first_level(arr.forms, cand, matcher.freq, sexes_differ)
        middle = crosswise_middle(arr.forms, cand) if first[0] == "middle as first" else middle_level(arr.forms, cand)
        names.append((*first, *last_level(arr.forms, cand, matcher.freq), *middle))
    values = [rule(getattr(sub, f), _registry_value(f, row[6], demo), matcher.freq) for f, rule in VALUE_RULES]
    return names, values


def test_levels_kept_by_pair_are_those_of_the_rules_called_directly(students: tuple[Path, list[Submitted]]) -> None:
    path, subs = students
    with open_registry(path) as reg:
        matcher = Matcher(reg)
        compared = 0
        for _round in range(2):  # the second round reads what the first kept
            for sub in subs:
                gathered = matcher.gather(sub)
                arrangements = sub.arrangements(sub.name_variants())
                for row in gathered.rows:
                    demo = gathered.demos[row[1]]
                    levels = matcher.row_levels(sub, arrangements, row, demo)
                    assert (list(levels[0]), list(levels[1])) == _plain_levels(sub, row, demo, reg, matcher)
                    compared += 1
        assert compared > 400


def test_each_pair_of_values_is_compared_once_per_matcher(students: tuple[Path, list[Submitted]],
                                                          monkeypatch: pytest.MonkeyPatch) -> None:
    path, subs = students
    calls: list[tuple[str, str, str]] = []

    def counted(field: str, rule: Any) -> Any:
        def rule_counted(a: str, b: str, freq: Any) -> tuple[str, float]:
            calls.append((field, a, b))
            return rule(a, b, freq)  # type: ignore[no-any-return]
        return rule_counted

    monkeypatch.setattr(matcher_module, "VALUE_RULES", tuple((f, counted(f, rule)) for f, rule in VALUE_RULES))
    with open_registry(path) as reg:
        matcher = Matcher(reg)
        rows = 0
        for sub in subs:
            gathered = matcher.gather(sub)
            matcher.match(sub, gathered)
            rows += len(gathered.rows)
    assert rows * len(VALUE_RULES) > 2 * len(calls)  # birth dates, genders and places recur across records
    assert len(calls) == len(set(calls))


def test_learning_patterns_are_the_explained_levels_without_explaining(students: tuple[Path, list[Submitted]],
                                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    path, subs = students
    with open_registry(path) as reg:
        matcher = Matcher(reg)
        explained: list[bool] = []
        real = Matcher.score_row

        def watched(self: Matcher, *args: Any, explain: bool = False, **kwargs: Any) -> Any:
            explained.append(explain)
            return real(self, *args, explain=explain, **kwargs)

        for sub in subs:
            gathered = matcher.gather(sub)
            with monkeypatch.context() as m:
                m.setattr(Matcher, "score_row", watched)
                patterns = matcher.candidate_patterns(sub, gathered)
            arrangements = sub.arrangements(sub.name_variants())
            expected = []
            for _w, row in matcher._best_rows(sub, arrangements, gathered).values():
                _w2, comps, _kind = matcher.score_row(sub, arrangements, row, gathered.demos[row[1]], explain=True)
                by_field = {c.field: c.level for c in comps}
                expected.append(tuple(by_field.get(f, "missing") for f in FIELDS))
            assert patterns == expected
        assert explained and not any(explained)  # no explanation rows built for the learning sample
