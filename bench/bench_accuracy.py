"""Accuracy on development data, ours next to a Splink model on the same files in the same run.

    pip install -e '.[bench]'
    python bench/dev_data.py                        # FEBRL 1-3 and pseudopeople sets, once
    python bench/bench_accuracy.py                  # every set in bench/out/dev/ + our generator
    python bench/bench_accuracy.py --sets febrl3,wic5x --gen 0 --runs 3

Ours runs what the commands run: `load_extract` (= `ssid-tui ods load`) and `match_file`
(= `ssid-tui match`, validation included), then reads the candidates from the workspace.
The peer is Splink (DuckDB backend) with its comparison library's defaults, as its
tutorials set a person model up: NameComparison with term frequencies on first and last
name, DateOfBirthComparison, ExactMatch on gender and middle name; u by random sampling,
the prior from a deterministic rule, m by EM on two blocking rules; predictions from the
blocking rules first+last, birth date, last+birth year, first+birth year. Splink's scores
are its match probabilities in percent; each upload record's candidates are its pairs
scoring 10+, like ours (`--min-score` 10). Splink's top-1 F1 is also given at its best
threshold with hindsight.

Each side runs in a fresh subprocess, so its peak RSS is its own. Times on a shared
machine are inflated: compare the two columns of one run, not runs on different days.
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import json
import math
import resource
import statistics
import subprocess
import sys
import time
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

DEV = ROOT / "bench" / "out" / "dev"
GEN = ROOT / "bench" / "out" / "gen"
MIN_SCORE = 10
BANDS = ((0, 10), (10, 30), (30, 50), (50, 70), (70, 90), (90, 95), (95, 99), (99, 101))


def _rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


# -- the two systems, each in its own process ------------------------------------------

def step_ours(folder: str, work: str) -> dict:
    """`ods load` then `match` into a fresh workspace; candidates as the workspace holds them."""
    import sqlite3

    from ssid_tui.matching.registry import load_extract
    from ssid_tui.workspace.match_run import match_file

    folder_p, work_p = Path(folder), Path(work)
    work_p.mkdir(parents=True, exist_ok=True)
    reg, ws = work_p / "registry.sqlite", work_p / "workspace.sqlite"
    for p in (reg, ws, Path(f"{ws}-wal"), Path(f"{ws}-shm")):
        p.unlink(missing_ok=True)
    t0 = time.perf_counter()
    load_extract(folder_p / "ods_extract.txt", reg)
    t1, c1 = time.perf_counter(), time.process_time()
    # The development sets hold birth dates up to 2041 (pseudopeople's simulation runs on).
    match_file(folder_p / "senr_upload.txt", reg, ws, today=dt.date(2099, 12, 31))
    t2, c2 = time.perf_counter(), time.process_time()
    conn = sqlite3.connect(ws)
    cands: dict[str, list] = defaultdict(list)
    for lid, ssid, score in conn.execute(
        "SELECT s.local_id, c.ssid, c.score FROM candidate c JOIN student s ON s.id = c.student_id "
        "ORDER BY s.id, c.rank"
    ):
        cands[lid].append((ssid, score))
    weights = _stored_weights(conn)
    conn.close()
    return {"load_s": t1 - t0, "match_s": t2 - t1, "match_cpu_s": c2 - c1, "seconds": t2 - t0, "rss_mb": _rss_mb(), "candidates": cands,
            "weights": weights}


def _spread(counts: list[int]) -> dict[str, float]:
    """Median, p95, p99 and max of a list of per-student counts."""
    xs = sorted(counts) or [0]

    def q(f: float) -> float:
        return float(xs[min(len(xs) - 1, int(f * len(xs)))])

    return {"mean": statistics.fmean(xs), "median": statistics.median(xs), "p95": q(0.95), "p99": q(0.99),
            "max": float(xs[-1])}


def step_passes(folder: str, work: str, debug: str = "") -> dict:
    """Each blocking pass alone and all together: SSIDs per student, recall, true matches only it finds.

    With `debug` set, the students whose true SSID no pass finds are printed to stderr with
    both records (development data only: never paste these into a commit).
    """
    from ssid_tui.formats.senr import iter_records, open_senr
    from ssid_tui.matching.matcher import Matcher, Submitted
    from ssid_tui.matching.model import BLOCKING_PASSES
    from ssid_tui.matching.registry import open_registry
    from ssid_tui.workspace.match_run import senr_values

    truth = read_truth(Path(folder))
    subs = [(rec.get("local_id"), Submitted.from_fields(senr_values(rec)))
            for rec in iter_records(open_senr(Path(folder) / "senr_upload.txt"))]
    every = BLOCKING_PASSES
    found: dict[str, dict[str, set[str]]] = {}
    spread: dict[str, dict[str, float]] = {}
    with open_registry(Path(work) / "registry.sqlite") as reg:
        m = Matcher(reg)
        for p in every:
            found[p.name] = {lid: {r[1] for r in m._blocked_rows(sub, sub.name_variants(), (p,))} for lid, sub in subs}
        t0, c0 = time.perf_counter(), time.process_time()
        union = {lid: {r[1] for r in m._blocked_rows(sub, sub.name_variants())} for lid, sub in subs}
        seconds, cpu = time.perf_counter() - t0, time.process_time() - c0
        for name, hits in (*found.items(), ("all passes", union)):
            spread[name] = _spread([len(h) for h in hits.values()])
        existing = [lid for lid, _sub in subs if truth.get(lid)]
        missed = [lid for lid in existing if truth[lid] not in union[lid]]
        if debug:
            _print_misses(reg, dict(subs), truth, missed, Path(folder))
    only = {p.name: 0 for p in every}
    for lid in existing:
        which = [n for n in found if truth[lid] in found[n][lid]]
        if len(which) == 1:
            only[which[0]] += 1
    return {"spread": spread, "only": only, "recall": 1 - len(missed) / max(len(existing), 1),
            "missed": len(missed), "seconds": seconds, "cpu_ms": 1000 * cpu / max(len(subs), 1)}


def _print_misses(reg, subs: dict, truth: dict[str, str], missed: list[str], folder: Path) -> None:
    """Debug: each missed student beside its true registry records (stderr, development data only)."""
    variation = {}
    with open(folder / "truth.csv", newline="", encoding="utf-8") as fh:
        variation = {r["local_id"]: r["variation"] for r in csv.DictReader(fh)}
    for lid in missed:
        s = subs[lid]
        rows = reg.conn.execute("SELECT kind, first, middle, last, birth_date FROM name WHERE ssid = ?",
                                (truth[lid],)).fetchall()
        gender = reg.conn.execute("SELECT gender FROM ssid WHERE ssid = ?", (truth[lid],)).fetchone()
        print(f"MISS {variation.get(lid, '')}: {s.first!r} {s.middle!r} {s.last!r} {s.birth_date} {s.gender} | "
              + " ; ".join(f"{k} {f!r} {mi!r} {la!r} {bd}" for k, f, mi, la, bd in rows)
              + f" {gender[0] if gender else ''}", file=sys.stderr)


def _stored_weights(conn) -> dict | None:
    """The weights the run stored, where the workspace keeps them (newer versions)."""
    row = conn.execute("SELECT settings FROM run ORDER BY id DESC LIMIT 1").fetchone()
    return json.loads(row[0]).get("weights") if row and row[0] else None


def _read_ods(path: Path):
    import pandas as pd

    rows = []
    with open(path, encoding="utf-8") as fh:
        for i, line in enumerate(fh):
            c = line.rstrip("\n").split("^")
            rows.append({"unique_id": f"r{i}", "ssid": c[0], "first_name": c[2] or None, "middle_name": c[3] or None,
                         "surname": c[4] or None, "dob": c[9] or None, "gender": c[10] or None})
    return pd.DataFrame(rows)


def _read_senr(path: Path):
    import pandas as pd

    rows = []
    with open(path, encoding="utf-8") as fh:
        for line in fh:
            c = line.rstrip("\r\n").split("^")
            rows.append({"unique_id": f"u{c[8]}", "ssid": None, "first_name": c[9] or None, "middle_name": c[10] or None,
                         "surname": c[11] or None, "dob": c[16] or None, "gender": c[17] or None})
    return pd.DataFrame(rows)


def step_splink(folder: str) -> dict:
    """A Splink 5 model with its library's documented defaults, trained and run on the same files."""
    import logging

    import splink.comparison_library as cl
    from splink import DuckDBAPI, Linker, SettingsCreator, block_on

    logging.getLogger("splink").setLevel(logging.ERROR)
    folder_p = Path(folder)
    t0 = time.perf_counter()
    reg, up = _read_ods(folder_p / "ods_extract.txt"), _read_senr(folder_p / "senr_upload.txt")
    ssid_of = dict(zip(reg["unique_id"], reg["ssid"]))
    db = DuckDBAPI()
    settings = SettingsCreator(
        link_type="link_only",
        comparisons=[
            cl.NameComparison("first_name").configure(term_frequency_adjustments=True),
            cl.NameComparison("surname").configure(term_frequency_adjustments=True),
            cl.DateOfBirthComparison("dob", input_is_string=True, datetime_format="%Y%m%d",
                                     invalid_dates_as_null=True),
            cl.ExactMatch("middle_name"),
            cl.ExactMatch("gender"),
        ],
        blocking_rules_to_generate_predictions=[
            block_on("first_name", "surname"),
            block_on("dob"),
            block_on("surname", "substr(dob, 1, 4)"),
            block_on("first_name", "substr(dob, 1, 4)"),
        ],
        retain_intermediate_calculation_columns=False,
    )
    linker = Linker([db.register(reg.drop(columns=["ssid"])), db.register(up.drop(columns=["ssid"]))], settings,
                    log_level=logging.ERROR)
    linker.training.estimate_probability_two_random_records_match(
        [block_on("first_name", "surname", "dob")], recall=0.7)
    linker.training.estimate_u_using_random_sampling(max_pairs=1e6, seed=1)
    linker.training.estimate_parameters_using_expectation_maximisation(block_on("first_name", "surname"))
    linker.training.estimate_parameters_using_expectation_maximisation(block_on("dob"))
    pred = linker.inference.predict(threshold_match_probability=MIN_SCORE / 100).as_pandas_dataframe()
    best: dict[str, dict[str, float]] = defaultdict(dict)
    for uid_l, uid_r, p in zip(pred["unique_id_l"], pred["unique_id_r"], pred["match_probability"]):
        r, u = (uid_l, uid_r) if uid_l.startswith("r") else (uid_r, uid_l)
        ssid, lid = ssid_of[r], u[1:]
        best[lid][ssid] = max(best[lid].get(ssid, 0.0), p)
    cands = {lid: sorted(((s, round(100 * p)) for s, p in d.items()), key=lambda t: -t[1])
             for lid, d in best.items()}
    return {"seconds": time.perf_counter() - t0, "rss_mb": _rss_mb(), "candidates": cands}


