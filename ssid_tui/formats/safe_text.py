"""Hostile text made harmless: one place that knows which characters are unsafe and how to show them.

Every printer (CLI tables, the review app, error lists, the report) shows values through
`visible`, so an ESC in a local ID cannot clear a screen or retitle a terminal, and a
right-to-left override cannot make a name read backwards. Validation rejects the same
characters (`unsafe_chars`), so clean files never carry them into a workspace.
"""

from __future__ import annotations

import re
import unicodedata

#: Unicode categories no SENR or registry value may hold: controls (C0, DEL, C1), format
#: characters (bidi overrides and isolates, zero-width characters, U+FEFF, soft hyphen),
#: line/paragraph separators, surrogates and private use.
UNSAFE_CATEGORIES = frozenset({"Cc", "Cf", "Zl", "Zp", "Cs", "Co"})

#: Names for the controls people meet in real files.
_NAMED = {
    "\x00": "<NUL>", "\x07": "<BEL>", "\x08": "<BS>", "\t": "<TAB>", "\n": "<LF>", "\x0b": "<VT>",
    "\x0c": "<FF>", "\r": "<CR>", "\x1b": "<ESC>", "\x7f": "<DEL>",
}
#: Spaces that look like a space but are not one.
_ODD_SPACES = frozenset("\u00a0\u1680\u202f\u205f\u3000") | frozenset(chr(c) for c in range(0x2000, 0x200B))

#: ASCII digits only: `\d`, str.isdigit() and int() also take Arabic-Indic, full-width and
#: superscript digits, which would then never match anything.
ASCII_DIGITS = re.compile(r"[0-9]+")


def is_unsafe(ch: str) -> bool:
    """True for a character that must never reach a terminal or a stored value raw."""
    return unicodedata.category(ch) in UNSAFE_CATEGORIES


def undefined_in_windows_1252(chars: list[str]) -> list[str]:
    """Of `chars` (from text read as Windows-1252), those standing for a byte that encoding leaves
    undefined (0x81, 0x8D, 0x8F, 0x90, 0x9D): read losslessly, each becomes the character of that
    number, no character the file meant but most often half of a UTF-8 letter (Á is C3 81) in a file
    that mixes the two encodings."""
    return [c for c in chars if "\x80" <= c <= "\x9f"]


def unsafe_chars(value: str) -> list[str]:
    """The distinct unsafe characters of `value`, in order of first appearance."""
    if value.isprintable():  # fast path: no Cc/Cf/Zl/Zp/Cs/Co (nor odd spaces) at all
        return []
    seen: dict[str, None] = {}
    for ch in value:
        if is_unsafe(ch):
            seen.setdefault(ch)
    return list(seen)


def visible_char(ch: str) -> str:
    """One character as shown: itself if harmless, else a name like `<ESC>` or `<U+202E>`."""
    if ch in _NAMED:
        return _NAMED[ch]
    o = ord(ch)
    if o < 0x20 or 0x80 <= o <= 0x9F:
        return f"<{o:02X}>"
    if ch in _ODD_SPACES or is_unsafe(ch):
        return f"<U+{o:04X}>"
    return ch


#: What `visible_char` names a character (`<ESC>`, `<1B>`, `<U+202E>`): a cut of shown text keeps these whole.
NAMED_CHAR = re.compile(r"<(?:[A-Z]{2,3}|[0-9A-F]{2}|U\+[0-9A-F]{4,6})>")


def cut_before_name(shown_text: str, cut: int) -> int:
    """`cut` moved back to the start of a character's name it would fall inside (`<ES` is never shown)."""
    for m in NAMED_CHAR.finditer(shown_text, max(cut - 10, 0), cut + 10):
        if m.start() < cut < m.end():
            return m.start()
    return cut


def visible(value: str) -> str:
    """`value` with every control, format character and odd space shown by name (`ANA<TAB>`)."""
    if value.isprintable():  # no control, format character or space other than " "
        return value
    return "".join(visible_char(ch) for ch in value)


#: A bracketed word such as `[bold]` or `[/red]`: a cut is not made inside one (`[bo~` reads as garbage).
_BRACKETED = re.compile(r"\[[^\[\]]{0,30}\]")


def shown(value: str, width: int = 60) -> str:
    """`visible(value)` cut to `width` characters; a cut value says how long it really is.

    The value itself is cut, between its characters, before they are named: a control's name
    (`<ESC>`) is shown whole or not at all, and a bracketed word is not cut in two.
    """
    v = visible(value[: width * 8])  # never make a 50 MB value visible just to cut it
    if len(v) <= width and len(value) <= width * 8:
        return v
    room, cut = max(width - 1, 1), 0
    for ch in value[:room]:
        room -= len(visible_char(ch))
        if room < 0:
            break
        cut += 1
    for m in _BRACKETED.finditer(value, max(cut - 31, 0), cut + 31):
        if 0 < m.start() < cut < m.end():  # a value that starts with one keeps its part
            cut = m.start()
    return f"{visible(value[:cut])}~ ({len(value):,} characters)"


def quoted(value: str, width: int = 60) -> str:
    """`value` between single quotes for a message, as `shown` shows it: `'2014<ESC>0101'`.

    Not `repr()`: that writes an undecodable byte as `\\udcff` and an ESC as `\\x1b`, where every
    other message names them `<U+DCFF>` and `<ESC>`.
    """
    return f"'{shown(value, width)}'"


def file_name_part(value: str) -> str:
    """`value` fit to go into a file name we make: each unsafe character or odd space becomes `_`.

    A file name is printed, listed by `ls` and pasted into commands; a control byte copied from
    a submitted file's name would do there what it would do on a terminal.
    """
    if value.isprintable():
        return value
    return "".join("_" if ch in _ODD_SPACES or is_unsafe(ch) else ch for ch in value)


def nfc(value: str) -> str:
    """The composed (NFC) form: `JOSE` + combining acute becomes `JOSÉ`, as one letter."""
    return value if unicodedata.is_normalized("NFC", value) else unicodedata.normalize("NFC", value)


def is_ascii_digits(value: str, length: int | None = None) -> bool:
    """True if `value` is only 0-9 (and `length` of them, if given)."""
    return bool(ASCII_DIGITS.fullmatch(value)) and (length is None or len(value) == length)
