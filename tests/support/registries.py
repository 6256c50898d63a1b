"""The sample registry (fixtures/ods_sample.txt, loaded) for tests that only need one to match against."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from tests.support.cli import flat, run
from tests.support.shared import built_once

SAMPLE_EXTRACT = Path(__file__).resolve().parents[2] / "fixtures" / "ods_sample.txt"


def _load_sample(folder: Path) -> None:
    result = run("ods", "load", SAMPLE_EXTRACT, "--into", folder / "reg.sqlite")
    assert result.exit_code == 0, result.output
    assert "Loaded 1,539 students" in flat(result.output)


def sample_registry(factory: pytest.TempPathFactory, dest: Path) -> Path:
    """`ssid-tui ods load fixtures/ods_sample.txt --into DEST`, the load done once per test run and
    its files (the registry and any load notes beside it) copied to `dest`, mode and times kept."""
    folder = built_once(factory, "ods-sample-registry", _load_sample)
    for made in sorted(folder.glob("reg.sqlite*")):
        shutil.copy2(made, dest.with_name(dest.name + made.name.removeprefix("reg.sqlite")))
    return dest
