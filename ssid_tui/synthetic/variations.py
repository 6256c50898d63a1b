"""Variations: how a registry student's record changes on its way into a district's upload.

Each variation takes (rng, upload record, registry student), changes the record in place
and returns False when it does not apply to this student. `applicable` says which apply;
the shares say how often each is used.
"""

from __future__ import annotations

import datetime as dt
import random
import re
from collections.abc import Callable

from ssid_tui.formats.senr_fields import FIELD_BY_KEY
from ssid_tui.synthetic.pools import NICK_EN, NICK_ES, PHONETIC, WRITTEN_PARTICLES, accent, plain
from ssid_tui.synthetic.population import DATE_BASE, LATEST_BIRTH, Student, date_strings

#: Share of the upload's registry students given each variation (sums to 1).
#: A "multi" student gets two variations at once and is labelled "kind1+kind2".
VARIATION_SHARES: dict[str, float] = {
    "exact": 0.45,
    "typo": 0.08,
    "accent_punct": 0.07,
    "missing_optional": 0.055,
    "surname_part": 0.05,
    "nickname_en": 0.04,
    "nickname_es": 0.04,
    "phonetic": 0.03,
    "multi": 0.03,
    "middle_as_first": 0.025,
    "date_day_month": 0.025,
    "date_digit": 0.025,
    "swapped_names": 0.02,
    "alias_as_legal": 0.02,
    "particle": 0.015,
    "date_year": 0.015,
    "gender_diff": 0.01,
}


#: The pairs of variations a "multi" student gets (first applied first).
MULTI_COMBOS: tuple[tuple[str, str], ...] = (
    ("nickname_es", "typo"),
    ("nickname_en", "typo"),
    ("typo", "date_digit"),
    ("accent_punct", "date_day_month"),
    ("surname_part", "typo"),
    ("middle_as_first", "date_year"),
    ("phonetic", "missing_optional"),
    ("swapped_names", "accent_punct"),
    ("nickname_es", "surname_part"),
    ("alias_as_legal", "date_digit"),
)

_KEYBOARD = {
    c: n for c, n in zip(
        "QWERTYUIOPASDFGHJKLZXCVBNM",
        "WA EQS RWD TEF YRG UTH IYJ OUK PIL OL QWSZ AEDX SFRC DGTV FHYB GJUN HKIM JLO KP ZSAX XDC CVF VBG BNH NMJ MK"
        .split(" "),
    )
}
_NAME_OK = re.compile(r"[A-Za-z0-9À-ÖØ-öø-ÿ.\-'/ ]*")
_LIMITS = {k: FIELD_BY_KEY[k].max_len for k in ("first", "middle", "last", "suffix", "alias_first", "alias_middle",
                                                 "alias_last")}


def _typo(rng: random.Random, name: str) -> str | None:
    letters = [i for i, ch in enumerate(name) if "A" <= ch <= "Z"]
    if len(letters) < 3:
        return None
    for _ in range(10):
        op = rng.random()
        i = rng.choice(letters)
        if op < 0.3:
            out = name[:i] + name[i + 1:]
        elif op < 0.5:
            out = name[:i] + name[i] + name[i:]
        elif op < 0.75:
            if i + 1 >= len(name) or not ("A" <= name[i + 1] <= "Z"):
                continue
            out = name[:i] + name[i + 1] + name[i] + name[i + 2:]
        else:
            out = name[:i] + rng.choice(_KEYBOARD[name[i]]) + name[i + 1:]
        if out != name and len(out.replace(" ", "")) >= 2 and not out.startswith((" ", "-")):
            return out
    return None


def _v_typo(rng: random.Random, u: dict[str, str], s: Student) -> bool:
    fields = ["first", "last"] if rng.random() < 0.45 else ["last", "first"]
    for f in fields:
        out = _typo(rng, u[f])
        if out:
            u[f] = out
            return True
    return False


