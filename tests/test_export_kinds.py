"""An export replaces an earlier export of its own kind only (cold test: `--results` given the name
of the SIS file an earlier export wrote replaced it silently)."""

from __future__ import annotations

from pathlib import Path

from tests.support.cli import flat, run


def test_a_results_export_does_not_replace_our_sis_file(small_ws_path: Path, tmp_path: Path) -> None:
    sis = tmp_path / "sis.csv"
    assert run("export", small_ws_path, "--sis", sis).exit_code == 0
    before = sis.read_bytes()
    result = run("export", small_ws_path, "--results", sis)
    text = flat(result.output)
    assert result.exit_code == 2 and "--results:" in text and "SIS import file" in text, text
    assert sis.read_bytes() == before
    assert run("export", small_ws_path, "--sis", sis).exit_code == 0  # its own kind: replaced
    results = tmp_path / "results.csv"
    assert run("export", small_ws_path, "--results", results).exit_code == 0
    assert run("export", small_ws_path, "--results", results).exit_code == 0
