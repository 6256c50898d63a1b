"""The `ssid-tui` program's entry point: a Ctrl-C while it is still starting up ends it quietly.

Importing the command line takes a few tenths of a second; a Ctrl-C in that time used to
print the interrupted import's traceback and end with the signal's status instead of the
one-line "Interrupted." the commands give once they run.
"""

from __future__ import annotations

import sys

EXIT_INTERRUPTED = 130  # cli/interrupts.py's, not imported from there: that would import the command line


def main() -> None:
    """Import the command line, then run it (its own `main` handles Ctrl-C from then on)."""
    try:
        from ssid_tui.cli import main as run_cli
    except KeyboardInterrupt:
        sys.stderr.write("Interrupted.\n")
        sys.exit(EXIT_INTERRUPTED)
    run_cli()
