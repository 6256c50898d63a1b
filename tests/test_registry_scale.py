"""The registry at statewide scale: a compact layout, a load that reports its whole course, quick lookups."""

from __future__ import annotations

import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from ssid_tui.cli import COMMAND_MODULES, requested_command
from ssid_tui.matching import extract_rows
from ssid_tui.matching.lookup import LookupQuery, lookup
from ssid_tui.matching.matcher import Matcher
from ssid_tui.matching.registry import load_extract, open_registry
from ssid_tui.synthetic.generator import generate
from tests.support.extracts import ods_line
from tests.support.generated import shared_generated


@pytest.fixture(scope="module")
def registry(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder, _files = shared_generated(tmp_path_factory, registry_size=4000, upload_size=200, seed=7)  # read only
    return folder / "reg.sqlite"


def test_ssids_are_stored_once_keyed_by_ssid_and_the_first_line_of_an_ssid_wins(tmp_path: Path) -> None:
    lines = [ods_line("1000000009", "ANA", "RUIZ", "20140507"), ods_line("1000000001", "ZOE", "LEE", "20130101"),
             ods_line("1000000009", "ANA", "RUIZ", "20140508")]  # a second line of 9, apart from its first
    (tmp_path / "ods.txt").write_text("\n".join(lines) + "\n", encoding="utf-8")
    summary = load_extract(tmp_path / "ods.txt", tmp_path / "reg.sqlite")
    assert summary.ssids == 2
    conn = sqlite3.connect(tmp_path / "reg.sqlite")
    assert conn.execute("SELECT ssid, birth_date FROM ssid").fetchall() == [("1000000001", "20130101"),
                                                                          ("1000000009", "20140507")]
    schema = dict(conn.execute("SELECT name, sql FROM sqlite_master WHERE tbl_name = 'ssid'").fetchall())
    assert list(schema) == ["ssid"] and "WITHOUT ROWID" in schema["ssid"]  # no rowid, no second index
    assert {r[0] for r in conn.execute("SELECT name FROM sqlite_temp_master")} == set()


def test_the_load_reports_progress_through_the_index_builds_and_ends_at_the_total(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # a small extract read in small batches: several reading reports, as a large extract in 20,000-line batches gives
    monkeypatch.setattr(extract_rows, "BATCH_LINES", 1000)
    files = generate(tmp_path, registry_size=4000, upload_size=10, seed=3)
    calls: list[tuple[int, int]] = []
    load_extract(files.registry, tmp_path / "reg.sqlite", progress=lambda done, total: calls.append((done, total)))
    totals = {t for _d, t in calls}
    assert len(totals) == 1  # one scale from start to end: the bar never jumps back
    total = totals.pop()
    done = [d for d, _t in calls]
    assert done == sorted(done) and done[-1] == total
    size = files.registry.stat().st_size
    assert len([d for d in done if d < size]) >= 3  # the reading reports batch by batch
    assert total > size  # the index builds are part of the work
    assert len([d for d in done if d >= size]) >= 8  # and report as they go


def test_a_lookup_reads_frequencies_on_demand_and_scores_as_a_whole_run(registry: Path) -> None:
    conn = sqlite3.connect(registry)
    rows = conn.execute("SELECT n.first, n.middle, n.last, n.birth_date, s.gender FROM name n JOIN ssid s USING (ssid) "
                        "WHERE n.id % 397 = 1 LIMIT 10").fetchall()
    found = 0
    for first, middle, last, bd, gender in rows:
        query = LookupQuery(last=last, first=first, middle=middle, birth_date=bd, gender=gender)
        one = lookup(registry, query)
        with open_registry(registry) as reg:
            whole = Matcher(reg).match(query.submitted())
            assert not reg.few_lookups
        assert [(c.ssid, c.score, c.explanation()) for c in one.candidates] == \
               [(c.ssid, c.score, c.explanation()) for c in whole.candidates]
        found += bool(one.candidates)
    assert found >= 8
    with open_registry(registry, few_lookups=True) as reg:
        freq = reg.frequencies()
        assert freq["last"].get("NO SUCH NAME", 0) == 0 and freq["last"].get("NO SUCH NAME") is None
        assert len(freq["dob"]) == 0  # nothing read before it is asked for


def test_ssid_tui_find_imports_only_what_a_lookup_needs() -> None:
    probe = ("import sys; sys.argv = ['/usr/bin/ssid-tui', 'find', '--help']; import ssid_tui.cli\n"
             "print(' '.join(sorted(m for m in sys.modules if m.split('.')[0] in ('pandas', 'sqlite_utils', 'textual')"
             " or m.startswith(('ssid_tui.synthetic', 'ssid_tui.workspace.match_run', 'ssid_tui.exports')))))")
    run = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True)
    assert run.stdout.strip() == ""


def test_only_a_named_command_of_the_ssid_tui_program_narrows_what_is_loaded() -> None:
    assert requested_command(["/usr/local/bin/ssid-tui", "find", "--last", "X"]) == "find"
    assert requested_command(["/usr/local/bin/ssid-tui", "fnd"]) is None  # a typo gets every command's suggestions
    assert requested_command(["/usr/local/bin/ssid-tui", "--help"]) is None
    assert requested_command(["/usr/local/bin/ssid-tui"]) is None
    assert requested_command(["pytest", "find"]) is None
    assert requested_command(["/usr/local/bin/ssid-tui", "--version"]) == ""  # no command at all
    assert requested_command(["/usr/local/bin/ssid-tui", "--version", "--help"]) is None
    assert set(COMMAND_MODULES) >= {"find", "match", "ods", "review", "export"}


def test_ctrl_c_while_the_command_line_is_imported_ends_quietly(monkeypatch, capsys):
    """A Ctrl-C in the first tenths of a second printed the interrupted import's traceback (cold test)."""
    import builtins

    from ssid_tui import launch

    real_import = builtins.__import__

    def interrupted(name, *args, **kwargs):
        if name == "ssid_tui.cli":
            raise KeyboardInterrupt
        return real_import(name, *args, **kwargs)

    monkeypatch.setattr(builtins, "__import__", interrupted)
    with pytest.raises(SystemExit) as ended:
        launch.main()
    assert ended.value.code == 130
    assert capsys.readouterr().err == "Interrupted.\n"
