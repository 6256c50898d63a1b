"""The SQLite workspace of one upload: the matching run that fills it, decisions, the review queue."""
