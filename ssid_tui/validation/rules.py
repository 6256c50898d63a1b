"""SENR validation: every rule of the matching fields, every error in one pass.

Any error fails the whole file (CDE), so the report must let the user fix the file once:
each error names the line, the field, the value as read, a CALPADS-style code and a fix.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field

from ssid_tui.formats.codes import (
    ALL_STATE_CODES,
    GENDER_CODES,
    STATES_BY_COUNTRY,
    TRANSACTION_CODES,
    country_codes,
    state_fix,
)
from ssid_tui.formats.senr import SenrLayout, SenrRecord, iter_records
from ssid_tui.formats.senr_fields import FIELD_BY_KEY, SENR_FIELDS, SenrField

#: What each error code means (CALPADS families), for reports and help.
ERROR_CODES: dict[str, str] = {
    "FRMT0001": "value longer than the field allows, or a record with too few fields",
    "FRMT0002": "not a valid CCYYMMDD date",
    "FRMT0004": "value of the wrong shape",
    "GERR0001": "required field is blank",
    "GERR0002": "value not in the code set",
    "IVR0009": "character not allowed in a name or city field",
    "IVR0668": "birth date in the future",
    "SENR0036": "birth state does not belong to the birth country",
    "SSID0001": "SSID is filled in; files for matching must have it blank",
    "DUPL0001": "Local Student ID appears more than once in the file",
}

# Letters of Basic Latin and Latin-1 Supplement (not x and ÷), digits, . - ' / and space.
_NAME_CHARS = re.compile(r"[A-Za-z0-9À-ÖØ-öø-ÿ.\-'/ ]*")
# [0-9], not \d: \d also matches Arabic-Indic, full-width and other Unicode digits.
_SEVEN_DIGITS = re.compile(r"[0-9]{7}")
_DATE = re.compile(r"[0-9]{8}")
_YEAR_ID = re.compile(r"([0-9]{4})-([0-9]{4})")
_NAME_KEYS = ("first", "middle", "last", "suffix", "alias_first", "alias_middle", "alias_last", "birth_city")


@dataclass(frozen=True)
class ValidationError:
    """One problem in one field of one record."""

    line_no: int
    field_number: str
    field_name: str
    value: str
    code: str
    fix: str


@dataclass
class ValidationReport:
    """The outcome of validating a whole file."""

    layout: SenrLayout
    records: int = 0
    widths: Counter[int] = field(default_factory=Counter)
    errors: list[ValidationError] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        """True when the file has no error and can be matched."""
        return not self.errors and self.records > 0

    def counts_by_code(self) -> Counter[str]:
        """How many errors of each code."""
        return Counter(e.code for e in self.errors)


def visible(value: str) -> str:
    """Show a value with invisible characters made visible (tabs, controls, odd spaces)."""
    out = []
    for ch in value:
        o = ord(ch)
        if ch == " ":
            out.append(" ")
        elif o < 0x20 or o == 0x7F or 0x80 <= o <= 0x9F:
            out.append(f"<{o:02X}>" if ch != "\t" else "<TAB>")
        elif ch in "\u00a0\u200b\u200c\u200d\u2060\ufeff\u2028\u2029" or (0x2000 <= o <= 0x200A):
            out.append(f"<U+{o:04X}>")
        else:
            out.append(ch)
    return "".join(out)


def _err(rec: SenrRecord, f: SenrField, code: str, fix: str, value: str | None = None) -> ValidationError:
    return ValidationError(rec.line_no, f.number, f.name, rec.get(f.index) if value is None else value, code, fix)


def _bad_chars(value: str) -> str:
    return "".join(sorted({visible(c) for c in value if not _NAME_CHARS.fullmatch(c)}))


def _allowed_chars(value: str) -> str:
    """What the name fields allow; naming the alphabet when a letter of another one (Cyrillic, Greek...) was used."""
    if any(c.isalpha() and not _NAME_CHARS.fullmatch(c) and not unicodedata.name(c, "").startswith("LATIN")
           for c in value):
        return ("only Latin letters (A-Z, and accented ones such as É or Ñ), digits, . - ' / and space are allowed: "
                "write the name in Latin letters")
    return "only letters, digits, . - ' / and space are allowed"


def _parse_date(value: str) -> dt.date | None:
    if not _DATE.fullmatch(value):
        return None
    try:
        return dt.date(int(value[:4]), int(value[4:6]), int(value[6:]))
    except ValueError:
        return None


def validate_record(rec: SenrRecord, min_fields: int, today: dt.date) -> list[ValidationError]:
    """Check one record against every rule of fields 1.01-1.21; cross-record rules are not here."""
    errors: list[ValidationError] = []
    F = FIELD_BY_KEY
    if rec.field_count < min_fields:
        errors.append(
            ValidationError(
                rec.line_no, "1.01-1.21", "Record", f"{rec.field_count} fields", "FRMT0001",
                f"the record has {rec.field_count} fields; it needs at least {min_fields} "
                "(check for a missing ^ or a line broken in two)",
            )
        )
    present = len(rec.fields)
    for f in SENR_FIELDS:
        if f.index >= present:
            continue
        value = rec.fields[f.index]
        if len(value) > f.max_len:
            errors.append(_err(rec, f, "FRMT0001", f"shorten to at most {f.max_len} characters (it has {len(value)})"))
        if f.required and not value.strip():
            errors.append(_err(rec, f, "GERR0001", f"fill in {f.name}: it is required for matching"))
    g = rec.get
    if present > 0 and g("record_type").strip() and g("record_type") != "SENR":
        errors.append(_err(rec, F["record_type"], "FRMT0004", "the record type must be SENR"))
    if present > 1 and g("transaction_type") not in TRANSACTION_CODES:
        errors.append(_err(rec, F["transaction_type"], "GERR0002", "use blank, A, D or R"))
    for key in ("reporting_lea", "school"):
        v = g(key)
        if present > F[key].index and v.strip() and not _SEVEN_DIGITS.fullmatch(v):
            errors.append(_err(rec, F[key], "FRMT0004", "use the 7-digit CDS code (digits only, keep leading zeros)"))
    v = g("school_nps")
    if v and not _SEVEN_DIGITS.fullmatch(v):
        errors.append(_err(rec, F["school_nps"], "FRMT0004", "leave blank or use a 7-digit code"))
    v = g("academic_year")
    if v:
        m = _YEAR_ID.fullmatch(v)
        if not m or int(m.group(2)) != int(m.group(1)) + 1:
            errors.append(_err(rec, F["academic_year"], "FRMT0004", "leave blank or write CCYY-CCYY, e.g. 2026-2027"))
    if g("ssid").strip():
        errors.append(_err(rec, F["ssid"], "SSID0001", "blank out the SSID: a file sent for matching must not carry SSIDs"))
    for key in _NAME_KEYS:
        v = g(key)
        if v and not _NAME_CHARS.fullmatch(v):
            errors.append(
                _err(rec, F[key], "IVR0009", f"remove {_bad_chars(v)}: {_allowed_chars(v)}")
            )
    bd = g("birth_date")
    if bd.strip():
        date = _parse_date(bd)
        if date is None:
            errors.append(_err(rec, F["birth_date"], "FRMT0002", "write a real date as CCYYMMDD, e.g. 20140507"))
        elif date > today:
            errors.append(_err(rec, F["birth_date"], "IVR0668", "the birth date is in the future: check the year"))
    gender = g("gender")
    if gender.strip() and gender not in GENDER_CODES:
        errors.append(_err(rec, F["gender"], "GERR0002", "use M, F or X"))
    country = g("birth_country")
    country_ok = country in country_codes()
    if country.strip() and not country_ok:
        fix = "use a two-letter ISO country code (US, MX, ...) or UU for unknown"
        if country.upper() in country_codes():
            fix = f"use upper case: {country.upper()}"
        errors.append(_err(rec, F["birth_country"], "GERR0002", fix))
    state = g("birth_state")
    if state:
        if state not in ALL_STATE_CODES:
            errors.append(_err(rec, F["birth_state"], "GERR0002", state_fix(state, country)))
        elif country_ok and state not in STATES_BY_COUNTRY.get(country, frozenset()):
            errors.append(_err(rec, F["birth_state"], "SENR0036", state_fix(state, country)))
    return errors


def validate_records(
    records: Iterable[SenrRecord], layout: SenrLayout, today: dt.date | None = None
) -> ValidationReport:
    """Validate a stream of records; keeps only the error list and the set of local IDs."""
    today = today or dt.date.today()
    report = ValidationReport(layout=layout)
    first_line_of: dict[str, int] = {}
    local = FIELD_BY_KEY["local_id"]
    min_fields = layout.min_fields
    for rec in records:
        report.records += 1
        report.widths[rec.field_count] += 1
        report.errors.extend(validate_record(rec, min_fields, today))
        lid = rec.get("local_id").strip()
        if lid:
            seen = first_line_of.setdefault(lid, rec.line_no)
            if seen != rec.line_no:
                report.errors.append(
                    _err(rec, local, "DUPL0001", f"the same Local Student ID is on line {seen}: each student needs their own")
                )
    return report


def validate_file(layout: SenrLayout, today: dt.date | None = None) -> ValidationReport:
    """Validate every record of an opened SENR file."""
    return validate_records(iter_records(layout), layout, today)


def iter_error_rows(report: ValidationReport) -> Iterator[list[str]]:
    """Rows for the error CSV: a header, then one row per error."""
    yield ["line", "field_number", "field_name", "value", "code", "problem", "fix"]
    for e in report.errors:
        yield [str(e.line_no), e.field_number, e.field_name, visible(e.value), e.code, ERROR_CODES[e.code], e.fix]
