"""Scores that add up (one student's candidates share a probability) and possible duplicates
in the registry (two SSIDs that look like one child): matcher, run, export, report, status, app."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from ssid_tui.exports.report import build_report
from ssid_tui.formats.results import REGISTRY_DUPLICATE_OF, RESULTS_COLUMNS
from ssid_tui.matching.comparisons import Frequencies
from ssid_tui.matching.matcher import OTHERS_FIELD, Matcher
from ssid_tui.matching.registry import load_extract, open_registry
from ssid_tui.matching.registry_duplicates import SAME_CHILD_SCORE, duplicate_ssids, look_alike
from ssid_tui.ui.app import ReviewApp
from ssid_tui.ui.screens.filter_menu import filter_key
from ssid_tui.ui.widgets.student_flags import flag_lines
from ssid_tui.workspace import queue, registry_duplicates
from ssid_tui.workspace.decisions import choose
from ssid_tui.workspace.store import open_workspace
from tests.support.app import sync
from tests.support.cli import flat, run
from tests.support.generated import shared_generated
from tests.support.shared import built_once

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures"
#: JOSÉ ANTONIO NÚÑEZ (local ID 40117) is 7100000000 in the sample registry.
JOSE = "7100000000"
JOSE_AGAIN = "7199999999"


@pytest.fixture(scope="module")
def generated_run(tmp_path_factory) -> tuple[Path, Path]:
    """A generated registry and upload, matched: (registry, workspace)."""
    generated, files = shared_generated(tmp_path_factory, registry_size=20000, upload_size=1500, seed=11)

    def match(folder: Path) -> None:
        result = run("match", files.senr, "--ods", generated / "reg.sqlite", "--workspace", folder / "w.sqlite")
        assert result.exit_code == 0, result.output

    folder = built_once(tmp_path_factory, "scores-matched-r20000-u1500-s11", match)  # both tests only read it
    return generated / "reg.sqlite", folder / "w.sqlite"


def test_no_students_scores_sum_past_100(generated_run: tuple[Path, Path]) -> None:
    _reg, ws_path = generated_run
    with open_workspace(ws_path, readonly=True) as ws:
        sums = [n for (n,) in ws.conn.execute("SELECT SUM(score) FROM candidate GROUP BY student_id")]
        several = ws.conn.execute("SELECT COUNT(*) FROM student WHERE candidate_count > 1").fetchone()[0]
    assert len(sums) > 1000 and several > 10
    assert max(sums) <= 100


def test_explanation_rows_add_up_to_the_shared_score(generated_run: tuple[Path, Path]) -> None:
    reg_path, ws_path = generated_run
    shared = 0
    with open_registry(reg_path) as reg, open_workspace(ws_path, readonly=True) as ws:
        m = Matcher(reg)
        for (sid,) in ws.conn.execute("SELECT id FROM student WHERE candidate_count > 0"):
            for c in ws.candidates(sid):
                rows = c.explanation
                shared += any(r["field"] == OTHERS_FIELD for r in rows)
                # one point off at most: a student's rounded scores are kept from summing past 100
                assert abs(m.to_score(sum(r["weight"] for r in rows), None) - c.score) <= 1, rows
    assert shared > 20


def registry_with_jose_twice(folder: Path) -> Path:
    """The sample registry plus a second SSID for JOSÉ ANTONIO NÚÑEZ, accents dropped (a second identity)."""
    lines = (FIXTURES / "ods_sample.txt").read_text(encoding="utf-8").splitlines()
    jose = next(line for line in lines if line.startswith(JOSE))
    again = jose.replace(JOSE, JOSE_AGAIN).replace("JOSÉ", "JOSE").replace("NÚÑEZ", "NUNEZ")
    (folder / "ods.txt").write_text("\n".join([*lines, again]) + "\n", encoding="utf-8")
    load_extract(folder / "ods.txt", folder / "reg.sqlite")
    return folder / "reg.sqlite"


@pytest.fixture
def matched(tmp_path: Path) -> tuple[Path, str]:
    """The clean upload matched against the registry holding JOSÉ twice: (workspace, match output)."""
    reg = registry_with_jose_twice(tmp_path)
    result = run("match", FIXTURES / "senr_clean.txt", "--ods", reg, "--workspace", tmp_path / "w.sqlite")
    assert result.exit_code == 0, result.output
    return tmp_path / "w.sqlite", flat(result.output)


def test_two_identical_records_share_the_score_and_are_flagged_both_ways(matched: tuple[Path, str]) -> None:
    ws_path, output = matched
    assert "Two SSIDs for one child? 1 student has two candidate SSIDs that look like one child" in output
    with open_workspace(ws_path, readonly=True) as ws:
        s = ws.student_by_local_id("40117")
        cands = ws.candidates(s.id)
        assert {c.ssid for c in cands} == {JOSE, JOSE_AGAIN}
        assert all(45 <= c.score <= 50 for c in cands) and sum(c.score for c in cands) <= 100
        assert registry_duplicates.of_student(ws, s.id) == {JOSE: [JOSE_AGAIN], JOSE_AGAIN: [JOSE]}
        assert queue.counts(ws).registry_duplicates == 1
        assert queue.queue_ids(ws, "registry_duplicates") == [s.id]
        others = ws.student_by_local_id("40154")
        assert [c.score for c in ws.candidates(others.id)] == [100]  # alone: as before
    status = flat(run("status", ws_path).output)
    assert "Twice in registry 1 student has two candidate SSIDs that look like one child" in status


def test_results_column_names_the_other_ssid_and_import_reads_the_file_back(tmp_path: Path,
                                                                             matched: tuple[Path, str]) -> None:
    ws_path, _output = matched
    assert RESULTS_COLUMNS[-1] == REGISTRY_DUPLICATE_OF
    path = tmp_path / "results.csv"
    result = run("export", ws_path, "--results", path)
    assert result.exit_code == 0, result.output
    with open(path, newline="", encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    column = {(r["Submitted_SENR_LocalID"], r["Result_SENR_SSID"]): r[REGISTRY_DUPLICATE_OF] for r in rows}
    assert column[("40117", JOSE)] == JOSE_AGAIN and column[("40117", JOSE_AGAIN)] == JOSE
    assert {v for k, v in column.items() if k[0] != "40117"} == {""}
    # the reviewer picks one in the spreadsheet; the import takes the file with our column in it
    for r in rows:
        r["Selection"] = "X" if r["Result_SENR_SSID"] == JOSE else ""
    with open(tmp_path / "marked.csv", "w", newline="", encoding="utf-8") as fh:
        w = csv.DictWriter(fh, fieldnames=list(rows[0]))
        w.writeheader()
        w.writerows(rows)
    result = run("import-selections", ws_path, tmp_path / "marked.csv")
    assert result.exit_code == 0, result.output
    with open_workspace(ws_path, readonly=True) as ws:
        assert ws.student_by_local_id("40117").chosen_ssid == JOSE


def test_report_says_which_ssid_to_tell_the_state_about(matched: tuple[Path, str]) -> None:
    ws_path, _output = matched
    with open_workspace(ws_path) as ws:
        text, _n = build_report(ws)
        section = text.split("## Possible duplicates in the registry")[1].split("##")[0]
        assert "| 40117 | NÚÑEZ, JOSÉ | 20120314 |" in section and "choose one first" in section
        choose(ws, ws.student_by_local_id("40117").id, JOSE_AGAIN)
        text, _n = build_report(ws)
    section = text.split("## Possible duplicates in the registry")[1].split("##")[0]
    assert f"| {JOSE_AGAIN} | {JOSE} |" in section


@sync
async def test_the_review_app_shows_the_line_and_filters_them(matched: tuple[Path, str]) -> None:
    ws_path, _output = matched
    app = ReviewApp(ws_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("f", filter_key("registry_duplicates"))
        assert [app.session.student_at(i).local_id for i in range(len(app.session.ids))] == ["40117"]
        line = flag_lines(app.session)[0].plain
        assert "look like one student" in line
        seen_at_80 = flag_lines(app.session, 80)[0].plain  # the wording that fits 80 columns whole
        assert len(seen_at_80) <= 80 and seen_at_80.endswith(" look alike.")
        assert "Possible duplicate in the registry" in seen_at_80 and f"{JOSE} {JOSE_AGAIN}" in seen_at_80


def record(first: str, last: str, birth_date: str = "20140507", gender: str = "F", **kw: str) -> dict[str, str]:
    return {"first": first, "middle": "", "last": last, "birth_date": birth_date, "gender": gender,
            "birth_country": "US", "birth_state": "US-CA", "birth_city": "", **kw}


@pytest.mark.parametrize(("a", "b", "alike"), [
    (record("MARIA", "LOPEZ"), record("MARIA", "LOPEZ"), True),
    (record("MARIA", "LOPEZ"), record("MARIA", "LOPES"), True),  # one slip in the surname
    (record("JI-WOO", "KIM"), record("JIWOO", "KIM"), True),
    (record("MARIA", "LOPEZ"), record("ANA", "SMITH", alias_first="MARIA", alias_last="LOPEZ"), True),
    (record("MARIA", "LOPEZ"), record("ANA", "LOPEZ"), False),  # twin sister
    (record("MARIA", "FLORES"), record("MARIANA", "FLORES"), False),  # close by Jaro-Winkler, another name
    (record("MARIA", "LOPES"), record("MARYA", "LOPEZ"), False),  # both names slipped
    (record("ETHAN", "MARTIN", gender="M", middle="ANTHONY", alias_first="ETHAN", alias_last="SMITH"),
     record("ETHAN", "SMITH", gender="M", middle="EVAN"), False),  # the alias keeps the legal middle name
    (record("MARIA", "LOPEZ"), record("MARIA", "LOPEZ", birth_date="20160507"), False),  # a cousin
    (record("MARIA", "LOPEZ"), record("MARIA", "LOPEZ", gender="M"), False),
    (record("MARIA", "LOPEZ"), record("MARIA", "LOPEZ", birth_country="MX"), False),
    (record("MARIA", "LOPEZ", birth_city="FRESNO"), record("MARIA", "LOPEZ", birth_city="TIJUANA"), False),
    (record("MARIA", "LOPEZ", middle="ISABEL"), record("MARIA", "LOPEZ", middle="GUADALUPE"), False),
])
def test_the_look_alike_rule(a: dict[str, str], b: dict[str, str], alike: bool) -> None:
    freq = Frequencies({}, 1000)
    assert look_alike(a, b, freq) is alike and look_alike(b, a, freq) is alike


def test_a_look_alike_pair_must_also_score_as_one_child() -> None:
    """A common name on a common birth date is not enough: the matcher must score the pair 90+."""
    freq = Frequencies({}, 1000)
    records = {"1": record("LIAM", "GONZALEZ", gender="M"), "2": record("LIAM", "GONZALEZ", gender="M")}
    assert duplicate_ssids(records, freq, lambda a, b: SAME_CHILD_SCORE - 1) == {}
    assert duplicate_ssids(records, freq, lambda a, b: SAME_CHILD_SCORE) == {"1": ["2"], "2": ["1"]}


def test_the_matcher_scores_the_two_records_of_one_child_as_one(tmp_path: Path) -> None:
    with open_registry(registry_with_jose_twice(tmp_path)) as reg:
        m = Matcher(reg)
        demo = {r[0]: dict(zip(("ssid", "first", "middle", "last", "birth_date", "gender", "birth_country",
                                "birth_state", "birth_city"), r)) for r in reg.conn.execute(
            "SELECT n.ssid, n.first, n.middle, n.last, n.birth_date, s.gender, s.birth_country, s.birth_state, "
            "s.birth_city FROM name n JOIN ssid s ON s.ssid = n.ssid WHERE n.ssid IN (?, ?)", (JOSE, JOSE_AGAIN))}
        assert m.record_score(demo[JOSE], demo[JOSE_AGAIN]) >= SAME_CHILD_SCORE
        demo[JOSE_AGAIN]["first"] = "JUAN"
        assert m.record_score(demo[JOSE], demo[JOSE_AGAIN]) < SAME_CHILD_SCORE
