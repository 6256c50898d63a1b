"""The Typer application object and the consoles the commands print to."""

from __future__ import annotations

import select
import sys
from pathlib import Path
from typing import TYPE_CHECKING

import typer
from rich.text import Text

from ssid_tui.cli import option_errors, plain_values
from ssid_tui.cli.help_text import SuggestingGroup
from ssid_tui.cli.output import CliConsole, cell, say

if TYPE_CHECKING:  # the workspace store is imported when a command opens one: `find` never does
    from ssid_tui.workspace.store import Workspace

app = typer.Typer(
    name="ssid-tui",
    help=(
        "Validate a CALPADS SENR file, match it against the statewide SSID registry, "
        "review the candidates in a terminal app and export the results.\n\n"
        "Exit codes: 0 success, 1 the input has errors (the report says which), "
        "2 the input or an option cannot be used at all."
    ),
    no_args_is_help=True,
    add_completion=False,
    # Pretty exceptions print local variables: they could show student records.
    pretty_exceptions_enable=False,
    rich_markup_mode="rich",
    context_settings={"help_option_names": ["-h", "--help"]},
    cls=SuggestingGroup,
)

option_errors.install()
plain_values.install()

# No highlighting and no :emoji: codes: data such as a name ":smile:" is printed as it is.
console = CliConsole(highlight=False, emoji=False)
console_err = CliConsole(stderr=True, highlight=False, emoji=False)

EXIT_INPUT_ERRORS = 1
EXIT_UNUSABLE = 2


def fail(message: str, code: int = EXIT_UNUSABLE) -> typer.Exit:
    """Print one clear sentence to stderr and return the Exit to raise.

    `message` is plain text (it often holds a path or a value): it is never read as markup.
    """
    say(console_err, Text.assemble(("Error:", "bold red"), " ", cell(message, 2000)))
    return typer.Exit(code)


def refused(option: str, exc: BaseException) -> typer.Exit:
    """`fail` for an error, naming `option` first when the error is a target refused (the file at the
    path `option` gave must not be replaced: "--results: r.txt is ..., not one ssid-tui wrote ...").

    `--to` names a folder, not a file: its refusal advises another folder, not another file name.
    """
    from ssid_tui.files.targets import TargetRefused

    target = exc if isinstance(exc, TargetRefused) else exc.__cause__
    if isinstance(target, TargetRefused):
        return fail(f"{option}: {target.advising('another --to folder') if option == '--to' else exc}")
    return fail(str(exc))


def confirm_or_stop(question: str, *, declined: str, interrupted: str) -> None:
    """Ask `question` (yes/no, default no) on stderr; return on yes, else end the command in one sentence.

    Ctrl-C says `interrupted` and exits 130 as every other interrupted command does (Typer's own
    confirm printed "Aborted." and exited 1), and "no" (or Ctrl-D) says `declined` and exits 0: a
    "no" is an answer, not an error in the input, and nothing was changed. Every interactive
    question of the CLI goes through here.
    """
    from ssid_tui.cli.interrupts import EXIT_INTERRUPTED

    try:
        answer = _asked(question)
    except KeyboardInterrupt:
        console_err.print()  # the answer's line was never ended: the sentence starts on its own
        say(console_err, cell(interrupted, 2000))
        raise typer.Exit(EXIT_INTERRUPTED) from None
    if answer:
        return
    if answer is None:
        console_err.print()  # Ctrl-D: no answer, taken as "no"
    say(console_err, cell(declined, 2000))
    raise typer.Exit(0)  # declined: nothing was done, as asked (README, "Exit codes")


def _asked(question: str) -> bool | None:
    """True for y / yes, False for n / no / Enter, None at the end of the input (Ctrl-D); asked again after
    anything else."""
    while True:
        sys.stderr.write(f"{question} [y/N]: ")
        sys.stderr.flush()
        line = _typed_line()
        if line is None:
            return None
        answer = line.strip().lower()
        if answer in ("y", "yes"):
            return True
        if answer in ("", "n", "no"):
            return False
        sys.stderr.write("Please answer y or n.\n")


def _typed_line() -> str | None:
    """The next line typed, or None at the end of the input.

    The wait wakes every 0.2 s: a Ctrl-C that came just before a blocking read began (the question
    had just been printed) would only have been acted on after the next Enter, while waiting here
    Python raises it at the next wake.
    """
    try:
        fd = sys.stdin.fileno()
    except (AttributeError, OSError, ValueError):  # not a file (a test's input): nothing to wait for
        fd = -1
    while fd >= 0 and not select.select([fd], [], [], 0.2)[0]:
        pass
    line = sys.stdin.readline()
    return line or None


def open_workspace_or_fail(path: Path, *, readonly: bool = True, salvage: bool = False) -> Workspace:
    """Open a workspace for a command, or end it with the one-sentence reason (`salvage`: see open_workspace)."""
    from ssid_tui.workspace.store import WorkspaceError, open_workspace

    try:
        return open_workspace(path, readonly=readonly, salvage=salvage)
    except WorkspaceError as exc:
        raise fail(str(exc)) from None


def _version(value: bool) -> None:
    if value:
        from ssid_tui import __version__

        console.print(f"ssid-tui {__version__}")
        raise typer.Exit()


@app.callback()
def _root(
    version: bool = typer.Option(False, "--version", callback=_version, is_eager=True, help="Show the version and exit."),
) -> None:
    """Validate, match, review and export CALPADS SSID matching files."""
