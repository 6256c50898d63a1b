"""Exports after review: the SSID Match Results file, the SIS import, the SENR copy, the report.

Domain code only (no printing). Every file is written through `safefiles.atomic_writer`:
owner-only (0600), to a temporary file beside the target, renamed into place at the end,
so an interrupted export leaves the old file (or none), never half a file.

The whole export reads the workspace inside one read transaction, so a reviewer deciding
in the review app at the same moment never makes the files disagree with each other.
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ssid_tui.files.safe import UNCHECKED, atomic_writer
from ssid_tui.files.targets import Identity, Kind, check_target, still_allowed
from ssid_tui.formats.results import RESULTS_COLUMNS, SELECTION_MARK
from ssid_tui.formats.safe_text import file_name_part
from ssid_tui.formats.senr import UTF8, encode, header_field_columns
from ssid_tui.formats.senr_fields import SSID_INDEX
from ssid_tui.formats.spreadsheet import spreadsheet_writer
from ssid_tui.wording import plural, plural_noun
from ssid_tui.workspace import registry_duplicates, review_notes
from ssid_tui.workspace.decisions import all_conflicts
from ssid_tui.workspace.queue import counts
from ssid_tui.workspace.statuses import DecisionStatus
from ssid_tui.workspace.store import Student, Workspace

#: Review_Decision values, by decision status.
DECISION_LABELS: dict[str, str] = {
    DecisionStatus.CHOSEN: "chosen",
    DecisionStatus.NONE: "none of these",
    DecisionStatus.SKIPPED: "skipped",
    DecisionStatus.UNDECIDED: "not reviewed",
}
#: Review_Decision of a chosen student left unselected because its SSID is in conflict.
CONFLICT_LABEL = "conflict (not exported)"

SIS_COLUMNS = ("LocalID", "SSID")
DELIMITERS = {"comma": ",", "caret": "^"}


class ExportError(Exception):
    """An export cannot be written; the message is one sentence saying why and what to do."""


class ExportBlocked(ExportError):
    """Some SSIDs are chosen for more than one student: exporting would give two students one SSID."""

    def __init__(self, conflicts: dict[str, list[str]]) -> None:
        self.conflicts = conflicts
        n = len(conflicts)
        listing = "; ".join(f"{ssid}: {', '.join(ids)}" for ssid, ids in sorted(conflicts.items()))
        super().__init__(
            f"{plural(n, 'SSID is')} chosen for more than one student ({listing}): "
            "resolve them in the review app, or export with allow_conflicts to leave those students unselected."
        )


@dataclass(frozen=True)
class Written:
    """One file an export wrote: what it is, where, and how many data rows or records."""

    kind: str  # 'results', 'sis', 'senr' or 'report'
    path: Path
    rows: int


# -- the consistent view of the workspace ------------------------------------------------


def export_inputs(ws: Workspace) -> list[Path]:
    """The files an export reads, never to be written over: the workspace, the SENR file, the registry."""
    run = ws.latest_run() or {}
    found = [ws.path]
    for key in ("senr_path", "registry_path"):
        if run.get(key):
            found.append(Path(run[key]))
    return found



@contextlib.contextmanager
def snapshot(ws: Workspace) -> Iterator[None]:
    """Read the workspace inside one transaction (a consistent view), if not already in one."""
    if ws.conn.in_transaction:
        yield
        return
    ws.conn.execute("BEGIN")
    try:
        yield
    finally:
        with contextlib.suppress(Exception):
            ws.conn.execute("ROLLBACK")


def check_finished(ws: Workspace) -> None:
    """Raise ExportError if the latest matching run did not finish (it was interrupted)."""
    run = ws.latest_run()
    if run is None:
        raise ExportError(f"{ws.path} holds no matching run: match the SENR file into it first.")
    if not run.get("finished_at"):
        raise ExportError(f"the latest matching run into {ws.path} did not finish (it was interrupted): "
                          "match the file again before exporting.")


def check_conflicts(ws: Workspace, allow_conflicts: bool) -> set[str]:
    """Local IDs to leave unselected; raise ExportBlocked if there are conflicts and they are not allowed.

    Also refuses (ExportError) a workspace whose latest matching run did not finish.
    """
    check_finished(ws)
    conflicts = all_conflicts(ws)
    if conflicts and not allow_conflicts:
        raise ExportBlocked(conflicts)
    return {lid for ids in conflicts.values() for lid in ids}


def exported_ssid(student: Student, excluded: set[str]) -> str | None:
    """The SSID an export gives this student: the chosen one, unless it is in conflict."""
    if student.status == DecisionStatus.CHOSEN and student.chosen_ssid and student.local_id not in excluded:
        return student.chosen_ssid
    return None


def decision_label(student: Student, excluded: set[str]) -> str:
    """The Review_Decision text for a student."""
    if student.status == DecisionStatus.CHOSEN and student.local_id in excluded:
        return CONFLICT_LABEL
    return DECISION_LABELS.get(student.status, student.status)


# -- SSID Match Results --------------------------------------------------------------------


def results_rows(ws: Workspace, excluded: set[str]) -> Iterator[list[str]]:
    """The data rows of the results file: per student in file order, candidates best score first."""
    twins = upload_duplicate_map(ws)
    look_alikes = registry_duplicates.by_student(ws)
    for s in ws.all_students():
        review = [s.note, review_notes.FOLLOW_UP_ON if s.follow_up else "",
                  " ".join(twins.get(s.id, []))]
        chosen = exported_ssid(s, excluded)
        decision = decision_label(s, excluded)
        submitted_head = [s.reporting_lea, s.school]
        submitted_names = [s.local_id, s.last, s.first, s.middle]
        submitted_rest = [s.suffix, s.alias_last, s.alias_first, s.alias_middle,
                          s.birth_city, s.birth_state, s.birth_country]
        cands = sorted(ws.candidates(s.id), key=lambda c: (-c.score, c.rank))
        if not cands:
            yield [
                *submitted_head, "", *submitted_names, "", "", s.category, "", s.gender, s.birth_date,
                decision, "", *submitted_rest, *[""] * 18, *review, "",
            ]
            continue
        for c in cands:
            yield [
                *submitted_head, SELECTION_MARK if chosen is not None and c.ssid == chosen else "",
                *submitted_names, c.ssid, c.create_date, s.category, str(c.score), s.gender, s.birth_date,
                decision, str(c.rank), *submitted_rest,
                c.last, c.first, c.middle, c.suffix, c.alias_last, c.alias_first, c.alias_middle,
                c.birth_date, c.gender, c.birth_city, c.birth_state, c.birth_country, c.name_source,
                c.lea, c.school, c.grade, c.enroll_start, c.enroll_exit, *review,
                " ".join(look_alikes.get(s.id, {}).get(c.ssid, [])),
            ]


def upload_duplicate_map(ws: Workspace) -> dict[int, list[str]]:
    """Student id -> the other local IDs of the upload that may be the same child."""
    out: dict[int, list[str]] = {}
    for sid, other in ws.conn.execute("SELECT student_id, other_local_id FROM upload_duplicate ORDER BY 1, 2"):
        out.setdefault(sid, []).append(other)
    return out


def _delimiter(delimiter: str) -> str:
    d = DELIMITERS.get(delimiter, delimiter)
    if d not in (",", "^"):
        raise ExportError(f"the delimiter must be comma or caret, not {delimiter!r}.")
    return d


def write_results(ws: Workspace, path: str | os.PathLike[str], delimiter: str = ",", *,
                  allow_conflicts: bool = False) -> int:
    """Write the SSID Match Results file (UTF-8, CRLF, header row); return the number of data rows.

    `delimiter` is "," (default), "^", or the names "comma"/"caret".
    """
    d = _delimiter(delimiter)
    with snapshot(ws):
        excluded = check_conflicts(ws, allow_conflicts)
        return _write_results(ws, Path(path), d, excluded)


def _write_results(ws: Workspace, path: Path, delimiter: str, excluded: set[str], checked: Any = UNCHECKED) -> int:
    n = 0
    with atomic_writer(path, writes=Kind.RESULTS, inputs=export_inputs(ws), encoding=UTF8, newline="",
                       checked=checked) as fh:
        w = spreadsheet_writer(fh, delimiter=delimiter)
        w.writerow(RESULTS_COLUMNS)
        for row in results_rows(ws, excluded):
            w.writerow(row)
            n += 1
    return n


# -- SIS import file -------------------------------------------------------------------------


def write_sis(ws: Workspace, path: str | os.PathLike[str], *, allow_conflicts: bool = False) -> int:
    """Write `LocalID,SSID` for every chosen match (UTF-8, CRLF); return the number of students."""
    with snapshot(ws):
        excluded = check_conflicts(ws, allow_conflicts)
        return _write_sis(ws, Path(path), excluded)


def _write_sis(ws: Workspace, path: Path, excluded: set[str], checked: Any = UNCHECKED) -> int:
    n = 0
    with atomic_writer(path, writes=Kind.SIS, inputs=export_inputs(ws), encoding=UTF8, newline="",
                       checked=checked) as fh:
        w = spreadsheet_writer(fh)
        w.writerow(SIS_COLUMNS)
        for s in ws.all_students():
            ssid = exported_ssid(s, excluded)
            if ssid is not None:
                w.writerow([s.local_id, ssid])
                n += 1
    return n


# -- SENR copy with field 1.08 filled ----------------------------------------------------------


def _split_eol(text: str) -> tuple[str, str]:
    if text.endswith("\r\n"):
        return text[:-2], "\r\n"
    if text.endswith(("\n", "\r")):  # LF, or an old-Mac lone CR
        return text[:-1], text[-1]
    return text, ""


def cell_span(line: str, index: int, delimiter: str) -> tuple[int, int, bool] | None:
    """(start, end, quoted) of cell `index` in one record's text (no line end), or None if absent.

    For "," the rules are the csv module's (Excel dialect): a cell that starts with `"` runs to
    the closing quote, `""` inside is a quote. For "^" there is no quoting (as the reader).
    """
    pos, col, n = 0, 0, len(line)
    while True:
        start = pos
        quoted = delimiter == "," and pos < n and line[pos] == '"'
        if quoted:
            pos += 1
            while pos < n:
                if line[pos] == '"':
                    if pos + 1 < n and line[pos + 1] == '"':
                        pos += 2
                        continue
                    pos += 1
                    break
                pos += 1
        nxt = line.find(delimiter, pos)
        end = n if nxt < 0 else nxt
        if col == index:
            return start, end, quoted
        if nxt < 0:
            return None
        pos, col = nxt + 1, col + 1


def _ssid_column(layout: dict[str, Any]) -> int:
    """The zero-based column of field 1.08 (SSID) in the submitted file."""
    header = layout.get("header")
    if header:
        columns = header_field_columns(header, layout.get("delimiter", ","))
        ssid_column = columns[SSID_INDEX] if columns is not None else None
        if ssid_column is not None:
            return ssid_column
        raise ExportError("the submitted file's header row has no SSID column (1.08), so there is nowhere to put the SSIDs.")
    columns = layout.get("columns")
    if columns and len(columns) > SSID_INDEX and columns[SSID_INDEX] is not None:
        return int(columns[SSID_INDEX])
    return SSID_INDEX


def fill_ssid(raw: str, ssid: str, column: int, delimiter: str) -> str:
    """The record text `raw` (line end included) with only its SSID cell replaced by `ssid`."""
    body, eol = _split_eol(raw)
    span = cell_span(body, column, delimiter)
    if span is None:
        raise ExportError(
            f"a submitted record has no column {column + 1} for the SSID, so it cannot be filled: "
            "check that the workspace was matched from a complete SENR file."
        )
    start, end, quoted = span
    value = f'"{ssid}"' if quoted else ssid
    return body[:start] + value + body[end:] + eol


def _senr_layout(ws: Workspace) -> dict[str, Any]:
    run = ws.latest_run()
    layout = (run or {}).get("senr_layout")
    if not layout or not layout.get("encoding") or not layout.get("delimiter"):
        raise ExportError("the workspace does not record how the submitted SENR file was laid out: match the file again.")
    return dict(layout)


def write_senr(ws: Workspace, path: str | os.PathLike[str], *, allow_conflicts: bool = False) -> int:
    """Write the submitted SENR file with field 1.08 filled for chosen matches; return records filled.

    Every other byte is unchanged: delimiter, quoting, line ends, encoding, byte-order mark and,
    for CSV input, the header line. Records without a chosen match are written as they were.
    """
    with snapshot(ws):
        excluded = check_conflicts(ws, allow_conflicts)
        return _write_senr(ws, Path(path), excluded)


def _write_senr(ws: Workspace, path: Path, excluded: set[str], checked: Any = UNCHECKED) -> int:
    layout = _senr_layout(ws)
    encoding, delimiter = layout["encoding"], layout["delimiter"]
    column = _ssid_column(layout)
    students = ws.all_students()
    filled = 0
    with atomic_writer(path, writes=Kind.SENR_WITH_SSIDS, inputs=export_inputs(ws), binary=True,
                       checked=checked) as fh:
        if layout.get("bom") and encoding.lower().replace("_", "-") in ("utf-8", "utf8"):
            fh.write(b"\xef\xbb\xbf")
        header = layout.get("header")
        if header:
            header = header.lstrip("\ufeff")
            if not header.endswith("\n"):
                first_eol = _split_eol(students[0].raw)[1] if students else ""
                header += first_eol or layout.get("newline") or "\r\n"
            fh.write(encode(header, encoding))
        for i, s in enumerate(students):
            raw = s.raw
            if i == 0 and raw.startswith("\ufeff"):
                raw = raw[1:]  # the byte-order mark was written once above
            ssid = exported_ssid(s, excluded)
            if ssid is not None:
                raw = fill_ssid(raw, ssid, column, delimiter)
                filled += 1
            fh.write(encode(raw, encoding))
    return filled


# -- review report ---------------------------------------------------------------------------


def write_report(ws: Workspace, path: str | os.PathLike[str], *, allow_conflicts: bool = False,
                 checked: Any = UNCHECKED) -> int:
    """Write the review report (Markdown); return the number of students it covers.

    The report never refuses: conflicts are what it is for. It names them, and says whether
    the other exports leave those students unselected (`allow_conflicts`) or refuse.
    """
    from ssid_tui.exports.report import build_report

    with snapshot(ws):
        check_finished(ws)
        text, students = build_report(ws, allow_conflicts=allow_conflicts)
        with atomic_writer(Path(path), writes=Kind.REPORT, inputs=export_inputs(ws), encoding=UTF8, newline="",
                           checked=checked) as fh:
            fh.write(text)
    return students


# -- everything at once ------------------------------------------------------------------------


def default_names(ws: Workspace, delimiter: str = ",") -> dict[str, str]:
    """File names `export_all` uses, from the submitted file's name."""
    run = ws.latest_run() or {}
    senr = Path(str(run.get("senr_path") or ws.path.stem))
    stem = file_name_part(senr.stem) or "senr"  # the clerk's file name, never its control bytes
    suffix = file_name_part(senr.suffix) or ".txt"
    return {
        "results": f"{stem}_match_results.{'txt' if _delimiter(delimiter) == '^' else 'csv'}",
        "sis": f"{stem}_sis_ssids.csv",
        "senr": f"{stem}_with_ssids{suffix}",
        "report": f"{stem}_review_report.md",
    }


