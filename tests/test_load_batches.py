"""`ods load` reads the extract in batches that worker processes turn into rows (extract_rows.py):
the registry, its notes and its refusals are the same as reading line by line in one process."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from ssid_tui.formats.lines import LongLine
from ssid_tui.matching import extract_rows
from ssid_tui.matching.extract_rows import batches_of
from ssid_tui.matching.registry import RegistryError, load_extract
from tests.support.extracts import ods_line


def extract_lines_text() -> list[str]:
    """Forty SSIDs, every third with a former name on the next line (and one with two), aliases,
    notes (a blank first name, a control character, an odd gender code), a blank line, and four
    former names after a line holding only a no-break space: with batches of 4 lines, some fall
    on a batch's edge."""
    lines = []
    for i in range(40):
        ssid = f"10000000{i:02d}"
        lines.append(ods_line(ssid, f"NAME{i}" if i != 7 else "", f"FAMILY{i % 9}", f"2013{1 + i % 12:02d}15",
                              "FM"[i % 2] if i != 11 else "Q", alias_first="PEPE" if i % 5 == 0 else ""))
        if i % 3 == 0:
            lines.append(ods_line(ssid, f"NAME{i}", f"OLDNAME{i}", f"2013{1 + i % 12:02d}15"))
        if i == 9:
            lines.append(ods_line(ssid, "ANOTHER\x07", f"OLDER{i}", "20130915"))
            lines.append("")
        if i in (12, 13, 14, 15):  # a line blank to the parser (a no-break space) before a former name
            lines.append("\u00a0")
            lines.append(ods_line(ssid, f"NAME{i}", f"FORMER{i}", f"2013{1 + i % 12:02d}15"))
    return lines


def table_rows(path: Path) -> dict[str, list[tuple]]:
    with sqlite3.connect(path) as conn:
        return {t: conn.execute(f"SELECT * FROM {t} ORDER BY 1, 2, 3").fetchall() for t in ("ssid", "name", "freq")}


