"""`ssid-tui demo`: sample registry and upload, validated, matched and opened for review."""

from __future__ import annotations

import shlex
import sqlite3
import sys
import time
from pathlib import Path
from typing import Annotated

import typer

from ssid_tui.cli.app import app, confirm_or_stop, console, console_err, fail, open_workspace_or_fail, refused
from ssid_tui.cli.interrupts import EXIT_INTERRUPTED
from ssid_tui.cli.match import stage_label
from ssid_tui.cli.output import cell, say, term
from ssid_tui.cli.progress import progress_bar
from ssid_tui.files.lock import acquire, busy
from ssid_tui.files.targets import TargetRefused
from ssid_tui.formats.results import MatchCategory
from ssid_tui.matching.registry import RegistryError, load_extract
from ssid_tui.synthetic.demo_folder import check_demo_folder, is_demo_file, made_at, record_demo, remove_demo_files
from ssid_tui.synthetic.generator import REGISTRY_NAME, SENR_NAME, TRUTH_NAME, generate
from ssid_tui.workspace.match_run import MatchInterrupted, match_file
from ssid_tui.workspace.queue import counts
from ssid_tui.workspace.store import WorkspaceError, open_workspace

#: The files a demo run makes in its folder.
REGISTRY_DB = "registry.sqlite"
WORKSPACE_DB = "upload.workspace.sqlite"
DEMO_FILES = [REGISTRY_NAME, SENR_NAME, TRUTH_NAME, REGISTRY_DB, WORKSPACE_DB]


@app.command()
def demo(
    folder: Annotated[Path, typer.Option("--dir", help="Where to put the sample files.")] = Path("ssid-tui-demo"),
    registry_size: Annotated[int, typer.Option("--registry-size", help="Students in the sample registry.", min=100)] = 50000,
    students: Annotated[int, typer.Option("--students", help="Students in the sample upload.", min=10)] = 2000,
    review: Annotated[bool, typer.Option("--review/--no-review", help="Open the review app at the end.")] = True,
    fresh: Annotated[bool, typer.Option("--fresh", help="Start the demo over: new sample files, the demo's decisions "
                                                        "discarded (asks first).")] = False,
    yes: Annotated[bool, typer.Option("--yes", "-y", help="With --fresh: do not ask.")] = False,
) -> None:
    """Make a realistic sample registry and enrollment file, validate and match it, then review.

    Runs offline in seconds. The files stay in --dir so you can try every other command on them.
    Running it again reopens the same demo with its decisions; --fresh starts over. The demo
    only ever replaces files it made itself.

    Example: [bold]ssid-tui demo[/]   or   [bold]ssid-tui demo --dir /tmp/try --students 5000 --no-review[/]
    """
    if review and not (sys.stdin.isatty() and sys.stdout.isatty()):  # before the ~20 s of building, not after
        raise fail("ssid-tui demo ends in the review app, which needs a terminal: its input or output is not one "
                   "(a pipe, cron, or `ssh host command` without -t); add --no-review to make the demo without it.")
    workspace = folder / WORKSPACE_DB
    if not fresh and is_demo_file(folder, WORKSPACE_DB):
        _reopen(folder, workspace, review)
        return
    try:
        check_demo_folder(folder, DEMO_FILES)
    except TargetRefused as exc:
        raise refused("--dir", exc) from None
    if fresh and is_demo_file(folder, WORKSPACE_DB):
        decided = _decided(workspace)
        what = f"the {decided:,} decision{'s' if decided != 1 else ''} in {workspace}"
        if decided and not yes:
            if not sys.stdin.isatty():
                raise fail(f"--fresh would discard {what}: "
                           "add --yes to confirm (there is no terminal to ask on).")
            # the sentence wraps between words (a long path), the question stays short
            say(console_err, cell(f"{what[0].upper()}{what[1:]} will be discarded.", 2000))  # a path: never markup
            confirm_or_stop("Start the demo over?",
                            declined="Not started over: the demo and its decisions are as they were.",
                            interrupted="Interrupted: the demo was not started over; its decisions are as they were.")
    started = time.perf_counter()
    try:
        folder.mkdir(parents=True, exist_ok=True, mode=0o700)  # a new demo folder is the owner's only, like its files
    except OSError as exc:
        raise fail(f"could not create the folder {folder} ({exc.strerror or type(exc).__name__}): "
                   "give --dir a folder you can write to.") from None
    _refuse_if_open(workspace)
    remove_demo_files(folder, DEMO_FILES)
    try:
        files = generate(folder, registry_size=registry_size, upload_size=students, seed=2026)  # owner-only files
        registry = folder / REGISTRY_DB
        with progress_bar(console_err, "Loading sample registry", unit_bytes=True) as update:
            load_extract(files.registry, registry, progress=update)
        with progress_bar(console_err, "Validating") as update:
            summary = match_file(files.senr, registry, workspace,
                                 stage=lambda stage, done, total: update(done, total, stage_label(stage, total)),
                                 progress=lambda done, total: update(done, total, "Matching sample upload"))
    except (RegistryError, WorkspaceError) as exc:
        raise fail(str(exc)) from None
    except (KeyboardInterrupt, MatchInterrupted):
        say(console_err, f"Interrupted: the demo was not finished; run `ssid-tui demo` again to make it "
                         f"(only {term(folder)}/ holds its files).")
        raise typer.Exit(EXIT_INTERRUPTED) from None
    finally:
        # Whatever this run made is the demo's, even if a later step failed: the next run may replace it.
        record_demo(folder, DEMO_FILES)
    c = summary.categories
    say(console,
        f"Demo: made a {registry_size:,}-student registry and a {students:,}-student upload in {term(folder)}/, "
        f"validated and matched them in {time.perf_counter() - started:.1f} s "
        f"(Single {c.get(MatchCategory.SINGLE, 0):,}, Multiple {c.get(MatchCategory.MULTIPLE, 0):,}, "
        f"No Match {c.get(MatchCategory.NO_MATCH, 0):,}); workspace: {term(workspace)}. "
        "Running `ssid-tui demo` again reopens it; `--fresh` starts over.")
    _review_or_say(workspace, review)


def _refuse_if_open(workspace: Path) -> None:
    """Stop before removing anything while the review app (or a match) holds the demo's workspace."""
    try:
        lock = acquire(workspace)
    except OSError:
        return  # no lock file can be made there: the match step says why
    if lock is None:
        raise fail(f"{workspace} is {busy(workspace)}, then run the demo again (nothing was changed).")
    lock.release()


def _decided(workspace: Path) -> int:
    try:
        with open_workspace(workspace, readonly=True) as ws:
            return counts(ws).decided
    except (WorkspaceError, sqlite3.Error):
        return 0


def _reopen(folder: Path, workspace: Path, review: bool) -> None:
    """The demo is there: say so and open it again, decisions and all."""
    ws = open_workspace_or_fail(workspace, readonly=True)
    with ws:
        c = counts(ws)
    say(console,
        f"Reopening the demo made in {term(folder)}/ on {made_at(folder)}: {c.decided:,} of {c.total:,} students "
        "decided. `ssid-tui demo --fresh` starts over.")
    _review_or_say(workspace, review)


def _review_or_say(workspace: Path, review: bool) -> None:
    if review:
        from ssid_tui.cli.review import review as review_command

        review_command(workspace, read_only=False)
    else:
        console.print(f"Review it with: [bold]ssid-tui review {term(shlex.quote(str(workspace)))}[/]")
