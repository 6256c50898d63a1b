"""Benchmark: key press to updated screen in the review app, on 50,000- and 200,000-student workspaces.

Run: `python bench/bench_review.py [--students N [N ...]] [--repeat R]`

For each action the key event is posted as the terminal driver would post it; the clock
stops when every widget has handled its messages and the screen has been composed again
(`key-to-screen`). That is the app's own cost. For reference the same actions are also
timed through `pilot.press()` + `pilot.pause()`, which adds Textual's test idle waits
(at least 2 x 20 ms of sleeping per key), so those figures have a floor of about 40 ms
that a real terminal does not have.

Bulk steps (`b` 90 Enter then `y`, its undo `u` `y`, `N` `y` and its undo) are timed on a
workspace of their own (`--bulk-students`, default 20,000, seven in eight of them confident
Single Matches, as a real upload is), each run on a fresh copy; the clock runs from the key
that does the work to the screen showing the result.

Keys are timed once the app's background reads are done: as it opens, the app builds the
search keys and reads the other sort orders and the category and score-band filters in two
threads of their own (seconds of CPU at 200,000 students), and until then those threads share
the core with the first keys a clerk presses.

Start-up is timed from creating `ReviewApp` (which opens the workspace and builds the
queue) to the first screen being ready inside `run_test`; the background reads start
after that, once the first screen is up. What the first screen needs from every student
(whether the file order is the id order, the categories) is kept in the workspace
(`queue_cache`), filled by the match at its end: the workspace here is built as the match
stores a run and then filled the same way (`queue_cache.fill`, its time printed), and the
first start after it is reported on its own (after one start on a 10-student workspace, which
pays Textual's one-time set-up of the process); so is a start that finds no cache (a workspace
from before it, or one changed by hand) and reads every student once to fill it. The median is
of the starts after those. Each start is followed by one of an empty App with one Static
(Textual's own floor), so both see the same load; then one start in a fresh process, from the
interpreter starting to the first screen: that one includes the interpreter's start and
the imports, which the runs in this process pay only once.

Each figure is given twice: wall-clock time, and the CPU time of the app's own thread (the
one that handles keys and draws) over the same span. On a machine shared with other work the
wall clock mostly measures the waiting for a core; the app handles keys in one thread, so
that CPU time is close to what the wall clock shows on an idle machine. (The background
threads' CPU is not in it: counting the whole process, the key-building threads of earlier
start-up runs were counted against later keys.)
"""

from __future__ import annotations

import argparse
import asyncio
import random
import shutil
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import NamedTuple

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from textual import events
from textual.app import App, ComposeResult
from textual.pilot import Pilot
from textual.widgets import Static

from ssid_tui.ui.app import ReviewApp
from ssid_tui.ui.review_screen import ReviewScreen
from ssid_tui.ui.screens.confirm import ConfirmScreen
from ssid_tui.ui.screens.filter_menu import FilterMenu, filter_key
from ssid_tui.workspace import queue_cache
from tests.support.workspaces import build_workspace, candidate, large_students, student

SIZE = (80, 24)
CHARS = {"enter": "\r", "slash": "/", "tab": "\t", "ctrl+u": "\x15"}


class Sample(NamedTuple):
    """One timing: wall-clock seconds and this process's CPU seconds over the same span."""

    wall: float
    cpu: float


class Clock:
    """Start now; `stop()` gives the Sample since (CPU: the app's own thread, see the module's doc)."""

    def __init__(self) -> None:
        self.wall, self.cpu = time.perf_counter(), time.thread_time()

    def stop(self) -> Sample:
        return Sample(time.perf_counter() - self.wall, time.thread_time() - self.cpu)


def key_event(key: str) -> events.Key:
    """The Key event a terminal driver would post for `key`."""
    return events.Key(key, CHARS.get(key, key if len(key) == 1 else None))


async def key_to_screen(pilot: Pilot, *keys: str, until: Callable[[], bool] | None = None) -> Sample:
    """Seconds from posting the keys to the updated screen being composed.

    `until` says when the effect is there, for keys whose work continues in later
    messages (a dialog that closes and then hands its result to the screen below).
    """
    app = pilot.app
    assert app._driver is not None
    clock = Clock()
    for key in keys:
        event = key_event(key)
        event.set_sender(app)
        app._driver.send_message(event)
        await pilot._wait_for_screen()
        while app.key_gate.busy:  # keys are handed on one at a time, each once the one before is done
            await asyncio.sleep(0)
            await pilot._wait_for_screen()
    while until is not None and not until():
        await asyncio.sleep(0)
        await pilot._wait_for_screen()
    # compose now instead of on Textual's next refresh tick, and again while the composition
    # itself caused more work (a widget that changed height resizes the queue, which repaints)
    for _ in range(10):
        screen = app.screen
        screen._on_timer_update()
        await pilot._wait_for_screen()
        if not (screen._layout_required or screen._repaint_required or screen._dirty_widgets):
            break
    return clock.stop()


