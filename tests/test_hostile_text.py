"""Issue 8, points 9, 10, 12, 13 and 14: hostile text is data, never terminal commands or markup.

Control and format characters are refused by validation in every SENR field and shown by
name (`<ESC>`) everywhere; Rich markup in values and paths prints as itself; the registry
loads data gaps and oddities and lists them; digits are ASCII digits; NFD is NFC.
"""

from __future__ import annotations

import ast
import csv
import stat
from pathlib import Path

import pytest
from rich.text import Text
from typer.testing import CliRunner

import ssid_tui.cli  # noqa: F401  (registers the commands)
from ssid_tui.cli.app import app
from ssid_tui.exports.report import build_report
from ssid_tui.formats.ods import ODD_GENDER, OdsNote, note_text
from ssid_tui.formats.safe_text import visible
from ssid_tui.formats.senr_fields import SENR_FIELDS
from ssid_tui.matching.registry import RegistryError, load_extract, open_registry
from ssid_tui.ui import render
from ssid_tui.workspace.decisions import choose, record_many
from ssid_tui.workspace.store import open_workspace
from tests.support.app import sync
from tests.support.cli import flat
from tests.support.extracts import LINES, ods_line
from tests.support.senr import caret, errors_on_line_3, fields, validate_path, write
from tests.support.workspaces import build_workspace, candidate, sid, student

runner = CliRunner()

ESC_CLEAR = "\x1b[2J"
ESC_TITLE = "\x1b]0;pwned\x07"
HOSTILE = ["\x1b", "\x07", "\x00", "\x7f", "\x85", "\u202e", "\u2066", "\u200b", "\u200f", "\ufeff", "\u2028"]
MARKUP = ["[/]", "[bold red]X", "[red]", "[link=http://x]y[/link]"]


def run(*args: object):
    # A wide terminal: temp paths are longer than 80 columns, and Rich folds a word longer than the line.
    return runner.invoke(app, [str(a) for a in args], env={"COLUMNS": "1000"})


def unfolded(text: str) -> str:
    """The output with Rich's line breaks taken out: a path longer than the line is folded inside."""
    return text.replace("\n", "")


def no_raw_controls(text: str) -> bool:
    """True if `text` holds no control or format character but line ends."""
    return visible(text.replace("\r\n", "\n").replace("\n", "")) == text.replace("\r\n", "\n").replace("\n", "")


def assert_clean_run(result) -> None:
    """No internal error, no traceback, no raw control character in what was printed."""
    assert result.exception is None or isinstance(result.exception, SystemExit), repr(result.exception)
    assert result.exit_code in (0, 1, 2), result.output
    assert "Traceback" not in result.output and "internal error" not in result.output
    assert no_raw_controls(result.output), repr(result.output[:500])


# --- point 9: validation refuses control and format characters in every field --------------


@pytest.mark.parametrize("field", SENR_FIELDS, ids=[f.key for f in SENR_FIELDS])
@pytest.mark.parametrize("char", ["\x1b", "\u202e", "\u200b", "\ufeff"], ids=["ESC", "RLO", "ZWSP", "BOM"])
def test_control_and_format_characters_are_refused_in_every_field(tmp_path, field, char):
    value = ("1" + char) if field.max_len >= 2 else char
    errors = errors_on_line_3(tmp_path, fields(**{field.key: value}))
    mine = [e for e in errors if e.field_number == field.number and e.code == "IVR0009"]
    assert mine, errors
    assert visible(char) in mine[0].fix and char not in mine[0].fix


@pytest.mark.parametrize("local_id", [ESC_CLEAR, ESC_TITLE, "A\u202eB", "ID\u2066X", "4011\u200b7"])
def test_local_id_with_escape_sequences_fails_validation_and_is_shown_by_name(tmp_path, local_id):
    path = write(tmp_path / "s.txt", caret([fields("A1"), fields(local_id)]))
    result = run("validate", path)
    assert result.exit_code == 1
    assert_clean_run(result)
    assert "IVR0009" in result.output and "1.09" in result.output
    assert visible(local_id)[:5] in result.output