def _accent_options(u: dict[str, str], s: Student) -> list[str]:
    opts = []
    names = (u["first"], u["middle"], u["last"])
    if any(plain(n) != n for n in names):
        opts.append("strip")
    if (s.group == "HISP" or s.style == "ES") and any(accent(n) != n for n in names):
        opts.append("add")
    if "'" in u["first"] + u["last"]:
        opts.append("apostrophe")
    if "-" in u["first"] or "-" in u["last"]:
        opts.append("hyphen")
    if " " in u["last"] and u["last"].split(" ")[0] not in WRITTEN_PARTICLES:
        opts.append("space")
    if "." in u["last"] or "." in u["suffix"]:
        opts.append("period")
    elif u["suffix"] in ("JR", "SR"):
        opts.append("addperiod")
    return opts


def _v_accent(rng: random.Random, u: dict[str, str], s: Student) -> bool:
    opts = _accent_options(u, s)
    if not opts:
        return False
    op = rng.choice(opts)
    if op == "strip":
        for f in ("first", "middle", "last", "alias_first", "alias_middle", "alias_last"):
            u[f] = plain(u[f])
    elif op == "add":
        for f in ("first", "middle", "last"):
            u[f] = accent(u[f])
    elif op == "apostrophe":
        for f in ("first", "last"):
            u[f] = u[f].replace("'", "" if rng.random() < 0.7 else " ")
    elif op == "hyphen":
        f = "last" if "-" in u["last"] else "first"
        u[f] = u[f].replace("-", " " if rng.random() < 0.5 else "")
    elif op == "space":
        u["last"] = u["last"].replace(" ", "-", 1)
    elif op == "period":
        u["last"] = u["last"].replace(".", "")
        u["suffix"] = u["suffix"].replace(".", "")
    else:
        u["suffix"] += "."
    return True


def _v_nick(table: dict[str, tuple[str, ...]]) -> Callable[[random.Random, dict[str, str], Student], bool]:
    def apply(rng: random.Random, u: dict[str, str], s: Student) -> bool:
        nicks = table.get(plain(u["first"]))
        if not nicks:
            return False
        u["first"] = rng.choice(nicks)
        return True

    return apply


def _phonetic_tokens(name: str) -> list[int]:
    parts = re.split(r"([ \-])", name)
    return [i for i, p in enumerate(parts) if plain(p) in PHONETIC]


def _v_phonetic(rng: random.Random, u: dict[str, str], s: Student) -> bool:
    fields = [f for f in ("first", "last") if _phonetic_tokens(u[f])]
    if not fields:
        return False
    f = rng.choice(fields)
    parts = re.split(r"([ \-])", u[f])
    i = rng.choice(_phonetic_tokens(u[f]))
    parts[i] = rng.choice(PHONETIC[plain(parts[i])])
    u[f] = "".join(parts)
    return True


def _surname_part_ok(u: dict[str, str], s: Student) -> bool:
    return bool(s.mat) and u["last"] == s.last and s.pat != s.mat


def _v_surname_part(rng: random.Random, u: dict[str, str], s: Student) -> bool:
    if not _surname_part_ok(u, s):
        return False
    pat, mat = s.pat, s.mat
    r = rng.random()
    if s.two_part:
        if r < 0.45:
            u["last"] = pat
        elif r < 0.55:
            u["last"] = mat
        elif r < 0.75:
            u["last"] = f"{pat}-{mat}" if " " in s.last[len(pat):len(pat) + 1] else f"{pat} {mat}"
        else:
            u["last"] = (pat + mat).replace(" ", "").replace("-", "")
    else:  # the school has both surnames, the registry only one
        u["last"] = f"{pat} {mat}" if r < 0.7 else f"{pat}-{mat}"
    return u["last"] != s.last


def _particle_ok(last: str) -> bool:
    toks = re.split(r"[ \-]", last)
    return len(toks) >= 2 and toks[0] in WRITTEN_PARTICLES


