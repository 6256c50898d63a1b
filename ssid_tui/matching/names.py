"""Name normalisation, tokens, phonetic codes and nicknames for matching.

Everything here is pure and fast: it runs over every name of a 1,000,000-student
registry at load time. Regexes and translation tables are built once at import; the
per-name functions are cached because given names and surnames repeat a lot.

Conventions: a *normalized* name is upper-case ASCII ``A-Z``, ``0-9`` and single
spaces, nothing else (see :func:`normalize`).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from functools import lru_cache

import jellyfish

__all__ = [
    "PARTICLES",
    "SURNAME_PREFIXES",
    "EXTRA_NICKNAMES",
    "SPANISH_NICKNAMES",
    "are_nicknames",
    "clear_caches",
    "linked_names",
    "compact",
    "initials_only",
    "name_tokens",
    "nickname_groups",
    "normalize",
    "phonetic",
    "phonetic_keys",
]

# --------------------------------------------------------------------------------------
# normalize
# --------------------------------------------------------------------------------------

#: Applied to non-ASCII text before NFKD: apostrophe look-alikes are dropped (a
#: decomposed acute accent would otherwise leave a stray space: O´BRIEN), dash and
#: space look-alikes become spaces, and letters NFKD does not decompose get an ASCII
#: spelling.
_NON_ASCII_TABLE = str.maketrans(
    {
        **dict.fromkeys("\u2018\u2019\u201a\u201b\u02bc\u02b9\u02bb\u00b4\u0060\u2032", ""),
        **dict.fromkeys("\u2010\u2011\u2012\u2013\u2014\u2015\u2212\u00a0\u2009\u3000", " "),
        "\u00df": "SS",  # ß
        "\u1e9e": "SS",  # ẞ
        "\u00c6": "AE", "\u00e6": "AE",  # Æ æ
        "\u0152": "OE", "\u0153": "OE",  # Œ œ
        "\u00d8": "O", "\u00f8": "O",  # Ø ø
        "\u0141": "L", "\u0142": "L",  # Ł ł
        "\u0110": "D", "\u0111": "D",  # Đ đ (Vietnamese Đỗ -> DO)
        "\u00d0": "D", "\u00f0": "D",  # Ð ð
        "\u00de": "TH", "\u00fe": "TH",  # Þ þ
        "\u0131": "I",  # dotless ı
        "\u0130": "I",  # İ
    }
)

_ASCII_KEEP = "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"
#: Applied to upper-cased ASCII: keep A-Z, 0-9; separators become a space; everything
#: else (apostrophes, periods, other symbols) is deleted.  Besides the hyphen, slash
#: and comma, we also treat whitespace, underscores, brackets, ``; : & + |`` and quotes
#: as separators: `SMITH;JONES` is two names, not `SMITHJONES`.
_SEPARATORS = " \t\n\r\v\f-/\\,;:_&+|()[]{}<>\""
_ASCII_TABLE = str.maketrans(
    {
        **{chr(i): None for i in range(128) if chr(i) not in _ASCII_KEEP},
        **dict.fromkeys(_SEPARATORS, " "),
    }
)


def _normalize(text: str) -> str:
    """:func:`normalize` without the cache."""
    if not text:
        return ""
    if not text.isascii():
        text = text.translate(_NON_ASCII_TABLE)
        text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    return " ".join(text.upper().translate(_ASCII_TABLE).split())


@lru_cache(maxsize=1 << 16)
def normalize(text: str) -> str:
    """Upper-case ASCII form of a name: accents stripped, ' and . dropped, - / , as spaces.

    ``"José-María O'Brien"`` -> ``"JOSE MARIA OBRIEN"``; ``"ST. JOHN"`` -> ``"ST JOHN"``.
    Only ``A-Z``, ``0-9`` and single spaces survive; idempotent.
    """
    return _normalize(text)


# --------------------------------------------------------------------------------------
# tokens
# --------------------------------------------------------------------------------------

#: Surname (and given-name) particles glued to the following token, so that
#: `DE LA CRUZ`, `DELA CRUZ` and `DELACRUZ` all give `DELACRUZ`, `MC DONALD` gives
#: `MCDONALD`, `VAN DER BERG` gives `VANDERBERG`, `DE ANDRE` gives `DEANDRE`.
#: `DELA`, `DELAS`, `DELOS`, `VANDER`, `VANDEN`, `VANDE` are already-contracted forms.
PARTICLES: frozenset[str] = frozenset(
    "DE DEL DELA DELAS DELOS LA LAS LOS DA DAS DO DOS DI DU VAN VON DER DEN "
    "VANDER VANDEN VANDE LE ST SAN SANTA MC MAC".split()
)

#: The particles that comparisons strip from the front of a compact surname (DELOSSANTOS ->
#: SANTOS), in the order tried, with SAINT spelled out. DO, DOS, DAS, LE, SAN, SANTA and VANDE
#: are left out: glued, they begin too many surnames of their own (DOMINGUEZ, LEBLANC, SANCHEZ).
SURNAME_PREFIXES: tuple[str, ...] = (
    "DELOS", "DELAS", "DELA", "DEL", "DE", "LOS", "LAS", "LA", "VANDER", "VANDEN", "VAN",
    "VON", "DER", "DEN", "DI", "DA", "DU", "SAINT", "ST", "MC", "MAC",
)
assert set(SURNAME_PREFIXES) <= PARTICLES | {"SAINT"}, "a surname prefix that is not a particle"

#: `LE`, `DO`, `DU`, `DA`, `DI`, `LA` are also Vietnamese / Chinese surnames (Lê, Đỗ,
#: Du...). Before another common East-Asian surname (`LE-NGUYEN`, `DO TRAN`) they are
#: a surname of their own, not a particle: gluing them would hide `NGUYEN` from a
#: record that has only `NGUYEN`.
_ASIAN_SURNAME_PARTICLES = frozenset("LE DO DU DA DI LA".split())
_ASIAN_SURNAMES = frozenset(
    "NGUYEN TRAN LE PHAM HOANG HUYNH PHAN VU VO DANG BUI DO HO NGO DUONG LY LAM "
    "TRUONG DINH DOAN MAI TA TRINH LUONG CAO QUACH THAI TON LU CHEN WANG LI LIU ZHANG "
    "HUANG LIN WU ZHOU YANG XU SUN MA ZHU HU GUO HE LUO KIM LEE PARK CHOI JUNG KANG "
    "CHO YOON JANG LIM HAN SHIN".split()
)


@lru_cache(maxsize=1 << 16)
def name_tokens(text: str) -> tuple[str, ...]:
    """Tokens of the normalized name, particles glued to the token that follows.

    ``"De la Cruz"``, ``"DELA CRUZ"``, ``"DELACRUZ"`` -> ``("DELACRUZ",)``;
    ``"García-López"`` -> ``("GARCIA", "LOPEZ")``; ``"Ji-Woo"`` -> ``("JI", "WOO")``.
    A name that is only a particle (``"LE"``, ``"DE"``) is kept as it is.
    """
    raw = normalize(text).split()
    out: list[str] = []
    pending = ""
    last = len(raw) - 1
    for i, tok in enumerate(raw):
        if (
            i < last
            and tok in PARTICLES
            and not (tok in _ASIAN_SURNAME_PARTICLES and raw[i + 1] in _ASIAN_SURNAMES)
        ):
            pending += tok
            continue
        out.append(pending + tok)
        pending = ""
    return tuple(out)


@lru_cache(maxsize=1 << 16)  # pure, and called for most compared pairs
def compact(text: str) -> str:
    """The name's tokens joined without spaces: ``"GARCIA-LOPEZ"`` -> ``"GARCIALOPEZ"``."""
    # Gluing only concatenates tokens, so this equals "".join(name_tokens(text)).
    return normalize(text).replace(" ", "")


