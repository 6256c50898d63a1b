"""Reading SENR enrollment files: caret or CSV, UTF-8 or Windows-1252, any line ends.

The reader streams records so that a 200,000-record file is never held in memory, and
keeps each record's original text so that it can be written back byte-for-byte.
"""

from __future__ import annotations

import codecs
import csv
import os
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import BinaryIO

from ssid_tui.files.inputs import open_input
from ssid_tui.formats.headers import fold_header
from ssid_tui.formats.lines import LongLine, iter_lines, line_end, looks_utf16
from ssid_tui.formats.safe_text import nfc
from ssid_tui.formats.senr_fields import FIELD_BY_HEADER, MAX_PLAUSIBLE_FIELDS, SENR_FIELDS
from ssid_tui.formats.sniff import is_ods_line

UTF8 = "utf-8"
CP1252 = "windows-1252"
_BOM = codecs.BOM_UTF8
#: No SENR record comes near this many bytes (21 matching fields fit in about 600): a longer
#: line is an error, never read whole (a 4 GB file without line ends stays cheap).
MAX_LINE_BYTES = 32 * 1024
__all__ = ["MAX_LINE_BYTES", "LongLine", "SenrLayout", "SenrReadError", "SenrRecord", "iter_records", "open_senr"]


def _passthrough(err: UnicodeError) -> tuple[str | bytes, int]:
    """Map the five bytes Windows-1252 leaves undefined to U+0080-U+009F and back.

    That keeps decoding lossless, so a record read as Windows-1252 is written back
    with exactly its original bytes.
    """
    if isinstance(err, UnicodeDecodeError):
        return "".join(chr(b) for b in err.object[err.start : err.end]), err.end
    if isinstance(err, UnicodeEncodeError):
        chunk = err.object[err.start : err.end]
        if all(0x80 <= ord(c) <= 0x9F for c in chunk):
            return bytes(ord(c) for c in chunk), err.end
    raise err


codecs.register_error("ssid-passthrough", _passthrough)


def decode(data: bytes, encoding: str) -> str:
    """Decode bytes of an SENR file losslessly in the file's encoding."""
    return data.decode(encoding, errors="ssid-passthrough")


def encode(text: str, encoding: str) -> bytes:
    """Encode text back to the bytes it was read from (inverse of `decode`)."""
    return text.encode(encoding, errors="ssid-passthrough")


class SenrReadError(Exception):
    """The file cannot be read as an SENR file at all; the message is one sentence."""


@dataclass(frozen=True)
class SenrRecord:
    """One SENR record as read.

    `fields` are in SENR order (1.01 first) however the file laid them out; `raw` is
    the line exactly as it was in the file, line end included, decoded losslessly.
    """

    line_no: int
    fields: tuple[str, ...]
    field_count: int
    raw: str
    #: Fields whose text was decomposed (NFD, e.g. from a Mac) and is given here composed (NFC).
    nfc_fields: int = 0
    #: For a line longer than any record (MAX_LINE_BYTES): its length in bytes; it has no fields.
    too_long: int = 0

    def get(self, key_or_index: str | int) -> str:
        """A field's value by SENR key (`"last"`) or zero-based index; '' if absent."""
        i = key_or_index if isinstance(key_or_index, int) else _INDEX_BY_KEY[key_or_index]
        return self.fields[i] if i < len(self.fields) else ""


_INDEX_BY_KEY = {f.key: f.index for f in SENR_FIELDS}


