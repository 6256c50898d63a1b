"""Text for the review screen: rows, differences and weight bars, as Rich `Text`.

No Textual here, so the formatting is testable on its own. Differences are shown by
style (bold, underline, reverse) and by a symbol in a mark column, never by colour
alone, so they survive `NO_COLOR`, monochrome terminals and screenshots in e-mail.
Only ASCII symbols are used: PuTTY's default fonts lack many arrows and check marks.
"""

from __future__ import annotations

import difflib
import re
import textwrap
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from rich.style import Style
from rich.text import Text

from ssid_tui.formats.results import MatchCategory
from ssid_tui.formats.safe_text import cut_before_name, visible
from ssid_tui.matching.model import COMPARISONS
from ssid_tui.matching.names import as_written, normalize
from ssid_tui.workspace.statuses import FINAL_STATUSES, DecisionStatus
from ssid_tui.workspace.store import Candidate, Student

#: Characters or date parts that differ between the submitted and the candidate value.
DIFF = Style(bold=True, underline=True, reverse=True)
POSITIVE = Style(color="green", bold=True)
NEGATIVE = Style(color="red", bold=True)
DIM = Style(dim=True)
CONFLICT = Style(bold=True, reverse=True)
#: Column titles, and the highlighted row of a list (text styles only: no colour to theme, so no CSS).
HEADER, CURSOR = Style(bold=True, underline=True), Style(bold=True, reverse=True)

#: Mark column: same value, different value, one side missing.
MARK_SAME, MARK_DIFF, MARK_MISSING = "=", "!", "?"
#: First and last name typed the wrong way round (they agree crosswise).
MARK_SWAPPED = "x"

_DATE = re.compile(r"^([0-9]{4})([0-9]{2})([0-9]{2})$")
_CODE = re.compile(r"^[0-9/ -]+$")

CATEGORY_SHORT: dict[str, str] = {MatchCategory.SINGLE: "Single", MatchCategory.MULTIPLE: "Multiple", MatchCategory.NO_MATCH: "No match"}


def fit(text: str, width: int) -> str:
    """`text` cut or padded to exactly `width` cells (an ellipsis marks a cut).

    Controls and invisible characters are shown by name first (`<ESC>`): a value from a file
    never drives the terminal. Every value on the review screen passes through here or
    `mark_differences`.
    """
    text = visible(text)
    if width <= 0:
        return ""
    if len(text) > width:
        if width <= 1:
            return text[:width]
        cut = cut_before_name(text, width - 1)
        return (text[:cut] + "~").ljust(width)
    return text.ljust(width)


#: How a cut is marked where words are dropped (the status line); `terminal.plain_symbols` makes it '...'.
ELLIPSIS = "\u2026"


def clip_words(text: Text, width: int) -> Text:
    """A styled line cut before the word that does not fit, with an ellipsis (never 'g~'), padded to `width`."""
    out = text.copy()
    if out.cell_len > width:
        plain = out.plain
        room = max(width - len(ELLIPSIS), 0)
        cut = plain.rfind(" ", 0, room + 1)
        cut = cut if cut > 0 else room
        out.truncate(cut)
        out.rstrip()
        out.append(" " + ELLIPSIS if out.cell_len + 1 + len(ELLIPSIS) <= width else ELLIPSIS)
    out.pad_right(width - out.cell_len)
    return out


def join_fitting(parts: Sequence[Text], width: int, sep: str = "  ") -> Text:
    """Parts joined by `sep`, as many whole parts as fit in `width`; an ellipsis says some were left out."""
    out = Text()
    for i, part in enumerate(parts):
        candidate = Text.assemble(out, sep if i else "", part)
        if candidate.cell_len > width:
            return clip_words(Text.assemble(out, sep, ELLIPSIS) if i else part, width)
        out = candidate
    out.pad_right(width - out.cell_len)
    return out


def date(value: str) -> str:
    """'20140507' -> '2014-05-07'; anything else unchanged."""
    m = _DATE.match(value or "")
    return f"{m[1]}-{m[2]}-{m[3]}" if m else (value or "")


