"""The registry's rows made from the extract's lines, a batch at a time, on every core available.

Reading a 10-million-line extract spends about half of `ods load` in Python: decoding and
checking each line and building each name's forms and blocking keys. That part is done
here, on batches of `BATCH_LINES` lines, by worker processes when the extract is large
enough to repay starting them, while `ods load` inserts the rows of the batches before in the
extract's order. The rows are the same for any number of workers: each batch carries the SSID
of the last line before it, so whether a line is its SSID's first (the legal name and the
SSID's own row) or a later one (a former name) is decided as reading line by line decides it.
"""

from __future__ import annotations

import codecs
import marshal
from collections.abc import Generator, Iterable, Iterator
from dataclasses import dataclass, field
from operator import itemgetter

from ssid_tui.files.processes import available_cores, mapped_in_order
from ssid_tui.formats import safe_text
from ssid_tui.formats.lines import LongLine
from ssid_tui.formats.ods import ODS_FIELDS, ODS_LABELS, OdsLine, OdsLineError, note_text, parse_line
from ssid_tui.matching.blocking import initials, surname_prefix
from ssid_tui.matching.model import FREQUENCY_TABLES
from ssid_tui.matching.name_forms import NameForms
from ssid_tui.matching.names import phonetic

#: Demographic fields kept once per SSID (from its first line in the extract).
SSID_COLUMNS = ("ssid", "create_date", "birth_date", "gender", "birth_city", "birth_state", "birth_country",
                "lea", "school", "grade", "enroll_start", "enroll_exit")
NAME_COLUMNS = ("ssid", "kind", "first", "middle", "last", "suffix", "birth_date",
                "first_key", "middle_key", "last_key1", "last_key2", "last_prefix", "initials")
#: Lines per batch: big enough that sending a batch costs little next to parsing it (~2 MB)...
BATCH_LINES = 20_000
#: ... and at most this many bytes, however long its lines: memory stays bounded whatever the file.
BATCH_BYTES = 4 << 20
#: Extracts smaller than this are parsed in the loading process: starting workers takes ~1 s.
PARALLEL_FROM_BYTES = 32 << 20
#: Workers at most, whatever the cores: the loading process inserts every row itself (21 CPU s of a
#: 1M load against the workers' 33 in all), so past about two workers it is what the reading waits
#: for, and each more worker only adds its memory.
MAX_WORKERS = 3
_SSID_ROW = itemgetter(*(ODS_FIELDS.index(c) for c in SSID_COLUMNS))
#: A line's SSID, legal first / middle / last name and suffix, alias first / middle / last name, birth date.
_NAME_PARTS = itemgetter(*(ODS_FIELDS.index(c) for c in ("ssid", "first", "middle", "last", "suffix", "alias_first",
                                                        "alias_middle", "alias_last", "birth_date")))


@dataclass
class Batch:
    """Consecutive lines of the extract as read: bytes with their line end, or a LongLine."""

    first_line_no: int
    lines: list[bytes | LongLine]
    #: The SSID field of the last line before the batch that has fields (None for the first batch).
    ssid_before: str | None = None


@dataclass
class BatchRows:
    """What one batch adds to the registry, in the extract's order."""

    #: Loadable lines (blank lines and errors are not counted).
    lines: int = 0
    #: Of them, lines that were not UTF-8 and were read as Windows-1252.
    windows_1252: int = 0
    errors: list[OdsLineError] = field(default_factory=list)
    ssid_rows: list[tuple[str, ...]] = field(default_factory=list)
    name_rows: list[tuple[str, ...]] = field(default_factory=list)
    #: Frequency table (`model.FREQUENCY_TABLES`) -> its values, once per occurrence.
    counted: dict[str, list[str]] = field(default_factory=lambda: {k: [] for k in FREQUENCY_TABLES})
    #: The notes file's rows (line, SSID, field, note, value) and each note's kind.
    note_rows: list[list[str | int]] = field(default_factory=list)
    note_kinds: list[str] = field(default_factory=list)

    # Sent from a worker as one marshal blob: half the CPU of pickling its 500,000 strings, on both sides.
    def __getstate__(self) -> bytes:
        return marshal.dumps((self.lines, self.windows_1252, [(e.line_no, e.problem) for e in self.errors],
                              self.ssid_rows, self.name_rows, self.counted, self.note_rows, self.note_kinds))

    def __setstate__(self, state: bytes) -> None:
        (self.lines, self.windows_1252, errors, self.ssid_rows, self.name_rows, self.counted, self.note_rows,
         self.note_kinds) = marshal.loads(state)
        self.errors = [OdsLineError(no, problem) for no, problem in errors]


