"""`ssid-tui export W`: write the results file, the SIS import, the SENR copy and the report."""

from __future__ import annotations

import enum
import sqlite3
from pathlib import Path
from typing import Annotated

import typer
from rich.table import Table
from rich.text import Text

from ssid_tui.cli.app import (
    EXIT_INPUT_ERRORS,
    app,
    console,
    console_err,
    fail,
    open_workspace_or_fail,
    refused,
)
from ssid_tui.cli.output import cell, say, term
from ssid_tui.exports.writers import (
    EXPORT_KINDS,
    ExportBlocked,
    ExportError,
    Written,
    check_conflicts,
    check_finished,
    export,
    export_inputs,
    folder_targets,
    snapshot,
    undecided_note,
)
from ssid_tui.files.safe import missing_folders, remove_empty_folders, writable_dir_problem
from ssid_tui.files.targets import Identity, TargetRefused, check_target
from ssid_tui.files.written import record_problem
from ssid_tui.wording import plural
from ssid_tui.workspace.store import Workspace
from ssid_tui.workspace.store_problems import damaged_advice, damaged_message


class Delimiter(enum.StrEnum):
    """How the results file separates its columns."""

    comma = "comma"
    caret = "caret"


_KIND_LABELS = {"results": "Match results", "sis": "SIS import", "senr": "SENR with SSIDs", "report": "Review report"}


def _rows_text(kind: str, n: int, total: int) -> str:
    if kind == "results":
        return plural(n, 'row')
    if kind == "sis":
        return plural(n, 'SSID')
    if kind == "senr":
        return f"{total:,} records, {n:,} given an SSID"
    return f"{n:,} students"


def print_conflicts(conflicts: dict[str, list[str]], to_stderr: bool = True) -> None:
    """A table of SSIDs chosen for more than one student."""
    table = Table(title="SSIDs chosen for more than one student", title_justify="left")
    table.add_column("SSID", no_wrap=True)
    table.add_column("Local IDs")
    for ssid, ids in sorted(conflicts.items()):
        table.add_row(cell(ssid), cell(", ".join(ids), 2000))
    (console_err if to_stderr else console).print(table)


@app.command("export")
def export_command(
    workspace: Annotated[Path, typer.Argument(help="The workspace file `ssid-tui match` wrote.", show_default=False)],
    results: Annotated[Path | None, typer.Option(
        "--results", help="Write the SSID Match Results file (CDE's 13 columns, then ours) here.", show_default=False)] = None,
    sis: Annotated[Path | None, typer.Option(
        "--sis", help="Write the LocalID,SSID CSV of chosen matches here, for SIS import.", show_default=False)] = None,
    senr: Annotated[Path | None, typer.Option(
        "--senr", help="Write a copy of the submitted SENR file with field 1.08 (SSID) filled here.",
        show_default=False)] = None,
    report: Annotated[Path | None, typer.Option("--report", help="Write the review report (Markdown) here.", show_default=False)] = None,
    to: Annotated[Path | None, typer.Option(
        "--to", help="Write all four into this folder, named after the submitted file (options above override single files).",
        show_default=False)] = None,
    delimiter: Annotated[Delimiter, typer.Option("--delimiter", help="Column separator of the results file.", case_sensitive=False)] = Delimiter.comma,
    allow_conflicts: Annotated[bool, typer.Option(
        "--allow-conflicts", help="Export even if an SSID is chosen for two students: "
        "those students are left unselected and named in the report.")] = False,
) -> None:
    """Write the review's results: match results, SIS import, SENR copy with SSIDs, report.

    Every file is written owner-only (0600) and atomically: an interrupted export leaves the
    previous file, never half of one. If an SSID is chosen for more than one student the
    export refuses (exit 1) and lists them, unless --allow-conflicts.

    Examples:

      [bold]ssid-tui export fall.sqlite --to exports/[/]

      [bold]ssid-tui export fall.sqlite --results results.txt --delimiter caret[/]

      [bold]ssid-tui export fall.sqlite --sis ssids.csv --senr senr_with_ssids.txt[/]
    """
    targets: dict[str, Path] = {k: v for k, v in
                                (("results", results), ("sis", sis), ("senr", senr), ("report", report)) if v is not None}
    if not targets and to is None:
        raise fail("say what to write: give --results, --sis, --senr or --report FILE, or --to FOLDER for all four.")
    if to is not None and to.exists() and not to.is_dir():
        raise fail(f"{to} is a file, not a folder: choose another --to.")
    made = missing_folders(to)  # what _make_folder will create, outermost last
    try:
        with open_workspace_or_fail(workspace, readonly=True) as ws:
            written, total, excluded = _export_from(ws, workspace, targets, to, delimiter.value, allow_conflicts)
    except BaseException:
        remove_empty_folders(made)  # made for this export, and it failed: leave no empty folder behind
        raise
    _print_written(written, total)
    problem = record_problem()
    if problem:
        say(console_err, Text.assemble(("Note:", "yellow"), " ", cell(
            f"{problem}: a later export will not replace these files (move them away first then).", 2000)))
    if excluded:
        say(console, f"[yellow]{len(excluded)} students whose SSID is in conflict were left unselected[/]"
                      " (the report names them).")


