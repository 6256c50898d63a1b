"""Every rule and error code of docs/file-formats.md section 1: a record that passes, one that fails.

Each failing case asserts the code, the field number, the line number and that the fix
says what to do (a concrete value, length or code to use).
"""

from __future__ import annotations

import datetime as dt

import pytest

from ssid_tui.formats.senr import SenrRecord
from ssid_tui.formats.senr_fields import FIELD_BY_KEY, SENR_FIELDS
from ssid_tui.validation.rules import (
    ERROR_CODES,
    ValidationError,
    validate_record,
    visible,
)
from tests.support.senr import (
    FIXTURES,
    TODAY,
    caret,
    errors_on_line_3,
    fields,
    validate_path,
    validate_rows,
    write,
)

SPEC_CODES = {
    "FRMT0001", "FRMT0002", "FRMT0004", "GERR0001", "GERR0002",
    "IVR0009", "IVR0668", "SENR0036", "SSID0001", "DUPL0001",
}
NAME_KEYS = ("first", "middle", "last", "suffix", "alias_first", "alias_middle", "alias_last", "birth_city")
REQUIRED_KEYS = ("record_type", "reporting_lea", "school", "local_id", "first", "last", "birth_date", "gender", "birth_country")
OPTIONAL_KEYS = tuple(f.key for f in SENR_FIELDS if f.key not in REQUIRED_KEYS)


def num(key: str) -> str:
    return FIELD_BY_KEY[key].number


def only(errors: list[ValidationError], code: str, key: str) -> ValidationError:
    """The single error of `code` on field `key`; fails if there is none or several."""
    found = [e for e in errors if e.code == code and e.field_number == num(key)]
    assert len(found) == 1, f"expected one {code} on {num(key)}, got {errors}"
    e = found[0]
    assert e.line_no == 3
    assert e.field_name == FIELD_BY_KEY[key].name
    return e


def assert_clean(tmp_path, **changes: str) -> None:
    errors = errors_on_line_3(tmp_path, fields(**changes))
    assert errors == [], errors


# --- the reference record and the code table ----------------------------------------------


def test_error_codes_are_exactly_the_spec_codes():
    assert set(ERROR_CODES) == SPEC_CODES
    assert all(ERROR_CODES.values())


def test_reference_record_and_clean_fixtures_pass(tmp_path):
    assert_clean(tmp_path)
    for name in ("senr_clean.txt", "senr_clean.csv", "senr_cp1252.txt", "senr_bom_lf.txt"):
        report = validate_path(FIXTURES / name)
        assert report.ok, (name, report.errors)
        assert report.records in (12, 40)


def test_error_fixture_has_every_code():
    report = validate_path(FIXTURES / "senr_errors.txt")
    assert set(report.counts_by_code()) == SPEC_CODES
    assert {e.line_no for e in report.errors} == set(range(2, 15))


# --- FRMT0001: too long, or too few fields ---------------------------------------------------

#: A value of exactly the maximum length that is valid in every other respect.
AT_MAX = {
    "record_type": "SENR",
    "transaction_type": "A",
    "local_record_id": "R" * 255,
    "reporting_lea": "1964733",
    "school": "1930718",
    "school_nps": "1234567",
    "academic_year": "2026-2027",
    "local_id": "1234567890123456",
    "first": "A" * 30,
    "middle": "B" * 30,
    "last": "C" * 50,
    "suffix": "III",
    "alias_first": "D" * 30,
    "alias_middle": "E" * 30,
    "alias_last": "F" * 50,
    "birth_date": "20120314",
    "gender": "F",
    "birth_city": "G" * 30,
    "birth_state": "MX-AGU",
    "birth_country": "MX",
}


@pytest.mark.parametrize("key", sorted(AT_MAX))
def test_value_at_max_length_passes(tmp_path, key):
    changes = {key: AT_MAX[key]}
    if key == "birth_state":
        changes["birth_country"] = "MX"
    if key == "birth_country":
        changes["birth_state"] = "MX-JAL"
    assert_clean(tmp_path, **changes)


@pytest.mark.parametrize("f", SENR_FIELDS, ids=lambda f: f.number)
def test_value_over_max_length_is_frmt0001(tmp_path, f):
    value = (AT_MAX.get(f.key) or "1") + "X" * (f.max_len + 1)
    value = value[: f.max_len + 1]
    e = only(errors_on_line_3(tmp_path, fields(**{f.key: value})), "FRMT0001", f.key)
    assert e.value == value
    assert f"at most {f.max_len} characters" in e.fix
    assert f"it has {f.max_len + 1}" in e.fix


