"""A run blocks each student once: what blocking found for the learning sample goes on to its matching."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from ssid_tui.matching.matcher import Matcher
from ssid_tui.matching.registry import load_extract
from ssid_tui.synthetic.generator import generate
from ssid_tui.workspace.match_run import match_file


def test_each_student_is_blocked_once_though_all_are_in_the_learning_sample(tmp_path: Path,
                                                                           monkeypatch: pytest.MonkeyPatch) -> None:
    files = generate(tmp_path, registry_size=1500, upload_size=60, seed=5)
    load_extract(files.registry, tmp_path / "reg.sqlite")
    blocked: list[str] = []
    real = Matcher._blocked_rows

    def counting(self: Matcher, sub, variants, passes=None):  # type: ignore[no-untyped-def]
        blocked.append(sub.birth_date + sub.last + sub.first)
        return real(self, sub, variants, passes)

    monkeypatch.setattr(Matcher, "_blocked_rows", counting)
    summary = match_file(files.senr, tmp_path / "reg.sqlite", tmp_path / "w.sqlite", today=dt.date(2026, 11, 30))
    assert summary.students == 60
    assert len(blocked) == 60  # 120 when learning blocked its sample (every student here) and matching again
