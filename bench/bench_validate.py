"""Benchmark `open_senr` + `validate_file` on a generated 200,000-record SENR file.

    python bench/bench_validate.py               # 200,000 records, 5 runs of each task
    python bench/bench_validate.py --runs 3 --records 50000

Each run is a fresh subprocess, so peak RSS is that of one validation alone. Printed:
median and worst wall time and peak RSS for
  (a) validation: open_senr + validate_file (every rule, the error list, the duplicate check);
  (b) baseline: reading the same file's lines in Python and splitting them on ^,
and their ratio; then peak RSS on clean files of 50,000 and 200,000 records: records are
streamed, so memory grows only by the Local Student ID map of the duplicate check.
Target (the validation issue): under 5 s for 200,000 records.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import random
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

TARGET_SECONDS = 5.0

_FIRST = ["JOSÉ", "MARÍA", "SOFÍA", "LIAM", "ANH", "JI-WOO", "JUAN CARLOS", "ÁNGEL", "ISABELLA", "MATEO",
          "XIMENA", "DIEGO", "ZOË", "NOAH", "CAMILA", "BAO", "AALIYAH", "EMILIANO", "RENÉE", "SEO-YEON"]
_LAST = ["NÚÑEZ", "GARCÍA LÓPEZ", "DE LA CRUZ", "O'BRIEN", "NGUYEN-TRAN", "KIM", "HERNÁNDEZ", "RAMÍREZ",
         "PEÑA", "TORRES", "SANTOS", "GUTIÉRREZ", "VÁZQUEZ MORALES", "MÜLLER", "SMITH", "FLORES", "TRAN"]
_PLACES = [("LOS ANGELES", "US-CA", "US"), ("FRESNO", "US-CA", "US"), ("GUADALAJARA", "MX-JAL", "MX"),
           ("MANILA", "", "PH"), ("HO CHI MINH CITY", "", "VN"), ("SAN JUAN", "US-PR", "PR"), ("", "", "UU"),
           ("PHOENIX", "US-AZ", "US"), ("MORELIA", "MX-MIC", "MX"), ("SEOUL", "", "KR")]

#: One broken field per faulty record (index, value): bare state, bad date, SSID, tab, gender...
_FAULTS = [(19, "CA"), (16, "20150230"), (7, "1234567890"), (9, "JOSÉ\t"), (17, "U"), (3, "19-6473"),
           (20, "XX"), (11, ""), (16, "20990101"), (6, "2026-2028")]


def generate(path: Path, records: int, error_rate: float, seed: int = 2026) -> int:
    """Write `records` 35-field caret records (CRLF, UTF-8); return how many carry an error."""
    rng = random.Random(seed)
    faulty = 0
    with open(path, "w", encoding="utf-8", newline="") as fh:
        for i in range(records):
            city, state, country = rng.choice(_PLACES)
            year = rng.randint(2008, 2021)
            f = [""] * 35
            f[0:9] = ["SENR", "", f"R{i:07d}", "1964733", rng.choice(("1930718", "1931708", "6015820")), "",
                      "2026-2027", "", f"{100000 + i}"]
            f[9:21] = [rng.choice(_FIRST), "", rng.choice(_LAST), "", "", "", "",
                       f"{year}{rng.randint(1, 12):02d}{rng.randint(1, 28):02d}", rng.choice("MFMFX"),
                       city, state, country]
            f[21:24] = ["20260812", "10", f"{min(12, max(1, 2026 - year - 5)):02d}"]
            f[30], f[34] = "1964733", "N"
            if rng.random() < error_rate:
                index, value = rng.choice(_FAULTS)
                f[index] = value
                faulty += 1
            fh.write("^".join(f) + "\r\n")
    return faulty


def _peak_rss_mib() -> float:
    """Peak resident set size of this process (ru_maxrss is KiB on Linux, bytes on macOS)."""
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return peak / (1024 * 1024) if sys.platform == "darwin" else peak / 1024


def child(task: str, path: str) -> None:
    """Run one task in this (fresh) process and print its figures as JSON."""
    if task == "validate":
        from ssid_tui.formats.senr import open_senr
        from ssid_tui.validation.rules import validate_file

        start = time.perf_counter()
        report = validate_file(open_senr(path))
        seconds = time.perf_counter() - start
        out = {"records": report.records, "errors": len(report.errors)}
    else:
        start = time.perf_counter()
        n = cells = 0
        for line in open(path, "rb"):
            cells += len(line.split(b"^"))
            n += 1
        seconds = time.perf_counter() - start
        out = {"records": n, "errors": 0, "cells": cells}
    out.update(seconds=seconds, peak_rss_mib=_peak_rss_mib())
    print(json.dumps(out))


def run_task(task: str, path: Path, runs: int) -> list[dict]:
    """`runs` fresh subprocesses of one task."""
    results = []
    env = dict(os.environ, PYTHONHASHSEED="0")
    for _ in range(runs):
        proc = subprocess.run(
            [sys.executable, __file__, "--child", task, str(path)],
            capture_output=True, text=True, check=True, env=env,
        )
        results.append(json.loads(proc.stdout.strip().splitlines()[-1]))
    return results


def summary(results: list[dict]) -> tuple[float, float, float]:
    """(median seconds, worst seconds, worst peak RSS MiB)."""
    secs = [r["seconds"] for r in results]
    return statistics.median(secs), max(secs), max(r["peak_rss_mib"] for r in results)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--records", type=int, default=200_000, help="records in the main file (default 200,000)")
    parser.add_argument("--runs", type=int, default=5, help="fresh-process runs of each task (default 5)")
    parser.add_argument("--error-rate", type=float, default=0.01, help="share of records with an error (default 0.01)")
    parser.add_argument("--child", nargs=2, metavar=("TASK", "FILE"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child(*args.child)
        return 0

    print(f"SENR validation benchmark: Python {platform.python_version()}, {platform.machine()}, "
          f"{os.cpu_count()} CPUs, {args.runs} fresh-process runs per task")
    with tempfile.TemporaryDirectory(prefix="ssid-bench-") as tmp:
        main_file = Path(tmp) / f"senr_{args.records}.txt"
        start = time.perf_counter()
        faulty = generate(main_file, args.records, args.error_rate)
        print(f"generated {args.records:,} records, 35 fields, {faulty:,} with an error, "
              f"{main_file.stat().st_size / 2**20:.1f} MiB in {time.perf_counter() - start:.1f} s")

        base = run_task("baseline", main_file, args.runs)
        val = run_task("validate", main_file, args.runs)
        assert val[0]["records"] == args.records, val[0]
        b_med, b_worst, b_rss = summary(base)
        v_med, v_worst, v_rss = summary(val)
        print(f"\n{'task':<36}{'median s':>10}{'worst s':>10}{'peak RSS MiB':>14}")
        print(f"{'(b) baseline: read lines, split ^':<36}{b_med:>10.2f}{b_worst:>10.2f}{b_rss:>14.1f}")
        print(f"{'(a) validation: open_senr+validate':<36}{v_med:>10.2f}{v_worst:>10.2f}{v_rss:>14.1f}")
        print(f"ratio validation/baseline (median): {v_med / b_med:.1f}x; "
              f"{val[0]['errors']:,} errors found; {v_med / args.records * 1e6:.1f} µs per record")

        print("\nmemory against file size (clean files, validation, worst of the runs):")
        peaks = {}
        for n in (50_000, 200_000):
            clean = Path(tmp) / f"clean_{n}.txt"
            generate(clean, n, 0.0)
            res = run_task("validate", clean, max(1, min(args.runs, 3)))
            assert res[0]["errors"] == 0, res[0]
            med, _, peaks[n] = summary(res)
            print(f"  {n:>7,} records ({clean.stat().st_size / 2**20:5.1f} MiB): "
                  f"peak RSS {peaks[n]:6.1f} MiB, median {med:.2f} s")
        per_record = (peaks[200_000] - peaks[50_000]) * 2**20 / 150_000
        print(f"  growth: {per_record:.0f} bytes per record, the Local Student ID -> first line map that "
              "DUPL0001 needs (~125 bytes an ID); records are streamed, never kept")

        verdict = "PASS" if v_med < TARGET_SECONDS and args.records >= 200_000 else (
            "n/a (fewer records than the target's 200,000)" if args.records < 200_000 else "FAIL")
        print(f"\ntarget: {args.records:,} records validated in under {TARGET_SECONDS:.0f} s: {verdict} "
              f"(median {v_med:.2f} s, worst {v_worst:.2f} s)")
        return 0 if verdict != "FAIL" else 1


if __name__ == "__main__":
    sys.exit(main())
