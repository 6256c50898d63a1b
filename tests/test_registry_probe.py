"""A workspace given where a registry belongs is told apart without opening it as a registry:
nothing is left beside it (cold test: `status` and `--ods` left -wal and -shm beside a workspace)."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from ssid_tui.matching.registry import RegistryError, open_registry
from ssid_tui.workspace.store import open_workspace
from tests.support.cli import flat, run

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures"


def test_a_workspace_given_as_the_registry_is_refused_and_left_alone(small_ws_path: Path, tmp_path: Path) -> None:
    ws = Path(shutil.copy(small_ws_path, tmp_path / "copy.sqlite"))
    with open_workspace(ws):  # as the review app or a match leaves it: WAL mode
        pass
    before = sorted(p.name for p in tmp_path.iterdir())
    with pytest.raises(RegistryError) as err:
        open_registry(ws)
    assert "is a workspace, not a registry" in str(err.value)
    result = run("find", "--last", "X", "--first", "Y", "--birth-date", "20140101", "--ods", ws)
    assert result.exit_code == 2 and "not a registry" in flat(result.output)
    assert sorted(p.name for p in tmp_path.iterdir()) == before  # no -wal, no -shm made beside it