def as_written(value: str, written: Iterable[str]) -> str:
    """`value` as it was written, when one of `written` is that value: the matcher compares
    `LOPEZ CORDOVA`, `VASQUEZ` or `DELACRUZ` (particles joined); the record says `LOPEZ-CORDOVA`,
    `VÁSQUEZ` or `DELA CRUZ`. Otherwise `value` itself."""
    options = [w for w in written if w]
    key, joined = normalize(value), compact(value)
    return next((w for w in options if normalize(w) == key), None) or \
        next((w for w in options if compact(w) == joined), value)


_INITIALS_RE = re.compile(r"[A-Z](?: [A-Z])*")


def initials_only(text: str) -> bool:
    """True if the name is only initials: ``"J"``, ``"J."``, ``"J. R."``, ``"J.R."``.

    A blank name is not initials; ``"JR"`` (no periods) is a two-letter name.
    """
    return _INITIALS_RE.fullmatch(normalize(text.replace(".", " "))) is not None


# --------------------------------------------------------------------------------------
# phonetic codes
# --------------------------------------------------------------------------------------
#
# Algorithm: jellyfish's Metaphone on a lightly pre-normalized token. Metaphone
# (rather than Soundex or NYSIIS) because it keeps the whole consonant skeleton
# (Soundex truncates to 4 characters and keeps the first letter, so KATHERINE and
# CATHERINE differ), it folds PH/V -> F (STEPHEN = STEVEN), C/K/Q, S/Z,
# soft C and soft G (GIMENEZ = JIMENEZ), and it drops vowels (ZOE = ZOEY) while keeping
# GARCIA (KRX) apart from GARZA (KRS). It is implemented in Rust and cached here.
#
# Fixes applied before Metaphone (both keys):
#   * doubled letters collapsed (jellyfish gives AARON -> "RN" but ARON -> "ARN");
#   * Y used as a vowel becomes I (BRYAN = BRIAN, KAYLA = KAILA, WYNN = WINN); a
#     consonant Y (at the start or after a vowel, before a vowel: YOLANDA, MAYA, REYES)
#     is kept.
#   * DT -> T (jellyfish codes SCHMIDT "SXMTT" but SCHMIT "SXMT"). Equal code letters
#     from separate sounds are *not* collapsed: JESUS (JSS) must stay apart from
#     JOSE (JS).
#
# The *primary* code is English-safe. Spanish spellings by ear get a second,
# "as heard" code (:func:`phonetic_keys`), not folded into the primary one, because
# folding J/H there would merge JOHNSON with HANSEN and JONES with HAYNES, the most
# common surnames in the registry. The Spanish reading maps J, G before E/I and X
# before a vowel at the start to H (JIMENEZ = GIMENEZ = HIMENEZ, XIMENA = JIMENA,
# XAVIER = JAVIER), V to B (VALDEZ = BALDEZ, ESTEVAN = ESTEBAN), LL before a vowel to
# Y (GUILLERMO = GUIYERMO) and HU before a vowel at the start to W (HUERTA = WERTA).

