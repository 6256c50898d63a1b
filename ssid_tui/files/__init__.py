"""Files that hold student data: created owner-only, written atomically, locked while in use."""
