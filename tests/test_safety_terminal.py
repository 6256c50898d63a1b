"""Issue 8, point 16: no terminal, no hang; `export --to` makes its folder."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

from typer.testing import CliRunner

import ssid_tui.cli  # noqa: F401  (registers the commands)
from ssid_tui.cli.app import app
from tests.support.workspaces import build_workspace, small_students

ROOT = Path(__file__).resolve().parent.parent


def test_review_without_a_terminal_says_so_and_exits_2_at_once(small_ws_path):
    started = time.monotonic()
    proc = subprocess.run([sys.executable, "-c", "from ssid_tui.cli import main; main()", "review", str(small_ws_path)],
                          stdin=subprocess.DEVNULL, capture_output=True, cwd=ROOT, timeout=60,
                          env={**os.environ, "PYTHONPATH": str(ROOT), "COLUMNS": "200"})
    assert proc.returncode == 2
    err = " ".join(proc.stderr.decode().split())
    assert "needs a terminal" in err and "ssh -t" in err
    assert b"\x1b[" not in proc.stdout and b"\x1b[?1049h" not in proc.stderr  # no escape codes sprayed
    assert time.monotonic() - started < 30
    assert not Path(f"{small_ws_path}.lock").exists() or Path(f"{small_ws_path}.lock").stat().st_size == 0


def test_review_of_a_wrong_path_without_a_terminal_names_the_path(tmp_path):
    result = CliRunner().invoke(app, ["review", str(tmp_path / "nope.sqlite")])
    assert result.exit_code == 2 and "does not exist" in result.output


def test_export_to_a_missing_folder_creates_it_and_says_so(tmp_path):
    build_workspace(tmp_path / "w.sqlite", small_students()).close()
    out = tmp_path / "new" / "exports"
    result = CliRunner().invoke(app, ["export", str(tmp_path / "w.sqlite"), "--to", str(out)],
                                env={"COLUMNS": "200"})
    assert result.exit_code == 0, result.output
    assert f"Created the folder {out}" in " ".join(result.output.split())
    assert out.is_dir() and (out.stat().st_mode & 0o077) == 0
    assert len(list(out.iterdir())) == 4


def test_the_created_folder_is_named_whole_and_as_typed_even_with_markup_and_a_long_path(tmp_path):
    build_workspace(tmp_path / "w.sqlite", small_students()).close()
    out = tmp_path / ("x" * 90) / "[red]exports"
    result = CliRunner().invoke(app, ["export", str(tmp_path / "w.sqlite"), "--to", str(out)])
    assert result.exit_code == 0, result.output
    assert f"Created the folder {out}." in result.output
    assert out.is_dir()