@dataclass
class SenrLayout:
    """How an SENR file is laid out, found by looking at its content."""

    path: Path
    encoding: str
    bom: bool
    delimiter: str
    header: str | None = None
    #: For CSV with a header: the CSV column that holds each SENR field (None = absent).
    columns: tuple[int | None, ...] | None = None
    warnings: list[str] = field(default_factory=list)
    #: b"\r" for a file with old-Mac line ends (a lone CR), else b"\n".
    eol: bytes = b"\n"
    #: Columns of the header row (CSV with a header), 0 without one.
    header_width: int = 0

    @property
    def max_fields(self) -> int:
        """More fields than this in one record means records ran together (or a broken file)."""
        return max(MAX_PLAUSIBLE_FIELDS, 2 * self.header_width)

    @property
    def min_fields(self) -> int:
        """How many fields (columns) a record needs to hold 1.01-1.21."""
        if self.columns is None:
            return len(SENR_FIELDS)
        return max(c for c in self.columns if c is not None) + 1

    @property
    def shape(self) -> str:
        """'caret' or 'csv', as a user would name it."""
        return "caret" if self.delimiter == "^" else "csv"


def _utf16_or_binary(path: Path, chunk: bytes) -> SenrReadError:
    """The error for a file with NUL bytes: an SQLite file, UTF-16 text (a BOM, or every other byte NUL) or binary."""
    if chunk.startswith(b"SQLite format 3\x00"):
        return SenrReadError(
            f"{path} is an SQLite file (a workspace or a registry), not an SENR file: give the enrollment file "
            "exported from your SIS (^-delimited text or CSV)."
        )
    if chunk.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)) or looks_utf16(chunk):
        return SenrReadError(
            f"{path} is UTF-16 text: save it as UTF-8 (in Excel: CSV UTF-8; in the SIS: UTF-8 text) and try again."
        )
    return SenrReadError(
        f"{path} contains binary data (NUL bytes), not text: "
        "export the enrollment file from your SIS as text (^-delimited) or CSV."
    )


def _open(path: Path) -> BinaryIO:
    """Open the SENR file (a regular file, or SenrReadError in one sentence)."""
    return open_input(path, "the SENR file", SenrReadError)


@dataclass(frozen=True)
class NotUtf8:
    """Where a file stops being valid UTF-8: its first such byte, and whether the rest looks like UTF-8."""

    line_no: int
    byte: int
    #: The file also holds accented letters written as UTF-8 (two-byte sequences such as C3 A9 for é):
    #: it mixes encodings, and reading it all as Windows-1252 garbles those (é reads Ã©).
    mixed: bool


#: A UTF-8 letter of Latin-1 Supplement or Latin Extended (é is C3 A9): rare as two Windows-1252 characters (Ã©).
_UTF8_LETTER = re.compile(rb"[\xC3-\xC5][\x80-\xBF]")


def _sniff_encoding(path: Path) -> tuple[str, bool, bytes, NotUtf8 | None]:
    """Return (encoding, has_bom, line end, where it is not UTF-8); reject binary data and UTF-16.

    The line end is CR for an old-Mac file (CRs and no LF), else LF (which also ends CRLF lines).
    """
    decoder = codecs.getincrementaldecoder(UTF8)()
    bom = False
    first = True
    utf8_ok = True
    eol = b"\n"
    lines_before = 0  # line ends in the chunks before this one
    bad_at: tuple[int, int] | None = None  # (line number, byte) of the first byte that is not UTF-8
    utf8_letters = False
    with _open(path) as fh:
        while chunk := fh.read(1 << 20):
            if first:
                bom = chunk.startswith(_BOM)
                first = False
                eol = line_end(chunk)
            if b"\x00" in chunk:
                raise _utf16_or_binary(path, chunk)
            if utf8_ok:
                pending = decoder.getstate()[0]  # the start of a character the last chunk's end cut
                try:
                    decoder.decode(chunk)
                except UnicodeDecodeError as exc:
                    utf8_ok = False
                    at = max(exc.start - len(pending), 0)
                    bad_at = (lines_before + chunk.count(eol, 0, at) + 1, (pending + chunk)[exc.start])
            utf8_letters = utf8_letters or _UTF8_LETTER.search(chunk) is not None
            lines_before += chunk.count(eol)
        if utf8_ok:
            try:
                decoder.decode(b"", final=True)
            except UnicodeDecodeError:
                utf8_ok = False
                bad_at = (lines_before + 1, 0)  # a character cut off by the end of the file
    if utf8_ok or bad_at is None:
        return UTF8, bom, eol, None
    return CP1252, bom, eol, NotUtf8(bad_at[0], bad_at[1], utf8_letters)