def run_step(name: str, *args: str) -> dict:
    """Run a step in a fresh Python process and return its JSON result."""
    out = subprocess.run([sys.executable, __file__, "--step", name, *args], capture_output=True, text=True)
    if out.stderr and not out.returncode and "debug" in args:
        sys.stderr.write(out.stderr)
    if out.returncode:
        raise SystemExit(f"step {name} {' '.join(args)} failed:\n{out.stderr[-3000:]}")
    return json.loads(out.stdout.strip().splitlines()[-1])


# -- measures ---------------------------------------------------------------------------

def read_truth(folder: Path) -> dict[str, str]:
    with open(folder / "truth.csv", newline="", encoding="utf-8") as fh:
        return {r["local_id"]: r["true_ssid"] for r in csv.DictReader(fh)}


def _f1(p: float, r: float) -> float:
    return 2 * p * r / (p + r) if p + r else 0.0


def top1(truth: dict[str, str], cands: dict[str, list], threshold: int) -> tuple[float, float, float]:
    """Precision, recall, F1 of "the top candidate scoring `threshold`+ is the student's SSID"."""
    predicted = right = existing = 0
    for lid, true in truth.items():
        c = [x for x in cands.get(lid, []) if x[1] >= threshold]
        existing += bool(true)
        if c:
            predicted += 1
            right += c[0][0] == true
    p, r = (right / predicted if predicted else 0.0), (right / existing if existing else 0.0)
    return p, r, _f1(p, r)


