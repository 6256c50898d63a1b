"""Rich rendering of a validation report, and the error CSV beside the input."""

from __future__ import annotations

from pathlib import Path

from rich.console import Console
from rich.table import Table
from rich.text import Text

from ssid_tui.cli.output import cell, say, term
from ssid_tui.files.safe import atomic_writer, remove_if_unchanged, writable_dir_problem
from ssid_tui.files.targets import Kind, TargetRefused
from ssid_tui.formats.safe_text import file_name_part, shown
from ssid_tui.formats.senr import UTF8, SenrLayout
from ssid_tui.formats.spreadsheet import spreadsheet_writer
from ssid_tui.validation.rules import (
    ERROR_CODES,
    ERROR_CSV_HEADER,
    ValidationError,
    ValidationReport,
    error_row,
    validate_file,
)
from ssid_tui.wording import plural

#: Characters of a value shown in a table cell (the CSV has up to 1,000).
VALUE_WIDTH = 60


def describe_layout(report: ValidationReport) -> str:
    """'1,234 records, 35 fields, ^-delimited, UTF-8' (or '15 records (14 with 35 fields, 1 with 15 fields), ...')."""
    lay = report.layout
    common = report.widths.most_common(3)
    if len(common) == 1:
        sizes = f", {plural(common[0][0], 'field')}"
    elif common:  # records of different lengths: how many of each, the usual one first
        more = ", ..." if len(report.widths) > len(common) else ""
        sizes = " (" + ", ".join(f"{n:,} with {plural(w, 'field')}" for w, n in common) + more + ")"
    else:
        sizes = ""
    shape = "^-delimited" if lay.delimiter == "^" else "CSV" + (" with header" if lay.header else "")
    enc = "UTF-8" + (" with BOM" if lay.bom else "") if lay.encoding == UTF8 else "Windows-1252"
    return f"{plural(report.records, 'record')}{sizes}, {shape}, {enc}"


def _nfc_note(report: ValidationReport) -> str:
    n = report.nfc_values
    if not n:
        return ""
    return (f" {n:,} value{'s' if n != 1 else ''} normalised to NFC (accents stored as separate marks, "
            "as Mac exports do, joined to their letters): matching uses the joined form; the SENR copy "
            "export keeps your bytes.")


def print_report(console: Console, report: ValidationReport, show: int = 25) -> None:
    """Summary, warnings, a count per code and the first `show` errors."""
    name = term(report.layout.path.name)
    for w in report.layout.warnings:
        console.print(f"[yellow]Warning:[/] {term(w, 2000)}")
    if report.ok:
        console.print(f"[green]OK[/] {name}: {describe_layout(report)}. No errors: ready to match."
                      + term(_nfc_note(report), 2000))
        return
    if report.records == 0:
        console.print(f"[red]FAILED[/] {name}: no records found.")
        return
    n = report.error_count
    lines = report.error_lines
    console.print(
        f"[bold red]FAILED[/] {name}: {describe_layout(report)}. "
        f"{plural(n, 'error')} on {plural(lines, 'line')}: "
        "CALPADS rejects the whole file. Fix them in the SIS and export again." + term(_nfc_note(report), 2000)
    )
    counts = Table(title="Errors by code", title_justify="left", show_edge=False)
    counts.add_column("Code")
    counts.add_column("Count", justify="right")
    counts.add_column("Meaning")
    for code, count in sorted(report.counts_by_code().items(), key=lambda kv: (-kv[1], kv[0])):
        counts.add_row(code, f"{count:,}", ERROR_CODES[code])
    console.print(counts)
    if show <= 0:
        return
    if n > show:
        print_grouped(console, report, show)
        return
    table = Table(title="Errors", title_justify="left")
    table.add_column("Line", justify="right", no_wrap=True)
    table.add_column("Field")
    table.add_column("Value as read", overflow="fold")
    table.add_column("Code", no_wrap=True)
    table.add_column("What to do", overflow="fold")
    for e in report.errors:
        table.add_row(str(e.line_no), cell(f"{e.field_number} {e.field_name}"), _shown(e.value), e.code, cell(e.fix, 2000))
    console.print(table)


def _shown(value: str) -> Text:
    """A value for the table: invisible characters made visible, blanks said as such, cut if long."""
    v = shown(value, VALUE_WIDTH)
    return cell(v if v.strip() else f"(blank{', ' + str(len(v)) + ' spaces' if v else ''})", 2 * VALUE_WIDTH)


def _lines_text(lines: list[int], count: int) -> str:
    listed = ", ".join(str(n) for n in lines[:4])
    return f"{count:,}: {listed}{', ...' if count > 4 else ''}"