def test_control_characters_after_field_1_21_are_refused(tmp_path):
    row = fields()
    row[25] = "ok\x1b[31m"
    errors = errors_on_line_3(tmp_path, row)
    assert [(e.code, e.field_number) for e in errors] == [("IVR0009", "1.01-1.21")]
    assert "<ESC>" in errors[0].fix and "after 1.21" in errors[0].fix


def test_visible_names_escape_and_bidi():
    assert visible("A\x1b[2JB") == "A<ESC>[2JB"
    assert visible("\u202eevil") == "<U+202E>evil"
    assert visible("JOSÉ") == "JOSÉ"


def hostile_workspace(tmp_path: Path, local_id: str = "ID" + ESC_CLEAR, name: str = "ANA" + ESC_TITLE,
                      senr_path: str = "upload.txt"):
    """A workspace holding hostile values (as one made before validation refused them would)."""
    students = [
        student(local_id, name, "GARCIA\u202eAICRAG", "20140507", candidates=[
            candidate("1234567890", 97, "MARIA\x1b[5m", "[bold red]X", "20140507", lea="19\x07", middle="[/]"),
        ]),
        student("[/]", "[bold red]X", "[link=http://x]y", "20130212", candidates=[
            candidate("2234567890", 91, "JOSE", "LOPEZ", "20130212"),
        ]),
        student("=HYPERLINK(\"http://x\")", "ANA", "KIM", "20150101", candidates=[
            candidate("1234567890", 93, "ANA", "KIM", "20150101"),
        ]),
    ]
    ws = build_workspace(tmp_path / "w.sqlite", students, senr_path=senr_path)
    return ws


# --- points 9 and 12: every printer -----------------------------------------------------------


def test_history_shows_hostile_local_ids_and_notes_as_text(tmp_path, monkeypatch):
    import ssid_tui.workspace.decisions

    monkeypatch.setattr(ssid_tui.workspace.decisions, "reviewer", lambda: "[b]eve\x1b[0m")
    ws = hostile_workspace(tmp_path)
    choose(ws, sid(ws, "ID" + ESC_CLEAR), "1234567890")
    record_many(ws, [(sid(ws, "[/]"), "chosen", "2234567890")], source="import", note="import of [red]up\x1b.csv")
    ws.close()
    result = run("history", tmp_path / "w.sqlite")
    assert_clean_run(result)
    assert result.exit_code == 0
    out = result.output
    assert "ID<ESC>[2J" in out.replace("\n", "") or "<ESC>" in out
    assert "[/]" in out and "[b]eve<ESC>[0m" in flat(out).replace(" ", "") or "[b]eve" in out
    assert "import of [red]up<ESC>.csv" in flat(out)
    result = run("history", tmp_path / "w.sqlite", "--local-id", "[/]")
    assert_clean_run(result)
    assert result.exit_code == 0 and "[/]" in result.output
    result = run("history", tmp_path / "w.sqlite", "--local-id", "[bold]nobody\x1b")
    assert_clean_run(result)
    assert result.exit_code == 2 and "[bold]nobody<ESC>" in result.output


def test_status_shows_markup_paths_and_conflicts_as_text(tmp_path):
    ws = hostile_workspace(tmp_path, senr_path="[red]up\x1b.txt")
    choose(ws, sid(ws, "ID" + ESC_CLEAR), "1234567890")
    choose(ws, sid(ws, "=HYPERLINK(\"http://x\")"), "1234567890")  # a conflict between two hostile IDs
    ws.close()
    result = run("status", tmp_path / "w.sqlite")
    assert_clean_run(result)
    assert result.exit_code == 0
    assert "[red]up<ESC>.txt" in result.output
    assert "ID<ESC>[2J" in flat(result.output).replace(" ", "")


def test_export_and_report_show_hostile_values_safely(tmp_path):
    ws = hostile_workspace(tmp_path, senr_path="[red]up.txt")
    choose(ws, sid(ws, "[/]"), "2234567890")
    ws.close()
    out = tmp_path / "[bold]out"
    out.mkdir()
    result = run("export", tmp_path / "w.sqlite", "--to", out)
    assert_clean_run(result)
    assert result.exit_code == 0, result.output
    unwrapped = "".join(result.output.split())  # the table folds long paths at any width
    assert "[red]up_review_report.md" in unwrapped and "]ou" in unwrapped
    report = next(out.glob("*.md")).read_text(encoding="utf-8")
    assert "\x1b" not in report and "<ESC>" in report and "\u202e" not in report
    for p in out.iterdir():
        if p.suffix == ".csv":
            assert no_raw_controls(p.read_text(encoding="utf-8")), p.name