async def pilot_press(pilot: Pilot, *keys: str, until: Callable[[], bool] | None = None) -> Sample:
    """Seconds for pilot.press(...) + pilot.pause() (includes Pilot's idle waits)."""
    clock = Clock()
    await pilot.press(*keys)
    await pilot.pause()
    while until is not None and not until():
        await pilot.pause()
    return clock.stop()


def screen_of(app: ReviewApp) -> ReviewScreen:
    """The review screen (under any dialog)."""
    return next(s for s in app.screen_stack if isinstance(s, ReviewScreen))


def report(name: str, samples: list[Sample]) -> None:
    wall = [s.wall * 1000 for s in samples]
    cpu = [s.cpu * 1000 for s in samples]
    print(f"  {name:<38} median {statistics.median(wall):7.1f} ms (CPU {statistics.median(cpu):6.1f})"
          f"   worst {max(wall):7.1f} ms (CPU {max(cpu):6.1f})   (n={len(wall)})")


Timer = Callable[..., Awaitable[Sample]]


async def actions(path: Path, repeat: int, timer: Timer) -> dict[str, list[Sample]]:
    """Time each action `repeat` times with `timer`."""
    out: dict[str, list[Sample]] = {}
    app = ReviewApp(path)
    async with app.run_test(size=SIZE) as pilot:
        # The search keys, sort orders and filters are read by threads as the app opens (seconds of
        # CPU at 200,000); until they are done they share the core with the first keys.
        app.session.wait_prepared()
        while not app.settled:
            await pilot.pause(0.05)
        out["next student (J)"] = [await timer(pilot, "J") for _ in range(repeat)]
        out["previous student (K)"] = [await timer(pilot, "K") for _ in range(repeat)]
        out["next undecided (tab)"] = [await timer(pilot, "tab") for _ in range(repeat)]
        out["page down (pagedown)"] = [await timer(pilot, "pagedown") for _ in range(repeat)]
        await pilot.press("f", "4")  # Multiple Matches: every student has candidates to choose from
        decided = app.session.counts.decided
        out["next/previous candidate (j, k)"] = [await timer(pilot, "j" if i % 2 == 0 else "k") for i in range(repeat)]
        assert app.session.cand_index in (0, 1)
        if app.session.cand_index:  # choosing a candidate under 50 over one at 50+ asks first: time the choice itself
            await pilot.press("k")
        out["choose (Enter, moves on)"] = [await timer(pilot, "enter") for _ in range(repeat)]
        out["choose by number (1)"] = [await timer(pilot, "1") for _ in range(repeat)]
        # n asks first when the best candidate scores 50+ (issue 11.1): the question and the y are timed apart
        asked, answered = [], []
        for _ in range(repeat):
            before = app.session.counts.decided
            asked.append(await timer(pilot, "n", until=lambda before=before: (
                isinstance(app.screen, ConfirmScreen) or app.session.counts.decided > before)))
            if isinstance(app.screen, ConfirmScreen):
                answered.append(await timer(pilot, "y", until=lambda before=before: (
                    app.session.counts.decided > before and isinstance(app.screen, ReviewScreen))))
        out["none of these (n; asks at 50+)"] = asked
        out["none of these confirmed (y)"] = answered
        out["skip (s)"] = [await timer(pilot, "s") for _ in range(repeat)]
        assert app.session.counts.decided == decided + 3 * repeat, (
            f"every choose/none must have been recorded: {decided} -> {app.session.counts.decided}")
        out["undo (u)"] = [await timer(pilot, "u") for _ in range(repeat)]
        filters = ["2", "3", "4", "5", "1"]  # undecided, single, multiple, no match, all
        samples = []
        names = ["undecided", "single", "multiple", "nomatch", "all"]
        menu = []
        for i in range(repeat):
            name = names[i % len(filters)]
            menu.append(await timer(pilot, "f", until=lambda: isinstance(app.screen, FilterMenu)))
            samples.append(await timer(pilot, filters[i % len(filters)], until=lambda name=name: (
                app.session.filter == name and isinstance(app.screen, ReviewScreen))))
        out["filter menu (f)"] = menu
        out["filter applied (digit in the menu)"] = samples
        out["sort (o)"] = [await timer(pilot, "o") for _ in range(repeat)]
        searches = ["garcia", "L0012", "maria lopez", "", "2013-09-03", "20130903", "núñez", "gonzalez, jose", "%"]
        samples, opened = [], []
        for i in range(repeat):
            text = searches[i % len(searches)]
            # the first / mounts the search box (it is not built at start-up)
            opened.append(await timer(pilot, "slash", until=lambda: screen_of(app).search_open))
            await pilot.press("ctrl+u", *text)  # typing is not timed
            samples.append(await timer(pilot, "enter", until=lambda text=text: (
                app.session.search == text and isinstance(app.screen, ReviewScreen))))
        out["open the search box (/)"] = opened
        out["search (Enter in the search bar)"] = samples
        bands = ["single_below_90", "score_50_89", "score_below_50"]
        samples = []
        for i in range(repeat):
            name = bands[i % len(bands)]
            await pilot.press("f", "u" if i == 0 else "")  # the first one combined with "undecided only"
            samples.append(await timer(pilot, filter_key(name), until=lambda name=name: (
                app.session.filter == name and isinstance(app.screen, ReviewScreen))))
        out["score-band filter (digit in the menu)"] = samples
        out["move by arrow (Down)"] = [await timer(pilot, "down") for _ in range(repeat)]
        out["go to last / first (G, g)"] = [await timer(pilot, "G" if i % 2 == 0 else "g") for i in range(repeat)]
    return out


