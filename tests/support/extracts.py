"""Lines of an ODS extract for tests: one registry row per call, and four SSIDs to load."""

from __future__ import annotations


def ods_line(ssid: str, first: str, last: str, birth_date: str, gender: str = "F", alias_first: str = "",
             alias_last: str = "", middle: str = "") -> str:
    fields = [ssid, "20190815", first, middle, last, "", alias_first, "", alias_last, birth_date, gender,
              "Fresno", "US-CA", "US", "1964733", "1930056", "05", "20250814", ""]
    return "^".join(fields)


LINES = [
    ods_line("1000000001", "MARIA", "GARCIA", "20140507"),
    ods_line("1000000002", "JOSE", "GARCIA LOPEZ", "20130212", "M", alias_first="PEPE"),
    ods_line("1000000002", "JOSE", "LOPEZ", "20130212", "M"),  # an older legal name of the same SSID
    ods_line("1000000003", "ANA", "NGUYEN", "20150101"),
]
