"""Loading the ODS extract: all or nothing, named bad lines, old and corrupt registries refused."""

from __future__ import annotations

import hashlib
import os
import sqlite3
import stat
from pathlib import Path

import pytest

from ssid_tui.matching.registry import RegistryError, load_extract, open_registry
from tests.support.extracts import LINES, ods_line


def write(path: Path, lines: list[str]) -> Path:
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def test_load_counts_ssids_and_name_records(tmp_path):
    s = load_extract(write(tmp_path / "ods.txt", LINES), tmp_path / "reg.sqlite")
    assert (s.lines, s.ssids, s.name_records) == (4, 3, 5)  # 4 legal/former names + 1 alias
    with open_registry(tmp_path / "reg.sqlite") as reg:
        kinds = reg.conn.execute("SELECT kind, COUNT(*) FROM name GROUP BY kind ORDER BY kind").fetchall()
        assert kinds == [("alias", 1), ("former", 1), ("legal", 3)]
        freq = reg.frequencies()
        assert freq["last"]["GARCIA"] == 1 and freq["first"]["MARIA"] == 1 and freq["dob"]["20130212"] == 1
        indexes = {r[0] for r in reg.conn.execute("SELECT name FROM sqlite_master WHERE type = 'index'")}
        assert {"name_dob_last1", "name_dob_last2", "name_dob_first", "name_last_first", "name_last_middle", "name_prefix_first"} <= indexes


def test_registry_file_is_owner_only(tmp_path):
    load_extract(write(tmp_path / "ods.txt", LINES), tmp_path / "reg.sqlite")
    assert stat.S_IMODE(os.stat(tmp_path / "reg.sqlite").st_mode) == 0o600


def test_a_bad_line_fails_the_load_names_the_line_and_keeps_the_old_registry(tmp_path):
    reg = tmp_path / "reg.sqlite"
    load_extract(write(tmp_path / "good.txt", LINES), reg)
    before = reg.read_bytes()
    bad = LINES[:2] + ["12345^too^short"] + LINES[2:] + [ods_line("1000000009", "ZOE", "KIM", "2015133")]
    with pytest.raises(RegistryError) as err:
        load_extract(write(tmp_path / "bad.txt", bad), reg)
    assert err.value.total_errors == 2
    assert [e.line_no for e in err.value.line_errors] == [3, 6]
    assert "line 3" in str(err.value) and "unchanged" in str(err.value)
    assert reg.read_bytes() == before
    with open_registry(reg) as r:
        assert r.size == 3
    assert not [p for p in tmp_path.iterdir() if ".loading-" in p.name]


@pytest.mark.parametrize(
    ("make", "says"),
    [
        (lambda p: None, "does not exist"),
        (lambda p: p.mkdir(), "folder"),
        (lambda p: p.write_bytes(b"this is not sqlite at all" * 100), "not a registry"),
    ],
)
def test_unusable_registry_files_get_one_sentence(tmp_path, make, says):
    p = tmp_path / "reg.sqlite"
    make(p)
    with pytest.raises(RegistryError, match=says):
        open_registry(p)


def test_a_registry_from_an_older_version_is_refused(tmp_path):
    reg = tmp_path / "reg.sqlite"
    load_extract(write(tmp_path / "ods.txt", LINES), reg)
    conn = sqlite3.connect(reg)
    conn.execute("UPDATE meta SET value = '0' WHERE key = 'schema_version'")
    conn.commit()
    conn.close()
    with pytest.raises(RegistryError, match="older ssid-tui"):
        open_registry(reg)


def test_another_sqlite_file_is_not_a_registry(tmp_path):
    p = tmp_path / "other.sqlite"
    sqlite3.connect(p).execute("CREATE TABLE meta (key TEXT, value TEXT)").connection.commit()
    with pytest.raises(RegistryError, match="not an ssid-tui registry"):
        open_registry(p)


def test_empty_or_missing_extract(tmp_path):
    with pytest.raises(RegistryError, match="does not exist"):
        load_extract(tmp_path / "nope.txt", tmp_path / "reg.sqlite")
    (tmp_path / "empty.txt").write_text("")
    with pytest.raises(RegistryError, match="empty"):
        load_extract(tmp_path / "empty.txt", tmp_path / "reg.sqlite")


def test_read_only_folder(tmp_path, monkeypatch):
    # Tests run as root in CI, where chmod does not stop writes: ask as a user would see it.
    monkeypatch.setattr("ssid_tui.files.safe.can_write", lambda path, folder=True: False)
    with pytest.raises(RegistryError, match="cannot write the registry in"):
        load_extract(write(tmp_path / "ods.txt", LINES), tmp_path / "reg.sqlite")


def test_an_extract_removed_during_the_load_still_loads_with_the_fingerprint_of_what_was_read(tmp_path):
    # cold test: the fingerprint used to be read by opening the extract again after the indexes were
    # built, so a file moved away meanwhile stopped the load with an internal error
    extract = write(tmp_path / "ods.txt", LINES)
    digest = hashlib.sha256(extract.read_bytes()).hexdigest()

    def remove_it(done: int, work: int) -> None:
        extract.unlink(missing_ok=True)

    summary = load_extract(extract, tmp_path / "reg.sqlite", progress=remove_it)
    assert not extract.exists() and summary.ssids == 3
    with open_registry(tmp_path / "reg.sqlite") as reg:
        assert reg.meta["source_sha256"] == digest
