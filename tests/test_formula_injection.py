"""Issue 8, point 11: no CSV the tool writes holds a cell a spreadsheet would run as a formula.

One writer (formats.spreadsheet) guards every cell of the results file, the SIS file, the
error list and the registry load notes; validation refuses such a Local Student ID; an
import reads back what export wrote; the SENR copy keeps the user's bytes.
"""

from __future__ import annotations

import csv
from pathlib import Path

import pytest
from typer.testing import CliRunner

import ssid_tui.cli  # noqa: F401  (registers the commands)
from ssid_tui.cli.app import app
from ssid_tui.exports.selections import import_selections
from ssid_tui.exports.writers import export
from ssid_tui.formats.spreadsheet import FORMULA_STARTS, spreadsheet_cell, unguard
from ssid_tui.workspace.decisions import choose
from ssid_tui.workspace.store import open_workspace
from tests.support.senr import caret, errors_on_line_3, fields, write
from tests.support.workspaces import build_workspace, candidate, senr_line, student

runner = CliRunner()

FORMULAS = ["=1+1", "+SUM(A1)", "-2+3", "@cmd", "\tTAB", "\rCR", "=HYPERLINK(\"http://evil\",\"x\")",
            "'=already quoted"]


def run(*args: object):
    return runner.invoke(app, [str(a) for a in args])


def cells(path: Path, delimiter: str = ",") -> list[list[str]]:
    with path.open(encoding="utf-8-sig", newline="") as fh:
        return list(csv.reader(fh, delimiter=delimiter))


def assert_spreadsheet_safe(rows: list[list[str]]) -> None:
    for row in rows:
        for c in row:
            assert not c.startswith(FORMULA_STARTS), (c, row)


@pytest.mark.parametrize("value", FORMULAS)
def test_a_guarded_cell_reads_back_to_its_value(value):
    cell = spreadsheet_cell(value)
    assert not cell.startswith(FORMULA_STARTS)
    if value[0] not in "\t\r":  # controls are shown by name (<TAB>), so they do not start the cell
        assert unguard(cell) == value
    assert spreadsheet_cell("O'BRIEN") == "O'BRIEN" and spreadsheet_cell("12") == "12"


def formula_workspace(tmp_path: Path):
    """A workspace (made before validation refused them) whose values start like formulas."""
    students = [
        student("=1+1", "+ANA", "-KIM", "20140507", birth_city="@city", candidates=[
            candidate("1234567890", 97, "=cmd|' /C calc'!A0", "+GARCIA", "20140507", middle="-x", lea="@1"),
            candidate("1234567891", 60, "ANA", "KIM", "20140507"),
        ]),
        student("-5", "LUZ", "PEREZ", "20130212", candidates=[candidate("2234567890", 91, "LUZ", "PEREZ", "20130212")]),
        student("@home", "EVA", "RUIZ", "20150101"),
    ]
    for s in students:
        s["raw"] = senr_line(s)
    return build_workspace(tmp_path / "w.sqlite", students)


@pytest.mark.parametrize("delimiter", ["comma", "caret"])
def test_results_sis_and_report_exports_are_spreadsheet_safe(tmp_path, delimiter):
    ws = formula_workspace(tmp_path)
    choose(ws, ws.student_by_local_id("=1+1").id, "1234567890")
    choose(ws, ws.student_by_local_id("-5").id, "2234567890")
    export(ws, {"results": tmp_path / "r.csv", "sis": tmp_path / "s.csv", "senr": tmp_path / "senr.txt"},
           delimiter=delimiter)
    ws.close()
    results = cells(tmp_path / "r.csv", "^" if delimiter == "caret" else ",")
    assert_spreadsheet_safe(results)
    assert "'=1+1" in [r[3] for r in results] and "'=cmd|' /C calc'!A0" in [c for r in results for c in r]
    sis = cells(tmp_path / "s.csv")
    assert_spreadsheet_safe(sis)
    assert ["'=1+1", "1234567890"] in sis and ["'-5", "2234567890"] in sis


def test_senr_copy_keeps_the_users_bytes(tmp_path):
    ws = formula_workspace(tmp_path)
    choose(ws, ws.student_by_local_id("-5").id, "2234567890")
    export(ws, {"senr": tmp_path / "senr.txt"})
    ws.close()
    text = (tmp_path / "senr.txt").read_text(encoding="utf-8")
    assert "^=1+1^+ANA^" in text and "^-5^LUZ" in text and "'" not in text  # not a spreadsheet file: unchanged


def test_import_reads_back_what_export_wrote(tmp_path):
    ws = formula_workspace(tmp_path)
    export(ws, {"results": tmp_path / "r.csv"})
    rows = cells(tmp_path / "r.csv")
    for r in rows[1:]:
        if r[3] in ("'=1+1", "'-5") and r[7] in ("1234567890", "2234567890"):
            r[2] = "X"
    with (tmp_path / "marked.csv").open("w", encoding="utf-8", newline="") as fh:
        csv.writer(fh).writerows(rows)
    result = import_selections(ws, tmp_path / "marked.csv")
    assert not result.plan.problems, result.plan.problems
    assert ws.student_by_local_id("=1+1").chosen_ssid == "1234567890"
    assert ws.student_by_local_id("-5").chosen_ssid == "2234567890"
    ws.close()


@pytest.mark.parametrize("local_id", ["=1+1", "+1", "-1", "@SUM(A1)", " =1"])
def test_validation_refuses_a_local_id_that_starts_like_a_formula(tmp_path, local_id):
    errors = errors_on_line_3(tmp_path, fields(local_id))
    assert [(e.code, e.field_number) for e in errors] == [("FRMT0004", "1.09")]
    assert "formula" in errors[0].fix


def test_error_list_is_spreadsheet_safe(tmp_path):
    path = write(tmp_path / "bad.txt", caret([fields("=1+1", birth_city="=HYPERLINK(1)", middle="-X@")]))
    result = run("validate", path)
    assert result.exit_code == 1
    rows = cells(tmp_path / "bad.txt.errors.csv")
    assert_spreadsheet_safe(rows)
    assert "'=HYPERLINK(1)" in [r[3] for r in rows] and "'=1+1" in [r[3] for r in rows]


def test_cli_export_to_folder_is_spreadsheet_safe(tmp_path):
    ws = formula_workspace(tmp_path)
    choose(ws, ws.student_by_local_id("=1+1").id, "1234567890")
    ws.close()
    (tmp_path / "out").mkdir()
    result = run("export", tmp_path / "w.sqlite", "--to", tmp_path / "out")
    assert result.exit_code == 0, result.output
    for p in (tmp_path / "out").glob("*.csv"):
        assert_spreadsheet_safe(cells(p))
    with open_workspace(tmp_path / "w.sqlite") as w2:
        assert w2.student_by_local_id("=1+1").chosen_ssid == "1234567890"


def test_report_table_cells_are_spreadsheet_safe(tmp_path):
    """Report tables get pasted into spreadsheets: a value starting like a formula gets its `'`."""
    ws = formula_workspace(tmp_path)
    choose(ws, ws.student_by_local_id("=1+1").id, "1234567890")
    export(ws, {"report": tmp_path / "report.md"})
    ws.close()
    rows = [line for line in (tmp_path / "report.md").read_text(encoding="utf-8").splitlines() if line.startswith("| ")]
    table_cells = [c.strip() for line in rows for c in line.strip("|").split(" | ")]
    assert table_cells and not any(c.startswith(FORMULA_STARTS) for c in table_cells)
