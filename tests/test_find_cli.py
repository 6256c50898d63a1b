"""`ssid-tui find` shows names as the registry holds them and as the clerk typed them, not in the
matcher's folded form (upper case, accents and hyphens gone, particles joined)."""

from __future__ import annotations

from pathlib import Path

from ssid_tui.matching.registry import load_extract
from tests.support.cli import run
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
