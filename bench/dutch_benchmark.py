# SPDX-License-Identifier: EUPL-1.2
"""The Dutch person matching benchmark: a BRP-like registry, noisy signal subjects and the ground truth.

Why our own: FEBRL is Australian and clean of what makes Dutch municipal data hard — households sharing a
surname and an address, a junior and a senior with the same given names, surname prefixes, ``ij``/``y`` —
and of the case that matters most here, a subject who is *not* in the registry, where a hit drags an
innocent citizen into a case. The registry is a fictitious city from :mod:`weerbaar.sources.synthetic`; each
subject is one registry person made noisy in one labelled way (or a plausible outsider).

Files written to ``--out``:

* ``registry.csv`` — the persons of the city, canonical person columns (``id, given_names, surname_prefix,
  surname, date_of_birth, street, house_number, house_number_addition, postcode, city, bsn``);
* ``subjects.csv`` — the same columns, ``id`` = subject id, ``bsn`` always empty (signals rarely carry one);
* ``truth.csv`` — ``subject_id, registry_id, difficulty, expected``: ``registry_id`` is empty for a subject
  who is not in the registry; ``expected`` is the answer a careful matcher should give: ``hit``,
  ``possible`` (the subject's data fits more than one registry person, or only a name is left) or
  ``no_hit``. Subjects are shuffled, so the order tells nothing.

About 20 % of subjects are ``not_in_registry``; the rest is spread evenly over the other difficulties.
Unless a difficulty says otherwise, half of its subjects carry a date of birth and half do not.

Difficulties (``truth.difficulty``):

``clean``
    An exact copy of a registry person.
``households``
    A member of a household where others share surname and address; only given names (and the date of
    birth, when present) tell them apart.
``junior_senior``
    A father and son with the same given names at one address; the subject carries the date of birth of
    one of them (always), so the answer is a hit on that one.
``junior_senior_no_dob``
    The same, without date of birth: both fit, so the answer must be ``possible``, never ``hit``.
``namesake``
    Someone with exactly the same name lives elsewhere in the city; address or date of birth decides.
``not_in_registry``
    A fictitious person who is not in the registry: common surnames, and in about a third of cases the exact
    name of a registry person with another date of birth and another address (in town or elsewhere). Any
    hit is a false hit.
``missing_dob``
    No date of birth (always).
``dob_day_month_swapped``
    Date of birth with day and month swapped (day ≤ 12, day ≠ month; always carries the date).
``initials``
    Given names as initials: ``J.P.``, ``J. P.``, ``JP`` or ``J.P``.
``first_given_name_only``
    Only the first of two or more given names.
``prefix_split``
    The prefix moved or split differently: ``van der Berg`` or ``Van der Berg`` in the surname field with
    an empty prefix, prefix ``van`` with surname ``der Berg``, or the prefix capitalised (``Van der``).
``prefix_glued``
    Prefix glued to the surname, prefix field empty: ``vanderBerg``, ``Vanderberg``, ``VanderBerg``,
    ``VanDerBerg``.
``prefix_reversed``
    ``Berg, van der`` (or ``Berg van der``) in the surname field, prefix empty.
``prefix_abbreviated``
    ``vd``, ``v.d.``, ``v/d``, ``v.`` … in the prefix field, or ``vd Berg`` in the surname field.
``ij_y``
    ``ij`` written ``y`` in names (``Bijl`` → ``Byl``, ``IJzerman`` → ``Yzerman``), and sometimes in the street.
``diacritics_dropped``
    ``Çelik`` → ``Celik``, ``Hoëvenaar`` → ``Hoevenaar``, ``Yılmaz`` → ``Yilmaz``, ``Chloë`` → ``Chloe``.
``capitals``
    Names (and sometimes the street) in capitals (``JANSEN``) or lower case (``jansen``).
``typo``
    One edit (substitution, deletion, insertion or transposition) in the first given name or the surname.
``postcode_spacing_case``
    ``1234 ab``, ``1234ab``, ``1234 AB``, ``1234-AB`` or padded with spaces.
``house_number_addition``
    The addition written into the house number (``12A``, ``12-a``, ``12 a``, ``12-1``, ``12 hs``) with an
    empty addition field, or in another case.
``moved``
    An old address: another address in the city than the registry's. Without date of birth only the name
    is left, so ``possible`` is expected; with it, a hit.
combinations (``a+b``)
    Two or three of the above on one subject: ``capitals+postcode_spacing_case``, ``initials+prefix_reversed``,
    ``typo+moved`` (always with date of birth), ``first_given_name_only+prefix_abbreviated``,
    ``diacritics_dropped+capitals``, ``ij_y+postcode_spacing_case``,
    ``missing_dob+initials+house_number_addition`` (never a date of birth) and
    ``dob_day_month_swapped+typo``.

A subject is drawn from registry persons aged 16 or over (junior/senior pairs may include a younger son) and
preferably from persons not used yet. ``expected`` is computed, not assumed: a subject is ``possible`` when
another registry person with the same surname fits what the subject still shows of the given names (all
of them, the initials, or the first) with a compatible date of birth (equal, swapped, or none given) at the
same address — or anywhere, for a moved subject.

``score()`` turns a matcher's answers into the figures the performance brief asks for: hit precision, recall (also
where a date of birth is given), false-hit rate on outsiders, share of ``possible``, and hits on ambiguous
subjects, per difficulty and overall.

Usage: python bench/dutch_benchmark.py --persons 20000 --subjects 5000 --seed 1 --out DIR
"""

