"""Whatever a file holds, reading + validating ends in SenrReadError or a report, nothing else."""

from __future__ import annotations

import io
import tempfile
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ssid_tui.formats.senr import (
    SenrReadError,
    SenrRecord,
    encode,
    iter_records,
    open_senr,
)
from ssid_tui.formats.senr_fields import SENR_FIELDS
from ssid_tui.validation.rules import (
    ERROR_CODES,
    ValidationReport,
    validate_file,
    validate_record,
    visible,
)
from tests.support.senr import TODAY, caret, fields

SETTINGS = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])

_TMP = tempfile.TemporaryDirectory(prefix="senr-prop-")  # removed when the test run ends
_DIR = Path(_TMP.name)


def outcome(data: bytes) -> ValidationReport | SenrReadError:
    """Write `data`, read and validate it; any exception but SenrReadError fails the test."""
    path = _DIR / "input.txt"
    path.write_bytes(data)
    try:
        layout = open_senr(path)
        report = validate_file(layout, today=TODAY)
    except SenrReadError as exc:
        message = str(exc)
        assert message and "\n" not in message
        return exc
    assert report.records >= 1
    for e in report.errors:
        assert e.code in ERROR_CODES and e.fix
        visible(e.value).encode("utf-8")  # every value can be shown and written to the CSV
    # Raw text is lossless: re-encoding every record gives back its original bytes.
    # Split as the reader splits: on LF, or on CR in an old-Mac file (CRs and no LF at all).
    lines = data.replace(b"\r", b"\n").splitlines(keepends=True) if b"\n" not in data else io.BytesIO(data).readlines()
    lines = [data[sum(map(len, lines[:i])):][: len(ln)] for i, ln in enumerate(lines)]
    for rec in iter_records(layout):
        assert encode(rec.raw, layout.encoding) == lines[rec.line_no - 1]
    return report


# Text that looks a little like SENR: carets, commas, quotes, line ends, letters and digits.
senr_alphabet = st.sampled_from(list("^^^^,,\"\r\n \tSENR0123456789AÉñü-'./😊Д\x00\x85\ufeff"))
senr_like_text = st.text(senr_alphabet, max_size=400)


@SETTINGS
@given(st.text(max_size=400))
def test_arbitrary_text(text):
    outcome(text.encode("utf-8"))


@SETTINGS
@given(senr_like_text)
def test_senr_like_text(text):
    outcome(text.encode("utf-8"))


@SETTINGS
@given(st.binary(max_size=400))
def test_arbitrary_bytes(data):
    outcome(data)


@SETTINGS
@given(st.lists(st.lists(st.text(senr_alphabet, max_size=12), min_size=0, max_size=40), min_size=1, max_size=6))
def test_caret_records_with_arbitrary_cells(rows):
    outcome(("\r\n".join("^".join(r) for r in rows)).encode("utf-8"))


@SETTINGS
@given(
    st.lists(st.lists(st.text(senr_alphabet, max_size=12), min_size=0, max_size=25), min_size=1, max_size=5),
    st.permutations([f.name for f in SENR_FIELDS]),
)
def test_csv_with_header_and_arbitrary_rows(rows, header):
    text = ",".join(header) + "\r\n" + "\r\n".join(",".join(r) for r in rows)
    outcome(text.encode("utf-8"))


@SETTINGS
@given(st.data())
def test_arbitrary_text_bytes_in_windows_1252(data):
    text = data.draw(st.text(st.characters(max_codepoint=0xFF), max_size=300))
    outcome(caret([fields()]).encode("utf-8") + text.encode("latin-1") + b"\xe9")


# --- arbitrary values in an otherwise valid record ------------------------------------------

field_values = st.fixed_dictionaries({}, optional={f.key: st.text(max_size=60) for f in SENR_FIELDS})


@SETTINGS
@given(field_values)
def test_arbitrary_field_values_in_a_valid_record(changes):
    row = fields(**changes)
    rec = SenrRecord(line_no=1, fields=tuple(row[:21]), field_count=35, raw="")
    errors = validate_record(rec, 21, TODAY)
    for e in errors:
        assert e.code in ERROR_CODES
        assert e.field_number in {f.number for f in SENR_FIELDS} | {"1.01-1.21"}
    # Errors only point at changed fields (or at the state, which must fit a changed country).
    changed = {f.number for f in SENR_FIELDS if f.key in changes}
    if "birth_country" in changes:
        changed.add("1.20")
    assert {e.field_number for e in errors} <= changed
    # And through a file as well (a value may hold ^ or a line end and reshape the record).
    outcome(caret([row]).encode("utf-8"))


# Letters of Basic Latin and Latin-1 Supplement; the micro sign is a Greek letter, not Latin.
latin1_letters = st.text(
    st.characters(codec="latin-1", categories=("Lu", "Ll"), exclude_characters="µ"), min_size=1, max_size=30
)


@SETTINGS
@given(latin1_letters, latin1_letters, st.sampled_from(["M", "F", "X"]))
def test_latin1_letters_and_every_gender_are_allowed(first, last, gender):
    row = fields(first=first, last=last, gender=gender)
    rec = SenrRecord(line_no=1, fields=tuple(row[:21]), field_count=35, raw="")
    assert validate_record(rec, 21, TODAY) == []
