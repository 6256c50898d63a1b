"""`ssid-tui status W`: where a review stands, in a few lines."""

from __future__ import annotations

import sqlite3
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.table import Table

from ssid_tui.cli.app import app, console, fail, open_workspace_or_fail
from ssid_tui.cli.output import cell, term
from ssid_tui.formats.results import MatchCategory
from ssid_tui.matching.matcher import CONFIDENT_SCORE
from ssid_tui.matching.registry import registry_change
from ssid_tui.wording import plural, plural_noun
from ssid_tui.workspace.decisions import all_conflicts, bulk_candidates
from ssid_tui.workspace.queue import counts, status_counts_at_score
from ssid_tui.workspace.statuses import DecisionStatus
from ssid_tui.workspace.store_problems import damaged_message

HIGH_SCORE = CONFIDENT_SCORE


def _when(iso: str | None) -> str:
    return (iso or "?").replace("T", " ")[:19]


def _layout_text(layout: dict[str, Any] | None) -> str:
    if not layout:
        return ""
    shape = "^-delimited" if layout.get("delimiter") == "^" else "CSV" + (" with header" if layout.get("header") else "")
    raw_enc = str(layout.get("encoding", "?"))
    enc = {"utf-8": "UTF-8", "utf8": "UTF-8", "windows-1252": "Windows-1252", "cp1252": "Windows-1252"}.get(raw_enc.lower(), raw_enc)
    return f" ({shape}, {enc}{' with BOM' if layout.get('bom') else ''})"


@app.command("status")
def status_command(
    workspace: Annotated[Path, typer.Argument(help="The workspace file `ssid-tui match` wrote.", show_default=False)],
    weights: Annotated[bool, typer.Option("--weights", help="Also print the weights the latest run matched with.")] = False,
) -> None:
    """Summarise a workspace: the files matched, counts per category, decisions, conflicts.

    Example: [bold]ssid-tui status fall.sqlite[/]
    """
    ws = open_workspace_or_fail(workspace, readonly=True)
    with ws:
        try:
            run = ws.latest_run() or {}
            c = counts(ws)
            conflicts = all_conflicts(ws)
            high = status_counts_at_score(ws, HIGH_SCORE)
            bulk = len(bulk_candidates(ws, HIGH_SCORE))
        except sqlite3.Error:
            raise fail(damaged_message(workspace)) from None
    grid = Table.grid(padding=(0, 2))
    grid.add_column(style="bold", no_wrap=True)
    grid.add_column(overflow="fold")
    grid.add_row("Workspace", cell(workspace))
    if run:
        grid.add_row("SENR file", cell(f"{run.get('senr_path', '?')}{_layout_text(run.get('senr_layout'))}"))
        grid.add_row("Registry", cell(run.get("registry_path", "?")))
        change = registry_change(run["registry_path"], run.get("registry_fingerprint", "")) \
            if run.get("registry_path") else None
        if change:
            grid.add_row("", f"[yellow]{change}[/]: the candidates are those of the registry as it was; match again "
                             "to see the current one's")
        finished = f", finished {_when(run.get('finished_at'))}" if run.get("finished_at") else " (not finished)"
        grid.add_row("Matched", cell(f"{_when(run.get('started_at'))}{finished}"))
    else:
        grid.add_row("Matched", "no matching run recorded")
    grid.add_row("Students", f"{c.total:,}: {c.single:,} Single Match, {c.multiple:,} Multiple Match, {c.nomatch:,} No Match")
    grid.add_row("Decided", f"{c.decided:,} ({c.chosen:,} with an SSID chosen, {c.none:,} none of these)")
    grid.add_row("Left", f"{c.left:,} ({c.skipped:,} skipped)")
    grid.add_row("Twice in upload", (
        f"[yellow]{plural(c.duplicates, 'student')}[/] {plural_noun(c.duplicates, 'looks', 'look')} like another "
        "local ID of the same file (review filter \"Twice in upload\")") if c.duplicates else "none found")
    grid.add_row("Twice in registry", (
        f"[yellow]{plural(c.registry_duplicates, 'student')}[/] {plural_noun(c.registry_duplicates, 'has', 'have')} "
        "two candidate SSIDs that look like one child: possible duplicate in the registry (review filter "
        "\"Twice in registry\")") if c.registry_duplicates else "none found")
    if c.notes or c.follow_ups:
        grid.add_row("Notes", f"{plural(c.notes, 'student')} with a note, {c.follow_ups:,} tagged for follow-up")
    if conflicts:
        listing = term("; ".join(f"{k}: {', '.join(v)}" for k, v in sorted(conflicts.items())[:5]), 2000)
        more = f"; and {len(conflicts) - 5:,} more" if len(conflicts) > 5 else ""
        ssids = f"[bold red]{len(conflicts):,}[/] {plural_noun(len(conflicts), 'SSID')}"
        grid.add_row("Conflicts", f"{ssids} chosen for more than one student ({listing}{more}): export refuses until resolved")
    else:
        grid.add_row("Conflicts", "none")
    total_high = sum(high.values())
    undecided_high = high.get(DecisionStatus.UNDECIDED, 0) + high.get(DecisionStatus.SKIPPED, 0)
    grid.add_row(
        f"Scoring {HIGH_SCORE}+",
        f"{total_high:,} students' best candidate scores {HIGH_SCORE} or more; {undecided_high:,} of them undecided "
        f"({plural(bulk, MatchCategory.SINGLE)} that bulk accept at {HIGH_SCORE} would take)",
    )
    console.print(grid)
    if weights:
        _print_weights((run.get("settings") or {}).get("weights"))