def test_accented_letters_count_as_one_character(tmp_path):
    assert_clean(tmp_path, first="É" * 30, last="Ñ" * 50)


def test_short_record_is_frmt0001(tmp_path):
    row = fields()[:20]
    errors = errors_on_line_3(tmp_path, row)
    assert [(e.code, e.field_number, e.line_no) for e in errors] == [("FRMT0001", "1.01-1.21", 3)]
    assert "20 fields" in errors[0].value
    assert "at least 21" in errors[0].fix and "missing ^" in errors[0].fix


@pytest.mark.parametrize("width", [21, 34, 35, 39, 40])
def test_records_of_21_fields_or_more_pass(tmp_path, width):
    row = fields()[:width] + [""] * max(0, width - 35)
    assert errors_on_line_3(tmp_path, row) == []


def test_fields_after_1_21_are_not_validated(tmp_path):
    # Their formats are not ours to check (issue 8 point 9: only control characters are, see
    # test_hostile_text.py).
    row = fields()
    row[21:35] = ["😊 not a date", " ", "Д" * 300] + ["X" * 99] * 11
    assert errors_on_line_3(tmp_path, row) == []


def test_short_csv_row_is_frmt0001(tmp_path):
    header = ",".join(f.name for f in SENR_FIELDS)
    good = ",".join(fields()[:21])
    short = ",".join(fields("L9")[:12])
    report = validate_path(write(tmp_path / "s.csv", f"{header}\r\n{good}\r\n{short}\r\n"))
    short_errors = [e for e in report.errors if e.field_number == "1.01-1.21"]
    assert [(e.code, e.line_no) for e in short_errors] == [("FRMT0001", 3)]
    assert all(e.line_no == 3 for e in report.errors)


# --- FRMT0002: not a real CCYYMMDD date -------------------------------------------------------


@pytest.mark.parametrize("value", ["20080229", "20120314", "20210101", "20261128"])
def test_real_birth_dates_pass(tmp_path, value):
    assert_clean(tmp_path, birth_date=value)


@pytest.mark.parametrize(
    "value",
    ["20150230", "20070229", "20151301", "20150001", "20150100", "00000000", "2015-02-03", "201502",
     "02032015x", "2015020", "2015O203", "２０１５０２０３", "٢٠١٥٠٢٠٣"],
)
def test_invalid_birth_date_is_frmt0002(tmp_path, value):
    e = only(errors_on_line_3(tmp_path, fields(birth_date=value)), "FRMT0002", "birth_date")
    assert e.value == value
    assert "CCYYMMDD" in e.fix and "20140507" in e.fix


# --- FRMT0004: wrong shape ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("key", "value", "fix_hint"),
    [
        ("record_type", "SENX", "SENR"),
        ("record_type", "senr", "SENR"),
        ("record_type", "SINF", "SENR"),
        ("reporting_lea", "19-6473", "7-digit"),
        ("reporting_lea", "196473", "7-digit"),
        ("reporting_lea", "19647AB", "7-digit"),
        ("reporting_lea", " 196473", "7-digit"),
        ("reporting_lea", "１９６４７３３", "7-digit"),
        ("school", "193070", "7-digit"),
        ("school", "O930718", "7-digit"),
        ("school", "٠١٢٣٤٥٦", "7-digit"),
        ("school_nps", "ABC", "7-digit"),
        ("school_nps", "123456", "7-digit"),
        ("school_nps", "       ", "7-digit"),
        ("academic_year", "2026-2028", "2026-2027"),
        ("academic_year", "2026/2027", "2026-2027"),
        ("academic_year", "26-27", "2026-2027"),
        ("academic_year", "2027-2026", "2026-2027"),
        ("academic_year", "２０２６-２０２７", "2026-2027"),
    ],
)
def test_wrong_shape_is_frmt0004(tmp_path, key, value, fix_hint):
    e = only(errors_on_line_3(tmp_path, fields(**{key: value})), "FRMT0004", key)
    assert e.value == value
    assert fix_hint in e.fix


@pytest.mark.parametrize(
    ("key", "value"),
    [("reporting_lea", "0112345"), ("school", "0000001"), ("school_nps", ""), ("school_nps", "0123456"),
     ("academic_year", ""), ("academic_year", "2025-2026"), ("academic_year", "1999-2000")],
)
def test_right_shape_passes(tmp_path, key, value):
    assert_clean(tmp_path, **{key: value})


