"""Exports: the SSID Match Results file column by column, the SIS file, the report,
conflicts, owner-only permissions and interrupted writes."""

from __future__ import annotations

import csv
import io
import os
import stat
from pathlib import Path

import pytest

from ssid_tui.exports import writers as ex
from ssid_tui.workspace.decisions import choose, mark_none, skip
from ssid_tui.workspace.store import Workspace
from tests.support.results import CDE_13
from tests.support.workspaces import build_workspace, candidate, sid, small_students, student

OURS = [
    "Review_Decision", "Candidate_Rank",
    "Submitted_SENR_Student_LegalNameSuffix", "Submitted_SENR_Student_AliasLastName",
    "Submitted_SENR_Student_AliasFirstName", "Submitted_SENR_Student_AliasMiddleName",
    "Submitted_SENR_BirthCity", "Submitted_SENR_BirthStateProvince", "Submitted_SENR_BirthCountry",
    "Result_Student_LegalLastName", "Result_Student_LegalFirstName", "Result_Student_LegalMiddleName",
    "Result_Student_LegalNameSuffix", "Result_Student_AliasLastName", "Result_Student_AliasFirstName",
    "Result_Student_AliasMiddleName", "Result_BirthDate", "Result_Gender", "Result_BirthCity",
    "Result_BirthStateProvince", "Result_BirthCountry", "Result_NameSource",
    "Result_LastReportingLEA", "Result_LastSchoolofAttendance", "Result_LastGradeLevel",
    "Result_LastEnrollmentStartDate", "Result_LastEnrollmentExitDate",
    "Review_Note", "Review_FollowUp", "Upload_Possible_Duplicate_Of", "Registry_Possible_Duplicate_Of",
]


@pytest.fixture
def reviewed(tmp_path) -> Workspace:
    """small_students with: 1001 chosen, 1003 none of these, 1005 skipped, 1006 chosen (its rank-2 candidate)."""
    ws = build_workspace(tmp_path / "w.sqlite", small_students())
    choose(ws, sid(ws, "1001"), "1234567890")
    mark_none(ws, sid(ws, "1003"))
    skip(ws, sid(ws, "1005"))
    choose(ws, sid(ws, "1006"), "4234567891")
    yield ws
    ws.close()


def read_rows(path: Path, delimiter: str = ",") -> list[list[str]]:
    with open(path, newline="", encoding="utf-8") as fh:
        return list(csv.reader(fh, delimiter=delimiter))


# -- the results file ------------------------------------------------------------------------


def test_results_columns_are_cdes_13_then_ours():
    assert list(ex.RESULTS_COLUMNS[:13]) == CDE_13
    assert list(ex.RESULTS_COLUMNS[13:]) == OURS


