"""A listing ssid-tui writes beside an input (a load's notes, validate's error list) that a clerk has
edited is their work: the next run neither replaces nor deletes it (cold test: an edited notes file
was replaced silently, and a foreign one was refused with advice the clerk could not follow)."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from ssid_tui.matching.registry import RegistryError, load_extract
from tests.support.cli import flat, run
from tests.support.extracts import LINES, ods_line

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures"
ODD = [*LINES, ods_line("1000000009", "", "PEREZ", "20140101")]  # a blank legal first name: one note


def write(path: Path, lines: list[str]) -> Path:
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def test_a_load_replaces_its_own_notes_but_not_edited_ones(tmp_path: Path) -> None:
    reg = tmp_path / "reg.sqlite"
    summary = load_extract(write(tmp_path / "ods.txt", ODD), reg)
    notes = summary.notes_path
    assert notes is not None and notes.exists()
    load_extract(tmp_path / "ods.txt", reg)  # unchanged since the last load wrote it: replaced
    notes.write_text(notes.read_text(encoding="utf-8") + "5,1000000009,Legal First Name,called the school,\n",
                     encoding="utf-8")
    edited = notes.read_bytes()
    with pytest.raises(RegistryError) as err:
        load_extract(tmp_path / "ods.txt", reg)
    assert "not one ssid-tui wrote and left unchanged" in str(err.value)
    assert "an earlier version wrote" in str(err.value)  # an upgrader's old list is refused once: says why
    assert "choose another --into name" in str(err.value) and "file name" not in str(err.value)
    assert notes.read_bytes() == edited
    # nor is it deleted by a clean load, which has no notes to list
    with pytest.raises(RegistryError):
        load_extract(write(tmp_path / "clean.txt", LINES), reg)
    assert notes.read_bytes() == edited


def test_the_cli_names_into_for_a_notes_file_in_the_way(tmp_path: Path) -> None:
    reg = tmp_path / "reg.sqlite"
    (tmp_path / "reg.sqlite.load-notes.csv").write_text("my own list\n", encoding="utf-8")
    result = run("ods", "load", write(tmp_path / "ods.txt", ODD), "--into", reg)
    text = flat(result.output)
    assert result.exit_code == 2, text
    assert "reg.sqlite.load-notes.csv" in text.replace(" ", "") and "another --into name" in text
    assert (tmp_path / "reg.sqlite.load-notes.csv").read_text(encoding="utf-8") == "my own list\n"
    assert not reg.exists()


def test_validate_keeps_an_edited_error_list(tmp_path: Path) -> None:
    senr = Path(shutil.copy(FIXTURES / "senr_errors.txt", tmp_path / "upload.txt"))
    errors = tmp_path / "errors.csv"
    first = run("validate", senr, "--errors", errors)
    assert first.exit_code == 1 and errors.exists(), flat(first.output)
    assert run("validate", senr, "--errors", errors).exit_code == 1  # its own list: replaced
    errors.write_text(errors.read_text(encoding="utf-8") + "my note\n", encoding="utf-8")
    edited = errors.read_bytes()
    again = run("validate", senr, "--errors", errors)
    assert again.exit_code == 2 and "--errors:" in flat(again.output)
    assert errors.read_bytes() == edited


def test_a_clean_file_removes_the_error_list_an_earlier_run_left_unless_it_was_edited(tmp_path: Path) -> None:
    # cold test: a fixed upload validated clean, and the old list of its errors stayed beside it unmentioned
    senr = Path(shutil.copy(FIXTURES / "senr_errors.txt", tmp_path / "upload.txt"))
    errors = tmp_path / "upload.txt.errors.csv"
    assert run("validate", senr).exit_code == 1 and errors.exists()
    shutil.copy(FIXTURES / "senr_clean.txt", senr)  # the clerk fixed the file
    result = run("validate", senr)
    assert result.exit_code == 0 and not errors.exists()
    assert "Removed the error list an earlier run left" in flat(result.output)
    shutil.copy(FIXTURES / "senr_errors.txt", senr)
    assert run("validate", senr).exit_code == 1
    errors.write_text(errors.read_text(encoding="utf-8") + "fixed in the SIS\n", encoding="utf-8")
    shutil.copy(FIXTURES / "senr_clean.txt", senr)
    result = run("validate", senr)
    assert result.exit_code == 0 and errors.read_text(encoding="utf-8").endswith("fixed in the SIS\n")
    assert "Kept the error list an earlier run left" in flat(result.output)