def _export_from(ws: Workspace, workspace: Path, targets: dict[str, Path], to: Path | None, delimiter: str,
                 allow_conflicts: bool) -> tuple[list[Written], int, set[str]]:
    """Check every target, then write them from one view of the workspace: (written, students, left unselected)."""
    try:
        check_finished(ws)
        given = set(targets)  # the rest come from --to
        if to is not None:
            for kind, path in folder_targets(ws, to, delimiter).items():
                targets.setdefault(kind, path)
        options = {kind: f"--{kind}" if kind in given else "--to" for kind in targets}
        inputs = export_inputs(ws)
    except ExportError as exc:
        raise fail(str(exc)) from None
    except sqlite3.Error:
        raise fail(damaged_message(workspace)) from None
    checked = _check_targets(targets, inputs, to, options)
    try:
        with snapshot(ws):
            excluded = _conflicts_or_exit(ws, allow_conflicts)
            total = len(ws.all_students())
            undecided = undecided_note(ws)
            if undecided:
                say(console_err, f"[yellow]Note:[/] {undecided}")
            written: list[Written] = []
            for kind in ("results", "sis", "senr", "report"):
                if kind in targets:
                    written += _write_one(ws, kind, targets[kind], delimiter, allow_conflicts, checked[kind],
                                          options[kind])
    except ExportError as exc:
        raise fail(str(exc)) from None
    except sqlite3.Error:
        raise fail(f"{workspace} could not be read to the end; nothing was written. If no one else is using it, "
                   f"it may be damaged. {damaged_advice(workspace)}") from None
    return written, total, excluded


def _conflicts_or_exit(ws: Workspace, allow_conflicts: bool) -> set[str]:
    """The students left unselected for --allow-conflicts; exit 1 with the table if conflicts block the export."""
    try:
        return check_conflicts(ws, allow_conflicts)
    except ExportBlocked as exc:
        n = len(exc.conflicts)
        say(console_err,
            f"[bold red]Not exported:[/] {plural(n, 'SSID is')} chosen for more than one "
            "student. Resolve them in the review app (filter: Conflicts), or export with "
            "--allow-conflicts to leave those students unselected.")
        print_conflicts(exc.conflicts)
        raise typer.Exit(EXIT_INPUT_ERRORS) from None


def _write_one(ws: Workspace, kind: str, path: Path, delimiter: str, allow_conflicts: bool,
               checked: Identity, option: str) -> list[Written]:
    """Write one file; `option` is the one its path came from (--results, or --to)."""
    try:
        return export(ws, {kind: path}, delimiter=delimiter, allow_conflicts=allow_conflicts, checked={kind: checked})
    except TargetRefused as exc:
        raise refused(option, exc) from None
    except OSError as exc:
        raise fail(f"could not write {path} ({exc.strerror or type(exc).__name__}): "
                   "nothing was left half-written; choose a folder you can write to.") from None


def _print_written(written: list[Written], total: int) -> None:
    """What was written, as a table where the paths fit, else one file per pair of lines.

    A path is what a clerk copies next: it is never folded inside a table cell.
    """
    rows = [(_KIND_LABELS[w.kind], _rows_text(w.kind, w.rows, total), cell(w.path)) for w in written]
    widths = [max((len(str(r[i])) for r in rows), default=0) for i in range(3)]
    if sum(widths) + 2 <= console.width:  # two one-space gaps between the columns
        table = Table(show_header=True, show_edge=False, box=None, pad_edge=False)
        table.add_column("Wrote")
        table.add_column("", justify="right")
        table.add_column("File", no_wrap=True)
        for row in rows:
            table.add_row(*row)
        console.print(table)
        return
    console.print("Wrote:")
    for label, count, path in rows:
        console.print(f"  {label}, {count}:", markup=False, highlight=False)
        console.print(Text.assemble("    ", path), soft_wrap=True)


def _make_folder(to: Path) -> None:
    """Create the --to folder (owner-only: it will hold student data) and say so."""
    try:
        to.mkdir(mode=0o700, parents=True)
    except OSError as exc:
        raise fail(f"could not create the folder {to} ({exc.strerror or type(exc).__name__}): choose another --to.") from None
    console_err.print(f"Created the folder {term(to)}.", soft_wrap=True)  # a path stays whole for copy and paste


def _check_targets(targets: dict[str, Path], inputs: list[Path], to: Path | None,
                   options: dict[str, str]) -> dict[str, Identity]:
    """Fail with one sentence if any target cannot or must not be written (before anything is); each
    target as the check found it (the writers check again only a file that changed since). `options`
    names the option each target's path came from, for the refusals."""
    seen: dict[Path, str] = {}
    checked: dict[str, Identity] = {}
    for kind, path in targets.items():
        if path.is_dir():
            raise fail(f"{path} is a folder: give a file name for --{kind}, or use --to FOLDER.")
        real = path.resolve()
        if real in seen:
            raise fail(f"--{seen[real]} and --{kind} name the same file {path}: give each its own.")
        seen[real] = kind
        try:
            checked[kind] = check_target(path, EXPORT_KINDS[kind], inputs)
        except TargetRefused as exc:
            raise refused(options[kind], exc) from None
    if to is not None and not to.exists():
        _make_folder(to)
    for kind, path in targets.items():
        problem = writable_dir_problem(path)
        if problem:
            raise fail(f"{options[kind]}: cannot write {path}: {problem}")
    return checked
