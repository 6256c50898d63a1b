"""`ssid-tui validate FILE`: exit codes, the on-screen report and the error CSV."""

from __future__ import annotations

import csv
import re
import shutil
import stat
from pathlib import Path

import pytest
import typer.main
from typer.testing import CliRunner

import ssid_tui.cli  # noqa: F401  (registers the commands on the app)
from ssid_tui.cli.app import app
from ssid_tui.validation.rules import ERROR_CODES
from tests.support.senr import FIXTURES, caret, fields, write

runner = CliRunner()


def run(*args: str):
    return runner.invoke(app, [str(a) for a in args])


def squash(text: str) -> str:
    """Output without whitespace, so paths wrapped by the terminal width still match."""
    return re.sub(r"\s+", "", text)


def flat(text: str) -> str:
    """Output with line wrapping undone (the terminal is 80 columns wide in tests)."""
    return " ".join(text.split())


def copy_fixture(tmp_path: Path, name: str) -> Path:
    return Path(shutil.copy(FIXTURES / name, tmp_path / name))


def read_csv(path: Path) -> list[list[str]]:
    with open(path, newline="", encoding="utf-8") as fh:
        return list(csv.reader(fh))


# --- clean files: exit 0 --------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "summary"),
    [
        ("senr_clean.txt", "40 records, 35 fields, ^-delimited, UTF-8."),
        ("senr_clean.csv", "40 records, 35 fields, CSV with header, UTF-8."),
        ("senr_bom_lf.txt", "12 records, 35 fields, ^-delimited, UTF-8 with BOM."),
        ("senr_cp1252.txt", "12 records, 35 fields, ^-delimited, Windows-1252."),
    ],
)
def test_clean_file_exits_0_with_a_summary(tmp_path, name, summary):
    path = copy_fixture(tmp_path, name)
    result = run("validate", path)
    assert result.exit_code == 0, result.output
    assert "OK" in result.output and name in result.output
    assert squash(summary) in squash(result.output)
    assert "No errors: ready to match." in flat(result.output)
    assert list(tmp_path.iterdir()) == [path]  # no error CSV for a clean file


def test_windows_1252_file_warns(tmp_path):
    result = run("validate", copy_fixture(tmp_path, "senr_cp1252.txt"))
    assert result.exit_code == 0
    assert "Warning: The file is not valid UTF-8 (first at byte 0xC9 on line 1); it was read as Windows-1252" in flat(result.output)


# --- files with errors: exit 1 --------------------------------------------------------------


def test_error_file_exits_1_with_counts_table_and_csv(tmp_path):
    path = copy_fixture(tmp_path, "senr_errors.txt")
    result = run("validate", path)
    assert result.exit_code == 1, result.output
    out = result.output
    assert "FAILED" in out and "senr_errors.txt" in out
    assert "20 errors on 13 lines" in flat(out)
    assert "Errors by code" in out
    counts = {"FRMT0004": 5, "GERR0002": 4, "IVR0009": 3, "FRMT0001": 2, "DUPL0001": 1, "FRMT0002": 1,
              "GERR0001": 1, "IVR0668": 1, "SENR0036": 1, "SSID0001": 1}
    for code, n in counts.items():
        assert re.search(rf"{code}\s*│\s*{n}\s*│", out), code
    # The table of errors: line, field, value as read (controls made visible), code, fix.
    for text in ("Value as read", "What to do", "SAN<TAB>DIEGO", "20150230", "19-6473", "SSID0001"):
        assert text in out, text
    target = tmp_path / "senr_errors.txt.errors.csv"
    assert "All 20 errors are in" in out and squash(str(target)) in squash(out)
    assert stat.S_IMODE(target.stat().st_mode) == 0o600
    rows = read_csv(target)
    assert rows[0] == ["line", "field_number", "field_name", "value", "code", "problem", "fix"]
    assert len(rows) == 21  # one row per error
    got = {(int(r[0]), r[1], r[4]) for r in rows[1:]}
    assert (8, "1.19", "IVR0009") in got and (12, "1.09", "DUPL0001") in got and (13, "1.01-1.21", "FRMT0001") in got
    for r in rows[1:]:
        assert r[5] == ERROR_CODES[r[4]] and r[6]
    city = next(r for r in rows if r[1] == "1.19")
    assert city[3] == "SAN<TAB>DIEGO" and "\t" not in city[3]
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".")] == []  # no temp file left