def evaluate(truth: dict[str, str], cands: dict[str, list]) -> dict:
    """Every figure the benchmark prints for one system on one set."""
    ex = [lid for lid, t in truth.items() if t]
    new = [lid for lid, t in truth.items() if not t]
    # every candidate a system lists: ours keeps a candidate on its own evidence (10+ alone)
    # and may score it under 10 when another candidate takes most of the student's probability
    shown = {lid: list(cands.get(lid, [])) for lid in truth}
    recall = sum(truth[lid] in [s for s, _ in shown[lid]] for lid in ex) / max(len(ex), 1)
    singles = [lid for lid in truth if len(shown[lid]) == 1]
    single_right = sum(shown[lid][0][0] == truth[lid] for lid in singles)
    c90 = [(lid, s) for lid in truth for s, sc in shown[lid] if sc >= 90]
    bands = []
    for lo, hi in BANDS:
        inb = [(lid, s) for lid in truth for s, sc in shown[lid] if lo <= sc < hi]
        bands.append((lo, hi, len(inb), sum(truth[lid] == s for lid, s in inb)))
    best_t = max(range(0, 100), key=lambda t: top1(truth, cands, t)[2])
    over_100 = sum(sum(sc for _, sc in shown[lid]) > 100 for lid in truth)
    return {
        "n": len(truth), "existing": len(ex), "new": len(new), "recall": recall,
        "top1": top1(truth, cands, 0), "best_t": best_t, "top1_best": top1(truth, cands, best_t),
        "single_prec": single_right / len(singles) if singles else float("nan"), "singles": len(singles),
        "prec90": sum(truth[lid] == s for lid, s in c90) / len(c90) if c90 else float("nan"), "n90": len(c90),
        "new_any": sum(bool(shown[lid]) for lid in new) / max(len(new), 1), "bands": bands, "over_100": over_100,
    }


