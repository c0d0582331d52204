# SPDX-License-Identifier: EUPL-1.2
"""Field comparisons with discrete agreement levels, and the candidate-generation keys.

Each comparison maps a pair of normalised records to a level (0 = strongest agreement, the last
level = disagreement, ``MISSING`` = one side does not say). The model turns levels into weights;
nothing here decides a match. Levels are few and named, so that an explanation can say in plain
words which fields agreed and which did not.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from rapidfuzz.distance import DamerauLevenshtein, JaroWinkler
from rapidfuzz.fuzz import token_set_ratio

from weerbaar.matching.normalise import phonetic
from weerbaar.matching.records import Address, Company, Person, Place, Record

MISSING = -1
_jw = JaroWinkler.normalized_similarity
_dl = DamerauLevenshtein.distance


@dataclass(frozen=True)
class Comparison:
    """One field comparison: its level labels and, if any, the value whose frequency adjusts level 0."""

    name: str
    levels: tuple[str, ...]
    compare: Callable[[Record, Record], int]
    tf_value: Callable[[Record], str] | None = None


# Persons ---------------------------------------------------------------------------------------


def _given(a: Record, b: Record) -> int:
    assert isinstance(a, Person) and isinstance(b, Person)  # nosec B101 - dispatch invariant
    ga, gb = a.given, b.given
    if not ga or not gb:
        return MISSING
    if a.initials_only or b.initials_only:
        ia = "".join(x[0] for x in ga)
        ib = "".join(x[0] for x in gb)
        if ia == ib or ia.startswith(ib) or ib.startswith(ia):
            return 2
        return 4
    if ga == gb:
        return 0
    if ga[0] == gb[0] and len(ga[0]) > 1:
        return 1
    if (len(ga[0]) == 1 or len(gb[0]) == 1) and ga[0][0] == gb[0][0]:
        return 2  # "J. Petrus" against "Johannes Petrus"
    if ga[0] in gb or gb[0] in ga or _jw(ga[0], gb[0]) >= 0.9:
        return 3
    if min(len(ga[0]), len(gb[0])) >= 3 and _dl(ga[0], gb[0]) <= 1:
        return 3  # a typo in a short name: "Bes" for "Bas"
    if ga[0] == b.surname_core or gb[0] == a.surname_core:
        return 3  # given name and surname swapped between the columns
    return 4


def _surname(a: Record, b: Record) -> int:
    assert isinstance(a, Person) and isinstance(b, Person)  # nosec B101
    if not a.surname_core or not b.surname_core:
        return MISSING
    if a.surname_core == b.surname_core or a.surname_glued == b.surname_glued:
        return 0
    best = max(_jw(a.surname_core, b.surname_core), _jw(a.surname_glued, b.surname_glued))
    if best >= 0.92:
        return 1
    swapped = (bool(b.given) and a.surname_core == b.given[0]) or (bool(a.given) and b.surname_core == a.given[0])
    if best >= 0.8 or swapped:  # swapped: surname and given name in each other's column
        return 2
    return 3


def _dob(a: Record, b: Record) -> int:
    assert isinstance(a, Person) and isinstance(b, Person)  # nosec B101
    da, db = a.dob, b.dob
    if da is None or db is None:
        return MISSING
    if da == db:
        return 0
    ya, ma, dda = da
    yb, mb, ddb = db
    if ya == yb and ma == ddb and dda == mb:
        return 1
    if (ya == yb and (ma == mb or dda == ddb)) or (ma == mb and dda == ddb and _dl(str(ya), str(yb)) <= 1):
        return 2
    return 3


def _national_id(a: Record, b: Record) -> int:
    assert isinstance(a, Person) and isinstance(b, Person)  # nosec B101
    if not a.national_id or not b.national_id:
        return MISSING
    if a.national_id == b.national_id:
        return 0
    if _dl(a.national_id, b.national_id) <= 1:
        return 1
    return 2


def address_level(a: Address, b: Address) -> int:
    """0 same dwelling · 1 same number (addition or a typo differs) · 2 same street/postcode · 3 different."""
    if not (a.postcode or a.street) or not (b.postcode or b.street):
        return MISSING
    same_number = a.number is not None and a.number == b.number
    if a.postcode and b.postcode:
        if a.postcode == b.postcode:
            if same_number:
                return 0 if a.addition == b.addition else 1
            return 2
        close_postcode = _dl(a.postcode, b.postcode) <= 1
    else:
        close_postcode = True
    same_street = bool(a.street and b.street) and (a.street == b.street or _jw(a.street, b.street) >= 0.9)
    if same_number and same_street:
        if close_postcode and a.addition == b.addition:
            return 0 if not (a.postcode and b.postcode) else 1
        return 1
    if same_street and close_postcode:
        return 2
    return 3


def _address(a: Record, b: Record) -> int:
    return address_level(a.address, b.address)


def _city(a: Record, b: Record) -> int:
    ca, cb = a.address.city, b.address.city
    if not ca or not cb:
        return MISSING
    if ca == cb:
        return 0
    return 1 if _jw(ca, cb) >= 0.88 else 2


PERSON: tuple[Comparison, ...] = (
    Comparison(
        "given_names",
        ("exact", "first name", "initials", "similar", "different"),
        _given,
        lambda r: r.given[0] if isinstance(r, Person) and r.given and not r.initials_only else "",
    ),
    Comparison(
        "surname",
        ("exact", "similar", "weakly similar", "different"),
        _surname,
        lambda r: r.surname_core if isinstance(r, Person) else "",
    ),
    Comparison("date_of_birth", ("exact", "day and month swapped", "one part differs", "different"), _dob),
    Comparison("address", ("same dwelling", "same house number", "same street", "different"), _address),
    Comparison("city", ("exact", "similar", "different"), _city, lambda r: r.address.city),
    Comparison("national_id", ("exact", "one digit differs", "different"), _national_id),
)

# Companies -------------------------------------------------------------------------------------


def _kvk(a: Record, b: Record) -> int:
    assert isinstance(a, Company) and isinstance(b, Company)  # nosec B101
    if not a.kvk or not b.kvk:
        return MISSING
    return 0 if a.kvk == b.kvk else 1


def _trade_name(a: Record, b: Record) -> int:
    assert isinstance(a, Company) and isinstance(b, Company)  # nosec B101
    if not a.name_core or not b.name_core:
        return MISSING
    if a.name_core == b.name_core:
        return 0
    ratio = token_set_ratio(a.name_core, b.name_core)
    if ratio >= 90:
        return 1
    if ratio >= 75:
        return 2
    return 3


COMPANY: tuple[Comparison, ...] = (
    Comparison("kvk_number", ("exact", "different"), _kvk),
    Comparison(
        "trade_name",
        ("exact", "similar", "weakly similar", "different"),
        _trade_name,
        lambda r: r.name_core if isinstance(r, Company) else "",
    ),
    Comparison("address", ("same dwelling", "same house number", "same street", "different"), _address),
    Comparison("city", ("exact", "similar", "different"), _city, lambda r: r.address.city),
)

ADDRESS: tuple[Comparison, ...] = (
    Comparison("address", ("same dwelling", "same house number", "same street", "different"), _address),
    Comparison("city", ("exact", "similar", "different"), _city, lambda r: r.address.city),
)

COMPARISONS: dict[str, tuple[Comparison, ...]] = {"person": PERSON, "company": COMPANY, "address": ADDRESS}


def levels(kind: str, a: Record, b: Record) -> tuple[int, ...]:
    return tuple(c.compare(a, b) for c in COMPARISONS[kind])


# Candidate generation (blocking) ---------------------------------------------------------------


def _surname_keys(p: Person) -> set[str]:
    keys = {phonetic(p.surname_core)}
    if p.surname_glued and p.surname_glued != p.surname_core.replace(" ", ""):
        keys.add(phonetic(p.surname_glued))
    keys.discard("")
    return keys


def _address_key(a: Address) -> str:
    if a.postcode and a.number is not None:
        return f"a:{a.postcode}:{a.number}"
    if a.street and a.number is not None:
        return f"as:{phonetic(a.street)}:{a.number}"
    return ""


def _dob_keys(record: Person, dob: tuple[int, int, int], surname_keys: set[str]) -> set[str]:
    stamp = "{:04d}{:02d}{:02d}".format(*dob)
    keys = {"d:" + stamp}
    if record.given:
        keys.add(f"di:{stamp}:{record.given[0][0]}")
    keys.update(f"ds:{stamp}:{sk[0]}" for sk in surname_keys)
    return keys


def index_keys(record: Record) -> set[str]:
    """The blocks a record is filed under. A pair is compared only when they share a block.

    For persons the date of birth is combined with the first letter of a given name or the sound
    of the surname (``di:``/``ds:``), so a birth date alone (some thirty people in a city of a
    million) is only searched as a fallback.
    """
    keys: set[str] = set()
    if isinstance(record, Person):
        surname_keys = _surname_keys(record)
        if len(record.national_id) >= 6:
            keys.add("n:" + record.national_id)
        if record.dob:
            keys.update(_dob_keys(record, record.dob, surname_keys))
        for sk in surname_keys:
            if record.dob:
                keys.add(f"s:{sk}:{record.dob[0]}")
            if record.given:
                keys.add(f"g:{sk}:{record.given[0][0]}")
        if record.given and record.address.postcode:
            keys.add(f"gp:{phonetic(record.given[0])}:{record.address.postcode}")
        if record.given and record.dob:
            keys.add(f"gd:{phonetic(record.given[0])}:{record.dob[0]}")
        key = _address_key(record.address)
        if key:
            keys.add(key)
        if record.address.postcode and record.address.street:
            # Number typos: same street and postcode keep the pair comparable.
            keys.add(f"ps:{record.address.postcode}:{phonetic(record.address.street)}")
    elif isinstance(record, Company):
        if record.kvk:
            keys.add("k:" + record.kvk)
        for token in record.name_tokens[:3]:
            if len(token) >= 3:
                keys.add("t:" + phonetic(token))
        key = _address_key(record.address)
        if key:
            keys.add(key)
    elif isinstance(record, Place):
        key = _address_key(record.address)
        if key:
            keys.add(key)
        if record.address.postcode:
            keys.add("pc:" + record.address.postcode)
        if record.address.street:
            keys.add(f"st:{phonetic(record.address.street)}:{record.address.city[:4]}")
    return keys


#: Broad blocks, searched online only when the specific ones find no probable candidate: the name
#: alone, the birth year with a first name, a whole street segment, a birth date alone.
FALLBACK_PREFIXES = ("g:", "gd:", "ps:", "d:")


def query_keys(record: Record) -> tuple[list[str], list[str]]:
    """Keys to look up for a query record: (specific keys, broad fallback keys).

    A swapped day and month is looked up as well, so that such a subject finds its record.
    """
    keys = index_keys(record)
    if isinstance(record, Person) and record.dob:
        y, m, d = record.dob
        if m != d and d <= 12:
            keys.update(_dob_keys(record, (y, d, m), _surname_keys(record)))
    specific = sorted(k for k in keys if not k.startswith(FALLBACK_PREFIXES))
    fallback = sorted(k for k in keys if k.startswith(FALLBACK_PREFIXES))
    return specific, fallback