def submitted_fields(s: Student, *, one_birth_place: bool) -> list[tuple[str, str]]:
    """The submitted record as the screens list it with no candidate beside it: (label, value) per field,
    blank values too, the birth date as 2014-05-07, the birth place one row or city, state and country."""
    alias = " ".join(p for p in (s.alias_first, s.alias_middle, s.alias_last) if p)
    place = ([("Birth place", ", ".join(p for p in (s.birth_city, s.birth_state, s.birth_country) if p))]
             if one_birth_place else
             [("Birth city", s.birth_city), ("Birth state", s.birth_state), ("Birth country", s.birth_country)])
    return [("Last name", s.last), ("First name", s.first), ("Middle name", s.middle), ("Alias", alias),
            ("Birth date", date(s.birth_date)), ("Gender", s.gender), *place,
            ("LEA/school", f"{s.reporting_lea}/{s.school}")]


def mark_differences(a: str, b: str) -> tuple[Text, Text]:
    """Both values with the characters that differ styled (`MARIA` vs `MARIO`: the last letter).

    Dates in YYYYMMDD are compared by part (year, month, day) and shown as YYYY-MM-DD,
    so `20140507` vs `20140705` marks the month and the day of both.
    """
    ma, mb = _DATE.match(a or ""), _DATE.match(b or "")
    if ma and mb:
        ta, tb = Text(), Text()
        for i, (pa, pb) in enumerate(zip(ma.groups(), mb.groups())):
            if i:
                ta.append("-")
                tb.append("-")
            style = DIFF if pa != pb else None
            ta.append(pa, style)
            tb.append(pb, style)
        return ta, tb
    a, b = visible(a or ""), visible(b or "")
    if _CODE.match(a) and _CODE.match(b):
        return _mark_parts(a, b)
    ta, tb = Text(), Text()
    matcher = difflib.SequenceMatcher(None, a.upper(), b.upper(), autojunk=False)
    for op, i1, i2, j1, j2 in matcher.get_opcodes():
        style = None if op == "equal" else DIFF
        ta.append(a[i1:i2], style)
        tb.append(b[j1:j2], style)
    return ta, tb


def _mark_parts(a: str, b: str) -> tuple[Text, Text]:
    """Codes (LEA/school, CDS codes): a part differs as a whole, not digit by digit."""
    ta, tb = Text(), Text()
    pa, pb = re.split(r"([/ -])", a), re.split(r"([/ -])", b)
    for i in range(max(len(pa), len(pb))):
        xa, xb = (pa[i] if i < len(pa) else ""), (pb[i] if i < len(pb) else "")
        style = DIFF if xa != xb and i % 2 == 0 else None
        ta.append(xa, style)
        tb.append(xb, style)
    return ta, tb


def mark(a: str, b: str) -> str:
    """The mark-column symbol for a pair of values."""
    a, b = (a or "").strip().upper(), (b or "").strip().upper()
    if not a and not b:
        return " "
    if not a or not b:
        return MARK_MISSING
    return MARK_SAME if a == b else MARK_DIFF


def clip(text: Text, width: int) -> Text:
    """A styled text cut or padded to `width` cells."""
    out = text.copy()
    if out.cell_len > width:
        out.truncate(cut_before_name(out.plain, max(width - 1, 0)))
        out.append("~")
    out.pad_right(width - out.cell_len)
    return out


def weight_text(weight: float | None, bar_width: int) -> Text:
    """'+6.0 ++++++' or '-9.0 ---------': the signed weight and a bar of + or - signs.

    One sign per bit of evidence, capped at `bar_width`; the sign itself carries the
    meaning without colour.
    """
    if weight is None:
        return Text(" " * (5 + 1 + bar_width))
    n = min(bar_width, max(1, round(abs(weight)))) if weight else 0
    style = POSITIVE if weight > 0 else NEGATIVE if weight < 0 else None
    out = Text(f"{weight:+5.1f}" if weight else "  0.0", style)
    out.append(" ")
    out.append(("+" if weight > 0 else "-") * n, style)
    out.pad_right(bar_width - n)
    return out


# -- the queue -------------------------------------------------------------------------


@dataclass(frozen=True)
class QueueColumns:
    """Widths of the queue's columns for a given screen width."""

    local_id: int
    name: int
    birth: int
    category: int
    score: int
    decision: int
    school: int

    @classmethod
    def for_width(cls, width: int) -> QueueColumns:
        """Columns for `width` cells: the name takes what is left, the school column only when wide."""
        fixed = 2 + 10 + 1 + 1 + 10 + 1 + 8 + 1 + 5 + 1 + 12
        school = 8 if width - fixed >= 40 else 0
        name = max(8, width - fixed - (school + 1 if school else 0))
        return cls(10, name, 10, 8, 5, 12, school)


