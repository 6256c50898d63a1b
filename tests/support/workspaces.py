"""Build workspaces for tests without running the matcher: students and candidates by hand."""

from __future__ import annotations

import random
from pathlib import Path
from typing import Any

from ssid_tui.matching.matcher import category_for
from ssid_tui.workspace.store import (
    CANDIDATE_FIELDS,
    Workspace,
    create_workspace,
    open_workspace,
    record_hash,
)

_FIRST = ["JOSE", "MARIA", "DANIEL", "SOFIA", "LIAM", "EMMA", "NOAH", "OLIVIA", "MATEO", "CAMILA",
          "ETHAN", "MIA", "LUIS", "ISABELLA", "MINH", "JI-WOO", "AIDEN", "VALERIA", "ANGEL", "CHLOE"]
_LAST = ["GARCIA", "HERNANDEZ", "NGUYEN", "SMITH", "LOPEZ", "MARTINEZ", "KIM", "DE LA CRUZ",
         "O'BRIEN", "RODRIGUEZ", "TRAN", "JOHNSON", "GONZALEZ", "PEREZ", "SANCHEZ", "RAMIREZ"]


def senr_line(s: dict[str, Any]) -> str:
    """A 35-field caret SENR line (CRLF) for a student dict."""
    f = [""] * 35
    f[0], f[3], f[4], f[6] = "SENR", s["reporting_lea"], s["school"], "2026-2027"
    f[8], f[9], f[10], f[11] = s["local_id"], s["first"], s["middle"], s["last"]
    f[13], f[14], f[15] = s["alias_first"], s["alias_middle"], s["alias_last"]
    f[16], f[17], f[18], f[19], f[20] = s["birth_date"], s["gender"], s["birth_city"], s["birth_state"], s["birth_country"]
    return "^".join(f) + "\r\n"


def student(local_id: str, first: str, last: str, birth_date: str, gender: str = "F", **extra: Any) -> dict[str, Any]:
    """A submitted-student dict as `Workspace.store_results` takes it (candidates empty)."""
    s: dict[str, Any] = {
        "reporting_lea": "1964733", "school": "1930056", "local_id": local_id, "first": first, "middle": "",
        "last": last, "suffix": "", "alias_first": "", "alias_middle": "", "alias_last": "",
        "birth_date": birth_date, "gender": gender, "birth_city": "", "birth_state": "US-CA",
        "birth_country": "US", "candidates": [],
    }
    s.update(extra)
    return s


def candidate(ssid: str, score: int, first: str, last: str, birth_date: str, gender: str = "F", **extra: Any) -> dict[str, Any]:
    """A candidate dict with a plausible explanation."""
    c: dict[str, Any] = {f: "" for f in CANDIDATE_FIELDS}
    c.update(ssid=ssid, score=score, first=first, last=last, birth_date=birth_date, gender=gender,
             create_date="20190815", birth_state="US-CA", birth_country="US", lea="1964733",
             school="1930056", grade="05", enroll_start="20250814", name_source="legal")
    c["explanation"] = [
        {"field": "last", "label": "Last name", "level": "exact", "submitted": last, "candidate": last, "weight": 6.0},
        {"field": "first", "label": "First name", "level": "exact", "submitted": first, "candidate": first, "weight": 5.0},
        {"field": "birth_date", "label": "Birth date", "level": "exact", "submitted": birth_date, "candidate": birth_date, "weight": 8.0},
        {"field": "gender", "label": "Gender", "level": "exact", "submitted": gender, "candidate": gender, "weight": 1.0},
    ]
    c.update(extra)
    return c


def categorise(s: dict[str, Any]) -> dict[str, Any]:
    """Set category from the number of candidates (CDE's rule)."""
    n = len(s["candidates"])
    s["category"] = category_for(n)
    return s


