"""Code sets of the SENR matching fields (CDE), with country codes from pycountry."""

from __future__ import annotations

from functools import lru_cache

GENDER_CODES = frozenset({"M", "F", "X"})
TRANSACTION_CODES = frozenset({"", " ", "A", "D", "R"})
UNKNOWN_COUNTRY = "UU"

_US_STATES = (
    "AA AE AK AL AP AR AZ CA CO CT DC DE FL GA HI IA ID IL IN KS KY LA MA MD ME MH MI MN MO MS MT "
    "NC ND NE NH NJ NM NV NY OH OK OR PA RI SC SD TN TX UT VA VT WA WI WV WY"
).split()
_CA_PROVINCES = "AB BC MB NB NL NS NT NU ON PE QC SK YT".split()
_MX_STATES = (
    "AGU BCN BCS CAM CHH CHP CMX COA COL DIF DUR GRO GUA HID JAL MEX MIC MOR NAY NLE OAX PUE QUE "
    "ROO SIN SLP SON TAB TAM TLA VER YUC ZAC"
).split()

#: Birth country -> the state/province codes valid with it (CDE).
STATES_BY_COUNTRY: dict[str, frozenset[str]] = {
    "US": frozenset(f"US-{s}" for s in _US_STATES),
    "CA": frozenset(f"CA-{s}" for s in _CA_PROVINCES),
    "MX": frozenset(f"MX-{s}" for s in _MX_STATES),
    # US territories carry their own country code but a US- state code.
    **{t: frozenset({f"US-{t}"}) for t in ("AS", "FM", "GU", "MP", "PR", "PW", "VI")},
}
_TERRITORIES = ("AS", "FM", "GU", "MP", "PR", "PW", "VI")

ALL_STATE_CODES: frozenset[str] = frozenset().union(*STATES_BY_COUNTRY.values())


@lru_cache(maxsize=1)
def country_codes() -> frozenset[str]:
    """ISO 3166-1 alpha-2 codes plus UU (unknown)."""
    import pycountry

    return frozenset(c.alpha_2 for c in pycountry.countries) | {UNKNOWN_COUNTRY}


def country_for_state(state: str) -> str | None:
    """The country a state code belongs to, e.g. 'US-PR' -> 'PR', 'US-CA' -> 'US'."""
    if state.startswith("US-") and state[3:] in _TERRITORIES:
        return state[3:]
    for country, states in STATES_BY_COUNTRY.items():
        if state in states:
            return country
    return None


def state_fix(state: str, country: str) -> str:
    """A plain-language fix for a state code that is wrong or does not fit the country."""
    if len(state) == 2 and state.isalpha() and f"US-{state}" in ALL_STATE_CODES:
        return f"use the country prefix: US-{state} (a bare {state} is not a state code)"
    if len(state) in (2, 3) and state.isalpha() and f"MX-{state}" in ALL_STATE_CODES:
        return f"use the country prefix: MX-{state}"
    if country in STATES_BY_COUNTRY and f"{country}-{state}" in STATES_BY_COUNTRY[country]:
        return f"use the country prefix: {country}-{state}"
    owner = country_for_state(state)
    if owner:
        return f"{state} belongs to country {owner}: fix 1.21 or 1.20"
    if country not in STATES_BY_COUNTRY:
        return f"leave it blank: country {country or '(blank)'} has no state codes"
    return f"use a {country}- code such as {sorted(STATES_BY_COUNTRY[country])[0]}, or leave it blank"


def typed_country(text: str) -> str | None:
    """The country code a clerk meant: 'us' or 'USA' -> 'US' (ISO alpha-2 or alpha-3); None when unknown."""
    code = text.strip().upper()
    if code in country_codes():
        return code
    if len(code) == 3 and code.isascii() and code.isalpha():
        import pycountry

        found = pycountry.countries.get(alpha_3=code)
        if found is not None:
            return str(found.alpha_2)
    return None


def typed_state(text: str, country: str = "") -> str | None:
    """The state code a clerk meant: 'us-ca' -> 'US-CA'; a bare 'CA' -> 'US-CA' when the country's (or else
    exactly one) code set has it; None when unknown or ambiguous."""
    code = text.strip().upper()
    if code in ALL_STATE_CODES:
        return code
    if country in STATES_BY_COUNTRY and f"{country}-{code}" in STATES_BY_COUNTRY[country]:
        return f"{country}-{code}"
    meant = {f"{c}-{code}" for c in ("US", "CA", "MX")} & ALL_STATE_CODES
    return meant.pop() if len(meant) == 1 else None
