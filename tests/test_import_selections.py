"""Importing a results file marked in a spreadsheet: the Excel round trip, every kind of
row it cannot take (with line numbers), and the `import-selections` command."""

from __future__ import annotations

import csv
import io
import re
from pathlib import Path

import pytest
from typer.testing import CliRunner

import ssid_tui.cli  # noqa: F401  (registers the commands)
from ssid_tui.cli.app import app
from ssid_tui.exports import writers as ex
from ssid_tui.exports.selections import (
    SelectionsError,
    import_selections,
    mark_state,
    read_marked_file,
)
from ssid_tui.files.lock import acquire
from ssid_tui.workspace.decisions import choose, history
from ssid_tui.workspace.store import Workspace
from tests.support.cli import flat
from tests.support.workspaces import build_workspace, candidate, sid, small_students, student

runner = CliRunner()


def decisions(ws: Workspace) -> dict[str, tuple[str, str | None]]:
    return {s.local_id: (s.status, s.chosen_ssid) for s in ws.all_students()}


def selected(path: Path) -> set[tuple[str, str]]:
    with open(path, newline="", encoding="utf-8") as fh:
        rows = list(csv.reader(fh))
    return {(r[3], r[7]) for r in rows[1:] if r[2] == "X"}


def excel_save(rows: list[list[str]], path: Path, *, encoding: str = "utf-8-sig", delimiter: str = ",",
               quoting: int = csv.QUOTE_ALL) -> None:
    """Write rows as Excel does: byte-order mark, CRLF, quoted cells."""
    buf = io.StringIO(newline="")
    csv.writer(buf, delimiter=delimiter, quoting=quoting, lineterminator="\r\n").writerows(rows)
    path.write_bytes(buf.getvalue().encode(encoding))


MARKS = {("1001", "1234567890"), ("1002", "2234567891"), ("1006", "4234567890")}


def test_spreadsheet_round_trip(tmp_path):
    ws = build_workspace(tmp_path / "w.sqlite", small_students())
    first = tmp_path / "results.csv"
    ex.write_results(ws, first)
    with open(first, newline="", encoding="utf-8") as fh:
        rows = list(csv.reader(fh))
    header, data = rows[0], rows[1:]
    # What the reviewer does in Excel: lower-case x on three rows, deletes 1005's row,
    # moves the trailing columns around, leaves blank rows; Excel saves BOM, CRLF, quotes.
    marked = []
    for r in data:
        if r[3] == "1005":
            continue
        r = list(r)
        if (r[3], r[7]) in MARKS:
            r[2] = "x"
        marked.append(r)
    order = list(range(13)) + list(reversed(range(13, len(header))))
    out_rows = [[header[i] for i in order]]
    for n, r in enumerate(marked):
        out_rows.append([r[i] for i in order])
        if n == 3:
            out_rows.append([""] * len(order))
    out_rows += [[""] * len(order), [""] * len(order)]
    sheet = tmp_path / "marked.csv"
    excel_save(out_rows, sheet)
    raw = sheet.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf\"Submitted_SENR_ReportingLEA\"") and b"\r\n" in raw

    result = import_selections(ws, sheet)
    plan = result.plan
    assert plan.file.describe() == "CSV, UTF-8 with BOM"
    assert plan.file.blank_rows == 3
    assert [(t.local_id, t.ssid) for t in plan.taken] == sorted(MARKS)
    assert plan.problems == []
    assert plan.unmarked == 2  # 1003 (No Match) and 1004: left as they are
    assert result.changed == 3 and result.batch is not None
    changes = history(ws)
    assert len(changes) == 3 and {c.batch for c in changes} == {result.batch}
    assert {c.source for c in changes} == {"import"}
    assert decisions(ws)["1005"] == ("undecided", None) and decisions(ws)["1004"] == ("undecided", None)

    again = tmp_path / "again.csv"
    ex.write_results(ws, again)
    assert selected(again) == MARKS

    # importing the same file twice changes nothing and adds nothing to the history
    second = import_selections(ws, sheet)
    assert second.changed == 0 and second.batch is None
    assert len(taken_unchanged := [t for t in second.plan.taken if t.unchanged]) == 3, taken_unchanged
    assert len(history(ws)) == 3
    ws.close()


