"""What --min-score trades on one generated set: recall and top-1 against Single Matches given to new students.

A larger registry holds more namesakes, so the same evidence is a smaller share of the
student's probability: at 10M a true record with a name slip and a date slip at once scores
under 10 more often than at 1M. Match once with a low --min-score, then read every threshold
from that one workspace:

    ssid-tui match bench/out/r10000000-u10000-s2026/senr_upload.txt \
        --ods bench/out/r10000000-u10000-s2026/registry.sqlite --workspace /tmp/w.sqlite --min-score 3
    python bench/bench_min_score.py /tmp/w.sqlite bench/out/r10000000-u10000-s2026/truth.csv
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import bench_match  # noqa: E402


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("workspace", type=Path, help="a workspace matched with a low --min-score")
    ap.add_argument("truth", type=Path, help="the generator's truth.csv for its upload")
    ap.add_argument("--thresholds", default="3,5,7,10,20,30", help="comma-separated --min-score values")
    a = ap.parse_args()
    chosen, _cats = bench_match.workspace_candidates(a.workspace)
    bench_match.print_operating_points(a.truth, chosen, tuple(int(t) for t in a.thresholds.split(",")))


if __name__ == "__main__":
    main()
