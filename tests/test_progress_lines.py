"""Progress as a cold tester saw it: plain log lines never wrap, and the bar never says a bare "left"."""

from __future__ import annotations

import io
import re
import time

from rich.console import Console

from ssid_tui.cli import progress as progress_module
from tests.support.cli import terminal_console


def test_a_plain_progress_line_is_one_line_however_narrow_the_log_is_taken_to_be(monkeypatch):
    """Cold test: `match 2>log` wrapped its lines at 80 columns ("about 2 \\nmin left")."""
    monkeypatch.setattr(progress_module, "PLAIN_EVERY", 0.0)
    out = io.StringIO()
    label = "Learning weights from 2,000 students"
    update = progress_module.plain_progress(Console(file=out, force_terminal=False, width=40), label)
    update(250, 200_000)
    time.sleep(0.05)
    update(12_000, 200_000)
    lines = out.getvalue().splitlines()
    assert len(lines) == 2, lines
    assert lines[0].startswith(f"{label}: 250 of 200,000 (0%)")
    assert lines[1].startswith(f"{label}: 12,000 of 200,000 (6%)") and lines[1].endswith(" left"), lines


def frames(out: io.StringIO) -> list[str]:
    """Every frame the bar drew, as text."""
    text = re.sub(r"\x1b\[[0-?]*[ -/]*[@-~]", "", out.getvalue())
    return [f.split("\n")[0].rstrip() for f in re.split(r"[\r\n]", text) if f.strip()]


def test_the_bar_shows_no_bare_left_before_it_has_an_estimate():
    """Cold test: the load's bar read "0%  left" at the very start."""
    for width in (80, 120):
        console, out = terminal_console(width)
        with progress_module.progress_bar(console, "Loading registry", unit_bytes=True) as update:
            time.sleep(0.2)  # drawn before the first count, total unknown
            update(0, 1_000_000)
            time.sleep(0.2)  # a total, no pace yet
            update(100_000, 1_000_000)
            time.sleep(0.3)
            update(200_000, 1_000_000)
            time.sleep(0.2)
        drawn = frames(out)
        assert drawn and all(not re.search(r"(^|\s)left$", f) or re.search(r"\d:\d\d:\d\d left$", f) for f in drawn), drawn
        assert any(re.search(r"\d:\d\d:\d\d left$", f) for f in drawn), drawn  # an estimate, once there is one
