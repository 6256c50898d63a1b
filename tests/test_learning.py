"""Weights learned from the data: u sampled at `ods load`, m by EM held to the priors, CDE's ranking kept."""

from __future__ import annotations

import itertools
import math
import sqlite3
from collections import Counter
from pathlib import Path

import pytest
from typer.testing import CliRunner

import ssid_tui.cli  # noqa: F401  (registers the commands)
from ssid_tui.cli.app import app
from ssid_tui.matching import learning
from ssid_tui.matching.learning import learn, prior_m, prior_weight, rising
from ssid_tui.matching.model import FIELDS, RANKING
from ssid_tui.matching.registry import open_registry
from ssid_tui.matching.u_sample import read_u, sample_u
from ssid_tui.workspace.store import open_workspace
from tests.support.registries import sample_registry

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures"
runner = CliRunner()

# The levels the synthetic pairs use, by field; the other fields are blank (no evidence).
USED = {"first": ("exact", "close spelling", "different"), "last": ("exact", "close spelling", "different"),
        "birth_date": ("exact", "one digit (day)", "different"), "gender": ("exact", "different")}
U_TRUE = {"first": {"exact": 0.01, "close spelling": 0.01, "different": 0.98},
          "last": {"exact": 0.01, "close spelling": 0.005, "different": 0.985},
          "birth_date": {"exact": 0.001, "one digit (day)": 0.004, "different": 0.995},
          "gender": {"exact": 0.5, "different": 0.5}}


def _u_table() -> learning.Table:
    return learning._u_floor({f: dict(U_TRUE.get(f, {})) for f in FIELDS}, 10**6)


def _true_m(m0: learning.Table) -> learning.Table:
    """A known m unlike the prior (that keeps CDE's ranking): first names differ 20 times as often."""
    raw = {"first": {"exact": 0.88, "close spelling": 0.10, "different": 0.02},
           "last": {"exact": 0.89, "close spelling": 0.08, "different": 0.03},
           "birth_date": {"exact": 0.95, "one digit (day)": 0.03, "different": 0.02},
           "gender": {"exact": 0.97, "different": 0.03}}
    return {f: raw.get(f, {}) for f in m0}


def _pairs(m: learning.Table, u: learning.Table, n: int, share: float) -> Counter[tuple[str, ...]]:
    """Expected level-pattern counts of n pairs, `share` of them true matches, fields independent."""
    out: Counter[tuple[str, ...]] = Counter()
    for combo in itertools.product(*(USED[f] for f in USED)):
        levels = dict(zip(USED, combo))
        pm, pu = share, 1 - share
        for f, lv in levels.items():
            pm *= m[f][lv]
            pu *= U_TRUE[f][lv]
        pattern = tuple(levels.get(f, "missing") for f in FIELDS)
        out[pattern] = round(n * (pm + pu))
    return out


def _alone(pairs: Counter[tuple[str, ...]]) -> list[list[tuple[str, ...]]]:
    """Each pair as a student of its own (with a registry of size 1: the two-class mixture of pairs)."""
    return [[p] for p in pairs.elements()]


def _pattern(**levels: str) -> tuple[str, ...]:
    return tuple(levels.get(f, "missing") for f in FIELDS)


def test_a_twin_beside_the_students_own_record_is_no_match_but_the_same_pattern_alone_is():
    own = _pattern(first="exact", last="exact", birth_date="exact", gender="exact")
    twin = _pattern(first="different", last="exact", birth_date="exact", gender="exact")
    plain = [[own]] * 1500
    beside = learn(plain + [[own, twin]] * 300, 1800, (U_TRUE, 10**6), size=100_000)
    alone = learn(plain + [[twin]] * 300, 1800, (U_TRUE, 10**6), size=100_000)
    assert beside.shift["first"]["different"] < 0.3
    assert alone.shift["first"]["different"] > 1.5
    # the share of students in the registry is learned with m: every student here has a likely record
    assert beside.record["in_registry"] > 0.9


def test_a_source_that_replaces_first_names_learns_a_different_first_name_over_3_bits_lighter():
    # FEBRL-like: 1 student in 20 has its own record alone with the first name replaced, a few a surname
    # replaced; unbounded, EM learns the different first name 4.5-5.5 bits lighter on FEBRL (3 before)
    own = _pattern(first="exact", last="exact", birth_date="exact", gender="exact")
    replaced = _pattern(first="different", last="exact", birth_date="exact", gender="exact")
    married = _pattern(first="exact", last="different", birth_date="exact", gender="exact")
    got = learn([[own]] * 1800 + [[replaced]] * 100 + [[married]] * 60, 1960, (U_TRUE, 10**6), size=2000)
    assert got.shift["first"]["different"] > 3.5
    assert got.record["levels"]["first"]["different"]["weight"] < got.record["levels"]["last"]["different"]["weight"]


