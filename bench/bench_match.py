"""Matcher benchmark: load a generated registry, match a generated upload, measure accuracy.

    python bench/bench_match.py                      # 1,000,000 registry, 10,000 upload, scaling 100k/300k/1M
    python bench/bench_match.py --registry 200000 --upload 5000 --scales 0 --runs 1   # quicker

Each timed step runs in a fresh subprocess, so its peak RSS is its own. Accuracy is
computed against the generator's truth file, overall and per kind of variation, for the
matcher and for a baseline in the same run: exact agreement on normalised first name,
last name and birth date (what a plain string compare finds).
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import resource
import statistics
import subprocess
import sys
import time
from collections import Counter, defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

OUT = ROOT / "bench" / "out"


def _rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def step_generate(folder: Path, registry: int, upload: int, seed: int) -> dict:
    from ssid_tui.synthetic.generator import generate

    t = time.perf_counter()
    files = generate(folder, registry_size=registry, upload_size=upload, seed=seed)
    return {"seconds": time.perf_counter() - t, "rss_mb": _rss_mb(), "registry": str(files.registry),
            "senr": str(files.senr), "truth": str(files.truth)}


def step_load(extract: Path, target: Path) -> dict:
    from ssid_tui.matching.registry import load_extract

    s = load_extract(extract, target)
    return {"seconds": s.seconds, "cpu_s": _cpu_s(), "rss_mb": _rss_mb(), "ssids": s.ssids, "names": s.name_records,
            "size_mb": target.stat().st_size / 1e6}


def _cpu_s() -> float:
    """CPU seconds of this process and its reaped children (the --jobs workers)."""
    own, kids = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + kids.ru_utime + kids.ru_stime


def step_match(senr: Path, registry: Path, workspace: Path, jobs: int) -> dict:
    from ssid_tui.workspace.match_run import match_file

    workspace.unlink(missing_ok=True)
    for extra in ("-wal", "-shm"):
        Path(str(workspace) + extra).unlink(missing_ok=True)
    t = time.perf_counter()
    s = match_file(senr, registry, workspace, jobs=jobs)
    return {"seconds": time.perf_counter() - t, "cpu_s": _cpu_s(), "rss_mb": _rss_mb(),
            "worker_rss_mb": resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024,
            "categories": dict(s.categories), "load": os.getloadavg()[0]}


def step_baseline(senr: Path, registry: Path) -> dict:
    """Exact normalised first+last+birth date lookup: the plain string compare."""
    import sqlite3

    from ssid_tui.formats.senr import iter_records, open_senr
    from ssid_tui.matching.names import normalize

    conn = sqlite3.connect(f"file:{registry}?mode=ro", uri=True)
    t = time.perf_counter()
    found: dict[str, list[str]] = {}
    for rec in iter_records(open_senr(senr)):
        rows = conn.execute("SELECT ssid, first, last FROM name WHERE birth_date = ?", (rec.get("birth_date"),)).fetchall()
        first, last = normalize(rec.get("first")), normalize(rec.get("last"))
        found[rec.get("local_id")] = sorted({s for s, rf, rl in rows if normalize(rf) == first and normalize(rl) == last})
    return {"seconds": time.perf_counter() - t, "rss_mb": _rss_mb(), "found": found}


def run_step(name: str, *args: str) -> dict:
    """Run a step in a fresh Python process and return its JSON result."""
    out = subprocess.run([sys.executable, __file__, "--step", name, *args], check=True, capture_output=True, text=True)
    return json.loads(out.stdout.strip().splitlines()[-1])


def accuracy(truth_path: Path, chosen: dict[str, list[tuple[str, int]]], categories: dict[str, str]) -> dict:
    """Recall, top-1, Single Match precision, new students given a Single Match, 90+ share."""
    per: dict[str, Counter] = defaultdict(Counter)
    with open(truth_path, newline="", encoding="utf-8") as fh:
        for row in csv.DictReader(fh):
            lid, true, kind = row["local_id"], row["true_ssid"], row["variation"]
            cands = chosen.get(lid, [])
            ssids = [s for s, _ in cands]
            cat = categories.get(lid, "No Match")
            for key in ("ALL", kind):
                c = per[key]
                if true:
                    c["existing"] += 1
                    c["recall"] += true in ssids
                    c["top1"] += bool(ssids) and ssids[0] == true
                    c["top90"] += bool(ssids) and ssids[0] == true and cands[0][1] >= 90
                    if cat == "Single Match":
                        c["single"] += 1
                        c["single_right"] += ssids[0] == true
                else:
                    c["new"] += 1
                    c["new_single"] += cat == "Single Match"
                    c["new_any"] += bool(ssids)
    return per


def workspace_candidates(workspace: Path) -> tuple[dict, dict]:
    import sqlite3

    conn = sqlite3.connect(workspace)
    chosen: dict[str, list[tuple[str, int]]] = defaultdict(list)
    for lid, ssid, score in conn.execute(
        "SELECT s.local_id, c.ssid, c.score FROM candidate c JOIN student s ON s.id = c.student_id ORDER BY s.id, c.rank"
    ):
        chosen[lid].append((ssid, score))
    cats = dict(conn.execute("SELECT local_id, category FROM student"))
    return chosen, cats


def pct(a: int, b: int) -> str:
    return f"{100 * a / b:6.2f}%" if b else "     -"


def print_accuracy(title: str, per: dict[str, Counter]) -> None:
    print(f"\n{title}")
    print(f"{'variation':<34}{'n':>6} {'recall':>8} {'top-1':>8} {'90+ ok':>8} {'1-prec':>8} {'new':>5} {'new→1':>8}")
    keys = ["ALL"] + sorted(k for k in per if k != "ALL")
    for k in keys:
        c = per[k]
        n = c["existing"] + c["new"]
        print(f"{k:<34}{n:>6} {pct(c['recall'], c['existing']):>8} {pct(c['top1'], c['existing']):>8} "
              f"{pct(c['top90'], c['existing']):>8} {pct(c['single_right'], c['single']):>8} {c['new']:>5} "
              f"{pct(c['new_single'], c['new']):>8}")


def print_operating_points(truth_path: Path, chosen: dict[str, list[tuple[str, int]]],
                           thresholds: tuple[int, ...] = (10, 20, 30, 40, 50)) -> None:
    """What another --min-score would trade: recall against Single Matches given to new students.

    Thresholds under the run's own --min-score show nothing new: its candidates stop there.
    """
    truth = list(csv.DictReader(open(truth_path, newline="", encoding="utf-8")))
    print("\nOperating points (candidates below --min-score hidden):")
    print(f"{'min-score':>9} {'recall':>8} {'top-1':>8} {'1-prec':>8} {'new→1':>8} {'new→any':>8}")
    for t in thresholds:
        ex = rec = top = new = ns = na = sp = sr = 0
        for row in truth:
            c = [x for x in chosen.get(row["local_id"], []) if x[1] >= t]
            if row["true_ssid"]:
                ex += 1
                rec += row["true_ssid"] in [s for s, _ in c]
                top += bool(c) and c[0][0] == row["true_ssid"]
                if len(c) == 1:
                    sp += 1
                    sr += c[0][0] == row["true_ssid"]
            else:
                new += 1
                ns += len(c) == 1
                na += bool(c)
        print(f"{t:>9} {pct(rec, ex):>8} {pct(top, ex):>8} {pct(sr, sp):>8} {pct(ns, new):>8} {pct(na, new):>8}")


#: Score bands of the calibration table (lower bound inclusive, upper exclusive).
BANDS = ((0, 10), (10, 30), (30, 50), (50, 70), (70, 90), (90, 95), (95, 99), (99, 101))


def print_calibration(truth_path: Path, chosen: dict[str, list[tuple[str, int]]]) -> None:
    """Score band -> share of its candidates that are the student's SSID, and students summing past 100."""
    with open(truth_path, newline="", encoding="utf-8") as fh:
        truth = {r["local_id"]: r["true_ssid"] for r in csv.DictReader(fh)}
    print("\nCalibration (every candidate listed; a band is calibrated when its share right lies in it):")
    for lo, hi in BANDS:
        inb = [(lid, s) for lid in truth for s, sc in chosen.get(lid, []) if lo <= sc < hi]
        right = sum(truth[lid] == s for lid, s in inb)
        label = f"{lo}-{min(hi, 101) - 1}"
        print(f"{label:>9} {pct(right, len(inb)):>8} right of {len(inb):>6,}")
    over = sum(sum(sc for _s, sc in cands) > 100 for cands in chosen.values())
    print(f"students whose candidate scores sum past 100: {over:,}")


