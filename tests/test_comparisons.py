"""Each comparison level on real-looking pairs, including the hard negatives."""

from __future__ import annotations

import pytest

from ssid_tui.matching.blocking import date_variants
from ssid_tui.matching.comparisons import (
    Frequencies,
    date_level,
    first_level,
    gender_level,
    last_level,
    middle_level,
    place_level,
)
from ssid_tui.matching.name_forms import NameForms

# A registry of a million students where JOSE and GARCIA are common and XOCHITL rare.
FREQ = Frequencies(
    {"first": {"JOSE": 15000, "MARIA": 14000, "XOCHITL": 12},
     "last": {"GARCIA": 20000, "LOPEZ": 12000, "GARCIALOPEZ": 300, "NGUYEN": 9000, "OKONKWO": 8},
     "dob": {"20140507": 160}, "country": {"US": 850000, "MX": 60000, "PH": 4000},
     "state": {"US-CA": 700000, "US-NY": 9000}},
    1_000_000,
)


def names(first: str, last: str, middle: str = "") -> NameForms:
    return NameForms.of(first, middle, last)


@pytest.mark.parametrize(
    ("sub", "cand", "level"),
    [
        ("JOSE", "JOSE", "exact"),
        ("JOSÉ", "JOSE", "exact"),
        ("JI-WOO", "JIWOO", "compact"),
        ("MARIA JOSE", "MARIA", "token"),
        ("PEPE", "JOSE", "nickname"),
        ("BOB", "ROBERT", "nickname"),
        ("CHUY", "JESUS", "nickname"),
        ("LUPE", "GUADALUPE", "nickname"),
        ("STEPHEN", "STEVEN", "phonetic"),
        ("KATHERINE", "KATHERNE", "close spelling"),
        ("J", "JOSE", "initial"),
        ("MADDIE", "MADISON", "nickname"),
        ("AI", "MAI", "different"),
        ("KIA", "MIA", "close spelling"),
        ("JOSE", "JESUS", "different"),
        ("", "JOSE", "missing"),
    ],
)
def test_first_name_levels(sub, cand, level):
    assert first_level(names(sub, "GARCIA"), names(cand, "GARCIA"), FREQ, sexes_differ=False)[0] == level


@pytest.mark.parametrize(("typed", "other"), [("TOÑL", "ANTONIO"), ("APCO", "FRANCISCO"), ("ALX", "ALEJANDRO"),
                                             ("ANTONIO", "TOÑL"), ("BOBB", "ROBERT")])
def test_a_misspelt_nickname_is_a_level_of_its_own(typed, other):
    level, weight = first_level(names(typed, "GARCIA"), names(other, "GARCIA"), FREQ, sexes_differ=False)
    assert level == "nickname, misspelt" and -10 < weight < 4.5  # between different and nickname


def test_a_common_name_one_letter_from_a_nickname_is_not_a_misspelt_nickname():
    # TOBY is one letter from TONY (ANTONIO): brothers TOBY and ANTONIO must stay different where the
    # registry holds TOBY often; so must twins of opposite sex.
    freq = Frequencies({"first": {"TOBY": 400, "ANTONIO": 9000}}, 1_000_000)
    assert first_level(names("TOBY", "GARCIA"), names("ANTONIO", "GARCIA"), freq, False)[0] == "different"
    assert first_level(names("TOBY", "GARCIA"), names("ANTONIO", "GARCIA"), FREQ, False)[0] == "nickname, misspelt"
    assert first_level(names("TOÑL", "GARCIA"), names("ANTONIA", "GARCIA"), FREQ, True)[0] == "different"


def test_short_forms_not_in_any_table():
    from ssid_tui.matching.comparisons import short_form

    assert short_form("MADDI", "MADISON") and short_form("XANDER", "ALEXANDER")
    assert not short_form("JO", "JOSEPH") and not short_form("MARIA", "MARIA")


def test_middle_name_used_as_first_name():
    level, weight = first_level(names("LUIS", "GARCIA"), names("JOSE", "GARCIA", "LUIS"), FREQ, False)
    assert level == "middle as first" and weight > 0
    # first and middle given the other way round
    assert first_level(names("LUIS", "GARCIA", "JOSE"), names("JOSE", "GARCIA", "LUIS"), FREQ, False)[0] == "middle as first"


def test_sisters_sharing_a_given_name_are_not_one_girl():
    # JADA EMILY vs ERICA JADA: the submitted middle contradicts "goes by her middle name"
    level, weight = first_level(names("JADA", "YOUNG", "EMILY"), names("ERICA", "YOUNG", "JADA"), FREQ, False)
    assert level == "different" and weight < 0


def test_twins_of_opposite_sex_with_near_identical_names_disagree():
    # DANIEL and DANIELA, MARIO and MARIA: one letter apart, but different children.
    for a, b in (("DANIEL", "DANIELA"), ("MARIO", "MARIA")):
        level, weight = first_level(names(a, "LOPEZ"), names(b, "LOPEZ"), FREQ, sexes_differ=True)
        assert level == "different" and weight < 0
    # The same spelling slip between children of the same sex is a close spelling.
    assert first_level(names("DANIEL", "LOPEZ"), names("DANEIL", "LOPEZ"), FREQ, False)[0] == "close spelling"