def _pct(x: float) -> str:
    return "    -" if math.isnan(x) else f"{100 * x:6.2f}"


def bands_within(bands: list, slack: int = 5, least: int = 20) -> tuple[int, int]:
    """(bands whose share right is within `slack` points of the band, bands with `least`+ candidates).

    The target: every score band's observed precision within 5 points of the band (90-94 right
    85-99% of the time). Bands with fewer candidates say too little to count.
    """
    counted = [(lo, hi, n, right) for lo, hi, n, right in bands if n >= least]
    ok = sum(lo - slack <= 100 * right / n <= min(hi, 100) - 1 + slack for lo, hi, n, right in counted)
    return ok, len(counted)


def print_calibration(columns: list[tuple[str, dict | None]]) -> None:
    """The calibration table, one column per system (or variant), and how many bands meet the target."""
    print("calibration: score band -> share right (candidates)")
    for i, (lo, hi, _n, _r) in enumerate(columns[0][1]["bands"] if columns[0][1] else []):
        band = f"{lo}-{min(hi, 100) - (hi <= 100)}" if hi <= 100 else f"{lo}-100"
        cells = []
        for label, e in columns:
            n, right = (e["bands"][i][2], e["bands"][i][3]) if e else (0, 0)
            cells.append(f"{label} {_pct(right / n) if n else '    -'}% ({n:>5})")
        print(f"  {band:>8}  " + "   ".join(cells))
    within = [(label, bands_within(e["bands"]) if e else None) for label, e in columns]
    print("  bands within 5 points (of those with 20+ candidates): " + ", ".join(
        f"{label} {f'{w[0]} of {w[1]}' if w else '-'}" for label, w in within))