_DOUBLE_RE = re.compile(r"([A-BD-Z])\1+")  # CC is two sounds in Spanish (ACCION)
_DT_RE = re.compile(r"DT")
_VOWEL_Y_RE = re.compile(r"(?<=[B-DF-HJ-NP-TV-XZ])Y|Y(?![AEIOU])")
_NON_LETTER_RE = re.compile(r"[^A-Z]+")

_SPANISH_RULES: tuple[tuple[re.Pattern[str], str], ...] = (
    (re.compile(r"^X(?=[AEI])"), "H"),  # XIMENA, XAVIER
    (re.compile(r"J"), "H"),  # JIMENEZ
    (re.compile(r"G(?=[EI])"), "H"),  # GIMENEZ, GERARDO
    (re.compile(r"^HU(?=[AEIO])"), "W"),  # HUERTA / WERTA, JUAN / HUAN / WAN
    (re.compile(r"LL(?=[AEIOU])"), "Y"),  # GUILLERMO / GUIYERMO
    (re.compile(r"V"), "B"),  # VALDEZ / BALDEZ
)


def _letters(token: str) -> str:
    """The token's letters only, upper-case ASCII (does not fill normalize's cache)."""
    if not token.isascii():
        token = _normalize(token)
    return _NON_LETTER_RE.sub("", token.upper())


def _prep(word: str) -> str:
    """Spelling clean-up shared by both codes (double letters, DT, vowel Y)."""
    return _VOWEL_Y_RE.sub("I", _DT_RE.sub("T", _DOUBLE_RE.sub(r"\1", word)))


def _metaphone(word: str) -> str:
    """jellyfish Metaphone, ``""`` for ``""``."""
    return jellyfish.metaphone(word) if word else ""