def test_exact_agreement_on_a_rare_name_counts_more_than_on_a_common_one():
    common = first_level(names("JOSE", "X"), names("JOSE", "X"), FREQ, False)[1]
    rare = first_level(names("XOCHITL", "X"), names("XOCHITL", "X"), FREQ, False)[1]
    assert rare > common + 5


@pytest.mark.parametrize(
    ("sub", "cand", "level"),
    [
        ("GARCIA", "GARCIA", "exact"),
        ("GARCIA-LOPEZ", "GARCIA LOPEZ", "exact"),
        ("GARCIALOPEZ", "GARCIA LOPEZ", "compact"),
        ("GARCIA", "GARCIA LOPEZ", "token"),
        ("LOPEZ", "GARCIA LOPEZ", "token"),
        ("DELA CRUZ", "DE LA CRUZ", "exact"),
        ("DELACRUZ", "DE LA CRUZ", "exact"),
        ("O'BRIEN", "OBRIEN", "exact"),
        ("ROSA", "DE LA ROSA", "particle dropped"),
        ("LEON", "DE LEON", "particle dropped"),  # DE + LEON, not DEL + EON
        ("LEÓN", "DE LEÓN", "particle dropped"),
        ("SANTOS", "DE LOS SANTOS", "particle dropped"),
        ("LUNA", "DELUNA", "particle dropped"),
        ("ST JOHN", "SAINT JOHN", "particle dropped"),
        ("NGUEYN", "NGUYEN", "close spelling"),
        ("GARCIA", "GARZA", "similar"),
        ("SMITH", "NGUYEN", "different"),
    ],
)
def test_last_name_levels(sub, cand, level):
    assert last_level(names("ANA", sub), names("ANA", cand), FREQ)[0] == level


def test_similar_but_different_surnames_count_against():
    assert last_level(names("ANA", "GARCIA"), names("ANA", "GARZA"), FREQ)[1] < 0


def test_sharing_a_rare_surname_counts_more_than_sharing_a_common_one():
    common = last_level(names("ANA", "GARCIA"), names("ANA", "GARCIA OKONKWO"), FREQ)[1]
    rare = last_level(names("ANA", "OKONKWO"), names("ANA", "GARCIA OKONKWO"), FREQ)[1]
    assert rare > common


@pytest.mark.parametrize(
    ("sub", "cand", "level"),
    [("LUIS", "LUIS", "exact"), ("L", "LUIS", "initial"), ("", "LUIS", "missing"), ("ANA", "LUIS", "different")],
)
def test_middle_name_levels(sub, cand, level):
    assert middle_level(names("JOSE", "GARCIA", sub), names("JOSE", "GARCIA", cand))[0] == level


@pytest.mark.parametrize(
    ("sub", "cand", "level"),
    [
        ("20140507", "20140507", "exact"),
        ("20140705", "20140507", "day and month swapped"),
        ("20140508", "20140507", "one digit (day)"),
        ("20140607", "20140507", "one digit (month)"),
        ("20150507", "20140507", "year off by one"),
        ("20140520", "20140507", "same year"),
        ("20150620", "20140507", "year off by one, other parts differ"),
        ("20120507", "20140507", "one digit (year)"),
        ("20090507", "20140507", "different"),
        ("", "20140507", "missing"),
    ],
)
def test_birth_date_levels(sub, cand, level):
    assert date_level(sub, cand, FREQ)[0] == level


def test_cde_ranking_a_year_deviation_costs_more_than_a_day_deviation():
    year = date_level("20150507", "20140507", FREQ)[1]
    day = date_level("20140508", "20140507", FREQ)[1]
    month = date_level("20140607", "20140507", FREQ)[1]
    exact = date_level("20140507", "20140507", FREQ)[1]
    assert exact > day > month > year


def test_gender_and_place_levels():
    assert gender_level("M", "M")[0] == "exact"
    assert gender_level("X", "F")[0] == "X vs M/F"
    assert gender_level("M", "F")[1] < gender_level("X", "F")[1] < 0
    assert place_level("birth_country", "UU", "US", FREQ)[0] == "missing"
    assert place_level("birth_country", "MX", "MX", FREQ)[1] > place_level("birth_country", "US", "US", FREQ)[1]
    assert place_level("birth_state", "US-CA", "US-NY", FREQ)[0] == "different"
    assert place_level("birth_state", "", "US-NY", FREQ)[0] == "missing"


def test_date_variants_add_the_swapped_date_only_when_it_is_a_date():
    assert date_variants("20140507") == ["20140507", "20140705"]
    assert date_variants("20140525") == ["20140525"]
    assert date_variants("20140505") == ["20140505"]
