"""Fixtures shared by the test modules: small workspaces built by hand (no matcher run).

The builders they use are plain functions in `tests/support/`.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from ssid_tui.workspace.store import Workspace
from tests.support.workspaces import build_workspace, small_students


@pytest.fixture(autouse=True)
def _own_state_folder(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> None:
    """Each test keeps its record of written exports (files/written.py) out of the user's home."""
    monkeypatch.setenv("XDG_STATE_HOME", str(tmp_path_factory.mktemp("state")))


@pytest.fixture
def ws(tmp_path: Path) -> Iterator[Workspace]:
    """An open workspace at tmp_path/w.sqlite holding `small_students()`, nothing decided; closed afterwards."""
    ws = build_workspace(tmp_path / "w.sqlite", small_students())
    yield ws
    ws.close()


@pytest.fixture
def small_ws_path(tmp_path: Path) -> Path:
    """The path of a closed workspace (tmp_path/w.sqlite) holding `small_students()`, nothing decided."""
    build_workspace(tmp_path / "w.sqlite", small_students()).close()
    return tmp_path / "w.sqlite"