@lru_cache(maxsize=1 << 16)
def phonetic(token: str) -> str:
    """Primary phonetic code of a name token (Metaphone after clean-up), ``""`` for ``""``.

    STEPHEN = STEVEN, KATHERINE = CATHERINE, ZOE = ZOEY, JIMENEZ = GIMENEZ,
    BRIAN = BRYAN; GARCIA != GARZA. MARIA = MARIO (vowels are dropped): the code is
    evidence of a similar sound, never of the same name. Non-letters are ignored.
    """
    return _metaphone(_prep(_letters(token)))


def _spanish_code(word: str) -> str:
    for pattern, repl in _SPANISH_RULES:
        word = pattern.sub(repl, word)
    return _metaphone(_prep(word))


@lru_cache(maxsize=1 << 16)
def phonetic_keys(token: str) -> tuple[str, ...]:
    """Phonetic codes of a token: the primary code, then the Spanish "as heard" code.

    Duplicates removed, primary first; ``()`` for a token without letters. Index
    every key for blocking; two tokens sound alike if their keys intersect
    (JIMENEZ, GIMENEZ and HIMENEZ all share ``HMNS``; VALDEZ and BALDEZ ``BLTS``).
    """
    primary = phonetic(token)
    if not primary:
        return ()
    spanish = _spanish_code(_letters(token))
    return (primary,) if spanish == primary or not spanish else (primary, spanish)


# --------------------------------------------------------------------------------------
# nicknames
# --------------------------------------------------------------------------------------

#: Spanish hypocorisms (nickname -> the given names it stands for), which no English
#: table has. Mexican and Central American usage first, as in California schools;
#: only forms in wide use. Keys and values may carry accents (normalized on load).
#: Left out on purpose: NENA / NENE ("baby girl/boy", used for any child), descriptive
#: nicknames (CHINO, GÜERO, FLACO) and cross-language equivalents (JOSÉ / JOSEPH):
#: none of those says which given name it stands for.
#: Short forms common among California children that the `nicknames` package lacks
#: (checked against it: it has none of these links), and English forms Spanish-speaking
#: families use for Spanish names. Ours, like the Spanish table below.
EXTRA_NICKNAMES: dict[str, tuple[str, ...]] = {
    "Maddie": ("Madison", "Madeline", "Madelyn"), "Maddy": ("Madison", "Madeline", "Madelyn"),
    "Izzy": ("Isabella", "Isabel", "Isabelle", "Isaiah"), "Bella": ("Isabella", "Isabel", "Isabelle"),
    "Evie": ("Evelyn", "Eva", "Genevieve"), "Xander": ("Alexander",), "Zander": ("Alexander",),
    "Katie": ("Katherine", "Catherine", "Kathryn", "Kaitlyn"), "Kate": ("Katherine", "Catherine", "Kathryn"),
    "Charlie": ("Charles", "Charlotte", "Carlos"), "Mando": ("Armando",), "Cuco": ("Refugio",),
    "Joselo": ("José Luis",), "Jerry": ("Gerardo", "Gerald", "Jeremiah"), "Nate": ("Nathan", "Nathaniel"),
    "Gabe": ("Gabriel",), "Abby": ("Abigail",), "Addie": ("Addison", "Adeline"), "Ellie": ("Eleanor", "Elena", "Gabriella"),
    "Lexi": ("Alexis", "Alexa", "Alexandra"), "Liv": ("Olivia",), "Livvy": ("Olivia",),
    "Sophie": ("Sophia", "Sofia"), "Gio": ("Giovanni",), "Nico": ("Nicolas", "Nicholas"),
    "Santi": ("Santiago",), "Manny": ("Manuel", "Emmanuel"), "Tony": ("Antonio", "Anthony"), "Ricky": ("Ricardo", "Richard"),
    "Eddie": ("Eduardo", "Edward"), "Frankie": ("Francisco", "Frank"), "Freddy": ("Alfredo", "Fredy", "Frederick"),
    "Beto": ("Alberto", "Roberto", "Humberto"), "Jimmy": ("James", "Jaime"), "Danny": ("Daniel",), "Alex": ("Alexander", "Alejandro", "Alexis"),
}


