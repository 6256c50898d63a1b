"""`ssid-tui find` benchmark: the front-desk lookup as a clerk runs it, start-up included.

    python bench/bench_scale.py --sizes 10000000 --runs 1       # makes the 10M registry + upload
    python bench/bench_find.py --ods bench/out/r10000000-u10000-s2026/registry.sqlite \\
        --senr bench/out/r10000000-u10000-s2026/senr_upload.txt --students 20 --runs 3

Each lookup is a new `ssid-tui find` process for one student of the upload (names, birth
date and gender as the upload has them), run `--runs` times; the figure is the median
wall time of all of them, the target 0.5 s. A student's first lookup may read registry pages
no earlier run brought into the page cache, so first lookups are also shown apart. In the same run, as baselines: `ssid-tui
--version` (the CLI's start-up alone) and `python -c pass` (the interpreter's). The
children run with bytecode caching on, as a user's shell has it (a shell exporting
PYTHONDONTWRITEBYTECODE=1 recompiles every module of ours on every start: ~0.1 s more),
and one untimed warm-up run writes the caches.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def timed(argv: list[str], env: dict[str, str]) -> float:
    """Wall seconds of one child process; it must succeed."""
    started = time.perf_counter()
    done = subprocess.run(argv, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    took = time.perf_counter() - started
    if done.returncode != 0:
        raise SystemExit(f"{argv[1]} failed (exit {done.returncode}): {done.stderr.strip()[:300]}")
    return took


def lookups(senr: Path, students: int) -> list[list[str]]:
    """`find` options for the first `students` records of the upload."""
    from ssid_tui.formats.senr import iter_records, open_senr

    found = []
    for record in iter_records(open_senr(senr)):
        options = ["--last", record.get("last"), "--first", record.get("first"),
                   "--birth-date", record.get("birth_date")]
        for key in ("middle", "gender"):
            if record.get(key):
                options += [f"--{key}", record.get(key)]
        found.append(options)
        if len(found) == students:
            break
    return found


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--ods", type=Path, required=True, help="registry made by `ssid-tui ods load`")
    parser.add_argument("--senr", type=Path, required=True, help="upload whose students are looked up")
    parser.add_argument("--students", type=int, default=20)
    parser.add_argument("--runs", type=int, default=3, help="lookups of each student")
    args = parser.parse_args()
    cli = shutil.which("ssid-tui")
    if cli is None:
        raise SystemExit("ssid-tui is not on PATH: pip install -e . first")
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    students = lookups(args.senr, args.students)
    timed([cli, "find", "--ods", str(args.ods), *students[0]], env)  # warm-up: writes bytecode caches

    python, version, first, again = [], [], [], []
    for run in range(args.runs):  # interleaved, so a busy moment falls on all three alike
        for options in students:
            python.append(timed([sys.executable, "-c", "pass"], env))
            version.append(timed([cli, "--version"], env))
            (again if run else first).append(timed([cli, "find", "--ods", str(args.ods), *options], env))
    find = first + again

    def row(name: str, times: list[float]) -> str:
        return (f"{name:<24} median {statistics.median(times):.3f} s   min {min(times):.3f}   "
                f"max {max(times):.3f}   ({len(times)} runs)")

    size = args.ods.stat().st_size / 1e6
    print(f"registry {args.ods} ({size:,.0f} MB), {len(students)} students x {args.runs} runs, load {os.getloadavg()[0]:.1f}")
    print(row("python -c pass", python))
    print(row("ssid-tui --version", version))
    print(row("ssid-tui find", find))
    print(row("  first of each student", first))
    if again:
        print(row("  again", again))
    over = sum(t > 0.5 for t in find)
    print(f"find / --version start-up: {statistics.median(find) / statistics.median(version):.2f}x; "
          f"lookups over 0.5 s: {over} of {len(find)}")


if __name__ == "__main__":
    main()
