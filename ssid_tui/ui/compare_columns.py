"""From 150 columns: the submitted record and every candidate side by side, one column each.

A reviewer choosing between three look-alikes compares across, not one pair at a time:
each field is a line, the submitted value first, then each candidate's value with its
mark (= same, ! different, ? missing, x swapped) and the differing letters or date parts
styled, and the field's weight. The highlighted candidate's column title is reversed.
"""

from __future__ import annotations

from rich.style import Style
from rich.text import Text

from ssid_tui.formats.safe_text import visible
from ssid_tui.ui import render
from ssid_tui.workspace.store import Candidate, Student

LABEL = 13
#: A candidate column needs this many cells to show its value and weight; fewer and the weight goes.
WEIGHT_CELLS = 6
HIGHLIGHT = Style(reverse=True, bold=True)


def column_width(width: int, columns: int) -> int:
    """Cells per value column when `columns` (submitted + candidates) share `width`."""
    return max(10, min(34, (width - LABEL - 1) // max(columns, 1) - 1))


def merged_labels(label_lists: list[list[str]]) -> list[str]:
    """Every row label once, each placed after the label it follows in its own list.

    A row one candidate lacks (both sides empty, so left out) and another has must come
    where the one-candidate view puts it, not at the end: Birth city stays above LEA/school.
    """
    labels: list[str] = []
    for own in label_lists:
        for i, label in enumerate(own):
            if label in labels:
                continue
            before = next((own[j] for j in range(i - 1, -1, -1) if own[j] in labels), None)
            labels.insert(labels.index(before) + 1 if before is not None else 0, label)
    return labels


def side_by_side(s: Student, cands: list[Candidate], width: int, current: int) -> list[Text]:
    """The header line and one line per field, the submitted value and each candidate across."""
    per = column_width(width, len(cands) + 1)
    rows_by_cand = [render.compare_rows(s, c) for c in cands]
    labels = merged_labels([[r.label for r in rows] for rows in rows_by_cand])
    head = Text(render.fit("Field", LABEL) + " ")
    head.append(render.fit(f"Submitted {s.local_id}", per) + " ")
    for i, c in enumerate(cands):
        title = render.fit(f"{i + 1}  {c.ssid}  {c.score}", per)
        head.append(title, HIGHLIGHT if i == current else None)
        head.append(" ")
    lines = [head]
    for label in labels:
        found = [next((r for r in rows if r.label == label), None) for rows in rows_by_cand]
        first = next(r for r in found if r is not None)
        line = Text(render.fit(label, LABEL) + " ")
        line.append(render.fit(_shown(first.submitted, label), per) + " ")
        for row in found:
            line.append_text(_cell(row, first.submitted, per) if row is not None else Text(" " * per))
            line.append(" ")
        lines.append(line)
    return lines


def _shown(value: str, label: str) -> str:
    return render.date(value) if label == "Birth date" else value


def _cell(row: render.CompareRow, submitted: str, per: int) -> Text:
    """'! MARIO      +3.5': mark, the candidate's value with differences to the submitted column styled, weight."""
    weight = row.weight if row.weight is not None and not row.context else None
    room = per - 2 - (WEIGHT_CELLS if weight is not None and per >= 16 else 0)
    if row.context:
        return render.clip(Text("  " + visible(row.candidate)), per)
    if row.mark:
        value = render.clip(Text(visible(row.candidate)), room)
        m = row.mark
    else:
        _sub, value = render.mark_differences(submitted, row.candidate)
        value = render.clip(value, room)
        m = render.mark(submitted, row.candidate)
    out = Text(m, Style(bold=True) if m in (render.MARK_DIFF, render.MARK_SWAPPED) else None)
    out.append(" ")
    out.append_text(value)
    if weight is not None and per >= 16:
        out.append(f"{weight:+6.1f}" if weight else "   0.0", render.POSITIVE if weight > 0 else
                   render.NEGATIVE if weight < 0 else None)
    return render.clip(out, per)
