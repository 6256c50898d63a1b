"""The `ssid-tui` command line. Each command lives in a module of its own here."""

from __future__ import annotations

import importlib
import os
import sys

from ssid_tui.cli.app import app, console_err
from ssid_tui.cli.help_text import reflow_commands

#: Command -> the module that registers it on `app` when imported, in the order help lists them.
COMMAND_MODULES = {
    "demo": "demo", "export": "export", "find": "find", "history": "history",
    "import-selections": "import_selections", "match": "match", "ods": "ods", "review": "review",
    "status": "status", "validate": "validate",
}


def load_commands(names: list[str] | None = None) -> None:
    """Register the commands `names` (all by default): importing a command's module registers it."""
    for name in COMMAND_MODULES if names is None else names:
        importlib.import_module(f"ssid_tui.cli.{COMMAND_MODULES[name]}")
    reflow_commands(app)


def requested_command(argv: list[str]) -> str | None:
    """The command an `ssid-tui` process was started for, if argv names one (`ssid-tui find ...`).

    Such a process imports only that command's module: `find` at the front desk starts in
    a fraction of the time the matching, export and demo modules would add. Anything else
    (no command, a typo, `--help`, a test importing this package) registers every command;
    `--version` registers none ("").
    """
    if len(argv) < 2 or os.path.basename(argv[0]) != "ssid-tui":
        return None
    if argv[1:] == ["--version"]:
        return ""
    return argv[1] if argv[1] in COMMAND_MODULES else None


_only = requested_command(sys.argv)
load_commands(None if _only is None else [_only] if _only else [])


def main() -> None:
    """Console entry point: run the CLI and never show a traceback (it could hold student data)."""
    try:
        app(standalone_mode=True)
    except SystemExit:
        raise
    except KeyboardInterrupt:
        console_err.print("Interrupted.")
        sys.exit(130)
    except Exception as exc:  # pragma: no cover - last resort
        console_err.print(
            f"ssid-tui stopped on an internal error ({type(exc).__name__}). Nothing was lost: "
            "files are written atomically and decisions are stored as they are made. "
            "Please report the command you ran (no student data is shown here)."
        )
        sys.exit(70)
