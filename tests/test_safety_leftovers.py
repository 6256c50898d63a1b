"""Issue 8, point 8: nothing left behind (hidden registry copies, -wal/-shm), and who holds a lock."""

from __future__ import annotations

import os
import pwd
import signal
import subprocess
import sys
import time
from pathlib import Path

import ssid_tui.cli  # noqa: F401  (registers the commands)
from ssid_tui.files import lock
from ssid_tui.files import safe as safe_files
from ssid_tui.files.leftovers import machine_tag, remove_stale_temporaries, temporary_beside
from ssid_tui.matching import registry as registry_module
from ssid_tui.matching.registry import load_extract
from ssid_tui.workspace import decisions
from ssid_tui.workspace.store import open_workspace
from tests.support.cli import run

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = ROOT / "fixtures"


def dead_pid() -> int:
    proc = subprocess.Popen([sys.executable, "-c", "pass"])
    proc.wait()
    return proc.pid


HARNESS = """
import sys, time
from pathlib import Path
from ssid_tui.matching import registry

marker = Path(sys.argv[1])
real = registry._build

def slow(conn, *args):
    conn.execute("CREATE TABLE half (x)")
    marker.touch()
    time.sleep(120)
    return real(conn, *args)

registry._build = slow
from ssid_tui.cli import main
sys.argv = ["ssid-tui", "ods", "load", *sys.argv[2:]]
main()
"""


