"""Shared helpers of the review app tests (no tests here): workspaces and app runs."""

from __future__ import annotations

import asyncio
import functools
from collections.abc import Callable, Coroutine
from pathlib import Path
from typing import Any

from tests.support.workspaces import build_workspace, candidate, small_students, student


def explained(ssid: str, score: int, sub: dict[str, str], cand: dict[str, str], levels: dict[str, tuple[str, float]],
              **extra: Any) -> dict[str, Any]:
    """A candidate whose explanation compares `sub` with `cand` field by field at the given levels."""
    c = candidate(ssid, score, cand["first"], cand["last"], cand["birth_date"], cand.get("gender", "F"), **extra)
    labels = {"last": "Last name", "first": "First name", "birth_date": "Birth date", "gender": "Gender"}
    c["explanation"] = [
        {"field": f, "label": labels[f], "level": levels[f][0], "submitted": sub[f], "candidate": cand[f],
         "weight": levels[f][1]}
        for f in ("last", "first", "birth_date", "gender")
    ]
    return c


def review_students() -> list[dict[str, Any]]:
    """The factories' six students plus one whose candidates differ in a letter and in the date parts."""
    sub = {"first": "MARIA", "last": "ROMERO", "birth_date": "20140507", "gender": "F"}
    out = small_students()
    out.append(student("1007", "MARIA", "ROMERO", "20140507", alias_first="MARY", candidates=[
        explained("5234567890", 83, sub, {"first": "MARIO", "last": "ROMERO", "birth_date": "20140507", "gender": "M"},
                  {"last": ("exact", 9.1), "first": ("close spelling", 3.5), "birth_date": ("exact", 8.2),
                   "gender": ("different", -4.5)}, grade="03", enroll_exit="20250613", alias_first="MARIE"),
        explained("5234567891", 79, sub, {"first": "MARIA", "last": "ROMERO", "birth_date": "20140705", "gender": "F"},
                  {"last": ("exact", 9.1), "first": ("exact", 4.2), "birth_date": ("day and month swapped", 6.0),
                   "gender": ("exact", 0.95)}, lea="3768338", school="6040539"),
    ]))
    return out


def make_workspace(folder: Path, name: str = "district.sqlite", students: list[dict[str, Any]] | None = None) -> Path:
    """Build a review workspace in `folder` and return its path (closed, ready for the app)."""
    path = folder / name
    build_workspace(path, review_students() if students is None else students).close()
    return path


def sync(test: Callable[..., Coroutine[Any, Any, None]]) -> Callable[..., None]:
    """Run an async test with asyncio.run (no pytest async plugin is among our dependencies)."""

    @functools.wraps(test)
    def run(*args: Any, **kwargs: Any) -> None:
        asyncio.run(test(*args, **kwargs))

    return run


async def burst(pilot: Any, *keys: str) -> None:
    """Send keys the way a fast typist or a paste does: all queued before the app handles any."""
    from textual import events

    chars = {"enter": "\r", "slash": "/", "escape": "\x1b"}
    app = pilot.app
    for key in keys:
        event = events.Key(key, chars.get(key, key if len(key) == 1 else None))
        event.set_sender(app)
        app._driver.send_message(event)
    await pilot.pause()
    await pilot.pause()


CITY = "SAN JUAN CAPISTRANO DEL VALLE DE LOS"
CAND_CITY = "LOS ANGELES [red]CITY[/red] OF THE ANGELS"
GIVEN = "ANNA-MARIA JOSEFINA"
ENROLLED = "gr 05 2025-08-14 to 2026-06-10"


def long_values() -> list[dict]:
    """A student whose city and given names are longer than the comparison's columns (the name not
    long enough for the queue to cut it), and whose candidate's city holds markup and an escape."""
    c = candidate("1234567890", 93, GIVEN, "LI", "20140507", birth_city=CAND_CITY + "\x1b[2J", enroll_exit="20260610")
    c["explanation"][1]["submitted"] = c["explanation"][1]["candidate"] = GIVEN
    return [student("4001", GIVEN, "LI", "20140507", birth_city=CITY, candidates=[c]), *review_students()[:2]]


def crowded() -> list[dict]:
    """Long names (whole on the lines above the candidates), a long city and two candidates: no room for all."""
    cands = [candidate(f"223456789{i}", 90 - i, "MARIA GUADALUPE", "HERNANDEZ", "20140507", middle="ESPERANZA DEL CARMEN",
                       birth_city=f"CITY NUMBER {i} OF A VERY LONG NAME INDEED", enroll_exit="20260610") for i in range(2)]
    return [student("5001", "MARIA GUADALUPE", "HERNANDEZ", "20140507", middle="ESPERANZA DEL CARMEN",
                     birth_city=CITY, alias_first="GUADALUPE MARIA ESPERANZA", note="called the school", follow_up=True,
                     candidates=cands)]
