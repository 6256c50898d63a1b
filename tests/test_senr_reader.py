"""Reading SENR files: caret or CSV, UTF-8 or Windows-1252, any line ends, lossless raw text."""

from __future__ import annotations

import csv
import importlib.util
import io
import re
from pathlib import Path

import pytest

from ssid_tui.formats.senr import (
    CP1252,
    UTF8,
    SenrReadError,
    encode,
    iter_records,
    open_senr,
    read_senr,
)
from ssid_tui.formats.senr_fields import SENR_FIELDS
from tests.support.senr import FIXTURES, caret, fields, validate_path, write


def _fixture_script():
    spec = importlib.util.spec_from_file_location("make_fixtures", FIXTURES / "make_fixtures.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


MAKE = _fixture_script()


def records_of(path: Path):
    layout = open_senr(path)
    return layout, list(iter_records(layout))


def csv_text(rows: list[list[str]], quoting: int = csv.QUOTE_MINIMAL, eol: str = "\r\n") -> str:
    buf = io.StringIO()
    csv.writer(buf, quoting=quoting, lineterminator=eol).writerows(rows)
    return buf.getvalue()


def assert_one_sentence(message: str, path: Path | None = None) -> None:
    assert "\n" not in message
    assert message.endswith(".")
    assert not re.search(r"[.!?] [A-Z]", message), message  # no second sentence
    assert "Traceback" not in message
    if path is not None:
        assert str(path) in message


# --- the fixtures ---------------------------------------------------------------------------


def test_fixtures_match_their_generator():
    for name, data in MAKE.build().items():
        assert (FIXTURES / name).read_bytes() == data, f"{name}: run python fixtures/make_fixtures.py"
        assert len(data) < 50_000


def test_fixture_field_names_agree_with_the_package():
    assert MAKE.FIELD_NAMES[:21] == tuple(f.name for f in SENR_FIELDS)
    assert len(MAKE.FIELD_NAMES) == 35


def test_clean_caret_fixture():
    layout, recs = records_of(FIXTURES / "senr_clean.txt")
    assert (layout.delimiter, layout.encoding, layout.bom, layout.header, layout.warnings) == ("^", UTF8, False, None, [])
    assert layout.shape == "caret"
    assert len(recs) == 40
    assert [r.line_no for r in recs] == list(range(1, 41))
    assert all(r.field_count == 35 and len(r.fields) == 21 for r in recs)
    assert all(r.raw.endswith("\r\n") for r in recs)
    first = recs[0]
    assert (first.get("first"), first.get("last"), first.get("birth_country")) == ("JOSÉ", "NÚÑEZ", "US")
    assert {r.get("last") for r in recs} >= {"DE LA CRUZ", "O'BRIEN", "NGUYEN-TRAN", "GARCÍA LÓPEZ"}
    assert "JI-WOO" in {r.get("first") for r in recs}
    assert len({r.get("local_id") for r in recs}) == 40
    assert all(r.get("ssid") == "" and r.get("academic_year") == "2026-2027" for r in recs)
    assert {r.get("gender") for r in recs} == {"M", "F", "X"}
    data = (FIXTURES / "senr_clean.txt").read_bytes()
    assert b"".join(encode(r.raw, layout.encoding) for r in recs) == data


def test_clean_csv_fixture_reads_the_same_records_as_the_caret_one():
    layout, recs = records_of(FIXTURES / "senr_clean.csv")
    _, caret_recs = records_of(FIXTURES / "senr_clean.txt")
    assert (layout.delimiter, layout.shape, layout.encoding) == (",", "csv", UTF8)
    assert layout.header.startswith("Record Type Code,Transaction Type Code,Local Record ID,")
    assert layout.columns == tuple(range(21))
    assert [r.fields for r in recs] == [r.fields for r in caret_recs]
    assert [r.line_no for r in recs] == list(range(2, 42))
    assert all(r.field_count == 35 for r in recs)


# --- CSV with a header row ------------------------------------------------------------------


def test_csv_with_quoted_fields(tmp_path):
    header = [f.name for f in SENR_FIELDS]
    row = fields(local_record_id='R1,"2"', last="DE LA CRUZ", first="JOSÉ")[:21]
    text = csv_text([header, row], quoting=csv.QUOTE_ALL)
    assert '"R1,""2"""' in text
    layout, recs = records_of(write(tmp_path / "q.csv", text))
    assert recs[0].fields == tuple(row)
    assert recs[0].get("local_record_id") == 'R1,"2"'


def test_csv_with_reordered_columns_and_folded_header_names(tmp_path):
    names = ["RECORD_TYPE_CODE", "transaction type code", "Local-Record-ID", "REPORTING_LEA", " School Of Attendance ",
             "school_of_attendance_nps", "AcademicYearID", "ssid", "LOCAL_STUDENT_ID", "Student_Legal_First_Name",
             "STUDENT LEGAL MIDDLE NAME", "student_legal_last_name", "Student Legal Name Suffix",
             "STUDENT_ALIAS_FIRST_NAME", "Student Alias Middle Name", "student alias last name", "STUDENT_BIRTH_DATE",
             "Student Gender Code", "STUDENT_BIRTH_CITY", "Student Birth State Province Code", "STUDENT_BIRTH_COUNTRY_CODE"]
    order = list(reversed(range(21)))  # the file lays the columns out backwards, plus one extra column first
    header = ["Notes"] + [names[i] for i in order]
    row = fields(first="ÁNGEL", last="RAMÍREZ", birth_state="US-PR", birth_country="PR")[:21]
    text = csv_text([header, ["x"] + [row[i] for i in order]])
    layout, recs = records_of(write(tmp_path / "r.csv", text))
    assert layout.columns == tuple(range(21, 0, -1))
    assert recs[0].fields == tuple(row)
    assert layout.min_fields == 22
    assert validate_path(tmp_path / "r.csv").ok


def test_csv_header_by_field_number(tmp_path):
    header = [f.number for f in SENR_FIELDS]
    _, recs = records_of(write(tmp_path / "n.csv", csv_text([header, fields()[:21]])))
    assert recs[0].fields == tuple(fields()[:21])


def test_caret_file_with_a_header_row(tmp_path):
    text = "^".join(MAKE.FIELD_NAMES) + "\r\n" + caret([fields()])
    layout, recs = records_of(write(tmp_path / "h.txt", text))
    assert (layout.delimiter, layout.header is not None) == ("^", True)
    assert [r.line_no for r in recs] == [2]
    assert recs[0].fields == tuple(fields()[:21])


def test_csv_without_header_in_senr_order_is_read_with_a_warning(tmp_path):
    layout, recs = records_of(write(tmp_path / "nh.csv", csv_text([fields(), fields("2")])))
    assert layout.delimiter == "," and layout.header is None
    assert any("without a header" in w for w in layout.warnings)
    assert [r.fields for r in recs] == [tuple(fields()[:21]), tuple(fields("2")[:21])]


def test_csv_shape_is_told_by_content_not_suffix(tmp_path):
    header = [f.name for f in SENR_FIELDS]
    assert open_senr(write(tmp_path / "a.txt", csv_text([header, fields()[:21]]))).delimiter == ","
    assert open_senr(write(tmp_path / "b.csv", caret([fields()]))).delimiter == "^"


def test_csv_bare_cr_inside_a_field_is_a_record_error_not_a_crash(tmp_path):
    # csv.reader raises on a bare CR in an unquoted field; the reader must not.
    header = [f.name for f in SENR_FIELDS]
    row = fields(birth_city="SAN\rDIEGO")[:21]
    text = csv_text([header]) + ",".join(row) + "\r\n"
    _, recs = records_of(write(tmp_path / "cr.csv", text))
    assert recs[0].get("birth_city") == "SAN\rDIEGO"
    errors = validate_path(tmp_path / "cr.csv").errors
    assert [(e.code, e.field_number, e.line_no) for e in errors] == [("IVR0009", "1.19", 2)]
    assert "<CR>" in errors[0].fix


def test_csv_field_over_csv_module_limit_is_a_length_error(tmp_path):
    header = [f.name for f in SENR_FIELDS]
    row = fields(local_record_id="R" * 20_000)[:21]
    text = csv_text([header, row])
    _, recs = records_of(write(tmp_path / "big.csv", text))
    assert recs[0].get("local_record_id") == "R" * 20_000
    errors = validate_path(tmp_path / "big.csv").errors
    assert [(e.code, e.field_number) for e in errors] == [("FRMT0001", "1.03")]


def test_line_longer_than_any_record_is_one_error_with_its_line(tmp_path):
    # Issue 8 point 15: a 200 KB line is not read whole nor shown; its line number and length are.
    header = [f.name for f in SENR_FIELDS]
    text = csv_text([header, fields()[:21], fields(local_record_id="R" * 200_000)[:21]])
    errors = validate_path(write(tmp_path / "big.csv", text)).errors
    assert [(e.code, e.field_number, e.line_no) for e in errors] == [("FRMT0001", "1.01-1.21", 3)]
    assert "200,1" in errors[0].fix and "bytes long" in errors[0].fix


def test_caret_first_line_with_bare_cr_is_read(tmp_path):
    text = caret([fields(first="AN\rA")])
    _, recs = records_of(write(tmp_path / "cr.txt", text))
    assert recs[0].get("first") == "AN\rA"


# --- encodings ------------------------------------------------------------------------------


def test_utf8_with_bom_lf_trailing_caret_and_blank_lines():
    path = FIXTURES / "senr_bom_lf.txt"
    layout, recs = records_of(path)
    assert (layout.encoding, layout.bom, layout.delimiter, layout.warnings) == (UTF8, True, "^", [])
    assert len(recs) == 12
    assert recs[0].get("record_type") == "SENR"  # the BOM is not part of the first field
    assert recs[0].raw.startswith("\ufeffSENR^")  # ... but raw keeps it, to write back exactly
    assert all(r.field_count == 35 for r in recs)  # the trailing ^ is not a 36th field
    assert all(r.raw.endswith("^\n") and not r.raw.endswith("\r\n") for r in recs)
    assert b"".join(encode(r.raw, layout.encoding) for r in recs) + b"\n\n" == path.read_bytes()


def test_utf8_without_bom(tmp_path):
    layout, recs = records_of(write(tmp_path / "u.txt", caret([fields(first="ZOË")])))
    assert (layout.encoding, layout.bom) == (UTF8, False)
    assert recs[0].get("first") == "ZOË"


def test_bom_on_a_csv_header(tmp_path):
    header = [f.name for f in SENR_FIELDS]
    layout, recs = records_of(write(tmp_path / "b.csv", b"\xef\xbb\xbf" + csv_text([header, fields()[:21]]).encode()))
    assert layout.bom and layout.delimiter == "," and layout.columns == tuple(range(21))
    assert recs[0].get("record_type") == "SENR"


def test_windows_1252_fallback():
    path = FIXTURES / "senr_cp1252.txt"
    data = path.read_bytes()
    assert "JOSÉ".encode("windows-1252") in data
    layout, recs = records_of(path)
    assert layout.encoding == CP1252
    assert len(layout.warnings) == 1 and "Windows-1252" in layout.warnings[0]
    _, utf8_recs = records_of(FIXTURES / "senr_clean.txt")
    assert [r.fields for r in recs] == [r.fields for r in utf8_recs[:12]]
    assert recs[0].get("first") == "JOSÉ" and recs[0].get("last") == "NÚÑEZ"
    lines = data.splitlines(keepends=True)
    assert [encode(r.raw, layout.encoding) for r in recs] == lines
    assert validate_path(path).ok


def test_windows_1252_with_undefined_bytes_round_trips(tmp_path):
    # 0x81 0x8D 0x8F 0x90 0x9D have no Windows-1252 character: kept as U+0081... and written back.
    line = "^".join(fields(first="JOS\u00c9")).encode("windows-1252").replace(b"JOS\xc9", b"JO\x81\x9dS\xc9") + b"\r\n"
    path = write(tmp_path / "w.txt", line)
    layout, recs = records_of(path)
    assert layout.encoding == CP1252
    assert recs[0].get("first") == "JO\x81\x9dSÉ"
    assert encode(recs[0].raw, layout.encoding) == line
    errors = validate_path(path).errors
    assert [(e.code, e.field_number) for e in errors] == [("IVR0009", "1.10")]
    assert errors[0].fix.startswith("bytes 0x81 and 0x9D are not text in Windows-1252"), errors[0].fix


def test_one_bad_utf8_byte_makes_the_whole_file_windows_1252(tmp_path):
    good = caret([fields("1", first="JOSÉ")]).encode("utf-8")
    bad = caret([fields("2", first="RENÉE")]).encode("windows-1252")
    layout, recs = records_of(write(tmp_path / "mix.txt", good + bad))
    assert layout.encoding == CP1252
    assert recs[1].get("first") == "RENÉE"
    assert recs[0].get("first") == "JOSÃ‰"  # mojibake, which the warning asks the user to check
    assert encode(recs[0].raw, CP1252) + encode(recs[1].raw, CP1252) == good + bad


def test_utf8_accent_split_across_read_chunks_is_still_utf8(tmp_path):
    # The encoding sniffer reads 1 MiB at a time: a two-byte É across the boundary is UTF-8.
    line = caret([fields(first="É")]).encode()
    pad = (1 << 20) - 1 - line.index("É".encode())
    data = b"\n" * pad + line
    assert data[(1 << 20) - 1 : (1 << 20) + 1] == "É".encode()
    layout, recs = records_of(write(tmp_path / "chunk.txt", data))
    assert layout.encoding == UTF8
    assert [(r.line_no, r.get("first")) for r in recs] == [(pad + 1, "É")]


# --- line ends, blank lines, extra fields ---------------------------------------------------


@pytest.mark.parametrize("eol", ["\r\n", "\n"])
def test_crlf_and_lf_read_the_same(tmp_path, eol):
    rows = [fields("1"), fields("2", last="O'BRIEN")]
    layout, recs = records_of(write(tmp_path / "e.txt", caret(rows, eol=eol)))
    assert [r.fields for r in recs] == [tuple(r[:21]) for r in rows]
    assert all(r.raw.endswith(eol) and r.field_count == 35 for r in recs)
    assert all(not any("\r" in f or "\n" in f for f in r.fields) for r in recs)


def test_last_line_without_line_end(tmp_path):
    text = caret([fields("1")]) + "^".join(fields("2"))
    _, recs = records_of(write(tmp_path / "n.txt", text))
    assert [r.get("local_id") for r in recs] == ["1", "2"]
    assert recs[1].raw == "^".join(fields("2"))


def test_blank_lines_anywhere_are_skipped_and_line_numbers_stay_true(tmp_path):
    text = "\r\n   \r\n" + caret([fields("1")]) + "\r\n\t\r\n" + caret([fields("2")]) + "\r\n\r\n\n"
    _, recs = records_of(write(tmp_path / "b.txt", text))
    assert [(r.line_no, r.get("local_id")) for r in recs] == [(3, "1"), (6, "2")]


@pytest.mark.parametrize("width", [21, 34, 35, 39, 40])
def test_trailing_caret_is_not_a_field(tmp_path, width):
    row = (fields() + ["X"] * 5)[:width]
    row[-1] = "Z"
    _, recs = records_of(write(tmp_path / "t.txt", "^".join(row) + "^\r\n"))
    assert recs[0].field_count == width
    assert recs[0].fields == tuple(row[:21])


def test_fields_after_1_21_are_kept_in_raw(tmp_path):
    row = fields()
    row[21:35] = [f"EXTRA{i}" for i in range(22, 36)]
    row.extend(["X36", "X37", "X38", "X39"])
    text = "^".join(row) + "\r\n"
    _, recs = records_of(write(tmp_path / "x.txt", text))
    assert recs[0].raw == text
    assert recs[0].field_count == 39
    assert len(recs[0].fields) == 21
    assert "EXTRA35^X36" in recs[0].raw


def test_short_record_keeps_what_it_has(tmp_path):
    _, recs = records_of(write(tmp_path / "s.txt", "^".join(fields()[:10]) + "\r\n"))
    assert recs[0].field_count == 10 and len(recs[0].fields) == 10
    assert recs[0].get("last") == ""  # absent fields read as blank


def test_read_senr_reads_everything(tmp_path):
    layout, recs = read_senr(FIXTURES / "senr_clean.txt")
    assert layout.delimiter == "^" and len(recs) == 40


# --- unusable input: one clear sentence -----------------------------------------------------


def test_missing_file(tmp_path):
    path = tmp_path / "nope.txt"
    with pytest.raises(SenrReadError) as exc:
        open_senr(path)
    assert "does not exist" in str(exc.value)
    assert_one_sentence(str(exc.value), path)


def test_directory(tmp_path):
    with pytest.raises(SenrReadError) as exc:
        open_senr(tmp_path)
    assert "folder" in str(exc.value)
    assert_one_sentence(str(exc.value), tmp_path)


@pytest.mark.parametrize("data", [None, b"SENR^\x00^1964733\r\n", b"\x00" * 10, b"\xff\xfeS\x00E\x00N\x00R\x00"])
def test_binary_with_nul_bytes(tmp_path, data):
    path = FIXTURES / "senr_binary.dat" if data is None else write(tmp_path / "bin.txt", data)
    with pytest.raises(SenrReadError) as exc:
        open_senr(path)
    assert "binary" in str(exc.value)
    assert_one_sentence(str(exc.value), path)


def test_empty_file(tmp_path):
    path = write(tmp_path / "empty.txt", b"")
    with pytest.raises(SenrReadError) as exc:
        open_senr(path)
    assert "empty" in str(exc.value)
    assert_one_sentence(str(exc.value), path)


@pytest.mark.parametrize("data", [b"\r\n", b"\n\n\n", b"  \r\n\t\r\n", b"\xef\xbb\xbf\r\n\r\n"])
def test_only_blank_lines(tmp_path, data):
    path = write(tmp_path / "blank.txt", data)
    with pytest.raises(SenrReadError) as exc:
        open_senr(path)
    assert "blank" in str(exc.value)
    assert_one_sentence(str(exc.value), path)


def test_csv_header_missing_a_required_column():
    path = FIXTURES / "senr_missing_column.csv"
    with pytest.raises(SenrReadError) as exc:
        open_senr(path)
    message = str(exc.value)
    assert "1.12 Student Legal Last Name" in message and "that column" in message
    assert_one_sentence(message, path)


def test_csv_header_missing_several_columns(tmp_path):
    header = [f.name for f in SENR_FIELDS if f.number not in ("1.17", "1.18")]
    path = write(tmp_path / "m.csv", csv_text([header, ["x"] * 19]))
    with pytest.raises(SenrReadError) as exc:
        open_senr(path)
    message = str(exc.value)
    assert "1.17 Student Birth Date, 1.18 Student Gender Code" in message and "those columns" in message
    assert_one_sentence(message, path)


def test_csv_header_without_records(tmp_path):
    header = [f.name for f in SENR_FIELDS]
    path = write(tmp_path / "h.csv", csv_text([header]) + "\r\n\r\n")
    with pytest.raises(SenrReadError) as exc:
        open_senr(path)
    assert "no records" in str(exc.value)
    assert_one_sentence(str(exc.value), path)


@pytest.mark.parametrize("text", ["hello world\r\n", "Name,Birthday\r\nJOSE,2012\r\n", "{\"json\": true}\n"])
def test_neither_caret_nor_csv(tmp_path, text):
    path = write(tmp_path / "other.txt", text)
    with pytest.raises(SenrReadError) as exc:
        open_senr(path)
    assert "neither" in str(exc.value)
    assert_one_sentence(str(exc.value), path)