from __future__ import annotations

import argparse
import functools
import random
import re
import sys
import time
import unicodedata
from collections import Counter, defaultdict
from collections.abc import Callable, Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from weerbaar.sources.synthetic import (
    PERSON_COLUMNS,
    REFERENCE_DATE,
    City,
    Table,
    generate_city,
    invent_street_names,
    write_table,
)

TRUTH_COLUMNS = ("subject_id", "registry_id", "difficulty", "expected")
NOT_IN_REGISTRY_SHARE = 0.20
OUTSIDE_TOWNS = ("Oefenwoude", "Schijnhoven", "Proefkerk", "Nergensveen")

# Registry row positions (PERSON_COLUMNS).
ID, GIVEN, PREFIX, SURNAME, DOB, STREET, HN, ADD, PC, CITY, BSN = range(11)

Subject = dict[str, str]
Row = tuple[str, ...]


@dataclass(frozen=True)
class Difficulty:
    """A kind of difficulty: the transformations applied, the registry persons it needs, its dates of birth."""

    name: str
    steps: tuple[str, ...] = ()
    needs: tuple[str, ...] = ()
    dob: str = "half"  # "half" | "always" | "never"


DIFFICULTIES: tuple[Difficulty, ...] = (
    Difficulty("clean"),
    Difficulty("households", needs=("household",)),
    Difficulty("junior_senior", needs=("junior_senior",), dob="always"),
    Difficulty("junior_senior_no_dob", needs=("junior_senior",), dob="never"),
    Difficulty("namesake", needs=("namesake",)),
    Difficulty("missing_dob", dob="never"),
    Difficulty("dob_day_month_swapped", ("dob_day_month_swapped",), ("swappable",), dob="always"),
    Difficulty("initials", ("initials",)),
    Difficulty("first_given_name_only", ("first_given_name_only",), ("several_given",)),
    Difficulty("prefix_split", ("prefix_split",), ("prefix",)),
    Difficulty("prefix_glued", ("prefix_glued",), ("prefix",)),
    Difficulty("prefix_reversed", ("prefix_reversed",), ("prefix",)),
    Difficulty("prefix_abbreviated", ("prefix_abbreviated",), ("prefix_van",)),
    Difficulty("ij_y", ("ij_y",), ("ij",)),
    Difficulty("diacritics_dropped", ("diacritics_dropped",), ("diacritics",)),
    Difficulty("capitals", ("capitals",)),
    Difficulty("typo", ("typo",)),
    Difficulty("postcode_spacing_case", ("postcode_spacing_case",)),
    Difficulty("house_number_addition", ("house_number_addition",), ("addition",)),
    Difficulty("moved", ("moved",)),
    Difficulty("capitals+postcode_spacing_case", ("capitals", "postcode_spacing_case")),
    Difficulty("initials+prefix_reversed", ("initials", "prefix_reversed"), ("prefix",)),
    Difficulty("typo+moved", ("typo", "moved"), dob="always"),
    Difficulty(
        "first_given_name_only+prefix_abbreviated", ("first_given_name_only", "prefix_abbreviated"),
        ("several_given", "prefix_van"),
    ),
    Difficulty("diacritics_dropped+capitals", ("diacritics_dropped", "capitals"), ("diacritics",)),
    Difficulty("ij_y+postcode_spacing_case", ("ij_y", "postcode_spacing_case"), ("ij",)),
    Difficulty(
        "missing_dob+initials+house_number_addition", ("initials", "house_number_addition"), ("addition",),
        dob="never",
    ),
    Difficulty("dob_day_month_swapped+typo", ("dob_day_month_swapped", "typo"), ("swappable",), dob="always"),
)  # fmt: skip
NOT_IN_REGISTRY = "not_in_registry"


