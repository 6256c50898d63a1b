"""Plain consoles: the Linux text console, vt100 and friends draw ASCII and little else.

On those, Textual's borders (`▔▁▊`, rounded corners), its scrollbar ends and the search
icon of the command palette come out as boxes or garbage. `plain_console()` says when
to avoid them (from TERM, or forced with `--ascii` / SSID_TUI_ASCII=1); `plain_symbols()`
switches every border to `+-|`, scrollbars to a thumb of `#` on a track of `|`, the
ellipsis to `...`, for as long as the app runs (the returned function puts everything back, for tests in one process).
"""

from __future__ import annotations

from collections.abc import Callable

from rich.color import Color
from rich.segment import Segment, Segments
from rich.style import Style
from textual import _border
from textual.command import SearchIcon
from textual.scrollbar import ScrollBar, ScrollBarRender

from ssid_tui.plain_terms import ENV, PLAIN_TERMS, plain_console
from ssid_tui.ui import render

__all__ = ["ENV", "PLAIN_TERMS", "plain_console", "plain_symbols"]

#: Textual's default scrollbar colours.
_BACK, _BAR = Color.parse("#555555"), Color.parse("bright_magenta")


class AsciiScrollBarRender(ScrollBarRender):
    """A scrollbar of whole cells: a thumb of '#' on a track of '|' ('-' across).

    Textual draws the thumb as reversed blanks with an eighth-block at each end; with '#'
    for those ends, a monochrome console showed only the ends: a lone '#' that read as a
    column heading at the top of the queue (cold test).
    """

    @classmethod
    def render_bar(
        cls,
        size: int = 25,
        virtual_size: float = 50,
        window_size: float = 20,
        position: float = 0,
        thickness: int = 1,
        vertical: bool = True,
        back_color: Color = _BACK,
        bar_color: Color = _BAR,
    ) -> Segments:
        """The track and the thumb, each cell one character."""
        width = thickness if vertical else 1
        track = Style(color=bar_color, bgcolor=back_color)
        if not (window_size and size and virtual_size and size != virtual_size):
            cells = [Segment(" " * width, track)] * size
        else:
            thumb = min(size, max(1, round(window_size * size / virtual_size)))
            start = round((size - thumb) * position / max(virtual_size - window_size, 1))
            start = max(0, min(start, size - thumb))
            grab = Style(color=bar_color, bgcolor=back_color, bold=True, meta={"@mouse.down": "grab"})
            up = track + Style(meta={"@mouse.down": "scroll_up"})
            down = track + Style(meta={"@mouse.down": "scroll_down"})
            rail = "|" if vertical else "-"
            cells = ([Segment(rail * width, up)] * start + [Segment("#" * width, grab)] * thumb
                     + [Segment(rail * width, down)] * (size - start - thumb))
        if vertical:
            return Segments(cells, new_lines=True)
        return Segments((cells + [Segment.line()]) * thickness, new_lines=False)


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
