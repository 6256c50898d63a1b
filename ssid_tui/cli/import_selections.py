"""`ssid-tui import-selections W FILE`: take the choices marked in a results file in a spreadsheet."""

from __future__ import annotations

import sqlite3
from pathlib import Path
from typing import Annotated

import typer
from rich import box
from rich.table import Table

from ssid_tui.cli.app import (
    EXIT_INPUT_ERRORS,
    app,
    console,
    fail,
    open_workspace_or_fail,
)
from ssid_tui.cli.output import cell, say, term
from ssid_tui.exports.selections import SelectionsError, import_selections
from ssid_tui.files.lock import acquire, busy
from ssid_tui.wording import plural, plural_noun
from ssid_tui.workspace import review_notes
from ssid_tui.workspace.decisions import DecisionError, all_conflicts
from ssid_tui.workspace.statuses import DecisionStatus


@app.command("import-selections")
def import_selections_command(
    workspace: Annotated[Path, typer.Argument(help="The workspace file `ssid-tui match` wrote.", show_default=False)],
    results_file: Annotated[Path, typer.Argument(
        help="The results file with X marks in its Selection column (CSV or ^, as the spreadsheet saved it).",
        show_default=False)],
    dry_run: Annotated[bool, typer.Option("--dry-run", help="Show what would be taken; record nothing.")] = False,
    show: Annotated[int, typer.Option(help="How many rows that could not be taken to list.", min=0)] = 50,
) -> None:
    """Record the SSIDs marked in a results file that a reviewer edited in a spreadsheet.

    Put X (or x, Y, 1, yes, true) in Selection on the right candidate's row, save the file
    (CSV UTF-8, CSV or ^-delimited, columns in any order) and import it. A student is given an
    SSID when exactly one of its rows is marked and that SSID is one of its candidates; students
    with no row marked are left as they are. All choices are one undoable step (source
    "import"). Rows that cannot be taken are listed with their line numbers (exit code 1).

    Example: [bold]ssid-tui import-selections fall.sqlite fall_match_results.csv[/]
    """
    ws = open_workspace_or_fail(workspace, readonly=dry_run)
    lock = None
    try:
        if not dry_run:
            try:
                lock = acquire(workspace, purpose="import")
            except OSError:
                lock = None  # a lock file cannot be made beside it: SQLite still keeps each write whole
            else:
                if lock is None:
                    raise fail(f"{workspace} is {busy(workspace)}, then import.")
        try:
            result = import_selections(ws, results_file, dry_run=dry_run)
            conflicts = all_conflicts(ws)
        except SelectionsError as exc:
            raise fail(str(exc)) from None
        except DecisionError as exc:
            raise fail(f"{exc}.") from None
        except sqlite3.Error:
            raise fail(f"{workspace} could not be written (it may be damaged or busy): nothing was recorded; try again.") from None
    finally:
        if lock is not None:
            lock.release()
        ws.close()

    plan = result.plan
    f = plan.file
    console.print(f"Read {plural(len(f.rows), 'row')} from [bold]{term(f.path.name)}[/] ({f.describe()})"
                  + (f", passing over {plural(f.blank_rows, 'blank row')}." if f.blank_rows else "."))
    taken = len(plan.taken)
    same = sum(1 for t in plan.taken if t.unchanged)
    new = taken - same
    replaced = sum(1 for t in plan.taken if not t.unchanged and t.prev_status != DecisionStatus.UNDECIDED)
    verb = "would record" if dry_run else "recorded"
    line = f"[green]Took {plural(taken, 'choice')}[/]: {verb} {new:,}"
    if replaced:
        line += f" ({replaced:,} replacing an earlier decision)"
    if same:
        line += f", {same:,} already recorded"
    line += "."
    if not dry_run and result.batch is not None:
        line += (f" {'They are' if result.changed != 1 else 'It is'} one step in the history (step {result.batch}): "
                 "undo in the review app takes it back.")
    say(console, line)
    if plan.notes:
        notes = sum(1 for _sid, kind, _v in plan.notes if kind == review_notes.NOTE)
        tags = len(plan.notes) - notes
        console.print(f"Notes {'to change' if dry_run else 'changed'}: {notes:,}; follow-up tags: {tags:,} "
                      f"(from the columns Review_Note and Review_FollowUp).")
    if plan.altered_notes:
        n = len(plan.altered_notes)
        most = review_notes.MAX_NOTE
        console.print(f"{plural(n, 'note')} taken as one line of at most {most} characters "
                      f"(check {plural_noun(n, 'it', 'them')} in the review app):")
        for p in plan.altered_notes[:show]:
            console.print(f"  line {p.line_no}, local ID {term(p.local_id, 40)}: {term(p.message)}", highlight=False)
        if n > show:
            console.print(f"  ... and {n - show:,} more (use --show {n}).")
    if plan.zeros_restored:
        console.print(f"{plural(plan.zeros_restored, 'row')} matched a local ID only after restoring leading zeros the spreadsheet dropped.")
    if plan.unmarked:
        n_kept = plan.unmarked_decided
        kept = (f" ({n_kept:,} {plural_noun(n_kept, 'keeps', 'keep')} the decision "
                f"{plural_noun(n_kept, 'it', 'they')} already had)") if n_kept else ""
        console.print(f"Left as they are: {plural(plan.unmarked, 'student')} with no row marked{kept}.")
    if plan.unknown_unmarked:
        console.print(f"{plural(plan.unknown_unmarked, 'unmarked row')} named a local ID not in this workspace (nothing to take).")
    if conflicts:
        listing = term("; ".join(f"{k}: {', '.join(v)}" for k, v in sorted(conflicts.items())), 2000)
        say(console, f"[yellow]Warning:[/] {plural(len(conflicts), 'SSID')} chosen for more than one student "
                      f"({listing}): export refuses until they are resolved in the review app.")
    if plan.problems:
        n = len(plan.problems)
        console.print(f"[bold red]Could not take {plural(n, 'row')}[/] (fix them in the file and import again, or decide them in the review app):")
        table = Table(box=box.SIMPLE_HEAD, show_edge=False, pad_edge=False)
        table.add_column("Line", justify="right", no_wrap=True)
        table.add_column("Local ID", no_wrap=True)
        table.add_column("Problem", overflow="fold")
        for p in plan.problems[:show]:
            table.add_row(str(p.line_no), cell(p.local_id), cell(p.message, 2000))
        console.print(table)
        if n > show:
            console.print(f"... and {n - show:,} more (use --show {n}).")
        raise typer.Exit(EXIT_INPUT_ERRORS)
