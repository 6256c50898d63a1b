"""`ssid-tui demo`: sample registry and upload, validated, matched and opened for review."""

from __future__ import annotations

import time
from pathlib import Path
from typing import Annotated

import typer

from ssid_tui.cli.app import app, console, console_err
from ssid_tui.cli.progress import progress_bar
from ssid_tui.formats.results import MatchCategory
from ssid_tui.matching.registry import load_extract
from ssid_tui.synthetic.generator import generate
from ssid_tui.workspace.match_run import match_file


@app.command()
def demo(
    folder: Annotated[Path, typer.Option("--dir", help="Where to put the sample files.")] = Path("ssid-tui-demo"),
    registry_size: Annotated[int, typer.Option("--registry-size", help="Students in the sample registry.", min=100)] = 50000,
    students: Annotated[int, typer.Option("--students", help="Students in the sample upload.", min=10)] = 2000,
    review: Annotated[bool, typer.Option("--review/--no-review", help="Open the review app at the end.")] = True,
) -> None:
    """Make a realistic sample registry and enrollment file, validate and match it, then review.

    Runs offline in seconds. The files stay in --dir so you can try every other command on them.

    Example: [bold]ssid-tui demo[/]   or   [bold]ssid-tui demo --dir /tmp/try --students 5000 --no-review[/]
    """
    started = time.perf_counter()
    folder.mkdir(parents=True, exist_ok=True)
    files = generate(folder, registry_size=registry_size, upload_size=students, seed=2026)
    for made in (files.registry, files.senr, files.truth):
        made.chmod(0o600)  # invented students, but kept like real ones
    registry = folder / "registry.sqlite"
    workspace = folder / "upload.workspace.sqlite"
    if workspace.exists():
        workspace.unlink()  # a fresh demo each time; real workspaces are never removed
        for extra in (Path(str(workspace) + "-wal"), Path(str(workspace) + "-shm")):
            extra.unlink(missing_ok=True)
    with progress_bar(console_err, "Loading sample registry", unit_bytes=True) as update:
        load_extract(files.registry, registry, progress=update)
    with progress_bar(console_err, "Matching sample upload") as update:
        summary = match_file(files.senr, registry, workspace, progress=update)
    c = summary.categories
    console.print(
        f"Demo: made a {registry_size:,}-student registry and a {students:,}-student upload in {folder}/, "
        f"validated and matched them in {time.perf_counter() - started:.1f} s "
        f"(Single {c.get(MatchCategory.SINGLE, 0):,}, Multiple {c.get(MatchCategory.MULTIPLE, 0):,}, "
        f"No Match {c.get(MatchCategory.NO_MATCH, 0):,}); workspace: {workspace}"
    )
    if review:
        from ssid_tui.cli.review import review as review_command

        review_command(workspace, read_only=False)
    else:
        console.print(f"Review it with: [bold]ssid-tui review {workspace}[/]")
