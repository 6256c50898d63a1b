"""The synthetic data generator: deterministic, valid files, known truth, realistic variation."""

from __future__ import annotations

import csv
import datetime as dt
import fnmatch
import hashlib
import os
import subprocess
import sys
import tomllib
from collections import Counter, defaultdict
from pathlib import Path

import pytest

from ssid_tui.formats.codes import STATES_BY_COUNTRY, country_codes
from ssid_tui.formats.senr import open_senr
from ssid_tui.synthetic.generator import (
    MULTI_COMBOS,
    NEW_SHARES,
    VARIATION_SHARES,
    SyntheticFiles,
    generate,
)
from ssid_tui.validation.rules import validate_file

REGISTRY, UPLOAD = 20_000, 2_000
GRADES = {"TK", "KN", *(f"{g:02d}" for g in range(1, 13))}


@pytest.fixture(scope="module")
def files(tmp_path_factory: pytest.TempPathFactory) -> SyntheticFiles:
    return generate(tmp_path_factory.mktemp("synthetic"), REGISTRY, UPLOAD, seed=2026)


@pytest.fixture(scope="module")
def registry(files: SyntheticFiles) -> dict[str, list[list[str]]]:
    by_ssid: dict[str, list[list[str]]] = defaultdict(list)
    with open(files.registry, encoding="utf-8", newline="") as fh:
        for line in fh:
            by_ssid[line.split("^", 1)[0]].append(line.rstrip("\n").split("^"))
    return by_ssid


@pytest.fixture(scope="module")
def upload(files: SyntheticFiles) -> list[list[str]]:
    text = files.senr.read_bytes().decode("utf-8")
    return [line.split("^") for line in text.split("\r\n")[:-1]]


