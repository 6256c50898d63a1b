"""Creating a file only its owner can read: the one opener for every file with student data or
records of them (workspace, registry, exports, the record of written exports).

Its own module, below `safe` (which imports `targets` and `written`), so that `written`, which
`safe` and `targets` import, can use it too without an import cycle.
"""

from __future__ import annotations

import os
from pathlib import Path

OWNER_ONLY = 0o600


def create_owner_only(path: Path) -> None:
    """Create `path` empty with mode 0600 if it does not exist (before SQLite opens it); an existing
    file is made owner-only too."""
    fd = os.open(path, os.O_CREAT | os.O_WRONLY, OWNER_ONLY)
    os.close(fd)
    os.chmod(path, OWNER_ONLY)
