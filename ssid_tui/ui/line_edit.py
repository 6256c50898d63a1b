"""The text of the `/` search box and the keys that edit it, free of Textual.

The box is drawn by the message line (`widgets.message_line`), in its place, so that
opening and closing it changes no widget and no layout: with Textual's `Input` each
`/` and each Enter restyled and re-laid the whole screen (about 20 ms of the 50 a key
may take at 200,000 students). The keys are those of a shell's line editor and of
Textual's `Input`: arrows, Home / End, Backspace / Delete, ctrl+a / ctrl+e, ctrl+u /
ctrl+k (delete to the start / end), ctrl+w (the word before the cursor).
"""

from __future__ import annotations

from dataclasses import dataclass


def typed(text: str) -> str:
    """What a paste puts in the box: its first line, with control characters left out."""
    first = text.splitlines()[0] if text else ""
    return "".join(ch for ch in first if ch.isprintable())


@dataclass
class LineEdit:
    """A one-line text and a cursor (0: before the first character)."""

    value: str = ""
    cursor: int = 0

    def insert(self, text: str) -> None:
        """Type `text` at the cursor (control characters are left out)."""
        text = typed(text)
        self.value = self.value[: self.cursor] + text + self.value[self.cursor :]
        self.cursor += len(text)

    def key(self, key: str, character: str | None) -> bool:
        """Apply one key; False if it is not an editing key (it then does nothing)."""
        v, c = self.value, self.cursor
        moves = {"left": c - 1, "right": c + 1, "home": 0, "ctrl+a": 0, "end": len(v), "ctrl+e": len(v)}
        if key in moves:
            self.cursor = max(0, min(moves[key], len(v)))
        elif key == "backspace":
            self.value, self.cursor = v[: max(c - 1, 0)] + v[c:], max(c - 1, 0)
        elif key == "delete":
            self.value = v[:c] + v[c + 1 :]
        elif key == "ctrl+u":
            self.value, self.cursor = v[c:], 0
        elif key == "ctrl+k":
            self.value = v[:c]
        elif key == "ctrl+w":
            start = len(v[:c].rstrip()) - len(v[:c].rstrip().split(" ")[-1])
            self.value, self.cursor = v[:start] + v[c:], start
        elif character is not None and len(character) == 1 and character.isprintable():
            self.insert(character)
        else:
            return False
        return True
