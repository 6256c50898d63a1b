"""Issue 8, point 1: no command replaces a file of value; one rule for every writer."""

from __future__ import annotations

import os
import re
import shutil
import sqlite3
import stat
from pathlib import Path

import pytest

import ssid_tui.cli  # noqa: F401  (registers the commands)
from ssid_tui.exports.writers import RESULTS_COLUMNS, SIS_COLUMNS
from ssid_tui.files import safe
from ssid_tui.files.targets import (
    ERROR_LIST_HEADER,
    REPORT_TITLE,
    RESULTS_HEADER_START,
    SIS_HEADER,
    Kind,
    TargetRefused,
    check_target,
    kind_of,
)
from ssid_tui.workspace import decisions
from ssid_tui.workspace.store import open_workspace
from tests.support.cli import flat, run

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = ROOT / "fixtures"


_MADE = ("ods_extract.txt", "upload.txt", "reg.sqlite", "fall.sqlite", "bad.txt")


@pytest.fixture(scope="module")
def made_once(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The district's files, made once per module (an ODS load and a match): `files` copies them for each test."""
    folder = tmp_path_factory.mktemp("made")
    with pytest.MonkeyPatch.context() as mp:  # the autouse state folder is per test; this runs before it
        mp.setenv("XDG_STATE_HOME", str(tmp_path_factory.mktemp("made_state")))
        extract, senr, registry, ws, bad = (folder / name for name in _MADE)
        shutil.copy(FIXTURES / "ods_sample.txt", extract)
        shutil.copy(FIXTURES / "senr_clean.txt", senr)
        assert run("ods", "load", extract, "--into", registry).exit_code == 0
        assert run("match", senr, "--ods", registry, "-w", ws).exit_code == 0
        with open_workspace(ws) as w:
            s = w.student_by_local_id("40117")
            decisions.choose(w, s.id, w.candidates(s.id)[0].ssid)
        shutil.copy(FIXTURES / "senr_errors.txt", bad)
    assert sorted(p.name for p in folder.iterdir()) == sorted(_MADE)  # no side file left to copy
    return folder


@pytest.fixture()
def files(made_once: Path, tmp_path: Path) -> dict[str, Path]:
    """An extract, a registry, an SENR upload and a workspace with one decision, as a district has them.

    Copies of `made_once` (mode and times kept), the run's recorded upload and registry paths pointed
    at the copies, as if the match had run here: exports refuse those paths as files they read.
    """
    for name in _MADE:
        shutil.copy2(made_once / name, tmp_path / name)
    extract, senr, registry, ws, bad = (tmp_path / name for name in _MADE)
    conn = sqlite3.connect(ws)
    with conn:
        moved = conn.execute("UPDATE run SET senr_path = ?, registry_path = ? WHERE senr_path = ? AND registry_path = ?",
                             (str(senr), str(registry), str(made_once / "upload.txt"), str(made_once / "reg.sqlite")))
        assert moved.rowcount == 1
    conn.close()
    return {"extract": extract, "senr": senr, "registry": registry, "ws": ws, "bad": bad}


def snapshot(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in folder.iterdir() if p.is_file()}


def decided(ws: Path) -> int:
    with open_workspace(ws, readonly=True) as w:
        return w.conn.execute("SELECT COUNT(*) FROM decision").fetchone()[0]


# -- the kinds, told by content --------------------------------------------------------------


def test_every_kind_is_told_by_content_not_by_name(files, tmp_path):
    renamed = tmp_path / "renamed"
    renamed.mkdir()
    for key, name in (("ws", "results.csv"), ("registry", "notes.txt"), ("extract", "x.csv"), ("senr", "y.md")):
        shutil.copy(files[key], renamed / name)
    assert kind_of(renamed / "results.csv") is Kind.WORKSPACE
    assert kind_of(renamed / "notes.txt") is Kind.REGISTRY
    assert kind_of(renamed / "x.csv") is Kind.ODS_EXTRACT
    assert kind_of(renamed / "y.md") is Kind.SENR
    assert kind_of(FIXTURES / "senr_clean.csv") is Kind.SENR
    assert kind_of(tmp_path / "missing") is Kind.MISSING
    assert kind_of(tmp_path) is Kind.FOLDER
    (tmp_path / "empty").write_bytes(b"")
    assert kind_of(tmp_path / "empty") is Kind.EMPTY
    other = tmp_path / "other.db"
    sqlite3.connect(other).execute("CREATE TABLE t (x)").connection.commit()
    assert kind_of(other) is Kind.SQLITE
    # no -wal/-shm appear beside a database that was only looked at
    assert not (renamed / "results.csv-wal").exists() and not (renamed / "results.csv-shm").exists()


def test_side_files_are_side_files_even_before_they_exist(files):
    ws = files["ws"]
    for suffix in ("-wal", "-shm", "-journal", ".lock"):
        assert kind_of(Path(f"{ws}{suffix}")) is Kind.SIDE_FILE


def test_our_own_export_headers_are_the_ones_the_writers_write(files, tmp_path):
    """The sniffing constants must follow the writers, or re-exports would be refused."""
    assert RESULTS_COLUMNS[0] == RESULTS_HEADER_START
    assert tuple(SIS_COLUMNS) == SIS_HEADER
    assert run("validate", files["bad"], "--errors", tmp_path / "e.csv").exit_code == 1
    assert tuple((tmp_path / "e.csv").read_text(encoding="utf-8").splitlines()[0].split(",")) == ERROR_LIST_HEADER
    assert run("export", files["ws"], "--report", tmp_path / "r.md").exit_code == 0
    assert (tmp_path / "r.md").read_text(encoding="utf-8").splitlines()[0] == REPORT_TITLE


def test_the_rule_in_one_table():
    from ssid_tui.files.targets import REPLACEABLE, WRITTEN_ONLY

    for existing in (Kind.WORKSPACE, Kind.REGISTRY, Kind.ODS_EXTRACT, Kind.SENR, Kind.SIDE_FILE, Kind.SQLITE,
                     Kind.OTHER):
        for writes in (Kind.RESULTS, Kind.SIS, Kind.REPORT, Kind.ERROR_LIST):
            # an SENR file only when ssid-tui wrote it (our SENR export before any SSID was chosen)
            assert existing not in REPLACEABLE[writes] or existing in WRITTEN_ONLY
    assert Kind.SENR in WRITTEN_ONLY

    assert REPLACEABLE[Kind.REGISTRY] == {Kind.REGISTRY}
    assert Kind.WORKSPACE not in REPLACEABLE[Kind.REGISTRY]


def test_atomic_writer_cannot_be_called_without_saying_what_it_writes(tmp_path):
    with pytest.raises(TypeError):
        with safe.atomic_writer(tmp_path / "x.csv"):  # type: ignore[call-arg]
            pass


def test_no_module_writes_a_file_except_through_the_rule():
    """Structural: a new writer cannot bypass targets.check_target by opening files itself."""
    writes = re.compile(r"""open\([^)]*["'][wax]b?\+?["']|os\.replace\(|os\.rename\(|\.write_text\(|\.write_bytes\(|"""
                        r"""shutil\.(copy|move)""")
    allowed = ("ssid_tui/files/safe.py", "ssid_tui/synthetic/")  # sample data: `demo` checks its folder first
    offenders = []
    for path in (ROOT / "ssid_tui").rglob("*.py"):
        rel = path.relative_to(ROOT).as_posix()
        if rel.startswith(allowed):
            continue
        for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
            if writes.search(line):
                offenders.append(f"{rel}:{n}: {line.strip()}")
    assert offenders == []


# -- ods load ----------------------------------------------------------------------------------


def test_ods_load_refuses_to_replace_a_workspace(files):
    ws = files["ws"]
    before = ws.read_bytes()
    result = run("ods", "load", files["extract"], "--into", ws)
    assert result.exit_code == 2
    out = flat(result.output)
    assert f"{ws} is an ssid-tui workspace" in out and "Traceback" not in out
    assert ws.read_bytes() == before and decided(ws) == 1


def test_a_refusal_naming_an_input_it_reads_nests_no_parentheses(files):
    # "X is a file this command reads (an ssid-tui registry (a loaded ODS extract)): ..." read badly
    for name in ("registry", "ws"):
        with pytest.raises(TargetRefused) as refused:
            check_target(files[name], Kind.RESULTS, [files[name]])
        message = str(refused.value)
        assert message.count("(") == 1 and message.count(")") == 1, message
    registry_words = str(pytest.raises(TargetRefused, check_target, files["registry"], Kind.RESULTS,
                                       [files["registry"]]).value)
    assert "(an ssid-tui registry, which `ssid-tui ods load` built from an ODS extract)" in registry_words


@pytest.mark.parametrize("target", ["extract", "senr"])
def test_ods_load_refuses_its_input_and_an_senr_file(files, target):
    before = files[target].read_bytes()
    result = run("ods", "load", files["extract"], "--into", files[target])
    assert result.exit_code == 2 and "does not replace it" in flat(result.output) or "a file this command reads" in flat(result.output)
    assert files[target].read_bytes() == before


def test_ods_load_replaces_a_registry(files, tmp_path):
    result = run("ods", "load", files["extract"], "--into", files["registry"])
    assert result.exit_code == 0, result.output


def test_ods_load_refuses_a_side_file_of_the_workspace(files):
    wal = Path(f"{files['ws']}-wal")
    result = run("ods", "load", files["extract"], "--into", wal)
    assert result.exit_code == 2 and "side file" in flat(result.output)
    assert not wal.exists() or wal.stat().st_size == 0


# -- validate --errors --------------------------------------------------------------------------


@pytest.mark.parametrize("target", ["ws", "bad", "registry", "senr"])
def test_validate_errors_never_replaces_a_workspace_or_the_input(files, target):
    before = snapshot(files["bad"].parent)
    result = run("validate", files["bad"], "--errors", files[target])
    assert result.exit_code == 2  # refused before the file is read (cold test: it validated first)
    assert flat(result.output).startswith("Error: --errors: ") and "Errors by code" not in result.output
    assert snapshot(files["bad"].parent) == before
    assert decided(files["ws"]) == 1


def test_validate_errors_replaces_an_earlier_error_list(files, tmp_path):
    target = tmp_path / "errs.csv"
    assert run("validate", files["bad"], "--errors", target).exit_code == 1
    first = target.read_bytes()
    assert run("validate", files["bad"], "--errors", target).exit_code == 1
    assert target.read_bytes() == first


# -- export -------------------------------------------------------------------------------------


@pytest.mark.parametrize("option,target,what", [
    ("--results", "registry", "an ssid-tui registry"),
    ("--sis", "extract", "an ODS registry extract"),
    ("--senr", "senr", "a file this command reads"),
    ("--report", "ws", "a file this command reads"),
])
def test_export_refuses_files_of_value(files, tmp_path, option, target, what):
    before = snapshot(tmp_path)
    result = run("export", files["ws"], "--results", tmp_path / "new_results.csv", option, files[target])
    if option == "--results":
        result = run("export", files["ws"], option, files[target], "--sis", tmp_path / "new_sis.csv")
    assert result.exit_code == 2
    out = flat(result.output)
    assert what in out and str(files[target]) in out
    assert snapshot(tmp_path) == before  # nothing written at all, not even the other file


def test_export_refuses_another_senr_upload_and_the_workspace_wal(files, tmp_path):
    other = tmp_path / "spring_upload.txt"
    shutil.copy(FIXTURES / "senr_bom_lf.txt", other)
    result = run("export", files["ws"], "--senr", other)
    assert result.exit_code == 2 and "an SENR enrollment file" in flat(result.output)
    for suffix in ("-wal", "-shm", ".lock"):
        result = run("export", files["ws"], "--results", f"{files['ws']}{suffix}")
        assert result.exit_code == 2 and "side file" in flat(result.output)
    notes = tmp_path / "notes.txt"
    notes.write_text("my notes\n")
    result = run("export", files["ws"], "--report", notes)
    assert result.exit_code == 2 and "a file ssid-tui did not write" in flat(result.output)
    assert notes.read_text() == "my notes\n"


def test_export_again_replaces_its_own_files(files, tmp_path):
    out = tmp_path / "out"
    assert run("export", files["ws"], "--to", out).exit_code == 0
    first = snapshot(out)
    result = run("export", files["ws"], "--to", out)
    assert result.exit_code == 0, result.output
    assert snapshot(out).keys() == first.keys()


def test_export_again_replaces_an_senr_copy_without_any_ssid(files, tmp_path):
    with open_workspace(files["ws"]) as w:
        decisions.undo(w)  # nobody has an SSID: the SENR export is the upload again, byte for byte
    target = tmp_path / "copy.txt"
    assert run("export", files["ws"], "--senr", target).exit_code == 0
    assert target.read_bytes() == files["senr"].read_bytes()
    assert run("export", files["ws"], "--senr", target).exit_code == 0


def test_export_never_replaces_a_look_alike_it_did_not_write(files, tmp_path):
    """Content cannot tell our exports from CDE's results, an SIS's SENR with SSIDs or a user's
    copy of the upload: only a file ssid-tui wrote, unchanged since, is replaced."""
    with open_workspace(files["ws"]) as w:
        decisions.undo(w)  # nobody has an SSID: the SENR export would be the upload, byte for byte
    copy = tmp_path / "upload_backup.txt"
    shutil.copy(files["senr"], copy)  # the clerk's own copy of the upload
    cde = tmp_path / "cde_results.csv"
    cde.write_text(f"{RESULTS_HEADER_START},Selection\r\nfrom CDE,\r\n")  # the state tool's own results
    sis = tmp_path / "sis_senr.txt"
    sis.write_text("SENR^1^2^3^4^5^6^1234567890^SIS\r\n")  # the SIS's SENR with SSIDs filled in
    for option, target in (("--senr", copy), ("--results", cde), ("--senr", sis), ("--sis", cde)):
        before = target.read_bytes()
        result = run("export", files["ws"], option, target)
        assert result.exit_code == 2, (option, target, result.output)
        # a results file given to --sis is another kind of export: refused whoever wrote it
        refusal = "ssid-tui does not replace it" if option == "--sis" else "not one ssid-tui wrote and left unchanged"
        assert refusal in flat(result.output) and str(target.name) in flat(result.output)
        assert target.read_bytes() == before


def test_an_export_interrupted_right_after_its_rename_is_still_ours(files, tmp_path, monkeypatch):
    """kill -9 or Ctrl-C between the rename and the record left a file of ours that every later
    export refused (cold test): the record is made before the rename."""
    out = tmp_path / "out"
    assert run("export", files["ws"], "--to", out).exit_code == 0
    real_replace = os.replace

    def rename_then_interrupted(src, dst):
        real_replace(src, dst)
        raise KeyboardInterrupt

    monkeypatch.setattr(safe.os, "replace", rename_then_interrupted)
    with pytest.raises(KeyboardInterrupt):
        safe.replace_into(_finished_copy(out / "upload_match_results.csv"), out / "upload_match_results.csv",
                          writes=Kind.RESULTS)
    monkeypatch.setattr(safe.os, "replace", real_replace)
    result = run("export", files["ws"], "--to", out)
    assert result.exit_code == 0, result.output


def _finished_copy(path: Path) -> Path:
    """A finished temporary file beside `path`, as an export writes one before its rename."""
    tmp = path.with_name(f".{path.name}.tmp-test")
    tmp.write_bytes(path.read_bytes())
    return tmp


def test_our_export_edited_since_is_no_longer_ours(files, tmp_path):
    """Selections filled in a spreadsheet and saved: a re-export must not wipe them."""
    target = tmp_path / "results.csv"
    assert run("export", files["ws"], "--results", target).exit_code == 0
    assert run("export", files["ws"], "--results", target).exit_code == 0  # ours, unchanged: replaced
    edited = target.read_bytes().replace(b"\r\n", b",X\r\n", 1)
    target.write_bytes(edited)
    result = run("export", files["ws"], "--results", target)
    assert result.exit_code == 2 and "left unchanged" in flat(result.output)
    assert target.read_bytes() == edited


def test_the_record_of_written_exports_holds_no_names_and_is_owner_only(files, tmp_path):
    from ssid_tui.files import written

    assert run("export", files["ws"], "--to", tmp_path / "out").exit_code == 0
    record = written.record_path()
    assert stat.S_IMODE(record.stat().st_mode) == 0o600
    assert stat.S_IMODE(record.parent.stat().st_mode) == 0o700
    data = record.read_bytes()
    assert b"out" not in data and b".csv" not in data and b"upload" not in data
    with sqlite3.connect(record) as conn:
        assert conn.execute("SELECT count(*) FROM written").fetchone()[0] == 4


def test_a_record_left_readable_by_others_is_made_owner_only(files, tmp_path):
    """The record is opened by the one owner-only opener (files.owner_only), which also closes up a
    file found open to others (made by hand, or under another umask), not only a new one."""
    from ssid_tui.files import written

    record = written.record_path()
    record.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    record.touch(mode=0o644)
    os.chmod(record, 0o644)
    assert run("export", files["ws"], "--to", tmp_path / "out").exit_code == 0
    assert stat.S_IMODE(record.stat().st_mode) == 0o600


def test_without_a_record_our_export_is_kept_not_replaced(files, tmp_path, monkeypatch):
    """A lost or unwritable record errs on the safe side: the file is refused, never replaced."""
    target = tmp_path / "sis.csv"
    monkeypatch.setenv("XDG_STATE_HOME", str(tmp_path / "state-a"))
    assert run("export", files["ws"], "--sis", target).exit_code == 0
    monkeypatch.setenv("XDG_STATE_HOME", str(tmp_path / "state-b"))  # another record: nothing known
    before = target.read_bytes()
    assert run("export", files["ws"], "--sis", target).exit_code == 2
    assert target.read_bytes() == before


def test_an_unusable_record_is_said_when_the_export_is_written(files, tmp_path, monkeypatch):
    """Cold test: with the state folder unusable the export said nothing, then refused its own file."""
    blocker = tmp_path / "statefile"
    blocker.write_text("not a folder\n")
    monkeypatch.setenv("XDG_STATE_HOME", str(blocker))
    result = run("export", files["ws"], "--sis", tmp_path / "sis.csv")
    assert result.exit_code == 0, result.output
    text = flat(result.output)
    assert "cannot keep its record" in text and "will not replace" in text


def test_a_hard_link_to_the_input_is_the_input(files, tmp_path):
    link = tmp_path / "link.txt"
    link.hardlink_to(files["senr"])
    before = files["senr"].read_bytes()
    result = run("export", files["ws"], "--senr", link)
    assert result.exit_code == 2 and "a file this command reads" in flat(result.output)
    assert files["senr"].read_bytes() == before


# -- match --workspace ----------------------------------------------------------------------------


@pytest.mark.parametrize("target,what", [("registry", "a file this command reads"), ("senr", "a file this command reads"),
                                          ("extract", "an ODS registry extract")])
def test_match_workspace_must_be_a_workspace_or_missing(files, target, what):
    before = files[target].read_bytes()
    result = run("match", files["senr"], "--ods", files["registry"], "-w", files[target])
    assert result.exit_code == 2 and what in flat(result.output)
    assert files[target].read_bytes() == before


def test_check_target_in_one_sentence(files):
    with pytest.raises(TargetRefused) as err:
        check_target(files["ws"], Kind.RESULTS)
    message = str(err.value)
    assert message.count(". ") == 0 and str(files["ws"]) in message and "workspace" in message


# -- the review app's export dialog ----------------------------------------------------------------


def test_review_app_export_refuses_the_open_workspace(files, tmp_path):
    """e writes the four files of `export --to` into a folder: one named like the results file there
    but holding the open workspace (a hard link: the same file) is refused, and so is a file as folder."""
    import asyncio

    from textual.widgets import Static

    from ssid_tui.exports.writers import default_names
    from ssid_tui.ui.app import ReviewApp
    from ssid_tui.ui.screens.confirm import ConfirmScreen
    from ssid_tui.ui.screens.export import ExportScreen

    ws = files["ws"]
    folder = tmp_path / "out"
    folder.mkdir()
    with open_workspace(ws, readonly=True) as w:
        results_name = default_names(w)["results"]
    os.link(ws, folder / results_name)

    async def go(typed: Path) -> tuple[str, str]:
        app = ReviewApp(ws)
        async with app.run_test(size=(100, 30)) as pilot:
            await pilot.press("e", "ctrl+u", *str(typed), "enter")
            await pilot.pause()
            if isinstance(app.screen, ConfirmScreen):
                await pilot.press("y")  # students are undecided: it asks first
            await app.workers.wait_for_complete()
            await pilot.pause()
            return app.screen.messages[-1]

    severity, text = asyncio.run(go(folder))
    assert severity == "error" and results_name in text and "workspace" in text
    async def refused(typed: Path) -> str:  # a file: refused inside the dialog, which stays open
        app = ReviewApp(ws)
        async with app.run_test(size=(100, 30)) as pilot:
            await pilot.press("e", "ctrl+u", *str(typed), "enter")
            await pilot.pause()
            assert isinstance(app.screen, ExportScreen)
            return str(app.screen.query_one("#problem", Static).render())

    assert f"{ws} is a file, not a folder" in asyncio.run(refused(ws))
    assert decided(ws) == 1
    with open_workspace(ws, readonly=True) as w:
        assert w.conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"


@pytest.mark.parametrize("args", [("export", "WS", "--results", "F/r.csv"), ("export", "WS", "--to", "F/sub"),
                                  ("match", "SENR", "--ods", "REG", "-w", "F/x.sqlite"),
                                  ("ods", "load", "EXTRACT", "--into", "F/reg.sqlite")])
def test_a_path_under_a_file_names_the_file_that_is_not_a_folder(files, tmp_path, args):
    """cold test: mine.csv/r.csv was refused as 'a file ssid-tui did not write', though no such file exists."""
    plain = tmp_path / "mine.csv"
    plain.write_text("a,b\n")
    names = {"WS": files["ws"], "SENR": files["senr"], "REG": files["registry"], "EXTRACT": files["extract"]}
    argv = [names.get(a) or a.replace("F/", f"{plain}/") for a in args]
    result = run(*argv)
    assert result.exit_code == 2, result.output
    assert f"{plain.name} is a file, not a folder" in flat(result.output)
    assert plain.read_text() == "a,b\n"