# ----------------------------------------------------------------------------------------------- helpers
_NOT_LETTERS = re.compile(r"[^a-z]")
_FOLD = str.maketrans({"ı": "i", "ł": "l", "Ł": "L", "ø": "o", "Ø": "O", "ß": "ss", "æ": "ae", "đ": "d"})


@functools.lru_cache(maxsize=1 << 20)
def fold(text: str) -> str:
    """Drop diacritics (and the letters NFKD does not split: ı, ł, ø, ß). Cached: names repeat a lot."""
    if text.isascii():
        return text
    decomposed = unicodedata.normalize("NFKD", text.translate(_FOLD))
    return "".join(c for c in decomposed if not unicodedata.combining(c))


@functools.lru_cache(maxsize=1 << 20)
def norm(text: str) -> str:
    """A comparison key: letters only, lower case, no diacritics, ``ij`` as ``y``."""
    return _NOT_LETTERS.sub("", fold(text).lower().replace("ij", "y"))


def swap_day_month(iso: str) -> str:
    """``YYYY-MM-DD`` with day and month swapped, or empty when that is no date."""
    if not iso:
        return ""
    y, m, d = iso.split("-")
    try:
        return date(int(y), int(d), int(m)).isoformat()
    except ValueError:
        return ""


def _given_tokens(given: str) -> list[str]:
    return [t for t in re.split(r"[ \-]+", given) if t]


def _capitalised(prefix: str) -> str:
    return prefix[:1].upper() + prefix[1:]


