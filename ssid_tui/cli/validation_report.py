"""Rich rendering of a validation report, and the error CSV beside the input."""

from __future__ import annotations

import csv
from pathlib import Path

from rich.console import Console
from rich.table import Table

from ssid_tui.files.safe import atomic_writer, writable_dir_problem
from ssid_tui.files.targets import Kind, TargetRefused
from ssid_tui.formats.senr import UTF8
from ssid_tui.validation.rules import (
    ERROR_CODES,
    ValidationReport,
    iter_error_rows,
    visible,
)
from ssid_tui.wording import plural


def describe_layout(report: ValidationReport) -> str:
    """'1,234 records, 35 fields, ^-delimited, UTF-8' in words."""
    lay = report.layout
    widths = ", ".join(f"{w}" for w, _ in report.widths.most_common(3)) or "?"
    shape = "^-delimited" if lay.delimiter == "^" else "CSV" + (" with header" if lay.header else "")
    enc = "UTF-8" + (" with BOM" if lay.bom else "") if lay.encoding == UTF8 else "Windows-1252"
    return f"{report.records:,} records, {widths} fields, {shape}, {enc}"


def print_report(console: Console, report: ValidationReport, show: int = 25) -> None:
    """Summary, warnings, a count per code and the first `show` errors."""
    name = report.layout.path.name
    for w in report.layout.warnings:
        console.print(f"[yellow]Warning:[/] {w}")
    if report.ok:
        console.print(f"[green]OK[/] {name}: {describe_layout(report)}. No errors: ready to match.")
        return
    if report.records == 0:
        console.print(f"[red]FAILED[/] {name}: no records found.")
        return
    n = len(report.errors)
    lines = len({e.line_no for e in report.errors})
    console.print(
        f"[bold red]FAILED[/] {name}: {describe_layout(report)}. "
        f"{plural(n, 'error')} on {plural(lines, 'line')}: "
        "CALPADS rejects the whole file. Fix them in the SIS and export again."
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
        table.add_row(str(e.line_no), f"{e.field_number} {e.field_name}", _shown(e.value), e.code, e.fix)
    console.print(table)


def _shown(value: str) -> str:
    """A value for the table: invisible characters made visible, blanks said as such."""
    v = visible(value)
    return v if v.strip() else f"(blank{', ' + str(len(v)) + ' spaces' if v else ''})"


def _lines_text(lines: list[int], count: int) -> str:
    shown = ", ".join(str(n) for n in lines[:4])
    return f"{count:,}: {shown}{', ...' if count > 4 else ''}"


def print_grouped(console: Console, report: ValidationReport, show: int) -> None:
    """Thousands of errors stay readable: one row per field and code, with where it happens."""
    groups: dict[tuple[str, str], list] = {}
    for e in report.errors:
        groups.setdefault((e.field_number, e.code), []).append(e)
    ordered = sorted(groups.values(), key=lambda es: (-len(es), es[0].line_no))
    table = Table(
        title=f"{len(report.errors):,} errors grouped by field and code"
        + (f" (the {show} largest of {len(ordered)} groups)" if len(ordered) > show else ""),
        title_justify="left",
    )
    table.add_column("Field")
    table.add_column("Code", no_wrap=True)
    table.add_column("Lines (count: first)", overflow="fold")
    table.add_column("Example", overflow="fold")
    table.add_column("What to do (example)", overflow="fold")
    for es in ordered[:show]:
        e = es[0]
        table.add_row(f"{e.field_number} {e.field_name}", e.code, _lines_text([x.line_no for x in es], len(es)),
                      _shown(e.value), e.fix)
    console.print(table)


def write_error_csv(console: Console, report: ValidationReport, target: Path) -> Path | None:
    """Write every error to `target` (owner-only, atomically) and say where it is."""
    problem = writable_dir_problem(target)
    if problem:
        console.print(f"[yellow]The error list was not written:[/] {problem} Use --errors PATH.")
        return None
    try:
        with atomic_writer(target, writes=Kind.ERROR_LIST, inputs=[report.layout.path]) as fh:
            csv.writer(fh).writerows(iter_error_rows(report))
    except TargetRefused as exc:
        console.print(f"[yellow]The error list was not written:[/] {exc} Use --errors PATH.", soft_wrap=True)
        return None
    console.print(f"All {len(report.errors):,} errors are in [bold]{target}[/] (one row each, for a spreadsheet).")
    return target