SPANISH_NICKNAMES: dict[str, tuple[str, ...]] = {
    # José and its compounds
    "Pepe": ("José",),
    "Pepito": ("José",),
    "Chepe": ("José",),  # Central America
    "Joselito": ("José",),
    "Chema": ("José María",),
    "Pepa": ("Josefa",),
    "Chepa": ("Josefa",),
    "Fina": ("Josefina",),
    # Francisco / Francisca
    "Paco": ("Francisco",),
    "Kiko": ("Francisco", "Enrique"),
    "Quico": ("Francisco", "Enrique"),
    "Pancho": ("Francisco",),
    "Panchito": ("Francisco",),
    "Pancha": ("Francisca",),
    "Paquita": ("Francisca",),
    # Guadalupe (women, and men as José Guadalupe)
    "Lupe": ("Guadalupe",),
    "Lupita": ("Guadalupe",),
    # Jesús (NOT José: a twin pair José / Jesús must stay apart)
    "Chuy": ("Jesús",),
    "Chucho": ("Jesús",),
    # Men
    "Nacho": ("Ignacio",),
    "Memo": ("Guillermo",),
    "Guille": ("Guillermo",),
    "Lalo": ("Eduardo",),
    "Edu": ("Eduardo",),
    "Beto": ("Alberto", "Roberto", "Humberto", "Gilberto", "Heriberto", "Norberto"),
    "Tito": ("Alberto", "Roberto", "Ernesto"),
    "Toño": ("Antonio",),
    "Toñito": ("Antonio",),
    "Quique": ("Enrique",),
    "Kike": ("Enrique",),
    "Lencho": ("Lorenzo",),
    "Rafa": ("Rafael",),
    "Fito": ("Adolfo", "Rodolfo"),
    "Poncho": ("Alfonso",),
    "Goyo": ("Gregorio",),
    "Santi": ("Santiago",),
    "Nando": ("Fernando", "Hernando"),
    "Fercho": ("Fernando",),
    "Juanito": ("Juan",),
    "Chava": ("Salvador",),
    "Chalo": ("Gonzalo",),
    "Polo": ("Leopoldo",),
    "Manolo": ("Manuel",),
    "Manolito": ("Manuel",),
    "Moncho": ("Ramón",),
    "Jandro": ("Alejandro",),
    "Tavo": ("Gustavo", "Octavio"),
    "Gera": ("Gerardo",),
    "Javi": ("Javier",),
    "Benja": ("Benjamín",),
    "Lucho": ("Luis",),
    "Carlitos": ("Carlos",),
    "Miguelito": ("Miguel",),
    "Gabo": ("Gabriel",),
    # Women
    "Chelo": ("Consuelo",),
    "Concha": ("Concepción",),
    "Conchita": ("Concepción",),
    "Lola": ("Dolores",),
    "Lolita": ("Dolores",),
    "Pili": ("Pilar",),
    "Rosi": ("Rosario", "Rosa"),
    "Rosy": ("Rosario", "Rosa"),
    "Chayo": ("Rosario",),
    "Charo": ("Rosario",),
    "Rosita": ("Rosa",),
    "Maru": ("María Eugenia",),
    "Tere": ("Teresa",),
    "Maite": ("María Teresa",),
    "Mayte": ("María Teresa",),
    "Paty": ("Patricia",),
    "Pati": ("Patricia",),
    "Lety": ("Leticia",),
    "Leti": ("Leticia",),
    "Vero": ("Verónica",),
    "Meche": ("Mercedes",),
    "Chabela": ("Isabel",),
    "Chavela": ("Isabel",),
    "Isa": ("Isabel", "Isabela"),
    "Licha": ("Alicia",),
    "Chela": ("Graciela",),
    "Gaby": ("Gabriela",),
    "Gabi": ("Gabriela",),
    "Juanita": ("Juana",),
    "Anita": ("Ana",),
    "Naty": ("Natalia",),
    "Nati": ("Natalia",),
    "Sofi": ("Sofía",),
    "Vale": ("Valeria", "Valentina"),
    "Cami": ("Camila",),
    "Moni": ("Mónica",),
    "Mafer": ("María Fernanda",),
    "Majo": ("María José",),
    "Malú": ("María Luisa",),
    # Either sex: they link to both, never the two full names to each other
    # (Daniel / Daniela are not nicknames of one another; see are_nicknames).
    "Ale": ("Alejandro", "Alejandra"),
    "Dani": ("Daniel", "Daniela"),
    "Dany": ("Daniel", "Daniela"),
    "Fer": ("Fernando", "Fernanda"),
    "Cris": ("Cristian", "Cristina"),
}

