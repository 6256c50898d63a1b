"""How the CLI reads: help wrapped to the terminal, flags without a type, did-you-mean, files
given in the wrong place named for what they are, counts in English."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

import ssid_tui.cli  # noqa: F401  (registers the commands)
from ssid_tui.cli.app import app
from ssid_tui.cli.help_text import reflow
from ssid_tui.matching.registry import load_extract
from ssid_tui.wording import plural
from tests.support.workspaces import build_workspace, small_students

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures"
runner = CliRunner()


def run(*args: object, columns: int = 100):
    return runner.invoke(app, [str(a) for a in args], env={"COLUMNS": str(columns), "NO_COLOR": "1"})


def flat(text: str) -> str:
    return " ".join(text.replace("│", " ").split())


def test_help_paragraphs_wrap_to_the_terminal_not_the_docstring() -> None:
    wide = run("export", "--help", columns=160).output
    assert ("Every file is written owner-only (0600) and atomically: an interrupted export leaves the previous file, "
            "never half of one.") in wide  # one line at 160 columns: the docstring breaks it after "the"
    narrow = run("export", "--help", columns=60).output
    assert max(len(line) for line in narrow.splitlines()) <= 60


def test_reflow_keeps_examples_on_their_own_lines() -> None:
    doc = "First line.\n\nOne paragraph\nover two lines.\n\nExamples:\n\n  ssid-tui a\n  ssid-tui b\n"
    assert reflow(doc) == "First line.\n\nOne paragraph over two lines.\n\nExamples:\n\n  ssid-tui a\n  ssid-tui b"


def test_flags_show_no_type() -> None:
    out = run("export", "--help", columns=160).output
    line = next(ln for ln in out.splitlines() if "--allow-conflicts" in ln and "│" in ln)
    assert "<bool>" not in out and "<path>" in out
    assert line.split("--allow-conflicts")[1].split()[0] == "Export"  # its help, no type column in between


def test_a_command_typed_short_suggests_the_one_it_begins() -> None:
    result = run("import", "x")
    assert result.exit_code == 2
    assert "Did you mean 'import-selections'?" in result.output


def test_match_given_an_extract_as_ods_says_to_load_it_first(tmp_path: Path) -> None:
    result = run("match", FIXTURES / "senr_clean.txt", "--ods", FIXTURES / "ods_sample.txt", "-w", tmp_path / "w.sqlite")
    assert result.exit_code == 2
    assert "is an ODS extract, not a registry: run `ssid-tui ods load ods_sample.txt --into registry.sqlite` first" in flat(result.output)


def test_review_of_a_registry_says_run_match_first(tmp_path: Path) -> None:
    registry = tmp_path / "reg.sqlite"
    load_extract(FIXTURES / "ods_sample.txt", registry)
    result = run("review", registry)
    assert result.exit_code == 2
    assert "is a registry, not a workspace: run ssid-tui match first" in flat(result.output)


def test_ods_load_of_an_senr_file_says_so(tmp_path: Path) -> None:
    result = run("ods", "load", FIXTURES / "senr_clean.txt", "--into", tmp_path / "reg.sqlite")
    assert result.exit_code == 2
    assert "looks like an SENR file" in flat(result.output)
    assert not (tmp_path / "reg.sqlite").exists()


def test_a_workspace_given_as_ods_is_named(tmp_path: Path) -> None:
    ws = tmp_path / "w.sqlite"
    build_workspace(ws, small_students()).close()
    result = run("match", FIXTURES / "senr_clean.txt", "--ods", ws, "-w", tmp_path / "w2.sqlite")
    assert "is a workspace, not a registry" in flat(result.output)


@pytest.mark.parametrize(("n", "noun", "text"), [
    (1, "student", "1 student"), (2, "student", "2 students"), (1794, "student", "1,794 students"),
    (1, "Single Match", "1 Single Match"), (3, "Single Match", "3 Single Matches"),
    (1, "SSID is", "1 SSID is"), (2, "SSID is", "2 SSIDs are"), (0, "row", "0 rows"),
])
def test_plural(n: int, noun: str, text: str) -> None:
    assert plural(n, noun) == text


def test_import_selections_says_keeps_for_one(small_ws_path: Path, tmp_path: Path) -> None:
    from ssid_tui.workspace import decisions
    from ssid_tui.workspace.store import open_workspace

    with open_workspace(small_ws_path) as ws:
        decisions.mark_none(ws, ws.student_by_local_id("1002").id)
    path = tmp_path / "m.csv"
    path.write_text("Selection,Submitted_SENR_LocalID,Result_SENR_SSID\r\nx,1001,1234567890\r\n,1002,2234567890\r\n",
                    encoding="utf-8")
    out = flat(run("import-selections", small_ws_path, path).output)
    assert "(1 keeps the decision it already had)" in out


@pytest.mark.parametrize(("args", "sentence"), [
    (["export", "w.sqlite", "--delimiter", "tab"], "--delimiter cannot be 'tab': use comma or caret."),
    (["validate", "x.txt", "--show", "-3"], "--show cannot be '-3': give a whole number, 0 or more."),
    (["match", "x.txt", "--ods", "r.sqlite", "--min-score", "200"],
     "--min-score cannot be '200': give a whole number from 1 to 99."),
    (["history", "w.sqlite", "--last", "abc"], "--last cannot be 'abc': give a whole number, 0 or more."),
    (["demo", "--students", "3", "--no-review"], "--students cannot be '3': give a whole number, 10 or more."),
])
def test_a_bad_option_value_is_one_plain_sentence(args: list[str], sentence: str) -> None:
    result = run(*args)
    text = flat(result.output)
    assert result.exit_code == 2
    assert sentence in text, text
    for internals in ("Value error", "Input should be", "Invalid value for", "{"):
        assert internals not in text, text


def test_usage_lines_name_arguments_in_capitals() -> None:
    text = flat(run("review").output)
    assert "Usage: ssid-tui review [OPTIONS] WORKSPACE" in text and "{workspace}" not in text
    assert "Missing argument WORKSPACE" in text


def _say_into(terminal: bool, width: int, message: str) -> str:
    import io

    from rich.console import Console

    from ssid_tui.cli.output import say

    out = io.StringIO()
    say(Console(file=out, force_terminal=terminal, width=width, color_system=None), message)
    return out.getvalue()


def test_sentences_wrap_between_words_on_a_terminal_and_stay_one_line_in_a_pipe() -> None:
    message = ("Demo: made a 50,000-student registry and a 2,000-student upload in ssid-tui-demo/, validated and "
               "matched them in 6.1 s; workspace: ssid-tui-demo/upload.workspace.sqlite.")
    words = set(message.split())
    on_terminal = _say_into(True, 80, message).splitlines()
    assert len(on_terminal) > 1 and all(len(line) <= 80 for line in on_terminal)
    assert all(set(line.split()) <= words for line in on_terminal)  # no word cut in two
    assert _say_into(False, 80, message).splitlines() == [message]


@pytest.mark.parametrize(("term", "plain"), [("linux", True), ("vt100", True), ("xterm-256color", False)])
def test_tables_and_bars_are_ascii_on_a_plain_console_and_names_stay_as_they_are(term: str, plain: bool) -> None:
    import io
    import time

    from rich.table import Table

    from ssid_tui.cli.output import CliConsole
    from ssid_tui.cli.progress import progress_bar

    out = io.StringIO()
    console = CliConsole(file=out, force_terminal=True, width=80, color_system=None, _environ={"TERM": term})
    table = Table(title="Candidates")
    table.add_column("Name")
    table.add_row("NÚÑEZ, JOSÉ")
    console.print(table)
    with progress_bar(console, "Matching") as update:
        update(50, 100)
        time.sleep(0.2)
        update(60, 100)
    text = out.getvalue()
    assert "NÚÑEZ, JOSÉ" in text
    drawn = set(text.replace("NÚÑEZ, JOSÉ", "")) - set(chr(c) for c in range(128))
    assert (drawn == set()) is plain, drawn


@pytest.mark.parametrize("args", [
    ["history", "w.sqlite", "--local-id", "L\udcff1"],
    ["find", "--ods", "r.sqlite", "--last", "GARC\udcffIA", "--first", "ANA", "--birth-date", "20140101"],
])
def test_a_text_option_holding_bytes_the_terminal_could_not_read_is_one_sentence(args: list[str]) -> None:
    """`history --local-id $'\\xff'` stopped on an internal error (UnicodeEncodeError) where `find` named
    the character (cold test): every text option is checked where it is converted."""
    result = run(*args)
    text = flat(result.output)
    assert result.exit_code == 2, text
    assert "holds bytes that are not text in this terminal's encoding (<U+DCFF>): type it again in UTF-8." in text
    assert "internal error" not in text and "\udcff" not in result.output


@pytest.mark.parametrize(("args", "named"), [
    (["find", "--ods", "r.sqlite", "--last", "A", "--first", "B", "--birth-date", "2014\udcff0101"], "<U+DCFF>"),
    (["find", "--ods", "r.sqlite", "--last", "A", "--first", "B", "--birth-date", "2014\x1b0101"], "<ESC>"),
    (["find", "--ods", "r.sqlite", "--last", "A", "--first", "B", "--birth-date", "2014\u202e0101"], "<U+202E>"),
    (["match", "u.txt", "--ods", "r.sqlite", "--min-score", "9\udcff"], "<U+DCFF>"),
    (["match", "u.txt", "--ods", "r.sqlite", "--jobs", "\x1b"], "<ESC>"),
    (["export", "w.sqlite", "--results", "r.txt", "--delimiter", "t\udcffb"], "<U+DCFF>"),
    (["match", "u.txt", "--ods", "\t"], "<TAB>"),
    (["match", "u.txt", "--o\udcffds", "r.sqlite"], "<U+DCFF>"),
    (["match", "u.txt", "--x\x1b[31m"], "<ESC>"),
    (["fi\udcffnd"], "<U+DCFF>"),
    (["ods", "lo\x1bad"], "<ESC>"),
])
def test_every_option_names_a_character_it_cannot_show_the_same_way(args: list[str], named: str) -> None:
    """`--birth-date $'\\xff'` read `'2014\\udcff0101'` (Python's repr) where every other message names
    the character `<U+DCFF>` (cold test): numbers, choices, dates, paths, unknown options and commands alike."""
    result = run(*args)
    text = flat(result.output)
    assert result.exit_code == 2, text
    assert named in text, text
    assert "\\x" not in text and "\\u" not in text and "\x1b" not in text and "\udcff" not in text, text


@pytest.mark.parametrize(("args", "said"), [
    (["match", "u.txt", "--ods", "--jobs", "2", "-w", "w.sqlite"], "--ods needs a file name right after it, not the option '--jobs'."),
    (["match", "u.txt", "--ods", "r.sqlite", "-w", "-h"], "--workspace needs a file name right after it, not the option '-h'."),
    (["match", "u.txt", "--ods", "r.sqlite", "--jobs", "--min-score=80"],
     "--jobs needs a whole number right after it, not the option '--min-score=80'."),
    (["find", "--last", "A", "--first", "B", "--birth-date", "--ods", "r.sqlite"],
     "--birth-date needs a value right after it, not the option '--ods'."),
    (["export", "w.sqlite", "--to", "--results", "r.txt"], "--to needs a folder name right after it, not the option '--results'."),
    (["match", "u.txt", "--ods"], "--ods needs a file name right after it."),
    (["match", "u.txt", "--ods", "r.sqlite", "--jobs"], "--jobs needs a whole number right after it."),
    (["ods", "load", "x.txt", "--into"], "--into needs a file name right after it."),
])
def test_an_option_missing_its_value_says_so(args: list[str], said: str) -> None:
    """`match --ods --jobs 2` took --jobs as the registry's name and said only "Got unexpected extra
    argument(s) (2)" (cold test); an option last on the line said "Option '--ods' requires an argument."."""
    result = run(*args)
    text = flat(result.output.replace("│", ""))
    assert result.exit_code == 2, text
    assert said in text, text
    assert "extra argument" not in text and "requires an argument" not in text


@pytest.mark.parametrize(("typed", "meant"), [
    (["FIND"], "find"), (["Export"], "export"), (["IMPORT"], "import-selections"), (["FND"], "find"),
    (["ods", "LOAD"], "load"), (["Validat"], "validate"),
])
def test_a_command_typed_in_another_case_is_suggested(typed: list[str], meant: str) -> None:
    """`ssid-tui FIND ...` said only "No such command 'FIND'." (cold test): commands are compared without case."""
    result = run(*typed, "--help")
    text = flat(result.output.replace("│", ""))
    assert result.exit_code == 2, text
    assert f"No such command '{typed[-1]}'. Did you mean '{meant}'?" in text, text


def test_validate_of_an_ods_extract_says_so_and_writes_nothing(tmp_path: Path) -> None:
    extract = tmp_path / "ods_extract.txt"
    extract.write_bytes((FIXTURES / "ods_sample.txt").read_bytes())
    result = run("validate", extract)
    assert result.exit_code == 2
    assert ("is the state's ODS extract (the registry), not an SENR upload: load it with "
            "`ssid-tui ods load ods_extract.txt --into registry.sqlite`") in flat(result.output)
    assert "errors" not in result.output.lower()  # no count of "malformed" lines
    assert sorted(p.name for p in tmp_path.iterdir()) == ["ods_extract.txt"]  # no errors.csv beside it


def test_match_of_an_ods_extract_as_the_upload_says_so_and_writes_nothing(tmp_path: Path) -> None:
    registry = tmp_path / "reg.sqlite"
    load_extract(FIXTURES / "ods_sample.txt", registry)
    result = run("match", FIXTURES / "ods_sample.txt", "--ods", registry, "-w", tmp_path / "w.sqlite")
    assert result.exit_code == 2
    assert "is the state's ODS extract (the registry), not an SENR upload" in flat(result.output)
    assert not (tmp_path / "w.sqlite").exists()


def test_validate_and_match_of_a_registry_as_the_upload_say_it_is_sqlite(tmp_path: Path) -> None:
    registry = tmp_path / "reg.sqlite"
    load_extract(FIXTURES / "ods_sample.txt", registry)
    for args in (("validate", registry), ("match", registry, "--ods", registry, "-w", tmp_path / "w.sqlite")):
        result = run(*args)
        assert result.exit_code == 2
        assert "is an SQLite file (a workspace or a registry), not an SENR file" in flat(result.output)
    assert not (tmp_path / "w.sqlite").exists()
