"""The review report: a short Markdown summary of where a review stands, for the file or a manager.

Counts by category and decision, who decided what, the SSID conflicts and the students
still to decide. Built from the workspace only; `export.write_report` writes it to disk.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from typing import Any

from ssid_tui.formats.results import MatchCategory
from ssid_tui.formats.safe_text import visible
from ssid_tui.formats.spreadsheet import spreadsheet_cell
from ssid_tui.matching.duplicates import DUPLICATE_SCORE
from ssid_tui.matching.matcher import LIKELY_SCORE
from ssid_tui.wording import plural
from ssid_tui.workspace.decisions import all_conflicts
from ssid_tui.workspace.history import latest_rematch_clears
from ssid_tui.workspace.queue import counts
from ssid_tui.workspace.statuses import STATUS_SQL, DecisionStatus
from ssid_tui.workspace.store import Workspace

_DECISION_HEADINGS = {DecisionStatus.CHOSEN: "Chosen", DecisionStatus.NONE: "None of these",
                      DecisionStatus.SKIPPED: "Skipped", DecisionStatus.UNDECIDED: "Not reviewed"}
_DECISION_ORDER = tuple(_DECISION_HEADINGS)
_SOURCE_LABELS = {"app": "review app", "bulk": "bulk accept", "import": "spreadsheet import", "undo": "undo",
                  "bulk-none": "none of these for every No Match (N)"}


_MARKDOWN = str.maketrans({c: "\\" + c for c in "\\`*_[]|<"})


def _cell(text: Any) -> str:
    """A value safe inside a Markdown table cell: controls shown by name, a formula start
    neutralised with `'` (report tables get pasted into spreadsheets), and Markdown's own
    characters taken literally by a backslash: `|`, emphasis, code, links, and `<` (raw HTML
    such as <img src=...> would load when the report is previewed)."""
    return spreadsheet_cell(text).translate(_MARKDOWN)


class Markdown(str):
    """A cell the report writes itself (such as **Total**): put in as it is, not taken literally."""


def _table(headings: list[str], rows: list[list[Any]], right: set[int] | None = None) -> list[str]:
    right = right or set()
    lines = ["| " + " | ".join(headings) + " |",
             "|" + "|".join("---:" if i in right else "---" for i in range(len(headings))) + "|"]
    lines += ["| " + " | ".join(v if isinstance(v, Markdown) else _cell(v) for v in row) + " |" for row in rows]
    return lines


def rematch_section(ws: Workspace) -> list[str]:
    """The decisions the latest re-match cleared (record changed, SSID gone, student gone), if any."""
    cleared = latest_rematch_clears(ws.conn)
    if not cleared:
        return []
    ids = sorted({c.local_id for c in cleared})
    now: dict[str, str] = {}
    for start in range(0, len(ids), 500):
        chunk = ids[start : start + 500]
        now.update(ws.conn.execute(
            f"SELECT s.local_id, {STATUS_SQL} FROM student s LEFT JOIN decision d ON d.student_id = s.id "
            f"WHERE s.local_id IN ({','.join('?' * len(chunk))})", chunk).fetchall())
    out = ["", "## Decisions cleared by the latest re-match", "",
           f"Matching the file again cleared {plural(len(cleared), 'decision')} (the history keeps them): "
           "nothing is exported for these students until they are reviewed again.", ""]
    rows = [[c.local_id, c.why, _decision_words(c.prev_status, c.prev_ssid),
             _decision_words(now[c.local_id], None) if c.local_id in now else "not in the file"] for c in cleared]
    return out + _table(["Local ID", "Why", "Before", "Now"], rows)


def _decision_words(status: str, ssid: str | None) -> str:
    """'chosen 1234567890', 'None of these', 'Skipped', 'Not reviewed'."""
    if status == DecisionStatus.CHOSEN and ssid:
        return f"chosen {ssid}"
    return {str(k): v for k, v in _DECISION_HEADINGS.items()}.get(status, status)


def category_decision_counts(ws: Workspace) -> dict[str, Counter[str]]:
    """Category -> Counter of decision status (undecided included)."""
    out: dict[str, Counter[str]] = {c: Counter() for c in MatchCategory}
    for cat, status, n in ws.conn.execute(
        f"SELECT s.category, {STATUS_SQL}, COUNT(*) FROM student s "
        "LEFT JOIN decision d ON d.student_id = s.id GROUP BY 1, 2"
    ):
        out.setdefault(cat, Counter())[status] += n
    return out


def reviewer_counts(ws: Workspace) -> list[tuple[str, str, Counter[str]]]:
    """(reviewer, source, Counter of status) for the decisions in force now."""
    rows: dict[tuple[str, str], Counter[str]] = {}
    for who, source, status, n in ws.conn.execute(
        "SELECT d.decided_by, COALESCE(h.source, '?'), d.status, COUNT(*) FROM decision d "
        "JOIN student s ON s.id = d.student_id LEFT JOIN history h ON h.id = d.history_id GROUP BY 1, 2, 3"
    ):
        rows.setdefault((who, source), Counter())[status] += n
    return [(who, src, c) for (who, src), c in sorted(rows.items())]


def review_sections(ws: Workspace) -> list[str]:
    """The report's sections on possible duplicate identities, notes and follow-ups."""
    out = ["", f"## None of these, despite a candidate scoring {LIKELY_SCORE}+", ""]
    rows = ws.conn.execute(
        "SELECT s.local_id, s.last || ', ' || s.first, s.best_score, d.decided_by, d.decided_at FROM decision d "
        "JOIN student s ON s.id = d.student_id WHERE d.status = ? AND s.best_score >= ? ORDER BY s.best_score DESC, s.seq",
        (DecisionStatus.NONE, LIKELY_SCORE)).fetchall()
    if rows:
        out.append(f"{plural(len(rows), 'student')} will get a new SSID although the registry has a candidate "
                   f"scoring {LIKELY_SCORE} or more: if one of them is the student, the state will hold two "
                   "identities for one child. Check these first.")
        out.append("")
        out += _table(["Local ID", "Name", "Best score", "Decided by", "When"],
                      [[lid, name, score, who, when[:16].replace("T", " ")] for lid, name, score, who, when in rows],
                      right={2})
    else:
        out.append(f"None: every \"none of these\" was given to a student whose best candidate scores under {LIKELY_SCORE}.")
    out += ["", "## The same child twice in this upload", ""]
    twins = ws.conn.execute(
        "SELECT s.local_id, s.last || ', ' || s.first, s.birth_date, u.other_local_id, u.score FROM upload_duplicate u "
        "JOIN student s ON s.id = u.student_id JOIN student o ON o.local_id = u.other_local_id "
        "WHERE s.seq < o.seq ORDER BY s.seq, o.seq").fetchall()
    if twins:
        out.append(f"{plural(len(twins), 'pair')} of local IDs look like one child (the matcher scores them "
                   f"{DUPLICATE_SCORE}+ against each other). Check each pair in the SIS: if it is one child, give it one "
                   "local ID before uploading; twins and siblings keep their own.")
        out.append("")
        out += _table(["Local ID", "Name", "Birth date", "Looks like local ID", "Score"], [list(r) for r in twins],
                      right={4})
    else:
        out.append("None found.")
    out += registry_duplicate_section(ws)
    out += ["", "## Notes and follow-ups", ""]
    notes = ws.conn.execute(
        "SELECT s.local_id, s.last || ', ' || s.first, a.follow_up, a.note FROM annotation a "
        "JOIN student s ON s.id = a.student_id WHERE a.note != '' OR a.follow_up = 1 ORDER BY a.follow_up DESC, s.seq"
    ).fetchall()
    if notes:
        out += _table(["Local ID", "Name", "Follow-up", "Note"],
                      [[lid, name, "yes" if tag else "", note] for lid, name, tag, note in notes])
    else:
        out.append("No notes and no follow-up tags.")
    return out