def test_too_long_and_wrong_shape_are_both_reported(tmp_path):
    errors = errors_on_line_3(tmp_path, fields(reporting_lea="19647330"))
    assert {(e.code, e.field_number) for e in errors} == {("FRMT0001", "1.04"), ("FRMT0004", "1.04")}


# --- GERR0001: required field blank ---------------------------------------------------------


@pytest.mark.parametrize("key", REQUIRED_KEYS)
@pytest.mark.parametrize("blank", ["", "   "])
def test_blank_required_field_is_gerr0001(tmp_path, key, blank):
    value = blank[: FIELD_BY_KEY[key].max_len]
    changes = {key: value}
    if key == "birth_country":
        changes["birth_state"] = ""
    e = only(errors_on_line_3(tmp_path, fields(**changes)), "GERR0001", key)
    assert e.value == value
    assert e.fix == f"fill in {FIELD_BY_KEY[key].name}: it is required for matching"


@pytest.mark.parametrize("blank", ["", "   "])
def test_blank_required_field_has_no_other_error(tmp_path, blank):
    for key in REQUIRED_KEYS:
        changes = {key: blank[: FIELD_BY_KEY[key].max_len]}
        if key == "birth_country":
            changes["birth_state"] = ""
        codes = {e.code for e in errors_on_line_3(tmp_path, fields(**changes))}
        assert codes == {"GERR0001"}, key


@pytest.mark.parametrize("key", OPTIONAL_KEYS)
def test_blank_optional_field_passes(tmp_path, key):
    assert_clean(tmp_path, **{key: ""})


def test_every_required_field_blank_reports_each(tmp_path):
    row = fields(**{k: "" for k in REQUIRED_KEYS}, birth_state="")
    errors = errors_on_line_3(tmp_path, row)
    assert sorted(e.field_number for e in errors if e.code == "GERR0001") == sorted(num(k) for k in REQUIRED_KEYS)


# --- GERR0002: not in the code set -----------------------------------------------------------


@pytest.mark.parametrize("value", ["M", "F", "X"])
def test_gender_m_f_x_pass(tmp_path, value):
    assert_clean(tmp_path, gender=value)


@pytest.mark.parametrize("value", ["U", "m", "f", "x", "0", "N", "É"])
def test_gender_outside_code_set_is_gerr0002(tmp_path, value):
    e = only(errors_on_line_3(tmp_path, fields(gender=value)), "GERR0002", "gender")
    assert e.fix == "use M, F or X"


@pytest.mark.parametrize("value", ["", " ", "A", "D", "R"])
def test_transaction_type_in_code_set_passes(tmp_path, value):
    assert_clean(tmp_path, transaction_type=value)


@pytest.mark.parametrize("value", ["Z", "a", "U", "1"])
def test_transaction_type_outside_code_set_is_gerr0002(tmp_path, value):
    e = only(errors_on_line_3(tmp_path, fields(transaction_type=value)), "GERR0002", "transaction_type")
    assert "A, D or R" in e.fix


@pytest.mark.parametrize("country", ["US", "MX", "PH", "VN", "KR", "SV", "GT", "CA", "UU", "CN", "IN"])
def test_country_in_code_set_passes(tmp_path, country):
    state = {"US": "US-CA", "MX": "MX-JAL", "CA": "CA-ON"}.get(country, "")
    assert_clean(tmp_path, birth_country=country, birth_state=state)


@pytest.mark.parametrize(
    ("value", "fix_hint"),
    [("XX", "UU for unknown"), ("ZZ", "UU for unknown"), ("us", "use upper case: US"), ("mx", "use upper case: MX"), ("1A", "ISO")],
)
def test_country_outside_code_set_is_gerr0002(tmp_path, value, fix_hint):
    e = only(errors_on_line_3(tmp_path, fields(birth_country=value, birth_state="")), "GERR0002", "birth_country")
    assert e.value == value
    assert fix_hint in e.fix


def test_three_letter_country_is_too_long_and_not_a_code(tmp_path):
    errors = errors_on_line_3(tmp_path, fields(birth_country="USA", birth_state=""))
    assert {(e.code, e.field_number) for e in errors} == {("FRMT0001", "1.21"), ("GERR0002", "1.21")}


