"""The workspace's SQLite schema: its tables, the fields kept per student and candidate, its version."""

from __future__ import annotations

from ssid_tui.files.targets import WORKSPACE_APP
from ssid_tui.workspace.statuses import STORED_STATUSES

APP_ID = WORKSPACE_APP
SCHEMA_VERSION = 1

#: Submitted matching fields kept per student (SENR keys).
STUDENT_FIELDS = (
    "reporting_lea", "school", "local_id", "first", "middle", "last", "suffix",
    "alias_first", "alias_middle", "alias_last", "birth_date", "gender",
    "birth_city", "birth_state", "birth_country",
)
#: Candidate (registry) fields kept per candidate.
CANDIDATE_FIELDS = (
    "ssid", "create_date", "first", "middle", "last", "suffix", "alias_first", "alias_middle",
    "alias_last", "birth_date", "gender", "birth_city", "birth_state", "birth_country",
    "lea", "school", "grade", "enroll_start", "enroll_exit",
)

_SCHEMA = f"""
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS run (
    id INTEGER PRIMARY KEY, started_at TEXT NOT NULL, finished_at TEXT,
    senr_path TEXT NOT NULL, senr_sha256 TEXT NOT NULL, senr_layout TEXT NOT NULL,
    registry_path TEXT NOT NULL, registry_fingerprint TEXT NOT NULL,
    settings TEXT NOT NULL, summary TEXT
);
CREATE TABLE IF NOT EXISTS student (
    id INTEGER PRIMARY KEY, run_id INTEGER NOT NULL, seq INTEGER NOT NULL, line_no INTEGER NOT NULL,
    raw TEXT NOT NULL, record_hash TEXT NOT NULL,
    {", ".join(f"{f} TEXT NOT NULL DEFAULT ''" for f in STUDENT_FIELDS)},
    category TEXT NOT NULL, best_score INTEGER, candidate_count INTEGER NOT NULL,
    sort_name TEXT NOT NULL
);
CREATE UNIQUE INDEX IF NOT EXISTS student_local_id ON student(local_id);
CREATE INDEX IF NOT EXISTS student_seq ON student(seq);
CREATE INDEX IF NOT EXISTS student_score ON student(best_score, seq);
CREATE INDEX IF NOT EXISTS student_name ON student(sort_name, seq);
CREATE TABLE IF NOT EXISTS candidate (
    id INTEGER PRIMARY KEY, student_id INTEGER NOT NULL REFERENCES student(id), rank INTEGER NOT NULL,
    score INTEGER NOT NULL, name_source TEXT NOT NULL,
    {", ".join(f"{f} TEXT NOT NULL DEFAULT ''" for f in CANDIDATE_FIELDS)},
    explanation TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS candidate_student ON candidate(student_id, rank);
CREATE TABLE IF NOT EXISTS decision (
    student_id INTEGER PRIMARY KEY REFERENCES student(id),
    status TEXT NOT NULL CHECK (status IN ({", ".join(f"'{st}'" for st in STORED_STATUSES)})),
    ssid TEXT, decided_by TEXT NOT NULL, decided_at TEXT NOT NULL, history_id INTEGER NOT NULL
);
CREATE INDEX IF NOT EXISTS decision_ssid ON decision(ssid);
CREATE INDEX IF NOT EXISTS decision_status ON decision(status);
CREATE TABLE IF NOT EXISTS history (
    id INTEGER PRIMARY KEY AUTOINCREMENT, batch INTEGER NOT NULL, student_id INTEGER NOT NULL,
    local_id TEXT NOT NULL, status TEXT NOT NULL, ssid TEXT, prev_status TEXT NOT NULL, prev_ssid TEXT,
    decided_by TEXT NOT NULL, decided_at TEXT NOT NULL, source TEXT NOT NULL, undoes INTEGER, note TEXT
);
CREATE INDEX IF NOT EXISTS history_batch ON history(batch);
CREATE INDEX IF NOT EXISTS history_local_id ON history(local_id);
CREATE INDEX IF NOT EXISTS history_undoes ON history(undoes);
"""
#: Whether a step was undone is looked up by `undoes` (once per row of the latest steps, on every `u`:
#: without it, `u` after an undone bulk step read the whole history once per row of that step).
#: Added when an older workspace is opened for writing.
HISTORY_UNDOES_INDEX = "history_undoes"

#: Tables added after version 1 without changing its layout: created when a version-1 workspace
#: is opened for writing, and as empty TEMP tables when one is opened read-only.
_REVIEW_SCHEMA = """
CREATE TABLE IF NOT EXISTS annotation (
    student_id INTEGER PRIMARY KEY, note TEXT NOT NULL DEFAULT '', follow_up INTEGER NOT NULL DEFAULT 0
);
CREATE TABLE IF NOT EXISTS annotation_change (
    history_id INTEGER PRIMARY KEY, kind TEXT NOT NULL, value TEXT NOT NULL, prev_value TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS upload_duplicate (
    student_id INTEGER NOT NULL, other_local_id TEXT NOT NULL, score INTEGER NOT NULL,
    PRIMARY KEY (student_id, other_local_id)
);
CREATE TABLE IF NOT EXISTS registry_duplicate (
    student_id INTEGER NOT NULL, ssid TEXT NOT NULL, other_ssid TEXT NOT NULL,
    PRIMARY KEY (student_id, ssid, other_ssid)
);
CREATE TABLE IF NOT EXISTS rematch_reason (history_id INTEGER PRIMARY KEY, reason TEXT NOT NULL);
"""
_REVIEW_TABLES = ("annotation", "annotation_change", "upload_duplicate", "registry_duplicate", "rematch_reason")

#: What the review's first screen needs from a scan of every student (file order, category counts),
#: kept in the workspace. Every change to a student that could alter them deletes it, in the
#: writer's own transaction, whoever the writer is (a re-match, another tool, a hand edit).
QUEUE_CACHE_TRIGGERS = ("queue_cache_student_insert", "queue_cache_student_update", "queue_cache_student_delete")
_QUEUE_CACHE_SCHEMA = """
CREATE TABLE IF NOT EXISTS queue_cache (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TRIGGER IF NOT EXISTS queue_cache_student_insert AFTER INSERT ON student
    BEGIN DELETE FROM queue_cache; END;
CREATE TRIGGER IF NOT EXISTS queue_cache_student_update AFTER UPDATE OF id, seq, category ON student
    BEGIN DELETE FROM queue_cache; END;
CREATE TRIGGER IF NOT EXISTS queue_cache_student_delete AFTER DELETE ON student
    BEGIN DELETE FROM queue_cache; END;
DELETE FROM queue_cache;
"""
