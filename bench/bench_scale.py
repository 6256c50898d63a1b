"""Growth with the registry: load, match and accuracy at 1M, 3M and 10M registry students.

    python bench/bench_scale.py                               # 1M, 3M, 10M; one run each
    python bench/bench_scale.py --sizes 1000000 --runs 3      # medians of three runs
    python bench/bench_scale.py --sizes 100000 --upload 2000  # a quick look

For each size it generates (once; kept in bench/out/, which git ignores) a registry
extract and an upload drawn from it, loads the registry and matches the upload, each
step in a fresh process so that its peak RSS is its own. It prints the growth table:
load time and RSS, match time and RSS, registry file size and bytes per student, the
candidate pairs each student's blocking passes yield (median / p95 / max), and
candidate recall and top-1 against the generator's truth. Results are also written to
bench/out/scale-results.json.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

import bench_match  # noqa: E402  (datasets, the load and match steps, accuracy)

from ssid_tui.files.processes import available_cores  # noqa: E402

OUT = ROOT / "bench" / "out"


def _rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def step_pairs(senr: Path, registry: Path, sample: int) -> dict:
    """Name records each student's blocking passes return (what the matcher scores), for `sample` students."""
    from ssid_tui.formats.senr import iter_records, open_senr
    from ssid_tui.matching.matcher import Matcher, Submitted
    from ssid_tui.matching.registry import open_registry
    from ssid_tui.workspace.match_run import senr_values

    counts: list[int] = []
    started = time.perf_counter()
    with open_registry(registry) as reg:
        matcher = Matcher(reg)
        for i, rec in enumerate(iter_records(open_senr(senr))):
            if i >= sample:
                break
            sub = Submitted.from_fields(senr_values(rec))
            counts.append(len(matcher._blocked_rows(sub, sub.name_variants())))
    counts.sort()
    n = len(counts)
    return {"students": n, "median": counts[n // 2], "p95": counts[min(n - 1, int(n * 0.95))], "max": counts[-1],
            "mean": sum(counts) / n, "seconds": time.perf_counter() - started, "rss_mb": _rss_mb()}


def run_own_step(name: str, *args: str) -> dict:
    out = subprocess.run([sys.executable, __file__, "--step", name, *args], check=True, capture_output=True, text=True)
    return json.loads(out.stdout.strip().splitlines()[-1])


def earlier_loads(size: int, upload: int, reg: Path) -> list[dict]:
    """The load figures of an earlier run whose registry is reused (`--load-runs 0`)."""
    if not reg.exists():
        raise SystemExit(f"--load-runs 0: there is no registry to reuse at {reg}; load it once first.")
    results = OUT / "scale-results.json"
    old = json.loads(results.read_text()).get(str(size), {}) if results.exists() else {}
    if not old.get("load_runs"):
        raise SystemExit(f"--load-runs 0: {results} has no load figures for {size:,}; load it once first.")
    print(f"  {size:,}: registry reused; load figures from the run that made it ({old['load_s']:.0f} s)", flush=True)
    return [{"seconds": s, "rss_mb": old["load_rss_mb"], "names": old["name_records"]} for s in old["load_runs"]]


def measure(size: int, upload: int, seed: int, runs: int, pairs_sample: int, load_runs: int | None = None) -> dict:
    """Every figure of one row of the growth table."""
    t = time.perf_counter()
    info = bench_match.dataset(size, upload, seed)
    print(f"  {size:,}: data ready ({time.perf_counter() - t:.0f} s; generating took {info['seconds']:.0f} s, "
          f"peak RSS {info['rss_mb']:.0f} MB)", flush=True)
    folder = Path(info["registry"]).parent
    reg = folder / "registry.sqlite"
    loads = []
    for _ in range(runs if load_runs is None else load_runs):
        loads.append(bench_match.run_step("load", info["registry"], str(reg)))
        print(f"  {size:,}: loaded in {loads[-1]['seconds']:.0f} s, peak RSS {loads[-1]['rss_mb']:.0f} MB", flush=True)
    if not loads:
        loads = earlier_loads(size, upload, reg)
    ws = folder / "bench.workspace.sqlite"
    matches = []
    for _ in range(runs):
        matches.append(bench_match.run_step("match", info["senr"], str(reg), str(ws), str(available_cores())))
        print(f"  {size:,}: matched in {matches[-1]['seconds']:.0f} s, peak RSS {matches[-1]['rss_mb']:.0f} MB",
              flush=True)
    chosen, cats = bench_match.workspace_candidates(ws)
    acc = bench_match.accuracy(Path(info["truth"]), chosen, cats)["ALL"]
    pairs = run_own_step("pairs", info["senr"], str(reg), str(pairs_sample))
    size_bytes = reg.stat().st_size
    return {
        "registry": size, "upload": upload, "runs": runs,
        "generate_s": info["seconds"], "generate_rss_mb": info["rss_mb"],
        "load_s": statistics.median(x["seconds"] for x in loads), "load_runs": [x["seconds"] for x in loads],
        "load_rss_mb": max(x["rss_mb"] for x in loads), "name_records": loads[-1]["names"],
        "match_s": statistics.median(x["seconds"] for x in matches), "match_runs": [x["seconds"] for x in matches],
        "match_rss_mb": max(x["rss_mb"] for x in matches), "match_jobs": available_cores(),
        "match_worker_rss_mb": max(x["worker_rss_mb"] for x in matches),
        "match_cpu_s": statistics.median(x["cpu_s"] for x in matches),
        "registry_mb": size_bytes / 1e6, "bytes_per_student": size_bytes / size,
        "pairs": pairs,
        "recall": acc["recall"] / max(acc["existing"], 1), "top1": acc["top1"] / max(acc["existing"], 1),
        "load_avg": os.getloadavg()[0],
    }


def print_table(rows: list[dict]) -> None:
    print(f"\n{'registry':>10} {'load s':>7} {'load MB':>8} {'match s':>8} {'match MB':>9} {'file MB':>8} "
          f"{'B/student':>10} {'pairs med/p95/max':>18} {'recall':>7} {'top-1':>7} {'load avg':>9}")
    for r in rows:
        p = r["pairs"]
        print(f"{r['registry']:>10,} {r['load_s']:>7.0f} {r['load_rss_mb']:>8.0f} {r['match_s']:>8.1f} "
              f"{r['match_rss_mb']:>9.0f} {r['registry_mb']:>8.0f} {r['bytes_per_student']:>10.0f} "
              f"{p['median']:>6}/{p['p95']:>5}/{p['max']:>5} {100 * r['recall']:>6.2f}% {100 * r['top1']:>6.2f}% "
              f"{r['load_avg']:>9.1f}")
    print("(load avg: the machine's 1-minute load average at the end of the row; above its core count the "
          "times are taken under contention)")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--sizes", default="1000000,3000000,10000000", help="registry sizes, comma-separated")
    ap.add_argument("--upload", type=int, default=10_000)
    ap.add_argument("--seed", type=int, default=2026)
    ap.add_argument("--runs", type=int, default=1, help="load and match runs per size, for the medians")
    ap.add_argument("--load-runs", type=int, default=None,
                    help="load runs per size (default: --runs); 0 reuses the registry an earlier run loaded "
                         "and reports that run's load figures")
    ap.add_argument("--pairs-sample", type=int, default=2000, help="students whose candidate pairs are counted")
    ap.add_argument("--step", help=argparse.SUPPRESS)
    ap.add_argument("args", nargs="*", help=argparse.SUPPRESS)
    a = ap.parse_args()
    if a.step:
        senr, registry, sample = a.args
        print(json.dumps(step_pairs(Path(senr), Path(registry), int(sample))))
        return
    sizes = [int(s) for s in a.sizes.split(",") if s.strip()]
    print(f"Scale benchmark: registry sizes {', '.join(f'{s:,}' for s in sizes)}; upload {a.upload:,}; "
          f"{a.runs} run(s) each; {os.cpu_count()} cores", flush=True)
    rows = []
    results = OUT / "scale-results.json"
    for size in sizes:
        rows.append(measure(size, a.upload, a.seed, a.runs, a.pairs_sample, a.load_runs))
        OUT.mkdir(parents=True, exist_ok=True)
        old = json.loads(results.read_text()) if results.exists() else {}
        old[str(size)] = rows[-1]
        results.write_text(json.dumps(old, indent=1))
        print_table(rows)


if __name__ == "__main__":
    main()
