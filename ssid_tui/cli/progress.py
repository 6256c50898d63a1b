"""A progress bar as a `progress(done, total)` callback for domain functions.

On a terminal it is a Rich bar with the time left; otherwise (a log file, cron, a pipe)
a plain line every PLAIN_EVERY seconds. Either way it shows counts only, never a record.
"""

from __future__ import annotations

import contextlib
import time
from collections.abc import Callable, Iterator

from rich.console import Console
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    TextColumn,
    TimeElapsedColumn,
    TimeRemainingColumn,
)

#: Seconds between two plain progress lines when stderr is not a terminal.
PLAIN_EVERY = 10.0


@contextlib.contextmanager
def progress_bar(console: Console, label: str, unit_bytes: bool = False) -> Iterator[Callable[[int, int], None]]:
    """Yield a callback that moves a progress bar; the bar disappears when done."""
    if not console.is_terminal:
        yield plain_progress(console, label, unit_bytes)
        return
    # The time left matters most: at 80 columns the bar gives way, then the time so far.
    wide = console.width >= 100
    columns = [TextColumn(label), BarColumn(bar_width=max(10, console.width - (80 if wide else 62))),
               TextColumn("{task.percentage:>3.0f}%")]
    if not unit_bytes:
        columns.append(MofNCompleteColumn())
    if wide:
        columns += [TimeElapsedColumn(), TextColumn("so far,")]
    columns += [TimeRemainingColumn(), TextColumn("left")]
    with Progress(*columns, console=console, transient=True) as bar:
        task = bar.add_task(label, total=None)

        def update(done: int, total: int) -> None:
            bar.update(task, completed=done, total=total)

        yield update


def _duration(seconds: float) -> str:
    seconds = int(seconds)
    if seconds < 90:
        return f"{seconds} s"
    if seconds < 5400:
        return f"{round(seconds / 60)} min"
    return f"{seconds // 3600} h {seconds % 3600 // 60:02d} min"


def plain_progress(console: Console, label: str, unit_bytes: bool = False) -> Callable[[int, int], None]:
    """A callback printing `label: 12,000 of 200,000 (6%), 1 min so far, about 15 min left` now and then."""
    start = time.monotonic()
    first: list[tuple[float, int]] = []
    last_line = [start]

    def update(done: int, total: int) -> None:
        now = time.monotonic()
        if not first:
            first.append((now, done))
        if now - last_line[0] < PLAIN_EVERY:
            return
        last_line[0] = now
        percent = 100 * done / total if total else 100.0
        counts = f"{percent:.0f}%" if unit_bytes else f"{done:,} of {total:,} ({percent:.0f}%)"
        t0, d0 = first[0]
        left = ""
        if done < total and done > d0 and now > t0:
            left = f", about {_duration((total - done) * (now - t0) / (done - d0))} left"
        console.print(f"{label}: {counts}, {_duration(now - start)} so far{left}", markup=False, highlight=False)

    return update