def test_results_file_column_by_column(reviewed, tmp_path):
    out = tmp_path / "results.csv"
    n = ex.write_results(reviewed, out)
    data = out.read_bytes()
    assert not data.startswith(b"\xef\xbb\xbf")  # the header's first name is exactly CDE's
    assert data.count(b"\r\n") == 10 and data.count(b"\n") == 10  # CRLF everywhere
    rows = read_rows(out)
    assert rows[0] == CDE_13 + OURS
    assert n == 9 and len(rows) == 10
    assert all(len(r) == 44 for r in rows)
    # CDE's columns, hand-checked: one row per (student, candidate), best score first, file order.
    assert [r[:13] for r in rows[1:]] == [
        ["1964733", "1930056", "X", "1001", "GARCIA", "MARIA", "", "1234567890", "20190815", "Single Match", "97", "F", "20140507"],
        ["1964733", "1930056", "", "1002", "LOPEZ", "JOSE", "", "2234567890", "20190815", "Multiple Match", "88", "M", "20130212"],
        ["1964733", "1930056", "", "1002", "LOPEZ", "JOSE", "", "2234567891", "20190815", "Multiple Match", "61", "M", "20130212"],
        ["1964733", "1930056", "", "1003", "SMITH", "LIAM", "", "", "", "No Match", "", "M", "20150101"],
        ["1964733", "1930056", "", "1004", "GARCIA", "MARIA", "", "1234567890", "20190815", "Single Match", "91", "F", "20140507"],
        ["1964733", "1930056", "", "1005", "NGUYEN", "SOFIA", "", "3234567890", "20190815", "Single Match", "72", "F", "20120930"],
        ["1964733", "1930056", "", "1006", "KIM", "EMMA", "", "4234567890", "20190815", "Multiple Match", "95", "F", "20160704"],
        ["1964733", "1930056", "X", "1006", "KIM", "EMMA", "", "4234567891", "20190815", "Multiple Match", "90", "F", "20160704"],
        ["1964733", "1930056", "", "1006", "KIM", "EMMA", "", "4234567892", "20190815", "Multiple Match", "55", "F", "20160704"],
    ]
    # Our columns: the decision and rank ...
    assert [(r[13], r[14]) for r in rows[1:]] == [
        ("chosen", "1"), ("not reviewed", "1"), ("not reviewed", "2"), ("none of these", ""),
        ("not reviewed", "1"), ("skipped", "1"), ("chosen", "1"), ("chosen", "2"), ("chosen", "3"),
    ]
    # ... and a whole candidate row (1006's chosen rank 2, whose birth date differs from the submitted one).
    assert dict(zip(OURS, rows[8][13:], strict=True)) == {
        "Review_Decision": "chosen", "Candidate_Rank": "2",
        "Submitted_SENR_Student_LegalNameSuffix": "", "Submitted_SENR_Student_AliasLastName": "",
        "Submitted_SENR_Student_AliasFirstName": "", "Submitted_SENR_Student_AliasMiddleName": "",
        "Submitted_SENR_BirthCity": "", "Submitted_SENR_BirthStateProvince": "US-CA", "Submitted_SENR_BirthCountry": "US",
        "Result_Student_LegalLastName": "KIM", "Result_Student_LegalFirstName": "EMMA", "Result_Student_LegalMiddleName": "",
        "Result_Student_LegalNameSuffix": "", "Result_Student_AliasLastName": "", "Result_Student_AliasFirstName": "",
        "Result_Student_AliasMiddleName": "", "Result_BirthDate": "20160407", "Result_Gender": "F", "Result_BirthCity": "",
        "Result_BirthStateProvince": "US-CA", "Result_BirthCountry": "US", "Result_NameSource": "legal",
        "Result_LastReportingLEA": "1964733", "Result_LastSchoolofAttendance": "1930056", "Result_LastGradeLevel": "05",
        "Result_LastEnrollmentStartDate": "20250814", "Result_LastEnrollmentExitDate": "",
        "Review_Note": "", "Review_FollowUp": "", "Upload_Possible_Duplicate_Of": "", "Registry_Possible_Duplicate_Of": "",
    }
    # The No Match row: result columns blank, submitted ones filled.
    no_match = dict(zip(CDE_13 + OURS, rows[4], strict=True))
    assert {k: v for k, v in no_match.items() if v} == {
        "Submitted_SENR_ReportingLEA": "1964733", "Submitted_SENR_SchoolofAttendance": "1930056",
        "Submitted_SENR_LocalID": "1003", "Submitted_SENR_Student_LegalLastName": "SMITH",
        "Submitted_SENR_Student_LegalFirstName": "LIAM", "Result_MatchCategory": "No Match",
        "Submitted_SENR_Gender": "M", "Submitted_SENR_BirthDate": "20150101", "Review_Decision": "none of these",
        "Submitted_SENR_BirthStateProvince": "US-CA", "Submitted_SENR_BirthCountry": "US",
    }