class OneStatic(App[None]):
    """Textual's floor: an app with one Static, started by the same harness."""

    def compose(self) -> ComposeResult:
        yield Static("ssid-tui")


async def startup(make: Callable[[], App[None]], runs: int) -> list[Sample]:
    """Seconds from make() (e.g. ReviewApp(path)) to the first screen ready."""
    samples = []
    for _ in range(runs):
        clock = Clock()
        app = make()
        async with app.run_test(size=SIZE):
            samples.append(clock.stop())
    return samples


FRESH_PROCESS = """
import asyncio, sys, time
sys.path.insert(0, sys.argv[1])
from ssid_tui.ui.app import ReviewApp
async def main():
    async with ReviewApp(sys.argv[2]).run_test(size=(80, 24)):
        print(time.time(), time.process_time())
asyncio.run(main())
"""


def fresh_startup(path: Path) -> Sample:
    """One start in a new interpreter: from launching it to the first screen (imports, styles parsed)."""
    wall = time.time()
    done = subprocess.run([sys.executable, "-c", FRESH_PROCESS, str(ROOT), str(path)],
                          capture_output=True, text=True, check=True).stdout.split()
    return Sample(float(done[0]) - wall, float(done[1]))


def lookup_timing(registry: Path, repeat: int) -> list[Sample]:
    """Seconds per registry lookup (what `l` runs in its thread), e.g. on the demo's 50,000-student registry."""
    from ssid_tui.matching.lookup import LookupQuery, lookup

    queries = [LookupQuery("GARCIA", "MARIA", "20140507"), LookupQuery("NUNEZ", "JOSE", "2012-03-14", gender="M"),
               LookupQuery("VARGAS", "DANIELA", "20130903")]
    out = []
    for i in range(repeat):
        clock = Clock()
        lookup(registry, queries[i % len(queries)])
        out.append(clock.stop())
    return out


def bulk_students(n: int, seed: int = 3) -> list[dict[str, object]]:
    """`n` students: 7 in 8 a confident Single Match (unique SSID), some Multiple Matches, 5% No Match."""
    rng = random.Random(seed)
    out = []
    for i in range(n):
        bd = f"{rng.randint(2008, 2021)}{rng.randint(1, 12):02d}{rng.randint(1, 28):02d}"
        r = rng.random()
        if r < 0.875:
            cands = [candidate(f"{1_000_000_000 + i}", rng.randint(90, 100), "ANA", "LOPEZ", bd)]
        elif r < 0.95:
            cands = [candidate(f"{3_000_000_000 + 2 * i + k}", rng.randint(50, 89), "ANA", "LOPEZ", bd) for k in range(2)]
        else:
            cands = []
        out.append(student(f"L{i:07d}", "ANA", "LOPEZ", bd, rng.choice("MF"), candidates=cands))
    return out


async def bulk_steps(path: Path) -> dict[str, Sample]:
    """One run of: bulk accept at 90 (y), its undo (u, y), N (y), its undo (u, y); key to screen."""
    out: dict[str, Sample] = {}
    app = ReviewApp(path)
    async with app.run_test(size=SIZE) as pilot:
        session = app.session
        await pilot.press("b", "9", "0", "enter")
        await pilot.pause()
        out["bulk accept at 90 (y)"] = await key_to_screen(pilot, "y", until=lambda: (
            session.counts.chosen > 0 and isinstance(app.screen, ReviewScreen)))
        accepted = session.counts.chosen
        await key_to_screen(pilot, "u", until=lambda: isinstance(app.screen, ConfirmScreen))
        out["undo of the bulk accept (y)"] = await key_to_screen(pilot, "y", until=lambda: (
            session.counts.chosen == 0 and isinstance(app.screen, ReviewScreen)))
        await key_to_screen(pilot, "N", until=lambda: isinstance(app.screen, ConfirmScreen))
        out["none of these for all No Matches (N, y)"] = await key_to_screen(pilot, "y", until=lambda: (
            session.counts.none > 0 and isinstance(app.screen, ReviewScreen)))
        marked = session.counts.none
        await key_to_screen(pilot, "u", until=lambda: isinstance(app.screen, ConfirmScreen))
        out["undo of N (y)"] = await key_to_screen(pilot, "y", until=lambda: (
            session.counts.none == 0 and isinstance(app.screen, ReviewScreen)))
    out[f"(accepted {accepted:,}, marked none {marked:,})"] = Sample(0.0, 0.0)
    return out