def _v_particle(rng: random.Random, u: dict[str, str], s: Student) -> bool:
    last = u["last"]
    if not _particle_ok(last):
        return False
    toks = re.split(r"[ \-]", last)
    k = 0
    while k < len(toks) - 1 and toks[k] in WRITTEN_PARTICLES:
        k += 1
    particles, rest = toks[:k], toks[k:]
    opts = ["join_all", "drop"]
    if len(particles) >= 2:
        opts.append("join_particles")
    if particles[0] in ("DELA", "DELOS"):
        opts.append("split")
    if "-" in last:
        opts.append("space")
    if particles[0] == "ST.":
        opts.append("saint")
    op = rng.choice(opts)
    if op == "join_all":
        out = "".join(toks)
    elif op == "drop":
        out = " ".join(rest)
    elif op == "join_particles":
        out = "".join(particles) + " " + " ".join(rest)
    elif op == "split":
        out = " ".join(["DE", particles[0][2:]] + particles[1:] + rest)
    elif op == "space":
        out = last.replace("-", " ")
    else:
        out = "SAINT " + " ".join(rest)
    if out == last:
        return False
    u["last"] = out
    return True


def _v_swap(rng: random.Random, u: dict[str, str], s: Student) -> bool:
    if len(u["last"]) > 30 or u["first"] == u["last"]:
        return False
    u["first"], u["last"] = u["last"], u["first"]
    return True


def _v_middle_first(rng: random.Random, u: dict[str, str], s: Student) -> bool:
    m = u["middle"]
    if not m or m == u["first"]:
        return False
    u["middle"] = u["first"] if rng.random() < 0.4 else ""
    u["first"] = m
    return True


def _v_alias_legal(rng: random.Random, u: dict[str, str], s: Student) -> bool:
    if not s.others:
        return False
    first, middle, last = rng.choice(s.others)
    if (first, last) == (u["first"], u["last"]):
        return False
    u["first"], u["middle"], u["last"] = first, middle, last
    u["alias_first"] = u["alias_middle"] = u["alias_last"] = ""
    return True


def _valid_dob(ds: str) -> bool:
    try:
        d = dt.date(int(ds[:4]), int(ds[4:6]), int(ds[6:]))
    except ValueError:
        return False
    return dt.date(2004, 1, 1) <= d <= LATEST_BIRTH


def _v_day_month(rng: random.Random, u: dict[str, str], s: Student) -> bool:
    ds = u["birth_date"]
    m, d = ds[4:6], ds[6:]
    if m == d or int(d) > 12:
        return False
    out = ds[:4] + d + m
    if not _valid_dob(out):
        return False
    u["birth_date"] = out
    return True


def _v_digit(rng: random.Random, u: dict[str, str], s: Student) -> bool:
    ds = u["birth_date"]
    for _ in range(40):
        r = rng.random()
        pos = 3 if r < 0.15 else rng.choice((4, 5)) if r < 0.4 else rng.choice((6, 7))
        if pos == 3:  # a wrong last digit of the year: a near key, not a decade away
            digit = str((int(ds[3]) + rng.choice((-2, -1, 1, 2))) % 10)
        else:
            digit = rng.choice("0123456789".replace(ds[pos], ""))
        out = ds[:pos] + digit + ds[pos + 1:]
        if _valid_dob(out):
            u["birth_date"] = out
            return True
    return False


def _v_year(rng: random.Random, u: dict[str, str], s: Student) -> bool:
    ds = u["birth_date"]
    for delta in ((1, -1) if rng.random() < 0.5 else (-1, 1)):
        out = f"{int(ds[:4]) + delta:04d}" + ds[4:]
        if _valid_dob(out):
            u["birth_date"] = out
            return True
    return False


def _v_missing(rng: random.Random, u: dict[str, str], s: Student) -> bool:
    opts = [o for o, ok in (("middle", bool(u["middle"])), ("state", bool(u["birth_state"])),
                            ("country", u["birth_country"] != "UU")) if ok]
    if not opts:
        return False
    rng.shuffle(opts)
    for o in opts[: 2 if rng.random() < 0.2 else 1]:
        if o == "middle":
            u["middle"] = ""
        elif o == "state":
            u["birth_state"] = ""
        else:
            u["birth_country"], u["birth_state"], u["birth_city"] = "UU", "", ""
    return True