def test_every_kind_of_row_it_cannot_take_with_line_numbers(tmp_path):
    ws = build_workspace(tmp_path / "w.sqlite", small_students())
    choose(ws, sid(ws, "1005"), "3234567890")  # decided before; its row is left unmarked
    # ^-delimited, Windows-1252, only the needed columns plus a name, in another order.
    lines = [
        "Result_SENR_SSID^Submitted_SENR_Student_LegalLastName^Submitted_SENR_LocalID^Selection",  # 1
        "1234567890^GARCÍA^1001^x",   # 2 taken
        "",                            # 3 blank
        "1234567890^NÚÑEZ^9999^X",    # 4 unknown local ID
        "2234567890^LOPEZ^1002^X",    # 5 two rows marked ...
        "2234567891^LOPEZ^1002^Y",    # 6 ... for 1002
        "7777777777^GARCIA^1004^X",   # 7 SSID not a candidate of 1004
        "4234567890^KIM^1006^maybe",  # 8 unreadable mark
        "^SMITH^1003^X",               # 9 a No Match row marked
        "1234567890^X^8888^",          # 10 unknown but unmarked: nothing to take
        "3234567890^NGUYEN^1005^",     # 11 unmarked: 1005 keeps its decision
    ]
    path = tmp_path / "marked.txt"
    path.write_bytes("\r\n".join(lines).encode("windows-1252") + b"\r\n")
    result = import_selections(ws, path)
    plan = result.plan
    assert plan.file.describe() == "^-delimited, Windows-1252"
    assert [(t.line_no, t.local_id, t.ssid) for t in plan.taken] == [(2, "1001", "1234567890")]
    got = [(p.line_no, p.local_id, p.message) for p in plan.problems]
    assert [g[:2] for g in got] == [(4, "9999"), (5, "1002"), (7, "1004"), (8, "1006"), (9, "1003")]
    assert "local ID 9999 is not in this workspace" in got[0][2]
    assert "2 rows are marked for this student (lines 5, 6)" in got[1][2]
    assert "SSID 7777777777 is not among this student's candidates" in got[2][2]
    assert "Selection 'maybe' is not a mark" in got[3][2]
    assert "no SSID" in got[4][2]
    assert plan.unknown_unmarked == 1
    assert plan.unmarked == 1 and plan.unmarked_decided == 1
    d = decisions(ws)
    assert d["1001"] == ("chosen", "1234567890")
    assert d["1005"] == ("chosen", "3234567890")  # untouched, not turned into "none"
    assert {k: v for k, v in d.items() if k not in ("1001", "1005")} == {
        k: ("undecided", None) for k in ("1002", "1003", "1004", "1006")}
    ws.close()


def test_line_numbers_count_physical_lines_of_multiline_cells(tmp_path):
    ws = build_workspace(tmp_path / "w.sqlite", small_students())
    text = ('Selection,Submitted_SENR_LocalID,Result_SENR_SSID,Note\r\n'
            ',1001,1234567890,"a note\r\nover two lines"\r\n'
            '\r\n'
            'X,4242,1234567890,\r\n')
    path = tmp_path / "m.csv"
    path.write_bytes(text.encode("utf-8"))
    plan = import_selections(ws, path, dry_run=True).plan
    assert [(p.line_no, p.local_id) for p in plan.problems] == [(5, "4242")]
    ws.close()


def test_leading_zeros_dropped_by_the_spreadsheet(tmp_path):
    students = [
        student("000123", "ANA", "RUIZ", "20110101", candidates=[candidate("0012345678", 96, "ANA", "RUIZ", "20110101")]),
        student("0456", "BEA", "SOTO", "20110202", candidates=[candidate("5555555555", 96, "BEA", "SOTO", "20110202")]),
        student("00456", "CRUZ", "SOTO", "20110303", candidates=[candidate("6666666666", 96, "CRUZ", "SOTO", "20110303")]),
    ]
    ws = build_workspace(tmp_path / "w.sqlite", students)
    path = tmp_path / "m.csv"
    excel_save([["Selection", "Submitted_SENR_LocalID", "Result_SENR_SSID"],
                ["X", "123", "12345678"],       # both zeros dropped: still found
                ["X", "456", "5555555555"]],    # 0456 or 00456? not guessed
               path, quoting=csv.QUOTE_MINIMAL)
    result = import_selections(ws, path)
    assert [(t.local_id, t.ssid) for t in result.plan.taken] == [("000123", "0012345678")]
    assert result.plan.zeros_restored == 1
    [problem] = result.plan.problems
    assert problem.line_no == 3 and "could be any of 0456, 00456" in problem.message
    assert decisions(ws)["000123"] == ("chosen", "0012345678")
    ws.close()


