"""The bottom line: the main keys with plain names ("Enter Choose  n None ...  ctrl+p palette").

Built from the keymap once per width and drawn by the message line (`message_line`) under the
message. Textual's Footer rebuilds itself whenever the focus or the screen changes (about
10 ms each time, on every search and filter); the keys of this screen do not change, so a
line of text does the job. Plain key names only: PuTTY's fonts lack the arrow glyphs.
"""

from __future__ import annotations

from functools import lru_cache

from rich.style import Style
from rich.text import Text

from ssid_tui.ui.keymap import FOOTER_DROP_ORDER, KEYMAP, MOVE


@lru_cache(maxsize=8)
def key_line(width: int, key_style: Style) -> Text:
    """Moving keys first, then deciding and the rest; entries that do not fit `width` are dropped whole.

    The least needed go first (`keymap.FOOTER_DROP_ORDER`), then the palette hint: the help (?)
    lists every key. Key names in `key_style`, what they do after them; the palette key at the end.
    """
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