def _split(line: str, delimiter: str) -> list[str]:
    if delimiter == "^":
        return line.split("^")
    try:
        return next(csv.reader([line]), [])
    except csv.Error:
        # The csv module refuses a bare CR inside a field and fields over 128 KiB; those
        # are faults of one record (the validator reports them), not of the whole file.
        return _split_csv_line(line)


def _split_csv_line(line: str) -> list[str]:
    """Split one CSV line as csv's default dialect does, without its limits."""
    cells: list[str] = []
    buf: list[str] = []
    quoted, at_start = False, True
    i, n = 0, len(line)
    while i < n:
        ch = line[i]
        if quoted:
            if ch != '"':
                buf.append(ch)
            elif line[i + 1 : i + 2] == '"':
                buf.append('"')
                i += 1
            else:
                quoted = False
        elif ch == ",":
            cells.append("".join(buf))
            buf = []
            at_start = True
            i += 1
            continue
        elif ch == '"' and at_start:
            quoted = True
        else:
            buf.append(ch)
        at_start = False
        i += 1
    cells.append("".join(buf))
    return cells


def _strip_eol(text: str) -> str:
    return text.rstrip("\r\n")


def _header_columns(cells: list[str]) -> tuple[int | None, ...] | None:
    """Map SENR fields to CSV columns if `cells` look like a header row, else None."""
    found: dict[int, int] = {}
    for col, cell in enumerate(cells):
        f = FIELD_BY_HEADER.get(fold_header(cell)) or FIELD_BY_HEADER.get(cell.strip())
        if f is not None and f.index not in found:
            found[f.index] = col
    if len(found) < 5:
        return None
    return tuple(found.get(f.index) for f in SENR_FIELDS)


def header_field_columns(header: str, delimiter: str) -> tuple[int | None, ...] | None:
    """For a header row: the column holding each SENR field (None = absent); None if it is no header."""
    return _header_columns(_split(_strip_eol(header.lstrip("\ufeff")), delimiter))


def _not_utf8_warning(where: NotUtf8) -> str:
    """The warning for a file read as Windows-1252: where it stops being UTF-8, and what to do if it mixes the two."""
    line = where.line_no
    byte = f"byte 0x{where.byte:02X} on line {line}" if where.byte else f"a character cut off at the end (line {line})"
    if where.mixed:
        return (f"The file is UTF-8 except for {byte} (and any like it), which is not UTF-8 text: a letter saved "
                "in another encoding (e.g. é as Windows-1252 or Latin-1 0xE9). The whole file was read as "
                "Windows-1252, so its UTF-8 accents read as Ã© and the like. Retype that value in the SIS (or save "
                "the file as UTF-8 throughout) and export again.")
    return (f"The file is not valid UTF-8 (first at {byte}); it was read as Windows-1252 (common for SIS exports on "
            "Windows). Check that accented names below look right.")


