"""File names ssid-tui makes from a submitted file's name never carry that name's control bytes."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from typer.testing import CliRunner

import ssid_tui.cli  # noqa: F401  (registers the commands)
from ssid_tui.cli.app import app
from ssid_tui.formats.safe_text import file_name_part, is_unsafe

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures"
HOSTILE = "fall\x1b[2J\u202eterm\x07"  # clear screen, a right-to-left override, a bell


def run(*args: object):
    return CliRunner().invoke(app, [str(a) for a in args])


def harmless(name: str) -> bool:
    return not any(is_unsafe(ch) for ch in name)


@pytest.mark.parametrize(("name", "made"), [
    ("fall.txt", "fall.txt"),
    ("otoño 2026.txt", "otoño 2026.txt"),
    ("fall\x1b[2J.txt", "fall_[2J.txt"),
    ("a\u202eb\u00a0c", "a_b_c"),
])
def test_a_name_part_keeps_what_is_harmless_and_replaces_the_rest(name, made):
    assert file_name_part(name) == made


def test_match_and_export_name_their_files_without_the_upload_s_control_bytes(tmp_path):
    registry = tmp_path / "reg.sqlite"
    assert run("ods", "load", FIXTURES / "ods_sample.txt", "--into", registry).exit_code == 0
    senr = tmp_path / f"{HOSTILE}.txt"
    shutil.copy(FIXTURES / "senr_clean.txt", senr)

    result = run("match", senr, "--ods", registry)  # no --workspace: named after the upload
    assert result.exit_code == 0, result.output
    workspaces = [p for p in tmp_path.iterdir() if p.name.endswith(".workspace.sqlite")]
    assert [p.name for p in workspaces] == ["fall_[2J_term_.workspace.sqlite"]

    out = tmp_path / "out"
    result = run("export", workspaces[0], "--to", out)
    assert result.exit_code == 0, result.output
    made = sorted(p.name for p in out.iterdir())
    assert len(made) == 4 and all(harmless(n) and n.startswith("fall_[2J_term_") for n in made), made


def test_the_error_list_beside_a_bad_upload_is_named_without_its_control_bytes(tmp_path):
    senr = tmp_path / f"{HOSTILE}.txt"
    senr.write_text((FIXTURES / "senr_clean.txt").read_text(encoding="utf-8").replace("^M^", "^Q^", 1),
                    encoding="utf-8")
    result = run("validate", senr)
    assert result.exit_code == 1, result.output
    assert [p.name for p in tmp_path.iterdir() if p.name.endswith(".errors.csv")] == ["fall_[2J_term_.txt.errors.csv"]
