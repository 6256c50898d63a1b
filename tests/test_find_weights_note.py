"""`find` scores with the prior weights, a workspace with the weights its `match` run learned: find says so,
once, under the candidates (and not when there are none)."""

from __future__ import annotations

from pathlib import Path

from ssid_tui.cli.find import WEIGHTS_NOTE
from ssid_tui.matching.registry import load_extract
from tests.support.cli import flat, run
from tests.support.extracts import ods_line


def registry(tmp_path: Path) -> Path:
    extract = tmp_path / "ods.txt"
    extract.write_text(ods_line("1000000001", "Darío", "Vásquez-Jiménez", "20080509", "M") + "\n", encoding="utf-8")
    load_extract(extract, tmp_path / "reg.sqlite")
    return tmp_path / "reg.sqlite"


def test_find_says_once_under_the_candidates_that_a_workspace_may_score_differently(tmp_path: Path) -> None:
    reg = registry(tmp_path)
    found = run("find", "--last", "vasquez jimenez", "--first", "dario", "--birth-date", "20080509", "--ods", reg)
    assert found.exit_code == 0, found.output
    text = flat(found.output)
    assert "1 candidate" in text and text.count(WEIGHTS_NOTE) == 1
    assert text.rstrip().endswith(WEIGHTS_NOTE)  # under the candidates
    none = run("find", "--last", "Zyx", "--first", "Qwv", "--birth-date", "19990101", "--ods", reg)
    assert none.exit_code == 0, none.output
    assert "0 candidates" in flat(none.output) and "weights" not in none.output


def test_the_note_is_in_readmes_find_section() -> None:
    readme = (Path(__file__).resolve().parent.parent / "README.md").read_text(encoding="utf-8")
    assert "`find` scores with the default (prior) weights" in " ".join(readme.split())
