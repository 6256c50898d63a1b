"""`ssid-tui find` shows names as the registry holds them and as the clerk typed them, not in the
matcher's folded form (upper case, accents and hyphens gone, particles joined)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from ssid_tui.matching.registry import load_extract
from tests.support.cli import flat, run
from tests.support.extracts import ods_line


def registry(tmp_path: Path) -> Path:
    extract = tmp_path / "ods.txt"
    lines = [
        ods_line("1000000001", "Darío", "Vásquez-Jiménez", "20080509", "M", middle="Ántonio"),
        ods_line("1000000002", "JOSÉ", "DE LA CRUZ", "20130212", "M"),
        ods_line("1000000002", "JOSÉ", "Núñez O'Brien", "20130212", "M"),  # a former legal name
    ]
    extract.write_text("\n".join(lines) + "\n", encoding="utf-8")
    load_extract(extract, tmp_path / "reg.sqlite")
    return tmp_path / "reg.sqlite"


def rows(output: str) -> dict[str, list[str]]:
    """The comparison table's rows by field label: [submitted, registry, level]."""
    out = {}
    for line in output.splitlines():
        cells = [c.strip() for c in line.split("│")]
        if len(cells) == 5:
            out.setdefault(cells[0], cells[1:4])
    return out


def test_find_shows_the_names_as_registered_and_as_typed(tmp_path: Path) -> None:
    reg = registry(tmp_path)
    result = run("find", "--last", "vasquez jimenez", "--first", "dario", "--middle", "antonio",
                 "--birth-date", "20080509", "--ods", reg)
    assert result.exit_code == 0, result.output
    table = rows(result.output)
    assert table["Last name"][:2] == ["vasquez jimenez", "Vásquez-Jiménez"]
    assert table["First name"][:2] == ["dario", "Darío"]
    assert table["Middle name"][:2] == ["antonio", "Ántonio"]
    assert table["Birth city"][1] == "Fresno"  # the extract's own spelling, not FRESNO


def test_a_former_name_that_matched_is_shown_as_registered_too(tmp_path: Path) -> None:
    reg = registry(tmp_path)
    result = run("find", "--last", "NUNEZ OBRIEN", "--first", "Jose", "--birth-date", "20130212", "--ods", reg)
    assert result.exit_code == 0, result.output
    table = rows(result.output)
    assert table["Last name"][:2] == ["NUNEZ OBRIEN", "Núñez O'Brien"]
    assert table["First name"][:2] == ["Jose", "JOSÉ"]


def test_find_as_a_process_converts_its_options_without_pydantic(tmp_path: Path) -> None:
    """Typer would build a pydantic adapter per option (~150 ms of a start-up `find` must keep
    under 0.5 s); text and path options are converted by plain_values, with the same result."""
    reg = registry(tmp_path)
    probe = (
        "import atexit, sys\n"
        "atexit.register(lambda: print('pydantic loaded' if 'pydantic' in sys.modules else 'no pydantic'))\n"
        f"sys.argv = ['ssid-tui', 'find', '--ods', {str(reg)!r}, '--last', 'Vasquez Jimenez',"
        " '--first', 'Dario', '--birth-date', '20080509']\n"
        "from ssid_tui.cli import main\n"
        "main()\n"
    )
    done = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    assert "SSID 1000000001" in done.stdout
    assert done.stdout.rstrip().endswith("no pydantic")


def test_a_number_option_still_gets_typers_check_in_our_words() -> None:
    from typer._coercion import resolve_type_descriptor
    from typer.models import OptionInfo

    from ssid_tui.cli.plain_values import DeferredRuntimeParam, PlainRuntimeParam, runtime_param

    assert isinstance(runtime_param(resolve_type_descriptor(str, OptionInfo())), PlainRuntimeParam)
    assert isinstance(runtime_param(resolve_type_descriptor(Path, OptionInfo())), PlainRuntimeParam)
    assert isinstance(runtime_param(resolve_type_descriptor(int, OptionInfo(min=1))), DeferredRuntimeParam)
    result = run("match", "--jobs", "0", "x", "y")
    assert result.exit_code == 2
    assert "--jobs cannot be '0': give a whole number from 1 to 256." in " ".join(result.output.split())


