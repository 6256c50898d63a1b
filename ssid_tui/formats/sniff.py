"""What kind of file this is, from its first bytes: so that a file given in the wrong place
gets a sentence naming what it is and where it goes, instead of "malformed line 1"."""

from __future__ import annotations

from pathlib import Path

SQLITE_MAGIC = b"SQLite format 3\x00"
SENR, ODS, SQLITE = "senr", "ods", "sqlite"


def file_kind(path: Path) -> str | None:
    """'senr', 'ods' or 'sqlite' when the file starts like one; None when it cannot tell."""
    try:
        with open(path, "rb") as fh:
            head = fh.read(4096)
    except OSError:
        return None
    if head.startswith(SQLITE_MAGIC):
        return SQLITE
    text = head.decode("utf-8", errors="replace").lstrip("\ufeff")
    first = text.splitlines()[0] if text else ""
    cells = [c.strip().strip('"').upper() for c in first.replace(",", "^").split("^")]
    if cells and (cells[0] == "SENR" or "RECORDTYPECODE" in {c.replace(" ", "").replace("_", "") for c in cells}):
        return SENR
    if first.count("^") == ods_field_count() - 1:
        return ODS
    return None


def ods_field_count() -> int:
    """The ODS extract's field count (imported here, not at the top: the SENR reader imports this module)."""
    from ssid_tui.formats.ods import ODS_FIELD_COUNT

    return ODS_FIELD_COUNT


def is_ods_line(line: str) -> bool:
    """True when a first line is an ODS extract record: its field count and a 10-digit SSID first, no SENR code."""
    cells = line.lstrip("\ufeff").split("^")
    first = cells[0].strip()
    return len(cells) == ods_field_count() and len(first) == 10 and first.isascii() and first.isdigit()
