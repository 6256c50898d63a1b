"""Who is at the keyboard: the login name recorded with decisions and in lock files."""

from __future__ import annotations

import getpass
import os


def login_name() -> str:
    """The login name: LOGNAME/USER if set, else the password database (cron and SSH often set neither)."""
    try:
        return getpass.getuser()
    except (KeyError, OSError):
        return os.environ.get("USER") or f"uid{os.getuid()}"