def test_report_text_has_no_raw_controls(tmp_path):
    ws = hostile_workspace(tmp_path)
    text, _ = build_report(ws)
    ws.close()
    assert no_raw_controls(text) and "ID\\<ESC>\\[2J" in text


def test_report_takes_markdown_and_html_in_values_literally(ws, tmp_path):
    """Cold test: a note's <b>x</b> reached the Markdown report raw; <img src=...> would load in a preview."""
    from ssid_tui.workspace import decisions, review_notes
    from tests.support.workspaces import sid

    decisions.annotate(ws, sid(ws, "1001"), review_notes.NOTE, "<img src=http://x/y.png> *big* [link](http://x) `c`")
    text, _ = build_report(ws)
    import re

    assert not re.search(r"(?<!\\)<img", text) and "\\<img src=http://x/y.png>" in text
    assert "\\*big\\*" in text and "\\[link\\](http://x)" in text and "\\`c\\`" in text


def test_import_selections_with_markup_ids_records_and_reports(tmp_path):
    ws = hostile_workspace(tmp_path)
    ws.close()
    marked = write(tmp_path / "[red]marked.csv",
                   "Selection,Submitted_SENR_LocalID,Result_SENR_SSID\r\n"
                   "X,[/],2234567890\r\n"
                   "X,[bold red]nobody,1234567890\r\n"
                   "X,ghost\x1b[2J,1234567890\r\n")
    result = run("import-selections", tmp_path / "w.sqlite", marked)
    assert_clean_run(result)
    assert result.exit_code == 1  # two rows could not be taken
    assert "[red]marked.csv" in result.output and "[bold red]nobody" in result.output
    assert "ghost<ESC>[2J" in flat(result.output).replace(" ", "")
    with open_workspace(tmp_path / "w.sqlite") as ws:
        assert ws.student_by_local_id("[/]").chosen_ssid == "2234567890"


def test_validate_and_match_with_markup_file_names(tmp_path):
    senr = write(tmp_path / "[red]up.txt", caret([fields("A1"), fields("[/]")]))
    result = run("validate", senr)
    assert_clean_run(result)
    assert result.exit_code == 0 and "[red]up.txt" in unfolded(result.output)
    ods = write(tmp_path / "[b]ods.txt", "\n".join(LINES) + "\n")
    result = run("ods", "load", ods, "--into", tmp_path / "[i]reg.sqlite")
    assert_clean_run(result)
    assert result.exit_code == 0 and "[i]reg.sqlite" in unfolded(result.output)
    result = run("match", senr, "--ods", tmp_path / "[i]reg.sqlite", "--workspace", tmp_path / "[b]w[i].sqlite")
    assert_clean_run(result)
    assert result.exit_code == 0 and "[b]w[i].sqlite" in unfolded(result.output)
    result = run("validate", tmp_path / "[bold]missing\x1b.txt")
    assert_clean_run(result)
    assert result.exit_code == 2 and "[bold]missing<ESC>.txt" in unfolded(result.output)


def test_review_screen_text_shows_controls_by_name(tmp_path):
    ws = hostile_workspace(tmp_path)
    s = ws.student_by_local_id("ID" + ESC_CLEAR)
    c = ws.candidates(s.id)[0]
    ws.close()
    cols = render.QueueColumns.for_width(120)
    rows: list[Text] = [render.queue_row(s, cols, current=True, conflict=False, name=f"{s.last}, {s.first}"),
                        render.candidate_row(c, 1, 120, current=True, chosen=False, wide=True),
                        render.compare_header(render.CompareColumns.for_width(120), s.local_id, 1, c.score, 1.0)]
    rows += [render.compare_line(r, render.CompareColumns.for_width(120)) for r in render.compare_rows(s, c)]
    for t in rows:
        assert no_raw_controls(t.plain), repr(t.plain)
    assert any("<ESC>" in t.plain for t in rows) and any("<U+202E>" in t.plain for t in rows)