def print_set(name: str, info: dict, ours: dict, peer: dict | None, times: dict) -> None:
    ssids = info.get("registry_ssids")
    print(f"\n== {name}: registry {f'{ssids:,}' if ssids else '?'} SSIDs, upload {ours['n']:,} "
          f"({ours['new']} new) ==")
    rows = [
        ("candidate recall %", lambda e: _pct(e["recall"])),
        ("top-1 precision %", lambda e: _pct(e["top1"][0])),
        ("top-1 recall %", lambda e: _pct(e["top1"][1])),
        ("top-1 F1", lambda e: f"{e['top1'][2]:.4f}"),
        ("top-1 F1 at best threshold", lambda e: f"{e['top1_best'][2]:.4f} (t={e['best_t']})"),
        ("Single Match precision %", lambda e: f"{_pct(e['single_prec'])} of {e['singles']}"),
        ("90+ candidates right %", lambda e: f"{_pct(e['prec90'])} of {e['n90']}"),
        ("new students with a candidate %", lambda e: _pct(e["new_any"])),
        ("students whose scores sum > 100", lambda e: str(e["over_100"])),
    ]
    print(f"{'':34}{'ours':>22}{'Splink':>22}")
    for label, fn in rows:
        print(f"{label:34}{fn(ours):>22}{fn(peer) if peer else '-':>22}")
    t = times
    print(f"{'time s (median)':34}{t['ours_s']:>22.1f}{t.get('peer_s', float('nan')):>22.1f}")
    print(f"{'peak RSS MB':34}{t['ours_rss']:>22.0f}{t.get('peer_rss', float('nan')):>22.0f}")
    print_calibration([("ours", ours), ("Splink", peer)])


def print_passes(ps: dict) -> None:
    """SSIDs per student of each blocking pass alone and of their union, and what only each pass finds."""
    print(f"blocking: true SSID among the blocked candidates {_pct(ps['recall'])}% ({ps['missed']} missed), "
          f"{ps['seconds']:.1f} s for the union ({ps.get('cpu_ms', float('nan')):.2f} ms CPU a student)")
    print("  SSIDs per student of each pass alone (its pairs) and of the union:")
    print(f"  {'pass':18}{'mean':>7}{'median':>7}{'p95':>6}{'p99':>6}{'max':>6}   true matches only it finds")
    for name, sp in ps["spread"].items():
        print(f"  {name:18}{sp.get('mean', float('nan')):>7.2f}{sp['median']:>7.0f}{sp['p95']:>6.0f}{sp['p99']:>6.0f}"
              f"{sp['max']:>6.0f}   {ps['only'].get(name, '')}")


def print_learned(learned: dict | None, truth_share: float | None = None) -> None:
    """The learned m and the registry's u per field level, as the run stored them (levels seen in the data).

    `truth_share` is the upload's true share of students in the registry, printed beside the learned one.
    """
    if not learned or not learned.get("levels"):
        print("learned m/u: none" + (f" ({learned.get('u_source')})" if learned else ""))
        return
    print(f"learned m/u: EM over {learned['pairs']:,} candidate pairs of {learned['students']:,} students, "
          f"{learned['iterations']} steps, in registry {learned.get('in_registry', learned.get('match_share', 0)):.3f}"
          + (f" (truth {truth_share:.3f})" if truth_share is not None else "") + "; "
          f"u: {learned['u_source']}")
    print(f"  {'field':14}{'level':38}{'u':>9}{'m prior':>9}{'m':>9}{'weight':>16}")
    for field_name, levels in learned["levels"].items():
        for level, v in levels.items():
            if v["m"] < 0.0005 and v["u"] < 0.0005:
                continue  # neither the data nor the registry has it
            w = (f"{v['weight'] - v['shift']:+.2f}->{v['weight']:+.2f}" if v["weight"] is not None
                 else f"TF {v['shift']:+.2f}")
            print(f"  {field_name:14}{level:38}{v['u']:9.5f}{v['m_prior']:9.4f}{v['m']:9.4f}{w:>16}")


