"""`status` says when the registry a workspace was matched against has been loaded again from a
different extract since (cold test: nothing said so), and the same extract loaded again is the
same registry to a run (it used to count as another, so an interrupted run's work was dropped)."""

from __future__ import annotations

import shutil
from pathlib import Path

from ssid_tui.matching.registry import load_extract, open_registry
from tests.support.cli import flat, run

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures"


def test_status_says_the_registry_was_loaded_again_from_another_extract(tmp_path: Path) -> None:
    extract = Path(shutil.copy(FIXTURES / "ods_sample.txt", tmp_path / "ods.txt"))
    reg, ws = tmp_path / "reg.sqlite", tmp_path / "w.sqlite"
    load_extract(extract, reg)
    with open_registry(reg) as r:
        before = r.fingerprint
    assert run("match", FIXTURES / "senr_clean.txt", "--ods", reg, "-w", ws).exit_code == 0
    assert "different extract" not in flat(run("status", ws).output)

    load_extract(extract, reg)  # the same extract again: the same registry, whenever it is loaded
    with open_registry(reg) as r:
        assert r.fingerprint == before
    assert "different extract" not in flat(run("status", ws).output)

    first = extract.read_bytes().splitlines(keepends=True)[0]
    assert first.endswith(b"\n") and extract.read_bytes().endswith(b"\n")
    extract.write_bytes(extract.read_bytes() + b"9999999999" + first[10:])  # one more SSID
    load_extract(extract, reg)
    text = flat(run("status", ws).output)
    assert "loaded again since, from a different extract" in text and "match again" in text

    reg.unlink()
    assert "no longer there" in flat(run("status", ws).output)