def dataset(registry: int, upload: int, seed: int) -> dict:
    folder = OUT / f"r{registry}-u{upload}-s{seed}"
    marker = folder / "generated.json"
    if marker.exists():
        return json.loads(marker.read_text())
    folder.mkdir(parents=True, exist_ok=True)
    info = run_step("generate", str(folder), str(registry), str(upload), str(seed))
    marker.write_text(json.dumps(info))
    return info


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--registry", type=int, default=1_000_000)
    ap.add_argument("--upload", type=int, default=10_000)
    ap.add_argument("--seed", type=int, default=2026)
    ap.add_argument("--runs", type=int, default=3, help="match runs for the median (default 3)")
    ap.add_argument("--scales", default="100000,300000", help="extra registry sizes for the growth table; 0 for none")
    ap.add_argument("--jobs", type=int, default=0, help="match workers (default: the cores available, as `match`)")
    ap.add_argument("--step", help=argparse.SUPPRESS)
    ap.add_argument("args", nargs="*", help=argparse.SUPPRESS)
    a = ap.parse_args()
    if a.step:
        fn = {"generate": lambda f, r, u, s: step_generate(Path(f), int(r), int(u), int(s)),
              "load": lambda e, t: step_load(Path(e), Path(t)),
              "match": lambda s, r, w, j: step_match(Path(s), Path(r), Path(w), int(j)),
              "baseline": lambda s, r: step_baseline(Path(s), Path(r))}[a.step]
        print(json.dumps(fn(*a.args)))
        return

    from ssid_tui.files.processes import available_cores

    jobs = a.jobs or available_cores()
    print(f"Matcher benchmark: registry {a.registry:,}, upload {a.upload:,}, seed {a.seed}, {a.runs} match run(s), "
          f"--jobs {jobs}; load average {os.getloadavg()[0]:.1f} at the start (times on a busy machine are inflated)")
    info = dataset(a.registry, a.upload, a.seed)
    folder = Path(info["registry"]).parent
    reg = folder / "registry.sqlite"
    load = run_step("load", info["registry"], str(reg))
    print(f"load:  {load['seconds']:.1f} s (CPU {load['cpu_s']:.1f} s), peak RSS {load['rss_mb']:.0f} MB, {load['ssids']:,} SSIDs, "
          f"{load['names']:,} name records, registry file {load['size_mb']:.0f} MB")
    ws = folder / "bench.workspace.sqlite"
    times, cpus, rss, worker_rss, loads = [], [], [], [], []
    for _ in range(a.runs):
        m = run_step("match", info["senr"], str(reg), str(ws), str(jobs))
        times.append(m["seconds"])
        cpus.append(m["cpu_s"])
        rss.append(m["rss_mb"])
        worker_rss.append(m["worker_rss_mb"])
        loads.append(m["load"])
    workers = f", each worker {max(worker_rss):.0f} MB" if jobs > 1 else ""
    print(f"match: median {statistics.median(times):.1f} s (runs: {', '.join(f'{t:.1f}' for t in times)}), "
          f"CPU median {statistics.median(cpus):.1f} s, peak RSS {max(rss):.0f} MB{workers}, "
          f"{a.upload / statistics.median(times):,.0f} students/s; load average at the ends "
          f"{', '.join(f'{x:.1f}' for x in loads)}")
    base = run_step("baseline", info["senr"], str(reg))
    print(f"baseline (exact name + birth date lookup): {base['seconds']:.1f} s; "
          f"matcher/baseline time ratio {statistics.median(times) / base['seconds']:.1f}x")
    chosen, cats = workspace_candidates(ws)
    print_accuracy("Matcher accuracy (1-prec = Single Match precision; new→1 = new students given a Single Match)",
                   accuracy(Path(info["truth"]), chosen, cats))
    print_operating_points(Path(info["truth"]), chosen)
    print_calibration(Path(info["truth"]), chosen)
    b_chosen = {lid: [(s, 100) for s in v] for lid, v in base["found"].items()}
    b_cats = {lid: ("No Match" if not v else "Single Match" if len(v) == 1 else "Multiple Match")
              for lid, v in base["found"].items()}
    per = accuracy(Path(info["truth"]), b_chosen, b_cats)
    c = per["ALL"]
    print(f"\nBaseline accuracy: recall {pct(c['recall'], c['existing'])}, Single Match precision "
          f"{pct(c['single_right'], c['single'])}, new students given a Single Match {pct(c['new_single'], c['new'])}")

    scales = [int(s) for s in a.scales.split(",") if s and int(s) > 0]
    if scales:
        print("\nGrowth with registry size (same upload size, one run each):")
        print(f"{'registry':>10} {'load s':>8} {'match s':>8} {'students/s':>11}")
        for size in [*scales, a.registry]:
            if size == a.registry:
                lt, mt = load["seconds"], statistics.median(times)
            else:
                d = dataset(size, a.upload, a.seed)
                r = Path(d["registry"]).parent / "registry.sqlite"
                lt = run_step("load", d["registry"], str(r))["seconds"]
                mt = run_step("match", d["senr"], str(r), str(Path(d["registry"]).parent / "bench.workspace.sqlite"),
                              str(jobs))["seconds"]
            print(f"{size:>10,} {lt:>8.1f} {mt:>8.1f} {a.upload / mt:>11,.0f}")


if __name__ == "__main__":
    main()