def _v_gender(rng: random.Random, u: dict[str, str], s: Student) -> bool:
    g = u["gender"]
    u["gender"] = "X" if g in ("M", "F") else rng.choice("MF")
    return True


VARIATIONS: dict[str, Callable[[random.Random, dict[str, str], Student], bool]] = {
    "typo": _v_typo,
    "accent_punct": _v_accent,
    "nickname_en": _v_nick(NICK_EN),
    "nickname_es": _v_nick(NICK_ES),
    "phonetic": _v_phonetic,
    "surname_part": _v_surname_part,
    "particle": _v_particle,
    "swapped_names": _v_swap,
    "middle_as_first": _v_middle_first,
    "alias_as_legal": _v_alias_legal,
    "date_day_month": _v_day_month,
    "date_digit": _v_digit,
    "date_year": _v_year,
    "missing_optional": _v_missing,
    "gender_diff": _v_gender,
}


NAME_KINDS = frozenset({"typo", "accent_punct", "nickname_en", "nickname_es", "phonetic", "surname_part",
                         "particle", "swapped_names", "middle_as_first"})


def applicable(s: Student) -> set[str]:
    """The single variations that can be applied to a registry student's own record."""
    kinds = {"exact", "typo", "date_digit", "missing_optional", "gender_diff"}
    u = base_upload(s, with_alias=False)
    if _accent_options(u, s):
        kinds.add("accent_punct")
    p = plain(s.first)
    if p in NICK_EN:
        kinds.add("nickname_en")
    if p in NICK_ES:
        kinds.add("nickname_es")
    if _phonetic_tokens(s.first) or _phonetic_tokens(s.last):
        kinds.add("phonetic")
    if _surname_part_ok(u, s):
        kinds.add("surname_part")
    if _particle_ok(s.last):
        kinds.add("particle")
    if len(s.last) <= 30:
        kinds.add("swapped_names")
    if s.middle and s.middle != s.first:
        kinds.add("middle_as_first")
    if s.others:
        kinds.add("alias_as_legal")
    ds = u["birth_date"]
    if ds[4:6] != ds[6:] and int(ds[6:]) <= 12:
        kinds.add("date_day_month")
    if ds[4:] != "0229":
        kinds.add("date_year")
    for a, b in MULTI_COMBOS:
        if a in kinds and b in kinds:
            kinds.add(f"{a}+{b}")
    return kinds


#: The SENR fields an upload record holds (the writer fills the rest).
UPLOAD_FIELDS: tuple[str, ...] = (
    "first", "middle", "last", "suffix", "alias_first", "alias_middle", "alias_last",
    "birth_date", "gender", "birth_city", "birth_state", "birth_country",
)


def base_upload(s: Student, with_alias: bool) -> dict[str, str]:
    """The registry student's own record as a district would send it (alias names if `with_alias`)."""
    dates = date_strings()
    af, am, al = s.alias if with_alias else ("", "", "")
    return {
        "first": s.first, "middle": s.middle, "last": s.last, "suffix": s.suffix,
        "alias_first": af, "alias_middle": am, "alias_last": al,
        "birth_date": dates[s.dob - DATE_BASE], "gender": s.gender, "birth_city": s.city,
        "birth_state": s.state, "birth_country": s.country,
    }


def record_key(u: dict[str, str]) -> tuple[str, ...]:
    """The matching fields of an upload record (what a variation must change)."""
    return tuple(u[k] for k in ("first", "middle", "last", "suffix", "birth_date", "gender", "birth_state",
                                "birth_country"))


def record_ok(u: dict[str, str]) -> bool:
    """True when the record passes SENR validation: names present, allowed and short enough, a real birth date."""
    if not u["first"].strip() or not u["last"].strip():
        return False
    for f, n in _LIMITS.items():
        v = u[f]
        if len(v) > n or not _NAME_OK.fullmatch(v):
            return False
    return _valid_dob(u["birth_date"])


