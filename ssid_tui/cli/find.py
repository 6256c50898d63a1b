"""`ssid-tui find`: look up one student at the front desk with the same matcher."""

from __future__ import annotations

import time
from pathlib import Path
from typing import Annotated

import typer
from rich.table import Table

from ssid_tui.cli.app import app, console, fail
from ssid_tui.cli.output import cell, term
from ssid_tui.formats.safe_text import quoted
from ssid_tui.matching.lookup import LookupQuery, lookup, shown_as_written
from ssid_tui.matching.registry import RegistryError
from ssid_tui.wording import plural

#: Each field of a LookupQuery as `find` takes it: its messages name the option typed ("--last holds ...").
OPTION_OF = {"last": "--last", "first": "--first", "middle": "--middle", "country": "--country", "state": "--state",
             "birth_date": "--birth-date", "gender": "--gender"}

#: Said once under the candidates: find scores with the registry's prior weights, not a run's learned ones.
WEIGHTS_NOTE = "Scores use default weights; a match run learns its own, so scores may differ."


@app.command()
def find(
    last: Annotated[str, typer.Option("--last", help="Legal last name.", show_default=False)],
    first: Annotated[str, typer.Option("--first", help="Legal first name.", show_default=False)],
    birth_date: Annotated[str, typer.Option("--birth-date", help="CCYYMMDD.", show_default=False)],
    ods: Annotated[Path, typer.Option("--ods", help="The registry built by `ssid-tui ods load`.", show_default=False)],
    gender: Annotated[str, typer.Option("--gender", help="M, F or X.")] = "",
    middle: Annotated[str, typer.Option("--middle", help="Legal middle name.")] = "",
    country: Annotated[str, typer.Option("--country", help="Birth country code, e.g. US, MX (USA and MEX are read as US and MX).")] = "",
    state: Annotated[str, typer.Option("--state", help="Birth state code, e.g. US-CA (a bare CA is read as US-CA).")] = "",
) -> None:
    """Find the SSID candidates of one student, with why each scored as it did.

    Example: [bold]ssid-tui find --last Garcia --first Pepe --birth-date 20140507 --ods registry.sqlite[/]
    """
    for option, value, what in (("--last", last, "legal last name"), ("--first", first, "legal first name")):
        if not value.strip():  # the review app's lookup may leave one out; a clerk's command line names both
            raise fail(f"{option} needs the student's {what}: {quoted(value)} is {'empty' if not value else 'blank'}.")
    query = LookupQuery(last=last, first=first, birth_date=birth_date, middle=middle, gender=gender,
                        country=country, state=state)
    problem = query.problem(OPTION_OF, codes=True)
    if problem:
        raise fail(problem)
    started = time.perf_counter()
    try:
        result = lookup(ods, query)
    except RegistryError as exc:
        raise fail(str(exc)) from None
    took = time.perf_counter() - started
    console.print(f"[bold]{term(result.category)}[/]: {plural(len(result.candidates), 'candidate')} in {took * 1000:.0f} ms")
    for i, c in enumerate(result.candidates, start=1):
        r = c.registry
        details = (f"{r.get('last', '')}, {r.get('first', '')} {r.get('middle', '')}  born {r.get('birth_date', '')}  "
                   f"{r.get('gender', '')}  {r.get('birth_country', '')} {r.get('birth_state', '')}  "
                   f"last LEA {r.get('lea', '')} school {r.get('school', '')} grade {r.get('grade', '')}")
        console.print(f"\n[bold]{i}. SSID {term(c.ssid)}  score {c.score}[/]  {term(details, 400)}")
        t = Table(show_edge=False, pad_edge=False)
        for col in ("Field", "Submitted", "Registry", "Level", "Weight"):
            t.add_column(col, justify="right" if col == "Weight" else "left")
        for comp in c.comparisons:
            submitted, registered = shown_as_written(comp, query, c)
            t.add_row(cell(comp.label), cell(submitted, 60), cell(registered, 60), cell(comp.level),
                      f"{comp.weight:+.1f}")
        console.print(t)
    if result.candidates:  # the workspace of a `match` run scores with the weights it learned from its upload
        console.print(f"\n{WEIGHTS_NOTE}", markup=False, highlight=False)