def queue_header(cols: QueueColumns) -> Text:
    """The queue's column titles."""
    parts = ["  ", fit("Local ID", cols.local_id), " ", fit("Name", cols.name), " ",
             fit("Born", cols.birth), " ", fit("Category", cols.category), " ", "Score".rjust(cols.score), " "]
    if cols.school:
        parts += [fit("School", cols.school), " "]
    parts.append(fit("Decision", cols.decision))
    return Text("".join(parts))


def decision_text(s: Student, conflict: bool) -> tuple[str, Style | None]:
    """The decision column: the chosen SSID ('!' before it when in conflict), none, skipped."""
    if s.status == DecisionStatus.CHOSEN:
        return (f"!{s.chosen_ssid}" if conflict else f"={s.chosen_ssid}"), CONFLICT if conflict else None
    if s.status == DecisionStatus.NONE:
        return "none", None
    if s.status == DecisionStatus.SKIPPED:
        return "skipped", DIM
    return "", None


def name_to_fit(s: Student, width: int) -> str:
    """The student's name as the queue lists it, in at most `width` characters.

    Whole when it fits ('GARCIA, MARIA ELENA'); else the given names become initials from
    the last one ('HERNANDEZ-GUTIERREZ, MARIA G', then 'HERNANDEZ-GUTIERREZ, M G'), then the
    suffix goes, and only then is the surname cut ('~'), keeping the initials. The detail
    pane below the list shows the whole name.
    """
    last, given, suffix = visible(s.last), visible(" ".join(p for p in (s.first, s.middle) if p)).split(), visible(s.suffix)
    tries = []
    for with_suffix in ((True, False) if suffix else (False,)):
        for k in range(len(given) + 1):  # k given names from the end become initials
            shown = [*given[: len(given) - k], *(g[0] for g in given[len(given) - k:])]
            name = ", ".join(p for p in (last, " ".join(shown)) if p)
            tries.append(f"{name} {suffix}" if with_suffix else name)
            if len(tries[-1]) <= width:
                return tries[-1]
    rest = tries[-1][len(last):]  # ', M G': the initials, with the surname cut to make room
    if last and width - len(rest) >= 4:
        return last[: width - len(rest) - 1].rstrip() + "~" + rest
    return fit(tries[0], width).rstrip()


def queue_row(s: Student, cols: QueueColumns, *, current: bool, conflict: bool, name: str) -> Text:
    """One student in the queue: '>' marks the current one (as well as the cursor style)."""
    score = "" if s.best_score is None else str(s.best_score)
    out = Text("> " if current else "  ")
    out.append(fit(s.local_id, cols.local_id) + " ")
    out.append(fit(name if len(visible(name)) <= cols.name else name_to_fit(s, cols.name), cols.name) + " ")
    out.append(fit(date(s.birth_date), cols.birth) + " ")
    out.append(fit(CATEGORY_SHORT.get(s.category, s.category), cols.category) + " ")
    out.append(score.rjust(cols.score) + " ")
    if cols.school:
        out.append(fit(s.school, cols.school) + " ")
    text, style = decision_text(s, conflict)
    out.append(fit(text, cols.decision), style)
    if s.status in FINAL_STATUSES and not current:
        out.stylize(DIM, 0, out.cell_len - cols.decision)
    return out


# -- the candidates ------------------------------------------------------------------------


def candidate_name(c: Candidate) -> str:
    """'GARCIA, MARIA' for a candidate."""
    given = " ".join(p for p in (c.first, c.middle) if p)
    return ", ".join(p for p in (c.last, given) if p)


def enrollment(c: Candidate) -> str:
    """'gr 05 2025-08-14 to 2026-06-10' (or 'to now') from the candidate's last enrollment."""
    if not (c.grade or c.enroll_start or c.enroll_exit):
        return ""
    out = f"gr {c.grade}" if c.grade else ""
    if c.enroll_start or c.enroll_exit:
        out += f" {date(c.enroll_start) or '?'} to {date(c.enroll_exit) or 'now'}"
    return out.strip()