@pytest.mark.parametrize(
    ("state", "country", "fix_hint"),
    [
        ("CA", "US", "US-CA"),  # the most common real error: a bare state code
        ("TX", "US", "US-TX"),
        ("JAL", "MX", "MX-JAL"),
        ("US-XX", "US", "US-"),
        ("MX-ABC", "MX", "MX-"),
        ("ZZ-99", "VN", "leave it blank"),
        ("us-ca", "US", "US-"),
    ],
)
def test_state_outside_code_set_is_gerr0002(tmp_path, state, country, fix_hint):
    e = only(errors_on_line_3(tmp_path, fields(birth_state=state, birth_country=country)), "GERR0002", "birth_state")
    assert e.value == state
    assert fix_hint in e.fix


# --- SENR0036: state does not belong to the country ------------------------------------------


@pytest.mark.parametrize(
    ("state", "country"),
    [("US-CA", "US"), ("US-AA", "US"), ("US-DC", "US"), ("CA-ON", "CA"), ("CA-QC", "CA"), ("MX-CMX", "MX"),
     ("MX-DIF", "MX"), ("US-PR", "PR"), ("US-GU", "GU"), ("US-VI", "VI"), ("US-AS", "AS"), ("US-FM", "FM"),
     ("US-MP", "MP"), ("US-PW", "PW"), ("", "US"), ("", "PR"), ("", "VN"), ("", "UU")],
)
def test_state_that_belongs_to_country_passes(tmp_path, state, country):
    assert_clean(tmp_path, birth_state=state, birth_country=country)


@pytest.mark.parametrize(
    ("state", "country", "fix_hint"),
    [
        ("US-PR", "US", "belongs to country PR"),  # a territory needs its own country code
        ("US-GU", "US", "belongs to country GU"),
        ("US-CA", "PR", "belongs to country US"),
        ("US-CA", "MX", "belongs to country US"),
        ("MX-JAL", "US", "belongs to country MX"),
        ("CA-ON", "US", "belongs to country CA"),
        ("US-CA", "UU", "belongs to country US"),
        ("US-CA", "VN", "belongs to country US"),
    ],
)
def test_state_of_another_country_is_senr0036(tmp_path, state, country, fix_hint):
    errors = errors_on_line_3(tmp_path, fields(birth_state=state, birth_country=country))
    e = only(errors, "SENR0036", "birth_state")
    assert e.value == state
    assert fix_hint in e.fix and "1.21" in e.fix
    assert [x.code for x in errors] == ["SENR0036"]


def test_state_with_unknown_country_reports_only_the_country(tmp_path):
    errors = errors_on_line_3(tmp_path, fields(birth_state="US-CA", birth_country="XX"))
    assert [(e.code, e.field_number) for e in errors] == [("GERR0002", "1.21")]


# --- IVR0009: characters in names and city ---------------------------------------------------

ALLOWED_NAMES = ["JOSÉ", "NÚÑEZ", "MÜLLER", "ZOË", "FRANÇOIS", "ØSTERGÅRD", "ÿ", "O'BRIEN", "NGUYEN-TRAN",
                 "DE LA CRUZ", "ST. JOHN", "A/B", "III", "JR", "2ND", "jose", "Ñ"]

BAD_CHARS = [
    ("\t", "<TAB>"),
    ("\x01", "<01>"),
    ("\x1b", "<ESC>"),
    ("\x7f", "<DEL>"),
    ("\x85", "<85>"),  # a C1 control
    ("\u00a0", "<U+00A0>"),  # no-break space
    ("\u200b", "<U+200B>"),  # zero-width space
    ("😊", "😊"),
    ("Д", "Д"),  # Cyrillic
    ("Ł", "Ł"),  # Latin Extended-A: outside Latin-1
    ("ő", "ő"),
    ("×", "×"),  # in Latin-1 but not a letter
    ("÷", "÷"),
    (",", ","),
    ("@", "@"),
    ("_", "_"),
    ('"', '"'),
    ("&", "&"),
]


@pytest.mark.parametrize("key", NAME_KEYS)
@pytest.mark.parametrize("value", ALLOWED_NAMES)
def test_allowed_characters_pass(tmp_path, key, value):
    assert_clean(tmp_path, **{key: value[: FIELD_BY_KEY[key].max_len]})


def test_characters_not_allowed_are_listed_once_each_quoted_in_the_order_met(tmp_path):
    e = only(errors_on_line_3(tmp_path, fields(last="O@BR#IEN@!")), "IVR0009", "last")
    assert e.fix.startswith('remove "@", "#" and "!": only letters'), e.fix


def test_a_value_far_too_long_says_its_length_with_thousands_separators(tmp_path):
    errors = errors_on_line_3(tmp_path, fields(birth_city="A" * 5000))
    fixes = [e.fix for e in errors if e.code == "FRMT0001"]
    assert fixes and "(it has 5,000)" in fixes[0], fixes


