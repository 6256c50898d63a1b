"""One matched student as the workspace stores it: the SENR values, the candidates, the row."""

from __future__ import annotations

from typing import Any

from ssid_tui.formats.senr import SenrRecord
from ssid_tui.formats.senr_fields import SENR_FIELDS
from ssid_tui.matching.matcher import Candidate as MatchCandidate
from ssid_tui.matching.matcher import MatchResult
from ssid_tui.workspace.store import CANDIDATE_FIELDS, STUDENT_FIELDS, record_hash


def senr_values(rec: SenrRecord) -> dict[str, str]:
    """A record's fields 1.01-1.21 by key."""
    return {f.key: rec.get(f.index) for f in SENR_FIELDS}


def candidate_record(c: MatchCandidate) -> dict[str, Any]:
    """A matcher candidate as `Workspace.store_results` and `Workspace.add_candidate` store it."""
    return {**{f: c.registry.get(f, "") for f in CANDIDATE_FIELDS}, "ssid": c.ssid, "score": c.score,
            "name_source": c.name_source, "explanation": c.explanation()}


def result_row(seq: int, rec: SenrRecord, values: dict[str, str], result: MatchResult) -> dict[str, Any]:
    """One student's row for Workspace.store_results (`values` = senr_values(rec))."""
    row: dict[str, Any] = {k: values.get(k, "") for k in STUDENT_FIELDS}
    row.update(seq=seq, line_no=rec.line_no, raw=rec.raw, category=result.category,
               record_hash=record_hash(rec.fields[: len(SENR_FIELDS)]))
    row["candidates"] = [candidate_record(c) for c in result.candidates]
    # pairs of this student's candidates that look like one child (a possible duplicate in the registry)
    row["look_alikes"] = [(c.ssid, other) for c in result.candidates for other in c.duplicate_of if c.ssid < other]
    return row