def test_errors_option_is_honoured(tmp_path):
    path = copy_fixture(tmp_path, "senr_errors.txt")
    target = tmp_path / "reports" / "mine.csv"
    target.parent.mkdir()
    result = run("validate", path, "--errors", target)
    assert result.exit_code == 1
    assert len(read_csv(target)) == 21
    assert stat.S_IMODE(target.stat().st_mode) == 0o600
    assert not (tmp_path / "senr_errors.txt.errors.csv").exists()
    assert squash(str(target)) in squash(result.output)


def test_errors_csv_replaces_an_old_one(tmp_path):
    path = copy_fixture(tmp_path, "senr_errors.txt")
    whole = path.read_bytes()
    path.write_bytes(b"".join(whole.splitlines(keepends=True)[:4]))  # an earlier, shorter upload
    target = tmp_path / "senr_errors.txt.errors.csv"
    assert run("validate", path).exit_code == 1
    assert len(read_csv(target)) < 21  # an earlier error list, which validate wrote
    path.write_bytes(whole)
    assert run("validate", path).exit_code == 1
    assert len(read_csv(target)) == 21
    # one a clerk edited (or made) is theirs: not replaced (tests/test_listings_kept.py)


def test_errors_option_into_a_missing_folder_says_so(tmp_path):
    path = copy_fixture(tmp_path, "senr_errors.txt")
    result = run("validate", path, "--errors", tmp_path / "nowhere" / "e.csv")
    assert result.exit_code == 2
    assert "--errors: the folder" in flat(result.output) and "does not exist" in flat(result.output)
    assert "Traceback" not in result.output


def test_show_0_lists_no_errors_but_writes_them_all(tmp_path):
    path = copy_fixture(tmp_path, "senr_errors.txt")
    result = run("validate", path, "--show", "0")
    assert result.exit_code == 1
    assert "Errors by code" in result.output
    assert "Value as read" not in result.output and "SAN<TAB>DIEGO" not in result.output
    assert len(read_csv(tmp_path / "senr_errors.txt.errors.csv")) == 21


def test_show_n_groups_errors_beyond_n(tmp_path):
    result = run("validate", copy_fixture(tmp_path, "senr_errors.txt"), "--show", "3")
    assert result.exit_code == 1
    assert "20 errors grouped by field and code (the 3 largest of" in result.output
    assert "20150230" in result.output and "20990101" not in result.output  # the fourth group is not listed


def test_show_at_least_the_error_count_lists_every_error(tmp_path):
    result = run("validate", copy_fixture(tmp_path, "senr_errors.txt"), "--show", "20")
    assert result.exit_code == 1
    assert "grouped" not in result.output
    assert "20150230" in result.output and "19-6473" in result.output


def test_negative_show_is_refused(tmp_path):
    result = run("validate", copy_fixture(tmp_path, "senr_errors.txt"), "--show", "-1")
    assert result.exit_code == 2
    assert "Traceback" not in result.output


BAD_FILES = {
    # three errors on every line: bare state, a TAB in the first name, gender U
    "mixed": lambda i: fields(f"S{i:05d}", birth_state="CA", first="JOSÉ\t", gender="U"),
    "duplicates": lambda i: fields("40117"),
    # The short-record fix wraps to six lines in the 80-column table: 25 rows make 140 lines.
    "short records": lambda i: fields(f"S{i:05d}")[:15],
}


@pytest.mark.parametrize(
    "kind",
    [
        "mixed",
        "duplicates",
        "short records",
    ],
)
def test_thousands_of_errors_keep_the_terminal_short(tmp_path, kind):
    path = write(tmp_path / "big.txt", caret([BAD_FILES[kind](i) for i in range(3000)]))
    result = run("validate", path)
    assert result.exit_code == 1
    out = result.output
    target = tmp_path / "big.txt.errors.csv"
    rows = read_csv(target)
    n = len(rows) - 1
    assert n >= 2999
    assert f"All {n:,} errors are in" in out
    assert squash(str(target)) in squash(out)
    assert f"{n:,} errors grouped by field and code" in out
    assert len(out.splitlines()) < 120, len(out.splitlines())


# --- unusable input: exit 2, one sentence ---------------------------------------------------


def _unusable(tmp_path: Path) -> dict[str, Path]:
    header = ",".join(f"Field {i}" for i in range(3))
    return {
        "missing": tmp_path / "missing.txt",
        "directory": tmp_path,
        "binary": copy_fixture(tmp_path, "senr_binary.dat"),
        "empty": write(tmp_path / "empty.txt", b""),
        "blank": write(tmp_path / "blank.txt", b"\r\n\r\n  \r\n"),
        "missing column": copy_fixture(tmp_path, "senr_missing_column.csv"),
        "not senr": write(tmp_path / "notes.txt", f"{header}\r\nsome,notes,here\r\n"),
    }