@pytest.mark.parametrize("key", NAME_KEYS)
@pytest.mark.parametrize(("char", "shown"), BAD_CHARS, ids=[repr(c) for c, _ in BAD_CHARS])
def test_character_not_allowed_is_ivr0009(tmp_path, key, char, shown):
    value = ("A" + char + "B") if FIELD_BY_KEY[key].max_len >= 3 else char
    e = only(errors_on_line_3(tmp_path, fields(**{key: value})), "IVR0009", key)
    assert e.value == value
    assert e.fix.startswith(f'remove "{shown}":')
    if char == "Д":  # another alphabet: the fix names the one allowed
        assert "only Latin letters (A-Z, and accented ones such as É or Ñ)" in e.fix and "in Latin letters" in e.fix
    else:
        assert "only letters, digits" in e.fix or "control and invisible characters are not allowed" in e.fix
    # The terminal/CSV show control characters visibly, never raw.
    assert all(ord(c) >= 0x20 and not 0x7F <= ord(c) <= 0x9F for c in e.fix)


def test_several_bad_characters_are_all_named(tmp_path):
    e = only(errors_on_line_3(tmp_path, fields(first="AN\tA😊,")), "IVR0009", "first")
    for shown in ("<TAB>", "😊", ","):
        assert shown in e.fix


def test_visible_shows_controls_and_odd_spaces():
    assert visible("A\tB\x00C\x7f D\u00a0E\x9f") == "A<TAB>B<NUL>C<DEL> D<U+00A0>E<9F>"
    assert visible("JOSÉ NÚÑEZ") == "JOSÉ NÚÑEZ"


# --- IVR0668: birth date in the future -------------------------------------------------------


def test_birth_date_today_passes(tmp_path):
    assert_clean(tmp_path, birth_date=TODAY.strftime("%Y%m%d"))


@pytest.mark.parametrize("value", ["20261129", "20270101", "20990101"])
def test_birth_date_after_today_is_ivr0668(tmp_path, value):
    e = only(errors_on_line_3(tmp_path, fields(birth_date=value)), "IVR0668", "birth_date")
    assert e.value == value
    assert "future" in e.fix and "year" in e.fix


def test_future_rule_uses_the_given_today(tmp_path):
    row = fields(birth_date="20261129")
    assert errors_on_line_3(tmp_path, row, today=dt.date(2026, 11, 29)) == []
    assert [e.code for e in errors_on_line_3(tmp_path, row, today=dt.date(2026, 11, 28))] == ["IVR0668"]


# --- SSID0001: SSID filled in ---------------------------------------------------------------


def test_blank_ssid_passes(tmp_path):
    assert_clean(tmp_path, ssid="")


@pytest.mark.parametrize("value", ["1234567890", "1", "ABC"])
def test_filled_ssid_is_ssid0001(tmp_path, value):
    e = only(errors_on_line_3(tmp_path, fields(ssid=value)), "SSID0001", "ssid")
    assert e.value == value
    assert "blank out the SSID" in e.fix


# --- DUPL0001: Local Student ID twice --------------------------------------------------------


def test_unique_local_ids_pass(tmp_path):
    rows = [fields("40117"), fields("40118"), fields("040117")]
    assert validate_rows(tmp_path, rows).errors == []


def test_duplicate_local_id_is_dupl0001_on_each_repeat(tmp_path):
    rows = [fields("40117"), fields("50000"), fields("40117"), fields("60000"), fields("40117")]
    errors = validate_rows(tmp_path, rows).errors
    assert [(e.code, e.field_number, e.line_no) for e in errors] == [("DUPL0001", "1.09", 3), ("DUPL0001", "1.09", 5)]
    assert all(e.value == "40117" for e in errors)
    assert all("on line 1" in e.fix for e in errors)


def test_duplicate_after_blank_lines_names_the_file_line(tmp_path):
    text = caret([fields("A1")]) + "\r\n\r\n" + caret([fields("A1")])
    errors = validate_path(write(tmp_path / "d.txt", text)).errors
    assert [(e.code, e.line_no) for e in errors] == [("DUPL0001", 4)]
    assert "on line 1" in errors[0].fix


def test_blank_local_ids_are_not_duplicates(tmp_path):
    rows = [fields(""), fields("")]
    codes = [e.code for e in validate_rows(tmp_path, rows).errors]
    assert codes == ["GERR0001", "GERR0001"]


