"""A registry damaged past its first pages: `match` says so in one sentence (cold test: it said
"stopped on an internal error (DatabaseError)")."""

from __future__ import annotations

import pytest

from tests.support.cli import run
from tests.support.generated import loaded_upload


@pytest.mark.parametrize("jobs", ["1", "2"])
def test_match_against_a_registry_damaged_inside_is_one_sentence(tmp_path, jobs):
    files = loaded_upload(tmp_path, registry_size=3_000, upload_size=60, seed=5)
    data = bytearray(files["registry"].read_bytes())
    start = len(data) // 4
    data[start:] = b"\xa5" * (len(data) - start)  # every page after the first quarter
    damaged = tmp_path / "damaged.sqlite"
    damaged.write_bytes(bytes(data))
    result = run("match", files["senr"], "--ods", damaged, "--workspace", tmp_path / "w.sqlite", "--jobs", jobs)
    assert result.exit_code == 2, result.output
    text = " ".join(result.output.split())
    assert "damaged.sqlite is damaged" in text and "load the ODS extract again" in text, text
    assert "internal error" not in text and "Traceback" not in text
    assert not (tmp_path / "w.sqlite").exists()


def _find(registry):
    return run("find", "--last", "GARCIA", "--first", "ANA", "--birth-date", "20140507", "--ods", registry)


def test_find_in_a_registry_damaged_inside_is_one_sentence(tmp_path):
    files = loaded_upload(tmp_path, registry_size=3_000, upload_size=10, seed=5)
    data = bytearray(files["registry"].read_bytes())
    start = len(data) // 4
    data[start:] = b"\xa5" * (len(data) - start)
    damaged = tmp_path / "damaged.sqlite"
    damaged.write_bytes(bytes(data))
    result = _find(damaged)
    assert result.exit_code == 2, result.output
    text = " ".join(result.output.split())
    assert "damaged.sqlite is damaged" in text and "load the ODS extract again" in text, text
    assert "internal error" not in text


@pytest.mark.parametrize("command", ["find", "match"])
def test_a_registry_cut_short_is_named_damaged_before_any_lookup(tmp_path, command):
    files = loaded_upload(tmp_path, registry_size=3_000, upload_size=10, seed=5)
    data = files["registry"].read_bytes()
    cut = tmp_path / "cut.sqlite"
    cut.write_bytes(data[: len(data) * 9 // 10])  # the schema is whole; the last pages are gone
    if command == "find":
        result = _find(cut)
    else:
        result = run("match", files["senr"], "--ods", cut, "--workspace", tmp_path / "w.sqlite")
    assert result.exit_code == 2, result.output
    text = " ".join(result.output.split())
    assert "cut.sqlite is damaged: it is shorter than SQLite wrote it" in text, text
    assert not (tmp_path / "w.sqlite").exists()
