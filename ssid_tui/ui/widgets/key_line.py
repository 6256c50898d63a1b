"""The bottom line: the main keys with plain names ("Enter Choose  n None ...  ctrl+p palette").

Built once from the keymap. Textual's Footer rebuilds itself whenever the focus or the
screen changes (about 10 ms each time, on every search and filter); the keys of this
screen do not change, so a line of text does the job. Plain key names only: PuTTY's
fonts lack the arrow glyphs.
"""

from __future__ import annotations

from rich.text import Text
from textual.widget import Widget

from ssid_tui.ui.keymap import FOOTER_DROP_ORDER, KEYMAP, MOVE


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
        """Moving keys first, then deciding and the rest; entries that do not fit are dropped whole.

        The least needed go first (`keymap.FOOTER_DROP_ORDER`), then the palette hint:
        the help (?) lists every key.
        """
        key_style = self.get_component_rich_style("key-line--key", partial=True)
        width = self.content_region.width or 80
        keys = sorted((k for k in KEYMAP if k.footer), key=lambda k: k.group != MOVE)
        entries = [(k.action, k.footer_display or k.display, k.footer) for k in keys]
        entries.append(("palette", "ctrl+p", "palette"))
        drop = ["palette", *FOOTER_DROP_ORDER]
        while True:
            gap = " " if sum(len(d) + len(label) + 2 for _a, d, label in entries) + len(entries) < width else ""
            out = Text()
            for _action, display, label in entries:
                out.append(f" {display}", key_style)
                out.append(f" {label}{gap}")
            if out.cell_len <= width or not drop:
                return out
            victim = drop.pop(0)
            entries = [e for e in entries if e[0] != victim]