def test_em_recovers_a_known_m_from_synthetic_pairs():
    u = _u_table()
    m0 = prior_m(u)
    truth = _true_m(m0)
    pairs = _pairs(truth, u, 2_000_000, share=0.3)
    for chain in RANKING:  # the truth itself keeps the ranking, so holding to it does not bend it
        weights = [prior_weight(f, lv) + math.log2(truth[f][lv] / m0[f][lv]) for f, lv in chain if lv in truth[f]]
        assert weights == sorted(weights)
    em = learning.estimate(Counter({(p,): n for p, n in pairs.items()}), m0, u, strength=1.0, share=0.1,
                           max_shift=10.0)
    for f, levels in truth.items():
        for lv, value in levels.items():
            assert em.m[f][lv] == pytest.approx(value, abs=0.03), (f, lv)
    assert em.match_share == pytest.approx(0.3, abs=0.02)


def test_a_tiny_upload_keeps_the_priors_and_a_large_one_learns_its_noise():
    u = _u_table()
    truth = _true_m(prior_m(u))
    small = _pairs(truth, u, 60, share=0.8)      # about 50 students' candidates
    large = _pairs(truth, u, 24_000, share=0.8)  # about 20,000 students'
    kept = learn(_alone(small), 50, (U_TRUE, 10**6))
    moved = learn(_alone(large), 20_000, (U_TRUE, 10**6))
    assert max(abs(s) for f in USED for s in kept.shift[f].values()) < 1.0
    assert max(abs(s) for s in kept.shift["last"].values()) < 0.3
    # surnames differ about twice as often as the prior said: the large upload learns it, the tiny one hardly
    assert moved.shift["last"]["different"] > 0.6 and abs(kept.shift["last"]["different"]) < 0.1
    assert moved.shift["birth_date"]["one digit (day)"] < -0.4 < kept.shift["birth_date"]["one digit (day)"]
    # a wholly different birth date ten times as common as the prior says: the table lets that level move
    # further than MAX_SHIFT (a relative's or a mistyped date), so the large upload learns most of it
    assert moved.shift["birth_date"]["different"] > learning.MAX_SHIFT + 1.5
    assert kept.shift["birth_date"]["different"] < learning.MAX_SHIFT
    # first names differ 20 times as often: m learns it, within the 4 bits the model table allows (twins)
    first = moved.record["levels"]["first"]["different"]
    assert first["m"] > 1.5 * first["m_prior"]
    assert 1.0 < moved.shift["first"]["different"] <= 4.0
    assert first["weight"] == -10.0 + moved.shift["first"]["different"]
    assert moved.record["pairs"] == sum(large.values()) and moved.record["students"] == 20_000


def test_learned_weights_keep_cdes_ranking():
    u = _u_table()
    # true matches whose first name differs far more often than their surname: left alone, the
    # learned first-name weight would rise above the surname's
    raw = _true_m(prior_m(u))
    raw["first"] = {"exact": 0.6, "close spelling": 0.1, "different": 0.3}
    raw["last"] = {"exact": 0.99, "close spelling": 0.009, "different": 0.001}
    pairs = _pairs(raw, u, 200_000, share=0.5)
    got = learn(_alone(pairs), 100_000, (U_TRUE, 10**6))
    for chain in RANKING:
        weights = [prior_weight(f, lv) + got.shift[f][lv] for f, lv in chain]
        assert all(b - a >= learning.RANK_MARGIN - 1e-9 for a, b in itertools.pairwise(weights)), (chain, weights)
    stored = got.record["levels"]
    assert stored["first"]["different"]["weight"] < stored["last"]["different"]["weight"]


def test_rising_pools_adjacent_violators():
    assert rising([1.0, 2.0, 3.0], 0.5) == [1.0, 2.0, 3.0]
    low, high = rising([3.0, 1.0], 0.5)
    assert high - low == pytest.approx(0.5) and (low + high) / 2 == pytest.approx(2.0)