def open_senr(path: str | os.PathLike[str]) -> SenrLayout:
    """Look at a file and tell how it is laid out; raise SenrReadError if it is unusable."""
    p = Path(path)
    try:
        with _open(p) as fh:
            size = os.fstat(fh.fileno()).st_size
        encoding, bom, eol, not_utf8 = _sniff_encoding(p)
    except OSError as exc:
        raise SenrReadError(f"{p} cannot be read ({exc.strerror or 'I/O error'}).") from None
    if size == 0:
        raise SenrReadError(f"{p} is empty: it holds no records.")
    # The first two non-blank lines: the first tells the layout, the second that a header
    # row has records under it.
    lines: list[str] = []
    with _open(p) as fh:
        for line_no, bline in enumerate(iter_lines(fh, eol, MAX_LINE_BYTES), start=1):
            if isinstance(bline, LongLine):
                if lines:  # a record under the first line: validation reports it
                    lines.append("")
                    break
                raise SenrReadError(
                    f"{p} line {line_no} is {bline.length:,} bytes long, longer than any SENR record "
                    f"({MAX_LINE_BYTES:,} at most): this is not an SENR file, or its line ends are missing."
                )
            text = decode(bline, encoding)
            if not lines and text.startswith("\ufeff"):
                text = text[1:]
            if text.strip():
                lines.append(_strip_eol(text))
                if len(lines) == 2:
                    break
    if not lines:
        raise SenrReadError(f"{p} holds only blank lines: it has no records.")
    first = lines[0]
    layout = SenrLayout(path=p, encoding=encoding, bom=bom, delimiter="^", eol=eol)
    if eol == b"\r":
        layout.warnings.append(
            "The file's lines end in a lone CR (old Mac line ends); each CR was read as the end of a record."
        )
    if not_utf8 is not None:
        layout.warnings.append(_not_utf8_warning(not_utf8))
    if is_ods_line(first):
        raise SenrReadError(
            f"{p} is the state's ODS extract (the registry), not an SENR upload: load it with "
            f"`ssid-tui ods load {p.name} --into registry.sqlite`, and give validate or match the SENR file "
            "exported from your SIS."
        )
    for delim in ("^", ","):
        cols = _header_columns(_split(first, delim))
        if cols is not None:
            missing = [f for f, c in zip(SENR_FIELDS, cols) if c is None]
            if missing:
                names = ", ".join(f"{f.number} {f.name}" for f in missing)
                raise SenrReadError(
                    f"{p} has a header row but no column for {names}: add "
                    f"{'that column' if len(missing) == 1 else 'those columns'} (the SENR field names) and try again."
                )
            if len(lines) < 2:
                raise SenrReadError(f"{p} has a header row but no records under it: export the students too.")
            layout.delimiter, layout.header, layout.columns = delim, first, cols
            layout.header_width = len(_split(first, delim))
            return layout
    if "^" in first:
        return layout
    if first.count(",") >= 20:
        layout.delimiter = ","
        layout.warnings.append(
            "The file is comma-separated without a header row; its columns were taken in SENR field order."
        )
        return layout
    raise SenrReadError(
        f"{p} is neither a ^-delimited SENR file nor a CSV with a header row "
        "(its first line has no ^ and no SENR column names)."
    )


def iter_records(layout: SenrLayout) -> Iterator[SenrRecord]:
    """Stream the records of a file; blank lines and the header row are passed over.

    Field values are given composed (NFC); `raw` keeps the file's own text for the SENR copy.
    """
    delim = layout.delimiter
    columns = layout.columns
    with _open(layout.path) as fh:
        header_seen = layout.header is None
        for line_no, bline in enumerate(iter_lines(fh, layout.eol, MAX_LINE_BYTES), start=1):
            if isinstance(bline, LongLine):
                header_seen = True
                yield SenrRecord(line_no=line_no, fields=(), field_count=0, raw="", too_long=bline.length)
                continue
            raw = decode(bline, layout.encoding)
            body = _strip_eol(raw)
            if line_no == 1 and body.startswith("\ufeff"):
                body = body[1:]
            if not body.strip():
                continue
            if not header_seen:
                header_seen = True
                continue
            cells = _split(body, delim)
            count = len(cells)
            if delim == "^" and count > len(SENR_FIELDS) and cells[-1] == "":
                count -= 1  # a trailing ^ is tolerated
            if columns is None:
                read = cells[: len(SENR_FIELDS)]
            else:
                read = [cells[c] if c is not None and c < len(cells) else "" for c in columns]
            fields = tuple(nfc(v) for v in read)
            changed = sum(1 for a, b in zip(read, fields) if a is not b)
            yield SenrRecord(line_no=line_no, fields=fields, field_count=count, raw=raw, nfc_fields=changed)


def read_senr(path: str | os.PathLike[str]) -> tuple[SenrLayout, list[SenrRecord]]:
    """Read a whole SENR file (for matching, where every record is needed at once)."""
    layout = open_senr(path)
    return layout, list(iter_records(layout))
