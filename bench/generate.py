"""Generate synthetic benchmark data: an ODS registry extract, a SENR upload and the truth file.

    python bench/generate.py --registry 1000000 --upload 10000 --seed 2026 --out bench/out/
"""

from __future__ import annotations

import argparse
import resource
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from ssid_tui.synthetic.generator import generate  # noqa: E402


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--registry", type=int, default=1_000_000, help="students (SSIDs) in the registry")
    parser.add_argument("--upload", type=int, default=10_000, help="records in the SENR upload")
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--new-share", type=float, default=0.08, help="share of the upload not in the registry")
    parser.add_argument("--out", type=Path, default=Path("bench/out"))
    args = parser.parse_args(argv)

    start = time.perf_counter()
    files = generate(args.out, args.registry, args.upload, seed=args.seed, new_share=args.new_share)
    elapsed = time.perf_counter() - start
    for label, path in (("registry", files.registry), ("senr", files.senr), ("truth", files.truth)):
        size = path.stat().st_size
        with open(path, "rb") as fh:
            lines = sum(1 for _ in fh)
        print(f"{label:9s} {path}  {size / 1e6:9.1f} MB  {lines:>9,} lines")
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KiB on Linux
    print(f"time      {elapsed:.1f} s   peak RSS {rss:.0f} MB")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