def candidate_header(width: int, wide: bool) -> Text:
    """The candidate list's column titles."""
    name_w = candidate_name_width(width, wide)
    head = f"  #  {fit('SSID', 10)}  {fit('Name (legal)', name_w)} {fit('Born', 10)} G {'Score'.rjust(5)}  {fit('Pick', 6)}"
    if wide:
        head += f" {fit('Last LEA/school', 15)} {fit('Last enrollment', 32)}"
    return Text(head)


def candidate_name_width(width: int, wide: bool) -> int:
    """Columns of the candidate list's name at `width` (`wide`: with the enrollment columns)."""
    fixed = 5 + 10 + 2 + 1 + 10 + 1 + 1 + 1 + 5 + 2 + 6 + (1 + 15 + 1 + 32 if wide else 0)
    return max(8, width - fixed)


def candidate_row(c: Candidate, number: int, width: int, *, current: bool, chosen: bool, wide: bool) -> Text:
    """One candidate: number (the 1-9 key), SSID, legal name, birth date, gender, score, pick."""
    name_w = candidate_name_width(width, wide)
    pick = "chosen" if chosen else ""
    out = Text("> " if current else "  ")
    out.append(f"{number if number < 10 else ' '}  " if number < 100 else "   ")
    out.append(f"{fit(c.ssid, 10)}  {fit(candidate_name(c), name_w)} {fit(date(c.birth_date), 10)} "
               f"{fit(c.gender, 1)} {str(c.score).rjust(5)}  ")
    out.append(fit(pick, 6), Style(bold=True) if chosen else None)
    if wide:
        out.append(f" {fit(f'{c.lea}/{c.school}', 15)} {fit(enrollment(c), 32)}")
    return out


# -- the comparison (submitted record beside the candidate, with the explanation) -----------


@dataclass(frozen=True)
class CompareRow:
    """One line of the comparison: a field, both values, and the explanation if scored."""

    label: str
    submitted: str
    candidate: str
    level: str = ""
    weight: float | None = None
    #: Context only the candidate has (last enrollment): no mark, and it may use the level column.
    context: bool = False
    #: A mark decided by the row itself (`x` swapped, `=` same once spelling marks are set aside);
    #: the letters are then shown as typed, without highlighting.
    mark: str = ""

    def __post_init__(self) -> None:
        # Values come from files: controls are named here, once, so no view of a row can show them raw.
        object.__setattr__(self, "submitted", visible(self.submitted))
        object.__setattr__(self, "candidate", visible(self.candidate))


_NAME_FIELDS = ("last", "first", "middle")
_NAME_LABELS = ("Last name", "First name", "Middle name")


def _name_row(e: dict[str, Any], s: Student, c: Candidate, swapped: bool) -> CompareRow:
    """A name row with both values as typed; when the names were swapped, each field's own value and 'x'."""
    f = e.get("field", "")
    sub, cand = str(e.get("submitted", "") or ""), str(e.get("candidate", "") or "")
    typed_s = (s.first, s.middle, s.last, s.alias_first, s.alias_middle, s.alias_last)
    typed_c = (c.first, c.middle, c.last, c.alias_first, c.alias_middle, c.alias_last)
    level, weight = str(e.get("level", "")), float(e.get("weight", 0.0))
    cand_typed = as_written(cand, typed_c)
    if swapped and f in ("first", "last"):
        own = s.first if f == "first" else s.last
        return CompareRow(e.get("label", f), own, cand_typed, f"{level}, crosswise", weight, mark=MARK_SWAPPED)
    sub_typed = as_written(sub, typed_s)
    same = bool(sub and cand) and normalize(sub) == normalize(cand)
    return CompareRow(e.get("label", f), sub_typed, cand_typed, level, weight, mark=MARK_SAME if same else "")


