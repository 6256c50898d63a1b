"""Review settings a workspace remembers between sessions (the filter and the sort).

They live in the workspace's own `setting` table, created on the first write, so a
workspace made by an older ssid-tui gains it without a new layout. A read-only session
(a second app on the same file, or `--read-only`) reads them and never writes.
"""

from __future__ import annotations

import sqlite3

from ssid_tui.workspace.store import Workspace

_TABLE = "CREATE TABLE IF NOT EXISTS setting (key TEXT PRIMARY KEY, value TEXT NOT NULL)"


def read(ws: Workspace) -> dict[str, str]:
    """Every remembered setting ({} when none was ever stored)."""
    try:
        return dict(ws.conn.execute("SELECT key, value FROM setting").fetchall())
    except sqlite3.OperationalError:  # no such table: nothing remembered yet
        return {}


def write(ws: Workspace, values: dict[str, str]) -> bool:
    """Remember `values` (one transaction); False, writing nothing, when the workspace is read-only."""
    if ws.readonly:
        return False
    # A view setting is not a decision: no fsync for it (a crash forgets at most the last filter),
    # so that choosing a filter stays instant; decisions keep the connection's full sync.
    sync = ws.conn.execute("PRAGMA synchronous").fetchone()[0]
    ws.conn.execute("PRAGMA synchronous = NORMAL")
    try:
        with ws.conn:
            ws.conn.execute(_TABLE)
            ws.conn.executemany("INSERT OR REPLACE INTO setting (key, value) VALUES (?, ?)", values.items())
    finally:
        ws.conn.execute(f"PRAGMA synchronous = {int(sync)}")
    return True