def test_results_submitted_extra_fields_and_alias_candidate(tmp_path):
    s = student("77", "ANA", "RUIZ", "20110101", middle="LUZ", suffix="JR", alias_first="ANNIE", alias_middle="L",
                alias_last="ROYCE", birth_city="TIJUANA", birth_state="MX-BCN", birth_country="MX",
                candidates=[candidate("5555555555", 83, "ANNA", "RUIZ", "20110101", alias_first="ANNIE",
                                      alias_last="ROYCE", name_source="alias", birth_city="TIJUANA",
                                      birth_state="MX-BCN", birth_country="MX", enroll_exit="20250601",
                                      create_date="20170301", grade="KN")])
    with build_workspace(tmp_path / "w.sqlite", [s]) as ws:
        ex.write_results(ws, tmp_path / "r.csv")
    row = dict(zip(CDE_13 + OURS, read_rows(tmp_path / "r.csv")[1], strict=True))
    assert row["Submitted_SENR_Student_LegalMiddleName"] == "LUZ"
    assert [row[k] for k in OURS[2:9]] == ["JR", "ROYCE", "ANNIE", "L", "TIJUANA", "MX-BCN", "MX"]
    assert row["Result_SENR_SSIDCreateDate"] == "20170301"
    assert row["Result_Student_AliasFirstName"] == "ANNIE" and row["Result_NameSource"] == "alias"
    assert (row["Result_BirthCity"], row["Result_BirthStateProvince"], row["Result_BirthCountry"]) == ("TIJUANA", "MX-BCN", "MX")
    assert (row["Result_LastGradeLevel"], row["Result_LastEnrollmentExitDate"]) == ("KN", "20250601")
    assert row["Review_Decision"] == "not reviewed" and row["Selection"] == ""


def test_results_caret_delimited(reviewed, tmp_path):
    out = tmp_path / "results.txt"
    ex.write_results(reviewed, out, delimiter="caret")
    lines = out.read_bytes().decode("utf-8").split("\r\n")
    assert lines[0] == "^".join(CDE_13 + OURS)
    assert lines[1].split("^")[:4] == ["1964733", "1930056", "X", "1001"]
    assert "," not in lines[1]
    assert lines[-1] == ""
    with pytest.raises(ex.ExportError):
        ex.write_results(reviewed, out, delimiter=";")


def test_results_keep_leading_zeros_and_accents(tmp_path):
    s = student("000123", "JOSÉ", "NÚÑEZ", "20120314", "M",
                candidates=[candidate("0123456789", 99, "JOSÉ", "NÚÑEZ", "20120314", "M")])
    with build_workspace(tmp_path / "w.sqlite", [s]) as ws:
        choose(ws, sid(ws, "000123"), "0123456789")
        ex.write_results(ws, tmp_path / "r.csv")
        ex.write_sis(ws, tmp_path / "s.csv")
    row = read_rows(tmp_path / "r.csv")[1]
    assert row[2:8] == ["X", "000123", "NÚÑEZ", "JOSÉ", "", "0123456789"]
    assert (tmp_path / "s.csv").read_bytes() == b"LocalID,SSID\r\n000123,0123456789\r\n"


# -- SIS file ----------------------------------------------------------------------------------


def test_sis_file_holds_chosen_matches_only(reviewed, tmp_path):
    out = tmp_path / "sis.csv"
    assert ex.write_sis(reviewed, out) == 2
    assert out.read_bytes() == b"LocalID,SSID\r\n1001,1234567890\r\n1006,4234567891\r\n"


def test_sis_file_with_nothing_chosen_is_just_the_header(tmp_path):
    with build_workspace(tmp_path / "w.sqlite", small_students()) as ws:
        assert ex.write_sis(ws, tmp_path / "sis.csv") == 0
    assert (tmp_path / "sis.csv").read_bytes() == b"LocalID,SSID\r\n"


# -- report ------------------------------------------------------------------------------------