def _weight_text(level: dict[str, Any], learned: Any = None) -> str:
    """The weight a level scored with: the learned one where the run learned it, else the table's."""
    learned = learned if isinstance(learned, dict) else {}
    if "weight" in level:
        weight = learned.get("weight")
        return f"{float(weight if isinstance(weight, (int, float)) else level['weight']):+.2f}"
    m = learned.get("m") if isinstance(learned.get("m"), (int, float)) else level.get("m", "?")
    floor = f" min {level['floor']:g}" if level.get("floor") is not None else ""
    return f"TF m={m:.3g} max {level.get('cap'):g}{floor}"


def _learned_levels(record: dict[str, Any]) -> dict[str, Any]:
    learned = record.get("learned")
    levels = learned.get("levels") if isinstance(learned, dict) else None
    return levels if isinstance(levels, dict) else {}


def _print_weights(record: dict[str, Any] | None) -> None:
    """The weights a run stored: each field's levels in order, then the adjustments (all values escaped)."""
    if not isinstance(record, dict) or not record.get("fields"):
        console.print("Weights: this run stored none (matched by an older ssid-tui); match again to record them.")
        return
    wide = console.width >= 120
    caption = "TF: log2(m/u), u the agreed value's share of the registry, within max and min."
    learned = _learned_levels(record)
    title = "Weights of evidence (bits) the latest run used" + (" (learned; the priors below)" if learned else "")
    table = Table(title=title, title_justify="left",
                  caption=caption + ("" if wide else " A terminal 120+ wide shows each level's rule."),
                  caption_justify="left")
    table.add_column("Field", no_wrap=True)
    table.add_column("Level", overflow="fold")
    table.add_column("Weight", no_wrap=True)
    if wide:
        table.add_column("Rule / reason", overflow="fold", ratio=1)
    for f in record["fields"]:
        by_level = learned.get(str(f.get("field")))
        by_level = by_level if isinstance(by_level, dict) else {}
        for i, lv in enumerate(f.get("levels", [])):
            why = str(lv.get("rule", "")) + (f" ({lv['reason']})" if lv.get("reason") else "")
            cells = [term(str(f.get("label", ""))) if i == 0 else "", term(str(lv.get("level", ""))),
                     term(_weight_text(lv, by_level.get(str(lv.get("level")))))]
            table.add_row(*cells, *([term(why)] if wide else []))
    for a in record.get("adjustments", []):
        cells = ["Adjustment", term(str(a.get("label", ""))), term(f"{float(a.get('weight', 0)):+.2f}")]
        table.add_row(*cells, *([term(str(a.get("reason", "")))] if wide else []))
    console.print(table)
    left_out = record.get("blocking_left_out")
    if isinstance(left_out, list) and left_out:
        console.print(f"Blocking passes left out: {term(', '.join(str(p) for p in left_out))} (the registry was "
                      "loaded by an earlier ssid-tui, without their indexes: load the ODS extract again to use them).")
    _print_learned(record.get("learned"), {str(f.get("field")): str(f.get("label", "")) for f in record["fields"]})


def _number(value: Any, form: str) -> str:
    return format(value, form) if isinstance(value, (int, float)) else "-"


def _print_learned(learned: Any, labels: dict[str, str]) -> None:
    """Prior next to learned: u from the registry, m before and after EM, the weight the run scored with."""
    if not isinstance(learned, dict):
        console.print("Learned: nothing (this run was matched with the hand-set priors only).")
        return
    levels = learned.get("levels")
    if not isinstance(levels, dict):
        console.print(f"Learned: nothing; u: {term(str(learned.get('u_source', '?')))}.")
        return
    console.print(f"Learned from {term(_number(learned.get('pairs'), ','))} candidate pairs of "
                  f"{term(_number(learned.get('students'), ','))} students (EM, {term(_number(learned.get('iterations'), 'd'))} "
                  f"steps, held to the priors by {term(_number(learned.get('prior_strength'), ',.0f'))} pseudo-pairs per "
                  f"field); u: {term(str(learned.get('u_source', '?')))}.")
    table = Table(title="Prior and learned: m = share among true matches, u = among random registry pairs, "
                        "w = weight (bits)", title_justify="left", pad_edge=False)  # fits 80 columns
    table.add_column("Field", overflow="fold", min_width=6)
    table.add_column("Level", overflow="fold", min_width=10, ratio=1)
    for name in ("u", "m prior", "m learned", "w prior", "w learned"):
        table.add_column(name, no_wrap=True, justify="right")
    for field_name, by_level in levels.items():
        if not isinstance(by_level, dict):
            continue
        for i, (level, v) in enumerate(by_level.items()):
            if not isinstance(v, dict):
                continue
            raw_shift, weight = v.get("shift"), v.get("weight")
            shift = float(raw_shift) if isinstance(raw_shift, (int, float)) else 0.0
            prior = f"{weight - shift:+.2f}" if isinstance(weight, (int, float)) else "TF"
            after = f"{weight:+.2f}" if isinstance(weight, (int, float)) else f"TF {shift:+.2f}"
            table.add_row(term(labels.get(str(field_name), str(field_name))) if i == 0 else "", term(str(level)),
                          term(_number(v.get("u"), ".5f")), term(_number(v.get("m_prior"), ".4f")),
                          term(_number(v.get("m"), ".4f")), term(prior), term(after))
    console.print(table)
