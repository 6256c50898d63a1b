"""Input files named on the command line: the checks every reader makes before opening one."""

from __future__ import annotations

import os
from pathlib import Path


def require_input_file(
    path: str | os.PathLike[str], error: type[Exception], *, what: str, missing: str,
) -> Path:
    """`path` as a Path when it names an existing file; otherwise raise `error` with one sentence.

    `what` names the file the user meant ("the SENR file"); `missing` tells what to do when
    the path does not exist ("check the path and try again.").
    """
    p = Path(path)
    if not p.exists():
        raise error(f"{p} does not exist: {missing}")
    if p.is_dir():
        raise error(f"{p} is a folder, not {what}: give the path of {what} inside it.")
    return p