def test_report_counts_reviewers_and_undecided(reviewed, tmp_path):
    out = tmp_path / "report.md"
    assert ex.write_report(reviewed, out) == 6
    text = out.read_text(encoding="utf-8")
    assert text.startswith("# SSID review report\n")
    assert "6 students: 3 decided (2 with an SSID chosen, 1 none of these), 3 left to decide (1 of them skipped)." in text
    assert "| Category | Chosen | None of these | Skipped | Not reviewed | Total |" in text
    assert "| No Match | 0 | 1 | 0 | 0 | 1 |" in text
    assert "| Single Match | 1 | 0 | 1 | 1 | 3 |" in text
    assert "| Multiple Match | 1 | 0 | 0 | 1 | 2 |" in text
    assert "| **Total** | 2 | 1 | 1 | 2 | 6 |" in text
    # Who decided: the login name recorded with each decision, and how.
    from ssid_tui.workspace.decisions import reviewer

    assert f"| {reviewer()} | review app | 2 | 1 | 1 | 4 |" in text
    assert "None: no SSID is chosen for more than one student." in text
    still = text.split("## Still to decide")[1]
    assert "| 1002 | LOPEZ, JOSE | Multiple Match | 88 | Not reviewed |" in still
    assert "| 1004 | GARCIA, MARIA | Single Match | 91 | Not reviewed |" in still
    assert "| 1005 | NGUYEN, SOFIA | Single Match | 72 | Skipped |" in still
    assert "1001" not in still and "1003" not in still


def test_report_of_untouched_workspace(tmp_path):
    with build_workspace(tmp_path / "w.sqlite", small_students()) as ws:
        ex.write_report(ws, tmp_path / "r.md")
    text = (tmp_path / "r.md").read_text(encoding="utf-8")
    assert "No decisions recorded yet." in text
    assert text.split("## Still to decide")[1].count("| Not reviewed |") == 6  # the No Match student too


# -- conflicts ---------------------------------------------------------------------------------


@pytest.fixture
def conflicted(tmp_path) -> Workspace:
    """1001 and 1004 both given 1234567890; 1006 chosen normally."""
    ws = build_workspace(tmp_path / "w.sqlite", small_students())
    choose(ws, sid(ws, "1001"), "1234567890")
    choose(ws, sid(ws, "1004"), "1234567890")
    choose(ws, sid(ws, "1006"), "4234567890")
    yield ws
    ws.close()


@pytest.mark.parametrize("kind", ["results", "sis", "senr"])
def test_conflicts_block_selection_exports(conflicted, tmp_path, kind):
    writer = {"results": ex.write_results, "sis": ex.write_sis, "senr": ex.write_senr}[kind]
    out = tmp_path / f"{kind}.out"
    with pytest.raises(ex.ExportBlocked) as info:
        writer(conflicted, out)
    assert info.value.conflicts == {"1234567890": ["1001", "1004"]}
    assert "1234567890: 1001, 1004" in str(info.value)
    assert not out.exists()
    assert [p for p in tmp_path.iterdir() if p.name.startswith(".")] == []


def test_export_all_refuses_before_writing_anything(conflicted, tmp_path):
    folder = tmp_path / "out"
    folder.mkdir()
    with pytest.raises(ex.ExportBlocked):
        ex.export_all(conflicted, folder)
    assert list(folder.iterdir()) == []