def registry_duplicate_section(ws: Workspace) -> list[str]:
    """Students with two candidate SSIDs that look like one child, and which SSID to report to the state."""
    out = ["", "## Possible duplicates in the registry (two SSIDs for one child)", ""]
    rows = ws.conn.execute(
        "SELECT s.id, s.local_id, s.last || ', ' || s.first, s.birth_date, d.ssid, "
        f"{STATUS_SQL} FROM student s LEFT JOIN decision d ON d.student_id = s.id "
        "WHERE s.id IN (SELECT student_id FROM registry_duplicate) ORDER BY s.seq").fetchall()
    if not rows:
        return [*out, "None found."]
    table = []
    for sid, lid, name, birth_date, chosen, status in rows:
        scores = dict(ws.conn.execute("SELECT ssid, score FROM candidate WHERE student_id = ?", (sid,)).fetchall())
        group = sorted({x for pair in ws.conn.execute(
            "SELECT ssid, other_ssid FROM registry_duplicate WHERE student_id = ?", (sid,)) for x in pair})
        if status == DecisionStatus.CHOSEN and chosen in group:
            tell = " ".join(x for x in group if x != chosen)
        else:
            tell = "choose one first" if status != DecisionStatus.NONE else "none of these was given"
        table.append([lid, name, birth_date, " ".join(f"{x} ({scores.get(x, '?')})" for x in group),
                      chosen or "", tell])
    out.append(f"{plural(len(rows), 'student')} {'has' if len(rows) == 1 else 'have'} candidate SSIDs whose "
               "registry records look like one child (same names or one slip apart, same birth date, gender and "
               "birth place): possible duplicates in the registry. They share the student's score. Choose the "
               "SSID the student uses, and tell the state about the other (CALPADS calls it a multiple "
               "identifier, MID).")
    out.append("")
    out += _table(["Local ID", "Name", "Birth date", "Look-alike SSIDs (score)", "Chosen", "Tell the state about"],
                  table)
    return out


