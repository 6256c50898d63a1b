"""A worker process that dies part way (the system's out-of-memory killer, kill -9) stops the run with
one sentence; nothing waits forever for the task it held."""

from __future__ import annotations

import os
import time

import pytest

from ssid_tui.cli.match import interrupted_sentence
from ssid_tui.files.processes import WorkerLost, in_order, waited, worker_pool
from ssid_tui.matching import extract_rows
from ssid_tui.matching.registry import RegistryError, load_extract
from ssid_tui.workspace.match_run import MatchInterrupted
from tests.support import dying
from tests.support.extracts import ods_line


def test_waiting_for_the_task_of_a_worker_that_died_raises_instead_of_waiting_forever():
    pool = worker_pool(2)
    try:
        started = time.monotonic()
        with pytest.raises(WorkerLost):
            waited(pool.apply_async(os._exit, (9,)), pool)
        assert time.monotonic() - started < 30
    finally:
        pool.terminate()
        pool.join()


def test_results_in_order_stop_when_a_worker_dies():
    pool = worker_pool(2)
    try:
        with pytest.raises(WorkerLost):
            list(in_order(pool, os._exit, [9, 9, 9], lambda code: (code,), 2))
    finally:
        pool.terminate()
        pool.join()


def test_a_load_whose_reading_worker_dies_fails_in_one_sentence_and_keeps_the_registry(tmp_path, monkeypatch):
    lines = [ods_line(f"{1000000000 + i}", "ANA", "RUIZ", "20140101") for i in range(60)]
    extract = tmp_path / "ods.txt"
    extract.write_text("\n".join(lines) + "\n", encoding="utf-8")
    registry = tmp_path / "reg.sqlite"
    load_extract(extract, registry)
    before = registry.read_bytes()
    monkeypatch.setattr(extract_rows, "PARALLEL_FROM_BYTES", 0)  # workers even for a small extract...
    monkeypatch.setattr(extract_rows, "available_cores", lambda: 2)  # ... on one core too (never here)
    monkeypatch.setattr(extract_rows, "BATCH_LINES", 10)
    monkeypatch.setattr(extract_rows, "rows_of", dying.rows_of_or_die)
    with pytest.raises(RegistryError) as err:
        load_extract(extract, registry)
    message = str(err.value)
    assert "a worker process stopped part way" in message and "the registry in use is unchanged" in message
    assert registry.read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["ods.txt", "reg.sqlite"]


def test_a_match_stopped_by_a_dead_worker_says_so_and_how_to_go_on(tmp_path):
    said = interrupted_sentence(MatchInterrupted(tmp_path / "w.sqlite", 400, 1000, worker_lost=True))
    assert said.startswith("Stopped: a matching worker process was killed")
    assert "400 of 1,000 students matched so far are kept" in said and "goes on from there" in said
    assert "Interrupted" not in said
