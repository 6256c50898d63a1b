"""The SSID Match Results file: CDE's columns, ours after them, and its match categories.

The export writes this layout and `import-selections` reads it back, so both take the
column names from here. CDE's 13 columns come first, in CDE's order and spelling (SIS
importers read them by name); our review columns follow.
"""

from __future__ import annotations

from enum import StrEnum


class MatchCategory(StrEnum):
    """Result_MatchCategory: how many candidate SSIDs the matcher kept for a student."""

    NO_MATCH = "No Match"
    SINGLE = "Single Match"
    MULTIPLE = "Multiple Match"


#: Column names of the results file that an import reads (`import-selections`).
SELECTION = "Selection"
LOCAL_ID = "Submitted_SENR_LocalID"
SSID = "Result_SENR_SSID"

#: Our review columns that `import-selections` reads back (and the duplicate flag).
REVIEW_NOTE = "Review_Note"
REVIEW_FOLLOW_UP = "Review_FollowUp"
UPLOAD_DUPLICATE_OF = "Upload_Possible_Duplicate_Of"
REGISTRY_DUPLICATE_OF = "Registry_Possible_Duplicate_Of"

#: CDE's SSID Match Results layout: names and order must not change.
CDE_COLUMNS: tuple[str, ...] = (
    "Submitted_SENR_ReportingLEA",
    "Submitted_SENR_SchoolofAttendance",
    SELECTION,
    LOCAL_ID,
    "Submitted_SENR_Student_LegalLastName",
    "Submitted_SENR_Student_LegalFirstName",
    "Submitted_SENR_Student_LegalMiddleName",
    SSID,
    "Result_SENR_SSIDCreateDate",
    "Result_MatchCategory",
    "Result_MatchPercentageScore",
    "Submitted_SENR_Gender",
    "Submitted_SENR_BirthDate",
)

#: Our columns after CDE's: the review decision, the rest of the submitted matching fields,
#: and the candidate's own data, so a reviewer can verify a match from the file alone.
OUR_COLUMNS: tuple[str, ...] = (
    "Review_Decision",
    "Candidate_Rank",
    "Submitted_SENR_Student_LegalNameSuffix",
    "Submitted_SENR_Student_AliasLastName",
    "Submitted_SENR_Student_AliasFirstName",
    "Submitted_SENR_Student_AliasMiddleName",
    "Submitted_SENR_BirthCity",
    "Submitted_SENR_BirthStateProvince",
    "Submitted_SENR_BirthCountry",
    "Result_Student_LegalLastName",
    "Result_Student_LegalFirstName",
    "Result_Student_LegalMiddleName",
    "Result_Student_LegalNameSuffix",
    "Result_Student_AliasLastName",
    "Result_Student_AliasFirstName",
    "Result_Student_AliasMiddleName",
    "Result_BirthDate",
    "Result_Gender",
    "Result_BirthCity",
    "Result_BirthStateProvince",
    "Result_BirthCountry",
    "Result_NameSource",
    "Result_LastReportingLEA",
    "Result_LastSchoolofAttendance",
    "Result_LastGradeLevel",
    "Result_LastEnrollmentStartDate",
    "Result_LastEnrollmentExitDate",
    REVIEW_NOTE,  # the reviewer's one-line note
    REVIEW_FOLLOW_UP,  # Y when tagged for a follow-up
    UPLOAD_DUPLICATE_OF,  # other local IDs of this upload that may be the same child (space-separated)
    REGISTRY_DUPLICATE_OF,  # on a candidate row: the student's other candidate SSIDs that look like one child
)

RESULTS_COLUMNS: tuple[str, ...] = CDE_COLUMNS + OUR_COLUMNS

#: The Selection value the export writes on the row of a chosen SSID.
SELECTION_MARK = "X"