# ------------------------------------------------------------------------------------------- transforms
class _Context:
    """What transformations and truth need to know about the registry, computed once."""

    def __init__(self, rows: Sequence[Row], city: City) -> None:
        self.rows = rows
        self.by_address: dict[tuple[str, ...], list[int]] = defaultdict(list)
        self.by_name: dict[tuple[str, str, str], list[int]] = defaultdict(list)
        for i, r in enumerate(rows):
            self.by_address[r[STREET:CITY]].append(i)
            self.by_name[(r[GIVEN], r[PREFIX], r[SURNAME])].append(i)
        self.homes = list(self.by_address)
        # Signals are about people of 16 and over; junior/senior pairs may include a younger son.
        cutoff = REFERENCE_DATE.replace(year=REFERENCE_DATE.year - 16).isoformat()
        self.sources = [i for i, r in enumerate(rows) if r[DOB] <= cutoff]
        self.surnames_at = {(norm(r[PREFIX] + r[SURNAME]), r[STREET:CITY]) for r in rows}
        self.name_dob = {(norm(r[GIVEN]), norm(r[PREFIX] + r[SURNAME]), r[DOB]) for r in rows}
        index = {r[ID]: i for i, r in enumerate(rows)}
        self.junior_senior = sorted(
            {
                index[pid]
                for senior, junior in city.junior_senior
                if rows[index[senior]][GIVEN] == rows[index[junior]][GIVEN]
                for pid in (senior, junior)
            }
        )
        self._by_surname: dict[str, list[int]] | None = None

    def by_surname(self, key: str) -> list[int]:
        if self._by_surname is None:
            found: dict[str, list[int]] = defaultdict(list)
            for i, r in enumerate(self.rows):
                found[norm(r[PREFIX] + r[SURNAME])].append(i)
            self._by_surname = found
        return self._by_surname.get(key, [])

    def other_home(self, rng: random.Random, surname_key: str, exclude: tuple[str, ...]) -> tuple[str, ...]:
        """Another address in town where nobody with this surname lives (an old address, an outsider's)."""
        for _ in range(100):
            home = rng.choice(self.homes)
            if home != exclude and (surname_key, home) not in self.surnames_at:
                return home
        return exclude

    # -- which registry persons a difficulty can use
    def qualifies(self, i: int, need: str) -> bool:
        r = self.rows[i]
        if need == "household":
            return (
                sum(
                    1
                    for j in self.by_address[r[STREET:CITY]]
                    if self.rows[j][PREFIX : SURNAME + 1] == r[PREFIX : SURNAME + 1]
                )
                > 1
            )
        if need == "namesake":
            return any(
                self.rows[j][STREET:CITY] != r[STREET:CITY] for j in self.by_name[(r[GIVEN], r[PREFIX], r[SURNAME])]
            )
        if need == "prefix":
            return bool(r[PREFIX])
        if need == "prefix_van":
            return r[PREFIX].startswith("van")
        if need == "ij":
            return "ij" in (r[GIVEN] + r[SURNAME]).lower()
        if need == "diacritics":
            return not (r[GIVEN] + r[PREFIX] + r[SURNAME]).isascii()
        if need == "swappable":
            return bool(swap_day_month(r[DOB])) and r[DOB][5:7] != r[DOB][8:10]
        if need == "addition":
            return bool(r[ADD])
        if need == "several_given":
            return " " in r[GIVEN]
        raise ValueError(need)


def _initials(s: Subject, rng: random.Random, ctx: _Context) -> None:
    letters = [t[0].upper() for t in _given_tokens(s["given_names"])]
    s["given_names"] = rng.choice(
        ["".join(f"{c}." for c in letters), " ".join(f"{c}." for c in letters), "".join(letters), ".".join(letters)]
    )


def _first_only(s: Subject, rng: random.Random, ctx: _Context) -> None:
    s["given_names"] = s["given_names"].split(" ")[0]


def _prefix_split(s: Subject, rng: random.Random, ctx: _Context) -> None:
    prefix, surname = s["surname_prefix"], s["surname"]
    words = prefix.split(" ")
    variant = rng.randrange(4 if len(words) > 1 else 3)
    if variant == 0:
        s["surname_prefix"], s["surname"] = "", f"{prefix} {surname}"
    elif variant == 1:
        s["surname_prefix"], s["surname"] = "", f"{_capitalised(prefix)} {surname}"
    elif variant == 2:
        s["surname_prefix"] = _capitalised(prefix)
    else:
        s["surname_prefix"], s["surname"] = words[0], " ".join([*words[1:], surname])


def _prefix_glued(s: Subject, rng: random.Random, ctx: _Context) -> None:
    words, surname = s["surname_prefix"].split(" "), s["surname"]
    s["surname"] = rng.choice(
        [
            "".join(words) + surname,
            ("".join(words) + surname).capitalize(),
            _capitalised("".join(words)) + surname,
            "".join(_capitalised(w) for w in words) + surname,
        ]
    )
    s["surname_prefix"] = ""


def _prefix_reversed(s: Subject, rng: random.Random, ctx: _Context) -> None:
    sep = ", " if rng.random() < 0.7 else " "
    s["surname"] = f"{s['surname']}{sep}{s['surname_prefix']}"
    s["surname_prefix"] = ""


_ABBREVIATIONS = {
    "van der": ("v.d.", "vd", "v/d", "vd."),
    "van den": ("v.d.", "vd", "v/d"),
    "van de": ("v.d.", "vd", "v/d"),
    "van 't": ("v.'t", "v 't"),
    "van het": ("v.h.", "vh"),
    "van": ("v.", "v"),
}


