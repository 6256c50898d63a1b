"""A file the export may not replace: the CLI advises another file name, the review app (whose export
dialog takes only a folder) another folder; for every refusal of the rule (targets.TargetRefused)."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from ssid_tui.files.targets import Kind, TargetRefused, check_target
from ssid_tui.ui.app import ReviewApp
from ssid_tui.ui.review_screen import ReviewScreen
from ssid_tui.ui.screens.export import write_all
from tests.support.app import make_workspace, sync


def _refusal(path: Path, writes: Kind = Kind.RESULTS, inputs: tuple[Path, ...] = ()) -> TargetRefused:
    with pytest.raises(TargetRefused) as caught:
        check_target(path, writes, inputs)
    return caught.value


def test_every_refusal_keeps_its_cli_words_and_gives_the_app_a_folder_to_choose(tmp_path: Path) -> None:
    """Each way the rule refuses: the CLI's sentence as before; `advising` puts the caller's way out in its place."""
    blocker = tmp_path / "mine.csv"
    blocker.write_text("a,b\n")
    reads = tmp_path / "upload.txt"
    reads.write_text("x\n")
    (tmp_path / "sub").mkdir()
    other = tmp_path / "other.csv"
    other.write_text("hello\n")
    alike = tmp_path / "alike.csv"
    alike.write_text("Submitted_SENR_ReportingLEA,x\n")
    side = Path(f"{reads}-wal")
    cases = {
        "under a file": (_refusal(blocker / "out.csv"),
                         f"{blocker} is a file, not a folder, so {blocker / 'out.csv'} cannot be written: "
                         "give a path in a folder.", False),
        "an input": (_refusal(reads, inputs=(reads,)),
                     f"{reads} is a file this command reads (a file ssid-tui did not write): "
                     "choose another file name to write to.", False),
        "an input's side file": (_refusal(side, inputs=(reads,)),
                                 f"{side} is a side file of {reads}, which this command reads: "
                                 "choose another file name to write to.", False),
        "a look-alike": (_refusal(alike),
                         f"{alike} is an SSID Match Results export, not one ssid-tui wrote and left unchanged: "
                         "it is not replaced; choose another file name, or move it away first.", True),
        "a folder": (_refusal(tmp_path / "sub"), f"{tmp_path / 'sub'} is a folder: give a file name inside it.", True),
        "another kind": (_refusal(other), f"{other} is a file ssid-tui did not write: ssid-tui does not replace it; "
                                          "choose another file name, or move that file away first.", True),
    }
    for name, (exc, cli_words, movable) in cases.items():
        assert str(exc) == cli_words, name
        app_words = exc.advising("another folder")
        assert "file name" not in app_words and "path in a folder" not in app_words, name
        way_out = "choose another folder, or move it away first." if movable else "choose another folder."
        assert app_words == f"{exc.reason}{exc.joint}{way_out}", name
        assert cli_words.startswith(exc.reason), name  # the same facts, only the advice differs


def _obstacle(folder: Path, workspace: Path, case: str) -> None:
    folder.mkdir()
    if case == "a folder":
        (folder / "upload_match_results.csv").mkdir()
    elif case == "another kind":
        (folder / "upload_sis_ssids.csv").write_text("hello\n")
    elif case == "a look-alike":
        (folder / "upload_match_results.csv").write_text("Submitted_SENR_ReportingLEA,x\n")
    else:  # the workspace itself, under an export's name (a hard link)
        os.link(workspace, folder / "upload_review_report.md")


@pytest.mark.parametrize("case", ["a folder", "another kind", "a look-alike", "an input"])
def test_the_apps_export_never_advises_a_file_name_it_cannot_take(tmp_path: Path, case: str) -> None:
    workspace = make_workspace(tmp_path)
    out = tmp_path / "out"
    _obstacle(out, workspace, case)
    severity, message = write_all(workspace, out, "8")
    assert severity == "error" and message.startswith("Not exported: ") and str(out) in message
    assert "file name" not in message and "choose another folder" in message
    assert not list(out.glob("*_with_ssids.txt"))  # nothing written


@sync
async def test_the_refusal_shown_in_the_app_after_e_names_a_folder_to_choose(tmp_path: Path) -> None:
    workspace = make_workspace(tmp_path)
    out = tmp_path / "out"
    _obstacle(out, workspace, "a look-alike")
    app = ReviewApp(workspace)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("e", "ctrl+u", *str(out), "enter", "y")
        await app.workers.wait_for_complete()
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, ReviewScreen)
        severity, text = screen.messages[-1]
        assert severity == "error"
        assert "not one ssid-tui wrote and left unchanged: it is not replaced; " in text
        assert text.endswith("choose another folder, or move it away first.") and "file name" not in text
    assert (out / "upload_match_results.csv").read_text() == "Submitted_SENR_ReportingLEA,x\n"
