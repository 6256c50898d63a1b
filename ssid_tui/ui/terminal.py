"""Plain consoles: the Linux text console, vt100 and friends draw ASCII and little else.

On those, Textual's borders (`▔▁▊`, rounded corners), its scrollbar ends and the search
icon of the command palette come out as boxes or garbage. `plain_console()` says when
to avoid them (from TERM, or forced with `--ascii` / SSID_TUI_ASCII=1); `plain_symbols()`
switches every border to `+-|`, scrollbars to `#`, the ellipsis to `...`, for as long
as the app runs (the returned function puts everything back, for tests in one process).
"""

from __future__ import annotations

import os
from collections.abc import Callable, Mapping

from textual import _border
from textual.command import SearchIcon
from textual.scrollbar import ScrollBar, ScrollBarRender

from ssid_tui.ui import render

#: TERM values of consoles that cannot draw box or block characters.
PLAIN_TERMS = ("linux", "vt100", "vt102", "vt220", "vt52", "dumb", "ansi", "cons25", "pcansi")
#: Set to 1 to force ASCII (0 to force the normal symbols), whatever TERM says.
ENV = "SSID_TUI_ASCII"


def plain_console(env: Mapping[str, str] | None = None) -> bool:
    """True when the terminal should get ASCII symbols only."""
    env = os.environ if env is None else env
    forced = env.get(ENV, "").strip().lower()
    if forced in ("1", "yes", "true", "on"):
        return True
    if forced in ("0", "no", "false", "off"):
        return False
    term = env.get("TERM", "").lower()
    return term.split("-")[0] in PLAIN_TERMS


class AsciiScrollBarRender(ScrollBarRender):
    """A scrollbar thumb of '#' on '|' (no eighth-block characters)."""

    VERTICAL_BARS = ["#"] * 7 + [" "]
    HORIZONTAL_BARS = ["#"] * 7 + [" "]


def plain_symbols() -> Callable[[], None]:
    """Draw with ASCII only from now on; returns the function that restores the normal symbols."""
    saved_chars, saved_locations = dict(_border.BORDER_CHARS), dict(_border.BORDER_LOCATIONS)
    saved_renderer, saved_ellipsis = ScrollBar.renderer, render.ELLIPSIS
    icon = SearchIcon.__dict__["icon"]  # the palette's magnifying-glass emoji
    saved_icon = icon._default
    for name in list(_border.BORDER_CHARS):
        if name not in ("", "none", "hidden", "blank"):
            _border.BORDER_CHARS[name] = _border.BORDER_CHARS["ascii"]
            _border.BORDER_LOCATIONS[name] = _border.BORDER_LOCATIONS["ascii"]
    _border.get_box.cache_clear()
    ScrollBar.renderer = AsciiScrollBarRender
    render.ELLIPSIS = "..."
    icon._default = SearchIcon._default_icon = ">"

    def restore() -> None:
        _border.BORDER_CHARS.update(saved_chars)
        _border.BORDER_LOCATIONS.update(saved_locations)
        _border.get_box.cache_clear()
        ScrollBar.renderer = saved_renderer
        render.ELLIPSIS = saved_ellipsis
        icon._default = SearchIcon._default_icon = saved_icon

    return restore
