"""A run blocks each student once: what blocking found for the learning sample goes on to its matching."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from ssid_tui.formats.senr import iter_records, open_senr
from ssid_tui.matching.matcher import Matcher, Submitted
from ssid_tui.matching.registry import load_extract, open_registry
from ssid_tui.synthetic.generator import generate
from ssid_tui.workspace import match_pool
from ssid_tui.workspace.match_rows import senr_values
from ssid_tui.workspace.match_run import learned_matcher, match_file


@pytest.fixture(scope="module")
def generated(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """A generated upload of 60 and its loaded 1,500-student registry, made once: the tests only read them."""
    folder = tmp_path_factory.mktemp("blocked_once")
    files = generate(folder, registry_size=1500, upload_size=60, seed=5)
    load_extract(files.registry, folder / "reg.sqlite")
    return files.senr, folder / "reg.sqlite"


def test_each_student_is_blocked_once_though_all_are_in_the_learning_sample(
        generated: tuple[Path, Path], tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    senr, registry = generated
    blocked: list[str] = []
    real = Matcher._blocked_rows

    def counting(self: Matcher, sub, variants, passes=None):  # type: ignore[no-untyped-def]
        blocked.append(sub.birth_date + sub.last + sub.first)
        return real(self, sub, variants, passes)

    monkeypatch.setattr(Matcher, "_blocked_rows", counting)
    summary = match_file(senr, registry, tmp_path / "w.sqlite", today=dt.date(2026, 11, 30))
    assert summary.students == 60
    assert len(blocked) == 60  # 120 when learning blocked its sample (every student here) and matching again


def test_the_learning_sample_is_compared_once_and_only_weighed_again_with_the_learned_weights(
        generated: tuple[Path, Path], tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    senr, registry = generated
    compared: list[tuple[str, object]] = []
    real = Matcher.row_levels

    def counting(self: Matcher, sub, arrangements, row, demo):  # type: ignore[no-untyped-def]
        compared.append((sub.birth_date + sub.last + sub.first, row[0]))
        return real(self, sub, arrangements, row, demo)

    monkeypatch.setattr(Matcher, "row_levels", counting)
    match_file(senr, registry, tmp_path / "w.sqlite", today=dt.date(2026, 11, 30))
    # every student is in the learning sample here: learning compared each record with it (twice
    # before: to pick each SSID's best record, then to explain it), matching only weighed it again
    assert compared and len(compared) == len(set(compared))



def test_a_record_only_weighed_again_scores_and_explains_as_one_compared_afresh(generated: tuple[Path, Path]) -> None:
    senr, registry = generated
    records = list(iter_records(open_senr(senr)))
    with open_registry(registry) as reg, match_pool.workers(Matcher(reg), 1) as pool:
        learned, gathered = learned_matcher(pool, records)
        assert learned.learned is not None and learned.learned.shift  # weights other than the priors
        fresh = Matcher(reg, learned=learned.learned)
        for place, rec in enumerate(records, start=1):
            sub = Submitted.from_fields(senr_values(rec))
            weighed = learned.match(sub, gathered[place].gathered)
            compared = fresh.match(sub)
            assert [(c.ssid, c.score, c.explanation()) for c in weighed.candidates] == \
                [(c.ssid, c.score, c.explanation()) for c in compared.candidates]
