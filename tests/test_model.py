"""The matching model as data: every level the comparisons return is declared, with its weight."""

from __future__ import annotations

import math

import pytest

from ssid_tui.matching import comparisons as cmp
from ssid_tui.matching.model import BLOCKING_PASSES, BY_FIELD, COMPARISONS, FIELDS, weights_record
from ssid_tui.matching.name_forms import NameForms
from ssid_tui.matching.registry import INDEXES
from ssid_tui.matching.u_sample import PairSide, pair_levels

NAMES = [("JOSE", "", "GARCIA"), ("PEPE", "", "GARCIA LOPEZ"), ("JOSÉ LUIS", "", "GARCA"), ("J", "L", "GARCIA"),
         ("LUIS", "JOSE", "DE LA GARCIA"), ("JOSEPH", "", "GARCIA-LOPEZ"), ("ANA", "", "NGUYEN"), ("", "", "KIM"),
         ("JOSA", "LUIS", "LOPEZ GARCA"), ("MADDIE", "", "GARSIA"), ("MADISON", "", "GARCIALOPEZ")]
DATES = ["20140507", "20140705", "20140508", "20140607", "20150507", "20140101", "20240507", "19990101", ""]


def test_every_level_the_comparisons_return_is_in_the_table_with_its_weight():
    freq = cmp.Frequencies({"first": {"JOSE": 40}, "last": {"GARCIA": 90}, "dob": {"20140507": 3}}, 1000)
    forms = [NameForms.of(*n) for n in NAMES]
    seen: dict[str, set[str]] = {c.field: set() for c in COMPARISONS}
    for a in forms:
        for b in forms:
            for field, (level, weight) in (("first", cmp.first_level(a, b, freq, False)),
                                           ("last", cmp.last_level(a, b, freq)), ("middle", cmp.middle_level(a, b))):
                lv = BY_FIELD[field].level(level)  # KeyError if undeclared
                seen[field].add(level)
                if not lv.tf:
                    assert weight == lv.weight
    for x in DATES:
        for y in DATES:
            level, weight = cmp.date_level(x, y, freq)
            lv = BY_FIELD["birth_date"].level(level)
            assert lv.tf or weight == lv.weight
            seen["birth_date"].add(level)
    assert {"exact", "nickname", "close token", "particle dropped", "token", "initial"} <= seen["first"] | seen["last"]
    assert len(seen["birth_date"]) >= 7


def test_term_frequency_levels_follow_the_table():
    freq = cmp.Frequencies({"last": {"GARCIA": 99}}, 999)
    exact = BY_FIELD["last"].level("exact")
    assert cmp.last_level(NameForms.of("A", "", "GARCIA"), NameForms.of("B", "", "GARCIA"), freq)[1] == \
        pytest.approx(math.log2(exact.m / (100 / 1000)))
    rare = cmp.last_level(NameForms.of("A", "", "ZYX"), NameForms.of("B", "", "ZYX"), freq)[1]
    assert rare == pytest.approx(min(exact.cap, math.log2(exact.m / (1 / 1000))))
    place = cmp.place_level("birth_country", "US", "US", cmp.Frequencies({"country": {"US": 999}}, 999))
    assert place == ("exact", BY_FIELD["birth_country"].level("exact").floor)


def test_registry_indexes_and_stored_record_come_from_the_tables():
    assert set(INDEXES.values()) == {p.columns for p in BLOCKING_PASSES}
    assert set(INDEXES) <= {f"name_{p.name}" for p in BLOCKING_PASSES}
    rec = weights_record()
    assert [f["field"] for f in rec["fields"]] == [c.field for c in COMPARISONS]
    assert {a["name"] for a in rec["adjustments"]} >= {"names_cap", "swapped"}


def test_weights_keep_cdes_ranking():
    """year > first > last > middle > month > day: a slip in a higher-ranked element costs more."""
    date = BY_FIELD["birth_date"]
    assert date.level("one digit (year)").weight < date.level("one digit (month)").weight < \
        date.level("one digit (day)").weight
    first, last, middle = BY_FIELD["first"], BY_FIELD["last"], BY_FIELD["middle"]
    assert first.level("close spelling").weight < last.level("close spelling").weight
    assert first.level("different").weight < last.level("different").weight < middle.level("different").weight
    # what a slip in the middle name costs (exact -> close) is less than in any other name
    assert middle.level("exact").weight - middle.level("close spelling").weight < \
        last.level("close spelling").weight - first.level("close spelling").weight + 1.0


def test_one_rule_per_field_of_the_model_table_in_its_order():
    assert tuple(r.field for r in cmp.FIELD_RULES) == FIELDS == tuple(c.field for c in COMPARISONS)
    assert all((r.names is None) != (r.values is None) for r in cmp.FIELD_RULES)
    assert cmp.VALUE_FIELDS == ("birth_date", "gender", "birth_country", "birth_state", "birth_city")


def test_the_u_sample_compares_pairs_as_the_matcher_does():
    # first and middle given the other way round: the matcher puts the middle names in the crosswise
    # level, so the random pairs behind its u must be counted there too
    values = {"birth_date": "20140507", "gender": "M", "birth_city": "Fresno"}
    a = PairSide(NameForms.of("JOSE", "LUIS", "GARCIA"), values)
    b = PairSide(NameForms.of("LUIS", "JOSE", "GARCIA"), {**values, "birth_city": "Reno"})
    levels = dict(zip(FIELDS, pair_levels(a, b), strict=True))
    assert levels == {"first": "middle as first", "last": "exact", "middle": "first and middle crosswise",
                      "birth_date": "exact", "gender": "exact", "birth_country": "missing", "birth_state": "missing",
                      "birth_city": "different"}
