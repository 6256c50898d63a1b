"""Look one student up in the registry: the search behind `ssid-tui find` and `l` in the review app.

Both take the same typed fields, check them with the same one-sentence messages, and
run the same matcher, so a clerk at the front desk and a reviewer see the same list.
"""

from __future__ import annotations

import datetime as dt
import os
import sqlite3
from collections.abc import Mapping
from dataclasses import dataclass

from ssid_tui.files.inputs import is_damage
from ssid_tui.formats.codes import typed_country, typed_state
from ssid_tui.formats.safe_text import is_ascii_digits, nfc, quoted, unsafe_chars, visible_char
from ssid_tui.matching.comparisons import Comparison
from ssid_tui.matching.matcher import Candidate, Matcher, MatchResult, Settings, Submitted
from ssid_tui.matching.names import as_written
from ssid_tui.matching.registry import damaged, open_registry

GENDERS = ("M", "F", "X")
#: How LookupQuery.problem names each field by default.
FIELD_LABELS = {"last": "Last name", "first": "First name", "middle": "Middle name", "country": "Birth country",
                "state": "Birth state", "birth_date": "Birth date", "gender": "Gender"}


@dataclass(frozen=True)
class LookupQuery:
    """What a clerk types to find a student: names, birth date, and optionally gender and birthplace."""

    last: str
    first: str
    birth_date: str
    middle: str = ""
    gender: str = ""
    country: str = ""
    state: str = ""

    def problem(self, names: Mapping[str, str] = FIELD_LABELS, *, codes: bool = False) -> str | None:
        """One sentence saying what is wrong with the query, or None when it can run.

        `names` names each field in it (`find` gives its options: "--last holds ..."). `codes`: refuse
        a birth country or state no code set knows (`find`, where the clerk types them; the review
        app's lookup carries the upload's own, which validation has reported already)."""
        if not (self.last.strip() or self.first.strip()):
            return "Give a last or a first name."
        for key, value in (("last", self.last), ("first", self.first), ("middle", self.middle),
                           ("country", self.country), ("state", self.state)):
            label = names[key]
            bad = unsafe_chars(value)
            undecoded = [c for c in bad if "\udc80" <= c <= "\udcff"]  # bytes the terminal could not decode
            if undecoded:
                return (f"{label} holds bytes that are not text in this terminal's encoding "
                        f"({''.join(visible_char(c) for c in undecoded)}): type it again in UTF-8.")
            if bad:  # as validation refuses them in an SENR name: they match nothing and can hide text
                return (f"{label} holds control or invisible characters ({''.join(visible_char(c) for c in bad)}): "
                        "type it as it is written.")
        bd = birth_date_digits(self.birth_date)
        if not is_ascii_digits(bd, 8):  # not isdigit(): it takes superscript, full-width and Arabic digits
            return (f"{names['birth_date']} {quoted(self.birth_date)} is not CCYYMMDD in the digits 0-9: "
                    "write it like 20140507 (or 2014-05-07).")
        try:
            dt.date(int(bd[:4]), int(bd[4:6]), int(bd[6:]))
        except ValueError:
            return (f"{names['birth_date']} {quoted(self.birth_date)} is not a date of the calendar (month 01-12, a day the month has): "
                    "write it like 20140507 (or 2014-05-07).")
        if bd > dt.date.today().strftime("%Y%m%d"):
            return (f"{names['birth_date']} {quoted(self.birth_date)} is after today: "
                    "give the student's birth date, like 20140507.")
        if self.gender.strip() and self.gender.strip().upper() not in GENDERS:
            return f"{names['gender']} cannot be {quoted(self.gender)}: use M, F or X."
        if codes and self.country.strip() and typed_country(self.country) is None:
            return (f"{names['country']} cannot be {quoted(self.country)}: give a country code "
                    "such as US or MX (ISO, two letters).")
        if codes and self.state.strip() and typed_state(self.state, self._country()) is None:
            return (f"{names['state']} cannot be {quoted(self.state)}: give a state code "
                    "such as US-CA or MX-JAL.")
        if codes and self.state.strip() and self.country.strip() and not self._state().startswith(f"{self._country()}-"):
            return (f"{names['state']} {quoted(self._state())} is not a state of {names['country']} "
                    f"{quoted(self._country())}: correct one of them, or leave one out.")
        return None

    def _country(self) -> str:
        """The birth country as a code ('usa' -> 'US'), or as typed (upper case) when unknown."""
        return typed_country(self.country) or self.country.strip().upper()

    def _state(self) -> str:
        """The birth state as a code ('CA' -> 'US-CA'), or as typed (upper case) when unknown."""
        return typed_state(self.state, self._country()) or self.state.strip().upper()

    def submitted(self) -> Submitted:
        """The query as the matcher's submitted record."""
        return Submitted(first=nfc(self.first.strip()), middle=nfc(self.middle.strip()), last=nfc(self.last.strip()),
                         birth_date=birth_date_digits(self.birth_date), gender=self.gender.strip().upper(),
                         birth_country=self._country(), birth_state=self._state())


def shown_as_written(comparison: Comparison, query: LookupQuery, candidate: Candidate) -> tuple[str, str]:
    """A comparison's (submitted, registry) values as typed and as registered (`VÁSQUEZ`, `LOPEZ-CORDOVA`),
    not in the matcher's form (`VASQUEZ`, `LOPEZ CORDOVA`): what a clerk recognises."""
    if comparison.field in ("first", "middle", "last"):
        typed: tuple[str, ...] = (query.first, query.middle, query.last)
        registered = candidate.written_names or tuple(candidate.registry.get(k, "") for k in (
            "first", "middle", "last", "alias_first", "alias_middle", "alias_last"))
    else:
        typed = (str(getattr(query.submitted(), comparison.field, "")),)
        registered = (candidate.registry.get(comparison.field, ""),)
    return (as_written(comparison.submitted, (nfc(t.strip()) for t in typed)),
            as_written(comparison.candidate, registered))


def birth_date_digits(text: str) -> str:
    """'2014-05-07' or '20140507' -> '20140507' (anything else stripped of spaces only)."""
    text = text.strip()
    return text.replace("-", "") if len(text) == 10 and text[4] == text[7] == "-" else text


def lookup(registry_path: str | os.PathLike[str], query: LookupQuery, settings: Settings | None = None) -> MatchResult:
    """The registry's candidates for `query`, best first (RegistryError if the registry is unusable)."""
    with open_registry(registry_path, few_lookups=True) as registry:
        try:
            result = Matcher(registry, settings or Settings()).match(query.submitted())
            written = registry.written_names([c.ssid for c in result.candidates])
            for c in result.candidates:
                c.written_names = written.get(c.ssid, ())
            return result
        except sqlite3.DatabaseError as exc:
            if not is_damage(exc):
                raise
            raise damaged(registry_path) from None
