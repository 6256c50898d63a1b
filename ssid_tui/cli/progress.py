"""A Rich progress bar as a `progress(done, total)` callback for domain functions."""

from __future__ import annotations

import contextlib
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


@contextlib.contextmanager
def progress_bar(console: Console, label: str, unit_bytes: bool = False) -> Iterator[Callable[[int, int], None]]:
    """Yield a callback that moves a progress bar; the bar disappears when done."""
    columns = [TextColumn(label), BarColumn(), TextColumn("{task.percentage:>3.0f}%")]
    if not unit_bytes:
        columns.append(MofNCompleteColumn())
    columns += [TimeElapsedColumn(), TimeRemainingColumn()]
    with Progress(*columns, console=console, transient=True) as bar:
        task = bar.add_task(label, total=None)

        def update(done: int, total: int) -> None:
            bar.update(task, completed=done, total=total)

        yield update
