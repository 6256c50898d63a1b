"""The synthetic files as written: the ODS extract, the SENR upload and the truth file.

Every field goes through the layouts' own tables (`formats.ods.ODS_FIELDS`,
`formats.senr_fields`), never by a position typed here.
"""

from __future__ import annotations

import csv
import random
from operator import itemgetter
from pathlib import Path

from ssid_tui.formats.ods import ODS_FIELDS
from ssid_tui.formats.senr_fields import FIELD_BY_KEY, field_index
from ssid_tui.synthetic.population import DATE_BASE, GRADE, Population, Student, ordinal
from ssid_tui.synthetic.ssids import sample_range
from ssid_tui.synthetic.variations import UPLOAD_FIELDS

#: Fields an upload record has (the layout's 35-field version).
SENR_WIDTH = 35
ACADEMIC_YEAR = "2026-2027"
_ODS_ORDER = itemgetter(*ODS_FIELDS)


def _registry_line(s: Student, first: str, middle: str, last: str, alias: tuple[str, str, str],
                   dates: tuple[str, ...]) -> str:
    """One extract line: the student's SSID and demographics under the name record (first, middle, last)."""
    values = {
        "ssid": s.ssid, "create_date": s.create, "first": first, "middle": middle, "last": last,
        "suffix": s.suffix, "alias_first": alias[0], "alias_middle": alias[1], "alias_last": alias[2],
        "birth_date": dates[s.dob - DATE_BASE], "gender": s.gender, "birth_city": s.city, "birth_state": s.state,
        "birth_country": s.country, "lea": s.lea, "school": s.school, "grade": s.grade,
        "enroll_start": s.start, "enroll_exit": s.exit,
    }
    return "^".join(_ODS_ORDER(values)) + "\n"


def write_registry(pop: Population, path: Path, registry_size: int, keep_share: float) -> list[Student]:
    """Stream the registry to `path`; return the students of the households kept for the upload."""
    rng = pop.rng
    rand = rng.random
    dates = pop.dates
    ssids = sample_range(rng, 10**10, registry_size)  # rng.sample's values in 8 bytes each
    kept: list[Student] = []
    buf: list[str] = []
    written = 0
    no_alias = ("", "", "")
    with open(path, "w", encoding="utf-8", newline="\n") as fh:
        while written < registry_size:
            kids = pop.household()
            arrival = pop.last_arrival
            lea_i = pop.lea_draw()
            school_pick = rng.randrange(1 << 30)
            keep = rand() < keep_share
            for s in kids:
                if written >= registry_size:
                    break
                s.ssid = f"{ssids[written]:010d}"
                written += 1
                pop.enrol(s, lea_i, school_pick, arrival)
                buf.append(_registry_line(s, s.first, s.middle, s.last, no_alias, dates))
                if rand() < 0.10:
                    pop.other_names(s)
                    if s.alias != no_alias:
                        buf.append(_registry_line(s, s.first, s.middle, s.last, s.alias, dates))
                    else:
                        for first, middle, last in s.others:
                            buf.append(_registry_line(s, first, middle, last, no_alias, dates))
                if keep:
                    kept.append(s)
            if len(buf) >= 50000:
                rng.shuffle(buf)
                fh.write("".join(buf))
                buf.clear()
        rng.shuffle(buf)
        fh.write("".join(buf))
    return kept


def upload_grade(ds: str) -> int:
    """The grade (-1 = TK, 0 = KN) of a child born on `ds` in 2026-27."""
    c = int(ds[:4]) + (ds[4:] > "0901")
    return max(-1, min(12, 2021 - c))


def senr_line(u: dict[str, str], local_id: str, lea: str, school: str, grade: str, start: str) -> str:
    """One SENR record (CRLF) for upload record `u`, SSID blank."""
    f = [""] * SENR_WIDTH
    values = {"record_type": "SENR", "reporting_lea": lea, "school": school, "academic_year": ACADEMIC_YEAR,
              "local_id": local_id, **{k: u[k] for k in UPLOAD_FIELDS}}
    for key, value in values.items():
        f[FIELD_BY_KEY[key].index] = value
    # Fields after 1.21 are outside the field table (the tool carries them through untouched):
    # plausible values only.
    f[field_index("1.22")] = start  # Enrollment Start Date
    f[field_index("1.23")] = "10"  # Enrollment Status Code: primary enrollment
    f[field_index("1.24")] = grade  # Grade Level Code
    f[field_index("1.31")] = lea  # District of Geographic Residence
    return "^".join(f) + "\r\n"


def write_upload(
    senr_path: Path, truth_path: Path, rows: list[tuple[dict[str, str], str, str]], local_ids: list[int],
    district: tuple[str, tuple[tuple[str, ...], tuple[str, ...], tuple[str, ...]]], pop: Population,
) -> None:
    """Write the SENR upload and the truth file (`local_id,true_ssid,variation`), one row per record.

    `rows` holds (upload record, true SSID or "", variation); `district` is the uploading
    LEA and its schools by grade band (elementary, middle, high).
    """
    rng: random.Random = pop.rng
    dates = pop.dates
    lea_code, bands = district
    with open(senr_path, "w", encoding="utf-8", newline="") as fh, \
            open(truth_path, "w", encoding="utf-8", newline="") as th:
        writer = csv.writer(th, lineterminator="\n")
        writer.writerow(["local_id", "true_ssid", "variation"])
        for (u, ssid, label), lid in zip(rows, local_ids):
            g = upload_grade(u["birth_date"])
            band = bands[0] if g <= 5 else bands[1] if g <= 8 else bands[2]
            school = rng.choice(band)
            if rng.random() < 0.85:
                start = dates[ordinal(2026, 8, rng.randint(12, 14)) - DATE_BASE]
            else:
                start = dates[ordinal(2026, 8, 15) + rng.randrange(100) - DATE_BASE]
            fh.write(senr_line(u, str(lid), lea_code, school, GRADE[g], start))
            writer.writerow([str(lid), ssid, label])