@pytest.mark.parametrize("kind", ["missing", "directory", "binary", "empty", "blank", "missing column", "not senr"])
def test_unusable_input_exits_2_with_one_sentence(tmp_path, kind):
    path = _unusable(tmp_path)[kind]
    before = set(tmp_path.iterdir())
    result = run("validate", path)
    assert result.exit_code == 2, result.output
    assert "Traceback" not in result.output
    assert result.stdout == ""
    message = flat(result.stderr)
    assert message.startswith("Error: ") and message.endswith(".")
    assert not re.search(r"[.!?] [A-Z]", message[len("Error: "):]), message
    assert squash(str(path)) in squash(result.stderr)
    assert set(tmp_path.iterdir()) == before  # no error CSV


def test_header_only_csv_exits_2(tmp_path):
    header = (FIXTURES / "senr_clean.csv").read_text(encoding="utf-8").splitlines()[0]
    path = write(tmp_path / "h.csv", header + "\r\n")
    result = run("validate", path)
    assert result.exit_code == 2
    assert "no records" in result.stderr


# --- help -----------------------------------------------------------------------------------


def _commands():
    return typer.main.get_command(app).commands


def test_every_command_has_help_text():
    commands = _commands()
    assert "validate" in commands
    for name, command in commands.items():
        assert (command.help or "").strip(), f"{name} has no help text"
        for param in command.params:
            assert (getattr(param, "help", None) or "").strip(), f"{name} {param.name} has no help text"


@pytest.mark.parametrize("name", sorted(_commands()))
def test_command_help_runs(name):
    result = run(name, "--help")
    assert result.exit_code == 0
    assert "Usage" in result.output


def test_app_help_lists_commands():
    result = run("--help")
    assert result.exit_code == 0
    for name in _commands():
        assert name in result.output


def test_records_of_different_lengths_are_counted_in_words(tmp_path):
    result = run("validate", copy_fixture(tmp_path, "senr_errors.txt"))
    assert result.exit_code == 1
    assert "15 records (14 with 35 fields, 1 with 15 fields), ^-delimited, UTF-8" in flat(result.output)


def test_one_record_is_a_record(tmp_path):
    path = tmp_path / "one.txt"
    path.write_text((FIXTURES / "senr_clean.txt").read_text(encoding="utf-8").splitlines()[0] + "\n", encoding="utf-8")
    result = run("validate", path)
    assert result.exit_code == 0, result.output
    assert "1 record, 35 fields" in flat(result.output)


def test_error_file_is_read_once(tmp_path, monkeypatch):
    """The report and the error CSV come from one pass over the file (a million error lines took two)."""
    import ssid_tui.validation.rules as rules

    passes = []
    real = rules.iter_records

    def counted(layout):
        passes.append(layout.path)
        return real(layout)

    monkeypatch.setattr(rules, "iter_records", counted)
    path = copy_fixture(tmp_path, "senr_errors.txt")
    result = run("validate", path)
    assert result.exit_code == 1
    assert len(passes) == 1
    assert len(read_csv(tmp_path / "senr_errors.txt.errors.csv")) == 21
    # The CSV's line comes after the report, as the last thing said.
    assert flat(result.output).rstrip().endswith("(one row each, for a spreadsheet).")


def test_clean_file_is_read_once_and_leaves_no_temporary_file(tmp_path, monkeypatch):
    import ssid_tui.validation.rules as rules

    passes = []
    real = rules.iter_records
    monkeypatch.setattr(rules, "iter_records", lambda layout: passes.append(1) or real(layout))
    path = copy_fixture(tmp_path, "senr_clean.txt")
    assert run("validate", path).exit_code == 0
    assert len(passes) == 1
    assert list(tmp_path.iterdir()) == [path]


def test_an_errors_target_given_by_name_is_refused_before_the_file_is_read(tmp_path):
    """cold test: a refused --errors was said only after the whole file was validated (exit 1)."""
    path = copy_fixture(tmp_path, "senr_errors.txt")
    result = run("validate", path, "--errors", path)  # the input itself: never replaced
    assert result.exit_code == 2
    assert "Error: --errors: " in flat(result.output) and "errors on" not in flat(result.output)
    assert path.read_bytes() == (FIXTURES / "senr_errors.txt").read_bytes()
