"""Calibration under another in-registry prior: a bench_accuracy run's stored scores, scored again.

    python bench/bench_accuracy.py --sets febrl3,wic5x --gen 0 --json /tmp/acc.json
    python bench/bench_calibration.py /tmp/acc.json

A score is P(candidate is the student's SSID), the student being in the registry with prior
probability `IN_REGISTRY_PRIOR` (1/2; `Matcher.share_scores`). A stored candidate's explanation
rows hold its own weight, its family cap and the odds of every other record found for the
student, so the workspace alone is enough to score each candidate again with another prior:
the in-registry share the run's EM learned, and the true share (from truth.csv, hindsight:
what no run can know). Each is printed as bench_accuracy prints ours, next to the stored
scores and Splink's, with the precision of 90+ candidates. Development sets only.
"""

from __future__ import annotations

import argparse
import json
import math
import sqlite3
import sys
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from bench_accuracy import _pct, evaluate, print_calibration, read_truth  # noqa: E402

from ssid_tui.matching.matcher import IN_REGISTRY_PRIOR, OTHERS_FIELD  # noqa: E402
from ssid_tui.matching.model import ADJUST, BY_FIELD  # noqa: E402

FAMILY_CAP = ADJUST["family_cap"]
#: The fields the family cap counts beside the surname (`FieldComparison.family`).
FAMILY_FIELDS = ("last", *(f for f, c in BY_FIELD.items() if c.family))


def _logit(p: float) -> float:
    return math.log2(p / (1 - p))


def stored_candidates(work: Path) -> tuple[dict[str, list[dict]], int, float | None]:
    """Each student's candidates (ssid, score, own weight, family sum, others' odds), registry size, learned share."""
    size = sqlite3.connect(work / "registry.sqlite").execute("SELECT COUNT(*) FROM ssid").fetchone()[0]
    conn = sqlite3.connect(work / "workspace.sqlite")
    settings = conn.execute("SELECT settings FROM run ORDER BY id DESC LIMIT 1").fetchone()[0]
    learned = ((json.loads(settings).get("weights") or {}).get("learned") or {}).get("in_registry")
    out: dict[str, list[dict]] = defaultdict(list)
    for lid, ssid, score, expl in conn.execute(
            "SELECT s.local_id, c.ssid, c.score, c.explanation FROM candidate c JOIN student s ON s.id = c.student_id "
            "ORDER BY s.id, c.rank"):
        rows = json.loads(expl)
        level = {r["field"]: (r["level"], r["weight"]) for r in rows}
        cut = level.get("family_cap", ("", 0.0))[1]
        own = sum(r["weight"] for r in rows if r["field"] not in (OTHERS_FIELD, "family_cap"))
        family = (sum(level.get(f, ("", 0.0))[1] for f in FAMILY_FIELDS)
                  if level.get("first", ("",))[0] == "different" else None)
        others = 2.0 ** -level.get(OTHERS_FIELD, ("", 0.0))[1] - 1.0
        out[lid].append({"ssid": ssid, "score": score, "own": own, "cut": cut, "family": family, "others": others})
    conn.close()
    return out, size, learned


def rescored(cands: list[dict], size: int, share: float, family_cap: bool = True) -> list[tuple[str, int]]:
    """One student's candidates scored with the student in the registry at prior `share`."""
    base = _logit(IN_REGISTRY_PRIOR) - math.log2(max(size, 2))
    prior = _logit(share) - math.log2(max(size, 2))

    def odds(c: dict, p: float) -> float:
        w = c["own"]
        if c["family"] is not None and family_cap:
            w += min(0.0, FAMILY_CAP - p - c["family"])
        return 2.0 ** (w + p)

    stored = [odds(c, base) if family_cap else 2.0 ** (c["own"] + c["cut"] + base) for c in cands]
    # the records found but not kept: their odds, as the top candidate's row says, moved by the prior
    not_kept = max(0.0, cands[0]["others"] - math.fsum(stored[1:])) * 2.0 ** (prior - base)
    new = [odds(c, prior) for c in cands]
    total = 1.0 + not_kept + math.fsum(new)
    return [(c["ssid"], round(100 * o / total)) for c, o in zip(cands, new)]


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("json", type=Path, help="the --json file of a bench_accuracy run (its workspaces are read)")
    a = ap.parse_args()
    for name, entry in json.loads(a.json.read_text()).items():
        truth = read_truth(Path(entry["folder"]))
        cands, size, learned = stored_candidates(Path(entry["work"]))
        true_share = sum(bool(t) for t in truth.values()) / len(truth)
        columns = [("stored", evaluate(truth, {lid: [(c["ssid"], c["score"]) for c in cs] for lid, cs in cands.items()}))]
        if learned:
            columns.append((f"learned {learned:.3f}", evaluate(truth, {lid: rescored(cs, size, learned)
                                                                     for lid, cs in cands.items()})))
        columns.append((f"true {true_share:.3f}", evaluate(truth, {lid: rescored(cs, size, true_share)
                                                                  for lid, cs in cands.items()})))
        print(f"\n== {name}: in-registry share 1/2 (stored), learned by EM, and true ==")
        for label, e in columns:
            print(f"  {label:16} 90+ candidates right {_pct(e['prec90'])}% of {e['n90']}, "
                  f"top-1 F1 {e['top1'][2]:.4f}")
        print_calibration([*columns, ("Splink", entry.get("splink"))])


if __name__ == "__main__":
    main()
