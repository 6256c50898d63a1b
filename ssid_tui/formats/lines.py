"""Reading text files line by line in bounded pieces, whatever their line ends.

Shared by the SENR reader and the ODS extract reader: old-Mac CR line ends are told from
their content, a line longer than any record is skipped (only its length is kept), and
UTF-16 text is recognised so it can be refused with the fix.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import BinaryIO


def looks_utf16(chunk: bytes) -> bool:
    """Most even (or most odd) bytes NUL, as in UTF-16 text of Latin letters."""
    sample = chunk[:4096]
    half = len(sample) // 2
    return half >= 2 and max(sample[0::2].count(0), sample[1::2].count(0)) >= 0.6 * half


def line_end(chunk: bytes) -> bytes:
    """The line end to split on: CR for old-Mac text (CRs and no LF at all), else LF (ends CRLF lines too).

    A stray CR inside a record of an LF file stays in its field, where validation names it.
    """
    return b"\r" if b"\r" in chunk and b"\n" not in chunk else b"\n"


@dataclass(frozen=True)
class LongLine:
    """A line longer than any record: only its length is kept, never its text."""

    length: int


def iter_lines(fh: BinaryIO, eol: bytes, limit: int) -> Iterator[bytes | LongLine]:
    """The lines of a binary file, each with its line end, read in bounded pieces.

    A line over `limit` bytes is skipped to its end and given as a LongLine, so a
    4 GB file without line ends costs no more memory than a normal one.
    """
    buf = b""
    skipping = 0
    while chunk := fh.read(1 << 20):
        start = 0
        while True:
            end = chunk.find(eol, start)
            if end < 0:
                rest = chunk[start:]
                if skipping:
                    skipping += len(rest)
                elif len(buf) + len(rest) > limit:
                    skipping = len(buf) + len(rest)
                    buf = b""
                else:
                    buf += rest
                break
            piece = chunk[start : end + 1]
            if skipping:
                yield LongLine(skipping + len(piece))
                skipping = 0
            elif len(buf) + len(piece) > limit:
                yield LongLine(len(buf) + len(piece))
                buf = b""
            else:
                yield buf + piece
                buf = b""
            start = end + 1
    if skipping:
        yield LongLine(skipping)
    elif buf:
        yield buf
