"""Blocking: the true record is among the candidates when two things vary at once, and no student pulls thousands."""

from __future__ import annotations

import random
import shutil
import sqlite3
from pathlib import Path

import pytest

import ssid_tui.matching.matcher as matcher_module
from ssid_tui.matching.blocking import (
    best_rows,
    blocking_dates,
    common_passes,
    one_digit_dates,
    start_bound,
    year_digits_swapped,
)
from ssid_tui.matching.matcher import LIKELY_SCORE, Matcher, Submitted
from ssid_tui.matching.model import BLOCKED_ROWS_CAP, BLOCKING_PASSES
from ssid_tui.matching.name_forms import NameForms
from ssid_tui.matching.registry import load_extract, open_registry
from tests.support.cli import flat, run
from tests.support.extracts import ods_line
from tests.support.senr import caret, fields, write

#: (registry record, submitted student, what varies): none of these was a candidate before.
CASES = [
    (("KATHERINE", "", "WHITFIELD", "20130517", "F"), ("KATHERINE", "", "WHIPFIELD", "20130511", "F"),
     "a surname typo and a birth-date digit"),
    (("NATHAN", "", "CHALLENOR", "20120304", "M"), ("CHALMENOR", "", "NATAHN", "20120304", "M"),
     "both names misspelt and swapped"),
    (("DANIELA", "", "SANTIAGO", "19970822", "F"), ("DANIELA", "", "SAMTIAGO", "19790822", "F"),
     "year digits swapped and a surname typo"),
    (("JAXSON", "", "MORENO", "20140304", "M"), ("JA XSON", "", "MORENO", "20140307", "M"),
     "a space inside the given name and a birth-date digit"),
    (("XIOMARA", "", "QUINTANILLA", "20110203", "F"), ("XIOMARA", "", "QUINTANILLA", "20140915", "F"),
     "a rare full name with a wholly different birth date"),
    (("CHLOE", "MIRA", "BROOKS", "20130524", "F"), ("CHLOE", "M", "REFUSE", "20130824", "F"),
     "a replaced surname and a birth-date digit"),
    (("ARCHIE", "", "CAMPBELL", "20130903", "M"), ("VENDULA", "", "CAMPBELL", "20150903", "M"),
     "a replaced given name and a birth-date digit (a common surname)"),
    (("FRANCIS", "QUENTIN", "BISHOP", "20100202", "M"), ("FRANKIE", "Q", "BISHOP", "20141204", "M"),
     "a nickname with a wholly different birth date (a common surname)"),
    (("YASMIN", "", "QUILLIAM", "20091207", "F"), ("YAM IN", "", "QUILLIAM", "20151120", "F"),
     "a rare surname, a space in the given name and a wholly different date, among many records of its sound"),
    (("GENEVIEVE", "", "HOLLOWAY", "20110609", "F"), ("GENEVIEVE", "", "HOLOLWAY", "20140413", "F"),
     "a rare given name, a surname typo past its sound and first four letters, and a wholly different date"),
    (("MARGARET", "", "PENNYWORTH", "20100503", "F"), ("MARGAREK", "", "PENNYWORTH", "20130428", "F"),
     "a given-name typo past its sound and a wholly different date, the surname held by six students"),
]
#: Surnames that are not rare (six records each) and records sharing the sound of QUILLIAM (KLM), each
#: with a given name the registry's order puts before YASMIN.
_NOT_RARE = [(first, last) for last in ("CAMPBELL", "BISHOP", "PENNYWORTH") for first in ("ADAM", "BEN", "CARL", "DAVE",
                                                                                        "ERIC")]
_SOUND_OF_QUILLIAM = [(first, last) for first, last in zip(("ADAM", "BEN", "CARL", "DAVE", "ERIC", "FRED"),
                                                             ("KILLAM", "KELLAM", "CALLAM", "KALLUM", "COLLUM", "CULLAM"))]
_FILLER_FIRST = ["SOFIA", "LIAM", "NOAH", "EMMA", "MATEO", "ISABELLA", "ETHAN", "MIA", "LUCAS", "CAMILA"]
_FILLER_LAST = ["LOPEZ", "NGUYEN", "SMITH", "HERNANDEZ", "KIM", "JOHNSON", "RAMIREZ", "PATEL", "LEE", "TORRES"]


def _ssid(n: int) -> str:
    return f"{2000000000 + n}"