def _prefix_abbreviated(s: Subject, rng: random.Random, ctx: _Context) -> None:
    abbreviation = rng.choice(_ABBREVIATIONS.get(s["surname_prefix"], ("v.",)))
    if rng.random() < 0.5:
        s["surname_prefix"] = abbreviation
    else:
        s["surname_prefix"], s["surname"] = "", f"{abbreviation} {s['surname']}"


def _ij_y(s: Subject, rng: random.Random, ctx: _Context) -> None:
    fields = ["given_names", "surname"] + (["street"] if rng.random() < 0.3 else [])
    for key in fields:
        s[key] = s[key].replace("IJ", "Y").replace("Ij", "Y").replace("ij", "y")


def _diacritics(s: Subject, rng: random.Random, ctx: _Context) -> None:
    for key in ("given_names", "surname_prefix", "surname"):
        s[key] = fold(s[key])


def _capitals(s: Subject, rng: random.Random, ctx: _Context) -> None:
    case = str.upper if rng.random() < 0.6 else str.lower
    fields = ["given_names", "surname_prefix", "surname"] + (["street", "city"] if rng.random() < 0.4 else [])
    for key in fields:
        s[key] = case(s[key])


def _typo(s: Subject, rng: random.Random, ctx: _Context) -> None:
    key = "given_names" if rng.random() < 0.5 else "surname"
    value = s[key]
    end = value.find(" ") if key == "given_names" and " " in value else len(value)
    word = value[:end]
    letters = "abcdefghijklmnopqrstuvwxyz"
    for _ in range(20):
        lo = 1 if rng.random() < 0.85 and len(word) > 2 else 0
        pos = rng.randrange(lo, len(word))
        op = rng.randrange(4)
        if op == 0:
            new = word[:pos] + rng.choice(letters) + word[pos + 1 :]
        elif op == 1 and len(word) > 3:
            new = word[:pos] + word[pos + 1 :]
        elif op == 2:
            new = word[:pos] + rng.choice(letters) + word[pos:]
        elif pos + 1 < len(word):
            new = word[:pos] + word[pos + 1] + word[pos] + word[pos + 2 :]
        else:
            continue
        if new.lower() != word.lower():
            s[key] = new + value[end:]
            return


def _postcode(s: Subject, rng: random.Random, ctx: _Context) -> None:
    digits, letters = s["postcode"][:4], s["postcode"][4:]
    s["postcode"] = rng.choice(
        [
            f"{digits} {letters.lower()}",
            f"{digits}{letters.lower()}",
            f"{digits} {letters}",
            f"{digits}-{letters}",
            f" {digits}  {letters} ",
        ]
    )


def _addition(s: Subject, rng: random.Random, ctx: _Context) -> None:
    number, addition = s["house_number"], s["house_number_addition"]
    low = addition.lower()
    options = [f"{number}{addition}", f"{number}-{low}", f"{number} {low}", f"{number}-{addition}"]
    if addition == "H":
        options += [f"{number} hs", f"{number}-huis"]
    if rng.random() < 0.8:
        s["house_number"], s["house_number_addition"] = rng.choice(options), ""
    else:
        s["house_number_addition"] = rng.choice([low, f"-{addition}", f" {addition}"])


def _moved(s: Subject, rng: random.Random, ctx: _Context) -> None:
    here = (s["street"], s["house_number"], s["house_number_addition"], s["postcode"])
    home = ctx.other_home(rng, norm(s["surname_prefix"] + s["surname"]), here)
    s["street"], s["house_number"], s["house_number_addition"], s["postcode"] = home


def _swap(s: Subject, rng: random.Random, ctx: _Context) -> None:
    s["date_of_birth"] = swap_day_month(s["date_of_birth"]) or s["date_of_birth"]


