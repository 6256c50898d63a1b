"""A generated registry, loaded, and an upload drawn from it: for tests that run whole matches."""

from __future__ import annotations

from pathlib import Path

import pytest

from ssid_tui.matching.registry import load_extract
from ssid_tui.synthetic.generator import REGISTRY_NAME, SENR_NAME, TRUTH_NAME, SyntheticFiles, generate
from tests.support.shared import built_once


def loaded_upload(folder: Path, registry_size: int, upload_size: int, seed: int) -> dict[str, Path]:
    """The upload (`senr`) and the loaded registry (`registry`) of a generated set in `folder`."""
    files = generate(folder, registry_size=registry_size, upload_size=upload_size, seed=seed)
    load_extract(files.registry, folder / "reg.sqlite")
    return {"senr": files.senr, "registry": folder / "reg.sqlite"}


def shared_generated(factory: pytest.TempPathFactory, registry_size: int, upload_size: int,
                     seed: int) -> tuple[Path, SyntheticFiles]:
    """`generate` and `load_extract` once per test run, whichever modules and workers ask: the folder
    (its registry is `reg.sqlite`) and the generated files. Read them, never change them."""
    def build(folder: Path) -> None:
        loaded_upload(folder, registry_size, upload_size, seed)

    folder = built_once(factory, f"generated-r{registry_size}-u{upload_size}-s{seed}", build)
    return folder, SyntheticFiles(folder / REGISTRY_NAME, folder / SENR_NAME, folder / TRUTH_NAME)


def shared_upload(factory: pytest.TempPathFactory, registry_size: int, upload_size: int, seed: int) -> dict[str, Path]:
    """`loaded_upload`'s upload and registry, made once per test run (`shared_generated`): read only."""
    folder, files = shared_generated(factory, registry_size, upload_size, seed)
    return {"senr": files.senr, "registry": folder / "reg.sqlite"}
