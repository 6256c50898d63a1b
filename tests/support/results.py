"""The results file as CDE publishes it, typed by hand: tests compare the export with it."""

from __future__ import annotations

# CDE's 13 columns, copied by hand from CDE's layout (docs/file-formats.md section 3): names and order must not change.
CDE_13 = [
    "Submitted_SENR_ReportingLEA",
    "Submitted_SENR_SchoolofAttendance",
    "Selection",
    "Submitted_SENR_LocalID",
    "Submitted_SENR_Student_LegalLastName",
    "Submitted_SENR_Student_LegalFirstName",
    "Submitted_SENR_Student_LegalMiddleName",
    "Result_SENR_SSID",
    "Result_SENR_SSIDCreateDate",
    "Result_MatchCategory",
    "Result_MatchPercentageScore",
    "Submitted_SENR_Gender",
    "Submitted_SENR_BirthDate",
]