def bench_bulk(students: int, runs: int) -> None:
    """Median of `runs` runs of the bulk steps on fresh copies of one workspace."""
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "bulk.sqlite"
        build_workspace(path, bulk_students(students)).close()
        print(f"\nBulk steps on {students:,} students (key to screen, {runs} runs on fresh copies):")
        series: dict[str, list[Sample]] = {}
        for run in range(runs):
            for name, sample in asyncio.run(bulk_steps(fresh_copy(path, f"bulk{run}"))).items():
                series.setdefault(name, []).append(sample)
        for name, samples in series.items():
            if name.startswith("("):
                print(f"  {name}")
            else:
                report(name, samples)


def fresh_copy(path: Path, name: str) -> Path:
    """A copy of the untouched workspace, so each series starts with no decisions."""
    target = path.with_name(f"{name}.sqlite")
    shutil.copyfile(path, target)
    return target


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--students", type=int, nargs="*", default=[50_000, 200_000],
                        help="workspace sizes, each timed in turn (default: 50000 200000; none: only the bulk steps)")
    parser.add_argument("--repeat", type=int, default=30)
    parser.add_argument("--startup-runs", type=int, default=7)
    parser.add_argument("--skip-pilot", action="store_true", help="only the key-to-screen figures")
    parser.add_argument("--registry", type=Path, help="a registry (e.g. the demo's) to time the lookup (l) on")
    parser.add_argument("--bulk-students", type=int, default=20_000,
                        help="workspace size for the bulk steps (0: skip them; default 20000)")
    parser.add_argument("--bulk-runs", type=int, default=3)
    args = parser.parse_args()
    if args.bulk_students:
        bench_bulk(args.bulk_students, args.bulk_runs)
    for students in args.students:
        bench_size(args, students)


def bench_size(args: argparse.Namespace, students: int) -> None:
    """Every figure on one workspace of `students` students."""
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "bench.sqlite"
        t = time.perf_counter()
        with build_workspace(path, large_students(students)) as ws:
            built = time.perf_counter() - t
            clock = Clock()
            with ws.transaction():  # what `match` does as its run's last step
                queue_cache.fill(ws)
            filled = clock.stop()
        print(f"\nWorkspace: {students:,} students, built in {built:.1f} s; terminal {SIZE[0]}x{SIZE[1]}")

        print("\nStart-up (ReviewApp() to first screen ready):")
        report("match's last step (queue_cache.fill)", [filled])
        warm = Path(tmp) / "warm-up.sqlite"  # the process's first app pays Textual's one-time set-up: not ours
        build_workspace(warm, large_students(10)).close()
        asyncio.run(startup(lambda: ReviewApp(warm), 1))
        report("first start after the match", asyncio.run(startup(lambda: ReviewApp(path), 1)))
        with sqlite3.connect(path) as conn:  # as a workspace from before the cache, or edited by hand
            conn.execute("DELETE FROM queue_cache")
        conn.close()
        report("start, no cache (reads every student)", asyncio.run(startup(lambda: ReviewApp(path), 1)))
        ours, floor = [], []
        for _ in range(args.startup_runs):  # back to back, so both see the same load
            ours += asyncio.run(startup(lambda: ReviewApp(path), 1))
            floor += asyncio.run(startup(OneStatic, 1))
        report("start-up", ours)
        report("Textual's floor (an App with one Static)", floor)
        report("in a fresh process (CPU: the whole process)", [fresh_startup(path) for _ in range(3)])

        print("\nKey to screen (event posted -> handled -> screen composed):")
        for name, samples in asyncio.run(actions(fresh_copy(path, "keys"), args.repeat, key_to_screen)).items():
            report(name, samples)

        if args.registry:
            print(f"\nRegistry lookup (l: the search of ssid-tui find) on {args.registry.name}:")
            report("lookup", lookup_timing(args.registry, args.repeat))

        if not args.skip_pilot:
            print("\nFor reference, pilot.press() + pilot.pause() (includes >= 40 ms of Pilot idle waits):")
            for name, samples in asyncio.run(actions(fresh_copy(path, "pilot"), args.repeat, pilot_press)).items():
                report(name, samples)


if __name__ == "__main__":
    main()
