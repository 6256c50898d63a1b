"""Issue 8, points 3-5: a re-match never leaves stale or half-written decisions to export."""

from __future__ import annotations

import csv
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

import ssid_tui.cli  # noqa: F401  (registers the commands)
from ssid_tui.files import lock
from ssid_tui.files.identity import login_name
from ssid_tui.ui.session import ReviewSession
from ssid_tui.workspace import decisions
from ssid_tui.workspace.history import latest_rematch_clears
from ssid_tui.workspace.store import open_workspace
from tests.support.cli import flat, run
from tests.support.registries import sample_registry
from tests.support.workspaces import workspace_state as state

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = ROOT / "fixtures"


@pytest.fixture()
def matched(tmp_path: Path, tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path | str]:
    """A registry, an upload matched into a workspace, and 40117's top candidate chosen."""
    registry = sample_registry(tmp_path_factory, tmp_path / "reg.sqlite")  # loaded once per run, copied
    senr = tmp_path / "upload.txt"
    senr.write_bytes((FIXTURES / "senr_clean.txt").read_bytes())
    ws = tmp_path / "fall.sqlite"
    assert run("match", senr, "--ods", registry, "-w", ws).exit_code == 0
    with open_workspace(ws) as w:
        s = w.student_by_local_id("40117")
        ssid = w.candidates(s.id)[0].ssid
        decisions.choose(w, s.id, ssid)
    return {"registry": registry, "senr": senr, "ws": ws, "ssid": ssid}


# -- 3: a chosen SSID that is no longer a candidate ------------------------------------------------


def test_a_choice_whose_ssid_left_the_registry_is_cleared_and_never_exported(matched, tmp_path):
    ssid = str(matched["ssid"])
    extract = tmp_path / "without.txt"
    lines = (FIXTURES / "ods_sample.txt").read_text(encoding="utf-8").splitlines(keepends=True)
    extract.write_text("".join(line for line in lines if not line.startswith(ssid)), encoding="utf-8")
    registry2 = tmp_path / "reg2.sqlite"
    assert run("ods", "load", extract, "--into", registry2).exit_code == 0

    result = run("match", matched["senr"], "--ods", registry2, "-w", matched["ws"])
    assert result.exit_code == 0, result.output
    out = flat(result.output)
    assert "Cleared 1 choice whose SSID is no longer a candidate (local ID 40117)" in out

    with open_workspace(matched["ws"], readonly=True) as w:
        s = w.student_by_local_id("40117")
        assert s.status == "undecided" and s.chosen_ssid is None
        last = decisions.history(w, "40117")[-1]
        assert last.source == "rematch" and last.prev_ssid == ssid and "no longer a candidate" in (last.note or "")

    out_dir = tmp_path / "out"
    assert run("export", matched["ws"], "--to", out_dir).exit_code == 0
    sis = (out_dir / "upload_sis_ssids.csv").read_text(encoding="utf-8")
    assert ssid not in sis and "40117" not in sis
    senr = (out_dir / "upload_with_ssids.txt").read_text(encoding="utf-8")
    assert ssid not in senr
    with (out_dir / "upload_match_results.csv").open(encoding="utf-8", newline="") as fh:
        rows = [r for r in csv.DictReader(fh) if r["Submitted_SENR_LocalID"] == "40117"]
    assert rows and all(r["Selection"] != "X" for r in rows) and all(r["Result_SENR_SSID"] != ssid for r in rows)
    report = (out_dir / "upload_review_report.md").read_text(encoding="utf-8")
    section = report.split("## Decisions cleared by the latest re-match", 1)[1].split("\n## ", 1)[0]
    assert f"| 40117 | chosen SSID no longer a candidate | chosen {ssid} | Not reviewed |" in section


def test_a_rematch_names_every_student_whose_decision_it_cleared_in_the_summary_and_the_report(matched, tmp_path):
    """Changed records and a student gone: named by local ID (never by name) in match's summary and in the report."""
    lines = matched["senr"].read_text(encoding="utf-8").splitlines(keepends=True)
    local_ids = [line.split("^")[8] for line in lines]
    with open_workspace(matched["ws"]) as w:
        for lid in local_ids[1:13]:  # 40117 (line 1) is chosen already
            decisions.mark_none(w, w.student_by_local_id(lid).id)
    changed = []
    for line in lines[:12]:  # a middle name corrected on 12 decided students
        fields = line.split("^")
        fields[10] = fields[10] + "A" if fields[10] else "ANN"
        changed.append("^".join(fields))
    gone = local_ids[12]  # decided, then left the district: not in the new file
    matched["senr"].write_text("".join(changed + lines[13:]), encoding="utf-8")

    result = run("match", matched["senr"], "--ods", matched["registry"], "-w", matched["ws"])
    assert result.exit_code == 0, result.output
    out = flat(result.output)
    first_ten = ", ".join(local_ids[:10])
    assert f"Cleared 12 decisions whose record changed (local ID {first_ten} and 2 more)" in out
    assert f"Cleared 1 decision of a student no longer in this file (local ID {gone})" in out
    assert "NÚÑEZ" not in out and "JOSÉ" not in out and "20120314" not in out  # personal data stays out

    out_dir = tmp_path / "out"
    assert run("export", matched["ws"], "--to", out_dir).exit_code == 0
    report = (out_dir / "upload_review_report.md").read_text(encoding="utf-8")
    section = report.split("## Decisions cleared by the latest re-match", 1)[1].split("\n## ", 1)[0]
    assert "cleared 13 decisions" in section
    assert f"| 40117 | record changed in the new file | chosen {matched['ssid']} | Not reviewed |" in section
    assert f"| {local_ids[5]} | record changed in the new file | None of these | Not reviewed |" in section
    assert f"| {gone} | student no longer in the file | None of these | not in the file |" in section
    assert section.count("\n| ") == 1 + 13  # the heading, then one row each