def compare_rows(s: Student, c: Candidate) -> list[CompareRow]:
    """The fields to compare, in the explanation's order, then the context rows.

    A name row shows the values the matcher compared (a candidate's alias name, when
    that is what matched), so the level and the highlighted letters agree. Rows where
    both sides are empty and nothing was scored are left out to save lines.
    """
    rows: list[CompareRow] = []
    seen: set[str] = set()
    swapped = any(e.get("field") == "name_source" and "swapped" in str(e.get("level", "")) for e in c.explanation)
    # a candidate found by a lookup was scored against what the clerk typed there: compare the record itself
    explanation = [] if c.name_source == "lookup" else c.explanation
    if not explanation and c.name_source == "lookup":
        rows.append(CompareRow("Found by", "", "registry lookup (l)", context=True))
    sources = [e for e in explanation if e.get("field") == "name_source" and e.get("weight")]
    for e in explanation:
        f = e.get("field", "")
        seen.add(f)
        if f == "name_source":
            if sources and e is sources[0]:  # one row for the swap and both sides' alias, where the first was
                rows.append(_names_used_row(sources, swapped))
            continue
        if f in _NAME_FIELDS:
            rows.append(_name_row(e, s, c, swapped))
        else:
            rows.append(CompareRow(e.get("label", f), str(e.get("submitted", "") or ""),
                                   str(e.get("candidate", "") or ""), str(e.get("level", "")), float(e.get("weight", 0.0))))
    for comp in COMPARISONS:  # the compared fields the explanation does not hold (an older run)
        if comp.field not in seen:
            rows.append(CompareRow(comp.label, getattr(s, comp.field), getattr(c, comp.field)))
    used = next((r for r in rows if r.label == "Names used"), None)
    if used is not None:  # read first: it says whose name the name rows below compare
        rows.remove(used)
        rows.insert(next((i for i, r in enumerate(rows) if r.label in _NAME_LABELS), 0), used)
    rows += _other_name_rows(s, c, sources)
    # Context, not evidence: a student new to the district was last enrolled elsewhere, so no "!".
    rows.append(CompareRow("LEA/school", f"{s.reporting_lea}/{s.school}", f"{c.lea}/{c.school}" if c.lea or c.school else "",
                           context=True))
    rows.append(CompareRow("Enrolled", "", enrollment(c), context=True))
    return [r for r in rows if r.submitted or r.candidate or (r.weight or 0) != 0]


def _alias_used(sources: Sequence[dict[str, Any]]) -> tuple[bool, bool]:
    """(the submitted alias was compared, the candidate's alias was compared)."""
    levels = " ".join(str(e.get("level", "")) for e in sources)
    return "submitted alias" in levels, "alias name" in levels


def _names_used_row(sources: Sequence[dict[str, Any]], swapped: bool) -> CompareRow:
    """Which name of each side the name rows compare (and the cost), in one row: 'alias' / 'legal name'."""
    level = ", ".join(str(e.get("level", "")) for e in sources)
    weight = sum(float(e.get("weight", 0.0)) for e in sources)
    sub_alias, cand_alias = _alias_used(sources)
    if not (sub_alias or cand_alias):
        return CompareRow("Names", "typed the other way round", "", level, weight, mark=MARK_SWAPPED)
    sub, cand = ("alias" if sub_alias else "legal name"), ("alias" if cand_alias else "legal name")
    return CompareRow("Names used", sub, cand, level, weight, mark=MARK_SWAPPED if swapped else "")


def _full_name(first: str, middle: str, last: str) -> str:
    given = " ".join(p for p in (first, middle) if p)
    return f"{last}, {given}" if given else last


def _other_name_rows(s: Student, c: Candidate, sources: Sequence[dict[str, Any]]) -> list[CompareRow]:
    """The names the name rows do not show: the legal name when an alias was compared, else the aliases."""
    sub_alias, cand_alias = _alias_used(sources)
    rows = []
    if sub_alias or cand_alias:
        rows.append(CompareRow("Legal name", _full_name(s.first, s.middle, s.last) if sub_alias else "",
                               _full_name(c.first, c.middle, c.last) if cand_alias else "", context=True))
    alias_s = "" if sub_alias else " ".join(p for p in (s.alias_first, s.alias_middle, s.alias_last) if p)
    alias_c = "" if cand_alias else " ".join(p for p in (c.alias_first, c.alias_middle, c.alias_last) if p)
    rows.append(CompareRow("Alias", alias_s, alias_c))
    return rows