@pytest.mark.parametrize(("last", "first", "said"), [
    ("", "Y", "--last needs the student's legal last name: '' is empty."),
    ("  ", "Y", "--last needs the student's legal last name: '  ' is blank."),
    ("X", "", "--first needs the student's legal first name: '' is empty."),
    ("X", "\t", "--first needs the student's legal first name: '<TAB>' is blank."),
])
def test_an_empty_or_blank_name_is_refused_naming_its_option(tmp_path: Path, last: str, first: str, said: str) -> None:
    """Cold test: `find --last "" --first Y` answered "No Match: 0 candidates" with exit 0."""
    reg = registry(tmp_path)
    result = run("find", "--last", last, "--first", first, "--birth-date", "20140101", "--ods", reg)
    assert result.exit_code == 2, result.output
    assert result.output.strip() == f"Error: {said}"


def test_a_bad_name_or_gender_is_named_by_its_option(tmp_path: Path) -> None:
    reg = registry(tmp_path)
    middle = run("find", "--last", "X", "--first", "Y", "--middle", "A\x1bB", "--birth-date", "20140101", "--ods", reg)
    assert middle.exit_code == 2 and "--middle holds control or invisible characters (<ESC>)" in middle.output
    gender = run("find", "--last", "X", "--first", "Y", "--gender", "Q", "--birth-date", "20140101", "--ods", reg)
    assert gender.exit_code == 2 and "--gender cannot be 'Q': use M, F or X." in gender.output


def test_a_birthplace_is_read_as_the_clerk_meant_it(tmp_path: Path) -> None:
    """Cold test: `--state CA --country usa` was scored "different" against the registry's US-CA, US."""
    reg = registry(tmp_path)
    result = run("find", "--last", "vasquez jimenez", "--first", "dario", "--birth-date", "20080509",
                 "--state", "CA", "--country", "usa", "--ods", reg)
    assert result.exit_code == 0, result.output
    table = rows(result.output)
    assert table["Birth state"] == ["US-CA", "US-CA", "exact"]
    assert table["Birth country"] == ["US", "US", "exact"]


@pytest.mark.parametrize("option, value, said", [
    ("--country", "ZZ", "--country cannot be 'ZZ': give a country code such as US or MX (ISO, two letters)."),
    ("--country", "California", "--country cannot be 'California': give a country code such as US or MX"),
    ("--state", "XX", "--state cannot be 'XX': give a state code such as US-CA or MX-JAL."),
    ("--state", "US-ZZ", "--state cannot be 'US-ZZ': give a state code such as US-CA or MX-JAL."),
])
def test_an_unknown_birthplace_code_is_refused_naming_option_and_value(tmp_path: Path, option: str, value: str,
                                                                       said: str) -> None:
    reg = registry(tmp_path)
    result = run("find", "--last", "X", "--first", "Y", "--birth-date", "20140101", option, value, "--ods", reg)
    assert result.exit_code == 2, result.output
    assert said in result.output


def test_a_state_of_another_country_is_refused(tmp_path: Path) -> None:
    reg = registry(tmp_path)
    result = run("find", "--last", "X", "--first", "Y", "--birth-date", "20140101", "--state", "CA",
                 "--country", "MX", "--ods", reg)
    assert result.exit_code == 2, result.output
    assert flat(result.output) == ("Error: --state 'US-CA' is not a state of --country 'MX': correct one of them, "
                                   "or leave one out.")
    ok = run("find", "--last", "X", "--first", "Y", "--birth-date", "20140101", "--state", "JAL",
             "--country", "mex", "--ods", reg)
    assert ok.exit_code == 0, ok.output


def test_a_birth_date_after_today_is_refused(tmp_path: Path) -> None:
    reg = registry(tmp_path)
    result = run("find", "--last", "X", "--first", "Y", "--birth-date", "20990101", "--ods", reg)
    assert result.exit_code == 2, result.output
    assert result.output.strip() == "Error: --birth-date '20990101' is after today: give the student's birth date, like 20140507."


def test_code_sets_read_what_a_clerk_types() -> None:
    from ssid_tui.formats.codes import typed_country, typed_state
    from ssid_tui.matching.lookup import LookupQuery

    assert [typed_country(c) for c in ("us", "USA", "mex", "UU", "ZZ", "XYZ")] == ["US", "US", "MX", "UU", None, None]
    assert [typed_state(s) for s in ("ca", "US-CA", "JAL", "BC", "XX")] == ["US-CA", "US-CA", "MX-JAL", "CA-BC", None]
    assert typed_state("ON", "CA") == "CA-ON"
    # The review app's lookup carries the upload's own codes (validation reported them): not refused there.
    assert LookupQuery("GARCIA", "ANA", "20140507", country="ZZ", state="XX").problem() is None
    assert LookupQuery("GARCIA", "ANA", "20140507", state="ca").submitted().birth_state == "US-CA"