def print_grouped(console: Console, report: ValidationReport, show: int) -> None:
    """Thousands of errors stay readable: one row per field and code, with where it happens."""
    ordered = sorted(report.groups.values(), key=lambda g: (-g.count, g.lines[0]))
    table = Table(
        title=f"{report.error_count:,} errors grouped by field and code"
        + (f" (the {show} largest of {len(ordered)} groups)" if len(ordered) > show else ""),
        title_justify="left",
    )
    table.add_column("Field")
    table.add_column("Code", no_wrap=True)
    table.add_column("Lines (count: first)", overflow="fold")
    table.add_column("Example", overflow="fold")
    table.add_column("What to do (example)", overflow="fold")
    for g in ordered[:show]:
        e = g.example
        table.add_row(cell(f"{e.field_number} {e.field_name}"), e.code, _lines_text(g.lines, g.count),
                      _shown(e.value), cell(e.fix, 2000))
    console.print(table)


def error_csv_beside(senr: Path) -> Path:
    """`upload.txt` -> `upload.txt.errors.csv` in the same folder, without the name's control bytes.

    Resolved first: `.` and `/` have no name of their own to put ".errors.csv" after.
    """
    real = senr.resolve()
    return real.with_name(file_name_part(real.name) + ".errors.csv")


def write_error_csv(console: Console, report: ValidationReport, target: Path) -> Path | None:
    """Write every error of the report's file to `target` (owner-only, atomically) and say where it is.

    For a report already made (matching validates the records it holds): the file is validated
    again, each error written as it is found, so a million errors cost no more memory than a
    clean file. `validate_with_error_csv` does both in one pass.
    """
    problem = writable_dir_problem(target)
    if problem:
        console.print(_not_written(problem))
        return None
    try:
        written = _validate_into(report.layout, target)[1]
    except TargetRefused as exc:
        say(console, _not_written(str(exc)))
        return None
    console.print(_written(written, target))
    return target


def validate_with_error_csv(layout: SenrLayout, target: Path) -> tuple[ValidationReport, str]:
    """Validate an opened SENR file once, writing each error to the CSV `target` as it is found.

    Returns the report and the line to print after it (console markup, text escaped): where
    the CSV is, or why it could not be written. A clean file leaves no CSV; its line says what became
    of an error list an earlier run left at `target`, if any.
    """
    problem = writable_dir_problem(target)
    if problem is not None:
        report = validate_file(layout)
        return report, "" if report.ok else _not_written(problem)
    try:
        report, written = _validate_into(layout, target)
    except TargetRefused as exc:
        report = validate_file(layout)
        return report, _earlier_list(target) if report.ok else _not_written(str(exc))
    if not written:
        return report, _earlier_list(target)
    return report, _written(written, target)


def _earlier_list(target: Path) -> str:
    """A clean file: the error list an earlier run left at `target` would describe another version of it.
    Ours and unchanged, it is removed; changed since (a clerk's notes), it is kept and named."""
    removed = remove_if_unchanged(target, Kind.ERROR_LIST)
    if removed is None:
        return ""
    if removed:
        return f"Removed the error list an earlier run left, {term(target)}: it listed errors this file no longer has."
    return (f"[yellow]Kept[/] the error list an earlier run left, {term(target)} (changed since ssid-tui wrote it): "
            "it lists errors of an earlier version of this file.")


class _NothingToWrite(Exception):
    """The file was clean: the unfinished error list is dropped."""

    def __init__(self, report: ValidationReport) -> None:
        super().__init__("clean")
        self.report = report


def _validate_into(layout: SenrLayout, target: Path) -> tuple[ValidationReport, int]:
    """Validate `layout` writing error rows to `target`; keep the file only if it has errors."""
    written = 0
    try:
        with atomic_writer(target, writes=Kind.ERROR_LIST, inputs=[layout.path], encoding=UTF8) as fh:
            w = spreadsheet_writer(fh)
            w.writerow(ERROR_CSV_HEADER)

            def sink(e: ValidationError) -> None:
                nonlocal written
                w.writerow(error_row(e))
                written += 1

            report = validate_file(layout, sink=sink)
            if not written:
                raise _NothingToWrite(report)
    except _NothingToWrite as clean:
        return clean.report, 0
    return report, written


def _not_written(reason: str) -> str:
    return f"[yellow]The error list was not written:[/] {term(reason, 2000)} Give --errors a new file in a folder you can write to."


def _written(written: int, target: Path) -> str:
    what = "The one error is" if written == 1 else f"All {written:,} errors are"
    return f"{what} in [bold]{term(target)}[/] (one row each, for a spreadsheet)."
