"""A progress bar as a `progress(done, total)` callback for domain functions.

On a terminal it is a Rich bar with the time left; otherwise (a log file, cron, a pipe)
a plain line every PLAIN_EVERY seconds. Either way it shows counts only, never a record.
A command with stages (validating, learning, matching) passes each stage's label as a
third argument: the bar takes the label and starts its count and time left afresh.
"""

from __future__ import annotations

import contextlib
import time
from collections.abc import Iterator
from typing import Protocol

from rich.console import Console
from rich.progress import (
    BarColumn,
    Progress,
    ProgressColumn,
    Task,
    TextColumn,
    TimeElapsedColumn,
    TimeRemainingColumn,
)
from rich.text import Text

#: Seconds between two plain progress lines when stderr is not a terminal.
PLAIN_EVERY = 10.0


class Update(Protocol):
    """`update(done, total)`; `update(done, total, label)` starts a stage of that label."""

    def __call__(self, done: int, total: int, label: str | None = None) -> None: ...


class CountColumn(ProgressColumn):
    """`12,000/200,000`: done and total with thousands separators (Rich's own column prints 12000/200000)."""

    def render(self, task: Task) -> Text:
        """The counts, done right-aligned to the total's width so the bar does not jump."""
        total = "?" if task.total is None else f"{int(task.total):,}"
        return Text(f"{int(task.completed):,}".rjust(len(total)) + f"/{total}", style="progress.download")


class PlainBarColumn(ProgressColumn):
    """`#########---------`: a bar that reads without colour or line-drawing characters.

    Rich draws done and to-do alike (`━━━` or `---`) and tells them apart by colour only, so
    under NO_COLOR, on a plain terminal or in ASCII the bar never seemed to move.
    """

    def __init__(self, bar_width: int | None = 40) -> None:
        self.bar_width = bar_width
        super().__init__()

    def render(self, task: Task) -> Text:
        """Done as `#`, to do as `-`; a bar of dots while the total is not known."""
        width = self.bar_width or 40
        if task.total is None or task.total <= 0:
            return Text("." * width)
        done = min(width, int(width * task.completed / task.total))
        return Text("#" * done + "-" * (width - done))


class TimeLeftColumn(TimeRemainingColumn):
    """`0:12:30 left`, or nothing at all until there is an estimate (Rich alone left a bare "left")."""

    def render(self, task: Task) -> Text:
        """The time left and the word, or an empty cell while the total or the pace is unknown."""
        remaining = super().render(task)
        if not remaining.plain.strip() or task.time_remaining is None:
            return Text("")
        return remaining + Text(" left")


def plain_bar(console: Console) -> bool:
    """True where Rich's bar would show done and to do the same: no colour, or no line-drawing characters."""
    return console.no_color or console.color_system is None or not console.encoding.lower().startswith("utf")


def _bar_width(console: Console, label: str) -> int:
    # The time left matters most: at 80 columns the bar gives way (to a long label too), then the time so far.
    return max(10, console.width - (62 if console.width >= 100 else 44) - len(label))


@contextlib.contextmanager
def progress_bar(console: Console, label: str, unit_bytes: bool = False) -> Iterator[Update]:
    """Yield a callback that moves a progress bar; the bar disappears when done."""
    if not console.is_terminal:
        yield plain_progress(console, label, unit_bytes)
        return
    wide = console.width >= 100
    width = _bar_width(console, label)
    bar_column: BarColumn | PlainBarColumn = PlainBarColumn(width) if plain_bar(console) else BarColumn(width)
    columns: list[ProgressColumn] = [TextColumn("{task.description}", markup=False), bar_column, TextColumn("{task.percentage:>3.0f}%")]
    if not unit_bytes:
        columns.append(CountColumn())
    if wide:
        columns += [TimeElapsedColumn(), TextColumn("so far,")]
    columns.append(TimeLeftColumn())
    with Progress(*columns, console=console, transient=True) as bar:
        task = bar.add_task(label, total=None)
        shown = [label]

        def update(done: int, total: int, label: str | None = None) -> None:
            if label is not None and label != shown[0]:
                shown[0] = label
                bar_column.bar_width = _bar_width(console, label)
                bar.reset(task, total=total, completed=done, description=label)  # its own pace and time left
            else:
                bar.update(task, completed=done, total=total)

        yield update


def _duration(seconds: float) -> str:
    seconds = int(seconds)
    if seconds < 90:
        return f"{seconds} s"
    if seconds < 5400:
        return f"{round(seconds / 60)} min"
    return f"{seconds // 3600} h {seconds % 3600 // 60:02d} min"


def plain_progress(console: Console, label: str, unit_bytes: bool = False) -> Update:
    """A callback printing `label: 12,000 of 200,000 (6%), 1 min so far, about 15 min left` now and then
    (and when a stage of another label starts)."""
    start = time.monotonic()
    first: list[tuple[float, int]] = []
    last_line = [start]
    shown = [label]

    def update(done: int, total: int, label: str | None = None) -> None:
        nonlocal start
        now = time.monotonic()
        new_stage = label is not None and label != shown[0]
        if new_stage:
            assert label is not None
            shown[0], start = label, now
            first.clear()
        if not first:
            first.append((now, done))
        if now - last_line[0] < PLAIN_EVERY and not new_stage:
            return
        last_line[0] = now
        label = shown[0]
        percent = 100 * done / total if total else 100.0
        counts = f"{percent:.0f}%" if unit_bytes else f"{done:,} of {total:,} ({percent:.0f}%)"
        t0, d0 = first[0]
        left = ""
        if done < total and done > d0 and now > t0:
            left = f", about {_duration((total - done) * (now - t0) / (done - d0))} left"
        # one line whatever the width Rich takes the log to have: a log line is never wrapped mid-sentence
        console.print(f"{label}: {counts}, {_duration(now - start)} so far{left}", markup=False, highlight=False,
                      soft_wrap=True)

    return update