def build_report(ws: Workspace, *, allow_conflicts: bool = False) -> tuple[str, int]:
    """The report text (Markdown) and the number of students it covers."""
    run = ws.latest_run() or {}
    c = counts(ws)
    now = dt.datetime.now(dt.UTC).astimezone().isoformat(timespec="seconds")
    out: list[str] = ["# SSID review report", ""]
    out += [
        f"- Workspace: {visible(ws.path.name)}",
        f"- Submitted file: {visible(str(run.get('senr_path', '?')))}",
        f"- Registry: {visible(str(run.get('registry_path', '?')))}",
        f"- Matched: {run.get('started_at', '?')}",
        f"- Report written: {now}",
        "",
        f"{c.total:,} students: {c.decided:,} decided ({c.chosen:,} with an SSID chosen, {c.none:,} none of these), "
        f"{c.left:,} left to decide ({c.skipped:,} of them skipped).",
        "",
        "## Students by match category and decision",
        "",
    ]
    by_cat = category_decision_counts(ws)
    rows = []
    totals: Counter[str] = Counter()
    for cat, counter in by_cat.items():
        rows.append([cat, *[f"{counter[s]:,}" for s in _DECISION_ORDER], f"{sum(counter.values()):,}"])
        totals.update(counter)
    rows.append([Markdown("**Total**"), *[f"{totals[s]:,}" for s in _DECISION_ORDER], f"{sum(totals.values()):,}"])
    out += _table(["Category", *[_DECISION_HEADINGS[s] for s in _DECISION_ORDER], "Total"], rows, right={1, 2, 3, 4, 5})
    out += ["", "## Who decided", ""]
    who_rows = reviewer_counts(ws)
    if who_rows:
        out += _table(
            ["Reviewer", "How", "Chosen", "None of these", "Skipped", "Total"],
            [[who, _SOURCE_LABELS.get(src, src), *[f"{cnt[st]:,}" for st in _DECISION_ORDER[:3]],
              f"{sum(cnt.values()):,}"] for who, src, cnt in who_rows],
            right={2, 3, 4, 5},
        )
    else:
        out.append("No decisions recorded yet.")
    out += ["", "## Conflicts", ""]
    conflicts = all_conflicts(ws)
    if conflicts:
        n = len(conflicts)
        what = ("these students are left unselected in the results, SIS and SENR files of this export"
                if allow_conflicts else "the results, SIS and SENR exports refuse until they are resolved")
        out.append(f"{plural(n, 'SSID is')} chosen for more than one student; {what}. "
                   "Resolve them in the review app (filter: Conflicts).")
        out.append("")
        out += _table(["SSID", "Local IDs"], [[ssid, ", ".join(ids)] for ssid, ids in sorted(conflicts.items())])
    else:
        out.append("None: no SSID is chosen for more than one student.")
    out += review_sections(ws)
    out += rematch_section(ws)
    out += ["", "## Still to decide", ""]
    left = ws.conn.execute(
        f"SELECT s.local_id, s.last, s.first, s.category, s.best_score, {STATUS_SQL} "
        "FROM student s LEFT JOIN decision d ON d.student_id = s.id "
        f"WHERE d.status IS NULL OR d.status = '{DecisionStatus.SKIPPED}' ORDER BY s.seq"
    ).fetchall()
    if left:
        out += _table(
            ["Local ID", "Name", "Category", "Best score", "State"],
            [[lid, f"{last}, {first}", cat, "" if score is None else score, _DECISION_HEADINGS[st]]
             for lid, last, first, cat, score, st in left],
            right={3},
        )
    else:
        out.append("Nobody: every student has a decision.")
    out.append("")
    return "\n".join(out), c.total
