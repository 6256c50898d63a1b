"""Build SENR records and files in tests: one valid record, changed field by field."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from ssid_tui.formats.senr import open_senr
from ssid_tui.formats.senr_fields import FIELD_BY_KEY
from ssid_tui.validation.rules import ValidationError, ValidationReport, validate_file

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures"

#: The fixed "today" of the future-birth-date rule in every test.
TODAY = dt.date(2026, 11, 28)

WIDTH = 35

_VALID = {
    "record_type": "SENR",
    "transaction_type": "",
    "local_record_id": "R00001",
    "reporting_lea": "1964733",
    "school": "1930718",
    "school_nps": "",
    "academic_year": "2026-2027",
    "ssid": "",
    "local_id": "40117",
    "first": "JOSÉ",
    "middle": "ANTONIO",
    "last": "NÚÑEZ",
    "suffix": "",
    "alias_first": "",
    "alias_middle": "",
    "alias_last": "",
    "birth_date": "20120314",
    "gender": "M",
    "birth_city": "LOS ANGELES",
    "birth_state": "US-CA",
    "birth_country": "US",
}


def fields(local_id: str | None = None, **changes: str) -> list[str]:
    """A valid 35-field record, with `changes` by SENR key (e.g. last="O'BRIEN")."""
    out = [""] * WIDTH
    values = dict(_VALID)
    if local_id is not None:
        values["local_id"] = local_id
    unknown = set(changes) - set(values)
    if unknown:
        raise KeyError(f"not SENR keys: {sorted(unknown)}")
    values.update(changes)
    for key, value in values.items():
        out[FIELD_BY_KEY[key].index] = value
    out[21:24] = ["20260812", "10", "08"]
    out[30] = "1964733"
    out[34] = "N"
    return out


def caret(rows: list[list[str]], eol: str = "\r\n") -> str:
    """Rows as ^-delimited lines."""
    return "".join("^".join(r) + eol for r in rows)


def write(path: Path, text: str | bytes, encoding: str = "utf-8") -> Path:
    """Write `text` (or raw bytes) to `path` and return it."""
    path.write_bytes(text if isinstance(text, bytes) else text.encode(encoding))
    return path


def validate_path(path: Path, today: dt.date = TODAY) -> ValidationReport:
    """open_senr + validate_file with the fixed today."""
    return validate_file(open_senr(path), today=today)


def validate_rows(tmp_path: Path, rows: list[list[str]], today: dt.date = TODAY) -> ValidationReport:
    """Write `rows` as a caret file and validate it."""
    return validate_path(write(tmp_path / "senr.txt", caret(rows)), today)


def errors_on_line_3(tmp_path: Path, row: list[str], today: dt.date = TODAY) -> list[ValidationError]:
    """Validate `row` as line 3 of a file whose lines 1-2 are clean; return its errors.

    Asserts that the clean lines stay clean, so errors never leak onto other lines.
    """
    rows = [fields("L1"), fields("L2", first="MARÍA", gender="F"), row]
    report = validate_rows(tmp_path, rows, today)
    assert {e.line_no for e in report.errors} <= {3}, report.errors
    return report.errors
