"""The name and place pools the synthetic population draws from, read from `pools/`.

Each pool is a UTF-8 text file under `ssid_tui/synthetic/pools/`, one entry a line, most
common first where the order is a rank (the population draws with a Zipf-like skew on
it); blank lines and lines starting with `#` are ignored. Keeping them out of the code
lets a reader review the names and places as data.
"""

from __future__ import annotations

from importlib.resources import files

from ssid_tui.matching.names import PARTICLES

#: Given-name styles (`first_names/STYLE_M.txt` and `STYLE_F.txt`).
STYLES: tuple[str, ...] = ("EN", "ES", "BLK", "VI", "ZH", "KO", "FIL", "IN", "HY", "AR", "JA")
#: Surname pools (`surnames/KEY.txt`).
SURNAME_POOLS: tuple[str, ...] = ("HISP", "WHITE", "BLACK", "VI", "ZH", "KO", "FIL", "IN", "HY", "AR", "JA")

_POOLS = files("ssid_tui.synthetic") / "pools"


def _lines(name: str) -> list[str]:
    """The entries of one pool file, in file order."""
    text = (_POOLS / name).read_text(encoding="utf-8")
    return [line.strip() for line in text.splitlines() if line.strip() and not line.lstrip().startswith("#")]


def split_names(text: str) -> tuple[str, ...]:
    """'SAN JOSE, FRESNO' -> ('SAN JOSE', 'FRESNO'): spaces tidied, first occurrence kept."""
    out: list[str] = []
    for part in text.split(","):
        name = " ".join(part.split())
        if name and name not in out:
            out.append(name)
    return tuple(out)


def _names(name: str) -> tuple[str, ...]:
    return split_names(",".join(_lines(name)))


def _nicknames(name: str) -> dict[str, tuple[str, ...]]:
    """'FULL NAME: NICK/NICK' lines -> {FULL NAME: (NICK, NICK)}."""
    out: dict[str, tuple[str, ...]] = {}
    for line in _lines(name):
        full, nicks = line.split(":")
        out[" ".join(full.split())] = tuple(" ".join(n.split()) for n in nicks.split("/"))
    return out


def _weighted_places(name: str) -> tuple[tuple[str, int, tuple[str, ...]], ...]:
    """'CODE<TAB>weight<TAB>cities' lines -> ((CODE, weight, (city, ...)), ...)."""
    rows = (line.split("\t") for line in _lines(name))
    return tuple((code, int(weight), split_names(cities)) for code, weight, cities in rows)


#: (style, "M" or "F") -> given names, most common first.
FIRST_NAMES: dict[tuple[str, str], tuple[str, ...]] = {
    (style, gender): _names(f"first_names/{style}_{gender}.txt") for style in STYLES for gender in ("M", "F")
}
#: Surname pool -> surnames, most common first.
SURNAMES: dict[str, tuple[str, ...]] = {key: _names(f"surnames/{key}.txt") for key in SURNAME_POOLS}

#: Plain -> accented spelling of a name token (Hispanic records carry accents in a share).
ACCENTED: dict[str, str] = dict(line.split("=", 1) for line in _lines("accents.txt"))
_UNACCENT = str.maketrans("ÁÉÍÓÚÑÜáéíóúñü", "AEIOUNUaeiounu")

NICK_EN: dict[str, tuple[str, ...]] = _nicknames("nicknames_en.txt")
NICK_ES: dict[str, tuple[str, ...]] = _nicknames("nicknames_es.txt")

#: Spellings that sound alike, in groups (every member may be written as another member).
PHONETIC_GROUPS: tuple[tuple[str, ...], ...] = tuple(tuple(line.split("/")) for line in _lines("phonetic_groups.txt"))
#: Name -> the other spellings of its group.
PHONETIC: dict[str, tuple[str, ...]] = {}
for _group in PHONETIC_GROUPS:
    for _name in _group:
        PHONETIC[_name] = tuple(x for x in _group if x != _name)

#: Surname particles as the pools write them: the name model's (`names.PARTICLES`), SAINT as
#: "ST." with its period, and the Arabic and Armenian prefixes the pools join with a hyphen
#: (AL-AMIN, EL-KHOURY, ABU-ZAID, TER-PETROSYAN), which the name model does not glue.
WRITTEN_PARTICLES: frozenset[str] = PARTICLES | {"ST.", "AL", "EL", "ABU", "TER"}

#: California birth cities, most common first.
CA_CITIES: tuple[str, ...] = _names("ca_cities.txt")
#: Other US states a child may be born in: (code, relative weight, cities).
US_STATES: tuple[tuple[str, int, tuple[str, ...]], ...] = _weighted_places("us_states.txt")
#: Mexican birth states: (code, relative weight, cities).
MX_STATES: tuple[tuple[str, int, tuple[str, ...]], ...] = _weighted_places("mx_states.txt")
#: Country -> birth cities abroad.
COUNTRY_CITIES: dict[str, tuple[str, ...]] = {
    code: split_names(cities) for code, cities in (line.split("\t") for line in _lines("country_cities.txt"))
}
#: Canadian birth places: (province code, city).
CANADA_PROVINCES: tuple[tuple[str, str], ...] = tuple(
    (code, city) for code, city in (line.split("\t") for line in _lines("canada_provinces.txt"))
)


def plain(name: str) -> str:
    """The name without Spanish accents (JOSÉ -> JOSE)."""
    return name.translate(_UNACCENT)


def accent(name: str) -> str:
    """The name with the accents a Hispanic record may carry, token by token (JOSE LUIS -> JOSÉ LUIS)."""
    if not name:
        return name
    return " ".join(ACCENTED.get(t, t) for t in name.split(" "))
