"""A student's decision status, as the workspace stores it and every layer above reads it.

`DecisionStatus` is a `StrEnum`: its members equal the strings stored in the `decision`
and `history` tables, so stored workspaces and exported files read the same as before.
"""

from __future__ import annotations

from enum import StrEnum


class DecisionStatus(StrEnum):
    """Where a reviewer left a student. UNDECIDED is never stored: it is the absence of a decision row."""

    UNDECIDED = "undecided"
    CHOSEN = "chosen"  # an SSID was chosen among the candidates
    NONE = "none"  # "none of these": the student is new to the state
    SKIPPED = "skipped"  # put aside to come back to; still to decide


#: The statuses a decision row can hold (no row = undecided).
STORED_STATUSES: tuple[DecisionStatus, ...] = (DecisionStatus.CHOSEN, DecisionStatus.NONE, DecisionStatus.SKIPPED)

#: Decisions that settle a student (skipped ones are still to decide).
FINAL_STATUSES: tuple[DecisionStatus, ...] = (DecisionStatus.CHOSEN, DecisionStatus.NONE)

#: A student's status in SQL, with `d` the student's LEFT JOINed decision row.
STATUS_SQL = f"COALESCE(d.status, '{DecisionStatus.UNDECIDED}')"