@pytest.fixture()
def registry(tmp_path: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The sample registry as `ods load` wrote it (loaded once per run, copied here)."""
    return sample_registry(tmp_path_factory, tmp_path / "reg.sqlite")


def test_ods_load_writes_the_u_table_and_the_matcher_reads_it_back(registry):
    with open_registry(registry) as reg:
        got = read_u(reg.conn)
    assert got is not None
    shares, pairs = got
    assert pairs == 350 * 349 // 2
    assert set(shares) == set(FIELDS)
    for f in FIELDS:
        assert sum(shares[f].values()) == pytest.approx(1.0)
    # random pairs of students mostly differ in name and birth date
    assert shares["first"]["different"] > 0.8 and shares["birth_date"]["different"] > 0.5
    assert 0.3 < shares["gender"]["exact"] < 0.7


def test_the_u_compared_while_the_indexes_are_built_is_the_u_of_the_finished_registry(registry):
    """The load draws its sample before the indexes exist and compares it in a thread: the stored
    table must be exactly what sampling the finished registry gives."""
    with open_registry(registry) as reg:
        stored = read_u(reg.conn)
        again = sample_u(reg.conn)
    assert stored is not None
    assert stored[1] == again[1]
    for f in FIELDS:
        assert stored[0][f] == pytest.approx(again[0][f], abs=1e-12)


def _match(tmp_path: Path, registry: Path) -> Path:
    ws = tmp_path / "w.sqlite"
    result = runner.invoke(app, ["match", str(FIXTURES / "senr_clean.txt"), "--ods", str(registry),
                                 "--workspace", str(ws)])
    assert result.exit_code == 0, result.output
    return ws


def _weights_text(ws: Path) -> str:
    result = runner.invoke(app, ["status", str(ws), "--weights"], env={"COLUMNS": "200"})
    assert result.exit_code == 0, result.output
    return " ".join(result.output.split())


def test_a_run_stores_what_it_learned_and_status_shows_prior_next_to_learned(tmp_path, registry):
    ws = _match(tmp_path, registry)
    with open_workspace(ws, readonly=True) as w:
        learned = w.latest_run()["settings"]["weights"]["learned"]
    assert learned["students"] == 40 and learned["pairs"] > 0
    assert learned["u_source"] == "registry sample of 61,075 random pairs"
    diff = learned["levels"]["first"]["different"]
    assert diff["u"] > 0.8 and 0 < diff["m_prior"] < 0.05 and diff["weight"] is not None
    text = _weights_text(ws)
    assert "Learned from" in text and "40 students" in text and "m learned" in text and "w learned" in text
    assert f"{diff['m']:.4f}" in text and f"{diff['weight']:+.2f}" in text


def test_a_registry_loaded_before_u_sampling_matches_with_the_priors(tmp_path, registry):
    conn = sqlite3.connect(registry)
    conn.execute("DROP TABLE u_level")
    conn.execute("DELETE FROM meta WHERE key = 'u_pairs'")
    conn.commit()
    conn.close()
    ws = _match(tmp_path, registry)
    with open_workspace(ws, readonly=True) as w:
        learned = w.latest_run()["settings"]["weights"]["learned"]
    assert "levels" not in learned and "loaded before" in learned["u_source"]
    text = _weights_text(ws)
    assert "Learned: nothing" in text and "hand-set priors were used" in text
    assert "-10.00" in text  # the prior weight of a different first name, unchanged


def test_status_weights_fits_an_80_column_terminal(tmp_path, registry):
    ws = _match(tmp_path, registry)
    result = runner.invoke(app, ["status", str(ws), "--weights"], env={"COLUMNS": "80"})
    assert result.exit_code == 0, result.output
    assert "m learned" in result.output
    assert max(len(line) for line in result.output.splitlines()) <= 80


def test_the_weights_table_shows_what_the_run_scored_with_not_the_hand_set_prior(tmp_path, registry):
    ws = _match(tmp_path, registry)
    with open_workspace(ws, readonly=True) as w:
        learned = w.latest_run()["settings"]["weights"]["learned"]["levels"]
    moved = [(f, lv, v) for f, levels in learned.items() for lv, v in levels.items()
             if isinstance(v.get("weight"), (int, float)) and abs(v["shift"]) >= 0.01]
    assert moved, "a 40-student run moves some weight off its prior"
    result = runner.invoke(app, ["status", str(ws), "--weights"], env={"COLUMNS": "200"})
    used = result.output.split("Learned from")[0]
    assert "(learned; the priors below)" in used
    for _field, _level, v in moved:
        assert f"{v['weight']:+.2f}" in used  # before, this table showed the hand-set weight