def _first_field(bline: bytes) -> str:
    """The SSID field of a line that has fields, as `parse_line` reads it: a loadable line's SSID is
    ten ASCII digits, so its bytes are its text (any other line fails the load)."""
    return bline.split(b"^", 1)[0].removeprefix(codecs.BOM_UTF8).decode("utf-8", "replace")


def batches_of(lines: Iterable[tuple[int, bytes | LongLine]], size: int,
               most_bytes: int = BATCH_BYTES) -> Iterator[Batch]:
    """The numbered lines in batches of `size` lines (fewer if they hold `most_bytes`), each with the
    SSID of the last line before it.

    Only a line with a field separator can be loaded: a line without one is blank or an error,
    and an error fails the whole load, so the last line with one is the line a reader going
    line by line compares the next SSID with.
    """
    batch: Batch | None = None
    held = 0  # bytes of the batch's lines
    last: bytes | None = None  # the last line so far that has fields
    for line_no, bline in lines:
        if batch is None or len(batch.lines) >= size or held >= most_bytes:
            if batch is not None:
                yield batch
            batch, held = Batch(line_no, [], None if last is None else _first_field(last)), 0
        batch.lines.append(bline)
        if isinstance(bline, bytes):
            held += len(bline)
            if b"^" in bline:
                last = bline
    if batch is not None:
        yield batch


def name_rows(line: OdsLine, kind_legal: str) -> list[tuple[tuple[str, ...], NameForms]]:
    """The name records of one extract line: its legal name, and its alias name if any."""
    ssid, first_, middle_, last_, sfx, a_first, a_middle, a_last, bd = _NAME_PARTS(line.values)
    out: list[tuple[tuple[str, ...], NameForms]] = []
    for kind, first, middle, last, suffix in ((kind_legal, first_, middle_, last_, sfx),
                                             ("alias", a_first, a_middle, a_last, "")):
        if not (first.strip() or last.strip()):
            continue
        if kind == "alias":  # an alias without a part takes it from the legal name
            first, last = first or first_, last or last_
        n = NameForms.of(first, middle, last)
        middle_key = phonetic(n.middle_tokens[0]) if n.middle_tokens else ""
        out.append(((ssid, kind, first, middle, last, suffix, bd, n.first_key, middle_key, n.last_key1, n.last_key2,
                     surname_prefix(n.last_compact), initials(n)), n))
    return out


def rows_of(batch: Batch) -> BatchRows:
    """The registry rows, frequency values, notes and errors of one batch's lines."""
    out = BatchRows()
    counted = out.counted
    seen_before = batch.ssid_before
    for line_no, bline in enumerate(batch.lines, start=batch.first_line_no):
        item = parse_line(line_no, bline)
        if item is None:
            continue
        if isinstance(item, OdsLineError):
            out.errors.append(item)
            continue
        out.lines += 1
        out.windows_1252 += item.windows_1252
        if out.errors:
            continue  # nothing is loaded from an extract with errors: count lines, build nothing
        for note in item.notes:
            out.note_kinds.append(note.kind)
            out.note_rows.append([note.line_no, item["ssid"], ODS_LABELS[note.field], note_text(note),
                                  safe_text.shown(note.value, 200)])
        ssid = item["ssid"]
        first_line = ssid != seen_before
        seen_before = ssid
        if first_line:
            out.ssid_rows.append(_SSID_ROW(item.values))
            counted["dob"].append(item["birth_date"])
            counted["country"].append(item["birth_country"])
            counted["state"].append(item["birth_state"])
        for row, forms in name_rows(item, "legal" if first_line else "former"):
            out.name_rows.append(row)
            if row[1] == "legal":
                if forms.first_tokens:
                    counted["first"].append(forms.first_tokens[0])
                counted["last"].append(forms.last_compact)
    return out


def extract_rows(lines: Iterable[tuple[int, bytes | LongLine]], extract_bytes: int) -> Generator[BatchRows, None, None]:
    """Each batch's rows in the extract's order: by worker processes (one per core, at most
    `MAX_WORKERS`) for an extract of `PARALLEL_FROM_BYTES` or more, here for a smaller one."""
    jobs = min(MAX_WORKERS, available_cores()) if extract_bytes >= PARALLEL_FROM_BYTES else 1
    return mapped_in_order(rows_of, batches_of(lines, BATCH_LINES), jobs)
