"""A byte that is not text in the file's encoding is named as such, never as a control character.

Cold test: a lone Latin-1 byte (0xE9) in an otherwise UTF-8 SENR file made the whole file read as
Windows-1252; its UTF-8 accents then held the five bytes Windows-1252 leaves undefined (Á is C3 81),
which validation called "control and invisible characters", and nothing said where the file
stopped being UTF-8.
"""

from __future__ import annotations

from pathlib import Path

from ssid_tui.formats.ods import UNDECODED, note_text, parse_line
from ssid_tui.formats.senr import open_senr
from ssid_tui.matching.lookup import LookupQuery
from ssid_tui.validation.rules import ValidationError, validate_file
from tests.support.cli import flat, run
from tests.support.senr import TODAY, caret, fields, write


def errors_of(path: Path) -> list[ValidationError]:
    found: list[ValidationError] = []
    validate_file(open_senr(path), today=TODAY, sink=found.append)
    return found


def mixed_file(tmp_path: Path) -> Path:
    """UTF-8 throughout (ÁLVARO, JOSÉ), except one first name whose é is the Latin-1 byte 0xE9, on line 3."""
    text = caret([fields("1001", first="ÁLVARO"), fields("1002", first="JOSÉ"), fields("1003", first="RENE")])
    data = text.encode("utf-8")
    return write(tmp_path / "senr.txt", data.replace(b"^RENE^", b"^REN\xe9^"))


def test_a_file_mixing_utf8_and_a_lone_latin1_byte_says_where_and_names_the_byte(tmp_path):
    path = mixed_file(tmp_path)
    layout = open_senr(path)
    warning = " ".join(layout.warnings)
    assert "UTF-8 except for byte 0xE9 on line 3" in warning, warning
    assert "Retype that value in the SIS (or save the file as UTF-8 throughout)" in warning
    first_name = [e for e in errors_of(path) if e.line_no == 1 and e.field_number == "1.10"]
    assert len(first_name) == 1, first_name
    assert first_name[0].fix.startswith("byte 0x81 is not text in Windows-1252"), first_name[0].fix
    assert "control" not in first_name[0].fix
    result = run("validate", path, "--errors", tmp_path / "e.csv")
    assert "byte 0xE9 on line 3" in flat(result.output)
    assert "control and invisible" not in (tmp_path / "e.csv").read_text(encoding="utf-8")


def test_a_windows_1252_file_says_where_it_stops_being_utf8(tmp_path):
    path = write(tmp_path / "senr.txt", caret([fields("1001"), fields("1002", last="NÚÑEZ")]), encoding="cp1252")
    warning = " ".join(open_senr(path).warnings)
    assert "not valid UTF-8 (first at byte 0xC9 on line 1)" in warning, warning
    assert "UTF-8 except" not in warning  # no UTF-8 letters in it: a plain Windows-1252 file


def test_a_control_character_a_utf8_file_holds_is_still_called_one(tmp_path):
    path = write(tmp_path / "senr.txt", caret([fields("10\u008101")]))
    (err,) = [e for e in errors_of(path) if e.code == "IVR0009"]
    assert "control and invisible characters are not allowed" in err.fix and "byte" not in err.fix


def test_an_ods_line_with_a_byte_neither_utf8_nor_windows_1252_is_noted_as_such():
    line = b"3725735952^20150810^\xc3\x81NGEL^^REN\xe9^^^^^20091231^F^DAMASCUS^^SY^0519456^0524437^10^20250907^"
    parsed = parse_line(2, line)
    assert parsed is not None and not hasattr(parsed, "problem")
    (note,) = parsed.notes  # type: ignore[union-attr]
    assert note.kind == UNDECODED
    assert note_text(note).startswith("Legal First Name holds byte 0x81, text neither in UTF-8 nor in Windows-1252")
    utf8 = "3725735952^20150810^\u0081NGEL^^ALI^^^^^20091231^F^DAMASCUS^^SY^0519456^0524437^10^20250907^"
    (control,) = parse_line(2, utf8.encode()).notes  # type: ignore[union-attr]
    assert note_text(control) == "Legal First Name holds <81>"


def test_a_looked_up_value_with_bytes_the_terminal_could_not_decode_says_so():
    problem = LookupQuery(last="REN\udce9", first="ANA", birth_date="20140101").problem()
    assert problem == ("Last name holds bytes that are not text in this terminal's encoding (<U+DCE9>): "
                       "type it again in UTF-8.")
