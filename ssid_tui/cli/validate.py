"""`ssid-tui validate FILE`: check an SENR file before matching."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from ssid_tui.cli.app import EXIT_INPUT_ERRORS, app, console, fail
from ssid_tui.cli.validation_report import error_csv_beside, print_report, validate_with_error_csv
from ssid_tui.files.safe import writable_dir_problem
from ssid_tui.files.targets import Kind, TargetRefused, check_target
from ssid_tui.formats.senr import SenrReadError, open_senr


@app.command()
def validate(
    senr_file: Annotated[Path, typer.Argument(help="The SENR file: ^-delimited without header, or CSV with a header row.", show_default=False)],
    errors: Annotated[
        Path | None,
        typer.Option("--errors", "-e", help="Where to write the CSV of every error \\[default: beside the input, FILE.errors.csv]."),
    ] = None,
    show: Annotated[int, typer.Option(help="How many errors to list on screen (all are in the CSV).", min=0)] = 25,
) -> None:
    """Check every matching field of an SENR file and report every error in one pass.

    Exit code 0: the file is clean and can be matched. 1: it has errors (listed on screen and
    written to a CSV). 2: the file cannot be read at all.

    Example: [bold]ssid-tui validate fixtures/senr_clean.txt[/]
    """
    try:
        layout = open_senr(senr_file)  # first: it names a folder, a missing file... in one sentence
        if errors is not None:  # asked for by name: refused before the file is read, not after
            _check_errors_target(errors, layout.path)
        target = errors or error_csv_beside(senr_file)
        report, csv_line = validate_with_error_csv(layout, target)
    except SenrReadError as exc:
        raise fail(str(exc)) from None
    print_report(console, report, show=show)
    if report.ok:
        if csv_line:  # an earlier run's error list beside it, removed or kept
            console.print(csv_line, soft_wrap=True)
        return
    console.print(csv_line, soft_wrap=True)
    raise typer.Exit(EXIT_INPUT_ERRORS)


def _check_errors_target(errors: Path, senr: Path) -> None:
    """Fail (exit 2) if the error list cannot or must not be written at --errors."""
    if errors.is_dir():
        raise fail(f"--errors: {errors} is a folder: give a file name, e.g. {errors / 'errors.csv'}.")
    problem = writable_dir_problem(errors)
    if problem:
        raise fail(f"--errors: {problem}")
    try:
        check_target(errors, Kind.ERROR_LIST, [senr])
    except TargetRefused as exc:
        raise fail(f"--errors: {exc}") from None