def test_a_second_rematch_lists_only_what_it_cleared(matched):
    """The report and the summary speak of the latest re-match, not of an earlier one."""
    lines = matched["senr"].read_text(encoding="utf-8").splitlines(keepends=True)
    fields = lines[0].split("^")
    fields[10] += "A"
    matched["senr"].write_text("".join(["^".join(fields), *lines[1:]]), encoding="utf-8")
    assert "Cleared 1 decision whose record changed" in flat(
        run("match", matched["senr"], "--ods", matched["registry"], "-w", matched["ws"]).output)
    again = run("match", matched["senr"], "--ods", matched["registry"], "-w", matched["ws"])
    assert again.exit_code == 0 and "Cleared" not in again.output
    with open_workspace(matched["ws"], readonly=True) as w:
        assert not latest_rematch_clears(w.conn)


def test_a_choice_still_among_the_candidates_is_kept(matched):
    result = run("match", matched["senr"], "--ods", matched["registry"], "-w", matched["ws"])
    assert result.exit_code == 0 and "Earlier decisions kept: 1" in flat(result.output)
    assert "Cleared" not in result.output


def another_upload(matched, tmp_path: Path) -> Path:
    """The same students under other Local Student IDs (field 1.09): a different district's file."""
    lines = matched["senr"].read_bytes().decode("utf-8").splitlines(keepends=True)
    out = []
    for line in lines:
        fields = line.split("^")
        fields[8] = "9" + fields[8]
        out.append("^".join(fields))
    other = tmp_path / "spring.txt"
    other.write_bytes("".join(out).encode("utf-8"))
    return other


def test_matching_another_upload_into_a_reviewed_workspace_is_refused_and_changes_nothing(matched, tmp_path):
    other = another_upload(matched, tmp_path)
    before = state(matched["ws"])
    result = run("match", other, "--ods", matched["registry"], "-w", matched["ws"])
    assert result.exit_code == 2, result.output
    text = flat(result.output)
    assert "holds the review of another upload" in text and "1 of the 1 student reviewed there is not in spring.txt" in text
    assert "--replace-upload" in text
    assert state(matched["ws"]) == before


def test_replace_upload_matches_another_file_into_a_reviewed_workspace(matched, tmp_path):
    other = another_upload(matched, tmp_path)
    result = run("match", other, "--ods", matched["registry"], "-w", matched["ws"], "--replace-upload")
    assert result.exit_code == 0, result.output
    with open_workspace(matched["ws"], readonly=True) as w:
        assert w.student_by_local_id("940117") is not None and w.student_by_local_id("40117") is None


# -- 4: a re-match killed part way -----------------------------------------------------------------

HARNESS = """
import sys, time
from pathlib import Path
from ssid_tui.workspace import store

marker = Path(sys.argv[1])
original = store.Workspace.store_results

def slow(self, run_id, results):
    def halfway():
        for i, row in enumerate(results):
            if i == 20:  # of 40 or 43 (the rows are streamed in: no len)
                marker.touch()  # tell the test: half the students are written, inside the transaction
                time.sleep(120)
            yield row
    return original(self, run_id, halfway())

store.Workspace.store_results = slow
from ssid_tui.cli import main
sys.argv = ["ssid-tui", "match", *sys.argv[2:]]
main()
"""