def generated_set(registry: int, upload: int, seed: int) -> Path:
    """Our own generator's data, made once into bench/out/gen/."""
    from ssid_tui.synthetic.generator import generate

    folder = GEN / f"r{registry}-u{upload}-s{seed}"
    if not (folder / "truth.csv").exists():
        generate(folder, registry_size=registry, upload_size=upload, seed=seed)
        (folder / "info.json").write_text(json.dumps({"registry_ssids": registry}))
    return folder


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--sets", default="", help="comma-separated set names in bench/out/dev/ (default: all there; "
                    "'none' for the generator only)")
    ap.add_argument("--gen", default="100000,5000", help="our generator's registry,upload size; 0 for none")
    ap.add_argument("--seed", type=int, default=2026)
    ap.add_argument("--runs", type=int, default=1, help="runs of each system for the median time")
    ap.add_argument("--no-splink", action="store_true")
    ap.add_argument("--passes", action="store_true", help="also each blocking pass alone: SSIDs per student, "
                    "true matches only it finds")
    ap.add_argument("--misses", action="store_true", help="with --passes: print to stderr the students no pass "
                    "finds, beside their true records (development data only; never commit the output)")
    ap.add_argument("--json", type=Path, help="also write every figure here")
    ap.add_argument("--step", help=argparse.SUPPRESS)
    ap.add_argument("args", nargs="*", help=argparse.SUPPRESS)
    a = ap.parse_args()
    if a.step:
        print(json.dumps({"ours": step_ours, "splink": step_splink, "passes": step_passes}[a.step](*a.args)))
        return
    names = [] if a.sets == "none" else [s for s in a.sets.split(",") if s] or sorted(p.name for p in DEV.iterdir() if (p / "truth.csv").exists())
    folders = [(n, DEV / n) for n in names]
    if a.gen != "0":
        r, u = (int(x) for x in a.gen.split(","))
        folders.append((f"generator {r // 1000}k", generated_set(r, u, a.seed)))
    report = {}
    for name, folder in folders:
        truth = read_truth(folder)
        info = json.loads((folder / "info.json").read_text()) if (folder / "info.json").exists() else {}
        work = ROOT / "bench" / "out" / "work" / folder.name
        ours_runs = [run_step("ours", str(folder), str(work)) for _ in range(a.runs)]
        peer_runs = [] if a.no_splink else [run_step("splink", str(folder)) for _ in range(a.runs)]
        ours = evaluate(truth, ours_runs[-1]["candidates"])
        peer = evaluate(truth, peer_runs[-1]["candidates"]) if peer_runs else None
        times = {"ours_s": statistics.median(r["seconds"] for r in ours_runs),
                 "ours_rss": max(r["rss_mb"] for r in ours_runs)}
        if peer_runs:
            times |= {"peer_s": statistics.median(r["seconds"] for r in peer_runs),
                      "peer_rss": max(r["rss_mb"] for r in peer_runs)}
        print_set(name, info, ours, peer, times)
        print_learned((ours_runs[-1].get("weights") or {}).get("learned"), ours["existing"] / max(ours["n"], 1))
        report[name] = {"ours": ours, "splink": peer, "times": times, "folder": str(folder), "work": str(work)}
        if a.passes:
            ps = run_step("passes", str(folder), str(work), *(["debug"] if a.misses else []))
            print_passes(ps)
            report[name]["passes"] = ps
        sys.stdout.flush()
    if a.json:
        a.json.write_text(json.dumps(report, indent=1, default=str))


if __name__ == "__main__":
    main()