def in_workers(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """From now on every extract, however small, goes to two workers in batches of 4 lines;
    the list returned gets the number of workers of each load."""
    monkeypatch.setattr(extract_rows, "PARALLEL_FROM_BYTES", 0)
    monkeypatch.setattr(extract_rows, "BATCH_LINES", 4)
    monkeypatch.setattr(extract_rows, "available_cores", lambda: 2)
    jobs: list[int] = []
    real = extract_rows.mapped_in_order

    def spied(work, payloads, n):
        jobs.append(n)
        return real(work, payloads, n)

    monkeypatch.setattr(extract_rows, "mapped_in_order", spied)
    return jobs


def load_both_ways(tmp_path: Path, text: str, monkeypatch: pytest.MonkeyPatch) -> tuple[Path, Path]:
    extract = tmp_path / "ods.txt"
    extract.write_text(text, encoding="utf-8")
    one, two = tmp_path / "one" / "reg.sqlite", tmp_path / "two" / "reg.sqlite"
    one.parent.mkdir()
    two.parent.mkdir()
    load_extract(extract, one)  # a few hundred bytes: read in this process
    jobs = in_workers(monkeypatch)
    load_extract(extract, two)
    assert jobs == [2]
    return one, two


def test_a_registry_loaded_by_workers_in_batches_is_the_one_loaded_line_by_line(tmp_path, monkeypatch):
    one, two = load_both_ways(tmp_path, "\n".join(extract_lines_text()) + "\n", monkeypatch)
    rows_one, rows_two = table_rows(one), table_rows(two)
    assert rows_one == rows_two
    kinds = [r[2] for r in rows_two["name"]]
    assert kinds.count("former") == 19 and kinds.count("alias") == 8  # 14 + SSID 09's second + 4 after a no-break space
    assert len(rows_two["ssid"]) == 40
    notes_one = (one.parent / "reg.sqlite.load-notes.csv").read_text(encoding="utf-8")
    notes_two = (two.parent / "reg.sqlite.load-notes.csv").read_text(encoding="utf-8")
    assert notes_one == notes_two
    assert "<BEL>" in notes_two and "Gender" in notes_two


def test_bad_lines_in_later_batches_are_named_as_line_by_line(tmp_path, monkeypatch):
    lines = extract_lines_text()
    lines[30] = "1000000099^too^few"
    lines[45] = lines[45].replace("^2013", "^20x3", 1)
    extract = tmp_path / "ods.txt"
    extract.write_text("\n".join(lines) + "\n", encoding="utf-8")
    with pytest.raises(RegistryError) as in_process:
        load_extract(extract, tmp_path / "a.sqlite")
    in_workers(monkeypatch)
    with pytest.raises(RegistryError) as by_workers:
        load_extract(extract, tmp_path / "b.sqlite")
    assert str(by_workers.value).replace("b.sqlite", "a.sqlite") == str(in_process.value)
    assert "line 31 has 3 fields" in str(by_workers.value) and "line 46" in str(by_workers.value)
    assert [e.line_no for e in by_workers.value.line_errors] == [31, 46]
    assert not (tmp_path / "b.sqlite").exists()


def numbered(lines: list[bytes | LongLine]) -> list[tuple[int, bytes | LongLine]]:
    return list(enumerate(lines, start=1))


def test_batches_are_bounded_and_each_knows_the_ssid_before_it():
    a, b, c = b"1000000001^X\n", b"1000000002^Y\n", b"1000000003^Z\n"
    got = list(batches_of(numbered([a, a, b, b, b, c, c]), 2))
    assert [bt.lines for bt in got] == [[a, a], [b, b], [b, c], [c]]
    assert [bt.first_line_no for bt in got] == [1, 3, 5, 7]
    assert [bt.ssid_before for bt in got] == [None, "1000000001", "1000000002", "1000000003"]
    # a file whose first field never changes (or that has no fields at all) is cut all the same:
    # its memory stays bounded (cold test: 34 MB of blank lines took 1.8 GB)
    assert [len(bt.lines) for bt in batches_of(numbered([b" \n"] * 10), 3)] == [3, 3, 3, 1]
    assert [len(bt.lines) for bt in batches_of(numbered([a] * 10), 100, most_bytes=40)] == [4, 4, 2]


def test_lines_without_fields_are_not_the_line_before():
    a, b = b"1000000001^X\r\n", b"1000000002^Y\r\n"
    nbsp, long = b"\xc2\xa0\r\n", LongLine(10_000_000)  # blank to the parser, not to bytes.strip()
    got = list(batches_of(numbered([a, nbsp, long, a, b]), 1))
    assert [bt.ssid_before for bt in got] == [None, "1000000001", "1000000001", "1000000001", "1000000001"]
    bom = b"\xef\xbb\xbf" + a  # the first line's byte order mark is not part of its SSID
    assert [bt.ssid_before for bt in batches_of(numbered([bom, a]), 1)] == [None, "1000000001"]


def test_an_extract_saved_as_windows_1252_loads_with_its_accents_and_says_so(tmp_path):
    """`validate` reads a Windows-1252 SENR file; the load refused the same encoding line by line
    ("is not valid UTF-8") until a cold test found it."""
    from tests.support.cli import run

    lines = [ods_line("1000000001", "JOSÉ", "NÚÑEZ", "20140507", "M"),
             ods_line("1000000002", "ANA", "LOPEZ", "20130212"),
             ods_line("1000000003", "ZOË", "O\x81BRIEN", "20150101")]  # 0x81: no Windows-1252 letter
    extract = tmp_path / "ods.txt"
    extract.write_bytes("\r\n".join(lines).encode("windows-1252", errors="ssid-passthrough") + b"\r\n")
    summary = load_extract(extract, tmp_path / "reg.sqlite")
    assert summary.windows_1252_lines == 2 and summary.ssids == 3
    with sqlite3.connect(tmp_path / "reg.sqlite") as conn:
        names = dict(conn.execute("SELECT ssid, first || ' ' || last FROM name WHERE kind = 'legal'").fetchall())
    assert names == {"1000000001": "JOSÉ NÚÑEZ", "1000000002": "ANA LOPEZ", "1000000003": "ZOË O\x81BRIEN"}
    result = run("ods", "load", str(extract), "--into", str(tmp_path / "again.sqlite"))
    assert result.exit_code == 0, result.output
    assert "Read as Windows-1252: 2 lines of the extract were not UTF-8" in " ".join(result.output.split())


def test_a_line_with_one_field_is_named_in_the_singular(tmp_path):
    extract = tmp_path / "ods.txt"
    extract.write_text("\n".join([*extract_lines_text()[:3], "just one field"]) + "\n", encoding="utf-8")
    with pytest.raises(RegistryError) as refused:
        load_extract(extract, tmp_path / "reg.sqlite")
    assert "line 4 has 1 field, an extract line has 19" in str(refused.value)


def test_a_big_server_gets_no_more_load_workers_than_the_parent_can_keep_busy(monkeypatch):
    jobs = []
    monkeypatch.setattr(extract_rows, "available_cores", lambda: 64)
    monkeypatch.setattr(extract_rows, "mapped_in_order", lambda work, payloads, n: jobs.append(n) or iter(()))
    list(extract_rows.extract_rows(iter(()), extract_rows.PARALLEL_FROM_BYTES))
    list(extract_rows.extract_rows(iter(()), extract_rows.PARALLEL_FROM_BYTES - 1))
    assert jobs == [extract_rows.MAX_WORKERS, 1]
