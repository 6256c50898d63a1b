"""Expensive test inputs built once for the whole run, shared by the pytest-xdist workers.

A module-scoped fixture is built once per worker that runs any of the module's tests: with
`-n 2` a large module builds it twice, and two modules wanting the same generated registry build
it once each. `built_once` builds it once in the run's shared temporary folder, under a lock.
Only for inputs the tests read and never change.
"""

from __future__ import annotations

import fcntl
import os
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest


def built_once(factory: pytest.TempPathFactory, name: str, build: Callable[[Path], None]) -> Path:
    """The folder `name`, filled by `build(folder)` the first time any worker of this run asks for it."""
    root = factory.getbasetemp()
    if os.environ.get("PYTEST_XDIST_WORKER"):
        root = root.parent  # the run's folder, above each worker's own (popen-gw0, popen-gw1)
    folder = root / f"shared-{name}"
    with open(root / f"shared-{name}.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)  # the other worker waits for the build, then reads it
        if not (folder / ".built").exists():
            shutil.rmtree(folder, ignore_errors=True)  # a build that failed part way
            folder.mkdir()
            build(folder)
            (folder / ".built").touch()
    return folder