@sync
async def test_review_app_never_writes_raw_controls(tmp_path):
    from ssid_tui.ui.app import ReviewApp

    hostile_workspace(tmp_path).close()
    app_ = ReviewApp(tmp_path / "w.sqlite")
    async with app_.run_test(size=(160, 40)) as pilot:
        await pilot.pause()
        shot = app_.export_screenshot()
        await pilot.press("J")
        await pilot.pause()
        shot += app_.export_screenshot()
    assert "\x1b" not in shot and "\u202e" not in shot and "\x07" not in shot
    assert "&lt;ESC&gt;" in shot or "<ESC>" in shot


# --- point 10: ods load keeps data gaps, lists them, fails only on structure -----------------


def test_data_gaps_and_oddities_load_and_are_listed_beside_the_registry(tmp_path):
    lines = [*LINES,
             ods_line("1000000004", "", "PEREZ", "20140101"),                 # blank legal first name
             ods_line("1000000005", "LUZ", "", "20140102"),                    # blank legal last name
             ods_line("1000000006", "ANA\x1b[2J", "RUIZ\u202e", "20140103"),   # control characters
             ods_line("1000000007", "B" * 80, "LEE", "20140104", gender="U"),  # over-long, odd gender
             ods_line("1000000008", "=cmd|' /C calc'!A0", "[bold]X", "20140105")]
    ods = write(tmp_path / "ods.txt", "\n".join(lines) + "\n")
    reg = tmp_path / "reg.sqlite"
    summary = load_extract(ods, reg)
    assert summary.ssids == 8
    assert summary.notes and summary.notes_path == tmp_path / "reg.sqlite.load-notes.csv"
    assert stat.S_IMODE(summary.notes_path.stat().st_mode) == 0o600
    text = summary.notes_path.read_text(encoding="utf-8")
    assert no_raw_controls(text)
    rows = list(csv.DictReader(text.splitlines()))
    assert {(r["line"], r["field"]) for r in rows} >= {("5", "Legal First Name"), ("6", "Legal Last Name"),
                                                       ("7", "Legal First Name"), ("7", "Legal Last Name"),
                                                       ("8", "Legal First Name"), ("8", "Gender Code")}
    assert any("<ESC>" in r["note"] for r in rows)
    for r in rows:
        for v in r.values():
            assert not v.startswith(("=", "+", "-", "@")), v
    with open_registry(reg) as r:
        assert r.size == 8
    result = run("ods", "load", ods, "--into", reg)
    assert_clean_run(result)
    assert result.exit_code == 0
    assert "Loaded as they are" in result.output and "blank legal name 2" in flat(result.output)
    assert "reg.sqlite.load-notes.csv" in flat(result.output).replace(" ", "")
    # A clean extract next time: the old list describes another extract and goes.
    load_extract(write(tmp_path / "clean.txt", "\n".join(LINES) + "\n"), reg)
    assert not summary.notes_path.exists()


def test_find_shows_registry_oddities_safely(tmp_path):
    ods = write(tmp_path / "ods.txt", "\n".join([*LINES, ods_line("1000000006", "ANA\x1b[2J", "GARCIA[/]", "20140507")]) + "\n")
    load_extract(ods, tmp_path / "reg.sqlite")
    result = run("find", "--last", "GARCIA", "--first", "ANA", "--birth-date", "20140507", "--ods", tmp_path / "reg.sqlite")
    assert_clean_run(result)
    assert result.exit_code == 0
    assert "1000000006" in result.output and "<ESC>" in result.output


@pytest.mark.parametrize(("line", "says"), [
    (ods_line("1000000009", "ANA", "KIM", "20150101") + "^extra", "has 20 fields"),
    (ods_line("١٠٠٠٠٠٠٠٠٩", "ANA", "KIM", "20150101"), "SSID"),         # Arabic-Indic digits
    (ods_line("１０００００００09", "ANA", "KIM", "20150101"), "SSID"),     # full-width digits
    (ods_line("1000000009", "ANA", "KIM", "2015０１01"), "Birth Date"),
    (ods_line("1000000009", "ANA", "KIM", "20151301"), "Birth Date"),
])
def test_structural_errors_still_fail_the_load_with_their_line(tmp_path, line, says):
    ods = write(tmp_path / "ods.txt", "\n".join([*LINES, line]) + "\n")
    with pytest.raises(RegistryError) as err:
        load_extract(ods, tmp_path / "reg.sqlite")
    assert [e.line_no for e in err.value.line_errors] == [5]
    assert says in err.value.line_errors[0].problem
    assert not (tmp_path / "reg.sqlite").exists()