@dataclass(frozen=True)
class CompareColumns:
    """Widths of the comparison table for a given width."""

    label: int
    value: int
    level: int
    bar: int

    @classmethod
    def for_width(cls, width: int) -> CompareColumns:
        """Label 13, level 18 (12 below 80 columns, 26 from 100), weight 5 and a bar; values share the rest."""
        label = 13
        level, bar = (12, 0) if width < 80 else (18, 5) if width < 100 else (26, 10)
        # label, space, mark, space, value, space, value, space, level, space, weight (5), space, bar
        value = max(8, (width - label - level - bar - 12) // 2)
        return cls(label, value, level, bar)


def compare_header(cols: CompareColumns, local_id: str, number: int, score: int, total: float,
                   level_title: str = "Level") -> Text:
    """'Field  Submitted 1002  Candidate 1 (88)  Level  +20.0 total': the total heads the weights."""
    sub = next(t for t in (f"Submitted {local_id}", "Submitted", "Sub.") if len(t) <= cols.value or t == "Sub.")
    cand = next(t for t in (f"Candidate {number} ({score})", f"Cand. {number} ({score})", f"#{number} ({score})")
                if len(t) <= cols.value or t.startswith("#"))
    return Text(
        f"{fit('Field', cols.label)}   {fit(sub, cols.value)} {fit(cand, cols.value)} "
        f"{fit(level_title, cols.level)} {total:+5.1f} total"
    )


def compare_line(row: CompareRow, cols: CompareColumns) -> Text:
    """One field: label, mark, both values with differences marked, level, weight and bar."""
    out = Text(fit(row.label, cols.label) + " ")
    if row.context:
        out.append("  " + fit(row.submitted, cols.value) + " ")
        out.append(fit(row.candidate, cols.value + 1 + cols.level))
        return out
    if row.mark:
        ta, tb, m = Text(visible(row.submitted)), Text(visible(row.candidate)), row.mark
    else:
        ta, tb = mark_differences(row.submitted, row.candidate)
        m = mark(row.submitted, row.candidate)
    out.append(m, Style(bold=True) if m in (MARK_DIFF, MARK_SWAPPED) else None)
    out.append(" ")
    if row.mark and not row.candidate:  # a note across both value columns ("typed the wrong way round")
        out.append(clip(ta, 2 * cols.value + 1))
    else:
        out.append(clip(ta, cols.value))
        out.append(" ")
        out.append(clip(tb, cols.value))
    out.append(" ")
    out.append(fit(short_level(row.level, cols.level), cols.level))
    out.append(" ")
    out.append(weight_text(row.weight, cols.bar) if row.weight is not None else Text(""))
    return out


def wrapped(label: str, value: str, width: int, indent: int = 0) -> list[Text]:
    """'Birth city: SAN JUAN ...' wrapped between words (a word longer than a line is split), the
    label bold, every line `indent` cells in and the lines after the first under the value."""
    room = max(width - indent, 20)
    text = f"{label} {visible(value)}" if label else visible(value)
    hang = min(len(label) + 1, room // 2) if label else 0
    lines = textwrap.wrap(text, room, subsequent_indent=" " * hang, break_on_hyphens=False)
    out = [Text(" " * indent + line) for line in lines]
    if out:
        out[0].stylize(Style(bold=True), indent, indent + len(label))
    return out


def whole_values(row: CompareRow, cols: CompareColumns, width: int, shown: str = "") -> list[Text]:
    """Lines under a comparison row whose values its columns cut: each cut side whole, wrapped.

    A value found whole in `shown` (what the lines above the candidates say: a long name) is not repeated.
    """
    if row.context:
        rooms = (cols.value, cols.value + 1 + cols.level)
    elif row.mark and not row.candidate:  # a note across both value columns
        rooms = (2 * cols.value + 1, cols.value)
    else:
        rooms = (cols.value, cols.value)
    out: list[Text] = []
    for word, value, room in (("submitted", row.submitted, rooms[0]), ("candidate", row.candidate, rooms[1])):
        if Text(value).cell_len > room and " ".join(value.split()) not in shown:
            out += wrapped(f"{word}:", value, width, cols.label + 3)
    return out


#: Shorter words for the matcher's longer level names, used only when a level does not fit.
LEVEL_ABBREVIATIONS = (
    (" (names swapped)", " swapped"), (" (submitted alias)", " alias"), ("day and month swapped", "day/month swapped"),
    ("year off by one, other parts differ", "year+-1,rest diff"), ("year off by one", "year off by 1"),
    ("close spelling", "close spell."), ("unlikely other SSIDs", "others unlikely"),
)


def short_level(level: str, width: int) -> str:
    """The level name, abbreviated step by step until it fits `width` (then cut)."""
    for long, short in LEVEL_ABBREVIATIONS:
        if len(level) <= width:
            break
        level = level.replace(long, short)
    return level


def total_weight(rows: Sequence[CompareRow]) -> float:
    """Sum of the scored rows' weights (the evidence behind the score)."""
    return sum(r.weight for r in rows if r.weight is not None)