#: Links in the `nicknames` package (canonical, nickname) that we drop: links between
#: two different given names that siblings or twins commonly carry (a boy and a girl,
#: or two distinct names), where a "nickname" match would help merge two children.
_DROPPED_PACKAGE_EDGES: frozenset[tuple[str, str]] = frozenset(
    {
        ("robert", "rupert"), ("bill", "robert"), ("billy", "robert"),
        ("bill", "fred"), ("billy", "fred"), ("will", "fred"), ("willie", "fred"),
        ("william", "bela"), ("william", "bell"), ("wilma", "william"),
        ("wilma", "billiewilhelm"),
        ("aaron", "erin"), ("aron", "erin"),
        ("andrea", "andrew"), ("emil", "emily"), ("emily", "emma"), ("amelia", "emily"),
        ("edwina", "edwin"), ("frederica", "frederick"), ("georgine", "george"),
        ("ernestine", "ernest"), ("earnest", "ernestine"), ("justin", "justina"),
        ("felicia", "felix"), ("lucia", "lucius"), ("laverne", "vernon"),
        ("evangeline", "evan"), ("theodosia", "theodosius"), ("paul", "polly"),
        ("jacqueline", "jack"), ("alexandria", "alexander"),
        ("veronica", "ron"), ("veronica", "ronny"), ("veronica", "ronnie"),
        ("veronica", "franky"),
        ("patrick", "peter"), ("amos", "moses"), ("moses", "amos"),
        ("susan", "hannah"), ("susannah", "hannah"), ("joanna", "hannah"),
        ("johannah", "hannah"), ("hannah", "anna"), ("savannah", "anna"),
        ("bryanna", "anna"), ("stephanie", "annie"), ("sheila", "cecilia"),
        ("rodger", "bobby"), ("roger", "bobby"), ("westley", "farmboy"),
        ("ashley", "leah"), ("ian", "john"), ("john", "ian"), ("ivan", "john"),
        ("gilbert", "wilber"), ("montgomery", "gum"), ("gum", "monty"),
        ("marsha", "mary"), ("derrick", "eric"), ("kenneth", "kendrick"),
        ("kent", "kendrick"), ("roxanna", "ann"), ("roxanne", "ann"),
        ("roxanna", "rose"), ("roxanne", "rose"),
        ("jalen", "al"), ("jalen", "len"), ("jalen", "lennie"), ("jalen", "lenny"),
        ("jalen", "jay"), ("jalen", "jaye"), ("jalen", "haylen"),
        ("robert", "bill"), ("robert", "billy"), ("bryanna", "ana"),
        ("christiana", "ann"), ("chick", "caroline"), ("chick", "charlotte"),
        ("nicole", "cole"), ("nicholette", "cole"), ("benjamin", "jamie"),
        ("bella", "arabella"), ("bella", "isabella"), ("louisa", "eliza"),
        ("louise", "eliza"),
    }
)

#: Pairs of distinct given names that the package links only *through* a shared
#: name listed the wrong way round (HARRY "has nickname" HAROLD and HENRY; VIC has
#: VICKI and VICTOR). are_nicknames keeps them apart.
_NOT_NICKNAMES: frozenset[frozenset[str]] = frozenset(
    frozenset(pair)
    for pair in (
        ("HAROLD", "HENRY"),
        ("VICKI", "VICTOR"),
        ("WILLIE", "WILMA"),
        ("EMILY", "EMMA"),
    )
)

#: Short forms that are also common given names in their own right. They link to
#: the names they directly stand for (SANDRA~ALEXANDRA, NATHAN~JONATHAN,
#: RITA~MARGARET) but not to the *other* short forms of those names: siblings ALEX
#: and SANDRA, JOHN and NATHAN, DAISY and RITA, ROSE and ANN are different children.
_STANDALONE: frozenset[str] = frozenset(
    "SANDRA NATHAN ROSE ROSA LINDA TINA RITA DAISY MEGAN NORA ELLA LENA LISA GAIL "
    "GARY ERICA ERIKA NICOLE ANN ANNA".split()
)