# --- point 13: ASCII digits ------------------------------------------------------------------


@pytest.mark.parametrize("birth_date", ["²⁰¹⁴⁰⁵⁰⁷", "２０１４０５０７", "٢٠١٤٠٥٠٧", "2014O507"])
def test_find_refuses_digits_that_are_not_0_to_9(tmp_path, birth_date):
    load_extract(write(tmp_path / "ods.txt", "\n".join(LINES) + "\n"), tmp_path / "reg.sqlite")
    result = run("find", "--last", "GARCIA", "--first", "MARIA", "--birth-date", birth_date, "--ods", tmp_path / "reg.sqlite")
    assert_clean_run(result)
    assert result.exit_code == 2 and "0-9" in result.output


@pytest.mark.parametrize("option", ["--last", "--first", "--middle", "--state"])
def test_find_refuses_control_characters_in_names_as_validation_does(tmp_path, option):
    """Cold test: `find --last $'\\e[2J'` ran silently, where validate refuses control characters."""
    load_extract(write(tmp_path / "ods.txt", "\n".join(LINES) + "\n"), tmp_path / "reg.sqlite")
    args = {"--last": "GARCIA", "--first": "MARIA", "--middle": "", "--state": ""}
    args[option] = "AN\x1b[2JA\u202e"
    result = run("find", *[x for k, v in args.items() for x in (k, v)], "--birth-date", "20140507",
                 "--ods", tmp_path / "reg.sqlite")
    assert_clean_run(result)
    text = " ".join(result.output.split())
    assert result.exit_code == 2 and "control or invisible characters (<ESC><U+202E>)" in text, text


@pytest.mark.parametrize("key", ["birth_date", "reporting_lea", "school", "academic_year"])
def test_senr_refuses_full_width_and_arabic_digits(tmp_path, key):
    value = {"birth_date": "２０１２０３１４", "reporting_lea": "١٩٦٤٧٣٣", "school": "１９３０７１８",
             "academic_year": "２０２６-2027"}[key]
    errors = errors_on_line_3(tmp_path, fields(**{key: value}))
    assert errors and all(e.code in ("FRMT0002", "FRMT0004") for e in errors)


# --- point 14: NFD is NFC ---------------------------------------------------------------------


def test_decomposed_accents_are_normalised_and_said(tmp_path):
    nfd = caret([fields("A1", first="JOSE\u0301", last="NU\u0301N\u0303EZ"), fields("A2")]).encode("utf-8")
    path = write(tmp_path / "mac.txt", nfd)
    report = validate_path(path)
    assert report.ok and report.nfc_values == 2
    result = run("validate", path)
    assert result.exit_code == 0
    assert "2 values normalised to NFC" in flat(result.output)
    ods = write(tmp_path / "ods.txt", "\n".join([*LINES, ods_line("1000000007", "JOSÉ", "NÚÑEZ", "20120314", "M")]) + "\n")
    load_extract(ods, tmp_path / "reg.sqlite")
    result = run("match", path, "--ods", tmp_path / "reg.sqlite", "--workspace", tmp_path / "w.sqlite")
    assert result.exit_code == 0, result.output
    with open_workspace(tmp_path / "w.sqlite") as ws:
        s = ws.student_by_local_id("A1")
        assert (s.first, s.last) == ("JOSÉ", "NÚÑEZ")
        assert ws.candidates(s.id)[0].ssid == "1000000007"
        choose(ws, s.id, "1000000007")
    assert run("export", tmp_path / "w.sqlite", "--senr", tmp_path / "copy.txt").exit_code == 0
    copy = (tmp_path / "copy.txt").read_bytes()
    assert copy == nfd.replace(b"^^40117", b"^^40117").replace(b"2026-2027^^A1", b"2026-2027^1000000007^A1")
    assert "JOSE\u0301".encode() in copy  # the user's own bytes, decomposed as they were


