"""Issue 10 (speed): the learning pass runs in the workers, and the bar names each stage of a run with its own count."""

from __future__ import annotations

import datetime as dt
import io
import time
from pathlib import Path

import pytest
from rich.console import Console

from ssid_tui.cli import progress as progress_module
from ssid_tui.matching.matcher import Matcher
from ssid_tui.workspace import match_twins
from ssid_tui.workspace.match_run import LEARN_STUDENTS, Stage, match_file
from tests.support.cli import flat, run, terminal_console
from tests.support.generated import shared_upload

TODAY = dt.date(2026, 11, 30)


@pytest.fixture(scope="module")
def upload(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """A generated registry of 2,000 students (loaded) and an upload of 90."""
    return shared_upload(tmp_path_factory, 2000, 90, 21)  # built once per run; matches only read it


def test_each_stage_reports_its_own_count_before_matching_starts(upload, tmp_path):
    heard: list[tuple[str, int, int]] = []
    match_file(upload["senr"], upload["registry"], tmp_path / "w.sqlite", today=TODAY, chunk_size=25,
               stage=lambda stage, done, total: heard.append((stage, done, total)),
               progress=lambda done, total: heard.append(("matching", done, total)))
    stages = [s for s, _d, _t in heard]
    assert stages == sorted(stages, key=["validating", "learning", "matching"].index)  # one after the other
    validating = [(d, t) for s, d, t in heard if s == Stage.VALIDATING]
    learning = [(d, t) for s, d, t in heard if s == Stage.LEARNING]
    assert validating[0] == (0, 90) and validating[-1] == (90, 90)
    sample = min(90, LEARN_STUDENTS)
    assert learning[0] == (0, sample) and learning[-1] == (sample, sample)
    assert [(d, t) for s, d, t in heard if s == "matching"] == [(0, 90), (25, 90), (50, 90), (75, 90), (90, 90)]


def test_with_two_jobs_the_workers_block_the_learning_sample_and_the_parent_blocks_no_one(upload, tmp_path,
                                                                                       monkeypatch):
    """The parent only runs EM between the passes, and stores: both cores work from the start to the end."""
    blocked_here: list[str] = []
    real = Matcher._blocked_rows

    def counting(self, sub, variants, passes=None):  # type: ignore[no-untyped-def]
        blocked_here.append(sub.last)
        return real(self, sub, variants, passes)

    monkeypatch.setattr(Matcher, "_blocked_rows", counting)  # the workers are spawned: they keep the real one
    twins_here: list[int] = []
    real_twins = match_twins.scored_pairs
    monkeypatch.setattr(match_twins, "scored_pairs", lambda m, p, s: twins_here.append(len(p)) or real_twins(m, p, s))
    one = match_file(upload["senr"], upload["registry"], tmp_path / "one.sqlite", today=TODAY, jobs=1, chunk_size=25)
    assert len(blocked_here) == 90 and len(twins_here) == 1 and twins_here[0] > 0
    blocked_here.clear()
    twins_here.clear()
    two = match_file(upload["senr"], upload["registry"], tmp_path / "two.sqlite", today=TODAY, jobs=2, chunk_size=25)
    assert blocked_here == [] and twins_here == []  # the workers scored the pairs of the same child twice
    assert two.categories == one.categories and two.top_90 == one.top_90
    assert two.upload_duplicates == one.upload_duplicates


def test_match_shows_the_stages_on_a_plain_stderr(upload, tmp_path, monkeypatch):
    monkeypatch.setattr(progress_module, "PLAIN_EVERY", 3600.0)  # only the lines a new stage prints
    result = run("match", upload["senr"], "--ods", upload["registry"], "-w", tmp_path / "w.sqlite", "--jobs", "1")
    assert result.exit_code == 0, result.output
    text = flat(result.output)
    assert "Learning weights from 90 students: 0 of 90 (0%)" in text
    assert "Matching: 0 of 90 (0%)" in text
    assert text.index("Learning weights") < text.index("Matching:") < text.index("Matched 90 students")


@pytest.mark.parametrize("width", [80, 120])
def test_a_stage_label_takes_over_the_bar_with_its_own_count_and_keeps_it_in_the_width(width):
    console, out = terminal_console(width)
    with progress_module.progress_bar(console, "Validating") as update:
        update(10_000, 10_000)
        update(0, 2_000, "Learning weights from 2,000 students")
        time.sleep(0.2)
        update(500, 2_000)
        time.sleep(0.2)
        update(1_000, 2_000)
    frames = [f.replace("\x1b[2K", "").split("\n")[0] for f in out.getvalue().split("\r")]
    learning = [f for f in frames if "1,000/2,000" in f]
    assert learning, frames
    line = learning[-1]
    assert line.startswith("Learning weights from 2,000 students") and " 50%" in line
    assert len(line) <= width and line.rstrip().endswith("left"), line
    assert "-:--:--" not in line  # the time left is the learning stage's own, not unknown


def test_plain_progress_prints_a_line_when_a_stage_starts_and_times_it_afresh(monkeypatch):
    monkeypatch.setattr(progress_module, "PLAIN_EVERY", 3600.0)
    out = io.StringIO()
    update = progress_module.plain_progress(Console(file=out, force_terminal=False, width=200), "Validating")
    update(10_000, 10_000)  # no line: not PLAIN_EVERY seconds yet
    update(0, 2_000, "Learning weights from 2,000 students")
    update(2_000, 2_000)
    update(0, 10_000, "Matching")
    assert out.getvalue().splitlines() == ["Learning weights from 2,000 students: 0 of 2,000 (0%), 0 s so far",
                                           "Matching: 0 of 10,000 (0%), 0 s so far"]