# --- the whole file in one pass --------------------------------------------------------------


def test_every_error_of_every_line_in_one_pass(tmp_path):
    rows = []
    expected = []
    bad = [
        ("gender", "U", "GERR0002"),
        ("birth_date", "20150230", "FRMT0002"),
        ("ssid", "1234567890", "SSID0001"),
        ("last", "NÚÑEZ\t", "IVR0009"),
        ("reporting_lea", "19-6473", "FRMT0004"),
    ]
    for i in range(200):
        if i % 4 == 1:
            key, value, code = bad[i % len(bad)]
            rows.append(fields(f"ID{i}", **{key: value}))
            expected.append((i + 1, code, num(key)))
        else:
            rows.append(fields(f"ID{i}"))
    report = validate_rows(tmp_path, rows)
    assert report.records == 200
    assert [(e.line_no, e.code, e.field_number) for e in report.errors] == expected
    assert len({e.line_no for e in report.errors}) == 50


def test_many_errors_in_one_record_are_all_reported(tmp_path):
    row = fields(record_type="SENX", ssid="1", first="", last="Д", birth_date="20150230", gender="U",
                 birth_state="CA", birth_country="US")
    codes = sorted((e.code, e.field_number) for e in errors_on_line_3(tmp_path, row))
    assert codes == sorted([
        ("FRMT0004", "1.01"), ("SSID0001", "1.08"), ("GERR0001", "1.10"), ("IVR0009", "1.12"),
        ("FRMT0002", "1.17"), ("GERR0002", "1.18"), ("GERR0002", "1.20"),
    ])


def test_errors_fixture_lines_and_codes():
    report = validate_path(FIXTURES / "senr_errors.txt")
    got = {(e.line_no, e.code, e.field_number) for e in report.errors}
    assert {
        (2, "GERR0002", "1.20"), (3, "SSID0001", "1.08"), (4, "FRMT0002", "1.17"), (5, "IVR0668", "1.17"),
        (6, "GERR0002", "1.18"), (7, "FRMT0004", "1.04"), (7, "FRMT0004", "1.05"), (8, "IVR0009", "1.10"),
        (8, "IVR0009", "1.12"), (8, "IVR0009", "1.19"), (9, "GERR0001", "1.12"), (9, "FRMT0001", "1.10"),
        (10, "SENR0036", "1.20"), (11, "GERR0002", "1.21"), (12, "DUPL0001", "1.09"), (13, "FRMT0001", "1.01-1.21"),
        (14, "FRMT0004", "1.01"), (14, "GERR0002", "1.02"), (14, "FRMT0004", "1.06"), (14, "FRMT0004", "1.07"),
    } == got


def test_every_error_has_a_fix_and_a_known_code():
    report = validate_path(FIXTURES / "senr_errors.txt")
    for e in report.errors:
        assert e.code in ERROR_CODES
        assert len(e.fix) > 10 and e.fix == e.fix.strip()


def test_validate_record_directly():
    """The per-record function works without a file (the app re-checks edited records)."""
    row = fields(gender="Q")
    rec = SenrRecord(line_no=7, fields=tuple(row[:21]), field_count=35, raw="^".join(row) + "\r\n")
    errors = validate_record(rec, 21, TODAY)
    assert [(e.line_no, e.code, e.field_number, e.value) for e in errors] == [(7, "GERR0002", "1.18", "Q")]
    ok = SenrRecord(line_no=1, fields=tuple(fields()[:21]), field_count=35, raw="")
    assert validate_record(ok, 21, TODAY) == []


def test_empty_report_is_not_ok(tmp_path):
    from ssid_tui.formats.senr import open_senr
    from ssid_tui.validation.rules import validate_records

    report = validate_records([], open_senr(FIXTURES / "senr_clean.txt"), today=TODAY)
    assert not report.ok and report.records == 0


@pytest.mark.parametrize("local_id", ["20\u0664", "\uff14\uff10\uff11", "40117\u00b2", "A\u00c91"])
def test_a_local_id_with_a_look_alike_digit_or_letter_is_frmt0004(tmp_path, local_id):
    """Cold test: 20 followed by an Arabic-Indic four passed, and would be a second ID for the same student."""
    errors = validate_rows(tmp_path, [fields(local_id)]).errors
    assert [(e.code, e.field_number, e.value) for e in errors] == [("FRMT0004", num("local_id"), local_id)]
    assert "plain ASCII letters and digits" in errors[0].fix
