"""SENR validation: every rule of the matching fields, every error in one pass.

Any error fails the whole file (CDE), so the report must let the user fix the file once:
each error names the line, the field, the value as read, a CALPADS-style code and a fix.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from ssid_tui.files.targets import ERROR_LIST_HEADER
from ssid_tui.formats.codes import (
    ALL_STATE_CODES,
    GENDER_CODES,
    STATES_BY_COUNTRY,
    TRANSACTION_CODES,
    country_codes,
    state_fix,
)
from ssid_tui.formats.safe_text import shown, undefined_in_windows_1252, unsafe_chars, visible, visible_char
from ssid_tui.formats.senr import CP1252, MAX_LINE_BYTES, SenrLayout, SenrRecord, iter_records
from ssid_tui.formats.senr_fields import (
    FIELD_BY_KEY,
    MAX_PLAUSIBLE_FIELDS,
    SENR_FIELDS,
    SenrField,
)
from ssid_tui.formats.spreadsheet import FORMULA_STARTS, starts_like_formula

__all__ = ["ERROR_CODES", "ValidationError", "ValidationReport", "error_row", "validate_file",
           "validate_record", "validate_records", "visible"]

#: What each error code means (CALPADS families), for reports and help.
ERROR_CODES: dict[str, str] = {
    "FRMT0001": "value too long, a record with too few or too many fields, or a line far too long",
    "FRMT0002": "not a valid CCYYMMDD date",
    "FRMT0004": "value of the wrong shape (or a Local Student ID a spreadsheet would run as a formula)",
    "GERR0001": "required field is blank",
    "GERR0002": "value not in the code set",
    "IVR0009": ("character not allowed (a control or invisible character, a byte that is not text in the file's "
                "encoding, or not allowed in a name or city)"),
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


#: Errors a report keeps for the terminal; every error goes to the `sink` (the error CSV).
KEPT_ERRORS = 1000
#: Lines a group of errors (same field and code) remembers, for "Lines (count: first)".
GROUP_LINES = 4


@dataclass
class ErrorGroup:
    """Errors of one field and code: how many, their first lines, the first one as an example."""

    example: ValidationError
    count: int = 0
    lines: list[int] = field(default_factory=list)


@dataclass
class ValidationReport:
    """The outcome of validating a whole file.

    Memory stays flat however many errors a file has: the report keeps counts, the first
    KEPT_ERRORS errors and a group per field and code; every error goes to `sink` as found.
    """

    layout: SenrLayout
    records: int = 0
    widths: Counter[int] = field(default_factory=Counter)
    #: The first KEPT_ERRORS errors, in file order.
    errors: list[ValidationError] = field(default_factory=list)
    error_count: int = 0
    error_lines: int = 0
    codes: Counter[str] = field(default_factory=Counter)
    groups: dict[tuple[str, str], ErrorGroup] = field(default_factory=dict)
    #: Field values given in composed form (NFC) because the file had them decomposed.
    nfc_values: int = 0
    sink: Callable[[ValidationError], None] | None = None
    _last_line: int = -1

    @property
    def ok(self) -> bool:
        """True when the file has no error and can be matched."""
        return not self.error_count and self.records > 0

    def counts_by_code(self) -> Counter[str]:
        """How many errors of each code."""
        return Counter(self.codes)

    def add(self, e: ValidationError) -> None:
        """Count an error, keep it if among the first, and hand it to the sink."""
        self.error_count += 1
        self.codes[e.code] += 1
        if e.line_no != self._last_line:
            self.error_lines += 1  # errors come in file order, a line's together (DUPL0001 too)
            self._last_line = e.line_no
        if len(self.errors) < KEPT_ERRORS:
            self.errors.append(e)
        g = self.groups.get((e.field_number, e.code))
        if g is None:
            g = self.groups[(e.field_number, e.code)] = ErrorGroup(e)
        g.count += 1
        if len(g.lines) < GROUP_LINES:
            g.lines.append(e.line_no)
        if self.sink is not None:
            self.sink(e)


def _err(rec: SenrRecord, f: SenrField, code: str, fix: str, value: str | None = None) -> ValidationError:
    return ValidationError(rec.line_no, f.number, f.name, rec.get(f.index) if value is None else value, code, fix)


def _record_error(rec: SenrRecord, value: str, code: str, fix: str) -> ValidationError:
    return ValidationError(rec.line_no, "1.01-1.21", "Record", value, code, fix)


def _char_list(chars: list[str]) -> str:
    """`"@"`, `"@" and "#"`, `"@", "#" and "!"`: each character quoted, shown by name if unsafe, in order met."""
    quoted = [f'"{visible_char(c)}"' for c in dict.fromkeys(chars)]
    return quoted[0] if len(quoted) == 1 else f"{', '.join(quoted[:-1])} and {quoted[-1]}"


def _bad_chars(value: str) -> str:
    return _char_list([c for c in value if not _NAME_CHARS.fullmatch(c)])


def _unsafe_fix(bad: list[str], where: str = "any field") -> str:
    return (f"remove {_char_list(bad)}: control and invisible characters are not allowed "
            f"in {where} (they can hide text or take over a terminal)")


def _undecoded(bad: list[str], encoding: str) -> list[str]:
    """Of `bad`, the bytes that are not text in the file's encoding (not controls the file holds):
    only a file read as Windows-1252 has them; a UTF-8 file is read strictly."""
    return undefined_in_windows_1252(bad) if encoding == CP1252 else []


def _undecoded_fix(undecoded: list[str]) -> str:
    """What to do about bytes that are not text in Windows-1252, the encoding the file was read in."""
    names = [f"0x{ord(c):02X}" for c in dict.fromkeys(undecoded)]
    listed = names[0] if len(names) == 1 else f"{', '.join(names[:-1])} and {names[-1]}"
    bytes_are = f"byte {listed} is" if len(names) == 1 else f"bytes {listed} are"
    return (f"{bytes_are} not text in Windows-1252, which the file was read as because it is not all "
            "UTF-8 (see the warning): most often an accented letter of a file that mixes the two; retype the "
            "value in the SIS, or save the whole file as UTF-8, and export again")


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


def _record_shape_errors(rec: SenrRecord, min_fields: int, max_fields: int) -> list[ValidationError]:
    """A line far too long, or with too many or too few fields; [] if its shape is plausible."""
    if rec.too_long:
        return [_record_error(
            rec, f"{rec.too_long:,} bytes", "FRMT0001",
            f"the line is {rec.too_long:,} bytes long, longer than any SENR record ({MAX_LINE_BYTES:,} at most): "
            "check for missing line ends, or that this is the SENR file")]
    if rec.field_count > max_fields:
        return [_record_error(
            rec, f"{rec.field_count} fields", "FRMT0001",
            f"the record has {rec.field_count:,} fields; an SENR record has at most {max_fields}: records ran "
            "together (line ends the tool could not see?), or this is not the SENR file")]
    if rec.field_count < min_fields:
        return [_record_error(
            rec, f"{rec.field_count} fields", "FRMT0001",
            f"the record has {rec.field_count} fields; it needs at least {min_fields} "
            "(check for a missing ^ or a line broken in two)")]
    return []


def validate_record(rec: SenrRecord, min_fields: int, today: dt.date,
                    max_fields: int = MAX_PLAUSIBLE_FIELDS, encoding: str = "utf-8") -> list[ValidationError]:
    """Check one record against every rule of fields 1.01-1.21; cross-record rules are not here.

    `encoding` is the one the file was read in: a byte that is not text in it is named as such.
    """
    errors = _record_shape_errors(rec, min_fields, max_fields)
    if rec.too_long or rec.field_count > max_fields:
        return errors  # one error for the line: its "fields" mean nothing
    F = FIELD_BY_KEY
    present = len(rec.fields)
    unsafe: set[str] = set()  # fields holding control or invisible characters
    undecodable: set[str] = set()  # of them, fields holding bytes that are not text in `encoding`
    for f in SENR_FIELDS:
        if f.index >= present:
            continue
        value = rec.fields[f.index]
        if len(value) > f.max_len:
            errors.append(_err(rec, f, "FRMT0001", f"shorten to at most {f.max_len:,} characters (it has {len(value):,})"))
        if f.required and not value.strip():
            errors.append(_err(rec, f, "GERR0001", f"fill in {f.name}: it is required for matching"))
        bad = unsafe_chars(value)
        if bad:
            unsafe.add(f.key)
            undecoded = _undecoded(bad, encoding)
            if undecoded:  # not a control the file holds: a byte its encoding has no character for
                undecodable.add(f.key)
                errors.append(_err(rec, f, "IVR0009", _undecoded_fix(undecoded)))
                bad = [c for c in bad if c not in undecoded]
            if bad and f.key not in _NAME_KEYS:  # a name's character check below names them with the rest
                errors.append(_err(rec, f, "IVR0009", _unsafe_fix(bad)))
    if not unsafe:
        rest = unsafe_chars(rec.raw.rstrip("\r\n").lstrip("\ufeff"))
        undecoded = _undecoded(rest, encoding)
        rest = [c for c in rest if c not in undecoded]
        shown_rest = "".join(visible_char(c) for c in undecoded + rest)
        if undecoded:  # in a field after 1.21: carried into the SENR copy, so it must be clean too
            errors.append(_record_error(rec, shown_rest, "IVR0009", _undecoded_fix(undecoded)))
        if rest:
            errors.append(_record_error(rec, shown_rest, "IVR0009", _unsafe_fix(rest, "the fields after 1.21 either")))
    lid = rec.get("local_id")
    if "local_id" not in unsafe and starts_like_formula(lid.lstrip(" ")):
        starts = " ".join(c for c in FORMULA_STARTS if c.isprintable())
        errors.append(_err(rec, F["local_id"], "FRMT0004",
                           f"a Local Student ID must not start with {starts}: a spreadsheet runs such a value "
                           "as a formula; use the ID without it"))
    elif "local_id" not in unsafe and not lid.isascii():
        # a look-alike digit or letter (Arabic-Indic ٤, full-width ４) would make a second ID for the same student
        errors.append(_err(rec, F["local_id"], "FRMT0004",
                           "write the Local Student ID in plain ASCII letters and digits (0-9) as the SIS holds it, "
                           f"without {_char_list([c for c in dict.fromkeys(lid) if not c.isascii()])}"))
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
        if key in undecodable:  # named above as bytes; the name's other characters are checked without them
            v = "".join(c for c in v if c not in _undecoded(list(v), encoding))
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
    records: Iterable[SenrRecord], layout: SenrLayout, today: dt.date | None = None,
    sink: Callable[[ValidationError], None] | None = None,
) -> ValidationReport:
    """Validate a stream of records; every error goes to `sink` (if given) as it is found.

    Besides the report's bounded summary, only the set of local IDs is kept.
    """
    today = today or dt.date.today()
    report = ValidationReport(layout=layout, sink=sink)
    first_line_of: dict[str, int] = {}
    local = FIELD_BY_KEY["local_id"]
    min_fields, max_fields = layout.min_fields, layout.max_fields
    for rec in records:
        report.records += 1
        if not rec.too_long:
            report.widths[rec.field_count] += 1
        report.nfc_values += rec.nfc_fields
        for e in validate_record(rec, min_fields, today, max_fields, layout.encoding):
            report.add(e)
        lid = rec.get("local_id").strip()
        if lid:
            seen = first_line_of.setdefault(lid, rec.line_no)
            if seen != rec.line_no:
                report.add(_err(rec, local, "DUPL0001",
                                f"the same Local Student ID is on line {seen}: each student needs their own"))
    return report


def validate_file(layout: SenrLayout, today: dt.date | None = None,
                  sink: Callable[[ValidationError], None] | None = None) -> ValidationReport:
    """Validate every record of an opened SENR file (errors streamed to `sink`, if given)."""
    return validate_records(iter_records(layout), layout, today, sink)


ERROR_CSV_HEADER = ERROR_LIST_HEADER


def error_row(e: ValidationError) -> list[str]:
    """One error as a row of the error CSV (the value shown visibly, cut if huge)."""
    return [str(e.line_no), e.field_number, e.field_name, shown(e.value, 1000), e.code, ERROR_CODES[e.code], e.fix]