@lru_cache(maxsize=1)
def _canonicals() -> dict[str, frozenset[str]]:
    """Compact nickname -> normalized names it may stand for (English + Spanish). Built once."""
    from nicknames import NickNamer  # imported lazily: parsing its CSV costs ~20 ms

    table: dict[str, set[str]] = {}
    for canonical, nicks in NickNamer.default_lookup().items():
        full = normalize(canonical)
        for nick in nicks:
            if (canonical, nick) in _DROPPED_PACKAGE_EDGES:
                continue
            key = compact(nick)
            if key and full and key != full.replace(" ", ""):
                table.setdefault(key, set()).add(full)
    for nick, fulls in (*SPANISH_NICKNAMES.items(), *EXTRA_NICKNAMES.items()):
        table.setdefault(compact(nick), set()).update(normalize(f) for f in fulls)
    return {k: frozenset(v) for k, v in table.items()}


@lru_cache(maxsize=1 << 16)
def nickname_groups(name: str) -> frozenset[str]:
    """The normalized given names `name` may stand for, itself included.

    ``"Bob"`` -> ``{"BOB", "ROBERT", ...}``; ``"Pepe"`` -> ``{"PEPE", "JOSE"}``;
    ``"Chema"`` -> ``{"CHEMA", "JOSE MARIA"}``; an unknown name -> ``{NAME}``;
    a blank name -> ``frozenset()``. Lookup ignores spaces and hyphens (JOSEMARIA).
    """
    norm = normalize(name)
    if not norm:
        return frozenset()
    return _canonicals().get(norm.replace(" ", ""), frozenset()) | {norm}


@lru_cache(maxsize=1 << 16)
def _compact_group(name: str) -> frozenset[str]:
    return frozenset(n.replace(" ", "") for n in nickname_groups(name))


@lru_cache(maxsize=1 << 17)  # pure, and called for most compared pairs of given names
def are_nicknames(a: str, b: str) -> bool:
    """True if two *different* first names share a nickname group (BOB~ROBERT, PEPE~JOSE).

    False for the same name (after normalization), blanks and unrelated names. Two
    short forms of one name are related (PACO~PANCHO, LIZ~BETH) unless one is a common
    name in its own right (:data:`_STANDALONE`); two full names are related only if a
    table says one stands for the other, so DANIEL~DANIELA and JOSE~JESUS are False
    even though DANI, CHUY and PEPE link to them. Spelling variants that no table
    lists (STEPHEN/STEVEN) are False here: they are phonetic matches.
    """
    ka, kb = compact(a), compact(b)
    if not ka or not kb or ka == kb:
        return False
    if frozenset((ka, kb)) in _NOT_NICKNAMES:
        return False
    ga, gb = _compact_group(a), _compact_group(b)
    if kb in ga or ka in gb:
        return True  # one stands for the other: BOB~ROBERT, PEPE~JOSE
    if ka in _STANDALONE or kb in _STANDALONE:
        return False
    return not ga.isdisjoint(gb)  # two short forms of one name: PACO~PANCHO


@lru_cache(maxsize=1)
def _nicknames_of() -> dict[str, frozenset[str]]:
    """Compact full name -> the compact nicknames the tables give it (`_canonicals` read backwards)."""
    table: dict[str, set[str]] = {}
    for nick, fulls in _canonicals().items():
        for full in fulls:
            table.setdefault(full.replace(" ", ""), set()).add(nick)
    return {k: frozenset(v) for k, v in table.items()}


@lru_cache(maxsize=1 << 16)
def linked_names(name: str) -> frozenset[str]:
    """Compact given names a nickname table links to `name` either way, itself left out.

    ``"Antonio"`` -> ``{"TONO", "TONY", "TONI", ...}``; ``"Tony"`` -> ``{"ANTONIO", "ANTHONY", ...}``.
    """
    key = compact(name)
    return (_compact_group(name) | _nicknames_of().get(key, frozenset())) - {key}


def clear_caches() -> None:
    """Empty the per-name caches (tens of MB after loading a large registry)."""
    for fn in (normalize, name_tokens, compact, phonetic, phonetic_keys, nickname_groups, _compact_group, are_nicknames,
               linked_names):
        fn.cache_clear()
