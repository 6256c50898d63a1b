"""Which terminals get ASCII symbols only (the Linux text console, vt100 and friends).

Kept free of Textual so that the CLI's tables and progress bars can ask too.
"""

from __future__ import annotations

import os
from collections.abc import Mapping

#: TERM values of consoles that cannot draw box or block characters.
PLAIN_TERMS = ("linux", "vt100", "vt102", "vt220", "vt52", "dumb", "ansi", "cons25", "pcansi")
#: Set to 1 to force ASCII (0 to force the normal symbols), whatever TERM says.
ENV = "SSID_TUI_ASCII"


def plain_console(env: Mapping[str, str] | None = None) -> bool:
    """True when the terminal should get ASCII symbols only."""
    env = os.environ if env is None else env
    forced = env.get(ENV, "").strip().lower()
    if forced in ("1", "yes", "true", "on"):
        return True
    if forced in ("0", "no", "false", "off"):
        return False
    term = env.get("TERM", "").lower()
    return term.split("-")[0] in PLAIN_TERMS
