"""`ssid-tui ods load EXTRACT --into REGISTRY`: load the statewide registry extract."""

from __future__ import annotations

import dataclasses
from pathlib import Path
from typing import Annotated

import typer

from ssid_tui.cli.app import EXIT_INPUT_ERRORS, app, console, console_err, refused
from ssid_tui.cli.help_text import SuggestingGroup
from ssid_tui.cli.interrupts import EXIT_INTERRUPTED, stop_on_sigterm
from ssid_tui.cli.output import say, term
from ssid_tui.cli.progress import progress_bar
from ssid_tui.formats.ods import ODS_FIELD_COUNT
from ssid_tui.matching.registry import LoadSummary, RegistryError, load_extract
from ssid_tui.wording import plural

ods_app = typer.Typer(help="The statewide registry (ODS extract) that uploads are matched against.",
                      no_args_is_help=True, cls=SuggestingGroup)
app.add_typer(ods_app, name="ods")


@ods_app.command("load")
def load(
    extract: Annotated[Path, typer.Argument(help="The ODS extract: ^-delimited, 19 fields, one line per name record.", show_default=False)],
    into: Annotated[Path, typer.Option("--into", help="The registry file to build (replaced only if the load succeeds).", show_default=False)],
) -> None:
    """Load an ODS extract into a registry file, all or nothing.

    A malformed line (wrong field count, SSID not 10 digits, unreadable birth date) fails the
    load and is named; the registry already at --into stays usable. Gaps and oddities in the
    data (a blank legal name, control characters, over-long values) are loaded as they are,
    counted, and listed in REGISTRY.load-notes.csv beside the registry.

    Example: [bold]ssid-tui ods load ods_extract.txt --into registry.sqlite[/]
    """
    existed = into.exists()
    summary: LoadSummary | None = None
    try:
        with stop_on_sigterm(), progress_bar(console_err, "Loading registry", unit_bytes=True) as update:
            summary = load_extract(extract, into, progress=update)
    except KeyboardInterrupt:
        if summary is None:
            console_err.print("Interrupted: nothing was loaded and the registry in use (if any) is as it was.")
            raise typer.Exit(EXIT_INTERRUPTED) from None
        summary = dataclasses.replace(summary, interrupted_at_end=True)  # as the bar closed: the load had finished
    except RegistryError as exc:
        if exc.line_errors:
            kept = f"{term(into)} is as it was" if existed else "no registry was made"
            say(console_err, f"[bold red]Load failed:[/] {plural(exc.total_errors, 'malformed line')}; nothing was "
                             f"loaded and {kept}. Ask for the ODS extract again (it may have been cut short or "
                             f"saved in another format): each line must hold {ODS_FIELD_COUNT} fields separated by ^, in UTF-8 "
                             "or Windows-1252.")
            for e in sorted(exc.line_errors, key=lambda e: e.line_no):
                console_err.print(f"  line {e.line_no}: {term(e.problem, 2000)}")
            if exc.total_errors > len(exc.line_errors):
                console_err.print(f"  ... and {exc.total_errors - len(exc.line_errors):,} more")
            raise typer.Exit(EXIT_INPUT_ERRORS) from None
        raise refused("--into", exc) from None
    console.print(
        f"[green]Loaded[/] {summary.ssids:,} students ({summary.name_records:,} name records from "
        f"{summary.lines:,} lines) into [bold]{term(summary.path)}[/] in {summary.seconds:.1f} s."
    )
    if summary.windows_1252_lines:
        say(console,
            f"[yellow]Read as Windows-1252:[/] {plural(summary.windows_1252_lines, 'line')} of the extract "
            f"{'was' if summary.windows_1252_lines == 1 else 'were'} not UTF-8 (as a spreadsheet saves \"CSV (Windows)\"); "
            "check a few accented names with `ssid-tui find` if the extract was meant to be UTF-8.")
    if summary.notes:
        kinds = ", ".join(f"{kind} {n:,}" for kind, n in summary.notes.most_common())
        say(console,
            f"[yellow]Loaded as they are:[/] {summary.noted_lines:,} data gap{'s' if summary.noted_lines != 1 else ''} "
            f"or odd value{'s' if summary.noted_lines != 1 else ''} in the extract ({kinds}); each is listed in "
            f"[bold]{term(summary.notes_path)}[/].")
    if summary.interrupted_at_end:
        say(console_err, "The stop (Ctrl-C or SIGTERM) came as the new registry went into place: too late to "
                         "stop, the load had finished and the registry above is the new one.")