# --- point 12: new printers cannot forget ---------------------------------------------------

#: Calls whose result is safe to print: the shared helpers, counts and our own fixed texts.
_SAFE_CALLS = {"term", "cell", "len", "plural", "plural_noun", "_shown", "_lines_text", "_rows_text", "_when",
               "_layout_text", "type"}
#: Attributes that hold numbers or the tool's own codes, never data from a file.
_SAFE_ATTRIBUTES = {"line_no", "batch", "score", "count", "code", "field_number", "field_name", "rows", "undoes",
                    "__name__"}


def _data_in(expr: ast.expr) -> list[ast.expr]:
    """Sub-expressions of `expr` that may hold file data and are not passed through term()/cell()."""
    if isinstance(expr, ast.Call):
        f = expr.func
        name = f.id if isinstance(f, ast.Name) else f.attr if isinstance(f, ast.Attribute) else ""
        if name in _SAFE_CALLS:
            return []
        found = [x for a in expr.args for x in _data_in(a)]
        return found + ([expr] if name in ("get", "join") else [])
    if isinstance(expr, ast.Attribute):
        return [] if expr.attr in _SAFE_ATTRIBUTES else [expr]
    if isinstance(expr, ast.Subscript):  # a module constant's entry (ERROR_CODES[code]) is our own text
        return [] if isinstance(expr.value, ast.Name) and expr.value.id.lstrip("_").isupper() else [expr]
    if isinstance(expr, ast.JoinedStr):
        return [x for v in expr.values if isinstance(v, ast.FormattedValue) and v.format_spec is None
                for x in _data_in(v.value)]
    if isinstance(expr, ast.BinOp):
        return _data_in(expr.left) + _data_in(expr.right)
    if isinstance(expr, ast.IfExp):
        return _data_in(expr.body) + _data_in(expr.orelse)
    return []


def test_every_cli_printer_passes_values_through_term_or_cell():
    """Structural: a value printed by a command (console.print, a table row) goes through the helpers."""
    offenders = []
    for path in sorted((Path(__file__).resolve().parents[1] / "ssid_tui" / "cli").glob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr in ("print", "add_row"):
                for arg in node.args:
                    offenders += [f"{path.name}:{x.lineno}: {ast.unparse(x)}" for x in _data_in(arg)]
    assert offenders == []


@sync
async def test_a_workspace_file_named_with_controls_is_shown_by_name_in_the_review_app(tmp_path):
    from ssid_tui.ui.app import ReviewApp

    ws = hostile_workspace(tmp_path)
    named = tmp_path / "fall\x1b[31m\x1b]0;T\x07\n.sqlite"
    ws.close()
    (tmp_path / "w.sqlite").rename(named)
    app_ = ReviewApp(named)
    async with app_.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        shot = app_.export_screenshot()
    assert "\x1b" not in shot and "\x07" not in shot, "a control byte of the file name reached the screen"
    assert "fall&lt;ESC&gt;[31m" in shot or "fall<ESC>[31m" in shot


@pytest.mark.parametrize("width", range(2, 16))
def test_a_cut_on_the_review_screen_never_splits_a_control_s_name(width):
    """Cold test: the comparison column showed `<ESC>]0;PWNED<B~` and `LOPEZ<ESC>[31mR~`."""
    import re

    from rich.text import Text

    from ssid_tui.ui import render

    value = "LOPEZ\x1b[31mRED\x07\u202eX"
    for shown_text in (render.fit(value, width), render.clip(Text(visible(value)), width).plain):
        assert len(shown_text) == width
        body = shown_text.rstrip().removesuffix("~")
        assert not re.search(r"<[A-Z0-9+]*$", body), (width, shown_text)  # no half name at the cut
        assert body == visible(value)[: len(body)]


def test_an_odd_gender_code_is_shown_in_the_load_notes_as_every_value_is():
    # it was repr(): '\x1b' and a cell of any length, where every other note says <ESC> and cuts a long one
    said = note_text(OdsNote(7, "gender", ODD_GENDER, "\x1bQ"))
    assert said == "Gender Code is '<ESC>Q'"
    long = note_text(OdsNote(7, "gender", ODD_GENDER, "M" * 500))
    assert "(500 characters)" in long and "M" * 100 not in long
