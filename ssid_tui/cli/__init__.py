"""The `ssid-tui` command line. Each command lives in a module of its own here."""

from __future__ import annotations

import sys

# Importing a command module registers its command on `app`, in the order help lists them:
# the workflow's order.
from ssid_tui.cli import (  # noqa: E402,F401
    demo,  # noqa: E402,F401
    export,  # noqa: E402,F401
    find,
    history,  # noqa: E402,F401
    import_selections,  # noqa: E402,F401
    match,
    ods,
    review,  # noqa: E402,F401
    status,  # noqa: E402,F401
    validate,  # noqa: E402,F401
)
from ssid_tui.cli.app import app, console_err
from ssid_tui.cli.help_text import reflow_commands

reflow_commands(app)


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