@pytest.mark.parametrize("mark", ["x", "X", " X ", "y", "Y", "1", "yes", "YES", "true", "True"])
def test_marks_any_case(mark):
    assert mark_state(mark) == "yes"


@pytest.mark.parametrize("mark", ["", "  ", "n", "no", "0", "FALSE"])
def test_blanks_and_noes(mark):
    assert mark_state(mark) == "no"


@pytest.mark.parametrize("mark", ["?", "xx", "maybe", "✓", "2"])
def test_unreadable_marks(mark):
    assert mark_state(mark) is None


def test_tab_separated_utf16_as_excel_unicode_text(tmp_path):
    ws = build_workspace(tmp_path / "w.sqlite", small_students())
    path = tmp_path / "m.txt"
    excel_save([["Submitted_SENR_LocalID", "Selection", "Result_SENR_SSID"], ["1006", "yes", "4234567891"]],
               path, encoding="utf-16", delimiter="\t", quoting=csv.QUOTE_MINIMAL)
    result = import_selections(ws, path)
    assert result.plan.file.describe() == "tab-separated, UTF-16"
    assert decisions(ws)["1006"] == ("chosen", "4234567891")
    ws.close()


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"Submitted_SENR_LocalID,Result_SENR_SSID\r\n1001,1234567890\r\n", "has no Selection column"),
        (b"Selection,LocalID,SSID\r\nX,1001,1234567890\r\n", "has no Submitted_SENR_LocalID or Result_SENR_SSID column"),
        (b"", "is empty"),
        (b"\r\n,,,\r\n", "is empty"),
        (b"PK\x03\x04rest-of-a-zip", "is an Excel workbook"),
        (b"\x00\x01\x02", "binary data"),
    ],
)
def test_unusable_files_are_one_sentence(tmp_path, content, message):
    path = tmp_path / "m.csv"
    path.write_bytes(content)
    with pytest.raises(SelectionsError, match=message):
        read_marked_file(path)


def test_missing_and_folder_paths(tmp_path):
    with pytest.raises(SelectionsError, match="does not exist"):
        read_marked_file(tmp_path / "nope.csv")
    with pytest.raises(SelectionsError, match="is a folder"):
        read_marked_file(tmp_path)


def test_dry_run_records_nothing(tmp_path):
    ws = build_workspace(tmp_path / "w.sqlite", small_students())
    path = tmp_path / "m.csv"
    excel_save([["Selection", "Submitted_SENR_LocalID", "Result_SENR_SSID"], ["X", "1001", "1234567890"]], path)
    result = import_selections(ws, path, dry_run=True)
    assert len(result.plan.taken) == 1 and result.changed == 0
    assert history(ws) == []
    ws.close()


# -- the command -----------------------------------------------------------------------------


def run(*args):
    return runner.invoke(app, ["import-selections", *[str(a) for a in args]])


def test_cli_import_summary(small_ws_path, tmp_path):
    path = tmp_path / "m.csv"
    excel_save([["Selection", "Submitted_SENR_LocalID", "Result_SENR_SSID"],
                ["x", "1001", "1234567890"], ["", "1002", "2234567890"], ["X", "1006", "4234567891"], ["", "", ""]], path)
    result = run(small_ws_path, path)
    out = flat(result.output)
    assert result.exit_code == 0, result.output
    assert "Read 3 rows from m.csv (CSV, UTF-8 with BOM), passing over 1 blank row." in out
    assert "Took 2 choices: recorded 2." in out
    assert "one step in the history (step 1)" in out
    assert "Left as they are: 1 student with no row marked." in out
    again = run(small_ws_path, path)
    assert again.exit_code == 0
    assert "Took 2 choices: recorded 0, 2 already recorded." in flat(again.output)


