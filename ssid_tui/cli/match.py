"""`ssid-tui match SENR --ods REGISTRY [--workspace W]`: validate, then match into a workspace."""

from __future__ import annotations

import shlex
from pathlib import Path
from typing import Annotated

import typer

from ssid_tui.cli.app import EXIT_INPUT_ERRORS, app, console, console_err, fail, refused
from ssid_tui.cli.interrupts import EXIT_INTERRUPTED, EXIT_WORKER_LOST, stop_on_sigterm
from ssid_tui.cli.output import say, term
from ssid_tui.cli.progress import progress_bar
from ssid_tui.cli.validation_report import error_csv_beside, print_report, write_error_csv
from ssid_tui.files.processes import available_cores
from ssid_tui.formats.results import MatchCategory
from ssid_tui.formats.safe_text import file_name_part
from ssid_tui.formats.senr import SenrReadError
from ssid_tui.matching.matcher import CONFIDENT_SCORE, Settings
from ssid_tui.matching.registry import RegistryError
from ssid_tui.wording import plural, plural_noun
from ssid_tui.workspace.history import (
    REASON_LEFT_FILE,
    REASON_RECORD_CHANGED,
    REASON_SSID_GONE,
    latest_rematch_clears,
)
from ssid_tui.workspace.match_run import InvalidSenr, MatchInterrupted, RunSummary, Stage, match_file
from ssid_tui.workspace.store import WorkspaceError, open_workspace


def stage_label(stage: Stage, total: int) -> str:
    """The progress bar's label while a run validates or learns its weights."""
    if stage is Stage.LEARNING:
        return f"Learning weights from {plural(total, 'student')}"
    return "Validating"


def default_workspace(senr: Path) -> Path:
    """`upload.txt` -> `upload.workspace.sqlite` beside it (no control byte of the upload's name copied)."""
    return senr.with_name(file_name_part(senr.stem) + ".workspace.sqlite")


def say_resuming(kept: int, total: int) -> None:
    """The run goes on from an interrupted one."""
    console_err.print(f"Resuming: {kept:,} of {total:,} students already matched by the interrupted run.",
                      markup=False, highlight=False)


def say_starting_over(dropped: int) -> None:
    """An interrupted run's kept students were for something else: say they are matched again."""
    say(console_err, f"The {plural(dropped, 'student')} an interrupted run had matched {plural_noun(dropped, 'was', 'were')} for another file, "
                     "registry or settings (--min-score, --max-candidates): matching every student again.")


def interrupted_sentence(exc: MatchInterrupted) -> str:
    """What an interrupted run left: the workspace as it was, and the students matched so far."""
    where = (f"{term(exc.workspace)} is as it was" if exc.workspace.exists()
             else "no workspace was written")
    what = ("Stopped: a matching worker process was killed (by the system, perhaps for lack of memory; "
            "--jobs 1 uses the least)" if exc.worker_lost else "Interrupted")
    if not exc.matched:
        return f"{what}: nothing was matched and {where}."
    return (f"{what}: {where}; the {exc.matched:,} of {exc.total:,} students matched so far are kept, "
            "and matching the same file again goes on from there.")


def print_summary(summary: RunSummary) -> None:
    """The closing lines of a matching run."""
    c = summary.categories
    n = max(summary.students, 1)
    shown = (MatchCategory.SINGLE, MatchCategory.MULTIPLE, MatchCategory.NO_MATCH)
    by_category = "   ".join(f"{cat} {c.get(cat, 0):,}" for cat in shown)
    console.print(
        f"[green]Matched[/] {summary.students:,} students in {summary.seconds:.1f} s"
        + (f" ({summary.resumed:,} of them by the interrupted run before)" if summary.resumed else "")
        + f" -> [bold]{term(summary.workspace)}[/]\n"
        f"  {by_category}\n"
        f"  Top candidate scored {CONFIDENT_SCORE}+: {summary.top_90:,} ({100 * summary.top_90 / n:.1f}%)"
    )
    if summary.kept_decisions or summary.cleared_decisions or summary.removed_students:
        console.print(
            f"  Earlier decisions kept: {summary.kept_decisions:,}; cleared because the record changed: "
            f"{summary.cleared_decisions:,}; students no longer in the file: {summary.removed_students:,}"
        )
    if summary.upload_duplicates:
        say(console,
            f"  [yellow]Same child twice?[/] {plural(summary.upload_duplicates, 'student')} of this file "
            f"{plural_noun(summary.upload_duplicates, 'looks', 'look')} like another local ID of the same file: "
            "filter \"Twice in upload\" in the review, column Upload_Possible_Duplicate_Of in the results.")
    if summary.registry_duplicates:
        say(console,
            f"  [yellow]Two SSIDs for one child?[/] {plural(summary.registry_duplicates, 'student')} "
            f"{plural_noun(summary.registry_duplicates, 'has', 'have')} two candidate SSIDs that look like one child "
            "(possible duplicate in the registry): filter \"Twice in registry\" in the review, column "
            "Registry_Possible_Duplicate_Of in the results.")
    if summary.cleared_decisions or summary.removed_students or summary.dropped_choices:
        cleared_sentences(summary.workspace)  # the workspace is opened again only when there is something to name
    for note in (summary.registry_note, summary.journal_note):
        if note:
            console.print(f"  [yellow]Note:[/] {term(note, 2000)}")