def test_allow_conflicts_leaves_conflicting_students_unselected(conflicted, tmp_path):
    folder = tmp_path / "out"
    folder.mkdir()
    written = ex.export_all(conflicted, folder, allow_conflicts=True)
    by_kind = {w.kind: w for w in written}
    assert [w.kind for w in written] == ["results", "sis", "senr", "report"]
    rows = read_rows(by_kind["results"].path)[1:]
    marked = [(r[3], r[7]) for r in rows if r[2] == "X"]
    assert marked == [("1006", "4234567890")]
    decisions = {r[3]: r[13] for r in rows}
    assert decisions["1001"] == decisions["1004"] == "conflict (not exported)"
    assert by_kind["sis"].path.read_bytes() == b"LocalID,SSID\r\n1006,4234567890\r\n"
    assert by_kind["senr"].rows == 1
    senr = by_kind["senr"].path.read_bytes().decode("utf-8").split("\r\n")
    assert senr[0].split("^")[7] == "" and senr[3].split("^")[7] == ""  # 1001, 1004 unchanged
    assert senr[5].split("^")[7] == "4234567890"
    report = by_kind["report"].path.read_text(encoding="utf-8")
    assert "| 1234567890 | 1001, 1004 |" in report
    assert "left unselected" in report


def test_report_never_refuses_and_names_conflicts(conflicted, tmp_path):
    ex.write_report(conflicted, tmp_path / "r.md")
    text = (tmp_path / "r.md").read_text(encoding="utf-8")
    assert "1 SSID is chosen for more than one student" in text
    assert "| 1234567890 | 1001, 1004 |" in text


# -- files: owner-only, atomic -----------------------------------------------------------------


def test_every_export_file_is_owner_only(reviewed, tmp_path):
    folder = tmp_path / "out"
    folder.mkdir()
    ex.export_all(reviewed, folder)
    os.chmod(folder / "upload_sis_ssids.csv", 0o644)  # our earlier export, since made world-readable
    written = ex.export_all(reviewed, folder)
    assert sorted(p.name for p in folder.iterdir()) == sorted([
        "upload_match_results.csv", "upload_sis_ssids.csv", "upload_with_ssids.txt", "upload_review_report.md"])
    for w in written:
        assert stat.S_IMODE(w.path.stat().st_mode) == 0o600, w.path


def test_export_all_names_and_rows(reviewed, tmp_path):
    written = ex.export_all(reviewed, tmp_path, delimiter="caret")
    assert [(w.kind, w.path.name, w.rows) for w in written] == [
        ("results", "upload_match_results.txt", 9), ("sis", "upload_sis_ssids.csv", 2),
        ("senr", "upload_with_ssids.txt", 2), ("report", "upload_review_report.md", 6),
    ]
    with pytest.raises(ex.ExportError):
        ex.export_all(reviewed, tmp_path / "missing")


class Boom(RuntimeError):
    pass


def _explode_after(ws: Workspace, monkeypatch, calls: int) -> None:
    real = ws.candidates
    seen = {"n": 0}

    def candidates(student_id):
        seen["n"] += 1
        if seen["n"] > calls:
            raise Boom("power cut")
        return real(student_id)

    monkeypatch.setattr(ws, "candidates", candidates)


def test_interrupted_export_keeps_the_old_file_and_leaves_no_temp(reviewed, tmp_path, monkeypatch):
    out = tmp_path / "results.csv"
    ex.write_results(reviewed, out)  # the previous export
    previous = out.read_bytes()
    _explode_after(reviewed, monkeypatch, 3)
    with pytest.raises(Boom):
        ex.write_results(reviewed, out)
    assert out.read_bytes() == previous
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".")] == []


def test_interrupted_first_export_leaves_no_file(reviewed, tmp_path, monkeypatch):
    out = tmp_path / "results.csv"
    _explode_after(reviewed, monkeypatch, 2)
    with pytest.raises(Boom):
        ex.write_results(reviewed, out)
    assert not out.exists()
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".")] == []


def test_interrupted_senr_write_keeps_old_file(reviewed, tmp_path, monkeypatch):
    out = tmp_path / "senr.txt"
    ex.write_senr(reviewed, out)  # an earlier SENR export
    old = out.read_bytes()
    import ssid_tui.exports.writers as mod

    real = mod.fill_ssid
    calls = {"n": 0}

    def flaky(*a, **k):
        calls["n"] += 1
        if calls["n"] == 2:
            raise Boom("disk full")
        return real(*a, **k)

    monkeypatch.setattr(mod, "fill_ssid", flaky)
    with pytest.raises(Boom):
        ex.write_senr(reviewed, out)
    assert out.read_bytes() == old
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(["senr.txt", "w.sqlite", "w.sqlite-shm", "w.sqlite-wal"])


