"""Background: work in a thread whose value or error reaches the caller."""

from __future__ import annotations

import threading

import pytest

from ssid_tui.files.background import Background


def test_the_work_runs_in_another_thread_and_its_value_comes_back():
    caller = threading.get_ident()
    job = Background(lambda: threading.get_ident())
    assert job.result() != caller


def test_the_works_error_is_raised_in_the_caller():
    def fail() -> int:
        raise ValueError("bad sample")

    with pytest.raises(ValueError, match="bad sample"):
        Background(fail).result()


def test_the_thread_is_a_daemon_so_ctrl_c_never_waits_for_it():
    started = threading.Event()
    release = threading.Event()

    def wait() -> bool:
        started.set()
        return release.wait(5)

    job = Background(wait)
    started.wait(5)
    assert job._thread.daemon
    release.set()
    assert job.result() is True