#: The kind of file each export writes (what it may replace is in targets.REPLACEABLE).
EXPORT_KINDS = {"results": Kind.RESULTS, "sis": Kind.SIS, "senr": Kind.SENR_WITH_SSIDS, "report": Kind.REPORT}


def export(ws: Workspace, targets: dict[str, str | os.PathLike[str]], *, delimiter: str = ",",
           allow_conflicts: bool = False, checked: dict[str, Identity] | None = None) -> list[Written]:
    """Write the files named in `targets` (kind -> path; kinds: results, sis, senr, report).

    Conflicts and every target (targets.check_target) are checked before anything is written,
    so a refused file leaves none of the others written; all files come from one consistent view
    of the workspace. Each target is checked once: `checked` holds what the caller's own check
    returned (kind -> identity), and the writers check again only a file that changed since.
    """
    unknown = set(targets) - {"results", "sis", "senr", "report"}
    if unknown:
        raise ExportError(f"unknown export kind {', '.join(sorted(unknown))}.")
    d = _delimiter(delimiter)
    out: list[Written] = []
    with snapshot(ws):
        excluded = check_conflicts(ws, allow_conflicts)
        if "senr" in targets:
            _senr_layout(ws)  # fail before writing anything
        inputs = export_inputs(ws)
        seen = dict(checked or {})
        for kind, target in targets.items():
            if kind in seen:
                still_allowed(Path(target), EXPORT_KINDS[kind], inputs, seen[kind])
            else:
                seen[kind] = check_target(Path(target), EXPORT_KINDS[kind], inputs)
        for kind in ("results", "sis", "senr", "report"):
            if kind not in targets:
                continue
            p = Path(targets[kind])
            if kind == "results":
                n = _write_results(ws, p, d, excluded, seen[kind])
            elif kind == "sis":
                n = _write_sis(ws, p, excluded, seen[kind])
            elif kind == "senr":
                n = _write_senr(ws, p, excluded, seen[kind])
            else:
                n = write_report(ws, p, allow_conflicts=allow_conflicts, checked=seen[kind])
            out.append(Written(kind, p, n))
    return out


def undecided_note(ws: Workspace) -> str | None:
    """What an export says before writing when students are still undecided (None when every one is decided)."""
    c = counts(ws)
    if not c.left:
        return None
    skipped = f", {c.skipped:,} of them skipped" if c.skipped else ""
    return (f"{plural(c.left, 'student')} of {c.total:,} {plural_noun(c.left, 'is', 'are')} still undecided{skipped}: "
            "the files give them no SSID (the results file says \"not reviewed\").")


def export_all(ws: Workspace, folder: str | os.PathLike[str], *, delimiter: str = ",",
               allow_conflicts: bool = False) -> list[Written]:
    """Write all four files into `folder` under `default_names`: `export --to` and the review app's `e`."""
    f = Path(folder)
    if not f.is_dir():
        raise ExportError(f"{f} is not a folder: create it or choose another.")
    return export(ws, dict(folder_targets(ws, f, delimiter)), delimiter=delimiter, allow_conflicts=allow_conflicts)


def folder_targets(ws: Workspace, folder: Path, delimiter: str = ",") -> dict[str, Path]:
    """Kind -> path of the four files in `folder`, named by `default_names` (the CLI's --to and the app's e)."""
    return {kind: folder / name for kind, name in default_names(ws, delimiter).items()}
