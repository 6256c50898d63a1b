"""`ssid-tui history W`: who decided what, when, and what it replaced."""

from __future__ import annotations

import sqlite3
from pathlib import Path
from typing import Annotated

import typer
from rich import box
from rich.table import Table

from ssid_tui.cli.app import app, console, console_err, fail, open_workspace_or_fail
from ssid_tui.cli.output import cell, say, term
from ssid_tui.files.inputs import sqlite_cut_short
from ssid_tui.formats.safe_text import quoted
from ssid_tui.workspace import review_notes
from ssid_tui.workspace.decisions import Change, history
from ssid_tui.workspace.statuses import DecisionStatus
from ssid_tui.workspace.store_problems import damaged_message

STATUS_LABELS: dict[str, str] = {DecisionStatus.CHOSEN: "chosen", DecisionStatus.NONE: "none of these",
                 DecisionStatus.SKIPPED: "skipped", DecisionStatus.UNDECIDED: "cleared"}
SOURCE_LABELS = {"app": "app", "bulk": "bulk", "import": "import", "undo": "undo", "rematch": "re-match",
                 "bulk-none": "bulk none"}


def _when(iso: str) -> str:
    """'2026-11-28 15:32' from an ISO time (local time of the reviewer's machine)."""
    return iso.replace("T", " ")[:16]


def _replaced(status: str, ssid: str | None) -> str:
    """What a change replaced, in a few characters: the SSID if one was chosen, '-' if nothing."""
    if status == DecisionStatus.UNDECIDED:
        return "-"
    if status == DecisionStatus.CHOSEN and ssid:
        return ssid
    return STATUS_LABELS.get(status, status)


@app.command("history")
def history_command(
    workspace: Annotated[Path, typer.Argument(help="The workspace file `ssid-tui match` wrote.", show_default=False)],
    local_id: Annotated[str | None, typer.Option("--local-id", help="Only this student's decisions.", show_default=False)] = None,
    last: Annotated[int, typer.Option("--last", help="Show the most recent N changes (0 = all).", min=0)] = 500,
) -> None:
    """Show the decision history: when, who, which student, what, and what it replaced.

    The history is append-only: an undo is a change of its own ("undoes step N") and the step
    it took back is marked "undone".

    Examples: [bold]ssid-tui history fall.sqlite[/]   [bold]ssid-tui history fall.sqlite --local-id 40117[/]
    """
    if local_id is not None and not local_id.strip():  # "local ID  is not in this workspace" said nothing
        raise fail(f"--local-id needs a student's local ID: {quoted(local_id)} is {'empty' if not local_id else 'blank'}.")
    if sqlite_cut_short(workspace):
        say(console_err, "[yellow]Note:[/] this workspace is cut short (damaged); any decisions listed are the "
                         "ones it still holds. Keep the file, and restore it from a backup if you have one.")
    ws = open_workspace_or_fail(workspace, readonly=True, salvage=True)
    with ws:
        try:
            everything = history(ws)
            if local_id is not None and not everything_for(everything, local_id) and ws.student_by_local_id(local_id) is None:
                raise fail(f"local ID {local_id} is not in this workspace and has no history: check the ID.")
        except sqlite3.Error:
            raise fail(damaged_message(workspace)) from None
    undone_by = {c.undoes: c.batch for c in everything if c.undoes is not None}
    changes = everything_for(everything, local_id) if local_id is not None else [c for c in everything if c.student_id or c.local_id]
    if not changes:
        who = f" for local ID {term(local_id)}" if local_id is not None else ""
        console.print(f"No decisions recorded{who} yet.")
        return
    shown = changes[-last:] if last else changes
    table = Table(title=cell(f"Decision history{f' of {local_id}' if local_id else ''}"), title_justify="left",
                  box=box.SIMPLE_HEAD, show_edge=False, pad_edge=False, padding=(0, 0))
    table.add_column("Step", justify="right", no_wrap=True)
    table.add_column("When", min_width=10)
    table.add_column("Who", min_width=4, overflow="fold")
    table.add_column("Local ID", no_wrap=True)
    table.add_column("Decision", min_width=7)
    table.add_column("SSID", no_wrap=True)
    table.add_column("Replaced", min_width=10, overflow="fold")
    table.add_column("Source", min_width=6)
    table.add_column("Undo", min_width=8)
    notes: dict[int, str] = {}
    for c in shown:
        if c.undoes is not None:
            undo = f"undoes {c.undoes}"
        elif c.batch in undone_by:
            undo = f"[yellow]undone by {undone_by[c.batch]}[/]"
        else:
            undo = ""
        if c.status in review_notes.KINDS:  # a note or follow-up tag: its text in the Decision column
            table.add_row(str(c.batch), cell(_when(c.decided_at)), cell(c.decided_by), cell(c.local_id),
                          cell(c.note or c.status, 2000), "", "", cell(SOURCE_LABELS.get(c.source, c.source)), undo)
            continue
        if c.note:
            notes.setdefault(c.batch, c.note)
        table.add_row(str(c.batch), cell(_when(c.decided_at)), cell(c.decided_by), cell(c.local_id),
                      cell(STATUS_LABELS.get(c.status, c.status)), cell(c.ssid or ""),
                      cell(_replaced(c.prev_status, c.prev_ssid)), cell(SOURCE_LABELS.get(c.source, c.source)), undo)
    console.print(table)
    for batch, note in notes.items():
        say(console, f"[dim]Step {batch}:[/] {term(note, 2000)}")
    if len(shown) < len(changes):
        console.print(f"Showing the last {len(shown):,} of {len(changes):,} changes (--last 0 shows all).")


def everything_for(changes: list[Change], local_id: str) -> list[Change]:
    """The changes of one student."""
    return [c for c in changes if c.local_id == local_id]
