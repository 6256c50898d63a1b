"""`ssid-tui find`: look up one student at the front desk with the same matcher."""

from __future__ import annotations

import time
from pathlib import Path
from typing import Annotated

import typer
from rich.table import Table

from ssid_tui.cli.app import app, console, fail
from ssid_tui.matching.matcher import Matcher, Settings, Submitted
from ssid_tui.matching.registry import RegistryError, open_registry


@app.command()
def find(
    last: Annotated[str, typer.Option("--last", help="Legal last name.", show_default=False)],
    first: Annotated[str, typer.Option("--first", help="Legal first name.", show_default=False)],
    birth_date: Annotated[str, typer.Option("--birth-date", help="CCYYMMDD.", show_default=False)],
    ods: Annotated[Path, typer.Option("--ods", help="The registry built by `ssid-tui ods load`.", show_default=False)],
    gender: Annotated[str, typer.Option("--gender", help="M, F or X.")] = "",
    middle: Annotated[str, typer.Option("--middle", help="Legal middle name.")] = "",
    country: Annotated[str, typer.Option("--country", help="Birth country code, e.g. US, MX.")] = "",
    state: Annotated[str, typer.Option("--state", help="Birth state code, e.g. US-CA.")] = "",
) -> None:
    """Find the SSID candidates of one student, with why each scored as it did.

    Example: [bold]ssid-tui find --last Garcia --first Pepe --birth-date 20140507 --ods registry.sqlite[/]
    """
    bd = birth_date.strip()
    if len(bd) != 8 or not bd.isdigit():
        raise fail(f"--birth-date {birth_date!r} is not CCYYMMDD: write it like 20140507.")
    if gender and gender.upper() not in ("M", "F", "X"):
        raise fail("--gender must be M, F or X.")
    started = time.perf_counter()
    try:
        with open_registry(ods) as registry:
            result = Matcher(registry, Settings()).match(Submitted(
                first=first, middle=middle, last=last, birth_date=bd, gender=gender.upper(),
                birth_country=country.upper(), birth_state=state.upper()))
    except RegistryError as exc:
        raise fail(str(exc)) from None
    took = time.perf_counter() - started
    console.print(f"[bold]{result.category}[/]: {len(result.candidates)} candidate(s) in {took * 1000:.0f} ms")
    for i, c in enumerate(result.candidates, start=1):
        r = c.registry
        console.print(
            f"\n[bold]{i}. SSID {c.ssid}  score {c.score}[/]  {r.get('last', '')}, {r.get('first', '')} "
            f"{r.get('middle', '')}  born {r.get('birth_date', '')}  {r.get('gender', '')}  "
            f"{r.get('birth_country', '')} {r.get('birth_state', '')}  last LEA {r.get('lea', '')} "
            f"school {r.get('school', '')} grade {r.get('grade', '')}"
        )
        t = Table(show_edge=False, pad_edge=False)
        for col in ("Field", "Submitted", "Registry", "Level", "Weight"):
            t.add_column(col, justify="right" if col == "Weight" else "left")
        for comp in c.comparisons:
            t.add_row(comp.label, comp.submitted, comp.candidate, comp.level, f"{comp.weight:+.1f}")
        console.print(t)