_TRANSFORMS: Mapping[str, Callable[[Subject, random.Random, _Context], None]] = {
    "initials": _initials,
    "first_given_name_only": _first_only,
    "prefix_split": _prefix_split,
    "prefix_glued": _prefix_glued,
    "prefix_reversed": _prefix_reversed,
    "prefix_abbreviated": _prefix_abbreviated,
    "ij_y": _ij_y,
    "diacritics_dropped": _diacritics,
    "capitals": _capitals,
    "typo": _typo,
    "postcode_spacing_case": _postcode,
    "house_number_addition": _addition,
    "moved": _moved,
    "dob_day_month_swapped": _swap,
}
# The order steps are applied in: the address and date first, names last, the case change at the very end.
_ORDER = [
    "moved", "house_number_addition", "postcode_spacing_case", "dob_day_month_swapped", "ij_y",
    "diacritics_dropped", "initials", "first_given_name_only", "prefix_split", "prefix_glued", "prefix_reversed",
    "prefix_abbreviated", "typo", "capitals",
]  # fmt: skip


# ---------------------------------------------------------------------------------------------- truth
def _given_view(given: str, steps: Iterable[str]) -> str:
    """What a subject's given names still say after its steps, applied to any registry person."""
    tokens = _given_tokens(fold(given).lower())
    if "initials" in steps:
        return "".join(t[0] for t in tokens)
    if "first_given_name_only" in steps:
        return norm(given.split(" ")[0])
    return norm(given)


def expected_answer(subject: Subject, source: int, steps: tuple[str, ...], ctx: _Context) -> str:
    """``possible`` when another registry person fits the subject as well as its source, else ``hit``.

    Fits: same surname, the same given names as far as the subject still shows them (initials, first name),
    a compatible date of birth (equal, day and month swapped, or none given) and, unless the subject moved,
    the same address. A moved subject without date of birth has only a name left: ``possible``.
    """
    p = ctx.rows[source]
    dob = subject["date_of_birth"]
    moved = "moved" in steps
    if moved and not dob:
        return "possible"
    surname_key = norm(p[PREFIX] + p[SURNAME])
    view = _given_view(p[GIVEN], steps)
    candidates = ctx.by_surname(surname_key) if moved else ctx.by_address[p[STREET:CITY]]
    for j in candidates:
        if j == source:
            continue
        q = ctx.rows[j]
        if norm(q[PREFIX] + q[SURNAME]) != surname_key or _given_view(q[GIVEN], steps) != view:
            continue
        if not dob or dob in (q[DOB], swap_day_month(q[DOB])):
            return "possible"
    return "hit"


# -------------------------------------------------------------------------------------------- building
@dataclass
class Benchmark:
    """Registry rows, subjects (dicts in person columns) and truth rows, ready to write."""

    registry: list[Row]
    subjects: list[Subject] = field(default_factory=list)
    truth: list[tuple[str, str, str, str]] = field(default_factory=list)
    seed: int = 0


def _random_dob(rng: random.Random) -> str:
    ordinal = REFERENCE_DATE.toordinal() - rng.randint(18 * 365, 90 * 365)
    return date.fromordinal(ordinal).isoformat()


def _outsider(rng: random.Random, city: City, ctx: _Context, towns: list[str]) -> Subject:
    """A plausible person who is not in the registry (a third carry a registry person's exact name)."""
    while True:
        if rng.random() < 0.35:
            q = ctx.rows[rng.randrange(len(ctx.rows))]
            given, prefix, surname = q[GIVEN], q[PREFIX], q[SURNAME]
        else:
            background = city.names.background(rng)
            female = rng.random() < 0.5
            dob_year = REFERENCE_DATE.year - rng.randint(18, 90)
            given = city.names.given_names(rng, background, female, dob_year)
            prefix, surname = city.names.surname(rng, background)
        dob = _random_dob(rng)
        key = (norm(given), norm(prefix + surname))
        if (*key, dob) in ctx.name_dob or (*key, swap_day_month(dob)) in ctx.name_dob:
            continue
        if rng.random() < 0.65:
            home = ctx.other_home(rng, key[1], ())
            if not home or (key[1], home) in ctx.surnames_at:
                continue
            street, number, addition, postcode = home
            town = city.name
        else:
            street = rng.choice(towns)
            number, addition = str(rng.randint(1, 180)), rng.choice(["", "", "", "A", "1"])
            postcode = (
                f"{rng.randint(1000, 8999)}{rng.choice('ABCDEGHJKLMNPRTVWXZ')}{rng.choice('ABCDEGHJKLMNPRTVWXZ')}"
            )
            town = rng.choice(OUTSIDE_TOWNS)
        if rng.random() < 0.5:
            dob = ""
        values = (given, prefix, surname, dob, street, number, addition, postcode, town, "")
        return dict(zip(PERSON_COLUMNS[1:], values, strict=True))