def test_a_killed_ods_load_leaves_a_hidden_copy_that_the_next_load_removes(tmp_path):
    registry = tmp_path / "reg.sqlite"
    marker = tmp_path / "half"
    proc = subprocess.Popen([sys.executable, "-c", HARNESS, str(marker), str(FIXTURES / "ods_sample.txt"),
                             "--into", str(registry)], cwd=ROOT, env={**os.environ, "PYTHONPATH": str(ROOT)},
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        deadline = time.monotonic() + 60
        while not marker.exists():
            assert proc.poll() is None and time.monotonic() < deadline
            time.sleep(0.05)
        os.kill(proc.pid, signal.SIGKILL)
        proc.wait(timeout=10)
    finally:
        if proc.poll() is None:
            proc.kill()
    left = [p for p in tmp_path.iterdir() if ".loading-" in p.name]
    assert left and not registry.exists()
    assert lock.lock_path(registry).exists()  # the kernel let go of the lock, the file stays
    assert run("ods", "load", FIXTURES / "ods_sample.txt", "--into", registry).exit_code == 0
    assert [p for p in tmp_path.iterdir() if ".loading-" in p.name] == []
    assert not lock.lock_path(registry).exists()


def test_a_killed_holders_lock_file_goes_with_the_next_command_writing_into_the_folder(tmp_path):
    """Not only the next load of the same registry: any command that writes beside it tidies it."""
    registry = tmp_path / "reg.sqlite"
    holder = subprocess.Popen([sys.executable, "-c", "import sys, time; from pathlib import Path; "
                               "from ssid_tui.files import lock; held = lock.acquire(Path(sys.argv[1]), 'load'); "
                               "print(held is not None, flush=True); time.sleep(120)", str(registry)],
                              cwd=ROOT, env={**os.environ, "PYTHONPATH": str(ROOT)}, stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "True"
        assert remove_stale_temporaries(tmp_path) == []  # held by a live process: kept
        assert lock.lock_path(registry).exists()
        os.kill(holder.pid, signal.SIGKILL)
        holder.wait(timeout=10)
    finally:
        if holder.poll() is None:
            holder.kill()
    assert lock.lock_path(registry).exists()
    result = run("validate", FIXTURES / "senr_errors.txt", "--errors", tmp_path / "errors.csv")
    assert result.exit_code == 1 and (tmp_path / "errors.csv").exists()
    assert not lock.lock_path(registry).exists()


def test_only_lock_files_of_dead_holders_on_this_machine_that_nobody_holds_are_removed(tmp_path):
    import fcntl
    import json
    import socket

    def lock_file(name: str, pid: int, host: str = socket.gethostname()) -> Path:
        path = tmp_path / name
        path.write_text(json.dumps({"pid": pid, "host": host, "user": "u", "since": "x", "purpose": "load"}))
        return path

    dead = lock_file("dead.sqlite.lock", dead_pid())
    alive = lock_file("alive.sqlite.lock", os.getpid())  # not flocked, but its process runs
    elsewhere = lock_file("other.sqlite.lock", dead_pid(), host="another-machine")
    held = lock_file("held.sqlite.lock", dead_pid())  # someone holds it (whatever the file says)
    theirs = tmp_path / "yarn.lock"
    theirs.write_text("# not ours\n")
    empty = tmp_path / "empty.sqlite.lock"
    empty.touch()
    fd = os.open(held, os.O_RDWR)
    fcntl.flock(fd, fcntl.LOCK_EX)
    try:
        assert remove_stale_temporaries(tmp_path) == [dead]
    finally:
        os.close(fd)
    assert all(p.exists() for p in (alive, elsewhere, held, theirs, empty))
    live = lock.acquire(tmp_path / "ws.sqlite")
    assert live is not None
    with live:
        assert remove_stale_temporaries(tmp_path) == [held]  # now nobody holds it; ours stays
        assert lock.lock_path(tmp_path / "ws.sqlite").exists()


def test_only_temporaries_of_dead_processes_are_removed(tmp_path):
    here = machine_tag()
    stale = tmp_path / f".reg.sqlite.loading-{here}-{dead_pid()}"
    stale_old_name = tmp_path / f".ws.sqlite.matching-{dead_pid()}"  # named before the machine was in it
    live = tmp_path / f".reg.sqlite.loading-{here}-{os.getpid()}"
    other = tmp_path / ".notes.loading-x"
    for p in (stale, stale_old_name, live, other):
        p.write_bytes(b"SQLite format 3\x00")
    assert sorted(remove_stale_temporaries(tmp_path)) == sorted([stale, stale_old_name])
    assert live.exists() and other.exists() and not stale.exists()


def test_another_machines_temporaries_are_left_alone(tmp_path):
    """On a network share, a process id says nothing about a process on another machine."""
    elsewhere = tmp_path / f".reg.sqlite.loading-{machine_tag()}x-{dead_pid()}"
    elsewhere.write_bytes(b"SQLite format 3\x00")
    assert remove_stale_temporaries(tmp_path) == []
    assert elsewhere.exists()


def test_the_temporary_names_this_machine_and_process(tmp_path):
    tmp = temporary_beside(tmp_path / "reg.sqlite", "loading")
    assert tmp.parent == tmp_path and tmp.name == f".reg.sqlite.loading-{machine_tag()}-{os.getpid()}"


def test_read_only_commands_leave_no_wal_or_shm(tmp_path):
    registry = tmp_path / "reg.sqlite"
    assert run("ods", "load", FIXTURES / "ods_sample.txt", "--into", registry).exit_code == 0
    ws = tmp_path / "w.sqlite"
    assert run("match", FIXTURES / "senr_clean.txt", "--ods", registry, "-w", ws).exit_code == 0
    with open_workspace(ws) as w:
        decisions.mark_none(w, w.all_students()[0].id)
    assert not Path(f"{ws}-wal").exists()
    out = tmp_path / "out"
    for args in (("status", ws), ("history", ws), ("export", ws, "--to", out),
                 ("find", "--last", "GARCIA", "--first", "MARIA", "--birth-date", "20140507", "--ods", registry), ("validate", FIXTURES / "senr_clean.txt")):
        result = run(*args)
        assert result.exit_code == 0, (args, result.output)
        assert sorted(p.name for p in tmp_path.iterdir() if p.name.endswith(("-wal", "-shm"))) == [], args


def test_the_lock_names_the_login_even_without_user_in_the_environment(small_ws_path, monkeypatch):
    for name in ("USER", "LOGNAME", "LNAME", "USERNAME"):
        monkeypatch.delenv(name, raising=False)
    held = lock.acquire(small_ws_path)
    assert held is not None
    try:
        who = lock.holder(small_ws_path)
    finally:
        held.release()
    login = pwd.getpwuid(os.getuid()).pw_name
    assert who.startswith(f"{login} (process {os.getpid()}")
    assert decisions.reviewer() == login  # the same name the history records


def test_a_released_lock_leaves_no_lock_file(small_ws_path):
    held = lock.acquire(small_ws_path, "match")
    assert held is not None and lock.lock_path(small_ws_path).exists()
    assert lock.acquire(small_ws_path) is None  # held: nobody else gets it
    held.release()
    assert not lock.lock_path(small_ws_path).exists()
    again = lock.acquire(small_ws_path)
    assert again is not None
    again.release()


def test_a_waiter_that_opened_the_removed_lock_file_takes_the_new_one(small_ws_path, monkeypatch):
    """The holder removes the lock file as it lets go; whoever had opened the old file must not
    believe it holds the workspace while a third process locks the new file."""
    first = lock.acquire(small_ws_path)
    assert first is not None
    real_open, opened = os.open, []

    def open_then_holder_lets_go(path, *args, **kwargs):
        fd = real_open(path, *args, **kwargs)
        if not opened:
            opened.append(fd)
            first.release()  # between our open and our flock: the file we opened is removed
        return fd

    monkeypatch.setattr(lock.os, "open", open_then_holder_lets_go)
    second = lock.acquire(small_ws_path)
    monkeypatch.setattr(lock.os, "open", real_open)
    assert second is not None
    assert lock.lock_path(small_ws_path).exists()
    assert lock.acquire(small_ws_path) is None  # the lock held is the one on the file others open
    second.release()


def test_an_export_removes_the_half_written_file_a_killed_export_left(tmp_path):
    registry = tmp_path / "reg.sqlite"
    assert run("ods", "load", FIXTURES / "ods_sample.txt", "--into", registry).exit_code == 0
    ws = tmp_path / "w.sqlite"
    assert run("match", FIXTURES / "senr_clean.txt", "--ods", registry, "-w", ws).exit_code == 0
    out = tmp_path / "out"
    out.mkdir()
    killed = out / f".ssid_match_results.csv.writing-{machine_tag()}-{dead_pid()}"
    killed.write_text("half of a results file")
    result = run("export", ws, "--to", out)
    assert result.exit_code == 0, result.output
    assert not killed.exists()
    assert [p.name for p in out.iterdir() if p.name.startswith(".")] == []


def test_a_new_registry_is_on_disk_before_it_takes_the_old_ones_name(tmp_path, monkeypatch):
    """Built with SQLite's syncing off, it was renamed over the registry in use while its pages could
    still be only in memory: a power cut just after would have left neither (cold test)."""
    events: list[tuple[str, str]] = []
    real_fsync, real_replace = os.fsync, os.replace

    def fsync(fd: int) -> None:
        events.append(("fsync", os.readlink(f"/proc/self/fd/{fd}")))
        real_fsync(fd)

    def replace(src, dst) -> None:
        events.append(("replace", str(dst)))
        real_replace(src, dst)

    monkeypatch.setattr(safe_files.os, "fsync", fsync)
    monkeypatch.setattr(safe_files.os, "replace", replace)
    target = tmp_path / "reg.sqlite"
    load_extract(FIXTURES / "ods_sample.txt", target)
    at = events.index(("replace", str(target)))
    synced_before = [p for kind, p in events[:at] if kind == "fsync"]
    assert any(Path(p).name.startswith(".reg.sqlite.") for p in synced_before), events
    assert ("fsync", str(tmp_path)) in events[at:], events


def _ctrl_c_then(real):
    """`real`, after a Ctrl-C sent to this process (as a clerk's keypress at that moment)."""
    def call(*args, **kwargs):
        os.kill(os.getpid(), signal.SIGINT)
        time.sleep(0.05)  # Python runs the handler at the next bytecode
        return real(*args, **kwargs)
    return call


def test_ctrl_c_as_the_new_registry_goes_into_place_finishes_the_load_and_says_so(tmp_path, monkeypatch):
    """Cold test: a Ctrl-C just after the rename said "nothing was loaded" (exit 130) while the new
    registry was in use, and left the notes file of the load before beside it."""
    target = tmp_path / "reg.sqlite"
    load_extract(FIXTURES / "ods_sample.txt", target)
    old = target.stat().st_ino
    monkeypatch.setattr(registry_module, "replace_into", _ctrl_c_then(registry_module.replace_into))
    result = run("ods", "load", FIXTURES / "ods_sample.txt", "--into", target)
    assert result.exit_code == 0, result.output
    said = " ".join(result.output.split())
    assert "Loaded" in said and "too late to stop, the load had finished" in said and "nothing was loaded" not in said
    assert "(Ctrl-C or SIGTERM)" in said
    assert target.stat().st_ino != old


def test_ctrl_c_before_the_new_registry_goes_into_place_still_stops_the_load(tmp_path, monkeypatch):
    target = tmp_path / "reg.sqlite"
    load_extract(FIXTURES / "ods_sample.txt", target)
    before = target.read_bytes()
    monkeypatch.setattr(safe_files, "force_to_disk", _ctrl_c_then(safe_files.force_to_disk))
    result = run("ods", "load", FIXTURES / "ods_sample.txt", "--into", target)
    assert result.exit_code == 130, result.output
    assert "Interrupted: nothing was loaded" in " ".join(result.output.split())
    assert target.read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["reg.sqlite"]