def test_export_reads_one_consistent_snapshot(reviewed, tmp_path):
    """A decision made by another connection mid-export does not reach a file already being written."""
    from ssid_tui.workspace.store import open_workspace

    other = open_workspace(reviewed.path)
    real = reviewed.candidates
    done = {"n": 0}

    def candidates(student_id):
        if done["n"] == 0:
            choose(other, sid(other, "1004"), "1234567890")  # would be a conflict with 1001
        done["n"] += 1
        return real(student_id)

    reviewed.candidates = candidates  # type: ignore[method-assign]
    ro = open_workspace(reviewed.path, readonly=True)
    try:
        ro.candidates = candidates  # type: ignore[method-assign]
        written = ex.export(ro, {"results": tmp_path / "r.csv", "sis": tmp_path / "s.csv"})
    finally:
        ro.close()
        other.close()
    assert [w.rows for w in written] == [9, 2]
    assert (tmp_path / "s.csv").read_bytes() == b"LocalID,SSID\r\n1001,1234567890\r\n1006,4234567891\r\n"


def test_results_rows_match_header_width_for_large_workspace(tmp_path):
    from tests.support.workspaces import large_students

    with build_workspace(tmp_path / "w.sqlite", large_students(300)) as ws:
        n = ex.write_results(ws, tmp_path / "r.csv")
    rows = read_rows(tmp_path / "r.csv")
    assert len(rows) == n + 1
    assert {len(r) for r in rows} == {44}
    # best score first within each student
    by_student: dict[str, list[int]] = {}
    for r in rows[1:]:
        if r[10]:
            by_student.setdefault(r[3], []).append(int(r[10]))
    assert all(scores == sorted(scores, reverse=True) for scores in by_student.values())


def test_missing_layout_is_one_sentence(tmp_path):
    with build_workspace(tmp_path / "w.sqlite", small_students(), {}) as ws:
        with pytest.raises(ex.ExportError, match="match the file again"):
            ex.write_senr(ws, tmp_path / "s.txt")


def test_cell_span_rules():
    line = 'a,"b,""c",,"",e'
    assert ex.cell_span(line, 0, ",") == (0, 1, False)
    assert ex.cell_span(line, 1, ",") == (2, 9, True)
    assert line[2:9] == '"b,""c"'
    assert ex.cell_span(line, 2, ",") == (10, 10, False)
    assert ex.cell_span(line, 3, ",") == (11, 13, True)
    assert ex.cell_span(line, 4, ",") == (14, 15, False)
    assert ex.cell_span(line, 5, ",") is None
    assert ex.cell_span('x^"y^z', 1, "^") == (2, 4, False)  # no quoting in caret files
    assert next(csv.reader(io.StringIO(line))) == ["a", 'b,"c', "", "", "e"]


def test_a_refused_target_leaves_none_of_the_other_files_written(reviewed, tmp_path):
    """Cold test: the review app's e (export_all) wrote the results file, then refused the SIS file."""
    from ssid_tui.files.targets import TargetRefused

    folder = tmp_path / "out"
    folder.mkdir()
    names = ex.default_names(reviewed, ",")
    theirs = folder / names["sis"]
    theirs.write_text("LocalID,SSID\r\n1001,9999999999\r\n")  # the SIS's own file, not ours
    with pytest.raises(TargetRefused):
        ex.export_all(reviewed, folder)
    assert sorted(p.name for p in folder.iterdir()) == [names["sis"]]
    assert theirs.read_bytes() == b"LocalID,SSID\r\n1001,9999999999\r\n"