def _plan(total: int, eligible: Mapping[str, list[int]]) -> list[tuple[str, int]]:
    """How many subjects each difficulty gets: ~20 % outsiders, the rest evenly over usable difficulties."""
    usable = [d.name for d in DIFFICULTIES if eligible[d.name]]
    outsiders = round(total * NOT_IN_REGISTRY_SHARE)
    rest = total - outsiders
    base, extra = divmod(rest, len(usable))
    return [(NOT_IN_REGISTRY, outsiders)] + [(name, base + (k < extra)) for k, name in enumerate(usable)]


def build_benchmark(persons: int = 20_000, subjects: int = 5_000, seed: int = 1) -> Benchmark:
    """Generate the registry (a city of ``persons``) and ``subjects`` labelled subjects with their truth."""
    city = generate_city(persons, seed=seed, companies=0, records=0)
    rows = city.persons.rows
    ctx = _Context(rows, city)
    rng = random.Random(f"dutch-benchmark:{seed}")
    towns = invent_street_names(rng, 200)

    eligible: dict[str, list[int]] = {}
    cache: dict[str, list[int]] = {}
    for d in DIFFICULTIES:
        needs = d.needs
        if "junior_senior" in needs:
            eligible[d.name] = ctx.junior_senior
            continue
        if not needs:
            eligible[d.name] = ctx.sources
            continue
        key = "+".join(sorted(needs))
        if key not in cache:
            first, *others = needs
            base = cache.get(first)
            if base is None:
                base = cache[first] = [i for i in ctx.sources if ctx.qualifies(i, first)]
            cache[key] = [i for i in base if all(ctx.qualifies(i, n) for n in others)]
        eligible[d.name] = cache[key]

    by_name = {d.name: d for d in DIFFICULTIES}
    used: set[int] = set()
    made: list[tuple[Subject, str, str, str]] = []
    for name, count in _plan(subjects, eligible):
        for _ in range(count):
            if name == NOT_IN_REGISTRY:
                made.append((_outsider(rng, city, ctx, towns), "", name, "no_hit"))
                continue
            d = by_name[name]
            pool = eligible[name]
            source = rng.choice(pool)
            for _ in range(30):  # prefer persons not used yet
                if source not in used:
                    break
                source = rng.choice(pool)
            used.add(source)
            subject = dict(zip(PERSON_COLUMNS, rows[source], strict=True))
            subject["bsn"] = ""
            if d.dob == "never" or (d.dob == "half" and rng.random() < 0.5):
                subject["date_of_birth"] = ""
            steps = tuple(sorted(d.steps, key=_ORDER.index))
            for step in steps:
                _TRANSFORMS[step](subject, rng, ctx)
            made.append((subject, rows[source][ID], name, expected_answer(subject, source, steps, ctx)))

    rng.shuffle(made)
    bench = Benchmark(registry=rows, seed=seed)
    for k, (subject, registry_id, difficulty, expected) in enumerate(made, start=1):
        sid = f"S{k:06d}"
        subject["id"] = sid
        bench.subjects.append(subject)
        bench.truth.append((sid, registry_id, difficulty, expected))
    return bench


def write_benchmark(bench: Benchmark, out: Path) -> list[Path]:
    """registry.csv, subjects.csv and truth.csv in ``out``."""
    out.mkdir(parents=True, exist_ok=True)
    paths = [write_table(Table("registry", PERSON_COLUMNS, bench.registry), out / "registry.csv")]
    subjects = Table("subjects", PERSON_COLUMNS, [tuple(s[c] for c in PERSON_COLUMNS) for s in bench.subjects])
    paths.append(write_table(subjects, out / "subjects.csv"))
    paths.append(write_table(Table("truth", TRUTH_COLUMNS, list(bench.truth)), out / "truth.csv"))
    return paths


