"""The bottom line: the main keys with plain names ("Enter Choose  n None ...  ctrl+p palette").

Built once from the keymap. Textual's Footer rebuilds itself whenever the focus or the
screen changes (about 10 ms each time, on every search and filter); the keys of this
screen do not change, so a line of text does the job. Plain key names only: PuTTY's
fonts lack the arrow glyphs.
"""

from __future__ import annotations

from rich.text import Text
from textual.widget import Widget

from ssid_tui.ui.keymap import KEYMAP


class KeyLine(Widget, can_focus=False):
    """Key names in bold, what they do after them; the palette key at the end."""

    COMPONENT_CLASSES = {"key-line--key"}

    DEFAULT_CSS = """
    KeyLine {
        height: 1;
        background: $footer-background;
        color: $footer-foreground;
        & > .key-line--key { text-style: bold; color: $footer-key-foreground; }
    }
    """

    def render(self) -> Text:
        """The footer keys of the keymap, then '?' for the rest and ctrl+p for the palette."""
        key_style = self.get_component_rich_style("key-line--key", partial=True)
        width = self.content_region.width or 80
        out = Text()
        for k in KEYMAP:
            if k.footer:
                out.append(f" {k.display}", key_style)
                out.append(f" {k.footer}" + (" " if width > 90 else ""))
        for label in ("palette", "more"):
            tail = Text.assemble(("ctrl+p", key_style), f" {label} ")
            gap = width - out.cell_len - tail.cell_len
            if gap >= 1:
                out.append(" " * gap)
                out.append_text(tail)
                break
        return out
