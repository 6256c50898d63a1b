"""The development-data converter and the accuracy measures of bench/ (no extra packages needed)."""

from __future__ import annotations

import csv
import datetime as dt
import importlib
import sys
from pathlib import Path

import pytest

from ssid_tui.matching.registry import load_extract
from ssid_tui.synthetic.generator import generate
from ssid_tui.workspace.match_run import match_file

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "bench"))
dev_data = importlib.import_module("dev_data")
bench_accuracy = importlib.import_module("bench_accuracy")


def test_a_converted_set_loads_validates_matches_and_holds_new_students_out(tmp_path):
    P = dev_data.Person.of
    registry = {f"e{i}": [P(f"name{i}", "", f"surname{i}", f"2014{1 + i % 12:02d}1{i % 10}", "F")] for i in range(40)}
    registry["e0"].append(P("o'brien-smith ", "", "ann marie!", "20140110", "F"))  # a second name record
    registry["bad"] = [P("", "", "nofirst", "20140101", "F")]  # no first name: cannot be in an extract
    upload = [(f"e{i}", P(f"name{i}", "", f"surname{i}", f"2014{1 + i % 12:02d}1{i % 10}", "F")) for i in range(20)]
    upload.append(("e21", P("x" * 40, "", "y", dev_data._date("notadate"), "F")))  # no birth date: dropped
    info = dev_data.write_set(tmp_path, registry, upload, new_share=0.1, seed=1, label="t", info={})
    assert (info["upload"], info["upload_new"], info["dropped_upload_records"]) == (20, 2, 1)
    assert info["dropped_registry_records"] == 1 and info["registry_ssids"] == 38
    with open(tmp_path / "truth.csv", newline="", encoding="utf-8") as fh:
        truth = {r["local_id"]: r["true_ssid"] for r in csv.DictReader(fh)}
    load_extract(tmp_path / "ods_extract.txt", tmp_path / "reg.sqlite")  # every line is a valid extract line
    summary = match_file(tmp_path / "senr_upload.txt", tmp_path / "reg.sqlite", tmp_path / "ws.sqlite",
                         today=dt.date(2026, 11, 30))  # raises if our validation refused a record
    assert summary.students == 20 and sum(1 for t in truth.values() if not t) == 2


def test_names_are_cleaned_as_an_sis_export_would():
    assert dev_data._clean_name("o'brien;  smith ", "last") == "O'BRIEN SMITH"
    assert dev_data._clean_name(float("nan"), "first") == ""
    assert len(dev_data._clean_name("a" * 40, "first")) == 30
    assert dev_data._date("10221985", "%m%d%Y") == "19851022" and dev_data._date("19990231") == ""


def test_measures_count_wrong_tops_new_students_and_bands():
    truth = {"a": "1", "b": "2", "c": "3", "d": ""}  # d is new to the state
    cands = {"a": [("1", 95)], "b": [("9", 60), ("2", 40)], "d": [("5", 30)]}
    e = bench_accuracy.evaluate(truth, cands)
    assert e["recall"] == pytest.approx(2 / 3)
    p, r, _f1 = e["top1"]
    assert (p, r) == (pytest.approx(1 / 3), pytest.approx(1 / 3))  # a right; b wrong top; d a false match
    assert e["single_prec"] == pytest.approx(1 / 2) and e["singles"] == 2
    assert e["prec90"] == 1.0 and e["new_any"] == 1.0 and e["over_100"] == 0
    assert (e["bands"][2][2], e["bands"][2][3]) == (2, 1)  # 30-49: b's right one and d's wrong one
    assert e["best_t"] == 61  # from 61 only a is predicted: precision 1, recall 1/3


def test_bands_within_five_points_count_only_bands_with_enough_candidates():
    bands = [(10, 30, 40, 8), (30, 50, 40, 39), (90, 95, 25, 24), (99, 101, 5, 0)]  # 20%, 97.5%, 96%, too few
    assert bench_accuracy.bands_within(bands) == (2, 3)


def test_scoring_again_at_one_half_gives_the_stored_scores(tmp_path):
    bench_calibration = importlib.import_module("bench_calibration")
    files = generate(tmp_path / "gen", registry_size=3000, upload_size=300, seed=4)
    load_extract(files.registry, tmp_path / "registry.sqlite")
    match_file(files.senr, tmp_path / "registry.sqlite", tmp_path / "workspace.sqlite")
    cands, size, _learned = bench_calibration.stored_candidates(tmp_path)
    pairs = [(c["score"], new) for cs in cands.values()
             for c, (_ssid, new) in zip(cs, bench_calibration.rescored(cs, size, 0.5), strict=True)]
    assert len(pairs) > 20 and any(0 < s < 90 for s, _n in pairs)
    assert all(abs(s - n) <= 1 for s, n in pairs)  # the explanation's weights are rounded to 0.01 bit
    higher = [n for cs in cands.values() for _ssid, n in bench_calibration.rescored(cs, size, 0.9)]
    assert sum(higher) > sum(s for s, _n in pairs)


def test_the_learned_in_registry_share_is_printed_beside_the_truth(capsys):
    learned = {"pairs": 10, "students": 8, "iterations": 3, "in_registry": 0.953, "u_source": "sample",
               "levels": {"first": {"different": {"u": 0.99, "m_prior": 0.001, "m": 0.006, "shift": 2.6,
                                                  "weight": -7.4}}}}
    bench_accuracy.print_learned(learned, 0.92)
    out = capsys.readouterr().out
    assert "in registry 0.953 (truth 0.920);" in out
    assert "-10.00->-7.40" in out
