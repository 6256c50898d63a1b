"""The same child twice in one upload: found at match time, counted, filtered, shown, exported."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

import ssid_tui.cli  # noqa: F401  (registers the commands)
from ssid_tui.exports.report import build_report
from ssid_tui.exports.writers import write_results
from ssid_tui.matching.duplicates import upload_duplicates
from ssid_tui.matching.matcher import Matcher, Submitted
from ssid_tui.matching.registry import open_registry
from ssid_tui.ui.app import ReviewApp
from ssid_tui.ui.screens.filter_menu import filter_key
from ssid_tui.ui.widgets.student_flags import flag_lines
from ssid_tui.workspace import queue
from ssid_tui.workspace.store import open_workspace
from tests.support.app import sync
from tests.support.cli import run
from tests.support.registries import sample_registry

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures"


@pytest.fixture(scope="module")
def registry(tmp_path_factory) -> Path:
    return sample_registry(tmp_path_factory, tmp_path_factory.mktemp("reg") / "reg.sqlite")  # loaded once per run


def upload_with_a_twin(folder: Path) -> Path:
    """The clean fixture plus a second local ID for 40191 (SOFÍA DE LA CRUZ) with the accent dropped."""
    lines = (FIXTURES / "senr_clean.txt").read_text(encoding="utf-8").splitlines(keepends=True)
    f = lines[2].split("^")
    assert f[8] == "40191"
    f[2], f[8], f[9] = "R99999", "99999", "SOFIA"
    path = folder / "upload.txt"
    path.write_text("".join([*lines, "^".join(f)]), encoding="utf-8", newline="")
    return path


def sub(first: str, last: str, birth_date: str, gender: str = "F", middle: str = "", **kw: str) -> Submitted:
    return Submitted(first=first, middle=middle, last=last, birth_date=birth_date, gender=gender,
                     birth_country="US", birth_state="US-CA", **kw)


def test_pairs_scoring_90_plus_are_found_and_twins_are_not(registry: Path) -> None:
    students = [
        ("A1", sub("SOFIA", "DE LA CRUZ", "20150607")),
        ("A2", sub("SOFÍA", "DELACRUZ", "20150706")),  # day and month swapped, surname glued
        ("B1", sub("EMMA", "KIM", "20160704")),
        ("B2", sub("OLIVIA", "KIM", "20160704")),  # a twin sister: same date and surname, not one child
        ("C1", sub("LIAM", "SMITH", "20150101", "M")),
        # twin brothers, first names alike in sound, middle names different: 94 by score alone (cold test)
        ("D1", sub("JULIAN", "SIMMONS", "20140312", "M", middle="DANIEL")),
        ("D2", sub("JAYLEN", "SIMMONS", "20140312", "M", middle="ELIJAH")),
        ("E1", sub("MARIA", "CARRILLO", "20150202", middle="ALLISON")),  # twin sisters MARIA and MARIANA
        ("E2", sub("MARIANA", "CARRILLO", "20150202")),
        ("F1", sub("ROBERT", "OKAFOR", "20130909", "M")),  # one boy: a nickname the second time
        ("F2", sub("BOB", "OKAFOR", "20130909", "M")),
    ]
    with open_registry(registry) as reg:
        pairs = upload_duplicates(Matcher(reg), students)
    assert [(a, b) for a, b, _score in pairs] == [("A1", "A2"), ("F1", "F2")]
    assert pairs[0][2] >= 90


def test_match_counts_them_and_the_workspace_holds_them_both_ways(tmp_path: Path, registry: Path) -> None:
    ws_path = tmp_path / "w.sqlite"
    result = run("match", upload_with_a_twin(tmp_path), "--ods", registry, "--workspace", ws_path)
    assert result.exit_code == 0, result.output
    assert "Same child twice? 2 students of this file look like another local ID" in result.output
    with open_workspace(ws_path, readonly=True) as ws:
        a, b = ws.student_by_local_id("40191"), ws.student_by_local_id("99999")
        assert [lid for lid, _s in ws.upload_duplicates(a.id)] == ["99999"]
        assert [lid for lid, _s in ws.upload_duplicates(b.id)] == ["40191"]
        assert queue.counts(ws).duplicates == 2
        assert queue.queue_ids(ws, "duplicates") == [a.id, b.id]
        write_results(ws, tmp_path / "r.csv")
        text, _n = build_report(ws)
    with open(tmp_path / "r.csv", newline="", encoding="utf-8") as fh:
        column = {r["Submitted_SENR_LocalID"]: r["Upload_Possible_Duplicate_Of"] for r in csv.DictReader(fh)}
    assert column["40191"] == "99999" and column["99999"] == "40191"
    assert {v for k, v in column.items() if k not in ("40191", "99999")} == {""}
    section = text.split("## The same child twice in this upload")[1].split("##")[0]
    assert "| 40191 | DE LA CRUZ, SOFÍA | 20150607 | 99999 |" in section
    status = run("status", ws_path)
    assert "Twice in upload" in status.output and "2 students look like another local ID" in status.output


def test_matching_again_without_the_twin_clears_the_flag(tmp_path: Path, registry: Path) -> None:
    ws_path = tmp_path / "w.sqlite"
    assert run("match", upload_with_a_twin(tmp_path), "--ods", registry, "-w", ws_path).exit_code == 0
    result = run("match", FIXTURES / "senr_clean.txt", "--ods", registry, "-w", ws_path)
    assert result.exit_code == 0 and "Same child twice" not in result.output
    with open_workspace(ws_path, readonly=True) as ws:
        assert queue.counts(ws).duplicates == 0


@sync
async def test_the_review_app_names_the_other_local_id_and_filters_them(tmp_path: Path, registry: Path) -> None:
    ws_path = tmp_path / "w.sqlite"
    assert run("match", upload_with_a_twin(tmp_path), "--ods", registry, "-w", ws_path).exit_code == 0
    app = ReviewApp(ws_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("f", filter_key("duplicates"))
        assert [app.session.student_at(i).local_id for i in range(len(app.session.ids))] == ["40191", "99999"]
        line = flag_lines(app.session)[0].plain
        assert "Twice in this upload?" in line and "40191 looks like local ID 99999" in line
        at_80 = flag_lines(app.session, 80)[0].plain
        assert len(at_80) <= 80 and at_80.endswith(".") and "local ID 99999" in at_80  # whole, not cut mid-word
        await pilot.press("J")
        assert "looks like local ID 40191" in flag_lines(app.session)[0].plain