def _registry(tmp_path: Path, lines: list[str]) -> Path:
    reg = tmp_path / "reg.sqlite"
    load_extract(write(tmp_path / "ods.txt", "\n".join(lines) + "\n"), reg)
    return reg


def _filler(rng: random.Random, start: int, n: int) -> list[str]:
    return [ods_line(_ssid(start + i), rng.choice(_FILLER_FIRST), rng.choice(_FILLER_LAST),
                     f"{rng.randint(2008, 2018)}{rng.randint(1, 12):02d}{rng.randint(1, 28):02d}",
                     rng.choice("MF")) for i in range(n)]


def _sub(first: str, middle: str, last: str, birth_date: str, gender: str) -> Submitted:
    return Submitted(first=first, middle=middle, last=last, birth_date=birth_date, gender=gender)


def _blocked(m: Matcher, sub: Submitted) -> list[str]:
    return [r[1] for r in m._blocked_rows(sub, sub.name_variants())]


@pytest.fixture(scope="module")
def two_errors(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("two-errors")
    lines = [ods_line(_ssid(i), f, last, bd, g, middle=mid) for i, ((f, mid, last, bd, g), _s, _w) in enumerate(CASES)]
    lines += [ods_line(_ssid(90), "OLIVIA", "PEREZ", "20150909", "F")]
    lines += [ods_line(_ssid(400 + i), first, last, f"2012{i % 12 + 1:02d}10", "M")
              for i, (first, last) in enumerate(_NOT_RARE + _SOUND_OF_QUILLIAM)]
    lines += [ods_line(_ssid(100 + i), "MARIA", "GARCIA", f"2005{i % 12 + 1:02d}15", "F") for i in range(30)]
    lines += [ods_line(_ssid(200 + i), "MARIA", _FILLER_LAST[i % 10], "20060101", "F") for i in range(60)]
    lines += [ods_line(_ssid(300 + i), _FILLER_FIRST[i % 10], "GARCIA", "20060101", "F") for i in range(60)]
    return _registry(tmp, lines + _filler(random.Random(3), 1000, 400))


@pytest.mark.parametrize("case", range(len(CASES)), ids=[c[2] for c in CASES])
def test_two_variations_at_once_still_block_the_true_record(two_errors, case):
    _reg, sub, _why = CASES[case]
    with open_registry(two_errors) as reg:
        assert _ssid(case) in _blocked(Matcher(reg), _sub(*sub))


def test_a_registry_without_a_pass_index_leaves_the_pass_out_and_the_run_says_to_load_it_again(two_errors, tmp_path):
    """A registry loaded by an earlier version lacks the newest pass's index: the pass would read the
    whole name table for every student, so it does not run, and `match` says how to get it back."""
    old = tmp_path / "old.sqlite"
    shutil.copy(two_errors, old)
    conn = sqlite3.connect(old)
    conn.execute("DROP INDEX name_rare_first_start")
    conn.commit()
    conn.close()
    case = next(i for i, c in enumerate(CASES) if c[1][2] == "HOLOLWAY")
    with open_registry(old) as reg:
        m = Matcher(reg)
        assert m.passes_left_out == ("rare_first_start",)
        assert m.weights()["blocking_left_out"] == ["rare_first_start"]
        assert _ssid(case) not in _blocked(m, _sub(*CASES[case][1]))
        assert _ssid(0) in _blocked(m, _sub(*CASES[0][1]))            # the other passes still run
    with open_registry(two_errors) as reg:
        assert Matcher(reg).passes_left_out == ()
    senr = write(tmp_path / "senr.txt", caret([fields(first="GENEVIEVE", middle="", last="HOLOLWAY",
                                                       birth_date="20140413", gender="F")]))
    result = run("match", senr, "--ods", old, "--workspace", tmp_path / "w.sqlite")
    assert result.exit_code == 0, result.output
    assert "lacks the indexes of 1 blocking pass (rare_first_start)" in flat(result.output)
    assert "load the ODS extract again with `ssid-tui ods load`" in flat(result.output)
    assert "Blocking passes left out: rare_first_start" in flat(run("status", tmp_path / "w.sqlite", "--weights").output)
    assert "lacks the indexes" not in flat(run("match", senr, "--ods", two_errors, "--workspace",
                                               tmp_path / "w2.sqlite").output)
    assert "left out" not in flat(run("status", tmp_path / "w2.sqlite", "--weights").output)


def test_a_replaced_first_name_is_blocked_but_scored_low_as_a_likely_sibling(two_errors):
    sub = _sub("SOPHIA", "", "PEREZ", "20150909", "F")
    with open_registry(two_errors) as reg:
        m = Matcher(reg)
        assert _ssid(90) in _blocked(m, sub)
        shown = {c.ssid: c.score for c in m.match(sub).candidates}
    assert shown.get(_ssid(90), 0) < LIKELY_SCORE


def test_a_common_full_name_with_another_birth_date_pulls_no_rows(two_errors):
    """Thirty MARIA GARCIA born in 2005, ninety MARIA and GARCIA each: the rare-name pass does not run for 2014."""
    with open_registry(two_errors) as reg:
        rows = _blocked(Matcher(reg), _sub("MARIA", "", "GARCIA", "20140611", "F"))
    assert not {_ssid(100 + i) for i in range(30)} & set(rows)


def test_a_pathological_registry_keeps_pairs_under_the_cap_and_finds_the_exact_record(tmp_path):
    """5,000 MARIA GARCIA born in 2013 (about 14 on every day), and the student's own record among them."""
    rng = random.Random(5)
    lines = [ods_line(_ssid(i), "MARIA", "GARCIA", f"2013{rng.randint(1, 12):02d}{rng.randint(1, 28):02d}", "F",
                      middle=rng.choice(["", "ELENA", "JOSE", "GUADALUPE"])) for i in range(5000)]
    lines.insert(rng.randint(0, 5000), ods_line(_ssid(7777), "MARIA", "GARCIA", "20130517", "F", middle="LUZ"))
    reg_path = _registry(tmp_path, lines)
    sub = _sub("MARIA", "LUZ", "GARCIA", "20130517", "F")
    with open_registry(reg_path) as reg:
        m = Matcher(reg)
        rows = _blocked(m, sub)
        assert len(rows) <= BLOCKED_ROWS_CAP
        assert rows[0] == _ssid(7777)  # best agreeing first
        assert m.match(sub).candidates[0].ssid == _ssid(7777)
        for p in BLOCKING_PASSES:
            assert len(m._blocked_rows(sub, sub.name_variants(), (p,))) <= p.limit


def test_the_union_keeps_each_pass_best_rows_before_filling_up_by_agreement():
    # (id, ssid, agreement, pass): pass 0 brings 30 rows agreeing much, pass 1 one agreeing little
    rows = [(i, f"S{i}", 20, 0) for i in range(30)] + [(99, "S99", 3, 1), (5, "S5", 20, 1)]
    kept = best_rows(rows, kept=2, cap=10)
    assert len(kept) == 10
    assert (99, "S99") in kept                                  # pass 1's best survives the flood
    assert [r[0] for r in kept[:9]] == list(range(9))           # the rest by agreement, then id
    assert kept[-1] == (99, "S99")                              # listed by agreement: last
    assert len({r[0] for r in kept}) == len(kept)               # a record two passes found comes once
    assert best_rows(rows, kept=0, cap=10) == [(i, f"S{i}") for i in range(10)]


def test_a_date_slip_is_found_among_many_same_date_look_alikes_of_a_common_surname(tmp_path, monkeypatch):
    """The true record (a birth-date digit off) is first in the one-digit-date pass, but 100 GARCIA
    born on the student's very date agree more by date: the union keeps it all the same."""
    monkeypatch.setattr(matcher_module, "BLOCKED_ROWS_CAP", 20)
    lines = [ods_line(_ssid(i), _FILLER_FIRST[i % 10] + chr(65 + i // 10), "GARCIA", "20130517", "M")
             for i in range(100)]
    lines.append(ods_line(_ssid(500), "JOSE", "GARCIA", "20130511", "M", middle="MIGUEL"))
    with open_registry(_registry(tmp_path, lines)) as reg:
        m = Matcher(reg)
        sub = _sub("JOSE", "MIGUEL", "GARCIA", "20130517", "M")
        rows = _blocked(m, sub)
        assert len(rows) == 20
        assert _ssid(500) in rows
        monkeypatch.setattr(matcher_module, "BLOCKED_ROWS_KEPT", 0)   # the union by agreement alone drops it
        assert _ssid(500) not in _blocked(m, sub)


def test_a_rare_birth_date_blocks_a_record_whose_names_were_both_replaced_and_a_common_one_does_not(tmp_path):
    lines = [ods_line(_ssid(1), "MOLLY", "WEBB", "19150416", "F")]
    lines += [ods_line(_ssid(10 + i), _FILLER_FIRST[i % 10], _FILLER_LAST[i // 10], "20130517", "F") for i in range(40)]
    with open_registry(_registry(tmp_path, lines)) as reg:
        m = Matcher(reg)
        assert _ssid(1) in _blocked(m, _sub("HUGO", "", "ALDERSON", "19150416", "F"))   # one student born that day
        # forty students born on 2013-05-17: the pass does not run, so no stranger with another name comes
        assert _blocked(m, _sub("HUGO", "", "ALDERSON", "20130517", "F")) == []


def test_dates_for_blocking():
    assert year_digits_swapped("19970822") == "19790822"
    assert year_digits_swapped("20110203") == ""
    assert blocking_dates("20140507") == ["20140507", "20140705", "20410507"]
    near = one_digit_dates("20130517")
    assert {"20130511", "20180517", "20130917", "20030517"} <= set(near)
    assert "20130532" not in near and "20130517" not in near and "20131517" not in near
    assert all(len(d) == 8 for d in near)


def test_the_date_slip_passes_run_for_a_rare_name_and_not_for_a_common_one():
    """In a 10-million registry ~1,500 students share a school-age birth date: a name held by 50,000 would
    bring hundreds of records born a digit away, one held by 40 none or one."""
    passes = [p for p in BLOCKING_PASSES if p.name in ("digit_first", "digit_last")]
    counts = {"first": {"SOFIA": 50_000, "XIOMARA": 40}, "last": {"GARCIA": 90_000, "QUINTANILLA": 300},
              "dob": {"20130517": 1_500}}
    common = common_passes(passes, NameForms.of("SOFIA", "", "GARCIA"), counts, 10_000_000, "20130517")
    rare = common_passes(passes, NameForms.of("XIOMARA", "", "QUINTANILLA"), counts, 10_000_000, "20130517")
    assert common == {"digit_first", "digit_last"}
    assert rare == set()


def test_a_start_range_lets_in_exactly_the_sounds_substr_of_the_start_would():
    """The index range `first_key >= start AND < start_bound(start)` is `substr(first_key, 1, 2) = start`."""
    keys = ["0", "0M", "0MS", "M", "MR", "MRK", "MRS", "MS", "MSN", "N", "JN", "J", "JNS", "A", "AM"]
    conn = sqlite3.connect(":memory:")
    conn.execute("CREATE TABLE t (k TEXT)")
    conn.executemany("INSERT INTO t VALUES (?)", [(k,) for k in keys])
    for start in ("0", "0M", "M", "MR", "J", "JN", "A", "Z"):
        by_range = {r[0] for r in conn.execute("SELECT k FROM t WHERE k >= ? AND k < ?", (start, start_bound(start)))}
        by_substr = {r[0] for r in conn.execute("SELECT k FROM t WHERE substr(k, 1, 2) = ?", (start,))}
        assert by_range == by_substr, start


def test_the_union_keeps_the_same_records_whatever_order_sqlite_yields_the_passes_rows_in():
    """best_rows reads SQLite's pass-by-pass order when it holds and sorts when it does not: same result."""
    rng = random.Random(7)
    for _ in range(200):
        rows = sorted({(rng.randint(1, 40), f"S{rng.randint(1, 30)}", rng.randint(0, 20), rng.randint(0, 5))
                       for _ in range(rng.randint(0, 80))}, key=lambda r: (r[-1], -r[-2], r[0]))
        # one record has one SSID and one agreement in every pass, as the SQL computes it from the record alone
        agree = {r[0]: r[2] for r in rows}
        rows = sorted({(rid, f"S{rid % 30}", agree[rid], p) for rid, _s, _a, p in rows},
                      key=lambda r: (r[-1], -r[-2], r[0]))
        shuffled = list(rows)
        rng.shuffle(shuffled)
        for kept, cap in ((5, 60), (2, 10), (0, 8)):
            chosen = best_rows(rows, kept, cap)
            assert chosen == best_rows(shuffled, kept, cap)
            assert len(chosen) == min(cap, len(agree))
            assert [agree[r[0]] for r in chosen] == sorted((agree[r[0]] for r in chosen), reverse=True)
            # every pass's best `kept` records are in, while the cap allows
            firsts = {r[0] for p in {r[-1] for r in rows} for r in [x for x in rows if x[-1] == p][:kept]}
            if len(firsts) <= cap:
                assert firsts <= {r[0] for r in chosen}
