"""The SENR layout: fields 1.01-1.21, the ones matching uses (CDE positions)."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property

from ssid_tui.formats.headers import fold_header


@dataclass(frozen=True)
class SenrField:
    """One SENR field: its CDE number, name, maximum length and our attribute key."""

    number: str
    name: str
    key: str
    max_len: int
    required: bool

    @cached_property
    def index(self) -> int:
        """Zero-based position in a record."""
        return field_index(self.number)


def field_index(number: str) -> int:
    """Zero-based position in a record of CDE field `number` ("1.09" -> 8), for any field of the layout."""
    return int(number.split(".")[1]) - 1


SENR_FIELDS: tuple[SenrField, ...] = (
    SenrField("1.01", "Record Type Code", "record_type", 4, True),
    SenrField("1.02", "Transaction Type Code", "transaction_type", 1, False),
    SenrField("1.03", "Local Record ID", "local_record_id", 255, False),
    SenrField("1.04", "Reporting LEA", "reporting_lea", 7, True),
    SenrField("1.05", "School of Attendance", "school", 7, True),
    SenrField("1.06", "School of Attendance NPS", "school_nps", 7, False),
    SenrField("1.07", "Academic Year ID", "academic_year", 9, False),
    SenrField("1.08", "SSID", "ssid", 10, False),
    SenrField("1.09", "Local Student ID", "local_id", 16, True),
    SenrField("1.10", "Student Legal First Name", "first", 30, True),
    SenrField("1.11", "Student Legal Middle Name", "middle", 30, False),
    SenrField("1.12", "Student Legal Last Name", "last", 50, True),
    SenrField("1.13", "Student Legal Name Suffix", "suffix", 3, False),
    SenrField("1.14", "Student Alias First Name", "alias_first", 30, False),
    SenrField("1.15", "Student Alias Middle Name", "alias_middle", 30, False),
    SenrField("1.16", "Student Alias Last Name", "alias_last", 50, False),
    SenrField("1.17", "Student Birth Date", "birth_date", 8, True),
    SenrField("1.18", "Student Gender Code", "gender", 1, True),
    SenrField("1.19", "Student Birth City", "birth_city", 30, False),
    SenrField("1.20", "Student Birth State Province Code", "birth_state", 6, False),
    SenrField("1.21", "Student Birth Country Code", "birth_country", 2, True),
)

#: SENR layouts have had 34, 35 and 39 fields; a record with more than this ran into the next
#: one (old-Mac CR line ends read as one line) or is not SENR at all.
MAX_PLAUSIBLE_FIELDS = 64

FIELD_BY_KEY: dict[str, SenrField] = {f.key: f for f in SENR_FIELDS}

SSID_INDEX = FIELD_BY_KEY["ssid"].index


#: Folded CSV header name -> field.  Field numbers ("1.09") are accepted too.
FIELD_BY_HEADER: dict[str, SenrField] = {}
for _f in SENR_FIELDS:
    FIELD_BY_HEADER[fold_header(_f.name)] = _f
    FIELD_BY_HEADER[_f.number] = _f
# Common short spellings that SIS exports use for the same columns.
for _alias, _key in {
    "localid": "local_id",
    "studentlocalid": "local_id",
    "schoolofattendancecode": "school",
    "reportingleacode": "reporting_lea",
    "birthdate": "birth_date",
    "gendercode": "gender",
    "studentgender": "gender",
}.items():
    FIELD_BY_HEADER.setdefault(_alias, FIELD_BY_KEY[_key])