#: Local IDs named in a summary line at most; the rest are counted ("and 12 more").
LISTED_IDS = 10


def listed(local_ids: list[str]) -> str:
    """'40117, 40118 and 3 more': at most LISTED_IDS local IDs (never names or dates: they are student data)."""
    shown = ", ".join(term(i) for i in local_ids[:LISTED_IDS])
    more = len(local_ids) - LISTED_IDS
    return f"{shown} and {more:,} more" if more > 0 else shown


#: How the summary says each reason a re-match cleared decisions for: (one, several, what to do).
CLEARED_WORDS = {
    REASON_RECORD_CHANGED: ("decision whose record changed", "decisions whose record changed",
                            "review them again; the history keeps the old decision"),
    REASON_SSID_GONE: ("choice whose SSID is no longer a candidate", "choices whose SSID is no longer a candidate",
                       "review them again; the history keeps the old choice"),
    REASON_LEFT_FILE: ("decision of a student no longer in this file", "decisions of students no longer in this file",
                       "they are out of the workspace; the history keeps the old decision"),
}


def cleared_sentences(workspace: Path) -> None:
    """One line per reason a re-match cleared decisions, naming the students by local ID.

    Read from the workspace's history (`latest_rematch_clears`), the same entries the report lists.
    """
    with open_workspace(workspace, readonly=True) as ws:
        cleared = latest_rematch_clears(ws.conn)
    for reason, (one, several, then) in CLEARED_WORDS.items():
        ids = [c.local_id for c in cleared if c.reason == reason]
        if ids:
            say(console, f"  [yellow]Cleared {len(ids):,} {one if len(ids) == 1 else several}[/] "
                         f"(local ID {listed(ids)}): {then}.")


@app.command()
def match(
    senr_file: Annotated[Path, typer.Argument(help="The SENR file to match (SSIDs blank).", show_default=False)],
    ods: Annotated[Path, typer.Option("--ods", help="The registry built by `ssid-tui ods load`.", show_default=False)],
    workspace: Annotated[Path | None, typer.Option(
        "--workspace", "-w", help="Workspace file to write \\[default: FILE.workspace.sqlite beside the input].")] = None,
    min_score: Annotated[int, typer.Option(help="Hide candidates scoring below this.", min=1, max=99)] = Settings.min_score,
    max_candidates: Annotated[int, typer.Option(help="Most candidates kept per student.", min=1, max=20)] = Settings.max_candidates,
    replace_upload: Annotated[bool, typer.Option(
        "--replace-upload", help="Match into a workspace even though most of its reviewed students are not in this file.")] = False,
    jobs: Annotated[int | None, typer.Option(
        "--jobs", "-j", min=1, max=256, show_default=False,
        help="Worker processes matching at once \\[default: the cores this process may use].")] = None,
) -> None:
    """Validate an SENR file and, if it is clean, match every student against the registry.

    Matching again into the same workspace keeps the decisions of records that did not change.
    Ctrl-C stops the run and leaves the workspace as it was; matching the same file again goes
    on where it stopped. Exit code 1 if the file has validation errors (no workspace is
    written), 130 if interrupted.

    Example: [bold]ssid-tui match upload.txt --ods registry.sqlite --workspace fall.sqlite[/]
    """
    target = workspace or default_workspace(senr_file)
    settings = Settings(min_score=min_score, max_candidates=max_candidates)
    try:
        with progress_bar(console_err, "Validating") as update, stop_on_sigterm():
            summary = match_file(senr_file, ods, target, settings, replace_upload=replace_upload,
                                 jobs=jobs or available_cores(), on_resume=say_resuming,
                                 on_stale_resume=say_starting_over,
                                 stage=lambda stage, done, total: update(done, total, stage_label(stage, total)),
                                 progress=lambda done, total: update(done, total, "Matching"))
    except MatchInterrupted as exc:
        say(console_err, interrupted_sentence(exc))
        raise typer.Exit(EXIT_WORKER_LOST if exc.worker_lost else EXIT_INTERRUPTED) from None
    except SenrReadError as exc:
        raise fail(str(exc)) from None
    except InvalidSenr as exc:
        print_report(console, exc.report)
        write_error_csv(console, exc.report, error_csv_beside(senr_file))
        console.print("Nothing was matched and no workspace was written.")
        raise typer.Exit(EXIT_INPUT_ERRORS) from None
    except RegistryError as exc:
        raise fail(str(exc)) from None
    except WorkspaceError as exc:  # a workspace at the default path beside the input is named by its path alone
        raise (refused("--workspace", exc) if workspace is not None else fail(str(exc))) from None
    print_summary(summary)
    console.print(f"Next: [bold]ssid-tui review {term(shlex.quote(str(summary.workspace)))}[/]")  # pasted as it is
