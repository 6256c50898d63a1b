"""`ssid-tui review WORKSPACE`: open the review app on a workspace."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated

import typer

from ssid_tui.cli.app import app, fail
from ssid_tui.workspace.store import WorkspaceError, open_workspace


@app.command()
def review(
    workspace: Annotated[Path, typer.Argument(help="The workspace file `ssid-tui match` wrote.", show_default=False)],
    read_only: Annotated[
        bool, typer.Option("--read-only", help="Look and export only; no decision can be made.")
    ] = False,
    ascii: Annotated[
        bool, typer.Option("--ascii", help="Draw with ASCII only (automatic when TERM is linux or vt100; "
                                            "SSID_TUI_ASCII=1 does the same).")
    ] = False,
) -> None:
    """Review the candidates of each student and choose their SSID, keyboard only.

    Every decision is saved the moment it is made; reopening resumes at the first
    undecided student. If another review of the same workspace is open, this one opens
    read-only. Press ? in the app for every key.

    Example: [bold]ssid-tui review district.sqlite[/]
    """
    if not (sys.stdin.isatty() and sys.stdout.isatty()):
        try:  # a wrong path is still the first thing to hear about
            open_workspace(workspace, readonly=True).close()
        except WorkspaceError as exc:
            raise fail(str(exc)) from None
        raise fail("ssid-tui review needs a terminal: its input or output is not one (a pipe, cron, or `ssh host "
                   "command` without -t); use `ssh -t host ssid-tui review ...`, or `ssid-tui status` and "
                   "`ssid-tui export` without one.")
    from ssid_tui.ui.app import ReviewApp  # Textual loads only for this command

    try:
        review_app = ReviewApp(workspace, readonly=read_only, ascii=True if ascii else None)
    except WorkspaceError as exc:
        raise fail(str(exc)) from None
    review_app.run(mouse=False)
    if review_app.return_code:
        raise typer.Exit(review_app.return_code)