@pytest.fixture(scope="module")
def truth(files: SyntheticFiles) -> list[dict[str, str]]:
    with open(files.truth, encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


def _date(text: str) -> dt.date:
    return dt.date(int(text[:4]), int(text[4:6]), int(text[6:]))


# -- determinism --------------------------------------------------------------------------


def test_same_seed_gives_identical_bytes_and_another_seed_differs(tmp_path: Path) -> None:
    a = generate(tmp_path / "a", 3000, 300, seed=11)
    b = generate(tmp_path / "b", 3000, 300, seed=11)
    c = generate(tmp_path / "c", 3000, 300, seed=12)
    for x, y, z in zip((a.registry, a.senr, a.truth), (b.registry, b.senr, b.truth), (c.registry, c.senr, c.truth)):
        assert x.read_bytes() == y.read_bytes()
        assert x.read_bytes() != z.read_bytes()


#: SHA-256 of the files of generate(3000, 300, seed=11), recorded before the generator was
#: split into pools/population/variations/upload/writers. A change here changes the data
#: every benchmark and test draws: update it only on purpose, and say so in the commit.
RECORDED_SHA256 = {
    "ods_extract.txt": "b048eb9fdb1771b0f0f1d04b47f702dd325154b473ef98baee50f8c7877de15e",
    "senr_upload.txt": "cbc97d31d907701c802542b11071fa3ea47689c9902c5e5831a3d7542377a832",
    "truth.csv": "86024ad896dd21111ee45e45c53cd24b1349abdcc87579a133314343eee3053e",
}


def test_a_known_seed_gives_the_recorded_files(tmp_path: Path) -> None:
    made = generate(tmp_path, 3000, 300, seed=11)
    for path in (made.registry, made.senr, made.truth):
        assert hashlib.sha256(path.read_bytes()).hexdigest() == RECORDED_SHA256[path.name], path.name


def test_every_pool_file_is_package_data() -> None:
    """A pool file left out of package-data would be missing from an installed ssid-tui."""
    root = Path(__file__).resolve().parent.parent
    config = tomllib.loads((root / "pyproject.toml").read_text(encoding="utf-8"))
    globs = config["tool"]["setuptools"]["package-data"]["ssid_tui"]
    package = root / "ssid_tui"
    pools = [p.relative_to(package).as_posix() for p in (package / "synthetic" / "pools").rglob("*") if p.is_file()]
    assert len(pools) > 30
    assert [p for p in pools if not any(fnmatch.fnmatch(p, g) for g in globs)] == []


def test_output_does_not_depend_on_hash_seed(tmp_path: Path) -> None:
    """Nothing iterates over a set or a hash-ordered structure: PYTHONHASHSEED changes nothing."""
    code = "import sys; from pathlib import Path; from ssid_tui.synthetic.generator import generate; generate(Path(sys.argv[1]), 2000, 200, seed=5)"
    for h in ("1", "2"):
        env = {**os.environ, "PYTHONHASHSEED": h}
        subprocess.run([sys.executable, "-c", code, str(tmp_path / h)], check=True, env=env)
    for name in ("ods_extract.txt", "senr_upload.txt", "truth.csv"):
        assert (tmp_path / "1" / name).read_bytes() == (tmp_path / "2" / name).read_bytes()


def test_rejects_an_upload_the_registry_cannot_fill(tmp_path: Path) -> None:
    with pytest.raises(ValueError):
        generate(tmp_path, 100, 1000)


# -- the registry extract -----------------------------------------------------------------


def test_registry_layout(files: SyntheticFiles, registry: dict[str, list[list[str]]]) -> None:
    raw = files.registry.read_bytes()
    assert b"\r" not in raw and not raw.startswith(b"\xef\xbb\xbf")
    raw.decode("utf-8")
    assert len(registry) == REGISTRY
    lines = sum(len(v) for v in registry.values())
    assert 1.05 * REGISTRY < lines < 1.15 * REGISTRY  # about 10% of SSIDs have a second name line
    countries = country_codes()
    for ssid, rows in registry.items():
        assert len(ssid) == 10 and ssid.isdigit()
        for f in rows:
            assert len(f) == 19
            birth, created = _date(f[9]), _date(f[1])
            assert created > birth
            assert f[2] and f[4] and f[10] in ("M", "F", "X")
            assert f[13] in countries
            assert not f[12] or f[12] in STATES_BY_COUNTRY.get(f[13], ())
            assert len(f[14]) == 7 and f[14].isdigit() and len(f[15]) == 7 and f[15].isdigit()
            assert f[16] in GRADES
            _date(f[17])
            assert not f[18] or _date(f[18]) >= _date(f[17])
        # every line of an SSID is the same student: same birth date, gender and place
        assert len({(f[9], f[10], f[13]) for f in rows}) == 1


def test_registry_population_mix(registry: dict[str, list[list[str]]]) -> None:
    first_lines = [rows[0] for rows in registry.values()]
    gender = Counter(f[10] for f in first_lines)
    assert 0.001 < gender["X"] / REGISTRY < 0.02
    country = Counter(f[13] for f in first_lines)
    assert 0.75 < country["US"] / REGISTRY < 0.95
    for c in ("MX", "PH", "VN", "SV", "GT", "CN", "KR", "IN", "UU"):
        assert country[c] > 0, c
    state = Counter(f[12] for f in first_lines)
    assert state["US-CA"] / REGISTRY > 0.6 and state[""] > 0
    assert any(s.startswith("MX-") for s in state)
    lasts = Counter(f[4] for f in first_lines)
    assert lasts["GARCIA"] > lasts["SMITH"] > 0 and lasts["NGUYEN"] > 0
    assert any("-" in f[2] for f in first_lines)  # JI-WOO
    assert any(" " in f[2] for f in first_lines)  # MARIA JOSE
    assert any(" " in f[4] and not f[4].startswith("DE") for f in first_lines)  # GARCIA LOPEZ
    assert any(any(ord(ch) > 127 for ch in f[2] + f[4]) for f in first_lines)  # JOSÉ, NÚÑEZ
    birth_years = Counter(f[9][:4] for f in first_lines)
    assert min(birth_years) >= "2006" and max(birth_years) <= "2021" and len(birth_years) >= 15
    # common names really repeat
    assert Counter((f[2], f[4]) for f in first_lines).most_common(1)[0][1] >= 5


def test_registry_has_twins_and_second_name_lines(registry: dict[str, list[list[str]]]) -> None:
    family: dict[tuple[str, str, str, str], set[str]] = defaultdict(set)
    for rows in registry.values():
        f = rows[0]
        family[(f[4], f[9], f[14], f[15])].add(f[2])
    twins = sum(1 for firsts in family.values() if len(firsts) > 1)
    assert twins >= 50  # ~1.6% of births are twins
    multi = [rows for rows in registry.values() if len(rows) > 1]
    with_alias = [rows for rows in multi if any(f[6] or f[8] for f in rows)]
    renamed = [rows for rows in multi if len({(f[2], f[4]) for f in rows}) > 1]
    assert len(with_alias) > 0.3 * len(multi) and len(renamed) > 0.3 * len(multi)


# -- the SENR upload ----------------------------------------------------------------------


def test_upload_is_a_valid_senr_file(files: SyntheticFiles, upload: list[list[str]]) -> None:
    raw = files.senr.read_bytes()
    assert raw.endswith(b"\r\n") and raw.count(b"\r\n") == UPLOAD == raw.count(b"\n")
    assert len(upload) == UPLOAD
    for f in upload:
        assert len(f) == 35
        assert f[0] == "SENR" and f[6] == "2026-2027" and f[7] == ""
        assert f[21] and f[23] in GRADES  # 1.22 start date, 1.24 grade are filled
    assert len({f[8] for f in upload}) == UPLOAD
    report = validate_file(open_senr(files.senr))
    assert report.ok, report.errors[:5]
    assert report.records == UPLOAD


def test_truth_covers_the_upload(
    upload: list[list[str]], truth: list[dict[str, str]], registry: dict[str, list[list[str]]]
) -> None:
    assert [row["local_id"] for row in truth] == [f[8] for f in upload]
    new_kinds = set(NEW_SHARES)
    for row in truth:
        if row["variation"] in new_kinds:
            assert row["true_ssid"] == ""
        else:
            assert row["true_ssid"] in registry
    ssids = [row["true_ssid"] for row in truth if row["true_ssid"]]
    assert len(ssids) == len(set(ssids))


def test_every_variation_kind_is_present_in_its_share(truth: list[dict[str, str]]) -> None:
    labels = Counter(row["variation"] for row in truth)
    new = sum(labels[k] for k in NEW_SHARES)
    assert new == round(UPLOAD * 0.08)
    existing = UPLOAD - new
    for kind in NEW_SHARES:
        assert abs(labels[kind] / new - NEW_SHARES[kind]) < 0.02, kind
    combos = {f"{a}+{b}" for a, b in MULTI_COMBOS}
    assert set(labels) == set(NEW_SHARES) | (set(VARIATION_SHARES) - {"multi"}) | combos
    multi = sum(labels[c] for c in combos)
    for kind, share in VARIATION_SHARES.items():
        got = (multi if kind == "multi" else labels[kind]) / existing
        assert abs(got - share) < max(0.01, 0.2 * share), (kind, got, share)


def test_variations_do_what_their_label_says(
    upload: list[list[str]], truth: list[dict[str, str]], registry: dict[str, list[list[str]]]
) -> None:
    def names(f: list[str]) -> tuple[str, str, str, str]:
        return f[9], f[10], f[11], f[12]

    for f, row in zip(upload, truth):
        kind, ssid = row["variation"], row["true_ssid"]
        if not ssid:
            continue
        lines = registry[ssid]
        legal = [(r[2], r[3], r[4], r[5]) for r in lines]
        reg = lines[0]
        dob, rdob = f[16], reg[9]
        if kind == "exact":
            assert names(f) in legal and dob == rdob and f[17] == reg[10] and f[20] == reg[13]
        elif kind == "date_day_month":
            assert dob == rdob[:4] + rdob[6:] + rdob[4:6] != rdob
        elif kind == "date_year":
            assert abs(int(dob[:4]) - int(rdob[:4])) == 1 and dob[4:] == rdob[4:]
        elif kind == "date_digit":
            assert sum(a != b for a, b in zip(dob, rdob)) == 1
        elif kind == "swapped_names":
            assert any((f[9], f[11]) == (r[4], r[2]) for r in lines)
        elif kind == "gender_diff":
            assert f[17] != reg[10] and "X" in (f[17], reg[10])
        elif kind == "middle_as_first":
            assert any(f[9] == r[3] and r[3] for r in lines)
        elif kind == "alias_as_legal":
            assert len(lines) > 1 and dob == rdob
        elif kind in ("nickname_en", "nickname_es", "phonetic", "typo", "accent_punct"):
            assert names(f) not in legal and dob == rdob
        elif kind in ("surname_part", "particle"):
            assert f[9] in {r[2] for r in lines} and f[11] not in {r[4] for r in lines}
        elif kind == "missing_optional":
            assert names(f)[0] in {r[2] for r in lines} and (
                (not f[10] and reg[3]) or (not f[19] and reg[12]) or (f[20] == "UU" != reg[13])
            )


def test_new_students_include_deliberate_look_alikes(
    upload: list[list[str]], truth: list[dict[str, str]], registry: dict[str, list[list[str]]]
) -> None:
    by_last_dob: set[tuple[str, str]] = set()
    by_name: dict[tuple[str, str], list[str]] = defaultdict(list)
    for rows in registry.values():
        for r in rows:
            by_last_dob.add((r[4], r[9]))
            by_name[(r[2], r[4])].append(r[9])
    for f, row in zip(upload, truth):
        if row["variation"] == "new_twin":
            assert (f[11], f[16]) in by_last_dob
        elif row["variation"] == "new_lookalike":
            near = [d for d in by_name[(f[9], f[11])] if abs((_date(d) - _date(f[16])).days) <= 366]
            assert near and f[16] not in near


def test_ssids_are_random_sample_s_values_without_its_memory() -> None:
    """sample_range draws what random.sample draws, repeats included, and leaves the generator alike."""
    import random

    from ssid_tui.synthetic.ssids import sample_range

    for seed, n, k in ((11, 10**10, 3000), (3, 100_000, 8000)):  # the second redraws many repeats
        a, b = random.Random(seed), random.Random(seed)
        assert list(sample_range(b, n, k)) == a.sample(range(n), k)
        assert a.random() == b.random()
    with pytest.raises(ValueError):
        sample_range(random.Random(1), 1000, 100)  # random.sample would take its other branch
