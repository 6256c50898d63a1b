"""The SENR copy: byte-identical to the submitted file except field 1.08 of chosen records.

Each case writes the "submitted file" from record templates holding `{S}` where field 1.08
is; the original has it blank, the expected copy has the chosen SSID there. The workspace
is built with each record's `raw` (the exact line text, line end included) and the run's
senr_layout, as the matcher stores them.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import pytest

from ssid_tui.exports import writers as ex
from ssid_tui.formats.senr import CP1252, UTF8, decode, encode, read_senr
from ssid_tui.formats.senr_fields import SENR_FIELDS
from ssid_tui.workspace.decisions import choose, mark_none
from tests.support.workspaces import build_workspace, candidate, sid, student

NAMES = [f.name for f in SENR_FIELDS] + [f"Extra {i}" for i in range(22, 36)]

# (local id, first, last, birth date, SSID of its candidate, decision)
PEOPLE = [
    ("40117", "JOSÉ", "NÚÑEZ", "20120314", "1111111111", "chosen"),
    ("40154", "MARÍA", "GARCÍA LÓPEZ", "20100922", "2222222222", "undecided"),
    ("00731", "ZOË", "O'BRIEN", "20150505", "3333333333", "none"),
    ("40200", "ANA", "RUIZ", "20110101", "4444444444", "chosen"),
]


def fields_for(i: int, person: tuple[str, ...], extra: str = "") -> list[str]:
    lid, first, last, bd, _ssid, _d = person
    f = [""] * 35
    f[0], f[1], f[2], f[3], f[4], f[6] = "SENR", "A", f"R{i:05d}", "1964733", "1930056", "2026-2027"
    f[7] = "{S}"
    f[8], f[9], f[11], f[16], f[17], f[19], f[20] = lid, first, last, bd, "F", "US-CA", "US"
    f[21], f[30], f[34] = "20260812", "1964733", extra or "N"
    return f


def csv_cell(value: str, force_quotes: bool = False) -> str:
    if force_quotes or any(c in value for c in ',"'):
        return '"' + value.replace('"', '""') + '"'
    return value


@dataclass
class Case:
    name: str
    encoding: str
    bom: bool
    delimiter: str
    eol: str
    header: str | None
    templates: list[str]  # one per person, line end included, `{S}` where 1.08 is


def caret_case(name: str, encoding: str, bom: bool, eol: str, *, last_eol: bool = True) -> Case:
    lines = []
    for i, p in enumerate(PEOPLE):
        # Windows-1252 undefined byte 0x81 in a carried-through field, and a trailing ^ on one line.
        extra = "N\x81" if encoding == CP1252 and i == 1 else ""
        line = "^".join(fields_for(i, p, extra)) + ("^" if i == 2 else "")
        lines.append(line + (eol if last_eol or i < len(PEOPLE) - 1 else ""))
    return Case(name, encoding, bom, "^", eol, None, lines)


def csv_case(name: str, encoding: str, bom: bool, eol: str, *, header: bool = True, order: list[int] | None = None) -> Case:
    order = order or list(range(35))
    lines = []
    for i, p in enumerate(PEOPLE):
        f = fields_for(i, p)
        f[2] = 'R,"1"' if i == 0 else f[2]  # a quoted cell with a comma and quotes before 1.08
        cells = []
        for col in order:
            if col == 7:
                cells.append('"{S}"' if i == 3 else "{S}")  # one record has 1.08 quoted: ""
            else:
                cells.append(csv_cell(f[col], force_quotes=(col == 11 and i == 1)))
        lines.append(",".join(cells) + eol)
    head = ",".join(NAMES[c] for c in order) if header else None
    return Case(name, encoding, bom, ",", eol, head, lines)


REORDERED = [8, 0, 1, 2, 3, 4, 5, 6, *range(9, 35), 7]  # Local Student ID first, SSID last

CASES = [
    caret_case("caret-crlf-utf8", UTF8, False, "\r\n"),
    caret_case("caret-lf-utf8-bom", UTF8, True, "\n"),
    caret_case("caret-crlf-cp1252-no-final-eol", CP1252, False, "\r\n", last_eol=False),
    caret_case("caret-lf-cp1252", CP1252, False, "\n"),
    csv_case("csv-header-crlf-utf8-bom", UTF8, True, "\r\n"),
    csv_case("csv-header-lf-utf8", UTF8, False, "\n"),
    csv_case("csv-header-crlf-cp1252-reordered", CP1252, False, "\r\n", order=REORDERED),
    csv_case("csv-no-header-lf-utf8", UTF8, False, "\n", header=False),
]


def file_bytes(case: Case, filled: bool) -> bytes:
    text = "" if case.header is None else case.header + case.eol
    for p, t in zip(PEOPLE, case.templates, strict=True):
        text += t.replace("{S}", p[4] if filled and p[5] == "chosen" else "")
    data = encode(text, case.encoding)
    return (b"\xef\xbb\xbf" if case.bom else b"") + data


def build(case: Case, tmp_path: Path):
    students = []
    for i, (p, t) in enumerate(zip(PEOPLE, case.templates, strict=True)):
        raw = t.replace("{S}", "")
        if i == 0 and case.bom and case.header is None:
            raw = "\ufeff" + raw  # the reader keeps line 1 as read, byte-order mark included
        lid, first, last, bd, ssid, _d = p
        students.append(student(lid, first, last, bd, raw=raw,
                                candidates=[candidate(ssid, 95, first, last, bd), candidate("9" + ssid[1:], 60, first, last, bd)]))
    layout = {"encoding": case.encoding, "bom": case.bom, "delimiter": case.delimiter, "header": case.header}
    ws = build_workspace(tmp_path / "w.sqlite", students, layout, senr_path="senr.txt")
    for p in PEOPLE:
        if p[5] == "chosen":
            choose(ws, sid(ws, p[0]), p[4])
        elif p[5] == "none":
            mark_none(ws, sid(ws, p[0]))
    return ws


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_senr_copy_differs_only_in_field_1_08(case, tmp_path):
    original, expected = file_bytes(case, False), file_bytes(case, True)
    ws = build(case, tmp_path)
    out = tmp_path / "copy.txt"
    assert ex.write_senr(ws, out) == 2
    ws.close()
    got = out.read_bytes()
    assert got == expected
    # and only the SSID digits were added: remove them and the original comes back
    assert got.replace(b"1111111111", b"").replace(b"4444444444", b"") == original


def test_cp1252_case_really_has_non_utf8_bytes():
    data = file_bytes(CASES[2], True)
    assert b"N\xda\xd1EZ" in data and b"\x81" in data  # NÚÑEZ and an undefined byte, as single bytes
    with pytest.raises(UnicodeDecodeError):
        data.decode("utf-8")


@pytest.mark.parametrize("case", CASES[:7], ids=[c.name for c in CASES[:7]])
def test_layout_and_raw_as_the_reader_gives_them(case, tmp_path):
    """What this test file assumes about `raw` and the layout is what ssid_tui.formats.senr actually produces."""
    path = tmp_path / "senr.txt"
    path.write_bytes(file_bytes(case, False))
    layout, records = read_senr(path)
    assert (layout.encoding, layout.bom, layout.delimiter, layout.header) == (case.encoding, case.bom, case.delimiter, case.header)
    assert [r.raw for r in records] == [r.raw for r in build_raws(case)]


@dataclass
class _Raw:
    raw: str


def build_raws(case: Case) -> list[_Raw]:
    out = []
    for i, t in enumerate(case.templates):
        raw = t.replace("{S}", "")
        if i == 0 and case.bom and case.header is None:
            raw = "\ufeff" + raw
        out.append(_Raw(raw))
    return out


def test_copy_of_the_copy_is_read_back_with_ssids(tmp_path):
    """The filled CSV copy is still a valid file for the reader, with 1.08 where the header says."""
    case = CASES[6]  # reordered CSV, Windows-1252
    ws = build(case, tmp_path)
    out = tmp_path / "copy.csv"
    ex.write_senr(ws, out)
    ws.close()
    _layout, records = read_senr(out)
    assert [(r.get("local_id"), r.get("ssid")) for r in records] == [
        ("40117", "1111111111"), ("40154", ""), ("00731", ""), ("40200", "4444444444")]
    assert [r.get("last") for r in records] == ["NÚÑEZ", "GARCÍA LÓPEZ", "O'BRIEN", "RUIZ"]


def test_header_without_ssid_column_is_one_sentence(tmp_path):
    case = csv_case("x", UTF8, False, "\n")
    case.header = re.sub(r",SSID,", ",Not It,", case.header or "")
    ws = build(case, tmp_path)
    with pytest.raises(ex.ExportError, match="no SSID column"):
        ex.write_senr(ws, tmp_path / "copy.csv")
    ws.close()
    assert not (tmp_path / "copy.csv").exists()


def test_decode_encode_roundtrip_of_undefined_bytes():
    assert encode(decode(b"\x81\x8d\x8f\x90\x9d\xc9", CP1252), CP1252) == b"\x81\x8d\x8f\x90\x9d\xc9"


# -- property: filling one cell of any CSV line changes that cell only --------------------------

from hypothesis import given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

_cell_text = st.text(alphabet=st.sampled_from(list('ab ,"^É\x81')), max_size=6)


@settings(max_examples=300, deadline=None)
@given(cells=st.lists(_cell_text, min_size=9, max_size=14), quote_all=st.booleans(), column=st.integers(0, 8),
       eol=st.sampled_from(["\r\n", "\n", ""]))
def test_fill_ssid_changes_only_that_cell(cells, quote_all, column, eol):
    import csv as _csv
    import io as _io

    buf = _io.StringIO(newline="")
    _csv.writer(buf, quoting=_csv.QUOTE_ALL if quote_all else _csv.QUOTE_MINIMAL, lineterminator="").writerow(cells)
    line = buf.getvalue() + eol
    filled = ex.fill_ssid(line, "1234567890", column, ",")
    assert filled.endswith(eol)
    parsed = next(_csv.reader([filled[: len(filled) - len(eol)]]))
    assert parsed == cells[:column] + ["1234567890"] + cells[column + 1:]
    # everything outside the cell is byte-for-byte the same
    start, end, _q = ex.cell_span(line[: len(line) - len(eol)], column, ",")
    assert filled[:start] == line[:start]
    assert filled[len(filled) - (len(line) - end):] == line[end:]


@settings(max_examples=200, deadline=None)
@given(cells=st.lists(st.text(alphabet=st.sampled_from(list("ab ,\"É\x81")), max_size=5), min_size=21, max_size=40),
       eol=st.sampled_from(["\r\n", "\n"]))
def test_fill_ssid_caret(cells, eol):
    line = "^".join(cells) + eol
    filled = ex.fill_ssid(line, "1234567890", 7, "^")
    assert filled.split("^") == [*cells[:7], "1234567890", *cells[8:-1], cells[-1] + eol]
