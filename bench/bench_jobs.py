"""`match --jobs N` benchmark: one upload matched with 1, 2, 4 workers; time, speed-up, peak RSS.

    python bench/generate.py --registry 1000000 --upload 200000 --out bench/out/
    ssid-tui ods load bench/out/ods_extract.txt --into bench/out/registry.sqlite
    python bench/bench_jobs.py --ods bench/out/registry.sqlite --senr bench/out/senr_upload.txt --jobs 1 2 4
    python bench/bench_jobs.py ... --students 20000      # the first 20,000 records only

Each run is a fresh process running what `ssid-tui match` runs (`match_file`, with a progress
line every minute on stderr) into a new workspace in a temporary folder, deleted afterwards.
Peak RSS is the parent's (it streams the rows into the workspace) and the largest worker's;
the run as a whole holds about parent + N x worker. Figures on a machine shared with other
work say so: the speed-up is bounded by the cores actually free.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def step_match(senr: Path, registry: Path, jobs: int) -> dict[str, float]:
    """One matching run in this process; its time and peak RSS (own and the workers')."""
    from ssid_tui.workspace.match_run import match_file

    started = time.perf_counter()
    last = [started]

    def progress(done: int, total: int) -> None:
        now = time.perf_counter()
        if now - last[0] >= 60:
            last[0] = now
            print(f"  {done:,} of {total:,} in {now - started:.0f} s", file=sys.stderr, flush=True)

    with tempfile.TemporaryDirectory(prefix="bench-jobs-") as folder:
        summary = match_file(senr, registry, Path(folder) / "w.sqlite", jobs=jobs, progress=progress)
    return {"seconds": time.perf_counter() - started, "students": summary.students,
            "parent_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
            "worker_mb": resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024}


def first_records(senr: Path, n: int, folder: Path) -> Path:
    """A copy of the upload's first `n` lines (an SENR file has no header in our generator's layout)."""
    out = folder / f"first-{n}.txt"
    with open(senr, "rb") as src, open(out, "wb") as dst:
        for i, line in enumerate(src):
            if i >= n:
                break
            dst.write(line)
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--ods", type=Path, required=True, help="a registry built by `ssid-tui ods load`")
    parser.add_argument("--senr", type=Path, required=True, help="the upload")
    parser.add_argument("--jobs", type=int, nargs="+", default=[1, 2, 4])
    parser.add_argument("--students", type=int, default=0, help="match only the first N records")
    parser.add_argument("--runs", type=int, default=1, help="runs per --jobs value (the median is shown)")
    parser.add_argument("--step", nargs=3, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.step:
        print(json.dumps(step_match(Path(args.step[0]), Path(args.step[1]), int(args.step[2]))))
        return 0
    with tempfile.TemporaryDirectory(prefix="bench-jobs-in-") as tmp:
        senr = first_records(args.senr, args.students, Path(tmp)) if args.students else args.senr
        rows = []
        for jobs in args.jobs:
            runs = []
            for _ in range(args.runs):
                out = subprocess.run([sys.executable, __file__, "--ods", str(args.ods), "--senr", str(senr),
                                      "--step", str(senr), str(args.ods), str(jobs)],
                                     check=True, stdout=subprocess.PIPE, text=True)
                runs.append(json.loads(out.stdout.strip().splitlines()[-1]))
                print(f"jobs {jobs}: {runs[-1]}", file=sys.stderr, flush=True)
            rows.append((jobs, runs))
    base = statistics.median(r["seconds"] for r in rows[0][1])
    load = os.getloadavg()[0]
    print(f"\n{rows[0][1][0]['students']:,} students x {args.ods.name}; cores available "
          f"{len(os.sched_getaffinity(0))}; load average at the end {load:.1f}")
    print(f"{'jobs':>4} | {'seconds':>8} | {'speed-up':>8} | {'students/s':>10} | {'parent RSS MB':>13} | {'worker RSS MB':>13}")
    for jobs, runs in rows:
        secs = statistics.median(r["seconds"] for r in runs)
        print(f"{jobs:>4} | {secs:>8.1f} | {base / secs:>7.2f}x | {runs[0]['students'] / secs:>10.0f} | "
              f"{max(r['parent_mb'] for r in runs):>13.0f} | {max(r['worker_mb'] for r in runs):>13.0f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