def kill_mid_match(tmp_path: Path, *args: object) -> None:
    marker = tmp_path / "halfway"
    proc = subprocess.Popen([sys.executable, "-c", HARNESS, str(marker), *map(str, args)], cwd=ROOT,
                            env={**os.environ, "PYTHONPATH": str(ROOT)},
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        deadline = time.monotonic() + 60
        while not marker.exists():
            assert proc.poll() is None, "the match ended before it was half done"
            assert time.monotonic() < deadline, "the match never got half way"
            time.sleep(0.05)
        os.kill(proc.pid, signal.SIGKILL)
        assert proc.wait(timeout=10) == -signal.SIGKILL
    finally:
        if proc.poll() is None:
            proc.kill()


def test_a_rematch_killed_half_way_leaves_the_workspace_as_it_was(matched, tmp_path):
    before = state(Path(matched["ws"]))
    bigger = tmp_path / "bigger.txt"  # three students more: a half-stored run would mix the two files
    text = Path(matched["senr"]).read_text(encoding="utf-8")
    extra = []
    for n, line in enumerate(text.splitlines(keepends=True)[:3]):
        cells = line.split("^")
        cells[8] = f"99{n}99"  # a new Local Student ID
        extra.append("^".join(cells))
    bigger.write_text(text + "".join(extra), encoding="utf-8")

    kill_mid_match(tmp_path, bigger, "--ods", matched["registry"], "-w", matched["ws"])

    assert state(Path(matched["ws"])) == before
    result = run("status", matched["ws"])
    assert result.exit_code == 0 and "(not finished)" not in result.output
    senr_out = tmp_path / "senr_out.txt"
    result = run("export", matched["ws"], "--senr", senr_out)
    assert result.exit_code == 0 and "40 records, 1 given an SSID" in flat(result.output)
    # and the lock died with the process: matching again works
    assert run("match", bigger, "--ods", matched["registry"], "-w", matched["ws"]).exit_code == 0
    assert len(state(Path(matched["ws"]))[1]) == 43


def test_a_first_match_killed_half_way_leaves_no_workspace_and_no_hidden_copy_for_long(matched, tmp_path):
    target = tmp_path / "new.sqlite"
    kill_mid_match(tmp_path, matched["senr"], "--ods", matched["registry"], "-w", target)
    assert not target.exists()
    assert [p.name for p in tmp_path.iterdir() if ".matching-" in p.name]  # what a kill leaves...
    assert run("match", matched["senr"], "--ods", matched["registry"], "-w", target).exit_code == 0
    assert [p.name for p in tmp_path.iterdir() if ".matching-" in p.name] == []  # ...the next run removes


def test_exports_refuse_a_workspace_whose_latest_run_did_not_finish(matched, tmp_path):
    """Workspaces interrupted by older versions: the run is there, unfinished."""
    with open_workspace(matched["ws"]) as w, w.conn:
        w.conn.execute("UPDATE run SET finished_at = NULL")
    for option in ("--results", "--sis", "--senr", "--report"):
        target = tmp_path / f"x{option}"
        result = run("export", matched["ws"], option, target)
        assert result.exit_code == 2 and "did not finish" in flat(result.output), option
        assert not target.exists()


# -- 5: match and the review app --------------------------------------------------------------------


def test_match_refuses_while_the_review_app_has_the_workspace(matched):
    before = state(Path(matched["ws"]))
    session = ReviewSession.open(matched["ws"])  # what `ssid-tui review` holds while it runs
    try:
        assert not session.readonly
        result = run("match", matched["senr"], "--ods", matched["registry"], "-w", matched["ws"])
        assert result.exit_code == 2
        out = flat(result.output)
        assert "is open in the review app by" in out and login_name() in out and "nothing was changed" in out
    finally:
        session.close()
    assert state(Path(matched["ws"])) == before
    assert run("match", matched["senr"], "--ods", matched["registry"], "-w", matched["ws"]).exit_code == 0


def test_review_and_import_refuse_while_a_match_runs(matched, tmp_path):
    held = lock.acquire(Path(matched["ws"]), purpose="match")  # what `match` holds while it stores a run
    assert held is not None
    try:
        session = ReviewSession.open(matched["ws"])
        assert session.readonly
        session.close()
        result = run("import-selections", matched["ws"], tmp_path / "x.csv")
        out = flat(result.output)
        assert result.exit_code == 2 and "is being matched right now by" in out and "wait for that run" in out
        assert "review app" not in out  # it is not: a match holds it
        second = flat(run("match", matched["senr"], "--ods", matched["registry"], "-w", matched["ws"]).output)
        assert "is being matched right now by" in second and "review app" not in second
    finally:
        held.release()


def test_match_names_an_import_that_holds_the_workspace(matched):
    held = lock.acquire(Path(matched["ws"]), purpose="import")
    assert held is not None
    try:
        out = flat(run("match", matched["senr"], "--ods", matched["registry"], "-w", matched["ws"]).output)
        assert "import-selections" in out and "review app" not in out and "nothing was changed" in out
    finally:
        held.release()


def test_a_second_ods_load_into_the_same_registry_waits_its_turn(matched):
    """Two loads into one registry at once: the second is refused, the first one's registry stays."""
    before = matched["registry"].read_bytes()
    held = lock.acquire(matched["registry"], purpose="load")
    assert held is not None
    try:
        result = run("ods", "load", FIXTURES / "ods_sample.txt", "--into", matched["registry"])
    finally:
        held.release()
    assert result.exit_code == 2, result.output
    assert "being loaded from an ODS extract right now" in flat(result.output)
    assert matched["registry"].read_bytes() == before
    assert run("ods", "load", FIXTURES / "ods_sample.txt", "--into", matched["registry"]).exit_code == 0
