"""Issue 12: the search for the same child twice, in slices and pair chunks, finds what one pass finds."""

from __future__ import annotations

import datetime as dt
import unicodedata
from pathlib import Path

import pytest

from ssid_tui.formats.senr import iter_records, open_senr
from ssid_tui.matching.duplicates import TwinSearch, scored_pairs, upload_duplicates
from ssid_tui.matching.matcher import Matcher, Submitted
from ssid_tui.matching.registry import open_registry
from ssid_tui.workspace import match_twins
from ssid_tui.workspace.match_rows import senr_values
from ssid_tui.workspace.match_run import match_file
from ssid_tui.workspace.store import open_workspace
from tests.support.generated import shared_upload

TODAY = dt.date(2026, 11, 30)
PLANTED = 24


def _plain(text: str) -> str:
    return "".join(c for c in unicodedata.normalize("NFD", text) if not unicodedata.combining(c))


@pytest.fixture(scope="module")
def upload(tmp_path_factory: pytest.TempPathFactory) -> dict[str, object]:
    """A generated upload of 240 students plus PLANTED second local IDs of some of them, slightly changed."""
    folder = tmp_path_factory.mktemp("twins")
    files = shared_upload(tmp_path_factory, 2000, 240, 31)
    lines = Path(files["senr"]).read_text(encoding="utf-8").splitlines(keepends=True)
    planted: set[tuple[str, str]] = set()
    extra = []
    for n, line in enumerate(lines[5 : 5 + 9 * PLANTED : 9]):
        f = line.split("^")
        twin_id = f"9{n:08d}"
        planted.add((f[8], twin_id))
        f[8] = twin_id
        if n % 3 == 1:
            f[11] = _plain(f[11]).replace(" ", "")  # accents dropped, a compound surname glued
        elif n % 3 == 2 and int(f[16][6:]) <= 12:
            f[16] = f[16][:4] + f[16][6:] + f[16][4:6]  # day and month swapped
        extra.append("^".join(f))
    senr = folder / "with_twins.txt"
    senr.write_text("".join(lines + extra), encoding="utf-8", newline="")
    return {"senr": senr, "registry": files["registry"], "planted": planted}


def students_of(senr: Path) -> list[tuple[str, Submitted]]:
    values = [senr_values(rec) for rec in iter_records(open_senr(senr))]
    return [(v["local_id"], Submitted.from_fields(v)) for v in values]


def test_the_search_in_slices_and_pair_chunks_finds_every_pair_one_pass_finds(upload):
    students = students_of(upload["senr"])
    with open_registry(upload["registry"]) as reg:
        matcher = Matcher(reg)
        whole = upload_duplicates(matcher, students)
        search = TwinSearch()
        for start in range(0, len(students), 37):
            search.add(sub for _lid, sub in students[start : start + 37])
        pairs = search.pairs()
        chunked = []
        for start in range(0, len(pairs), 5):
            chunk = pairs[start : start + 5]
            only_theirs = {i: students[i] for pair in chunk for i in pair}
            chunked += scored_pairs(matcher, chunk, only_theirs)
    assert chunked == whole
    assert upload["planted"] <= {(a, b) for a, b, _score in whole}


def test_a_run_with_two_workers_and_small_pair_chunks_stores_the_same_pairs(upload, tmp_path, monkeypatch):
    one = match_file(upload["senr"], upload["registry"], tmp_path / "one.sqlite", today=TODAY, jobs=1)
    monkeypatch.setattr(match_twins, "SLICE", 40)
    monkeypatch.setattr(match_twins, "PAIR_CHUNK", 3)
    two = match_file(upload["senr"], upload["registry"], tmp_path / "two.sqlite", today=TODAY, jobs=2, chunk_size=50)

    def stored(ws_path: Path) -> list[tuple[str, str, int]]:
        with open_workspace(ws_path, readonly=True) as ws:
            return ws.conn.execute("SELECT s.local_id, u.other_local_id, u.score FROM upload_duplicate u "
                                   "JOIN student s ON s.id = u.student_id ORDER BY 1, 2").fetchall()

    assert stored(tmp_path / "two.sqlite") == stored(tmp_path / "one.sqlite")
    assert one.upload_duplicates == two.upload_duplicates >= 2 * PLANTED
    found = {(a, b) for a, b, _score in stored(tmp_path / "one.sqlite")}
    assert {(a, b) for a, b in upload["planted"]} <= found
