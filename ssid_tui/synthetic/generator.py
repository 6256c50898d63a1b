"""Synthetic test data with known truth: an ODS registry extract, a SENR upload and the answers.

Used by the benchmarks (a 1,000,000-student registry, a 10,000-record upload) and by
`ssid-tui demo`. Everything comes from one `random.Random(seed)`: the same arguments give
byte-identical files.

How the data is made, and why (the matcher's benchmark is only as honest as this):

* The population is drawn household by household, so the registry holds the look-alikes
  real data has: siblings (same last name, same district, birth dates 14-48 months apart),
  twins (same last name, same birth date, different first name, often the same gender)
  and common-name collisions (names come from weighted pools with a Zipf-like skew, so
  JOSE GARCIA born on the same day exists several times in a million students).
* The mix is California's: about 54% Hispanic (two surnames for some, compound given
  names, accents in a share of records), White, Black, Vietnamese, Chinese, Korean,
  Filipino, Indian, Armenian, Arab, Japanese and mixed families; Asian-American children
  mostly carry English first names with an ethnic middle name, as they do in real rosters.
* Birth places follow the household: most children are born in California, some in other
  states, children born before an immigrant family's arrival are born abroad (MX with a
  state code, PH, VN, SV, GT, CN, KR, IN, AM...), a few have a blank state or country UU.
* About 10% of SSIDs have a second name line: an alias (an English or short name, or the
  other parent's surname) or an older legal name after a name change.
* The upload is a share `new_share` of students who are not in the registry (fresh
  kindergartners and arrivals, plus deliberate look-alikes: the unregistered twin or
  younger sibling of a registry student, a common name born close to a registry student)
  and registry students, each with one labelled variation (see `VARIATION_SHARES`).

The parts: `pools` (name and place pools, data files in `pools/`), `population`
(households), `variations` (what changes between registry and upload), `upload` (which
students the upload holds), `writers` (the files, through the layouts' field tables).

Files: `ods_extract.txt` (docs/file-formats.md section 2: 19 `^`-separated fields, no header, UTF-8,
LF), `senr_upload.txt` (35-field SENR records, CRLF, SSID blank, academic year 2026-2027)
and `truth.csv` (`local_id,true_ssid,variation`; true_ssid blank for new students).
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from pathlib import Path

from ssid_tui.synthetic.population import Population
from ssid_tui.synthetic.upload import NEW_SHARES, existing_records, new_records
from ssid_tui.synthetic.variations import MULTI_COMBOS, VARIATION_SHARES
from ssid_tui.synthetic.writers import write_registry, write_upload

__all__ = [
    "MULTI_COMBOS",
    "NEW_SHARES",
    "REGISTRY_NAME",
    "SENR_NAME",
    "SyntheticFiles",
    "TRUTH_NAME",
    "VARIATION_SHARES",
    "generate",
]

REGISTRY_NAME = "ods_extract.txt"
SENR_NAME = "senr_upload.txt"
TRUTH_NAME = "truth.csv"


@dataclass(frozen=True)
class SyntheticFiles:
    """The three files `generate` writes."""

    registry: Path  # ODS extract, docs/file-formats.md section 2
    senr: Path  # SENR upload: 35 fields, CRLF, SSID blank
    truth: Path  # CSV: local_id,true_ssid,variation


def generate(
    out_dir: Path, registry_size: int, upload_size: int, seed: int = 2026, new_share: float = 0.08
) -> SyntheticFiles:
    """Write a registry extract, a SENR upload and the truth file into `out_dir`.

    `registry_size` is the number of students (SSIDs); the extract has about 10% more
    lines (second name records). `upload_size` is the number of SENR records, of which
    `new_share` are students not in the registry.
    """
    if registry_size < 1 or upload_size < 0 or not 0.0 <= new_share <= 1.0:
        raise ValueError("registry_size must be >= 1, upload_size >= 0 and new_share in [0, 1]")
    n_new = round(upload_size * new_share)
    n_existing = upload_size - n_new
    if n_existing > registry_size * 0.8:
        raise ValueError(f"an upload of {n_existing} registry students needs a larger registry than {registry_size}")
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    rng = random.Random(seed)
    pop = Population(rng)
    files = SyntheticFiles(out_dir / REGISTRY_NAME, out_dir / SENR_NAME, out_dir / TRUTH_NAME)

    pool_target = 3 * n_existing + 4 * n_new + 200
    keep_share = min(1.0, pool_target / registry_size)
    kept = write_registry(pop, files.registry, registry_size, keep_share)

    existing = existing_records(rng, kept, n_existing)
    new = new_records(rng, pop, kept, [s for _, s, _ in existing], n_new)

    rows: list[tuple[dict[str, str], str, str]] = [(u, s.ssid, label) for u, s, label in existing]
    rows += [(u, "", kind) for u, kind in new]
    rng.shuffle(rows)

    # The uploading district: a large LEA with schools in every band.
    district = next((lea for lea in pop.leas[3:] if len(lea[1][2]) >= 2), pop.leas[0])
    local_ids = rng.sample(range(100_000_000, 1_000_000_000), len(rows))
    write_upload(files.senr, files.truth, rows, local_ids, district, pop)
    for made in (files.registry, files.senr, files.truth):
        made.chmod(0o600)  # invented students, but kept like real ones (the bench copies them around)
    return files
