"""A generated registry, loaded, and an upload drawn from it: for tests that run whole matches."""

from __future__ import annotations

from pathlib import Path

from ssid_tui.matching.registry import load_extract
from ssid_tui.synthetic.generator import generate


def loaded_upload(folder: Path, registry_size: int, upload_size: int, seed: int) -> dict[str, Path]:
    """The upload (`senr`) and the loaded registry (`registry`) of a generated set in `folder`."""
    files = generate(folder, registry_size=registry_size, upload_size=upload_size, seed=seed)
    load_extract(files.registry, folder / "reg.sqlite")
    return {"senr": files.senr, "registry": folder / "reg.sqlite"}