def test_cli_import_lists_problems_with_line_numbers_exit_1(small_ws_path, tmp_path):
    path = tmp_path / "m.csv"
    excel_save([["Selection", "Submitted_SENR_LocalID", "Result_SENR_SSID"],
                ["X", "1001", "1234567890"], ["X", "9999", "1"], ["?", "1006", "4234567891"]], path)
    result = run(small_ws_path, path)
    assert result.exit_code == 1
    out = flat(result.output)
    assert "Took 1 choice: recorded 1." in out
    assert "Could not take 2 rows" in out
    assert re.search(r"\b3[\s│]+9999[\s│]+local ID 9999 is not in this workspace", out)
    assert re.search(r"\b4[\s│]+1006[\s│]+Selection '\?' is not a mark", out)


def test_cli_import_warns_of_conflicts(small_ws_path, tmp_path):
    path = tmp_path / "m.csv"
    excel_save([["Selection", "Submitted_SENR_LocalID", "Result_SENR_SSID"],
                ["X", "1001", "1234567890"], ["X", "1004", "1234567890"]], path)
    result = run(small_ws_path, path)
    assert result.exit_code == 0
    assert "1 SSID chosen for more than one student (1234567890: 1001, 1004)" in flat(result.output)


def test_cli_import_dry_run(small_ws_path, tmp_path):
    path = tmp_path / "m.csv"
    excel_save([["Selection", "Submitted_SENR_LocalID", "Result_SENR_SSID"], ["X", "1001", "1234567890"]], path)
    result = run(small_ws_path, path, "--dry-run")
    assert result.exit_code == 0 and "would record 1" in flat(result.output)
    assert "Took 1 choice" in flat(run(small_ws_path, path).output)


@pytest.mark.parametrize("case", ["missing-workspace", "not-a-workspace", "missing-file", "no-columns", "locked"])
def test_cli_import_bad_input_is_one_sentence_exit_2(small_ws_path, tmp_path, case):
    path = tmp_path / "m.csv"
    excel_save([["Selection", "Submitted_SENR_LocalID", "Result_SENR_SSID"], ["X", "1001", "1234567890"]], path)
    lock = None
    args = [small_ws_path, path]
    if case == "missing-workspace":
        args = [tmp_path / "nope.sqlite", path]
    elif case == "not-a-workspace":
        args = [path, path]
    elif case == "missing-file":
        args = [small_ws_path, tmp_path / "nope.csv"]
    elif case == "no-columns":
        path.write_text("a,b\r\n1,2\r\n")
    elif case == "locked":
        lock = acquire(small_ws_path)
    try:
        result = run(*args)
    finally:
        if lock:
            lock.release()
    assert result.exit_code == 2, result.output
    assert isinstance(result.exception, SystemExit)  # no traceback
    out = flat(result.output)
    assert out.startswith("Error: ")
    assert "Traceback" not in out
    expected = {"missing-workspace": "does not exist", "not-a-workspace": "is not a workspace",
                "missing-file": "nope.csv does not exist", "no-columns": "has no Selection or Submitted_SENR_LocalID",
                "locked": "is open in the review app by"}[case]
    assert expected in out


def test_a_mark_holding_controls_is_named_as_every_message_names_them(tmp_path):
    # Python's repr wrote an ESC as '\x1b' and a long mark whole; every other message says <ESC> and cuts it
    ws = build_workspace(tmp_path / "w.sqlite", small_students())
    lines = ["Result_SENR_SSID^Submitted_SENR_LocalID^Selection",
             "1234567890^1001^\x1b[31mX",
             "4234567890^1006^" + "Y" * 300]
    path = tmp_path / "marked.txt"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    messages = [p.message for p in import_selections(ws, path).plan.problems]
    assert len(messages) == 2, messages
    assert "Selection '<ESC>[31mX' is not a mark" in messages[0]
    assert "\\x1b" not in messages[0] and "\x1b" not in messages[0]
    assert "(300 characters)" in messages[1] and "Y" * 100 not in messages[1]
    ws.close()
