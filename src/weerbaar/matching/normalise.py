# SPDX-License-Identifier: EUPL-1.2
"""Dutch normalisation of names, dates, addresses and companies.

Municipal files write the same person in many ways: ``Van der Berg``, ``Berg, van der``,
``vd Berg``, ``VANDERBERG``; ``Bijl``/``Byl``; ``Çelik``/``Celik``; ``J.P.`` for ``Johannes
Petrus``; ``1234 ab`` for ``1234AB``; ``12-a`` for ``12A``. Every function here maps such variants
onto one comparable form, is pure and idempotent (normalising a normalised value changes nothing),
and never guesses beyond what the input says: an abbreviated prefix such as ``vd`` stays ambiguous
between *van de*, *van den* and *van der*, which is why names are compared on their core without
the prefix.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from datetime import date
from functools import lru_cache

# Surname prefixes (voorvoegsels), longest first so that "van der" wins over "van".
_PREFIXES: tuple[str, ...] = (
    "van de la",
    "van der",
    "van den",
    "van de",
    "van het",
    "van 't",
    "van t",
    "in het",
    "in 't",
    "in de",
    "in der",
    "in den",
    "op de",
    "op den",
    "op het",
    "op 't",
    "uit de",
    "uit den",
    "uit het",
    "uijt de",
    "aan de",
    "aan den",
    "bij de",
    "onder de",
    "over de",
    "voor de",
    "de la",
    "de los",
    "van",
    "von",
    "vom",
    "von der",
    "de",
    "der",
    "den",
    "het",
    "'t",
    "t",
    "te",
    "ten",
    "ter",
    "la",
    "le",
    "du",
    "da",
    "dos",
    "del",
    "el",
    "al",
    "d'",
    "l'",
    "o'",
)
# Abbreviated prefixes as clerks write them; the core name decides, so an ambiguous "vd" is fine.
_PREFIX_ABBREVIATIONS: dict[str, str] = {
    "vd": "van d",
    "v d": "van d",
    "vd.": "van d",
    "v/d": "van d",
    "v.d.": "van d",
    "v.d": "van d",
    "vdr": "van der",
    "v.": "van",
    "v": "van",
    "i.t.": "in 't",
    "i t": "in 't",
}
_PREFIX_SET = frozenset(_PREFIXES)
# "v.d. Berg", "v/d Berg", "v. d. Berg": the dotted or slashed "van de(n/r)" before a name.
_DOTTED_VD = re.compile(r"^\s*v\s*[./]\s*d(?:\s*\.\s*|\s+|$)", re.IGNORECASE)
_TRAILING_VD = re.compile(r"\s+(?:v\s*[./]\s*d|vd)\.?\s*$", re.IGNORECASE)
# "in't Veld", "van't Hek": the apostrophe glued to the word before.
_GLUED_T = re.compile(r"\b(in|van|op|uit)'t\b", re.IGNORECASE)
_PREFIX_WORDS = frozenset(word for prefix in _PREFIXES for word in prefix.split())

_NON_ALNUM = re.compile(r"[^0-9a-z]+")
_SPACES = re.compile(r"\s+")


@lru_cache(maxsize=200_000)
def fold(text: str) -> str:
    """Lower case, diacritics removed, ``ij`` written as ``y``, punctuation to single spaces.

    ``ij`` and ``y`` are one sound in Dutch and clerks swap them (*Bijl*/*Byl*); the ligature
    ``ĳ`` becomes ``ij`` through NFKD first.
    """
    if not text:
        return ""
    lowered = _strip_marks(text).lower().replace("ij", "y")
    return _SPACES.sub(" ", _NON_ALNUM.sub(" ", lowered.replace("'", "'"))).strip()


#: Letters that have no Unicode decomposition into a base letter and a mark.
_LETTERS = str.maketrans(
    {"ß": "ss", "ø": "o", "Ø": "O", "æ": "ae", "Æ": "AE", "ł": "l", "Ł": "L", "ı": "i", "đ": "d", "Đ": "D",
     "œ": "oe", "Œ": "OE", "þ": "th", "ð": "d"}
)  # fmt: skip


def _strip_marks(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text.translate(_LETTERS))
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def _prefix_fold(text: str) -> str:
    """Fold a prefix (or a surname before its prefix is split off) but keep the apostrophe of 't."""
    stripped = _strip_marks(text.lower().replace("’", "'"))
    return _SPACES.sub(" ", re.sub(r"[^0-9a-z' /.]+", " ", stripped)).strip()


@dataclass(frozen=True, slots=True)
class Surname:
    """A surname split into prefix and core (``van der`` + ``berg``), plus the glued form."""

    prefix: str
    core: str

    @property
    def glued(self) -> str:
        """Prefix and core without spaces (``vanderberg``): how a glued spelling compares."""
        return (self.prefix + self.core).replace(" ", "").replace("'", "")


def _split_leading_prefix(words: list[str]) -> tuple[str, list[str]]:
    """Take the longest known prefix off the front of the words, leaving at least one word."""
    if len(words) > 2 and words[0] in ("v", "v.") and words[1] in _PREFIX_WORDS:
        words = ["van", *words[1:]]  # "v. der Meer"
    for length in (3, 2, 1):
        if len(words) > length:
            candidate = " ".join(words[:length])
            if candidate in _PREFIX_ABBREVIATIONS:
                return _PREFIX_ABBREVIATIONS[candidate], words[length:]
            if candidate in _PREFIX_SET:
                return candidate, words[length:]
    return "", words


def _split_trailing_prefix(words: list[str]) -> tuple[str, list[str]]:
    """A known prefix at the end (``Berg van der``), leaving at least one word; single short words
    such as ``de`` count only after a one-word name, so ``Bos de Vries`` is not cut."""
    for length in (3, 2, 1):
        if len(words) > length:
            candidate = " ".join(words[-length:])
            if candidate in _PREFIX_SET and (length > 1 or len(words) == 2):
                return candidate, words[:-length]
    return "", words


@lru_cache(maxsize=500_000)
def surname(prefix: str | None, name: str | None) -> Surname:
    """Split any Dutch spelling of a surname into prefix and core.

    Handles a prefix in its own column, a prefix inside the surname column (``van der Berg``),
    the reversed form (``Berg, van der``), abbreviations (``vd Berg``, ``v.d. Berg``) and case.
    A glued spelling (``Vanderberg``) is left whole: *Vandenberg* is also a real surname, so the
    glued form is compared rather than guessed apart.
    """
    raw_prefix = _prefix_fold(_DOTTED_VD.sub("vd ", (prefix or "").strip() + " ").strip())
    raw_name = _GLUED_T.sub(r"\1 't", _DOTTED_VD.sub("vd ", (name or "").strip().replace("’", "'")))
    trailing_vd = _TRAILING_VD.search(raw_name)
    if trailing_vd and trailing_vd.start() > 0:  # "Berg v.d.", "Berg vd"
        raw_name = raw_name[: trailing_vd.start()]
        raw_prefix = raw_prefix or "van d"
    if "," in raw_name:  # "Berg, van der" or "Berg, v.d."
        head, _, tail = raw_name.partition(",")
        raw_name = head
        tail_prefix = _prefix_fold(_DOTTED_VD.sub("vd ", tail.strip() + " ").strip())
        if tail_prefix and _normalise_prefix(tail_prefix) != _normalise_prefix(raw_prefix):
            raw_prefix = (raw_prefix + " " + tail_prefix).strip()
    words = _prefix_fold(raw_name).replace(".", ". ").replace("/", "/ ").split()
    words = [w for w in (word.strip() for word in words) if w]
    # Words like "v." or "d'" count as prefix words too.
    leading, rest = _split_leading_prefix([w.rstrip(".") if w not in _PREFIX_ABBREVIATIONS else w for w in words])
    if leading:
        # A prefix in its own column and again in the surname ("van der" + "van der Berg") counts once.
        raw_prefix = (
            leading
            if not raw_prefix or _normalise_prefix(raw_prefix) == _normalise_prefix(leading)
            else (raw_prefix + " " + leading)
        )
        words = rest
    else:
        trailing, rest = _split_trailing_prefix(words)
        if trailing:  # "Berg van der": the reversed form without its comma
            raw_prefix = (raw_prefix + " " + trailing).strip()
            words = rest
    core = fold(" ".join(words))
    prefix_norm = _normalise_prefix(raw_prefix)
    return Surname(prefix=prefix_norm, core=core)


def _normalise_prefix(raw: str) -> str:
    text = raw.replace("’", "'").strip()
    if not text:
        return ""
    compact = text.replace(" ", "")
    for abbreviation, full in _PREFIX_ABBREVIATIONS.items():
        if compact == abbreviation.replace(" ", ""):
            return full
    text = _SPACES.sub(" ", text.replace(".", " ").replace("/", " ")).strip()
    if text in _PREFIX_ABBREVIATIONS:
        return _PREFIX_ABBREVIATIONS[text]
    return text.replace("'t", "t").replace("'", "")


@dataclass(frozen=True, slots=True)
class GivenNames:
    """Given names as folded tokens; ``initials_only`` when the source gave only initials."""

    names: tuple[str, ...]
    initials_only: bool

    @property
    def first(self) -> str:
        return self.names[0] if self.names else ""

    @property
    def initials(self) -> str:
        return "".join(name[0] for name in self.names if name)


_INITIALS = re.compile(r"^(?:[A-Za-z]\.?\s*)+$")


@lru_cache(maxsize=500_000)
def given_names(text: str | None) -> GivenNames:
    """Tokens of the given names; ``J.P.``, ``JP`` and ``J P`` are initials.

    A mix such as ``Johannes P.`` keeps the name and the initial as tokens (its initials are ``jp``).
    """
    raw = (text or "").strip()
    if not raw:
        return GivenNames((), False)
    compact = raw.replace(" ", "").replace(".", "")
    if _looks_like_initials(raw, compact):
        letters = tuple(ch for ch in fold(compact) if ch.isalpha())
        return GivenNames(letters, True)
    if "." in raw:
        # "Joh. Petrus", "Th.J.", "Wilh.": a dotted abbreviation stands for a name starting with it;
        # it is kept as its first letter so that it compares as an initial.
        parts = [p for p in re.split(r"(?<=\.)|\s+", raw) if p.strip()]
        tokens = tuple(fold(p)[:1] if p.strip().endswith(".") else fold(p) for p in parts)
        tokens = tuple(t for token in tokens for t in token.split() if t)
        return GivenNames(tokens, all(len(t) == 1 for t in tokens))
    return GivenNames(tuple(fold(raw).split()), False)


def _looks_like_initials(raw: str, compact: str) -> bool:
    """``J.P.``, ``J P``, ``JP`` and ``E`` are initials; ``EVA`` and ``JAN`` in capitals are names.

    Capitals without dots count as initials only without a vowel (``JP``, ``HJM``) or as two
    letters with one (``AJ``), because all-capital files write short names such as ``BAS``,
    ``ELS`` and ``EVA`` the same way.
    """
    if not _INITIALS.match(raw):
        return False
    tokens = [t for t in re.split(r"[.\s]+", raw) if t]
    if tokens and all(len(t) == 1 for t in tokens):
        return True
    if not (compact.isupper() and len(compact) <= 3):
        return False
    vowels = len(re.findall(r"[AEIOUY]", compact))
    return vowels == 0 or (len(compact) == 2 and vowels == 1)


# Dates ---------------------------------------------------------------------------------------

_DATE_FORMS: tuple[re.Pattern[str], ...] = (
    re.compile(r"^(?P<y>\d{4})-(?P<m>\d{1,2})-(?P<d>\d{1,2})$"),
    re.compile(r"^(?P<y>\d{4})(?P<m>\d{2})(?P<d>\d{2})$"),
    re.compile(r"^(?P<d>\d{1,2})-(?P<m>\d{1,2})-(?P<y>\d{4})$"),
    re.compile(r"^(?P<d>\d{1,2})/(?P<m>\d{1,2})/(?P<y>\d{4})$"),
    re.compile(r"^(?P<d>\d{1,2})\.(?P<m>\d{1,2})\.(?P<y>\d{4})$"),
    re.compile(r"^(?P<y>\d{4})/(?P<m>\d{1,2})/(?P<d>\d{1,2})$"),
)


@lru_cache(maxsize=500_000)
def parse_date(text: str | None) -> tuple[int, int, int] | None:
    """``(year, month, day)`` from the common written forms, or None when absent or impossible.

    Accepts YYYY-MM-DD, YYYYMMDD, DD-MM-YYYY, DD/MM/YYYY, DD.MM.YYYY and YYYY/MM/DD (a time part
    after a space or ``T`` is ignored). An impossible date (30 February) is treated as absent:
    matching must not invent a day, and the import step rejects such rows with a message.
    """
    raw = (text or "").strip()
    if not raw:
        return None
    raw = raw.split("T")[0].split(" ")[0]
    if raw.endswith(".0"):  # spreadsheets turn 19800101 into 19800101.0
        raw = raw[:-2]
    for pattern in _DATE_FORMS:
        found = pattern.match(raw)
        if found:
            y, m, d = int(found["y"]), int(found["m"]), int(found["d"])
            try:
                date(y, m, d)
            except ValueError:
                return None
            return (y, m, d)
    return None


# Addresses -----------------------------------------------------------------------------------


def postcode(text: str | None) -> str:
    """``1234AB`` from any spacing and case; foreign postcodes keep their digits and letters."""
    return re.sub(r"[^0-9A-Z]", "", (text or "").upper())


_HOUSE = re.compile(r"^\s*(?P<number>\d+)\s*[-/ ]?\s*(?P<addition>.*)$")
_ADDITION_WORDS = {"bis": "bis", "hs": "h", "huis": "h", "boven": "bov", "bov": "bov", "rd": "rd", "zw": "zw"}


@lru_cache(maxsize=500_000)
def house_number(number: str | None, addition: str | None = None) -> tuple[int | None, str]:
    """House number and addition: ``12A``, ``12-a``, ``12 a`` and (``12``, ``A``) are one address.

    The addition is folded to lower-case letters and digits without separators; ``bis`` stays a
    word. A number column that holds the addition too (``12-a``) is split.
    """
    raw = (number or "").strip()
    extra = (addition or "").strip()
    found = _HOUSE.match(raw) if raw else None
    if not found:
        return None, _addition(extra)
    value = int(found["number"])
    rest = found["addition"]
    combined = (rest + " " + extra).strip() if rest or extra else ""
    return value, _addition(combined)


def _addition(text: str) -> str:
    folded = re.sub(r"[^0-9a-z]+", " ", fold(text)).strip()
    if not folded:
        return ""
    words = [_ADDITION_WORDS.get(word, word) for word in folded.split()]
    return "".join(words)


# Street abbreviations that municipal files use (Dutch). Applied per word on folded text.
_STREET_ABBREVIATIONS: dict[str, str] = {
    "str": "straat",
    "st": "straat",
    "ln": "laan",
    "pln": "plein",
    "pl": "plein",
    "wg": "weg",
    "gr": "gracht",
    "grt": "gracht",
    "kd": "kade",
    "sgl": "singel",
    "pr": "prins",
    "kon": "koning",
    "burg": "burgemeester",
    "mr": "meester",
    "dr": "doctor",
    "prof": "professor",
    "v": "van",
    "bd": "boulevard",
    "hof": "hof",
    "jhr": "jonkheer",
    "wethr": "wethouder",
    "weth": "wethouder",
    "ir": "ingenieur",
}
#: Abbreviations that mean something else in front of a name than at its end.
_LEADING_STREET_WORDS = {"st": "sint", "gr": "grote", "kl": "kleine", "n": "nieuwe", "o": "oude"}
_SUFFIXES = ("straat", "laan", "plein", "weg", "gracht", "kade", "singel", "dijk", "park", "hof", "steeg")


@lru_cache(maxsize=500_000)
def street(text: str | None) -> str:
    """Folded street name with abbreviations written out (``Burg. de Kockstr.`` → ``burgemeester de kockstraat``).

    A trailing ``str``/``ln``/``pln`` glued to the name (``Kerkstr``) is expanded too.
    """
    words = fold(text or "").split()
    out: list[str] = []
    for position, word in enumerate(words):
        if position == 0 and len(words) > 1 and word in _LEADING_STREET_WORDS:
            out.append(_LEADING_STREET_WORDS[word])  # "St. Jansstraat", "Gr. Markt"
            continue
        word = _STREET_ABBREVIATIONS.get(word, word)
        for short, full in (("str", "straat"), ("pln", "plein"), ("ln", "laan"), ("wg", "weg"), ("gr", "gracht")):
            if word.endswith(short) and len(word) > len(short) + 2 and not word.endswith(_SUFFIXES):
                word = word[: -len(short)] + full
                break
        out.append(word)
    return " ".join(out)


@lru_cache(maxsize=500_000)
def city(text: str | None) -> str:
    """Folded place name; ``'s-Hertogenbosch`` and ``s Hertogenbosch`` compare equal."""
    folded = fold(text or "")
    while folded.startswith("s "):
        folded = folded[2:]
    return folded


# Identifiers ---------------------------------------------------------------------------------


def digits(text: str | None) -> str:
    """The digits of an identifier (BSN, KvK number, social security number), nothing else.

    A spreadsheet that stored the number as a float (``12345678.0``) loses its ``.0`` first.
    """
    if not text:
        return ""
    if text.isdigit():
        return text
    stripped = text.strip()
    as_float = re.fullmatch(r"(\d+)[.,]0+", stripped)  # 12345678.0 or 12345678,0 from a spreadsheet
    return as_float.group(1) if as_float else re.sub(r"\D", "", stripped)


def national_id(text: str | None) -> str:
    """A BSN (or foreign id) as digits; a BSN written with 8 digits gets its leading zero back."""
    value = digits(text)
    return value.zfill(9) if len(value) == 8 else value


def kvk_number(text: str | None) -> str:
    """KvK numbers are 8 digits; a spreadsheet that dropped a leading zero is repaired."""
    value = digits(text)
    return value.zfill(8) if 0 < len(value) < 8 else value


# Companies -----------------------------------------------------------------------------------

_LEGAL_FORMS: tuple[tuple[str, str], ...] = (
    ("besloten vennootschap", "bv"),
    ("naamloze vennootschap", "nv"),
    ("vennootschap onder firma", "vof"),
    ("commanditaire vennootschap", "cv"),
    ("eenmanszaak", "ez"),
    ("stichting", "stichting"),
    ("vereniging", "vereniging"),
    ("cooperatie", "cooperatie"),
    ("maatschap", "maatschap"),
    ("b v", "bv"),
    ("bv", "bv"),
    ("n v", "nv"),
    ("nv", "nv"),
    ("v o f", "vof"),
    ("vof", "vof"),
    ("c v", "cv"),
    ("cv", "cv"),
    ("ua", "ua"),
    ("u a", "ua"),
    ("ltd", "ltd"),
    ("gmbh", "gmbh"),
)
_COMPANY_NOISE = frozenset({"holding", "beheer", "groep", "group", "en", "the", "de", "het", "in", "i o", "io"})


@dataclass(frozen=True, slots=True)
class CompanyName:
    """A trade name without legal form and filler words (``Holding``, ``Beheer``), and the legal form."""

    core: str
    legal_form: str
    tokens: tuple[str, ...]


@lru_cache(maxsize=500_000)
def company_name(text: str | None, legal_form: str | None = None) -> CompanyName:
    """``Bakkerij Jansen B.V.``, ``bakkerij jansen bv`` and ``Bakkerij Jansen Holding`` share one core."""
    folded = fold((text or "").replace("&", " en ").replace("+", " en "))
    folded = re.sub(r"(?: i o| in oprichting)$", "", folded)  # "B.V. i.o.": a company being founded
    form = ""
    # Legal forms and filler words at the end or the start ("Coöperatie … U.A.", "Jansen B.V.
    # Holding"), dotted or not; never so many that nothing but filler would remain.
    stripped = True
    while stripped:
        stripped = False
        words = folded.split()
        if len(words) > 1 and words[-1] in _COMPANY_NOISE:
            folded = " ".join(words[:-1])
            stripped = True
            continue
        for written, code in _LEGAL_FORMS:
            if folded.endswith(" " + written):
                rest = folded[: -len(written) - 1].strip()
            elif folded.startswith(written + " "):
                rest = folded[len(written) + 1 :].strip()
            else:
                continue
            abbreviation = len(written.replace(" ", "")) <= 4
            if not rest or (not abbreviation and not [w for w in rest.split() if w not in _COMPANY_NOISE]):
                continue  # "De Maatschap", "Stichting De Vereniging": the legal-form word is the name
            folded = rest
            form = form or code
            stripped = True
            break
    if not form and legal_form:
        lf = fold(legal_form)
        form = next((code for written, code in _LEGAL_FORMS if lf == written or lf.replace(" ", "") == written), lf)
    tokens = tuple(token for token in folded.split() if token not in _COMPANY_NOISE)
    return CompanyName(core=" ".join(tokens) or folded, legal_form=form, tokens=tokens or tuple(folded.split()))


# Phonetic key for candidate generation -----------------------------------------------------

_PHONETIC_RULES: tuple[tuple[str, str], ...] = (
    ("sch", "s"),
    ("ch", "g"),
    ("ph", "f"),
    ("th", "t"),
    ("ck", "k"),
    ("qu", "kw"),
    ("dt", "t"),
    ("ei", "y"),
    ("ey", "y"),
    ("ie", "i"),
    ("oe", "u"),
    ("ou", "au"),
    ("ae", "a"),
    ("c", "k"),
    ("z", "s"),
    ("v", "f"),
    ("w", "f"),
    ("x", "ks"),
    ("d", "t"),
    ("j", "y"),
    ("h", ""),
)


@lru_cache(maxsize=200_000)
def phonetic(text: str) -> str:
    """A coarse Dutch sound key (``Meijer``/``Meyer``/``Meier`` → one key) for candidate blocks only.

    It keeps the first letter's sound and the consonant skeleton, with vowels after the first
    letter dropped and doubles collapsed. It never decides a match; it only decides which records
    are compared at all.
    """
    word = text.replace(" ", "")
    if not word:
        return ""
    for old, new in _PHONETIC_RULES:
        word = word.replace(old, new)
    if not word:
        return ""
    head, tail = word[0], word[1:]
    tail = re.sub(r"[aeiouy]", "", tail)
    collapsed = re.sub(r"(.)\1+", r"\1", head + tail)
    return collapsed[:6]
