"""A refused target names the option its path came from (cold test: "r.txt is ..., not one ssid-tui
wrote" left the clerk to work out which of four paths was meant)."""

from __future__ import annotations

import shutil
from pathlib import Path

from ssid_tui.cli.demo import DEMO_FILES
from tests.support.cli import flat, run

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures"


def refusal(result) -> str:
    text = flat(result.output)
    assert result.exit_code == 2, text
    return text


def test_export_names_the_option_of_the_refused_file(small_ws_path: Path, tmp_path: Path) -> None:
    theirs = tmp_path / "theirs.csv"
    theirs.write_text("LocalID,SSID\n1001,1234567890\n", encoding="utf-8")
    senr = Path(shutil.copy(FIXTURES / "senr_clean.txt", tmp_path / "upload.txt"))
    text = refusal(run("export", small_ws_path, "--results", theirs))
    assert f"Error: --results: {theirs} is an SIS import file" in text and "ssid-tui does not replace it" in text
    text = refusal(run("export", small_ws_path, "--report", tmp_path / "r.md", "--senr", senr))
    assert f"Error: --senr: {senr} is an SENR enrollment file" in text


def test_export_to_a_folder_names_to(small_ws_path: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    assert run("export", small_ws_path, "--to", out).exit_code == 0
    changed = sorted(out.iterdir())[0]
    changed.write_bytes(changed.read_bytes() + b"a note typed in\n")
    text = refusal(run("export", small_ws_path, "--to", out))
    assert f"Error: --to: {changed}" in text and "not one ssid-tui wrote" in text
    # --to takes a folder: the way out offered is another folder, never a file name it cannot take
    assert "choose another --to folder, or move it away first." in text and "file name" not in text
    text = refusal(run("export", small_ws_path, "--results", changed))
    assert "choose another file name" in text  # a file option keeps its own advice


def test_ods_load_match_and_demo_name_theirs(tmp_path: Path) -> None:
    senr = Path(shutil.copy(FIXTURES / "senr_clean.txt", tmp_path / "upload.txt"))
    text = refusal(run("ods", "load", FIXTURES / "ods_sample.txt", "--into", senr))
    assert f"Error: --into: {senr} is an SENR enrollment file" in text
    registry = tmp_path / "reg.sqlite"
    assert run("ods", "load", FIXTURES / "ods_sample.txt", "--into", registry).exit_code == 0
    text = refusal(run("match", FIXTURES / "senr_clean.txt", "--ods", registry, "-w", senr, "--jobs", "1"))
    assert f"Error: --workspace: {senr} is an SENR enrollment file" in text
    demo = tmp_path / "demo"
    demo.mkdir()
    (demo / DEMO_FILES[1]).write_text("the clerk's own notes\n", encoding="utf-8")
    text = refusal(run("demo", "--dir", demo, "--no-review"))
    assert "Error: --dir: " in text, text
