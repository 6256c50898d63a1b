"""The whole loop through the real commands: load a registry, match a fixture, export the
results, mark them as a spreadsheet would, import, export the SIS file and the SENR copy."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest
from typer.testing import CliRunner

import ssid_tui.cli  # noqa: F401  (registers the commands)
from ssid_tui.cli.app import app
from ssid_tui.formats.senr import read_senr

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures"
runner = CliRunner()


def invoke(*args):
    result = runner.invoke(app, [str(a) for a in args])
    assert result.exit_code == 0, result.output
    return result


@pytest.fixture(scope="module")
def registry(tmp_path_factory) -> Path:
    """A registry holding every fixture student once, with a made-up SSID."""
    folder = tmp_path_factory.mktemp("reg")
    lines, seen = [], set()
    for name in ("senr_clean.txt", "senr_cp1252.txt", "senr_bom_lf.txt"):
        _layout, records = read_senr(FIXTURES / name)
        for r in records:
            g = r.get
            if (g("local_id"), g("first")) in seen:
                continue
            seen.add((g("local_id"), g("first")))
            lines.append("^".join([
                str(3000000000 + len(lines)), "20180101", g("first"), g("middle"), g("last"), g("suffix"),
                g("alias_first"), g("alias_middle"), g("alias_last"), g("birth_date"), g("gender"), g("birth_city"),
                g("birth_state"), g("birth_country"), g("reporting_lea"), g("school"), "05", "20250814", "",
            ]))
    extract = folder / "ods.txt"
    extract.write_text("\n".join(lines) + "\n", encoding="utf-8")
    invoke("ods", "load", extract, "--into", folder / "reg.sqlite")
    return folder / "reg.sqlite"


@pytest.mark.parametrize("name", ["senr_clean.txt", "senr_clean.csv", "senr_cp1252.txt", "senr_bom_lf.txt"])
def test_match_mark_import_export(tmp_path, registry, name):
    senr = tmp_path / name
    senr.write_bytes((FIXTURES / name).read_bytes())
    ws = tmp_path / "w.sqlite"
    invoke("match", senr, "--ods", registry, "--workspace", ws)
    results = tmp_path / "results.csv"
    invoke("export", ws, "--results", results)
    with open(results, newline="", encoding="utf-8") as fh:
        rows = list(csv.reader(fh))
    marks = set()
    for i, r in enumerate(rows[1:]):
        if i % 3 == 0 and r[7]:
            r[2] = "x"
            marks.add((r[3], r[7]))
    buf = io.StringIO(newline="")
    csv.writer(buf, quoting=csv.QUOTE_ALL, lineterminator="\r\n").writerows(rows)
    marked = tmp_path / "marked.csv"
    marked.write_bytes(buf.getvalue().encode("utf-8-sig"))
    out = invoke("import-selections", ws, marked).output
    assert f"Took {len(marks)} choices: recorded {len(marks)}." in " ".join(out.split())

    sis, copy = tmp_path / "sis.csv", tmp_path / "copy.txt"
    invoke("export", ws, "--sis", sis, "--senr", copy)
    with open(sis, newline="", encoding="utf-8") as fh:
        assert {tuple(r) for r in list(csv.reader(fh))[1:]} == marks
    original = senr.read_bytes()
    if name == "senr_bom_lf.txt":
        original = original.rstrip(b"\n") + b"\n"  # blank lines are not records: the copy leaves them out
    got = copy.read_bytes()
    assert len(got) == len(original) + 10 * len(marks)
    # the copy read back: the chosen SSIDs in 1.08, every other field as submitted
    _l0, before = read_senr(senr)
    _l1, after = read_senr(copy)
    chosen = dict(marks)
    assert [r.fields[:7] + r.fields[8:] for r in after] == [r.fields[:7] + r.fields[8:] for r in before]
    assert [r.get("ssid") for r in after] == [chosen.get(r.get("local_id"), "") for r in before]
    # and byte for byte: take the SSIDs out again and the submitted file comes back
    for r in after:
        if r.get("ssid"):
            got = got.replace(r.get("ssid").encode(), b"", 1)
    assert got == original