def build_workspace(path: Path, students: list[dict[str, Any]], layout: dict[str, Any] | None = None,
                    senr_path: str = "upload.txt") -> Workspace:
    """Create a workspace at `path` holding `students` (each with its `candidates`).

    `layout` is the run's SENR layout (default: UTF-8, caret, no header); give each
    student's `raw` to match it.
    """
    ws = create_workspace(path)
    run = ws.begin_run(
        senr_path=Path(senr_path), senr_sha256="0" * 64,
        senr_layout=layout if layout is not None else {"encoding": "utf-8", "bom": False, "delimiter": "^", "header": None},
        registry_path=Path("registry.sqlite"), registry_fingerprint="test", settings={}, started_at="2026-11-28T10:00:00",
    )
    rows = []
    for seq, s in enumerate(students, start=1):
        s = categorise(dict(s))
        s.setdefault("seq", seq)
        s.setdefault("line_no", seq)
        s.setdefault("raw", senr_line(s))
        s.setdefault("record_hash", record_hash([s[k] for k in ("local_id", "first", "last", "birth_date", "gender")]))
        s["candidates"] = sorted(s["candidates"], key=lambda c: -c["score"])
        rows.append(s)
    ws.store_results(run, rows)
    categories: dict[str, int] = {}
    for s in rows:
        categories[s["category"]] = categories.get(s["category"], 0) + 1
    ws.finish_run(run, "2026-11-28T10:00:05", {"students": len(rows), "categories": categories})
    return ws


def small_students() -> list[dict[str, Any]]:
    """Six students covering every category, a twin look-alike and a shared candidate."""
    return [
        student("1001", "MARIA", "GARCIA", "20140507", candidates=[candidate("1234567890", 97, "MARIA", "GARCIA", "20140507")]),
        student("1002", "JOSE", "LOPEZ", "20130212", "M", candidates=[
            candidate("2234567890", 88, "JOSE", "LOPEZ", "20130212", "M"),
            candidate("2234567891", 61, "JESUS", "LOPEZ", "20130212", "M"),
        ]),
        student("1003", "LIAM", "SMITH", "20150101", "M"),
        student("1004", "MARIA", "GARCIA", "20140507", candidates=[candidate("1234567890", 91, "MARIA", "GARCIA", "20140507")]),
        student("1005", "SOFIA", "NGUYEN", "20120930", candidates=[candidate("3234567890", 72, "SOPHIA", "NGUYEN", "20120930")]),
        student("1006", "EMMA", "KIM", "20160704", candidates=[
            candidate("4234567890", 95, "EMMA", "KIM", "20160704"),
            candidate("4234567891", 90, "EMMA", "KIM", "20160407"),
            candidate("4234567892", 55, "EMILY", "KIM", "20160704"),
        ]),
    ]


def large_students(n: int, seed: int = 7) -> list[dict[str, Any]]:
    """`n` generated students with 0-4 candidates each (for speed tests of the queue)."""
    rng = random.Random(seed)
    out = []
    for i in range(n):
        first, last = rng.choice(_FIRST), rng.choice(_LAST)
        bd = f"{rng.randint(2008, 2021)}{rng.randint(1, 12):02d}{rng.randint(1, 28):02d}"
        k = rng.choice([0, 1, 1, 1, 2, 3, 4])
        cands = [candidate(f"{rng.randrange(10**9, 10**10)}", rng.randint(40, 100), first, last, bd) for _ in range(k)]
        out.append(student(f"L{i:07d}", first, last, bd, rng.choice("MF"), candidates=cands))
    return out


def sid(ws: Workspace, local_id: str) -> int:
    """The workspace id of the student with this Local Student ID."""
    s = ws.student_by_local_id(local_id)
    assert s is not None
    return s.id


def workspace_state(ws: Path) -> tuple[Any, ...]:
    """What an interrupted or refused re-match must not half-change: runs, students, candidates, decisions."""
    with open_workspace(ws, readonly=True) as w:
        q = w.conn.execute
        return (q("SELECT id, finished_at FROM run ORDER BY id").fetchall(),
                q("SELECT local_id, record_hash, category FROM student ORDER BY local_id").fetchall(),
                q("SELECT COUNT(*) FROM candidate").fetchone()[0],
                q("SELECT student_id, status, ssid FROM decision ORDER BY student_id").fetchall())
