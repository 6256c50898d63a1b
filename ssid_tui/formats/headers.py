"""Column names as a person or a spreadsheet may have retyped them, folded for comparison."""

from __future__ import annotations


def fold_header(name: str) -> str:
    """A column name folded for comparison: case, spaces, underscores and punctuation ignored.

    "Local Student ID", "local_student_id" and "LOCAL-STUDENT-ID" all fold to "localstudentid".
    """
    return "".join(ch for ch in name.lower() if ch.isalnum())
