"""Plain consoles: the Linux text console, vt100 and friends draw ASCII and little else.

On those, Textual's borders (`▔▁▊`, rounded corners), its scrollbar ends and the search
icon of the command palette come out as boxes or garbage. `plain_console()` says when
to avoid them (from TERM, or forced with `--ascii` / SSID_TUI_ASCII=1); `plain_symbols()`
switches every border to `+-|`, scrollbars to `#`, the ellipsis to `...`, for as long
as the app runs (the returned function puts everything back, for tests in one process).
"""

from __future__ import annotations

from collections.abc import Callable

from textual import _border
from textual.command import SearchIcon
from textual.scrollbar import ScrollBar, ScrollBarRender

from ssid_tui.plain_terms import ENV, PLAIN_TERMS, plain_console
from ssid_tui.ui import render

__all__ = ["ENV", "PLAIN_TERMS", "plain_console", "plain_symbols"]

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
