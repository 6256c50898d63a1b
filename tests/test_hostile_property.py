"""Issue 8, "What to show": arbitrary Unicode in every SENR and extract field, through every command.

Controls, bidi overrides, Rich markup and spreadsheet formulas go into one field of the
upload or the registry extract; validate, ods load, match, export, status and history run
through the CLI. Whatever the value: no internal error, no raw control character on the
terminal or in a CSV, and every CSV cell safe to open in a spreadsheet.
"""

from __future__ import annotations

import csv
import io
import tempfile
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

import ssid_tui.cli  # noqa: F401  (registers the commands)
from ssid_tui.cli.app import app
from ssid_tui.formats.ods import ODS_FIELDS
from ssid_tui.formats.safe_text import visible
from ssid_tui.formats.senr_fields import SENR_FIELDS
from ssid_tui.formats.spreadsheet import FORMULA_STARTS
from ssid_tui.workspace.decisions import choose
from ssid_tui.workspace.store import open_workspace
from tests.support.senr import caret, fields

runner = CliRunner()

SETTINGS = settings(max_examples=20, deadline=None, suppress_health_check=[HealthCheck.too_slow])

#: Pieces a hostile file would hold, mixed with any Unicode character at all.
PIECES = ["\x1b[2J", "\x1b]0;pwned\x07", "\u202e", "\u2066", "\u200b", "\ufeff", "\x00", "\x7f", "\x85",
          "[/]", "[bold red]X", "[link=http://x]", ":smile:", "=1+1", "+SUM(A1)", "-2", "@cmd", "\t", "\r",
          "JOSE\u0301", "١٢", "２０", "'", '"', ","]
hostile_text = st.lists(st.one_of(st.sampled_from(PIECES), st.characters(), st.text(max_size=3)),
                        min_size=1, max_size=6).map("".join)


def ods_line(**changes: str) -> str:
    """A registry line that matches the upload's default student, with one field changed."""
    values = {"ssid": "1000000007", "create_date": "20190815", "first": "JOSÉ", "middle": "ANTONIO",
              "last": "NÚÑEZ", "suffix": "", "alias_first": "", "alias_middle": "", "alias_last": "",
              "birth_date": "20120314", "gender": "M", "birth_city": "LOS ANGELES", "birth_state": "US-CA",
              "birth_country": "US", "lea": "1964733", "school": "1930718", "grade": "08",
              "enroll_start": "20250814", "enroll_exit": ""}
    values.update(changes)
    return "^".join(values[k] for k in ODS_FIELDS)


def terminal_safe(text: str) -> bool:
    """No control or format character but line ends."""
    body = text.replace("\n", "")
    return visible(body) == body


def check_run(result, label: str) -> None:
    assert result.exception is None or isinstance(result.exception, SystemExit), (label, repr(result.exception))
    assert result.exit_code in (0, 1, 2), (label, result.exit_code, result.output[-500:])
    assert "internal error" not in result.output and "Traceback" not in result.output, label
    assert terminal_safe(result.output), (label, result.output[-500:])


def check_csvs(folder: Path) -> None:
    for path in folder.rglob("*.csv"):
        raw = path.read_text(encoding="utf-8-sig")
        assert terminal_safe(raw.replace("\r\n", "\n")), path.name
        for row in csv.reader(io.StringIO(raw, newline="")):
            for c in row:
                assert not c.startswith(FORMULA_STARTS), (path.name, c)


def run(label: str, *args: object):
    result = runner.invoke(app, [str(a) for a in args])
    check_run(result, label)
    return result


def whole_flow(tmp: Path, senr_rows: list[list[str]], ods_lines: list[str]) -> None:
    """validate, ods load, match, then choose, export, status and history on what was made."""
    senr = tmp / "upload.txt"
    senr.write_bytes(caret(senr_rows).encode("utf-8", errors="surrogatepass"))
    (tmp / "ods.txt").write_bytes(("\n".join(ods_lines) + "\n").encode("utf-8", errors="surrogatepass"))
    run("validate", "validate", senr)
    run("ods load", "ods", "load", tmp / "ods.txt", "--into", tmp / "reg.sqlite")
    ws = tmp / "w.sqlite"
    matched = run("match", "match", senr, "--ods", tmp / "reg.sqlite", "--workspace", ws)
    if matched.exit_code == 0:
        with open_workspace(ws) as w:
            for s in w.all_students():
                cands = w.candidates(s.id)
                if cands:
                    choose(w, s.id, cands[0].ssid)
                    break
        out = tmp / "out"
        out.mkdir()
        run("export", "export", ws, "--to", out, "--allow-conflicts")
        run("status", "status", ws)
        run("history", "history", ws)
    check_csvs(tmp)


@SETTINGS
@given(st.sampled_from(SENR_FIELDS), hostile_text)
def test_any_text_in_any_senr_field(field, value):
    with tempfile.TemporaryDirectory(prefix="hostile-senr-") as d:
        whole_flow(Path(d), [fields("A1"), fields(**{"local_id": "A2", field.key: value})], [ods_line()])


@SETTINGS
@given(st.sampled_from([f for f in ODS_FIELDS if f != "ssid"]), hostile_text, hostile_text)
def test_any_text_in_any_extract_field_and_local_id(key, value, local_id):
    with tempfile.TemporaryDirectory(prefix="hostile-ods-") as d:
        whole_flow(Path(d), [fields("A1"), fields(local_id[:16])], [ods_line(**{key: value})])
