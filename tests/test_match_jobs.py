"""Issue 12, point 3: `match --jobs N`, progress, Ctrl-C / SIGTERM / kill -9 part way, resuming."""

from __future__ import annotations

import datetime as dt
import io
import os
import re
import signal
import sqlite3
import stat
import subprocess
import sys
import time
from pathlib import Path

import pytest
from rich.console import Console

import ssid_tui.cli  # noqa: F401  (registers the commands)
from ssid_tui.cli import progress as progress_module
from ssid_tui.workspace import decisions, match_pool, store
from ssid_tui.workspace.match_resume import resume_file, resume_path
from ssid_tui.workspace.match_run import MatchInterrupted, match_file
from ssid_tui.workspace.store import WorkspaceError, open_workspace
from tests.support.cli import flat, run, terminal_console
from tests.support.generated import shared_upload
from tests.support.workspaces import workspace_state

ROOT = Path(__file__).resolve().parent.parent
TODAY = dt.date(2026, 11, 30)


@pytest.fixture(scope="module")
def upload(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """A generated registry of 3,000 students (loaded) and an upload of 120."""
    return shared_upload(tmp_path_factory, 3000, 120, 12)  # built once per run; matches only read it


def content(ws: Path) -> tuple[list[tuple[object, ...]], ...]:
    """Everything a run stores about the students, in order (not the run's times)."""
    with open_workspace(ws, readonly=True) as w:
        q = w.conn.execute
        return (q("SELECT seq, line_no, raw, record_hash, local_id, category, best_score, candidate_count "
                  "FROM student ORDER BY seq").fetchall(),
                q("SELECT s.seq, c.rank, c.ssid, c.score, c.name_source, c.explanation FROM candidate c "
                  "JOIN student s ON s.id = c.student_id ORDER BY s.seq, c.rank").fetchall(),
                q("SELECT s.local_id, u.other_local_id, u.score FROM upload_duplicate u "
                  "JOIN student s ON s.id = u.student_id ORDER BY 1, 2").fetchall(),
                q("SELECT s.local_id, r.ssid, r.other_ssid FROM registry_duplicate r "
                  "JOIN student s ON s.id = r.student_id ORDER BY 1, 2, 3").fetchall())


def test_two_workers_store_the_same_workspace_as_one_and_keep_the_decisions(upload, tmp_path):
    one, two = tmp_path / "one.sqlite", tmp_path / "two.sqlite"
    a = match_file(upload["senr"], upload["registry"], one, today=TODAY, jobs=1, chunk_size=25)
    b = match_file(upload["senr"], upload["registry"], two, today=TODAY, jobs=2, chunk_size=25)
    assert content(one) == content(two)
    assert len(content(one)[0]) == 120 and content(one)[1]
    assert a.categories == b.categories and a.top_90 == b.top_90
    assert not resume_path(one).exists() and not resume_path(two).exists()  # a finished run keeps no side file
    # a re-run with two workers keeps every decision (the records did not change)
    with open_workspace(two) as w:
        decided = 0
        for s in w.all_students()[:40]:
            cands = w.candidates(s.id)
            if cands:
                decisions.choose(w, s.id, cands[0].ssid)
                decided += 1
    again = match_file(upload["senr"], upload["registry"], two, today=TODAY, jobs=2, chunk_size=25)
    assert again.kept_decisions == decided > 0 and again.cleared_decisions == 0
    assert content(two) == content(one)


def test_jobs_option_is_checked_and_used(upload, tmp_path):
    result = run("match", upload["senr"], "--ods", upload["registry"], "-w", tmp_path / "w.sqlite", "--jobs", "0")
    assert result.exit_code == 2 and "--jobs" in result.output
    result = run("match", upload["senr"], "--ods", upload["registry"], "-w", tmp_path / "w.sqlite", "--jobs", "2")
    assert result.exit_code == 0, result.output
    assert "Matched 120 students" in flat(result.output)


def stop_after(monkeypatch: pytest.MonkeyPatch, chunks: int) -> list[int]:
    """Make the run stop like Ctrl-C once `chunks` chunks are matched; the indexes matched, as they go."""
    real = match_pool.match_chunk
    calls: list[int] = []

    def stopping(matcher, chunk):
        if len(calls) == chunks:
            raise KeyboardInterrupt
        calls.append(chunk.index)
        return real(matcher, chunk)

    monkeypatch.setattr(match_pool, "match_chunk", stopping)
    return calls


def test_a_kept_chunk_is_not_matched_again(upload, tmp_path, monkeypatch):
    """The resume file of an interrupted run: its chunks are taken, the rest matched, the result the same."""
    ws = tmp_path / "w.sqlite"
    reference = tmp_path / "ref.sqlite"
    match_file(upload["senr"], upload["registry"], reference, today=TODAY, chunk_size=25)

    real = match_pool.match_chunk
    calls = stop_after(monkeypatch, 2)
    with pytest.raises(Exception) as stopped:
        match_file(upload["senr"], upload["registry"], ws, today=TODAY, chunk_size=25)
    assert type(stopped.value).__name__ == "MatchInterrupted" and stopped.value.matched == 50
    assert not ws.exists() and [p.name for p in tmp_path.iterdir() if ".matching-" in p.name] == []
    side = resume_path(ws)
    assert stat.S_IMODE(side.stat().st_mode) == 0o600

    calls.clear()
    monkeypatch.setattr(match_pool, "match_chunk", lambda m, c: calls.append(c.index) or real(m, c))
    said: list[tuple[int, int]] = []
    moved: list[tuple[int, int]] = []
    stages: list[str] = []
    match_file(upload["senr"], upload["registry"], ws, today=TODAY, chunk_size=25,
               on_resume=lambda kept, total: said.append((kept, total)),
               progress=lambda done, total: moved.append((done, total)),
               stage=lambda stage, done, total: stages.append(str(stage)))
    assert said == [(50, 120)] and calls == [2, 3, 4]
    # the weights the interrupted run learned are taken: no learning stage before "Resuming"
    assert stages and not any("learn" in s.lower() for s in stages), stages
    # the bar starts where the kept chunks end, so the time left counts only this run's pace
    assert moved == [(50, 120), (75, 120), (100, 120), (120, 120)]
    assert content(ws) == content(reference) and not side.exists()


@pytest.mark.parametrize("damage", ["middle", "cut"])
def test_a_damaged_resume_file_is_matched_afresh_not_blamed_on_the_registry(upload, tmp_path, monkeypatch, damage):
    """Cold test: random bytes in the side file made every run say the registry was damaged; cut short,
    it was refused as a file ssid-tui did not write. It is written unsynced, so a power cut can do this."""
    ws = tmp_path / "w.sqlite"
    reference = tmp_path / "ref.sqlite"
    match_file(upload["senr"], upload["registry"], reference, today=TODAY, chunk_size=25)
    real = match_pool.match_chunk
    stop_after(monkeypatch, 3)
    with pytest.raises(MatchInterrupted):
        match_file(upload["senr"], upload["registry"], ws, today=TODAY, chunk_size=25)
    monkeypatch.setattr(match_pool, "match_chunk", real)
    side = resume_path(ws)
    data = bytearray(side.read_bytes())
    if damage == "middle":
        start = len(data) // 3
        data[start:start + 4096] = bytes(range(256)) * 16
    else:
        data = data[: len(data) // 2]
    side.write_bytes(bytes(data))
    match_file(upload["senr"], upload["registry"], ws, today=TODAY, chunk_size=25)
    assert content(ws) == content(reference) and not side.exists()


def test_the_resume_file_is_opened_by_the_workspace_s_opener_owner_only_and_not_synced(tmp_path, monkeypatch):
    opened: list[Path] = []
    real = store._connect
    monkeypatch.setattr(store, "_connect", lambda path, readonly, **kw: opened.append(path) or real(path, readonly, **kw))
    ws = tmp_path / "w.sqlite"
    with resume_file(ws, "key") as kept:
        kept.keep(0, [{"seq": 1}])
        assert kept.conn.execute("PRAGMA synchronous").fetchone()[0] == 0  # a kept chunk only saves time
    assert opened == [resume_path(ws)]
    assert stat.S_IMODE(resume_path(ws).stat().st_mode) == 0o600
    with resume_file(ws, "key") as kept:
        assert kept.rows(0) == [{"seq": 1}] and kept.conn.execute("PRAGMA busy_timeout").fetchone()[0] == 5000
    assert opened == [resume_path(ws)] * 2


def test_a_resume_file_of_another_run_is_started_afresh_and_a_stranger_file_is_refused(upload, tmp_path):
    ws = tmp_path / "w.sqlite"
    side = resume_path(ws)
    conn = sqlite3.connect(side)
    conn.executescript("CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT);"
                       "CREATE TABLE chunk (idx INTEGER PRIMARY KEY, students INTEGER, rows BLOB);"
                       "INSERT INTO meta VALUES ('app', 'ssid-tui-match-resume'), ('key', 'another upload');"
                       "INSERT INTO chunk VALUES (0, 25, x'00');")
    conn.close()
    said: list[tuple[int, int]] = []
    dropped: list[int] = []
    match_file(upload["senr"], upload["registry"], ws, today=TODAY, chunk_size=25,
               on_resume=lambda kept, total: said.append((kept, total)), on_stale_resume=dropped.append)
    assert said == [] and dropped == [25] and len(content(ws)[0]) == 120 and not side.exists()

    other = tmp_path / "x.sqlite"
    resume_path(other).write_text("my notes\n", encoding="utf-8")
    with pytest.raises(WorkspaceError, match="did not write it"):
        match_file(upload["senr"], upload["registry"], other, today=TODAY)
    assert resume_path(other).read_text(encoding="utf-8") == "my notes\n" and not other.exists()


def test_ctrl_c_before_the_first_chunk_ends_leaves_no_side_file_and_says_nothing_of_one(upload, tmp_path, monkeypatch):
    ws = tmp_path / "w.sqlite"

    def stop_at_once(matcher, chunk):
        raise KeyboardInterrupt

    monkeypatch.setattr(match_pool, "match_chunk", stop_at_once)
    result = run("match", upload["senr"], "--ods", upload["registry"], "-w", ws, "--jobs", "1")
    assert result.exit_code == 130
    assert "Interrupted: nothing was matched and no workspace was written." in flat(result.output)
    assert "resume" not in result.output.lower()
    assert sorted(p.name for p in tmp_path.iterdir()) == []  # no .w.sqlite.resume, no temporary workspace


def test_match_says_when_it_drops_what_an_interrupted_run_of_other_settings_kept(upload, tmp_path, monkeypatch):
    ws = tmp_path / "w.sqlite"

    def stop_at_second_chunk(matcher, chunk):
        if chunk.index == 1:
            raise KeyboardInterrupt
        return real(matcher, chunk)

    real = match_pool.match_chunk
    monkeypatch.setattr(match_pool, "match_chunk", stop_at_second_chunk)
    monkeypatch.setattr(match_pool, "CHUNK_SIZE", 25)
    result = run("match", upload["senr"], "--ods", upload["registry"], "-w", ws, "--jobs", "1")
    assert result.exit_code == 130 and resume_path(ws).exists()
    monkeypatch.setattr(match_pool, "match_chunk", real)
    result = run("match", upload["senr"], "--ods", upload["registry"], "-w", ws, "--jobs", "1", "--min-score", "20")
    assert result.exit_code == 0, result.output
    assert ("The 25 students an interrupted run had matched were for another file, registry or settings "
            "(--min-score, --max-candidates): matching every student again.") in flat(result.output)


def test_plain_progress_lines_say_counts_and_time_left_and_nothing_else(monkeypatch):
    monkeypatch.setattr(progress_module, "PLAIN_EVERY", 0.0)
    out = io.StringIO()
    console = Console(file=out, force_terminal=False, width=200)
    with progress_module.progress_bar(console, "Matching") as update:
        update(250, 200_000)
        time.sleep(0.01)
        update(12_000, 200_000)
    lines = out.getvalue().splitlines()
    assert lines[0].startswith("Matching: 250 of 200,000 (0%), 0 s so far")
    assert lines[1].startswith("Matching: 12,000 of 200,000 (6%)") and "left" in lines[1]


@pytest.mark.parametrize("width", [80, 120])
def test_the_terminal_bar_labels_its_times_and_keeps_the_time_left_in_80_columns(width):
    console, out = terminal_console(width)
    with progress_module.progress_bar(console, "Matching sample upload") as update:
        update(12_000, 200_000)
        time.sleep(0.2)
        update(15_000, 200_000)
    last = [frame for frame in out.getvalue().split("\r") if "15,000/200,000" in frame][-1]
    line = last.replace("\x1b[2K", "").split("\n")[0]
    assert len(line) <= width and line.rstrip().endswith("left"), line
    assert ("so far," in line) == (width >= 100)


def test_the_terminal_bar_counts_students_with_thousands_separators():
    console, out = terminal_console(120)
    with progress_module.progress_bar(console, "Matching") as update:
        update(2_500, 200_000)
        time.sleep(0.2)
        update(200_000, 200_000)
    drawn = out.getvalue()
    assert "200,000/200,000" in drawn and "2,500/200,000" in drawn
    assert "200000" not in drawn and "2500/" not in drawn


def test_a_resumed_run_s_time_left_counts_only_what_this_run_matched(monkeypatch):
    monkeypatch.setattr(progress_module, "PLAIN_EVERY", 0.0)
    out = io.StringIO()
    update = progress_module.plain_progress(Console(file=out, force_terminal=False, width=200), "Matching")
    update(120_000, 200_000)  # where the interrupted run stopped: match_run's first call, once kept chunks are in
    time.sleep(0.1)
    update(120_250, 200_000)
    left = out.getvalue().splitlines()[1].split("about ")[1]
    assert left.endswith(" left") and not left.startswith("0 s"), left  # 79,750 at 250 per 0.1 s: about 30 s


# -- signals, with a real process ------------------------------------------------------------------

HARNESS = """
import signal, sys, time

# A run started from a terminal gets Python's Ctrl-C handler; one started in the background by a shell
# without job control (as CI may run the suite) inherits Ctrl-C ignored, and then rightly ignores it.
signal.signal(signal.SIGINT, signal.default_int_handler)

from ssid_tui.workspace import match_pool

real = match_pool.match_chunk

def slow(matcher, chunk):  # runs in the workers too: spawn imports this script in each
    time.sleep(1.0)  # long enough that the test's signal lands mid-run on a fast idle machine
    return real(matcher, chunk)

match_pool.match_chunk = slow
match_pool.CHUNK_SIZE = 10

# and in this process, whatever way the pool starts its workers: each chunk kept takes a while too
from ssid_tui.workspace import match_resume
real_keep = match_resume.ResumeFile.keep_packed

def slow_keep(self, *args, **kwargs):
    time.sleep(0.5)
    return real_keep(self, *args, **kwargs)

match_resume.ResumeFile.keep_packed = slow_keep

if __name__ == "__main__":
    from ssid_tui.cli import main
    sys.argv = ["ssid-tui", "match", *sys.argv[1:]]
    main()
"""


def start_match(tmp_path: Path, *args: object) -> subprocess.Popen[str]:
    script = tmp_path / "harness.py"
    script.write_text(HARNESS, encoding="utf-8")
    return subprocess.Popen([sys.executable, str(script), *map(str, args)], cwd=ROOT,
                            env={**os.environ, "PYTHONPATH": str(ROOT), "COLUMNS": "200"},
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, start_new_session=True)


def kept_chunks(side: Path) -> int:
    try:
        conn = sqlite3.connect(f"file:{side}?mode=ro", uri=True, timeout=5)
        try:
            return int(conn.execute("SELECT COUNT(*) FROM chunk").fetchone()[0])
        finally:
            conn.close()
    except sqlite3.Error:
        return 0


def wait_for_chunks(proc: subprocess.Popen[str], side: Path, n: int) -> None:
    deadline = time.monotonic() + 120
    while kept_chunks(side) < n:
        assert proc.poll() is None, proc.communicate()
        assert time.monotonic() < deadline, "the run never got going"
        time.sleep(0.05)


def group_gone(pgid: int) -> bool:
    """True once no process of the run's group (the parent, its workers) is left."""
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline:
        try:
            os.killpg(pgid, 0)
        except ProcessLookupError:
            return True
        time.sleep(0.1)
    return False


@pytest.mark.parametrize(("how", "sig"), [
    ("Ctrl-C", signal.SIGINT),
    ("SIGTERM", signal.SIGTERM)])
def test_a_run_stopped_part_way_leaves_the_workspace_as_it_was_and_the_next_run_resumes(upload, tmp_path, monkeypatch,
                                                                                        how, sig):
    monkeypatch.setattr(match_pool, "CHUNK_SIZE", 10)  # as in the harness: the chunks must fit to be taken
    ws = tmp_path / "w.sqlite"
    assert run("match", upload["senr"], "--ods", upload["registry"], "-w", ws, "--jobs", "1").exit_code == 0
    with open_workspace(ws) as w:
        s = w.all_students()[0]
        decisions.choose(w, s.id, w.candidates(s.id)[0].ssid)
    before = workspace_state(ws)
    changed = tmp_path / "changed.txt"  # one student more: a half-stored run would show
    text = upload["senr"].read_text(encoding="utf-8")
    cells = text.splitlines(keepends=True)[5].split("^")
    cells[8] = "NEW0001"
    changed.write_text(text + "^".join(cells), encoding="utf-8")

    proc = start_match(tmp_path, changed, "--ods", upload["registry"], "-w", ws, "--jobs", "2")
    wait_for_chunks(proc, resume_path(ws), 3)
    if sig == signal.SIGINT:
        os.killpg(proc.pid, sig)  # as a terminal's Ctrl-C: to the parent and its workers
    else:
        os.kill(proc.pid, sig)  # to the parent only, as a service manager would
    _out, err = proc.communicate(timeout=60)
    assert proc.returncode == 130, err
    assert "Traceback" not in err and err.count("Interrupted:") == 1, err
    assert "is as it was" in flat(err) and "matching the same file again goes on from there" in flat(err), how
    assert group_gone(proc.pid), "a worker outlived the run"
    assert workspace_state(ws) == before
    assert [p.name for p in tmp_path.iterdir() if ".matching-" in p.name or p.name.endswith("-journal")] == []

    result = run("match", changed, "--ods", upload["registry"], "-w", ws, "--jobs", "2")
    assert result.exit_code == 0, result.output
    assert "Resuming:" in result.output and "of 121 students already matched" in flat(result.output)
    assert "Earlier decisions kept: 1" in flat(result.output)
    assert len(workspace_state(ws)[1]) == 121 and not resume_path(ws).exists()


def test_a_first_run_killed_hard_leaves_nothing_that_breaks_the_next(upload, tmp_path, monkeypatch):
    monkeypatch.setattr(match_pool, "CHUNK_SIZE", 10)
    ws = tmp_path / "new.sqlite"
    proc = start_match(tmp_path, upload["senr"], "--ods", upload["registry"], "-w", ws, "--jobs", "2")
    wait_for_chunks(proc, resume_path(ws), 2)
    os.kill(proc.pid, signal.SIGKILL)
    _out, err = proc.communicate(timeout=60)
    assert group_gone(proc.pid), "a worker outlived its parent"
    assert "leaked" not in err and "Traceback" not in err, err  # multiprocessing's tracker cleans up silently
    assert not ws.exists()
    result = run("match", upload["senr"], "--ods", upload["registry"], "-w", ws)
    assert result.exit_code == 0, result.output
    assert "Resuming:" in result.output and "Matched 120 students" in flat(result.output)
    assert "0 of them by the interrupted run before)" in flat(result.output)  # the time is this run's only
    assert [p.name for p in tmp_path.iterdir() if ".matching-" in p.name or ".resume" in p.name] == []


def test_a_resume_file_is_named_as_what_it_is_when_another_command_would_replace_it(upload, tmp_path):
    from ssid_tui.files.targets import Kind, TargetRefused, check_target, kind_of

    side = resume_path(tmp_path / "w.sqlite")
    with resume_file(tmp_path / "w.sqlite", "a run") as kept:
        kept.keep(0, [{"seq": 1}])
    assert kind_of(side) is Kind.RESUME
    with pytest.raises(TargetRefused, match="an interrupted `ssid-tui match` kept"):
        check_target(side, writes=Kind.REGISTRY)


class AsciiOut(io.StringIO):
    """What a terminal set to a non-UTF-8 locale looks like to Rich."""

    encoding = "ascii"


@pytest.mark.parametrize("console_kind", ["NO_COLOR", "no colour system", "ASCII"])
def test_a_bar_without_colour_shows_done_and_to_do_apart(console_kind):
    out = AsciiOut() if console_kind == "ASCII" else io.StringIO()
    options = {"NO_COLOR": {"color_system": "standard", "no_color": True},
               "no colour system": {"color_system": None},
               "ASCII": {"color_system": "standard"}}[console_kind]
    console = Console(file=out, force_terminal=True, width=80, **options)
    with progress_module.progress_bar(console, "Matching") as update:
        update(500, 1_000)
        time.sleep(0.15)
        update(500, 1_000)
    drawn = out.getvalue()
    assert re.search(r"#{5,}-{5,}", drawn), drawn


def test_a_colour_terminal_keeps_rich_s_own_bar():
    console = Console(file=io.StringIO(), force_terminal=True, width=80, color_system="truecolor")
    assert not progress_module.plain_bar(console)


KILLED_WHILE_SENDING = """
import os, signal, sys, time
from pathlib import Path

MARKER = Path(sys.argv[1])


class SlowToSend:
    '''A result whose pickling (in the worker, as it is sent) waits for the parent to be killed.'''

    def __reduce__(self):
        MARKER.touch()
        time.sleep(3)
        return (str, ("done",))


def task():
    return SlowToSend()


if __name__ == "__main__":
    from ssid_tui.files.processes import worker_pool

    pool = worker_pool(2)
    pool.apply_async(task)
    deadline = time.monotonic() + 120
    while not MARKER.exists() and time.monotonic() < deadline:
        time.sleep(0.02)
    os.kill(os.getpid(), signal.SIGKILL)  # while the worker is sending its result
"""


def test_a_worker_whose_parent_is_killed_while_it_sends_a_result_ends_without_a_traceback(tmp_path):
    """The cause of a flaky kill -9 test: the result was pickled and sent after the worker's last look at
    its parent, the pipe broke, and the worker printed BrokenPipeError's traceback on the terminal."""
    harness = tmp_path / "harness.py"
    harness.write_text(KILLED_WHILE_SENDING, encoding="utf-8")
    marker = tmp_path / "sending"
    proc = subprocess.Popen([sys.executable, str(harness), str(marker)], cwd=ROOT, stdout=subprocess.DEVNULL,
                            stderr=subprocess.PIPE, text=True, env={**os.environ, "PYTHONPATH": str(ROOT)},
                            start_new_session=True)
    _out, err = proc.communicate(timeout=120)  # until the workers, which share the pipe, are gone too
    assert proc.returncode == -signal.SIGKILL and marker.exists()
    assert group_gone(proc.pid), "a worker outlived its parent"
    assert "Traceback" not in err and "BrokenPipe" not in err, err


def test_workers_start_with_ctrl_c_ignored():
    """A Ctrl-C while the workers start up (importing, before their initializer runs) used to print
    each one's interrupted import on the terminal (cold test of the parallel load): they are started
    with the signal ignored, and an ignored signal stays ignored in the new program."""
    from ssid_tui.files.processes import worker_pool

    pool = worker_pool(1)
    try:
        assert pool.apply(signal.getsignal, (signal.SIGINT,)) == signal.SIG_IGN
    finally:
        pool.terminate()
        pool.join()
    assert signal.getsignal(signal.SIGINT) is signal.default_int_handler  # the parent's own is back
