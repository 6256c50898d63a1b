"""Running `ssid-tui` commands in tests, and reading what they printed."""

from __future__ import annotations

import io

from rich.console import Console
from typer.testing import CliRunner

import ssid_tui.cli  # noqa: F401  (registers the commands)
from ssid_tui.cli.app import app

runner = CliRunner()


def run(*args: object, columns: int = 200):
    """Run `ssid-tui ARGS` in a terminal `columns` wide, without colour."""
    return runner.invoke(app, [str(a) for a in args], env={"COLUMNS": str(columns), "NO_COLOR": "1"})


def flat(text: str) -> str:
    """The output with line breaks and runs of spaces made single spaces (Rich wraps long lines)."""
    return " ".join(text.split())


def terminal_console(width: int) -> tuple[Console, io.StringIO]:
    """A console that believes it draws on a terminal `width` columns wide, and what it drew."""
    out = io.StringIO()
    return Console(file=out, force_terminal=True, width=width, color_system=None), out