# --------------------------------------------------------------------------------------------- scoring
def score(
    truth: Iterable[Sequence[str]], answers: Mapping[str, tuple[str, str]], with_dob: Collection[str] = ()
) -> dict[str, dict[str, float]]:
    """Precision, recall, false-hit rate and share of ``possible`` per difficulty (and ``all``).

    ``truth`` rows are ``(subject_id, registry_id, difficulty, expected)``; ``answers`` maps a subject id to
    ``(decision, registry_id)`` with decision ``hit``, ``possible`` or ``no_hit``; ``with_dob`` holds the ids
    of subjects that carry a date of birth. Recall counts correct hits among subjects whose expected answer
    is ``hit`` (``recall_dob``: only those with a date of birth, as the performance target counts it). The
    false-hit rate is hits on subjects not in the registry; ``ambiguous_hits`` counts hits on subjects whose
    expected answer is ``possible`` — each one a violation of "ambiguous → possible, never hit".
    """
    acc: dict[str, Counter[str]] = defaultdict(Counter)
    dob_ids = set(with_dob)
    for row in truth:
        sid, registry_id, difficulty, expected = row[:4]
        has_dob = sid in dob_ids
        decision, answered = answers.get(sid, ("no_hit", ""))
        for key in (difficulty, "all"):
            c = acc[key]
            c["n"] += 1
            c["possible"] += decision == "possible"
            if decision == "hit":
                c["hits"] += 1
                c["correct_hits"] += bool(registry_id) and answered == registry_id
                c["false_hits_outsider"] += not registry_id
                c["ambiguous_hits"] += expected == "possible"
            if not registry_id:
                c["outsiders"] += 1
            if expected == "hit":
                c["expected_hits"] += 1
                c["found"] += decision == "hit" and answered == registry_id
                if has_dob:
                    c["expected_hits_dob"] += 1
                    c["found_dob"] += decision == "hit" and answered == registry_id
    result: dict[str, dict[str, float]] = {}
    for key, c in sorted(acc.items()):
        result[key] = {
            "n": c["n"],
            "precision": c["correct_hits"] / c["hits"] if c["hits"] else 1.0,
            "recall": c["found"] / c["expected_hits"] if c["expected_hits"] else float("nan"),
            "recall_dob": c["found_dob"] / c["expected_hits_dob"] if c["expected_hits_dob"] else float("nan"),
            "false_hit_rate": c["false_hits_outsider"] / c["outsiders"] if c["outsiders"] else float("nan"),
            "possible_share": c["possible"] / c["n"],
            "ambiguous_hits": c["ambiguous_hits"],
        }
    return result


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0] if __doc__ else None)
    parser.add_argument("--persons", type=int, default=20_000, help="persons in the registry (default 20,000)")
    parser.add_argument("--subjects", type=int, default=5_000, help="subjects to match (default 5,000)")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--out", type=Path, required=True, help="directory for registry.csv, subjects.csv, truth.csv")
    args = parser.parse_args(argv)
    started = time.perf_counter()
    bench = build_benchmark(args.persons, args.subjects, args.seed)
    paths = write_benchmark(bench, args.out)
    counts = Counter((difficulty, expected) for _, _, difficulty, expected in bench.truth)
    kinds = sorted({d for d, _ in counts})
    print(f"{len(bench.registry)} registry persons, {len(bench.subjects)} subjects, seed {args.seed}, "
          f"{time.perf_counter() - started:.1f} s")  # fmt: skip
    for kind in kinds:
        parts = ", ".join(f"{e} {counts[(kind, e)]}" for e in ("hit", "possible", "no_hit") if counts[(kind, e)])
        print(f"  {kind:45} {parts}")
    for path in paths:
        print(path)
    return 0


if __name__ == "__main__":
    sys.exit(main())
